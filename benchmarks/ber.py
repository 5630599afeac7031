"""How fast is the BER engine, against a plain NumPy pipeline, OptiCommPy and the machine's RNG bound?

One table, everything measured in this run on one core (OMP_NUM_THREADS=1). Each figure and its peer or
bound are timed in alternation (round-robin over the repeats, after a warm-up; medians), so that a busy
machine slows both alike and the ratio stays meaningful.

1. Bound: time to draw one Gaussian variate with NumPy (float32 and float64): a simulator that draws one
   Gaussian per decision cannot beat it. microlink's table-lookup kernel draws the noise only where it can
   change a decision (exactly in distribution), so it can run above this bound.
2. Monte Carlo bits/s per core, NRZ and PAM4 over a channel with 8+ ISI cursors (single-pole RC at 0.25 x
   baud discretised at 4 samples/UI, cursors >= 1e-7), Gaussian noise for BER 1e-3, slicer midway between
   the received ideal levels: microlink's symbol-rate simulator, the same pipeline in plain chunked NumPy,
   and OptiCommPy's IM-DD primitives over the same channel (waveform at 4 samples/UI, its fastest setting,
   samples scaled by 1/h0 before its minimum-distance decision).
3. Statistical eye to 1e-15 with 16 / 64 / 256 cursors (BER at the decision point; and the full 64-phase
   contour for 64 cursors).
4. Importance sampling: time to a 95 % interval of +-20 % at BER 1e-12 (NRZ and PAM4 over the RC channel),
   and the half-width reached against the one requested.
5. The common case of link-simulator benchmarks: NRZ/PAM4, rectangular pulse, SPS 4/8/16, single-pole RC
   at 0.5 x baud (y[n] = y[n-1] + a (x[n] - y[n-1])), white noise on every sample (0.16 NRZ, 0.05 PAM4),
   one sample per UI at the end of the UI, fixed thresholds midway between levels, 1e6 symbols: microlink
   waveform simulator (white noise after the channel drawn at the decision instants), the same with the
   full-waveform path (noise drawn on every sample), microlink symbol-rate simulator, plain NumPy whole
   arrays (float64), OptiCommPy primitives; Mbit/s, the ratio to OptiCommPy, traced Python heap, and the
   BER with its 95 % interval.
6. Peak resident memory of a fresh process running the waveform simulator at 1e6 and 1e7 symbols, and of
   the imports alone.

Usage: OMP_NUM_THREADS=1 python benchmarks/ber.py [--symbols 1000000] [--repeats 3] [--quick]
OptiCommPy is the ``bench`` extra (pip install opticommpy); its rows are skipped with a message if absent.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import tracemalloc

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402
from scipy.signal import lfilter  # noqa: E402

from microlink.ber import estimate_ber  # noqa: E402
from microlink.ber._compiled import ENGINE  # noqa: E402
from microlink.ber.model import DecisionModel, decision_point  # noqa: E402
from microlink.ber.montecarlo import clopper_pearson, monte_carlo_ber  # noqa: E402
from microlink.ber.sampling import single_pole_pulse  # noqa: E402
from microlink.ber.statistical import statistical_ber, statistical_eye  # noqa: E402

try:  # the bench extra
    from optic.comm.modulation import demodulateGray, grayMapping, modulateGray
    from optic.dsp.core import firFilter, gaussianNoise, pulseShape, upsample
    from optic.utils import parameters as OpticParameters

    from importlib.metadata import version as _version

    OPTIC_VERSION = _version("opticommpy")
    HAVE_OPTIC = True
except ImportError:  # pragma: no cover - depends on the environment
    HAVE_OPTIC = False
    OPTIC_VERSION = ""

GRAY4 = np.array([0b00, 0b01, 0b11, 0b10])  # bits of the levels 0, 1/3, 2/3, 1
ROWS: list[tuple[str, str, str, str, str, str]] = []


def row(group, case, result, reference="", ratio="", ber=""):
    ROWS.append((group, case, result, reference, ratio, ber))


def median_time(fn, repeats, warmup=True):
    if warmup:
        fn()
    ts, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts)), out


def paired_times(fns, repeats):
    """Median wall time of each function, timed in alternation (one warm-up round first) [s]."""
    outs = [fn() for fn in fns]
    ts = [[] for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            outs[i] = fn()
            ts[i].append(time.perf_counter() - t0)
    return [float(np.median(t)) for t in ts], outs


def gaussian_draws(n_draws):
    """A function drawing ``n_draws`` float32 Gaussians in 65536-long calls (the RNG bound of a chunk)."""
    rng = np.random.default_rng(1)
    buf = np.empty(1 << 16, dtype=np.float32)
    calls = max(1, int(n_draws) >> 16)

    def draw():
        for _ in range(calls):
            rng.standard_normal(dtype=np.float32, out=buf)
        return calls << 16

    return draw


def peak_memory(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def fmt_ber(errors, bits):
    lo, hi = clopper_pearson(errors, bits)
    return f"{errors / bits:.3e} [{float(lo):.2e}, {float(hi):.2e}]"


# ------------------------------------------------------------------------------------------------------
# 1. the bound


def gaussian_bound(repeats):
    rng = np.random.default_rng(1)
    n = 1 << 16
    out = {}
    for dtype in (np.float32, np.float64):
        buf = np.empty(n, dtype=dtype)

        def draw():
            for _ in range(32):
                rng.standard_normal(dtype=dtype, out=buf)

        t, _ = median_time(draw, max(repeats, 5))
        out[np.dtype(dtype).name] = t / (32 * n)
    return out


# ------------------------------------------------------------------------------------------------------
# 2. Monte Carlo with 8+ ISI cursors


def rc_model(modulation, sps, bandwidth, sigma, fixed_thresholds=False):
    """Levels 0..1 through the discrete RC, one sample at the end of the UI. Thresholds: midway between the
    transmitted levels (``fixed_thresholds``, as BENCHMARKS.md prescribes), else midway between the received
    ideal levels ``h0 x level`` (an AGC in front of a fixed slicer)."""
    _, pulse = single_pole_pulse(sps, bandwidth)
    m = DecisionModel(pulse=pulse, samples_per_symbol=sps, symbol_rate=1e9, modulation=modulation, amplitude=0.5,
                      sigma_one=sigma, sigma_zero=sigma)
    n_l = 2 if modulation == "NRZ" else 4
    thresholds = (np.arange(n_l - 1) + 0.5) / (n_l - 1) - 0.5 if fixed_thresholds else None  # re. mid level
    return m, decision_point(m, (sps - 1) / sps, thresholds=thresholds)


def sigma_for_ber(modulation, sps, bandwidth, target):
    lo, hi = 1e-3, 0.5
    for _ in range(40):
        mid = np.sqrt(lo * hi)
        b = statistical_ber(rc_model(modulation, sps, bandwidth, mid)[1])["ber"]
        lo, hi = (mid, hi) if b < target else (lo, mid)
    return float(np.sqrt(lo * hi))


def numpy_symbol_rate(point, n_symbols, seed, chunk=1 << 16):
    """The symbol-rate pipeline in plain chunked NumPy: symbols, ISI by convolution, noise, decisions."""
    rng = np.random.default_rng(seed)
    n_l = point.levels.size
    c = np.zeros(int(point.offsets.max()) + 1)
    c[0] = point.main
    c[point.offsets] = point.cursors
    taps = point.amplitude * c
    lv = point.levels
    errtab = point.bit_errors_table
    hist = rng.integers(0, n_l, c.size - 1)
    errors = 0
    for start in range(0, n_symbols, chunk):
        n = min(chunk, n_symbols - start)
        sym = np.concatenate([hist, rng.integers(0, n_l, n)])
        y = np.convolve(lv[sym], taps, mode="valid")
        y += point.sigma_levels[0] * rng.standard_normal(n, dtype=np.float32)
        dec = np.searchsorted(point.thresholds, y)
        errors += int(errtab[sym[c.size - 1:], dec].sum())
        hist = sym[-(c.size - 1):]
    return errors


def optic_waveform(modulation, sps, bandwidth, sigma, n_symbols, seed, agc=1.0):
    """OptiCommPy IM-DD: Gray PAM bits -> upsample -> rectangular pulse (firFilter) -> RC -> noise -> decide.

    ``agc`` scales the samples about the mid level before OptiCommPy's minimum-distance decision."""
    m_order = 2 if modulation == "NRZ" else 4
    bps = int(np.log2(m_order))
    np.random.seed(seed)  # OptiCommPy's own RNG is NumPy's global one
    bits = np.random.randint(0, 2, n_symbols * bps)
    symbols = modulateGray(bits, m_order, "pam").real
    const = grayMapping(m_order, "pam").real
    lo, hi = const.min(), const.max()
    x = (symbols - lo) / (hi - lo)  # levels 0 .. 1
    par = OpticParameters()
    par.SpS, par.pulseType = sps, "rect"
    pulse = pulseShape(par)
    wave = firFilter(pulse, upsample(x, sps)) * sps  # symbol m spans samples m sps - sps/2 + 1 .. m sps + sps/2
    a = 1.0 - np.exp(-2.0 * np.pi * bandwidth / sps)
    rx = lfilter([a], [1.0, -(1.0 - a)], wave)  # OptiCommPy has no IIR primitive: scipy, as its examples do
    rx = rx + gaussianNoise(rx.shape, sigma**2)
    samples = (rx[sps // 2::sps][:n_symbols] - 0.5) * agc + 0.5  # end of each UI
    bits_rx = demodulateGray(samples * (hi - lo) + lo, m_order, "pam")
    n = min(bits_rx.size, bits.size) - 2 * bps  # the first symbol's UI starts before the array
    return int(np.sum(bits_rx[bps:n] != bits[bps:n])), n - bps


def monte_carlo_section(repeats, quick):
    sps, bandwidth = 4, 0.25  # the channel is the RC discretised at 4 samples/UI, for every simulator
    bits_target = 2_000_000 if quick else 8_000_000
    for modulation in ("NRZ", "PAM4"):
        sigma = sigma_for_ber(modulation, sps, bandwidth, 1e-3)
        model, point = rc_model(modulation, sps, bandwidth, sigma)
        bps = point.bits_per_symbol
        k = point.cursors.size
        draw = gaussian_draws(bits_target // bps)
        (t, t_b), (r, n_b) = paired_times(
            [lambda: monte_carlo_ber(point, seed=7, max_bits=bits_target, min_errors=10**12), draw], repeats)
        rate = r.bits / t
        bound = t_b / n_b
        row("Monte Carlo, symbol rate", f"{modulation}, {k} ISI cursors, microlink ({ENGINE}, {r.noise})",
            f"{rate / 1e6:.1f} Mbit/s", f"RNG bound {bps / bound / 1e6:.1f} Mbit/s",
            f"{100 * rate * bound / bps:.0f} % of bound", fmt_ber(r.errors, r.bits))
        n_sym = bits_target // bps // (4 if quick else 2)
        t_np, e_np = median_time(lambda: numpy_symbol_rate(point, n_sym, 7), repeats)
        rate_np = n_sym * bps / t_np
        row("Monte Carlo, symbol rate", f"{modulation}, same pipeline in plain NumPy (chunked, float32)",
            f"{rate_np / 1e6:.1f} Mbit/s", "", f"microlink {rate / rate_np:.1f}x", fmt_ber(e_np, n_sym * bps))
        if HAVE_OPTIC:
            n_o = 100_000 if quick else 300_000
            t_o, (e_o, b_o) = median_time(
                lambda: optic_waveform(modulation, sps, bandwidth, sigma, n_o, 7, agc=1.0 / point.main), repeats)
            rate_o = n_o * bps / t_o
            row("Monte Carlo, symbol rate", f"{modulation}, OptiCommPy {OPTIC_VERSION} IM-DD, 4 samples/UI",
                f"{rate_o / 1e6:.2f} Mbit/s", "", f"microlink {rate / rate_o:.0f}x", fmt_ber(e_o, b_o))
        else:
            row("Monte Carlo, symbol rate", f"{modulation}, OptiCommPy", "skipped: not installed (pip install opticommpy)")


# ------------------------------------------------------------------------------------------------------
# 3. statistical eye, 4. importance sampling


def many_cursor_point(k, target=1e-15):
    rng = np.random.default_rng(k)
    env = np.exp(-np.arange(k) / (0.3 * k))
    c = env * rng.choice([-1.0, 1.0], k) * (0.45 / env.sum())  # sum |h| = 0.45
    cursors = np.concatenate([[0.02], [1.0], c])
    lo, hi = 1e-3, 1.0
    for _ in range(40):  # noise rms for the target BER
        mid = np.sqrt(lo * hi)
        m = DecisionModel.from_cursors(cursors, sigma_one=mid)
        b = statistical_ber(decision_point(m, m.cursor_instant, cursor_tolerance=0.0))["ber"]
        lo, hi = (mid, hi) if b < target else (lo, mid)
    m = DecisionModel.from_cursors(cursors, sigma_one=np.sqrt(lo * hi))
    return decision_point(m, m.cursor_instant, cursor_tolerance=0.0)


def statistical_section(repeats):
    for k in (16, 64, 256):
        pt = many_cursor_point(k)
        t, res = median_time(lambda: statistical_ber(pt), max(repeats, 5))
        row("Statistical eye to 1e-15", f"{np.count_nonzero(pt.cursors)} cursors, BER at the decision point",
            f"{1e3 * t:.2f} ms", "target <= 10 ms (64 cursors)", f"{res['bins']} grid bins", f"{res['ber']:.3e}")
        if k == 64:
            t_eye, eye = median_time(lambda: statistical_eye(pt, phases_per_ui=64), repeats)
            row("Statistical eye to 1e-15", "65 cursors, full contour (65 phases x every threshold)",
                f"{1e3 * t_eye:.0f} ms", "eye at 1e-12:", f"height {eye.eye_height(1e-12)[0]:.3f}",
                f"width {eye.eye_width(1e-12)[0]:.3f} UI")


def importance_section(repeats):
    for modulation in ("NRZ", "PAM4"):
        point = rc_model(modulation, 4, 0.25, sigma_for_ber(modulation, 4, 0.25, 1e-12))[1]
        base = point
        stat = statistical_ber(point)["ber"]
        t, est = median_time(lambda: estimate_ber(point, "importance", seed=3, precision=0.2), repeats)
        row("Importance sampling, +-20 % (95 %)", f"{modulation}, {base.cursors.size} ISI cursors, BER 1e-12",
            f"{t:.3f} s, {est.bits_simulated:,} bits", f"statistical eye {stat:.3e}",
            f"+-{100 * est.details['relative_half_width']:.1f} % reached, IS/stat {est.ber / stat:.3f}",
            f"{est.ber:.3e} [{est.ci_low:.2e}, {est.ci_high:.2e}]")


# ------------------------------------------------------------------------------------------------------
# 5. the common case


def numpy_common(modulation, sps, sigma, n_symbols, seed):
    """Plain NumPy, whole arrays, float64: the reference pipeline of BENCHMARKS.md."""
    rng = np.random.default_rng(seed)
    n_l = 2 if modulation == "NRZ" else 4
    sym = rng.integers(0, n_l, n_symbols)
    levels = np.arange(n_l) / (n_l - 1)
    x = np.repeat(levels[sym], sps)
    a = 1.0 - np.exp(-2.0 * np.pi * 0.5 / sps)
    y = lfilter([a], [1.0, -(1.0 - a)], x)
    y += sigma * rng.standard_normal(y.size)
    s = y[sps - 1::sps]
    dec = np.clip(np.floor(s * (n_l - 1) + 0.5), 0, n_l - 1).astype(np.int64)
    if n_l == 2:
        return int(np.count_nonzero(dec != sym)), n_symbols
    diff = GRAY4[dec] ^ GRAY4[sym]
    return int(np.sum((diff & 1) + (diff >> 1))), 2 * n_symbols


def common_section(n_symbols, repeats, quick):
    for modulation, sigma in (("NRZ", 0.16), ("PAM4", 0.05)):
        for sps in ((4, 16) if quick else (4, 8, 16)):
            case = f"{modulation}, {sps} samples/UI, {n_symbols:.0e} symbols"
            model, point = rc_model(modulation, sps, 0.5, sigma, fixed_thresholds=True)
            bps = point.bits_per_symbol
            bits = n_symbols * bps
            n_o = n_symbols if not quick else n_symbols // 4
            runs = {
                "waveform": lambda: monte_carlo_ber(point, seed=11, max_bits=bits, min_errors=10**12, mode="waveform"),
                "full": lambda: monte_carlo_ber(point, seed=11, max_bits=bits, min_errors=10**12, mode="waveform",
                                                noise_filter=[1.0]),
                "symbol": lambda: monte_carlo_ber(point, seed=11, max_bits=bits, min_errors=10**12),
                "numpy": lambda: numpy_common(modulation, sps, sigma, n_symbols, 11),
                "bound": gaussian_draws(n_symbols),
            }
            if HAVE_OPTIC:
                runs["optic"] = lambda: optic_waveform(modulation, sps, 0.5, sigma, n_o, 11)
            times, outs = paired_times(list(runs.values()), repeats)
            t = dict(zip(runs, times))
            out = dict(zip(runs, outs))
            mem = {k: peak_memory(fn) for k, fn in runs.items() if k != "bound"}
            rate = {k: (out[k].bits if k in ("waveform", "full", "symbol") else out[k][1]) / t[k]
                    for k in runs if k != "bound"}
            bound_rate = bps * out["bound"] / t["bound"]
            optic = rate.get("optic")

            def vs_optic(k):
                return f"{rate[k] / optic:.0f}x OptiCommPy" if optic else "OptiCommPy not installed"

            g = "Common case"
            for k, label in (("waveform", "microlink waveform, white noise drawn at the decisions"),
                             ("full", "microlink waveform, full path (noise on every sample)")):
                r = out[k]
                row(g, f"{case}: {label}", f"{rate[k] / 1e6:.2f} Mbit/s", vs_optic(k),
                    f"{mem[k] / 2**20:.1f} MiB heap", fmt_ber(r.errors, r.bits))
            r = out["symbol"]
            row(g, f"{case}: microlink symbol rate", f"{rate['symbol'] / 1e6:.2f} Mbit/s",
                f"RNG bound {bound_rate / 1e6:.1f} Mbit/s", f"{100 * rate['symbol'] / bound_rate:.0f} % of bound",
                fmt_ber(r.errors, r.bits))
            e, b = out["numpy"]
            row(g, f"{case}: plain NumPy, whole arrays, float64", f"{rate['numpy'] / 1e6:.2f} Mbit/s",
                vs_optic("numpy"), f"{mem['numpy'] / 2**20:.1f} MiB heap", fmt_ber(e, b))
            if optic:
                e, b = out["optic"]
                row(g, f"{case}: OptiCommPy {OPTIC_VERSION} primitives ({n_o:.0e} symbols)",
                    f"{optic / 1e6:.2f} Mbit/s", "", f"{mem['optic'] / 2**20:.1f} MiB heap", fmt_ber(e, b))
            else:
                row(g, f"{case}: OptiCommPy", "skipped: not installed (pip install opticommpy)")


_RSS_SCRIPT = """
import sys
import numpy as np
from microlink.ber.model import DecisionModel, decision_point
from microlink.ber.montecarlo import monte_carlo_ber
from microlink.ber.sampling import single_pole_pulse
n = int(sys.argv[1])
if n < 0:  # load one cached compiled kernel: Numba's code generator starts up
    from microlink.ber import _compiled
    _compiled.mc_symbol_chunk(np.zeros(1, np.uint64), np.zeros(1, np.float32), 2, 1, np.zeros((1, 2)),
                              np.zeros(1, np.int64), 0, 0, np.zeros(0), np.ones(2), np.zeros(1),
                              np.zeros((2, 2), np.int64), np.zeros(0, np.int64), 1, np.zeros((1, 1, 1)),
                              np.zeros(0, np.int64), np.zeros(0))
elif n:
    _, pulse = single_pole_pulse(16, 0.5)
    m = DecisionModel(pulse=pulse, samples_per_symbol=16, symbol_rate=1e9, modulation="NRZ", amplitude=0.5,
                      sigma_one=0.16, sigma_zero=0.16)
    pt = decision_point(m, 15 / 16, thresholds=[0.0])
    monte_carlo_ber(pt, seed=1, max_bits=n, min_errors=10**12, mode="waveform", noise_filter=sys.argv[2:] or None)
print([line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")][0])
"""


def rss_section(quick):
    """Peak RSS of fresh processes: imports only, then the waveform simulator at 1e6 and 1e7 symbols (Linux:
    the high-water mark of /proc/self/status, which, unlike ru_maxrss, does not inherit the parent's)."""
    if not os.path.exists("/proc/self/status"):
        row("Peak RSS (fresh process)", "skipped: needs /proc (Linux)", "")
        return
    def peak(*args):
        out = subprocess.run([sys.executable, "-c", _RSS_SCRIPT, *map(str, args)], capture_output=True, text=True,
                             check=True)
        return int(out.stdout.split()[-1]) / 1024.0  # VmHWM (peak resident set of this process) in KiB

    base = peak(0)
    row("Peak RSS (fresh process)", "imports: NumPy, SciPy special, Numba, microlink.ber", f"{base:.0f} MiB",
        "target <= 150 MB")
    jit = peak(-1)
    row("Peak RSS (fresh process)", "imports + one cached compiled kernel loaded (Numba/LLVM start-up)",
        f"{jit:.0f} MiB", "target <= 150 MB", f"{jit - base:+.0f} MiB over the imports")
    for n in ((10**6,) if quick else (10**6, 10**7)):
        for filt, label in ((None, "decisions"), ("1.0", "full path")):
            m = peak(n, *(() if filt is None else (filt,)))
            row("Peak RSS (fresh process)", f"NRZ 16 samples/UI waveform ({label}), {n:.0e} symbols", f"{m:.0f} MiB",
                "target <= 150 MB", f"{m - base:+.0f} MiB over the imports")


def print_table():
    widths = [max(len(r[i]) for r in ROWS + [("benchmark", "case", "result", "reference", "ratio / memory",
                                                  "BER reached [95 % interval]")]) for i in range(6)]
    head = ("benchmark", "case", "result", "reference", "ratio / memory", "BER reached [95 % interval]")
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths))
    print(line)
    print("-" * len(line))
    last = None
    for r in ROWS:
        if last is not None and r[0] != last:
            print()
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
        last = r[0]


BOUND: dict[str, float] = {}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--symbols", type=float, default=1e6, help="symbols per common-case run (default 1e6)")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs after the warm-up (median; >= 3)")
    ap.add_argument("--quick", action="store_true", help="smaller Monte Carlo budgets (for a smoke test)")
    args = ap.parse_args()
    repeats = max(3, args.repeats)
    t0 = time.perf_counter()
    BOUND.update(gaussian_bound(repeats))
    for name, t in BOUND.items():
        row("Bound: one NumPy Gaussian", f"Generator.standard_normal, {name}, 65536 per call", f"{1e9 * t:.2f} ns",
            f"{1 / t / 1e6:.0f} Mvariate/s")
    monte_carlo_section(repeats, args.quick)
    statistical_section(repeats)
    importance_section(repeats)
    common_section(int(args.symbols), repeats, args.quick)
    rss_section(args.quick)
    print(f"microlink BER benchmark: one core, engine {ENGINE}, medians of {repeats} after a warm-up, "
          f"{time.perf_counter() - t0:.0f} s in all")
    print_table()


if __name__ == "__main__":
    main()
