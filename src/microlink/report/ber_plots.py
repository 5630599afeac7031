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

__all__ = ["display_scale", "plot_eye_density", "plot_ber_contour", "plot_vertical_bathtub",
           "plot_horizontal_bathtub", "plot_ber_vs_power", "eye_figure", "ber_figure", "save_figure"]

_FORMATS = (".png", ".svg", ".pdf")
_PREFIXES = ((1e-12, "p"), (1e-9, "n"), (1e-6, "µ"), (1e-3, "m"), (1.0, ""))


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
    floor = 10.0 ** _log_floor(b)
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
    floor = 10.0 ** _log_floor(eye.eye_ber)
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

    ``points`` are dicts with ``power_dbm``, ``ber``, ``ci_low``, ``ci_high`` and ``label``.
    """
    p = np.asarray(power_dbm, dtype=float)
    for name, ber in curves.items():
        b = np.asarray(ber, dtype=float)
        ok = b > 1e-40
        ax.semilogy(p[ok], b[ok], label=name)
    for pt in points:
        low = max(pt["ci_low"], 1e-40)
        err = [[max(pt["ber"] - low, 0.0)], [max(pt["ci_high"] - pt["ber"], 0.0)]]
        ax.errorbar([pt["power_dbm"]], [max(pt["ber"], 1e-40)], yerr=err, fmt="o", capsize=3, label=pt["label"])
    if target_ber is not None:
        ax.axhline(target_ber, color="C3", ls="--", lw=0.8, label=f"target {target_ber:g}")
    ax.set_xlabel("received optical power [dBm]")
    ax.set_ylabel("BER")
    ax.grid(True, which="both", lw=0.3)
    ax.legend(fontsize=7)


def eye_figure(eye: "StatisticalEye", density: Optional["EyeDensity"] = None, *, unit: str = "A",
               target_ber: Optional[float] = None, title: str = "") -> Figure:
    """Eye density (when given), statistical contour and both bathtubs in one figure."""
    n = 4 if density is not None else 3
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 3.8), constrained_layout=True)
    i = 0
    if density is not None:
        plot_eye_density(axes[0], density, unit)
        i = 1
    plot_ber_contour(axes[i], eye, unit)
    plot_vertical_bathtub(axes[i + 1], eye, unit, target_ber)
    plot_horizontal_bathtub(axes[i + 2], eye, target_ber)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def ber_figure(power_dbm, curves: Mapping[str, np.ndarray], points: Sequence[dict] = (), *,
               target_ber: Optional[float] = None, title: str = "") -> Figure:
    """BER versus received power."""
    fig, ax = plt.subplots(figsize=(6.0, 4.2), constrained_layout=True)
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
