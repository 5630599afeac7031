"""Uncertainty of a forecast: Monte Carlo bands and a one-at-a-time sensitivity (tornado).

Both are vectorised: the Monte Carlo draws one array per uncertain assumption and runs the model once
on ``MarketAssumptions`` whose fields are arrays of shape ``[n_samples]``; the tornado stacks all
low/high variants into one array of shape ``[2 x n_parameters]``. Randomness comes only from an explicit
``numpy.random.Generator`` built from a recorded seed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from microlink.errors import ParameterError
from microlink.market.assumptions import MarketAssumptions
from microlink.market.model import DEFAULT_YEARS, RevenueBands, Sensitivity, market_paths
from microlink.parameters import check_range

__all__ = ["Range", "DISTRIBUTIONS", "sample_assumptions", "monte_carlo", "tornado", "new_seed"]

#: Distributions an assumption range may follow.
DISTRIBUTIONS = ("uniform", "triangular", "loguniform")


@dataclass(frozen=True)
class Range:
    """The plausible interval of one assumption and how to draw from it.

    ``triangular`` peaks at the scenario's value; ``uniform`` ignores it; ``loguniform`` is uniform in
    the logarithm (``low > 0``). ``low``/``high`` are in the field's stored unit.
    """

    low: float
    high: float
    distribution: str = "triangular"

    def __post_init__(self):
        if self.distribution not in DISTRIBUTIONS:
            raise ParameterError("range.distribution", self.distribution, " | ".join(DISTRIBUTIONS))
        if not (np.isfinite(self.low) and np.isfinite(self.high) and self.low < self.high):
            raise ParameterError("range", [self.low, self.high], "finite low < high")
        if self.distribution == "loguniform" and self.low <= 0.0:
            raise ParameterError("range.low", self.low, "> 0 for a loguniform range")

    def check(self, name: str, value: float) -> None:
        """Raise unless the range lies inside the field's bounds and (if triangular) contains ``value``."""
        info = MarketAssumptions.field_info()[name]
        lo, hi = info["bounds"]
        check_range(f"market.{name} range", [self.low, self.high], lo, hi, info["unit"], info["display"])
        if self.distribution == "triangular" and not (self.low <= value <= self.high):
            raise ParameterError(
                f"market.{name} range", [self.low, self.high], f"an interval containing the value {value:g}"
            )

    def draw(self, mode: float, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws [field unit]."""
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, n)
        if self.distribution == "loguniform":
            return np.exp(rng.uniform(np.log(self.low), np.log(self.high), n))
        return rng.triangular(self.low, mode, self.high, n)


def new_seed() -> int:
    """A fresh root seed from OS entropy, 63 bits so that it survives JSON readers (record it with the result)."""
    return int(np.random.SeedSequence().entropy) & (2**63 - 1)


def _checked_ranges(a: MarketAssumptions, ranges: Mapping[str, Range]) -> dict[str, Range]:
    used = a.used_fields()
    out = {}
    for name in MarketAssumptions.numeric_fields():  # declaration order -> reproducible draws
        if name in ranges and name in used:
            ranges[name].check(name, float(getattr(a, name)))
            out[name] = ranges[name]
    unknown = set(ranges) - set(MarketAssumptions.numeric_fields())
    if unknown:
        raise ParameterError("ranges", sorted(unknown), "names of numeric market assumptions")
    return out


def sample_assumptions(
    a: MarketAssumptions, ranges: Mapping[str, Range], samples: int, rng: np.random.Generator
) -> MarketAssumptions:
    """``a`` with every ranged (and used) field replaced by ``samples`` draws, shape ``[samples]``."""
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng", type(rng).__name__, "a numpy.random.Generator")
    check_range("samples", samples, 1, 10_000_000)
    draws = {name: r.draw(float(getattr(a, name)), int(samples), rng) for name, r in _checked_ranges(a, ranges).items()}
    return dataclasses.replace(a, **draws)


def monte_carlo(
    a: MarketAssumptions,
    ranges: Mapping[str, Range],
    *,
    samples: int = 2000,
    seed: int | None = None,
    years=DEFAULT_YEARS,
    **pool_overrides,
) -> RevenueBands:
    """P10/P50/P90 revenue by year from ``samples`` joint draws of the ranged assumptions.

    Assumptions are drawn independently. ``seed`` (recorded in the result) seeds
    ``numpy.random.default_rng``; ``None`` draws a fresh one from OS entropy.
    """
    if seed is None:
        seed = new_seed()
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError("seed", seed, "a non-negative integer")
    rng = np.random.default_rng(int(seed))
    batch = sample_assumptions(a, ranges, samples, rng)
    revenue = market_paths(batch, years, **pool_overrides).revenue_usd
    revenue = np.broadcast_to(revenue, (int(samples), revenue.shape[-1]))
    p10, p50, p90 = np.percentile(revenue, [10.0, 50.0, 90.0], axis=0)
    varied = tuple(_checked_ranges(a, ranges))
    return RevenueBands(
        years=np.asarray(years).astype(int), p10_usd=p10, p50_usd=p50, p90_usd=p90,
        samples=int(samples), seed=int(seed), varied=varied,
    )


def tornado(
    a: MarketAssumptions,
    ranges: Mapping[str, Range],
    *,
    year: int = 2030,
    years=DEFAULT_YEARS,
    **pool_overrides,
) -> Sensitivity:
    """Revenue in ``year`` with each ranged assumption at its low and at its high end, all else fixed.

    Rows are sorted by swing ``|revenue_high - revenue_low|``, largest first.
    """
    grid = np.asarray(years).astype(int)
    if year not in grid:
        raise ParameterError("year", year, f"{grid[0]} .. {grid[-1]}")
    i = int(np.flatnonzero(grid == year)[0])
    checked = _checked_ranges(a, ranges)
    names = list(checked)
    baseline = float(market_paths(a, years, **pool_overrides).revenue_usd[..., i])
    if not names:
        return Sensitivity(year=int(year), baseline_usd=baseline, rows=())
    n = 2 * len(names)
    changes = {}
    for k, name in enumerate(names):
        column = np.full(n, float(getattr(a, name)))
        column[2 * k] = checked[name].low
        column[2 * k + 1] = checked[name].high
        changes[name] = column
    revenue = market_paths(dataclasses.replace(a, **changes), years, **pool_overrides).revenue_usd[:, i]
    rows = []
    for k, name in enumerate(names):
        low, high = float(revenue[2 * k]), float(revenue[2 * k + 1])
        rows.append({
            "parameter": name,
            "low": checked[name].low,
            "high": checked[name].high,
            "value": float(getattr(a, name)),
            "revenue_low_usd": low,
            "revenue_high_usd": high,
            "swing_usd": abs(high - low),
        })
    rows.sort(key=lambda r: r["swing_usd"], reverse=True)
    return Sensitivity(year=int(year), baseline_usd=baseline, rows=tuple(rows))
