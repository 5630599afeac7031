"""Compiled kernels of the BER engine (Numba), each with a NumPy twin used only when Numba is missing.

:data:`ENGINE` says which one runs (``"numba"`` or ``"numpy"``); every result object records it. Random
numbers are drawn outside the kernels (64-bit words from ``bit_generator.random_raw`` for symbols and
aggressors, ``Generator.standard_normal`` for noise) and passed in, so a seed gives the same symbols and
noise with either engine; sums may differ in the last bit, which can flip a decision only at an exact tie.
"""

from __future__ import annotations

import numpy as np

try:  # pragma: no cover - depends on the environment
    import numba

    ENGINE = "numba"
except ImportError:  # pragma: no cover
    numba = None
    ENGINE = "numpy"

__all__ = ["ENGINE", "isi_distribution", "mc_symbol_chunk", "mc_symbol_lut_chunk", "mc_waveform_chunk", "words_needed"]


def _jit(func):
    return numba.njit(cache=True, nogil=True, fastmath=False)(func) if numba is not None else None


# --------------------------------------------------------------------------------------------------------
# Distribution of a sum of independent discrete interferers on a grid of step delta


def _isi_distribution_py(values, probs, delta, n_bins, offset):
    pmf = np.zeros(n_bins)
    new = np.zeros(n_bins)
    pmf[offset] = 1.0
    lo = offset
    hi = offset
    var_add = 0.0
    k_count, m_count = values.shape
    for k in range(k_count):
        new[:] = 0.0
        new_lo = n_bins
        new_hi = -1
        for j in range(m_count):
            p = probs[k, j]
            if p == 0.0:
                continue
            x = values[k, j] / delta
            i0 = int(np.floor(x))
            w = x - i0
            var_add += p * w * (1.0 - w) * delta * delta
            a = p * (1.0 - w)
            b = p * w
            for i in range(lo, hi + 1):
                v = pmf[i]
                new[i + i0] += v * a
                new[i + i0 + 1] += v * b
            if lo + i0 < new_lo:
                new_lo = lo + i0
            if hi + i0 + 1 > new_hi:
                new_hi = hi + i0 + 1
        tmp = pmf
        pmf = new
        new = tmp
        lo = new_lo
        hi = new_hi
    return pmf, var_add


def _isi_distribution_np(values, probs, delta, n_bins, offset):
    """NumPy twin of the compiled kernel (same arithmetic, vectorised over bins)."""
    pmf = np.zeros(n_bins)
    pmf[offset] = 1.0
    lo = hi = offset
    var_add = 0.0
    for k in range(values.shape[0]):
        new = np.zeros(n_bins)
        new_lo, new_hi = n_bins, -1
        src = pmf[lo:hi + 1]
        for j in range(values.shape[1]):
            p = probs[k, j]
            if p == 0.0:
                continue
            x = values[k, j] / delta
            i0 = int(np.floor(x))
            w = x - i0
            var_add += p * w * (1.0 - w) * delta * delta
            new[lo + i0:hi + i0 + 1] += src * (p * (1.0 - w))
            new[lo + i0 + 1:hi + i0 + 2] += src * (p * w)
            new_lo, new_hi = min(new_lo, lo + i0), max(new_hi, hi + i0 + 1)
        pmf, lo, hi = new, new_lo, new_hi
    return pmf, var_add


_isi_distribution_nb = _jit(_isi_distribution_py)


def isi_distribution(values, probs, delta, n_bins, offset):
    """Probability mass of ``sum_k X_k`` on the grid ``(i - offset) delta`` and the variance the grid adds.

    Each ``X_k`` takes ``values[k, j]`` with probability ``probs[k, j]``; a value between two grid points
    is split between them so that the mean is exact; the split adds a zero-mean error of variance
    ``w (1 - w) delta^2``, summed in ``var_add`` so callers can take it out of the Gaussian noise.

    Parameters
    ----------
    values, probs : ndarray [K, M]
        Values [A or V] and probabilities [1] of each interferer (rows of probs sum to 1; pad with 0).
    delta : float
        Grid step [A or V].
    n_bins, offset : int
        Grid length and index of the value 0 (must hold the whole support).

    Returns
    -------
    pmf : ndarray [n_bins]
    var_add : float
        Variance added by the grid [(A or V)^2].
    """
    values = np.ascontiguousarray(values, dtype=np.float64)
    probs = np.ascontiguousarray(probs, dtype=np.float64)
    if _isi_distribution_nb is not None:
        return _isi_distribution_nb(values, probs, float(delta), int(n_bins), int(offset))
    return _isi_distribution_np(values, probs, float(delta), int(n_bins), int(offset))


# --------------------------------------------------------------------------------------------------------
# Monte Carlo, symbol rate: y = sum_k taps[k, s[d + pos_k]] + sum_m agg_m (+-1) + sigma[s_main] noise[d]
#
# Word layout of a chunk of n symbols: symbols first, log2(L) bits each, 64/log2(L) per word from bit 0
# (never straddling a word); aggressor bits follow (one per aggressor and symbol), starting in the last
# symbol word where it has room.


def words_needed(n_symbols, bps, n_aggr):
    """Random 64-bit words consumed by one chunk [1]."""
    per_word = 64 // bps
    n_sym_words = -(-n_symbols // per_word)
    spare = (n_sym_words * per_word - n_symbols) * bps
    return n_sym_words + max(0, -(-(n_symbols * n_aggr - spare) // 64))


def _unpack_symbols(words, n_symbols, bps, n_aggr):
    """Symbols and aggressor bits from the word stream (the layout above)."""
    per_word = 64 // bps
    n_sym_words = -(-n_symbols // per_word)
    w = words[:n_sym_words].astype(np.uint64)
    shifts = np.arange(per_word, dtype=np.uint64) * np.uint64(bps)
    sym = ((w[:, None] >> shifts[None, :]) & np.uint64((1 << bps) - 1)).reshape(-1)[:n_symbols].astype(np.int64)
    if n_aggr == 0:
        return sym, np.zeros((n_symbols, 0), dtype=np.int64)
    used_bits = (n_symbols - (n_sym_words - 1) * per_word) * bps
    rest_words = words[n_sym_words:].astype(np.uint64)
    bits_last = ((w[-1] >> np.arange(64, dtype=np.uint64)) & np.uint64(1))[used_bits:]
    bits_rest = ((rest_words[:, None] >> np.arange(64, dtype=np.uint64)[None, :]) & np.uint64(1)).reshape(-1)
    bits = np.concatenate([bits_last, bits_rest])[: n_symbols * n_aggr].astype(np.int64)
    return sym, bits.reshape(n_symbols, n_aggr)


def _symbols_with_history_py(words, history, levels_count, bps, n_symbols):
    """Kernel prologue: ``history`` followed by the ``n_symbols`` symbols packed in ``words`` (``bps`` bits
    each), and the (word, bit) position where the aggressor bits start (the layout above)."""
    span = history.shape[0]
    mask = np.uint64(levels_count - 1)
    per_word = 64 // bps
    n_sym_words = (n_symbols + per_word - 1) // per_word
    sym = np.empty(span + n_symbols, dtype=np.int64)
    sym[:span] = history
    d = 0
    for wi in range(n_sym_words):
        w = words[wi]
        for _ in range(per_word):
            if d == n_symbols:
                break
            sym[span + d] = np.int64(w & mask)
            w = w >> np.uint64(bps)
            d += 1
    return sym, n_sym_words - 1, (n_symbols - (n_sym_words - 1) * per_word) * bps


_symbols_with_history = _jit(_symbols_with_history_py) or _symbols_with_history_py


def _mc_symbol_chunk_py(words, noise, levels_count, bps, taps, positions, main_pos, n_aggr, aggr, sigma,
                        thresholds, errtab, history, n_symbols, jitter_table, jitter_index, jitter_weight):
    """General symbol-rate kernel (any number of cursors, jitter). ``history`` (last ``span`` symbols) is
    updated in place; with jitter the taps of decision d interpolate rows ``jitter_index[d]`` and ``+1`` of
    ``jitter_table`` [R, K, L] with weight ``jitter_weight[d]``."""
    span = history.shape[0]
    k_taps = positions.shape[0]
    sym, a_word, a_bit = _symbols_with_history(words, history, levels_count, bps, n_symbols)
    errors = 0
    use_jitter = jitter_index.shape[0] > 0
    n_th = thresholds.shape[0]
    for d in range(n_symbols):
        y = 0.0
        if use_jitter:
            r = jitter_index[d]
            wt = jitter_weight[d]
            for k in range(k_taps):
                s = sym[d + positions[k]]
                y += (1.0 - wt) * jitter_table[r, k, s] + wt * jitter_table[r + 1, k, s]
        else:
            for k in range(k_taps):
                y += taps[k, sym[d + positions[k]]]
        for m in range(n_aggr):
            if a_bit >= 64:
                a_word += 1
                a_bit = 0
            if (words[a_word] >> np.uint64(a_bit)) & np.uint64(1):
                y += aggr[m]
            else:
                y -= aggr[m]
            a_bit += 1
        s0 = sym[d + main_pos]
        y += sigma[s0] * noise[d]
        dec = 0
        for t in range(n_th):
            dec += np.int64(y > thresholds[t])  # branch-free: decisions are unpredictable
        errors += errtab[s0, dec]
    history[:] = sym[n_symbols:]
    return errors


_mc_symbol_chunk_nb = _jit(_mc_symbol_chunk_py)


def _mc_symbol_chunk_np(words, noise, levels_count, bps, taps, positions, main_pos, n_aggr, aggr, sigma,
                        thresholds, errtab, history, n_symbols, jitter_table, jitter_index, jitter_weight):
    span = history.shape[0]
    new_sym, abits = _unpack_symbols(words, n_symbols, bps, n_aggr)
    sym = np.concatenate([history, new_sym])
    idx = np.arange(n_symbols)[:, None] + positions[None, :]  # [n, K]
    s_win = sym[idx]
    k = np.arange(positions.shape[0])[None, :]
    if jitter_index.shape[0] > 0:
        lo = jitter_table[jitter_index[:, None], k, s_win]
        hi = jitter_table[jitter_index[:, None] + 1, k, s_win]
        y = ((1.0 - jitter_weight[:, None]) * lo + jitter_weight[:, None] * hi).sum(axis=1)
    else:
        y = taps[k, s_win].sum(axis=1)
    if n_aggr:
        y = y + ((2 * abits - 1) * aggr[None, :]).sum(axis=1)
    s0 = sym[np.arange(n_symbols) + main_pos]
    y = y + sigma[s0] * noise[:n_symbols]
    dec = (y[:, None] > thresholds[None, :]).sum(axis=1)
    history[:] = sym[n_symbols:]
    return int(errtab[s0, dec].sum())


def mc_symbol_chunk(words, noise, levels_count, bps, taps, positions, main_pos, n_aggr, aggr, sigma, thresholds,
                    errtab, history, n_symbols, jitter_table, jitter_index, jitter_weight):
    """Simulate ``n_symbols`` decisions with the general kernel; returns the number of bit errors."""
    args = (words, noise, levels_count, bps, taps, positions, main_pos, n_aggr, aggr, sigma, thresholds, errtab,
            history, n_symbols, jitter_table, jitter_index, jitter_weight)
    if _mc_symbol_chunk_nb is not None:
        return int(_mc_symbol_chunk_nb(*args))
    return _mc_symbol_chunk_np(*args)


def _make_lut_kernel(bps: int, n_th: int, n_groups: int):
    """Fast kernel for a given symbol width, threshold count and table count (compile-time constants, so
    the loops over tables and thresholds unroll and the decision is branch-free).

    The last ``span + 1`` symbols live in one 64-bit register (newest in the low bits) and the ISI is a sum
    of table lookups, one per byte of the register (``luts[g, byte]``); aggressor bits index ``aggr_lut``.
    Same words, noise and history convention as the general kernel.
    """
    lmask_c = (1 << bps) - 1
    per_word = 64 // bps

    def kernel(words, noise, luts, main_shift, aggr_lut, n_aggr, sigma, thresholds, errtab, history, n_symbols):
        span = history.shape[0]
        lmask = np.uint64(lmask_c)
        sh = np.uint64(bps)
        total_bits = (span + 1) * bps
        regmask = np.uint64(0xFFFFFFFFFFFFFFFF) if total_bits >= 64 else np.uint64((1 << total_bits) - 1)
        reg = np.uint64(0)
        for q in range(span):
            reg = (reg << sh) | np.uint64(history[q])
        n_sym_words = (n_symbols + per_word - 1) // per_word
        a_word = n_sym_words - 1
        a_bit = (n_symbols - (n_sym_words - 1) * per_word) * bps
        amask = np.uint64((1 << n_aggr) - 1)
        n_levels = errtab.shape[1]
        errflat = errtab.ravel()
        errors = 0
        w = np.uint64(0)
        left = 0
        wi = 0
        for d in range(n_symbols):
            if left == 0:
                w = words[wi]
                wi += 1
                left = per_word
            left -= 1
            reg = ((reg << sh) | (w & lmask)) & regmask
            w = w >> sh
            y = 0.0
            for g in range(n_groups):
                y += luts[g, np.int64((reg >> np.uint64(8 * g)) & np.uint64(0xFF))]
            if n_aggr > 0:
                if a_bit + n_aggr <= 64:
                    bits = (words[a_word] >> np.uint64(a_bit)) & amask
                    a_bit += n_aggr
                else:
                    low = 64 - a_bit
                    bits = words[a_word] >> np.uint64(a_bit) if low > 0 else np.uint64(0)
                    a_word += 1
                    a_bit = n_aggr - low
                    bits = (bits | (words[a_word] << np.uint64(low))) & amask
                if a_bit >= 64:
                    a_word += 1
                    a_bit = 0
                y += aggr_lut[np.int64(bits)]
            s0 = np.int64((reg >> np.uint64(main_shift)) & lmask)
            y += sigma[s0] * noise[d]
            dec = 0
            for t in range(n_th):
                dec += np.int64(y > thresholds[t])
            errors += errflat[s0 * n_levels + dec]
        for q in range(span):
            history[q] = np.int64((reg >> np.uint64((span - 1 - q) * bps)) & lmask)
        return errors

    return kernel


_LUT_KERNELS: dict = {}


def mc_symbol_lut_chunk(words, noise, bps, luts, main_shift, aggr_lut, n_aggr, sigma, thresholds, errtab, history,
                        n_symbols):
    """Table-lookup symbol-rate kernel (compiled only; callers use :func:`mc_symbol_chunk` without Numba)."""
    if numba is None:  # pragma: no cover
        raise RuntimeError("the table-lookup kernel needs Numba; use mc_symbol_chunk")
    key = (int(bps), int(thresholds.shape[0]), int(luts.shape[0]))
    if key not in _LUT_KERNELS:
        _LUT_KERNELS[key] = _jit(_make_lut_kernel(*key))
    return int(_LUT_KERNELS[key](words, noise, luts, main_shift, aggr_lut, n_aggr, sigma, thresholds,
                                 np.ascontiguousarray(errtab), history, n_symbols))


# --------------------------------------------------------------------------------------------------------
# Monte Carlo, oversampled waveform: every sample computed, Gaussian noise on every sample


def _mc_waveform_chunk_py(words, noise, levels_count, bps, level_values, poly, sample_phase, sigma_sample,
                          thresholds, errtab, history, n_symbols, main_pos, n_aggr, aggr, wave_out):
    """Waveform kernel: ``poly[p, k]`` is the pulse at sample phase ``p`` of UI ``k`` (an FIR per phase).

    Sample p of UI d is ``sum_k level[s[d + span - k]] poly[p, k]`` + aggressors (constant over the UI)
    + ``sigma(main symbol) noise[d, p]``; the decision uses sample ``sample_phase``, whose main symbol is
    ``s[d + main_pos]``. ``wave_out`` [n, P] receives the noisy waveform when it has rows.
    """
    span = history.shape[0]
    n_ui = poly.shape[1]
    sps = poly.shape[0]
    sym, a_word, a_bit = _symbols_with_history(words, history, levels_count, bps, n_symbols)
    errors = 0
    keep = wave_out.shape[0] > 0
    n_th = thresholds.shape[0]
    poly_t = np.ascontiguousarray(poly.T)  # [K, P]: the inner loop runs over contiguous sample phases
    acc = np.empty(sps)
    for d in range(n_symbols):
        s_main = sym[d + main_pos]
        sig = sigma_sample[s_main]
        xt = 0.0
        for m in range(n_aggr):
            if a_bit >= 64:
                a_word += 1
                a_bit = 0
            if (words[a_word] >> np.uint64(a_bit)) & np.uint64(1):
                xt += aggr[m]
            else:
                xt -= aggr[m]
            a_bit += 1
        for p in range(sps):
            acc[p] = xt
        for k in range(n_ui):
            v = level_values[sym[d + span - k]]
            for p in range(sps):
                acc[p] += v * poly_t[k, p]
        for p in range(sps):
            acc[p] += sig * noise[d, p]
        if keep:
            for p in range(sps):
                wave_out[d, p] = acc[p]
        x = acc[sample_phase]
        dec = 0
        for t in range(n_th):
            dec += np.int64(x > thresholds[t])
        errors += errtab[s_main, dec]
    history[:] = sym[n_symbols:]
    return errors


_mc_waveform_chunk_nb = _jit(_mc_waveform_chunk_py)


def _mc_waveform_chunk_np(words, noise, levels_count, bps, level_values, poly, sample_phase, sigma_sample,
                          thresholds, errtab, history, n_symbols, main_pos, n_aggr, aggr, wave_out):
    span = history.shape[0]
    sps, n_ui = poly.shape
    new_sym, abits = _unpack_symbols(words, n_symbols, bps, n_aggr)
    sym = np.concatenate([history, new_sym])
    lv = level_values[sym]
    idx = np.arange(n_symbols)[:, None] + span - np.arange(n_ui)[None, :]  # [n, K]
    x = lv[idx] @ poly.T  # [n, P]
    if n_aggr:
        x = x + ((2 * abits - 1) * aggr[None, :]).sum(axis=1)[:, None]
    s_main = sym[np.arange(n_symbols) + main_pos]
    x = x + sigma_sample[s_main][:, None] * noise[:n_symbols]
    if wave_out.shape[0] > 0:
        wave_out[:] = x
    dec = (x[:, sample_phase][:, None] > thresholds[None, :]).sum(axis=1)
    history[:] = sym[n_symbols:]
    return int(errtab[s_main, dec].sum())


def mc_waveform_chunk(words, noise, levels_count, bps, level_values, poly, sample_phase, sigma_sample, thresholds,
                      errtab, history, n_symbols, main_pos, n_aggr, aggr, wave_out):
    """Simulate ``n_symbols`` UIs of the oversampled waveform; returns the number of bit errors."""
    args = (words, noise, levels_count, bps, level_values, poly, sample_phase, sigma_sample, thresholds, errtab,
            history, n_symbols, main_pos, n_aggr, aggr, wave_out)
    if _mc_waveform_chunk_nb is not None:
        return int(_mc_waveform_chunk_nb(*args))
    return _mc_waveform_chunk_np(*args)
