"""``microlink market``: the bottom-up market forecast of a scenario, with uncertainty bands and a tornado."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from microlink.cli.options import FormatOption, OutputFormat, PlotOption


def main(
    scenario: str = typer.Option("base", "--scenario", "-s", help="Scenario name (see --list)."),
    set_: Optional[List[str]] = typer.Option(
        None, "--set", metavar="NAME=VALUE",
        help="Override one assumption, e.g. --set 'asp_initial=450 USD' or --set 'asp_decline=25 %/yr'. Repeatable.",
    ),
    samples: int = typer.Option(2000, "--samples", help="Monte Carlo samples for the P10/P50/P90 bands (0: none)."),
    seed: Optional[int] = typer.Option(
        2030, "--seed", help="Root seed of the Monte Carlo (fixed by default so the bands are reproducible)."
    ),
    recalibrate: bool = typer.Option(
        False, "--recalibrate",
        help="Solve the calibrated assumption again after the overrides, to keep the published anchor.",
    ),
    list_scenarios: bool = typer.Option(False, "--list", help="List the scenarios and exit."),
    output: OutputFormat = FormatOption,
    plot: Optional[Path] = PlotOption,
):
    """Market forecast 2026-2035 from explicit assumptions: addressable link ends, adoption share, units, ASP, revenue.

    The base case is calibrated to TrendForce's US$848 M for micro-LED CPO modules in 2030 and reports what it implies.

    Monte Carlo over the assumption ranges gives P10/P50/P90 bands; a tornado ranks assumptions by their effect.
    """
    from microlink.errors import ParameterError
    from microlink.market import list_scenarios as scenario_titles
    from microlink.market import run_scenario

    if list_scenarios:
        titles = scenario_titles()
        if output == OutputFormat.json:
            from microlink.cli.options import print_json

            print_json(titles)
        else:
            for name, title in titles.items():
                typer.echo(f"{name:10s} {title}")
        return

    overrides: dict[str, str] = {}
    for item in set_ or []:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ParameterError("--set", item, "NAME=VALUE, e.g. 'asp_initial=450 USD'")
        if name in overrides:
            raise ParameterError("--set", item, f"each name once ({name} is set twice)")
        overrides[name] = value
    if plot is not None:  # fail before computing on a bad file name
        if plot.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise ParameterError("--plot", str(plot), "a file name ending in .png, .svg or .pdf")

    result = run_scenario(scenario, overrides=overrides, samples=samples, seed=seed, recalibrate=recalibrate)

    saved = None
    if plot is not None:
        from microlink.report.market_plots import save_market_figure

        saved = save_market_figure(result, plot)

    if output == OutputFormat.json:
        from microlink.cli.options import print_json
        from microlink.market import load_scenario

        sc = load_scenario(scenario)
        doc = {"title": sc.title, "technology": sc.technology, **result.to_dict()}
        doc["overrides"] = overrides
        doc["recalibrated"] = recalibrate
        doc["plot"] = str(saved) if saved is not None else None
        print_json(doc)
    else:
        _print_table(result, overrides, saved, recalibrate)


def _print_table(result, overrides, saved, recalibrated: bool) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from microlink.market import load_scenario

    sc = load_scenario(result.scenario)
    console = Console()
    table = Table(title=f"{sc.title}\n[dim]{sc.technology}[/]", title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False, collapse_padding=True)
    for header in ("year", "addressable\nends [M]", "share\n[%]", "units\n[M]", "ASP\n[$]",
                   "revenue\n[$M]", "P10\n[$M]", "P50\n[$M]", "P90\n[$M]"):
        table.add_column(header, justify="right", no_wrap=True)
    bands = result.bands
    for i, year in enumerate(result.years):
        if bands is not None:
            pct = [_num(v[i] / 1e6) for v in (bands.p10_usd, bands.p50_usd, bands.p90_usd)]
        else:
            pct = ["-", "-", "-"]
        table.add_row(
            str(year),
            _num(result.addressable_ends[i] / 1e6),
            f"{100 * result.share_of_addressable[i]:.2f}",
            _num(result.units[i] / 1e6),
            _num(result.asp_usd[i]),
            _num(result.revenue_usd[i] / 1e6),
            *pct,
        )
    console.print(table)

    imp = result.implied
    lines = [
        f"[bold]Implied in {imp.year}:[/] revenue US${imp.revenue_usd / 1e6:,.1f} M = "
        f"{imp.units / 1e6:.2f} M units x US${imp.asp_usd:,.0f}; "
        f"{100 * imp.share_of_addressable:.2f} % of {imp.addressable_ends / 1e6:,.1f} M addressable ends "
        f"({100 * imp.share_of_all_scaleup_ends:.2f} % of all scale-up link ends)",
    ]
    if imp.cagr_from_first_revenue is not None:
        lines.append(f"  CAGR {imp.first_revenue_year}-{imp.year}: {100 * imp.cagr_from_first_revenue:,.0f} %/yr"
                     + (f"; {imp.year}-{result.years[-1]}: {100 * imp.cagr_to_last_year:,.0f} %/yr"
                        if imp.cagr_to_last_year is not None else ""))
    for name, ratio in imp.share_of_references.items():
        lines.append(f"  = {100 * ratio:.1f} % of {name}")
    cal = result.calibration
    if cal is not None:
        lines.append(
            f"[bold]Calibrated:[/] {cal.parameter} = {cal.value:.5g} so that {cal.year} revenue = "
            f"US${cal.target_usd / 1e6:,.0f} M ({cal.citation.split(',')[0]})"
        )
    else:
        src = sc.sources.get("market_potential")
        if src is not None and src.kind == "derived":
            lines.append(f"[bold]market_potential[/] = {result.assumptions.market_potential:.5g}: {src.note}")
    if overrides:
        lines.append("[bold]Overrides:[/] " + ", ".join(f"{k}={v}" for k, v in overrides.items())
                     + (" (calibration solved again with them)" if recalibrated
                        else " (applied after calibration)" if cal is not None else ""))
    if bands is not None:
        lines.append(f"[bold]Monte Carlo:[/] {bands.samples} samples, seed {bands.seed}, "
                     f"{len(bands.varied)} assumptions varied")
    for line in lines:
        console.print(line, highlight=False)

    sens = result.sensitivity
    if sens is not None and sens.rows:
        tornado = Table(title=f"Tornado: {sens.year} revenue [US$ M], baseline {_num(sens.baseline_usd / 1e6)}",
                        title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                        collapse_padding=True)
        tornado.add_column("assumption", no_wrap=True)
        for header in ("low .. high", "at low", "at high", "swing"):
            tornado.add_column(header, justify="right", no_wrap=True)
        info = result.assumptions.field_info()
        for row in sens.rows:
            tornado.add_row(
                row["parameter"], _value_range(row["low"], row["high"], info[row["parameter"]]),
                _num(row["revenue_low_usd"] / 1e6), _num(row["revenue_high_usd"] / 1e6),
                _num(row["swing_usd"] / 1e6),
            )
        console.print(tornado)
    if saved is not None:
        console.print(f"figure saved to {saved}", highlight=False)


def _num(x: float) -> str:
    """Compact number for a table cell: decimals only while the value is small."""
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"


def _value_range(low: float, high: float, meta: dict) -> str:
    """``low .. high unit`` in the field's display unit."""
    display = meta.get("display")
    scale, unit = (display[1], display[0]) if display else (1.0, meta["unit"])
    unit = "" if unit in ("1", "calendar year") else f" {unit}"
    digits = 6 if max(abs(low), abs(high)) / scale >= 1000 else 4  # keep calendar years whole
    return f"{low / scale:.{digits}g} .. {high / scale:.{digits}g}{unit}"
