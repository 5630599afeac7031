"""`microlink sweep` and `microlink results` end to end through the real command-line app."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app
from microlink.sweep import ResultStore

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "microled_sweep.yaml")
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The small example swept once (serial) into a store shared by the read-only tests."""
    db = tmp_path_factory.mktemp("cli") / "small.duckdb"
    result = invoke("sweep", EXAMPLE, "--store", db, "--no-progress")
    assert result.exit_code == 0, result.output
    return db


def test_sweep_prints_summary_and_best_point(store):
    result = invoke("sweep", EXAMPLE, "--store", store, "--no-progress")
    assert result.exit_code == 0, result.output
    assert "Sweep 'microled-small': run 1" in result.output
    assert "already complete" in result.output and "160 of 160" in result.output
    assert "best energy_per_bit_pj (min)" in result.output


def test_sweep_json_with_pareto_and_plot(tmp_path):
    db, png = tmp_path / "s.duckdb", tmp_path / "front.png"
    result = invoke("sweep", EXAMPLE, "--store", db, "--chunk-size", "40", "--format", "json",
                    "--pareto", "energy_per_bit_pj:min,reach:max", "--plot", png)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["status"] == "complete" and doc["points_done"] == 160 and doc["executor"].startswith("serial")
    front = doc["pareto"]["front"]
    assert doc["pareto"]["size"] == len(front) >= 1
    energies = [row["energy_per_bit_pj"] for row in front]
    assert energies == sorted(energies)
    assert png.exists() and png.stat().st_size > 10_000
    with ResultStore(db, read_only=True) as s:
        assert s.run(1)["chunk_size"] == 40


def test_same_spec_on_a_dask_cluster_address(tmp_path, store):
    from distributed import LocalCluster

    db = tmp_path / "d.duckdb"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        result = invoke("sweep", EXAMPLE, "--store", db, "--executor", "dask", "--scheduler",
                        cluster.scheduler_address, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["executor"].startswith("dask") and doc["status"] == "complete"
    with ResultStore(db, read_only=True) as d, ResultStore(store, read_only=True) as s:
        sql = "SELECT * EXCLUDE (chunk_id) FROM points_1 ORDER BY point_id"
        assert d.query(sql).equals(s.query(sql))


@pytest.mark.parametrize("args, message", [
    (["--executor", "serial", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler: only with --executor dask"),
    (["--pareto", "energy:min"], "--pareto: unknown column 'energy'"),
    (["--pareto", "energy_per_bit_pj:up"], "sense 'up'"),
    (["--plot", "front.gif"], "--plot"),
    (["--chunk-size", "0"], "--chunk-size"),
])
def test_bad_options_exit_2_before_computing(tmp_path, args, message):
    db = tmp_path / "x.duckdb"
    result = invoke("sweep", EXAMPLE, "--store", db, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not db.exists()


@pytest.mark.parametrize("text, message", [
    ("parameters:\n  led.diameter: [900 um]\n", "parameters.led.diameter[0]: got '900 um'; allowed: 0.5 .. 500 um"),
    ("parameters:\n  led.diamter: [3 um]\n", "did you mean led.diameter"),
    ("parameters:\n  reach: {min: 1 kg, max: 2 m, num: 2}\n", "parameters.reach.min"),
    ("sampling: lhs\nparameters:\n  reach: {min: 1 m, max: 2 m}\n", "samples: missing"),
    ("parameters: [\n", "cannot parse"),
])
def test_bad_specs_exit_2_with_one_line(tmp_path, text, message):
    spec = tmp_path / "bad.yaml"
    spec.write_text(text)
    result = invoke("sweep", spec, "--store", tmp_path / "x.duckdb")
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], result.output


def test_results_list_show_query_export(store, tmp_path):
    listed = invoke("results", "list", "--store", store)
    assert listed.exit_code == 0 and "microled-small" in listed.output and "complete" in listed.output
    as_json = json.loads(invoke("results", "list", "--store", store, "--format", "json").stdout)["rows"]
    assert as_json[0]["run_id"] == 1 and as_json[0]["points_done"] == 160

    shown = invoke("results", "show", "latest", "--store", store)
    assert shown.exit_code == 0, shown.output
    for text in ("grid 2 x 4 x 4 x 5 = 160 points", "lightbundle", "energy_per_bit_pj", "pJ/bit", "points_1"):
        assert text in shown.output
    doc = json.loads(invoke("results", "show", "1", "--store", store, "--format", "json").stdout)
    assert doc["counts"]["points"] == 160 and doc["provenance"]["seed"] == 20260611

    query = invoke("results", "query", "SELECT driver_bias_current, count(*) AS n, min(energy_per_bit_pj) AS best "
                   "FROM points_1 WHERE within_budget GROUP BY ALL ORDER BY 1", "--store", store, "--format", "json")
    assert query.exit_code == 0, query.output
    doc = json.loads(query.stdout)
    assert doc["meta"]["inputs"]["sql"].startswith("SELECT driver_bias_current") and doc["meta"]["seed"] is None
    rows = doc["rows"]
    assert {r["driver_bias_current"] for r in rows} <= {300e-6, 1e-3} and sum(r["n"] for r in rows) > 0
    csv = invoke("results", "query", "SELECT point_id FROM points_1 LIMIT 3", "--store", store, "--format", "csv")
    assert csv.stdout.split() == ["point_id", "0", "1", "2"]

    parquet = tmp_path / "run1.parquet"
    exported = invoke("results", "export", "1", "--parquet", parquet, "--store", store)
    assert exported.exit_code == 0 and "160 points" in exported.output
    import pyarrow.parquet as pq

    table = pq.read_table(parquet)
    assert table.num_rows == 160 and "energy_per_bit_pj" in table.column_names
    assert table.column("point_id").to_pylist() == list(range(160))


def test_results_pareto(store, tmp_path):
    png = tmp_path / "p.svg"
    result = invoke("results", "pareto", "1", "--store", store, "--plot", png)  # the spec's objectives
    assert result.exit_code == 0, result.output
    assert "Pareto front of run 1" in result.output and png.exists()
    doc = json.loads(invoke("results", "pareto", "1", "-o", "energy_per_bit_pj:min,cost_usd:min,reach:max",
                            "--all-points", "--store", store, "--format", "json").stdout)
    assert doc["candidates"] == "all points" and doc["size"] >= 1


@pytest.mark.parametrize("args, message", [
    (["results", "show", "9"], "run: got 9"),
    (["results", "show", "one"], "run: got 'one'"),
    (["results", "query", "SELECT * FROM nowhere"], "query:"),
    (["results", "pareto", "1", "-o", "nonsense:min"], "'nonsense' is not a column of run 1"),
])
def test_results_errors_exit_2(store, args, message):
    result = invoke(*args, "--store", store)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_missing_store_exits_2(tmp_path):
    result = invoke("results", "list", "--store", tmp_path / "none.duckdb")
    assert result.exit_code == 2 and "file not found" in result.output


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_keeps_what_finished(tmp_path):
    spec = tmp_path / "long.yaml"
    spec.write_text("name: long\npreset: lightbundle\nchunk_size: 32\nfixed: {fiber.index_profile: graded}\n"
                    "parameters:\n  led.diameter: {min: 2 um, max: 8 um, num: 50}\n"
                    "  reach: {min: 1 m, max: 30 m, num: 200}\n")
    db = tmp_path / "long.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "microlink.cli.app", "sweep", str(spec), "--store", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "OMP_NUM_THREADS": "1", "COLUMNS": "200"})
    try:
        line = proc.stderr.readline()
        assert line.startswith("run 1 (new)"), line
        time.sleep(3.0)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "interrupted:" in err and "run the same command again to resume" in err
    assert "Sweep 'long': run 1" in out
    with ResultStore(db, read_only=True) as s:
        run = s.run(1)
        assert run["status"] == "interrupted" and run["message"] == "stopped by the user"
        assert 0 < run["points_done"] < 10_000
        n = s.query("SELECT count(*) AS n, count(DISTINCT point_id) AS u FROM points_1")
        assert n.n[0] == n.u[0] == run["points_done"]
