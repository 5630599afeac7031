"""Figures of a market forecast: a fan chart of revenue by year and a tornado of one year's revenue.

Functions take a computed :class:`~microlink.market.model.MarketForecast` and draw it; they compute
nothing beyond unit scaling for display. Matplotlib runs on the non-interactive Agg backend.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from microlink.errors import ParameterError  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from microlink.market.model import MarketForecast

__all__ = ["fan_chart", "tornado_chart", "chain_tornado_chart", "pool_chart", "market_figure", "save_market_figure"]

_MUSD = 1e6  # display scale: revenue in US$ M
_FORMATS = (".png", ".svg", ".pdf")


def fan_chart(result: "MarketForecast", ax: "Axes | None" = None) -> "Axes":
    """Revenue by year [US$ M, log scale]: scenario line, P50 and the P10-P90 band, calibration anchor."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    years = result.years
    revenue = result.revenue_usd / _MUSD
    positive = revenue > 0
    bands = result.bands
    if bands is not None:
        shown = bands.p90_usd > 0
        ax.fill_between(years[shown], bands.p10_usd[shown] / _MUSD, bands.p90_usd[shown] / _MUSD,
                        color="tab:blue", alpha=0.25, linewidth=0,
                        label=f"P10-P90 ({bands.samples} samples, seed {bands.seed})")
        ax.plot(years[bands.p50_usd > 0], bands.p50_usd[bands.p50_usd > 0] / _MUSD, color="tab:blue",
                linestyle="--", label="P50")
    ax.plot(years[positive], revenue[positive], color="black", marker="o", markersize=3,
            label=f"scenario '{result.scenario}'")
    cal = result.calibration
    if cal is not None:
        ax.scatter([cal.year], [cal.target_usd / _MUSD], marker="*", s=160, color="tab:red", zorder=5,
                   label=f"anchor: US${cal.target_usd / _MUSD:,.0f} M in {cal.year}")
    if positive.any():
        ax.set_yscale("log")
    ax.set_xlabel("year")
    ax.set_ylabel("revenue [US$ M]")
    ax.set_xticks(years)
    ax.tick_params(axis="x", labelrotation=45)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(f"Revenue forecast: {result.scenario}")
    return ax


def tornado_chart(result: "MarketForecast", ax: "Axes | None" = None, *, top: int = 10) -> "Axes":
    """One-at-a-time sensitivity of revenue in the tornado year [US$ M], largest swing at the top."""
    sens = result.sensitivity
    if sens is None:
        raise ParameterError("sensitivity", None, "a forecast computed with a tornado (run_scenario)")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    rows = list(sens.rows[:top])[::-1]
    base = sens.baseline_usd / _MUSD
    info = result.assumptions.field_info()
    for k, row in enumerate(rows):
        low = row["revenue_low_usd"] / _MUSD - base
        high = row["revenue_high_usd"] / _MUSD - base
        ax.barh(k, low, left=base, color="tab:orange", alpha=0.8, label="assumption at low end" if k == 0 else None)
        ax.barh(k, high, left=base, color="tab:green", alpha=0.8, label="assumption at high end" if k == 0 else None)
    labels = []
    for row in rows:
        display = info[row["parameter"]].get("display")
        scale, unit = (display[1], display[0]) if display else (1.0, info[row["parameter"]]["unit"])
        unit = "" if unit in ("1", "calendar year") else f" {unit}"
        labels.append(f"{row['parameter']}\n{row['low'] / scale:.3g} .. {row['high'] / scale:.3g}{unit}")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=7)
    ax.axvline(base, color="black", linewidth=1)
    ax.set_xlabel(f"revenue in {sens.year} [US$ M]")
    ax.set_title(f"Sensitivity of {sens.year} revenue (baseline US${base:,.0f} M)")
    ax.grid(True, axis="x", alpha=0.3)
    if rows:
        ax.legend(fontsize=8, loc="lower right")
    return ax


def chain_tornado_chart(chain, ax: "Axes | None" = None, *, top: int = 10) -> "Axes":
    """Tornado of a :class:`~microlink.market.chain.ChainForecast`: market, competition and link parameters."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    rows = list(chain.tornado[:top])[::-1]
    comp = chain.competition
    if comp is not None and chain.competition_calibration is not None:
        base = comp.revenue(chain.competition_calibration["technology"], chain.year) / _MUSD
    else:
        base = chain.forecast.implied.revenue_usd / _MUSD
    colours = {"market": "tab:blue", "competition": "tab:purple", "link": "tab:red"}
    for k, row in enumerate(rows):
        low = row["revenue_low_usd"] / _MUSD - base
        high = row["revenue_high_usd"] / _MUSD - base
        ax.barh(k, low, left=base, color="tab:orange", alpha=0.8, label="at low end" if k == 0 else None)
        ax.barh(k, high, left=base, color="tab:green", alpha=0.8, label="at high end" if k == 0 else None)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r['parameter']} [{r['kind']}]\n{r['low']} .. {r['high']}" for r in rows], fontsize=7)
    for label, row in zip(ax.get_yticklabels(), rows):
        label.set_color(colours.get(row["kind"], "black"))
    ax.axvline(base, color="black", linewidth=1)
    ax.set_xlabel(f"revenue in {chain.year} [US$ M]")
    ax.set_title(f"Sensitivity of {chain.year} revenue (baseline US${base:,.0f} M; red: link parameters)")
    ax.grid(True, axis="x", alpha=0.3)
    if rows:
        ax.legend(fontsize=8, loc="lower right")
    return ax


def pool_chart(chain, ax: "Axes | None" = None) -> "Axes":
    """The scale-up link ends by year [M], stacked: copper, then each technology's share of the pool beyond it."""
    comp = chain.competition
    if comp is None:
        raise ParameterError("competition", None, "a chain forecast run with --tech")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    copper = comp.scaleup_ends - comp.pool_ends
    layers = [copper / 1e6] + [comp.units[i] / 1e6 for i in range(len(comp.technologies))]
    labels = ["passive copper"] + list(comp.titles)
    if np.any(comp.unserved_share > 0):
        layers.append(comp.unserved_share * comp.pool_ends / 1e6)
        labels.append("unserved")
    ax.stackplot(comp.years, *layers, labels=labels, alpha=0.85)
    ax.set_xlabel("year")
    ax.set_ylabel("scale-up link ends [M, 1.6T-equivalent]")
    ax.set_xticks(comp.years)
    ax.tick_params(axis="x", labelrotation=45)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title("Scale-up link ends: copper and the pool beyond its reach, by technology")
    return ax


def market_figure(result) -> Figure:
    """Fan chart and tornado side by side (the tornado only when the result has one); for a chain forecast
    in competition mode the stacked pool replaces the fan chart."""
    from microlink.market.chain import ChainForecast

    if isinstance(result, ChainForecast):
        chain = result
        fig = Figure(figsize=(14, 5.5), layout="constrained")
        ax_left, ax_right = fig.subplots(1, 2)
        if chain.competition is not None:
            pool_chart(chain, ax_left)
        else:
            fan_chart(chain.forecast, ax_left)
            ax_left.set_title(chain.title, fontsize=8)
        chain_tornado_chart(chain, ax_right)
        return fig
    has_tornado = result.sensitivity is not None and len(result.sensitivity.rows) > 0
    fig = Figure(figsize=(14 if has_tornado else 7, 5.5), layout="constrained")
    if has_tornado:
        ax_fan, ax_tornado = fig.subplots(1, 2)
        tornado_chart(result, ax_tornado)
    else:
        ax_fan = fig.subplots()
    fan_chart(result, ax_fan)
    return fig


def save_market_figure(result, path: str | Path) -> Path:
    """Draw :func:`market_figure` and save it to ``path`` (.png, .svg or .pdf). Returns the path."""
    path = Path(path)
    if path.suffix.lower() not in _FORMATS:
        raise ParameterError("--plot", str(path), "a file name ending in " + ", ".join(_FORMATS))
    if not path.parent.exists():
        raise ParameterError("--plot", str(path), "a file in an existing directory")
    market_figure(result).savefig(path, dpi=120)
    return path
