"""``microlink rack``: power, cost, counts and failures of a rack or NVLink domain per technology mix.

The shared options and the table rendering also serve ``microlink cluster`` (:mod:`microlink.cli.cluster`).
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from microlink.cli.options import DEFAULT_SEED, FormatOption, OutputFormat, PlotOption
from microlink.cli.uncertainty_options import UncertaintySeedOption

TechOption = typer.Option(["all"], "--tech", "-t", help="'all', or a parameter set / technology (one row each); repeatable, or a comma list.")
PolicyOption = typer.Option("cheapest", "--policy", help="Add a row choosing per link class among --tech: cheapest | lowest-energy | most-reliable | none.")
BaselineOption = typer.Option("as-built", "--baseline", "-b", help="Compare against: as-built (the topology's own links), copper, optics, or a parameter set / technology.")
AssignOption = typer.Option([], "--assign", metavar="CLASS=SET", help="Pin a link class to a parameter set in every row, e.g. spine=lightbundle. Repeatable.")
WorkloadOption = typer.Option(None, "--workload", help="Training workload preset (llama3-405b, deepseek-v3) or YAML file: bytes and energy per step.")
FillOption = typer.Option(True, "--fill/--no-fill", help="Scale the workload's data parallelism to the system's GPUs (weak scaling).")
JobDaysOption = typer.Option(None, "--job-days", help="Training-job length for failures per job, in days (default: the workload's, else 54, the Llama 3 snapshot).")
GpuPowerOption = typer.Option(None, "--gpu-power", help="GPU power for the step's energy, e.g. '1.2 kW' (default: the topology's).")
StepTimeOption = typer.Option(None, "--step-time", help="Override the workload's step time, e.g. '6 s'.")
TargetBerOption = typer.Option(None, "--target-ber", help="BER every link must meet after FEC (default: each parameter set's).")
BinsOption = typer.Option(4, "--bins", help="Equal-probability cable-length bins per link class (each bin median, plus the longest cable, is one link-model point).")
WorkersOption = typer.Option(None, "--workers", "-w", help="Processes evaluating the technologies (0: one per CPU) [default: one per CPU on Linux, else 1]; results do not depend on it.")
ReachOption = typer.Option(False, "--solve-reach", help="Also solve each technology's maximum reach (slower).")
DetailOption = typer.Option(False, "--detail", help="Also print one row per link class.")
ListOption = typer.Option(False, "--list", help="List system and workload presets and exit.")
RackUncertaintyOption = typer.Option(0, "--uncertainty", min=0, help="Latin-hypercube samples of every set's parameter ranges (0: point estimate only); adds P10/P50/P90 of the power, cost and failure deltas and P(beats baseline). Tens, not thousands: each sample re-runs the comparison.")


def main(
    system: str = typer.Option("gb200-nvl72", "--system", "-s", help="Rack/domain preset (nvl72, nvl36x2, nvl144, nvl576, kyber) or a topology YAML file."),
    tech: List[str] = TechOption,
    policy: str = PolicyOption,
    baseline: str = BaselineOption,
    assign: List[str] = AssignOption,
    workload: Optional[str] = WorkloadOption,
    fill: bool = FillOption,
    job_days: Optional[float] = JobDaysOption,
    gpu_power: Optional[str] = GpuPowerOption,
    step_time: Optional[str] = StepTimeOption,
    target_ber: Optional[float] = TargetBerOption,
    bins: int = BinsOption,
    workers: Optional[int] = WorkersOption,
    reach: bool = ReachOption,
    detail: bool = DetailOption,
    list_presets: bool = ListOption,
    fmt: OutputFormat = FormatOption,
    plot: Optional[Path] = PlotOption,
    uncertainty: int = RackUncertaintyOption,
    seed: int = UncertaintySeedOption,
):
    """Rack or NVLink-domain interconnect per technology: power (W, share), pJ/bit, link ends, lanes, cables, fibers, cost, FIT and failures per day, against a baseline.

    Example: microlink rack --system nvl72 --tech all --plot nvl72.png
    """
    if list_presets:
        list_systems(fmt)
        return
    from microlink.rack.cluster import load_system

    check_plot(plot)
    topology = load_system(system)
    run(topology, tech=tech, policy=policy, baseline=baseline, assign=assign, workload=workload, fill=fill,
        job_days=job_days, gpu_power=gpu_power, step_time=step_time, target_ber=target_ber, bins=bins,
        workers=workers, reach=reach, detail=detail, fmt=fmt, plot=plot, uncertainty=uncertainty, seed=seed)


# ---------------------------------------------------------------------------------------------- shared
def check_plot(plot: Optional[Path]) -> None:
    """Fail before computing on a bad figure name."""
    from microlink.errors import ParameterError

    if plot is not None and plot.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ParameterError("--plot", str(plot), "a file name ending in .png, .svg or .pdf")


def list_systems(fmt: OutputFormat) -> None:
    from microlink.rack.topology import DATA_DIR, read_yaml

    rows = []
    for path in sorted(DATA_DIR.glob("*.yaml")):
        data = read_yaml(path)
        rows.append({"name": data["name"], "kind": data["kind"], "aliases": data.get("aliases", []),
                     "title": data["title"]})
    if fmt != OutputFormat.table:
        from microlink.cli.options import print_document, run_meta

        print_document(rows, fmt, run_meta(inputs={"list": True}))
        return
    for r in rows:
        aliases = f" ({', '.join(r['aliases'])})" if r["aliases"] else ""
        typer.echo(f"{r['kind']:9s} {r['name']}{aliases}: {r['title']}")


def run(topology, *, tech, policy, baseline, assign, workload, fill, job_days, gpu_power, step_time, target_ber,
        bins, workers, reach, detail, fmt, plot, uncertainty: int = 0, seed: int = DEFAULT_SEED) -> None:
    """Compare, then print (table or JSON) and optionally plot; ``uncertainty`` samples add bands."""
    from microlink.rack.system import compare
    from microlink.rack.workload import load_workload
    from microlink.units import parse_quantity

    from microlink.rack.links import default_workers

    workers = default_workers() if workers is None else workers
    tech = ",".join(tech) if isinstance(tech, (list, tuple)) else tech  # repeatable and comma lists alike
    wl = load_workload(workload) if workload else None
    comparison = compare(
        topology, tech=tech, policy=None if policy == "none" else policy, baseline=baseline, fixed=list(assign),
        workload=wl, fill=fill, bins=bins, target_ber=target_ber, solve_reach=reach, job_days=job_days, workers=workers,
        gpu_power=parse_quantity(gpu_power, "W", field="--gpu-power") if gpu_power else None,
        step_time=parse_quantity(step_time, "s", field="--step-time") if step_time else None,
    )
    bands = None
    if uncertainty:
        from microlink.cli.uncertainty_options import _progress_bar
        from microlink.rack.uncertainty import rack_bands

        callback, bar = _progress_bar(uncertainty, fmt != OutputFormat.json and uncertainty > 1)
        try:
            bands = rack_bands(
                topology, samples=uncertainty, seed=seed, tech=tech, policy=None if policy == "none" else policy,
                baseline=baseline, fixed=list(assign), workload=wl, fill=fill, bins=bins, target_ber=target_ber,
                solve_reach=False, job_days=job_days, progress=callback,
                gpu_power=parse_quantity(gpu_power, "W", field="--gpu-power") if gpu_power else None,
                step_time=parse_quantity(step_time, "s", field="--step-time") if step_time else None)
        finally:
            if bar is not None:
                bar.stop()
    saved = None
    if plot is not None:
        from microlink.report.rack_plots import save_power_figure

        saved = save_power_figure(comparison.to_dict(), plot)
    if fmt != OutputFormat.table:
        from microlink.cli.options import print_document, run_meta

        doc = comparison.to_dict()
        from microlink.rack.tco import TcoAssumptions, system_tco

        tco_a = TcoAssumptions()
        rows = [r for r in comparison.rows] + ([comparison.baseline] if comparison.baseline is not None else [])
        doc["tco"] = {"assumptions": tco_a.to_dict(), "rows": [system_tco(r, tco_a).to_dict() for r in rows]}
        doc["plot"] = str(saved) if saved is not None else None
        if bands is not None:
            from microlink.cli.uncertainty_options import rack_bands_json

            doc["uncertainty"] = rack_bands_json(bands, comparison)
        inputs = {"system": topology.name, "tech": tech, "policy": policy, "baseline": baseline, "assign": list(assign),
                  "workload": workload, "fill": fill, "job_days": job_days, "gpu_power": gpu_power,
                  "step_time": step_time, "target_ber": target_ber, "bins": bins, "solve_reach": reach,
                  "uncertainty": uncertainty}
        boundary = ("interconnect of the system: switch cores and every link end, host logic to host logic "
                    "(host attach and FEC included)")
        if fmt == OutputFormat.csv:
            doc = {"rows": [{k: v for k, v in r.items() if k != "classes"} for r in
                            ([doc["baseline"]] if doc.get("baseline") else []) + list(doc["results"])]}
        print_document(doc, fmt, run_meta(inputs=inputs, seed=seed if uncertainty else None, boundary=boundary))
    else:
        print_comparison(comparison, detail=detail, saved=saved)
        if bands is not None:
            from microlink.cli.uncertainty_options import print_rack_bands

            print_rack_bands(bands, comparison, console=_console())


def _num(x: float, digits: int = 3) -> str:
    """Compact number: 1,234 / 12.3 k / 4.56 M."""
    if x is None:
        return "-"
    ax = abs(x)
    if ax >= 1e9:
        return f"{x / 1e9:.{digits}g} G"
    if ax >= 1e6:
        return f"{x / 1e6:.{digits}g} M"
    if ax >= 1e4:
        return f"{x / 1e3:.{digits}g} k"
    if ax >= 100 or x == int(x):
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


def _reach(c) -> str:
    """Reach of a class's technology as far as the evaluated lengths tell."""
    if c.feasible:
        return f">= {c.longest_cable_m:.3g}"
    if c.reach_estimate_m > 0:
        return f"~{c.reach_estimate_m:.3g}"
    return f"< {c.shortest_evaluated_m:.3g}"


def _percent(fraction: float) -> str:
    """Share in percent, never rounded up to 100 or down to 0."""
    pct = 100 * fraction
    if 0 < pct < 1 or 99 < pct < 100:
        return f"{pct:.1f}" if 0.05 <= pct <= 99.95 else ("<0.1" if pct < 1 else ">99.9")
    return f"{pct:.0f}"


def _signed(x: float | None, scale: float = 1.0, digits: int = 3) -> str:
    if x is None:
        return "-"
    v = x / scale
    text = _num(abs(v), digits)
    return ("+" if v > 0 else "-" if v < 0 else "") + text


def _console(console=None):
    from rich.console import Console

    if console is not None:
        return console
    console = Console()
    return console if console.is_terminal else Console(width=160)


def _table(title: str, columns: list[tuple[str, str]]):
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for name, justify in columns:
        table.add_column(escape(name), justify=justify, no_wrap=True)
    return table


def print_comparison(comparison, *, detail: bool = False, saved=None, console=None) -> None:
    """Rich tables of a :class:`~microlink.rack.system.Comparison` (presentation only)."""
    console = _console(console)
    t = comparison.topology
    rows = list(comparison.rows)
    base = comparison.baseline
    every = ([base] if base is not None else []) + rows
    cluster = t.kind == "cluster"
    power_scale, power_unit = (1e6, "MW") if cluster else (1e3, "kW")
    has_workload = comparison.workload is not None

    def name(r):
        return f"[bold]{r.technology}[/]" if r is base else r.technology

    def reach(r):
        return "[green]yes[/]" if r.feasible else f"[red]no ({len(r.infeasible_classes)})[/]"

    console.print(f"[bold]{t.title}[/]", highlight=False)
    console.print(f"[dim]{t.gpus:,} GPUs, {t.racks:,} rack(s), {t.switch_chips:,} switch chips; "
                  f"{t.bandwidth_per_direction() / 1e12:,.1f} Tb/s per direction in "
                  + ", ".join(f"{c.name} ({c.links:,} x {c.link_rate / 1e9:g} Gb/s, {c.length.describe()})"
                              for c in t.link_classes) + "[/]", highlight=False, soft_wrap=True)

    power = _table("Power and cost", [
        ("technology", "left"), ("reaches", "left"), (f"interconnect [{power_unit}]", "right"), ("share [%]", "right"),
        ("pJ/bit", "right"), ("cost [$]", "right"), (f"d power [{power_unit}]", "right"), ("d cost [$]", "right")])
    for r in every:
        power.add_row(name(r), reach(r), f"{r.interconnect_power_w / power_scale:,.4g}",
                      f"{100 * r.interconnect_share:.2f}", f"{r.energy_per_bit * 1e12:.3g}", _num(r.cost_usd),
                      _signed(r.delta_power_w, power_scale), _signed(r.delta_cost_usd))
    console.print(power)

    rel = _table("Reliability", [
        ("technology", "left"), ("FIT per link", "right"), ("failures per day", "right"),
        ("per job", "right"), ("d failures per day", "right"), ("days between failures", "right")])
    for r in every:
        rel.add_row(name(r), f"{r.fit_per_link:.3g}", f"{r.failures_per_day:.3g}", f"{r.failures_per_job:.3g}",
                    _signed(r.delta_failures_per_day), f"{1 / r.failures_per_day:,.3g}" if r.failures_per_day > 0 else "-")
    console.print(rel)

    from microlink.rack.tco import TcoAssumptions, describe_assumptions, system_tco

    tco_a = TcoAssumptions()
    tco = _table("Total cost of ownership of the links [US$]", [
        ("technology", "left"), ("capex", "right"), ("energy", "right"), ("replacements", "right"),
        ("downtime", "right"), ("total", "right"), ("per rack", "right"), ("per link end", "right")])
    for r in every:
        t = system_tco(r, tco_a)
        tco.add_row(name(r), _num(t.capex_usd), _num(t.energy_usd), _num(t.replacement_usd), _num(t.downtime_usd),
                    _num(t.total_usd), _num(t.per_rack_usd), f"{t.per_end_usd:,.0f}")
    console.print(tco)
    console.print(f"[dim]{describe_assumptions(tco_a)} (microlink.rack.tco; switches excluded)[/]", highlight=False)

    counts = _table("Counts", [
        ("technology", "left"), ("link ends", "right"), ("lanes", "right"), ("spare", "right"),
        ("cables", "right"), ("fibers", "right"), ("cable [km]", "right")])
    for r in every:
        counts.add_row(name(r), f"{r.link_ends:,}", f"{r.lanes:,}", f"{r.lanes_spare:,}", f"{r.cables:,}",
                       f"{r.fibers:,}", f"{r.cable_length_m / 1e3:,.4g}")
    console.print(counts)

    if has_workload:
        w, tr = comparison.workload, comparison.traffic
        console.print(
            f"[bold]Workload {w.name}[/]: {w.gpus:,} GPUs (TP{w.tp} CP{w.cp} PP{w.pp} DP{w.dp} EP{w.ep}), step "
            f"{w.step_time:.3g} s, {w.job_duration / 86400:.3g} days; per GPU per step "
            f"{tr.scale_up_bytes_per_gpu / 1e9:,.4g} GB scale-up + {tr.scale_out_bytes_per_gpu / 1e9:,.4g} GB scale-out "
            "(" + ", ".join(f"{k.upper()} {(v[0] + v[1]) / 1e9:,.3g} GB" for k, v in tr.per_gpu.items() if v[0] + v[1] > 0)
            + ")", highlight=False, soft_wrap=True)
        step = _table("Energy per training step", [
            ("technology", "left"), ("interconnect [MJ]", "right"), ("share of step [%]", "right"),
            ("traffic-proportional [MJ]", "right"), ("GPUs [MJ]", "right"), ("busiest class use [%]", "right")])
        for r in every:
            wr = r.workload
            busiest = max(r.classes, key=lambda c: c.utilisation if c.utilisation == c.utilisation else -1)
            step.add_row(name(r), f"{wr.energy_per_step_j / 1e6:,.4g}", f"{100 * wr.step_energy_share:.2f}",
                         f"{wr.traffic_energy_per_step_j / 1e6:,.3g}", f"{wr.gpu_energy_per_step_j / 1e6:,.4g}",
                         f"{busiest.name} {100 * busiest.utilisation:.1f}")
        console.print(step)

    mixes = [r for r in every if r.policy != "fixed" or len(set(r.assignment.values())) > 1]
    if detail or mixes:
        solved = any(c.max_reach_m == c.max_reach_m for r in every for c in r.classes)
        columns = [("technology", "left"), ("class", "left"), ("set", "left"), ("ends", "right"),
                   ("W per end", "right"), ("$ per end", "right"), ("FIT per end", "right"),
                   ("in reach [%]", "right"), ("reach / longest [m]", "right")]
        per = _table("Per link class" if detail else "Mixes", columns + ([("solved reach [m]", "right")] if solved else []))
        for r in (every if detail else mixes):
            for c in r.classes:
                cells = [name(r), c.name, c.parameter_set, f"{c.link_ends:,}", f"{c.power_per_end_w:.3g}",
                         f"{c.cost_per_end_usd:,.0f}", f"{c.fit_per_end:.3g}", _percent(c.feasible_fraction),
                         _reach(c) + f" / {c.longest_cable_m:.3g}"]
                if solved:
                    cells.append("-" if c.max_reach_m != c.max_reach_m else f"{c.max_reach_m:.3g}")
                per.add_row(*cells)
        console.print(per)

    notes = []
    ref = rows[0] if rows else base
    short = [r for r in every if not r.feasible]
    for r in short:
        notes.append(f"[red]{r.technology}[/] cannot carry: {', '.join(r.infeasible_classes)} (a cable beyond its "
                     "reach, or lanes that do not fit the hosts' SerDes without a gearbox; figures shown as if it "
                     "could).")
    notes.append(f"Power = link ends (link results, incl. host SerDes / die-to-die halves) + {ref.switch_chips:,} "
                 f"switch cores ({ref.switch_power_w / power_scale:,.3g} {power_unit}); share of "
                 f"{ref.non_interconnect_power_w / power_scale:,.4g} {power_unit} non-interconnect + interconnect.")
    if base is not None:
        notes.append(f"d = difference to {base.technology}: "
                     + ", ".join(f"{k}: {v}" for k, v in base.assignment.items()) + ".")
    else:
        notes.append(f"[yellow]No baseline[/]: {comparison.baseline_note}.")
    notes.append(f"FIT per link = one end pair (both ends); per job = per day x {ref.job_days:.3g} days"
                 + (" (workload)" if has_workload else " (Llama 3 snapshot, systems_and_market.md 2.4)") + ".")
    if has_workload and ref.workload.uncarried_bytes_per_step > 0:
        notes.append(f"[yellow]{ref.workload.uncarried_bytes_per_step / 1e12:,.3g} TB per step leave this system "
                     "(no link class of that scope) and are not charged.[/]")
    for n in comparison.notes:
        notes.append(f"[yellow]{n}[/]")
    if saved is not None:
        notes.append(f"Figure saved to {saved}")
    for n in notes:
        console.print(n, highlight=False, soft_wrap=True)
