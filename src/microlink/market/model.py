"""The bottom-up market model: addressable link ends -> adoption share -> units -> ASP -> revenue.

``market_paths`` is the vectorised core: assumption fields may be arrays of shape ``[...]`` (for Monte
Carlo), years are appended as the last axis, so every output has shape ``[..., n_years]``.
``forecast`` runs it for one scalar scenario and returns a :class:`MarketForecast` with every
intermediate and the implied figures. ``calibrate`` solves one assumption so that revenue in a given
year hits a published figure.

The rack model does not exist yet; its outputs enter through the keyword arguments of
:func:`market_paths` (accelerators per year, link ends per accelerator, fraction beyond copper's reach),
which replace the corresponding growth-path assumptions when given.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from microlink.errors import ConfigError, ParameterError
from microlink.market.adoption import bass_cumulative, logistic_share
from microlink.market.assumptions import MarketAssumptions
from microlink.market.pricing import asp_decline_path, asp_learning_curve
from microlink.parameters import check_range

__all__ = [
    "ENDS_PER_LINK",
    "DEFAULT_YEARS",
    "growth_path",
    "linear_ramp",
    "addressable_link_ends",
    "adoption_share",
    "MarketPaths",
    "market_paths",
    "Calibration",
    "ImpliedFigures",
    "ReferenceMarket",
    "RevenueBands",
    "Sensitivity",
    "MarketForecast",
    "forecast",
    "implied_figures",
    "calibrate",
    "cagr",
]

#: A point-to-point link has two ends, each needing one module (or one CPO engine).
ENDS_PER_LINK = 2
#: Forecast window of issue 6 (calendar years).
DEFAULT_YEARS = np.arange(2026, 2036)


# ------------------------------------------------------------------------------------------------------
# pure building blocks
# ------------------------------------------------------------------------------------------------------
def growth_path(base_value, growth_rate, year, base_year):
    """``base_value (1 + growth_rate) ** (year - base_year)`` [unit of ``base_value``]."""
    exponent = np.asarray(year, dtype=float) - np.asarray(base_year, dtype=float)
    return np.asarray(base_value, dtype=float) * np.power(1.0 + np.asarray(growth_rate, dtype=float), exponent)


def linear_ramp(start_value, end_value, year, start_year, end_year):
    """Straight line from ``start_value`` in ``start_year`` to ``end_value`` in ``end_year``, flat outside [1]."""
    start_year = np.asarray(start_year, dtype=float)
    span = np.asarray(end_year, dtype=float) - start_year
    progress = np.clip((np.asarray(year, dtype=float) - start_year) / span, 0.0, 1.0)
    start_value = np.asarray(start_value, dtype=float)
    return start_value + (np.asarray(end_value, dtype=float) - start_value) * progress


def addressable_link_ends(accelerators, scaleup_bandwidth, module_rate, fraction_beyond_copper):
    """Module-equivalent link ends per year that copper cannot serve [1/yr].

    ``accelerators x scaleup_bandwidth / module_rate x 2 x fraction_beyond_copper``.

    Parameters
    ----------
    accelerators : array_like
        Accelerators shipped into scale-up domains per year [1/yr].
    scaleup_bandwidth : array_like
        Scale-up bandwidth per accelerator, per direction [bit/s].
    module_rate : array_like
        Rate of one module, per direction [bit/s].
    fraction_beyond_copper : array_like
        Fraction of scale-up links longer than copper's reach [1].
    """
    links = np.asarray(accelerators, dtype=float) * np.asarray(scaleup_bandwidth, dtype=float) / np.asarray(
        module_rate, dtype=float
    )
    return links * ENDS_PER_LINK * np.asarray(fraction_beyond_copper, dtype=float)


def adoption_share(year, a: MarketAssumptions):
    """Share of addressable ends won in calendar ``year`` [1], from the scenario's adoption model.

    The share in year ``y`` is the curve at mid-year, ``t = y + 0.5 - volume_start_year``; it is zero
    for ``t <= 0``. Fields of ``a`` may be arrays; add a trailing axis for years before calling.
    """
    t = np.asarray(year, dtype=float) + 0.5 - _f(a.volume_start_year)
    if a.adoption_model == "bass":
        curve = _f(a.market_potential) * bass_cumulative(t, _f(a.bass_innovation), _f(a.bass_imitation))
    else:  # "logistic" (the only other option the parameter object accepts)
        midpoint = _f(a.logistic_midpoint_year) + 0.5 - _f(a.volume_start_year)
        curve = logistic_share(t, _f(a.market_potential), _f(a.logistic_rate), midpoint)
    return np.where(t > 0.0, curve, 0.0)


def _f(value):
    """Field value as float array with a trailing axis for years (``[...] -> [..., 1]``)."""
    return np.asarray(value, dtype=float)[..., np.newaxis]


# ------------------------------------------------------------------------------------------------------
# the vectorised core
# ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MarketPaths:
    """Every intermediate of the model, each of shape ``[..., n_years]``.

    Attributes
    ----------
    years : numpy.ndarray
        Calendar years, shape ``[n_years]``.
    accelerators : accelerators shipped into scale-up domains [1/yr]
    link_ends_per_accelerator : module-equivalent link ends per accelerator (all reaches) [1]
    scaleup_link_ends : all scale-up link ends shipped [1/yr]
    fraction_beyond_copper : fraction of them beyond copper's reach [1]
    addressable_ends : ends copper cannot serve [1/yr]
    share_of_addressable : share of addressable ends won by the technology [1]
    units : revenue-bearing modules shipped [1/yr]
    sample_units : engineering samples shipped (no revenue) [1/yr]
    cumulative_units : units + samples shipped up to and including the year [1]
    asp_usd : average selling price per module [USD]
    revenue_usd : revenue [USD/yr]
    """

    years: np.ndarray
    accelerators: np.ndarray
    link_ends_per_accelerator: np.ndarray
    scaleup_link_ends: np.ndarray
    fraction_beyond_copper: np.ndarray
    addressable_ends: np.ndarray
    share_of_addressable: np.ndarray
    units: np.ndarray
    sample_units: np.ndarray
    cumulative_units: np.ndarray
    asp_usd: np.ndarray
    revenue_usd: np.ndarray


def _years(years) -> np.ndarray:
    arr = np.asarray(years)
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iuf":
        raise ParameterError("years", years, "a non-empty 1-D sequence of calendar years")
    check_range("years", arr, 2000, 2100)
    if np.any(np.diff(arr) != 1):
        raise ParameterError("years", arr.tolist(), "consecutive calendar years")
    return arr.astype(int)


def market_paths(
    a: MarketAssumptions,
    years=DEFAULT_YEARS,
    *,
    accelerators=None,
    link_ends_per_accelerator=None,
    fraction_beyond_copper=None,
) -> MarketPaths:
    """Run the model for assumptions ``a`` (fields scalar or arrays of shape ``[...]``) over ``years``.

    Parameters
    ----------
    a : MarketAssumptions
        The scenario.
    years : array_like
        Consecutive calendar years, shape ``[n_years]``.
    accelerators : array_like, optional
        Accelerators shipped into scale-up domains per year, ``[..., n_years]`` [1/yr]; replaces the
        ``accelerators_base`` / ``accelerator_growth`` path (e.g. from a rack/deployment model).
    link_ends_per_accelerator : array_like, optional
        Module-equivalent link ends per accelerator, ``[..., n_years]`` [1]; replaces
        ``2 x scaleup_bandwidth / module_rate`` (e.g. link counts from a rack model).
    fraction_beyond_copper : array_like, optional
        Fraction of scale-up links beyond copper's reach, ``[..., n_years]`` [1]; replaces the linear
        ramp (e.g. from a rack model's cable-length distribution).
    """
    y = _years(years)
    yf = y.astype(float)

    if accelerators is None:
        accel = growth_path(_f(a.accelerators_base), _f(a.accelerator_growth), yf, _f(a.base_year))
    else:
        accel = np.asarray(check_range("accelerators", accelerators, 0.0, np.inf, "1/yr"), dtype=float)
    if link_ends_per_accelerator is None:
        bandwidth = growth_path(_f(a.scaleup_bandwidth_base), _f(a.scaleup_bandwidth_growth), yf, _f(a.base_year))
        rate = growth_path(_f(a.module_rate_base), _f(a.module_rate_growth), yf, _f(a.base_year))
        ends_per_accel = addressable_link_ends(1.0, bandwidth, rate, 1.0)
    else:
        ends_per_accel = np.asarray(
            check_range("link_ends_per_accelerator", link_ends_per_accelerator, 0.0, np.inf), dtype=float
        )
    if fraction_beyond_copper is None:
        fraction = linear_ramp(
            _f(a.fraction_beyond_copper_base), _f(a.fraction_beyond_copper_final), yf,
            _f(a.base_year), _f(a.fraction_final_year),
        )
    else:
        fraction = np.asarray(check_range("fraction_beyond_copper", fraction_beyond_copper, 0.0, 1.0), dtype=float)

    all_ends = accel * ends_per_accel
    addressable = all_ends * fraction
    share = adoption_share(yf, a)
    units = addressable * share
    shape = np.broadcast_shapes(units.shape, np.shape(a.sample_units) + (1,))
    units = np.broadcast_to(units, shape)

    sample_year = np.floor(_f(a.volume_start_year)) - 1.0
    samples = np.broadcast_to(np.where(yf == sample_year, _f(a.sample_units), 0.0), shape)
    cumulative = np.cumsum(units + samples, axis=-1)

    if a.asp_model == "decline":
        asp = asp_decline_path(yf, _f(a.asp_initial), _f(a.asp_decline), _f(a.volume_start_year))
    else:  # "learning"
        asp = asp_learning_curve(cumulative, _f(a.asp_initial), _f(a.learning_rate), _f(a.learning_reference_units))
    asp = np.broadcast_to(asp, shape)
    revenue = units * asp

    def full(x):
        return np.array(np.broadcast_to(x, shape), dtype=float)

    return MarketPaths(
        years=y,
        accelerators=full(accel),
        link_ends_per_accelerator=full(ends_per_accel),
        scaleup_link_ends=full(all_ends),
        fraction_beyond_copper=full(fraction),
        addressable_ends=full(addressable),
        share_of_addressable=full(share),
        units=full(units),
        sample_units=full(samples),
        cumulative_units=full(cumulative),
        asp_usd=full(asp),
        revenue_usd=full(revenue),
    )


# ------------------------------------------------------------------------------------------------------
# results
# ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Calibration:
    """How one assumption was solved so that revenue in ``year`` equals ``target_usd``.

    Attributes
    ----------
    parameter : name of the calibrated field
    value : solved value, in the field's unit
    year : calendar year of the target
    target_usd : published revenue figure [USD]
    achieved_usd : model revenue at the solved value [USD]
    citation : where the target comes from
    """

    parameter: str
    value: float
    year: int
    target_usd: float
    achieved_usd: float
    citation: str

    @property
    def relative_error(self) -> float:
        return self.achieved_usd / self.target_usd - 1.0

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "relative_error": self.relative_error}


@dataclass(frozen=True)
class ReferenceMarket:
    """A published market total used as a sanity check (e.g. all CPO + NPO in 2030)."""

    name: str
    year: int
    revenue_usd: float
    citation: str


@dataclass(frozen=True)
class ImpliedFigures:
    """What a forecast implies in one year (by default the calibration year, 2030).

    Attributes
    ----------
    year : calendar year
    revenue_usd : revenue [USD]
    units : modules shipped [1]
    asp_usd : ASP [USD]
    addressable_ends : link ends beyond copper's reach [1]
    share_of_addressable : units / addressable ends [1]
    share_of_all_scaleup_ends : units / all scale-up link ends [1]
    first_revenue_year : first year with revenue, or None
    cagr_from_first_revenue : revenue CAGR from the first revenue year to ``year`` [1/yr], or None
    cagr_to_last_year : revenue CAGR from ``year`` to the last forecast year [1/yr], or None
    share_of_references : ``{name: revenue / reference revenue}`` for references in ``year`` [1]
    """

    year: int
    revenue_usd: float
    units: float
    asp_usd: float
    addressable_ends: float
    share_of_addressable: float
    share_of_all_scaleup_ends: float
    first_revenue_year: int | None
    cagr_from_first_revenue: float | None
    cagr_to_last_year: float | None
    share_of_references: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class RevenueBands:
    """Monte Carlo revenue percentiles by year.

    Attributes
    ----------
    years : calendar years, ``[n_years]``
    p10_usd, p50_usd, p90_usd : revenue percentiles [USD/yr], ``[n_years]``
    samples : number of Monte Carlo samples
    seed : root seed of the ``numpy.random.Generator`` that drew them
    varied : names of the assumptions that were varied
    """

    years: np.ndarray
    p10_usd: np.ndarray
    p50_usd: np.ndarray
    p90_usd: np.ndarray
    samples: int
    seed: int
    varied: tuple[str, ...]


@dataclass(frozen=True)
class Sensitivity:
    """One-at-a-time sensitivity of revenue in ``year`` (a tornado), sorted by swing, largest first.

    Each row: ``parameter``, ``low``/``high`` values (field units), ``revenue_low_usd`` /
    ``revenue_high_usd`` (revenue with the parameter at low/high, all else at the scenario value).
    """

    year: int
    baseline_usd: float
    rows: tuple[dict[str, Any], ...]

    def top(self, n: int = 3) -> tuple[str, ...]:
        return tuple(r["parameter"] for r in self.rows[:n])


@dataclass(frozen=True)
class MarketForecast:
    """A scenario's forecast by year with every intermediate, its implied figures and, when computed,
    its calibration, Monte Carlo bands and tornado.

    Arrays are by year, shape ``[n_years]``; see :class:`MarketPaths` for their units.
    """

    scenario: str
    assumptions: MarketAssumptions
    years: np.ndarray
    accelerators: np.ndarray
    link_ends_per_accelerator: np.ndarray
    scaleup_link_ends: np.ndarray
    fraction_beyond_copper: np.ndarray
    addressable_ends: np.ndarray
    share_of_addressable: np.ndarray
    units: np.ndarray
    sample_units: np.ndarray
    cumulative_units: np.ndarray
    asp_usd: np.ndarray
    revenue_usd: np.ndarray
    implied: ImpliedFigures
    calibration: Calibration | None = None
    bands: RevenueBands | None = None
    sensitivity: Sensitivity | None = None
    sources: dict[str, Any] = field(default_factory=dict)

    _SERIES = (
        "accelerators", "link_ends_per_accelerator", "scaleup_link_ends", "fraction_beyond_copper",
        "addressable_ends", "share_of_addressable", "units", "sample_units", "cumulative_units",
        "asp_usd", "revenue_usd",
    )

    def to_dataframe(self):
        """A pandas DataFrame indexed by year: every series, plus P10/P50/P90 when bands exist."""
        import pandas as pd

        data = {name: getattr(self, name) for name in self._SERIES}
        if self.bands is not None:
            data.update(p10_usd=self.bands.p10_usd, p50_usd=self.bands.p50_usd, p90_usd=self.bands.p90_usd)
        return pd.DataFrame(data, index=pd.Index(self.years, name="year"))

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary (lists by year), the JSON output of ``microlink market``."""
        out: dict[str, Any] = {"scenario": self.scenario, "years": self.years.tolist()}
        for name in self._SERIES:
            out[name] = getattr(self, name).tolist()
        bands = self.bands
        for key in ("p10_usd", "p50_usd", "p90_usd"):
            out[key] = getattr(bands, key).tolist() if bands is not None else None
        out["samples"] = bands.samples if bands is not None else 0
        out["seed"] = bands.seed if bands is not None else None
        out["varied"] = list(bands.varied) if bands is not None else []
        out["implied"] = self.implied.to_dict()
        out["calibration"] = self.calibration.to_dict() if self.calibration is not None else None
        out["tornado"] = (
            {"year": self.sensitivity.year, "baseline_usd": self.sensitivity.baseline_usd,
             "rows": [dict(r) for r in self.sensitivity.rows]}
            if self.sensitivity is not None else None
        )
        info = self.assumptions.field_info()
        out["assumptions"] = {
            name: {
                "value": value,
                "unit": info[name]["unit"],
                "source": str(self.sources[name] if name in self.sources else info[name]["source"]),
            }
            for name, value in self.assumptions.to_dict().items()
        }
        return out


def cagr(start_value, end_value, years):
    """Compound annual growth rate ``(end / start) ** (1 / years) - 1`` [1/yr] (start, years > 0)."""
    return float((end_value / start_value) ** (1.0 / years) - 1.0)


def implied_figures(paths: MarketPaths, year: int, references=()) -> ImpliedFigures:
    """Implied units, ASP, shares and CAGRs of a scalar forecast in ``year``."""
    years = paths.years
    if year not in years:
        raise ParameterError("year", year, f"{years[0]} .. {years[-1]}")
    i = int(np.flatnonzero(years == year)[0])
    revenue = paths.revenue_usd
    positive = np.flatnonzero(revenue > 0.0)
    first = int(years[positive[0]]) if positive.size else None
    growth = None
    if first is not None and first < year and revenue[i] > 0.0:
        growth = cagr(revenue[positive[0]], revenue[i], year - first)
    tail = None
    if revenue[i] > 0.0 and years[-1] > year:
        tail = cagr(revenue[i], revenue[-1], int(years[-1]) - year)

    def ratio(num, den):
        return float(num / den) if den > 0.0 else 0.0

    return ImpliedFigures(
        year=int(year),
        revenue_usd=float(revenue[i]),
        units=float(paths.units[i]),
        asp_usd=float(paths.asp_usd[i]),
        addressable_ends=float(paths.addressable_ends[i]),
        share_of_addressable=float(paths.share_of_addressable[i]),
        share_of_all_scaleup_ends=ratio(paths.units[i], paths.scaleup_link_ends[i]),
        first_revenue_year=first,
        cagr_from_first_revenue=growth,
        cagr_to_last_year=tail,
        share_of_references={r.name: ratio(revenue[i], r.revenue_usd) for r in references if r.year == year},
    )


def forecast(
    a: MarketAssumptions,
    years=DEFAULT_YEARS,
    *,
    scenario: str = "custom",
    implied_year: int = 2030,
    references=(),
    calibration: Calibration | None = None,
    sources: dict[str, Any] | None = None,
    **pool_overrides,
) -> MarketForecast:
    """Deterministic forecast of one scalar scenario (see :func:`market_paths` for ``pool_overrides``)."""
    if a.broadcast_shape() != ():
        raise ParameterError("assumptions", a.broadcast_shape(), "scalar fields (use market_paths for arrays)")
    paths = market_paths(a, years, **pool_overrides)
    series = {name: getattr(paths, name) for name in MarketForecast._SERIES}
    return MarketForecast(
        scenario=scenario,
        assumptions=a,
        years=paths.years,
        implied=implied_figures(paths, implied_year, references),
        calibration=calibration,
        sources=dict(sources or {}),
        **series,
    )


def calibrate(
    a: MarketAssumptions,
    parameter: str,
    year: int,
    target_usd: float,
    *,
    years=DEFAULT_YEARS,
    bracket: tuple[float, float] | None = None,
    citation: str = "",
    **pool_overrides,
) -> tuple[MarketAssumptions, Calibration]:
    """Solve ``parameter`` so that revenue in ``year`` equals ``target_usd`` (scipy ``brentq``).

    The search interval is ``bracket`` or the field's bounds; revenue must change sign across it
    (revenue rises with ``market_potential``, the Bass coefficients and ``asp_initial``).

    Returns the calibrated assumptions and a :class:`Calibration` record.
    """
    from scipy.optimize import brentq

    numeric = MarketAssumptions.numeric_fields()
    if parameter not in numeric:
        raise ParameterError("calibration.parameter", parameter, "one of " + ", ".join(numeric))
    check_range("calibration.target", target_usd, 0.0, np.inf, "USD")
    lo, hi = bracket if bracket is not None else MarketAssumptions.field_info()[parameter]["bounds"]
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ConfigError(f"calibration of {parameter}: needs a finite bracket, got [{lo}, {hi}]")
    year_grid = _years(years)
    if year not in year_grid:
        raise ParameterError("calibration.year", year, f"{year_grid[0]} .. {year_grid[-1]}")
    i = int(np.flatnonzero(year_grid == year)[0])

    def residual(x: float) -> float:
        trial = dataclasses.replace(a, **{parameter: x})
        return float(market_paths(trial, year_grid, **pool_overrides).revenue_usd[i]) - target_usd

    r_lo, r_hi = residual(lo), residual(hi)
    if r_lo * r_hi > 0.0:
        raise ConfigError(
            f"calibration of {parameter}: revenue in {year} stays between "
            f"{r_lo + target_usd:.4g} and {r_hi + target_usd:.4g} USD for {parameter} in [{lo:g}, {hi:g}]; "
            f"cannot reach {target_usd:.4g} USD"
        )
    value = float(brentq(residual, lo, hi, xtol=1e-12, rtol=1e-12, maxiter=200))
    solved = dataclasses.replace(a, **{parameter: value})
    achieved = float(market_paths(solved, year_grid, **pool_overrides).revenue_usd[i])
    return solved, Calibration(parameter, value, int(year), float(target_usd), achieved, citation)
