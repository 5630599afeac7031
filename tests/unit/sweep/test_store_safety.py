"""The results store: external access off, read-only queries, one error path for damaged files."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from microlink.errors import ConfigError
from microlink.sweep.store import Column, ResultStore, _cause

COLUMNS = [Column("point_id", "key", "", "int64"), Column("chunk_id", "key", "", "int32"),
           Column("reach", "input", "m", "float64")]


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "s.duckdb"
    with ResultStore(path) as db:
        run = db.create_run(name="t", evaluator="e", sampling="grid", spec_text="", spec_hash="h", version="v",
                            seed=1, n_points=3, chunk_size=3, n_chunks=1, columns=COLUMNS, provenance={})
        db.commit_chunk(run, 0, {"point_id": np.arange(3), "chunk_id": np.zeros(3, dtype=np.int32),
                                 "reach": np.array([1.0, np.nan, 3.0])}, 0.1, COLUMNS)
        db.finish_run(run, "complete")
    return path


def test_one_select_is_answered(store):
    with ResultStore(store, read_only=True) as db:
        frame = db.user_query("SELECT * FROM points_1 ORDER BY point_id")
    assert list(frame.reach.fillna(-1)) == [1.0, -1.0, 3.0]


@pytest.mark.parametrize(("sql", "match"), [
    ("SELECT * FROM read_csv('/etc/passwd')", "file access from SQL is disabled"),
    ("SELECT * FROM glob('/*')", "file access from SQL is disabled"),
    ("SELECT 1; SELECT 2", "2 statements"),
    ("", "empty"),
    ("COPY points_1 TO 'out.csv'", "COPY statement"),
    ("INSTALL httpfs", "SELECT only"),
    ("ATTACH 'other.duckdb'", "SELECT only"),
    ("SET enable_external_access = true", "SELECT only"),
    ("SELECT * FROM nonesuch", "query: "),
])
def test_refused_queries(store, sql, match):
    with ResultStore(store, read_only=True) as db, pytest.raises(ConfigError, match=match):
        db.user_query(sql)


def test_configuration_is_locked(store):
    with ResultStore(store, read_only=True) as db, pytest.raises(duckdb.Error):
        db.con.execute("SET enable_external_access = true")


def test_allow_files_reads_files(store, tmp_path):
    (tmp_path / "x.csv").write_text("a\n1\n2\n")
    with ResultStore(store, read_only=True, allow_files=True) as db:
        assert int(db.user_query(f"SELECT count(*) AS n FROM read_csv('{tmp_path / 'x.csv'}')").n[0]) == 2


def test_crafted_view_cannot_leak_a_file(tmp_path):
    evil = tmp_path / "evil.duckdb"
    (tmp_path / "secret.txt").write_text("secret")
    con = duckdb.connect(str(evil))
    con.execute("CREATE TABLE runs (run_id INTEGER)")
    con.execute(f"CREATE VIEW points_1 AS SELECT * FROM read_text('{tmp_path / 'secret.txt'}')")
    con.close()
    with ResultStore(evil, read_only=True) as db, pytest.raises(ConfigError, match="disabled"):
        db.query("SELECT * FROM points_1")


@pytest.mark.parametrize("damage", ["truncate", "junk", "empty"])
def test_damaged_files_are_one_error(store, damage):
    data = store.read_bytes()
    store.write_bytes({"truncate": data[:5000], "junk": b"not a database" * 500, "empty": b""}[damage])
    try:
        with ResultStore(store, read_only=True) as db:
            db.runs()
    except ConfigError as exc:
        assert str(exc).startswith("store: ") and "\n" not in str(exc)
    else:  # an empty file is a valid empty database to DuckDB; it then holds no runs
        pytest.fail("a damaged store opened")


def test_not_a_file(tmp_path):
    with pytest.raises(ConfigError, match="not a regular file"):
        ResultStore(tmp_path, read_only=True)
    with pytest.raises(ConfigError, match="file not found"):
        ResultStore(tmp_path / "none.duckdb", read_only=True)


def test_limits(store):
    with ResultStore(store, read_only=True) as db:
        with pytest.raises(ConfigError, match="--limit"):
            db.query("SELECT 1", limit=99999999999999999999)
    with ResultStore(store) as db, pytest.raises(ConfigError, match="n_chunks"):
        db.create_run(name="big", evaluator="e", sampling="grid", spec_text="", spec_hash="h2", version="v",
                      seed=1, n_points=10**15, chunk_size=4096, n_chunks=10**15 // 4096, columns=COLUMNS,
                      provenance={})


def test_export_parquet_without_file_access_from_sql(store, tmp_path):
    out = tmp_path / "p.parquet"
    with ResultStore(store, read_only=True) as db:
        db.export_parquet(1, out)
        for bad in (tmp_path / "no" / "p.parquet", tmp_path):
            with pytest.raises(ConfigError, match="--parquet"):
                db.export_parquet(1, bad)
    assert pd.read_parquet(out).point_id.tolist() == [0, 1, 2]


def test_disk_full_cause_is_said():
    assert "disk is full" in _cause(duckdb.IOException('IO Error: Could not write file "x": File too large'))
    assert "disk is full" in _cause(OSError(28, "No space left on device"))


def test_failed_commit_reports_its_own_cause(store):
    with ResultStore(store) as db:
        chunk = {"point_id": np.arange(3), "chunk_id": np.zeros(3, dtype=np.int32), "reach": np.ones(3)}
        with pytest.raises(ConfigError, match="already committed"):
            db.commit_chunk(1, 0, chunk, 0.0, COLUMNS)
        assert db.progress(1) == (3, 1)
