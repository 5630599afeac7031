"""Closed-form BER of M-level PAM decisions (PAM4, and NRZ as M = 2) with Gaussian noise and ISI.

Signal model at the decision instant (volts or amperes, relative to the mean level)::

    y = A (h0 s0 + sum_k h_k s_k) + n,    s_k uniformly drawn from the normalised levels L_i,

where ``A`` is half the settled swing between the outer levels (so the outer levels sit at ``+-A h0`` when
``L = (-1, -1/3, 1/3, 1)``), ``h0`` the main cursor, ``h_k`` residual ISI cursors and crosstalk aggressors
(each an independent PAM symbol stream), and ``n`` Gaussian noise whose rms may differ per level (shot and
intensity noise grow with the optical level). Levels may be unequally spaced (transmitter non-linearity,
modulator transfer curves); thresholds sit between adjacent levels where the two Gaussians cross at equal
Q, ``th = (mu_i sigma_{i+1} + mu_{i+1} sigma_i) / (sigma_i + sigma_{i+1})``.

With Gray coding an error into an adjacent level costs one of the ``log2 M`` bits of the symbol, so

``BER = 1 / (M log2 M) sum_i [ Q((th_i^+ - mu_i)/sigma_i) + Q((mu_i - th_i^-)/sigma_i) ]``,

averaged exactly over the ``M^K`` patterns of the ``K`` largest interferers; the others are folded into the
noise as a Gaussian of variance ``A^2 E[s^2] sum h_k^2``. For equal spacing and equal noise this reduces to
the textbook ``BER = (3/4) Q(A h0 / (3 sigma))`` of PAM4 (Proakis, *Digital Communications*, 5th ed.,
sec. 4.3) and ``Q(A h0 / sigma)`` of NRZ.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy import special

from microlink.errors import ParameterError

__all__ = [
    "NRZ_LEVELS",
    "PAM4_LEVELS",
    "bits_per_symbol",
    "level_patterns",
    "pam4_ber",
    "pam_ber",
    "pam_levels",
    "symbol_variance",
]

#: Normalised, equally spaced PAM4 and NRZ levels [1].
PAM4_LEVELS = np.array([-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0])
NRZ_LEVELS = np.array([-1.0, 1.0])


def pam_levels(modulation: str) -> np.ndarray:
    """Equally spaced normalised levels of ``"NRZ"`` or ``"PAM4"`` [1]."""
    if modulation == "PAM4":
        return PAM4_LEVELS.copy()
    if modulation == "NRZ":
        return NRZ_LEVELS.copy()
    raise ParameterError("modulation", modulation, "NRZ | PAM4")


def bits_per_symbol(modulation: str) -> int:
    """``log2 M`` of the modulation [bit]."""
    return int(np.log2(len(pam_levels(modulation))))


def symbol_variance(levels) -> float:
    """Mean square of equiprobable normalised levels ``E[s^2]`` [1] (5/9 for PAM4, 1 for NRZ)."""
    lv = np.asarray(levels, dtype=float)
    return float(np.mean(lv * lv))


_PATTERNS: dict[tuple[int, tuple[float, ...]], np.ndarray] = {}


def level_patterns(k: int, levels) -> np.ndarray:
    """All ``M^k`` combinations of ``k`` symbols as a ``[M^k, k]`` array (cached)."""
    lv = tuple(float(x) for x in np.asarray(levels, dtype=float))
    key = (k, lv)
    if key not in _PATTERNS:
        if k == 0:
            _PATTERNS[key] = np.zeros((1, 0))
        else:
            _PATTERNS[key] = np.array(list(itertools.product(lv, repeat=k)))
    return _PATTERNS[key]


def _tail(x):
    """Gaussian tail probability ``Q(x)`` [1 -> 1]."""
    return 0.5 * special.erfc(np.asarray(x, dtype=float) / np.sqrt(2.0))


def pam_ber(main, interferers, amplitude, sigma, *, levels=PAM4_LEVELS, level_sigma=None, method="average",
            exact_terms=4):
    """BER of an M-PAM decision with residual ISI / crosstalk interferers and level-dependent Gaussian noise.

    Parameters
    ----------
    main : array_like [...]
        Main cursor ``h0`` [1].
    interferers : array_like [..., K]
        ISI cursors and crosstalk aggressors ``h_k`` relative to the main signal scale [1] (any sign).
    amplitude : array_like [...]
        Half the settled swing between the outer levels ``A`` [A or V].
    sigma : array_like [...]
        RMS Gaussian noise, the same on every level [A or V].
    levels : array_like [M] or [..., M]
        Normalised levels in increasing order (outer levels at -1 and +1 for an undistorted eye) [1].
        Interfering symbols are drawn from the ideal equally spaced levels (their distortion is a
        second-order effect on already small cursors).
    level_sigma : array_like [..., M], optional
        RMS noise per level [A or V]; replaces ``sigma`` when given.
    method : {"average", "worst"}
        Exact average over interferer patterns, or every interferer at its worst value (eye closure
        ``sum |h_k| max|L|``).
    exact_terms : int
        With ``"average"``, how many of the largest interferers are enumerated exactly (0..6).

    Returns
    -------
    numpy.ndarray [...]
        Bit error ratio in [0, 0.5].
    """
    if method not in ("average", "worst"):
        raise ParameterError("method", method, "average | worst")
    if not 0 <= exact_terms <= 6:
        raise ParameterError("exact_terms", exact_terms, "0 .. 6")
    lv = np.asarray(levels, dtype=float)
    m = lv.shape[-1]
    if m < 2:
        raise ParameterError("levels", levels, "at least two levels")
    if np.any(np.diff(lv, axis=-1) <= 0):
        raise ParameterError("levels", levels, "strictly increasing levels")
    bits = np.log2(m)
    h0 = np.asarray(main, dtype=float)
    h = np.asarray(interferers, dtype=float)
    if h.ndim == 0:
        h = h[None]
    a = np.asarray(amplitude, dtype=float)
    if level_sigma is not None:
        sig_l = np.asarray(level_sigma, dtype=float)
        if sig_l.ndim == 0 or sig_l.shape[-1] != m:
            raise ParameterError("level_sigma", np.shape(level_sigma), f"a trailing axis of {m} levels")
    else:
        sig_l = np.asarray(sigma, dtype=float)[..., None]  # [..., 1]
    if np.any(sig_l < 0):
        raise ParameterError("sigma", float(np.min(sig_l)), ">= 0")
    mean_sq = np.mean(lv * lv, axis=-1)

    if method == "worst":
        closure = np.abs(h).sum(axis=-1) * np.max(np.abs(lv), axis=-1)
        extra = np.zeros_like(closure)
        top = None
    else:
        k = min(exact_terms, h.shape[-1])
        if k < h.shape[-1]:
            order = np.argsort(-np.abs(h), axis=-1)
            h_sorted = np.take_along_axis(h, order, axis=-1)
            top, rest = h_sorted[..., :k], h_sorted[..., k:]
        else:
            top, rest = h, h[..., :0]
        extra = (a * a) * mean_sq * np.sum(rest * rest, axis=-1)
        closure = None

    s_eff = np.sqrt(sig_l**2 + np.asarray(extra)[..., None])  # [..., M]
    mu = (a * h0)[..., None] * lv  # [..., M] level means
    s_eff = np.maximum(np.broadcast_to(s_eff, np.broadcast_shapes(s_eff.shape, mu.shape)), 1e-300)
    th = (mu[..., :-1] * s_eff[..., 1:] + mu[..., 1:] * s_eff[..., :-1]) / (s_eff[..., :-1] + s_eff[..., 1:])

    if method == "worst":
        shift_mag = (a * closure)[..., None]  # every level pushed toward both thresholds by the closure
        up = _tail((th - mu[..., :-1] - shift_mag) / s_eff[..., :-1])  # level i crossing upward
        down = _tail((mu[..., 1:] - th - shift_mag) / s_eff[..., 1:])  # level i+1 crossing downward
        ber = (up.sum(axis=-1) + down.sum(axis=-1)) / (m * bits)
        return np.clip(ber, 0.0, 0.5)

    k = top.shape[-1]
    if k:
        pats = level_patterns(k, np.linspace(-1.0, 1.0, m))
        isi = top @ pats.T  # [..., P]
    else:
        isi = np.zeros(top.shape[:-1] + (1,))
    shift = (a[..., None] if np.ndim(a) else a) * isi  # [..., P]
    # For each pattern and each inner threshold: upward error of the lower level, downward of the upper.
    up = _tail((th[..., None, :] - mu[..., None, :-1] - shift[..., :, None]) / s_eff[..., None, :-1])
    down = _tail((mu[..., None, 1:] + shift[..., :, None] - th[..., None, :]) / s_eff[..., None, 1:])
    ber = (up.sum(axis=-1) + down.sum(axis=-1)).mean(axis=-1) / (m * bits)
    return np.clip(ber, 0.0, 0.5)


def pam4_ber(main, interferers, amplitude, sigma, *, levels=PAM4_LEVELS, level_sigma=None, method="average",
             exact_terms=4):
    """PAM4 BER; :func:`pam_ber` with the four PAM4 levels (see there)."""
    lv = np.asarray(levels, dtype=float)
    if lv.shape[-1] != 4:
        raise ParameterError("levels", levels, "four PAM4 levels")
    return pam_ber(main, interferers, amplitude, sigma, levels=lv, level_sigma=level_sigma, method=method,
                   exact_terms=exact_terms)
