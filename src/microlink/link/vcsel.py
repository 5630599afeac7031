"""850 nm VCSEL links over multimode fiber: near-packaged optics (NPO), linear or with a module DSP.

Transmitter: a linear driver biases each VCSEL at ``I_b`` and swings it by ``I_pp``; the four PAM4 drive
currents pass the self-heated L-I curve (so level spacing compresses near roll-over), the rate-equation
response (relaxation oscillation, damping, parasitic pole) shapes the signal and the rate-equation RIN
adds noise. Channel: OM3/OM4/OM5 fiber (modal bandwidth, chromatic dispersion of the VCSEL's rms spectral
width, attenuation, connectors). Receiver: GaAs PIN, linear SiGe TIA with AGC.

* ``linear`` (LPO-style NPO): the host SerDes transmits through a short host channel into the VCSEL driver
  and receives the TIA output over the same kind of channel; its CTLE/FFE/DFE equalises the whole path.
* ``dsp``: a module DSP retimes both ways (C2M SerDes toward the host, DAC/ADC + FFE toward the optics).

Energy per end: VCSEL (``<I V>``), driver rail, TIA core and output stages, DSP if any, management and
DC-DC loss; the host SerDes and KP4 FEC are the host's share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from microlink.channels.copper import HostChannel, TwinaxCable
from microlink.channels.multimode import MultimodeFiber
from microlink.devices.dsp import DSPCore, dsp_energy_per_bit
from microlink.devices.module_electronics import (
    LinearDriver,
    LinearReceiverStages,
    LinearTIA,
    ModuleOverhead,
)
from microlink.devices.photodetector import Photodetector
from microlink.devices.serdes import ChipToModuleSerDes, SerDes
from microlink.devices.vcsel import VCSEL
from microlink.link.composite import Economics, Lanes, lane_and_receiver_fields
from microlink.link.optical import IMDDLane, IMDDLink, electrical_response, trailing_axis
from microlink.parameters import Parameters, Source, choice, param, section
from microlink.units import INCH


@dataclass(frozen=True, eq=False)
class VCSELDrive(Parameters):
    """Bias and modulation of each VCSEL, and the module architecture."""

    section = "drive"

    bias_current: float = param(
        7e-3, unit="A", bounds=(0.0, 0.05), display=("mA", 1e-3),
        source=Source("53 GBd VCSELs are biased near 6-8 mA for ~25-27 GHz bandwidth (current density "
                      "~15-20 kA/cm^2 in a 7 um aperture)", "literature", "7 mA"),
    )
    modulation_current: float = param(
        8e-3, unit="A", bounds=(0.0, 0.1), display=("mA", 1e-3),
        source=Source("PAM4 peak-to-peak drive keeping the lowest level above threshold", "assumption",
                      "8 mApp: 3 mA to 11 mA"),
    )
    architecture: str = choice(
        "linear", options=("linear", "dsp"),
        source=Source("NPO/LPO: host SerDes drives the optics linearly; DSP: retimed module", "assumption",
                      "linear by default"),
    )


@dataclass(frozen=True, eq=False)
class VCSELEconomics(Economics):
    """Cost and FIT of a VCSEL NPO end."""

    module_cost_per_gbps: float = param(
        0.6, unit="USD/(Gb/s)", bounds=(0.0, 1e4),
        source=Source("800G SR8/VR8 multimode modules ~$500-700 (vendor price lists 2025; LPO $700-900 for "
                      "single-mode, systems_and_market.md 2.2)", "assumption",
                      "0.6 $/(Gb/s): multimode optics are the cheapest optical modules"),
    )
    cable_cost_per_m: float = param(
        3.0, unit="USD/m", bounds=(0.0, 1e5),
        source=Source("16-fiber OM4 MPO trunk", "assumption", "3 $/m"),
    )
    cable_fixed_cost: float = param(
        30.0, unit="USD", bounds=(0.0, 1e5), source=Source("two MPO connectors", "assumption", "$30"),
    )
    tx_lane_fit: float = param(
        25.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("laser 50-200 FIT, driver 50-200 FIT per chip (links.md section 4, 2nd-hand)", "assumption",
                      "VCSEL 15 FIT (oxide VCSELs wear out slower than DFBs at 70 C) + 1/4 of a 4-lane driver "
                      "at 40 FIT"),
    )
    rx_lane_fit: float = param(
        15.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("PD 20-100 FIT, TIA 30-150 FIT per chip (links.md section 4, 2nd-hand)", "assumption",
                      "1/4 of a 4-lane PD array (20 FIT) and TIA (40 FIT)"),
    )
    common_fit: float = param(
        50.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("microcontroller, regulators, connector", "assumption", "50 FIT"),
    )


@dataclass(frozen=True, eq=False)
class VCSELLink(IMDDLink):
    """A VCSEL + multimode-fiber link (near-packaged optics)."""

    technology: ClassVar[str] = "vcsel"
    supports_parameter_arrays: ClassVar[bool] = True
    #: What one decision takes one value of: the lanes (symbol rate, frequency grid) and the structure of each
    #: SerDes that equalises (host, module DSP line side, its host side on the retimed hop).
    grouped_fields: ClassVar[tuple[str, ...]] = lane_and_receiver_fields("host_serdes", "dsp_line_side",
                                                                          "dsp_host_side")
    dsp_sections: ClassVar[tuple[str, ...]] = ("dsp_line_side", "dsp_host_side")
    reach_bracket: ClassVar[tuple[float, float]] = (0.1, 5000.0)

    lanes: Lanes = section(Lanes, payload_rate=100e9)
    vcsel: VCSEL = section(VCSEL)
    drive: VCSELDrive = section(VCSELDrive)
    driver: LinearDriver = section(LinearDriver)
    fiber: MultimodeFiber = section(MultimodeFiber)
    photodiode: Photodetector = section(Photodetector)
    tia: LinearTIA = section(LinearTIA)
    tia_stages: LinearReceiverStages = section(LinearReceiverStages)
    host_serdes: SerDes = section(SerDes)
    host_channel: HostChannel = section(HostChannel, pcb_length=2 * INCH)
    dsp_host_side: SerDes = section(ChipToModuleSerDes)
    dsp_line_side: SerDes = section(SerDes)
    dsp_core: DSPCore = section(DSPCore)
    overhead: ModuleOverhead = section(ModuleOverhead)
    economics: Economics = section(VCSELEconomics)

    @property
    def modulation(self) -> str:
        return self.lanes.modulation

    @property
    def retimed(self) -> bool:
        return self.drive.architecture == "dsp"

    @property
    def attaches(self) -> tuple[str, ...]:
        """Linear NPO: the host SerDes drives the VCSEL (long-reach, C2M or in-package SerDes); a DSP module
        has a C2M host interface built in."""
        return ("lr",) if self.retimed else ("lr", "vsr", "xsr")

    @property
    def engine_receiver_section(self):
        return "dsp_host_side" if self.retimed else None

    def attach_limitation(self) -> str:
        return ("a DSP-retimed VCSEL module is built around its chip-to-module host interface" if self.retimed
                else "a linear VCSEL engine needs a host SerDes to drive and equalise it; a die-to-die bus has none")

    # ---- chain pieces -----------------------------------------------------------------------------------
    def drive_currents(self, lanes: Lanes):
        """Drive current of each level [A]."""
        from microlink.ber.closed_form import pam_levels

        lv = pam_levels(lanes.modulation)
        return trailing_axis(self.drive.bias_current) + 0.5 * trailing_axis(self.drive.modulation_current) * lv

    def imdd_lane(self, lanes: Lanes, host_serdes: SerDes) -> IMDDLane:
        rs = float(lanes.symbol_rate())
        currents = self.drive_currents(lanes)  # [..., M]
        # per-point fields with a trailing axis, to broadcast against the levels and the frequency grid
        vcsel = self.vcsel.columns()
        powers = np.asarray(vcsel.optical_power(currents), dtype=float)
        bias = trailing_axis(self.drive.bias_current)
        tx_serdes = self.dsp_line_side if self.retimed else host_serdes
        rx_eq = self.dsp_line_side if self.retimed else host_serdes
        host = electrical_response(self.host_channel.columns().loss_db)

        def tx_response(f):
            h = tx_serdes.transmit_response(f / rs) / trailing_axis(tx_serdes.tx_amplitude)
            if not self.retimed:
                h = h * host(f)
            return h * vcsel.response(f, bias) / (1.0 + 1j * f / trailing_axis(self.driver.bandwidth))

        def rx_response(f):
            return np.ones(np.shape(f), dtype=complex) if self.retimed else host(f)

        design = self.tia.design(rs, self.photodiode.capacitance)
        return IMDDLane(
            symbol_rate=rs, modulation=lanes.modulation, level_powers=powers, tx_response=tx_response,
            tx_noise=np.asarray(tx_serdes.tx_noise_variance / (5.0 / 9.0), dtype=float)
            * (5.0 / 9.0 if lanes.modulation == "PAM4" else 1.0),
            rin=lambda f: vcsel.rin(f, bias),
            transmission=self.fiber.transmission,
            fiber_rms=lambda L: self.fiber.rms_spread(L, self.vcsel.wavelength, self.vcsel.spectral_width_rms),
            responsivity=np.asarray(self.photodiode.responsivity(self.vcsel.wavelength), dtype=float),
            pd_bandwidth=np.asarray(self.photodiode.transit_bandwidth, dtype=float),
            dark_current=np.asarray(self.photodiode.dark_current, dtype=float),
            tia=self.tia, tia_design=design, output_swing=self.tia_stages.output_swing,
            max_transimpedance=self.tia_stages.transimpedance, rx_response=rx_response, equalizer=rx_eq,
        )

    def bandwidths(self, lanes: Lanes, host_serdes=None):
        rs = float(lanes.symbol_rate())
        return {
            "vcsel": self.vcsel.bandwidth(self.drive.bias_current),
            "photodiode_transit": self.photodiode.transit_bandwidth,
            "tia": self.tia.design(rs, self.photodiode.capacitance)["bandwidth"],
            "driver": self.driver.bandwidth,
        }

    def extra_outputs(self, lanes: Lanes):
        fr, gamma = self.vcsel.small_signal(self.drive.bias_current)
        return {"vcsel_relaxation_frequency_hz": fr, "vcsel_damping_per_s": gamma,
                "vcsel_junction_temperature_k": self.vcsel.junction_temperature(self.drive.bias_current)}

    # ---- energy, latency, counts -------------------------------------------------------------------------
    def module_energy(self, lanes: Lanes, n_lanes, aggregate_rate):
        """Energy per payload bit of the module's blocks, one direction, both ends [J/bit]."""
        rs = float(lanes.symbol_rate())
        line = float(lanes.line_rate())
        payload = lanes.payload_rate
        over = line / payload
        currents = self.drive_currents(lanes)
        vcsel_power = np.mean(currents * self.vcsel.columns().voltage(currents), axis=-1)
        driver_rail = np.asarray(self.driver.vcsel_power(self.drive.bias_current, self.drive.modulation_current),
                                 dtype=float)
        tia_core = np.asarray(self.tia.design(rs, self.photodiode.capacitance)["power"], dtype=float)
        lane_load = {  # W per lane and direction (one TX at one end, one RX at the other)
            "vcsel": vcsel_power,
            "vcsel_driver": np.maximum(driver_rail - vcsel_power, 0.0),
            "tia": tia_core,
            "tia_stages": np.asarray(self.tia_stages.power(), dtype=float),
        }
        out = {k: v / payload for k, v in lane_load.items()}
        if self.retimed:
            out.update(dsp_energy_per_bit(self.dsp_host_side, self.dsp_line_side, self.dsp_core, rs, rs,
                                          lanes.bits_per_symbol, over))
            static = self.dsp_core.static_power
        else:
            static = 0.0
        load_per_end = sum(out.values()) * aggregate_rate + static  # both roles of a duplex end
        wall = self.overhead.wall_power(load_per_end)
        out["module_overhead"] = (wall - load_per_end + static) / aggregate_rate
        return out

    def module_latency(self, lanes: Lanes, reach):
        parts = {"propagation": self.fiber.propagation_delay(reach)}
        if self.retimed:
            parts["module_dsp"] = 2.0 * (self.dsp_core.latency + self.dsp_host_side.latency
                                         + self.dsp_line_side.latency)
        return parts

    def lasers_per_end(self, n_lanes):
        return np.asarray(n_lanes, dtype=float)

    def fibers_per_end(self, n_lanes):
        return 2.0 * np.asarray(n_lanes, dtype=float)


