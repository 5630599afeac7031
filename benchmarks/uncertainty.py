"""How fast is a 256-sample uncertainty band of one link, against a plain loop over the same samples?

Both run in the same process on the same Latin-hypercube draws (one seed); the loop evaluates one scalar
parameter set per sample through the same chain, which is what a user without parameter arrays would write.
Prints the median of three runs after a warm-up, and checks that both give the same P10/P50/P90.

    OMP_NUM_THREADS=1 python benchmarks/uncertainty.py [--samples 256] [--preset lightbundle]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=256)
    ap.add_argument("--preset", default="lightbundle")
    ap.add_argument("--loop-samples", type=int, default=None, help="samples of the plain loop (default: all)")
    args = ap.parse_args()

    from microlink import uncertainty as u
    from microlink.catalog import get_parameter_set

    ps = get_parameter_set(args.preset)
    u.link_bands(ps, samples=8, seed=1)  # warm-up: imports and compiled kernels
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        band = u.link_bands(ps, samples=args.samples, seed=1)
        times.append(time.perf_counter() - t0)
    vec = statistics.median(times)

    lk = u._resolve(ps, None, None, None, None, None)
    n_loop = args.loop_samples or args.samples
    values = {k: v[:n_loop] for k, v in band.draws.values.items()}
    t0 = time.perf_counter()
    loop = u._evaluate_metrics(lk.parameters, values, lk.request, vectorised=False)
    loop_s = (time.perf_counter() - t0) * args.samples / n_loop

    same = np.allclose(loop["max_reach_m"], band.outputs["max_reach_m"][:n_loop], rtol=2e-3, atol=1e-9)
    print(f"{args.preset}: {args.samples} Latin-hypercube samples over {len(band.ranges)} ranged fields, one core")
    print(f"{'method':40s} {'seconds':>9s} {'samples/s':>10s}")
    print(f"{'band (vectorised chain)' if band.vectorised else 'band (one call per sample)':40s} "
          f"{vec:9.3f} {args.samples / vec:10.0f}")
    print(f"{'plain loop over the same samples':40s} {loop_s:9.3f} {args.samples / loop_s:10.0f}"
          + ("" if n_loop == args.samples else f"  (timed on {n_loop}, scaled)"))
    print(f"speed-up {loop_s / vec:.1f}x; per-sample max reach agrees with the loop: {same}")
    b = band.bands["max_reach_m"]
    print(f"max reach P10/P50/P90 {b.p10:.3g} / {b.p50:.3g} / {b.p90:.3g} m (point {band.point['max_reach_m']:.3g} m), "
          f"P(feasible at {band.request['reach']:g} m) {band.p_feasible:.2f}")


if __name__ == "__main__":
    main()
