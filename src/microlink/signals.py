"""Linear-filter primitives shared by the device and channel models: transfer functions on frequency grids.

Every function is a pure, broadcasting function of a frequency array and its corner parameters; all
responses are complex and dimensionless (unity at DC unless stated). Frequencies may be physical [Hz] or
normalised to a symbol rate [cycles/UI], as long as the corners use the same unit.

* single real pole ``1 / (1 + j f / f_p)``;
* ``n``-th order Butterworth low-pass from its poles ``s_k = w_c exp(j pi (2k + n - 1) / (2n))``
  (Butterworth, *Wireless Engineer* 7, 536 (1930); any filter-design text, e.g. Oppenheim & Schafer,
  *Discrete-Time Signal Processing*, 3rd ed., sec. 7.1);
* Gaussian impulse response of rms width ``sigma``: ``exp(-2 (pi f sigma)^2)``;
* the continuous-time linear equaliser (CTLE) of the IEEE 802.3 Channel Operating Margin (Annex 93A, eq.
  93A-22, with the low-frequency pole/zero pair of 802.3ck);
* symbol-spaced FIR ``sum_k c_k exp(-j 2 pi nu (k - main))``;
* the rectangular one-UI NRZ symbol, ``sinc(nu) exp(-j pi nu)`` (its continuous-time transform);
* minimum-phase response from a magnitude by the folded real cepstrum (Oppenheim & Schafer, sec. 5.6).

This module imports nothing from the package: devices, channels and the BER layer all build on it.
"""

from __future__ import annotations

import numpy as np

#: dB per neper, ``20 / ln 10``.
NEPER_TO_DB = 20.0 / np.log(10.0)


def rectangular_symbol_spectrum(normalised_frequency, samples_per_symbol):
    """``rfft``-scaled spectrum of the one-UI rectangular symbol of unit height [cycles/UI, 1 -> 1].

    ``sps sinc(nu) exp(-j pi nu)``: the continuous-time transform of a rectangle from 0 to 1 UI, times the
    ``sps`` samples per UI that the discrete transform of its samples sums over (its DC value). A pulse built
    as ``irfft(rectangular_symbol_spectrum(nu, sps) * H(nu))`` is then the band-limited image of the filtered
    continuous rectangle, exact but for the part of ``|sinc H|`` above the window's Nyquist frequency
    (``sps / 2`` cycles per UI), so ``H`` must roll off well below it: with little or no filtering the pulse
    rings (Gibbs) where the sampled rectangle would be exact. The transform of the *sampled* rectangle (``sps``
    ones) is this spectrum with its images above the Nyquist frequency folded in: ``1 / sinc(nu / sps)``
    times it, half a sample early, an excess of order ``(pi nu / sps)^2 / 6`` (it left a micro-LED eye ~2e-3
    of its opening too open at 16 samples per UI; 0.6 % of the spectrum at a SerDes's Nyquist frequency at
    8). Zero at the Nyquist bin for even ``sps``; for odd ``sps`` that bin is complex and ``irfft`` keeps its
    real part.
    """
    nu = np.asarray(normalised_frequency, dtype=float)
    return float(samples_per_symbol) * np.sinc(nu) * np.exp(-1j * np.pi * nu)


def complex_from_parts(re, im):
    """A complex array from its real and imaginary parts (broadcasting) [1, 1 -> 1], with no arithmetic."""
    out = np.empty(np.broadcast_shapes(np.shape(re), np.shape(im)), dtype=complex)
    out.real, out.imag = re, im
    return out


def complex_product(a, b):
    """``a b`` of complex arrays (broadcasting) from real operations only [1, 1 -> 1].

    NumPy's complex loops may take a fused multiply-add on some elements and not on others, depending on the
    arrays' alignment and length, so a design point's value would depend on its batch by an ulp; real
    multiplies and adds are each rounded alike wherever they run.
    """
    a, b = np.asarray(a), np.asarray(b)
    return complex_from_parts(a.real * b.real - a.imag * b.imag, a.real * b.imag + a.imag * b.real)


def single_pole_response(frequency, bandwidth):
    """Single real pole ``1 / (1 + j f / f_p)`` [Hz, Hz -> 1]."""
    return 1.0 / (1.0 + 1j * np.asarray(frequency, dtype=float) / np.asarray(bandwidth, dtype=float))


def butterworth_response(frequency, bandwidth, order=4):
    """Complex response of an ``order``-th order Butterworth low-pass [Hz, Hz, 1 -> 1].

    Poles ``s_k = w_c exp(j pi (2k + n - 1)/(2n))``, ``k = 1..n``; unity gain at DC, ``|H|^2 = 1/2`` at
    ``bandwidth``.
    """
    f = np.asarray(frequency, dtype=float)
    fc = np.asarray(bandwidth, dtype=float)
    x = 1j * f / fc  # s / w_c
    h = np.ones(np.broadcast_shapes(f.shape, np.shape(fc)), dtype=complex)
    for k in range(1, order + 1):
        p = np.exp(1j * np.pi * (2 * k + order - 1) / (2 * order))
        h = h * (-p) / (x - p)
    return h


def gaussian_response(frequency, rms_width):
    """Response of a Gaussian impulse response of rms width ``sigma``: ``exp(-2 (pi f sigma)^2)`` [Hz, s -> 1].

    Real (zero phase: the pulse is centred on its own delay).
    """
    return np.exp(-2.0 * (np.pi * np.asarray(frequency, dtype=float) * np.asarray(rms_width, dtype=float)) ** 2)


def ctle_response(frequency, symbol_rate, dc_gain_db, *, zero_ratio=0.4, pole1_ratio=0.4, pole2_ratio=1.0,
                  low_frequency_gain_db=0.0, low_frequency_ratio=1.0 / 80.0):
    """COM-style CTLE ``(g + j f/f_z)/((1 + j f/f_p1)(1 + j f/f_p2)) x (g2 + j f/f_LF)/(1 + j f/f_LF)``.

    Parameters
    ----------
    frequency : array_like [...]
        Frequency [Hz].
    symbol_rate : array_like
        Symbol rate ``f_b`` [Bd]; the corner frequencies are ratios of it (802.3ck: ``f_z = f_p1 = f_b/2.5``,
        ``f_p2 = f_b``, ``f_LF = f_b/80``).
    dc_gain_db, low_frequency_gain_db : array_like
        DC gains ``20 log10 g`` and ``20 log10 g2`` (<= 0: the CTLE attenuates low frequencies) [dB].

    Returns
    -------
    numpy.ndarray [...] complex
        Response normalised so that with ``f_z = f_p1`` the high-frequency gain is 1 [1].

    Notes
    -----
    The response is affine in the linear DC gain ``g``: ``H = (g + j f/f_z) K(f)`` with ``K`` the poles and
    the low-frequency stage (see :func:`ctle_gain_basis`), so pulses and noise of a whole gain grid follow
    from two responses.
    """
    f = np.asarray(frequency, dtype=float)
    fb = np.asarray(symbol_rate, dtype=float)
    g = np.power(10.0, np.asarray(dc_gain_db, dtype=float) / 20.0)
    g2 = np.power(10.0, np.asarray(low_frequency_gain_db, dtype=float) / 20.0)
    fz, fp1, fp2, flf = zero_ratio * fb, pole1_ratio * fb, pole2_ratio * fb, low_frequency_ratio * fb
    main = (g + 1j * f / fz) / ((1.0 + 1j * f / fp1) * (1.0 + 1j * f / fp2))
    low = (g2 + 1j * f / flf) / (1.0 + 1j * f / flf)
    return main * low


def ctle_gain_basis(frequency, symbol_rate, *, zero_ratio=0.4, pole1_ratio=0.4, pole2_ratio=1.0,
                    low_frequency_gain_db=0.0, low_frequency_ratio=1.0 / 80.0):
    """The two responses ``(K, j f/f_z K)`` whose combination ``g K + j f/f_z K`` is :func:`ctle_response`
    at linear DC gain ``g`` [Hz, Bd -> 1, 1].

    ``K = (g2 + j f/f_LF) / ((1 + j f/f_p1)(1 + j f/f_p2)(1 + j f/f_LF))``; ``|H|^2 = (g^2 + (f/f_z)^2) |K|^2``.
    """
    f = np.asarray(frequency, dtype=float)
    fb = np.asarray(symbol_rate, dtype=float)
    g2 = np.power(10.0, np.asarray(low_frequency_gain_db, dtype=float) / 20.0)
    fz, fp1, fp2, flf = zero_ratio * fb, pole1_ratio * fb, pole2_ratio * fb, low_frequency_ratio * fb
    k = (g2 + 1j * f / flf) / ((1.0 + 1j * f / fp1) * (1.0 + 1j * f / fp2) * (1.0 + 1j * f / flf))
    return k, (1j * f / fz) * k


def fir_response(normalised_frequency, taps, main_index):
    """Response of a symbol-spaced FIR ``sum_k c_k exp(-j 2 pi nu (k - main))`` [cycles/UI -> 1].

    ``normalised_frequency`` is ``[F]``, ``taps`` has shape ``[..., K]``; the result ``[..., F]``.
    """
    nu = np.asarray(normalised_frequency, dtype=float)
    c = np.asarray(taps, dtype=float)
    k = np.arange(c.shape[-1]) - main_index
    phase = np.exp(-2j * np.pi * nu[:, None] * k[None, :])  # [F, K]
    return c @ phase.T


def minimum_phase_response(loss_db):
    """Minimum-phase complex response from an insertion loss on a uniform grid ``f_k = k df`` [dB -> 1].

    Folded real cepstrum (Oppenheim & Schafer, *Discrete-Time Signal Processing*, 3rd ed., sec. 5.6):
    ``log|H|`` is mirrored to a full period, transformed, folded onto positive quefrencies and transformed
    back. ``loss_db`` has shape ``[..., F]`` with ``F = n/2 + 1``. The magnitude of the result is exactly
    ``10^(-loss/20)``; only the phase needs the transforms.
    """
    log_mag = -np.asarray(loss_db, dtype=float) / NEPER_TO_DB  # ln|H|
    n = 2 * (log_mag.shape[-1] - 1)
    cep = np.fft.irfft(log_mag, n=n, axis=-1)
    cep[..., 1:n // 2] *= 2.0  # fold: keep c_0 and c_{n/2}, double positive quefrencies, drop negative ones
    cep[..., n // 2 + 1:] = 0.0
    return np.exp(np.fft.rfft(cep, axis=-1))
