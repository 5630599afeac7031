"""Analog electronics of optical modules and engines: linear modulator/VCSEL drivers, linear TIAs and their
output stages, module management and power conversion.

A linear (class-A) driver or output stage of differential swing ``V_ppd`` into a doubly terminated 100-ohm
line draws a tail current ``I = k V_ppd / 50 ohm`` (each side sees 50 ohm load || 50 ohm back termination
= 25 ohm, and a differential peak-to-peak swing of ``2 I 25 ohm``); the linearity factor ``k >= 1`` keeps the
transistors out of compression for PAM4 (Razavi, *Design of Integrated Circuits for Optical Communications*,
2nd ed., ch. 9). The power is ``V_supply I`` plus the gain stages ahead of the output (CTLE/VGA, each a CML
stage). A VCSEL driver also supplies the laser's bias current from its rail.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.devices.receiver import Receiver
from microlink.parameters import Parameters, Source, param

DOUBLE_TERMINATED_LOAD = 50.0  # [ohm] V_ppd / I of a CML stage into 2 x (50 || 50) ohm


def linear_stage_current(swing, linearity_factor=1.0, load=DOUBLE_TERMINATED_LOAD):
    """Tail current of a linear differential output stage ``k V_ppd / R`` [V, 1, ohm -> A]."""
    return np.asarray(linearity_factor, dtype=float) * np.asarray(swing, dtype=float) / load


@dataclass(frozen=True, eq=False)
class LinearDriver(Parameters):
    """A linear SiGe/CMOS driver of one lane: gain stages plus a terminated (or VCSEL) output stage."""

    section = "driver"

    supply_voltage: float = param(
        3.3, unit="V", bounds=(0.5, 10.0),
        source=Source("SiGe BiCMOS linear MZM/EML drivers run from 3.3 V to deliver 2-3 Vppd", "literature"),
    )
    linearity_factor: float = param(
        1.5, unit="1", bounds=(1.0, 10.0),
        source=Source("class-A headroom of linear PAM4 drivers (THD < 3 %)", "assumption",
                      "1.5x the current a hard-switched stage would need"),
    )
    gain_stage_power: float = param(
        30e-3, unit="W", bounds=(0.0, 10.0), display=("mW", 1e-3),
        source=Source("input CTLE + VGA of a linear driver lane", "assumption", "30 mW"),
    )
    bandwidth: float = param(
        60e9, unit="Hz", bounds=(1e8, 1e12), display=("GHz", 1e9),
        source=Source("200G-class linear drivers: > 55 GHz", "assumption", "60 GHz"),
    )

    def terminated_power(self, swing):
        """Power into a 50-ohm terminated modulator for a differential swing [V -> W]."""
        return self.supply_voltage * linear_stage_current(swing, self.linearity_factor) + self.gain_stage_power

    def vcsel_power(self, bias_current, modulation_current):
        """Power of a VCSEL driver: bias and class-A modulation current from the rail [A, A -> W].

        The VCSEL's own ``I V`` is part of this rail power; the caller reports it separately and subtracts it.
        """
        return self.supply_voltage * (np.asarray(bias_current, dtype=float)
                                      + self.linearity_factor * 0.5 * np.asarray(modulation_current, dtype=float)) \
            + self.gain_stage_power


@dataclass(frozen=True, eq=False)
class LinearReceiverStages(Parameters):
    """Gain, AGC and the terminated output stage that follow a TIA core (per lane)."""

    section = "tia_stages"

    # > 0: the AGC scales the signal to this swing; with none there is no signal for the equaliser (1 mV is far
    # below any receiver's input sensitivity)
    output_swing: float = param(
        0.5, unit="V", bounds=(1e-3, 5.0),
        source=Source("linear TIA differential output ~0.4-0.6 Vppd into a host or DSP", "literature"),
    )
    supply_voltage: float = param(
        2.5, unit="V", bounds=(0.5, 10.0),
        source=Source("SiGe linear TIAs run from 2.5-3.3 V", "literature", "2.5 V"),
    )
    linearity_factor: float = param(
        2.0, unit="1", bounds=(1.0, 10.0),
        source=Source("linear PAM4 TIA output stages keep large back-off", "assumption", "2x"),
    )
    gain_stage_power: float = param(
        40e-3, unit="W", bounds=(0.0, 10.0), display=("mW", 1e-3),
        source=Source("variable-gain and CTLE stages after the TIA core", "assumption", "40 mW"),
    )
    transimpedance: float = param(
        3000.0, unit="ohm", bounds=(1.0, 1e7),
        source=Source("differential transimpedance of 100/200G linear TIAs ~ 3-6 kohm", "literature", "3 kohm"),
    )

    def power(self):
        """Power of the stages after the TIA core [W]."""
        return self.supply_voltage * linear_stage_current(self.output_swing, self.linearity_factor) + \
            self.gain_stage_power


@dataclass(frozen=True, eq=False)
class ModuleOverhead(Parameters):
    """Management and power conversion of a module or engine (per end)."""

    section = "overhead"

    management_power: float = param(
        0.25, unit="W", bounds=(0.0, 100.0),
        source=Source("module microcontroller, monitors and CMIS management", "assumption", "0.25 W"),
    )
    conversion_efficiency: float = param(
        0.88, unit="1", bounds=(0.1, 1.0),
        source=Source("on-module DC-DC converters 85-90 % efficient", "literature", "0.88"),
    )

    def wall_power(self, load_power):
        """Power drawn from the host rail for a load [W -> W]."""
        return (np.asarray(load_power, dtype=float) + self.management_power) / self.conversion_efficiency


@dataclass(frozen=True, eq=False)
class LinearTIA(Receiver):
    """Core of a linear TIA for 50-100 GBd PAM4 (SiGe BiCMOS), designed by the shunt-feedback rules of
    :class:`~microlink.devices.receiver.Receiver`; the symbol rate takes the place of the bit rate."""

    section = "tia"

    feedback_resistance: float = param(
        400.0, unit="ohm", bounds=(10.0, 10e6), display=("kohm", 1e3),
        source=Source("feedback resistance of 50-100 GBd TIAs, 0.3-0.6 kohm (Razavi, Design of Integrated "
                      "Circuits for Optical Communications, 2nd ed., ch. 4)", "literature", "400 ohm"),
    )
    amplifier_input_capacitance: float = param(
        60e-15, unit="F", bounds=(0.0, 10e-12), display=("fF", 1e-15),
        source=Source("input HBT + ESD + pad of a SiGe TIA", "assumption", "60 fF"),
    )
    load_capacitance: float = param(
        50e-15, unit="F", bounds=(1e-18, 10e-12), display=("fF", 1e-15),
        source=Source("next gain stage input", "assumption", "50 fF"),
    )
    gm_over_id: float = param(
        30.0, unit="1/V", bounds=(1.0, 40.0),
        source=Source("bipolar gm/I_C = 1/V_T = 38.7 1/V at 300 K, degenerated", "literature", "30 1/V"),
    )
    supply_voltage: float = param(
        2.5, unit="V", bounds=(0.1, 5.0), source=Source("SiGe TIA supply", "literature", "2.5 V"),
    )
    bandwidth_ratio: float = param(
        0.7, unit="1", bounds=(0.2, 2.0),
        source=Source("PAM4 receiver bandwidth ~0.6-0.75 of the symbol rate", "literature", "0.7"),
    )


@dataclass(frozen=True, eq=False)
class CMOSLinearTIA(LinearTIA):
    """A CMOS TIA in the electronic die of a co-packaged engine (hybrid-bonded to the photonic die)."""

    section = "tia"

    amplifier_input_capacitance: float = param(
        20e-15, unit="F", bounds=(0.0, 10e-12), display=("fF", 1e-15),
        source=Source("7 nm-class input device with hybrid bonding, no ESD pad", "assumption", "20 fF"),
    )
    load_capacitance: float = param(
        20e-15, unit="F", bounds=(1e-18, 10e-12), display=("fF", 1e-15),
        source=Source("next CMOS gain stage", "assumption", "20 fF"),
    )
    gm_over_id: float = param(
        12.0, unit="1/V", bounds=(1.0, 40.0),
        source=Source("short-channel MOSFET near peak fT: gm/ID ~10-15 1/V", "literature", "12 1/V"),
    )
    supply_voltage: float = param(
        1.0, unit="V", bounds=(0.1, 5.0), source=Source("CMOS core/IO supply", "assumption", "1.0 V"),
    )
