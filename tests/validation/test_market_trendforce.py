"""Validation against TrendForce's micro-LED CPO forecast: US$848 M of transceiver modules in 2030.

Source: TrendForce (analyst forecast), reported by electronicsforyou.biz ("AI push drives micro-LED CPO
market toward $848M opportunity") and chinadailybrief.com/article/6a0175ef81ad73ba8cccac51. Only the
2030 revenue is published; units, ASP and CAGR are what the base case's assumptions imply, checked here
against the ranges derived from the same reference material (US$848 M ~ 2-3.5 M 1.6T-equivalent modules
at US$250-400; CPO + NPO US$9-39 B in 2030).
"""

import pytest

from microlink.market import run_scenario

TRENDFORCE_2030_USD = 848e6
TOLERANCE = 0.02  # issue 6: within 2 %


@pytest.fixture(scope="module")
def base():
    return run_scenario("base", samples=1000, seed=2030)


def test_base_case_reproduces_848_million_in_2030(base):
    assert base.implied.year == 2030
    assert base.implied.revenue_usd == pytest.approx(TRENDFORCE_2030_USD, rel=TOLERANCE)
    assert base.calibration.parameter == "market_potential"
    assert base.calibration.achieved_usd == pytest.approx(TRENDFORCE_2030_USD, rel=1e-6)


def test_implied_units_and_asp_in_the_derived_band(base):
    assert 250.0 <= base.implied.asp_usd <= 400.0
    assert 2.0e6 <= base.implied.units <= 3.5e6


def test_implied_share_is_an_early_niche(base):
    assert base.implied.share_of_all_scaleup_ends < 0.01  # "< 1 % penetration" of the scale-up pool
    assert base.implied.share_of_addressable < 0.10
    for name, ratio in base.implied.share_of_references.items():  # US$9-39 B CPO(+NPO) totals
        assert 0.01 < ratio < 0.15, name


def test_adoption_starts_with_samples_in_2026_and_revenue_in_2027(base):
    assert base.implied.first_revenue_year == 2027
    assert base.sample_units[0] > 0 and base.revenue_usd[0] == 0.0


def test_anchor_lies_inside_the_monte_carlo_band(base):
    i = list(base.years).index(2030)
    assert base.bands.p10_usd[i] < TRENDFORCE_2030_USD < base.bands.p90_usd[i]
