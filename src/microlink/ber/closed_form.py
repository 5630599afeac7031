"""Closed-form BER of binary (NRZ) decisions with Gaussian noise and binary interferers.

Signal model at the decision instant (currents in A, relative to the mean level)::

    y = A (h0 b0 + sum_k h_k b_k) + n,    b_k in {-1, +1} equiprobable,

where ``A`` is half the settled signal swing, ``h0`` the normalised main cursor, ``h_k`` the ISI cursors
(and any crosstalk aggressors, which are binary interferers too) and ``n`` Gaussian noise whose rms is
``sigma_one`` when a one is sent and ``sigma_zero`` for a zero (signal-dependent shot and intensity noise).
The decision threshold is the Q-optimal ``th = A h0 (sigma0 - sigma1)/(sigma0 + sigma1)``.

Two estimates:

* ``"average"``: exact average over the ``2^K`` patterns of the K largest interferers; the remaining ones
  are folded into the noise as a Gaussian of variance ``A^2 sum h_k^2``.
* ``"worst"``: every interferer at its worst sign (eye closure ``sum |h_k|``), the classic worst-case eye.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from microlink.errors import ParameterError
from microlink.units import ber_to_q, q_to_ber

__all__ = ["q_to_ber", "ber_to_q", "q_factor", "nrz_ber", "sign_patterns", "pam_ber", "PAM_LEVELS"]


def q_factor(level_one, level_zero, sigma_one, sigma_zero):
    """Personick Q ``(mu1 - mu0)/(sigma1 + sigma0)`` [A, A, A, A -> 1]."""
    return (np.asarray(level_one) - np.asarray(level_zero)) / (np.asarray(sigma_one) + np.asarray(sigma_zero))


_PATTERNS: dict[int, np.ndarray] = {}


def sign_patterns(k: int) -> np.ndarray:
    """All ``2^k`` sign patterns as a ``[2^k, k]`` array of +-1 (cached)."""
    if k not in _PATTERNS:
        idx = np.arange(2**k)[:, None]
        _PATTERNS[k] = np.where((idx >> np.arange(k)[None, :]) & 1, 1.0, -1.0)
    return _PATTERNS[k]


def _tail(x):
    """Gaussian tail probability Phi_c(x) [1 -> 1]."""
    return 0.5 * special.erfc(x / np.sqrt(2.0))


def nrz_ber(main, interferers, amplitude, sigma_one, sigma_zero, *, method="average", exact_terms=6):
    """BER of an NRZ decision with binary interferers and level-dependent Gaussian noise.

    Parameters
    ----------
    main : array_like, shape [...]
        Normalised main cursor ``h0`` [1].
    interferers : array_like, shape [..., K]
        Normalised ISI cursors and crosstalk aggressors ``h_k`` [1] (any sign).
    amplitude : array_like, shape [...]
        Half the settled signal swing ``A`` [A].
    sigma_one, sigma_zero : array_like, shape [...]
        RMS Gaussian noise on a one / a zero [A].
    method : {"average", "worst"}
        Average over interferer patterns, or worst case.
    exact_terms : int
        With ``"average"``, how many of the largest interferers are enumerated exactly (0..12).

    Returns
    -------
    numpy.ndarray, shape [...]
        Bit error ratio in [0, 0.5].
    """
    if method not in ("average", "worst"):
        raise ParameterError("method", method, "average | worst")
    if not 0 <= exact_terms <= 12:
        raise ParameterError("exact_terms", exact_terms, "0 .. 12")
    h0 = np.asarray(main, dtype=float)
    h = np.asarray(interferers, dtype=float)
    if h.ndim == 0:
        h = h[None]
    a = np.asarray(amplitude, dtype=float)
    s1 = np.asarray(sigma_one, dtype=float)
    s0 = np.asarray(sigma_zero, dtype=float)
    if method == "worst":
        open_ = a * (h0 - np.abs(h).sum(axis=-1))
        th = a * h0 * (s0 - s1) / (s0 + s1)
        ber = 0.5 * (_tail((open_ - th) / s1) + _tail((open_ + th) / s0))
        return np.clip(ber, 0.0, 0.5)

    k = min(exact_terms, h.shape[-1])
    if k < h.shape[-1]:
        order = np.argsort(-np.abs(h), axis=-1)
        h_sorted = np.take_along_axis(h, order, axis=-1)
        top, rest = h_sorted[..., :k], h_sorted[..., k:]
    else:
        top, rest = h, h[..., :0]
    extra = a * a * np.sum(rest * rest, axis=-1)
    s1e = np.sqrt(s1 * s1 + extra)
    s0e = np.sqrt(s0 * s0 + extra)
    if k:  # compiled loop over points and patterns (no [..., 2^k] temporaries)
        from microlink.ber._kernels import nrz_average_kernel

        shape = np.broadcast_shapes(h0.shape, a.shape, s1e.shape, s0e.shape, top.shape[:-1])
        flat = [np.ascontiguousarray(np.broadcast_to(x, shape)).reshape(-1) for x in (h0, a, s1e, s0e)]
        top_f = np.ascontiguousarray(np.broadcast_to(top, shape + (k,))).reshape(-1, k)
        ber = nrz_average_kernel(flat[0], top_f, flat[1], flat[2], flat[3], sign_patterns(k))
        return np.clip(ber.reshape(shape), 0.0, 0.5)
    th = a * h0 * (s0e - s1e) / (s0e + s1e)
    isi = top @ sign_patterns(k).T if k else np.zeros(top.shape[:-1] + (1,))  # [..., 2^k]
    shift = a[..., None] * isi
    mark = (a * h0 - th)[..., None] + shift
    space = (a * h0 + th)[..., None] - shift
    ber = 0.5 * (_tail(mark / s1e[..., None]) + _tail(space / s0e[..., None])).mean(axis=-1)
    return np.clip(ber, 0.0, 0.5)


#: Symbol values of the PAM formats (relative to the outer level) and their Gray labels.
PAM_LEVELS = {
    "NRZ": (np.array([-1.0, 1.0]), np.array([0, 1])),
    "PAM4": (np.array([-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0]), np.array([0b00, 0b01, 0b11, 0b10])),
}


def _bit_errors(gray):
    x = gray[:, None] ^ gray[None, :]
    return np.vectorize(lambda v: bin(int(v)).count("1"))(x).astype(float)


def _patterns(level_sets):
    """Cartesian product of per-interferer level sets: ``[P, K]`` values and ``[P]`` probabilities."""
    vals = np.zeros((1, 0))
    for lv in level_sets:
        vals = np.concatenate([np.repeat(vals, lv.size, axis=0), np.tile(lv, vals.shape[0])[:, None]], axis=1)
    return vals


def pam_ber(main, interferers, amplitude, sigma_levels, thresholds, *, modulation="PAM4", aggressors=None,
            max_patterns=4096):
    """BER of an NRZ or PAM4 (Gray) decision with ISI, binary crosstalk and level-dependent Gaussian noise.

    Averages exactly over the patterns of the largest interferers (as many as fit in ``max_patterns``:
    12 NRZ cursors or 6 PAM4 cursors) and folds the rest into the Gaussian noise with their variance
    (``A^2 h_k^2 E[b^2]``, ``E[b^2]`` = 1 for NRZ and binary aggressors, 5/9 for PAM4). Every decided level
    counts its Gray bit errors.

    Parameters
    ----------
    main : array_like [...]
        Main cursor ``h0`` [1].
    interferers : array_like [..., K]
        ISI cursors [1] (taking the modulation's symbol values).
    amplitude : array_like [...]
        Half the swing between the outer levels ``A`` [A or V].
    sigma_levels : array_like [..., L]
        Gaussian noise rms on each level, bottom to top [A or V].
    thresholds : array_like [..., L-1]
        Decision thresholds, increasing [A or V].
    modulation : {"NRZ", "PAM4"}
    aggressors : array_like [..., M], optional
        Binary (+-1) interferers relative to ``A`` (crosstalk) [1].
    max_patterns : int
        Largest number of patterns enumerated exactly.

    Returns
    -------
    numpy.ndarray [...]
        Bit error ratio [1].
    """
    if modulation not in PAM_LEVELS:
        raise ParameterError("modulation", modulation, " | ".join(PAM_LEVELS))
    if not 1 <= int(max_patterns) <= 1 << 16:
        raise ParameterError("max_patterns", max_patterns, "1 .. 65536")
    lv, gray = PAM_LEVELS[modulation]
    n_l = lv.size
    h0 = np.asarray(main, dtype=float)
    h = np.asarray(interferers, dtype=float)
    if h.ndim == 0:
        h = h[None]
    g = np.zeros(h.shape[:-1] + (0,)) if aggressors is None else np.asarray(aggressors, dtype=float)
    if g.ndim == 0:
        g = g[None]
    a = np.asarray(amplitude, dtype=float)
    sig = np.asarray(sigma_levels, dtype=float)
    th = np.asarray(thresholds, dtype=float)
    if sig.shape[-1] != n_l or th.shape[-1] != n_l - 1:
        raise ParameterError("sigma_levels/thresholds", (sig.shape, th.shape), f"last axes {n_l} and {n_l - 1}")
    k_c = min(h.shape[-1], int(np.floor(np.log(max_patterns) / np.log(n_l) + 1e-9)))
    k_a = min(g.shape[-1], int(np.floor(np.log2(max_patterns / n_l**k_c) + 1e-9)))
    var_b = float(np.mean(lv**2))

    def top(x, k):
        order = np.argsort(-np.abs(x), axis=-1)
        xs = np.take_along_axis(x, order, axis=-1)
        return xs[..., :k], xs[..., k:]

    hc, hr = top(h, k_c)
    gc, gr = top(g, k_a)
    rest = a**2 * (var_b * np.sum(hr * hr, axis=-1) + np.sum(gr * gr, axis=-1))  # [...]
    pats = _patterns([lv] * k_c + [np.array([-1.0, 1.0])] * k_a)  # [P, k_c + k_a]
    coef = np.concatenate([hc, gc], axis=-1)  # [..., k]
    isi = a[..., None] * (coef @ pats.T) if pats.shape[1] else np.zeros(a.shape + (1,))  # [..., P]
    s_eff = np.sqrt(sig**2 + rest[..., None])  # [..., L]
    mu = (a * h0)[..., None] * lv  # [..., L]
    errs = _bit_errors(gray)
    # z[..., j, t, P]: standardised distance from level j (with pattern) to threshold t
    z = (th[..., None, :, None] - mu[..., :, None, None] - isi[..., None, None, :]) / s_eff[..., :, None, None]
    up = special.ndtr(-z).mean(axis=-1)  # P(y_j > th_t)  [..., L, T]
    down = special.ndtr(z).mean(axis=-1)  # P(y_j < th_t)
    ber = np.zeros(np.broadcast_shapes(a.shape, h0.shape))
    for j in range(n_l):
        for jj in range(n_l):
            if jj > j:
                p = up[..., j, jj - 1] - (up[..., j, jj] if jj < n_l - 1 else 0.0)
            elif jj < j:
                p = down[..., j, jj] - (down[..., j, jj - 1] if jj > 0 else 0.0)
            else:
                continue
            ber = ber + np.maximum(p, 0.0) * errs[j, jj]
    return ber / (n_l * np.log2(n_l))
