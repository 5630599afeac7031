"""Pulse responses of cascaded filters and the cursors seen by a symbol-rate sampler.

Frequencies are normalised to the symbol rate (``nu = f / R_s``, cycles per unit interval) so that one
frequency grid serves design points with different lane rates. The transmitted symbol is a rectangular
NRZ pulse of one unit interval; the cascade is a product of

* real poles (``bandwidth / R_s``): ``1 / (1 + j nu / b)``,
* 2nd-order Butterworth sections: ``1 / (1 - x^2 + j sqrt2 x)``, ``x = nu / b``,
* a Gaussian of rms width ``sigma`` (in UI): ``exp(-2 (pi nu sigma)^2)`` (fiber dispersion),

each normalised to unity at DC, so the settled response to a long run of ones is 1.

The sampling phase maximises the worst-case eye opening ``h0 - sum |h_k|``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Upper bound on the number of complex samples held at once (bounds memory to ~128 MiB).
MAX_SAMPLES_IN_FLIGHT = 1 << 23


@dataclass(frozen=True)
class Cursors:
    """Cursors of a batch of pulse responses, compact enough for a million design points.

    Attributes
    ----------
    main : ndarray [...]
        Main cursor [1].
    largest : ndarray [..., K]
        The K largest-magnitude ISI cursors (signed) [1].
    rest_sum_squares : ndarray [...]
        Sum of squares of the other ISI cursors [1].
    rest_sum_abs : ndarray [...]
        Sum of magnitudes of the other ISI cursors [1].
    phase : ndarray [...]
        Chosen sampling phase within the unit interval [UI].
    """

    main: np.ndarray
    largest: np.ndarray
    rest_sum_squares: np.ndarray
    rest_sum_abs: np.ndarray
    phase: np.ndarray

    @property
    def isi_abs_sum(self):
        """Sum of all ISI cursor magnitudes [1]."""
        return np.abs(self.largest).sum(axis=-1) + self.rest_sum_abs


def window_symbols(pole_bandwidths, butterworth_bandwidths, gaussian_rms, minimum=16, maximum=4096) -> int:
    """Number of unit intervals needed to hold the pulse response until it has decayed [1/UI... -> int].

    Each real pole needs ~14 time constants (decay to 1e-6), each Butterworth section ~ 10 periods of its
    corner, the Gaussian +-6 sigma plus the delay we give it. Rounded up to a power of two.
    """
    span = 8.0
    for b in pole_bandwidths:
        span += 14.0 / (2.0 * np.pi * float(np.min(b)))
    for b in butterworth_bandwidths:
        span += 10.0 / float(np.min(b))
    span += 12.0 * float(np.max(gaussian_rms))
    n = 1 << int(np.ceil(np.log2(max(span, minimum))))
    return int(min(max(n, minimum), maximum))


def cascade_response(nu, pole_bandwidths=(), butterworth_bandwidths=(), gaussian_rms=None, delay=0.0):
    """Complex transfer function of the cascade on normalised frequencies ``nu`` [cycles/UI -> 1].

    Parameter arrays have shape ``[...]``; the result has shape ``[..., len(nu)]``.
    """
    nu = np.asarray(nu, dtype=float)
    h = np.exp(-2j * np.pi * nu * np.asarray(delay, dtype=float)[..., None]) if np.ndim(delay) else np.exp(
        -2j * np.pi * nu * float(delay)
    )
    for b in pole_bandwidths:
        h = h / (1.0 + 1j * nu / np.asarray(b, dtype=float)[..., None])
    for b in butterworth_bandwidths:
        x = nu / np.asarray(b, dtype=float)[..., None]
        h = h / (1.0 - x * x + 1j * np.sqrt(2.0) * x)
    if gaussian_rms is not None:
        s = np.asarray(gaussian_rms, dtype=float)[..., None]
        h = h * np.exp(-2.0 * (np.pi * nu * s) ** 2)
    return h


def nrz_pulse(pole_bandwidths=(), butterworth_bandwidths=(), gaussian_rms=0.0, pre_emphasis=0.0,
              samples_per_symbol=16, n_symbols=None):
    """Oversampled NRZ pulse response of the cascade.

    Parameters
    ----------
    pole_bandwidths, butterworth_bandwidths : sequence of array_like [...]
        Corner frequencies normalised to the symbol rate [1].
    gaussian_rms : array_like [...]
        Gaussian impulse-response rms width [UI].
    pre_emphasis : array_like [...]
        Two-tap transmit de-emphasis coefficient ``alpha``; the pulse becomes
        ``(p(t) - alpha p(t - T)) / (1 - alpha)`` (settled level unchanged).
    samples_per_symbol : int
        Oversampling factor.
    n_symbols : int, optional
        Window length [UI]; chosen from the slowest element when omitted.

    Returns
    -------
    t : ndarray [N]
        Time [UI].
    pulse : ndarray [..., N]
        Pulse response (settled response to a run of ones is 1).
    """
    g = np.asarray(gaussian_rms, dtype=float)
    if n_symbols is None:
        n_symbols = window_symbols(pole_bandwidths, butterworth_bandwidths, g)
    n = n_symbols * samples_per_symbol
    nu = np.fft.rfftfreq(n, d=1.0 / samples_per_symbol)
    rect = np.zeros(n)
    rect[:samples_per_symbol] = 1.0 / samples_per_symbol * samples_per_symbol  # height 1 for one UI
    # Delay keeps the acausal Gaussian (and pre-cursors) inside the window.
    delay = 2.0 + 6.0 * g
    h = cascade_response(nu, pole_bandwidths, butterworth_bandwidths, g, delay=delay)
    spec = np.fft.rfft(rect) * h
    pulse = np.fft.irfft(spec, n=n, axis=-1)
    a = np.asarray(pre_emphasis, dtype=float)
    if np.any(a != 0):
        a = a[..., None]
        pulse = (pulse - a * np.roll(pulse, samples_per_symbol, axis=-1)) / (1.0 - a)
    t = np.arange(n) / samples_per_symbol
    return t, pulse


def cursors_from_pulse(pulse, samples_per_symbol, n_largest=8):
    """Sample a batch of pulses once per UI at the phase that opens the eye most.

    Parameters
    ----------
    pulse : ndarray [..., N]
        Oversampled pulse responses (N a multiple of ``samples_per_symbol``).
    samples_per_symbol : int
        Oversampling factor.
    n_largest : int
        How many ISI cursors to keep individually.

    Returns
    -------
    Cursors
    """
    shape = pulse.shape[:-1]
    n_ui = pulse.shape[-1] // samples_per_symbol
    c = pulse.reshape(shape + (n_ui, samples_per_symbol))  # [..., ui, phase]
    cm = c.max(axis=-2)
    metric = 2.0 * cm - np.abs(c).sum(axis=-2)
    phase = np.argmax(metric, axis=-1)  # [...]
    cur = np.take_along_axis(c, phase[..., None, None], axis=-1)[..., 0]  # [..., ui]
    main_idx = np.argmax(cur, axis=-1)
    main = np.take_along_axis(cur, main_idx[..., None], axis=-1)[..., 0]
    isi = cur.copy()
    np.put_along_axis(isi, main_idx[..., None], 0.0, axis=-1)
    k = min(n_largest, n_ui - 1)
    idx = np.argpartition(-np.abs(isi), k - 1, axis=-1)[..., :k] if k > 0 else np.zeros(shape + (0,), int)
    largest = np.take_along_axis(isi, idx, axis=-1)
    total_sq = np.sum(isi * isi, axis=-1)
    total_abs = np.sum(np.abs(isi), axis=-1)
    rest_sq = np.maximum(total_sq - np.sum(largest * largest, axis=-1), 0.0)
    rest_abs = np.maximum(total_abs - np.sum(np.abs(largest), axis=-1), 0.0)
    return Cursors(main, largest, rest_sq, rest_abs, phase / samples_per_symbol)


def nrz_cursors(pole_bandwidths=(), butterworth_bandwidths=(), gaussian_rms=0.0, pre_emphasis=0.0,
                samples_per_symbol=16, n_largest=8):
    """Cursors of the cascade for a batch of design points, computed in memory-bounded chunks.

    All parameter arrays broadcast to a common shape ``[...]``; see :func:`nrz_pulse` for their meaning.
    """
    arrays = [np.asarray(b, dtype=float) for b in pole_bandwidths] + [
        np.asarray(b, dtype=float) for b in butterworth_bandwidths
    ] + [np.asarray(gaussian_rms, dtype=float), np.asarray(pre_emphasis, dtype=float)]
    shape = np.broadcast_shapes(*[a.shape for a in arrays])
    flat = [np.broadcast_to(a, shape).reshape(-1) for a in arrays]
    n_p, n_b = len(pole_bandwidths), len(butterworth_bandwidths)
    total = int(np.prod(shape, dtype=np.int64))
    n_symbols = window_symbols(flat[:n_p], flat[n_p:n_p + n_b], flat[n_p + n_b])
    per_point = n_symbols * samples_per_symbol
    chunk = max(1, MAX_SAMPLES_IN_FLIGHT // per_point)
    parts = []
    for start in range(0, max(total, 1), chunk):
        sl = slice(start, min(start + chunk, total))
        poles = [f[sl] for f in flat[:n_p]]
        butter = [f[sl] for f in flat[n_p:n_p + n_b]]
        _, p = nrz_pulse(poles, butter, flat[n_p + n_b][sl], flat[n_p + n_b + 1][sl], samples_per_symbol, n_symbols)
        parts.append(cursors_from_pulse(p, samples_per_symbol, n_largest))
    k = parts[0].largest.shape[-1]
    return Cursors(
        np.concatenate([p.main for p in parts]).reshape(shape),
        np.concatenate([p.largest for p in parts]).reshape(shape + (k,)),
        np.concatenate([p.rest_sum_squares for p in parts]).reshape(shape),
        np.concatenate([p.rest_sum_abs for p in parts]).reshape(shape),
        np.concatenate([p.phase for p in parts]).reshape(shape),
    )
