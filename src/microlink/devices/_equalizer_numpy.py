"""NumPy implementation of the MMSE FFE + DFE receiver kernels (the ``numpy`` engine, :mod:`microlink.kernels`).

The same arithmetic as :mod:`microlink.devices._equalizer_kernels`, vectorised over design points x CTLE
settings x sampling phases instead of looping over them: every candidate's ``N x N`` system is built from
its cursors and solved by ``numpy.linalg.solve`` (LU; the compiled kernel factorises by Cholesky and falls
back to LU), in chunks of points. Every operation is elementwise, a reduction along one point's own row, or
an ``einsum`` contraction within one point (no ``optimize``: NumPy's own loops, the same for any batch), so a
point's result does not depend on its batch (tested: a point alone and in a batch agree bitwise). The two
engines agree to rounding (the tests hold both to 1e-9 relative against a direct reference); the best candidate is chosen by the kernel's rule
(the first of the largest SNR, in gain-major order; a NaN first candidate is kept).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

#: Candidate systems (points x gains x phases) solved at once: ~8 (3 N^2 + 3 N (U + N)) bytes each (N = 24,
#: U = 64: ~64 kB, so ~64 MB in flight).
CANDIDATES_IN_FLIGHT = 1024


def _solve(a, b):
    """``a x = b`` for stacks ``a [M, N, N]``, ``b [M, N]``; NaN where a system is singular."""
    try:
        return np.linalg.solve(a, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.full(b.shape, np.nan)
        for i in range(a.shape[0]):
            try:
                out[i] = np.linalg.solve(a[i], b[i])
            except np.linalg.LinAlgError:
                pass
        return out


def mmse_candidates(x, dx, rn, sd2, stx, jit_coef, n_pre, n_dfe):
    """:func:`microlink.devices._equalizer_kernels._mmse_candidate` for a stack of candidates.

    Parameters
    ----------
    x, dx : ndarray [M, U]
        Symbol-spaced response and its time derivative [V per unit symbol, per UI].
    rn : ndarray [M, N]
        Noise autocorrelation at lags ``0 .. N-1`` [V^2].
    sd2, jit_coef : float
        Symbol variance; ``sd2 (sigma_RJ^2 + A_DD^2)`` [1].
    stx : ndarray [M]
        Transmitter noise variance [1].
    n_pre, n_dfe : int
        FFE taps before the main cursor; DFE taps.

    Returns
    -------
    (w [M, N], geq [M, U + N - 1], m [M], snr, main, isi2, noise, tx2, jit2 [M])
    """
    n_m, u_len = x.shape
    n = rn.shape[1]
    l_len = u_len + n - 1
    rows = np.arange(n_m)
    m = np.argmax(x, axis=-1)
    xp = np.concatenate([np.zeros((n_m, n - 1)), x, np.zeros((n_m, n - 1))], axis=-1)
    win = sliding_window_view(xp, n, axis=-1)  # win[:, r, i] = xp[:, r + i], r < U + N - 1
    # rx[lag] = sum_u x[u] x[u + lag]: x[u + lag] = xp[u + lag + N - 1] = win[u + N - 1, lag]
    rx = np.einsum("mu,mul->ml", x, win[:, n - 1:n - 1 + u_len, :])
    idx = m[:, None, None] + np.arange(n_dfe + 1)[None, :, None] + n_pre - np.arange(n)[None, None, :]
    inside = (idx >= 0) & (idx < u_len)
    v = np.where(inside, x[rows[:, None, None], np.clip(idx, 0, u_len - 1)], 0.0)  # [M, K + 1, N]
    lags = np.abs(np.arange(n)[:, None] - np.arange(n)[None, :])
    c = sd2 + stx
    a = c[:, None, None] * rx[:, lags] + rn[:, lags]
    for k in range(1, n_dfe + 1):
        a -= sd2 * (v[:, k, :, None] * v[:, k, None, :])
    trace = np.trace(a, axis1=-2, axis2=-1)
    scale = np.maximum(trace / n, 1e-300)
    a[:, np.arange(n), np.arange(n)] += 1e-12 * scale[:, None]
    w = sd2 * _solve(a, v[:, 0])
    # geq[r] = sum_j w[j] x[r - j], x[r - j] = xp[r - j + N - 1] = win[r, N - 1 - j]
    geq = np.einsum("mrj,mj->mr", win[:, :, ::-1], w)
    dxp = np.concatenate([np.zeros((n_m, n - 1)), dx, np.zeros((n_m, n - 1))], axis=-1)
    dg = np.einsum("mrj,mj->mr", sliding_window_view(dxp, n, axis=-1)[:, :, ::-1], w)
    mp = m + n_pre
    main = geq[rows, mp]
    r = np.arange(l_len)[None, :]
    cancelled = (r == mp[:, None]) | ((r > mp[:, None]) & (r <= mp[:, None] + n_dfe))
    isi2 = np.sum(np.where(cancelled, 0.0, geq * geq), axis=-1)
    g2 = np.sum(geq * geq, axis=-1)
    d2 = np.sum(dg * dg, axis=-1)
    noise = np.maximum(np.einsum("mi,mij,mj->m", w, rn[:, lags], w), 0.0)  # w^T T(rn) w
    tx2 = stx * g2
    jit2 = jit_coef * d2
    snr = sd2 * main * main / (sd2 * isi2 + noise + tx2 + jit2 + 1e-300)
    return w, geq, m, snr, main, isi2, noise, tx2, jit2


def mmse_kernel(x, dx, rn, sd2, stx, jit_coef, n_pre, n_dfe):
    """NumPy :func:`microlink.devices._equalizer_kernels.mmse_kernel` (same arguments and returns)."""
    n_pts = x.shape[0]
    n = rn.shape[1]
    l_len = x.shape[1] + n - 1
    taps, resp = np.empty((n_pts, n)), np.empty((n_pts, l_len))
    main_index, noise, snr = np.empty(n_pts, np.int64), np.empty(n_pts), np.empty(n_pts)
    step = CANDIDATES_IN_FLIGHT
    for s in range(0, n_pts, step):
        sel = slice(s, min(n_pts, s + step))
        w, geq, m, sn, _, _, nv, _, _ = mmse_candidates(x[sel], dx[sel], rn[sel], sd2, stx[sel], jit_coef, n_pre,
                                                        n_dfe)
        taps[sel], resp[sel], main_index[sel], noise[sel], snr[sel] = w, geq, m, nv, sn
    return taps, resp, main_index, noise, snr


def equalize_kernel(pulse_a, pulse_b, psd, symbol_rate, noise_basis, gains, sd2, stx, jit_coef, n_pre, n_dfe, sps,
                    offsets, keep_pulse):
    """NumPy :func:`microlink.devices._equalizer_kernels.equalize_kernel` (same arguments and returns)."""
    n_pts, t_len = pulse_a.shape
    n_k = noise_basis.shape[1]
    n = (n_k - 1) // 2
    u_len = t_len // sps
    l_len = u_len + n - 1
    n_c, n_off = gains.shape[0], offsets.shape[0]
    out = (np.zeros((n_pts, n)), np.zeros((n_pts, l_len)), np.zeros(n_pts, np.int64), np.zeros(n_pts),
           np.zeros(n_pts), np.zeros(n_pts), np.zeros(n_pts), np.zeros(n_pts), np.zeros(n_pts, np.int64),
           np.zeros(n_pts, np.int64), np.zeros((n_pts, t_len if keep_pulse else 0)), np.zeros(n_pts))
    taps, resp, main_pos, main_out, noise_out, tx_out, jit_out, snr_out, gain_index, phase_index, eq_pulse, raw = out
    per_point = n_c * n_off
    step = max(1, CANDIDATES_IN_FLIGHT // per_point)
    u_idx = np.arange(u_len) * sps
    basis_t = np.ascontiguousarray(noise_basis.T)  # [K, F]
    for s in range(0, n_pts, step):
        sel = slice(s, min(n_pts, s + step))
        b = sel.stop - sel.start
        proj = np.sum(psd[sel, None, :] * basis_t[None, :, :], axis=-1) * symbol_rate[sel, None]  # [b, K]
        raw[sel] = proj[:, 2 * n]
        p = gains[None, :, None] * pulse_a[sel, None, :] + pulse_b[sel, None, :]  # [b, C, T]
        peak = np.argmax(p, axis=-1)
        rn = (gains[None, :, None] ** 2) * proj[:, None, :n] + proj[:, None, n:2 * n]  # [b, C, N]
        ph = (peak[..., None] % sps + offsets[None, None, :]) % sps  # [b, C, P]
        t = u_idx[None, None, None, :] + ph[..., None]  # [b, C, P, U]
        pb = np.broadcast_to(p[:, :, None, :], (b, n_c, n_off, t_len))
        x = np.take_along_axis(pb, t, axis=-1)
        after = np.take_along_axis(pb, (t + 1) % t_len, axis=-1)
        before = np.take_along_axis(pb, (t - 1) % t_len, axis=-1)
        dx = (after - before) * (sps / 2.0)
        flat = b * per_point
        rn_c = np.broadcast_to(rn[:, :, None, :], (b, n_c, n_off, n)).reshape(flat, n)
        stx_c = np.broadcast_to(stx[sel, None, None], (b, n_c, n_off)).reshape(flat)
        w, geq, m, snr, main, _, nv, tx2, jit2 = mmse_candidates(x.reshape(flat, u_len), dx.reshape(flat, u_len),
                                                                 rn_c, sd2, stx_c, jit_coef, n_pre, n_dfe)
        snr2 = snr.reshape(b, per_point)
        best = np.argmax(np.where(np.isnan(snr2), -np.inf, snr2), axis=-1)
        best = np.where(np.isnan(snr2[:, 0]), 0, best)  # the kernel keeps a NaN first candidate
        k = np.arange(b) * per_point + best
        taps[sel], resp[sel], main_pos[sel] = w[k], geq[k], m[k] + n_pre
        main_out[sel], noise_out[sel], tx_out[sel], jit_out[sel], snr_out[sel] = main[k], nv[k], tx2[k], jit2[k], snr[k]
        gain_index[sel] = best // n_off
        phase_index[sel] = ph.reshape(b, per_point)[np.arange(b), best]
        if keep_pulse:
            chosen = p[np.arange(b), gain_index[sel]]  # [b, T]
            acc = np.zeros((b, t_len))
            for j in range(n):
                acc += taps[sel, j:j + 1] * np.roll(chosen, ((j - n_pre) * sps) % t_len, axis=-1)
            eq_pulse[sel] = acc
    return out
