"""``microlink report``: one self-contained HTML file with every figure (works offline)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from microlink.cli.compare import Attach
from microlink.cli.options import DEFAULT_SEED


def main(
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="HTML file to write."),
    compare: bool = typer.Option(True, "--compare/--no-compare", help="Technologies against reach, energy split."),
    link: bool = typer.Option(True, "--link/--no-link", help="Link budget, eye and bathtubs of --preset."),
    rack: bool = typer.Option(True, "--rack/--no-rack", help="Rack power, cost and failures of --system."),
    market: bool = typer.Option(True, "--market/--no-market", help="Market fan chart and tornado of --scenario."),
    sweep: Optional[str] = typer.Option(None, "--sweep", help="Stored sweep run (id or 'latest') to show the Pareto "
                                                              "front of [default: none]."),
    store: Path = typer.Option(Path("microlink.duckdb"), "--store", help="Sweep store read by --sweep."),
    rate: str = typer.Option("1.6 Tb/s", "--rate", "-r", help="Aggregate payload per direction of the comparison."),
    reach: List[str] = typer.Option([], "--reach", help="Comparison lengths, repeatable or a comma list with units "
                                                       "[default: 0.5, 1, 2, 5, 10, 30 m]."),
    tech: List[str] = typer.Option([], "--tech", "-t", help="Catalog sets to compare, repeatable "
                                                           "[default: one per technology]."),
    target_ber: float = typer.Option(1e-12, "--target-ber", help="Required BER after FEC."),
    attach: Attach = typer.Option(Attach.native, "--attach", "-a", help="Host attach of the comparison."),
    preset: str = typer.Option("lightbundle", "--preset", "-p", help="Link of the budget and eye sections."),
    system: str = typer.Option("gb200-nvl72", "--system", help="Rack preset or topology YAML of the rack section."),
    scenario: str = typer.Option("base", "--scenario", help="Market scenario of the market section."),
    samples: int = typer.Option(1000, "--samples", help="Monte Carlo samples of the market bands."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Root seed of the market and comparison bands (recorded)."),
    uncertainty: int = typer.Option(0, "--uncertainty", min=0,
                                    help="Latin-hypercube samples of each compared set's parameter ranges: P10-P90 "
                                         "energy bands in the comparison (0: point estimates)."),
):
    """Write one HTML report (Plotly inlined, no network needed): comparison, budget, eye, rack, market, sweep."""
    import microlink
    from microlink.catalog import get_parameter_set
    from microlink.cli.compare import parse_reaches
    from microlink.comparison import compare_links
    from microlink.errors import ParameterError
    from microlink.parameters import check_range
    from microlink.report.html import EyeView, ReportData, SourceEntry, write_report
    from microlink.units import parse_quantity

    if out.suffix.lower() not in (".html", ".htm"):
        raise ParameterError("--out", str(out), "a file name ending in .html")
    if not out.parent.exists():
        raise ParameterError("--out", str(out), "a file in an existing directory")
    if not (compare or link or rack or market or sweep):
        raise ParameterError("sections", "none", "at least one of --compare, --link, --rack, --market, --sweep RUN")
    check_range("--samples", samples, 10, 1e6)
    inputs: dict[str, str] = {}
    names: set[str] = set()
    data: dict = {}
    extra_sources: list = []

    if compare:
        aggregate = parse_quantity(rate, "b/s", field="--rate")
        lengths = parse_reaches(reach) if reach else None
        techs = [p.strip() for item in tech for p in item.split(",") if p.strip()] or None
        ds = compare_links(techs, aggregate_rate=aggregate, reach=lengths, target_ber=target_ber,
                           attach=attach.value)
        if uncertainty:
            ds = _with_bands(ds, samples=uncertainty, seed=seed, target_ber=target_ber)
        data["comparison"] = ds
        names.update(str(t) for t in ds.technology.values)
        inputs["compare"] = (f"{aggregate / 1e12:.3g} Tb/s per direction, reaches "
                             f"{', '.join(f'{r:g}' for r in ds.reach.values)} m, BER {target_ber:.0e} after FEC, "
                             f"attach {attach.value}, sets {', '.join(str(t) for t in ds.technology.values)}"
                             + (f"; bands: {uncertainty} samples of each set's ranges, seed {seed}" if uncertainty
                                else ""))
    if link:
        from microlink.ber.model import decision_point
        from microlink.ber.statistical import statistical_eye
        from microlink.link.chain import evaluate_link

        ps = get_parameter_set(preset)
        result = evaluate_link(preset, target_ber=target_ber)
        if float(result.received_power) > 0:
            data["link"] = result
        length = float(result.reach)
        inputs["budget"] = f"{preset} at {length:g} m, {float(result.aggregate_rate) / 1e9:g} Gb/s, BER {target_ber:.0e}"
        if hasattr(ps.parameters, "decision_model"):
            point = decision_point(ps.parameters.decision_model(length))
            eye = statistical_eye(point)
            unit = "A" if float(result.received_power) > 0 else "V"
            data["eye"] = EyeView(eye=eye, unit=unit, target_ber=target_ber,
                                  label=f"{preset}, {float(result.lane_rate) / 1e9:.3g} Gb/s {point.modulation}, "
                                        f"{length:g} m", height=eye.eye_height(target_ber),
                                  width=eye.eye_width(target_ber))
            inputs["eye"] = f"{preset} lane at {length:g} m, statistical eye (no random draw), BER {target_ber:.0e}"
        names.add(preset)
    if rack:
        from microlink.rack.cluster import load_system
        from microlink.rack.system import compare as rack_compare

        topology = load_system(system)
        doc = rack_compare(topology, tech="all", policy=None, baseline="as-built", fill=False).to_dict()
        data["rack"] = doc
        inputs["rack"] = f"system {doc['system']}, every catalog set, baseline as-built"
        extra_sources.append(SourceEntry(name=doc["system"], title=doc["title"], citation=(
            "topology file of the system: counts, lengths and powers each with its source "
            "(`microlink rack --list`; docs/formats.md describes the format)")))
    if market:
        from microlink.market import load_scenario, run_scenario

        forecast = run_scenario(scenario, samples=samples, seed=seed)
        data["market"] = forecast
        sc = load_scenario(scenario)
        inputs["market"] = f"scenario {scenario} ({sc.title}), {samples} samples, seed {seed}"
        extra_sources.append(SourceEntry(name=f"scenario-{scenario}", title=sc.title, citation=(
            "scenario file: every assumption with its range and source (`microlink market --list`)")))
    if sweep:
        data["sweep"] = _sweep_front(store, sweep)
        inputs["sweep"] = f"store {store.name}, run {data['sweep'].run_id}"

    sources = []
    for name in sorted(names):
        ps = get_parameter_set(name)
        details = tuple((k, s.citation) for k, s in sorted(ps.sources.items()))
        sources.append(SourceEntry(name=name, title=ps.title, citation=ps.citation, details=details))
    report = ReportData(sources=tuple(sources + extra_sources), inputs=inputs, version=microlink.__version__,
                        title="microlink: which link should carry the bits", **data)
    path = write_report(out, report)
    from rich.console import Console

    Console().print(f"report written to {path} ({path.stat().st_size / 1e6:.1f} MB, opens offline)",
                    highlight=False)


def _with_bands(ds, *, samples: int, seed: int, target_ber: float):
    """``ds`` with ``energy_per_bit_low``/``_high`` [J/bit]: P10 and P90 over each set's parameter ranges (NaN for
    sets without ranges), read at the shortest reach and drawn across the reaches."""
    import numpy as np

    from microlink.cli.uncertainty_options import compare_bands

    names = [str(t) for t in ds.technology.values]
    bands = compare_bands(names, samples=samples, seed=seed, aggregate_rate=float(ds.attrs["aggregate_rate"]),
                          reaches=[float(r) for r in ds.reach.values], target_ber=target_ber)
    low = np.full(ds.energy_per_bit.shape, np.nan)
    high = np.full(ds.energy_per_bit.shape, np.nan)
    for i, name in enumerate(names):
        if name in bands:
            band = bands[name][0].bands["energy_per_bit_pj"]
            low[i], high[i] = band.p10 * 1e-12, band.p90 * 1e-12
    attrs = {"units": "J/bit", "samples": samples, "seed": seed}
    return ds.assign(energy_per_bit_low=(ds.energy_per_bit.dims, low, {**attrs, "description": "P10 energy per bit"}),
                     energy_per_bit_high=(ds.energy_per_bit.dims, high, {**attrs, "description": "P90 energy per bit"}))


def _sweep_front(store: Path, run: str):
    from microlink.cli.results import _run_id, resolve_objectives
    from microlink.errors import ParameterError
    from microlink.report.html import SweepFront
    from microlink.sweep.store import ResultStore

    if not store.exists():
        raise ParameterError("--store", str(store), "an existing sweep store (microlink sweep writes one)")
    with ResultStore(store, read_only=True) as db:
        run_id = _run_id(db, run)
        objectives = resolve_objectives(db, run_id, None)
        names = [n for n, _ in objectives]
        front = db.pareto(run_id, objectives, where="within_budget")
        sample = db.sample(run_id, names, where="within_budget")
        units = {c.name: c.unit for c in db.columns(run_id)}
    return SweepFront(run_id=run_id, objectives=tuple(objectives), points={n: sample[n] for n in names},
                      front={n: front[n].to_numpy() for n in names}, units=units)
