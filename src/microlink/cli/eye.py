"""``microlink eye``: statistical eye of one lane (BER contour, bathtubs, eye height and width)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from microlink.cli.options import FormatOption, OutputFormat, PlotOption, SeedOption, SetOption

#: Most symbols drawn for the eye-density panel (memory grows with it).
MAX_EYE_SYMBOLS = 10_000_000


def main(
    preset: str = typer.Option("lightbundle", "--preset", "-p", help="Catalog parameter set (see `microlink catalog`)."),
    reach: Optional[str] = typer.Option(None, "--reach", help="Link length, e.g. '10 m' [default: the set's]."),
    lane_rate: Optional[str] = typer.Option(None, "--lane-rate", help="Override the lane rate, e.g. '4 Gb/s'."),
    modulation: Optional[str] = typer.Option(None, "--modulation", help="Override the modulation: NRZ | PAM4."),
    set_: List[str] = SetOption,
    target_ber: float = typer.Option(1e-12, "--target-ber", help="BER at which eye height and width are given."),
    rj: float = typer.Option(0.0, "--rj", help="Random jitter rms [UI]."),
    dj: float = typer.Option(0.0, "--dj", help="Dual-Dirac deterministic jitter, peak-to-peak [UI]."),
    symbols: int = typer.Option(20000, "--symbols", help="Symbols simulated for the eye-density panel of --plot."),
    seed: int = SeedOption,
    plot: Optional[Path] = PlotOption,
    fmt: OutputFormat = FormatOption,
):
    """Statistical eye of a lane: eye height and width at a target BER, bathtubs, contour plot."""
    import dataclasses

    import numpy as np

    from microlink.ber.model import decision_point
    from microlink.ber.statistical import statistical_eye
    from microlink.cli.ber import check_options, load_model

    check_options(seed=seed, target_ber=target_ber, plot=plot, rj=(rj, 0.0, 0.5), dj=(dj, 0.0, 1.0),
                  symbols=(symbols, 100, MAX_EYE_SYMBOLS))
    ps, model, length = load_model(preset, reach, lane_rate, modulation, set_)
    if rj or dj:
        model = dataclasses.replace(model, random_jitter_rms=rj, deterministic_jitter=dj)
        model.__post_init__()
    point = decision_point(model)
    eye = statistical_eye(point)
    height = eye.eye_height(target_ber)
    width = eye.eye_width(target_ber)
    ideal = np.diff(point.ideal_levels)
    total = eye.total_ber()
    doc = {
        "preset": ps.name,
        "reach_m": length,
        "modulation": point.modulation,
        "symbol_rate_bd": point.symbol_rate,
        "target_ber": target_ber,
        "eye_height": height.tolist(),
        "eye_height_relative": (height / ideal).tolist(),
        "eye_width_ui": width.tolist(),
        "ber_at_best_phase": float(total[eye.best_index]),
        "best_phase_ui": float(point.phase + eye.best_phase),
        "decision_phase_ui": point.phase,
        "thresholds": point.thresholds.tolist(),
        "random_jitter_rms_ui": rj,
        "deterministic_jitter_ui": dj,
        "seconds": eye.seconds,
        "seed": seed,
        "plot": None,
    }
    if plot is not None:
        from microlink.ber.montecarlo import eye_density
        from microlink.report.ber_plots import eye_figure, save_figure, signal_unit

        density = eye_density(point, n_symbols=symbols, seed=seed) if not point.has_jitter else None
        fig = eye_figure(eye, density, unit=signal_unit(ps.parameters.technology), target_ber=target_ber,
                         title=f"{model.label} ({ps.name})")
        doc["plot"] = str(save_figure(fig, plot))
    if fmt != OutputFormat.table:
        from microlink.cli.options import print_document, run_meta

        inputs = {"preset": preset, "reach": reach, "lane_rate": lane_rate, "modulation": modulation,
                  "target_ber": target_ber, "rj": rj, "dj": dj, "symbols": symbols, "set": list(set_)}
        print_document(doc, fmt, run_meta(inputs=inputs, seed=doc.get("seed"),
                                          boundary="decision point of one lane"))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Statistical eye, {model.label} ({ps.name})")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for e in range(height.size):
        tag = f" (eye {e})" if height.size > 1 else ""
        table.add_row(f"eye height at {target_ber:g}{tag}", f"{height[e]:.4g} ({100 * height[e] / ideal[e]:.1f} % of ideal)")
        table.add_row(f"eye width at {target_ber:g}{tag}", f"{width[e]:.3f} UI")
    table.add_row("BER at best phase", f"{doc['ber_at_best_phase']:.3g}")
    table.add_row("jitter RJ / DJ", f"{rj:g} / {dj:g} UI")
    table.add_row("time", f"{eye.seconds:.3g} s")
    if doc["plot"]:
        table.add_row("plot", doc["plot"])
    Console().print(table)
