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
from microlink.link.composite import CompositeLink, Economics, Lanes
from microlink.link.optical import (
    IMDDLane,
    electrical_response,
    evaluate_optical,
    laser_imdd_lane,
    loss_db_of,
    optical_decision_model,
)
from microlink.link.vcsel import host_module_ber
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
class PluggableLink(CompositeLink):
    """A pluggable single-mode link (SiPh MZM DR8-style), DSP-retimed or linear (LPO)."""

    technology: ClassVar[str] = "pluggable"
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
    def technology_label(self) -> str:
        return "dsp_pluggable" if self.retimed else "lpo"

    def imdd_lane(self, lanes: Lanes) -> IMDDLane:
        rs = float(lanes.symbol_rate())
        lv = pam_levels(lanes.modulation)
        p_in = self.distribution.per_modulator(self.laser.output_power)
        powers = p_in * np.asarray(self.modulator.transmission_levels(lv), dtype=float)
        host = electrical_response(self.host_channel.loss_db)
        electrode = electrical_response(lambda f: loss_db_of(self.modulator.electrode_response(f)))
        tx = self.dsp_line_side if self.retimed else self.host_serdes
        eq = self.dsp_line_side if self.retimed else self.host_serdes

        def tx_response(f):
            h = tx.transmit_response(f / rs) / tx.tx_amplitude * electrode(f) / (1.0 + 1j * f / self.driver.bandwidth)
            return h if self.retimed else h * host(f)

        def rx_response(f):
            return np.ones(np.shape(f), dtype=complex) if self.retimed else host(f)

        return laser_imdd_lane(self, lanes, powers, tx_response, tx.tx_noise_variance, rx_response, eq)

    def electrical_ber(self, lanes: Lanes, shape):
        if not self.retimed:
            return np.zeros(shape)
        return host_module_ber(self.host_serdes, self.dsp_host_side, self.host_channel, lanes, shape)

    def bandwidths(self, lanes: Lanes):
        rs = float(lanes.symbol_rate())
        f = np.linspace(0.0, 2.0 * rs, 2001)
        h = np.abs(self.modulator.electrode_response(f))
        electrode_bw = f[np.argmax(h < 1.0 / np.sqrt(2.0))] if np.any(h < 1.0 / np.sqrt(2.0)) else f[-1]
        return {"mzm_electrode": electrode_bw, "driver": self.driver.bandwidth,
                "photodiode_transit": self.photodiode.transit_bandwidth,
                "tia": self.tia.design(rs, self.photodiode.capacitance)["bandwidth"]}

    def extra_outputs(self, lanes: Lanes):
        return {"mzm_v_pi_v": self.modulator.v_pi,
                "modulator_input_power_w": self.distribution.per_modulator(self.laser.output_power),
                "laser_wall_plug_efficiency": self.laser.wall_plug_efficiency()}

    def energy(self, lanes: Lanes, n_lanes, aggregate_rate):
        rs = float(lanes.symbol_rate())
        over = float(lanes.line_rate()) / lanes.payload_rate
        payload = lanes.payload_rate
        lane_load = {
            "mzm_driver": self.driver.terminated_power(self.modulator.drive_swing),
            "mzm_bias": self.modulator.bias_heater_power,
            "tia": self.tia.design(rs, self.photodiode.capacitance)["power"],
            "tia_stages": self.tia_stages.power(),
        }
        out = {k: float(v) / payload for k, v in lane_load.items()}
        lasers = np.ceil(np.asarray(n_lanes, dtype=float) / self.distribution.split_ratio - 1e-9)
        out["laser"] = lasers * self.laser.electrical_power() / aggregate_rate
        static = 0.0
        if self.retimed:
            out.update(dsp_energy_per_bit(self.dsp_host_side, self.dsp_line_side, self.dsp_core, rs, rs,
                                          lanes.bits_per_symbol, over))
            static = self.dsp_core.static_power
        load_per_end = sum(out.values()) * aggregate_rate + static
        out["module_overhead"] = (self.overhead.wall_power(load_per_end) - load_per_end + static) / aggregate_rate
        host = self.host_serdes.energy_per_bit(rs, lanes.bits_per_symbol)
        out["host_serdes_tx"] = host["tx"] * over
        out["host_serdes_rx"] = host["rx"] * over
        out["host_serdes_clock"] = host["clock"] * over
        out["fec"] = lanes.fec_energy()
        return out, ("host_serdes_tx", "host_serdes_rx", "host_serdes_clock", "fec")

    def latency(self, lanes: Lanes, reach):
        parts = {"host_serdes": self.host_serdes.latency, "fec": lanes.fec_latency(),
                 "propagation": self.fiber.propagation_delay(reach) + 2.0 * self.host_channel.delay()}
        if self.retimed:
            parts["module_dsp"] = 2.0 * (self.dsp_core.latency + self.dsp_host_side.latency
                                         + self.dsp_line_side.latency)
        return sum(parts.values()), parts

    def lasers_per_end(self, n_lanes):
        return np.ceil(np.asarray(n_lanes, dtype=float) / self.distribution.split_ratio - 1e-9)

    def fibers_per_end(self, n_lanes):
        return 2.0 * np.asarray(n_lanes, dtype=float)

    def evaluate(self, aggregate_rate=0.8e12, reach=10.0, target_ber=1e-15, *, lane_rate=None, solve_reach=True,
                 parameter_set="custom"):
        """Run the chain (module docstring); see :func:`microlink.link.optical.evaluate_optical`."""
        result = evaluate_optical(self, aggregate_rate, reach, target_ber, lane_rate=lane_rate,
                                  solve_reach=solve_reach, parameter_set=parameter_set)
        import dataclasses

        return dataclasses.replace(result, technology=self.technology_label)

    def decision_model(self, reach=10.0, *, lane_rate=None):
        """Equalised decision model of one lane (scalar reach)."""
        return optical_decision_model(self, reach, lane_rate=lane_rate)
