"""``microlink ber``: BER of one lane by any method of the BER engine, with interval, seed and timing."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from microlink.cli.options import FormatOption, OutputFormat, PlotOption, SeedOption, SetOption

METHOD_HELP = "closed-form | statistical | monte-carlo | importance"


def parse_count(text: str, field: str, maximum: float = 1e15) -> int:
    """A positive whole number written as '1e7' or '10000000' (1 .. ``maximum``)."""
    from microlink.units import parse_count as parse_whole

    return parse_whole(text, field, minimum=1, maximum=maximum)


def check_options(*, seed: int | None = None, target_ber: float | None = None, plot: Optional[Path] = None,
                  **ranges: tuple[float, float, float]) -> None:
    """Reject a bad seed, target BER, plot file or numeric option with one line naming the option.

    ``ranges`` maps an option name (``rj`` -> ``--rj``) to ``(value, low, high)``, both bounds inclusive.
    """
    import math

    from microlink.errors import ParameterError

    if seed is not None and not 0 <= seed < 2**63:
        raise ParameterError("--seed", seed, "a whole number 0 .. 2**63 - 1")
    if target_ber is not None and not (math.isfinite(target_ber) and 0 < target_ber < 0.5):
        raise ParameterError("--target-ber", target_ber, "0 < BER < 0.5")
    for name, (value, low, high) in ranges.items():
        if not (math.isfinite(value) and low <= value <= high):
            raise ParameterError("--" + name.replace("_", "-"), value, f"{low:g} .. {high:g}")
    if plot is not None:
        if plot.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise ParameterError("--plot", str(plot), "a file name ending in .png, .svg or .pdf")
        if not plot.parent.is_dir():
            raise ParameterError("--plot", str(plot), "a file in an existing directory")


def load_model(preset: str, reach: Optional[str], lane_rate: Optional[str], modulation: Optional[str],
               sets=()):
    """The DecisionModel of a catalog preset (with ``--set`` overrides) at a reach, and the reach used [m]."""
    import dataclasses

    from microlink.catalog import get_parameter_set
    from microlink.cli.options import apply_set_options
    from microlink.errors import ParameterError
    from microlink.units import parse_quantity

    if sets:
        from microlink.io.config import link_config_from_mapping

        ps = link_config_from_mapping(apply_set_options({"preset": preset}, sets)).parameter_set
    else:
        ps = get_parameter_set(preset)
    length = parse_quantity(reach, "m", field="--reach") if reach else float(ps.defaults.get("reach", 10.0))
    if not hasattr(ps.parameters, "decision_model"):
        raise ParameterError("--preset", preset, "a parameter set whose link provides a decision model")
    kwargs = {}
    if lane_rate:
        kwargs["lane_rate"] = parse_quantity(lane_rate, "b/s", field="--lane-rate")
    model = ps.parameters.decision_model(length, **kwargs)
    if modulation:
        mod = modulation.upper()
        if mod not in ("NRZ", "PAM4"):
            raise ParameterError("--modulation", modulation, "NRZ | PAM4")
        model = dataclasses.replace(model, modulation=mod)
    return ps, model, length


def progress_reporter(total: float, label: str):
    """A Rich progress bar on stderr (shown only on a terminal) and its update callback."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    bar = Progress(TextColumn(label), BarColumn(), TextColumn("{task.fields[info]}"), TimeElapsedColumn(),
                   console=console, transient=True, disable=not console.is_terminal)
    task = bar.add_task(label, total=total, info="")

    def update(done, info):
        bar.update(task, completed=min(done, total), info=str(info))

    return bar, update


def power_sweep(params, reach, like, *, points=41):
    """Received power [dBm] and decision models while the connector loss is swept (micro-LED links).

    ``like`` is the DecisionModel being estimated: its lane rate and modulation are kept along the sweep.
    """
    import dataclasses

    import numpy as np

    from microlink.errors import ParameterError
    from microlink.link.microled import MicroLEDLink

    if not isinstance(params, MicroLEDLink):
        raise ParameterError("--plot", type(params).__name__, "a micro-LED preset (BER vs received power sweeps its fiber loss)")
    out = []
    for loss in np.linspace(0.0, 20.0, points):
        p = params.replace(fiber={"connector_loss_db": float(loss)})
        m = p.decision_model(reach, lane_rate=like.symbol_rate)  # micro-LED lanes are NRZ: rate = baud
        out.append((received_power_dbm(p, reach), dataclasses.replace(m, modulation=like.modulation)))
    return out


def received_power_dbm(params, reach) -> float:
    """Mean optical power at the photodiode of a micro-LED lane [dBm]."""
    from microlink.link.microled import optical_gain, transmitter
    from microlink.units import watt_to_dbm

    tx = transmitter(params, params.lanes.lane_rate)
    gain, _ = optical_gain(params, reach)
    return float(watt_to_dbm(gain * 0.5 * (tx["power_one"] + tx["power_zero"])))


def main(
    method: str = typer.Option("statistical", "--method", "-m", help=METHOD_HELP),
    preset: str = typer.Option("lightbundle", "--preset", "-p", help="Catalog parameter set (see `microlink catalog`)."),
    reach: Optional[str] = typer.Option(None, "--reach", help="Link length, e.g. '10 m' [default: the set's]."),
    lane_rate: Optional[str] = typer.Option(None, "--lane-rate", help="Override the lane rate, e.g. '4 Gb/s'."),
    modulation: Optional[str] = typer.Option(None, "--modulation", help="Override the modulation: NRZ | PAM4."),
    set_: List[str] = SetOption,
    bits: str = typer.Option("1e7", "--bits", help="Bit budget of monte-carlo / importance."),
    errors: int = typer.Option(100, "--errors", help="Monte Carlo stops after this many bit errors."),
    seed: int = SeedOption,
    target_ber: float = typer.Option(1e-12, "--target-ber", help="BER the link must reach."),
    precision: float = typer.Option(0.2, "--precision", help="Importance sampling: relative half-width of the 95 % interval."),
    mode: str = typer.Option("symbol", "--mode", help="Monte Carlo simulator: symbol | waveform."),
    fec: str = typer.Option("none", "--fec", help="Also give the post-FEC BER: none | kp4 | kr4 | bch-light | hamming."),
    plot: Optional[Path] = PlotOption,
    fmt: OutputFormat = FormatOption,
):
    """BER of one lane: closed form, statistical eye, Monte Carlo or importance sampling (one interface)."""
    from microlink.ber.engine import METHODS, estimate_ber
    from microlink.ber.fec import get_fec_code
    from microlink.errors import ParameterError

    if method not in METHODS:
        raise ParameterError("--method", method, METHOD_HELP)
    if mode not in ("symbol", "waveform"):
        raise ParameterError("--mode", mode, "symbol | waveform")
    code = get_fec_code(fec)
    check_options(seed=seed, target_ber=target_ber, plot=plot, errors=(errors, 1, 1e12),
                  precision=(precision, 1e-3, 0.99))
    max_bits = parse_count(bits, "--bits")
    ps, model, length = load_model(preset, reach, lane_rate, modulation, set_)

    progress = None
    bar = None
    if method == "monte-carlo":
        bar, update = progress_reporter(max_bits, "monte carlo")
        progress = lambda b, e: update(b, f"{e} errors")  # noqa: E731
    elif method == "importance":
        bar, update = progress_reporter(max_bits, "importance")
        progress = lambda s, rel: update(s * model.bits_per_symbol, f"+-{100 * rel:.0f} %")  # noqa: E731
    if bar is not None:
        with bar:
            est = estimate_ber(model, method, target_ber=target_ber, seed=seed, max_bits=max_bits,
                               min_errors=errors, precision=precision, mode=mode, progress=progress)
    else:
        est = estimate_ber(model, method, target_ber=target_ber, seed=seed, max_bits=max_bits, min_errors=errors,
                           precision=precision, mode=mode)

    post = {
        "code": code.name,
        "ber": float(code.post_fec_ber(est.ber)),
        "ber_ci_low": float(code.post_fec_ber(est.ci_low)),
        "ber_ci_high": float(code.post_fec_ber(min(est.ci_high, 0.5))),
        "frame_error_rate": float(code.frame_error_rate(est.ber)),
        "overhead": code.overhead,
        "latency_s": float(code.latency(model.symbol_rate * model.bits_per_symbol)),
        "energy_per_bit_j": code.energy_per_bit,
    }

    saved = None
    if plot is not None:
        import numpy as np

        from microlink.ber.engine import estimate_ber as est_fn
        from microlink.report.ber_plots import ber_figure, save_figure

        sweep = power_sweep(ps.parameters, length, model)
        power = np.array([p for p, _ in sweep])
        curves = {
            "statistical eye": np.array([est_fn(m, "statistical").ber for _, m in sweep]),
            "closed form": np.array([est_fn(m, "closed-form").ber for _, m in sweep]),
        }
        p_now = received_power_dbm(ps.parameters, length)
        points = [{"power_dbm": p_now, "ber": est.ber, "ci_low": est.ci_low, "ci_high": est.ci_high,
                   "errors": est.errors, "label": f"{method} at the preset"}]
        fig = ber_figure(power, curves, points, target_ber=target_ber,
                         title=f"{model.label} ({model.modulation})\nBER vs received power (connector loss swept)")
        saved = save_figure(fig, plot)

    doc = {
        "ber": est.ber,
        "ber_ci_low": est.ci_low,
        "ber_ci_high": est.ci_high,
        "bits_simulated": est.bits_simulated,
        "errors": est.errors,
        "method": est.method,
        "seconds": est.seconds,
        "seed": est.seed,
        "confidence": est.confidence,
        "preset": ps.name,
        "reach_m": length,
        "modulation": est.modulation,
        "symbol_rate_bd": model.symbol_rate,
        "phase_ui": est.phase,
        "thresholds": list(est.thresholds),
        "target_ber": target_ber,
        "meets_target": est.details.get("meets_target"),
        "details": {k: v for k, v in est.details.items() if k not in ("target_ber", "meets_target")},
        "fec": post,
        "plot": str(saved) if saved is not None else None,
    }
    if fmt != OutputFormat.table:
        from microlink.cli.options import print_document, run_meta

        inputs = {"method": method, "preset": preset, "reach": reach, "lane_rate": lane_rate,
                  "modulation": modulation, "bits": bits, "errors": errors, "target_ber": target_ber,
                  "precision": precision, "mode": mode, "fec": fec, "set": list(set_)}
        print_document(doc, fmt, run_meta(inputs=inputs, seed=doc.get("seed"),
                                          boundary="decision point of one lane; post-FEC BER with --fec"))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"BER, {model.label} ({ps.name})", show_header=True)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    interval = "" if est.confidence is None else f"  [{est.ci_low:.3g}, {est.ci_high:.3g}] ({100 * est.confidence:g} %)"
    table.add_row("method", est.method)
    table.add_row("BER", f"{est.ber:.4g}{interval}")
    table.add_row("bits simulated / errors", f"{est.bits_simulated:,} / {est.errors:,}")
    table.add_row("seed", "-" if est.seed is None else str(est.seed))
    table.add_row("time", f"{est.seconds:.3g} s")
    table.add_row("sampling phase", f"{est.phase:.4g} UI")
    verdict = {True: "yes", False: "no", None: "undecided (interval straddles it)"}[est.details.get("meets_target")]
    table.add_row(f"meets {target_ber:g}", verdict)
    if code.name != "none":
        table.add_row(f"post-FEC BER ({code.name})", f"{post['ber']:.3g}")
        table.add_row(f"frame error rate ({code.name})", f"{post['frame_error_rate']:.3g}")
    if saved is not None:
        table.add_row("plot", str(saved))
    Console().print(table)
