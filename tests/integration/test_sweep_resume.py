"""A sweep killed with SIGKILL at random moments resumes with no lost and no duplicated points.

A Latin-hypercube micro-LED sweep without a seed in its spec (so the run draws one and must reuse the
recorded seed when it resumes) runs in a subprocess that prints a line after every stored chunk. The test
kills it with ``kill -9`` twice, each after a random number of stored chunks plus a random delay
(so the kill lands anywhere: inside an evaluation, inside a DuckDB transaction, between chunks), checks
the store after every kill (it opens, chunks and points agree, no duplicates), then finishes the run
through the command line and compares every stored value with an uninterrupted in-memory run.
"""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from microlink.sweep import ResultStore, load_spec, run_sweep

SPEC = """\
name: kill-test
preset: lightbundle
chunk_size: 48
sampling: lhs
samples: 1536
fixed:
  aggregate_rate: 800 Gb/s
  fiber.index_profile: graded
parameters:
  lane_rate: {min: 1 Gb/s, max: 6 Gb/s}
  led.diameter: {min: 2 um, max: 8 um}
  driver.bias_current: {min: 50 uA, max: 300 uA, scale: log}
  reach: {min: 0.5 m, max: 50 m, scale: log}
constraints:
  cost_usd: {max: 400}
"""

DRIVER = textwrap.dedent("""
    import sys
    from microlink.sweep import load_spec, run_sweep

    def main():
        spec = load_spec(sys.argv[1])
        progress = lambda done, total: print(f"progress {done} {total}", flush=True)
        out = run_sweep(spec, store=sys.argv[2], progress=progress)
        print(f"status {out.status}", flush=True)

    if __name__ == "__main__":
        main()
""")

N_POINTS = 1536
N_CHUNKS = 32
KILLS = 2


def _check_store(db):
    """The store opens, and chunks and points agree exactly (no partial chunk, no duplicate)."""
    with ResultStore(db, read_only=True) as s:
        runs = s.runs()
        assert len(runs) == 1
        points, chunks = s.progress(1)
        rows = s.query("SELECT count(*) AS n, count(DISTINCT point_id) AS u, count(DISTINCT chunk_id) AS c "
                       "FROM points_1")
        assert rows.n[0] == rows.u[0] == points
        assert rows.c[0] == chunks
        bad = s.query("SELECT count(*) AS n FROM points_1 p JOIN chunks c ON c.run_id = 1 AND c.chunk_id = p.chunk_id "
                      "WHERE p.point_id < c.first_point OR p.point_id >= c.first_point + c.n_points")
        assert bad.n[0] == 0
        return points, runs[0]


@pytest.mark.slow
def test_kill_minus_nine_and_resume(tmp_path):
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(SPEC)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    db = tmp_path / "sweep.duckdb"
    rng = random.Random(20260611)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    stored = []
    seed = None
    for attempt in range(KILLS):
        proc = subprocess.Popen([sys.executable, str(driver), str(spec_path), str(db)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, bufsize=1, env=env)
        try:
            wanted = rng.randint(1, 6)
            seen = 0
            for line in proc.stdout:
                if line.startswith("progress"):
                    seen += 1
                    if seen > wanted:
                        break
                assert not line.startswith("status"), "the sweep finished before it could be killed"
            time.sleep(rng.uniform(0.0, 0.05))  # land anywhere: evaluation, transaction, between chunks
            os.kill(proc.pid, signal.SIGKILL)
            assert proc.wait(timeout=30) == -signal.SIGKILL
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        points, run = _check_store(db)
        assert run["status"] == "interrupted" and run["sessions"] == attempt + 1
        assert 0 < points < N_POINTS
        assert seed is None or run["seed"] == seed  # the recorded seed is reused
        seed = run["seed"]
        stored.append(points)
    assert stored == sorted(stored)  # nothing stored is ever lost

    done = subprocess.run([sys.executable, "-m", "microlink.cli.app", "sweep", str(spec_path), "--store", str(db),
                           "--no-progress", "--format", "json"], capture_output=True, text=True, env=env, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["resumed"] and summary["status"] == "complete" and summary["run_id"] == 1
    assert summary["points_this_session"] == N_POINTS - stored[-1]
    points, run = _check_store(db)
    assert points == N_POINTS and run["status"] == "complete" and run["sessions"] == KILLS + 1 and run["seed"] == seed
    with ResultStore(db, read_only=True) as s:
        assert s.progress(1) == (N_POINTS, N_CHUNKS)
        resumed = s.dataset(1)

    reference = run_sweep(load_spec(spec_path, seed=seed)).dataset()
    assert resumed.sizes == reference.sizes
    for name in reference.variables:
        np.testing.assert_array_equal(resumed[name].values, reference[name].values, err_msg=name)
