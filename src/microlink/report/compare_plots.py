"""Figure of ``microlink compare``: energy per bit against reach for every technology, infeasible parts shown.

Takes computed :class:`~microlink.link.result.LinkResult` batches (one per parameter set, evaluated over a
vector of reaches) and draws them; nothing is computed beyond unit scaling. Matplotlib runs on Agg.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import numpy as np
from matplotlib.figure import Figure

from microlink.errors import ParameterError

__all__ = ["energy_reach_figure", "save_compare_figure"]

_FORMATS = (".png", ".svg", ".pdf")
_PJ = 1e12  # display: pJ/bit


def _minor_label(value, _pos=None):
    """Label minor log ticks at 2, 3 and 5 times a decade."""
    if value <= 0:
        return ""
    mantissa = value / 10.0 ** np.floor(np.log10(value))
    return f"{value:g}" if round(mantissa) in (2, 3, 5) else ""


def energy_reach_figure(results: Mapping[str, object], *, aggregate_rate: float, target_ber: float,
                        bands: Mapping[str, object] | None = None) -> Figure:
    """Energy per bit [pJ/bit] vs reach [m] (log-log), one line per parameter set.

    Solid line and filled markers where the link meets the target; dotted line and crosses where it does not;
    a vertical bar marks the solved maximum reach; the region beyond every technology's reach is shaded.
    ``bands`` (set name -> :class:`~microlink.uncertainty.LinkUncertainty`) adds P10-P90 bars: energy per bit
    [pJ/bit] at the banded reach, and max reach [m] at the P50 energy.
    """
    fig = Figure(figsize=(10, 6), layout="constrained")
    ax = fig.subplots()
    colors = matplotlib.colormaps["tab10"].colors
    all_reach = np.concatenate([np.atleast_1d(np.asarray(r.reach, dtype=float)) for r in results.values()])
    x_lo, x_hi = float(np.min(all_reach)) / 1.5, float(np.max(all_reach)) * 1.5
    longest = 0.0
    for k, (name, res) in enumerate(results.items()):
        color = colors[k % len(colors)]
        reach = np.atleast_1d(np.asarray(res.reach, dtype=float))
        energy = np.atleast_1d(np.asarray(res.energy_per_bit, dtype=float)) * _PJ * np.ones_like(reach)
        feasible = np.atleast_1d(np.asarray(res.feasible, dtype=bool)) & np.ones_like(reach, dtype=bool)
        max_reach = float(np.max(np.asarray(res.max_reach, dtype=float)))
        order = np.argsort(reach)
        reach, energy, feasible = reach[order], energy[order], feasible[order]
        ax.plot(reach, energy, ":", color=color, alpha=0.5, linewidth=1.2)
        if feasible.any():
            ax.plot(reach[feasible], energy[feasible], "-o", color=color, linewidth=2.0, markersize=6,
                    label=f"{name} (max {max_reach:.3g} m)")
        else:
            ax.plot([], [], "-o", color=color, label=f"{name} (infeasible)")
        ax.plot(reach[~feasible], energy[~feasible], "x", color=color, markersize=8, markeredgewidth=2)
        if x_lo < max_reach < x_hi:
            e_at = float(np.interp(np.log(max_reach), np.log(reach), energy)) if reach.size > 1 else float(energy[0])
            ax.plot([max_reach, max_reach], [e_at / 1.12, e_at * 1.12], "-", color=color, linewidth=2.5)
        if feasible.any():
            longest = max(longest, min(max_reach, x_hi))
        if bands and name in bands:
            _draw_band(ax, bands[name], color, x_lo, x_hi)
    if longest < x_hi:
        ax.axvspan(longest, x_hi, color="grey", alpha=0.12, linewidth=0, label="no technology reaches")
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        axis.set_minor_formatter(matplotlib.ticker.FuncFormatter(_minor_label))
    ax.set_xlim(x_lo, x_hi)
    ax.set_xlabel("reach [m]")
    ax.set_ylabel("energy per bit, one direction, both ends incl. host SerDes/FEC [pJ/bit]")
    ax.set_title(f"{aggregate_rate / 1e12:.3g} Tb/s per direction, BER {target_ber:.0e} after FEC: "
                 "solid = feasible, dotted/x = infeasible, bar = max reach"
                 + (f"\nwhiskers: P10-P90 of pJ/bit and of max reach over {_samples(bands)}" if bands else ""),
                 fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def _samples(bands: Mapping[str, object]) -> str:
    first = next(iter(bands.values()))
    return f"{first.samples} samples (seed {first.seed})"


def _draw_band(ax, band, color, x_lo: float, x_hi: float) -> None:
    """P10-P90 whiskers of one set: energy [pJ/bit] at the banded reach, max reach [m] at the P50 energy."""
    e, m = band.bands["energy_per_bit_pj"], band.bands["max_reach_m"]
    at = float(band.request["reach"])
    if all(np.isfinite([e.p10, e.p50, e.p90])) and e.p50 > 0:
        ax.errorbar([at], [e.p50], yerr=[[e.p50 - e.p10], [e.p90 - e.p50]], fmt="none", ecolor=color,
                    elinewidth=1.5, capsize=4, alpha=0.8)
    lo, hi = max(m.p10, x_lo), min(m.p90, x_hi)
    if np.isfinite(e.p50) and e.p50 > 0 and hi > lo:
        ax.plot([lo, hi], [e.p50, e.p50], "-", color=color, linewidth=4, alpha=0.3, solid_capstyle="butt")
        ax.plot([lo, lo, np.nan, hi, hi], [e.p50 / 1.06, e.p50 * 1.06, np.nan, e.p50 / 1.06, e.p50 * 1.06], "-",
                color=color, linewidth=1.5, alpha=0.8)


def save_compare_figure(results: Mapping[str, object], path: str | Path, *, aggregate_rate: float,
                        target_ber: float, bands: Mapping[str, object] | None = None) -> Path:
    """Draw :func:`energy_reach_figure` and save it (.png, .svg or .pdf). Returns the path."""
    path = Path(path)
    if path.suffix.lower() not in _FORMATS:
        raise ParameterError("--plot", str(path), "a file name ending in " + ", ".join(_FORMATS))
    if not path.parent.exists():
        raise ParameterError("--plot", str(path), "a file in an existing directory")
    energy_reach_figure(results, aggregate_rate=aggregate_rate, target_ber=target_ber,
                        bands=bands).savefig(path, dpi=120)
    return path
