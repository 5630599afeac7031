"""850 nm oxide-confined VCSEL: L-I-V with self-heating, rate-equation small-signal response, RIN.

* Threshold ``I_th(T) = I_th0 [1 + ((T - T_0)/T_w)^2]`` (gain-peak / cavity-mode alignment, parabolic around
  the design temperature ``T_0``), slope ``eta(T) = eta_0 [1 - (T - T_0)/T_eta]``.
* Light output ``P = eta(T_j) (I - I_th(T_j))`` with the junction temperature solved self-consistently,
  ``T_j = T_a + R_th (I V(I) - P)``, ``V = V_0 + I R_s`` (Coldren, Corzine & Mashanovitch, *Diode Lasers and
  Photonic Integrated Circuits*, 2nd ed., ch. 2-5).
* Small signal from the single-mode rate equations: ``H(f) = f_r^2 / (f_r^2 - f^2 + j f gamma/(2 pi))``
  times a parasitic pole ``1/(1 + j f/f_p)``, with the relaxation-oscillation frequency ``f_r = D
  sqrt(I - I_th)`` and damping ``gamma = K f_r^2 + gamma_0`` (K- and D-factors as extracted for high-speed
  850 nm VCSELs: Westbergh et al., IEEE JSTQE 15, 694 (2009); Haglund et al., JLT 33, 795 (2015)).
* RIN from the same rate equations (Langevin sources): ``RIN(f) = RIN_0 (gamma'^2 + f^2) f_r^4 /
  (gamma'^2 |f_r^2 - f^2 + j f gamma'|^2)`` with ``gamma' = gamma/(2 pi)``, equal to ``RIN_0`` at low frequency
  and peaking near ``f_r``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, param
from microlink.units import MILLI

#: ``D`` factors are quoted in GHz/sqrt(mA); 1 GHz/sqrt(mA) = 1e9/sqrt(1e-3) Hz/sqrt(A).
GHZ_PER_SQRT_MA = 1e9 / np.sqrt(MILLI)


def threshold_current(temperature, threshold_at_optimum, optimum_temperature, temperature_width):
    """``I_th0 [1 + ((T - T_0)/T_w)^2]`` [K, A, K, K -> A]."""
    x = (np.asarray(temperature, dtype=float) - optimum_temperature) / temperature_width
    return np.asarray(threshold_at_optimum, dtype=float) * (1.0 + x * x)


def slope_efficiency(temperature, slope_at_optimum, optimum_temperature, slope_temperature):
    """``eta_0 [1 - (T - T_0)/T_eta]`` clipped at 0 [K, W/A, K, K -> W/A]."""
    t = np.asarray(temperature, dtype=float)
    return np.asarray(slope_at_optimum, dtype=float) * np.maximum(1.0 - (t - optimum_temperature) / slope_temperature, 0.0)


def relaxation_frequency(current, threshold, d_factor):
    """``f_r = D sqrt(I - I_th)`` (0 below threshold) [A, A, Hz/sqrt(A) -> Hz]."""
    return np.asarray(d_factor, dtype=float) * np.sqrt(np.maximum(np.asarray(current, dtype=float) - threshold, 0.0))


def damping_rate(relaxation_frequency_, k_factor, damping_offset):
    """``gamma = K f_r^2 + gamma_0`` [Hz, s, 1/s -> 1/s]."""
    fr = np.asarray(relaxation_frequency_, dtype=float)
    return np.asarray(k_factor, dtype=float) * fr * fr + np.asarray(damping_offset, dtype=float)


def intrinsic_response(frequency, relaxation_frequency_, damping):
    """Rate-equation modulation response ``f_r^2 / (f_r^2 - f^2 + j f gamma/(2 pi))`` [Hz, Hz, 1/s -> 1].

    1 at DC by normalisation, also where ``f_r = 0`` (biased at or below threshold: the limit ``f_r -> 0`` is 1
    at DC and 0 at every other frequency, a laser with no modulation bandwidth).
    """
    f = np.asarray(frequency, dtype=float)
    fr = np.asarray(relaxation_frequency_, dtype=float)
    dc = f == 0.0
    den = fr * fr - f * f + 1j * f * np.asarray(damping, dtype=float) / (2.0 * np.pi)
    return np.where(dc, 1.0 + 0.0j, fr * fr / np.where(dc, 1.0, den))


def rin_spectrum(frequency, relaxation_frequency_, damping, rin_low_frequency):
    """Relative intensity noise spectrum of the rate equations [Hz, Hz, 1/s, 1/Hz -> 1/Hz] (one-sided)."""
    f = np.asarray(frequency, dtype=float)
    fr = np.asarray(relaxation_frequency_, dtype=float)
    g = np.asarray(damping, dtype=float) / (2.0 * np.pi)
    den = (fr * fr - f * f) ** 2 + (f * g) ** 2
    return np.asarray(rin_low_frequency, dtype=float) * (g * g + f * f) * fr**4 / (g * g * np.maximum(den, 1e-300))


#: Upper end of the -3 dB search, in units of the relaxation frequency (a response still above -3 dB there
#: reports this bandwidth).
BANDWIDTH_SEARCH_LIMIT = 4.0


def modulation_bandwidth(relaxation_frequency_, damping, parasitic_bandwidth):
    """-3 dB (electrical) bandwidth of intrinsic response x parasitic pole [Hz, 1/s, Hz -> Hz], elementwise.

    ``|H|^2 = f_r^4 / ((f_r^2 - f^2)^2 + (f gamma / 2 pi)^2) / (1 + f^2 / f_p^2)`` falls to 1/2 where the cubic
    in ``y = f^2 / f_r^2``, ``(f_r/f_p)^2 y^3 + (1 + (g^2 - 2 f_r^2) / f_p^2) y^2 + (g^2 / f_r^2 - 2 + (f_r/f_p)^2)
    y - 1 = 0`` (``g = gamma / 2 pi``), has its largest real root: the last crossing, past which the response
    stays below -3 dB. The roots are the eigenvalues of the cubic's companion matrices, point by point; the
    bandwidth is capped at :data:`BANDWIDTH_SEARCH_LIMIT` x ``f_r``, and 0 where ``f_r`` is (no lasing).
    """
    fr, gamma, fp = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in
                                          (relaxation_frequency_, damping, parasitic_bandwidth)))
    shape = fr.shape
    fr, gamma, fp = (x.reshape(-1) for x in (fr, gamma, fp))
    lasing = fr > 0.0  # below threshold there is no relaxation oscillation and no modulation bandwidth
    fr_safe = np.where(lasing, fr, 1.0)
    ca = (fr_safe / fp) ** 2
    gb = (gamma / (2.0 * np.pi) / fr_safe) ** 2  # (g / f_r)^2
    c3, c2, c1, c0 = ca, 1.0 + ca * (gb - 2.0), gb - 2.0 + ca, -np.ones_like(ca)
    companion = np.zeros((fr.size, 3, 3))
    companion[:, 0, :] = -np.stack([c2, c1, c0], axis=-1) / c3[:, None]
    companion[:, 1, 0] = companion[:, 2, 1] = 1.0
    roots = np.linalg.eigvals(companion)
    real = np.where(np.abs(roots.imag) <= 1e-9 * np.maximum(np.abs(roots.real), 1.0), roots.real, -np.inf)
    y = np.clip(np.max(real, axis=-1), 0.0, BANDWIDTH_SEARCH_LIMIT**2)  # P(0) = -1 < 0: a positive root exists
    return np.where(lasing, fr * np.sqrt(y), 0.0).reshape(shape)[()]


@dataclass(frozen=True, eq=False)
class VCSEL(Parameters):
    """A high-speed 850 nm oxide-confined multimode VCSEL, one per lane."""

    section = "vcsel"

    wavelength: float = param(
        850e-9, unit="m", bounds=(600e-9, 1700e-9), display=("nm", 1e-9),
        source=Source("IEEE 802.3 SR PMDs: 840-860 nm", "standard"),
    )
    threshold_current: float = param(
        0.5e-3, unit="A", bounds=(1e-6, 0.1), display=("mA", 1e-3),
        source=Source("high-speed 850 nm VCSELs with ~7 um oxide apertures: I_th ~0.4-0.7 mA "
                      "(Westbergh et al., Electron. Lett. 48, 1145 (2012))", "literature"),
    )
    optimum_temperature: float = param(
        300.0, unit="K", bounds=(200.0, 450.0),
        source=Source("gain-cavity detuning set for minimum threshold near room temperature", "assumption",
                      "27 C"),
    )
    threshold_temperature_width: float = param(
        80.0, unit="K", bounds=(1.0, 1e4),
        source=Source("threshold doubles ~80 K away from the gain-cavity alignment (typical of 850 nm VCSELs)",
                      "assumption", "T_w = 80 K"),
    )
    # > 0: a VCSEL with no slope emits no light at any current (as CWLaser.slope_efficiency); the floor sits
    # 50x below the cited 0.5 W/A
    slope_efficiency: float = param(
        0.6, unit="W/A", bounds=(0.01, 1.5),
        source=Source("differential slope efficiency of datacom 850 nm VCSELs 0.5-0.8 W/A", "literature"),
    )
    slope_temperature: float = param(
        300.0, unit="K", bounds=(1.0, 1e5),
        source=Source("slope efficiency falls ~25 % from 25 to 100 C in datacom VCSELs", "assumption",
                      "T_eta = 300 K"),
    )
    turn_on_voltage: float = param(
        1.6, unit="V", bounds=(0.5, 5.0),
        source=Source("GaAs QW VCSEL turn-on ~1.5-1.7 V", "literature"),
    )
    series_resistance: float = param(
        60.0, unit="ohm", bounds=(1.0, 1e4),
        source=Source("differential resistance of ~7 um aperture VCSELs 50-80 ohm", "literature"),
    )
    thermal_impedance: float = param(
        2.5e3, unit="K/W", bounds=(0.0, 1e5), display=("K/mW", 1e3),
        source=Source("thermal impedance of ~7 um aperture oxide VCSELs 2-3 K/mW", "literature"),
    )
    # > 0: D ~ sqrt(differential gain); D = 0 is a laser with no gain and no relaxation oscillation at any current;
    # the floor sits 100x below the cited 10 GHz/sqrt(mA)
    d_factor: float = param(
        12.0 * GHZ_PER_SQRT_MA, unit="Hz/A**0.5", bounds=(0.1 * GHZ_PER_SQRT_MA, 1e13),
        display=("GHz/sqrt(mA)", GHZ_PER_SQRT_MA),
        source=Source("Westbergh et al., JSTQE 15, 694 (2009) and later Chalmers work: D = 10-17 GHz/sqrt(mA) "
                      "for 850 nm high-speed VCSELs", "literature", "12 GHz/sqrt(mA)"),
    )
    k_factor: float = param(
        0.2e-9, unit="s", bounds=(0.0, 1e-8), display=("ns", 1e-9),
        source=Source("Haglund et al., JLT 33, 795 (2015): K = 0.1-0.4 ns studied; moderate damping is optimal "
                      "for large-signal PAM4", "literature", "0.2 ns"),
    )
    damping_offset: float = param(
        # from 0.1/ns: with K = 0 an undamped resonance has an unbounded RIN peak, which no real laser shows
        20e9, unit="1/s", bounds=(1e8, 1e13), display=("1/ns", 1e9),
        source=Source("damping offset gamma_0 of 850 nm VCSELs ~10-30 1/ns (Westbergh 2009)", "literature"),
    )
    parasitic_bandwidth: float = param(
        25e9, unit="Hz", bounds=(1e8, 1e12), display=("GHz", 1e9),
        source=Source("Mutig et al. (TU Berlin): parasitic frequency ~20-30 GHz limits large-aperture 850 nm "
                      "VCSELs", "literature", "25 GHz"),
    )
    rin_low_frequency_db: float = param(
        -150.0, unit="dB/Hz", bounds=(-200.0, -100.0),
        source=Source("IEEE 802.3 SR PMDs allow RIN12OMA up to -128..-132 dB/Hz; multimode VCSELs measure "
                      "-140..-155 dB/Hz away from the resonance", "assumption",
                      "-150 dB/Hz at low frequency; the rate-equation shape raises it near f_r"),
    )
    spectral_width_rms: float = param(
        0.35e-9, unit="m", bounds=(0.0, 5e-9), display=("nm", 1e-9),
        source=Source("IEEE 802.3db 100GBASE-SR1: RMS spectral width <= 0.6 nm; typical devices 0.3-0.45 nm",
                      "standard", "0.35 nm"),
    )
    temperature: float = param(
        343.0, unit="K", bounds=(200.0, 450.0),
        source=Source("module case temperature for NPO/pluggable optics", "assumption", "70 C"),
    )

    # -------------------------------------------------------------------------------------------------
    def voltage(self, current):
        """Forward voltage [A -> V]."""
        return self.turn_on_voltage + np.asarray(current, dtype=float) * self.series_resistance

    def junction_temperature(self, current, iterations=8):
        """Self-consistent junction temperature [A -> K]."""
        i = np.asarray(current, dtype=float)
        t = np.broadcast_to(np.asarray(self.temperature, dtype=float),
                            np.broadcast_shapes(i.shape, np.shape(self.temperature))) * 1.0
        for _ in range(iterations):
            p = self._power_at(i, t)
            t = self.temperature + self.thermal_impedance * np.maximum(i * self.voltage(i) - p, 0.0)
        return t

    def _power_at(self, current, temperature):
        ith = threshold_current(temperature, self.threshold_current, self.optimum_temperature,
                                self.threshold_temperature_width)
        eta = slope_efficiency(temperature, self.slope_efficiency, self.optimum_temperature, self.slope_temperature)
        return eta * np.maximum(np.asarray(current, dtype=float) - ith, 0.0)

    def optical_power(self, current):
        """Emitted power with self-heating [A -> W]."""
        return self._power_at(current, self.junction_temperature(current))

    def threshold_at(self, current):
        """Threshold current at the junction temperature reached at ``current`` [A -> A]."""
        return threshold_current(self.junction_temperature(current), self.threshold_current, self.optimum_temperature,
                                 self.threshold_temperature_width)

    def small_signal(self, bias_current):
        """``(f_r [Hz], gamma [1/s])`` at a bias current [A]."""
        fr = relaxation_frequency(bias_current, self.threshold_at(bias_current), self.d_factor)
        return fr, damping_rate(fr, self.k_factor, self.damping_offset)

    def response(self, frequency, bias_current):
        """Electrical-to-optical small-signal response, normalised to 1 at DC [Hz, A -> 1]."""
        fr, g = self.small_signal(bias_current)
        fr = np.asarray(fr)[..., None] if np.ndim(frequency) > np.ndim(fr) else fr
        g = np.asarray(g)[..., None] if np.ndim(frequency) > np.ndim(g) else g
        return intrinsic_response(frequency, fr, g) / (1.0 + 1j * np.asarray(frequency) / self.parasitic_bandwidth)

    def bandwidth(self, bias_current):
        """-3 dB modulation bandwidth at a bias current [A -> Hz]."""
        fr, g = self.small_signal(bias_current)
        return modulation_bandwidth(fr, g, self.parasitic_bandwidth)

    def rin(self, frequency, bias_current):
        """RIN spectrum at a bias current [Hz, A -> 1/Hz]."""
        fr, g = self.small_signal(bias_current)
        fr = np.asarray(fr)[..., None] if np.ndim(frequency) > np.ndim(fr) else fr
        g = np.asarray(g)[..., None] if np.ndim(frequency) > np.ndim(g) else g
        return rin_spectrum(frequency, fr, g, 10.0 ** (self.rin_low_frequency_db / 10.0))
