"""The device-to-market chain: roadmap mix, derived pool, logit/Bass competition, user scenario files."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.errors import ConfigError, MicrolinkError, ParameterError
from microlink.market.competition import LENGTH_GRID, TechnologyCost, calibrate_preference, compete, load_competition
from microlink.market.scenarios import load_scenario, run_scenario
from microlink.market.uncertainty import Range
from microlink.rack.generations import (
    DEFAULT_ROADMAP,
    derive_pool,
    parse_link_override,
    roadmap_mix,
)

YEARS = np.arange(2026, 2036)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1990, 2100), min_size=1, max_size=20))
def test_roadmap_mix_rows_are_shares(years):
    names, mix = roadmap_mix(years)
    assert mix.shape == (len(years), len(names))
    assert np.all(mix >= 0)
    np.testing.assert_allclose(mix.sum(axis=-1), 1.0)


def test_roadmap_rejects_shares_not_summing_to_one():
    bad = (DEFAULT_ROADMAP[0].__class__(2026, {"gb200-nvl72": 0.5}, DEFAULT_ROADMAP[0].source),)
    with pytest.raises(ParameterError, match="summing to 1"):
        roadmap_mix(YEARS, bad)


@pytest.fixture(scope="module")
def pool():
    return derive_pool(YEARS)


def test_derived_pool_is_a_fraction_with_its_inputs(pool):
    f = pool.fraction_beyond_copper
    assert f.shape == YEARS.shape and np.all((f >= 0) & (f <= 1))
    d = pool.to_dict()
    assert d["inputs"]["copper_parameter_set"] == "dac-200g"
    assert set(d["inputs"]["topology_mix"]) == set(pool.topologies)
    lengths, weights = pool.beyond_lengths()
    np.testing.assert_allclose(weights.sum(axis=-1)[f > 0], 1.0)
    # every length in the pool lies beyond the copper reach of its class
    for p in pool.pools.values():
        for c in p.classes:
            assert all(x >= c.copper.max_reach - 1e-9 for x in c.beyond_lengths)


def test_copper_loss_override_changes_the_pool(pool):
    worse = derive_pool(YEARS, overrides=[parse_link_override("dac-200g:cable.conductor_excess=1.8")])
    assert np.all(worse.fraction_beyond_copper >= pool.fraction_beyond_copper - 1e-12)
    assert np.any(worse.fraction_beyond_copper > pool.fraction_beyond_copper + 1e-6)


@pytest.mark.parametrize("text", ["dac-200g.cable.x=1", "dac-200g:cable=1", ":cable.x=1", "dac-200g:cable.x="])
def test_link_override_form_is_checked(text):
    with pytest.raises(ParameterError, match="SET:section.field=VALUE"):
        parse_link_override(text)


def test_unknown_link_field_is_one_clear_error(pool):
    with pytest.raises(MicrolinkError, match="cable"):
        derive_pool(YEARS, overrides=[parse_link_override("dac-200g:cable.no_such_field=1")])


def _synthetic_costs(spec, capex):
    """Feasible everywhere (the incumbent) or up to 5 m, flat costs: no link calls."""
    out = {}
    for k, t in enumerate(spec.technologies):
        feasible = np.ones_like(LENGTH_GRID, dtype=bool) if t.name == spec.incumbent else LENGTH_GRID <= 5.0
        out[t.name] = TechnologyCost(t.parameter_set, t.name, LENGTH_GRID, feasible,
                                     np.full(LENGTH_GRID.shape, capex[k]), np.full(LENGTH_GRID.shape, 0.01),
                                     np.full(LENGTH_GRID.shape, 50.0))
    return out


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 10.0), st.lists(st.floats(10.0, 5000.0), min_size=6, max_size=6),
       st.lists(st.floats(-5, 5), min_size=6, max_size=6))
def test_shares_of_one_pool_sum_to_one(pool, sensitivity, capex, prefs):
    spec = load_competition().with_value("sensitivity", sensitivity)
    for t, p in zip(spec.names, prefs):
        spec = spec.with_value(f"{t}.preference", p)
    r = compete(spec, pool, np.full(YEARS.shape, 1e6), costs=_synthetic_costs(spec, capex))
    np.testing.assert_allclose(r.pool_share.sum(axis=0) + r.unserved_share, 1.0, atol=1e-9)
    assert np.all(r.pool_share >= -1e-12)
    np.testing.assert_allclose(r.scaleup_share.sum(axis=0) + r.copper_share
                               + r.unserved_share * (1 - r.copper_share), 1.0, atol=1e-9)


def test_cheaper_technology_wins_more(pool):
    spec = load_competition()
    capex = [600.0, 300.0, 900.0, 1500.0, 1600.0, 2500.0]
    base = compete(spec, pool, np.full(YEARS.shape, 1e6), costs=_synthetic_costs(spec, capex))
    capex[0] = 400.0
    cheaper = compete(spec, pool, np.full(YEARS.shape, 1e6), costs=_synthetic_costs(spec, capex))
    later = YEARS >= 2028
    assert np.all(cheaper.pool_share[0, later] > base.pool_share[0, later])


def test_calibration_hits_the_anchor_and_says_what_it_implies(pool):
    spec = load_competition()
    ends = np.full(YEARS.shape, 5e7)
    costs = _synthetic_costs(spec, [600.0, 300.0, 900.0, 1500.0, 1600.0, 2500.0])
    import microlink.market.competition as comp

    saved = dict(comp._COST_CACHE)
    try:
        for t in spec.technologies:  # make the calibration use the synthetic costs
            comp._COST_CACHE[(t.parameter_set, spec.module_rate, (), tuple(sorted(
                comp.TcoAssumptions().to_dict().items())))] = costs[t.name]
        solved, record = calibrate_preference(spec, pool, ends)
    finally:
        comp._COST_CACHE.clear()
        comp._COST_CACHE.update(saved)
    assert record["achieved_usd"] == pytest.approx(848e6, rel=1e-8)
    assert record["tco_equivalent_factor"] == pytest.approx(np.exp(-record["value"] / spec.sensitivity))
    assert "TCO" in record["implies"]


def test_competition_file_is_validated():
    import copy

    from microlink.market.competition import _shipped

    data = copy.deepcopy(_shipped())
    data["technologies"]["microled"]["colour"] = "blue"
    with pytest.raises(ConfigError, match="unknown key"):
        load_competition(data)
    data = copy.deepcopy(_shipped())
    del data["technologies"]["aec"]["price_decline"]["citation"]
    with pytest.raises(ConfigError, match="source"):
        load_competition(data)


def test_user_scenario_file_is_validated_like_shipped(tmp_path):
    good = tmp_path / "mine.yaml"
    good.write_text(
        "technology: micro-LED CPO\n"
        "scenarios:\n"
        "  cheap:\n"
        "    extends: base\n"
        "    title: cheaper modules\n"
        "    assumptions:\n"
        "      asp_initial: {value: 450 USD, range: [300 USD, 600 USD], kind: assumption, "
        "citation: my estimate, note: a guess}\n")
    sc = load_scenario(str(good))
    assert sc.name == "cheap" and sc.assumptions.asp_initial == 450.0
    assert load_scenario(f"{good}:cheap").name == "cheap"
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenarios:\n  x:\n    extends: base\n    assumptions:\n      asp_initial: {value: 450 USD}\n")
    with pytest.raises(ConfigError, match="source"):
        load_scenario(str(bad))
    with pytest.raises(ParameterError, match="scenario file"):
        load_scenario(str(tmp_path / "missing.yaml"))


def test_overrides_are_held_fixed_unless_given_a_range():
    r = run_scenario("base", overrides={"asp_initial": "500 USD"}, samples=50, seed=1)
    assert "asp_initial" not in r.bands.varied
    r = run_scenario("base", overrides={"asp_initial": "500 USD"}, samples=50, seed=1,
                     extra_ranges={"asp_initial": Range(400.0, 700.0, "uniform")})
    assert "asp_initial" in r.bands.varied
    assert "asp_initial" in [row["parameter"] for row in r.sensitivity.rows]
