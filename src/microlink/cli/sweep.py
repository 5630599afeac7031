"""``microlink sweep SPEC.yaml``: run (or resume) a design-space sweep into the DuckDB store."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Optional

import typer

from microlink.cli.options import FormatOption, OutputFormat, PlotOption
from microlink.cli.results import StoreOption

EXIT_INTERRUPTED = 130
#: Most worker processes a sweep starts.
MAX_WORKERS = 1024


class ExecutorName(str, enum.Enum):
    serial = "serial"
    processes = "processes"
    dask = "dask"


def main(
    spec: Path = typer.Argument(..., help="Sweep spec (YAML or TOML, units as strings); see examples/."),
    executor: ExecutorName = typer.Option(ExecutorName.serial, "--executor", "-e",
                                          help="Where chunks run: serial | processes | dask."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                          help="Worker processes (processes, dask LocalCluster) (default: CPUs)."),
    store: Path = StoreOption,
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Join an existing Dask cluster, e.g. tcp://10.0.0.5:8786 "
                                                 "(needs --executor dask)."),
    chunk_size: Optional[int] = typer.Option(None, "--chunk-size",
                                             help="Points per chunk (default: the spec's, else 4096); part of the "
                                                  "run's identity (a different value starts a new run)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Root seed (default: the spec's, else drawn and "
                                                            "recorded); part of the run's identity."),
    pareto: Optional[str] = typer.Option(None, "--pareto",
                                         help="Print the Pareto front: NAME:min|max,... e.g. "
                                              "energy_per_bit_pj:min,max_reach_m:max ('spec': the spec's)."),
    plot: Optional[Path] = PlotOption,
    new: bool = typer.Option(False, "--new", help="Start a new run even if the store holds this spec's run."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show the progress bar."),
    fmt: OutputFormat = FormatOption,
):
    """Run a design-space sweep from a spec file; a killed or stopped run resumes where it stopped."""
    import signal
    import threading

    from rich.console import Console
    from rich.markup import escape

    from microlink.cli.results import front_document, show_front
    from microlink.errors import ConfigError, ParameterError
    from microlink.sweep.engine import run_sweep
    from microlink.sweep.spec import load_spec, parse_objectives
    from microlink.sweep.store import ResultStore

    err = Console(stderr=True)
    if plot is not None and plot.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ParameterError("--plot", str(plot), "a file name ending in .png, .svg or .pdf")
    from microlink.sweep.spec import MAX_CHUNK_SIZE

    if chunk_size is not None and not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise ParameterError("--chunk-size", chunk_size, f"1 .. {MAX_CHUNK_SIZE:,}")
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise ParameterError("--workers", workers, f"1 .. {MAX_WORKERS}")
    if seed is not None and not 0 <= seed < 2**63:
        raise ParameterError("--seed", seed, "a whole number 0 .. 2**63 - 1")
    if scheduler is not None:
        import re

        if not re.fullmatch(r"(tcp|tls|inproc|ucx|ws|wss)://[A-Za-z0-9._~%/\-\[\]:]{1,250}", scheduler):
            raise ParameterError("--scheduler", scheduler, "an address such as tcp://10.0.0.5:8786")
    if plot is not None and pareto is None:
        pareto = "spec"
    sweep_spec = load_spec(spec, chunk_size=chunk_size, seed=seed)
    if pareto is not None and pareto != "spec":  # fail on a bad objective before computing
        from microlink.sweep.engine import sweep_columns

        known = {c.name for c in sweep_columns(sweep_spec)}
        for name, _ in parse_objectives(pareto):
            if name not in known:
                import difflib

                close = difflib.get_close_matches(name, sorted(known), n=3)
                raise ConfigError(f"--pareto: unknown column {name!r}"
                                  + (f"; did you mean {' or '.join(close)}?" if close else ""))
    elif pareto == "spec" and not sweep_spec.pareto:
        raise ConfigError("--pareto: the spec has no pareto objectives; give NAME:min|max,...")

    stop = threading.Event()

    def on_sigint(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        err.print("[yellow]stopping: finishing the chunks in flight (Ctrl-C again to abort at once)[/]", soft_wrap=True)

    bar = _progress_bar(err, enabled=progress and fmt == OutputFormat.table)
    task = {}

    def on_start(info):
        what = "resuming" if info["resumed"] else ("already complete" if info["already_complete"] else "new")
        if fmt == OutputFormat.table:
            err.print(f"run {info['run_id']} ({what}): {info['n_points']:,} points in {info['n_chunks']:,} chunks, "
                      f"seed {info['seed']}, {info['executor']}, store {store}", markup=False, highlight=False,
                      soft_wrap=True)
        if bar is not None:
            bar.start()
            task["id"] = bar.add_task(sweep_spec.name, total=info["n_points"], completed=info["points_done"])

    def on_progress(done, total):
        if bar is not None and "id" in task:
            bar.update(task["id"], completed=done)

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_sigint) if in_main else None
    try:
        outcome = run_sweep(sweep_spec, store=store, executor=executor.value, workers=workers, scheduler=scheduler,
                            new_run=new, progress=on_progress, should_stop=stop.is_set, on_start=on_start)
    finally:
        if bar is not None:
            bar.stop()
        if in_main:
            signal.signal(signal.SIGINT, previous)

    with ResultStore(store, read_only=True) as db:
        counts = db.counts(outcome.run_id)
        objective = sweep_spec.pareto[0] if sweep_spec.pareto else _default_objective(db, outcome.run_id)
        best = db.best(outcome.run_id, *objective) if objective else None
        summary = {
            "run_id": outcome.run_id, "status": outcome.status, "store": str(store),
            "n_points": outcome.n_points, "points_done": outcome.points_done,
            "points_this_session": outcome.points_this_session, "resumed": outcome.resumed,
            "already_complete": outcome.already_complete, "seconds": outcome.seconds,
            "points_per_second": outcome.rate if outcome.points_this_session else None,
            "executor": outcome.executor, "seed": outcome.plan.seed, "spec_hash": sweep_spec.spec_hash,
            "feasible": counts["feasible"], "within_budget": counts["within_budget"],
            "best": None if best is None or best.empty else {"by": list(objective), **_first_record(best)},
        }
        front_doc = None
        if fmt == OutputFormat.table:
            _print_summary(summary, sweep_spec)
        if pareto is not None and counts["points"]:
            objectives = None if pareto == "spec" else pareto
            if fmt == OutputFormat.table:
                front_doc = show_front(db, outcome.run_id, objectives, plot=plot)
            else:
                front_doc = front_document(db, outcome.run_id, objectives, plot=plot)[0]
    if fmt != OutputFormat.table:
        from microlink.cli.options import print_document, run_meta

        if front_doc is not None:
            summary["pareto"] = front_doc
        meta = run_meta(inputs={"spec": str(spec), "executor": str(getattr(executor, "value", executor)),
                                "store": str(store), "pareto": pareto}, seed=summary.get("seed"))
        print_document(summary if fmt == OutputFormat.json else {"rows": [summary]}, fmt, meta)
    if outcome.status != "complete":
        err.print(f"[yellow]interrupted:[/] {outcome.points_done:,} of {outcome.n_points:,} points kept in "
                  f"{escape(str(store))}; "
                  "run the same command again to resume", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INTERRUPTED)


def _default_objective(db, run_id):
    names = {c.name for c in db.columns(run_id)}
    return ("energy_per_bit_pj", "min") if "energy_per_bit_pj" in names else None


def _first_record(frame) -> dict:
    import numpy as np

    rec = frame.to_dict(orient="records")[0]
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in rec.items()}


def _progress_bar(console, enabled: bool):
    if not enabled:
        return None
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task):
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} points/s" if speed else "-- points/s", style="progress.data.speed")

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                    RateColumn(), TextColumn("elapsed"), TimeElapsedColumn(), TextColumn("ETA"),
                    TimeRemainingColumn(), console=console, transient=False, auto_refresh=True)


def _print_summary(summary: dict, spec) -> None:
    from rich.console import Console
    from rich.table import Table

    from microlink.cli.results import fmt_quantity, fmt_value

    from rich.text import Text

    table = Table(title=Text(f"Sweep '{spec.name}': run {summary['run_id']}"), show_header=False)
    table.add_column("key", style="bold")
    table.add_column("value")
    status = summary["status"] + (" (already complete; --new runs it again)" if summary["already_complete"] else "")
    rate = summary["points_per_second"]
    rows = [
        ("status", status),
        ("points", f"{summary['points_done']:,} of {summary['n_points']:,}"
                   + (f" ({summary['points_this_session']:,} this session, resumed)" if summary["resumed"] else "")),
        ("time", f"{summary['seconds']:.1f} s" + (f", {rate:,.0f} points/s" if rate else "")),
        ("executor", summary["executor"]),
        ("seed / spec hash", f"{summary['seed']} / {summary['spec_hash']}"),
        ("feasible", "-" if summary["feasible"] is None else f"{summary['feasible']:,}"),
        ("within budget", "-" if summary["within_budget"] is None else f"{summary['within_budget']:,}"),
        ("store", f"{summary['store']} (table points_{summary['run_id']})"),
    ]
    best = summary["best"]
    if best:
        name, sense = best["by"]
        inputs = ", ".join(f"{a.column}={fmt_quantity(best[a.column], a.unit)}" for a in spec.axes)
        rows.append((f"best {name} ({sense})", f"{fmt_value(best[name])} at {inputs}"))
    for k, v in rows:
        table.add_row(k, Text(str(v)))
    Console().print(table)
