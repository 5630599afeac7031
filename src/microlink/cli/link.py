"""``microlink link``: evaluate one link and print every intermediate."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from microlink.cli.options import FormatOption, OutputFormat, PlotOption, SetOption
from microlink.cli.uncertainty_options import (
    SolveForOption,
    TornadoOption,
    UncertaintyExecutorOption,
    UncertaintyOption,
    UncertaintySeedOption,
)


def main(
    preset: str = typer.Option("lightbundle", "--preset", "-p", help="Catalog parameter set (see `microlink catalog`)."),
    rate: Optional[str] = typer.Option(None, "--rate", help="Aggregate payload per direction, e.g. '800 Gb/s' [default: the set's, 800 Gb/s]."),
    reach: Optional[str] = typer.Option(None, "--reach", help="Link length, e.g. '10 m' [default: the set's, 10 m]."),
    lane_rate: Optional[str] = typer.Option(None, "--lane-rate", help="Override the lane rate, e.g. '2 Gb/s'."),
    target_ber: Optional[float] = typer.Option(None, "--target-ber", help="Required BER [default: 1e-12]."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="YAML/TOML link file (units as strings); overrides --preset."),
    set_: List[str] = SetOption,
    fmt: OutputFormat = FormatOption,
    uncertainty: int = UncertaintyOption,
    tornado: bool = TornadoOption,
    seed: int = UncertaintySeedOption,
    solve_for: Optional[str] = SolveForOption,
    executor: str = UncertaintyExecutorOption,
    plot: Optional[Path] = PlotOption,
    channel: Optional[Path] = typer.Option(None, "--channel", help="Touchstone file (.s2p/.s4p/.s8p) of the host-to-host channel of a copper link; replaces the cable and host losses (needs the touchstone extra)."),
    channel_ports: str = typer.Option("1-3,2-4", "--channel-ports", help="Port order of a .s4p/.s8p: 1-3,2-4 (1 runs to 3, 2 to 4) or 1-2,3-4."),
):
    """Evaluate a link (default: the LightBundle-like micro-LED CPO link, 800 Gb/s over 10 m)."""
    from microlink.cli.options import apply_set_options, print_document, run_meta
    from microlink.cli.render import print_link_table
    from microlink.comparison import boundary_of
    from microlink.errors import ParameterError
    from microlink.io.config import link_config_from_mapping, read_mapping
    from microlink.link.chain import evaluate_link
    from microlink.units import parse_quantity

    if plot is not None and (plot.suffix.lower() not in (".png", ".svg", ".pdf") or not plot.parent.exists()):
        raise ParameterError("--plot", str(plot), "a .png, .svg or .pdf file in an existing directory")
    data: dict = read_mapping(config) if config else {"preset": preset}
    apply_set_options(data, set_)
    cfg = link_config_from_mapping(data)
    request = dict(
        aggregate_rate=parse_quantity(rate, "b/s", field="--rate") if rate else cfg.aggregate_rate,
        reach=parse_quantity(reach, "m", field="--reach") if reach else cfg.reach,
        target_ber=target_ber if target_ber is not None else cfg.target_ber,
        lane_rate=parse_quantity(lane_rate, "b/s", field="--lane-rate") if lane_rate else cfg.lane_rate,
    )
    if channel is not None:
        import dataclasses

        from microlink.channels.measured import TabulatedChannel
        from microlink.io.touchstone import read_channel

        if solve_for or uncertainty:
            raise ParameterError("--channel", str(channel), "a single evaluation (not with --solve-for or --uncertainty)")
        if "channel" not in cfg.parameter_set.parameters.options():
            raise ParameterError("--channel", str(channel), "a passive copper link (a dac-* preset); "
                                 f"{cfg.parameter_set.name} has no tabulated channel")
        data = read_channel(channel, port_order=channel_ports)
        result = evaluate_link(cfg.parameter_set, **request, channel=TabulatedChannel(**dataclasses.asdict(data)),
                               solve_reach=False)  # a tabulated channel has one length: no reach to solve
    elif solve_for or uncertainty:
        from microlink.cli import uncertainty_options as uo

        if solve_for:
            return uo.run_solve_for(cfg.parameter_set, solve_for, fmt=fmt, **request)
        return uo.run_link_uncertainty(cfg.parameter_set, samples=uncertainty, tornado=tornado, seed=seed, fmt=fmt,
                                       plot=plot, executor=executor, **request)
    else:
        result = evaluate_link(cfg.parameter_set, **request)
    saved = None
    if plot is not None:
        from microlink.report.link_plots import save_link_figure

        saved = save_link_figure(result, plot)
    if fmt != OutputFormat.table:
        inputs = {"preset": cfg.parameter_set if isinstance(cfg.parameter_set, str) else preset,
                  "config": str(config) if config else None, "set": list(set_), "rate": rate, "reach": reach,
                  "lane_rate": lane_rate, "target_ber": target_ber,
                  "channel": str(channel) if channel else None}
        doc = result.to_dict()
        doc["plot"] = str(saved) if saved is not None else None
        print_document(doc, fmt, run_meta(inputs=inputs, boundary=boundary_of(result)))
    else:
        print_link_table(result)
        if saved is not None:
            from rich.console import Console

            Console().print(f"figure saved to {saved}")
