"""How long does a command take from the shell, against starting Python with NumPy?

Each command runs in a fresh process (as a user types it), ``--repeats`` times, alternating the engines
(:mod:`microlink.kernels`: the NumPy implementations the single-shot commands run by default, and the
compiled kernels, which cost ~0.8 s to load per process), and the best and median wall times are printed
beside the floor measured in the same run: ``python -c "import numpy"``, the cost of any command of a NumPy
program. On a shared (virtual) machine the same command varies by +-30 % from run to run; the best of the
repeats is the steadier figure, and "met" is judged on the median. The package's bytecode is compiled
first (``compileall``, as ``pip install`` does for an installed package): where ``PYTHONDONTWRITEBYTECODE``
is set and the package is installed in editable mode, every run would otherwise recompile ~70 modules from
source (~0.15 s), a cost no installed copy pays.
Targets from issue 13: ``--help`` <= 0.3 s, ``link`` and ``compare`` <= 1.5 s, ``rack --system nvl576
--tech all`` and ``cluster --gpus 100000`` <= 2 s on an idle machine. Peak RSS of each run is printed too.

Run: ``python benchmarks/cli.py [--repeats 5] [--only link,compare]``
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "--help": ["--help"],
    "link": ["link"],
    "compare": ["compare"],
    "rack": ["rack", "--system", "nvl576", "--tech", "all"],
    "cluster": ["cluster", "--gpus", "100000"],
}
TARGETS = {"--help": 0.3, "link": 1.5, "compare": 1.5, "rack": 2.0, "cluster": 2.0}


def _run(argv: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, peak RSS of that child [MiB])."""
    t0 = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    err = child.stderr.read() if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}): {err.strip()[-500:]}")
    return wall, usage.ru_maxrss / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default="", help="comma list of " + ", ".join(COMMANDS))
    args = parser.parse_args()
    exe = shutil.which("microlink")
    base = [exe] if exe else [sys.executable, "-m", "microlink.cli.app"]
    names = [n for n in (args.only.split(",") if args.only else COMMANDS) if n]
    env = dict(os.environ, OMP_NUM_THREADS="1", COLUMNS="120")
    env.pop("MICROLINK_ENGINE", None)
    import microlink

    compileall.compile_dir(os.path.dirname(microlink.__file__), quiet=1)  # bytecode, as an install has it
    floor_runs = [_run([sys.executable, "-c", "import numpy"], env) for _ in range(args.repeats)]
    floor, floor_rss = [w for w, _ in floor_runs], max(r for _, r in floor_runs)
    _run(base + ["link"], dict(env, MICROLINK_ENGINE="compiled"))  # compiled kernels cached on disk
    rows = []
    for name in names:
        walls = {"default": [], "compiled": []}
        rss = {"default": 0.0, "compiled": 0.0}
        for _ in range(args.repeats):
            for engine in walls:
                e = dict(env) if engine == "default" else dict(env, MICROLINK_ENGINE=engine)
                w, r = _run(base + COMMANDS[name], e)
                walls[engine].append(w)
                rss[engine] = r
        rows.append((name, min(walls["default"]), statistics.median(walls["default"]),
                     statistics.median(walls["compiled"]), rss["default"], rss["compiled"], TARGETS[name]))
    f = statistics.median(floor)
    print(f"microlink from the shell, {args.repeats} fresh processes each (OMP_NUM_THREADS=1)")
    print(f"floor: python -c 'import numpy' {f:.2f} s (median), {floor_rss:.0f} MiB peak RSS (same run); "
          "microlink's bytecode compiled beforehand, as an installed package has it")
    print(f"{'command':<10} {'best [s]':>9} {'median [s]':>11} {'compiled, median [s]':>21} {'floor [s]':>10} "
          f"{'target [s]':>11} {'met':>4} {'RSS [MiB]':>10} {'compiled RSS':>13} {'floor RSS':>10}")
    for name, b, d, c, r, rc, t in rows:
        print(f"{name:<10} {b:>9.2f} {d:>11.2f} {c:>21.2f} {f:>10.2f} {t:>11.1f} {'yes' if d <= t else 'no':>4} "
              f"{r:>10.0f} {rc:>13.0f} {floor_rss:>10.0f}")
    print("default engine: numpy for link/compare/rack/cluster (microlink.kernels), none needed by --help")


if __name__ == "__main__":
    main()
