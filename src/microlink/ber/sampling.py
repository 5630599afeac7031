"""Pulse responses of arbitrary link chains and sampling of an oversampled pulse at any instant.

:mod:`microlink.ber.pulse` builds the cascade used by the link models (real poles, Butterworth sections,
Gaussian) in batches; this module adds a chain of arbitrary transfer functions, the discrete single-pole
RC of the common benchmark case, and linear-interpolation sampling used by the BER methods whenever the
sampling instant is not on the oversampling grid (given phases, jitter).
"""

from __future__ import annotations

import numpy as np

from microlink.errors import ParameterError
from microlink.signals import rectangular_symbol_spectrum

__all__ = ["sample_pulse", "pulse_response", "single_pole_pulse"]


def sample_pulse(pulse, samples_per_symbol, times):
    """Pulse value at arbitrary times by linear interpolation between its samples [1, 1, UI -> 1].

    ``pulse`` has shape ``[N]``; ``times`` any shape ``[...]`` in UI from the first sample. Outside the
    window the pulse is zero (the window must hold the whole response).
    """
    p = np.asarray(pulse, dtype=float)
    pos = np.asarray(times, dtype=float) * samples_per_symbol
    return np.interp(pos, np.arange(p.shape[-1]), p, left=0.0, right=0.0)


def pulse_response(transfer_functions, samples_per_symbol=16, n_symbols=64, *, delay=2.0):
    """Oversampled pulse response of any chain of linear blocks (transmitter x channel x receiver).

    Parameters
    ----------
    transfer_functions : sequence of callable
        Each maps normalised frequency ``nu = f / R_s`` [cycles/UI] (ndarray) to a complex response [1];
        the chain is their product, applied to a rectangular one-UI transmit pulse
        (:func:`~microlink.signals.rectangular_symbol_spectrum`: the chain must roll off well below
        ``samples_per_symbol / 2`` cycles per UI, or the pulse rings). Normalise each to 1 at DC for a
        settled level of 1.
    samples_per_symbol : int
        Oversampling factor.
    n_symbols : int
        Window length [UI]; it must hold the whole response (check that the tail has decayed).
    delay : float
        Delay applied so that acausal responses (Gaussian, linear phase) fit in the window [UI].

    Returns
    -------
    t : ndarray [N]
        Time [UI].
    pulse : ndarray [N]
        Pulse response [1].
    """
    if int(samples_per_symbol) < 1 or int(n_symbols) < 2:
        raise ParameterError("samples_per_symbol/n_symbols", (samples_per_symbol, n_symbols), ">= 1 and >= 2")
    sps = int(samples_per_symbol)
    n = int(n_symbols) * sps
    nu = np.fft.rfftfreq(n, d=1.0 / sps)
    h = np.exp(-2j * np.pi * nu * float(delay))
    for tf in transfer_functions:
        if not callable(tf):
            raise ParameterError("transfer_functions", tf, "callables of normalised frequency")
        h = h * np.asarray(tf(nu), dtype=complex)
    pulse = np.fft.irfft(rectangular_symbol_spectrum(nu, sps) * h, n=n)
    return np.arange(n) / sps, pulse


def single_pole_pulse(samples_per_symbol, bandwidth=0.5, *, tolerance=1e-12):
    """Rectangular pulse through the discrete single-pole RC of the common benchmark case.

    The filter is ``y[n] = y[n-1] + a (x[n] - y[n-1])`` with ``a = 1 - exp(-2 pi bandwidth / SPS)``, ``bandwidth``
    being the 3-dB corner over the baud rate [1] (0.5 in the common benchmark case). The response is truncated
    where it has decayed below ``tolerance`` and padded to whole unit intervals.

    Returns
    -------
    t : ndarray [N]
        Time [UI].
    pulse : ndarray [N]
        Pulse response, settled level 1 [1]; sample ``n`` is the filter output at input sample ``n``.
    """
    sps = int(samples_per_symbol)
    if sps < 1 or not bandwidth > 0 or not 0 < tolerance < 1:
        raise ParameterError("samples_per_symbol/bandwidth/tolerance", (samples_per_symbol, bandwidth, tolerance),
                             "sps >= 1, bandwidth > 0, 0 < tolerance < 1")
    a = 1.0 - np.exp(-2.0 * np.pi * bandwidth / sps)
    decay = 1.0 - a  # per sample
    n_tail = int(np.ceil(np.log(tolerance) / np.log(decay))) if decay > 0 else 1
    n_ui = int(np.ceil((sps + n_tail) / sps)) + 1
    n = np.arange(n_ui * sps)
    rise = 1.0 - decay ** (n + 1)  # response to the step at sample 0, output at n
    pulse = np.where(n < sps, rise, (1.0 - decay**sps) * decay ** (n - sps + 1))
    return n / sps, pulse
