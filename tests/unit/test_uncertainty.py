"""Uncertainty propagation: bands, feasibility, tornado, Sobol' ranking, inverse queries, executors."""

import numpy as np
import pytest

from microlink import uncertainty as u
from microlink.catalog import get_parameter_set
from microlink.errors import ParameterError
from microlink.parameters import Range, Source

SRC = Source("test spread", "assumption", "symmetric test range")
SW = 20e-9  # lightbundle spectral width [m]


def test_draws_are_seeded_latin_hypercube_and_groups_share_a_quantile():
    ranges = {"a.x": Range(0.0, 1.0), "b.y": Range(10.0, 20.0, group="g"),
              "c.z": Range(1.0, 2.0, group="g", inverse=True)}
    d1, d2, d3 = u.draw(ranges, 64, seed=5), u.draw(ranges, 64, seed=5), u.draw(ranges, 64, seed=6)
    assert d1.seed == 5 and d1.dimensions == ("a.x", "group:g")
    np.testing.assert_array_equal(d1.values["a.x"], d2.values["a.x"])
    assert not np.array_equal(d1.values["a.x"], d3.values["a.x"])
    # one sample in each of the 64 strata
    assert sorted(np.floor(d1.values["a.x"] * 64).astype(int)) == list(range(64))
    qy = (d1.values["b.y"] - 10.0) / 10.0
    qz = (d1.values["c.z"] - 1.0)
    np.testing.assert_allclose(qy, 1.0 - qz, atol=1e-12)


def test_bands_are_ordered_and_keys_present():
    r = u.link_bands("lightbundle", samples=64, seed=3)
    d = r.to_dict()
    for m in u.METRICS:
        assert d[f"{m}_p10"] <= d[f"{m}_p50"] <= d[f"{m}_p90"], m
    assert 0.0 <= d["p_feasible"] <= 1.0 and d["seed"] == 3 and d["samples"] == 64
    assert d["vectorised"] is True
    assert "led.spectral_width" in d["ranges"]


def test_p50_of_a_symmetric_range_brackets_the_point_estimate():
    n = 128
    rng = {"led.spectral_width": Range(15e-9, 25e-9, source=SRC)}
    r = u.link_bands("lightbundle", samples=n, seed=11, ranges=rng)
    # max reach falls with spectral width: the sample median lies between the outputs at the quantiles
    # either side of the middle stratum, which bracket the point value (the range's median)
    lo_q, hi_q = rng["led.spectral_width"].ppf([0.5 - 1.0 / n, 0.5 + 1.0 / n])
    assert rng["led.spectral_width"].centre == pytest.approx(SW, rel=1e-6, abs=0.0)
    p = get_parameter_set("lightbundle")
    ends = u._evaluate_metrics(p.parameters, {"led.spectral_width": np.array([lo_q, hi_q])}, r.request, True)
    reach_at = ends["max_reach_m"]
    assert min(reach_at) <= r.bands["max_reach_m"].p50 <= max(reach_at)
    assert min(reach_at) <= r.point["max_reach_m"] <= max(reach_at)
    assert r.bands["max_reach_m"].p10 <= r.point["max_reach_m"] <= r.bands["max_reach_m"].p90


def test_feasibility_probability_agrees_with_the_reach_band():
    r = u.link_bands("lightbundle", samples=64, seed=2)
    reach = r.request["reach"]
    frac_reach = np.mean(r.outputs["max_reach_m"] >= reach)
    assert r.p_feasible == pytest.approx(frac_reach, abs=2.0 / 64)


def test_tornado_names_fields_with_low_and_high_results():
    # a set that closes a link, so the reach swings (the micro-LED presets close no length, see README)
    entries = u.tornado("dac-200g")
    assert entries and all("." in e.field for e in entries)
    e = {x.field: x for x in entries}["cable.conductor_excess"]
    assert e.low == pytest.approx(1.0) and e.high == pytest.approx(1.35)
    assert e.at_low["max_reach_m"] > e.at_high["max_reach_m"]  # a lossier conductor reaches less far
    swings = [x.swing("max_reach_m") for x in entries]
    assert swings[0] == max(swings) > 0


def test_tornado_of_a_link_that_closes_nowhere_is_flat_in_reach_but_not_in_margin():
    entries = u.tornado("lightbundle")
    e = {x.field: x for x in entries}["led.spectral_width"]
    assert e.at_low["max_reach_m"] == e.at_high["max_reach_m"] == 0.0
    assert e.at_low["margin_db"] != e.at_high["margin_db"]


def test_sobol_ranks_the_dominant_field_first():
    ranges = {"cable.conductor_excess": Range(1.0, 1.35), "economics.cable_cost_per_m": Range(20.0, 60.0)}
    s = u.sobol_ranking("dac-200g", base_samples=16, ranges=ranges)
    assert s["max_reach_m"][0].dimension == "cable.conductor_excess"
    cost = {x.dimension: x for x in s["max_reach_m"]}["economics.cable_cost_per_m"]
    assert abs(cost.st) < 0.05  # cable price does not move the reach


def test_solve_for_reports_an_edge_that_meets_the_requirement():
    s = u.solve_for("dac-200g", "cable.conductor_excess", reach=1.2)
    assert s.status == "solved" and s.feasible_side == "below"
    p = get_parameter_set("dac-200g")
    ok = u._evaluate_metrics(p.parameters, {"cable.conductor_excess": np.array([s.value * 0.999, s.value * 1.02])},
                             s.request, u.supports_parameter_arrays(p.parameters), solve_reach=False)["feasible"]
    assert ok[0] == 1.0 and ok[1] == 0.0


def test_solve_for_says_when_no_value_in_the_bounds_reaches():
    s = u.solve_for("lightbundle", "led.spectral_width", reach=50.0, lane_rate=2e9)
    if s.status == "unreachable":
        assert s.limiting_bound in ("lower", "upper") and s.value is None
        assert "not reachable" in s.message
    else:  # the model may close 50 m at a narrow enough spectrum
        assert s.status == "solved" and s.value < SW


def test_bad_requests_name_the_field():
    with pytest.raises(ParameterError, match="samples"):
        u.link_bands("lightbundle", samples=0)
    with pytest.raises(ParameterError, match="executor"):
        u.link_bands("lightbundle", samples=4, executor="gpu")
    with pytest.raises(ParameterError, match="field"):
        u.solve_for("lightbundle", "led.nosuch", reach=10.0)


def test_competitor_bands_loop_over_samples_and_say_so():
    r = u.link_bands("dac-200g", samples=4, seed=1, ranges={"cable.conductor_excess": Range(1.0, 1.35)})
    assert r.vectorised is u.supports_parameter_arrays(get_parameter_set("dac-200g").parameters)
    assert r.bands["max_reach_m"].p10 <= r.bands["max_reach_m"].p90


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["processes", "dask"])
def test_bands_identical_on_every_executor(executor):
    kw = dict(samples=48, seed=7, chunk_size=16)
    serial = u.link_bands("lightbundle", **kw)
    other = u.link_bands("lightbundle", executor=executor, workers=2, **kw)
    for m in u.METRICS:
        np.testing.assert_array_equal(serial.outputs[m], other.outputs[m])
    assert serial.to_dict()["max_reach_m_p50"] == other.to_dict()["max_reach_m_p50"]


def test_array_support_is_the_declared_class_attribute():
    from microlink.catalog import list_parameter_sets
    from microlink.link.base import SectionedLink

    for name in list_parameter_sets():
        params = get_parameter_set(name).parameters
        assert isinstance(params, SectionedLink), name
        assert u.supports_parameter_arrays(params) is bool(type(params).supports_parameter_arrays), name
    assert u.supports_parameter_arrays(get_parameter_set("lightbundle").parameters) is True

    class Stand:  # evaluate/sections duck type, not a SectionedLink: declares nothing
        technology = "microled"
        supports_parameter_arrays = True

        def sections(self):
            return {}

        def evaluate(self, *a, **k):
            raise AssertionError

    assert u.supports_parameter_arrays(Stand()) is False
    assert u.supports_parameter_arrays("lightbundle") is False


def test_samples_run_one_at_a_time_only_where_a_ranged_field_is_grouped():
    from microlink.catalog import get_parameter_set, list_parameter_sets
    from microlink.uncertainty import runs_per_sample

    for name in list_parameter_sets():  # every catalog range is a field the stages broadcast over
        ps = get_parameter_set(name)
        assert runs_per_sample(ps.parameters, ps.ranges) is False, name
    dac = get_parameter_set("dac-200g")
    assert runs_per_sample(dac.parameters, {**dac.ranges, "serdes.random_jitter": None}) is True
    assert runs_per_sample("not a link", {}) is True
