"""Scenario files: complete, sourced, calibrated, inheritable; the orchestrator."""

from importlib import resources

import numpy as np
import pytest
import yaml

from microlink.errors import ParameterError
from microlink.market import MarketAssumptions, list_scenarios, load_scenario, run_scenario
from microlink.parameters import SOURCE_KINDS


def _files():
    data = resources.files("microlink.market").joinpath("data")
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in data.iterdir() if p.name.endswith(".yaml")}


def test_shipped_scenarios():
    names = list_scenarios()
    assert {"base", "bear", "bull", "aec"} <= set(names)
    assert "example" in names["aec"].lower()


def test_every_assumption_in_the_files_is_sourced():
    for fname, doc in _files().items():
        for name, spec in doc["scenarios"].items():
            for field, fspec in spec.get("assumptions", {}).items():
                assert fspec["kind"] in SOURCE_KINDS, (fname, name, field)
                assert fspec["citation"], (fname, name, field)
                if fspec["kind"] == "assumption":
                    assert len(fspec.get("note", "")) > 20, (fname, name, field)


def test_base_file_lists_every_field_and_matches_class_defaults():
    base = _files()["microled_cpo.yaml"]["scenarios"]["base"]
    assert set(base["assumptions"]) == set(MarketAssumptions.field_info())
    sc = load_scenario("base")
    defaults = MarketAssumptions()
    for name in MarketAssumptions.field_info():
        if name == sc.calibration.parameter:
            assert getattr(defaults, name) == pytest.approx(sc.calibration.value, rel=0.02)
        else:
            assert getattr(sc.assumptions, name) == pytest.approx(getattr(defaults, name)), name


def test_bear_and_bull_inherit_the_calibrated_share():
    base, bear, bull = (load_scenario(n) for n in ("base", "bear", "bull"))
    assert bear.assumptions.market_potential == base.assumptions.market_potential
    assert bear.calibration is None and "calibrated in scenario 'base'" in bear.sources["market_potential"].note
    assert bear.assumptions.base_year == base.assumptions.base_year  # inherited
    revenue = {n: run_scenario(n, samples=0).implied.revenue_usd for n in ("bear", "base", "bull")}
    assert revenue["bear"] < revenue["base"] < revenue["bull"]


def test_competitor_example_is_calibrated_to_its_anchor():
    result = run_scenario("aec", samples=0)
    assert result.calibration.year == 2028
    assert result.implied.year == 2028
    assert result.implied.revenue_usd == pytest.approx(4.0e9, rel=1e-6)
    assert 0 < result.assumptions.market_potential < 1


def test_unknown_scenario():
    with pytest.raises(ParameterError) as err:
        load_scenario("nope")
    assert err.value.field == "scenario" and "base" in err.value.allowed


def test_run_scenario_overrides_and_recalibration():
    plain = run_scenario("base", samples=0)
    cheaper = run_scenario("base", overrides={"asp_initial": "450 USD"}, samples=0)
    assert cheaper.implied.revenue_usd == pytest.approx(plain.implied.revenue_usd * 450 / 600)
    assert "asp_initial" not in {r["parameter"] for r in cheaper.sensitivity.rows}  # held fixed
    again = run_scenario("base", overrides={"asp_initial": "450 USD"}, samples=0, recalibrate=True)
    assert again.implied.revenue_usd == pytest.approx(848e6, rel=1e-9)
    assert again.implied.units == pytest.approx(plain.implied.units * 600 / 450, rel=1e-9)
    with pytest.raises(ParameterError, match="calibrated parameter"):
        run_scenario("base", overrides={"market_potential": 0.2}, recalibrate=True, samples=0)
    with pytest.raises(ParameterError, match="recalibrate"):
        run_scenario("bear", recalibrate=True, samples=0)
    with pytest.raises(ParameterError, match="samples"):
        run_scenario("base", samples=-5)


def test_run_scenario_bands_and_json_dict():
    result = run_scenario("base", samples=300, seed=5)
    d = result.to_dict()
    for key in ("scenario", "years", "revenue_usd", "units", "asp_usd", "share_of_addressable",
                "p10_usd", "p50_usd", "p90_usd", "implied", "seed", "calibration", "tornado"):
        assert key in d
    assert d["seed"] == 5 and len(d["p50_usd"]) == len(d["years"]) == 10
    assert np.all(np.isfinite(result.to_dataframe().to_numpy()))


def test_rack_model_can_supply_the_fraction():
    n = 10
    result = run_scenario("base", samples=50, seed=1, fraction_beyond_copper=np.full(n, 0.4))
    np.testing.assert_allclose(result.fraction_beyond_copper, 0.4)
    assert result.bands is not None
