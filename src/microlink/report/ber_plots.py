"""Figures of the BER engine: eye density, statistical-eye contour, bathtubs, BER versus received power.

Functions receive computed results (:class:`~microlink.ber.statistical.StatisticalEye`,
:class:`~microlink.ber.montecarlo.EyeDensity`, arrays of BER) and draw them; they compute nothing beyond
scaling for display. Matplotlib runs on the non-interactive Agg backend.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Optional, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from microlink.errors import ParameterError  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from microlink.ber.montecarlo import EyeDensity
    from microlink.ber.statistical import StatisticalEye

__all__ = ["signal_unit", "display_scale", "plot_eye_density", "plot_ber_contour", "plot_vertical_bathtub",
           "plot_horizontal_bathtub", "plot_ber_vs_power", "eye_figure", "ber_figure", "save_figure"]

_FORMATS = (".png", ".svg", ".pdf")
_PREFIXES = ((1e-12, "p"), (1e-9, "n"), (1e-6, "µ"), (1e-3, "m"), (1.0, ""))


#: Technology families whose decision point sees a voltage (electrical lanes); every other family decides on a
#: photocurrent.
ELECTRICAL_FAMILIES = ("dac", "aec")


def signal_unit(technology: str) -> str:
    """Unit of the signal at a lane's decision point: ``"V"`` for electrical lanes, ``"A"`` for photocurrent."""
    return "V" if technology in ELECTRICAL_FAMILIES else "A"


def display_scale(values, unit: str = "A") -> tuple[float, str]:
    """``(scale, label)`` so that ``values / scale`` reads well in ``label`` (e.g. µA)."""
    peak = float(np.nanmax(np.abs(values))) if np.size(values) else 1.0
    scale, prefix = 1.0, ""
    for s, p in _PREFIXES:
        if peak >= s:
            scale, prefix = s, p
    return scale, prefix + unit


def _log_floor(ber, lowest=-40.0) -> float:
    """Lower end of a log10 BER axis: a decade below the smallest value shown, not below ``lowest``."""
    b = np.asarray(ber, dtype=float)
    pos = b[b > 0]
    if pos.size == 0:
        return lowest
    return float(max(np.floor(np.log10(pos.min())) - 1.0, lowest))


def plot_eye_density(ax: "Axes", density: "EyeDensity", unit: str = "A") -> None:
    """Eye diagram as a log-density image over two UIs."""
    scale, label = display_scale(density.voltage_edges, unit)
    counts = density.counts.T
    shown = np.full(counts.shape, np.nan)
    np.log10(counts, out=shown, where=counts > 0)
    ax.pcolormesh(density.time_edges, density.voltage_edges / scale, shown, cmap="magma", shading="flat")
    for th in density.thresholds:
        ax.axhline(th / scale, color="cyan", lw=0.6, ls="--")
    ax.set_xlabel("time from decision instant [UI]")
    ax.set_ylabel(f"signal [{label}]")
    ax.set_title(f"eye density ({density.symbols:,} symbols, seed {density.seed})", fontsize=9)


def plot_ber_contour(ax: "Axes", eye: "StatisticalEye", unit: str = "A",
                     decades: Sequence[int] = (-3, -6, -9, -12, -15)) -> None:
    """Statistical eye: log10 BER contour over phase and threshold."""
    scale, label = display_scale(eye.voltage, unit)
    with np.errstate(divide="ignore"):
        lb = np.log10(np.maximum(eye.ber, 1e-300))
    floor = _log_floor(eye.ber)
    lb = np.maximum(lb, floor)
    im = ax.pcolormesh(eye.phase, eye.voltage / scale, lb.T, cmap="viridis", shading="nearest", vmin=floor, vmax=0)
    shown = [d for d in sorted(decades) if d > floor]
    if shown:
        cs = ax.contour(eye.phase, eye.voltage / scale, lb.T, levels=shown, colors="white", linewidths=0.7)
        ax.clabel(cs, fmt=lambda v: f"1e{int(v)}", fontsize=6)
    ax.figure.colorbar(im, ax=ax, label="log10 BER")
    ax.set_xlabel("sampling phase [UI]")
    ax.set_ylabel(f"threshold [{label}]")
    ax.set_title(f"statistical eye, {eye.modulation}", fontsize=9)


def plot_vertical_bathtub(ax: "Axes", eye: "StatisticalEye", unit: str = "A", target_ber: Optional[float] = None) -> None:
    """BER versus decision threshold at the best phase."""
    v, b = eye.vertical_bathtub()
    scale, label = display_scale(v, unit)
    floor = 10.0 ** _log_floor(np.append(b, [] if target_ber is None else [target_ber]))
    ax.semilogx(np.maximum(b, floor), v / scale, color="C0")
    if target_ber is not None:
        ax.axvline(target_ber, color="C3", ls="--", lw=0.8, label=f"target {target_ber:g}")
        ax.legend(fontsize=7)
    ax.set_xlim(floor, 1)
    ax.set_xlabel("BER")
    ax.set_ylabel(f"threshold [{label}]")
    ax.set_title("vertical bathtub", fontsize=9)


def plot_horizontal_bathtub(ax: "Axes", eye: "StatisticalEye", target_ber: Optional[float] = None) -> None:
    """BER versus sampling phase at each eye's threshold."""
    floor = 10.0 ** _log_floor(np.append(eye.eye_ber.ravel(), [] if target_ber is None else [target_ber]))
    for e in range(eye.eye_ber.shape[0]):
        ph, b = eye.horizontal_bathtub(e)
        ax.semilogy(ph, np.maximum(b, floor), label=f"eye {e}" if eye.eye_ber.shape[0] > 1 else "BER")
    if target_ber is not None:
        ax.axhline(target_ber, color="C3", ls="--", lw=0.8, label=f"target {target_ber:g}")
    ax.set_ylim(floor, 1)
    ax.set_xlabel("sampling phase [UI]")
    ax.set_ylabel("BER")
    ax.set_title("horizontal bathtub", fontsize=9)
    ax.legend(fontsize=7)


def plot_ber_vs_power(ax: "Axes", power_dbm, curves: Mapping[str, np.ndarray],
                      points: Sequence[dict] = (), target_ber: Optional[float] = None) -> None:
    """BER versus received optical power: one line per method, estimates with intervals as points.

    ``points`` are dicts with ``power_dbm``, ``ber``, ``ci_low``, ``ci_high``, ``label`` and optionally
    ``errors``; an estimate that counted no error is drawn as an upper bound (a downward triangle at the top of
    its interval), never at an arbitrary floor. Both axes are limited to where the data change: the power axis
    to where some curve is between 0.1 and the lowest BER shown, the BER axis a decade below the lowest value.
    """
    p = np.asarray(power_dbm, dtype=float)
    shown_values = [np.asarray(b, dtype=float) for b in curves.values()]
    shown_values += [np.asarray([pt["ci_high"] if _zero_errors(pt) else pt["ber"]]) for pt in points]
    if target_ber is not None:
        shown_values.append(np.asarray([target_ber]))
    floor = 10.0 ** _log_floor(np.concatenate([v.ravel() for v in shown_values]) if shown_values else [])
    for name, ber in curves.items():
        b = np.asarray(ber, dtype=float)
        ok = b >= floor
        ax.semilogy(p[ok], b[ok], label=name)
    for pt in points:
        if _zero_errors(pt):
            ax.plot([pt["power_dbm"]], [pt["ci_high"]], "v", markersize=8,
                    label=f"{pt['label']}: 0 errors, BER < {pt['ci_high']:.2g}")
            ax.annotate("", xy=(pt["power_dbm"], pt["ci_high"] / 30), xytext=(pt["power_dbm"], pt["ci_high"]),
                        arrowprops={"arrowstyle": "->", "lw": 1})
            continue
        low = max(pt["ci_low"], floor)
        err = [[max(pt["ber"] - low, 0.0)], [max(pt["ci_high"] - pt["ber"], 0.0)]]
        ax.errorbar([pt["power_dbm"]], [pt["ber"]], yerr=err, fmt="o", capsize=3, label=pt["label"])
    if target_ber is not None:
        ax.axhline(target_ber, color="C3", ls="--", lw=0.8, label=f"target {target_ber:g}")
    changing = np.zeros(p.shape, dtype=bool)
    for b in curves.values():  # where a curve falls from 0.1 to within half a decade of its own floor
        b = np.asarray(b, dtype=float)
        own = max(float(np.min(b)), floor) if b.size else floor
        with np.errstate(divide="ignore"):
            changing |= (b <= 0.1) & (np.log10(np.maximum(b, 1e-300)) >= np.log10(own) + 0.5)
    if changing.any():
        idx = np.flatnonzero(changing)
        lo, hi = p[max(idx[0] - 1, 0)], p[min(idx[-1] + 1, p.size - 1)]
        for pt in points:
            lo, hi = min(lo, pt["power_dbm"]), max(hi, pt["power_dbm"])
        pad = 0.05 * (hi - lo) if hi > lo else 0.5
        ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(floor, 0.6)
    ax.set_xlabel("received optical power [dBm]")
    ax.set_ylabel("BER")
    ax.grid(True, which="both", lw=0.3)
    ax.legend(fontsize=8)


def _zero_errors(pt: dict) -> bool:
    return float(pt["ber"]) <= 0.0 or pt.get("errors") == 0


def _closed(eye: "StatisticalEye", target_ber: Optional[float]) -> bool:
    """True when no sampling phase reaches ``target_ber`` (the eye is closed at the target)."""
    if target_ber is None:
        return False
    return bool(np.all(np.asarray(eye.eye_height(target_ber)) <= 0))


def eye_figure(eye: "StatisticalEye", density: Optional["EyeDensity"] = None, *, unit: str = "A",
               target_ber: Optional[float] = None, title: str = "") -> Figure:
    """Eye density (when given), statistical contour and both bathtubs on a 2 x 2 grid.

    ``unit`` is the signal's (:func:`signal_unit`: A for photocurrent, V for electrical lanes). A closed eye is a
    result, drawn as such: the title says so and the bathtubs stay above the target line.
    """
    plt.rcParams.update({"font.size": 10})
    fig = plt.figure(figsize=(11.5, 8.5), constrained_layout=True)
    grid = fig.add_gridspec(2, 2)
    if density is not None:
        plot_eye_density(fig.add_subplot(grid[0, 0]), density, unit)
        plot_ber_contour(fig.add_subplot(grid[0, 1]), eye, unit)
    else:
        plot_ber_contour(fig.add_subplot(grid[0, :]), eye, unit)
    plot_vertical_bathtub(fig.add_subplot(grid[1, 0]), eye, unit, target_ber)
    plot_horizontal_bathtub(fig.add_subplot(grid[1, 1]), eye, target_ber)
    state = ""
    if target_ber is not None:
        state = f"eye closed at BER {target_ber:g}" if _closed(eye, target_ber) else f"eye open at BER {target_ber:g}"
    heading = " - ".join(x for x in (title, state) if x)
    if heading:
        fig.suptitle(heading, fontsize=12)
    for ax in fig.axes:
        ax.title.set_fontsize(11)
    return fig


def ber_figure(power_dbm, curves: Mapping[str, np.ndarray], points: Sequence[dict] = (), *,
               target_ber: Optional[float] = None, title: str = "") -> Figure:
    """BER versus received power."""
    fig, ax = plt.subplots(figsize=(7.5, 5.0), constrained_layout=True)
    plot_ber_vs_power(ax, power_dbm, curves, points, target_ber)
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def save_figure(fig: Figure, path) -> Path:
    """Save a figure to ``path`` (.png, .svg or .pdf) and close it. Returns the path."""
    path = Path(path)
    if path.suffix.lower() not in _FORMATS:
        raise ParameterError("--plot", str(path), "a file name ending in " + ", ".join(_FORMATS))
    if not path.parent.exists():
        raise ParameterError("--plot", str(path), "a file in an existing directory")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
