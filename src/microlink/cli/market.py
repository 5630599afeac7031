"""``microlink market``: the bottom-up market forecast of a scenario, with uncertainty bands and a tornado."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from microlink.cli.options import FormatOption, OutputFormat, PlotOption


def main(
    scenario: str = typer.Option(
        "base", "--scenario",
        help="Scenario name (see --list) or your own scenario file (my.yaml, or my.yaml:NAME for one of several).",
    ),
    set_: Optional[List[str]] = typer.Option(
        None, "--set", metavar="NAME=VALUE",
        help="Override one value. Market assumption: 'asp_initial=450 USD'; competition: 'sensitivity=3', "
             "'microled.price_decline=15 %/yr'; link parameter: 'dac-200g:cable.conductor_excess=1.5' "
             "(SET:section.field, see 'microlink catalog SET'). Repeatable.",
    ),
    vary: Optional[List[str]] = typer.Option(
        None, "--vary", metavar="NAME=LOW..HIGH",
        help="Give a value a range for the tornado (and, for market assumptions, the bands), in the --set forms, "
             "e.g. 'lightbundle:led.spectral_width=10 nm..30 nm'. Repeatable.",
    ),
    pool: str = typer.Option(
        "derived", "--pool",
        help="derived: link ends beyond copper's reach from the link and rack models; assumed: the scenario's ramp.",
    ),
    tech: Optional[List[str]] = typer.Option(
        None, "--tech", "-t",
        help="Competition for the same pool: 'all' or technologies to print, repeatable or a comma list "
             "(microled, aec, vcsel_npo, siph_cpo, lpo, dsp_pluggable).",
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
    """Market forecast 2026-2035 from explicit assumptions, on the pool the link and rack models derive.

    The pool is the scale-up link ends passive copper cannot reach (copper reach from the link model, cable
    lengths from the topologies of each year). The base case is calibrated to TrendForce's US$848 M for micro-LED
    CPO modules in 2030 and reports what it implies. With --tech, every technology competes for the same pool
    (logit on TCO per link end, Bass diffusion on top).

    Monte Carlo over the assumption ranges gives P10/P50/P90 bands; a tornado ranks assumptions (market and link
    parameters) by their effect.
    """
    from microlink.errors import ParameterError
    from microlink.market import list_scenarios as scenario_titles
    from microlink.market.chain import run_chain

    tech = ",".join(tech) if tech else None  # repeatable and comma lists alike
    if list_scenarios:
        titles = scenario_titles()
        if output != OutputFormat.table:
            from microlink.cli.options import print_document, run_meta

            print_document([{"name": k, "title": v} for k, v in titles.items()], output,
                           run_meta(inputs={"list": True}))
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
    varies: dict[str, tuple[str, str]] = {}
    for item in vary or []:
        name, sep, value = item.partition("=")
        low, dots, high = value.partition("..")
        name, low, high = name.strip(), low.strip(), high.strip()
        if not sep or not dots or not name or not low or not high:
            raise ParameterError("--vary", item, "NAME=LOW..HIGH, e.g. 'asp_decline=10 %/yr..30 %/yr'")
        varies[name] = (low, high)
    techs = None
    if tech is not None:
        techs = tuple(t.strip() for t in tech.split(",") if t.strip())
        from microlink.market.competition import load_competition

        known = load_competition().names
        bad = [t for t in techs if t != "all" and t not in known]
        if not techs or bad:
            raise ParameterError("--tech", tech, "all or a comma list of " + ", ".join(known))
    if plot is not None:  # fail before computing on a bad file name
        if plot.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise ParameterError("--plot", str(plot), "a file name ending in .png, .svg or .pdf")

    chain = run_chain(scenario, overrides=overrides, varies=varies, pool=pool, tech=techs, samples=samples,
                      seed=seed, recalibrate=recalibrate)
    result = chain.forecast

    saved = None
    if plot is not None:
        from microlink.report.market_plots import save_market_figure

        saved = save_market_figure(chain, plot)

    if output != OutputFormat.table:
        from microlink.cli.options import print_document, run_meta
        from microlink.market import load_scenario

        sc = load_scenario(scenario)
        doc = {"title": chain.title, "scenario_title": sc.title, "technology": sc.technology, **chain.to_dict()}
        doc["overrides"] = overrides
        doc["varies"] = {k: list(v) for k, v in varies.items()}
        doc["recalibrated"] = recalibrate
        doc["plot"] = str(saved) if saved is not None else None
        meta = run_meta(inputs={"scenario": scenario, "set": list(set_ or []), "vary": list(vary or []), "pool": pool,
                                "tech": tech, "samples": samples, "recalibrate": recalibrate},
                        seed=seed if samples else None, boundary="revenue of modules sold per year [USD]")
        if output == OutputFormat.csv:  # one row per year
            years = doc["years"]
            doc = {"rows": [{k: doc[k][i] for k in doc if isinstance(doc[k], list) and len(doc[k]) == len(years)
                             and not isinstance(doc[k][0], (dict, list))} for i in range(len(years))]}
        print_document(doc, output, meta)
    elif chain.competition is not None:
        _print_competition(chain, techs, saved)
    else:
        _print_table(result, overrides, saved, recalibrate, chain, scenario)


def _print_competition(chain, techs, saved) -> None:
    import numpy as np

    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    comp = chain.competition
    show = [n for n in comp.technologies if techs is None or "all" in techs or n in techs]
    table = Table(title=f"{chain.title}\n[dim]share of the pool beyond copper [%] / revenue [US$ M][/]",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("year", justify="right", no_wrap=True)
    table.add_column("pool\nends [M]", justify="right", no_wrap=True)
    table.add_column("copper\n[% all]", justify="right", no_wrap=True)
    for name in show:
        table.add_column(comp.titles[comp.technologies.index(name)].replace(" ", "\n", 1), justify="right",
                         no_wrap=True)
    for j, year in enumerate(comp.years):
        cells = [str(year), _num(comp.pool_ends[j] / 1e6), f"{100 * comp.copper_share[j]:.1f}"]
        for name in show:
            i = comp.technologies.index(name)
            cells.append(f"{100 * comp.pool_share[i, j]:.1f} / {_num(comp.revenue_usd[i, j] / 1e6)}")
        table.add_row(*cells)
    console.print(table)
    j = int(np.flatnonzero(comp.years == chain.year)[0])
    lines = [f"[bold]TCO per 1.6T-equivalent end in {chain.year}[/] (mean over the pool's lengths it reaches; "
             "reach = share of the pool within its reach):"]
    for i, name in enumerate(comp.technologies):
        tco = comp.tco_usd[i, j]
        lines.append(f"  {comp.titles[i]:14s} " + (f"US${tco:,.0f}" if np.isfinite(tco) else "cannot reach")
                     + f", reach {100 * comp.feasible_share[i, j]:.0f} %, price US${comp.price_usd[i, j]:,.0f}")
    cal = chain.competition_calibration
    if cal is not None and cal.get("status") == "infeasible":
        lines.append(f"[bold]Not calibrated:[/] {cal['implies']}")
    elif cal is not None:
        lines.append(f"[bold]Calibrated:[/] {cal['technology']} preference = {cal['value']:.4g} so that {cal['year']} "
                     f"revenue = US${cal['target_usd'] / 1e6:,.0f} M: {cal['implies']}")
    lines += _common_lines(chain)
    for line in lines:
        console.print(line, highlight=False)
    _print_tornado(console, chain)
    if saved is not None:
        console.print(f"figure saved to {saved}", highlight=False)


def _common_lines(chain) -> list[str]:
    lines = []
    if chain.pool is not None:
        f = chain.pool.fraction_beyond_copper
        reaches = chain.pool.to_dict()["inputs"]["copper_reach_m"]
        lines.append("[bold]Derived:[/] fraction of scale-up link ends beyond copper "
                     + ", ".join(f"{y}: {100 * v:.0f} %" for y, v in zip(chain.pool.years[::3], f[::3]))
                     + "; copper reach " + ", ".join(f"{k}: {v:.2f} m" for k, v in reaches.items()))
    if chain.fixed:
        lines.append("[bold]Held fixed[/] in bands and tornado (overridden, no --vary range): " + ", ".join(chain.fixed))
    for note in chain.notes:
        lines.append(f"[dim]{note}[/]")
    return lines


def _print_tornado(console, chain) -> None:
    from rich import box
    from rich.table import Table

    if not chain.tornado:
        return
    table = Table(title=f"Tornado: {chain.year} revenue [US$ M] (market, competition and link parameters)",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("parameter", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    for header in ("low .. high", "at low", "at high", "swing"):
        table.add_column(header, justify="right", no_wrap=True)
    for row in chain.tornado[:12]:
        table.add_row(row["parameter"], row["kind"], f"{_short(row['low'])} .. {_short(row['high'])}",
                      _num(row["revenue_low_usd"] / 1e6), _num(row["revenue_high_usd"] / 1e6),
                      _num(row["swing_usd"] / 1e6))
    console.print(table)


def _short(v) -> str:
    return f"{v:.4g}" if isinstance(v, (int, float)) else str(v)


def _print_table(result, overrides, saved, recalibrated: bool, chain=None, scenario=None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from microlink.market import load_scenario

    sc = load_scenario(scenario if scenario is not None else result.scenario)
    console = Console()
    heading = chain.title if chain is not None else sc.title
    table = Table(title=f"{heading}\n[dim]{sc.technology}[/]", title_justify="left", box=box.SIMPLE_HEAD,
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
    if chain is not None:
        lines += _common_lines(chain)
    for line in lines:
        console.print(line, highlight=False)

    if chain is not None:
        _print_tornado(console, chain)
        if saved is not None:
            console.print(f"figure saved to {saved}", highlight=False)
        return
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
