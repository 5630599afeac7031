"""Every technology: a batch of lengths gives each point what a scalar call at that length gives.

The physics is elementwise, so BER, margin, energy and power agree to rounding; the maximum reach is a
root found from a starting point that uses every requested length of the lane (chain._reach_guess), so it
agrees to the solver's tolerance (twice SOLVER_RTOL: each solve stops within it of the root).
"""

from __future__ import annotations

import numpy as np
import pytest

from microlink.catalog import get_parameter_set, list_parameter_sets
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


@pytest.mark.parametrize("name", list_parameter_sets())
def test_every_reported_figure_of_a_batch_point_is_its_own(name, assert_batch_point):
    """Not only the headline figures: every field and extra a batch reports for a point (penalties, noise,
    bandwidths, the latency breakdown, ...) is what the point reports alone, so no figure is the batch's."""
    batch = evaluate_link(name, aggregate_rate=1.6e12, reach=REACH, solve_reach=False)
    for i, length in enumerate(REACH):
        single = evaluate_link(name, aggregate_rate=1.6e12, reach=length, solve_reach=False)
        assert_batch_point(single, batch, i, (name, length))


def test_every_figure_of_a_microled_design_point_in_a_parameter_batch_is_its_own(assert_batch_point):
    """The same over array-valued parameters: distinct LEDs, bias currents, lane rates and lengths."""
    from microlink.catalog import get_parameter_set

    rng = np.random.default_rng(11)
    n = 5
    dia, bias = rng.uniform(2e-6, 8e-6, n), rng.uniform(50e-6, 300e-6, n)
    reach, rate = rng.uniform(0.5, 30.0, n), rng.uniform(1e9, 5e9, n)
    base = get_parameter_set("lightbundle").parameters
    batch = evaluate_link(base.replace(led={"diameter": dia}, driver={"bias_current": bias}), reach=reach,
                          lane_rate=rate, solve_reach=False)
    for i in range(n):
        p = base.replace(led={"diameter": float(dia[i])}, driver={"bias_current": float(bias[i])})
        single = evaluate_link(p, reach=float(reach[i]), lane_rate=float(rate[i]), solve_reach=False)
        assert_batch_point(single, batch, i, i)


@pytest.mark.parametrize("field", ["fiber.adjacent_cores", "receiver.ffe_taps", "receiver.ffe_pre_taps"])
def test_a_structural_field_is_decided_one_whole_value_at_a_time(field):
    """How many neighbour cores the crosstalk sums and how many FFE taps are solved set how a decision is built:
    a batch of several whole values gives each point its own structure (not the batch's largest)."""
    from microlink.catalog import get_parameter_set

    base = get_parameter_set("lightbundle").parameters
    sec, fname = field.split(".")
    values = {"adjacent_cores": [0.0, 6.0], "ffe_taps": [0.0, 5.0], "ffe_pre_taps": [0.0, 1.0]}[fname]
    if fname == "ffe_pre_taps":
        base = base.replace(receiver={"ffe_taps": 5.0})
    reach = np.array([1.0, 2.0, 3.0, 4.0])
    batch = evaluate_link(base.replace(**{sec: {fname: np.array(values * 2)}}), reach=reach, solve_reach=False)
    margins = [float(evaluate_link(base.replace(**{sec: {fname: v}}), reach=float(r), solve_reach=False).margin_db)
               for v, r in zip(values * 2, reach)]
    assert len({round(m, 6) for m in margins}) == 4  # the structures differ, so the test can fail
    np.testing.assert_allclose(np.asarray(batch.margin_db), margins, rtol=1e-9, atol=0.0)


def _perturbed(value, meta):
    """A value of a field near its default and inside its bounds: one step for a whole number, 3 % else."""
    v = float(value)
    lo, hi = meta["bounds"]
    if v == 0.0:
        return v
    if isinstance(value, (int, np.integer)):
        return v + 1.0 if v + 1.0 <= hi else v - 1.0
    return v * 1.03 if lo <= v * 1.03 <= hi else v * 0.97


def _three_points(base, skip=()):
    """Every numeric field (but ``skip``) as an array over three points, the defaults, every field moved and
    every other field moved: ``(columns, [scalar changes of each point])``."""
    from microlink.parameters import numeric_fields

    columns, alone = {}, [{}, {}, {}]
    k = 0
    for sec_name, sec in base.sections().items():
        info = type(sec).field_info()
        for fname in numeric_fields(type(sec)):
            if (sec_name, fname) in skip:
                continue
            v = getattr(sec, fname)
            moved = _perturbed(v, info[fname])
            row = [float(v), moved, moved if k % 2 else float(v)]
            columns.setdefault(sec_name, {})[fname] = np.array(row)
            for i in range(3):
                alone[i].setdefault(sec_name, {})[fname] = row[i]
            k += 1
    return columns, alone


@pytest.mark.parametrize("name", list_parameter_sets())
def test_every_numeric_parameter_as_an_array_gives_each_point_its_scalar_result(name, assert_batch_point):
    """Every numeric field of every section an array over three points. Each point reports every figure its
    scalar call reports: what the stages broadcast over is decided per point, what they take one value of
    (grouped fields, scalar-only stages) is run one value at a time by the chain."""
    from microlink.catalog import get_parameter_set

    base = get_parameter_set(name).parameters
    columns, alone = _three_points(base)
    reach = np.array([0.5, 0.6, 0.7])
    batch = evaluate_link(base.replace(**columns), reach=reach, solve_reach=False)
    for i in range(3):
        single = evaluate_link(base.replace(**alone[i]), reach=float(reach[i]), solve_reach=False)
        assert_batch_point(single, batch, i, (name, i))


@pytest.mark.parametrize("name", [n for n in list_parameter_sets()
                                  if type(get_parameter_set(n).parameters).supports_parameter_arrays])
def test_a_vectorised_technology_decides_distinct_parameters_in_one_batch(name, assert_batch_point, run_flat_sizes):
    """Where a technology broadcasts over its parameters, three points whose every field but the grouped ones
    differ run as one batch (one pass of the chain, reach solved), and each point is still its scalar call
    (the maximum reach to the solver's tolerance)."""
    base = get_parameter_set(name).parameters
    columns, alone = _three_points(base, skip=set(base.grouped_keys()))
    reach = np.array([0.5, 0.6, 0.7])
    batch = evaluate_link(base.replace(**columns), reach=reach)
    assert run_flat_sizes == [3]
    for i in range(3):
        single = evaluate_link(base.replace(**alone[i]), reach=float(reach[i]))
        assert_batch_point(single, batch, i, (name, i), reach_rtol=2 * SOLVER_RTOL)
