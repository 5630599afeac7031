"""Monte Carlo bands and tornado: reproducible from the recorded seed, vectorised, sorted."""

import numpy as np
import pytest

from microlink.errors import ParameterError
from microlink.market import MarketAssumptions, Range, load_scenario, monte_carlo, sample_assumptions, tornado

A = MarketAssumptions()
RANGES = {
    "asp_initial": Range(400.0, 900.0),
    "bass_innovation": Range(0.01, 0.08, "loguniform"),
    "accelerator_growth": Range(0.05, 0.35, "uniform"),
    "logistic_rate": Range(0.5, 1.5),  # unused by the Bass model: ignored
}


def test_same_seed_gives_identical_bands():
    first = monte_carlo(A, RANGES, samples=500, seed=42)
    second = monte_carlo(A, RANGES, samples=500, seed=42)
    for key in ("p10_usd", "p50_usd", "p90_usd"):
        np.testing.assert_array_equal(getattr(first, key), getattr(second, key))
    assert first.seed == 42 and first.samples == 500
    other = monte_carlo(A, RANGES, samples=500, seed=43)
    assert not np.array_equal(first.p50_usd, other.p50_usd)


def test_unseeded_run_records_a_seed_that_reproduces_it():
    first = monte_carlo(A, RANGES, samples=200)
    again = monte_carlo(A, RANGES, samples=200, seed=first.seed)
    np.testing.assert_array_equal(first.p90_usd, again.p90_usd)
    assert 0 <= first.seed < 2**63


def test_bands_are_ordered_and_finite():
    bands = monte_carlo(A, RANGES, samples=1000, seed=1)
    assert np.all(np.isfinite(bands.p10_usd)) and np.all(np.isfinite(bands.p90_usd))
    assert np.all(bands.p10_usd <= bands.p50_usd) and np.all(bands.p50_usd <= bands.p90_usd)
    assert bands.varied == ("accelerator_growth", "bass_innovation", "asp_initial")


def test_sampling_is_vectorised_and_respects_ranges():
    batch = sample_assumptions(A, RANGES, 300, np.random.default_rng(0))
    assert np.shape(batch.asp_initial) == (300,)
    assert np.all((batch.asp_initial >= 400) & (batch.asp_initial <= 900))
    assert np.all((batch.bass_innovation >= 0.01) & (batch.bass_innovation <= 0.08))
    assert np.isscalar(batch.logistic_rate) or np.ndim(batch.logistic_rate) == 0
    with pytest.raises(ParameterError, match="Generator"):
        sample_assumptions(A, RANGES, 10, np.random.RandomState(0))


def test_bad_seed_and_ranges():
    with pytest.raises(ParameterError, match="seed"):
        monte_carlo(A, RANGES, samples=10, seed=-1)
    with pytest.raises(ParameterError, match="market.asp_initial range"):
        monte_carlo(A, {"asp_initial": Range(700.0, 900.0)}, samples=10, seed=1)  # value 600 outside
    with pytest.raises(ParameterError, match="market.market_potential range"):
        monte_carlo(A, {"market_potential": Range(0.1, 1.5, "uniform")}, samples=10, seed=1)  # beyond bounds
    with pytest.raises(ParameterError, match="distribution"):
        Range(0.0, 1.0, "normal")
    with pytest.raises(ParameterError, match="low < high"):
        Range(2.0, 1.0)


def test_tornado_is_sorted_and_bracketing():
    sens = tornado(A, RANGES, year=2030)
    swings = [r["swing_usd"] for r in sens.rows]
    assert swings == sorted(swings, reverse=True)
    assert {r["parameter"] for r in sens.rows} == {"asp_initial", "bass_innovation", "accelerator_growth"}
    for r in sens.rows:  # every one of these raises revenue
        assert r["revenue_low_usd"] < sens.baseline_usd < r["revenue_high_usd"]
    # asp_initial enters linearly: revenue scales with the price
    row = next(r for r in sens.rows if r["parameter"] == "asp_initial")
    assert row["revenue_high_usd"] / sens.baseline_usd == pytest.approx(900.0 / A.asp_initial)


def test_base_scenario_ranges_cover_every_used_uncertain_assumption():
    sc = load_scenario("base")
    varied = set(sc.resolved_ranges())
    fixed = {"base_year", "sample_units", "module_rate_base", "module_rate_growth", "fraction_final_year",
             "learning_reference_units"}
    assert set(sc.assumptions.used_fields()) - fixed <= varied
