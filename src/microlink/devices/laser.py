"""Continuous-wave DFB lasers and the external laser source (ELS) that feeds silicon-photonics modulators.

DFB L-I-V: ``I_th(T) = I_th0 exp((T - T_ref)/T_0)``, ``eta(T) = eta_0 exp(-(T - T_ref)/T_1)``,
``P = eta (I - I_th)``, ``V = V_0 + I R_s``; the chip wall-plug efficiency is ``P / (I V)``. A cooled laser
adds a thermo-electric cooler that pumps the chip's heat ``I V - P`` with a coefficient of performance COP,
and the bias current source has a conversion efficiency. The optical power reaching one modulator is
``P eta_fiber / N_split x eta_split``: the laser-to-fiber coupling, the fiber and its connectors, the
fiber-to-chip coupler and a 1:N splitter with excess loss (Coldren et al., *Diode Lasers and Photonic
Integrated Circuits*, 2nd ed., ch. 2; Mizrahi et al., OIF External Laser Small Form Factor Pluggable (ELSFP)
Implementation Agreement, 2023).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, choice, param
from microlink.units import ROOM_TEMPERATURE, db_to_linear


def dfb_threshold(temperature, threshold_reference, characteristic_temperature, reference_temperature=ROOM_TEMPERATURE):
    """``I_th0 exp((T - T_ref)/T_0)`` [K, A, K, K -> A]."""
    return np.asarray(threshold_reference, dtype=float) * np.exp(
        (np.asarray(temperature, dtype=float) - reference_temperature) / characteristic_temperature)


def dfb_slope(temperature, slope_reference, slope_temperature, reference_temperature=ROOM_TEMPERATURE):
    """``eta_0 exp(-(T - T_ref)/T_1)`` [K, W/A, K, K -> W/A]."""
    return np.asarray(slope_reference, dtype=float) * np.exp(
        -(np.asarray(temperature, dtype=float) - reference_temperature) / slope_temperature)


def drive_current_for_power(power, threshold, slope):
    """Current that gives an optical power, ``I_th + P / eta`` [W, A, W/A -> A]."""
    return np.asarray(threshold, dtype=float) + np.asarray(power, dtype=float) / np.asarray(slope, dtype=float)


def tec_power(heat, coefficient_of_performance):
    """Electrical power of a thermo-electric cooler pumping ``heat`` [W, 1 -> W] (0 when COP is infinite)."""
    return np.asarray(heat, dtype=float) / np.asarray(coefficient_of_performance, dtype=float)


@dataclass(frozen=True, eq=False)
class CWLaser(Parameters):
    """A continuous-wave 1310 nm DFB laser chip with its bias source and optional cooler."""

    section = "laser"

    wavelength: float = param(
        1310e-9, unit="m", bounds=(800e-9, 1700e-9), display=("nm", 1e-9),
        source=Source("O-band silicon photonics (IEEE 802.3 DR PMDs, 1304.5-1317.5 nm)", "standard"),
    )
    output_power: float = param(
        50e-3, unit="W", bounds=(0.0, 1.0), display=("mW", 1e-3),
        source=Source("high-power CW DFBs for silicon photonics deliver 50-100 mW", "literature", "50 mW"),
    )
    threshold_current: float = param(
        10e-3, unit="A", bounds=(1e-5, 1.0), display=("mA", 1e-3),
        source=Source("high-power 1310 nm DFB threshold ~10-20 mA at 25 C", "literature"),
    )
    characteristic_temperature: float = param(
        60.0, unit="K", bounds=(1.0, 1e4),
        source=Source("InGaAsP/AlGaInAs DFB T_0 50-80 K", "literature"),
    )
    # > 0: a laser with no slope emits no light at any current; the floor sits 30x below the cited 0.3 W/A
    slope_efficiency: float = param(
        0.35, unit="W/A", bounds=(0.01, 1.5),
        source=Source("high-power 1310 nm DFB slope 0.3-0.45 W/A at 25 C", "literature"),
    )
    slope_temperature: float = param(
        200.0, unit="K", bounds=(1.0, 1e5),
        source=Source("slope efficiency T_1 of InP DFBs ~150-300 K", "literature"),
    )
    turn_on_voltage: float = param(
        0.9, unit="V", bounds=(0.1, 5.0),
        source=Source("InP laser junction voltage near the 0.95 eV photon energy at 1310 nm", "literature"),
    )
    series_resistance: float = param(
        3.0, unit="ohm", bounds=(0.0, 1e3),
        source=Source("high-power DFB series resistance 2-5 ohm", "literature"),
    )
    chip_temperature: float = param(
        323.0, unit="K", bounds=(200.0, 450.0),
        source=Source("laser held at 50 C", "assumption", "cooled to 50 C in a pluggable ELS/module"),
    )
    cooled: bool = choice(
        True, options=(True, False),
        source=Source("ELSFP and DR pluggable lasers are temperature controlled", "assumption",
                      "a TEC holds the chip at chip_temperature"),
    )
    cooler_cop: float = param(
        1.0, unit="1", bounds=(0.01, 100.0),
        source=Source("TEC coefficient of performance ~0.5-1.5 at 10-30 K lift (Peltier module datasheets)",
                      "literature", "1.0"),
    )
    driver_efficiency: float = param(
        0.8, unit="1", bounds=(0.01, 1.0),
        source=Source("bias current source and regulator efficiency", "assumption", "0.8"),
    )
    rin_db_per_hz: float = param(
        -150.0, unit="dB/Hz", bounds=(-200.0, -100.0),
        source=Source("CW DFB RIN < -145 dB/Hz (IEEE 802.3 DR PMDs allow RIN OMA -136 dB/Hz)", "literature"),
    )

    def drive_current(self):
        """Bias current for the output power [A]."""
        t = self.chip_temperature
        return drive_current_for_power(self.output_power, dfb_threshold(t, self.threshold_current,
                                                                           self.characteristic_temperature),
                                       dfb_slope(t, self.slope_efficiency, self.slope_temperature))

    def chip_power(self):
        """Electrical power into the chip ``I V`` [W]."""
        i = self.drive_current()
        return i * (self.turn_on_voltage + i * self.series_resistance)

    def electrical_power(self):
        """Wall power of one laser: chip through its current source, plus the cooler [W]."""
        chip = self.chip_power()
        heat = np.maximum(chip - self.output_power, 0.0)
        cooler = tec_power(heat, self.cooler_cop) if self.cooled else 0.0
        return chip / self.driver_efficiency + cooler

    def wall_plug_efficiency(self):
        """Optical output over wall power [1]."""
        return self.output_power / self.electrical_power()


@dataclass(frozen=True, eq=False)
class LaserDistribution(Parameters):
    """How one laser's light reaches the modulators: coupling, fiber, splitter."""

    section = "distribution"

    split_ratio: float = param(
        4, unit="1", bounds=(1, 64),
        source=Source("NVIDIA CPO: 4x fewer lasers than pluggables (systems_and_market.md 2.1-2.3)", "claim",
                      "one laser feeds 4 modulators"),
    )
    laser_to_fiber_db: float = param(
        1.5, unit="dB", bounds=(0.0, 20.0),
        source=Source("lensed DFB-to-PM-fiber coupling", "assumption", "1.5 dB"),
    )
    connector_loss_db: float = param(
        1.0, unit="dB", bounds=(0.0, 20.0),
        source=Source("ELS blind-mate connector + fiber shuffle, 2 x 0.5 dB", "assumption", "1.0 dB"),
    )
    fiber_to_chip_db: float = param(
        1.5, unit="dB", bounds=(0.0, 20.0),
        source=Source("edge/grating coupler into the photonic chip, 1-2 dB", "literature"),
    )
    splitter_excess_db: float = param(
        0.5, unit="dB", bounds=(0.0, 20.0),
        source=Source("MMI/Y-splitter tree excess loss", "assumption", "0.5 dB for 1:4"),
    )

    def per_modulator(self, laser_power):
        """Optical power reaching one modulator [W -> W]."""
        loss = self.laser_to_fiber_db + self.connector_loss_db + self.fiber_to_chip_db + self.splitter_excess_db
        return np.asarray(laser_power, dtype=float) * db_to_linear(-loss) / self.split_ratio
