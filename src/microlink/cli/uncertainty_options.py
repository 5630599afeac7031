"""Options and output of the uncertainty features of ``link``, ``compare`` and ``rack``.

``microlink link --uncertainty N [--tornado] [--plot F] [--seed S]`` prints P10/P50/P90 bands, P(feasible),
a one-at-a-time tornado and a Sobol' ranking; ``microlink link --solve-for section.field --reach "50 m"``
answers "what would it take". The computing lives in :mod:`microlink.uncertainty`; this module parses,
prints and draws.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from microlink.cli.options import DEFAULT_SEED, OutputFormat

UncertaintyOption = typer.Option(0, "--uncertainty", min=0, help="Latin-hypercube samples of the parameter ranges "
                                 "(0: point estimate only); prints P10/P50/P90 and P(feasible).")
TornadoOption = typer.Option(False, "--tornado", help="With --uncertainty: one-at-a-time tornado and Sobol' ranking.")
UncertaintySeedOption = typer.Option(DEFAULT_SEED, "--seed", help="Root seed of the uncertainty draws (recorded).")
SolveForOption = typer.Option(None, "--solve-for", metavar="SECTION.FIELD",
                              help="Solve for the value of one field that meets the target BER at --reach, "
                                   "e.g. led.spectral_width.")
UncertaintyExecutorOption = typer.Option("serial", "--executor", help="Where samples run: serial | processes | dask.")

_UNITS = {"max_reach_m": "m", "margin_db": "dB", "energy_per_bit_pj": "pJ/bit", "power_per_end_w": "W",
          "ber": "", "cost_usd": "USD", "fit": "FIT"}


def _progress_bar(total: int, enabled: bool):
    """A Rich progress callback for runs long enough to need one (None otherwise)."""
    if not enabled:
        return None, None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task("samples", total=total)
    bar.start()

    def update(done: int, _total: int) -> None:
        bar.update(task, completed=done)

    return update, bar


def run_link_uncertainty(parameter_set: Any, *, samples: int, tornado: bool, seed: int, aggregate_rate, reach,
                         target_ber, lane_rate, fmt: OutputFormat, plot: Optional[Path],
                         executor: str = "serial") -> None:
    """``microlink link --uncertainty N``: bands (and tornado/Sobol'), as a table or JSON, and a figure."""
    from microlink.cli.options import print_json, run_meta
    from microlink.uncertainty import link_bands, runs_per_sample

    slow = samples >= 64 and runs_per_sample(getattr(parameter_set, "parameters", parameter_set),
                                             getattr(parameter_set, "ranges", None))
    callback, bar = _progress_bar(samples, slow and fmt != OutputFormat.json)
    try:
        result = link_bands(parameter_set, samples=samples, seed=seed, aggregate_rate=aggregate_rate, reach=reach,
                            target_ber=target_ber, lane_rate=lane_rate, with_tornado=tornado, with_sobol=tornado,
                            executor=executor, progress=callback)
    finally:
        if bar is not None:
            bar.stop()
    if plot is not None:
        save_uncertainty_figure(result, plot)
    if fmt == OutputFormat.json:
        meta = run_meta(inputs={"samples": samples, "tornado": tornado, "rate_bps": aggregate_rate, "reach_m": reach,
                                "target_ber": target_ber, "lane_rate_bps": lane_rate, "executor": executor},
                        seed=seed)
        print_json({"meta": meta, **result.to_dict()})
        return
    print_bands(result)
    if plot is not None:
        from rich.console import Console

        Console().print(f"figure saved to {plot}")


def print_bands(result) -> None:
    """Rich tables of the bands, the tornado and the Sobol' ranking."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    req = result.request
    t = Table(title=f"{result.parameter_set}: {req['aggregate_rate'] / 1e9:g} Gb/s over {req['reach']:g} m, "
                    f"{result.samples} samples (seed {result.seed}, "
                    f"{'vectorised' if result.vectorised else 'one call per sample'})")
    for col in ("output", "point", "P10", "P50", "P90"):
        t.add_column(col, justify="right" if col != "output" else "left")
    for m, band in result.bands.items():
        fmt = "{:.3g}" if m != "ber" else "{:.2e}"
        t.add_row(f"{m} [{_UNITS[m]}]".replace(" []", ""), fmt.format(result.point[m]), fmt.format(band.p10),
                  fmt.format(band.p50), fmt.format(band.p90))
    t.add_row("P(feasible)", "", "", f"{result.p_feasible:.2f}", "")
    console.print(t)
    if result.tornado:
        tt = Table(title="tornado: one field at the ends of its range")
        for col in ("field", "low .. high", "max reach [m]", "margin [dB]", "pJ/bit"):
            tt.add_column(col)
        for e in result.tornado[:12]:
            tt.add_row(e.field, f"{e.low:.3g} .. {e.high:.3g} {e.unit}",
                       f"{e.at_low['max_reach_m']:.3g} .. {e.at_high['max_reach_m']:.3g}",
                       f"{e.at_low['margin_db']:.3g} .. {e.at_high['margin_db']:.3g}",
                       f"{e.at_low['energy_per_bit_pj']:.3g} .. {e.at_high['energy_per_bit_pj']:.3g}")
        console.print(tt)
    for metric, ranking in result.sobol.items():
        if not ranking:
            continue
        st = Table(title=f"Sobol' indices of {metric} (what the answer rests on)")
        for col in ("dimension", "first order", "total"):
            st.add_column(col)
        for s in ranking[:8]:
            st.add_row(s.dimension, f"{s.s1:.2f} +- {s.s1_conf:.2f}", f"{s.st:.2f} +- {s.st_conf:.2f}")
        console.print(st)


def save_uncertainty_figure(result, path: Path) -> None:
    """Histogram of max reach with its P10/P50/P90, and the tornado of max reach."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5))
    x = np.asarray(result.outputs["max_reach_m"])
    ax1.hist(x[np.isfinite(x)], bins=30, color="tab:blue", alpha=0.7)
    b = result.bands["max_reach_m"]
    for q, v, ls in (("P10", b.p10, ":"), ("P50", b.p50, "-"), ("P90", b.p90, ":")):
        ax1.axvline(v, color="k", ls=ls, label=f"{q} {v:.3g} m")
    ax1.axvline(result.point["max_reach_m"], color="tab:red", label="point estimate")
    ax1.axvline(result.request["reach"], color="tab:green", ls="--", label=f"requested, P(feasible) "
                                                                             f"{result.p_feasible:.2f}")
    ax1.set_xlabel("max reach [m]")
    ax1.set_ylabel("samples")
    ax1.legend(fontsize=8)
    entries = list(result.tornado[:10])[::-1]
    point = result.point["max_reach_m"]
    for i, e in enumerate(entries):
        lo, hi = e.at_low["max_reach_m"], e.at_high["max_reach_m"]
        ax2.barh(i, lo - point, left=point, color="tab:orange")
        ax2.barh(i, hi - point, left=point, color="tab:blue")
    ax2.set_yticks(range(len(entries)), [e.field for e in entries], fontsize=8)
    ax2.axvline(point, color="k", lw=0.8)
    ax2.set_xlabel("max reach [m] (orange: field at low end, blue: high end)")
    ax1.set_title(f"{result.parameter_set}: {result.samples} samples, seed {result.seed}")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def run_solve_for(parameter_set: Any, field_key: str, *, aggregate_rate, reach, target_ber, lane_rate,
                  fmt: OutputFormat) -> None:
    """``microlink link --solve-for section.field``: the value, or "not reachable" and the limiting bound."""
    from microlink.cli.options import print_json, run_meta
    from microlink.uncertainty import solve_for

    result = solve_for(parameter_set, field_key, reach=reach, aggregate_rate=aggregate_rate, target_ber=target_ber,
                       lane_rate=lane_rate)
    if fmt == OutputFormat.json:
        d = result.to_dict()
        d["message"] = result.message
        meta = run_meta(inputs={"field": field_key, "rate_bps": aggregate_rate, "reach_m": reach,
                                "target_ber": target_ber, "lane_rate_bps": lane_rate})
        print_json({"meta": meta, **d})
        return
    from rich.console import Console

    req = result.request
    Console().print(f"{req['aggregate_rate'] / 1e9:g} Gb/s over {req['reach']:g} m at BER {req['target_ber']:.0e}: "
                    f"{result.message}", highlight=False)


def compare_bands(names: list[str], *, samples: int, seed: int, aggregate_rate: float, reaches: list[float],
                  target_ber: float) -> dict[str, Any]:
    """Bands of every compared set that records ranges: ``{name: (LinkUncertainty, {length: P(feasible)})}``.

    One draw per set at the shortest length; the probability of being feasible at each length is the
    fraction of samples whose max reach covers it (the chain's feasibility is ``reach <= max_reach``).
    Sets without ranges (:func:`sets_without_ranges`) are left out: they have only their point estimate.
    """
    import numpy as np

    from microlink.uncertainty import link_bands

    out = {}
    skip = set(sets_without_ranges(names))
    for name in names:
        if name in skip:
            continue
        r = link_bands(name, samples=samples, seed=seed, aggregate_rate=aggregate_rate, reach=float(min(reaches)),
                       target_ber=target_ber)
        reach = np.asarray(r.outputs["max_reach_m"])
        out[name] = (r, {float(L): float(np.mean(reach >= L)) for L in reaches})
    return out


def sets_without_ranges(names: list[str]) -> list[str]:
    """The catalog sets among ``names`` that record no parameter ranges (point estimates only)."""
    from microlink.catalog import get_parameter_set

    return [n for n in names if not get_parameter_set(n).ranges]


def print_compare_bands(bands: dict[str, Any], without: list[str] = (), console=None) -> None:
    """P(feasible) per length and the P10-P90 of energy per bit and max reach, one row per set."""
    from rich.console import Console
    from rich.table import Table

    lengths = sorted({L for _, p in bands.values() for L in p})
    t = Table(title="uncertainty: P(feasible) at each length; P10 .. P90 bands")
    t.add_column("set", no_wrap=True)
    for L in lengths:
        t.add_column(f"P {L:g} m", justify="right", no_wrap=True)
    for col in ("pJ/bit", "max reach \\[m]"):
        t.add_column(col, no_wrap=True)
    for name, (r, p) in bands.items():
        e, m = r.bands["energy_per_bit_pj"], r.bands["max_reach_m"]
        t.add_row(name, *[f"{p[L]:.2f}" for L in lengths], f"{e.p10:.3g} .. {e.p90:.3g}",
                  f"{m.p10:.3g} .. {m.p90:.3g}")
    console = console or Console()
    if bands:
        console.print(t)
    seeds = sorted({r.seed for r, _ in bands.values()})
    if seeds:
        n = sorted({r.samples for r, _ in bands.values()})
        console.print(f"{', '.join(map(str, n))} Latin-hypercube samples of each set's recorded ranges, seed "
                      f"{', '.join(map(str, seeds))}; "
                      "P(feasible) = fraction of samples whose max reach covers the length.", highlight=False)
    if without:
        console.print(f"No recorded ranges (point estimate only): {', '.join(without)}.", highlight=False)


def compare_bands_json(bands: dict[str, Any]) -> list[dict]:
    """JSON rows of :func:`compare_bands`: one per set, the bands and ``p_feasible`` per length."""
    rows = []
    for name, (r, p) in bands.items():
        d = r.to_dict()
        d.pop("tornado", None)
        d.pop("sobol", None)
        d["p_feasible_by_reach_m"] = {f"{L:g}": v for L, v in p.items()}
        rows.append(d)
    return rows


def _rack_sets(comparison) -> list[str]:
    """Parameter sets carrying any row or the baseline of a rack comparison."""
    rows = list(comparison.rows) + ([comparison.baseline] if comparison.baseline is not None else [])
    return sorted({s for r in rows for s in r.assignment.values()})


def rack_bands_json(bands, comparison) -> dict[str, Any]:
    """JSON of :class:`~microlink.rack.uncertainty.RackBands` with the ranges of the sets the rows use."""
    from microlink.catalog import get_parameter_set

    d = bands.to_dict()
    d["ranges"] = {name: {k: r.to_dict() for k, r in sorted((get_parameter_set(name).ranges or {}).items())}
                   for name in _rack_sets(comparison)}
    d["without_ranges"] = sets_without_ranges(_rack_sets(comparison))
    return d


def print_rack_bands(bands, comparison, console=None) -> None:
    """Table of the rack bands: P10 .. P50 .. P90 of the deltas and P(beats baseline), one row per technology."""
    import numpy as np
    from rich.console import Console
    from rich.table import Table

    cluster = comparison.topology.kind == "cluster"
    scale, unit = (1e6, "MW") if cluster else (1e3, "kW")
    t = Table(title=f"uncertainty against {bands.baseline}: P10 / P50 / P90 over {bands.samples} samples "
                    f"(seed {bands.seed})", title_justify="left")
    t.add_column("technology", no_wrap=True)
    for col in (f"d power \\[{unit}]", "d cost \\[$]", "d failures per day", "P(beats baseline)"):
        t.add_column(col, justify="right", no_wrap=True)

    def trio(v, s=1.0, f="{:.3g}"):
        return " / ".join(f.format(x / s) for x in v)

    cost = max((abs(x) for b in bands.bands.values() for x in b["delta_cost_usd"] if np.isfinite(x)), default=0.0)
    cost_scale, cost_unit = (1e6, " M") if cost >= 1e7 else (1e3, " k") if cost >= 1e4 else (1.0, "")
    for name, b in bands.bands.items():
        t.add_row(name, trio(b["delta_power_w"], scale), trio(b["delta_cost_usd"], cost_scale, "{:,.4g}" + cost_unit),
                  trio(b["delta_failures_per_day"]), f"{bands.p_beats_baseline[name]:.2f}")
    console = console or Console()
    console.print(t)
    note = ("d = row minus baseline, both drawn from their sets' recorded ranges in the same sample; "
            "P(beats baseline) = fraction of samples with less interconnect power than the baseline.")
    without = sets_without_ranges(_rack_sets(comparison))
    if without:
        note += f" No recorded ranges (held at point values): {', '.join(without)}."
    console.print(note, highlight=False, soft_wrap=True)
