"""Pluggable single-mode modules (DR8-style silicon photonics): DSP-retimed and linear-drive (LPO).

Optics per lane: a cooled CW DFB split to several travelling-wave Mach-Zehnder modulators (push-pull at
quadrature: the sine transfer compresses the outer PAM4 levels), a linear SiGe driver into the 50-ohm
electrodes (RF loss of the electrode as its response), single-mode fiber, waveguide Ge PD, SiGe linear TIA
with AGC and output stage.

* ``dsp``: the module DSP terminates the host's chip-to-module lanes and re-generates the line signal
  (DAC + FFE out, ADC + FFE/DFE in); the optical segment is equalised by the DSP and the two short
  electrical segments add their (small) BER.
* ``linear`` (LPO, Linear-drive Pluggable Optics MSA): no DSP; the host SerDes drives the modulator driver
  through the front-panel host channel (~20 dB at 53 GHz) and equalises the whole path on receive.

Module power per end: lasers (wall power with cooler), MZM drivers, bias heaters, TIA core and stages,
DSP, management and DC-DC conversion; the host SerDes and KP4 FEC are the host's share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from microlink.ber.closed_form import pam_levels
from microlink.channels.copper import HostChannel
from microlink.channels.single_mode import SingleModeFiber
from microlink.devices.dsp import DSPCore, dsp_energy_per_bit
from microlink.devices.laser import CWLaser, LaserDistribution
from microlink.devices.modulator import MachZehnderModulator
from microlink.devices.module_electronics import (
    LinearDriver,
    LinearReceiverStages,
    LinearTIA,
    ModuleOverhead,
)
from microlink.devices.photodetector import GermaniumPhotodetector
from microlink.devices.serdes import ChipToModuleSerDes, SerDes
from microlink.link.composite import Economics, Lanes, lane_and_receiver_fields
from microlink.link.optical import (
    IMDDLane,
    IMDDLink,
    electrical_response,
    laser_imdd_lane,
    loss_db_of,
    trailing_axis,
)
from microlink.parameters import Parameters, Source, choice, param, section
from microlink.units import INCH


@dataclass(frozen=True, eq=False)
class PluggableModule(Parameters):
    """Architecture of the module."""

    section = "module"

    architecture: str = choice(
        "dsp", options=("dsp", "linear"),
        source=Source("retimed DSP module, or linear-drive (LPO MSA)", "assumption", "dsp by default"),
    )


@dataclass(frozen=True, eq=False)
class PluggableEconomics(Economics):
    """Cost and FIT of a pluggable end."""

    module_cost_per_gbps: float = param(
        1.56, unit="USD/(Gb/s)", bounds=(0.0, 1e4),
        source=Source("800G OSFP DR8 $1,100-1,400 in volume (luxoptx, systems_and_market.md 2.2, 3P)", "claim",
                      "$1,250 / 800 Gb/s"),
    )
    cable_cost_per_m: float = param(
        2.0, unit="USD/m", bounds=(0.0, 1e5), source=Source("16-fiber SMF trunk", "assumption", "2 $/m"),
    )
    cable_fixed_cost: float = param(
        30.0, unit="USD", bounds=(0.0, 1e5), source=Source("two MPO connectors", "assumption", "$30"),
    )
    tx_lane_fit: float = param(
        25.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("driver 50-200 FIT per chip (links.md section 4, 2nd-hand)", "assumption",
                      "1/4 of a 4-lane driver (50 FIT) + MZM and heater (12 FIT)"),
    )
    rx_lane_fit: float = param(
        15.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("PD 20-100 FIT, TIA 30-150 FIT per chip (links.md section 4, 2nd-hand)", "assumption",
                      "1/4 of a 4-lane TIA (40 FIT) + PD (5 FIT)"),
    )
    laser_fit: float = param(
        100.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("DFB lasers 50-200 FIT at 70 C junction (links.md section 4, 2nd-hand)", "claim", "100 FIT"),
    )
    common_fit: float = param(
        300.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("DSP 100-500 FIT (links.md section 4, 2nd-hand)", "assumption",
                      "250 FIT DSP (mid-range, a hot 5 nm die) + 50 FIT controller/regulators"),
    )


@dataclass(frozen=True, eq=False)
class PluggableLink(IMDDLink):
    """A pluggable single-mode link (SiPh MZM DR8-style), DSP-retimed or linear (LPO)."""

    technology: ClassVar[str] = "pluggable"
    supports_parameter_arrays: ClassVar[bool] = True
    #: What one decision takes one value of: the lanes (symbol rate, frequency grid) and the structure of each
    #: SerDes that equalises (host, module DSP line side, its host side on the retimed hop).
    grouped_fields: ClassVar[tuple[str, ...]] = lane_and_receiver_fields("host_serdes", "dsp_line_side",
                                                                          "dsp_host_side")
    dsp_sections: ClassVar[tuple[str, ...]] = ("dsp_line_side", "dsp_host_side")
    reach_bracket: ClassVar[tuple[float, float]] = (0.1, 1e5)

    lanes: Lanes = section(Lanes)
    module: PluggableModule = section(PluggableModule)
    laser: CWLaser = section(CWLaser, output_power=70e-3)
    distribution: LaserDistribution = section(LaserDistribution, laser_to_fiber_db=1.5, connector_loss_db=0.0)
    modulator: MachZehnderModulator = section(MachZehnderModulator)
    driver: LinearDriver = section(LinearDriver)
    fiber: SingleModeFiber = section(SingleModeFiber)
    photodiode: GermaniumPhotodetector = section(GermaniumPhotodetector, pad_capacitance=30e-15)
    tia: LinearTIA = section(LinearTIA)
    tia_stages: LinearReceiverStages = section(LinearReceiverStages)
    host_serdes: SerDes = section(SerDes)
    host_channel: HostChannel = section(HostChannel, pcb_length=6 * INCH)
    dsp_host_side: SerDes = section(ChipToModuleSerDes)
    dsp_line_side: SerDes = section(SerDes)
    dsp_core: DSPCore = section(DSPCore)
    overhead: ModuleOverhead = section(ModuleOverhead)
    economics: Economics = section(PluggableEconomics)

    @property
    def modulation(self) -> str:
        return self.lanes.modulation

    @property
    def retimed(self) -> bool:
        return self.module.architecture == "dsp"

    @property
    def engine_receiver_section(self):
        return "dsp_host_side" if self.retimed else None

    def label(self) -> str:
        return "dsp_pluggable" if self.retimed else "lpo"

    def attach_limitation(self) -> str:
        return "a faceplate pluggable is reached over the host board by a long-reach host SerDes"

    def imdd_lane(self, lanes: Lanes, host_serdes: SerDes) -> IMDDLane:
        rs = float(lanes.symbol_rate())
        lv = pam_levels(lanes.modulation)
        p_in = self.distribution.per_modulator(self.laser.output_power)
        # per-point fields with a trailing axis, to broadcast against the levels and the frequency grid
        modulator = self.modulator.columns()
        powers = trailing_axis(p_in) * np.asarray(modulator.transmission_levels(lv), dtype=float)  # [..., M]
        host = electrical_response(self.host_channel.columns().loss_db)
        electrode = electrical_response(lambda f: loss_db_of(modulator.electrode_response(f)))
        tx = self.dsp_line_side if self.retimed else host_serdes
        eq = self.dsp_line_side if self.retimed else host_serdes

        def tx_response(f):
            h = tx.transmit_response(f / rs) / trailing_axis(tx.tx_amplitude) * electrode(f) / (
                1.0 + 1j * f / trailing_axis(self.driver.bandwidth))
            return h if self.retimed else h * host(f)

        def rx_response(f):
            return np.ones(np.shape(f), dtype=complex) if self.retimed else host(f)

        return laser_imdd_lane(self, lanes, powers, tx_response, tx.tx_noise_variance, rx_response, eq)

    def bandwidths(self, lanes: Lanes, host_serdes=None):
        rs = float(lanes.symbol_rate())
        f = np.linspace(0.0, 2.0 * rs, 2001)
        below = np.abs(self.modulator.columns().electrode_response(f)) < 1.0 / np.sqrt(2.0)  # [..., 2001]
        electrode_bw = np.where(np.any(below, axis=-1), f[np.argmax(below, axis=-1)], f[-1])
        return {"mzm_electrode": electrode_bw, "driver": self.driver.bandwidth,
                "photodiode_transit": self.photodiode.transit_bandwidth,
                "tia": self.tia.design(rs, self.photodiode.capacitance)["bandwidth"]}

    def extra_outputs(self, lanes: Lanes):
        return {"mzm_v_pi_v": self.modulator.v_pi,
                "modulator_input_power_w": self.distribution.per_modulator(self.laser.output_power),
                "laser_wall_plug_efficiency": self.laser.wall_plug_efficiency()}

    def module_energy(self, lanes: Lanes, n_lanes, aggregate_rate):
        """Energy per payload bit of the module's blocks, one direction, both ends [J/bit]."""
        rs = float(lanes.symbol_rate())
        over = float(lanes.line_rate()) / lanes.payload_rate
        payload = lanes.payload_rate
        lane_load = {
            "mzm_driver": self.driver.terminated_power(self.modulator.drive_swing),
            "mzm_bias": self.modulator.bias_heater_power,
            "tia": self.tia.design(rs, self.photodiode.capacitance)["power"],
            "tia_stages": self.tia_stages.power(),
        }
        out = {k: np.asarray(v, dtype=float) / payload for k, v in lane_load.items()}
        lasers = np.ceil(np.asarray(n_lanes, dtype=float) / self.distribution.split_ratio - 1e-9)
        out["laser"] = lasers * self.laser.electrical_power() / aggregate_rate
        static = 0.0
        if self.retimed:
            out.update(dsp_energy_per_bit(self.dsp_host_side, self.dsp_line_side, self.dsp_core, rs, rs,
                                          lanes.bits_per_symbol, over))
            static = self.dsp_core.static_power
        load_per_end = sum(out.values()) * aggregate_rate + static
        out["module_overhead"] = (self.overhead.wall_power(load_per_end) - load_per_end + static) / aggregate_rate
        return out

    def module_latency(self, lanes: Lanes, reach):
        parts = {"propagation": self.fiber.propagation_delay(reach)}
        if self.retimed:
            parts["module_dsp"] = 2.0 * (self.dsp_core.latency + self.dsp_host_side.latency
                                         + self.dsp_line_side.latency)
        return parts

    def lasers_per_end(self, n_lanes):
        return np.ceil(np.asarray(n_lanes, dtype=float) / self.distribution.split_ratio - 1e-9)

    def fibers_per_end(self, n_lanes):
        return 2.0 * np.asarray(n_lanes, dtype=float)
