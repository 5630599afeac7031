"""Micro-LED co-packaged optical link: the full chain from drive current to BER and energy per bit.

Chain for one lane (all quantities broadcast over design points)::

    driver levels -> LED L-I (droop, temperature) -> OMA, extinction
    LED carrier + RC poles, fiber dispersion (Gaussian), PD transit pole, TIA (Butterworth)
        -> NRZ pulse response -> cursors (sampling phase centred in the eye left by the jitter and skew)
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
from microlink.ber.pulse import Cursors, flat_cascade, pulse_batches
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
from microlink.rowcache import RowCache
from microlink.units import ELEMENTARY_CHARGE, ber_to_q, db_to_linear

#: Bracket of the maximum-reach search [m].
REACH_SEARCH = (1e-3, 1e5)
#: Penalty reported for a closed eye [dB] (the chain's margin search half-width: nothing closes beyond it).
CLOSED_EYE_PENALTY_DB = 60.0
#: Names of the impairment penalties in :attr:`~microlink.link.base.Decision.penalties_db`, in budget order.
PENALTY_NAMES = ("crosstalk", "jitter", "lane_skew", "worst_lane", "temperature_corner", "large_signal",
                 "end_of_life")


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
class MicroLEDImpairments(Parameters):
    """What a real many-lane link adds to one nominal lane: each becomes a named penalty [dB of optical power].

    See :func:`impairment_penalties` for how each is computed.
    """

    section = "impairments"

    random_jitter_rms: float = param(
        0.01, unit="UI", bounds=(0.0, 0.5),
        source=Source("IEEE Std 802.3ck-2022 COM tables (Annex 93A): sigma_RJ = 0.01 UI", "standard",
                      "RJ of the forwarded clock / CDR at the sampler, the electrical-SerDes allocation"),
    )
    deterministic_jitter: float = param(
        0.02, unit="UI", bounds=(0.0, 1.0),
        source=Source("IEEE Std 802.3ck-2022 COM tables (Annex 93A): A_DD = 0.02 UI (dual-Dirac half-amplitude)",
                      "standard", "dual-Dirac DJ of the clock path; the sampling offset is A_DD + Q sigma_RJ"),
    )
    residual_skew: float = param(
        1.0 / 32.0, unit="UI", bounds=(0.0, 1.0),
        source=Source("per-lane deskew in a phase-interpolator clock tree, 1/16 UI steps", "assumption",
                      "no published micro-LED deskew figure: half a 1/16 UI step (1/32 UI) remains after "
                      "deskew, a static sampling offset on top of the jitter; the sampling phase is trained "
                      "to the centre of the eye that jitter plus this skew leave open"),
    )
    bandwidth_spread: float = param(
        0.05, unit="1", bounds=(0.0, 0.9),
        source=Source("lane-to-lane spread of micro-LED array bandwidth not published for datacom arrays",
                      "assumption", "5 % relative standard deviation of the LED carrier bandwidth across the "
                      "array (epitaxial thickness and etch variation)"),
    )
    efficiency_spread: float = param(
        0.10, unit="1", bounds=(0.0, 0.9),
        source=Source("micro-LED display arrays: luminance non-uniformity of order 10 % before compensation",
                      "assumption", "10 % relative standard deviation of the lane output power (EQE and "
                      "coupling) across the array; no datacom array figure published"),
    )
    # to 450 K: the corner is evaluated as the LED's junction temperature, whose model holds to led.temperature's 450 K
    corner_temperature: float = param(
        358.15, unit="K", bounds=(200.0, 450.0),
        source=Source("co-packaged engines sit beside the switch/accelerator die: 85 degC operating corner",
                      "assumption", "85 degC worst-case LED junction (industrial optical-module corner)"),
    )
    end_of_life_power_db: float = param(
        1.55, unit="dB", bounds=(0.0, 20.0),
        source=Source("ANSI/IES LM-80 and TM-21: LED lifetime is the time to 70 % lumen maintenance (L70)",
                      "derived", "10 log10(1/0.7) = 1.55 dB: the link must close at L70 at end of service"),
    )
    large_signal: bool = choice(
        True, options=(True, False),
        source=Source("carrier rate equation in time vs the small-signal pole at the bias "
                      "(microlink.devices.led_dynamics)", "derived",
                      "the '0'/'1' lifetime asymmetry is charged as a penalty; False skips the time solution"),
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
    :meth:`evaluate` to run the chain. Every numeric field may be an array (design points broadcast); the
    whole-number :attr:`grouped_fields` are decided one value at a time.
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
    impairments: MicroLEDImpairments = section(MicroLEDImpairments)
    economics: MicroLEDEconomics = section(MicroLEDEconomics)

    #: Whole-number fields that set the structure of a decision (how many neighbour cores the crosstalk sums,
    #: how many FFE taps are solved): the chain decides each distinct value in a batch of its own.
    grouped_fields: ClassVar[tuple[str, ...]] = ("fiber.adjacent_cores", "receiver.ffe_taps",
                                                 "receiver.ffe_pre_taps")
    vectorises_lane_rate: ClassVar[bool] = True

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
        """NRZ decision of one nominal lane and the impairment budget of the whole array (module docstring).

        The lens's launched cone sets the fiber's modal spread and crosstalk, and the LED's spectral width at
        its drive levels sets the chromatic spread. The BER is that of the nominal lane with crosstalk light
        as shot noise; crosstalk eye closure, jitter, skew, worst lane, temperature corner, large-signal
        response and end-of-life are named penalties (:func:`impairment_penalties`) the chain applies.
        """
        p = self
        lr = plan.line_rate
        length = np.asarray(length, dtype=float)
        n = request.size
        tx = transmitter(p, lr)
        rx = p.receiver.design(lr, p.photodiode.capacitance)
        resp = p.photodiode.responsivity(p.led.wavelength)
        n_adj = int(round(float(np.max(p.fiber.adjacent_cores))))
        na_launch = launch_numerical_aperture(p)
        gain, launch = optical_gain(p, length)
        i1 = resp * gain * tx["power_one"]
        i0 = resp * gain * tx["power_zero"]
        xt = p.fiber.crosstalk(length, p.led.wavelength, na_launch) * (n_adj > 0)
        xt_dc = n_adj * xt * 0.5 * (i1 + i0)
        from microlink.link.chain import pre_fec_threshold

        q_target = ber_to_q(np.clip(pre_fec_threshold(plan.fec, request.target_ber), 1e-300, 0.5))
        cur, sigma_fiber, pen, window = impairment_penalties(p, tx, rx, lr, length, plan, q_target, xt, n_adj,
                                                             samples_per_symbol, n)
        amplitude = 0.5 * (i1 - i0)
        ffe = receive_ffe(p, window, rx, lr, q_target, n)
        if ffe is not None:  # equalised cursors; the taps colour and scale every noise term alike
            cur, noise_gain, ffe_taps = ffe
            rx = {**rx, "noise_gain": noise_gain}
        # BER of the lane at the power left after its penalties (the chain's media BER); worst case alike
        pen_scale = 10.0 ** (sum(pen.values()) / 10.0)
        ber, ber_w, s1, s0 = decision_ber(p, rx, cur, amplitude, i1, i0, xt_dc, xt, 0, scale=1.0 / pen_scale,
                                          exact_terms=exact_terms)
        flat = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in
                {"amp": amplitude, "i1": i1, "i0": i0, "xt_dc": xt_dc, "xt": xt, "bw": rx["bandwidth"],
                 "noise": rx["noise_current"], "main": cur.main, "rest": cur.rest_sum_squares,
                 "gain": rx.get("noise_gain", 1.0)}.items()}
        largest = np.broadcast_to(cur.largest, (n,) + cur.largest.shape[-1:])
        arrays = bool(p.parameter_shape())

        def ber_at_scale(scale, idx):
            q = p.flatten((n,), idx) if arrays else p
            rx_i = {"bandwidth": flat["bw"][idx], "noise_current": flat["noise"][idx], "noise_gain": flat["gain"][idx]}
            cur_i = type(cur)(flat["main"][idx], largest[idx], flat["rest"][idx], flat["rest"][idx], cur.phase)
            return decision_ber(q, rx_i, cur_i, flat["amp"][idx], flat["i1"][idx], flat["i0"][idx],
                                flat["xt_dc"][idx], flat["xt"][idx], 0, scale=1.0 / np.asarray(scale),
                                exact_terms=exact_terms, worst=False)[0]

        bn = rx["bandwidth"] * p.receiver.noise_bandwidth_factor
        rin = db_to_linear(p.lanes.relative_intensity_noise_db_per_hz)
        return Decision(
            ber=ber, ber_worst_case=ber_w, ber_at_scale=ber_at_scale,
            q_power_law=1.0,  # the TIA's thermal noise: Q goes as the photocurrent, as the optical power
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
            q_worst_case=q_worst_from(cur, amplitude / pen_scale, s1, s0, xt, n_adj),
            penalties_db=pen,
            extras={
                "led_forward_voltage_v": tx["forward_voltage"],
                "led_current_one_a": tx["current_one"],
                "led_current_zero_a": tx["current_zero"],
                "extinction_ratio_db": 10 * np.log10(tx["power_one"] / tx["power_zero"]),
                "launch_efficiency": launch,
                "launch_numerical_aperture": na_launch,
                "led_spectral_width_m": tx["spectral_width"],
                "responsivity_a_per_w": resp,
                "fiber_rms_spread_s": sigma_fiber,
                "sampling_phase_ui": cur.phase,
                "tia_power_w": rx["power"],
                "ffe_noise_gain": rx.get("noise_gain", 1.0),
            },
        )

    def energy(self, request: Request, plan: LanePlan, attach) -> dict:
        """Energy per payload bit of the engine's own blocks, one direction, both ends [J/bit]."""
        p = self
        lr = plan.line_rate
        agg = request.aggregate_rate
        tx = transmitter(p, lr)
        rx = p.receiver.design(lr, p.photodiode.capacitance)
        # lanes the payload alone would need; the extra lanes that carry a host FEC's parity are "fec_parity"
        active = np.ceil(agg / lr - 1e-9)
        payload_lanes = active + (np.ceil(active * p.lanes.spare_fraction - 1e-9) if p.lanes.spares_powered else 0.0)
        lane_scale = payload_lanes * lr / agg
        per_lane_bit = {
            "led_driver": tx["driver_energy"],
            "led": tx["led_energy"],
            "tia": rx["power"] / lr,
            "post_amplifier": p.receiver.post_amplifier_energy,
            "decision": p.receiver.decision_energy,
            "clocking": p.receiver.clock_energy(),
            "equalizer": np.round(p.receiver.ffe_taps) * p.receiver.ffe_tap_energy,
        }
        blocks = {"gearbox": 2.0 * p.host.gearbox_logic_energy * np.ones(request.size)}
        blocks.update({k: lane_scale * v for k, v in per_lane_bit.items()})
        blocks["static"] = 2.0 * p.host.static_power / (2.0 * agg)
        blocks["fec_parity"] = (plan.lanes_powered - payload_lanes) * lr / agg * sum(per_lane_bit.values())
        return blocks

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
        "spectral_width": emission_spectral_width(p.led, i1, i0, p1, p0),
    }


def emission_spectral_width(led: MicroLED, current_one, current_zero, power_one, power_zero):
    """Power-weighted emission FWHM over the '1' and '0' drive levels at the LED temperature [A, A, W, W -> m]."""
    w1, w0 = led.spectral_width_at(current_one), led.spectral_width_at(current_zero)
    return (power_one * w1 + power_zero * w0) / (power_one + power_zero)


def launch_numerical_aperture(p: MicroLEDLink):
    """NA of the cone launched into the fiber by the coupling optics [1]: what fills the fiber's modes."""
    return p.fiber.launch_numerical_aperture(p.led.diameter)


def optical_gain(p: MicroLEDLink, reach):
    """Fraction of launched LED power reaching the photodiode [m -> 1] and the launch efficiency."""
    launch = p.fiber.launch_efficiency(p.led.diameter, p.led.emission_exponent)
    return launch * p.fiber.transmission(reach, p.led.wavelength) * p.fiber.receive_coupling, launch


def _cascade(p: MicroLEDLink, tx, rx, r, sigma):
    """Pole, Butterworth and Gaussian widths of the lane normalised to the lane rate (for :func:`nrz_pulse`)."""
    return ([tx["carrier_bandwidth"] / r, tx["rc_bandwidth"] / r, p.photodiode.transit_bandwidth / r],
            [rx["bandwidth"] / r], sigma * r, p.driver.pre_emphasis)


#: Symbol-spaced cursors kept around the main cursor for the receive FFE: precursors, total.
FFE_WINDOW = (4, 24)


def lane_eyes(cascade, samples_per_symbol=16, offsets=(), n_largest=8, window=None, centre=None):
    """Cursors at the best sampling phase and worst-case eye openings at phase offsets, in bounded chunks.

    The best phase is refined between the oversampling grid's samples and every eye is read on the
    band-limited pulse (:class:`~microlink.ber.pulse.PulseSampler`), so the penalties read at the offsets do not
    depend on where the pulse's peak falls between two samples (which moves with the fiber's spread).

    Without ``centre`` the best phase is that of the widest un-jittered eye ``h0 - sum |h_k|``. With it (an
    array broadcasting to ``[...]``, [UI]) it is the phase whose worse eye at ``centre`` UI early and late is
    widest (:meth:`~microlink.ber.pulse.PulseSampler.centred_phase`): the receiver centres its sampler in the
    eye its jitter and skew leave open. Each point's phase is its own (no value depends on the batch).

    Parameters
    ----------
    cascade : (poles, butterworths, gaussian_rms, pre_emphasis)
        Arrays broadcasting to ``[...]``, as for :func:`~microlink.ber.pulse.nrz_pulse` [1, 1, UI, 1].
    offsets : sequence of array_like [...]
        Sampling-time offsets from the best phase [UI]; for each, the smaller opening ``h0 - sum |h_k|`` of
        the two sides (early and late) is returned. An offset of half a UI or more puts the sampler on or past
        the crossing between symbols: the eye there is the one at the crossing, and closed (at most 0), not
        the next symbol's opening the phase would wrap round to.

    window : (int, int), optional
        ``(precursors, total)``: also return the ordered cursors at the best phase from ``precursors``
        before the main cursor, ``total`` of them (zero beyond the pulse) [1].
    centre : array_like [...], optional
        Sampling-time offset the phase is chosen to tolerate [UI] (above).

    Returns
    -------
    Cursors, list of ndarray [...], and the cursor window [..., total] when ``window`` is given
    """
    poles, butter, gauss, pre = cascade
    extra = tuple(offsets) + (() if centre is None else (centre,))
    shape, flat, flat_off, windows = flat_cascade(poles, butter, gauss, pre, extra=extra)
    flat_centre = None if centre is None else flat_off[-1]
    flat_off = flat_off[:len(offsets)]
    total = windows.size
    k = min(n_largest, int(windows.min()) - 1)
    main, largest, rest_sq, rest_abs, phase = (np.empty(total), np.empty((total, k)), np.empty(total),
                                               np.empty(total), np.empty(total))
    eyes = [np.empty(total) for _ in offsets]
    ordered = None if window is None else np.zeros((total, int(window[1])))
    for sel, n_symbols, sampler, c, best in pulse_batches(flat, len(poles), len(butter), windows, samples_per_symbol,
                                                          k, centre=flat_centre):
        main[sel], largest[sel], rest_sq[sel], rest_abs[sel], phase[sel] = (
            c.main, c.largest, c.rest_sum_squares, c.rest_sum_abs, c.phase)
        if window is not None:
            m0 = np.argmax(best, axis=-1)  # best: [sel, ui] at the best phase
            pos = m0[:, None] - int(window[0]) + np.arange(int(window[1]))[None, :]
            ok = (pos >= 0) & (pos < int(n_symbols))
            ordered[sel] = np.where(ok, np.take_along_axis(best, np.clip(pos, 0, int(n_symbols) - 1), axis=-1), 0.0)
        for eye, off in zip(eyes, flat_off):
            at = np.minimum(off[sel], 0.5)
            # the band-limited pulse at the offset instants, not a line between samples
            late, early = sampler.eye_pair(c.phase + at, c.phase - at)
            worse = np.minimum(late, early)
            eye[sel] = np.where(off[sel] >= 0.5, np.minimum(worse, 0.0), worse)
    cur = Cursors(main.reshape(shape), largest.reshape(shape + (k,)), rest_sq.reshape(shape),
                  rest_abs.reshape(shape), phase.reshape(shape))
    if window is not None:
        return cur, [e.reshape(shape) for e in eyes], ordered.reshape(shape + (int(window[1]),))
    return cur, [e.reshape(shape) for e in eyes]


def tia_noise_autocorrelation(normalised_bandwidth, lags, points=4096, span=16.0):
    """Normalised autocorrelation of white noise through the TIA's Butterworth-2 response at symbol lags
    [bandwidth / symbol rate -> 1, shape ``[..., lags]``, 1 at lag 0]."""
    from microlink.devices.receiver import butterworth2_response

    nu = np.linspace(0.0, span, points)
    h2 = np.abs(butterworth2_response(nu, np.asarray(normalised_bandwidth, dtype=float)[..., None])) ** 2
    w = np.cos(2.0 * np.pi * nu[:, None] * np.arange(lags)[None, :])
    r = h2 @ w
    return r / r[..., :1]


def receive_ffe(p: MicroLEDLink, cursor_window, rx, lane_rate, q_target, n):
    """MMSE receive FFE on the lane's cursors (:func:`microlink.devices.serdes.mmse_ffe_dfe`, no DFE).

    The taps are solved for the noise a lane has at its BER threshold (noise-to-signal ``1/Q^2``), not the
    noise of the present power: a link far from closing would otherwise get taps that give up ISI for
    noise, and the margin solver scales the power with the taps fixed.

    Returns the equalised :class:`~microlink.ber.pulse.Cursors` and the noise gain ``sqrt(w^T R w / R_0)``
    of the taps on the TIA's coloured noise [1]; None when ``receiver.ffe_taps`` is 0.
    """
    taps = int(round(float(np.max(p.receiver.ffe_taps))))
    if taps <= 0:
        return None
    from microlink.devices.serdes import mmse_ffe_dfe

    n_pre = min(int(round(float(np.max(p.receiver.ffe_pre_taps)))), taps - 1)
    x = np.broadcast_to(cursor_window, (n, cursor_window.shape[-1]))
    rho = tia_noise_autocorrelation(np.broadcast_to(rx["bandwidth"] / np.asarray(lane_rate, dtype=float), (n,)),
                                    taps)
    nsr = np.broadcast_to(1.0 / np.maximum(np.asarray(q_target, dtype=float), 1e-3) ** 2, (n,))
    sol = mmse_ffe_dfe(x, rho * nsr[:, None], 1.0, np.zeros(n), taps, n_pre, 0)
    resp = sol.response
    mi = (sol.main_index + n_pre)[:, None]
    main = np.take_along_axis(resp, mi, axis=-1)[:, 0]
    isi = resp.copy()
    np.put_along_axis(isi, mi, 0.0, axis=-1)
    k = 8
    order = np.argsort(-np.abs(isi), axis=-1)
    largest = np.take_along_axis(isi, order[:, :k], axis=-1)
    rest = np.take_along_axis(isi, order[:, k:], axis=-1)
    gain = np.sqrt(np.maximum(sol.noise_variance, 0.0) / nsr)
    return Cursors(main, largest, (rest**2).sum(axis=-1), np.abs(rest).sum(axis=-1), np.zeros(n)), gain, sol.taps


def eye_penalty_db(reference, impaired):
    """Power penalty of an eye opening shrunk from ``reference`` to ``impaired``: ``10 log10(ref/imp)`` [1, 1 -> dB].

    Optical power maps linearly to photocurrent, so an amplitude ratio is a power ratio. A closed impaired
    eye gives :data:`CLOSED_EYE_PENALTY_DB`; an open one against a closed reference 0 (nothing was lost).
    """
    ref = np.asarray(reference, dtype=float)
    imp = np.asarray(impaired, dtype=float)
    both = (imp > 0) & (ref > 0)
    pen = 10.0 * np.log10(np.where(both, ref, 1.0) / np.where(both, imp, 1.0))
    return np.where(imp > 0, np.where(both, np.minimum(pen, CLOSED_EYE_PENALTY_DB), 0.0), CLOSED_EYE_PENALTY_DB)


def order_statistic_quantile(rank, count):
    """Expected standard-normal value of the ``rank``-th smallest of ``count`` draws (Blom's formula) [1, 1 -> 1].

    Blom, *Statistical Estimates and Transformed Beta-Variables* (Wiley, 1958): ``Phi^-1((r - 3/8)/(N + 1/4))``.
    """
    from scipy.special import ndtri

    r = np.asarray(rank, dtype=float)
    n = np.asarray(count, dtype=float)
    return ndtri((r - 0.375) / (n + 0.25))


def impairment_penalties(p: MicroLEDLink, tx, rx, lane_rate, length, plan: LanePlan, q_target, xt, n_adj,
                         samples_per_symbol, n):
    """Cursors of the nominal lane, its fiber rms spread [s] and the named penalties [dB] (each ``(n,)``).

    * **crosstalk**: ``n_adj`` aggressors aligned against the eye (the pattern that sets a BER of 1e-12;
      any other pattern is 2^-n_adj as likely and less closed): ``10 log10(e / (e - n X))``.
    * **sampling phase**: one decision phase per lane (nominal, worst lane and corner each their own), the
      phase [UI] that maximises the eye left after the jitter and skew allocation, i.e. the worse of the
      eyes ``h0 - sum |h_k|`` sampled ``A_DD + Q sigma_RJ + residual_skew`` UI early and late
      (:meth:`~microlink.ber.pulse.PulseSampler.centred_phase`: the root of late minus early eye next to the
      widest un-jittered eye; a grid search and golden section where that root is not clear-cut). The
      receiver (forwarded clock, per-lane deskew trained at bring-up) is assumed to centre its sampler in
      that jitter-tolerant eye, not at the widest un-jittered eye, whose phase can sit at the edge of a steep
      flank. The cursors the BER and the FFE use are those at this phase.
    * **jitter**: the eye at that phase moved early/late by the dual-Dirac offset ``A_DD + Q sigma_RJ``
      (``Q`` of the pre-FEC threshold) against the (un-jittered) eye at that phase.
    * **lane_skew**: the residual skew added to that offset, against the jittered eye.
    * **worst_lane**: of ``N = active + spare`` emitters the spares replace the worst, so the link runs at
      the ``(spare + 1)``-th worst; its expected normal quantile ``z`` (Blom) scales the carrier bandwidth by
      ``1 + z s_bw`` (eye penalty) and the power by ``1 + z s_eff``; the two independent terms add in
      quadrature (the z-quantile of their sum).
    * **temperature_corner**: the LED at the corner temperature (levels, carrier pole, spectral width);
      OMA ratio plus eye ratio, 0 when the corner is not hotter than the operating point.
    * **large_signal**: :func:`~microlink.devices.led_dynamics.large_signal_penalty_db` (cached).
    * **end_of_life**: the L70 power allowance.

    Where the nominal worst-case eye is already closed by ISI the eye ratios use the main cursor alone
    (the loss of signal; a lower bound of the closure).
    """
    imp = p.impairments
    r = np.asarray(lane_rate, dtype=float)
    na_launch = launch_numerical_aperture(p)
    sigma = p.fiber.rms_spread(length, p.led.wavelength, tx["spectral_width"], na_launch)
    off_j = np.asarray(imp.deterministic_jitter) + q_target * np.asarray(imp.random_jitter_rms)
    off_s = off_j + np.asarray(imp.residual_skew)
    poles, butter, gauss, pre = _cascade(p, tx, rx, r, sigma)

    n_total = np.asarray(plan.lanes_active, dtype=float) + np.asarray(plan.lanes_spare, dtype=float)
    z = order_statistic_quantile(np.asarray(plan.lanes_spare, dtype=float) + 1.0, np.maximum(n_total, 1.0))
    z = np.where(n_total > 1, z, 0.0)
    bw_scale = np.maximum(1.0 + z * np.asarray(imp.bandwidth_spread), 0.05)
    eff_scale = np.maximum(1.0 + z * np.asarray(imp.efficiency_spread), 1e-6)

    t_corner = np.maximum(np.asarray(imp.corner_temperature, dtype=float), np.asarray(p.led.temperature, dtype=float))
    hot = p.replace(led={"temperature": t_corner})
    tx_c = transmitter(hot, r)
    sigma_c = p.fiber.rms_spread(length, p.led.wavelength, tx_c["spectral_width"], na_launch)

    # the nominal cascade, with the eyes at the jitter and skew offsets and the FFE's cursor window; the worst
    # lane's carrier pole and the corner stacked on a leading axis, their own phases but no offset eyes
    def column(a):
        return np.broadcast_to(np.asarray(a, dtype=float), np.broadcast_shapes(np.shape(a), (n,)))

    def stack(a, b):
        shp = np.broadcast_shapes(np.shape(a), np.shape(b), (n,))
        return np.stack([np.broadcast_to(np.asarray(x, dtype=float), shp) for x in (a, b)])

    nominal = ([column(poles[0]), column(poles[1]), column(poles[2])], [column(butter[0])], column(gauss),
               column(pre))
    cur, (eye_j, eye_s), window = lane_eyes(nominal, samples_per_symbol, (column(off_j), column(off_s)),
                                            window=FFE_WINDOW, centre=column(off_s))
    others = ([stack(poles[0] * bw_scale, tx_c["carrier_bandwidth"] / r), stack(poles[1], tx_c["rc_bandwidth"] / r),
               stack(poles[2], poles[2])], [stack(butter[0], butter[0])], stack(gauss, sigma_c * r), stack(pre, pre))
    cur2, _ = lane_eyes(others, samples_per_symbol, centre=stack(off_s, off_s))
    e0, main0 = cur.main - cur.isi_abs_sum, cur.main
    (eye_w, eye_c), (main_w, main_c) = cur2.main - cur2.isi_abs_sum, cur2.main  # worst lane, corner
    open_nominal = e0 > 0

    def ratio(ref, imp_, main_ref, main_imp):
        return np.where(open_nominal, eye_penalty_db(ref, imp_), eye_penalty_db(main_ref, main_imp))

    def main_at(offset_eye):  # main-cursor fallback: signal lost at the offset, from the eye and its ISI
        return offset_eye + cur.isi_abs_sum

    jitter = ratio(e0, eye_j, main0, main_at(eye_j))
    skew = ratio(eye_j, eye_s, main_at(eye_j), main_at(eye_s))
    skew = np.maximum(skew, 0.0)
    bw_pen = np.maximum(ratio(e0, eye_w, main0, main_w), 0.0)
    eff_pen = -10.0 * np.log10(eff_scale)
    worst = np.sqrt(bw_pen**2 + eff_pen**2)
    oma = tx["power_one"] - tx["power_zero"]
    oma_c = tx_c["power_one"] - tx_c["power_zero"]
    corner = np.where(oma_c > 0, 10.0 * np.log10(oma / np.where(oma_c > 0, oma_c, 1.0)), CLOSED_EYE_PENALTY_DB)
    corner = np.maximum(corner + ratio(e0, eye_c, main0, main_c), 0.0)
    ref = np.where(open_nominal, e0, main0)
    closure = n_adj * np.asarray(xt, dtype=float)
    xt_pen = eye_penalty_db(ref, ref - closure)
    values = {
        "crosstalk": xt_pen, "jitter": jitter, "lane_skew": skew, "worst_lane": worst,
        "temperature_corner": np.minimum(corner, CLOSED_EYE_PENALTY_DB),
        "large_signal": large_signal_penalty(p, r, n),
        "end_of_life": np.asarray(imp.end_of_life_power_db, dtype=float),
    }
    return cur, sigma, {k: np.broadcast_to(np.asarray(values[k], dtype=float), (n,)).copy()
                        for k in PENALTY_NAMES}, window


#: Large-signal penalties already solved, keyed by the LED, driver and lane-rate values of one point.
_LARGE_SIGNAL_CACHE = RowCache(4096)
#: Devices solved together in one rate-equation call (bounds its memory: ~16 waveforms of 2,032 samples each).
LARGE_SIGNAL_BLOCK = 256


def large_signal_penalty(p: MicroLEDLink, lane_rate, n):
    """Large-signal eye penalty of each point [dB] (``(n,)``), solved once per distinct device and rate.

    The time-domain rate equation (with the small-signal reference) costs ~0.17 ms a device; it does not depend
    on the length, so the reach and margin solvers reuse it from a cache keyed by the point's LED, driver and
    lane-rate values. A device given by ``measured_bandwidth`` or ``measured_efficiency`` has no ABC model to
    solve in time: 0 dB there (its measured response at the bias stands for it).
    """
    if not bool(p.impairments.large_signal):
        return np.zeros(n)
    from microlink.devices.led_dynamics import large_signal_penalty_db
    from microlink.parameters import numeric_fields

    led_f = numeric_fields(type(p.led))
    cols = [np.broadcast_to(np.asarray(getattr(p.led, f), dtype=float), (n,)) for f in led_f]
    drv = [np.broadcast_to(np.asarray(getattr(p.driver, f), dtype=float), (n,))
           for f in ("bias_current", "modulation_depth", "pre_emphasis", "output_resistance")]
    table = np.stack(cols + drv + [np.broadcast_to(np.asarray(lane_rate, dtype=float), (n,))], axis=-1)
    m = len(led_f)

    def solve(rows):
        # batched solves of at most LARGE_SIGNAL_BLOCK devices (memory ~ devices x pattern samples); each device
        # keeps its own time step, so no value depends on the batch
        out = np.empty(rows.shape[0])
        for start in range(0, rows.shape[0], LARGE_SIGNAL_BLOCK):
            block = rows[start:start + LARGE_SIGNAL_BLOCK]
            led = p.led.replace(**{f: block[:, i] for i, f in enumerate(led_f)}) if p.led.broadcast_shape() else p.led
            pen = np.broadcast_to(large_signal_penalty_db(led, block[:, m], block[:, m + 1], block[:, m + 2],
                                                          block[:, m + 4], driver_resistance=block[:, m + 3]),
                                  (len(block),))
            out[start:start + len(block)] = np.where(np.isfinite(pen), np.minimum(pen, CLOSED_EYE_PENALTY_DB),
                                                     CLOSED_EYE_PENALTY_DB)
        return out

    values = _LARGE_SIGNAL_CACHE.lookup(table, solve)
    measured = (np.asarray(p.led.measured_bandwidth) > 0) | (np.asarray(p.led.measured_efficiency) > 0)
    return np.where(measured, 0.0, values)


def noise_terms(p: MicroLEDLink, rx, current_one, current_zero, crosstalk_dc, scale=1.0):
    """RMS noise currents on a one and a zero [A] (photocurrents scaled by ``scale``), and the noise
    bandwidth [Hz]: TIA thermal, shot (signal, crosstalk light and dark current) and intensity noise."""
    bn = rx["bandwidth"] * p.receiver.noise_bandwidth_factor
    dark = p.photodiode.dark_current
    rin = db_to_linear(p.lanes.relative_intensity_noise_db_per_hz)
    i1 = scale * (current_one + crosstalk_dc)
    i0 = scale * (current_zero + crosstalk_dc)
    th2 = rx["noise_current"] ** 2
    g = np.asarray(rx.get("noise_gain", 1.0), dtype=float)  # receive FFE noise gain (1 without one)
    s1 = g * np.sqrt(th2 + 2 * ELEMENTARY_CHARGE * (i1 + dark) * bn + rin * i1**2 * bn)
    s0 = g * np.sqrt(th2 + 2 * ELEMENTARY_CHARGE * (i0 + dark) * bn + rin * i0**2 * bn)
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

    p.require_one_point()
    if np.ndim(reach) or np.ndim(lane_rate):
        raise ParameterError("reach" if np.ndim(reach) else "lane_rate", reach if np.ndim(reach) else lane_rate,
                             "a scalar for a decision model (one design point)")
    check_range("reach", reach, 0.0, 1e5, "m")
    lr = float(p.lanes.lane_rate if lane_rate is None else check_range("lane_rate", lane_rate, 1e6, 1e12, "b/s"))
    tx = transmitter(p, lr)
    rx = p.receiver.design(lr, p.photodiode.capacitance)
    resp = p.photodiode.responsivity(p.led.wavelength)
    gain, _ = optical_gain(p, reach)
    # at the power left after the named penalties (crosstalk closure among them), as the chain decides
    pen = p.evaluate(reach=float(reach), lane_rate=lr, solve_reach=False).penalties_db
    gain = gain / 10.0 ** (sum(float(v) for v in pen.values()) / 10.0)
    i1, i0 = resp * gain * tx["power_one"], resp * gain * tx["power_zero"]
    n_adj = int(round(float(p.fiber.adjacent_cores)))
    na_launch = launch_numerical_aperture(p)
    xt = float(p.fiber.crosstalk(reach, p.led.wavelength, na_launch))
    xt_dc = n_adj * xt * 0.5 * (i1 + i0)
    s1, s0, _ = noise_terms(p, rx, i1, i0, xt_dc)
    sigma = p.fiber.rms_spread(reach, p.led.wavelength, tx["spectral_width"], na_launch)
    _, pulse = nrz_pulse(
        [tx["carrier_bandwidth"] / lr, tx["rc_bandwidth"] / lr, p.photodiode.transit_bandwidth / lr],
        [rx["bandwidth"] / lr], sigma * lr, p.driver.pre_emphasis, samples_per_symbol,
    )
    return DecisionModel(
        pulse=np.asarray(pulse, dtype=float), samples_per_symbol=samples_per_symbol, symbol_rate=lr,
        modulation="NRZ", amplitude=float(0.5 * (i1 - i0)), sigma_one=float(s1), sigma_zero=float(s0),
        aggressors=np.zeros(0), label=f"micro-LED lane, {lr / 1e9:g} Gb/s, {float(reach):g} m",
    )


def q_worst_from(cur, amplitude, sigma_one, sigma_zero, xt, n_adj):
    """Q of the worst-case eye: ``2 A (h0 - sum|h_k| - n X) / (sigma1 + sigma0)`` [1]."""
    opening = cur.main - cur.isi_abs_sum - n_adj * np.asarray(xt)
    return 2.0 * amplitude * opening / (sigma_one + sigma_zero)
