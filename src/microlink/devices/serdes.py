"""Electrical SerDes: transmit FFE, CTLE, MMSE FFE + DFE receiver, noise and jitter at the slicer, energy.

Equalisation follows the structure of the IEEE 802.3 Channel Operating Margin (COM, 802.3 Annex 93A and
its 802.3ck/dj updates): a transmit FIR, a receiver front end (4th-order Butterworth noise filter at
``f_r``), a continuous-time linear equaliser (CTLE) chosen from a gain grid, a symbol-spaced feed-forward
equaliser (FFE) and a decision-feedback equaliser (DFE). Instead of COM's zero-forcing search the FFE is the
minimum-mean-square-error (MMSE) solution given the DFE (Proakis, *Digital Communications*, 5th ed., sec.
9.5), so noise enhancement and residual ISI trade off as in a real adaptive receiver:

* symbols ``d`` of variance ``sigma_d^2`` (5/9 for PAM4) pass the sampled pulse response ``x[u]`` (main
  cursor at ``u = m``), noise of autocorrelation ``R_n`` adds, the FFE ``w`` (``N`` taps, ``N_pre`` before
  the main) forms ``z = w^T y``, the DFE cancels the ``N_b`` post-cursors that follow the main;
* ``w = sigma_d^2 A^-1 v_0`` with ``A = (sigma_d^2 + sigma_tx^2) T(R_x) - sigma_d^2 sum_k v_k v_k^T + T(R_n)``,
  where ``T(.)`` is the Toeplitz matrix of an autocorrelation (``R_x`` that of the cursors), ``v_k[j] =
  x[m + k + N_pre - j]`` and ``sigma_tx^2`` the transmitter noise (it passes the channel like the data but
  is not cancelled by the DFE);
* the equalised response ``g = w * x`` gives the main cursor, the DFE taps and the residual ISI; the noise
  at the slicer is ``w^T R_n w``; jitter adds ``sigma_d^2 (sigma_RJ^2 + A_DD^2) sum g'^2`` with ``g'`` the
  time derivative of the equalised pulse in UI (COM eq. 93A-29);
* the CTLE setting and sampling phase are those that maximise the slicer SNR.

All noise spectral densities are one-sided [V^2/Hz]. Frequencies are handled on a grid normalised to the
symbol rate (``nu = f / R_s``) so one grid serves design points of different rates; the front end and the
CTLE, whose corners are all ratios of the symbol rate, are then the same on that grid for every point. The
CTLE is affine in its linear DC gain, so a whole gain grid costs two pulse responses per point, and the
(gain, phase) candidates are solved and scored in compiled code (or NumPy under the ``numpy`` engine of
:mod:`microlink.kernels`) in bounded chunks of points. The filter
primitives (poles, Butterworth, CTLE, FIR) live in :mod:`microlink.signals`.

Energy follows the blocks of a DSP-based transceiver: a current-mode output driver (power from its
swing), serializer/FFE logic, receiver analog front end, ADC (Walden figure of merit ``E = FoM 2^ENOB`` per
sample; Walden, IEEE JSAC 17, 539 (1999)), FFE taps and DFE/clock recovery, each per symbol; divided by the
bits per symbol.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from microlink import kernels
from microlink.errors import ParameterError
from microlink.parameters import Parameters, Source, choice, param
from microlink.signals import (  # noqa: F401  (re-exported: the SerDes transfer functions live in signals)
    butterworth_response,
    ctle_gain_basis,
    ctle_response,
    fir_response,
    single_pole_response,
)

#: The noise-relevant band of the grid extends to ``sps/2`` times the symbol rate.
DEFAULT_SAMPLES_PER_SYMBOL = 8
DEFAULT_WINDOW_SYMBOLS = 64
#: Sampling phases tried around the peak of each CTLE output pulse [samples].
PHASE_OFFSETS = (-1, 0, 1)
#: Design points equalised per kernel call; bounds the working memory to ~35 kB per point in flight
#: (channel spectrum, two CTLE-basis pulses, noise PSD) whatever the number of points.
DEFAULT_CHUNK_POINTS = 1024
#: Receiver front end of the equaliser: 4th-order Butterworth noise filter (802.3 Annex 93A).
FRONT_END_ORDER = 4

#: Single real pole ``1 / (1 + j f / f_p)`` [Hz, Hz -> 1] (see :func:`microlink.signals.single_pole_response`).
pole_response = single_pole_response


def normalised_grid(n_symbols=DEFAULT_WINDOW_SYMBOLS, samples_per_symbol=DEFAULT_SAMPLES_PER_SYMBOL):
    """Normalised frequency grid ``nu_k = k / n_symbols`` of an ``n_symbols x sps`` time window [cycles/UI]."""
    n = n_symbols * samples_per_symbol
    return np.fft.rfftfreq(n, d=1.0 / samples_per_symbol)


def nrz_symbol_spectrum(n_symbols=DEFAULT_WINDOW_SYMBOLS, samples_per_symbol=DEFAULT_SAMPLES_PER_SYMBOL):
    """Discrete spectrum of a one-UI rectangular symbol of unit height [1] (``rfft`` of the window)."""
    n = n_symbols * samples_per_symbol
    rect = np.zeros(n)
    rect[:samples_per_symbol] = 1.0
    return np.fft.rfft(rect)


def _delayed_symbol_spectrum(n_symbols, samples_per_symbol, delay_symbols):
    nu = normalised_grid(n_symbols, samples_per_symbol)
    return nrz_symbol_spectrum(n_symbols, samples_per_symbol) * np.exp(-2j * np.pi * nu * delay_symbols)


def pulse_from_response(response, n_symbols=DEFAULT_WINDOW_SYMBOLS, samples_per_symbol=DEFAULT_SAMPLES_PER_SYMBOL,
                        delay_symbols=4.0):
    """Oversampled pulse response of a one-UI symbol through ``response`` [..., F] (delayed) [1 per unit input]."""
    spec = _delayed_symbol_spectrum(n_symbols, samples_per_symbol, delay_symbols)
    return np.fft.irfft(np.asarray(response) * spec, n=n_symbols * samples_per_symbol, axis=-1)


def random_data_psd(frequency, symbol_rate, amplitude, symbol_variance_):
    """One-sided PSD of random symbols of rectangular shape ``2 A^2 sigma_d^2 T sinc^2(f T)`` [Hz, Bd, V, 1 -> V^2/Hz]."""
    t = 1.0 / np.asarray(symbol_rate, dtype=float)
    x = np.asarray(frequency, dtype=float) * t
    return 2.0 * np.asarray(amplitude, dtype=float) ** 2 * symbol_variance_ * t * np.sinc(x) ** 2


def autocorrelation_weights(normalised_frequency, lags):
    """Trapezoidal weights ``w[k, l] = dnu_k cos(2 pi nu_k l)`` of :func:`noise_autocorrelation` [cycles/UI -> 1].

    ``psd @ w`` times the symbol rate is the autocorrelation at lags ``0..lags-1``; ``[F, L]``.
    """
    nu = np.asarray(normalised_frequency, dtype=float)
    weights = np.full(nu.shape, nu[1] - nu[0])
    weights[0] *= 0.5
    weights[-1] *= 0.5
    return np.cos(2.0 * np.pi * nu[:, None] * np.arange(lags)[None, :]) * weights[:, None]


def noise_autocorrelation(normalised_frequency, psd, symbol_rate, lags):
    """Autocorrelation ``R(l T) = int_0^inf S(f) cos(2 pi f l T) df`` at symbol-spaced lags [V^2/Hz -> V^2].

    Trapezoidal rule on the grid ``f = nu R_s``; ``psd`` has shape ``[..., F]``, the result ``[..., L]``.
    """
    cos = autocorrelation_weights(normalised_frequency, lags)
    return (np.asarray(psd, dtype=float) @ cos) * np.asarray(symbol_rate, dtype=float)[..., None]


def _toeplitz(r):
    """Symmetric Toeplitz matrices from autocorrelations ``r [..., N]`` -> ``[..., N, N]``."""
    n = r.shape[-1]
    idx = np.abs(np.arange(n)[:, None] - np.arange(n)[None, :])
    return r[..., idx]


# ----------------------------------------------------------------------------------------------------------
# MMSE FFE + DFE


@dataclass(frozen=True)
class FeedForwardSolution:
    """MMSE FFE given an ideal DFE, for a batch of symbol-spaced responses (arrays over points ``[...]``).

    Attributes
    ----------
    taps : ndarray [..., N]
        FFE coefficients [1/V].
    response : ndarray [..., U + N - 1]
        Equalised symbol-spaced response; its main cursor is at ``main_index + n_pre`` [1].
    main_index : ndarray [...] int
        Index of the main cursor of the unequalised ``cursors``.
    noise_variance : ndarray [...]
        Slicer noise ``w^T R_n w`` (normalised symbol units) [1].
    """

    taps: np.ndarray
    response: np.ndarray
    main_index: np.ndarray
    noise_variance: np.ndarray


def _kernels():
    """The module of the equaliser kernels of the engine in force (:mod:`microlink.kernels`): compiled, or
    their NumPy implementation."""
    if kernels.compiled():
        from microlink.devices import _equalizer_kernels as module
    else:
        from microlink.devices import _equalizer_numpy as module
    return module


def mmse_ffe_dfe(cursors, noise_autocorr, symbol_variance_, tx_noise_variance, n_taps, n_pre, n_dfe):
    """MMSE FFE given an ideal DFE, for a batch of symbol-spaced pulse responses.

    Parameters
    ----------
    cursors : ndarray [..., U]
        Symbol-spaced samples of the pulse response at the receiver input [V per unit symbol].
    noise_autocorr : ndarray [..., >= n_taps]
        Noise autocorrelation at symbol-spaced lags 0, 1, ... [V^2].
    symbol_variance_ : float
        ``E[s^2]`` of the normalised symbols [1].
    tx_noise_variance : array_like [...]
        Transmitter noise variance relative to a unit symbol [1].
    n_taps, n_pre, n_dfe : int
        FFE length, FFE taps before the main cursor, DFE taps.

    Returns
    -------
    FeedForwardSolution
        Solved point by point by a compiled Cholesky kernel (no ``[..., N, N]`` stack is held), or in NumPy
        under the ``numpy`` engine (:mod:`microlink.kernels`).
    """
    mmse_kernel = _kernels().mmse_kernel
    x = np.asarray(cursors, dtype=float)
    rn = np.asarray(noise_autocorr, dtype=float)[..., :n_taps]
    shape = np.broadcast_shapes(x.shape[:-1], rn.shape[:-1], np.shape(tx_noise_variance))
    u = x.shape[-1]
    xf = np.ascontiguousarray(np.broadcast_to(x, shape + (u,)).reshape(-1, u))
    rnf = np.ascontiguousarray(np.broadcast_to(rn, shape + (n_taps,)).reshape(-1, n_taps))
    stx = np.ascontiguousarray(np.broadcast_to(np.asarray(tx_noise_variance, dtype=float), shape).reshape(-1))
    taps, resp, main_index, noise, _ = mmse_kernel(xf, np.zeros_like(xf), rnf, float(symbol_variance_), stx, 0.0,
                                                   int(n_pre), int(n_dfe))
    return FeedForwardSolution(taps.reshape(shape + (n_taps,)), resp.reshape(shape + (u + n_taps - 1,)),
                               main_index.reshape(shape), noise.reshape(shape))


@dataclass(frozen=True)
class Equalization:
    """Result of receiver equalisation at the chosen CTLE setting and sampling phase (arrays over points).

    Attributes
    ----------
    main : ndarray [...]
        Equalised main cursor (normalised symbol units) [1].
    residual_isi : ndarray [..., R]
        Residual ISI cursors after FFE and DFE [1].
    sigma_noise, sigma_tx, sigma_jitter : ndarray [...]
        RMS slicer noise from receiver-side noise, transmitter noise and jitter [1].
    dfe_taps : ndarray [..., N_b]
        Post-cursors cancelled by the DFE [1].
    ffe_taps : ndarray [..., N]
        FFE coefficients [1/V].
    ctle_gain_db : ndarray [...]
        Chosen CTLE DC gain [dB].
    phase : ndarray [...]
        Chosen sampling phase [UI].
    snr_db : ndarray [...]
        Slicer SNR ``sigma_d^2 h0^2 / (ISI + noise)`` [dB].
    noise_enhancement_db : ndarray [...]
        Slicer noise relative to the receiver-side noise an unequalised sampler with the same main cursor
        would see [dB].
    unequalized_main : ndarray [...]
        Main cursor of the pulse before CTLE/FFE, at the receiver input: its largest excursion (positive; the
        magnitude of the trough where the transmit FFE inverts the pulse) [V].
    pulse : ndarray [..., T] or None
        Equalised oversampled pulse (DFE feedback not subtracted) [1], and ``samples_per_symbol``; None
        when equalised with ``keep_pulse=False``.
    """

    main: Any
    residual_isi: Any
    sigma_noise: Any
    sigma_tx: Any
    sigma_jitter: Any
    dfe_taps: Any
    ffe_taps: Any
    ctle_gain_db: Any
    phase: Any
    snr_db: Any
    noise_enhancement_db: Any
    unequalized_main: Any
    pulse: Any
    samples_per_symbol: int

    implementation_margin_db: Any = 0.0

    @property
    def sigma(self):
        """Total Gaussian slicer noise including the implementation margin [1]."""
        return self.penalty * np.sqrt(self.sigma_noise**2 + self.sigma_tx**2 + self.sigma_jitter**2)

    @property
    def penalty(self):
        """Noise multiplier of the implementation margin, ``10^(m/20)`` [1]."""
        return 10.0 ** (np.asarray(self.implementation_margin_db, dtype=float) / 20.0)

    @property
    def isi_abs_sum(self):
        """Sum of residual ISI magnitudes [1]."""
        return np.abs(self.residual_isi).sum(axis=-1)


# ----------------------------------------------------------------------------------------------------------
# Parameters


_COM_CK = ("IEEE Std 802.3ck-2022, COM parameter tables of clauses 162/163 (Annex 93A method): "
           "eta_0 = 8.2e-9 V^2/GHz, sigma_RJ = 0.01 UI, A_DD = 0.02 UI, f_r = 0.58 f_b, "
           "CTLE f_z = f_p1 = f_b/2.5, f_p2 = f_b, g_DC -20..0 dB")


@dataclass(frozen=True, eq=False)
class SerDes(Parameters):
    """A long-reach (CR/KR-class) DSP-based PAM4 SerDes lane in 5 nm-class CMOS: transmitter and receiver.

    The receiver is CTLE + ADC + MMSE FFE + DFE; the transmitter a DAC-based driver with a 3-tap FFE.
    """

    section = "serdes"

    tx_amplitude: float = param(
        0.413, unit="V", bounds=(0.01, 2.0), display=("mV", 1e-3),
        source=Source(_COM_CK + "; A_v = 0.413 V transmitter peak differential output", "standard"),
    )
    tx_snr_db: float = param(
        32.5, unit="dB", bounds=(10.0, 80.0),
        source=Source(_COM_CK + "; SNR_TX = 32.5 dB", "standard"),
    )
    tx_pre_tap: float = param(
        -0.05, unit="1", bounds=(-0.5, 0.0),
        source=Source("802.3ck COM transmitter FFE range c(-1) -0.2..0", "assumption",
                      "-0.05: a mild pre-cursor setting; the MMSE receiver FFE does the rest"),
    )
    tx_post_tap: float = param(
        -0.10, unit="1", bounds=(-0.5, 0.0),
        source=Source("802.3ck COM transmitter FFE range c(1) -0.2..0", "assumption",
                      "-0.10: mild de-emphasis; a long receiver FFE makes the exact value uncritical"),
    )
    rx_noise_density: float = param(
        8.2e-18, unit="V^2/Hz", bounds=(0.0, 1e-12), display=("V^2/GHz", 1e-9),
        source=Source(_COM_CK + "; eta_0 = 8.2e-9 V^2/GHz one-sided", "standard"),
    )
    rx_bandwidth_ratio: float = param(
        0.58, unit="1", bounds=(0.1, 2.0),
        source=Source(_COM_CK + "; 4th-order Butterworth receiver noise filter at f_r = 0.58 f_b", "standard"),
    )
    random_jitter: float = param(
        0.01, unit="1", bounds=(0.0, 0.5), display=("UI", 1.0),
        source=Source(_COM_CK + "; sigma_RJ = 0.01 UI", "standard"),
    )
    dual_dirac_jitter: float = param(
        0.02, unit="1", bounds=(0.0, 0.5), display=("UI", 1.0),
        source=Source(_COM_CK + "; A_DD = 0.02 UI", "standard"),
    )
    ctle_min_gain_db: float = param(
        -20.0, unit="dB", bounds=(-40.0, 0.0),
        source=Source(_COM_CK + "; g_DC from -20 to 0 dB", "standard"),
    )
    ctle_steps: float = param(
        11, unit="1", bounds=(1, 41),
        source=Source("CTLE gain grid searched by the model", "assumption",
                      "11 settings (2 dB steps over -20..0 dB) keep evaluation fast; 1 dB steps change "
                      "the reach by < 2 %"),
    )
    ffe_taps: float = param(
        24, unit="1", bounds=(1, 64),
        source=Source("802.3dj 200 Gb/s/lane COM reference receiver: long Rx FFE (tens of taps) + short DFE; "
                      "DSP-based 224G SerDes use 24-32 FFE taps", "assumption",
                      "24 taps, the low end of 224G ADC-DSP receivers"),
    )
    ffe_pre_taps: float = param(
        4, unit="1", bounds=(0, 32),
        source=Source("pre-cursor FFE taps of an ADC-DSP receiver", "assumption", "4 pre-cursor taps"),
    )
    dfe_taps: float = param(
        1, unit="1", bounds=(0, 16),
        source=Source("200G-class DSP receivers keep 1 DFE tap (timing closure at 106 GBd) and move the rest "
                      "to the FFE", "assumption", "1 tap; 802.3ck COM for 100G used 12 analogue DFE taps"),
    )
    # ---- energy
    driver_supply: float = param(
        0.9, unit="V", bounds=(0.1, 5.0),
        source=Source("TX driver supply of 5 nm-class SerDes (thick-oxide or 0.9 V rail)", "assumption", "0.9 V"),
    )
    tx_logic_energy: float = param(
        1.0e-12, unit="J", bounds=(0.0, 1e-9), display=("pJ/symbol", 1e-12),
        source=Source("IBM 128 Gb/s PAM4 TX with 3-tap FFE: 1.33 pJ/b at 1 Vppd in 14 nm (JSSC; research.ibm.com)",
                      "derived", "170 mW at 64 GBd minus ~20 mW driver = 2.3 pJ/symbol in 14 nm, x0.45 CV^2 "
                                 "scaling to 5 nm"),
    )
    rx_frontend_energy: float = param(
        0.8e-12, unit="J", bounds=(0.0, 1e-9), display=("pJ/symbol", 1e-12),
        source=Source("CTLE + VGA + track-and-hold buffers of an ADC-based receiver", "assumption",
                      "~85 mW at 106 GBd: four CML stages of ~24 mA at 0.9 V driving the interleaver"),
    )
    adc_enob: float = param(
        5.5, unit="bit", bounds=(0.0, 12.0),
        source=Source("ADC resolution of 112-224G DSP receivers (6-7 bit ADC, 5-6 ENOB)", "literature"),
    )
    adc_walden_fom: float = param(
        60e-15, unit="J", bounds=(0.0, 1e-11), display=("fJ/step", 1e-15),
        source=Source("Kull et al., ISSCC 2014: 90 GS/s 8b 64x-interleaved SAR ADC, 667 mW in 32 nm SOI "
                      "(~200 fJ/conversion-step); Murmann ADC Performance Survey for later >50 GS/s entries",
                      "derived", "60 fJ/step: the 32 nm figure scaled ~3x down to 5 nm-class CMOS"),
    )
    ffe_tap_energy: float = param(
        46e-15, unit="J", bounds=(0.0, 1e-11), display=("fJ/tap/symbol", 1e-15),
        source=Source("8-bit multiply 0.2 pJ + add 0.03 pJ in 45 nm (Horowitz, ISSCC 2014 keynote) scaled x0.2 "
                      "to 5 nm", "derived", "0.23 pJ x 0.2 = 46 fJ per tap per symbol"),
    )
    dfe_energy: float = param(
        0.3e-12, unit="J", bounds=(0.0, 1e-9), display=("pJ/symbol", 1e-12),
        source=Source("DFE/slicer, adaptation and CDR logic of a DSP receiver", "assumption", "0.3 pJ/symbol"),
    )
    clock_energy: float = param(
        0.5e-12, unit="J", bounds=(0.0, 1e-9), display=("pJ/symbol", 1e-12),
        source=Source("per-lane share of the PLL and clock distribution (TX and RX)", "assumption",
                      "~50 mW per 106 GBd lane"),
    )
    implementation_margin_db: float = param(
        3.0, unit="dB", bounds=(0.0, 20.0),
        source=Source("IEEE 802.3 Annex 93A: a channel passes when COM >= 3 dB; the 3 dB covers the "
                      "implementation penalties of real transceivers over the reference receiver", "standard",
                      "applied as a 3 dB increase of the slicer noise"),
    )
    latency: float = param(
        10e-9, unit="s", bounds=(0.0, 1e-6), display=("ns", 1e-9),
        source=Source("PAM4 SerDes TX + RX pipeline (links.md section 4: ~20 ns class incl. FEC)", "assumption",
                      "10 ns for TX + ADC-DSP RX; FEC is counted separately"),
    )
    architecture: str = choice(
        "adc_dsp", options=("adc_dsp", "analog"),
        source=Source("receiver architecture", "assumption",
                      "adc_dsp: ADC + digital FFE; analog: CTLE + analog FFE/DFE, no ADC"),
    )

    # ---- equalisation helpers
    @property
    def ctle_gains_db(self):
        """CTLE DC gains searched [dB]."""
        n = int(round(float(self.ctle_steps)))
        return np.linspace(float(self.ctle_min_gain_db), 0.0, n) if n > 1 else np.array([0.0])

    @property
    def tx_taps(self):
        """Normalised transmit FFE ``(c-1, c0, c1)`` with ``sum |c| = 1`` (peak-constrained), ``[..., 3]`` over
        array-valued taps [1]."""
        pre, post = np.broadcast_arrays(np.asarray(self.tx_pre_tap, dtype=float),
                                        np.asarray(self.tx_post_tap, dtype=float))
        return np.stack([pre, 1.0 - np.abs(pre) - np.abs(post), post], axis=-1)

    def transmit_response(self, normalised_frequency):
        """Transmit FFE response times the output amplitude, ``[..., F]`` over array-valued fields
        [cycles/UI -> V]."""
        return np.asarray(self.tx_amplitude, dtype=float)[..., None] * fir_response(normalised_frequency,
                                                                                     self.tx_taps, 1)

    @property
    def tx_noise_variance(self):
        """Transmitter noise relative to a unit symbol, ``sigma_d^2 10^(-SNR/10)`` for PAM4 [1]."""
        return (5.0 / 9.0) * 10.0 ** (-np.asarray(self.tx_snr_db, dtype=float) / 10.0)

    # ---- energy
    def tx_energy_per_symbol(self, symbol_rate):
        """Transmitter energy per symbol: CML-equivalent driver ``V I`` with ``I = A_v / 25 ohm`` (double
        termination, 50 ohm per side) plus logic [Bd -> J]."""
        drive = self.driver_supply * np.asarray(self.tx_amplitude, dtype=float) / 25.0
        return drive / np.asarray(symbol_rate, dtype=float) + self.tx_logic_energy

    def rx_energy_per_symbol(self):
        """Receiver energy per symbol: front end, ADC, FFE taps, DFE/CDR [J]."""
        adc = self.adc_walden_fom * 2.0 ** np.asarray(self.adc_enob, dtype=float) if self.architecture == "adc_dsp" \
            else 0.0
        taps = np.asarray(self.ffe_taps, dtype=float) * self.ffe_tap_energy
        return self.rx_frontend_energy + adc + taps + self.dfe_energy

    def energy_per_bit(self, symbol_rate, bits_per_symbol_):
        """``{"tx": ..., "rx": ..., "clock": ...}`` energy per line bit of one lane direction [Bd, bit -> J]."""
        b = float(bits_per_symbol_)
        return {
            "tx": self.tx_energy_per_symbol(symbol_rate) / b,
            "rx": np.asarray(self.rx_energy_per_symbol()) / b,
            "clock": np.asarray(self.clock_energy) / b,
        }

    # ---- equalisation
    def equalize(self, normalised_frequency, symbol_rate, channel_response, noise_psd=0.0, *, symbol_variance_=5.0 / 9.0,
                 tx_noise=True, samples_per_symbol=DEFAULT_SAMPLES_PER_SYMBOL, n_symbols=DEFAULT_WINDOW_SYMBOLS,
                 keep_pulse=True, chunk_points=DEFAULT_CHUNK_POINTS):
        """Equalise a channel for this receiver (see :func:`equalize`)."""
        return equalize(self, normalised_frequency, symbol_rate, channel_response, noise_psd,
                        symbol_variance_=symbol_variance_, tx_noise=tx_noise, samples_per_symbol=samples_per_symbol,
                        n_symbols=n_symbols, keep_pulse=keep_pulse, chunk_points=chunk_points)


@dataclass(frozen=True, eq=False)
class ChipToModuleSerDes(SerDes):
    """A chip-to-module (C2M, VSR-class) DSP SerDes lane: shorter FFE and a smaller ADC than long reach."""

    section = "serdes"

    tx_amplitude: float = param(
        0.35, unit="V", bounds=(0.01, 2.0), display=("mV", 1e-3),
        source=Source("C2M host output (802.3ck Annex 120G: ~0.7 Vppd differential)", "standard"),
    )
    ffe_taps: float = param(
        12, unit="1", bounds=(1, 64),
        source=Source("C2M receivers equalise ~16 dB host channels", "assumption", "12 FFE taps"),
    )
    adc_enob: float = param(
        5.0, unit="bit", bounds=(0.0, 12.0),
        source=Source("C2M ADC of DSP retimers (6-bit class)", "assumption", "5 ENOB"),
    )
    latency: float = param(
        8e-9, unit="s", bounds=(0.0, 1e-6), display=("ns", 1e-9),
        source=Source("C2M SerDes pipeline", "assumption", "8 ns TX + RX"),
    )


@dataclass(frozen=True, eq=False)
class AnalogSerDes(SerDes):
    """A mixed-signal (no ADC) 100G-class lane: CTLE + short analog FFE + long loop-unrolled DFE, as the
    802.3ck COM reference receiver; the architecture of mixed-signal AEC retimers."""

    section = "serdes"

    ffe_taps: float = param(
        3, unit="1", bounds=(1, 64),
        source=Source("analog FFE of mixed-signal receivers", "assumption", "3 taps (one pre-cursor)"),
    )
    ffe_pre_taps: float = param(
        1, unit="1", bounds=(0, 32), source=Source("one pre-cursor tap", "assumption", "1"),
    )
    dfe_taps: float = param(
        12, unit="1", bounds=(0, 16),
        source=Source(_COM_CK + "; reference receiver DFE N_b = 12 taps", "standard"),
    )
    architecture: str = choice(
        "analog", options=("adc_dsp", "analog"),
        source=Source("Point2 P1B121 mixed-signal retimer: 3 W for 8 x 112G, 3 ns (electronicdesign.com 2024, "
                      "links.md section 3)", "claim"),
    )
    ffe_tap_energy: float = param(
        30e-15, unit="J", bounds=(0.0, 1e-11), display=("fJ/tap/symbol", 1e-15),
        source=Source("analog current-summing FFE tap", "assumption", "30 fJ per tap per symbol"),
    )
    dfe_energy: float = param(
        0.8e-12, unit="J", bounds=(0.0, 1e-9), display=("pJ/symbol", 1e-12),
        source=Source("12-tap loop-unrolled PAM4 DFE: comparators + summers", "assumption",
                      "~60 fJ per tap per symbol + slicers"),
    )
    latency: float = param(
        3e-9, unit="s", bounds=(0.0, 1e-6), display=("ns", 1e-9),
        source=Source("Point2 mixed-signal retimer latency 3 ns (links.md section 3)", "claim"),
    )


@dataclass(frozen=True, eq=False)
class ShortReachSerDes(SerDes):
    """An extra-short-reach (XSR, in-package) analog SerDes lane: CTLE + 3-tap analog FFE + 1-tap DFE."""

    section = "serdes"

    tx_amplitude: float = param(
        0.25, unit="V", bounds=(0.01, 2.0), display=("mV", 1e-3),
        source=Source("OIF CEI-112G-XSR transmitter swing (~0.5 Vppd)", "standard"),
    )
    ffe_taps: float = param(
        3, unit="1", bounds=(1, 64),
        source=Source("XSR receivers: CTLE plus a few analog taps", "assumption", "3 taps"),
    )
    ffe_pre_taps: float = param(
        1, unit="1", bounds=(0, 32), source=Source("one pre-cursor tap", "assumption", "1"),
    )
    ctle_min_gain_db: float = param(
        -12.0, unit="dB", bounds=(-40.0, 0.0),
        source=Source("XSR channels of ~4-10 dB need little peaking", "assumption", "-12 dB"),
    )
    ctle_steps: float = param(
        7, unit="1", bounds=(1, 41), source=Source("CTLE gain grid", "assumption", "2 dB steps"),
    )
    architecture: str = choice(
        "analog", options=("adc_dsp", "analog"),
        source=Source("XSR SerDes are analog (no ADC) to reach ~1 pJ/bit", "literature"),
    )
    rx_frontend_energy: float = param(
        0.4e-12, unit="J", bounds=(0.0, 1e-9), display=("pJ/symbol", 1e-12),
        source=Source("XSR analog front end", "assumption", "0.4 pJ/symbol"),
    )
    ffe_tap_energy: float = param(
        30e-15, unit="J", bounds=(0.0, 1e-11), display=("fJ/tap/symbol", 1e-15),
        source=Source("analog current-summing FFE tap", "assumption", "30 fJ per tap per symbol"),
    )
    tx_logic_energy: float = param(
        0.5e-12, unit="J", bounds=(0.0, 1e-9), display=("pJ/symbol", 1e-12),
        source=Source("XSR serializer without DAC FFE", "assumption", "0.5 pJ/symbol"),
    )
    latency: float = param(
        3e-9, unit="s", bounds=(0.0, 1e-6), display=("ns", 1e-9),
        source=Source("analog XSR TX + RX", "assumption", "3 ns"),
    )


# ----------------------------------------------------------------------------------------------------------
# Equalisation of a channel


#: Fields of a receiver that set the structure of its equaliser or its point-independent bases: one value per
#: :func:`equalize` call (the link chains group their points by them).
RECEIVER_STRUCTURE = ("ffe_taps", "ffe_pre_taps", "dfe_taps", "ctle_steps", "ctle_min_gain_db", "rx_bandwidth_ratio",
                      "random_jitter", "dual_dirac_jitter")

#: Fields of a SerDes that set only its energy and latency: what it decides does not depend on them.
ACCOUNTING_FIELDS = ("driver_supply", "tx_logic_energy", "rx_frontend_energy", "adc_enob", "adc_walden_fom",
                     "ffe_tap_energy", "dfe_energy", "clock_energy", "latency")

#: Names of the arrays :func:`microlink.devices._equalizer_kernels.equalize_kernel` returns, in order.
_KERNEL_OUTPUTS = ("taps", "response", "main_pos", "main", "noise", "tx", "jitter", "snr", "gain", "phase", "pulse",
                   "raw_noise")


def _check_grid(nu, n_symbols, samples_per_symbol):
    n_f = n_symbols * samples_per_symbol // 2 + 1
    if nu.shape != (n_f,):
        raise ParameterError("normalised_frequency", f"an array of shape {nu.shape}",
                             f"the {n_f}-bin grid of normalised_grid({n_symbols}, {samples_per_symbol})")
    return n_f


def _check_symbol_rate(rs):
    bad = ~(np.isfinite(rs) & (rs > 0.0))
    if np.any(bad):
        raise ParameterError("symbol_rate", float(rs[bad].flat[0]), "finite and > 0 Bd")


@dataclass(frozen=True)
class _ReceiverBasis:
    """Point-independent responses of the front end and the CTLE on the normalised grid (every corner of
    both is a ratio of the symbol rate). ``pulse_a/pulse_b`` spectra give the pulse at linear CTLE gain
    ``g`` as ``g a + b``; ``noise`` maps a PSD [..., F] to the autocorrelation bases ``[rn0 | rn1 | raw]``
    (per unit symbol rate) with ``R_n(g) = g^2 rn0 + rn1`` and ``raw`` the front-end noise at lag 0."""

    spectrum: np.ndarray  # [F] delayed one-UI symbol
    spectrum_a: np.ndarray  # [F] symbol x front end x K
    spectrum_b: np.ndarray  # [F] symbol x front end x j nu/zr K
    noise: np.ndarray  # [F, 2N + 1]


def _noise_basis(serdes: SerDes, nu, n_taps):
    """``[F, 2N + 1]`` projections of a PSD onto ``rn0 | rn1 | raw`` (see :class:`_ReceiverBasis`) [1]."""
    return _bases(float(serdes.rx_bandwidth_ratio), _Grid(nu), int(n_taps), 0, 0)[1]


def _receiver_basis(serdes: SerDes, nu, n_taps, n_symbols, samples_per_symbol) -> _ReceiverBasis:
    return _bases(float(serdes.rx_bandwidth_ratio), _Grid(nu), int(n_taps), int(n_symbols),
                  int(samples_per_symbol))[0]


class _Grid:
    """A frequency grid as a cache key (by value)."""

    def __init__(self, nu):
        self.nu = np.asarray(nu, dtype=float)
        self._key = (self.nu.shape, self.nu.tobytes())

    def __hash__(self):
        return hash(self._key)

    def __eq__(self, other):
        return isinstance(other, _Grid) and self._key == other._key


@lru_cache(maxsize=32)
def _bases(rx_bandwidth_ratio, grid: _Grid, n_taps, n_symbols, samples_per_symbol):
    """The receiver's point-independent bases (read-only arrays; they depend on the SerDes only through its
    front-end bandwidth): ``(_ReceiverBasis or None, noise basis)``, cached by value, so a sweep or a solver
    that equalises channel after channel builds them once."""
    nu = grid.nu
    front = butterworth_response(nu, rx_bandwidth_ratio, FRONT_END_ORDER)
    k, kz = ctle_gain_basis(nu, 1.0)
    cos = autocorrelation_weights(nu, n_taps)
    front2 = np.abs(front) ** 2
    noise = np.concatenate([cos * (front2 * np.abs(k) ** 2)[:, None], cos * (front2 * np.abs(kz) ** 2)[:, None],
                            (front2 * cos[:, 0])[:, None]], axis=1)
    noise.flags.writeable = False
    if not n_symbols:
        return None, noise
    spec = _delayed_symbol_spectrum(n_symbols, samples_per_symbol, 4.0)
    basis = _ReceiverBasis(spec, front * k * spec, front * kz * spec, noise)
    for a in (basis.spectrum, basis.spectrum_a, basis.spectrum_b):
        a.flags.writeable = False
    return basis, noise


def equalize(serdes: SerDes, normalised_frequency, symbol_rate, channel_response, noise_psd=0.0, *,
             symbol_variance_=5.0 / 9.0, tx_noise=True, samples_per_symbol=DEFAULT_SAMPLES_PER_SYMBOL,
             n_symbols=DEFAULT_WINDOW_SYMBOLS, keep_pulse=True, chunk_points=DEFAULT_CHUNK_POINTS) -> Equalization:
    """Equalise a batch of channels with a receiver's front end, CTLE grid, MMSE FFE and DFE.

    Parameters
    ----------
    serdes : SerDes
        Receiver capabilities (and transmitter noise, when ``tx_noise``). The :data:`RECEIVER_STRUCTURE`
        fields take one value; ``rx_noise_density``, ``implementation_margin_db`` and ``tx_snr_db`` may be
        arrays that broadcast with the points ``[...]``.
    normalised_frequency : ndarray [F]
        Grid from :func:`normalised_grid` [cycles/UI].
    symbol_rate : array_like [...]
        Symbol rate [Bd].
    channel_response : ndarray [..., F] complex
        Response from a unit transmitted symbol to the receiver input pins, including the transmitter's
        amplitude and FFE [V per unit symbol].
    noise_psd : array_like [..., F]
        One-sided noise PSD at the receiver input other than the receiver's own ``eta_0`` (crosstalk,
        optical receiver noise ...) [V^2/Hz].
    symbol_variance_ : float
        ``E[s^2]`` of the normalised symbols (5/9 PAM4, 1 NRZ) [1].
    tx_noise : bool or array_like [...]
        Include the transmitter SNR of ``serdes`` (True), none (False), or this transmitter noise variance
        relative to a unit symbol [1].
    keep_pulse : bool
        Return the equalised oversampled pulse (``T`` values per point); ``False`` leaves
        ``Equalization.pulse`` as None and saves ``8 T`` bytes per point.
    chunk_points : int
        Design points equalised per kernel call (working memory ~35 kB per point in flight).

    Returns
    -------
    Equalization

    Notes
    -----
    The CTLE is affine in its linear DC gain (:func:`microlink.signals.ctle_gain_basis`), so the pulses of
    the whole gain grid come from two inverse FFTs per point and the noise autocorrelations from two
    projections; every (gain, phase) candidate is then solved and scored in compiled code
    (:mod:`microlink.devices._equalizer_kernels`; :mod:`~microlink.devices._equalizer_numpy` under the
    ``numpy`` engine), keeping only the best per point.
    """
    equalize_kernel = _kernels().equalize_kernel
    sps, n_sym = int(samples_per_symbol), int(n_symbols)
    nu = np.asarray(normalised_frequency, dtype=float)
    n_f = _check_grid(nu, n_sym, sps)
    n_t = n_sym * sps
    rs = np.asarray(symbol_rate, dtype=float)
    _check_symbol_rate(rs)
    h = np.asarray(channel_response)
    if h.shape[-1:] != (n_f,):
        raise ParameterError("channel_response", f"an array of shape {h.shape}", f"[..., {n_f}] on the grid")
    psd_in = np.asarray(noise_psd, dtype=float)
    if psd_in.ndim and psd_in.shape[-1] != n_f:
        raise ParameterError("noise_psd", f"an array of shape {psd_in.shape}", f"a scalar or [..., {n_f}]")
    chunk = int(chunk_points)
    if chunk < 1:
        raise ParameterError("chunk_points", chunk_points, "an integer >= 1")
    shape = np.broadcast_shapes(h.shape[:-1], rs.shape, psd_in.shape[:-1] if psd_in.ndim else ())
    for name in RECEIVER_STRUCTURE:
        if np.ndim(getattr(serdes, name)):
            raise ParameterError(f"{serdes.section}.{name}", "an array",
                                 "one value per equalisation (it sets the receiver's structure or basis)")
    n_taps = int(round(float(serdes.ffe_taps)))
    n_pre = min(int(round(float(serdes.ffe_pre_taps))), n_taps - 1)
    n_dfe = int(round(float(serdes.dfe_taps)))
    sd2 = float(symbol_variance_)
    if isinstance(tx_noise, bool):
        stx = np.asarray(serdes.tx_noise_variance / (5.0 / 9.0) * sd2 if tx_noise else 0.0, dtype=float)
    else:
        stx = np.asarray(tx_noise, dtype=float)
    eta0 = np.asarray(serdes.rx_noise_density, dtype=float)
    margin_db = np.asarray(serdes.implementation_margin_db, dtype=float)
    shape = np.broadcast_shapes(shape, stx.shape, eta0.shape, margin_db.shape)
    gains_db = serdes.ctle_gains_db
    gains = np.power(10.0, gains_db / 20.0)
    jit_coef = sd2 * (float(serdes.random_jitter) ** 2 + float(serdes.dual_dirac_jitter) ** 2)
    basis = _receiver_basis(serdes, nu, n_taps, n_sym, sps)

    flat_shape = shape if shape else (1,)
    total = int(np.prod(flat_shape, dtype=np.int64))
    hb = np.broadcast_to(h, flat_shape + (n_f,))
    psd_b = np.broadcast_to(psd_in if psd_in.ndim else np.full(n_f, float(psd_in)), flat_shape + (n_f,))
    eta0_b = np.broadcast_to(eta0, flat_shape)
    rs_b = np.broadcast_to(rs, flat_shape)
    stx_b = np.broadcast_to(stx, flat_shape)
    n_l = n_sym + n_taps - 1
    out = {
        "taps": np.empty((total, n_taps)), "response": np.empty((total, n_l)), "main_pos": np.empty(total, np.int64),
        "main": np.empty(total), "noise": np.empty(total), "tx": np.empty(total), "jitter": np.empty(total),
        "snr": np.empty(total), "gain": np.empty(total, np.int64), "phase": np.empty(total, np.int64),
        "pulse": np.empty((total, n_t if keep_pulse else 0)), "raw_main": np.empty(total), "raw_noise": np.empty(total),
    }
    offsets = np.asarray(PHASE_OFFSETS, dtype=np.int64)
    for start in range(0, total, chunk):
        sel = slice(start, min(start + chunk, total))
        idx = np.unravel_index(np.arange(sel.start, sel.stop), flat_shape)
        hc = hb[idx]
        pulse_a = np.fft.irfft(hc * basis.spectrum_a, n=n_t, axis=-1)
        pulse_b = np.fft.irfft(hc * basis.spectrum_b, n=n_t, axis=-1)
        # the largest excursion: a transmit FFE whose pre-cursor outweighs its main inverts the received pulse
        out["raw_main"][sel] = np.abs(np.fft.irfft(hc * basis.spectrum, n=n_t, axis=-1)).max(axis=-1)
        res = equalize_kernel(pulse_a, pulse_b, eta0_b[idx][:, None] + psd_b[idx], np.ascontiguousarray(rs_b[idx]), basis.noise, gains,
                              sd2, np.ascontiguousarray(stx_b[idx], dtype=float), jit_coef, n_pre, n_dfe, sps, offsets,
                              bool(keep_pulse))
        for key, value in zip(_KERNEL_OUTPUTS, res):
            out[key][sel] = value

    main_pos = out["main_pos"]
    g = out["response"]
    r_idx = np.arange(n_l)
    cancelled = (r_idx == main_pos[:, None]) | ((r_idx > main_pos[:, None]) & (r_idx <= main_pos[:, None] + n_dfe))
    isi = np.where(cancelled, 0.0, g)
    dfe_idx = np.clip(main_pos[:, None] + 1 + np.arange(n_dfe), 0, n_l - 1)
    dfe = np.take_along_axis(g, dfe_idx, axis=-1)
    main, noise2, raw_main = out["main"], out["noise"], out["raw_main"]
    # the squares are floored, not the cursors: a cursor below 1e-150 (a transmit FFE whose pre-cursor
    # cancels the main, an unlit lane) squares to 0 and would divide by zero
    raw_snr_noise = out["raw_noise"] / np.maximum(raw_main * raw_main, 1e-300)
    enh = noise2 / np.maximum(main * main, 1e-300) / np.maximum(raw_snr_noise, 1e-300)

    def b(a):
        return a.reshape(shape + a.shape[1:])

    return Equalization(
        main=b(main),
        residual_isi=b(isi),
        sigma_noise=b(np.sqrt(noise2)),
        sigma_tx=b(np.sqrt(out["tx"])),
        sigma_jitter=b(np.sqrt(out["jitter"])),
        dfe_taps=b(dfe),
        ffe_taps=b(out["taps"]),
        ctle_gain_db=b(gains_db[out["gain"]]),
        phase=b(out["phase"] / sps),
        snr_db=b(10.0 * np.log10(np.maximum(out["snr"], 1e-300))),
        noise_enhancement_db=b(10.0 * np.log10(np.maximum(enh, 1e-300))),
        unequalized_main=b(raw_main),
        pulse=b(out["pulse"]) if keep_pulse else None,
        samples_per_symbol=sps,
        implementation_margin_db=b(np.broadcast_to(margin_db, flat_shape)) if margin_db.ndim
        else float(margin_db),
    )


def _quadratic_toeplitz(w, r):
    """``w^T T(r) w`` for batches ``w, r [..., N]`` without forming ``T`` [1]."""
    total = r[..., 0] * np.sum(w * w, axis=-1)
    for lag in range(1, w.shape[-1]):
        total = total + 2.0 * r[..., lag] * np.sum(w[..., lag:] * w[..., :-lag], axis=-1)
    return total


def slicer_noise_variance(serdes: SerDes, eq: Equalization, normalised_frequency, symbol_rate, psd):
    """Slicer variance of one noise component through the chosen front end, CTLE and FFE [V^2/Hz -> 1].

    ``psd`` is a one-sided PSD at the receiver input ``[..., F]``; the result is in the normalised symbol
    units of ``eq`` (compare with ``eq.sigma_noise**2``).
    """
    nu = np.asarray(normalised_frequency, dtype=float)
    rs = np.asarray(symbol_rate, dtype=float)
    w = np.asarray(eq.ffe_taps, dtype=float)
    n_taps = w.shape[-1]
    basis = _noise_basis(serdes, nu, n_taps)[:, :2 * n_taps]
    r2 = (np.asarray(psd, dtype=float) @ basis) * rs[..., None]
    g = np.power(10.0, np.asarray(eq.ctle_gain_db, dtype=float) / 20.0)[..., None]
    r = g * g * r2[..., :n_taps] + r2[..., n_taps:]
    return np.maximum(_quadratic_toeplitz(w, r), 0.0)
