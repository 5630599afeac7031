"""``microlink results``: list, show, query, export and take Pareto fronts of stored sweep runs.

``main`` is a Typer app with subcommands (registered by :mod:`microlink.cli.app` with ``add_typer``)::

    microlink results list                         [--store FILE] [--format table|json]
    microlink results show RUN                     [--store FILE] [--format table|json]
    microlink results query "SELECT ... FROM points_1"  [--store FILE] [--limit N] [--format table|json|csv]
    microlink results export RUN --parquet FILE    [--store FILE]
    microlink results pareto RUN --objectives energy_per_bit_pj:min,cost_usd:min [--all-points] [--plot FILE]

``RUN`` is a run id or ``latest``. The store is opened read-only, so it can be inspected while no sweep
writes to it, with DuckDB's file and network access from SQL disabled and its configuration locked;
``query`` runs exactly one ``SELECT`` and reads other files only with ``--allow-files``. The commands are
registered under the app's guard (one line and exit code 2 on bad input).
"""

from __future__ import annotations

import enum
import math
from pathlib import Path
from typing import Any, Optional

import typer

from microlink.cli.options import FormatOption, OutputFormat, PlotOption

StoreOption = typer.Option(Path("microlink.duckdb"), "--store",
                           help="DuckDB results file.")
RunArgument = typer.Argument(..., help="Run id (see `microlink results list`) or 'latest'.")

main = typer.Typer(
    name="results",
    help="Inspect stored sweep runs: list, show, query (SQL), export (Parquet), pareto.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


#: Most rows ``results query`` shows in a table.
MAX_TABLE_ROWS = 1_000_000


class QueryFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _store(path: Path, allow_files: bool = False):
    from microlink.sweep.store import ResultStore

    return ResultStore(path, read_only=True, allow_files=allow_files)


def _run_id(store, run: str) -> int:
    from microlink.errors import ConfigError

    if run == "latest":
        return store.latest_run_id()
    text = run.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) <= 2**31 - 1):
        raise ConfigError(f"run: got {run!r}; allowed: a run id (a whole number >= 1) or 'latest'")
    return int(text)


def fmt_value(value: Any) -> str:
    """Compact text for a table cell."""
    import numpy as np

    if value is None:
        return "-"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if math.isnan(f):
            return "-"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return f"{f:.4g}"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


#: SI units shown with a metric prefix in tables (values are stored unprefixed).
PREFIXED_UNITS = ("m", "b/s", "A", "W", "F", "s", "Hz", "V", "J", "ohm")
_PREFIXES = {-15: "f", -12: "p", -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T"}


def fmt_quantity(value: Any, unit: str) -> str:
    """A value with its unit, SI units with a metric prefix (``5e9, "b/s"`` -> ``"5 Gb/s"``)."""
    text = fmt_value(value)
    if not unit or unit == "1" or text in ("-", "inf", "-inf", "yes", "no"):
        return text
    try:
        f = float(value)
    except (TypeError, ValueError):
        return text
    if unit in PREFIXED_UNITS and f != 0:
        exp = int(math.floor(math.log10(abs(f)) / 3) * 3)
        exp = min(max(exp, -15), 12)
        if unit == "m" and exp > 0:
            exp = 0
        return f"{f / 10 ** exp:.4g} {_PREFIXES[exp]}{unit}"
    return f"{text} {unit}"


def _column_scale(values, unit: str) -> tuple[float, str]:
    """``(scale, header unit)`` for a numeric column: one SI prefix for the whole column."""
    import numpy as np

    if unit not in PREFIXED_UNITS:
        return 1.0, unit
    v = np.abs(np.asarray(values, dtype=float))
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return 1.0, unit
    exp = int(math.floor(math.log10(float(np.median(v))) / 3) * 3)
    exp = min(max(exp, -15), 12)
    if unit == "m" and exp > 0:
        exp = 0
    return 10.0 ** exp, f"{_PREFIXES[exp]}{unit}"


def frame_table(frame, title: str = "", units: Optional[dict] = None, max_rows: int = 50):
    """A Rich table of a DataFrame; columns with an SI unit are scaled to one prefix shown in the header."""
    from rich.table import Table
    from rich.text import Text

    units = units or {}
    head = frame.head(max_rows)
    table = Table(title=Text(title) if title else None, show_lines=False)
    scales = []
    for name in head.columns:
        unit = "" if _name_has_unit(name) else units.get(name, "")
        numeric = head[name].dtype.kind in "fiu"
        scale, shown = _column_scale(head[name], unit) if numeric and unit else (1.0, unit)
        scales.append(scale if numeric else None)
        header = f"{name} [{shown}]" if shown and shown != "1" else str(name)
        table.add_column(Text(header), justify="right" if head[name].dtype.kind in "fiub" else "left")
    for row in head.itertuples(index=False):
        cells = []
        for v, scale in zip(row, scales):
            if scale is not None and scale != 1.0 and v is not None:
                v = float(v) / scale
            cells.append(Text(fmt_value(v)))
        table.add_row(*cells)
    if len(frame) > max_rows:
        table.caption = f"{max_rows} of {len(frame):,} rows shown"
    return table


def _name_has_unit(name: str) -> bool:
    """Output names that carry their unit (``energy_per_bit_pj``, ``cost_usd``) are shown as plain numbers."""
    return name.endswith(("_pj", "_usd", "_w", "_m", "_db", "_dbm", "_ns", "_bps", "_s")) or name in (
        "fit", "ber", "q_factor", "point_id", "chunk_id")


def _records(frame) -> list[dict]:
    import numpy as np

    out = []
    for rec in frame.to_dict(orient="records"):
        out.append({k: (v.isoformat() if hasattr(v, "isoformat") else (v.item() if isinstance(v, np.generic) else v))
                    for k, v in rec.items()})
    return out


def _console():
    from rich.console import Console

    return Console()


# ------------------------------------------------------------------------------------------------ list


@main.command("list")
def list_runs(store: Path = StoreOption, fmt: OutputFormat = FormatOption):
    """List the runs in a store: status, points done, seed, start time."""
    from rich.table import Table

    from microlink.cli.options import print_document, run_meta

    with _store(store) as db:
        runs = db.runs()
    if fmt != OutputFormat.table:
        print_document([{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in runs],
                       fmt, run_meta(inputs={"store": str(store)}))
        return
    from rich.text import Text

    table = Table(title=Text(f"Runs in {store}"))
    width = min(24, max([len(r["name"]) for r in runs] + [4]))
    for col in ("run", "name", "sampling", "status", "points", "seed", "started (UTC)"):
        table.add_column(col, justify="right" if col in ("run", "points") else "left",
                         min_width=width if col == "name" else None, overflow="fold")
    for r in runs:
        status = r["status"]
        style = {"complete": "green", "interrupted": "yellow", "failed": "red"}.get(status, "")
        table.add_row(str(r["run_id"]), Text(str(r["name"])), Text(str(r["sampling"])), Text(str(status), style=style),
                      f"{r['points_done']:,}/{r['n_points']:,}", str(r["seed"]), fmt_value(r["started_at"])[:16])
    _console().print(table)


# ------------------------------------------------------------------------------------------------ show


@main.command("show")
def show(run: str = RunArgument, store: Path = StoreOption, fmt: OutputFormat = FormatOption,
         spec: bool = typer.Option(False, "--spec", help="Also print the spec text.")):
    """Show one run: provenance, columns with units, counts and per-column statistics."""
    from rich.table import Table

    from microlink.cli.options import print_document, run_meta

    with _store(store) as db:
        run_id = _run_id(db, run)
        row = db.run(run_id)
        columns = db.columns(run_id)
        counts = db.counts(run_id)
        stats = db.summarize(run_id) if counts["points"] else None
    if fmt != OutputFormat.table:
        doc = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
        doc["columns"] = [c.__dict__ for c in columns]
        doc["counts"] = counts
        doc["statistics"] = _records(stats) if stats is not None else []
        meta = run_meta(inputs={"store": str(store), "run": run}, seed=row.get("seed"))
        print_document(doc if fmt == OutputFormat.json else {"rows": doc["statistics"]}, fmt, meta)
        return
    console = _console()
    prov = row["provenance"]
    from rich.text import Text

    info = Table(title=Text(f"Run {run_id}: {row['name']}"), show_header=False)
    info.add_column("key", style="bold")
    info.add_column("value")
    ev = prov.get("evaluator_provenance", {})
    rows = [
        ("status", f"{row['status']}" + (f" ({row['message']})" if row.get("message") else "")),
        ("points", f"{row['points_done']:,} of {row['n_points']:,} in {row['chunks_done']} of {row['n_chunks']} "
                   f"chunks of {row['chunk_size']:,}"),
        ("space", prov.get("space", row["sampling"])),
        ("evaluator", f"{row['evaluator']}" + (f": {ev.get('parameter_set')} ({ev.get('technology')})" if ev else "")),
        ("citation", ev.get("parameter_set_citation", "-")),
        ("seed", str(row["seed"])),
        ("spec hash", row["spec_hash"]),
        ("version", f"microlink {row['version']}, numpy {prov.get('numpy_version', '?')}, "
                    f"python {prov.get('python_version', '?')}"),
        ("started / ended", f"{fmt_value(row['started_at'])} / {fmt_value(row['ended_at'])} UTC "
                            f"({row['sessions']} session{'s' if row['sessions'] != 1 else ''})"),
        ("feasible", "-" if counts["feasible"] is None else f"{counts['feasible']:,}"),
        ("within budget", "-" if counts["within_budget"] is None else f"{counts['within_budget']:,}"),
        ("fixed", ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                            for k, v in prov.get("fixed", {}).items()) or "-"),
        ("constraints", ", ".join(f"{k} in [{'-inf' if lo is None else f'{lo:g}'}, {'inf' if hi is None else f'{hi:g}'}]"
                                  for k, (lo, hi) in prov.get("constraints", {}).items()) or "-"),
        ("table", f"points_{run_id}"),
    ]
    for k, v in rows:
        info.add_row(k, Text(str(v)))
    console.print(info)
    if stats is not None:
        units = {c.name: c.unit for c in columns}
        roles = {c.name: c.role for c in columns}
        st = Table(title="Columns")
        for col in ("column", "role", "unit", "min", "max", "mean", "null %"):
            st.add_column(col, justify="left" if col in ("column", "role", "unit") else "right",
                          overflow="fold", min_width=max(len(r) for r in stats.column_name) if col == "column" else None)
        for rec in stats.to_dict(orient="records"):
            name = rec["column_name"]
            st.add_row(*(Text(str(x)) for x in (name, roles.get(name, ""), units.get(name, "") or "-",
                                                _short(rec.get("min")), _short(rec.get("max")), _short(rec.get("avg")),
                                                fmt_value(rec.get("null_percentage")))))
        console.print(st)
    if spec:
        console.print(row["spec_text"], markup=False, highlight=False)


def _short(text: Any) -> str:
    if text is None:
        return "-"
    try:
        return fmt_value(float(text))
    except (TypeError, ValueError):
        return str(text)


# ------------------------------------------------------------------------------------------------ query


@main.command("query")
def query(sql: str = typer.Argument(..., help="SQL, e.g. \"SELECT * FROM points_1 WHERE feasible "
                                              "ORDER BY energy_per_bit_pj LIMIT 10\"."),
          store: Path = StoreOption,
          limit: int = typer.Option(50, "--limit", "-n", help=f"Rows shown in a table, 1 .. {MAX_TABLE_ROWS:,} "
                                                              "(JSON and CSV: all)."),
          allow_files: bool = typer.Option(False, "--allow-files",
                                           help="Let the SQL read other files (read_csv, read_parquet, glob). "
                                                "Off by default: only the store's tables can be read."),
          fmt: QueryFormat = typer.Option(QueryFormat.table, "--format", "-f", help="table | json | csv.")):
    """Run one read-only SELECT against the store (tables: runs, chunks, columns, points_<run>).

    The store is opened read-only with DuckDB's file and network access disabled and its configuration
    locked: COPY, ATTACH, INSTALL, SET and several statements are refused; --allow-files lets a SELECT read
    other files. JSON is {"meta": {...}, "rows": [...]}; CSV is the bare table (no meta lines), for piping.
    """
    import sys

    from microlink.cli.options import print_json
    from microlink.errors import ParameterError

    if not 1 <= limit <= MAX_TABLE_ROWS:
        raise ParameterError("--limit", limit, f"1 .. {MAX_TABLE_ROWS:,}")
    with _store(store, allow_files=allow_files) as db:
        frame = db.user_query(sql, limit=None if fmt != QueryFormat.table else limit + 1)
    if fmt == QueryFormat.json:
        from microlink.cli.options import run_meta

        meta = run_meta(inputs={"sql": sql, "store": str(store), "allow_files": allow_files})
        print_json({"meta": meta, "rows": _records(frame)})
    elif fmt == QueryFormat.csv:
        frame.to_csv(sys.stdout, index=False)
    else:
        table = frame_table(frame, max_rows=limit)
        if len(frame) > limit:
            table.caption = f"first {limit} rows shown (--limit N, or --format csv|json for all)"
        _console().print(table)


# ------------------------------------------------------------------------------------------------ export


@main.command("export")
def export(run: str = RunArgument, parquet: Path = typer.Option(..., "--parquet", help="Parquet file to write."),
           store: Path = StoreOption, fmt: OutputFormat = FormatOption):
    """Write a run's points (ordered by point_id) to a Parquet file."""
    with _store(store) as db:
        run_id = _run_id(db, run)
        path = db.export_parquet(run_id, parquet)
        n = db.progress(run_id)[0]
        seed = db.run(run_id).get("seed")
    if fmt != OutputFormat.table:
        from microlink.cli.options import print_document, run_meta

        print_document({"run_id": run_id, "points": n, "parquet": str(path)}, fmt,
                       run_meta(inputs={"store": str(store), "run": run, "parquet": str(parquet)}, seed=seed))
        return
    _console().print(f"wrote {n:,} points of run {run_id} to {path}", markup=False, highlight=False,
                     soft_wrap=True)


# ------------------------------------------------------------------------------------------------ pareto


@main.command("pareto")
def pareto(run: str = RunArgument,
           objectives: Optional[str] = typer.Option(None, "--objectives", "-o",
                                                    help="NAME:min|max,... (default: the spec's pareto)."),
           all_points: bool = typer.Option(False, "--all-points",
                                           help="Candidates: every point (default: points within budget)."),
           plot: Optional[Path] = PlotOption, store: Path = StoreOption,
           limit: int = typer.Option(30, "--limit", "-n", help="Front rows shown in the table."),
           fmt: OutputFormat = FormatOption):
    """Pareto front of a stored run over any output or input columns."""
    with _store(store) as db:
        run_id = _run_id(db, run)
        show_front(db, run_id, objectives, all_points=all_points, plot=plot, limit=limit, fmt=fmt)


def resolve_objectives(db, run_id: int, text: Optional[str]):
    from microlink.errors import ConfigError
    from microlink.sweep.spec import parse_objectives

    objectives = parse_objectives(text) if text else [tuple(o) for o in db.run(run_id)["provenance"].get("pareto", [])]
    if not objectives:
        raise ConfigError("--pareto: no objectives; give e.g. energy_per_bit_pj:min,cost_usd:min")
    return objectives


def front_document(db, run_id: int, objectives_text: Optional[str], *, all_points: bool = False,
                   plot: Optional[Path] = None):
    """Compute (and plot) the Pareto front of a run: ``(JSON-ready document, front rows shown, units, title)``."""
    from microlink.errors import ParameterError

    if plot is not None and plot.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ParameterError("--plot", str(plot), "a file name ending in .png, .svg or .pdf")
    objectives = resolve_objectives(db, run_id, objectives_text)
    where = None if all_points else "within_budget"
    front = db.pareto(run_id, objectives, where=where)
    columns = db.columns(run_id)
    units = {c.name: c.unit for c in columns}
    names = [n for n, _ in objectives]
    inputs = [c.name for c in columns if c.role == "input" and c.name not in names]
    shown = front[["point_id", *names, *inputs]]
    saved = None
    described = ", ".join(f"{n} {s}" for n, s in objectives)
    if plot is not None:
        from microlink.report.pareto_plots import save_pareto_figure

        sample = db.sample(run_id, names, where=where)
        saved = save_pareto_figure(plot, sample, {n: front[n].to_numpy() for n in names}, objectives,
                                   units=units, title=f"Run {run_id}: Pareto front ({described})",
                                   points_label="design points" if all_points else "design points within budget")
    candidates = "all points" if all_points else "within_budget"
    doc = {"run_id": run_id, "objectives": [list(o) for o in objectives], "candidates": candidates,
           "size": len(front), "front": _records(shown), "plot": str(saved) if saved else None}
    title = f"Pareto front of run {run_id}: {len(front):,} points ({described}; candidates: {candidates})"
    return doc, shown, units, title


def show_front(db, run_id: int, objectives_text: Optional[str], *, all_points: bool = False,
               plot: Optional[Path] = None, limit: int = 30, fmt: OutputFormat = OutputFormat.table) -> dict:
    """Compute, print (and plot) the Pareto front of a run; returns the JSON-ready document."""
    from microlink.cli.options import print_document, run_meta

    doc, shown, units, title = front_document(db, run_id, objectives_text, all_points=all_points, plot=plot)
    if fmt != OutputFormat.table:
        meta = run_meta(inputs={"run": run_id, "objectives": objectives_text, "all_points": all_points},
                        seed=db.run(run_id).get("seed"))
        print_document(doc if fmt == OutputFormat.json else {"rows": doc["front"]}, fmt, meta)
        return doc
    console = _console()
    console.print(frame_table(shown, title=title, units=units, max_rows=limit))
    if doc["plot"]:
        console.print(f"plot: {doc['plot']}", markup=False, highlight=False, soft_wrap=True)
    return doc
