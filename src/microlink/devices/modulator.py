"""Silicon modulators: carrier-depletion micro-ring (MRM) and travelling-wave Mach-Zehnder (MZM).

Micro-ring (all-pass ring near resonance, Bogaerts et al., Laser Photonics Rev. 6, 47 (2012)):
``T(d) = 1 - (1 - T_min) / (1 + (d / w)^2)`` with ``w = lambda / (2 Q)`` the half linewidth and ``d`` the
detuning of the laser from resonance. Reverse bias shifts the resonance by ``s`` [m/V], so PAM4 drive
voltages map to four transmissions (a non-linear, unequally spaced set of levels). Dynamics: the cavity
photon lifetime (a pole at half the optical linewidth, ``c/(2 lambda Q)``) and the junction RC pole. A CMOS
driver charging the junction from a supply ``V_dd`` draws ``C V_dd |dV|`` on each rising step, i.e.
``C V_dd E|dV|/2`` per symbol (``E|dV| = 5/12 V_pp`` for random PAM4). Thermal tuning must pull the
fabrication offset of the resonance back to the laser: ``P_h = |d_fab| / eta_tune``.

Mach-Zehnder (push-pull, biased at quadrature): ``T(V) = T_0 (1 + sin(pi V / V_pi)) / 2`` with
``V_pi = (V_pi L) / L``; optical loss ``alpha_opt L`` plus the combiners; a travelling-wave electrode of RF
loss ``alpha(f) = alpha_ref sqrt(f/f_ref)`` gives ``|H(f)| = (1 - exp(-alpha L)) / (alpha L)`` (velocity
matched; Reed et al., Nature Photonics 4, 518 (2010); Witzens, Proc. IEEE 106, 2158 (2018)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, param
from microlink.units import SPEED_OF_LIGHT, db_to_linear

#: E|V_n - V_{n-1}| / V_pp for independent equiprobable PAM4 levels (0, 1/3, 2/3, 1): 5/12.
PAM4_MEAN_STEP = 5.0 / 12.0
NRZ_MEAN_STEP = 0.5


def ring_transmission(detuning, half_width, min_transmission):
    """All-pass ring through-port power transmission [m, m, 1 -> 1]."""
    x = np.asarray(detuning, dtype=float) / np.asarray(half_width, dtype=float)
    return 1.0 - (1.0 - np.asarray(min_transmission, dtype=float)) / (1.0 + x * x)


def photon_lifetime_bandwidth(wavelength, quality_factor):
    """Cavity-limited modulation bandwidth, half the optical linewidth ``c / (2 lambda Q)`` [m, 1 -> Hz]."""
    return SPEED_OF_LIGHT / (2.0 * np.asarray(wavelength, dtype=float) * np.asarray(quality_factor, dtype=float))


def capacitive_drive_energy(capacitance, supply_voltage, swing, mean_step=PAM4_MEAN_STEP):
    """Energy per symbol of a CMOS driver charging a capacitor: ``C V_dd E|dV| / 2`` [F, V, V, 1 -> J]."""
    return np.asarray(capacitance, dtype=float) * supply_voltage * mean_step * np.asarray(swing, dtype=float) / 2.0


def mzm_transmission(voltage, v_pi, peak_transmission):
    """Push-pull MZM at quadrature, ``T_0 (1 + sin(pi V / V_pi)) / 2`` [V, V, 1 -> 1]."""
    return np.asarray(peak_transmission, dtype=float) * 0.5 * (
        1.0 + np.sin(np.pi * np.asarray(voltage, dtype=float) / np.asarray(v_pi, dtype=float)))


def travelling_wave_response(frequency, rf_loss_at_reference, reference_frequency, length):
    """Velocity-matched travelling-wave electrode ``(1 - exp(-a L))/(a L)``, ``a`` in Np/m growing as sqrt(f)
    [Hz, Np/m, Hz, m -> 1] (magnitude; applied as a real, zero-phase factor)."""
    a = np.asarray(rf_loss_at_reference, dtype=float) * np.sqrt(
        np.maximum(np.asarray(frequency, dtype=float), 0.0) / reference_frequency) * np.asarray(length, dtype=float)
    safe = np.where(a > 1e-9, a, 1.0)
    return np.where(a > 1e-9, -np.expm1(-safe) / safe, 1.0)


@dataclass(frozen=True, eq=False)
class MicroRingModulator(Parameters):
    """A carrier-depletion silicon micro-ring modulator driven by a CMOS driver."""

    section = "modulator"

    quality_factor: float = param(
        2500.0, unit="1", bounds=(100.0, 1e6),
        source=Source("high-speed (>100 Gb/s PAM4) MRMs use loaded Q ~2000-5000 to keep the photon lifetime "
                      "short (researching.cn Photonics Res. 10, 1127 (2022); Dube-Demers et al., Optica 3, 622 "
                      "(2016))", "literature", "2500"),
    )
    min_transmission_db: float = param(
        -15.0, unit="dB", bounds=(-60.0, 0.0),
        source=Source("near-critically coupled ring: 10-20 dB notch depth", "literature", "-15 dB"),
    )
    resonance_shift: float = param(
        50e-12, unit="m/V", bounds=(0.0, 1e-9), display=("pm/V", 1e-12),
        source=Source("depletion MRMs: 20-60 pm/V in reverse bias (Kim et al., Photonics Res. 7, 948 (2019); "
                      "Dube-Demers 2016)", "literature", "50 pm/V, the upper part of the range as used by "
                      "100G+ PAM4 rings with interleaved junctions"),
    )
    bias_detuning: float = param(
        0.4, unit="1", bounds=(0.0, 10.0),
        source=Source("laser parked on the ring's flank, between the largest-slope point (w/sqrt3) and the notch",
                      "assumption", "0.4 half-linewidths: the slicer-SNR optimum of this model for PAM4 "
                      "(0.35-0.45; closer in compresses the upper levels, further out loses extinction)"),
    )
    drive_swing: float = param(
        2.0, unit="V", bounds=(0.0, 10.0),
        source=Source("CMOS drivers with stacked or high-voltage output stages reach 2 Vpp", "literature"),
    )
    junction_capacitance: float = param(
        20e-15, unit="F", bounds=(0.0, 1e-11), display=("fF", 1e-15),
        source=Source("PN junction of a ~5-10 um radius ring, 10-30 fF", "literature"),
    )
    pad_capacitance: float = param(
        10e-15, unit="F", bounds=(0.0, 1e-11), display=("fF", 1e-15),
        source=Source("hybrid-bonded driver-to-ring connection (TSMC COUPE-class)", "assumption", "10 fF"),
    )
    series_resistance: float = param(
        60.0, unit="ohm", bounds=(0.0, 1e5),
        source=Source("PN-junction series resistance of a ring, 50-100 ohm", "literature"),
    )
    driver_output_resistance: float = param(
        50.0, unit="ohm", bounds=(0.0, 1e5),
        source=Source("CMOS driver output stage", "assumption", "50 ohm"),
    )
    driver_supply: float = param(
        2.0, unit="V", bounds=(0.1, 10.0),
        source=Source("stacked-FET output stage supplies the full swing", "assumption", "2 V"),
    )
    predriver_energy: float = param(
        0.3e-12, unit="J", bounds=(0.0, 1e-9), display=("pJ/symbol", 1e-12),
        source=Source("segmented PAM4 pre-driver and serializer in 7-16 nm CMOS", "assumption",
                      "0.3 pJ/symbol (~32 mW at 106 GBd)"),
    )
    excess_loss_db: float = param(
        0.5, unit="dB", bounds=(0.0, 20.0),
        source=Source("bus waveguide and ring coupling excess loss", "assumption", "0.5 dB"),
    )
    tuning_efficiency: float = param(
        0.25e-9 / 1e-3, unit="m/W", bounds=(1e-12, 1e-3), display=("nm/mW", 1e-9 / 1e-3),
        source=Source("integrated heaters: 0.1 nm/mW (TiN, Photonics Res. 10, 1127 (2022)) to ~0.5 nm/mW with "
                      "thermal isolation", "literature", "0.25 nm/mW"),
    )
    fabrication_offset: float = param(
        0.5e-9, unit="m", bounds=(0.0, 1e-7), display=("nm", 1e-9),
        source=Source("resonance scatter of rings across a wafer ~0.3-1 nm after trimming", "assumption",
                      "0.5 nm mean correction"),
    )
    wavelength: float = param(
        1310e-9, unit="m", bounds=(800e-9, 1700e-9), display=("nm", 1e-9),
        source=Source("O-band silicon photonics", "standard"),
    )

    @property
    def half_width(self):
        """Half linewidth ``lambda / (2 Q)`` [m]."""
        return self.wavelength / (2.0 * self.quality_factor)

    def transmission_levels(self, normalised_levels):
        """Transmissions of the drive levels (``-1..1`` normalised across the swing) [1 -> 1].

        Higher reverse voltage moves the resonance away from the laser (blue shift), raising transmission, so
        the level order is preserved.
        """
        d = (self.bias_detuning * self.half_width
             + self.resonance_shift * self.drive_swing * 0.5 * np.asarray(normalised_levels, dtype=float))
        return db_to_linear(-self.excess_loss_db) * ring_transmission(d, self.half_width,
                                                                     db_to_linear(self.min_transmission_db))

    @property
    def capacitance(self):
        """Junction + pad [F]."""
        return self.junction_capacitance + self.pad_capacitance

    def bandwidths(self):
        """``{"photon_lifetime": Hz, "rc": Hz}`` poles of the modulator."""
        return {
            "photon_lifetime": photon_lifetime_bandwidth(self.wavelength, self.quality_factor),
            "rc": 1.0 / (2.0 * np.pi * (self.series_resistance + self.driver_output_resistance) * self.capacitance),
        }

    def energy_per_symbol(self, mean_step=PAM4_MEAN_STEP):
        """Driver energy per symbol: capacitive charging + pre-driver [J]."""
        return capacitive_drive_energy(self.capacitance, self.driver_supply, self.drive_swing, mean_step) + \
            self.predriver_energy

    def tuning_power(self):
        """Heater power holding the resonance on the laser [W]."""
        return self.fabrication_offset / self.tuning_efficiency


@dataclass(frozen=True, eq=False)
class MachZehnderModulator(Parameters):
    """A silicon travelling-wave push-pull MZM (PN depletion phase shifters, 50-ohm terminated)."""

    section = "modulator"

    length: float = param(
        3e-3, unit="m", bounds=(1e-5, 0.1), display=("mm", 1e-3),
        source=Source("silicon TW-MZMs for 100-200 Gb/s PAM4: 2-4 mm", "literature", "3 mm"),
    )
    v_pi_length: float = param(
        2.0e-2, unit="V m", bounds=(1e-4, 1.0), display=("V cm", 1e-2),
        source=Source("depletion PN phase shifters: V_pi L 1.5-2.5 V cm (Reed et al., Nat. Photon. 4, 518 (2010); "
                      "Witzens, Proc. IEEE 106, 2158 (2018))", "literature", "2.0 V cm"),
    )
    optical_loss_db_per_m: float = param(
        1000.0, unit="dB/m", bounds=(0.0, 1e5), display=("dB/mm", 1e3),
        source=Source("doped phase-shifter loss ~0.5-1.5 dB/mm", "literature", "1 dB/mm"),
    )
    combiner_loss_db: float = param(
        0.5, unit="dB", bounds=(0.0, 20.0), source=Source("two MMIs", "assumption", "0.5 dB"),
    )
    rf_loss_db_per_m: float = param(
        700.0, unit="dB/m", bounds=(0.0, 1e5), display=("dB/mm", 1e3),
        source=Source("silicon TW electrode RF loss ~0.6-0.8 dB/mm at ~27 GHz (Witzens 2018)", "literature",
                      "0.7 dB/mm at the reference frequency"),
    )
    rf_reference_frequency: float = param(
        26.5625e9, unit="Hz", bounds=(1e6, 1e12), display=("GHz", 1e9),
        source=Source("Nyquist of 106.25 Gb/s PAM4", "standard"),
    )
    drive_swing: float = param(
        2.5, unit="V", bounds=(0.0, 20.0),
        source=Source("linear SiGe MZM drivers: 2-3 Vppd", "literature", "2.5 Vppd"),
    )
    wavelength: float = param(
        1310e-9, unit="m", bounds=(800e-9, 1700e-9), display=("nm", 1e-9),
        source=Source("O-band", "standard"),
    )
    bias_heater_power: float = param(
        5e-3, unit="W", bounds=(0.0, 1.0), display=("mW", 1e-3),
        source=Source("thermal phase bias at quadrature", "assumption", "5 mW per MZM"),
    )

    @property
    def v_pi(self):
        """Half-wave voltage [V]."""
        return self.v_pi_length / self.length

    @property
    def peak_transmission(self):
        """Optical transmission at the constructive point [1]."""
        return db_to_linear(-(self.optical_loss_db_per_m * self.length + self.combiner_loss_db))

    def transmission_levels(self, normalised_levels):
        """Transmissions of the drive levels (``-1..1`` normalised across the swing) [1 -> 1]."""
        v = 0.5 * self.drive_swing * np.asarray(normalised_levels, dtype=float)
        return mzm_transmission(v, self.v_pi, self.peak_transmission)

    def electrode_response(self, frequency):
        """Travelling-wave electrode magnitude response [Hz -> 1]."""
        alpha = self.rf_loss_db_per_m / (20.0 / np.log(10.0))  # dB/m -> Np/m
        return travelling_wave_response(frequency, alpha, self.rf_reference_frequency, self.length)
