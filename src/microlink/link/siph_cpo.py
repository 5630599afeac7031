"""Silicon-photonics co-packaged optics (CPO): external laser source, micro-ring (or Mach-Zehnder) modulators,
SMF, Ge PDs.

Transmitter: a cooled CW DFB in an external laser source (ELS) feeds ``N`` modulators through a fiber,
the fiber-to-chip coupler and a 1:N splitter; each carrier-depletion micro-ring, parked one half-linewidth
off resonance and swung by a CMOS driver, maps the four PAM4 voltages onto its Lorentzian (unequal level
spacing), with the photon-lifetime and RC poles as its dynamics; a heater holds the resonance on the laser.
With a :class:`~microlink.devices.modulator.MachZehnderModulator` in ``modulator`` the engine uses travelling-
wave MZMs driven by ``mzm_driver`` instead (sine transfer, electrode RF loss, 50-ohm terminated driver).
Channel: single-mode fiber with couplers and connectors (negligible dispersion at O-band rack lengths).
Receiver: waveguide Ge PD and a CMOS TIA in the electronic die. The engine is linear: the switch's SerDes
drives it across ~4 dB of package and receives the TIA output the same way, equalising the whole path
(NVIDIA: 22 dB -> 4 dB electrical loss at 200G, notebookcheck/convergedigest, links.md section 3).

Energy per end: lasers (wall power incl. cooler, shared by ``N`` lanes), ring drivers, heaters, TIA core and
stages, management and conversion; the host SerDes and KP4 FEC are the host's share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from microlink.ber.closed_form import pam_levels
from microlink.channels.copper import HostChannel
from microlink.channels.single_mode import SingleModeFiber
from microlink.devices.laser import CWLaser, LaserDistribution
from microlink.devices.modulator import (
    NRZ_MEAN_STEP,
    PAM4_MEAN_STEP,
    MachZehnderModulator,
    MicroRingModulator,
)
from microlink.devices.module_electronics import (
    CMOSLinearTIA,
    LinearDriver,
    LinearReceiverStages,
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
    optical_decision_model,
    trailing_axis,
)
from microlink.parameters import Parameters, Source, param, section


@dataclass(frozen=True, eq=False)
class EngineReceiverStages(LinearReceiverStages):
    """CMOS gain and output stages after the TIA of a co-packaged engine (drives ~4 dB of package)."""

    output_swing: float = param(  # > 0, as for LinearReceiverStages: no swing, no signal for the equaliser
        0.3, unit="V", bounds=(1e-3, 5.0),
        source=Source("in-package XSR-class swing toward the switch SerDes", "assumption", "0.3 Vppd"),
    )
    supply_voltage: float = param(
        1.0, unit="V", bounds=(0.5, 10.0), source=Source("CMOS supply of the electronic die", "assumption", "1.0 V"),
    )
    linearity_factor: float = param(
        1.5, unit="1", bounds=(1.0, 10.0), source=Source("class-A back-off", "assumption", "1.5x"),
    )
    gain_stage_power: float = param(
        10e-3, unit="W", bounds=(0.0, 10.0), display=("mW", 1e-3),
        source=Source("two CMOS gain stages with CTLE", "assumption", "10 mW"),
    )


@dataclass(frozen=True, eq=False)
class CPOEconomics(Economics):
    """Cost and FIT of a CPO port end."""

    module_cost_per_gbps: float = param(
        0.94, unit="USD/(Gb/s)", bounds=(0.0, 1e4),
        source=Source("CPO ~40 % lower cost per bit than pluggables (CIR via Lightwave; systems_and_market.md "
                      "2.2): 800G DR8 pluggable $1,250 / 800 Gb/s = $1.56/(Gb/s), x 0.6", "derived"),
    )
    cable_cost_per_m: float = param(
        2.0, unit="USD/m", bounds=(0.0, 1e5), source=Source("16-fiber SMF trunk", "assumption", "2 $/m"),
    )
    cable_fixed_cost: float = param(
        30.0, unit="USD", bounds=(0.0, 1e5), source=Source("two MPO connectors", "assumption", "$30"),
    )
    tx_lane_fit: float = param(
        5.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("ring + driver slice on a silicon die: no active III-V", "assumption",
                      "5 FIT per lane (NVIDIA targets < 10 FIT for CPO, systems_and_market.md 2.3)"),
    )
    rx_lane_fit: float = param(
        5.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("Ge PD + TIA slice, PD 20-100 FIT per discrete device (links.md section 4)", "assumption",
                      "5 FIT per lane for an integrated PD/TIA slice"),
    )
    laser_fit: float = param(
        100.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("DFB lasers 50-200 FIT at 70 C junction (links.md section 4, 2nd-hand)", "claim",
                      "100 FIT, mid-range"),
    )
    common_fit: float = param(
        30.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("engine die, fiber attach and ELS connector", "assumption", "30 FIT"),
    )


@dataclass(frozen=True, eq=False)
class SiPhCPOLink(IMDDLink):
    """A co-packaged silicon-photonics link (micro-ring modulators, external laser source).

    The switch or GPU SerDes drives the engine linearly over the package (a C2M/VSR-class SerDes natively);
    an in-package XSR SerDes or a long-reach SerDes may be asked for instead. A die-to-die bus is not an
    option for this engine: it has no serialiser or DSP of its own.
    """

    technology: ClassVar[str] = "siph_cpo"
    supports_parameter_arrays: ClassVar[bool] = True
    #: What one decision takes one value of: the lanes (symbol rate, frequency grid) and the structure of the
    #: host SerDes that equalises the lane.
    grouped_fields: ClassVar[tuple[str, ...]] = lane_and_receiver_fields("host_serdes")
    reach_bracket: ClassVar[tuple[float, float]] = (0.1, 1e5)
    attaches: ClassVar[tuple[str, ...]] = ("vsr", "xsr", "lr")

    lanes: Lanes = section(Lanes)
    laser: CWLaser = section(CWLaser, output_power=100e-3)
    distribution: LaserDistribution = section(LaserDistribution)
    modulator: Parameters = section(MicroRingModulator)
    mzm_driver: LinearDriver = section(LinearDriver)
    fiber: SingleModeFiber = section(SingleModeFiber)
    photodiode: GermaniumPhotodetector = section(GermaniumPhotodetector)
    tia: CMOSLinearTIA = section(CMOSLinearTIA)
    tia_stages: LinearReceiverStages = section(EngineReceiverStages)
    host_serdes: SerDes = section(ChipToModuleSerDes)
    host_channel: HostChannel = section(HostChannel, package_length=20e-3, pcb_length=0.0, transition_loss_db=0.5)
    overhead: ModuleOverhead = section(ModuleOverhead, management_power=0.1)
    economics: Economics = section(CPOEconomics)

    @property
    def modulation(self) -> str:
        return self.lanes.modulation

    @property
    def uses_rings(self) -> bool:
        """True for micro-ring modulators, False for Mach-Zehnder modulators (``mzm_driver`` then applies)."""
        return not isinstance(self.modulator, MachZehnderModulator)

    def modulator_response(self, f):
        """Small-signal response of modulator and its driver [Hz -> 1]."""
        if self.uses_rings:
            bw = self.modulator.bandwidths()
            return 1.0 / ((1.0 + 1j * f / trailing_axis(bw["photon_lifetime"])) * (1.0 + 1j * f / trailing_axis(bw["rc"])))
        modulator = self.modulator.columns()  # per-point fields broadcast against the frequencies
        electrode = electrical_response(lambda x: loss_db_of(modulator.electrode_response(x)))
        return electrode(f) / (1.0 + 1j * f / trailing_axis(self.mzm_driver.bandwidth))

    def ring_input_power(self):
        """CW power reaching each modulator [W]."""
        return self.distribution.per_modulator(self.laser.output_power)

    def attach_limitation(self) -> str:
        return "a linear-drive engine needs a host SerDes; a die-to-die bus has no serialiser to drive it"

    def imdd_lane(self, lanes: Lanes, host_serdes: SerDes) -> IMDDLane:
        rs = float(lanes.symbol_rate())
        lv = pam_levels(lanes.modulation)
        powers = trailing_axis(self.ring_input_power()) * np.asarray(self.modulator.columns().transmission_levels(lv),
                                                            dtype=float)  # [..., M]
        host = electrical_response(self.host_channel.columns().loss_db)
        s = host_serdes

        def tx_response(f):
            return s.transmit_response(f / rs) / trailing_axis(s.tx_amplitude) * host(f) * self.modulator_response(f)

        return laser_imdd_lane(self, lanes, powers, tx_response, s.tx_noise_variance, host, s)

    def bandwidths(self, lanes: Lanes, host_serdes=None):
        rs = float(lanes.symbol_rate())
        out = {"photodiode_transit": self.photodiode.transit_bandwidth,
               "tia": self.tia.design(rs, self.photodiode.capacitance)["bandwidth"]}
        if self.uses_rings:
            bw = self.modulator.bandwidths()
            out.update({"ring_photon_lifetime": bw["photon_lifetime"], "ring_rc": bw["rc"]})
        else:
            out["mzm_driver"] = self.mzm_driver.bandwidth
        return out

    def _heater_power(self):
        return self.modulator.tuning_power() if self.uses_rings else self.modulator.bias_heater_power

    def extra_outputs(self, lanes: Lanes):
        return {"modulator_input_power_w": self.ring_input_power(),
                "laser_wall_plug_efficiency": self.laser.wall_plug_efficiency(),
                "heater_power_per_modulator_w": self._heater_power()}

    def module_energy(self, lanes: Lanes, n_lanes, aggregate_rate):
        """Energy per payload bit of the engine's blocks, one direction, both ends [J/bit]."""
        rs = float(lanes.symbol_rate())
        payload = lanes.payload_rate
        step = PAM4_MEAN_STEP if lanes.modulation == "PAM4" else NRZ_MEAN_STEP
        if self.uses_rings:
            drive = {"ring_driver": self.modulator.energy_per_symbol(step) * rs, "ring_heater": self._heater_power()}
        else:
            drive = {"mzm_driver": self.mzm_driver.terminated_power(self.modulator.drive_swing),
                     "mzm_bias": self._heater_power()}
        lane_load = {
            "laser": self.laser.electrical_power() / self.distribution.split_ratio,
            **drive,
            "tia": self.tia.design(rs, self.photodiode.capacitance)["power"],
            "tia_stages": self.tia_stages.power(),
        }
        out = {k: np.asarray(v, dtype=float) / payload for k, v in lane_load.items()}
        # lasers come in whole units: charge ceil(lanes / split) lasers per end
        lasers = np.ceil(np.asarray(n_lanes, dtype=float) / self.distribution.split_ratio - 1e-9)
        out["laser"] = lasers * self.laser.electrical_power() / aggregate_rate
        load_per_end = sum(out.values()) * aggregate_rate
        out["module_overhead"] = (self.overhead.wall_power(load_per_end) - load_per_end) / aggregate_rate
        return out

    def module_latency(self, lanes: Lanes, reach):
        return {"propagation": self.fiber.propagation_delay(reach)}

    def lasers_per_end(self, n_lanes):
        return np.ceil(np.asarray(n_lanes, dtype=float) / self.distribution.split_ratio - 1e-9)

    def fibers_per_end(self, n_lanes):
        return 2.0 * np.asarray(n_lanes, dtype=float) + self.lasers_per_end(n_lanes)
