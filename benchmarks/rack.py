"""How long does a rack/cluster comparison take, against evaluating every cable in a Python loop?

Cases: the GB200 NVL576 domain (2 link classes, 12,960 end pairs) and the Kyber NVL576-class domain with
every catalog technology, and a 100k-GPU rail-optimised cluster (4 link classes, 2.1 M end pairs) with the
Llama 3 405B workload. microlink evaluates each technology once per system on the classes' length bins (one
vectorised link call); the peer is the obvious loop, one ``evaluate_link`` call per cable (end pair) at its
own length. The loop is timed on a random sample of cables and extrapolated to all of them (stated in
the table). Targets: <= 1 s for the NVL576 class and <= 5 s for the 100k cluster, and <= 0.5 s for the Kyber
NVL576-class domain with every technology (the API on one core).

Run: ``python benchmarks/rack.py [--repeats 3] [--sample 5] [--seed 1] [--workers 1]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np


def timed(fn, repeats: int) -> tuple[float, float, object]:
    """(first-call seconds, median of ``repeats`` later calls, last result)."""
    t0 = time.perf_counter()
    out = fn()
    first = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times), out


def link_floor(topology, sets) -> float:
    """Seconds of one single-point evaluate_link call per (technology, aggregate rate): the link models'
    own per-call cost, which no caller can avoid."""
    from microlink.link.chain import evaluate_link

    total = 0.0
    for name in sets:
        for rate in sorted({c.aggregate_rate for c in topology.link_classes}):
            t0 = time.perf_counter()
            evaluate_link(name, aggregate_rate=rate, reach=1.0, solve_reach=False)
            total += time.perf_counter() - t0
    return total


def per_cable_loop(topology, sets, sample: int, rng: np.random.Generator) -> tuple[float, int]:
    """Seconds for one evaluate_link call per cable, extrapolated from ``sample`` cables per (set, class)."""
    from microlink.link.chain import evaluate_link

    total, calls = 0.0, 0
    for name in sets:
        for c in topology.link_classes:
            lengths = c.length.quantile(rng.random(sample))
            t0 = time.perf_counter()
            for length in lengths:
                evaluate_link(name, aggregate_rate=c.aggregate_rate, reach=float(length), solve_reach=False)
            per_call = (time.perf_counter() - t0) / sample
            total += per_call * c.end_pairs
            calls += c.end_pairs
    return total, calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sample", type=int, default=5, help="cables timed per (technology, class) in the loop")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="processes for the technologies (0: one per CPU)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    from microlink.rack import catalog_sets, compare, load_system, load_workload

    sets = sorted(catalog_sets())
    llama = load_workload("llama3-405b")
    cases = [
        ("GB200 NVL576, every technology", ("gb200-nvl576", None), None, 1.0),
        ("Kyber NVL576-class, every technology", ("kyber-nvl576", None), None, 0.5),
        ("100k-GPU cluster + Llama 3 405B, every technology", ("gb200-rail", 100_000), llama, 5.0),
    ]
    rows = []
    for label, (system, gpus), workload, target in cases:
        topology = load_system(system, gpus)

        def run(system=system, gpus=gpus, workload=workload):  # loading the topology file is timed too
            return compare(load_system(system, gpus), tech="all", policy="cheapest", workload=workload,
                           workers=args.workers)

        first, median, result = timed(run, args.repeats)
        floor = link_floor(topology, sets)
        loop_s, loop_calls = per_cable_loop(topology, sets, args.sample, rng)
        end_pairs = sum(c.end_pairs for c in topology.link_classes)
        rows.append((label, f"{end_pairs:,}", str(len(sets)), str(result.link_calls), f"{first:.2f}", f"{median:.3f}",
                     f"{floor:.3f}", f"{loop_s:,.0f} ({loop_calls:,} calls)", f"{loop_s / median:,.0f}x",
                     f"<= {target:g} s: {'met' if median <= target else 'MISSED'}"))

    # the rack layer alone: the same NVL576 comparison with closed-form stand-in links (microlink.rack.testing)
    from microlink.rack.testing import stub_catalog

    with stub_catalog(only=True) as stubs:
        first, median, result = timed(lambda: compare(load_system("gb200-nvl576"), tech="all", policy="cheapest",
                                                      baseline="copper"), args.repeats)
        topology = load_system("gb200-nvl576")
        loop_s, loop_calls = per_cable_loop(topology, list(stubs), args.sample * 20, rng)
        rows.append(("GB200 NVL576, 3 closed-form stand-ins (rack layer alone)", f"{12960:,}", str(len(stubs)),
                     str(result.link_calls), f"{first:.3f}", f"{median:.3f}", f"{link_floor(topology, stubs):.3f}",
                     f"{loop_s:,.1f} ({loop_calls:,} calls)", f"{loop_s / median:,.0f}x", "-"))

    header = ("case", "end pairs", "technologies", "link calls", "first call [s]", "median [s]",
              "link-model floor [s]", f"per-cable loop [s] (from {args.sample} sampled/class)", "speed-up", "target")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(v.ljust(w) for v, w in zip(r, widths)))
    print(f"\ntechnologies: {', '.join(sets)}; median of {args.repeats} runs after a first (cold) call, topology "
          "loading included; loop times extrapolated from sampled cables; link-model floor = one single-point "
          f"evaluate_link call per (technology, rate); {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}, workers {args.workers}.")


if __name__ == "__main__":
    main()
