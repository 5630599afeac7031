"""How many micro-LED link design points per second does the vectorised chain evaluate?

One call evaluates 20,000 random design points (LED diameter, bias current, reach, lane rate; each a distinct
LED, so the large-signal rate equation is solved for every point) of the LightBundle-like link, full chain (LED
physics, pulse response and cursors, named impairments, noise, exact-pattern BER, power margin solve, energy
breakdown); then a subset with the maximum-reach solve, for the published device (which closes no length) and
for designs that close (0.3-3 mA, NA-0.8 lens, graded cores). Beside it, a plain Python loop calling the same chain one scalar point at
a time over a subset of the same points (its rate extrapolated). Both use one core (OMP_NUM_THREADS=1).

A second table, "equaliser kernel", times the receiver equaliser of the electrical and optical chains
(``devices.serdes.equalize``: CTLE grid x sampling phases x MMSE FFE/DFE per point) on random lossy copper
channels: one batched call against a loop of single-point calls over the same inputs, in the same run,
with the largest relative difference between the two. A third, "equalised chains", times the full chain of
each copper, VCSEL, SiPh and pluggable link (1.6 Tb/s, no reach solve) over many lengths in one call against
scalar calls, on both kernel engines (:mod:`microlink.kernels`). A fourth gives the peak memory of fresh
processes making one call of growing size (micro-LED devices, 200G DAC lengths): bounded by the chain's chunk,
not by the points.

Usage: OMP_NUM_THREADS=1 python benchmarks/link_eval.py [--points 20000] [--loop-points 300]
       [--equaliser-points 20000] [--equaliser-loop-points 300] [--chain-points 2000] [--chain-loop-points 20]
       [--only-equaliser] [--memory-points 4096,32768]
"""

from __future__ import annotations

import argparse
import os
import resource
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from microlink.catalog import get_parameter_set  # noqa: E402


def design_points(n: int, seed: int = 20261127):
    rng = np.random.default_rng(seed)
    return {
        "diameter": rng.uniform(2e-6, 8e-6, n),
        "bias": rng.uniform(50e-6, 300e-6, n),
        "reach": rng.uniform(0.5, 30.0, n),
        "lane_rate": rng.uniform(1e9, 5e9, n),
    }


def vectorised(base, pts, solve_reach=False):
    p = base.replace(led={"diameter": pts["diameter"]}, driver={"bias_current": pts["bias"]})
    return p.evaluate(reach=pts["reach"], lane_rate=pts["lane_rate"], solve_reach=solve_reach)


def loop(base, pts, k):
    out = np.empty(k)
    for i in range(k):
        p = base.replace(led={"diameter": float(pts["diameter"][i])}, driver={"bias_current": float(pts["bias"][i])})
        out[i] = float(p.evaluate(reach=float(pts["reach"][i]), lane_rate=float(pts["lane_rate"][i]),
                                  solve_reach=False).ber)
    return out


def equaliser_channels(n: int, seed: int = 20261201):
    """Random 200G-lane copper channels: skin + dielectric loss with ripple, 8-40 dB at Nyquist, the
    long-reach SerDes transmit FFE, a crosstalk-like noise PSD and symbol rates 50-113 GBd."""
    from microlink.devices.serdes import SerDes, normalised_grid
    from microlink.signals import minimum_phase_response

    rng = np.random.default_rng(seed)
    serdes = SerDes()
    nu = normalised_grid()
    skin = rng.uniform(5.0, 28.0, n)[:, None]
    diel = rng.uniform(2.0, 12.0, n)[:, None]
    ripple = rng.uniform(0.0, 1.0, n)[:, None] * np.sin(2 * np.pi * nu * rng.uniform(2.0, 12.0, n)[:, None])
    h = minimum_phase_response(skin * np.sqrt(nu / 0.5) + diel * nu / 0.5 + ripple) * serdes.transmit_response(nu)
    psd = rng.uniform(0.0, 3e-17, n)[:, None] * np.minimum(nu / 0.5, 1.0) ** 2
    rate = rng.uniform(50e9, 113e9, n)
    return serdes, nu, rate, h, psd


def equaliser_section(n: int, k: int):
    """Points/s of one batched ``equalize`` call against single-point calls over the same inputs."""
    from microlink.devices.serdes import equalize

    serdes, nu, rate, h, psd = equaliser_channels(n)
    equalize(serdes, nu, rate[:8], h[:8], psd[:8])  # compile / load the kernels
    t0 = time.perf_counter()
    eq = equalize(serdes, nu, rate, h, psd)
    t_batch = time.perf_counter() - t0
    k = min(k, n)
    snr = np.empty(k)
    t0 = time.perf_counter()
    for i in range(k):
        snr[i] = float(equalize(serdes, nu, rate[i], h[i], psd[i]).snr_db)
    t_loop = time.perf_counter() - t0
    diff = float(np.max(np.abs(snr - eq.snr_db[:k]) / np.abs(eq.snr_db[:k])))
    c = Console()
    c.print(rate_table(f"equaliser kernel, one core ({int(serdes.ffe_taps)}-tap FFE, {len(serdes.ctle_gains_db)} "
                       f"CTLE settings x 3 phases per point)",
                       [("single-point equalize() calls", k, t_loop), ("one batched equalize() call", n, t_batch)]))
    c.print(f"largest relative difference of the slicer SNR, loop vs batch: {diff:.1e}; "
            f"per-point target of the equalised chains: 100,000 points / s")


#: Equalised electrical and optical chains timed by :func:`competitor_section`.
COMPETITORS = ("dac-200g", "aec-200g", "vcsel-npo", "siph-cpo", "lpo-800g", "dsp-pluggable-1.6t")


def competitor_section(n: int, k: int):
    """Points/s of each equalised chain (1.6 Tb/s, every stage, no reach solve): one call over ``n`` lengths
    against ``k`` scalar calls, on both kernel engines; the largest BER difference of loop and batch."""
    from microlink import kernels
    from microlink.link.chain import evaluate_link

    lengths = np.geomspace(0.3, 30.0, n)
    rows = []
    for name in COMPETITORS:
        for engine in kernels.ENGINES:
            with kernels.use_engine(engine):
                evaluate_link(name, aggregate_rate=1.6e12, reach=lengths[:4], solve_reach=False)  # warm
                t0 = time.perf_counter()
                batch = evaluate_link(name, aggregate_rate=1.6e12, reach=lengths, solve_reach=False)
                t_batch = time.perf_counter() - t0
                sub = lengths[:: max(1, n // k)][:k]
                t0 = time.perf_counter()
                ber = [float(evaluate_link(name, aggregate_rate=1.6e12, reach=float(x), solve_reach=False).ber)
                       for x in sub]
                t_loop = time.perf_counter() - t0
            ref = np.asarray(batch.ber)[:: max(1, n // k)][: len(sub)]
            diff = float(np.max(np.abs(np.array(ber) - ref) / np.maximum(ref, 1e-300)))
            rows.append((name, engine, len(sub) / t_loop, n / t_batch, diff))
    t = Table(title=f"equalised chains, one core, {n:,} lengths per call (target 100,000 points / s)")
    for col in ("chain", "engine", "scalar calls [pts/s]", "one call [pts/s]", "vs loop", "target", "max BER diff"):
        t.add_column(col, justify="right")
    for name, engine, loop_rate, rate, diff in rows:
        t.add_row(name, engine, f"{loop_rate:,.0f}", f"{rate:,.0f}", f"{rate / loop_rate:,.1f}x", "100,000",
                  f"{diff:.1e}")
    Console().print(t)


def parameter_section(n: int, k: int, seed: int = 20261202):
    """Points/s over distinct designs: ``n`` Latin-hypercube draws of each set's ranged fields (catalog
    ranges), each at its own length, in one call (reach solved) against ``k`` scalar calls of the same draws;
    the largest relative difference of margin and reach between the two."""
    from microlink.catalog import get_parameter_set
    from microlink.link.chain import SOLVER_RTOL, evaluate_link
    from microlink.uncertainty import draw

    rows = []
    for name in PARAMETER_SETS:
        ps = get_parameter_set(name)
        values = draw(ps.ranges, n, seed).values
        lengths = np.random.default_rng(seed).uniform(0.3, 3.0, n)

        def design(i=None):
            changes = {}
            for key, v in values.items():
                sec, fname = key.split(".")
                changes.setdefault(sec, {})[fname] = v if i is None else float(v[i])
            return ps.parameters.replace(**changes)

        with np.errstate(all="ignore"):
            evaluate_link(design(0), aggregate_rate=1.6e12, reach=float(lengths[0]))  # warm
            t0 = time.perf_counter()
            batch = evaluate_link(design(), aggregate_rate=1.6e12, reach=lengths)
            t_batch = time.perf_counter() - t0
            t0 = time.perf_counter()
            singles = [evaluate_link(design(i), aggregate_rate=1.6e12, reach=float(lengths[i])) for i in range(k)]
            t_loop = time.perf_counter() - t0
        diff = 0.0
        for i, one in enumerate(singles):
            for field in ("margin_db", "max_reach"):
                a, b = float(getattr(one, field)), float(np.asarray(getattr(batch, field))[i])
                diff = max(diff, abs(a - b) / max(abs(a), 1e-12))
        grouped = sorted({".".join(key) for key in ps.parameters.grouped_keys()} & set(values))
        how = "one batch" if not grouped else "one group per value of " + ", ".join(grouped)
        rows.append((name, how, k / t_loop, n / t_batch, diff))
    t = Table(title=f"distinct designs (catalog ranges), one core, {n:,} per call, reach solved (each solve "
                    f"stops within {SOLVER_RTOL:g} of its root)")
    for col in ("chain", "how the call runs", "scalar calls [pts/s]", "one call [pts/s]", "vs loop",
                "max rel. diff (margin, reach)"):
        t.add_column(col, justify="right")
    for name, how, loop_rate, rate, diff in rows:
        t.add_row(name, how, f"{loop_rate:,.1f}", f"{rate:,.1f}", f"{rate / loop_rate:,.1f}x", f"{diff:.1e}")
    Console().print(t)


#: Sets timed by :func:`parameter_section` (each has catalog ranges).
PARAMETER_SETS = ("dac-200g", "aec-200g", "vcsel-npo", "siph-cpo", "lpo-800g", "dsp-pluggable-1.6t")


_MEMORY_SCRIPT = """
import sys
import numpy as np
from microlink.catalog import get_parameter_set
from microlink.link.chain import evaluate_link
name, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(20261202)
if name == "lightbundle":  # distinct devices, as in the rate table
    base = get_parameter_set(name).parameters
    p = base.replace(led={"diameter": rng.uniform(2e-6, 8e-6, n)}, driver={"bias_current": rng.uniform(50e-6, 300e-6, n)})
    evaluate_link(p, reach=rng.uniform(0.5, 30.0, n), lane_rate=rng.uniform(1e9, 5e9, n), solve_reach=False)
else:
    evaluate_link(name, aggregate_rate=1.6e12, reach=np.geomspace(0.3, 30.0, n), solve_reach=False)
print([line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")][0])
"""


def memory_section(sizes):
    """Peak resident memory of a fresh process making one call at each size: flat once a call is larger than
    the chain's chunk (``link.chain.CHUNK_POINTS``), where it would otherwise grow with the points."""
    import subprocess
    import sys

    from microlink.link.chain import CHUNK_POINTS

    if not os.path.exists("/proc/self/status"):
        Console().print("peak memory per call: skipped (needs /proc)")
        return
    t = Table(title=f"peak memory of one call (fresh process; the chain runs in chunks of {CHUNK_POINTS:,} points)")
    for col in ("chain", "points", "peak RSS [MiB]", "vs the smallest call"):
        t.add_column(col, justify="right")
    for name in ("lightbundle", "dac-200g"):
        first = None
        for n in sizes:
            out = subprocess.run([sys.executable, "-c", _MEMORY_SCRIPT, name, str(n)], capture_output=True,
                                 text=True, check=True)
            mib = int(out.stdout.split()[-1]) / 1024.0
            first = mib if first is None else first
            t.add_row(name, f"{n:,}", f"{mib:,.0f}", f"{mib - first:+,.0f} MiB")
    Console().print(t)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=20_000,
                    help="design points of the vectorised call (each a distinct LED: the large-signal rate-equation "
                         "solve runs once per device)")
    ap.add_argument("--loop-points", type=int, default=300)
    ap.add_argument("--reach-points", type=int, default=5_000)
    ap.add_argument("--equaliser-points", type=int, default=20_000)
    ap.add_argument("--equaliser-loop-points", type=int, default=300)
    ap.add_argument("--chain-points", type=int, default=2_000, help="lengths per call of each equalised chain")
    ap.add_argument("--chain-loop-points", type=int, default=20)
    ap.add_argument("--design-points", type=int, default=200,
                    help="distinct designs per call of each equalised chain (0 to skip)")
    ap.add_argument("--design-loop-points", type=int, default=10)
    ap.add_argument("--only-equaliser", action="store_true", help="run only the equaliser and chain tables")
    ap.add_argument("--memory-points", default="4096,32768",
                    help="sizes of the one-call peak-memory table (comma separated; empty to skip)")
    args = ap.parse_args()
    equaliser_section(args.equaliser_points, args.equaliser_loop_points)
    competitor_section(args.chain_points, args.chain_loop_points)
    if args.design_points:
        parameter_section(args.design_points, args.design_loop_points)
    if args.only_equaliser:
        return
    if args.memory_points:
        memory_section([int(x) for x in args.memory_points.split(",")])
    base = get_parameter_set("lightbundle").parameters
    pts = design_points(args.points)

    vectorised(base, {k: v[:1000] for k, v in pts.items()})  # warm-up
    t0 = time.perf_counter()
    res = vectorised(base, pts)
    t_vec = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    k = min(args.loop_points, args.points)
    t0 = time.perf_counter()
    ber_loop = loop(base, pts, k)
    t_loop = time.perf_counter() - t0
    agree = np.allclose(ber_loop, res.ber[:k], rtol=1e-9, atol=1e-300)

    kr = min(args.reach_points, args.points)
    t0 = time.perf_counter()
    vectorised(base, {key: v[:kr] for key, v in pts.items()}, solve_reach=True)
    t_reach = time.perf_counter() - t0
    # the published device closes no length, so its reach solves end at the first check; designs that close
    # (README's device-needs table: ~1 mA and an NA-0.8 lens; graded cores here) take the whole solve
    closing = base.replace(fiber={"index_profile": "graded", "lens_numerical_aperture": 0.8})
    cpts = dict(pts, bias=np.random.default_rng(20261202).uniform(0.3e-3, 3e-3, args.points))
    vectorised(closing, {key: v[:200] for key, v in cpts.items()}, solve_reach=True)  # warm
    t0 = time.perf_counter()
    res_c = vectorised(closing, {key: v[:kr] for key, v in cpts.items()}, solve_reach=True)
    t_closing = time.perf_counter() - t0

    c = Console()
    c.print(rate_table("micro-LED link evaluation, one core",
                       [("plain Python loop (scalar calls)", k, t_loop), ("vectorised chain, one call", args.points, t_vec),
                        ("vectorised + max-reach solve", kr, t_reach),
                        ("  the same, designs that close", kr, t_closing)]))
    c.print(f"peak resident memory {peak_mb:,.0f} MB; loop and vectorised BERs agree: {agree}; "
            f"feasible fraction {np.mean(res.feasible):.3f} (closing designs: reach > 0 in "
            f"{np.mean(np.asarray(res_c.max_reach) > 0):.2f}); target of the micro-LED chain: 1,000,000 points / s")


def rate_table(title, rows):
    """A table of (method, points, seconds) rows with their rate and speed-up over the first row (the peer)."""
    t = Table(title=title)
    for col in ("method", "points", "seconds", "points / s", "vs loop"):
        t.add_column(col, justify="right")
    peer = rows[0][1] / rows[0][2]
    for name, points, seconds in rows:
        rate = points / seconds
        t.add_row(name, f"{points:,}", f"{seconds:.2f}", f"{rate:,.0f}", f"{rate / peer:,.1f}x")
    return t


if __name__ == "__main__":
    main()
