"""The results store: an embedded DuckDB database written one atomic transaction per chunk.

Schema (``schema_version`` 1; all times UTC, all values SI unless a column name carries its unit)::

    store_info(key VARCHAR PRIMARY KEY, value VARCHAR)        -- schema_version
    runs(
        run_id INTEGER PRIMARY KEY,
        name VARCHAR, evaluator VARCHAR, sampling VARCHAR,
        spec_text VARCHAR,            -- the spec file as written
        spec_hash VARCHAR,            -- SHA-256 of the canonical spec (+ overrides); with version: resume key
        version VARCHAR,              -- microlink version that wrote the run
        seed BIGINT,                  -- root seed of every random stream of the run
        n_points BIGINT, chunk_size INTEGER, n_chunks INTEGER,
        points_table VARCHAR,         -- 'points_<run_id>'
        started_at TIMESTAMP, ended_at TIMESTAMP,
        status VARCHAR,               -- running | complete | interrupted | failed
        message VARCHAR,              -- why a run stopped
        sessions INTEGER,             -- how many times the run was started (1 + resumes)
        provenance VARCHAR)           -- JSON: axes, fixed inputs, constraints, citations, seed, versions
    chunks(run_id INTEGER, chunk_id INTEGER, first_point BIGINT, n_points INTEGER,
           seconds DOUBLE, committed_at TIMESTAMP, PRIMARY KEY (run_id, chunk_id))
    columns(run_id INTEGER, position INTEGER, name VARCHAR, role VARCHAR,   -- role: key | input | output
            unit VARCHAR, dtype VARCHAR, source VARCHAR, description VARCHAR,
            PRIMARY KEY (run_id, name))
    points_<run_id>(point_id BIGINT, chunk_id INTEGER, <one column per swept input>, <one per output>)

Undefined values (NaN, e.g. ``max_reach_m`` when the reach is not solved) are stored as SQL ``NULL``, so
that aggregates skip them; they come back as NaN in arrays and datasets. ``inf`` stays ``inf``.

A chunk's points and its ``chunks`` row are inserted in one transaction, so after a crash (even
``kill -9``) a chunk is either wholly present or wholly absent, and the primary key of ``chunks`` makes a
second commit of the same chunk fail instead of duplicating points. Resuming a run evaluates exactly the
chunks missing from ``chunks``.

DuckDB allows one writing process at a time; a run whose status is still ``running`` when a writer
opens the store was cut short (the process was killed) and is marked ``interrupted``.

Every connection is opened with DuckDB's external access disabled (no file, network or extension access from
SQL: a store file holding a view over ``read_text(...)`` cannot read other files), extension auto-loading
off and the configuration locked, so SQL cannot switch them back on. Only :meth:`ResultStore.query` with
``allow_files=True`` (``microlink results query --allow-files``) keeps file access. Every DuckDB or
operating-system failure (locked, damaged or truncated file, full disk) becomes one
:class:`~microlink.errors.ConfigError` naming the store and the cause.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from microlink.errors import ConfigError

__all__ = ["DEFAULT_STORE", "SCHEMA_VERSION", "Column", "ResultStore"]

DEFAULT_STORE = "microlink.duckdb"
SCHEMA_VERSION = "1"
#: Cap of DuckDB's buffer pool while a sweep writes: without it the pool keeps every written block (up to
#: 80 % of RAM) and the writer's memory grows with the sweep instead of staying bounded.
WRITER_MEMORY_LIMIT = "128MB"
#: Most rows one query returns to the caller.
MAX_FETCH_ROWS = 1_000_000_000
#: Largest value of an INTEGER column of the schema (chunk counts and sizes) [1].
INT32_MAX = 2**31 - 1

_DUCK_TYPES = {"float64": "DOUBLE", "int64": "BIGINT", "int32": "INTEGER", "bool": "BOOLEAN", "str": "VARCHAR"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS store_info (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY, name VARCHAR, evaluator VARCHAR, sampling VARCHAR,
    spec_text VARCHAR, spec_hash VARCHAR, version VARCHAR, seed BIGINT,
    n_points BIGINT, chunk_size INTEGER, n_chunks INTEGER, points_table VARCHAR,
    started_at TIMESTAMP, ended_at TIMESTAMP, status VARCHAR, message VARCHAR, sessions INTEGER,
    provenance VARCHAR);
CREATE TABLE IF NOT EXISTS chunks (
    run_id INTEGER, chunk_id INTEGER, first_point BIGINT, n_points INTEGER, seconds DOUBLE,
    committed_at TIMESTAMP, PRIMARY KEY (run_id, chunk_id));
CREATE TABLE IF NOT EXISTS columns (
    run_id INTEGER, position INTEGER, name VARCHAR, role VARCHAR, unit VARCHAR, dtype VARCHAR,
    source VARCHAR, description VARCHAR, PRIMARY KEY (run_id, name));
"""


@dataclass(frozen=True)
class Column:
    """One column of a points table."""

    name: str
    role: str  # key | input | output
    unit: str
    dtype: str  # float64 | int64 | int32 | bool | str
    source: str = ""  # dotted input name, or the evaluator for outputs
    description: str = ""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _duckdb():
    try:
        import duckdb
    except ImportError:  # pragma: no cover - depends on the environment
        raise ConfigError("store: the results store needs duckdb; install it with pip install 'microlink[sweep]'") \
            from None
    return duckdb


def _pyarrow():
    try:
        import pyarrow
    except ImportError:  # pragma: no cover - depends on the environment
        raise ConfigError("store: the results store needs pyarrow; install it with pip install 'microlink[sweep]'") \
            from None
    return pyarrow


_STALE = "the process ended before the run finished (killed?); run the spec again to resume"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _connection_config(*, allow_files: bool = False, memory_limit: str | None = None) -> dict:
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False,
              "allow_unsigned_extensions": False}
    if not allow_files:
        config["enable_external_access"] = False
    if memory_limit:
        config["memory_limit"] = memory_limit
    config["lock_configuration"] = True
    return config


def _cause(exc: BaseException) -> str:
    """The first line of a DuckDB or OS error, with the disk-full case said plainly."""
    if isinstance(exc, OSError) and not str(exc).startswith("["):
        text = exc.strerror or str(exc)
    else:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    low = text.lower()
    if any(k in low for k in ("no space left", "file too large", "disk full", "disk quota")):
        text += " (the disk is full or the file is over its size limit)"
    return text


def _store_error(path: Path, exc: BaseException, action: str = "read") -> ConfigError:
    """One message for every failure of the store file."""
    text = _cause(exc)
    low = text.lower()
    if "lock" in low and "conflicting" in low or "could not set lock" in low:
        return ConfigError(f"store: {path} is in use by another process (a sweep still running?)")
    if any(k in low for k in ("not a valid duckdb", "corrupt", "checksum", "unexpected end", "serializ",
                              "invalid database", "failed to read database header", "could not read enough bytes")):
        return ConfigError(f"store: {path} is damaged or not a microlink store ({text})")
    if "duplicate key" in low and "chunk_id" in low:
        return ConfigError(f"store: {path}: that chunk is already committed ({text})")
    if "permission error" in low or "file system operations are disabled" in low:
        return ConfigError(f"store: {action} refused: file access from SQL is disabled ({text})")
    return ConfigError(f"store: cannot {action} {path}: {text}")


def _guarded(action: str):
    """Method decorator: DuckDB and OS errors -> one :class:`ConfigError` naming the store."""

    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            duckdb = _duckdb()
            try:
                return method(self, *args, **kwargs)
            except (duckdb.Error, OSError) as exc:
                raise _store_error(self.path, exc, action) from None

        return inner

    return wrap


def _rollback(con) -> None:
    """Roll back the open transaction; a failure here (e.g. on a full disk) must not hide the first error."""
    try:
        con.execute("ROLLBACK")
    except Exception:  # noqa: BLE001 - the original error is the one to report
        pass


def _unmask(values) -> np.ndarray:
    """A fetched column as a plain array: SQL NULL becomes NaN (numbers) or None (text)."""
    if not isinstance(values, np.ma.MaskedArray):
        return np.asarray(values)
    if not np.ma.is_masked(values):
        return np.asarray(values.data)
    if values.dtype.kind in "fiu":
        return np.ma.filled(values.astype(float), np.nan)
    out = np.asarray(values.data, dtype=object).copy()
    out[np.ma.getmaskarray(values)] = None
    return out


class ResultStore:
    """A DuckDB results file (``read_only=True`` for listing and queries while nothing writes)."""

    def __init__(self, path=DEFAULT_STORE, *, read_only: bool = False, allow_files: bool = False):
        import os
        import stat

        duckdb = _duckdb()
        self.path = Path(path)
        self.read_only = read_only
        self.allow_files = allow_files
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            info = None
        except (OSError, ValueError) as exc:
            raise ConfigError(f"store: cannot open {self.path}: {_cause(exc) if isinstance(exc, OSError) else exc}") \
                from None
        if info is None and read_only:
            raise ConfigError(f"store: file not found: {self.path}")
        if info is not None and not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"store: {self.path} is not a regular file")
        config = _connection_config(allow_files=allow_files,
                                    memory_limit=None if read_only else WRITER_MEMORY_LIMIT)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only, config=config)
        except (duckdb.Error, OSError) as exc:
            raise _store_error(self.path, exc, "open") from None
        try:
            if not read_only:
                self.con.execute(_SCHEMA)
                self.con.execute("INSERT OR REPLACE INTO store_info VALUES ('schema_version', ?)", [SCHEMA_VERSION])
                self.con.execute("UPDATE runs SET status = 'interrupted', message = ? WHERE status = 'running'",
                                 [_STALE])
            elif not self._has_table("runs"):
                raise ConfigError(f"store: {self.path} holds no microlink runs")
        except (duckdb.Error, OSError) as exc:
            self.con.close()
            raise _store_error(self.path, exc, "open") from None
        except ConfigError:
            self.con.close()
            raise

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _has_table(self, name: str) -> bool:
        return bool(self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0])

    # ------------------------------------------------------------------ runs
    def find_resumable(self, spec_hash: str, version: str) -> dict | None:
        """The latest run of this spec and version, complete or not (``None`` if there is none)."""
        rows = self._dicts(
            "SELECT * FROM runs WHERE spec_hash = ? AND version = ? ORDER BY run_id DESC LIMIT 1",
            [spec_hash, version])
        return rows[0] if rows else None

    def create_run(self, *, name: str, evaluator: str, sampling: str, spec_text: str, spec_hash: str,
                   version: str, seed: int, n_points: int, chunk_size: int, n_chunks: int,
                   columns: Iterable[Column], provenance: dict) -> int:
        """Register a run and create its points table (one transaction)."""
        columns = list(columns)
        for c in columns:
            if not _IDENT.match(c.name):
                raise ConfigError(f"store: column name {c.name!r} is not a plain identifier")
        for label, value in (("chunk_size", chunk_size), ("n_chunks", n_chunks)):
            if not 1 <= int(value) <= INT32_MAX:
                raise ConfigError(f"sweep: {label} = {int(value):,}; allowed: 1 .. {INT32_MAX:,}")
        if not 0 <= int(n_points) < 2**63:
            raise ConfigError(f"sweep: n_points = {int(n_points):,}; allowed: fewer than 2**63")
        self.con.execute("BEGIN TRANSACTION")
        try:
            run_id = int(self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()[0])
            table = f"points_{run_id}"
            self.con.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'running', NULL, 1, ?)",
                [run_id, name, evaluator, sampling, spec_text, spec_hash, version, int(seed), int(n_points),
                 int(chunk_size), int(n_chunks), table, _now(), json.dumps(provenance, default=str)])
            self.con.executemany(
                "INSERT INTO columns VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [[run_id, i, c.name, c.role, c.unit, c.dtype, c.source, c.description] for i, c in enumerate(columns)])
            cols = ", ".join(f"{_quote(c.name)} {_DUCK_TYPES[c.dtype]}" for c in columns)
            self.con.execute(f"CREATE TABLE {table} ({cols})")
            self.con.execute("COMMIT")
        except BaseException:
            _rollback(self.con)
            raise
        return run_id

    def restart_run(self, run_id: int) -> None:
        """Mark a run as running again (a resume)."""
        self.con.execute("UPDATE runs SET status = 'running', message = NULL, ended_at = NULL, "
                         "sessions = sessions + 1 WHERE run_id = ?", [run_id])

    def finish_run(self, run_id: int, status: str, message: str | None = None) -> None:
        self.con.execute("UPDATE runs SET status = ?, message = ?, ended_at = ? WHERE run_id = ?",
                         [status, message, _now(), run_id])

    def run(self, run_id: int) -> dict:
        """The runs row of ``run_id`` with ``provenance`` decoded and ``points_done`` added."""
        rows = self._dicts("SELECT * FROM runs WHERE run_id = ?", [int(run_id)])
        if not rows:
            known = [r[0] for r in self.con.execute("SELECT run_id FROM runs ORDER BY run_id").fetchall()]
            raise ConfigError(f"run: got {run_id!r}; allowed: {', '.join(map(str, known)) or 'no runs stored'}")
        row = self._stale(rows)[0]
        row["provenance"] = json.loads(row["provenance"] or "{}")
        row["points_done"], row["chunks_done"] = self.progress(run_id)
        return row

    def runs(self) -> list[dict]:
        """All runs, newest last, with points done."""
        return self._stale(self._dicts(
            "SELECT r.run_id, r.name, r.evaluator, r.sampling, r.status, r.n_points, "
            "coalesce(sum(c.n_points), 0)::BIGINT AS points_done, r.n_chunks, count(c.chunk_id) AS chunks_done, "
            "r.seed, r.spec_hash, r.version, r.started_at, r.ended_at, r.sessions, r.message "
            "FROM runs r LEFT JOIN chunks c USING (run_id) GROUP BY ALL ORDER BY r.run_id"))

    def _stale(self, rows: list[dict]) -> list[dict]:
        """A reader can open the file only when no process writes it: a 'running' run was cut short."""
        if self.read_only:
            for r in rows:
                if r["status"] == "running":
                    r["status"] = "interrupted"
                    r["message"] = _STALE
        return rows

    def latest_run_id(self) -> int:
        row = self.con.execute("SELECT max(run_id) FROM runs").fetchone()
        if row[0] is None:
            raise ConfigError(f"store: {self.path} holds no runs")
        return int(row[0])

    def columns(self, run_id: int) -> list[Column]:
        rows = self.con.execute(
            "SELECT name, role, unit, dtype, source, description FROM columns WHERE run_id = ? ORDER BY position",
            [int(run_id)]).fetchall()
        return [Column(*r) for r in rows]

    # ------------------------------------------------------------------ chunks
    def done_chunks(self, run_id: int) -> set[int]:
        return {int(r[0]) for r in self.con.execute("SELECT chunk_id FROM chunks WHERE run_id = ?",
                                                    [int(run_id)]).fetchall()}

    def progress(self, run_id: int) -> tuple[int, int]:
        """``(points done, chunks done)``."""
        n, c = self.con.execute("SELECT coalesce(sum(n_points), 0), count(*) FROM chunks WHERE run_id = ?",
                                [int(run_id)]).fetchone()
        return int(n), int(c)

    def commit_chunk(self, run_id: int, chunk_id: int, data: dict[str, np.ndarray], seconds: float,
                     columns: Iterable[Column]) -> None:
        """Insert a chunk's points and its ``chunks`` row in one transaction (all or nothing)."""
        pa = _pyarrow()
        names = [c.name for c in columns]
        # from_pandas: NaN becomes NULL (see the module docstring)
        frame = pa.table({k: pa.array(np.asarray(data[k]), from_pandas=True) for k in names})
        table = f"points_{int(run_id)}"
        cols = ", ".join(_quote(n) for n in names)
        self.con.register("_microlink_chunk", frame)
        try:
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _microlink_chunk")
                self.con.execute("INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?)",
                                 [int(run_id), int(chunk_id), int(data["point_id"][0]) if len(frame) else 0,
                                  len(frame), float(seconds), _now()])
                self.con.execute("COMMIT")
            except BaseException:
                _rollback(self.con)
                raise
        finally:
            try:
                self.con.unregister("_microlink_chunk")
            except Exception:  # noqa: BLE001 - keep the first error
                pass

    # ------------------------------------------------------------------ reading
    def query(self, sql: str, params: list | None = None, limit: int | None = None):
        """Run SQL and return a :class:`pandas.DataFrame` (errors become :class:`ConfigError`).

        ``limit`` fetches at most that many rows (the rest of the result is never materialised).
        """
        duckdb = _duckdb()
        if limit is not None and not 1 <= int(limit) <= MAX_FETCH_ROWS:
            raise ConfigError(f"--limit: got {limit}; allowed: 1 .. {MAX_FETCH_ROWS:,}")
        try:
            cur = self.con.execute(sql, params or [])
            if limit is None or cur.description is None:
                return cur.fetchdf()
            names = [d[0] for d in cur.description]
            import pandas as pd

            rows = cur.fetchmany(int(limit))
            return pd.DataFrame.from_records(rows, columns=names)
        except (duckdb.Error, OSError) as exc:
            raise _query_error(exc) from None

    def user_query(self, sql: str, limit: int | None = None):
        """One read-only ``SELECT`` written by a user (no other statement kinds, never two statements)."""
        duckdb = _duckdb()
        if not isinstance(sql, str) or not sql.strip():
            raise ConfigError("query: empty; give one SELECT statement")
        if len(sql) > MAX_SQL_CHARS:
            raise ConfigError(f"query: {len(sql):,} characters; allowed: at most {MAX_SQL_CHARS:,}")
        try:
            statements = duckdb.extract_statements(sql)
        except duckdb.Error as exc:
            raise _query_error(exc) from None
        if len(statements) != 1:
            raise ConfigError(f"query: {len(statements)} statements; allowed: exactly one SELECT")
        if statements[0].type != duckdb.StatementType.SELECT:
            kind = str(statements[0].type).rsplit(".", 1)[-1]
            raise ConfigError(f"query: a {kind} statement; allowed: SELECT only (the store is read-only)")
        return self.query(sql, limit=limit)

    def fetch_columns(self, run_id: int, names: Iterable[str], where: str | None = None,
                      order: bool = True) -> dict[str, np.ndarray]:
        """Columns of a run's points as NumPy arrays (``where``: an SQL condition on the columns)."""
        known = {c.name for c in self.columns(run_id)}
        names = list(names)
        for n in names:
            if n not in known:
                import difflib

                close = difflib.get_close_matches(n, sorted(known), n=3)
                hint = f"; did you mean {' or '.join(close)}?" if close else f"; columns: {', '.join(sorted(known))}"
                raise ConfigError(f"column: {n!r} is not a column of run {run_id}{hint}")
        sql = f"SELECT {', '.join(_quote(n) for n in names)} FROM points_{int(run_id)}"
        if where:
            sql += f" WHERE {where}"
        if order:
            sql += " ORDER BY point_id"
        duckdb = _duckdb()
        try:
            out = self.con.execute(sql).fetchnumpy()
        except (duckdb.Error, OSError) as exc:
            raise _query_error(exc) from None
        return {k: _unmask(v) for k, v in out.items()}

    def export_parquet(self, run_id: int, path) -> Path:
        """Write a run's points, ordered by point, to a Parquet file."""
        self.run(run_id)
        path = Path(path)
        if path.is_dir():
            raise ConfigError(f"--parquet: {path} is a directory; give a file name")
        if not path.parent.is_dir():
            raise ConfigError(f"--parquet: {path}: the directory {path.parent} does not exist")
        _pyarrow()
        import pyarrow.parquet as pq

        duckdb = _duckdb()
        try:
            cursor = self.con.cursor()  # its own result: earlier fetchone() results stay open on self.con
            try:
                rel = cursor.sql(f"SELECT * FROM points_{int(run_id)} ORDER BY point_id")
                reader = rel.to_arrow_reader() if hasattr(rel, "to_arrow_reader") else rel.fetch_arrow_reader()
                with pq.ParquetWriter(str(path), reader.schema) as writer:
                    for batch in reader:
                        writer.write_batch(batch)
            finally:
                cursor.close()
        except duckdb.Error as exc:
            raise _store_error(self.path, exc, "export from") from None
        except OSError as exc:
            raise ConfigError(f"--parquet: cannot write {path}: {_cause(exc)}") from None
        return path

    def dataset(self, run_id: int):
        """The run as a labelled :class:`xarray.Dataset` (see :func:`microlink.sweep.dataset.to_dataset`)."""
        from microlink.sweep.dataset import to_dataset

        row = self.run(run_id)
        columns = self.columns(run_id)
        data = self.fetch_columns(run_id, [c.name for c in columns])
        return to_dataset(row, columns, data)

    def summarize(self, run_id: int):
        """Per-column statistics of a run's points (DuckDB ``SUMMARIZE``) as a DataFrame."""
        self.run(run_id)
        return self.query(f"SUMMARIZE SELECT * EXCLUDE (point_id, chunk_id) FROM points_{int(run_id)}")

    def counts(self, run_id: int) -> dict[str, int]:
        """Points stored, feasible (if the evaluator reports it) and within budget."""
        names = {c.name for c in self.columns(run_id)}
        parts = ["count(*)"]
        parts.append("count_if(feasible)" if "feasible" in names else "NULL")
        parts.append("count_if(within_budget)" if "within_budget" in names else "NULL")
        n, feas, budget = self.con.execute(f"SELECT {', '.join(parts)} FROM points_{int(run_id)}").fetchone()
        return {"points": int(n), "feasible": None if feas is None else int(feas),
                "within_budget": None if budget is None else int(budget)}

    def best(self, run_id: int, column: str, sense: str = "min", where: str | None = "within_budget"):
        """The stored point with the smallest (or largest) ``column`` (a one-row DataFrame, maybe empty)."""
        self.fetch_columns(run_id, [column], where="FALSE", order=False)  # validates the name
        order = "ASC" if sense == "min" else "DESC"
        cond = f"WHERE {where} AND {_quote(column)} IS NOT NULL" if where else f"WHERE {_quote(column)} IS NOT NULL"
        return self.query(f"SELECT * FROM points_{int(run_id)} {cond} ORDER BY {_quote(column)} {order}, point_id LIMIT 1")

    def pareto(self, run_id: int, objectives, where: str | None = "within_budget"):
        """Pareto-optimal points of a run over ``objectives`` ``[(column, "min" | "max"), ...]`` as a DataFrame.

        ``where`` restricts the candidates (default: points within budget); rows come sorted by the first
        objective, best first.
        """
        from microlink.sweep.pareto import pareto_front

        names = [name for name, _ in objectives]
        cols = self.fetch_columns(run_id, ["point_id", *names], where=where)
        idx = pareto_front(cols, objectives)
        ids = cols["point_id"][idx]
        import pandas as pd

        self.con.register("_microlink_front", pd.DataFrame({"point_id": ids, "front_rank": np.arange(len(ids))}))
        try:
            return self.query(f"SELECT p.* FROM points_{int(run_id)} p JOIN _microlink_front f USING (point_id) "
                              "ORDER BY f.front_rank")
        finally:
            self.con.unregister("_microlink_front")

    def sample(self, run_id: int, columns, n: int = 50_000, where: str | None = None, seed: int = 0):
        """Up to ``n`` points (a repeatable reservoir sample) of some columns, for plots."""
        self.fetch_columns(run_id, list(columns), where="FALSE", order=False)  # validates the names
        cond = f" WHERE {where}" if where else ""
        sql = (f"SELECT {', '.join(_quote(c) for c in columns)} FROM (SELECT * FROM points_{int(run_id)}{cond}) "
               f"USING SAMPLE reservoir({int(n)} ROWS) REPEATABLE ({int(seed)})")
        duckdb = _duckdb()
        try:
            return {k: _unmask(v) for k, v in self.con.execute(sql).fetchnumpy().items()}
        except (duckdb.Error, OSError) as exc:
            raise _query_error(exc) from None

    def _dicts(self, sql: str, params: list | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


#: Longest SQL text accepted by :meth:`ResultStore.user_query` [characters].
MAX_SQL_CHARS = 100_000


def _query_error(exc: BaseException) -> ConfigError:
    text = _cause(exc)
    if "file system operations are disabled" in text or "permission error" in text.lower():
        return ConfigError(f"query: file access from SQL is disabled ({text}); "
                           "`microlink results query --allow-files` allows reading files")
    return ConfigError(f"query: {text}")


for _name, _action in (("create_run", "write"), ("restart_run", "write"), ("finish_run", "write"),
                       ("commit_chunk", "write"), ("find_resumable", "read"), ("run", "read"), ("runs", "read"),
                       ("latest_run_id", "read"), ("columns", "read"), ("done_chunks", "read"),
                       ("progress", "read"), ("counts", "read"), ("best", "read"), ("pareto", "read"),
                       ("summarize", "read"), ("dataset", "read"), ("_has_table", "read")):
    setattr(ResultStore, _name, _guarded(_action)(getattr(ResultStore, _name)))
