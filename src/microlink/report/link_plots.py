"""Figure of ``microlink link --plot``: where one link's energy goes, and its optical power budget.

Takes a computed scalar :class:`~microlink.link.result.LinkResult` and draws it; nothing is computed beyond
unit scaling and the running sum of the budget. Matplotlib runs on Agg.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from microlink.errors import ParameterError  # noqa: E402
from microlink.units import watt_to_dbm  # noqa: E402

__all__ = ["link_figure", "save_link_figure"]

_FORMATS = (".png", ".svg", ".pdf")
_PJ = 1e12  # display: pJ/bit


def _budget_steps(result) -> list[tuple[str, float]]:
    """``[(label, dB or dBm)]``: launch [dBm], then each change along the lane [dB]; empty for electrical links."""
    launched = float(watt_to_dbm(float(np.asarray(result.launched_power))))
    received = float(watt_to_dbm(float(np.asarray(result.received_power))))
    if not (math.isfinite(launched) and math.isfinite(received)):
        return []
    steps = [("launched", launched), ("channel + coupling loss", received - launched)]
    import dataclasses

    if "penalties_db" in {f.name for f in dataclasses.fields(result)}:
        for name, value in (result.penalties_db or {}).items():
            steps.append((f"penalty: {name.replace('_', ' ')}", -float(np.asarray(value))))
    margin = float(np.asarray(result.margin_db))
    if math.isfinite(margin):
        steps.append(("margin to target", -margin))
    return steps


def link_figure(result) -> Figure:
    """Energy per bit by block [pJ/bit] and, for optical links, the lane's power budget [dBm]."""
    if np.ndim(result.ber):
        raise ParameterError("result", np.shape(result.ber), "one design point (a scalar LinkResult)")
    steps = _budget_steps(result)
    fig = Figure(figsize=(12 if steps else 7, 5), layout="constrained")
    axes = fig.subplots(1, 2 if steps else 1, squeeze=False)[0]
    blocks = sorted(((k, float(np.asarray(v)) * _PJ) for k, v in result.energy_breakdown.items()),
                    key=lambda kv: kv[1])
    ax = axes[0]
    ax.barh([k.replace("_", " ") for k, _ in blocks], [v for _, v in blocks], color="tab:blue")
    for y, (_, v) in enumerate(blocks):
        ax.text(v, y, f" {v:.3f}", va="center", fontsize=9)
    ax.set_xlabel("energy per bit, one direction, both ends [pJ/bit]")
    ax.set_title(f"{float(result.energy_per_bit_pj):.2f} pJ/bit in all", fontsize=11)
    ax.set_xlim(0, max(v for _, v in blocks) * 1.25 if blocks else 1)
    ax.grid(axis="x", alpha=0.3)
    if steps:
        ax = axes[1]
        level = steps[0][1]
        ax.bar(0, level, color="tab:blue")
        ax.text(0, level, f"{level:.2f} dBm", ha="center", va="bottom", fontsize=9)
        for i, (_, delta) in enumerate(steps[1:], start=1):
            ax.bar(i, delta, bottom=level, color="tab:red" if delta < 0 else "tab:green")
            ax.text(i, min(level, level + delta), f"{delta:+.2f} dB", ha="center", va="top", fontsize=9)
            level += delta
        ax.bar(len(steps), level, color="0.5")
        ax.text(len(steps), level, f"{level:.2f} dBm", ha="center", va="bottom", fontsize=9)
        ax.set_xticks(range(len(steps) + 1), [s for s, _ in steps] + ["sensitivity"], rotation=20, ha="right")
        levels = np.cumsum([s for _, s in steps])
        ax.set_ylim(float(levels.min()) - 3, float(max(levels.max(), steps[0][1])) + 2)
        ax.set_ylabel("mean optical power per lane [dBm]")
        ax.set_title("optical budget of one lane", fontsize=11)
        ax.grid(axis="y", alpha=0.3)
    verdict = "feasible" if bool(result.feasible) else "not feasible"
    fig.suptitle(f"{result.parameter_set} ({result.technology}): {float(result.aggregate_rate) / 1e9:g} Gb/s over "
                 f"{float(result.reach):g} m, BER {float(result.target_ber):.0e} after FEC, {verdict}", fontsize=12)
    return fig


def save_link_figure(result, path: str | Path) -> Path:
    """Draw :func:`link_figure` and save it (.png, .svg or .pdf). Returns the path."""
    path = Path(path)
    if path.suffix.lower() not in _FORMATS:
        raise ParameterError("--plot", str(path), "a file name ending in " + ", ".join(_FORMATS))
    if not path.parent.exists():
        raise ParameterError("--plot", str(path), "a file in an existing directory")
    link_figure(result).savefig(path, dpi=120)
    return path
