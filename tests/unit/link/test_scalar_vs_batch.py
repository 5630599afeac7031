"""Every technology: a batch of lengths gives each point what a scalar call at that length gives.

The physics is elementwise, so BER, margin, energy and power agree to rounding; the maximum reach is a
root found from a starting point that uses every requested length of the lane (chain._reach_guess), so it
agrees to the solver's tolerance (twice SOLVER_RTOL: each solve stops within it of the root).
"""

from __future__ import annotations

import numpy as np
import pytest

from microlink.catalog import list_parameter_sets
from microlink.link.chain import SOLVER_RTOL, evaluate_link

REACH = [0.5, 2.0, 10.0]
FIELDS = ("ber", "ber_post_fec", "margin_db", "energy_per_bit", "power_per_end", "cost_per_end", "fit_per_end")


@pytest.mark.parametrize("name", list_parameter_sets())
def test_batch_points_equal_scalar_calls(name):
    batch = evaluate_link(name, aggregate_rate=1.6e12, reach=REACH)
    for i, length in enumerate(REACH):
        single = evaluate_link(name, aggregate_rate=1.6e12, reach=length)
        assert bool(single.feasible) == bool(np.asarray(batch.feasible)[i]), (name, length)
        for field in FIELDS:
            a, b = float(np.asarray(getattr(single, field))), float(np.asarray(getattr(batch, field))[i])
            assert a == pytest.approx(b, rel=1e-9, abs=1e-300), (name, length, field)
        a, b = float(single.max_reach), float(np.asarray(batch.max_reach)[i])
        assert a == pytest.approx(b, rel=2 * SOLVER_RTOL, abs=1e-9), (name, length, "max_reach")


def _assert_point(result_fields, single, fields, i, label):
    """Every leaf of a single-point result equals point ``i`` of a batch's leaves (to rounding)."""
    single = result_fields(single)
    assert single.keys() == fields.keys(), label
    for key, a in single.items():
        b = fields[key]
        if a is None or isinstance(a, str):
            assert a == b, (label, key)
            continue
        b = np.asarray(b)
        b = b[i] if b.ndim else b
        if np.asarray(a).dtype.kind == "b":
            assert bool(a) == bool(b), (label, key)
        else:
            assert float(a) == pytest.approx(float(b), rel=1e-9, abs=1e-300), (label, key)


@pytest.mark.parametrize("name", list_parameter_sets())
def test_every_reported_figure_of_a_batch_point_is_its_own(name, result_fields):
    """Not only the headline figures: every field and extra a batch reports for a point (penalties, noise,
    bandwidths, the latency breakdown, ...) is what the point reports alone, so no figure is the batch's."""
    batch = evaluate_link(name, aggregate_rate=1.6e12, reach=REACH, solve_reach=False)
    fields = result_fields(batch)
    for i, length in enumerate(REACH):
        single = evaluate_link(name, aggregate_rate=1.6e12, reach=length, solve_reach=False)
        _assert_point(result_fields, single, fields, i, (name, length))


def test_every_figure_of_a_microled_design_point_in_a_parameter_batch_is_its_own(result_fields):
    """The same over array-valued parameters: distinct LEDs, bias currents, lane rates and lengths."""
    from microlink.catalog import get_parameter_set

    rng = np.random.default_rng(11)
    n = 5
    dia, bias = rng.uniform(2e-6, 8e-6, n), rng.uniform(50e-6, 300e-6, n)
    reach, rate = rng.uniform(0.5, 30.0, n), rng.uniform(1e9, 5e9, n)
    base = get_parameter_set("lightbundle").parameters
    batch = evaluate_link(base.replace(led={"diameter": dia}, driver={"bias_current": bias}), reach=reach,
                          lane_rate=rate, solve_reach=False)
    fields = result_fields(batch)
    for i in range(n):
        p = base.replace(led={"diameter": float(dia[i])}, driver={"bias_current": float(bias[i])})
        single = evaluate_link(p, reach=float(reach[i]), lane_rate=float(rate[i]), solve_reach=False)
        _assert_point(result_fields, single, fields, i, i)


@pytest.mark.parametrize("field", ["fiber.adjacent_cores", "receiver.ffe_taps", "receiver.ffe_pre_taps"])
def test_a_structural_field_takes_one_whole_value_per_call(field):
    """How many neighbour cores the crosstalk sums and how many FFE taps are solved set how a batch is decided:
    arrays of several whole values are refused (one line naming the field), not decided with the largest."""
    from microlink.catalog import get_parameter_set
    from microlink.errors import ParameterError

    base = get_parameter_set("lightbundle").parameters
    sec, fname = field.split(".")
    values = {"adjacent_cores": [0.0, 6.0], "ffe_taps": [0.0, 5.0], "ffe_pre_taps": [0.0, 1.0]}[fname]
    if fname == "ffe_pre_taps":
        base = base.replace(receiver={"ffe_taps": 5.0})
    with pytest.raises(ParameterError, match=field.replace(".", r"\.")):
        evaluate_link(base.replace(**{sec: {fname: np.array(values * 2)}}), reach=np.array([1.0, 2.0, 3.0, 4.0]),
                      solve_reach=False)
    # one whole value, given as an array, is the scalar call
    same = evaluate_link(base.replace(**{sec: {fname: np.array([values[1]] * 2)}}), reach=np.array([1.0, 2.0]),
                         solve_reach=False)
    alone = evaluate_link(base.replace(**{sec: {fname: values[1]}}), reach=2.0, solve_reach=False)
    assert float(np.asarray(same.margin_db)[1]) == pytest.approx(float(alone.margin_db), rel=1e-9, abs=0.0)
