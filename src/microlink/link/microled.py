"""Micro-LED co-packaged optical link: the full chain from drive current to BER and energy per bit.

Chain for one lane (all quantities broadcast over design points)::

    driver levels -> LED L-I (droop, temperature) -> OMA, extinction
    LED carrier + RC poles, fiber dispersion (Gaussian), PD transit pole, TIA (Butterworth)
        -> NRZ pulse response -> cursors (sampling phase chosen for the widest eye)
    launch coupling (etendue) x fiber/connector loss x receive coupling x responsivity -> photocurrents
    noise: TIA thermal (designed for the lane rate), shot, RIN, dark current; crosstalk aggressors
        as binary interferers -> BER (average over patterns and worst case) -> Q, margin, max reach
    energy per payload bit by block; lanes (active + spare); power per end; latency; FIT; cost
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from microlink.ber.closed_form import nrz_ber
from microlink.ber.pulse import nrz_cursors
from microlink.channels.imaging_fiber import ImagingFiber, gaussian_bandwidth
from microlink.devices.driver import LEDDriver
from microlink.devices.host_interface import HostInterface
from microlink.devices.microled import MicroLED
from microlink.devices.photodiode import SiliconPhotodiode
from microlink.devices.receiver import Receiver
from microlink.errors import ParameterError
from microlink.link.base import Decision, LanePlan, Request, SectionedLink
from microlink.link.composite import Lanes
from microlink.link.reliability import spared_end_fit
from microlink.parameters import Parameters, Source, check_range, choice, param, section
from microlink.units import ELEMENTARY_CHARGE, db_to_linear

#: Bracket of the maximum-reach search [m].
REACH_SEARCH = (1e-3, 1e5)


@dataclass(frozen=True, eq=False)
class LaneConfig(Parameters):
    """How the aggregate is split into optical lanes."""

    section = "lanes"

    lane_rate: float = param(
        3.5e9, unit="b/s", bounds=(1e6, 1e12), display=("Gb/s", 1e9),
        source=Source("Avicena LightBundle eKit: <= 3.5 Gb/s per lane (links.md 1.2)", "claim"),
    )
    spare_fraction: float = param(
        0.25, unit="1", bounds=(0.0, 2.0),
        source=Source("eKit: 256 active + 64 spare lanes (links.md 1.2)", "derived", "64/256 = 0.25 of active"),
    )
    spares_powered: bool = choice(
        False, options=(True, False),
        source=Source("spare lanes are switched in by the gearbox on failure", "assumption",
                      "cold spares draw no power"),
    )
    relative_intensity_noise_db_per_hz: float = param(
        -155.0, unit="dB/Hz", bounds=(-200.0, -100.0),
        source=Source("spontaneous emission of an LED is near the shot-noise limit", "assumption",
                      "-155 dB/Hz; negligible against thermal noise at these powers"),
    )


@dataclass(frozen=True, eq=False)
class MicroLEDEconomics(Parameters):
    """Cost and reliability inputs of a micro-LED link."""

    section = "economics"

    tx_lane_fit: float = param(
        10.0, unit="FIT", bounds=(0.0, 1e6),
        source=Source("no primary GaN micro-LED FIT found (links.md section 4)", "assumption",
                      "10 FIT for LED + driver lane: no laser facet or cavity wear-out, CMOS driver ~1 FIT"),
    )
    rx_lane_fit: float = param(
        2.0, unit="FIT", bounds=(0.0, 1e6),
        source=Source("Si PD + TIA integrated in CMOS", "assumption", "2 FIT per lane; the die itself is in common_fit"),
    )
    common_fit: float = param(
        100.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("PD/TIA/driver/DSP FIT 20-500 (links.md section 4, 2nd-hand)", "assumption",
                      "100 FIT per end for the engine die, bonds and connector: low end, no DSP"),
    )
    service_life: float = param(
        5 * 8766 * 3600.0, unit="s", bounds=(3600.0, 1e10), display=("years", 8766 * 3600.0),
        source=Source("typical accelerator-cluster depreciation period", "assumption", "5 years"),
    )
    cost_per_gbps: float = param(
        0.4, unit="USD/(Gb/s)", bounds=(0.0, 1e3),
        source=Source("$848 M in 2030 = 2-3.5 M 1.6T-eq modules at $250-400 (systems_and_market.md 3.3)",
                      "assumption", "0.4 $/(Gb/s) per end: above the 2030 level of ~0.16-0.25 for early volumes"),
    )
    cable_cost_per_m: float = param(
        10.0, unit="USD/m", bounds=(0.0, 1e4),
        source=Source("imaging/multicore fiber bundle price not published", "assumption",
                      "10 $/m per duplex cable pair, half charged to each end"),
    )



@dataclass(frozen=True, eq=False)
class MicroLEDLink(SectionedLink):
    """Parameters of a complete micro-LED link, one frozen section per block.

    Use :meth:`replace` with ``section={field: value}`` dictionaries to change values, and
    :meth:`evaluate` to run the chain. Every numeric field may be an array (design points broadcast).
    """

    technology: ClassVar[str] = "microled"
    modulation: ClassVar[str] = "NRZ"
    supports_parameter_arrays: ClassVar[bool] = True
    reach_bracket: ClassVar[tuple[float, float]] = REACH_SEARCH
    attaches: ClassVar[tuple[str, ...]] = ("d2d", "xsr", "vsr", "lr")
    attach_retimed: ClassVar[bool] = True

    led: MicroLED = section(MicroLED)
    driver: LEDDriver = section(LEDDriver)
    fiber: ImagingFiber = section(ImagingFiber)
    photodiode: SiliconPhotodiode = section(SiliconPhotodiode)
    receiver: Receiver = section(Receiver)
    host: HostInterface = section(HostInterface)
    lanes: LaneConfig = section(LaneConfig)
    economics: MicroLEDEconomics = section(MicroLEDEconomics)

    def decision_model(self, reach=10.0, *, lane_rate=None, samples_per_symbol=32):
        """Pulse response, amplitude, noise and crosstalk at the decision point of one lane (scalars)."""
        return microled_decision_model(self, reach, lane_rate=lane_rate, samples_per_symbol=samples_per_symbol)

    def options(self):
        return {"exact_terms": 6, "samples_per_symbol": 16}

    # ---- attach --------------------------------------------------------------------------------------------
    def native_attach(self) -> str:
        """What the engine ships with: the host section's ``kind``."""
        return str(self.host.kind)

    def attach_limitation(self) -> str:
        return "a micro-LED engine can attach over any host interface"

    def own_host_serdes(self):
        return None

    def engine_receiver(self, kind):
        from microlink.link.attach import ATTACH_SERDES

        return ATTACH_SERDES[kind]()

    def engine_serdes_charged(self, kind):
        """The engine has no SerDes among its own blocks: its side of the hop is charged to the attach."""
        return self.engine_receiver(kind)

    def host_channel_for(self, kind):
        from microlink.link.attach import default_channel

        return default_channel(kind)

    def host_lanes(self, plan: LanePlan) -> LanePlan:
        """The host's electrical lanes on the attach: 200 Gb/s PAM4 with KP4 (:class:`Lanes` defaults)."""
        return host_lane_plan(plan.payload_rate.shape)

    def fec_codeword_rate(self, plan) -> float:
        return float(Lanes().fec_codeword_rate)

    # ---- stages ------------------------------------------------------------------------------------------
    def lane_plan(self, request: Request, attach) -> LanePlan:
        """Lanes at the lane rate. A SerDes attach brings the host's end-to-end FEC
        (:data:`~microlink.link.attach.SERDES_ATTACH_FEC`): the lanes then carry the coded stream and run at its
        pre-FEC threshold; a die-to-die attach leaves them raw."""
        lr = np.broadcast_to(np.asarray(self.lanes.lane_rate if request.lane_rate is None else request.lane_rate,
                                        dtype=float), (request.size,))
        coded = attach.fec != "none"
        overhead = float(host_lane_plan((1,)).line_rate[0] / host_lane_plan((1,)).payload_rate[0]) if coded else 1.0
        active = np.ceil(request.aggregate_rate * overhead / lr - 1e-9)
        spare = np.ceil(active * self.lanes.spare_fraction - 1e-9)
        powered = active + (spare if self.lanes.spares_powered else 0.0)
        return LanePlan(payload_rate=lr / overhead, line_rate=lr, symbol_rate=lr, modulation="NRZ",
                        lanes_active=active, lanes_spare=spare, lanes_powered=powered, fec=attach.fec)

    def decide(self, request: Request, plan: LanePlan, attach, length, *, exact_terms=6, samples_per_symbol=16):
        """NRZ decision of one lane with binary crosstalk interferers (see module docstring)."""
        p = self
        lr = plan.line_rate
        length = np.asarray(length, dtype=float)
        tx = transmitter(p, lr)
        rx = p.receiver.design(lr, p.photodiode.capacitance)
        resp = p.photodiode.responsivity(p.led.wavelength)
        n_adj = int(round(float(np.max(p.fiber.adjacent_cores))))
        gain, launch = optical_gain(p, length)
        i1 = resp * gain * tx["power_one"]
        i0 = resp * gain * tx["power_zero"]
        xt = p.fiber.crosstalk(length) * (n_adj > 0)
        xt_dc = n_adj * xt * 0.5 * (i1 + i0)
        cur, sigma_fiber = channel_cursors(p, tx, rx, lr, length, samples_per_symbol)
        amplitude = 0.5 * (i1 - i0)
        ber, ber_w, s1, s0 = decision_ber(p, rx, cur, amplitude, i1, i0, xt_dc, xt, n_adj, exact_terms=exact_terms)
        n = request.size
        flat = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in
                {"amp": amplitude, "i1": i1, "i0": i0, "xt_dc": xt_dc, "xt": xt, "bw": rx["bandwidth"],
                 "noise": rx["noise_current"], "main": cur.main, "rest": cur.rest_sum_squares}.items()}
        largest = np.broadcast_to(cur.largest, (n,) + cur.largest.shape[-1:])
        arrays = bool(p.parameter_shape())

        def ber_at_scale(scale, idx):
            q = p.flatten((n,), idx) if arrays else p
            rx_i = {"bandwidth": flat["bw"][idx], "noise_current": flat["noise"][idx]}
            cur_i = type(cur)(flat["main"][idx], largest[idx], flat["rest"][idx], flat["rest"][idx], cur.phase)
            return decision_ber(q, rx_i, cur_i, flat["amp"][idx], flat["i1"][idx], flat["i0"][idx],
                                flat["xt_dc"][idx], flat["xt"][idx], n_adj, scale=1.0 / np.asarray(scale),
                                exact_terms=exact_terms, worst=False)[0]

        bn = rx["bandwidth"] * p.receiver.noise_bandwidth_factor
        rin = db_to_linear(p.lanes.relative_intensity_noise_db_per_hz)
        return Decision(
            ber=ber, ber_worst_case=ber_w, ber_at_scale=ber_at_scale,
            main_cursor=cur.main, isi_closure=cur.isi_abs_sum, signal_amplitude=amplitude,
            noise={
                "thermal": rx["noise_current"],
                "shot": np.sqrt(2 * ELEMENTARY_CHARGE * (i1 + xt_dc) * bn),
                "rin": np.sqrt(rin * bn) * i1,
                "dark": np.sqrt(2 * ELEMENTARY_CHARGE * p.photodiode.dark_current * bn),
                "crosstalk": amplitude * xt * np.sqrt(n_adj),
            },
            crosstalk=xt,
            bandwidth={
                "led_carrier": tx["carrier_bandwidth"], "led_rc": tx["rc_bandwidth"],
                "fiber": gaussian_bandwidth(sigma_fiber), "photodiode_transit": p.photodiode.transit_bandwidth,
                "receiver": rx["bandwidth"],
            },
            launched_power=launch * 0.5 * (tx["power_one"] + tx["power_zero"]),
            received_power=0.5 * (i1 + i0) / resp,
            received_oma=(i1 - i0) / resp,
            q_worst_case=q_worst_from(cur, amplitude, s1, s0, xt, n_adj),
            extras={
                "led_forward_voltage_v": tx["forward_voltage"],
                "led_current_one_a": tx["current_one"],
                "led_current_zero_a": tx["current_zero"],
                "extinction_ratio_db": 10 * np.log10(tx["power_one"] / tx["power_zero"]),
                "launch_efficiency": launch,
                "responsivity_a_per_w": resp,
                "fiber_rms_spread_s": sigma_fiber,
                "sampling_phase_ui": cur.phase,
                "tia_power_w": rx["power"],
            },
        )

    def energy(self, request: Request, plan: LanePlan, attach) -> dict:
        """Energy per payload bit of the engine's own blocks, one direction, both ends [J/bit]."""
        p = self
        lr = plan.line_rate
        agg = request.aggregate_rate
        tx = transmitter(p, lr)
        rx = p.receiver.design(lr, p.photodiode.capacitance)
        lane_scale = plan.lanes_powered * lr / agg
        return {
            "gearbox": 2.0 * p.host.gearbox_logic_energy * np.ones(request.size),
            "led_driver": lane_scale * tx["driver_energy"],
            "led": lane_scale * tx["led_energy"],
            "tia": lane_scale * rx["power"] / lr,
            "post_amplifier": lane_scale * p.receiver.post_amplifier_energy,
            "decision": lane_scale * p.receiver.decision_energy,
            "clocking": lane_scale * p.receiver.clock_energy(),
            "static": 2.0 * p.host.static_power / (2.0 * agg),
        }

    def latency(self, request: Request, plan: LanePlan, attach, length) -> dict:
        return {"gearbox": 2.0 * self.host.gearbox_latency + 1.0 / plan.line_rate,
                "propagation": self.fiber.propagation_delay(length)}

    def cost_per_end(self, request: Request):
        return self.economics.cost_per_gbps * request.aggregate_rate / 1e9 + \
            0.5 * self.economics.cable_cost_per_m * request.reach

    def fit_per_end(self, request: Request, plan: LanePlan):
        e = self.economics
        return spared_end_fit(e.tx_lane_fit, e.rx_lane_fit, plan.lanes_active, plan.lanes_spare, e.common_fit,
                              e.service_life)

    def media_per_end(self, plan: LanePlan):
        """Fiber cores of one end: a transmit and a receive core per lane, spares included."""
        return 2.0 * (plan.lanes_active + plan.lanes_spare), "cores"


def host_lane_plan(shape) -> LanePlan:
    """The host's 200 Gb/s PAM4 + KP4 electrical lanes (:class:`~microlink.link.composite.Lanes` defaults)."""
    lanes = Lanes()
    ones = np.ones(shape)
    return LanePlan(payload_rate=lanes.payload_rate * ones, line_rate=float(lanes.line_rate()) * ones,
                    symbol_rate=float(lanes.symbol_rate()) * ones, modulation=lanes.modulation,
                    lanes_active=ones, lanes_spare=0 * ones, lanes_powered=ones, fec=lanes.fec)


# --------------------------------------------------------------------------------------------------------
# Chain stages (pure functions of parameter objects and arrays)


def transmitter(p: MicroLEDLink, lane_rate):
    """Drive levels, optical levels, LED bandwidth and transmitter energy per lane bit."""
    i1, i0 = p.driver.levels()
    p1, p0 = p.led.optical_power(i1), p.led.optical_power(i0)
    v1, v0 = p.led.forward_voltage(i1), p.led.forward_voltage(i0)
    r = np.asarray(lane_rate, dtype=float)
    i_mean = 0.5 * (i1 + i0)
    return {
        "current_one": i1, "current_zero": i0,
        "power_one": p1, "power_zero": p0,
        "led_energy": 0.5 * (v1 * i1 + v0 * i0) / r,
        "driver_energy": p.driver.energy_per_bit(r, i_mean),
        "carrier_bandwidth": p.led.carrier_bandwidth(p.driver.bias_current),
        "rc_bandwidth": p.led.rc_bandwidth(p.driver.output_resistance),
        "forward_voltage": v1,
    }


def optical_gain(p: MicroLEDLink, reach):
    """Fraction of launched LED power reaching the photodiode [m -> 1] and the launch efficiency."""
    launch = p.fiber.launch_efficiency(p.led.diameter, p.led.emission_exponent)
    return launch * p.fiber.transmission(reach, p.led.wavelength) * p.fiber.receive_coupling, launch


def channel_cursors(p: MicroLEDLink, tx, rx, lane_rate, reach, samples_per_symbol=16):
    """Cursors of the combined LED x fiber x PD x TIA pulse response."""
    r = np.asarray(lane_rate, dtype=float)
    sigma = p.fiber.rms_spread(reach, p.led.wavelength, p.led.spectral_width)
    return nrz_cursors(
        pole_bandwidths=[tx["carrier_bandwidth"] / r, tx["rc_bandwidth"] / r, p.photodiode.transit_bandwidth / r],
        butterworth_bandwidths=[rx["bandwidth"] / r],
        gaussian_rms=sigma * r,
        pre_emphasis=p.driver.pre_emphasis,
        samples_per_symbol=samples_per_symbol,
    ), sigma


def noise_terms(p: MicroLEDLink, rx, current_one, current_zero, crosstalk_dc, scale=1.0):
    """RMS noise currents on a one and a zero [A] (photocurrents scaled by ``scale``), and the noise
    bandwidth [Hz]: TIA thermal, shot (signal, crosstalk light and dark current) and intensity noise."""
    bn = rx["bandwidth"] * p.receiver.noise_bandwidth_factor
    dark = p.photodiode.dark_current
    rin = db_to_linear(p.lanes.relative_intensity_noise_db_per_hz)
    i1 = scale * (current_one + crosstalk_dc)
    i0 = scale * (current_zero + crosstalk_dc)
    th2 = rx["noise_current"] ** 2
    s1 = np.sqrt(th2 + 2 * ELEMENTARY_CHARGE * (i1 + dark) * bn + rin * i1**2 * bn)
    s0 = np.sqrt(th2 + 2 * ELEMENTARY_CHARGE * (i0 + dark) * bn + rin * i0**2 * bn)
    return s1, s0, bn


def decision_ber(p, rx, cur, amplitude, i_one, i_zero, xt_dc, xt, n_adj, scale=1.0, exact_terms=6, worst=True):
    """Average and worst-case BER at a photocurrent scale (used directly and by the margin solver).

    With ``worst=False`` the worst-case BER is skipped (returned as None), which the solvers use.
    """
    s1, s0, _ = noise_terms(p, rx, i_one, i_zero, xt_dc, scale)
    a = scale * amplitude
    shape = np.broadcast_shapes(np.shape(a), np.shape(cur.main), np.shape(xt))
    xt_terms = np.broadcast_to(np.asarray(xt, dtype=float)[..., None], shape + (n_adj,))
    inter = np.concatenate([np.broadcast_to(cur.largest, shape + cur.largest.shape[-1:]), xt_terms], axis=-1)
    extra = (a * a) * cur.rest_sum_squares
    ber = nrz_ber(cur.main, inter, a, np.sqrt(s1**2 + extra), np.sqrt(s0**2 + extra), exact_terms=exact_terms)
    if not worst:
        return ber, None, s1, s0
    worst_inter = np.concatenate([inter, np.broadcast_to(cur.rest_sum_abs, shape)[..., None]], axis=-1)
    ber_w = nrz_ber(cur.main, worst_inter, a, s1, s0, method="worst")
    return ber, ber_w, s1, s0


def microled_decision_model(p: MicroLEDLink, reach=10.0, *, lane_rate=None, samples_per_symbol=32):
    """Build the :class:`~microlink.ber.model.DecisionModel` of one lane at one reach (scalar inputs)."""
    from microlink.ber.model import DecisionModel
    from microlink.ber.pulse import nrz_pulse

    if p.led.broadcast_shape() or p.fiber.broadcast_shape() or np.ndim(reach) or np.ndim(lane_rate):
        raise ParameterError("reach", reach, "scalar parameters for a decision model (one design point)")
    check_range("reach", reach, 0.0, 1e5, "m")
    lr = float(p.lanes.lane_rate if lane_rate is None else check_range("lane_rate", lane_rate, 1e6, 1e12, "b/s"))
    tx = transmitter(p, lr)
    rx = p.receiver.design(lr, p.photodiode.capacitance)
    resp = p.photodiode.responsivity(p.led.wavelength)
    gain, _ = optical_gain(p, reach)
    i1, i0 = resp * gain * tx["power_one"], resp * gain * tx["power_zero"]
    n_adj = int(round(float(p.fiber.adjacent_cores)))
    xt = float(p.fiber.crosstalk(reach))
    xt_dc = n_adj * xt * 0.5 * (i1 + i0)
    s1, s0, _ = noise_terms(p, rx, i1, i0, xt_dc)
    sigma = p.fiber.rms_spread(reach, p.led.wavelength, p.led.spectral_width)
    _, pulse = nrz_pulse(
        [tx["carrier_bandwidth"] / lr, tx["rc_bandwidth"] / lr, p.photodiode.transit_bandwidth / lr],
        [rx["bandwidth"] / lr], sigma * lr, p.driver.pre_emphasis, samples_per_symbol,
    )
    return DecisionModel(
        pulse=np.asarray(pulse, dtype=float), samples_per_symbol=samples_per_symbol, symbol_rate=lr,
        modulation="NRZ", amplitude=float(0.5 * (i1 - i0)), sigma_one=float(s1), sigma_zero=float(s0),
        aggressors=np.full(n_adj, xt), label=f"micro-LED lane, {lr / 1e9:g} Gb/s, {float(reach):g} m",
    )


def q_worst_from(cur, amplitude, sigma_one, sigma_zero, xt, n_adj):
    """Q of the worst-case eye: ``2 A (h0 - sum|h_k| - n X) / (sigma1 + sigma0)`` [1]."""
    opening = cur.main - cur.isi_abs_sum - n_adj * np.asarray(xt)
    return 2.0 * amplitude * opening / (sigma_one + sigma_zero)
