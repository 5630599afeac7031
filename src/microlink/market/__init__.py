"""Market model: adoption curves, scenarios and revenue forecasts for short-reach interconnect modules.

The model is independent of the link physics: it may take link counts from the rack layer through the
keyword arguments of :func:`market_paths`, and never imports device, channel, BER or link code.

Quick start::

    from microlink.market import run_scenario
    result = run_scenario("base", samples=2000, seed=1)
    result.implied.revenue_usd, result.to_dataframe()
"""

from __future__ import annotations

from microlink.market.adoption import bass_adoption, bass_cumulative, bass_rate, logistic_share
from microlink.market.assumptions import MarketAssumptions, apply_overrides, parse_value
from microlink.market.model import (
    DEFAULT_YEARS,
    ENDS_PER_LINK,
    Calibration,
    ImpliedFigures,
    MarketForecast,
    MarketPaths,
    ReferenceMarket,
    RevenueBands,
    Sensitivity,
    addressable_link_ends,
    adoption_share,
    cagr,
    calibrate,
    forecast,
    growth_path,
    implied_figures,
    linear_ramp,
    market_paths,
)
from microlink.market.pricing import asp_decline_path, asp_learning_curve
from microlink.market.scenarios import Scenario, list_scenarios, load_scenario, run_scenario
from microlink.market.uncertainty import Range, monte_carlo, sample_assumptions, tornado

__all__ = [
    "DEFAULT_YEARS", "ENDS_PER_LINK",
    "bass_cumulative", "bass_rate", "bass_adoption", "logistic_share",
    "asp_decline_path", "asp_learning_curve",
    "growth_path", "linear_ramp", "addressable_link_ends", "adoption_share",
    "MarketAssumptions", "apply_overrides", "parse_value",
    "MarketPaths", "market_paths", "MarketForecast", "forecast", "ImpliedFigures", "implied_figures",
    "Calibration", "calibrate", "cagr", "ReferenceMarket", "RevenueBands", "Sensitivity",
    "Range", "monte_carlo", "sample_assumptions", "tornado",
    "Scenario", "list_scenarios", "load_scenario", "run_scenario",
]
