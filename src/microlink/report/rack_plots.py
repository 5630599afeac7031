"""Figures of a rack/cluster comparison: interconnect power per technology mix, stacked by component.

Functions take the dictionary of a computed comparison (:meth:`microlink.rack.system.Comparison.to_dict`,
so stored JSON renders the same) and draw it; they compute nothing beyond unit scaling for display.
Matplotlib runs on the non-interactive Agg backend.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from microlink.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["power_figure", "power_stack_chart", "save_power_figure"]

_FORMATS = (".png", ".svg", ".pdf")


def _rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    rows = list(doc["results"])
    if doc.get("baseline"):
        rows = [doc["baseline"]] + rows
    return rows


def power_stack_chart(doc: dict[str, Any], ax: Axes | None = None) -> Axes:
    """Horizontal bars, one per technology mix: switch cores plus each link class's end power [kW or MW].

    Rows that do not reach every cable are hatched; the share of system power is written at each bar's end.
    """
    rows = _rows(doc)
    if not rows:
        raise ParameterError("results", [], "at least one technology row")
    cluster = doc.get("kind") == "cluster"
    scale, unit = (1e6, "MW") if cluster else (1e3, "kW")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 1.8))
    labels = [r["technology"] for r in rows]
    classes = [c["name"] for c in rows[0]["classes"]]
    colours = plt.get_cmap("tab10")
    left = [0.0] * len(rows)
    switch = [r["switch_power_w"] / scale for r in rows]
    ax.barh(labels, switch, color="0.6")
    handles = [Patch(color="0.6", label="switch cores")]
    left = switch[:]
    for k, name in enumerate(classes):
        widths = [next(c["power_w"] for c in r["classes"] if c["name"] == name) / scale for r in rows]
        hatches = [None if next(c["feasible"] for c in r["classes"] if c["name"] == name) else "//" for r in rows]
        bars = ax.barh(labels, widths, left=left, color=colours(k % 10))
        handles.append(Patch(color=colours(k % 10), label=f"{name} link ends"))
        for bar, hatch in zip(bars, hatches):
            if hatch:
                bar.set_hatch(hatch)
                bar.set_edgecolor("red")
        left = [a + b for a, b in zip(left, widths)]
    for y, (total, r) in enumerate(zip(left, rows)):
        ax.text(total, y, f"  {100 * r['interconnect_share']:.1f} %", va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(f"interconnect power [{unit}]; share of system power at the bar's end")
    ax.set_title(textwrap.fill(str(doc.get("title", doc.get("system", ""))), 80), fontsize=9, loc="left")
    ax.set_xlim(0, max(left) * 1.18 if max(left) > 0 else 1)
    handles.append(Patch(facecolor="white", edgecolor="red", hatch="//", label="does not reach every cable"))
    ax.legend(handles=handles, fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return ax


def power_figure(doc: dict[str, Any]) -> Figure:
    """A figure holding :func:`power_stack_chart`."""
    rows = _rows(doc)
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 1.8))
    power_stack_chart(doc, ax)
    fig.tight_layout()
    return fig


def save_power_figure(doc: dict[str, Any], path: str | Path) -> Path:
    """Write the power figure to ``path`` (.png, .svg or .pdf); returns the path."""
    path = Path(path)
    if path.suffix.lower() not in _FORMATS:
        raise ParameterError("--plot", str(path), "a file name ending in .png, .svg or .pdf")
    if not path.parent.exists():
        raise ParameterError("--plot", str(path), "a file in an existing folder")
    fig = power_figure(doc)
    try:
        fig.savefig(path, dpi=150)
    finally:
        plt.close(fig)
    return path
