"""Every command's options under hostile and edge input: exit 0 or 2, one line, finite JSON, accepted == used."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.units import parse_quantity

from fuzz_support import DEADLINE_S, plain_numbers, quantities, run_cli

PRESETS = st.one_of(st.sampled_from(["lightbundle", "mosaic", "dac-200g", "vcsel-npo", "siph-cpo", "generic-microled"]),
                    st.text(max_size=12))


def _timed(*args, allowed=(0, 2)):
    t0 = time.perf_counter()
    out = run_cli(*args, allowed=allowed)
    assert time.perf_counter() - t0 < DEADLINE_S, f"{args!r} took longer than {DEADLINE_S} s"
    return out


def _used(text, unit):
    try:
        return parse_quantity(text, unit, field="x")
    except Exception:  # noqa: BLE001 - the command must then have refused it
        return None


@given(reach=quantities("m"), preset=st.sampled_from(["lightbundle", "mosaic", "dac-200g"]))
def test_eye_reach(reach, preset):
    code, _, _, doc = _timed("eye", "--preset", preset, "--reach", reach, "--format", "json")
    if code == 0 and reach.strip():  # an empty option means "the set's reach"
        assert doc["reach_m"] == _used(reach, "m")  # what was accepted is what was used
        assert all(h >= 0 for h in doc["eye_height"]) and all(0 <= w <= 1 for w in doc["eye_width_ui"])
        assert doc["seed"] is not None


@given(lane_rate=quantities("b/s"), target=plain_numbers.map(str), rj=plain_numbers.map(str))
def test_eye_options(lane_rate, target, rj):
    _timed("eye", "--lane-rate", lane_rate, "--target-ber", target, "--rj", rj, "--format", "json")


@given(method=st.sampled_from(["closed-form", "statistical", "importance", "nonesuch"]),
       bits=st.one_of(st.sampled_from(["1e4", "inf", "nan", "1e20", "0", "1.5", "99999999999999999999", "-1"]),
                      st.text(max_size=8)),
       fec=st.sampled_from(["none", "kp4", "kr4", "hamming", "x"]), reach=quantities("m"))
def test_ber_options(method, bits, fec, reach):
    code, _, _, doc = _timed("ber", "--method", method, "--bits", bits, "--fec", fec, "--reach", reach,
                             "--precision", "0.5", "--format", "json")
    if code == 0:
        assert not reach.strip() or doc["reach_m"] == _used(reach, "m")
        assert 0 <= doc["ber"] <= 0.5


@given(name=st.one_of(PRESETS, st.none()), assumptions=st.booleans())
def test_catalog(name, assumptions):
    args = ["catalog"] + ([name] if name is not None else []) + (["--assumptions"] if assumptions else [])
    _timed(*args, "--format", "json")


@given(seed=st.one_of(st.integers(-10, 10), st.sampled_from([2**63, 2**64, -(2**63)])).map(str))
def test_seed_bounds(seed):
    code, _, _, doc = _timed("eye", "--seed", seed, "--format", "json")
    if code == 0:
        assert doc["seed"] == int(seed)


@given(path=st.sampled_from(["/proc/x.png", "x" * 300 + ".png", "nodir/x.png", "x.txt", "[bold]x[/].png", ""]))
def test_plot_paths(path):
    _timed("eye", "--plot", path, "--format", "json")


@given(rate=quantities("b/s"), reach=quantities("m"))
def test_link_rate_and_reach(rate, reach):
    code, _, _, doc = _timed("link", "--rate", rate, "--reach", reach, "--format", "json")
    if code == 0 and reach.strip():  # an empty option means "the default"
        assert math.isclose(doc["reach_m"], _used(reach, "m"))
        assert doc["max_reach_m"] is None or math.isfinite(doc["max_reach_m"])


@given(sql=st.one_of(st.sampled_from([
    "SELECT * FROM read_csv('/etc/passwd')", "SELECT 1; SELECT 2", "", "COPY runs TO 'x.csv'", "INSTALL httpfs",
    "SELECT * FROM glob('/*')", "SELECT * FROM runs", "PRAGMA version", "SELECT 1/0", "SELECT 'x' || NULL",
]), st.text(max_size=40)), limit=st.sampled_from(["1", "50", "0", "-1", "99999999999999999999"]))
def test_results_query(tmp_path_factory, sql, limit):
    from microlink.sweep.store import ResultStore

    path = tmp_path_factory.getbasetemp() / "fuzz-store.duckdb"
    if not path.exists():
        ResultStore(path).close()
    code, out, _, _ = _timed("results", "query", sql, "--store", path, "--limit", limit)
    if "passwd" in sql or "glob" in sql:
        assert code == 2 and "root:" not in out


@settings(max_examples=10)
@given(store=st.sampled_from(["nonexistent.duckdb", "/dev/zero", "/", "x" * 300]),
       sub=st.sampled_from(["list", "show", "export", "pareto"]))
def test_results_bad_stores(store, sub):
    args = {"list": ["results", "list"], "show": ["results", "show", "latest"],
            "export": ["results", "export", "latest", "--parquet", "o.parquet"],
            "pareto": ["results", "pareto", "latest", "--objectives", "energy_per_bit_pj:min"]}[sub]
    _timed(*args, "--store", store)


@pytest.mark.fuzz
@given(gpus=st.one_of(st.integers(-5, 10**7), st.sampled_from([2**63, 0, 1])).map(str),
       system=st.sampled_from(["gb200-rail", "gb200-fat-tree", "nonesuch", "/dev/zero", "/"]))
def test_cluster(gpus, system):
    _timed("cluster", "--gpus", gpus, "--system", system, "--format", "json")


@pytest.mark.fuzz
@given(system=st.sampled_from(["nvl72", "nvl576", "nonesuch", "/dev/zero", "/tmp"]),
       gpu_power=quantities("m"), tech=st.sampled_from(["all", "lightbundle", "dac-200g", "x"]))
def test_rack(system, gpu_power, tech):
    _timed("rack", "--system", system, "--gpu-power", gpu_power, "--tech", tech, "--format", "json")
