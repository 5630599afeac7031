"""``microlink compare``: every technology at the same aggregate rate and reaches, on the same footing."""

from __future__ import annotations

from pathlib import Path

import typer

from microlink.cli.options import FormatOption, OutputFormat, PlotOption


def _reaches(values: list[str]) -> list[float]:
    from microlink.units import parse_quantity

    out: list[float] = []
    for item in values:
        for part in item.split(","):
            part = part.strip()
            if part:
                out.append(parse_quantity(part if any(c.isalpha() for c in part) else f"{part} m", "m",
                                          field="--reach"))
    return out


def main(
    rate: str = typer.Option("1.6 Tb/s", "--rate", help="Aggregate payload per direction, e.g. '1.6 Tb/s'."),
    reach: list[str] = typer.Option([], "--reach", help="Link length(s): repeatable or a comma list with units, "
                                                       "e.g. '0.5,1,2 m' [default: 0.5, 1, 2, 5, 10, 30 m]."),
    tech: list[str] = typer.Option([], "--tech", "-t", help="Catalog parameter set(s) to compare, repeatable; "
                                                           "'all' for the whole catalog [default: one per technology]."),
    target_ber: float = typer.Option(1e-12, "--target-ber", help="Required BER after FEC (raw BER for links "
                                                                 "without FEC); reach is solved at the FEC's "
                                                                 "pre-FEC threshold."),
    fmt: OutputFormat = FormatOption,
    plot: Path | None = PlotOption,
):
    """Compare micro-LED, copper, VCSEL, SiPh CPO and pluggable links: feasibility, energy, BER, latency, cost, FIT."""
    import numpy as np

    from microlink.catalog import list_parameter_sets
    from microlink.cli.options import print_json
    from microlink.errors import ParameterError
    from microlink.link.chain import evaluate_link
    from microlink.link.technologies import (
        DEFAULT_COMPARE_REACHES,
        DEFAULT_COMPARE_SETS,
        result_points,
    )
    from microlink.parameters import check_range
    from microlink.units import parse_quantity

    aggregate = parse_quantity(rate, "b/s", field="--rate")
    check_range("--rate", aggregate, 1e6, 1e15, "b/s", ("Gb/s", 1e9))
    check_range("--target-ber", target_ber, 1e-30, 0.5)
    lengths = _reaches(reach) if reach else list(DEFAULT_COMPARE_REACHES)
    if not lengths:
        raise ParameterError("--reach", reach, "at least one length, e.g. '1 m'")
    names = list(tech) or list(DEFAULT_COMPARE_SETS)
    if "all" in names:
        names = list_parameter_sets()
    known = set(list_parameter_sets())
    for name in names:
        if name not in known:
            raise ParameterError("--tech", name, "one of " + ", ".join(sorted(known)) + " | all")

    results = {}
    for name in names:
        results[name] = evaluate_link(name, aggregate_rate=aggregate, reach=np.asarray(lengths, dtype=float),
                                      target_ber=target_ber)

    if plot is not None:
        from microlink.report.compare_plots import save_compare_figure

        save_compare_figure(results, plot, aggregate_rate=aggregate, target_ber=target_ber)

    if fmt == OutputFormat.json:
        rows = []
        for name, res in results.items():
            for point in result_points(res):
                d = point.to_dict()
                d["feasible"] = bool(point.feasible)
                d["infeasible_reason"] = point.infeasible_reason
                rows.append(d)
        print_json(rows)
        return

    from microlink.cli.render import print_compare_table

    print_compare_table(results, aggregate_rate=aggregate, target_ber=target_ber)
    if plot is not None:
        from rich.console import Console

        Console().print(f"figure saved to {plot}")
