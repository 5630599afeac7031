"""Figures of a sweep's Pareto front: the points (or a sample of them) in grey, the front on top.

The functions draw what they are given (computed by :mod:`microlink.sweep.pareto` and read from the
store by the caller); they compute nothing. Two objectives: one scatter with the front as a staircase.
Three or more: one panel per pair of objectives, the front coloured by the last objective.
Matplotlib runs on the non-interactive Agg backend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from microlink.errors import ParameterError

__all__ = ["pareto_figure", "save_pareto_figure"]

_FORMATS = (".png", ".svg", ".pdf")
_LOG_HINTS = ("ber",)  # objectives spanning decades are shown on a log axis


def _label(name: str, sense: str, units: Mapping[str, str]) -> str:
    unit = units.get(name, "")
    shown = f"{name} [{unit}]" if unit and unit not in ("1", "") and not name.endswith(_unit_suffix(unit)) else name
    return f"{shown} ({'lower' if sense == 'min' else 'higher'} is better)"


def _unit_suffix(unit: str) -> str:
    return {"pJ/bit": "_pj", "USD": "_usd", "W": "_w", "m": "_m", "dB": "_db", "dBm": "_dbm", "ns": "_ns"}.get(unit, "\0")


def _use_log(values: np.ndarray, name: str) -> bool:
    v = values[np.isfinite(values)]
    if v.size == 0 or np.any(v <= 0):
        return False
    return name.startswith(_LOG_HINTS) or v.max() / v.min() > 1e3


def pareto_figure(points: Mapping[str, np.ndarray], front: Mapping[str, np.ndarray],
                  objectives: Sequence[tuple[str, str]], *, units: Mapping[str, str] | None = None,
                  title: str = "Pareto front", points_label: str = "design points") -> Figure:
    """Draw ``front`` (rows sorted by the first objective) over ``points`` for the given objectives."""
    units = units or {}
    names = [n for n, _ in objectives]
    senses = dict(objectives)
    pairs = list(combinations(names, 2)) if len(names) > 2 else [tuple(names[:2])]
    if len(names) == 1:
        pairs = []
    ncols = min(3, max(1, len(pairs)))
    nrows = max(1, -(-len(pairs) // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 4.2 * nrows), squeeze=False)
    if not pairs:  # one objective: a histogram with the optimum marked
        ax = axes[0, 0]
        v = np.asarray(points[names[0]], dtype=float)
        ax.hist(v[np.isfinite(v)], bins=60, color="0.7")
        for x in np.asarray(front[names[0]], dtype=float):
            ax.axvline(x, color="tab:red")
        ax.set_xlabel(_label(names[0], senses[names[0]], units))
    color_name = names[-1] if len(names) > 2 else None
    for ax, (xn, yn) in zip(axes.flat, pairs):
        x = np.asarray(points[xn], dtype=float)
        y = np.asarray(points[yn], dtype=float)
        ax.scatter(x, y, s=3 if len(x) > 5000 else 10, color="0.6", alpha=0.5, linewidths=0, rasterized=True,
                   label=f"{points_label} ({len(x):,} shown)")
        fx = np.asarray(front[xn], dtype=float)
        fy = np.asarray(front[yn], dtype=float)
        if color_name is not None:
            sc = ax.scatter(fx, fy, s=14, c=np.asarray(front[color_name], dtype=float), cmap="viridis",
                            label=f"Pareto front ({len(fx):,})", zorder=3)
            fig.colorbar(sc, ax=ax, label=_label(color_name, senses[color_name], units))
        else:
            order = np.argsort(fx, kind="stable")
            ax.step(fx[order], fy[order], where="post", color="tab:red", linewidth=1.2, zorder=3)
            ax.scatter(fx, fy, s=16, color="tab:red", label=f"Pareto front ({len(fx):,})", zorder=4)
        ax.set_xlabel(_label(xn, senses[xn], units))
        ax.set_ylabel(_label(yn, senses[yn], units))
        if _use_log(np.concatenate([x, fx]), xn):
            ax.set_xscale("log")
        if _use_log(np.concatenate([y, fy]), yn):
            ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    for ax in list(axes.flat)[max(1, len(pairs)):]:
        ax.set_visible(False)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def save_pareto_figure(path, points, front, objectives, **kwargs) -> Path:
    """Draw :func:`pareto_figure` and save it (``.png``, ``.svg`` or ``.pdf``)."""
    path = Path(path)
    if path.suffix.lower() not in _FORMATS:
        raise ParameterError("--plot", str(path), "a file name ending in .png, .svg or .pdf")
    fig = pareto_figure(points, front, objectives, **kwargs)
    try:
        fig.savefig(path, dpi=150)
    finally:
        plt.close(fig)
    return path
