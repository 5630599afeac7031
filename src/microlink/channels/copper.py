"""Copper channels: shielded twinax cable, host PCB and package traces, connectors, crosstalk, reflections.

Loss physics (attenuation constants in Np/m; ``IL_dB = 8.686 alpha L``):

* Conductor (skin effect): surface resistance ``R_s = sqrt(pi f mu_0 rho)``; a wire of diameter ``d``
  has ``R = R_s / (pi d)`` per metre, raised by the proximity effect of the pair, ``k_p = (s/d) /
  sqrt((s/d)^2 - 1)`` (Ramo, Whinnery & Van Duzer, *Fields and Waves in Communication Electronics*, 3rd ed.,
  sec. 5.14), where the centre spacing ``s`` follows from the pair's differential impedance
  ``Z_diff = (120 / sqrt(eps_eff)) acosh(s/d)``. The differential attenuation is ``R / Z_diff`` (both
  wires carry the current; ``alpha = R_loop / (2 Z_diff)``), blended into the DC resistance below the skin
  transition.
* Dielectric: ``alpha_d = pi f sqrt(eps_eff) tan(delta) / c``.
* PCB and package striplines: ``alpha_c = R_s K_H / (2 w Z_odd)`` (current on both faces of the strip;
  Bogatin, *Signal and Power Integrity - Simplified*, 3rd ed., ch. 9: 36 sqrt(f)/(w Z0) dB/inch) with the
  Hammerstad roughness factor ``K_H = 1 + (2/pi) atan(1.4 (Delta_rms / delta)^2)``, plus the dielectric term.
* Connectors, vias and BGA transitions: a loss ``a_ref (f / f_ref)^(1/2)`` each.
* Wire gauge: ``d = 0.127 mm x 92^((36 - AWG)/39)`` (ASTM B258).

Transmission lines are minimum-phase apart from their delay, so the complex response is built from the
insertion loss by the cepstral (Hilbert-transform) method; the pure delay is carried separately as latency.

Crosstalk is the power sum of near-end (NEXT) and far-end (FEXT) aggressors whose coupling grows as
``f`` (mutual capacitance and inductance, 20 dB/decade) up to the Nyquist frequency; FEXT travels with the
signal and is attenuated by the through channel, NEXT is coupled at the receiving connector from a
full-swing local transmitter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, param
from microlink.signals import NEPER_TO_DB, minimum_phase_response  # noqa: F401  (re-exported for channel users)
from microlink.units import INCH, SPEED_OF_LIGHT

VACUUM_PERMEABILITY = 4e-7 * np.pi  # [H/m] (1.25663706212e-6 in SI 2019; difference < 1e-9)
COPPER_RESISTIVITY = 1.72e-8  # [ohm m] annealed copper at 20 C (IACS 100 %)
SILVER_RESISTIVITY = 1.59e-8  # [ohm m] at 20 C (CRC Handbook)


# ----------------------------------------------------------------------------------------------------------
# Pure functions


def awg_diameter(awg):
    """Solid-wire diameter from the American Wire Gauge, ASTM B258 [1 -> m]."""
    return 0.127e-3 * np.power(92.0, (36.0 - np.asarray(awg, dtype=float)) / 39.0)


def skin_depth(frequency, resistivity=COPPER_RESISTIVITY, relative_permeability=1.0):
    """``delta = sqrt(rho / (pi f mu))`` [Hz, ohm m, 1 -> m]."""
    f = np.maximum(np.asarray(frequency, dtype=float), 1e-30)
    return np.sqrt(resistivity / (np.pi * f * VACUUM_PERMEABILITY * relative_permeability))


def surface_resistance(frequency, resistivity=COPPER_RESISTIVITY):
    """``R_s = rho / delta = sqrt(pi f mu_0 rho)`` [Hz, ohm m -> ohm]."""
    return np.sqrt(np.pi * np.asarray(frequency, dtype=float) * VACUUM_PERMEABILITY * resistivity)


def pair_spacing_ratio(differential_impedance, permittivity):
    """Centre spacing over wire diameter of a parallel pair, ``cosh(Z_diff sqrt(eps) / 120)`` [ohm, 1 -> 1]."""
    return np.cosh(np.asarray(differential_impedance, dtype=float) * np.sqrt(permittivity) / 120.0)


def proximity_factor(spacing_ratio):
    """AC-resistance increase of two parallel wires, ``(s/d) / sqrt((s/d)^2 - 1)`` [1 -> 1]."""
    r = np.asarray(spacing_ratio, dtype=float)
    return r / np.sqrt(np.maximum(r * r - 1.0, 1e-12))


def twinax_conductor_attenuation(frequency, conductor_diameter, differential_impedance, permittivity,
                                 resistivity=SILVER_RESISTIVITY, excess=1.0):
    """Differential conductor attenuation of a twinax pair [Hz, m, ohm, 1, ohm m, 1 -> Np/m].

    ``alpha_c = excess sqrt(R_dc^2 + R_ac^2) / Z_diff`` with ``R_ac = k_p R_s / (pi d)`` and
    ``R_dc = 4 rho / (pi d^2)`` per wire; ``excess`` (>= 1) covers shield currents, plating and drain wire.
    """
    d = np.asarray(conductor_diameter, dtype=float)
    kp = proximity_factor(pair_spacing_ratio(differential_impedance, permittivity))
    r_ac = kp * surface_resistance(frequency, resistivity) / (np.pi * d)
    r_dc = 4.0 * resistivity / (np.pi * d * d)
    return excess * np.sqrt(r_ac**2 + r_dc**2) / np.asarray(differential_impedance, dtype=float)


def dielectric_attenuation(frequency, permittivity, loss_tangent):
    """``alpha_d = pi f sqrt(eps) tan(delta) / c`` [Hz, 1, 1 -> Np/m]."""
    return np.pi * np.asarray(frequency, dtype=float) * np.sqrt(permittivity) * np.asarray(loss_tangent) / SPEED_OF_LIGHT


def hammerstad_roughness(frequency, roughness_rms, resistivity=COPPER_RESISTIVITY):
    """Hammerstad-Jensen roughness factor ``1 + (2/pi) atan(1.4 (Delta/delta)^2)`` [Hz, m, ohm m -> 1]."""
    ratio = np.asarray(roughness_rms, dtype=float) / skin_depth(frequency, resistivity)
    return 1.0 + (2.0 / np.pi) * np.arctan(1.4 * ratio * ratio)


def stripline_attenuation(frequency, trace_width, differential_impedance, permittivity, loss_tangent,
                          roughness_rms, resistivity=COPPER_RESISTIVITY):
    """Differential stripline attenuation, conductor + dielectric [Hz, m, ohm, 1, 1, m, ohm m -> Np/m].

    Conductor term ``R_s K_H / (2 w Z_odd)`` with ``Z_odd = Z_diff / 2`` (Bogatin's rule).
    """
    z_odd = 0.5 * np.asarray(differential_impedance, dtype=float)
    cond = surface_resistance(frequency, resistivity) * hammerstad_roughness(frequency, roughness_rms, resistivity) / (
        2.0 * np.asarray(trace_width, dtype=float) * z_odd)
    return cond + dielectric_attenuation(frequency, permittivity, loss_tangent)


def lumped_loss_db(frequency, loss_at_reference_db, reference_frequency):
    """Loss of a connector/via/transition growing as ``sqrt(f)`` [Hz, dB, Hz -> dB]."""
    return np.asarray(loss_at_reference_db, dtype=float) * np.sqrt(
        np.maximum(np.asarray(frequency, dtype=float), 0.0) / reference_frequency)


def crosstalk_coupling(frequency, coupling_at_reference_db, reference_frequency):
    """Crosstalk transfer magnitude growing 20 dB/decade up to the reference frequency, flat above
    [Hz, dB, Hz -> 1]."""
    f = np.asarray(frequency, dtype=float)
    return np.power(10.0, np.asarray(coupling_at_reference_db, dtype=float) / 20.0) * np.minimum(
        f / reference_frequency, 1.0)


# ----------------------------------------------------------------------------------------------------------
# Parameter classes

_BJ = ("IEEE Std 802.3bj-2014, 92.10.7 (100GBASE-CR4 cable assembly): insertion loss <= 22.48 dB at 12.89 GHz "
       "for 5 m of 26 AWG twinax including both plug paddle cards")


@dataclass(frozen=True, eq=False)
class TwinaxCable(Parameters):
    """A shielded 100-ohm twinax pair of a direct-attach cable, with its plug paddle cards."""

    section = "cable"

    awg: float = param(
        26.0, unit="1", bounds=(20.0, 40.0), display=("AWG", 1.0),
        source=Source("NVIDIA DAC overview: 30 AWG <= 1 m, 26 AWG for 2-3 m (links.md section 3)", "claim",
                      "26 AWG, the thickest gauge used in DACs"),
    )
    differential_impedance: float = param(
        100.0, unit="ohm", bounds=(50.0, 200.0),
        source=Source("IEEE 802.3 cable assemblies: 100 ohm differential", "standard"),
    )
    permittivity: float = param(
        1.8, unit="1", bounds=(1.0, 10.0),
        source=Source("foamed FEP/PE twinax insulation, effective eps_r 1.6-2.1", "literature",
                      "1.8: velocity 0.75 c, as quoted for DAC twinax"),
    )
    loss_tangent: float = param(
        5e-4, unit="1", bounds=(0.0, 0.1),
        source=Source("FEP tan(delta) ~ 5e-4..7e-4, foamed PE ~ 2e-4 at GHz frequencies (CRC Handbook; "
                      "DuPont Teflon FEP data)", "literature", "5e-4, between foamed PE and solid FEP"),
    )
    conductor_resistivity: float = param(
        SILVER_RESISTIVITY, unit="ohm m", bounds=(1e-9, 1e-6),
        source=Source("silver-plated copper conductors; skin depth at 26 GHz (0.4 um) lies in the plating",
                      "literature", "silver 1.59e-8 ohm m"),
    )
    conductor_excess: float = param(
        1.0, unit="1", bounds=(1.0, 5.0),
        source=Source("smooth-wire skin-effect bound with the pair's proximity factor (Wheeler's incremental "
                      "inductance rule; Pozar, Microwave Engineering, 4th ed., 2.7)", "derived",
                      "1.0: no extra loss beyond skin, proximity and surface roughness; raise it to model shield "
                      "return currents or a drain wire. The 802.3bj/ck limit lines are worst-case bounds, not "
                      "cable physics, and are no longer used to set it"),
    )
    conductor_roughness: float = param(
        0.1e-6, unit="m", bounds=(0.0, 10e-6), display=("um", 1e-6),
        source=Source("drawn, silver-plated copper wire: surface roughness Rq ~0.05-0.2 um, far smoother than "
                      "PCB foil (0.3-3 um); Hammerstad-Jensen roughness factor (Hammerstad and Jensen, IEEE "
                      "MTT-S 1980)", "assumption",
                      "0.1 um rms, the middle of the drawn-wire range; no twinax-specific measurement published"),
    )
    paddle_card_loss_db: float = param(
        1.0, unit="dB", bounds=(0.0, 20.0),
        source=Source("plug paddle card trace + wire termination, per plug", "assumption",
                      "1.0 dB at 26.56 GHz, growing as sqrt(f)"),
    )
    reference_frequency: float = param(
        26.5625e9, unit="Hz", bounds=(1e6, 1e12), display=("GHz", 1e9),
        source=Source("Nyquist frequency of 106.25 Gb/s PAM4 (802.3ck)", "standard"),
    )
    end_reflection: float = param(
        0.1, unit="1", bounds=(0.0, 0.9),
        source=Source("connector/paddle-card return loss ~20 dB at Nyquist (802.3ck cable assembly RL limits "
                      "are of this order)", "assumption", "reflection coefficient 0.1 at each cable end"),
    )

    @property
    def conductor_diameter(self):
        """Conductor diameter [m]."""
        return awg_diameter(self.awg)

    @property
    def velocity(self):
        """Propagation velocity ``c / sqrt(eps)`` [m/s]."""
        return SPEED_OF_LIGHT / np.sqrt(self.permittivity)

    def attenuation(self, frequency):
        """Differential attenuation of the bulk cable [Hz -> Np/m]."""
        rough = hammerstad_roughness(frequency, self.conductor_roughness, self.conductor_resistivity)
        return rough * twinax_conductor_attenuation(
            frequency, self.conductor_diameter, self.differential_impedance, self.permittivity,
            self.conductor_resistivity, self.conductor_excess,
        ) + dielectric_attenuation(frequency, self.permittivity, self.loss_tangent)

    def bulk_loss_db(self, frequency, length):
        """Insertion loss of the bulk cable; ``length`` broadcasts against ``frequency`` [Hz, m -> dB]."""
        return NEPER_TO_DB * self.attenuation(frequency) * np.asarray(length, dtype=float)

    def loss_db(self, frequency, length):
        """Insertion loss of the cable assembly (bulk cable + two paddle cards) [Hz, m -> dB]."""
        return self.bulk_loss_db(frequency, length) + 2.0 * lumped_loss_db(frequency, self.paddle_card_loss_db,
                                                                             self.reference_frequency)

    def delay(self, length):
        """Propagation delay [m -> s]."""
        return np.asarray(length, dtype=float) / self.velocity


@dataclass(frozen=True, eq=False)
class HostChannel(Parameters):
    """One host's electrical path from the SerDes bump to the cable connector (package + PCB + connector)."""

    section = "host_channel"

    package_length: float = param(
        15e-3, unit="m", bounds=(0.0, 0.2), display=("mm", 1e-3),
        source=Source("large switch/GPU packages route SerDes 10-25 mm to the ball", "assumption", "15 mm"),
    )
    package_trace_width: float = param(
        40e-6, unit="m", bounds=(5e-6, 1e-3), display=("um", 1e-6),
        source=Source("SerDes differential traces in build-up substrates", "assumption", "40 um"),
    )
    package_loss_tangent: float = param(
        0.005, unit="1", bounds=(0.0, 0.1),
        source=Source("ABF-class build-up dielectric, Df ~ 0.004-0.006 at 10 GHz (Ajinomoto GL-series data)",
                      "literature"),
    )
    pcb_length: float = param(
        3 * INCH, unit="m", bounds=(0.0, 2.0), display=("inch", INCH),
        source=Source("switch/GPU to front-panel or cable-cartridge connector", "assumption",
                      "3 inch: near-ASIC cable connectors keep 200G host traces short"),
    )
    pcb_trace_width: float = param(
        5 * 25.4e-6, unit="m", bounds=(10e-6, 2e-3), display=("mil", 25.4e-6),
        source=Source("100-ohm differential stripline in low-loss laminate", "assumption", "5 mil"),
    )
    pcb_permittivity: float = param(
        3.3, unit="1", bounds=(1.0, 10.0),
        source=Source("Panasonic Megtron 7 class laminate Dk ~3.3 (datasheet)", "literature"),
    )
    pcb_loss_tangent: float = param(
        0.0015, unit="1", bounds=(0.0, 0.1),
        source=Source("Panasonic Megtron 7 class laminate Df ~0.0015 at 10-14 GHz (datasheet)", "literature"),
    )
    copper_roughness: float = param(
        0.3e-6, unit="m", bounds=(0.0, 10e-6), display=("um", 1e-6),
        source=Source("HVLP copper foil, Rq ~0.3-0.5 um", "literature"),
    )
    transition_loss_db: float = param(
        1.5, unit="dB", bounds=(0.0, 30.0),
        source=Source("BGA ball, vias and host cable connector at 26.56 GHz", "assumption",
                      "0.5 dB BGA/via + 1.0 dB connector, growing as sqrt(f)"),
    )
    reference_frequency: float = param(
        26.5625e9, unit="Hz", bounds=(1e6, 1e12), display=("GHz", 1e9),
        source=Source("Nyquist frequency of 106.25 Gb/s PAM4 (802.3ck)", "standard"),
    )
    differential_impedance: float = param(
        100.0, unit="ohm", bounds=(50.0, 200.0), source=Source("100 ohm differential routing", "standard"),
    )
    next_coupling_db: float = param(
        -45.0, unit="dB", bounds=(-200.0, 0.0),
        source=Source("pair-to-pair NEXT of connector + paddle card at Nyquist", "assumption",
                      "-45 dB per aggressor (-40 dB power sum of 3): shielded twinax couples only in the plug; "
                      "-40 dB per aggressor shortens copper reach ~15 %, perfect isolation lengthens it ~30 %"),
    )
    fext_coupling_db: float = param(
        -45.0, unit="dB", bounds=(-200.0, 0.0),
        source=Source("pair-to-pair FEXT of connector + paddle card at Nyquist", "assumption",
                      "-45 dB per aggressor, as NEXT"),
    )
    next_aggressors: float = param(
        3, unit="1", bounds=(0, 32),
        source=Source("adjacent transmit pairs in an OSFP/QSFP-DD connector row", "assumption", "3"),
    )
    fext_aggressors: float = param(
        3, unit="1", bounds=(0, 32),
        source=Source("adjacent same-direction pairs", "assumption", "3"),
    )

    def loss_db(self, frequency):
        """Insertion loss of package + PCB + transitions [Hz -> dB]."""
        f = np.asarray(frequency, dtype=float)
        pkg = stripline_attenuation(f, self.package_trace_width, self.differential_impedance, 3.3,
                                    self.package_loss_tangent, self.copper_roughness) * self.package_length
        pcb = stripline_attenuation(f, self.pcb_trace_width, self.differential_impedance, self.pcb_permittivity,
                                    self.pcb_loss_tangent, self.copper_roughness) * self.pcb_length
        return NEPER_TO_DB * (pkg + pcb) + lumped_loss_db(f, self.transition_loss_db, self.reference_frequency)

    def delay(self):
        """Propagation delay of package + PCB [s]."""
        return (self.package_length * np.sqrt(3.3) + self.pcb_length * np.sqrt(self.pcb_permittivity)) / SPEED_OF_LIGHT
