"""``microlink compare``: every technology at the same aggregate rate and reaches, on the same footing.

Answer first: the lowest-energy feasible technology at each reach, then each technology's energy split (with
co-packaged links also shown at a common attach), and the full per-reach table behind ``--detail``.
"""

from __future__ import annotations

import enum
from pathlib import Path

import typer

from microlink.cli.options import FormatOption, OutputFormat, PlotOption
from microlink.cli.uncertainty_options import UncertaintyOption, UncertaintySeedOption

#: The attach every technology is also shown at, next to its native one: the long-reach host SerDes that copper
#: and pluggable links are charged, so a co-packaged link's lead is read on the same host interface.
COMMON_ATTACH = "lr"


class Attach(str, enum.Enum):
    native = "native"
    d2d = "d2d"
    xsr = "xsr"
    vsr = "vsr"
    lr = "lr"


def parse_reaches(values: list[str], field: str = "--reach") -> list[float]:
    """Lengths from repeatable/comma-separated strings with units ('0.5,1,2 m'; a bare number is metres) [m].

    Every item goes through the one quantity grammar: an empty item or another separator is an error."""
    from microlink.units import parse_quantity_list

    out: list[float] = []
    for item in values:
        out.extend(parse_quantity_list(item, "m", field=field))
    return out


def main(
    rate: str = typer.Option("1.6 Tb/s", "--rate", "-r", help="Aggregate payload per direction, e.g. '1.6 Tb/s'."),
    reach: list[str] = typer.Option([], "--reach", help="Link length(s): repeatable or a comma list with units, "
                                                       "e.g. '0.5,1,2 m' [default: 0.5, 1, 2, 5, 10, 30 m]."),
    tech: list[str] = typer.Option([], "--tech", "-t", help="Catalog parameter set(s) to compare, repeatable; "
                                                           "'all' for the whole catalog [default: one per technology]."),
    target_ber: float = typer.Option(1e-12, "--target-ber", help="Required BER after FEC (raw BER for links "
                                                                 "without FEC); reach is solved at the FEC's "
                                                                 "pre-FEC threshold."),
    attach: Attach = typer.Option(Attach.native, "--attach", "-a",
                                  help="Host attach of every link: native (what each product ships with), d2d "
                                       "(die-to-die parallel), xsr (extra-short-reach SerDes), vsr (chip-to-module "
                                       "SerDes) or lr (long-reach SerDes)."),
    detail: bool = typer.Option(False, "--detail", "-d", help="Also print every technology at every reach."),
    fmt: OutputFormat = FormatOption,
    plot: Path | None = PlotOption,
    uncertainty: int = UncertaintyOption,
    seed: int = UncertaintySeedOption,
):
    """Compare micro-LED, copper, VCSEL, SiPh CPO and pluggable links: feasibility, energy, BER, latency, cost, FIT."""
    from microlink.catalog import get_parameter_set, is_file_reference, list_parameter_sets
    from microlink.cli.options import print_document, run_meta
    from microlink.comparison import attach_supported, boundary_of, comparison_points
    from microlink.errors import ParameterError
    from microlink.link.technologies import DEFAULT_COMPARE_REACHES, DEFAULT_COMPARE_SETS, result_points
    from microlink.parameters import check_range
    from microlink.units import parse_quantity

    aggregate = parse_quantity(rate, "b/s", field="--rate")
    check_range("--rate", aggregate, 1e6, 1e15, "b/s", ("Gb/s", 1e9))
    check_range("--target-ber", target_ber, 1e-30, 0.5)
    lengths = parse_reaches(reach) if reach else list(DEFAULT_COMPARE_REACHES)
    if not lengths:
        raise ParameterError("--reach", reach, "at least one length, e.g. '1 m'")
    for length in lengths:
        check_range("--reach", length, 1e-3, 1e5, "m")
    names: list[str] = []
    for item in tech or list(DEFAULT_COMPARE_SETS):
        names.extend(part.strip() for part in item.split(",") if part.strip())
    if "all" in names:
        names = list_parameter_sets()
    known = set(list_parameter_sets())
    for name in names:
        if is_file_reference(name):
            get_parameter_set(name)  # a link file: read and checked here, its errors name its field
        elif name not in known:
            raise ParameterError("--tech", name, "one of " + ", ".join(sorted(known)) + " | all | a link file")
    names = list(dict.fromkeys(names))
    mode = attach.value
    if mode != "native" and not attach_supported():
        raise ParameterError("--attach", mode, "native (this version of the link chain models no other attach)")
    if uncertainty and mode != "native":
        raise ParameterError("--attach", mode, "native with --uncertainty (bands use each set's own attach)")

    results = comparison_points(names, aggregate_rate=aggregate, reach=lengths, target_ber=target_ber,
                                attach=mode)
    common = None
    if mode == "native" and attach_supported():
        common = comparison_points(names, aggregate_rate=aggregate, reach=lengths, target_ber=target_ber,
                                   attach=COMMON_ATTACH, reuse=results)
    evaluated = {n: r for n, r in results.items() if not isinstance(r, str)}
    boundaries = {boundary_of(r) for r in evaluated.values()}
    boundary = boundaries.pop() if len(boundaries) == 1 else (
        "host logic to host logic, one direction, both ends, with each row's host attach and FEC (the attach "
        "column; every row's own boundary is in --format json)")
    bands, unranged = {}, []
    if uncertainty:
        from microlink.cli.uncertainty_options import compare_bands, sets_without_ranges

        unranged = sets_without_ranges(list(evaluated))
        bands = compare_bands(list(evaluated), samples=uncertainty, seed=seed, aggregate_rate=aggregate,
                              reaches=lengths, target_ber=target_ber)

    if plot is not None:
        from microlink.report.compare_plots import save_compare_figure

        save_compare_figure(evaluated, plot, aggregate_rate=aggregate, target_ber=target_ber,
                            bands={n: r for n, (r, _) in bands.items()} or None)

    if fmt != OutputFormat.table:
        rows = []
        for name, res in results.items():
            if isinstance(res, str):
                rows.append({"parameter_set": name, "attach": mode, "feasible": False, "infeasible_reason": res})
                continue
            others = result_points(common[name]) if common and not isinstance(common[name], str) else None
            for i, point in enumerate(result_points(res)):
                d = point.to_dict()
                d["feasible"] = bool(point.feasible)
                d["infeasible_reason"] = point.infeasible_reason
                d.setdefault("attach", mode)
                d["boundary"] = boundary_of(point)
                if common is not None:
                    d[f"energy_per_bit_pj_at_{COMMON_ATTACH}"] = (
                        float(others[i].energy_per_bit_pj) if others is not None else None)
                if uncertainty:
                    d["p_feasible"] = bands[name][1].get(float(point.reach)) if name in bands else None
                rows.append(d)
        meta = run_meta(inputs={"rate_bps": aggregate, "reach_m": lengths, "tech": names, "target_ber": target_ber,
                                "attach": mode, "uncertainty": uncertainty},
                        seed=seed if uncertainty else None, boundary=boundary)
        if uncertainty:
            from microlink.cli.uncertainty_options import compare_bands_json

            print_document({"rows": rows, "uncertainty": {
                "samples": uncertainty, "seed": seed, "sampling": "latin-hypercube", "without_ranges": unranged,
                "sets": compare_bands_json(bands)}}, fmt, meta)
            return
        print_document(rows, fmt, meta)
        return

    from rich.console import Console

    from microlink.cli.render import print_compare_table

    console = Console()
    print_compare_table(results, aggregate_rate=aggregate, target_ber=target_ber, detail=detail, common=common,
                        common_attach=COMMON_ATTACH, boundary=boundary, console=console,
                        p_feasible={n: b[1] for n, b in bands.items()} or None, samples=uncertainty)
    if uncertainty:
        from microlink.cli.uncertainty_options import print_compare_bands

        print_compare_bands(bands, unranged, console=console)
    if plot is not None:
        console.print(f"figure saved to {plot}")
