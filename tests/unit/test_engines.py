"""The two kernel engines (microlink.kernels): every technology gives the same results on both, each engine's
results do not depend on the batch, and the engine is chosen per process, never silently."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from microlink import kernels
from microlink.catalog import get_parameter_set, list_parameter_sets
from microlink.errors import ParameterError

#: Relative agreement of the engines on every numeric output: the NumPy implementations do the same
#: arithmetic in another order (and LU for the compiled kernel's Cholesky), so they differ by rounding,
#: ~1e-12 relative; the solvers then stop at their tolerance from nearly the same iterates.
RTOL = 1e-9
REACHES = [0.5, 2.0, 10.0]


def _numbers(d, prefix=""):
    """Flatten a result dict to {path: float} (numbers and lists of numbers only)."""
    out = {}
    for key, value in d.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_numbers(value, path + "."))
        elif isinstance(value, bool) or value is None or isinstance(value, str):
            continue
        elif isinstance(value, (int, float)):
            out[path] = float(value)
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, (int, float)) for v in value):
            for i, v in enumerate(value):
                out[f"{path}[{i}]"] = float(v)
    return out


def _evaluate(name, engine):
    import microlink.link.microled as mled
    from microlink.link.chain import evaluate_link
    from microlink.link.technologies import result_points

    mled._LARGE_SIGNAL_CACHE.clear()  # each engine solves the rate equation itself
    with kernels.use_engine(engine):
        res = evaluate_link(name, aggregate_rate=1.6e12, reach=REACHES)
    return [p.to_dict() for p in result_points(res)]


@pytest.mark.parametrize("name", list_parameter_sets())
def test_every_technology_agrees_on_both_engines(name):
    compiled = _evaluate(name, "compiled")
    numpy_ = _evaluate(name, "numpy")
    assert len(compiled) == len(numpy_) == len(REACHES)
    for a, b in zip(compiled, numpy_):
        assert a.get("feasible") == b.get("feasible") and a.get("infeasible_reason") == b.get("infeasible_reason")
        na, nb = _numbers(a), _numbers(b)
        assert na.keys() == nb.keys()
        for key in na:
            x, y = na[key], nb[key]
            if math.isnan(x) or math.isnan(y):
                assert math.isnan(x) and math.isnan(y), key
                continue
            assert y == pytest.approx(x, rel=RTOL, abs=1e-300), f"{name} {key}: compiled {x!r}, numpy {y!r}"


def test_rate_equation_is_bitwise_identical_on_both_engines():
    import microlink.link.microled as mled

    p = get_parameter_set("lightbundle").parameters.replace(driver={"bias_current": np.linspace(80e-6, 300e-6, 3)})
    out = {}
    for engine in kernels.ENGINES:
        mled._LARGE_SIGNAL_CACHE.clear()
        with kernels.use_engine(engine):
            out[engine] = mled.large_signal_penalty(p, 3.3e9, 3)
    np.testing.assert_array_equal(out["compiled"], out["numpy"])


def test_numpy_engine_results_do_not_depend_on_the_batch():
    """A point alone gives bitwise what it gives in a batch (pulse sampler, closed-form BER average)."""
    from microlink.ber.closed_form import pam_ber
    from microlink.ber.pulse import nrz_cursors

    rng = np.random.default_rng(5)
    n = 7
    poles = [rng.uniform(0.3, 1.2, n), rng.uniform(0.5, 2.0, n)]
    butter = [rng.uniform(0.6, 1.0, n)]
    gauss, pre = rng.uniform(0.0, 0.2, n), rng.uniform(0.0, 0.3, n)
    main, isi, sigma = rng.uniform(0.5, 1.0, n), rng.normal(0.0, 0.05, (n, 9)), rng.uniform(0.02, 0.1, n)
    with kernels.use_engine("numpy"):
        together = nrz_cursors(poles, butter, gauss, pre)
        ber = pam_ber(main, isi, 1.0, sigma)
        for i in range(n):
            alone = nrz_cursors([p[i:i + 1] for p in poles], [b[i:i + 1] for b in butter], gauss[i:i + 1],
                                pre[i:i + 1])
            assert float(alone.main[0]) == float(together.main[i])
            assert float(alone.phase[0]) == float(together.phase[i])
            assert float(pam_ber(main[i:i + 1], isi[i:i + 1], 1.0, sigma[i:i + 1])[0]) == float(ber[i])
    with kernels.use_engine("compiled"):
        np.testing.assert_allclose(pam_ber(main, isi, 1.0, sigma), ber, rtol=RTOL)


def test_use_engine_restores_and_refuses_unknown_engines():
    before = kernels.engine()
    with kernels.use_engine("numpy"):
        assert kernels.engine() == "numpy" and not kernels.compiled()
        with kernels.use_engine("compiled"):
            assert kernels.compiled()
        assert kernels.engine() == "numpy"
    assert kernels.engine() == before
    with pytest.raises(ParameterError, match="engine"):
        with kernels.use_engine("gpu"):
            pass


def test_environment_variable_is_checked(monkeypatch):
    monkeypatch.setenv(kernels.ENGINE_VARIABLE, "numpy")
    assert kernels.environment_engine() == "numpy"
    monkeypatch.setenv(kernels.ENGINE_VARIABLE, " ")
    assert kernels.environment_engine() is None
    monkeypatch.setenv(kernels.ENGINE_VARIABLE, "fast")
    with pytest.raises(ParameterError, match=kernels.ENGINE_VARIABLE):
        kernels.environment_engine()


PROBE = """
import io, json, sys, contextlib
sys.argv = ["microlink", *json.loads(sys.argv[1])]
from microlink.cli.app import main
out = io.StringIO()
try:
    with contextlib.redirect_stdout(out):
        main()
    code = 0
except SystemExit as e:
    code = e.code
print(json.dumps({"code": code, "numba": "numba" in sys.modules, "stdout": out.getvalue()}))
"""


def _run(args, env=None):
    import os

    e = dict(os.environ)
    e.pop(kernels.ENGINE_VARIABLE, None)
    e.update(env or {})
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True, env=e,
                          check=False)
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else None, done


@pytest.mark.slow
def test_single_shot_commands_load_no_compiled_kernel_and_say_which_engine_ran():
    got, _ = _run(["link", "--format", "json"])
    assert got["code"] == 0 and got["numba"] is False
    assert json.loads(got["stdout"])["meta"]["engine"] == "numpy"
    got, _ = _run(["link", "--format", "json"], {kernels.ENGINE_VARIABLE: "compiled"})
    assert got["code"] == 0 and got["numba"] is True
    assert json.loads(got["stdout"])["meta"]["engine"] == "compiled"


def test_bad_engine_variable_is_one_line_and_exit_2():
    got, done = _run(["link"], {kernels.ENGINE_VARIABLE: "quantum"})
    assert got["code"] == 2
    err = done.stderr.strip().splitlines()
    assert len(err) == 1 and kernels.ENGINE_VARIABLE in err[0] and "quantum" in err[0] and "numpy" in err[0]


def _small_sweep():
    from microlink.sweep import spec_from_mapping

    return spec_from_mapping({
        "preset": "lightbundle", "seed": 3, "chunk_size": 4, "fixed": {"aggregate_rate": "800 Gb/s"},
        "parameters": {"lane_rate": ["2 Gb/s", "3.3 Gb/s"], "led.diameter": ["3 um", "5 um"],
                       "reach": {"min": 1, "max": 10, "num": 3, "unit": "m"}}})


def test_sweep_plan_carries_the_clients_engine():
    import pickle

    from microlink.sweep.engine import SweepPlan

    with kernels.use_engine("numpy"):
        plan = SweepPlan(_small_sweep(), 3)
    assert plan.engine == "numpy" and plan.provenance()["engine"] == "numpy"
    again = pickle.loads(pickle.dumps(plan))  # what a worker process receives
    assert again.engine == "numpy"


@pytest.mark.slow
def test_sweep_chunks_run_the_clients_engine_on_every_executor():
    """A sweep started under the numpy engine gives on worker processes (fresh, compiled by default) bitwise
    what it gives serially."""
    from microlink.sweep import run_sweep

    with kernels.use_engine("numpy"):
        serial = run_sweep(_small_sweep()).dataset()
        pool = run_sweep(_small_sweep(), executor="processes", workers=2).dataset()
    for name in ("ber", "margin_db", "energy_per_bit_pj"):
        np.testing.assert_array_equal(serial[name].values, pool[name].values)
    assert serial.attrs["engine"] == pool.attrs["engine"] == "numpy"


def test_side_by_side_rate_equation_is_bitwise_the_row_kernel():
    """Rows sharing a step count advance side by side (SIMD); each row's waveform is bitwise its own."""
    from microlink.devices._led_kernels import rk4_side_by_side

    rng = np.random.default_rng(8)
    rows, m = 9, 254
    a, b, c = rng.uniform(1e7, 1e8, rows), rng.uniform(1e-17, 1e-16, rows), rng.uniform(1e-42, 1e-41, rows)
    g = rng.uniform(1e32, 1e33, (rows, m))
    n0 = np.full(rows, 1e24)
    h = rng.uniform(1e-12, 3e-12, rows)
    together = rk4_side_by_side(np.ascontiguousarray(g.T), a, b, c, h, n0, 2, 2).T
    for r in range(rows):
        one = slice(r, r + 1)
        alone = rk4_side_by_side(np.ascontiguousarray(g[one].T), a[one], b[one], c[one], h[one], n0[one], 2, 2)
        np.testing.assert_array_equal(alone[:, 0], together[r])
