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
symbol rate (``nu = f / R_s``) so one grid serves design points of different rates.

Energy follows the blocks of a DSP-based transceiver: a current-mode output driver (power from its
swing), serializer/FFE logic, receiver analog front end, ADC (Walden figure of merit ``E = FoM 2^ENOB`` per
sample; Walden, IEEE JSAC 17, 539 (1999)), FFE taps and DFE/clock recovery, each per symbol; divided by the
bits per symbol.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from microlink.parameters import Parameters, Source, choice, param

#: The noise-relevant band of the grid extends to ``sps/2`` times the symbol rate.
DEFAULT_SAMPLES_PER_SYMBOL = 8
DEFAULT_WINDOW_SYMBOLS = 64
#: Sampling phases tried around the peak of each CTLE output pulse [samples].
PHASE_OFFSETS = (-1, 0, 1)

# ----------------------------------------------------------------------------------------------------------
# Transfer functions (complex, on physical frequencies f [..., F])


def butterworth_response(frequency, bandwidth, order=4):
    """Complex response of an ``order``-th order Butterworth low-pass [Hz, Hz, 1 -> 1].

    Poles ``s_k = w_c exp(j pi (2k + n - 1)/(2n))``, ``k = 1..n``; unity gain at DC.
    """
    f = np.asarray(frequency, dtype=float)
    fc = np.asarray(bandwidth, dtype=float)
    x = 1j * f / fc  # s / w_c
    h = np.ones(np.broadcast_shapes(f.shape, np.shape(fc)), dtype=complex)
    for k in range(1, order + 1):
        p = np.exp(1j * np.pi * (2 * k + order - 1) / (2 * order))
        h = h * (-p) / (x - p)
    return h


def pole_response(frequency, bandwidth):
    """Single real pole ``1 / (1 + j f / f_p)`` [Hz, Hz -> 1]."""
    return 1.0 / (1.0 + 1j * np.asarray(frequency, dtype=float) / np.asarray(bandwidth, dtype=float))


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
    """
    f = np.asarray(frequency, dtype=float)
    fb = np.asarray(symbol_rate, dtype=float)
    g = np.power(10.0, np.asarray(dc_gain_db, dtype=float) / 20.0)
    g2 = np.power(10.0, np.asarray(low_frequency_gain_db, dtype=float) / 20.0)
    fz, fp1, fp2, flf = zero_ratio * fb, pole1_ratio * fb, pole2_ratio * fb, low_frequency_ratio * fb
    main = (g + 1j * f / fz) / ((1.0 + 1j * f / fp1) * (1.0 + 1j * f / fp2))
    low = (g2 + 1j * f / flf) / (1.0 + 1j * f / flf)
    return main * low


def fir_response(normalised_frequency, taps, main_index):
    """Response of a symbol-spaced FIR ``sum_k c_k exp(-j 2 pi nu (k - main))`` [cycles/UI -> 1].

    ``taps`` has shape ``[..., K]``; the result ``[..., F]``.
    """
    nu = np.asarray(normalised_frequency, dtype=float)
    c = np.asarray(taps, dtype=float)
    k = np.arange(c.shape[-1]) - main_index
    phase = np.exp(-2j * np.pi * nu[:, None] * k[None, :])  # [F, K]
    return c @ phase.T


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


def pulse_from_response(response, n_symbols=DEFAULT_WINDOW_SYMBOLS, samples_per_symbol=DEFAULT_SAMPLES_PER_SYMBOL,
                        delay_symbols=4.0):
    """Oversampled pulse response of a one-UI symbol through ``response`` [..., F] (delayed) [1 per unit input]."""
    nu = normalised_grid(n_symbols, samples_per_symbol)
    spec = nrz_symbol_spectrum(n_symbols, samples_per_symbol) * np.exp(-2j * np.pi * nu * delay_symbols)
    return np.fft.irfft(np.asarray(response) * spec, n=n_symbols * samples_per_symbol, axis=-1)


def random_data_psd(frequency, symbol_rate, amplitude, symbol_variance_):
    """One-sided PSD of random symbols of rectangular shape ``2 A^2 sigma_d^2 T sinc^2(f T)`` [Hz, Bd, V, 1 -> V^2/Hz]."""
    t = 1.0 / np.asarray(symbol_rate, dtype=float)
    x = np.asarray(frequency, dtype=float) * t
    return 2.0 * np.asarray(amplitude, dtype=float) ** 2 * symbol_variance_ * t * np.sinc(x) ** 2


def noise_autocorrelation(normalised_frequency, psd, symbol_rate, lags):
    """Autocorrelation ``R(l T) = int_0^inf S(f) cos(2 pi f l T) df`` at symbol-spaced lags [V^2/Hz -> V^2].

    Trapezoidal rule on the grid ``f = nu R_s``; ``psd`` has shape ``[..., F]``, the result ``[..., L]``.
    """
    nu = np.asarray(normalised_frequency, dtype=float)
    weights = np.full(nu.shape, nu[1] - nu[0])
    weights[0] *= 0.5
    weights[-1] *= 0.5
    cos = np.cos(2.0 * np.pi * nu[:, None] * np.arange(lags)[None, :]) * weights[:, None]  # [F, L]
    return (np.asarray(psd, dtype=float) @ cos) * np.asarray(symbol_rate, dtype=float)[..., None]


# ----------------------------------------------------------------------------------------------------------
# MMSE FFE + DFE


def _toeplitz(r):
    """Symmetric Toeplitz matrices from autocorrelations ``r [..., N]`` -> ``[..., N, N]``."""
    n = r.shape[-1]
    idx = np.abs(np.arange(n)[:, None] - np.arange(n)[None, :])
    return r[..., idx]


def _shifted(x, start, count):
    """``x[..., start + i]`` for ``i = 0..count-1`` with zeros outside the array; ``start`` is ``[...]``."""
    u = x.shape[-1]
    idx = np.asarray(start)[..., None] + np.arange(count)
    valid = (idx >= 0) & (idx < u)
    vals = np.take_along_axis(x, np.clip(idx, 0, u - 1), axis=-1)
    return np.where(valid, vals, 0.0)


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
    dict
        ``taps [..., N]`` (1/V), ``response [..., U + N - 1]`` (equalised symbol-spaced response, main at
        index ``main_index + n_pre``), ``main_index [...]`` (main cursor of ``cursors``), ``noise_variance
        [...]`` (slicer noise, normalised symbol units).
    """
    x = np.asarray(cursors, dtype=float)
    u = x.shape[-1]
    m = np.argmax(x, axis=-1)  # main cursor of the unequalised response
    sd2 = float(symbol_variance_)
    stx = np.asarray(tx_noise_variance, dtype=float)
    if stx.ndim:
        stx = stx[(...,) + (None,) * (x.ndim - 1 - stx.ndim)] if stx.ndim < x.ndim - 1 else stx
    # autocorrelation of the cursors, lags 0..N-1
    rx = np.stack([np.sum(x[..., : u - l] * x[..., l:], axis=-1) for l in range(n_taps)], axis=-1)
    # v_k[j] = x[m + k + n_pre - j], j = 0..N-1  ->  reversed slice starting at m + k + n_pre - (N - 1)
    def column(k):
        return _shifted(x, m + k + n_pre - (n_taps - 1), n_taps)[..., ::-1]

    v0 = column(0)
    a = (sd2 + stx)[..., None, None] * _toeplitz(rx) + _toeplitz(np.asarray(noise_autocorr, dtype=float)[..., :n_taps])
    for k in range(1, n_dfe + 1):
        vk = column(k)
        a = a - sd2 * vk[..., :, None] * vk[..., None, :]
    scale = np.maximum(np.trace(a, axis1=-2, axis2=-1) / n_taps, 1e-300)
    a = a + (1e-12 * scale)[..., None, None] * np.eye(n_taps)
    w = sd2 * np.linalg.solve(a, v0[..., None])[..., 0]  # [..., N]
    # equalised response g[r'] (r' = r + n_pre) = sum_j w_j x[r' - j]
    g = np.zeros(x.shape[:-1] + (u + n_taps - 1,))
    for j in range(n_taps):
        g[..., j:j + u] += w[..., j:j + 1] * x
    noise = np.einsum("...i,...ij,...j->...", w, _toeplitz(np.asarray(noise_autocorr, dtype=float)[..., :n_taps]), w)
    return {"taps": w, "response": g, "main_index": m, "noise_variance": np.maximum(noise, 0.0)}


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
        Main cursor of the pulse before CTLE/FFE, at the receiver input [V].
    pulse : ndarray [..., T]
        Equalised oversampled pulse (DFE feedback not subtracted) [1], and ``samples_per_symbol``.
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
        """Normalised transmit FFE ``(c-1, c0, c1)`` with ``sum |c| = 1`` (peak-constrained) [1]."""
        pre, post = float(self.tx_pre_tap), float(self.tx_post_tap)
        return np.array([pre, 1.0 - abs(pre) - abs(post), post])

    def transmit_response(self, normalised_frequency):
        """Transmit FFE response times the output amplitude [cycles/UI -> V]."""
        return self.tx_amplitude * fir_response(normalised_frequency, self.tx_taps, 1)

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
                 tx_noise=True, samples_per_symbol=DEFAULT_SAMPLES_PER_SYMBOL, n_symbols=DEFAULT_WINDOW_SYMBOLS):
        """Equalise a channel for this receiver (see :func:`equalize`)."""
        return equalize(self, normalised_frequency, symbol_rate, channel_response, noise_psd,
                        symbol_variance_=symbol_variance_, tx_noise=tx_noise, samples_per_symbol=samples_per_symbol,
                        n_symbols=n_symbols)


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


def equalize(serdes: SerDes, normalised_frequency, symbol_rate, channel_response, noise_psd=0.0, *,
             symbol_variance_=5.0 / 9.0, tx_noise=True, samples_per_symbol=DEFAULT_SAMPLES_PER_SYMBOL,
             n_symbols=DEFAULT_WINDOW_SYMBOLS) -> Equalization:
    """Equalise a batch of channels with a receiver's front end, CTLE grid, MMSE FFE and DFE.

    Parameters
    ----------
    serdes : SerDes
        Receiver capabilities (and transmitter noise, when ``tx_noise``). Fields must be scalars.
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
    tx_noise : bool or array_like
        Include the transmitter SNR of ``serdes`` (True), none (False), or this transmitter noise variance
        relative to a unit symbol [1].

    Returns
    -------
    Equalization
    """
    nu = np.asarray(normalised_frequency, dtype=float)
    rs = np.asarray(symbol_rate, dtype=float)
    h = np.asarray(channel_response)
    shape = np.broadcast_shapes(h.shape[:-1], rs.shape, np.shape(noise_psd)[:-1] if np.ndim(noise_psd) else ())
    h = np.broadcast_to(h, shape + nu.shape)
    rs_b = np.broadcast_to(rs, shape)
    f = nu * rs_b[..., None]  # [..., F]
    n_taps = int(round(float(serdes.ffe_taps)))
    n_pre = min(int(round(float(serdes.ffe_pre_taps))), n_taps - 1)
    n_dfe = int(round(float(serdes.dfe_taps)))
    sps = samples_per_symbol

    h_rx = butterworth_response(f, serdes.rx_bandwidth_ratio * rs_b[..., None], 4)
    gains = serdes.ctle_gains_db
    ctle = ctle_response(f[..., None, :], rs_b[..., None, None], gains[:, None])  # [..., C, F]
    h_total = (h * h_rx)[..., None, :] * ctle  # [..., C, F]
    pulse = pulse_from_response(h_total, n_symbols, sps)  # [..., C, T]
    pulse_before = pulse_from_response(h, n_symbols, sps)
    unequalized_main = pulse_before.max(axis=-1)

    psd = serdes.rx_noise_density + np.broadcast_to(np.asarray(noise_psd, dtype=float), shape + nu.shape)
    psd_c = (psd * np.abs(h_rx) ** 2)[..., None, :] * np.abs(ctle) ** 2  # [..., C, F]
    r_n = noise_autocorrelation(nu, psd_c, rs_b[..., None], n_taps)  # [..., C, N]

    c = len(gains)
    # candidate sampling phases: the pulse peak and its neighbours (1/sps UI apart)
    peak_phase = np.argmax(pulse, axis=-1) % sps  # [..., C]
    phases = (peak_phase[..., None] + np.asarray(PHASE_OFFSETS)) % sps  # [..., C, P]
    p = pulse.reshape(shape + (c, n_symbols, sps))  # [..., C, U, phase]
    cur = np.take_along_axis(np.moveaxis(p, -1, -2), phases[..., None], axis=-2)  # [..., C, P, U]
    # time derivative per UI by central difference over the oversampled pulse
    dp = (np.roll(pulse, -1, axis=-1) - np.roll(pulse, 1, axis=-1)) * (sps / 2.0)
    dcur = np.take_along_axis(np.moveaxis(dp.reshape(shape + (c, n_symbols, sps)), -1, -2), phases[..., None],
                              axis=-2)
    if isinstance(tx_noise, bool):
        stx = serdes.tx_noise_variance / (5.0 / 9.0) * symbol_variance_ if tx_noise else 0.0
    else:
        stx = np.asarray(tx_noise, dtype=float)
    sol = mmse_ffe_dfe(cur, r_n[..., :, None, :], symbol_variance_, np.asarray(stx), n_taps, n_pre, n_dfe)
    g = sol["response"]  # [..., C, phase, U + N - 1]
    main_pos = sol["main_index"] + n_pre
    main = np.take_along_axis(g, main_pos[..., None], axis=-1)[..., 0]
    r_idx = np.arange(g.shape[-1])
    cancelled = (r_idx == main_pos[..., None]) | ((r_idx > main_pos[..., None]) & (r_idx <= main_pos[..., None] + n_dfe))
    isi = np.where(cancelled, 0.0, g)
    # jitter: derivative of the equalised response
    dg = np.zeros_like(g)
    w = sol["taps"]
    for j in range(n_taps):
        dg[..., j:j + n_symbols] += w[..., j:j + 1] * dcur
    jit2 = symbol_variance_ * (serdes.random_jitter**2 + serdes.dual_dirac_jitter**2) * np.sum(dg * dg, axis=-1)
    tx2 = stx * np.sum(g * g, axis=-1)
    noise2 = sol["noise_variance"]
    snr = symbol_variance_ * main**2 / (symbol_variance_ * np.sum(isi * isi, axis=-1) + noise2 + tx2 + jit2 + 1e-300)
    flat = snr.reshape(shape + (-1,))
    best = np.argmax(flat, axis=-1)  # [...]

    def pick(a):
        a2 = a.reshape(shape + (-1,) + a.shape[len(shape) + 2:])
        idx = best.reshape(shape + (1,) + (1,) * (a2.ndim - len(shape) - 1))
        return np.take_along_axis(a2, idx, axis=len(shape))[(slice(None),) * len(shape) + (0,)]

    main_b = pick(main)
    isi_b = pick(isi)
    main_pos_b = pick(main_pos)
    g_b = pick(g)
    dfe_idx = main_pos_b[..., None] + 1 + np.arange(n_dfe)
    dfe_b = np.take_along_axis(g_b, np.clip(dfe_idx, 0, g_b.shape[-1] - 1), axis=-1) if n_dfe else g_b[..., :0]
    n_ph = len(PHASE_OFFSETS)
    ci = best // n_ph
    phase = pick(phases) / sps
    # noise enhancement: slicer receiver-noise variance vs. the receiver-side noise of an unequalised sampler
    raw_noise = noise_autocorrelation(nu, psd * np.abs(h_rx) ** 2, rs_b, 1)[..., 0]
    raw_snr_noise = raw_noise / np.maximum(unequalized_main, 1e-300) ** 2
    enh = pick(noise2) / np.maximum(main_b, 1e-300) ** 2 / np.maximum(raw_snr_noise, 1e-300)
    # equalised oversampled pulse at the chosen CTLE: sum_j w_j p(t - (j - n_pre) T)
    w_b = pick(w)
    p_c = np.take_along_axis(pulse, ci.reshape(shape + (1, 1)), axis=-2)[..., 0, :]
    eq_pulse = np.zeros_like(p_c)
    for j in range(n_taps):
        eq_pulse += w_b[..., j:j + 1] * np.roll(p_c, (j - n_pre) * sps, axis=-1)
    return Equalization(
        main=main_b,
        residual_isi=isi_b,
        sigma_noise=np.sqrt(pick(noise2)),
        sigma_tx=np.sqrt(pick(tx2)),
        sigma_jitter=np.sqrt(pick(jit2)),
        dfe_taps=dfe_b,
        ffe_taps=w_b,
        ctle_gain_db=gains[ci],
        phase=phase,
        snr_db=10.0 * np.log10(np.maximum(np.take_along_axis(flat, best[..., None], axis=-1)[..., 0], 1e-300)),
        noise_enhancement_db=10.0 * np.log10(np.maximum(enh, 1e-300)),
        unequalized_main=unequalized_main,
        pulse=eq_pulse,
        samples_per_symbol=sps,
        implementation_margin_db=float(serdes.implementation_margin_db),
    )


def slicer_noise_variance(serdes: SerDes, eq: Equalization, normalised_frequency, symbol_rate, psd):
    """Slicer variance of one noise component through the chosen front end, CTLE and FFE [V^2/Hz -> 1].

    ``psd`` is a one-sided PSD at the receiver input ``[..., F]``; the result is in the normalised symbol
    units of ``eq`` (compare with ``eq.sigma_noise**2``).
    """
    nu = np.asarray(normalised_frequency, dtype=float)
    rs = np.asarray(symbol_rate, dtype=float)
    f = nu * rs[..., None]
    h_rx = butterworth_response(f, serdes.rx_bandwidth_ratio * rs[..., None], 4)
    ctle = ctle_response(f, rs[..., None], np.asarray(eq.ctle_gain_db)[..., None])
    w = np.asarray(eq.ffe_taps)
    r = noise_autocorrelation(nu, np.asarray(psd, dtype=float) * np.abs(h_rx * ctle) ** 2, rs, w.shape[-1])
    return np.maximum(np.einsum("...i,...ij,...j->...", w, _toeplitz(r), w), 0.0)
