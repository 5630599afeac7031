"""How fast and how lean are design-space sweeps?

Questions, each printed as a row of one table with a peer or a limit beside it:

1. Points per second per core, serial executor, micro-LED grid (LightBundle-like link, full chain without
   the reach solve), in memory and into DuckDB; beside it a plain Python loop calling the same chain one
   scalar point at a time (a subset, its rate extrapolated).
   Then a Latin hypercube of 200G DAC designs (cable and host-channel physics, length), whose chunks the chain
   decides in one batch, beside its first tenth evaluated one group per distinct design (as a technology
   without parameter arrays is swept), with the largest margin difference between the two.
2. Speed-up of the Dask executor with 2 workers over 1 worker (LocalCluster of single-threaded worker
   processes, results stored in DuckDB by the client; best of alternating repeats, since other processes
   on a shared machine take cores away); target >= 1.7x on a 2-core machine. Beside it, the bounds the
   chunking allows (equal chunks to the least loaded worker) and the CPU time the 2-worker run used allows
   (workers' plus the client's CPU seconds, measured in the run, spread over the 2 cores).
3. Peak memory (max RSS of a fresh process) of serial micro-LED sweeps into DuckDB at growing sizes: it
   must stay flat (bounded by the chunk size, not by the sweep size).
4. Peak memory of 1e6- and 1e7-point sweeps through the same engine and store with an analytic stand-in
   evaluator (three arithmetic outputs), which isolates the engine's own memory from the physics' speed
   (the micro-LED 1e7 sweep itself would take tens of minutes here; its time is estimated from the
   measured rates). DuckDB's buffer pool is capped while a sweep writes (``WRITER_MEMORY_LIMIT``), so the
   peak levels off once the cap is reached instead of growing with the sweep.

Peak memory is VmHWM of a fresh process (Linux ``ru_maxrss`` would carry over the parent's peak).

Usage: OMP_NUM_THREADS=1 python benchmarks/sweep.py [--serial-points 40000] [--loop-points 200]
       [--copper-points 2000] [--dask-points 60000] [--memory-points 100000,400000] [--engine-points 1000000,10000000]
       [--chunk-size 4096]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

warnings.filterwarnings("ignore", message="Port .* is already in use")  # another local Dask dashboard
TARGET_SPEEDUP = 1.7


def grid_mapping(n_points: int, chunk_size: int) -> dict:
    """A micro-LED grid of about ``n_points`` (lane rate x LED diameter x bias x reach)."""
    reach_num = max(1, round(n_points / (20 * 10 * 10)))
    return {
        "name": f"bench-{n_points}", "preset": "lightbundle", "seed": 1, "chunk_size": chunk_size,
        "fixed": {"aggregate_rate": "800 Gb/s", "target_ber": 1e-12, "fiber.index_profile": "graded"},
        "parameters": {
            "lane_rate": {"min": "1 Gb/s", "max": "6 Gb/s", "num": 20},
            "led.diameter": {"min": "2 um", "max": "8 um", "num": 10},
            "driver.bias_current": {"min": "50 uA", "max": "300 uA", "num": 10, "scale": "log"},
            "reach": {"min": "0.5 m", "max": "50 m", "num": reach_num, "scale": "log"},
        },
    }


# ------------------------------------------------------------------------------------------------ 1. serial


def serial_rates(n_points: int, chunk_size: int, loop_points: int, workdir: Path) -> dict:
    from microlink.catalog import get_parameter_set
    from microlink.link.chain import evaluate_link
    from microlink.sweep import run_sweep, spec_from_mapping
    from microlink.sweep.space import GridSpace

    warm = spec_from_mapping(grid_mapping(400, 200))
    run_sweep(warm, store=workdir / "warm.duckdb")  # imports, compiled kernels, the store's first write
    spec = spec_from_mapping(grid_mapping(n_points, chunk_size))
    t = time.perf_counter()
    run_sweep(spec)
    memory = spec.n_points / (time.perf_counter() - t)
    t = time.perf_counter()
    run_sweep(spec, store=workdir / "serial.duckdb", new_run=True)
    stored = spec.n_points / (time.perf_counter() - t)

    base = get_parameter_set("lightbundle").parameters.replace(fiber={"index_profile": "graded"})
    plan_points = GridSpace(spec.axes)
    rng = np.random.default_rng(0)
    idx = np.sort(rng.choice(spec.n_points, size=min(loop_points, spec.n_points), replace=False))
    pts = [plan_points.points(int(i), int(i) + 1) for i in idx]
    t = time.perf_counter()
    for p in pts:  # the plain Python loop: one scalar chain evaluation per point
        params = base.replace(led={"diameter": float(p["led.diameter"][0])},
                              driver={"bias_current": float(p["driver.bias_current"][0])})
        evaluate_link(params, aggregate_rate=800e9, reach=float(p["reach"][0]), target_ber=1e-12,
                      lane_rate=float(p["lane_rate"][0]), solve_reach=False)
    loop = len(pts) / (time.perf_counter() - t)
    return {"points": spec.n_points, "memory": memory, "stored": stored, "loop": loop, "loop_points": len(pts)}


def copper_mapping(n_points: int, chunk_size: int) -> dict:
    """A Latin hypercube of ``n_points`` 200G DAC designs: cable and host-channel physics over their catalog
    ranges, and the length."""
    return {
        "name": f"bench-dac-{n_points}", "preset": "dac-200g", "seed": 2, "chunk_size": chunk_size,
        "sampling": "lhs", "samples": n_points,
        "fixed": {"aggregate_rate": "1.6 Tb/s", "target_ber": 1e-12},
        "parameters": {
            "cable.conductor_excess": {"min": 1.0, "max": 1.3},
            "cable.end_reflection": {"min": 0.05, "max": 0.2},
            "host_channel.pcb_length": {"min": "2 inch", "max": "4 inch"},
            "host_channel.next_coupling_db": {"min": -50.0, "max": -40.0},
            "reach": {"min": "0.3 m", "max": "3 m"},
        },
    }


def copper_rates(n_points: int, chunk_size: int) -> dict:
    """Points/s of a 200G DAC design sweep (serial, in memory): the chain deciding each chunk's distinct
    designs in one batch, against its first tenth evaluated one group per distinct design (how a technology
    without parameter arrays is swept), in the same run; the largest relative margin difference of the two."""
    from microlink.sweep import run_sweep, spec_from_mapping
    from microlink.sweep.evaluators import LinkEvaluator

    run_sweep(spec_from_mapping(copper_mapping(64, 64)))  # warm
    spec = spec_from_mapping(copper_mapping(n_points, chunk_size))
    t = time.perf_counter()
    batched = run_sweep(spec).dataset()
    t_batch = time.perf_counter() - t
    k = max(1, n_points // 10)
    points = spec.space(spec.seed).points(0, k)
    evaluator = spec.evaluator
    original = LinkEvaluator.array_parameters
    LinkEvaluator.array_parameters = lambda self: False
    try:
        t = time.perf_counter()
        grouped = evaluator.evaluate(points, np.random.default_rng(0))
        t_group = time.perf_counter() - t
    finally:
        LinkEvaluator.array_parameters = original
    a = np.asarray(batched["margin_db"].values)[:k]
    b = np.asarray(grouped["margin_db"])
    diff = float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))
    return {"points": spec.n_points, "rate": spec.n_points / t_batch, "peer_points": k, "peer_rate": k / t_group,
            "diff": diff}


# ------------------------------------------------------------------------------------------------ 2. dask


def dask_speedup(n_points: int, chunk_size: int, workdir: Path, repeats: int = 2) -> dict:
    """Best of ``repeats`` alternating timings on a 1-worker and a 2-worker LocalCluster (both kept up)."""
    import logging
    from contextlib import ExitStack

    from distributed import Client, LocalCluster

    from microlink.sweep import run_sweep, spec_from_mapping
    from microlink.sweep.executors import DaskExecutor

    spec = spec_from_mapping(grid_mapping(n_points, chunk_size))
    warm = spec_from_mapping(grid_mapping(800, 100))
    times: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[tuple[float, float]]] = {1: [], 2: []}  # (workers' CPU s, client's CPU s) per run
    with ExitStack() as stack:
        clients = {}
        for workers in (1, 2):
            cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=None, silence_logs=logging.ERROR))
            clients[workers] = stack.enter_context(Client(cluster))
            run_sweep(warm, executor=DaskExecutor(client=clients[workers]))  # every worker imports and warms up
        for r in range(repeats):
            for workers in (1, 2):
                client = clients[workers]
                w0, c0 = sum(client.run(time.process_time).values()), time.process_time()
                t = time.perf_counter()
                run_sweep(spec, store=workdir / f"dask{workers}-{r}.duckdb", executor=DaskExecutor(client=client))
                times[workers].append(time.perf_counter() - t)
                cpu[workers].append((sum(client.run(time.process_time).values()) - w0, time.process_time() - c0))
    best = {w: int(np.argmin(times[w])) for w in (1, 2)}
    out = {"points": spec.n_points, 1: times[1][best[1]], 2: times[2][best[2]], "repeats": repeats}
    out["speedup"] = out[1] / out[2]
    out["bound"] = chunk_bound(spec.n_points, chunk_size, 2)
    # the client (scheduler, result transfer, DuckDB writes) shares the two cores with the workers: with the
    # CPU both used in the 2-worker run, no schedule on 2 cores finishes sooner than (workers + client) / 2
    out["workers_cpu"], out["client_cpu"] = cpu[2][best[2]]
    out["cpu_bound"] = out[1] / (0.5 * (out["workers_cpu"] + out["client_cpu"]))
    return out


def chunk_bound(n_points: int, chunk_size: int, workers: int) -> float:
    """Largest speed-up the chunking allows on ``workers`` equal workers: the sweep's chunks, longest first,
    each to the least loaded worker (equal time per point, no overhead)."""
    sizes = [chunk_size] * (n_points // chunk_size) + ([n_points % chunk_size] if n_points % chunk_size else [])
    load = [0] * workers
    for size in sorted(sizes, reverse=True):
        load[load.index(min(load))] += size
    return n_points / max(load)


# ------------------------------------------------------------------------------------------------ 3-4. memory


def peak_rss_mib() -> float:
    """Peak resident memory of this process [MiB]: VmHWM (reset by exec, unlike ru_maxrss on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_memory(kind: str, n_points: int, chunk_size: int, store: str) -> None:
    """Run one sweep in this (fresh) process and print its wall time and peak RSS as JSON."""
    from microlink.sweep import register_evaluator, run_sweep, spec_from_mapping

    if kind == "engine":
        from pydantic import BaseModel, ConfigDict

        from microlink.sweep.evaluators import InputInfo, OutputInfo

        class Options(BaseModel):
            model_config = ConfigDict(extra="forbid")

        class Analytic:
            """Stand-in model: three outputs by arithmetic, so the engine and the store dominate."""

            name = "analytic"
            options_model = Options

            def __init__(self, options):
                self.fixed = {}

            def inputs(self):
                return {k: InputInfo(k, "1", (0.0, 1e9)) for k in ("a", "b", "c")}

            def with_fixed(self, fixed, swept=()):
                return self

            def outputs(self):
                return {"energy": OutputInfo("energy", "1"), "cost": OutputInfo("cost", "1"),
                        "feasible": OutputInfo("feasible", "", "bool")}

            def provenance(self):
                return {"model": "analytic stand-in"}

            def evaluate(self, inputs, rng):
                a, b, c = (np.asarray(inputs[k], dtype=float) for k in ("a", "b", "c"))
                energy = a * b + c
                return {"energy": energy, "cost": a + 2 * c, "feasible": energy < 1e5}

        register_evaluator("analytic", Analytic)
        side = round(n_points ** (1 / 3))
        mapping = {"evaluator": "analytic", "chunk_size": chunk_size, "seed": 1,
                   "parameters": {"a": {"min": 1, "max": 100, "num": side},
                                  "b": {"min": 1, "max": 100, "num": side},
                                  "c": {"min": 1, "max": 100, "num": int(np.ceil(n_points / side ** 2))}}}
    else:
        mapping = grid_mapping(n_points, chunk_size)
    spec = spec_from_mapping(mapping)
    from microlink.sweep.engine import plan_sweep

    plan_sweep(spec)  # imports, compiled kernels: the baseline before any chunk runs
    before_mib = peak_rss_mib()
    t = time.perf_counter()
    out = run_sweep(spec, store=store)
    seconds = time.perf_counter() - t
    print(json.dumps({"points": out.points_done, "seconds": seconds, "peak_mib": peak_rss_mib(),
                      "before_mib": before_mib}))


def memory_run(kind: str, n_points: int, chunk_size: int, workdir: Path) -> dict:
    store = workdir / f"mem-{kind}-{n_points}.duckdb"
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(n_points), str(chunk_size), str(store)],
                          capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"}, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["store_mib"] = store.stat().st_size / 2**20
    return result


# ------------------------------------------------------------------------------------------------ main


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--serial-points", type=int, default=40_000)
    ap.add_argument("--loop-points", type=int, default=200)
    ap.add_argument("--dask-points", type=int, default=60_000)
    ap.add_argument("--copper-points", type=int, default=2_000,
                    help="points of the 200G DAC design sweep (0: skip)")
    ap.add_argument("--memory-points", default="100000,400000", help="comma-separated micro-LED sweep sizes")
    ap.add_argument("--memory-small-chunk", type=int, default=1024,
                    help="also run the first memory size with this chunk size (0: skip)")
    ap.add_argument("--engine-points", default="1000000,10000000",
                    help="comma-separated sizes of the stand-in-model sweeps")
    ap.add_argument("--chunk-size", type=int, default=4096)
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, n, cs, store = args.child
        _child_memory(kind, int(n), int(cs), store)
        return

    from rich.console import Console
    from rich.table import Table

    console = Console()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        load_before = os.getloadavg()[0]
        console.print(f"[dim]{cores} cores, load average {load_before:.1f}; running ...[/]")
        s = serial_rates(args.serial_points, args.chunk_size, args.loop_points, work)
        rows.append(("serial, in memory", f"{s['points']:,} points", f"{s['memory']:,.0f} points/s/core",
                     f"plain Python loop: {s['loop']:,.0f} points/s ({s['memory'] / s['loop']:.0f}x slower; "
                     f"{s['loop_points']} points)"))
        rows.append(("serial, into DuckDB", f"{s['points']:,} points", f"{s['stored']:,.0f} points/s/core",
                     f"store overhead {100 * (1 - s['stored'] / s['memory']):.0f} %"))
        if args.copper_points:
            c = copper_rates(args.copper_points, args.chunk_size)
            rows.append(("serial, 200G DAC designs (LHS)", f"{c['points']:,} points",
                         f"{c['rate']:,.0f} points/s/core",
                         f"one group per design: {c['peer_rate']:,.0f} points/s ({c['rate'] / c['peer_rate']:.1f}x "
                         f"slower; {c['peer_points']:,} points); margins agree to {c['diff']:.0e}"))
        d = dask_speedup(args.dask_points, args.chunk_size, work)
        ok = "meets" if d["speedup"] >= TARGET_SPEEDUP else "BELOW"
        rows.append((f"Dask 1 worker -> 2 workers (best of {d['repeats']})", f"{d['points']:,} points",
                     f"{d[1]:.1f} s -> {d[2]:.1f} s = {d['speedup']:.2f}x",
                     f"target >= {TARGET_SPEEDUP}x ({ok}); the chunking allows {d['bound']:.2f}x; the CPU the "
                     f"2-worker run used (workers {d['workers_cpu']:.1f} s + client {d['client_cpu']:.1f} s) "
                     f"allows {d['cpu_bound']:.2f}x on 2 cores; {d['points'] / d[2]:,.0f} points/s on 2 workers"))
        rate = s["stored"]
        sizes = [int(x) for x in args.memory_points.split(",") if x]
        runs = [(n, args.chunk_size) for n in sizes]
        if args.memory_small_chunk and sizes:
            runs.insert(0, (sizes[0], args.memory_small_chunk))
        for n, cs in runs:
            m = memory_run("microled", n, cs, work)
            rows.append((f"peak RSS, micro-LED serial, chunk {cs:,}", f"{m['points']:,} points",
                         f"{m['peak_mib']:,.0f} MiB ({m['before_mib']:,.0f} MiB before the first chunk)",
                         f"{m['seconds']:.0f} s; store file {m['store_mib']:,.0f} MiB"))
            if cs == args.chunk_size:
                rate = m["points"] / m["seconds"]
        for n in [int(x) for x in args.engine_points.split(",") if x]:
            e = memory_run("engine", n, args.chunk_size, work)
            rows.append(("peak RSS, engine + store (stand-in model)", f"{e['points']:,} points",
                         f"{e['peak_mib']:,.0f} MiB ({e['before_mib']:,.0f} MiB before the first chunk)",
                         f"{e['seconds']:.0f} s ({e['points'] / e['seconds']:,.0f} points/s); store file "
                         f"{e['store_mib']:,.0f} MiB"))
        rows.append(("micro-LED 1e7 points (estimate)", "10,000,000 points",
                     f"{1e7 / rate / 60:.0f} min serial, {1e7 / (d['points'] / d[2]) / 60:.0f} min on 2 workers",
                     "from the measured rates; memory as the rows above (flat in the point count)"))

    table = Table(title=f"Sweep benchmark ({cores} cores, chunk size {args.chunk_size:,}; load average "
                        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after)")
    for col in ("measure", "size", "result", "beside it"):
        table.add_column(col)
    for r in rows:
        table.add_row(*r)
    console.print(table)
    console.print("Peak RSS depends on the chunk size (the physics' working arrays of one chunk) and on DuckDB's "
                  "capped buffer pool, not on the number of points.", soft_wrap=True)


if __name__ == "__main__":
    main()
