"""Monte Carlo BER: streaming symbol-rate and oversampled-waveform simulators with exact intervals.

Both simulators draw everything from one ``numpy.random.Generator`` (seed recorded), in chunks, so memory
stays bounded at any length and the same seed gives the same symbols, noise, decisions and counts:

* ``mode="symbol"``: one decision per symbol, ``y = sum_k A h_k b_{n-k} + aggressors + sigma(b_n) n`` with
  the cursors of the :class:`~microlink.ber.model.DecisionPoint` (sampling jitter, when present, resamples
  the pulse at ``phi + tau`` by linear interpolation for every decision).
* ``mode="waveform"``: the oversampled waveform (the full pulse window as an FIR per sample phase), decided
  on the sample at the chosen phase. White noise added after the channel (``noise_filter=None``) only
  matters at the decision instants, so it is drawn there only: one Gaussian per symbol, whatever the
  oversampling, through the noise-free waveform's value at the decision sample. Noise that passes a filter
  (``noise_filter``: a per-sample FIR, e.g. the receiver's response to input-referred noise; ``[1.0]`` for
  white noise on every sample) needs the full path: every sample is computed, noise is drawn on every
  sample, filtered across unit intervals and scaled so that its rms at the decision equals the decision
  point's.

The run stops after the chunk in which ``min_errors`` bit errors are reached or when ``max_bits`` bits
have been simulated; chunks grow from 4096 symbols so that short runs stop early. The interval is the
exact Clopper-Pearson interval.

Random-number layout per chunk: 64-bit words from ``bit_generator.random_raw`` (symbols, ``log2 L`` bits
each, then one bit per aggressor and symbol), then jitter draws (if any), then the noise: one single-precision
Gaussian per symbol (general kernel) or ``samples_per_symbol`` (filtered noise); the table-lookup kernel
instead takes one random byte per decision and draws from the Generator inside the kernel.

The table-lookup kernel (used whenever the window of symbols fits in 64 bits, at most 8 aggressors and no
jitter) keeps the window in one register and sums the ISI by table lookups (one per byte). It draws the noise
only where it can change the decision, exactly in distribution: a random byte screens out the decisions whose
noise-free value is farther from both thresholds than the noise reaches (``|n| <= c``, probability
``1 - P(|n| > c)`` known from a table); for the rest ``|n|`` is drawn from the Gaussian tail beyond ``c``. The
counts are those of a simulation with a Gaussian on every decision (same distribution, not the same draws),
at a fraction of the cost, so this simulator runs above the one-Gaussian-per-decision bound.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Callable, Optional

import numpy as np
from scipy import special

from microlink.ber import _compiled
from microlink.ber.model import DecisionModel, DecisionPoint, decision_point
from microlink.ber.sampling import sample_pulse
from microlink.errors import ParameterError

__all__ = ["MonteCarloResult", "monte_carlo_ber", "clopper_pearson", "make_generator", "EyeDensity",
           "eye_density", "MODES"]

MODES = ("symbol", "waveform")
#: Jitter draws are clipped at this many RJ rms beyond the dual-Dirac positions (probability < 1e-23).
JITTER_CLIP_SIGMAS = 10.0
_FIRST_CHUNK = 4096
#: Largest number of noise samples per chunk on the full-waveform path (memory bound) [1].
MAX_CHUNK_SAMPLES = 1 << 18
#: Noise is drawn in single precision (NumPy's float32 ziggurat: about twice as fast, exact tails).
NOISE_DTYPE = np.float32


def clopper_pearson(errors, trials, confidence=0.95):
    """Exact binomial confidence interval for ``errors`` out of ``trials`` [1, 1, 1 -> 1, 1] (vectorised)."""
    e = np.asarray(errors, dtype=float)
    n = np.asarray(trials, dtype=float)
    if np.any(n <= 0) or np.any(e < 0) or np.any(e > n):
        raise ParameterError("errors/trials", (errors, trials), "0 <= errors <= trials, trials > 0")
    if not 0 < confidence < 1:
        raise ParameterError("confidence", confidence, "0 < confidence < 1")
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(e > 0, special.betaincinv(np.maximum(e, 1e-300), n - e + 1, alpha / 2), 0.0)
        high = np.where(e < n, special.betaincinv(e + 1, np.maximum(n - e, 1e-300), 1 - alpha / 2), 1.0)
    return low, high


def make_generator(seed=None, rng: Optional[np.random.Generator] = None):
    """A Generator and the seed that recreates it (``None`` when a Generator was passed in).

    With neither argument a fresh seed is drawn from the operating system and returned, so every run can
    be repeated.
    """
    if rng is not None:
        if seed is not None:
            raise ParameterError("seed", seed, "either seed or rng, not both")
        if not isinstance(rng, np.random.Generator):
            raise ParameterError("rng", type(rng).__name__, "a numpy.random.Generator")
        return rng, None
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)
    if isinstance(seed, (bool, float)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError("seed", seed, "a non-negative integer")
    return np.random.Generator(np.random.PCG64(int(seed))), int(seed)


@dataclass(frozen=True)
class MonteCarloResult:
    """Outcome of a Monte Carlo run.

    Attributes
    ----------
    ber, ci_low, ci_high : float
        Estimate ``errors / bits`` and its Clopper-Pearson interval [1].
    bits, errors, symbols : int
        Bits and symbols simulated, bit errors counted.
    seconds : float
        Wall time [s].
    seed : int or None
        Seed of the Generator (None when a Generator was passed in).
    mode : str
        ``"symbol"`` or ``"waveform"``.
    engine : str
        ``"numba"`` (the compiled kernels).
    noise : str
        Where noise was drawn: ``"decision"`` (one Gaussian per decision) or ``"every sample, F-tap filter"``.
    confidence : float
        Interval confidence [1].
    stopped : str
        ``"errors"`` (reached ``min_errors``) or ``"bits"`` (reached ``max_bits``).
    """

    ber: float
    ci_low: float
    ci_high: float
    bits: int
    errors: int
    symbols: int
    seconds: float
    seed: Optional[int]
    mode: str
    engine: str
    confidence: float
    stopped: str
    noise: str = "decision"

    def to_dict(self) -> dict:
        return asdict(self)


def _as_point(model_or_point, phase) -> tuple[DecisionPoint, Optional[DecisionModel]]:
    if isinstance(model_or_point, DecisionPoint):
        return (model_or_point.with_phase(phase) if phase is not None else model_or_point), None
    if isinstance(model_or_point, DecisionModel):
        return decision_point(model_or_point, phase), model_or_point
    raise ParameterError("model", type(model_or_point).__name__, "a DecisionModel or DecisionPoint")


def _symbol_setup(point: DecisionPoint):
    offsets = np.concatenate([[0], point.offsets]).astype(np.int64)
    cursors = np.concatenate([[point.main], point.cursors])
    main_pos = int(offsets.max())
    positions = (main_pos - offsets).astype(np.int64)
    span = int(offsets.max() - offsets.min())
    taps = point.amplitude * cursors[:, None] * point.levels[None, :]  # [K+1, L]
    return offsets, positions, main_pos, span, np.ascontiguousarray(taps)


def _lookup_tables(point: DecisionPoint, positions, span, taps, aggr, main_pos=None):
    """Byte-indexed ISI tables of the fast kernel, or None where it does not apply.

    Applies when the ``span + 1`` symbols of the window fit in 64 bits and there are at most 8 aggressors.
    ``main_pos`` is the window position of the decided symbol (default ``positions[0]``, the main cursor).
    Returns ``(luts [G, 256], main_shift, aggr_lut [256])``.
    """
    bps = point.bits_per_symbol
    if (span + 1) * bps > 64 or point.aggressors.size > 8:
        return None
    n_l = point.levels.size
    full = np.zeros((span + 1, n_l))  # tap contribution of window position q (q = span: newest)
    np.add.at(full, positions, taps)
    per_byte = 8 // bps
    n_groups = -(-((span + 1) * bps) // 8)
    v = np.arange(256)
    luts = np.zeros((n_groups, 256))
    for g in range(n_groups):
        for i in range(per_byte):
            q = span - (g * per_byte + i)
            if q < 0:
                continue
            luts[g] += full[q, (v >> (i * bps)) & (n_l - 1)]
    main_pos = int(positions[0]) if main_pos is None else int(main_pos)  # positions[0]: offset 0
    main_shift = (span - main_pos) * bps
    m = aggr.size
    bits = (v[:, None] >> np.arange(max(m, 1))[None, :]) & 1
    aggr_lut = (np.where(bits[:, :m] == 1, 1.0, -1.0) * aggr[None, :]).sum(axis=1) if m else np.zeros(256)
    return np.ascontiguousarray(luts), int(main_shift), np.ascontiguousarray(aggr_lut)


def _jitter_table(point: DecisionPoint, offsets):
    """Taps at every pulse sample a jittered decision can reach: [R, K+1, L] and the first sample index."""
    sps = point.samples_per_symbol
    reach = 0.5 * point.deterministic_jitter + JITTER_CLIP_SIGMAS * point.random_jitter_rms
    base = point.phase * sps
    i_min = int(np.floor(base - reach * sps)) - 1
    i_max = int(np.ceil(base + reach * sps)) + 2
    rows = np.arange(i_min, i_max + 1)  # sample index of the main cursor
    pos = rows[:, None] + offsets[None, :] * sps  # [R, K+1]
    c = sample_pulse(point.pulse, sps, pos / sps)
    table = point.amplitude * c[:, :, None] * point.levels[None, None, :]
    return np.ascontiguousarray(table), i_min


def _draw_jitter(rng, point: DecisionPoint, n, i_min):
    sps = point.samples_per_symbol
    tau = np.zeros(n)
    if point.deterministic_jitter > 0:
        tau += 0.5 * point.deterministic_jitter * (2.0 * (rng.random(n) < 0.5) - 1.0)
    if point.random_jitter_rms > 0:
        g = np.clip(rng.standard_normal(n), -JITTER_CLIP_SIGMAS, JITTER_CLIP_SIGMAS)
        tau += point.random_jitter_rms * g
    pos = point.phase * sps + tau * sps
    i = np.floor(pos).astype(np.int64)
    return (i - i_min).astype(np.int64), pos - i


def _waveform_setup(point: DecisionPoint):
    """FIR of every sample phase over the pulse window that matters, and the decision-noise rms per level.

    Leading and trailing UIs whose pulse stays below the cursor tolerance are dropped; their variance at the
    decision sample joins the noise (as in the symbol-rate simulator), and the cursors the decision point
    folded into its noise are taken out again (the waveform holds them). Returns ``(poly [P, K], span,
    main_pos, sample_phase, sigma [L])``.
    """
    if point.has_jitter:
        raise ParameterError("mode", "waveform", "'symbol' for a model with sampling jitter")
    sps = point.samples_per_symbol
    pos = point.phase * sps
    if abs(pos - round(pos)) > 1e-9:
        raise ParameterError("phase", point.phase, f"a multiple of 1/{sps} UI in waveform mode")
    n_ui = point.pulse.size // sps
    sample_phase = int(round(pos)) - point.main_index * sps
    if not 0 <= sample_phase < sps:
        raise ParameterError("phase", point.phase, f"an instant in the main cursor's UI [{point.main_index}, "
                                                   f"{point.main_index + 1}) in waveform mode")
    poly_full = point.pulse[: n_ui * sps].reshape(n_ui, sps).T  # [P, K]: FIR of each sample phase
    big = np.flatnonzero(np.abs(poly_full).max(axis=0) >= point.cursor_tolerance * point.main)
    k_min, k_max = min(int(big.min()), point.main_index), max(int(big.max()), point.main_index)
    dropped = np.r_[0:k_min, k_max + 1:n_ui]
    poly = np.ascontiguousarray(poly_full[:, k_min:k_max + 1])
    span = k_max - k_min
    main_pos = span - (point.main_index - k_min)
    var_drop = np.mean(point.levels**2) * point.amplitude**2 * np.sum(poly_full[sample_phase, dropped] ** 2)
    sigma = np.sqrt(point.sigma_without_folded**2 + var_drop)
    return poly, span, main_pos, sample_phase, sigma


def _check_noise_filter(noise_filter, mode):
    if noise_filter is None:
        return None
    if mode != "waveform":
        raise ParameterError("noise_filter", "given", "None in symbol mode (a filtered noise needs mode='waveform')")
    taps = np.asarray(noise_filter, dtype=float).reshape(-1)
    if taps.size == 0 or taps.size > 4096 or not np.all(np.isfinite(taps)) or not np.any(taps != 0):
        raise ParameterError("noise_filter", np.shape(noise_filter), "1 .. 4096 finite taps, not all zero")
    return np.ascontiguousarray(taps / np.sqrt(np.sum(taps * taps)))  # unit noise gain: rms kept


def monte_carlo_ber(model_or_point, *, seed=None, rng=None, max_bits=10_000_000, min_errors=100, mode="symbol",
                    phase=None, chunk_symbols=1 << 16, confidence=0.95, noise_filter=None,
                    progress: Optional[Callable[[int, int], None]] = None) -> MonteCarloResult:
    """Monte Carlo BER of a decision model (see module docstring).

    Parameters
    ----------
    model_or_point : DecisionModel or DecisionPoint
        Waveform mode needs the DecisionModel's pulse; a DecisionPoint carries it too.
    seed : int, optional
        Seed of a new PCG64 Generator (recorded). A fresh one is drawn when neither seed nor rng is given.
    rng : numpy.random.Generator, optional
        Use this Generator instead (the result then records ``seed=None``).
    max_bits : int
        Bit budget [bit].
    min_errors : int
        Stop once this many bit errors are counted [1].
    mode : {"symbol", "waveform"}
    phase : float, optional
        Sampling instant [UI from the pulse-window start]; the decision point's when omitted.
    chunk_symbols : int
        Largest chunk [symbols]; memory is ``O(chunk_symbols)``, whatever the length (with a ``noise_filter``,
        chunks hold at most ``MAX_CHUNK_SAMPLES`` samples).
    confidence : float
        Confidence of the Clopper-Pearson interval [1].
    noise_filter : array_like [F], optional
        Waveform mode: per-sample FIR the noise passes before the decision (normalised to unit noise gain,
        so the decision noise keeps the decision point's rms); None for white noise added after the channel,
        drawn at the decision instants only.
    progress : callable(bits, errors), optional
        Called after every chunk (e.g. a Rich progress bar; see :mod:`microlink.cli.ber`).

    Returns
    -------
    MonteCarloResult
    """
    t0 = time.perf_counter()
    if mode not in MODES:
        raise ParameterError("mode", mode, " | ".join(MODES))
    if not (isinstance(max_bits, (int, np.integer, float)) and max_bits >= 1):
        raise ParameterError("max_bits", max_bits, ">= 1 bit")
    if not (isinstance(min_errors, (int, np.integer)) and min_errors >= 1):
        raise ParameterError("min_errors", min_errors, "an integer >= 1")
    if not (isinstance(chunk_symbols, (int, np.integer)) and chunk_symbols >= 64):
        raise ParameterError("chunk_symbols", chunk_symbols, "an integer >= 64")
    noise_taps = _check_noise_filter(noise_filter, mode)
    gen, used_seed = make_generator(seed, rng)
    point, _ = _as_point(model_or_point, phase)
    bps = point.bits_per_symbol
    n_l = point.levels.size
    max_symbols = int(np.ceil(float(max_bits) / bps))
    errtab = np.ascontiguousarray(point.bit_errors_table)
    th = np.ascontiguousarray(point.thresholds, dtype=float)
    aggr = np.ascontiguousarray(point.amplitude * point.aggressors, dtype=float)
    n_aggr = int(aggr.size)
    jtable, i_min = np.zeros((1, 1, 1)), 0
    lut = None
    if mode == "symbol":
        offsets, positions, main_pos, span, taps = _symbol_setup(point)
        sigma = np.ascontiguousarray(point.sigma_levels, dtype=float)
        if point.has_jitter:
            jtable, i_min = _jitter_table(point, offsets)
        else:
            lut = _lookup_tables(point, positions, span, taps, aggr)
    else:
        poly, span, main_pos, sample_phase, sigma = _waveform_setup(point)
        level_values = np.ascontiguousarray(point.amplitude * point.levels)
        if noise_taps is None:  # white noise after the channel: only the decision sample is needed
            positions = (span - np.arange(span + 1)).astype(np.int64)
            taps = np.ascontiguousarray(poly[sample_phase][:, None] * level_values[None, :])
            lut = _lookup_tables(point, positions, span, taps, aggr, main_pos=main_pos)
        else:
            noise_state = np.zeros(noise_taps.size - 1)
            no_wave = np.zeros((0, point.samples_per_symbol))
    sigma = np.ascontiguousarray(sigma, dtype=float)

    # initial history: random symbols from the same generator
    history = (gen.integers(0, n_l, size=span, dtype=np.int64) if span else np.zeros(0, np.int64))
    history = np.ascontiguousarray(history)
    bits = errors = symbols = 0
    width = point.samples_per_symbol if noise_taps is not None else 1
    chunk_symbols = max(64, min(int(chunk_symbols), MAX_CHUNK_SAMPLES // width))
    chunk = min(_FIRST_CHUNK, chunk_symbols)
    noise_buf = np.empty(chunk_symbols * width if lut is None else 0, dtype=NOISE_DTYPE)
    empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0)
    while symbols < max_symbols and errors < min_errors:
        n = int(min(chunk, max_symbols - symbols))
        words = gen.bit_generator.random_raw(_compiled.words_needed(n, bps, n_aggr))
        if noise_taps is not None:
            noise = gen.standard_normal(dtype=NOISE_DTYPE, out=noise_buf[: n * width]).reshape(n, width)
            e = _compiled.mc_waveform_chunk(words, noise, n_l, bps, level_values, poly, sample_phase, sigma, th,
                                            errtab, history, n, main_pos, n_aggr, aggr, no_wave, noise_taps,
                                            noise_state)
        else:
            j_idx, j_w = _draw_jitter(gen, point, n, i_min) if point.has_jitter else (empty_i, empty_f)
            if lut is not None:
                screen = gen.bit_generator.random_raw(_compiled.screen_words_needed(n))
                e = _compiled.mc_symbol_lut_chunk(words, screen, gen, bps, lut[0], lut[1], lut[2], n_aggr, sigma, th,
                                                  errtab, history, n)
            else:
                noise = gen.standard_normal(dtype=NOISE_DTYPE, out=noise_buf[:n])
                e = _compiled.mc_symbol_chunk(words, noise, n_l, bps, taps, positions, main_pos, n_aggr, aggr, sigma,
                                              th, errtab, history, n, jtable, j_idx, j_w)
        errors += int(e)
        symbols += n
        bits = symbols * bps
        if progress is not None:
            progress(bits, errors)
        chunk = min(2 * chunk, int(chunk_symbols))
    low, high = clopper_pearson(errors, bits, confidence)
    return MonteCarloResult(
        ber=errors / bits, ci_low=float(low), ci_high=float(high), bits=int(bits), errors=int(errors),
        symbols=int(symbols), seconds=time.perf_counter() - t0, seed=used_seed, mode=mode, engine=_compiled.ENGINE,
        confidence=float(confidence), stopped="errors" if errors >= min_errors else "bits",
        noise=("every sample, {}-tap filter".format(noise_taps.size) if noise_taps is not None
               else "decision, screened" if lut is not None else "decision"),
    )


@dataclass(frozen=True, eq=False)
class EyeDensity:
    """2-D histogram of a simulated waveform over two unit intervals.

    Attributes
    ----------
    time_edges : ndarray [T+1]
        Bin edges in time relative to the decision instant [UI].
    voltage_edges : ndarray [V+1]
        Bin edges [A or V].
    counts : ndarray [T, V]
        Samples per bin [1].
    thresholds : ndarray [L-1]
        Decision thresholds [A or V].
    symbols : int
        Symbols simulated.
    seed : int or None
    """

    time_edges: np.ndarray
    voltage_edges: np.ndarray
    counts: np.ndarray
    thresholds: np.ndarray
    symbols: int
    seed: Optional[int]


def eye_density(model_or_point, *, n_symbols=20_000, seed=None, rng=None, voltage_bins=200,
                phase=None) -> EyeDensity:
    """Eye diagram as a density: simulate the noisy waveform and histogram two UIs around the decision.

    Parameters
    ----------
    n_symbols : int
        Symbols to simulate (memory ``O(n_symbols * samples_per_symbol)``; at most 1e6).
    voltage_bins : int
        Histogram rows.
    """
    if not 100 <= int(n_symbols) <= 1_000_000:
        raise ParameterError("n_symbols", n_symbols, "100 .. 1e6")
    gen, used_seed = make_generator(seed, rng)
    point, _ = _as_point(model_or_point, phase)
    sps = point.samples_per_symbol
    n_ui = point.pulse.size // sps
    poly = np.ascontiguousarray(point.pulse[: n_ui * sps].reshape(n_ui, sps).T)
    span = n_ui - 1
    n_l = point.levels.size
    bps = point.bits_per_symbol
    aggr = np.ascontiguousarray(point.amplitude * point.aggressors, dtype=float)
    sigma = point.sigma_without_folded
    history = np.ascontiguousarray(gen.integers(0, n_l, size=span, dtype=np.int64))
    n = int(n_symbols)
    wave = np.zeros((n, sps))
    words = gen.bit_generator.random_raw(_compiled.words_needed(n, bps, aggr.size))
    noise = gen.standard_normal((n, sps), dtype=NOISE_DTYPE)
    _compiled.mc_waveform_chunk(words, noise, n_l, bps, np.ascontiguousarray(point.amplitude * point.levels), poly, 0,
                                sigma, np.ascontiguousarray(point.thresholds), point.bit_errors_table, history, n,
                                span - point.main_index, aggr.size, aggr, wave)
    flat = wave.reshape(-1)
    # time of each sample relative to the decision instant, folded onto [-1, 1) UI
    start = int(round((point.phase - point.main_index) * sps))  # decision sample within its UI
    t = (np.arange(flat.size) - start) / sps
    t_fold = np.mod(t + 1.0, 2.0) - 1.0
    v_lo = float(np.min(flat))
    v_hi = float(np.max(flat))
    pad = 0.05 * (v_hi - v_lo)
    t_edges = (np.arange(2 * sps + 1) - 0.5) / sps - 1.0
    v_edges = np.linspace(v_lo - pad, v_hi + pad, int(voltage_bins) + 1)
    counts, _, _ = np.histogram2d(t_fold, flat, bins=[t_edges, v_edges])
    return EyeDensity(time_edges=t_edges, voltage_edges=v_edges, counts=counts, thresholds=point.thresholds.copy(),
                      symbols=n, seed=used_seed)
