"""Compiled kernels of the BER engine and of the pulse cascade (Numba, cached on disk after the first call).

One policy for every kernel: ``numba.njit(cache=True, nogil=True)``, float64 arithmetic (``fastmath`` off, so
results equal the NumPy expressions they replace to rounding), callers pass contiguous arrays. Random numbers
are drawn outside the kernels from the caller's ``numpy.random.Generator`` (64-bit words from
``bit_generator.random_raw`` for symbols and aggressors, ``standard_normal`` for noise) and passed in, so a
recorded seed reproduces every symbol, noise sample, decision and count.

Kernels:

* :func:`nrz_spectrum_kernel`: the NRZ pulse spectrum through poles x Butterworth sections x Gaussian x delay;
* :func:`fold_spectrum_planes`, :func:`grid_phase_kernel`: the sampler's table and the best phase on the grid;
* :func:`folded_cursors_kernel` / :func:`folded_eyes_kernel` / :func:`refine_centred_phase_kernel`:
  band-limited pulses sampled once per UI at any phase (their eyes at two phases by one FFT), and the
  golden-section search of the phase that opens their eye most (un-jittered, or the worse of the early and
  late eyes at a sampling-time offset);
* :func:`centred_root_kernel`: the phase where the early and late eyes at a sampling-time offset are equal
  (Illinois root finding), the maximum of the jittered eye;
* :func:`pam_average_kernel` / :func:`pam_equal_average_kernel`: closed-form PAM BER averaged over interferer
  patterns (any levels and noises / equally spaced levels with one noise rms);
* :func:`isi_distribution`: distribution of a sum of discrete interferers on a grid (statistical eye);
* :func:`mc_symbol_chunk` / :func:`mc_symbol_lut_chunk`: symbol-rate Monte Carlo (general and table lookup);
* :func:`mc_waveform_chunk`: oversampled-waveform Monte Carlo with (optionally filtered) noise on every sample.
"""

from __future__ import annotations

import math

import numba
import numpy as np

#: Recorded in result objects (every kernel is compiled).
ENGINE = "numba"

__all__ = ["ENGINE", "centred_root_kernel", "fold_spectrum_planes", "grid_phase_kernel", "folded_cursors_kernel",
           "folded_eyes_kernel", "isi_distribution", "nrz_spectrum_kernel", "mc_symbol_chunk", "mc_symbol_lut_chunk",
           "mc_waveform_chunk", "pam_average_kernel", "pam_equal_average_kernel", "refine_centred_phase_kernel",
           "screen_words_needed", "tail_tables", "words_needed"]


def _jit(func):
    return numba.njit(cache=True, nogil=True, fastmath=False)(func)


def _jit_ieee(func):
    """:func:`_jit` with NumPy's floating-point error model: a division by zero gives inf or NaN, as the NumPy
    expression the kernel replaces does, instead of raising."""
    return numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy")(func)


# --------------------------------------------------------------------------------------------------------
# Pulse cascade


@_jit_ieee
def nrz_spectrum_kernel(nu, poles, butter, sigma, delay, symbol, pre, delay_ui):  # pragma: no cover - compiled
    """``S[i, k]``: the NRZ pulse spectrum of ``pulse.nrz_spectrum`` (poles x Butterworth sections x Gaussian x
    delay, see ``pulse.cascade_response``, times the symbol spectrum and the two-tap de-emphasis).

    nu [F] must be the uniform grid ``k * dnu`` (as from ``rfftfreq``); poles [P, N]; butter [B, N];
    sigma [N]; delay [N] (all normalised to the symbol rate); symbol [F] the rectangular symbol's spectrum;
    pre [N] the de-emphasis ``alpha`` (``(p(t) - alpha p(t - T)) / (1 - alpha)``: the factor
    ``(1 - alpha delay_ui[k]) / (1 - alpha)``, ``delay_ui [F] = exp(-2 pi i nu)``, where ``alpha`` is not 0).
    The delay phasor and the Gaussian are advanced by exact multiplicative recurrences along the grid instead
    of calling exp/cos/sin per bin; each corner's reciprocal is taken once per point.
    """
    n_pts = sigma.shape[0]
    n_f = nu.shape[0]
    n_p = poles.shape[0]
    n_b = butter.shape[0]
    out = np.empty((n_pts, n_f), dtype=np.complex128)
    sqrt2 = math.sqrt(2.0)
    dnu = nu[1] - nu[0] if n_f > 1 else 0.0
    den_re = np.empty(n_f)  # the product of the sections' denominators, then the rest of the bin's factor
    den_im = np.empty(n_f)
    for i in range(n_pts):
        # the sections, one at a time along the grid (the bins are independent: these loops vectorise)
        for k in range(n_f):
            den_re[k] = 1.0
            den_im[k] = 0.0
        for p in range(n_p):
            inv_p = 1.0 / poles[p, i]
            for k in range(n_f):
                x = nu[k] * inv_p  # den * (1 + i x)
                a = den_re[k]
                b = den_im[k]
                den_re[k] = a - b * x
                den_im[k] = a * x + b
        for q in range(n_b):
            inv_b = 1.0 / butter[q, i]
            for k in range(n_f):
                x = nu[k] * inv_b  # den * (1 - x^2 + i sqrt2 x)
                c = 1.0 - x * x
                d = sqrt2 * x
                a = den_re[k]
                b = den_im[k]
                den_re[k] = a * c - b * d
                den_im[k] = a * d + b * c
        alpha = pre[i]
        for k in range(n_f):
            r = symbol[k]
            if alpha != 0.0:  # r / (1 - alpha) part by part: what a complex division by a real gives
                d = 1.0 - alpha
                r = complex(r.real / d, r.imag / d) - (alpha / d) * (r * delay_ui[k])
            # r / den as r conj(den) / |den|^2: one real division per bin
            a = den_re[k]
            b = den_im[k]
            inv = 1.0 / (a * a + b * b)
            den_re[k] = (r.real * a + r.imag * b) * inv
            den_im[k] = (r.imag * a - r.real * b) * inv
        # the Gaussian and the delay phasor by recurrences along the grid
        ga = 2.0 * (math.pi * dnu * sigma[i]) ** 2  # Gaussian: exp(-ga k^2)
        g = 1.0
        ratio = math.exp(-ga)  # g_{k+1}/g_k = exp(-ga (2k+1))
        ratio_step = math.exp(-2.0 * ga)
        ph = -2.0 * math.pi * dnu * delay[i]
        rot_re = math.cos(ph)
        rot_im = math.sin(ph)
        pr = 1.0
        pi_ = 0.0
        for k in range(n_f):
            a = den_re[k]
            b = den_im[k]
            out[i, k] = complex(g * (pr * a - pi_ * b), g * (pr * b + pi_ * a))
            pr, pi_ = pr * rot_re - pi_ * rot_im, pr * rot_im + pi_ * rot_re
            g = g * ratio
            ratio = ratio * ratio_step
    return out


@_jit_ieee
def fold_spectrum_planes(spec, n_fold, n_ui):  # pragma: no cover - compiled
    """The sampler's table of one-sided spectra ``spec [N, F]`` (``rfft`` of ``2 (F - 1)`` samples): bins
    between DC and Nyquist doubled, all scaled by ``1 / (2 (F - 1))``, folded onto ``[n_fold, n_ui]`` (bin
    ``j n_ui + rho``), real and imaginary parts on separate planes ``[N, 2, n_fold, n_ui]`` (zero past ``F``)."""
    n_pts, n_f = spec.shape
    out = np.zeros((n_pts, 2, n_fold, n_ui))
    scale = 2.0 / (2 * (n_f - 1))
    for i in range(n_pts):
        re = out[i, 0]
        im = out[i, 1]
        k = 0
        for j in range(n_fold):
            for r in range(min(n_ui, n_f - k)):
                v = spec[i, k + r] * scale
                re[j, r] = v.real
                im[j, r] = v.imag
            k += n_ui
        for k in (0, n_f - 1):
            j = k // n_ui
            re[j, k - j * n_ui] *= 0.5
            im[j, k - j * n_ui] *= 0.5
    return out


@_jit_ieee
def grid_phase_kernel(pulse, sps):  # pragma: no cover - compiled
    """Best grid phase of each oversampled pulse ``[N, n_ui * sps]`` (``pulse.grid_phase``): the index
    maximising ``2 max_m c[m] - sum_m |c[m]|`` over the samples ``c[m] = pulse[m sps + phase]`` (the first
    where several tie) [N], and those samples [N, n_ui]."""
    n_pts = pulse.shape[0]
    n_ui = pulse.shape[1] // sps
    index = np.empty(n_pts, dtype=np.int64)
    cursors = np.empty((n_pts, n_ui))
    top = np.empty(sps)
    total = np.empty(sps)
    for i in range(n_pts):
        for ph in range(sps):
            top[ph] = pulse[i, ph]
            total[ph] = abs(pulse[i, ph])
        for m in range(1, n_ui):
            for ph in range(sps):
                c = pulse[i, m * sps + ph]
                if c > top[ph] or c != c:  # a NaN, once in, stays (NumPy's max)
                    top[ph] = c
                total[ph] += abs(c)
        # NumPy's max and argmax: a NaN sample makes its phase's metric NaN, and the first NaN metric is chosen
        best = -1
        best_metric = -np.inf
        for ph in range(sps):
            metric = 2.0 * top[ph] - total[ph]
            if metric != metric:
                best = ph
                break
            if best < 0 or metric > best_metric:
                best = ph
                best_metric = metric
        index[i] = best
        for m in range(n_ui):
            cursors[i, m] = pulse[i, m * sps + best]
    return index, cursors


@_jit
def _fold(folded, n_last, phase, work, row):  # pragma: no cover - compiled
    """The folded spectrum of one band-limited pulse at ``phase`` into ``work[row]`` (real part) and
    ``work[row + 1]`` (imaginary part), natural order: the samples at ``(m + phase)`` UI are
    ``Re sum_r work[r] exp(2 pi i r m / n_ui)``.

    folded [2, J, n_ui]: the real and imaginary parts of the pulse's one-sided spectrum folded onto ``n_ui``
    bins (``nu = rho / n_ui + j``), of which the last row holds ``n_last``; ``work[rho] = exp(2 pi i rho phase
    / n_ui) sum_j folded[j, rho] exp(2 pi i j phase)``. Real arithmetic on separate planes (the loops
    vectorise; the products and sums are those of the complex expression, in the same order).
    """
    n_fold, n_ui = folded.shape[1], folded.shape[2]
    fre = folded[0]
    fim = folded[1]
    wre = work[row]
    wim = work[row + 1]
    ang = 2.0 * math.pi * phase
    rc = math.cos(ang)
    rs = math.sin(ang)
    for r in range(n_ui):
        wre[r] = fre[0, r]
        wim[r] = fim[0, r]
    cr = 1.0
    ci = 0.0
    for j in range(1, n_fold):
        cr, ci = cr * rc - ci * rs, cr * rs + ci * rc
        # the last row holds the bins up to Nyquist only (one bin when samples_per_symbol is even)
        for r in range(n_ui if j < n_fold - 1 else n_last):
            a = fre[j, r]
            b = fim[j, r]
            wre[r] += a * cr - b * ci
            wim[r] += a * ci + b * cr
    # the fractional shift of the folded bins
    ang = ang / n_ui
    sc = math.cos(ang)
    ss = math.sin(ang)
    qr = 1.0
    qi = 0.0
    for r in range(n_ui):
        a = wre[r]
        b = wim[r]
        wre[r] = a * qr - b * qi
        wim[r] = a * qi + b * qr
        qr, qi = qr * sc - qi * ss, qr * ss + qi * sc


@_jit
def _inverse_fft(buf, twiddle):  # pragma: no cover - compiled
    """In-place radix-2 ``sum_r buf[r] exp(2 pi i r m / n)`` of ``buf`` given in bit-reversed order
    (``n`` a power of two, ``twiddle[k] = exp(2 pi i k / n)``)."""
    n_ui = buf.shape[0]
    size = 2
    while size <= n_ui:
        half = size // 2
        stride = n_ui // size
        for start in range(0, n_ui, size):
            for k in range(half):
                v = buf[start + k + half] * twiddle[k * stride]
                u = buf[start + k]
                buf[start + k] = u + v
                buf[start + k + half] = u - v
        size *= 2


@_jit
def _folded_sample(folded, n_last, phase, rev, twiddle, work, buf):  # pragma: no cover - compiled
    """Samples of one band-limited pulse at ``(m + phase)`` UI into ``buf.real`` (``pulse.PulseSampler``).

    folded and n_last as for :func:`_fold`; the inverse transform by an in-place radix-2 FFT (``n_ui`` a power
    of two; ``rev`` its bit reversal, ``twiddle[k] = exp(2 pi i k / n_ui)``). work [4, n_ui] float and
    buf [n_ui] complex scratch.
    """
    _fold(folded, n_last, phase, work, 0)
    for r in range(buf.shape[0]):
        buf[rev[r]] = complex(work[0, r], work[1, r])
    _inverse_fft(buf, twiddle)


@_jit
def _folded_pair(folded, n_last, phase_a, phase_b, rev, twiddle, work, buf):  # pragma: no cover - compiled
    """Samples of one band-limited pulse at ``(m + phase_a)`` UI into ``buf.real`` and at ``(m + phase_b)``
    UI into ``buf.imag``, by one FFT: the real part of an inverse transform is the transform of the input's
    Hermitian part, whose transform is real, so the two Hermitian parts go in as the real and imaginary
    parts of one input (arguments as for :func:`_folded_sample`)."""
    _fold(folded, n_last, phase_a, work, 0)
    _fold(folded, n_last, phase_b, work, 2)
    n_ui = buf.shape[0]
    for r in range(n_ui):
        s = (n_ui - r) % n_ui
        # a = z_a[r] + conj(z_a[s]), b likewise; the input is (a + i b) / 2
        a_re = work[0, r] + work[0, s]
        a_im = work[1, r] - work[1, s]
        b_re = work[2, r] + work[2, s]
        b_im = work[3, r] - work[3, s]
        buf[rev[r]] = complex(0.5 * (a_re - b_im), 0.5 * (a_im + b_re))
    _inverse_fft(buf, twiddle)


@_jit
def _folded_eye_pair(folded, n_last, phase_a, phase_b, rev, twiddle, work, buf):  # pragma: no cover - compiled
    """``h0 - sum |h_k|`` of one band-limited pulse sampled at ``(m + phase_a)`` and at ``(m + phase_b)`` UI
    (:func:`_folded_pair`; ``pulse.eye_opening``)."""
    _folded_pair(folded, n_last, phase_a, phase_b, rev, twiddle, work, buf)
    top_a = -np.inf
    top_b = -np.inf
    total_a = 0.0
    total_b = 0.0
    for m in range(buf.shape[0]):
        ca = buf[m].real
        cb = buf[m].imag
        if ca > top_a:
            top_a = ca
        if cb > top_b:
            top_b = cb
        total_a += abs(ca)
        total_b += abs(cb)
    return top_a + abs(top_a) - total_a, top_b + abs(top_b) - total_b


@_jit
def _folded_eye(folded, n_last, phase, rev, twiddle, work, buf):  # pragma: no cover - compiled
    """``h0 - sum |h_k|`` (``h0`` the largest sample, the sum over the others) of one band-limited pulse
    sampled at ``(m + phase)`` UI (:func:`_folded_sample`; ``pulse.eye_opening``)."""
    _folded_sample(folded, n_last, phase, rev, twiddle, work, buf)
    top = -np.inf
    total = 0.0
    for m in range(buf.shape[0]):
        c = buf[m].real
        if c > top:
            top = c
        total += abs(c)
    return top + abs(top) - total


@_jit
def _scratch(n_ui):  # pragma: no cover - compiled
    """Scratch of the folded samplers: ``work [4, n_ui]`` float and ``buf [n_ui]`` complex."""
    return np.empty((4, n_ui)), np.empty(n_ui, dtype=np.complex128)


@_jit
def folded_eyes_kernel(folded, n_last, phase_a, phase_b, rev, twiddle):  # pragma: no cover - compiled
    """``h0 - sum |h_k|`` of each band-limited pulse sampled at ``(m + phase_a)`` and at ``(m + phase_b)`` UI
    ([N] each; folded [N, 2, J, n_ui] and n_last as for :func:`_fold`)."""
    n_pts = folded.shape[0]
    work, buf = _scratch(folded.shape[3])
    eye_a = np.empty(n_pts)
    eye_b = np.empty(n_pts)
    for i in range(n_pts):
        eye_a[i], eye_b[i] = _folded_eye_pair(folded[i], n_last, phase_a[i], phase_b[i], rev, twiddle, work, buf)
    return eye_a, eye_b


@_jit
def folded_cursors_kernel(folded, n_last, phase, rev, twiddle):  # pragma: no cover - compiled
    """Samples ``[N, n_ui]`` of each band-limited pulse at ``(m + phase)`` UI (:func:`_folded_sample`).

    folded [N, 2, J, n_ui] and n_last (see :func:`_fold`); phase [N] [UI].
    """
    n_pts = folded.shape[0]
    n_ui = folded.shape[3]
    work, buf = _scratch(n_ui)
    out = np.empty((n_pts, n_ui))
    for i in range(n_pts):
        _folded_sample(folded[i], n_last, phase[i], rev, twiddle, work, buf)
        for m in range(n_ui):
            out[i, m] = buf[m].real
    return out


@_jit
def _folded_centred_eye(folded, n_last, phase, offset, rev, twiddle, work, buf):  # pragma: no cover - compiled
    """The worse of the eyes ``h0 - sum |h_k|`` sampled ``offset`` UI early and late of ``phase``
    (:func:`_folded_eye_pair`; :func:`_folded_eye` at ``phase`` itself when ``offset`` is 0)."""
    if offset == 0.0:
        return _folded_eye(folded, n_last, phase, rev, twiddle, work, buf)
    late, early = _folded_eye_pair(folded, n_last, phase + offset, phase - offset, rev, twiddle, work, buf)
    return min(late, early)


@_jit
def refine_centred_phase_kernel(folded, n_last, phase0, offset, half_width, steps, rev,
                                twiddle):  # pragma: no cover - compiled
    """Sampling phase [UI] near ``phase0`` that maximises the jittered eye of each band-limited pulse.

    folded [N, 2, J, n_ui] and n_last (see :func:`_fold`). The objective is the worse of the eyes
    sampled ``offset[i]`` UI early and late (:func:`_folded_centred_eye`; the plain eye where the offset is 0):
    the phase a receiver trained to centre its sampler in the eye that its jitter and skew leave open would
    pick. phase0 [N] is the best such phase on the oversampling grid; the maximum lies within ``half_width``
    (one grid step) of it, and ``steps`` golden-section steps narrow that bracket.
    Returns the better of the two last inner points (unwrapped) [N], its jittered eye [N] and the pulse
    sampled there [N, n_ui].
    """
    n_pts = folded.shape[0]
    n_ui = folded.shape[3]
    inv = 0.5 * (math.sqrt(5.0) - 1.0)
    out = np.empty(n_pts)
    eye = np.empty(n_pts)
    cursors = np.empty((n_pts, n_ui))
    work, buf = _scratch(n_ui)
    for i in range(n_pts):
        y = folded[i]
        o = offset[i]
        a = phase0[i] - half_width
        b = phase0[i] + half_width
        c = b - inv * (b - a)
        d = a + inv * (b - a)
        fc = _folded_centred_eye(y, n_last, c, o, rev, twiddle, work, buf)
        fd = _folded_centred_eye(y, n_last, d, o, rev, twiddle, work, buf)
        for _ in range(steps):
            if fc >= fd:  # the maximum is in [a, d]
                b = d
                d = c
                fd = fc
                c = b - inv * (b - a)
                fc = _folded_centred_eye(y, n_last, c, o, rev, twiddle, work, buf)
            else:
                a = c
                c = d
                fc = fd
                d = a + inv * (b - a)
                fd = _folded_centred_eye(y, n_last, d, o, rev, twiddle, work, buf)
        if fc >= fd:
            out[i] = c
            eye[i] = fc
        else:
            out[i] = d
            eye[i] = fd
        _folded_sample(y, n_last, out[i], rev, twiddle, work, buf)
        for m in range(n_ui):
            cursors[i, m] = buf[m].real
    return out, eye, cursors


@_jit
def centred_root_kernel(folded, n_last, low, high, offset, n_scan, n_iter, bracket, rev,
                        twiddle):  # pragma: no cover - compiled
    """Sampling phase [UI] in ``[low, high]`` where the eyes sampled ``offset`` UI late and early are equal.

    folded [N, 2, J, n_ui] and n_last (see :func:`_fold`). The late-minus-early eye difference ``g`` is
    read at ``n_scan + 1`` evenly spaced phases from ``low`` to ``high``; where it is positive at ``low``,
    negative at ``high`` and changes sign once between (``offset > 0``), Illinois steps (regula falsi,
    halving the value kept twice) narrow that one interval onto the root, at most ``n_iter`` of them and
    none once it is narrower than ``bracket`` [UI]. Returns the phase of the largest jittered eye
    ``min(late, early)`` among those evaluated [N], that eye [N], whether the scan found one sign change
    [N] (where it did not, the phase and eye are NaN) and the pulse sampled at the phase [N, n_ui].
    """
    n_pts = folded.shape[0]
    n_ui = folded.shape[3]
    best_x = np.full(n_pts, np.nan)
    best_f = np.full(n_pts, np.nan)
    ok = np.zeros(n_pts, dtype=np.bool_)
    cursors = np.zeros((n_pts, n_ui))
    work, buf = _scratch(n_ui)
    xs = np.empty(n_scan + 1)
    gs = np.empty(n_scan + 1)
    for i in range(n_pts):
        y = folded[i]
        o = offset[i]
        if not o > 0.0:
            continue
        bx = low[i]
        bf = -np.inf
        for j in range(n_scan + 1):
            x = low[i] + (high[i] - low[i]) * j / n_scan
            late, early = _folded_eye_pair(y, n_last, x + o, x - o, rev, twiddle, work, buf)
            xs[j] = x
            gs[j] = late - early
            if min(late, early) > bf:
                bx = x
                bf = min(late, early)
        # one change of sign, from + to -, along the scan
        k = -1
        changes = 0
        for j in range(n_scan):
            if (gs[j] > 0.0) != (gs[j + 1] > 0.0):
                changes += 1
                k = j
        if not (changes == 1 and gs[0] > 0.0 and gs[n_scan] < 0.0):
            continue
        ok[i] = True
        a = xs[k]
        b = xs[k + 1]
        ga = gs[k]
        gb = gs[k + 1]
        side = 0
        for _ in range(n_iter):
            if b - a <= bracket:
                break
            c = 0.5 * (a + b)
            if gb != ga:
                t = b - gb * (b - a) / (gb - ga)
                if a < t < b:
                    c = t
            lc, ec = _folded_eye_pair(y, n_last, c + o, c - o, rev, twiddle, work, buf)
            gc = lc - ec
            if min(lc, ec) > bf:
                bx = c
                bf = min(lc, ec)
            if gc > 0.0:
                a = c
                ga = gc
                if side == 1:
                    gb *= 0.5
                side = 1
            elif gc < 0.0:
                b = c
                gb = gc
                if side == -1:
                    ga *= 0.5
                side = -1
            else:
                a = c
                b = c
        best_x[i] = bx
        best_f[i] = bf
        _folded_sample(y, n_last, bx, rev, twiddle, work, buf)
        for m in range(n_ui):
            cursors[i, m] = buf[m].real
    return best_x, best_f, ok, cursors


# --------------------------------------------------------------------------------------------------------
# Closed-form PAM BER averaged over interferer patterns

#: Far transitions are skipped where their Gaussian exponent exceeds the adjacent one's by this much
#: (tail ratio below ~1e-16).
_FAR_EXPONENT = 37.0


@_jit
def _pattern_shift(push, i, patterns, p):  # pragma: no cover - compiled
    """Sum of the interferers' values in pattern ``p`` at point ``i`` [A or V] (``push``, ``patterns`` as for
    :func:`pam_average_kernel`)."""
    shift = 0.0
    for j in range(patterns.shape[1]):
        shift += push[i, j, patterns[p, j]]
    return shift


@_jit
def pam_average_kernel(mu, sigma, thresholds, push, patterns, crossing_weight):  # pragma: no cover - compiled
    """Average BER over interferer patterns (see ``closed_form.pam_ber``).

    The BER of sent level ``j`` is ``sum_t w[j, t] Q(|th_t - y| / sigma_j)`` over the thresholds above
    (``t >= j``) and below (``t < j``) it: the transition probabilities telescope into tail probabilities,
    each read on its own side, so tails of 1e-300 keep their relative accuracy. Thresholds farther than
    the adjacent one are visited outwards and dropped once their tail is below 1e-16 of the adjacent one.

    Parameters
    ----------
    mu, sigma : ndarray [N, L]
        Noise-free level values and Gaussian rms per level [A or V] (sigma > 0).
    thresholds : ndarray [N, L-1]
        Increasing decision thresholds [A or V].
    push : ndarray [N, K, V]
        Value added by interferer k when it takes symbol v [A or V].
    patterns : ndarray [P, K] of int
        Symbol index of every interferer in every pattern (equiprobable patterns).
    crossing_weight : ndarray [L, L-1]
        ``w[j, t]``: bit errors gained by crossing threshold t outwards from level j, over ``L log2 L`` [1].

    Returns
    -------
    ndarray [N]
        BER [1].
    """
    n = mu.shape[0]
    n_l = mu.shape[1]
    n_t = n_l - 1
    n_pat = patterns.shape[0]
    out = np.empty(n)
    inv_sqrt2 = 1.0 / math.sqrt(2.0)
    scale = np.empty(n_l)
    for i in range(n):
        acc = 0.0
        for lev in range(n_l):  # the Gaussian scale of each level, the same in every pattern
            scale[lev] = inv_sqrt2 / sigma[i, lev]
        for p in range(n_pat):
            shift = _pattern_shift(push, i, patterns, p)
            for lev in range(n_l):
                x = mu[i, lev] + shift
                c = scale[lev]
                z_adj = 0.0
                for t in range(lev, n_t):  # upwards
                    z = (thresholds[i, t] - x) * c
                    if t == lev:
                        z_adj = max(z, 0.0)
                    elif z > 0.0 and z * z - z_adj * z_adj > _FAR_EXPONENT:
                        break
                    acc += crossing_weight[lev, t] * math.erfc(z)
                for t in range(lev - 1, -1, -1):  # downwards
                    z = (x - thresholds[i, t]) * c
                    if t == lev - 1:
                        z_adj = max(z, 0.0)
                    elif z > 0.0 and z * z - z_adj * z_adj > _FAR_EXPONENT:
                        break
                    acc += crossing_weight[lev, t] * math.erfc(z)
        out[i] = 0.5 * acc / n_pat
    return out


@_jit
def pam_equal_average_kernel(half, c, push, patterns, up_weight, down_weight):  # pragma: no cover - compiled
    """:func:`pam_average_kernel` for equally spaced levels with one noise rms and the midpoint thresholds.

    Every sent level then lies ``(2 d + 1) half`` below its ``d``-th threshold above and as far above its
    ``d``-th below, with the same Gaussian scale, so the levels' tails at each distance merge into one term
    per direction: ``sum_d W_up[d] erfc(((2d+1) half - s) c) + W_down[d] erfc(((2d+1) half + s) c)`` for an
    interferer shift ``s``, and the same far-tail rule as :func:`pam_average_kernel` drops the same terms.
    For PAM4 that is two adjacent-threshold tails per pattern instead of six.

    Parameters
    ----------
    half : ndarray [N]
        Threshold minus the level below it, half the level spacing [A or V].
    c : ndarray [N]
        ``1 / (sqrt(2) sigma)`` [1 / (A or V)] (sigma > 0).
    push, patterns
        As for :func:`pam_average_kernel`.
    up_weight, down_weight : ndarray [L-1]
        ``W_up[d] = sum_j w[j, j + d]`` and ``W_down[d] = sum_j w[j, j - 1 - d]`` of the crossing weights [1].

    Returns
    -------
    ndarray [N]
        BER [1].
    """
    n = half.shape[0]
    n_pat = patterns.shape[0]
    out = np.empty(n)
    for i in range(n):
        acc = 0.0
        for p in range(n_pat):
            shift = _pattern_shift(push, i, patterns, p)
            # the shift moves every level towards the thresholds above, away from those below
            acc += _merged_tails(half[i], -shift, c[i], up_weight) + _merged_tails(half[i], shift, c[i], down_weight)
        out[i] = 0.5 * acc / n_pat
    return out


@_jit
def _merged_tails(half, offset, c, weight):  # pragma: no cover - compiled
    """``sum_d weight[d] erfc(((2d+1) half + offset) c)`` outwards from the adjacent threshold, dropping the rest
    once a tail is below 1e-16 of the adjacent one (:data:`_FAR_EXPONENT`, as :func:`pam_average_kernel`)."""
    acc = 0.0
    z_adj = 0.0
    for d in range(weight.shape[0]):
        z = ((2 * d + 1) * half + offset) * c
        if d == 0:
            z_adj = max(z, 0.0)
        elif z > 0.0 and z * z - z_adj * z_adj > _FAR_EXPONENT:
            break
        acc += weight[d] * math.erfc(z)
    return acc


# --------------------------------------------------------------------------------------------------------
# Distribution of a sum of independent discrete interferers on a grid of step delta


@_jit
def _isi_distribution(values, probs, delta, n_bins, offset):  # pragma: no cover - compiled
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
    return _isi_distribution(np.ascontiguousarray(values, dtype=np.float64),
                             np.ascontiguousarray(probs, dtype=np.float64), float(delta), int(n_bins), int(offset))


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


@_jit
def _symbols_with_history(words, history, levels_count, bps, n_symbols):  # pragma: no cover - compiled
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


@_jit
def _aggressor_sum(words, a_word, a_bit, n_aggr, aggr):  # pragma: no cover - compiled
    """Sum of ``+-aggr[m]`` for the next ``n_aggr`` aggressor bits; returns (sum, word, bit)."""
    y = 0.0
    for m in range(n_aggr):
        if a_bit >= 64:
            a_word += 1
            a_bit = 0
        if (words[a_word] >> np.uint64(a_bit)) & np.uint64(1):
            y += aggr[m]
        else:
            y -= aggr[m]
        a_bit += 1
    return y, a_word, a_bit


@_jit
def _mc_symbol_chunk(words, noise, levels_count, bps, taps, positions, main_pos, n_aggr, aggr, sigma, thresholds,
                     errtab, history, n_symbols, jitter_table, jitter_index, jitter_weight):  # pragma: no cover
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
        xt, a_word, a_bit = _aggressor_sum(words, a_word, a_bit, n_aggr, aggr)
        y += xt
        s0 = sym[d + main_pos]
        y += sigma[s0] * noise[d]
        dec = 0
        for t in range(n_th):
            dec += np.int64(y > thresholds[t])  # branch-free: decisions are unpredictable
        errors += errtab[s0, dec]
    history[:] = sym[n_symbols:]
    return errors


def mc_symbol_chunk(words, noise, levels_count, bps, taps, positions, main_pos, n_aggr, aggr, sigma, thresholds,
                    errtab, history, n_symbols, jitter_table, jitter_index, jitter_weight):
    """Simulate ``n_symbols`` decisions with the general kernel (any number of cursors, jitter); returns the
    number of bit errors. ``history`` (last ``span`` symbols) is updated in place; with jitter the taps of
    decision d interpolate rows ``jitter_index[d]`` and ``+1`` of ``jitter_table`` [R, K, L] with weight
    ``jitter_weight[d]``."""
    return int(_mc_symbol_chunk(words, noise, levels_count, bps, taps, positions, main_pos, n_aggr, aggr, sigma,
                                thresholds, errtab, history, n_symbols, jitter_table, jitter_index, jitter_weight))


#: Grid of the tail-probability table of the table-lookup kernel [1/sigma] and its extent [sigma].
TAIL_GRID = 16
TAIL_MAX = 40.0
#: Bits of the per-decision uniform that screens decisions the noise cannot change.
SCREEN_BITS = 8


def tail_tables():
    """``(screen [G] int64, accept [G] float)`` of the table-lookup kernel.

    For ``c = i / TAIL_GRID`` the two-sided tail ``q = P(|n| > c)`` of a standard normal: ``screen[i] =
    ceil(q 2^SCREEN_BITS)`` and ``accept[i] = q 2^SCREEN_BITS / screen[i]`` (0 where ``q`` underflows).
    """
    from scipy import special

    c = np.arange(int(TAIL_MAX * TAIL_GRID) + 1) / TAIL_GRID
    q = special.erfc(c / np.sqrt(2.0))
    scale = float(1 << SCREEN_BITS)
    screen = np.ceil(q * scale).astype(np.int64)
    accept = np.where(screen > 0, q * scale / np.maximum(screen, 1), 0.0)
    return np.ascontiguousarray(screen), np.ascontiguousarray(np.minimum(accept, 1.0))


@_jit
def _gaussian_tail(gen, a):  # pragma: no cover - compiled
    """``|n|`` of a standard normal conditioned on ``|n| > a`` (a >= 0), drawn from ``gen`` exactly: rejection
    from the normal for ``a < 1``, Marsaglia's tail method (Rayleigh proposal, accept with ``a / x``) above."""
    if a < 1.0:
        while True:
            x = abs(gen.standard_normal())
            if x > a:
                return x
    while True:
        u1 = 1.0 - gen.random()  # (0, 1]
        x = math.sqrt(a * a - 2.0 * math.log(u1))
        if gen.random() * x < a:
            return x


def _make_lut_kernel(bps: int, n_th: int, n_groups: int):
    """Fast kernel for a given symbol width, threshold count and table count (compile-time constants, so
    the loops over tables and thresholds unroll).

    The last ``span + 1`` symbols live in one 64-bit register (newest in the low bits) and the ISI is a sum
    of table lookups, one per byte of the register (``luts[g, byte]``); aggressor bits index ``aggr_lut``.

    The noise is drawn only where it can change the decision, exactly in distribution: with ``c`` the
    distance from the noise-free value to the nearer threshold of the sent level in noise rms, rounded down to
    the grid ``i / TAIL_GRID``, an 8-bit uniform ``u`` (from ``screen_words``, 8 per word) screens the
    decision: ``u >= screen[i]`` means ``|n| <= c`` (a correct decision, no draw). Otherwise, with probability
    ``accept[i]`` (from ``gen``), ``|n|`` is drawn from the Gaussian tail beyond the grid value and a random
    sign, and the decision is made; else ``|n|`` lies below it (correct). The screen therefore passes each
    decision with probability ``P(|n| > c)`` exactly, at the cost of a byte instead of a Gaussian.
    """
    lmask_c = (1 << bps) - 1
    per_word = 64 // bps
    grid = float(TAIL_GRID)

    def kernel(words, screen_words, gen, luts, main_shift, aggr_lut, n_aggr, sigma, inv_sigma, th_below, th_above,
               thresholds, errtab, screen, accept, history, n_symbols):
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
        n_grid = screen.shape[0]
        errflat = errtab.ravel()
        errors = 0
        w = np.uint64(0)
        left = 0
        wi = 0
        sw = np.uint64(0)
        for d in range(n_symbols):
            if left == 0:
                w = words[wi]
                wi += 1
                left = per_word
            left -= 1
            reg = ((reg << sh) | (w & lmask)) & regmask
            w = w >> sh
            if (d & 7) == 0:
                sw = screen_words[d >> 3]
            u = np.int64(sw & np.uint64(0xFF))
            sw = sw >> np.uint64(8)
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
            c = min(y - th_below[s0], th_above[s0] - y) * inv_sigma[s0] * grid
            if c >= n_grid - 1:
                ci = n_grid - 1
            elif c > 0.0:
                ci = np.int64(c)
            else:
                ci = 0
            if u < screen[ci]:
                if gen.random() < accept[ci]:
                    x = _gaussian_tail(gen, ci / grid)
                    if gen.random() < 0.5:
                        x = -x
                    y += sigma[s0] * x
                    dec = 0
                    for t in range(n_th):
                        dec += np.int64(y > thresholds[t])
                    errors += errflat[s0 * n_levels + dec]
        for q in range(span):
            history[q] = np.int64((reg >> np.uint64((span - 1 - q) * bps)) & lmask)
        return errors

    return kernel


_LUT_KERNELS: dict = {}
_TAIL_TABLES: list = []


def screen_words_needed(n_symbols):
    """Random 64-bit words of screening bytes one chunk of the table-lookup kernel consumes [1]."""
    return -(-int(n_symbols) // 8)


def mc_symbol_lut_chunk(words, screen_words, gen, bps, luts, main_shift, aggr_lut, n_aggr, sigma, thresholds, errtab,
                        history, n_symbols):
    """Table-lookup symbol-rate kernel (a window of at most 64 bits, at most 8 aggressors, no jitter): the
    decisions of :func:`mc_symbol_chunk` with the noise drawn only where it can change them (see
    :func:`_make_lut_kernel`); returns the number of bit errors.

    ``words`` as for :func:`mc_symbol_chunk`; ``screen_words`` [ceil(n/8)] random 64-bit words; ``gen`` the
    run's ``numpy.random.Generator`` (the tail draws advance it, so a seed reproduces the run).
    """
    key = (int(bps), int(thresholds.shape[0]), int(luts.shape[0]))
    if key not in _LUT_KERNELS:
        _LUT_KERNELS[key] = _jit(_make_lut_kernel(*key))
    if not _TAIL_TABLES:
        _TAIL_TABLES.extend(tail_tables())
    sig = np.ascontiguousarray(sigma, dtype=np.float64)
    th = np.ascontiguousarray(thresholds, dtype=np.float64)
    below = np.concatenate([[-np.inf], th])  # threshold below each level
    above = np.concatenate([th, [np.inf]])
    inv = np.where(sig > 0, 1.0 / np.maximum(sig, 1e-300), np.inf)
    return int(_LUT_KERNELS[key](words, screen_words, gen, luts, main_shift, aggr_lut, n_aggr, sig, inv, below,
                                 above, th, np.ascontiguousarray(errtab), _TAIL_TABLES[0], _TAIL_TABLES[1], history,
                                 n_symbols))


# --------------------------------------------------------------------------------------------------------
# Monte Carlo, oversampled waveform: every sample computed, Gaussian noise on every sample (then filtered)


@_jit
def _mc_waveform_chunk(words, noise, levels_count, bps, level_values, poly, sample_phase, sigma_sample,
                       thresholds, errtab, history, n_symbols, main_pos, n_aggr, aggr, noise_taps, noise_state,
                       wave_out):  # pragma: no cover - compiled
    span = history.shape[0]
    n_ui = poly.shape[1]
    sps = poly.shape[0]
    n_f = noise_taps.shape[0]
    sym, a_word, a_bit = _symbols_with_history(words, history, levels_count, bps, n_symbols)
    errors = 0
    keep = wave_out.shape[0] > 0
    n_th = thresholds.shape[0]
    poly_t = np.ascontiguousarray(poly.T)  # [K, P]: the inner loop runs over contiguous sample phases
    acc = np.empty(sps)
    # white samples of this chunk after the filter's memory (oldest first)
    white = np.empty(n_f - 1 + n_symbols * sps)
    white[: n_f - 1] = noise_state
    for d in range(n_symbols):
        s_main = sym[d + main_pos]
        sig = sigma_sample[s_main]
        xt, a_word, a_bit = _aggressor_sum(words, a_word, a_bit, n_aggr, aggr)
        for p in range(sps):
            acc[p] = xt
        for k in range(n_ui):
            v = level_values[sym[d + span - k]]
            for p in range(sps):
                acc[p] += v * poly_t[k, p]
        base = n_f - 1 + d * sps
        for p in range(sps):
            white[base + p] = sig * noise[d, p]
            filtered = 0.0
            for j in range(n_f):
                filtered += noise_taps[j] * white[base + p - j]
            acc[p] += filtered
        if keep:
            for p in range(sps):
                wave_out[d, p] = acc[p]
        x = acc[sample_phase]
        dec = 0
        for t in range(n_th):
            dec += np.int64(x > thresholds[t])
        errors += errtab[s_main, dec]
    history[:] = sym[n_symbols:]
    noise_state[:] = white[white.shape[0] - (n_f - 1):]
    return errors


def mc_waveform_chunk(words, noise, levels_count, bps, level_values, poly, sample_phase, sigma_sample, thresholds,
                      errtab, history, n_symbols, main_pos, n_aggr, aggr, wave_out, noise_taps=None,
                      noise_state=None):
    """Simulate ``n_symbols`` UIs of the oversampled waveform; returns the number of bit errors.

    ``poly[p, k]`` is the pulse at sample phase ``p`` of UI ``k`` (an FIR per phase). Sample p of UI d is
    ``sum_k level[s[d + span - k]] poly[p, k]`` + aggressors (constant over the UI) + noise; the decision
    uses sample ``sample_phase``, whose main symbol is ``s[d + main_pos]``. The noise is the white sequence
    ``sigma(main symbol) noise[d, p]`` passed through the per-sample FIR ``noise_taps`` [F] (default: none,
    white noise on every sample); ``noise_state`` [F-1] holds the last white samples of the previous chunk
    (oldest first) and is updated in place. ``wave_out`` [n, P] receives the noisy waveform when it has rows.
    """
    taps = np.ones(1) if noise_taps is None else np.ascontiguousarray(noise_taps, dtype=np.float64)
    state = np.zeros(taps.size - 1) if noise_state is None else noise_state
    return int(_mc_waveform_chunk(words, noise, levels_count, bps, level_values, poly, sample_phase, sigma_sample,
                                  thresholds, errtab, history, n_symbols, main_pos, n_aggr, aggr, taps, state,
                                  wave_out))
