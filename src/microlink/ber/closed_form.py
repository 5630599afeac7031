"""Closed-form BER of M-level PAM decisions (NRZ = 2-PAM, PAM4) with Gaussian noise, ISI and crosstalk.

Signal model at the decision instant (A or V, relative to the mid level)::

    y = A (h0 s_0 + sum_k h_k s_k + sum_m g_m a_m) + n,

``s`` drawn uniformly from the normalised levels ``L_0 < ... < L_{M-1}`` (outer ones at -1 and +1 for an
undistorted eye; unequal spacing models compressed transfer curves), ``h0`` the main cursor, ``h_k`` residual
ISI cursors (the interfering symbols take the same levels), ``a_m`` in ``{-1, +1}`` binary crosstalk
aggressors of relative size ``g_m``, and ``n`` Gaussian noise whose rms ``sigma_j`` may differ per level
(shot and intensity noise grow with the optical level). Thresholds are given, or set where the tails of the
inner edges of adjacent levels are equal (each level pushed towards its neighbour by the enumerated
interferers' closure ``c``): ``th = (lo sigma_{j+1} + hi sigma_j) / (sigma_j + sigma_{j+1})`` with
``lo = mu_j + c``, ``hi = mu_{j+1} - c`` (:func:`~microlink.ber.model.decision_thresholds`).

Two estimates (``method``):

* ``"average"``: exact average over the ``M^K 2^A`` patterns of the ``K`` largest ISI cursors and the ``A``
  largest aggressors (a compiled loop without pattern-sized temporaries, or chunked NumPy under the ``numpy``
  engine of :mod:`microlink.kernels`); the others are folded into the noise as a
  Gaussian of variance ``A^2 (E[s^2] sum h_k^2 + sum g_m^2)``.
* ``"worst"``: every interferer at its worst value (eye closure ``sum |h_k| max|L| + sum |g_m|``) pushes every
  level towards both its thresholds, the classic worst-case eye.

Every decided level counts its Gray bit errors (``BER = sum_{i != j} P(j | i) bits(i, j) / (M log2 M)``); far
transitions whose tail is below 1e-16 of the adjacent one are skipped. For equal spacing and equal noise this
reduces to the textbook ``BER = (3/4) Q(A h0 / (3 sigma))`` of PAM4 (Proakis, *Digital Communications*, 5th
ed., sec. 4.3) and ``Q(A h0 / sigma)`` of NRZ.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy import special

from microlink import kernels
from microlink.ber.model import MODULATIONS, bit_errors_table, decision_thresholds
from microlink.errors import ParameterError
from microlink.units import ber_to_q, q_to_ber

__all__ = [
    "NRZ_LEVELS",
    "PAM4_LEVELS",
    "ber_to_q",
    "bits_per_symbol",
    "level_patterns",
    "nrz_ber",
    "pam_ber",
    "pam_levels",
    "q_factor",
    "q_to_ber",
    "sign_patterns",
    "symbol_variance",
    "transition_probabilities",
]

#: Normalised, equally spaced NRZ and PAM4 levels [1].
NRZ_LEVELS = MODULATIONS["NRZ"][0]
PAM4_LEVELS = MODULATIONS["PAM4"][0]
#: Largest number of interferer patterns the average may enumerate [1].
MAX_PATTERNS = 1 << 16
METHODS = ("average", "worst")


def pam_levels(modulation: str) -> np.ndarray:
    """Equally spaced normalised levels of ``"NRZ"`` or ``"PAM4"`` [1]."""
    if modulation not in MODULATIONS:
        raise ParameterError("modulation", modulation, " | ".join(MODULATIONS))
    return MODULATIONS[modulation][0].copy()


def bits_per_symbol(modulation: str) -> int:
    """``log2 M`` of the modulation [bit]."""
    return int(np.log2(len(pam_levels(modulation))))


def symbol_variance(levels) -> float:
    """Mean square of equiprobable normalised levels ``E[s^2]`` [1] (5/9 for PAM4, 1 for NRZ)."""
    lv = np.asarray(levels, dtype=float)
    return float(np.mean(lv * lv))


def q_factor(level_one, level_zero, sigma_one, sigma_zero):
    """Personick Q ``(mu1 - mu0)/(sigma1 + sigma0)`` [A, A, A, A -> 1]."""
    return (np.asarray(level_one) - np.asarray(level_zero)) / (np.asarray(sigma_one) + np.asarray(sigma_zero))


_PATTERNS: dict[tuple, np.ndarray] = {}


def level_patterns(k: int, levels) -> np.ndarray:
    """All ``M^k`` combinations of ``k`` symbols drawn from ``levels`` as a ``[M^k, k]`` array (cached)."""
    lv = tuple(float(x) for x in np.asarray(levels, dtype=float).reshape(-1))
    key = ("values", int(k), lv)
    if key not in _PATTERNS:
        rows = list(itertools.product(lv, repeat=int(k)))
        _PATTERNS[key] = np.array(rows, dtype=float).reshape(len(rows), int(k))
    return _PATTERNS[key]


def sign_patterns(k: int) -> np.ndarray:
    """All ``2^k`` sign patterns as a ``[2^k, k]`` array of +-1 (cached)."""
    return level_patterns(k, NRZ_LEVELS)


def _index_patterns(n_levels: int, k_isi: int, k_aggr: int) -> np.ndarray:
    """Symbol indices of every pattern: ``k_isi`` columns in ``0..n_levels-1``, then ``k_aggr`` in ``0..1``."""
    key = ("index", n_levels, k_isi, k_aggr)
    if key not in _PATTERNS:
        axes = [range(n_levels)] * k_isi + [range(2)] * k_aggr
        rows = list(itertools.product(*axes))
        _PATTERNS[key] = np.array(rows, dtype=np.int64).reshape(len(rows), k_isi + k_aggr)
    return _PATTERNS[key]


def transition_probabilities(up, down):
    """Probability of deciding level ``j'`` when ``j`` is sent, from threshold-crossing probabilities.

    Parameters
    ----------
    up, down : array_like [..., L, L-1]
        ``P(y_j > th_t)`` and ``P(y_j < th_t)`` for sent level ``j`` and threshold ``t`` [1]. Only the
        entries above (``up``, ``t >= j``) and below (``down``, ``t < j``) the sent level are read, so both
        tails keep their relative accuracy.

    Returns
    -------
    numpy.ndarray [..., L, L]
        ``P[..., j, j']``, zero on the diagonal [1].
    """
    up = np.asarray(up, dtype=float)
    down = np.asarray(down, dtype=float)
    n_l = up.shape[-2]
    zero = np.zeros(up.shape[:-2])
    prob = np.zeros(up.shape[:-2] + (n_l, n_l))
    for j in range(n_l):
        for jj in range(n_l):
            if jj > j:
                p = up[..., j, jj - 1] - (up[..., j, jj] if jj < n_l - 1 else zero)
            elif jj < j:
                p = down[..., j, jj] - (down[..., j, jj - 1] if jj > 0 else zero)
            else:
                continue
            prob[..., j, jj] = np.maximum(p, 0.0)
    return prob


def _crossing_weights(weight):
    """``w[j, t]``: bit errors gained when the value of sent level ``j`` crosses threshold ``t`` outwards,
    from the per-transition weights ``weight[j, j']`` [1] (``P(j'|j)`` telescopes into tail probabilities:
    ``sum_{j' > j} P(j'|j) weight[j, j'] = sum_{t >= j} P(y > th_t) (weight[j, t+1] - weight[j, t])``)."""
    n_l = weight.shape[0]
    w = np.zeros((n_l, n_l - 1))
    for j in range(n_l):
        for t in range(n_l - 1):
            w[j, t] = weight[j, t + 1] - weight[j, t] if t >= j else weight[j, t] - weight[j, t + 1]
    return w


def _largest(x, k):
    """The ``k`` entries of largest magnitude along the last axis, and the others."""
    if k >= x.shape[-1]:
        return x, x[..., :0]
    order = np.argsort(-np.abs(x), axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    return xs[..., :k], xs[..., k:]


def _check_levels(levels):
    if isinstance(levels, str):
        return pam_levels(levels)
    lv = np.asarray(levels, dtype=float)
    if lv.ndim == 0 or lv.shape[-1] not in (2, 4):
        raise ParameterError("levels", np.shape(levels), "a trailing axis of 2 (NRZ) or 4 (PAM4) levels")
    if not np.all(np.isfinite(lv)) or np.any(np.diff(lv, axis=-1) <= 0):
        raise ParameterError("levels", np.asarray(levels).tolist(), "finite, strictly increasing levels")
    return lv


def pam_ber(main, interferers, amplitude, sigma=None, *, levels=PAM4_LEVELS, level_sigma=None, thresholds=None,
            aggressors=None, method="average", exact_terms=4, max_patterns=4096):
    """BER of an M-PAM decision with ISI, binary crosstalk and level-dependent Gaussian noise.

    Parameters
    ----------
    main : array_like [...]
        Main cursor ``h0`` [1].
    interferers : array_like [..., K]
        ISI cursors ``h_k`` relative to the main signal scale [1] (any sign); the interfering symbols take
        the values of ``levels``.
    amplitude : array_like [...]
        Half the settled swing between the outer levels ``A`` [A or V].
    sigma : array_like [...], optional
        RMS Gaussian noise, the same on every level [A or V].
    levels : array_like [M] or [..., M], or ``"NRZ"`` / ``"PAM4"``
        Normalised levels in increasing order (outer levels at -1 and +1 for an undistorted eye) [1].
    level_sigma : array_like [..., M], optional
        RMS noise per level, bottom to top [A or V]; replaces ``sigma`` (one of the two is required).
    thresholds : array_like [..., M-1], optional
        Decision thresholds, increasing [A or V]; when omitted, the tails of the inner edges of adjacent levels
        are equalised (:func:`~microlink.ber.model.decision_thresholds`, the closure counting the
        enumerated interferers).
    aggressors : array_like [..., G], optional
        Binary (+-1) crosstalk interferers relative to ``A`` [1].
    method : {"average", "worst"}
        Exact average over interferer patterns, or every interferer at its worst value.
    exact_terms : int
        With ``"average"``, how many of the largest ISI cursors are enumerated exactly (``M^exact_terms``
        must not exceed ``max_patterns``).
    max_patterns : int
        Pattern budget (at most 65536); aggressors are enumerated exactly as far as it allows after the ISI
        cursors, the rest are Gaussian.

    Returns
    -------
    numpy.ndarray [...]
        Bit error ratio, clipped to [0, 0.5] [1].
    """
    if method not in METHODS:
        raise ParameterError("method", method, " | ".join(METHODS))
    if not (isinstance(max_patterns, (int, np.integer)) and 1 <= max_patterns <= MAX_PATTERNS):
        raise ParameterError("max_patterns", max_patterns, f"an integer 1 .. {MAX_PATTERNS}")
    lv = _check_levels(levels)
    m = lv.shape[-1]
    if not (isinstance(exact_terms, (int, np.integer)) and exact_terms >= 0 and m ** int(exact_terms) <= max_patterns):
        raise ParameterError("exact_terms", exact_terms, f"an integer >= 0 with {m}^exact_terms <= {max_patterns}")
    h0 = np.asarray(main, dtype=float)
    h = np.asarray(interferers, dtype=float)
    if h.ndim == 0:
        h = h[None]
    g = np.zeros(h.shape[:-1] + (0,)) if aggressors is None else np.asarray(aggressors, dtype=float)
    if g.ndim == 0:
        g = g[None]
    a = np.asarray(amplitude, dtype=float)
    if level_sigma is not None:
        sig = np.asarray(level_sigma, dtype=float)
        if sig.ndim == 0 or sig.shape[-1] != m:
            raise ParameterError("level_sigma", np.shape(level_sigma), f"a trailing axis of {m} levels")
    elif sigma is not None:
        sig = np.asarray(sigma, dtype=float)[..., None]
    else:
        raise ParameterError("sigma", None, "a noise rms: sigma [...] or level_sigma [..., M]")
    if not np.all(sig >= 0):
        raise ParameterError("sigma", float(np.nanmin(sig)), "finite values >= 0")
    mean_sq = np.mean(lv * lv, axis=-1)
    errtab = bit_errors_table(MODULATIONS["PAM4" if m == 4 else "NRZ"][1])

    if method == "worst":
        closure = np.abs(h).sum(axis=-1) * np.max(np.abs(lv), axis=-1) + np.abs(g).sum(axis=-1)
        s_eff = sig
        closure_isi = a * closure
    else:
        k_c = min(int(exact_terms), h.shape[-1])
        k_a = min(g.shape[-1], int(np.floor(np.log2(max_patterns / m**k_c) + 1e-9)))
        hc, hr = _largest(h, k_c)
        gc, gr = _largest(g, k_a)
        extra = (a * a) * (mean_sq * np.sum(hr * hr, axis=-1) + np.sum(gr * gr, axis=-1))
        s_eff = np.sqrt(sig * sig + np.asarray(extra)[..., None])
        # how far the enumerated interferers can push a level (the rest is in the Gaussian s_eff)
        closure_isi = a * (np.abs(hc).sum(axis=-1) * np.max(np.abs(lv), axis=-1) + np.abs(gc).sum(axis=-1))
    mu = (a * h0)[..., None] * lv  # [..., M]
    s_eff = np.broadcast_to(s_eff, np.broadcast_shapes(s_eff.shape, mu.shape))
    if thresholds is None:
        th = decision_thresholds(mu, s_eff, closure_isi)
    else:
        th = np.asarray(thresholds, dtype=float)
        if th.ndim == 0 or th.shape[-1] != m - 1 or np.any(np.diff(th, axis=-1) <= 0):
            raise ParameterError("thresholds", np.asarray(thresholds).tolist(), f"{m - 1} increasing values")
    norm = errtab / (m * np.log2(m))
    s_pos = np.maximum(s_eff, 1e-300)

    if method == "worst":
        c = (a * closure)[..., None, None]
        z = (th[..., None, :] - mu[..., :, None]) / s_pos[..., :, None]  # [..., M, M-1]
        up = special.ndtr(c / s_pos[..., :, None] - z)  # level pushed up by the closure
        down = special.ndtr(z + c / s_pos[..., :, None])  # level pushed down by the closure
        prob = transition_probabilities(up, down)
        return np.clip(np.sum(prob * norm, axis=(-2, -1)), 0.0, 0.5)

    k = k_c + k_a
    shape = np.broadcast_shapes(mu.shape[:-1], s_pos.shape[:-1], th.shape[:-1], hc.shape[:-1], gc.shape[:-1])
    n_v = max(m, 2)
    push = np.zeros(shape + (k, n_v))
    push[..., :k_c, :m] = (a[..., None, None] * hc[..., :, None]) * lv[..., None, :]
    push[..., k_c:, 0] = -(a[..., None] * gc)
    push[..., k_c:, 1] = a[..., None] * gc

    n_points = int(np.prod(shape, dtype=np.int64))

    def flat(x, tail):
        return np.ascontiguousarray(np.broadcast_to(x, shape + tail)).reshape((n_points,) + tail)

    weights = _crossing_weights(norm)
    patterns = _index_patterns(m, k_c, k_a)
    if m > 2 and level_sigma is None and thresholds is None and _equally_spaced(lv):
        # one noise rms and the midpoint thresholds: the levels' tails merge (pam_equal_average_kernel)
        if kernels.compiled():
            from microlink.ber._compiled import pam_equal_average_kernel as equal_average
        else:
            equal_average = _pam_equal_average
        up, down = _merged_weights(weights)
        half = th[..., 0] - mu[..., 0]
        c = (1.0 / np.sqrt(2.0)) / s_pos[..., 0]
        if patterns.shape[0] % 2 == 0 and np.array_equal(up, down) and np.array_equal(lv[..., ::-1], -lv):
            # levels symmetric about 0 and the same weights up and down: a pattern and its complement (every
            # symbol index j -> M-1-j, every aggressor flipped; index P -> N-1-P in the enumeration) shift the
            # levels by -s and s, whose two merged tails are the same two terms, so the first half of the
            # patterns has the average of all of them, in half the tails
            patterns = patterns[:patterns.shape[0] // 2]
        ber = equal_average(flat(half, ()), flat(c, ()), flat(push, (k, n_v)), patterns, up, down)
        return np.clip(ber.reshape(shape), 0.0, 0.5)
    if kernels.compiled():
        from microlink.ber._compiled import pam_average_kernel as average
    else:
        average = _pam_average
    ber = average(flat(mu, (m,)), flat(s_pos, (m,)), flat(th, (m - 1,)), flat(push, (k, n_v)), patterns, weights)
    return np.clip(ber.reshape(shape), 0.0, 0.5)


#: Largest relative spread of the level spacings still treated as equal spacing [1]: a few ulps, the rounding
#: of PAM4's -1, -1/3, 1/3, 1 (~1e-16). The merged tails use the first spacing for all, and an erfc tail at z
#: turns a relative distance error d into ~2 z^2 d of BER, so a looser test would move deep BERs.
EQUAL_SPACING_RTOL = 4.0 * np.finfo(float).eps


def _equally_spaced(levels) -> bool:
    """One set of levels (not per point) whose spacings agree to :data:`EQUAL_SPACING_RTOL`."""
    if levels.ndim != 1:
        return False
    steps = np.diff(levels)
    return bool(np.ptp(steps) <= EQUAL_SPACING_RTOL * steps[0])


def _merged_weights(crossing_weight):
    """``W_up[d] = sum_j w[j, j + d]``, ``W_down[d] = sum_j w[j, j - 1 - d]``: the crossing weights of every level
    at its ``d``-th threshold above and below [1] (see :func:`microlink.ber._compiled.pam_equal_average_kernel`)."""
    n_l = crossing_weight.shape[0]
    up, down = np.zeros(n_l - 1), np.zeros(n_l - 1)
    for j in range(n_l):
        for t in range(n_l - 1):
            if t >= j:
                up[t - j] += crossing_weight[j, t]
            else:
                down[j - 1 - t] += crossing_weight[j, t]
    return up, down


def _pam_equal_average(half, c, push, patterns, up_weight, down_weight):
    """NumPy implementation of :func:`microlink.ber._compiled.pam_equal_average_kernel` (same arguments, [N]
    BER); like :func:`_pam_average` it sums every tail, in chunks of points, elementwise per point."""
    n = half.shape[0]
    n_pat, k_int = patterns.shape
    n_d = up_weight.shape[0]
    odd = 2.0 * np.arange(n_d) + 1.0  # [D]
    out = np.empty(n)
    chunk = max(1, _AVERAGE_VALUES_IN_FLIGHT // max(2 * n_pat * n_d, 1))
    for start in range(0, n, chunk):
        sel = slice(start, min(n, start + chunk))
        shift = push[sel][:, np.arange(k_int)[None, :], patterns].sum(axis=-1)  # [n, P]
        reach = odd[None, None, :] * half[sel][:, None, None]  # [n, 1, D]
        ci = c[sel][:, None, None]
        terms = np.concatenate([up_weight * special.erfc((reach - shift[..., None]) * ci),
                                down_weight * special.erfc((reach + shift[..., None]) * ci)], axis=-1)
        out[sel] = 0.5 * terms.reshape(terms.shape[0], -1).sum(axis=-1) / n_pat
    return out


#: Values held at once by :func:`_pam_average` (points x patterns x levels x thresholds), ~16 MB.
_AVERAGE_VALUES_IN_FLIGHT = 2_000_000


def _pam_average(mu, sigma, thresholds, push, patterns, crossing_weight):
    """NumPy implementation of :func:`microlink.ber._compiled.pam_average_kernel` (same arguments, [N] BER).

    Every threshold's tail is summed (the kernel skips those below 1e-16 of the adjacent one), in chunks of
    points, each chunk's arithmetic elementwise: a point's BER does not depend on its batch.
    """
    n, n_l = mu.shape
    n_pat, k_int = patterns.shape
    t = np.arange(n_l - 1)
    above = t[None, :] >= np.arange(n_l)[:, None]  # [L, L-1]: threshold above the sent level
    out = np.empty(n)
    chunk = max(1, _AVERAGE_VALUES_IN_FLIGHT // max(n_pat * n_l * max(n_l - 1, 1), 1))
    for start in range(0, n, chunk):
        sel = slice(start, min(n, start + chunk))
        shift = push[sel][:, np.arange(k_int)[None, :], patterns].sum(axis=-1)  # [n, P]
        x = mu[sel][:, None, :] + shift[:, :, None]  # [n, P, L]
        c = (1.0 / np.sqrt(2.0)) / sigma[sel]  # [n, L]
        d = thresholds[sel][:, None, None, :] - x[..., None]  # [n, P, L, L-1]
        z = np.where(above, d, -d) * c[:, None, :, None]
        terms = crossing_weight * special.erfc(z)
        acc = terms.reshape(terms.shape[0], -1).sum(axis=-1)  # one contiguous row per point
        out[sel] = 0.5 * acc / n_pat
    return out


def nrz_ber(main, interferers, amplitude, sigma_one, sigma_zero, *, method="average", exact_terms=6):
    """NRZ BER with binary interferers and level-dependent noise: :func:`pam_ber` with two levels.

    ``interferers`` [..., K] are ISI cursors and crosstalk aggressors alike (binary for NRZ) [1];
    ``sigma_one`` / ``sigma_zero`` the noise rms on a one / a zero [A or V]; the threshold equalises the tails
    of the inner eye's edges (:func:`~microlink.ber.model.decision_thresholds`).
    """
    s1 = np.asarray(sigma_one, dtype=float)
    s0 = np.asarray(sigma_zero, dtype=float)
    both = np.stack(np.broadcast_arrays(s0, s1), axis=-1)
    return pam_ber(main, interferers, amplitude, levels=NRZ_LEVELS, level_sigma=both, method=method,
                   exact_terms=exact_terms)
