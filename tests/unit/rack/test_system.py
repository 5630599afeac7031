"""Aggregation of link results into system power, counts, cost and failures (with stand-in technologies)."""

import dataclasses
import math

import numpy as np
import pytest

from microlink.errors import ConfigError
from microlink.rack.assign import baseline, by_policy, choose, uniform
from microlink.rack.cluster import load_system
from microlink.rack.links import LinkEvaluator, catalog_sets, resolve_sets
from microlink.rack.system import compare, evaluate_system
from microlink.rack.testing import STUB_SETS, StubLink, stub_catalog
from microlink.rack.workload import load_workload


@pytest.fixture
def stubs():
    with stub_catalog(only=True) as sets:
        yield sets


def test_nvl72_arithmetic_with_copper_stand_in(stubs):
    t = load_system("nvl72")
    ev = LinkEvaluator().evaluate_all(t, ["stub-copper"])
    r = evaluate_system(t, uniform(t, ev, "stub-copper"), ev)
    c = r.classes[0]
    assert (c.links, c.link_ends, c.lanes, c.cables, c.fibers) == (1296, 2592, 5184, 5184, 0)
    per_end = 5.5e-12 * 400e9
    assert c.power_per_end_w == pytest.approx(per_end)
    assert r.link_power_w == pytest.approx(2592 * per_end)
    # the port SerDes are priced once, by the link model, and taken out of the cited gross powers
    from microlink.link.attach import host_port_serdes_power

    port = host_port_serdes_power(400e9)
    assert r.switch_power_w == pytest.approx(18 * (200.0 - 72 * port))
    non_ic = 116.4e3 - 1296 * port
    assert r.system_power_w == pytest.approx(non_ic + r.switch_power_w + r.link_power_w, rel=1e-9)
    # charging the link ends exactly the SerDes price gives back the cited 120 kW rack
    assert non_ic + r.switch_power_w + 2592 * port == pytest.approx(120e3, rel=1e-9)
    assert r.interconnect_share == pytest.approx(r.interconnect_power_w / r.system_power_w)
    assert r.energy_per_bit == pytest.approx(r.interconnect_power_w / (2 * 518.4e12), rel=1e-6, abs=0.0)
    assert r.failures_per_day == pytest.approx(2592 * 5.0 * 24 / 1e9)
    assert r.fit_per_link == pytest.approx(10.0)
    assert r.cost_usd == pytest.approx(2592 * c.cost_per_end_usd)
    assert r.cable_length_m == pytest.approx(5184 * t.link_class("spine").length.mean)


def test_optical_counts_use_lanes_and_fibers(stubs):
    t = load_system("nvl72")
    ev = LinkEvaluator().evaluate_all(t, ["stub-microled"])
    c = evaluate_system(t, uniform(t, ev, "stub-microled"), ev).classes[0]
    active, spare = 100, 25  # 400 Gb/s over 4 Gb/s lanes, 25 % spares
    assert c.cables == 1296 and c.lanes == 1296 * (active + spare) * 2 == c.fibers
    assert c.lanes_spare == 1296 * spare * 2
    assert not c.electrical


def test_one_link_call_per_set_and_cache(stubs):
    t = load_system("nvl576")
    evaluator = LinkEvaluator()
    evaluator.evaluate_all(t, list(STUB_SETS))
    assert evaluator.link_calls == len(STUB_SETS)
    evaluator.evaluate_all(t, list(STUB_SETS))
    assert evaluator.link_calls == len(STUB_SETS)


def test_feasibility_from_reach(stubs):
    t = load_system("nvl576")
    ev = LinkEvaluator().evaluate_all(t, list(STUB_SETS))
    assert ev["stub-copper"]["spine"].feasible and not ev["stub-copper"]["tier2"].feasible
    assert ev["stub-copper"]["tier2"].feasible_fraction == 0.0
    assert ev["stub-microled"]["tier2"].feasible and ev["stub-microled"]["tier2"].longest_feasible == 10.0
    partial = LinkEvaluator().evaluate_all(t, ["stub-copper"])
    del partial


def test_reach_estimate_interpolates_log_ber():
    from microlink.rack.links import reach_estimate

    lengths = np.array([1.0, 2.0, 3.0])
    target = np.full(3, 1e-12)
    assert reach_estimate(lengths, np.array([1e-20, 1e-14, 1e-10]), target) == pytest.approx(2.5)
    assert reach_estimate(lengths, np.array([1e-20, 1e-14, 1e-13]), target) == 3.0
    assert reach_estimate(lengths, np.array([1e-3, 1e-2, 1e-1]), target) == 0.0


def test_partial_reach_fraction():
    with stub_catalog({"short": StubLink("stub_x", False, 1e-12, 5.0)}, only=True):
        t = load_system("nvl576")
        ev = LinkEvaluator(bins=16).evaluate(t, "short")["tier2"]
        # triangular 2/4/10 m: P(L <= 5) = 1 - (10-5)^2 / ((10-2)(10-4)) = 0.479; the stand-in's BER is a
        # step at 5 m, so the interpolated reach lies between the bracketing bin medians
        assert not ev.feasible and ev.feasible_fraction == pytest.approx(0.479, abs=0.03)
        assert ev.longest_feasible <= 5.0


def test_policies(stubs):
    t = load_system("nvl576")
    ev = LinkEvaluator().evaluate_all(t, list(STUB_SETS))
    cheap = by_policy(t, ev, "cheapest")
    assert cheap.sets == {"spine": "stub-copper", "tier2": "stub-microled"} and not cheap.infeasible
    green = by_policy(t, ev, "lowest-energy")
    assert green.sets == {"spine": "stub-microled", "tier2": "stub-microled"}
    robust = by_policy(t, ev, "most-reliable")
    assert robust.sets == {"spine": "stub-copper", "tier2": "stub-microled"}
    fixed = by_policy(t, ev, "cheapest", fixed={"tier2": "stub-pluggable"})
    assert fixed.sets["tier2"] == "stub-pluggable"
    only_copper = by_policy(t, ev, "cheapest", candidates=["stub-copper"])
    assert only_copper.infeasible == ("tier2",)
    with pytest.raises(ConfigError, match="--policy"):
        choose("fastest", t.link_classes[0], ev["stub-copper"])


def test_baselines(stubs):
    t = load_system("nvl576")
    ev = LinkEvaluator().evaluate_all(t, list(STUB_SETS))
    available = catalog_sets()
    copper, _ = baseline(t, ev, "copper", available)
    assert set(copper.sets.values()) == {"stub-copper"} and copper.infeasible == ("tier2",)
    optics, _ = baseline(t, ev, "optics", available)
    assert optics.sets == {"spine": "stub-microled", "tier2": "stub-microled"}
    missing, why = baseline(t, ev, "as-built", available)
    assert missing is None and "dac" in why
    with pytest.raises(ConfigError, match="--baseline"):
        baseline(t, ev, "carrier-pigeon", available)


def test_compare_rows_and_deltas(stubs):
    c = compare(load_system("nvl72"), baseline="stub_copper")
    labels = [r.technology for r in c.rows]
    assert labels == ["stub-copper", "stub-microled", "stub-pluggable", "cheapest mix"]
    copper = c.rows[0]
    assert copper.delta_power_w == 0 and copper.delta_cost_usd == 0
    plug = c.rows[2]
    assert plug.delta_power_w == pytest.approx(2592 * (23e-12 - 5.5e-12) * 400e9)
    assert plug.delta_failures_per_day == pytest.approx(2592 * (500 - 5) * 24 / 1e9)
    # headline 8: a pluggable spine adds ~15 % of the rack's power
    assert plug.delta_power_w / 120e3 == pytest.approx(0.15, abs=0.01)
    d = c.to_dict()
    for key in ("system", "technology", "interconnect_power_w", "interconnect_share", "link_ends", "lanes",
                "cables", "cost_usd", "failures_per_day", "energy_per_step_j"):
        assert key in d["results"][0]
    df = c.to_dataframe()
    assert len(df) == 4 and {"technology", "name", "power_w"} <= set(df.columns)


def test_tech_selection(stubs):
    available = catalog_sets()
    assert resolve_sets("all", available) == sorted(STUB_SETS)
    assert resolve_sets("stub_microled,stub-copper", available) == ["stub-microled", "stub-copper"]
    with pytest.raises(ConfigError, match="--tech: got 'warp'"):
        resolve_sets("warp", available)


def test_fixed_assignment_and_bad_items(stubs):
    t = load_system("nvl576")
    c = compare(t, tech="stub-copper", fixed=["tier2=stub-microled"], policy=None, baseline="copper")
    assert c.rows[0].assignment == {"spine": "stub-copper", "tier2": "stub-microled"} and c.rows[0].feasible
    for item, needle in (("tier3=stub-copper", "class 'tier3'"), ("tier2=nope", "set 'nope'"), ("tier2", "CLASS=SET")):
        with pytest.raises(ConfigError, match=needle):
            compare(t, fixed=[item])


def test_workload_energy(stubs):
    t = load_system("nvl576")
    c = compare(t, tech="stub-microled", policy=None, baseline="stub-microled", workload=load_workload("llama3"))
    r = c.rows[0]
    w = r.workload
    assert w.job_gpus == 512 and w.job_share == pytest.approx(512 / 576)
    assert w.energy_per_step_j == pytest.approx(r.interconnect_power_w * 512 / 576 * w.step_time_s)
    assert w.gpu_energy_per_step_j == pytest.approx(512 * 1200 * w.step_time_s)
    assert w.step_energy_share == pytest.approx(w.energy_per_step_j / (w.energy_per_step_j + w.gpu_energy_per_step_j))
    spine, tier2 = r.classes
    scale_up = c.traffic.bytes_sent("scale-up")
    assert spine.bytes_per_step == pytest.approx(2 * scale_up)
    assert tier2.bytes_per_step == pytest.approx(2 * 0.875 * scale_up)
    assert w.traffic_energy_per_step_j == pytest.approx(
        8 * (spine.bytes_per_step * spine.energy_per_bit + tier2.bytes_per_step * tier2.energy_per_bit))
    assert 0 < spine.utilisation < 1
    assert r.failures_per_job == pytest.approx(r.failures_per_day * w.job_days * w.job_share)
    assert r.energy_per_step_j == w.energy_per_step_j


def test_workload_must_fit_without_fill(stubs):
    with pytest.raises(ConfigError, match="needs 16384 GPUs"):
        compare(load_system("nvl576"), workload=load_workload("llama3"), fill=False)


def test_options_validated(stubs):
    t = load_system("nvl72")
    for kwargs, needle in (({"bins": 0}, "--bins"), ({"target_ber": 2.0}, "--target-ber"),
                           ({"job_days": -1}, "--job-days"), ({"gpu_power": 0}, "--gpu-power"),
                           ({"policy": "greedy"}, "--policy")):
        with pytest.raises(ConfigError, match=needle):
            compare(t, **kwargs)


def test_works_with_the_real_catalog():
    """Whatever technologies exist: every set evaluates on NVL72 with finite power and cost."""
    t = load_system("nvl72")
    c = compare(t, policy="cheapest")
    assert len(c.rows) == len(catalog_sets()) + 1
    for r in c.rows:
        assert math.isfinite(r.interconnect_power_w) and r.interconnect_power_w > r.switch_power_w
        assert r.link_ends == 2592 and r.cost_usd > 0 and r.failures_per_day > 0


def test_microled_lane_sparing_enters_failures_through_fit_per_end():
    """Spare lanes lower the link's FIT; the rack layer sees it only through fit_per_end."""
    from microlink.catalog import get_parameter_set

    base = get_parameter_set("lightbundle").parameters
    variants = {"spared": base, "unspared": base.replace(lanes={"spare_fraction": 0.0})}
    with stub_catalog(variants, only=True):
        c = compare(load_system("nvl72"), policy=None, baseline="spared")
    rows = {r.technology: r for r in c.rows}
    assert rows["spared"].lanes_spare > 0 and rows["unspared"].lanes_spare == 0
    assert rows["unspared"].fit_per_link > rows["spared"].fit_per_link
    assert rows["unspared"].delta_failures_per_day > 0


class _Rejecting(StubLink):
    def evaluate(self, *args, **kwargs):
        from microlink.errors import ParameterError

        raise ParameterError("aggregate_rate", "1600 Gb/s", "<= 800 Gb/s")


def test_a_set_whose_model_rejects_the_system_is_left_out_with_a_note():
    sets = {"ok": StubLink("stub_copper"), "picky": _Rejecting("stub_optics", False)}
    with stub_catalog(sets, only=True):
        c = compare(load_system("nvl72"), baseline="ok")
        assert [r.technology for r in c.rows] == ["ok", "cheapest mix"]
        assert any("picky left out" in n and "aggregate_rate" in n for n in c.notes)
        with pytest.raises(ConfigError, match="none of picky"):
            compare(load_system("nvl72"), tech="picky", baseline="ok")


@dataclasses.dataclass(frozen=True)
class _Labelled(StubLink):
    """A family whose results carry a finer label than the parameter object (like DSP vs linear pluggables)."""

    label: str = "dsp_pluggable"

    def evaluate(self, *args, **kwargs):
        return dataclasses.replace(super().evaluate(*args, **kwargs), technology=self.label)


def test_technologies_named_by_their_results():
    sets = {"copper": StubLink("dac"),
            "dsp": _Labelled("pluggable", False, 23e-12, 500.0, label="dsp_pluggable"),
            "linear": _Labelled("pluggable", False, 12e-12, 500.0, label="lpo")}
    with stub_catalog(sets, only=True):
        assert resolve_sets("dsp_pluggable") == ["dsp"]
        assert resolve_sets("pluggable") == ["dsp", "linear"]
        c = compare(load_system("nvl576"), tech="copper", policy=None)  # tier2's as-built baseline: dsp_pluggable
        assert c.baseline is not None and c.baseline.assignment == {"spine": "copper", "tier2": "dsp"}


def test_as_built_baseline_prefers_the_class_lane_plan():
    """NVL72 runs 2 x 200 Gb/s per link: a cheaper 4 x 100 Gb/s copper set must not stand in for it."""
    sets = {"dac-100": StubLink("dac", True, 5.0e-12, 3.0, 0.01, lane_rate=100e9),
            "dac-200": StubLink("dac", True, 5.5e-12, 1.0, 0.05, lane_rate=200e9)}
    with stub_catalog(sets, only=True):
        c = compare(load_system("nvl72"), policy=None)
    assert c.baseline.assignment == {"spine": "dac-200"}
    assert c.baseline.infeasible_classes == ("spine",)  # 1 m reach < 1.2 m longest cable: shown, not hidden
    assert c.baseline.cables == 5184
