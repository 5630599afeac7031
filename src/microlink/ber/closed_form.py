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

__all__ = ["q_to_ber", "ber_to_q", "q_factor", "nrz_ber", "sign_patterns"]


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
