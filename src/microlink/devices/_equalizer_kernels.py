"""Compiled inner loops of the MMSE FFE + DFE receiver (Numba), one design point at a time.

For every point, every CTLE setting of the grid and every candidate sampling phase the receiver solves one
small symmetric positive-definite system ``A w = sigma_d^2 v_0`` (``N`` x ``N``, ``N`` the FFE length; see
:mod:`microlink.devices.serdes` for ``A``). NumPy would hold all ``points x gains x phases`` systems at once
(hundreds of kB per point); here each is built, factorised (Cholesky) and scored in a few kB of scratch,
and only the best candidate of each point is kept. Every point is computed in its own scratch, so its result
does not depend on the batch it is evaluated in. Compiled functions are cached on disk after the first call.
"""

from __future__ import annotations

import math

import numba
import numpy as np

#: Let LLVM reassociate sums (vectorised reductions) and fuse multiply-adds; no assumption about NaN or
#: infinity is made, so a failed Cholesky pivot is still detected. Sums still run in an order fixed by the
#: compiled code, independent of the batch.
_FAST = {"reassoc", "contract"}


@numba.njit(cache=True, fastmath=_FAST)
def _cholesky_solve(a, b, out, lower, y):  # pragma: no cover - compiled
    """Solve ``a out = b`` by Cholesky ``a = L L^T``; False when ``a`` is not numerically positive definite."""
    n = a.shape[0]
    for j in range(n):
        s = a[j, j]
        for p in range(j):
            s -= lower[j, p] * lower[j, p]
        if not s > 0.0:
            return False
        d = math.sqrt(s)
        lower[j, j] = d
        for i in range(j + 1, n):
            s = a[i, j]
            for p in range(j):
                s -= lower[i, p] * lower[j, p]
            lower[i, j] = s / d
    for i in range(n):
        s = b[i]
        for p in range(i):
            s -= lower[i, p] * y[p]
        y[i] = s / lower[i, i]
    for i in range(n - 1, -1, -1):
        s = y[i]
        for p in range(i + 1, n):
            s -= lower[p, i] * out[p]
        out[i] = s / lower[i, i]
    return True


@numba.njit(cache=True, fastmath=_FAST)
def _lu_solve(a, b, out, work):  # pragma: no cover - compiled
    """Solve ``a out = b`` by Gaussian elimination with partial pivoting (the fallback of an indefinite ``a``)."""
    n = a.shape[0]
    for i in range(n):
        for j in range(n):
            work[i, j] = a[i, j]
        out[i] = b[i]
    for col in range(n):
        piv = col
        big = abs(work[col, col])
        for r in range(col + 1, n):
            if abs(work[r, col]) > big:
                big = abs(work[r, col])
                piv = r
        if piv != col:
            for j in range(n):
                t = work[col, j]
                work[col, j] = work[piv, j]
                work[piv, j] = t
            t = out[col]
            out[col] = out[piv]
            out[piv] = t
        d = work[col, col]
        for r in range(col + 1, n):
            f = work[r, col] / d
            if f != 0.0:
                for j in range(col, n):
                    work[r, j] -= f * work[col, j]
                out[r] -= f * out[col]
    for i in range(n - 1, -1, -1):
        s = out[i]
        for j in range(i + 1, n):
            s -= work[i, j] * out[j]
        out[i] = s / work[i, i]


@numba.njit(cache=True, fastmath=_FAST)
def _mmse_candidate(x, dx, rn, sd2, stx, jit_coef, n_pre, n_dfe, w, geq, dg, rx, v, a, lower, y):  # pragma: no cover
    """MMSE FFE given an ideal DFE for one symbol-spaced response ``x [U]`` (derivative ``dx [U]``) and a
    noise autocorrelation ``rn [N]``. Fills ``w [N]`` (taps) and ``geq [U + N - 1]`` (equalised response);
    returns ``(snr, main index of x, main, isi^2, noise^2, tx^2, jitter^2)`` in normalised symbol units."""
    u_len = x.shape[0]
    n = rn.shape[0]
    l_len = u_len + n - 1
    m = 0
    best = x[0]
    for u in range(1, u_len):
        if x[u] > best:
            best = x[u]
            m = u
    for lag in range(n):
        rx[lag] = 0.0
    for u in range(u_len):
        xu = x[u]
        top = min(n, u_len - u)
        for lag in range(top):
            rx[lag] += xu * x[u + lag]
    for k in range(n_dfe + 1):
        for j in range(n):
            idx = m + k + n_pre - j
            v[k, j] = x[idx] if 0 <= idx < u_len else 0.0
    c = sd2 + stx
    trace = 0.0
    for r in range(n):
        for s in range(r + 1):
            e = c * rx[r - s] + rn[r - s]
            for k in range(1, n_dfe + 1):
                e -= sd2 * v[k, r] * v[k, s]
            a[r, s] = e
            a[s, r] = e
        trace += a[r, r]
    scale = max(trace / n, 1e-300)
    for r in range(n):
        a[r, r] += 1e-12 * scale
    if not _cholesky_solve(a, v[0], w, lower, y):
        _lu_solve(a, v[0], w, lower)
    for j in range(n):
        w[j] *= sd2
    for r in range(l_len):
        geq[r] = 0.0
        dg[r] = 0.0
    for j in range(n):
        wj = w[j]
        for u in range(u_len):
            geq[j + u] += wj * x[u]
            dg[j + u] += wj * dx[u]
    mp = m + n_pre
    main = geq[mp]
    isi2 = 0.0
    g2 = 0.0
    d2 = 0.0
    for r in range(l_len):
        gr = geq[r]
        g2 += gr * gr
        d2 += dg[r] * dg[r]
        if r == mp or (mp < r <= mp + n_dfe):
            continue
        isi2 += gr * gr
    noise = 0.0
    for lag in range(n):
        s = 0.0
        for q in range(n - lag):
            s += w[q] * w[q + lag]
        noise += (rn[0] if lag == 0 else 2.0 * rn[lag]) * s
    noise = max(noise, 0.0)
    tx2 = stx * g2
    jit2 = jit_coef * d2
    snr = sd2 * main * main / (sd2 * isi2 + noise + tx2 + jit2 + 1e-300)
    return snr, m, main, isi2, noise, tx2, jit2


@numba.njit(cache=True, fastmath=_FAST)
def mmse_kernel(x, dx, rn, sd2, stx, jit_coef, n_pre, n_dfe):  # pragma: no cover - compiled
    """:func:`_mmse_candidate` over a batch: ``x, dx [B, U]``, ``rn [B, N]``, ``stx [B]``.

    Returns ``taps [B, N]``, ``response [B, U + N - 1]``, ``main_index [B]`` (of ``x``), ``noise [B]``,
    ``snr [B]``.
    """
    n_pts, u_len = x.shape
    n = rn.shape[1]
    l_len = u_len + n - 1
    taps = np.empty((n_pts, n))
    resp = np.empty((n_pts, l_len))
    main_index = np.empty(n_pts, dtype=np.int64)
    noise = np.empty(n_pts)
    snr = np.empty(n_pts)
    rx = np.empty(n)
    v = np.empty((n_dfe + 1, n))
    a = np.empty((n, n))
    lower = np.empty((n, n))
    y = np.empty(n)
    dg = np.empty(l_len)
    for i in range(n_pts):
        s, m, _, _, nv, _, _ = _mmse_candidate(x[i], dx[i], rn[i], sd2, stx[i], 0.0, n_pre, n_dfe, taps[i], resp[i],
                                               dg, rx, v, a, lower, y)
        main_index[i] = m
        noise[i] = nv
        snr[i] = s
    return taps, resp, main_index, noise, snr


@numba.njit(cache=True, fastmath=_FAST)
def equalize_kernel(pulse_a, pulse_b, psd, symbol_rate, noise_basis, gains, sd2, stx, jit_coef, n_pre, n_dfe, sps,
                    offsets, keep_pulse):  # pragma: no cover - compiled
    """CTLE-gain and sampling-phase search with an MMSE FFE + DFE per candidate, best candidate per point.

    Parameters
    ----------
    pulse_a, pulse_b : [B, T]
        Oversampled pulses through the front end and the two CTLE basis responses: the pulse at linear DC
        gain ``g`` is ``g pulse_a + pulse_b`` [V per unit symbol].
    psd, symbol_rate : [B, F], [B]
        Noise PSD at the receiver input [V^2/Hz] and symbol rate [Bd].
    noise_basis : [F, 2N + 1]
        Projections of a PSD onto the noise autocorrelation basis ``rn0 | rn1 | raw`` per unit symbol rate:
        at gain ``g`` the autocorrelation is ``R_s (g^2 rn0 + rn1)``; ``raw`` is the front-end-only noise at
        lag 0 [1].
    gains : [C]
        Linear CTLE DC gains searched [1].
    sd2, stx, jit_coef : float, [B], float
        Symbol variance, transmitter noise variance, ``sd2 (sigma_RJ^2 + A_DD^2)`` [1].
    offsets : [P] int
        Sampling phases tried around each pulse's peak [samples].

    Returns
    -------
    taps [B, N], response [B, U + N - 1], main_position [B] (index of the main cursor in ``response``),
    main, noise, tx, jitter [B] (variances), snr [B], gain_index [B], phase_index [B] (samples), pulse
    [B, T] (equalised oversampled pulse at the chosen gain; [B, 0] unless ``keep_pulse``), raw_noise [B]
    (front-end noise at lag 0) [V^2].
    """
    n_pts, t_len = pulse_a.shape
    n_f = psd.shape[1]
    n_k = noise_basis.shape[1]
    n = (n_k - 1) // 2
    u_len = t_len // sps
    l_len = u_len + n - 1
    n_c = gains.shape[0]
    n_off = offsets.shape[0]
    taps = np.zeros((n_pts, n))
    resp = np.zeros((n_pts, l_len))
    main_pos = np.zeros(n_pts, dtype=np.int64)
    main_out = np.zeros(n_pts)
    noise_out = np.zeros(n_pts)
    tx_out = np.zeros(n_pts)
    jit_out = np.zeros(n_pts)
    snr_out = np.zeros(n_pts)
    gain_index = np.zeros(n_pts, dtype=np.int64)
    phase_index = np.zeros(n_pts, dtype=np.int64)
    eq_pulse = np.zeros((n_pts, t_len if keep_pulse else 0))
    raw_noise = np.zeros(n_pts)
    proj = np.empty(n_k)
    p = np.empty(t_len)
    x = np.empty(u_len)
    dx = np.empty(u_len)
    rn = np.empty(n)
    rx = np.empty(n)
    v = np.empty((n_dfe + 1, n))
    a = np.empty((n, n))
    lower = np.empty((n, n))
    y = np.empty(n)
    w = np.empty(n)
    geq = np.empty(l_len)
    dg = np.empty(l_len)
    half_sps = sps / 2.0
    for i in range(n_pts):
        for q in range(n_k):
            proj[q] = 0.0
        for f in range(n_f):
            sf = psd[i, f]
            for q in range(n_k):
                proj[q] += sf * noise_basis[f, q]
        for q in range(n_k):
            proj[q] *= symbol_rate[i]
        raw_noise[i] = proj[2 * n]
        have = False
        best = 0.0
        for c in range(n_c):
            g = gains[c]
            peak = 0
            for t in range(t_len):
                p[t] = g * pulse_a[i, t] + pulse_b[i, t]
                if p[t] > p[peak]:
                    peak = t
            for lag in range(n):
                rn[lag] = g * g * proj[lag] + proj[n + lag]
            base = peak % sps
            for o in range(n_off):
                ph = (base + offsets[o]) % sps
                if ph < 0:
                    ph += sps
                for u in range(u_len):
                    t = u * sps + ph
                    x[u] = p[t]
                    after = p[t + 1] if t + 1 < t_len else p[0]
                    before = p[t - 1] if t > 0 else p[t_len - 1]
                    dx[u] = (after - before) * half_sps
                snr, m, main, _, nv, tx2, jit2 = _mmse_candidate(x, dx, rn, sd2, stx[i], jit_coef, n_pre, n_dfe, w,
                                                                 geq, dg, rx, v, a, lower, y)
                if not have or snr > best:
                    have = True
                    best = snr
                    for j in range(n):
                        taps[i, j] = w[j]
                    for r in range(l_len):
                        resp[i, r] = geq[r]
                    main_pos[i] = m + n_pre
                    main_out[i] = main
                    noise_out[i] = nv
                    tx_out[i] = tx2
                    jit_out[i] = jit2
                    snr_out[i] = snr
                    gain_index[i] = c
                    phase_index[i] = ph
        if keep_pulse:
            g = gains[gain_index[i]]
            for t in range(t_len):
                p[t] = g * pulse_a[i, t] + pulse_b[i, t]
            for j in range(n):
                shift = ((j - n_pre) * sps) % t_len  # eq[t] += w_j p[(t - shift) mod T]
                if shift < 0:
                    shift += t_len
                wj = taps[i, j]
                for t in range(shift):
                    eq_pulse[i, t] += wj * p[t - shift + t_len]
                for t in range(shift, t_len):
                    eq_pulse[i, t] += wj * p[t - shift]
    return (taps, resp, main_pos, main_out, noise_out, tx_out, jit_out, snr_out, gain_index, phase_index,
            eq_pulse, raw_noise)
