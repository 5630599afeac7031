"""The bottom-up model: pool arithmetic, vectorisation, rack-model inputs, results, calibration."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.errors import ConfigError, ParameterError
from microlink.market import (
    DEFAULT_YEARS,
    MarketAssumptions,
    addressable_link_ends,
    calibrate,
    forecast,
    growth_path,
    linear_ramp,
    market_paths,
)

A = MarketAssumptions()


def test_addressable_link_ends_formula():
    # 1 M accelerators x 7.2 Tb/s / 1.6 Tb/s x 2 ends x 10 % = 0.9 M ends
    assert addressable_link_ends(1e6, 7.2e12, 1.6e12, 0.1) == pytest.approx(0.9e6)


def test_growth_and_ramp():
    assert growth_path(100.0, 0.1, 2028, 2026) == pytest.approx(121.0)
    ramp = linear_ramp(0.1, 0.5, np.array([2024, 2026, 2030, 2034, 2040]), 2026, 2034)
    np.testing.assert_allclose(ramp, [0.1, 0.1, 0.3, 0.5, 0.5])


def test_paths_are_consistent():
    p = market_paths(A)
    np.testing.assert_array_equal(p.years, DEFAULT_YEARS)
    pool = p.accelerators * p.link_ends_per_accelerator * p.fraction_beyond_copper
    np.testing.assert_allclose(p.addressable_ends, pool)
    np.testing.assert_allclose(p.units, p.addressable_ends * p.share_of_addressable)
    np.testing.assert_allclose(p.revenue_usd, p.units * p.asp_usd)
    np.testing.assert_allclose(np.diff(p.cumulative_units), (p.units + p.sample_units)[1:])
    # 2026 base year: 4 M accelerators x 10.8 / 1.6 x 2 = 13.5 ends each, samples only
    assert p.link_ends_per_accelerator[0] == pytest.approx(13.5)
    assert p.revenue_usd[0] == 0.0 and p.sample_units[0] == A.sample_units
    assert p.revenue_usd[1] > 0.0  # first revenue 2027


def test_paths_vectorise_over_a_batch():
    batch = dataclasses.replace(
        A, asp_initial=np.array([400.0, 600.0, 800.0]), bass_innovation=np.array([0.02, 0.03, 0.04])
    )
    p = market_paths(batch)
    assert p.revenue_usd.shape == (3, DEFAULT_YEARS.size)
    single = market_paths(dataclasses.replace(A, asp_initial=800.0, bass_innovation=0.04))
    np.testing.assert_allclose(p.revenue_usd[2], single.revenue_usd)


def test_rack_model_inputs_replace_the_pool_paths():
    n = DEFAULT_YEARS.size
    p = market_paths(A, accelerators=np.full(n, 1e6), link_ends_per_accelerator=np.full(n, 36.0),
                     fraction_beyond_copper=np.full(n, 0.25))
    np.testing.assert_allclose(p.addressable_ends, 1e6 * 36.0 * 0.25)
    with pytest.raises(ParameterError, match="fraction_beyond_copper"):
        market_paths(A, fraction_beyond_copper=np.full(n, 1.2))
    with pytest.raises(ParameterError, match="accelerators"):
        market_paths(A, accelerators=np.full(n, -1.0))


@pytest.mark.parametrize("adoption", ["bass", "logistic"])
@pytest.mark.parametrize("asp", ["decline", "learning"])
def test_every_model_combination_is_finite(adoption, asp):
    a = A.replace(adoption_model=adoption, asp_model=asp)
    p = market_paths(a)
    for field in dataclasses.fields(p):
        assert np.all(np.isfinite(getattr(p, field.name))), field.name
    assert np.all(p.revenue_usd >= 0) and np.all(p.share_of_addressable <= a.market_potential)


def test_extreme_parameters_never_give_nan():
    info = MarketAssumptions.field_info()
    for name in MarketAssumptions.numeric_fields():
        lo, hi = info[name]["bounds"]
        for value in (lo, hi if np.isfinite(hi) else 1e12):
            try:
                a = A.replace(**{name: value})
            except ParameterError:
                continue  # cross-field rule (e.g. final year after base year)
            for adoption in ("bass", "logistic"):
                for asp in ("decline", "learning"):
                    p = market_paths(a.replace(adoption_model=adoption, asp_model=asp))
                    assert np.all(np.isfinite(p.revenue_usd)), (name, value, adoption, asp)


@settings(max_examples=60, deadline=None)
@given(p=st.floats(1e-3, 0.3), q=st.floats(0.0, 1.5), dp=st.floats(0.0, 0.3), dq=st.floats(0.0, 1.0))
def test_higher_p_or_q_never_lowers_cumulative_units(p, q, dp, dq):
    low = market_paths(A.replace(bass_innovation=p, bass_imitation=q)).cumulative_units
    high = market_paths(A.replace(bass_innovation=p + dp, bass_imitation=q + dq)).cumulative_units
    assert np.all(high >= low * (1 - 1e-12))


def test_forecast_result_tables():
    f = forecast(A, scenario="defaults")
    df = f.to_dataframe()
    assert list(df.index) == list(DEFAULT_YEARS) and df.index.name == "year"
    assert {"units", "asp_usd", "revenue_usd", "share_of_addressable"} <= set(df.columns)
    d = f.to_dict()
    assert d["scenario"] == "defaults" and d["years"] == list(DEFAULT_YEARS)
    assert d["p50_usd"] is None and d["seed"] is None
    assert d["assumptions"]["asp_initial"]["unit"] == "USD"
    assert f.implied.year == 2030 and f.implied.first_revenue_year == 2027
    assert f.implied.cagr_from_first_revenue > 0


def test_forecast_rejects_batched_assumptions():
    with pytest.raises(ParameterError, match="assumptions"):
        forecast(dataclasses.replace(A, asp_initial=np.array([1.0, 2.0])))


def test_years_must_be_consecutive():
    with pytest.raises(ParameterError, match="years"):
        market_paths(A, years=[2026, 2028])
    with pytest.raises(ParameterError, match="years"):
        market_paths(A, years=[])


def test_calibrate_market_potential_is_explicit():
    solved, cal = calibrate(A, "market_potential", 2030, 500e6, citation="test target")
    assert cal.parameter == "market_potential" and cal.value == solved.market_potential
    assert cal.achieved_usd == pytest.approx(500e6, rel=1e-9)
    assert market_paths(solved).revenue_usd[4] == pytest.approx(500e6, rel=1e-9)
    assert cal.to_dict()["relative_error"] == pytest.approx(0.0, abs=1e-9)


def test_calibrate_other_parameters():
    _, cal = calibrate(A, "bass_innovation", 2030, 848e6)
    assert 1e-6 < cal.value < 1
    _, cal = calibrate(A, "asp_initial", 2030, 848e6, bracket=(1.0, 1e4))
    assert cal.achieved_usd == pytest.approx(848e6, rel=1e-9)


def test_calibrate_unreachable_target_says_why():
    with pytest.raises(ConfigError, match="cannot reach"):
        calibrate(A, "market_potential", 2030, 1e15)
    with pytest.raises(ConfigError, match="finite bracket"):
        calibrate(A, "asp_initial", 2030, 848e6)
    with pytest.raises(ParameterError, match="calibration.parameter"):
        calibrate(A, "adoption_model", 2030, 848e6)
