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

import copy
import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

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
from microlink.link.reliability import spared_end_fit
from microlink.link.result import LinkResult
from microlink.link.solve import solve_log
from microlink.parameters import Parameters, Source, check_range, choice, param, section
from microlink.units import ELEMENTARY_CHARGE, ber_to_q, db_to_linear

#: Bracket of the maximum-reach search [m] and of the power-margin search [dB].
REACH_SEARCH = (1e-3, 1e5)
MARGIN_SEARCH_DB = 60.0
#: Relative tolerance of the margin and reach solutions (1e-4: 0.0004 dB, 0.01 % of the reach).
SOLVER_RTOL = 1e-4
#: Upper end of the "BER" axis used for log-domain root finding (avoids log(0)).
BER_FLOOR = 1e-300


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
class MicroLEDLink:
    """Parameters of a complete micro-LED link, one frozen section per block.

    Use :meth:`replace` with ``section={field: value}`` dictionaries to change values, and
    :meth:`evaluate` to run the chain.
    """

    technology: ClassVar[str] = "microled"
    modulation: ClassVar[str] = "NRZ"

    led: MicroLED = section(MicroLED)
    driver: LEDDriver = section(LEDDriver)
    fiber: ImagingFiber = section(ImagingFiber)
    photodiode: SiliconPhotodiode = section(SiliconPhotodiode)
    receiver: Receiver = section(Receiver)
    host: HostInterface = section(HostInterface)
    lanes: LaneConfig = section(LaneConfig)
    economics: MicroLEDEconomics = section(MicroLEDEconomics)

    def sections(self) -> dict[str, Parameters]:
        """The parameter sections by name."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def replace(self, **changes: dict[str, Any]) -> "MicroLEDLink":
        """A copy with fields changed, e.g. ``link.replace(led={"diameter": 4e-6})``."""
        sections = self.sections()
        new = {}
        for name, values in changes.items():
            if name not in sections:
                raise ParameterError(name, values, "one of " + ", ".join(sections))
            if isinstance(values, Parameters):
                new[name] = values
            else:
                new[name] = sections[name].replace(**values)
        return dataclasses.replace(self, **new)

    def decision_model(self, reach=10.0, *, lane_rate=None, samples_per_symbol=32):
        """Pulse response, amplitude, noise and crosstalk at the decision point of one lane (scalars)."""
        return microled_decision_model(self, reach, lane_rate=lane_rate, samples_per_symbol=samples_per_symbol)

    def evaluate(self, aggregate_rate=800e9, reach=10.0, target_ber=1e-12, *, lane_rate=None,
                 solve_reach=True, parameter_set="custom", exact_terms=6, samples_per_symbol=16) -> LinkResult:
        """Run the chain (see module docstring). Inputs broadcast; see :func:`evaluate_microled`."""
        return evaluate_microled(self, aggregate_rate, reach, target_ber, lane_rate=lane_rate,
                                 solve_reach=solve_reach, parameter_set=parameter_set,
                                 exact_terms=exact_terms, samples_per_symbol=samples_per_symbol)


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


@lru_cache(maxsize=None)
def _numeric_fields(cls) -> tuple[str, ...]:
    """Names of the numeric (bounded) fields of a parameter class."""
    return tuple(f.name for f in dataclasses.fields(cls) if "bounds" in f.metadata)


def _flatten_parameters(p: MicroLEDLink, shape, index=None) -> MicroLEDLink:
    """The link with every array field broadcast to ``shape`` and flattened (optionally indexed).

    The values are views or subsets of arrays that were validated when the parameters were built, so the
    copies are made without validating again (this runs inside the solvers' loops).
    """
    new = {}
    for name, sec in p.sections().items():
        arrays = [(f, getattr(sec, f)) for f in _numeric_fields(type(sec)) if np.ndim(getattr(sec, f))]
        if not arrays:
            new[name] = sec
            continue
        clone = copy.copy(sec)
        for fname, value in arrays:
            flat = np.broadcast_to(np.asarray(value, dtype=float), shape).reshape(-1)
            object.__setattr__(clone, fname, flat if index is None else flat[index])
        new[name] = clone
    return dataclasses.replace(p, **new)


def _flat(x, shape):
    return np.broadcast_to(np.asarray(x, dtype=float), shape).reshape(-1)


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


def evaluate_microled(p: MicroLEDLink, aggregate_rate=800e9, reach=10.0, target_ber=1e-12, *, lane_rate=None,
                      solve_reach=True, parameter_set="custom", exact_terms=6, samples_per_symbol=16) -> LinkResult:
    """Evaluate a micro-LED link at one or many design points.

    Parameters
    ----------
    p : MicroLEDLink
        Parameters (fields may be arrays that broadcast together).
    aggregate_rate : array_like
        Payload per direction [b/s].
    reach : array_like
        Length [m].
    target_ber : array_like
        BER the link must meet (no FEC on micro-LED lanes) [1].
    lane_rate : array_like, optional
        Overrides ``p.lanes.lane_rate`` [b/s].
    solve_reach : bool
        Also solve for the maximum reach (costs ~25 extra chain evaluations).

    Returns
    -------
    LinkResult
    """
    check_range("aggregate_rate", aggregate_rate, 1e6, 1e15, "b/s", ("Gb/s", 1e9))
    check_range("reach", reach, 0.0, 1e5, "m")
    check_range("target_ber", target_ber, 1e-30, 0.5, "")
    lane_rate = p.lanes.lane_rate if lane_rate is None else check_range("lane_rate", lane_rate, 1e6, 1e12, "b/s",
                                                                         ("Gb/s", 1e9))
    out_shape = np.broadcast_shapes(np.shape(aggregate_rate), np.shape(lane_rate), np.shape(reach),
                                    np.shape(target_ber), *[s.broadcast_shape() for s in p.sections().values()])
    n_points = int(np.prod(out_shape, dtype=np.int64))
    flat_shape = (n_points,)
    # Everything below runs on flat 1-D arrays; results are reshaped to out_shape at the end.
    p = _flatten_parameters(p, out_shape)
    agg = _flat(aggregate_rate, out_shape)
    lr = _flat(lane_rate, out_shape)
    reach = _flat(reach, out_shape)
    target = _flat(target_ber, out_shape)

    lanes_active = np.ceil(agg / lr - 1e-9)
    lanes_spare = np.ceil(lanes_active * p.lanes.spare_fraction - 1e-9)
    lanes_powered = lanes_active + (lanes_spare if p.lanes.spares_powered else 0.0)

    tx = transmitter(p, lr)
    rx = p.receiver.design(lr, p.photodiode.capacitance)
    resp = p.photodiode.responsivity(p.led.wavelength)
    n_adj = int(round(float(np.max(p.fiber.adjacent_cores))))

    def photocurrents(length):
        gain, launch = optical_gain(p, length)
        i1 = resp * gain * tx["power_one"]
        i0 = resp * gain * tx["power_zero"]
        xt = p.fiber.crosstalk(length) * (n_adj > 0)
        xt_dc = n_adj * xt * 0.5 * (i1 + i0)
        return i1, i0, xt, xt_dc, gain, launch

    def ber_at(length, idx):
        q = _flatten_parameters(p, flat_shape, idx)
        lr_i = lr[idx]
        tx_i = transmitter(q, lr_i)
        rx_i = q.receiver.design(lr_i, q.photodiode.capacitance)
        gain_i, _ = optical_gain(q, length)
        r_i = q.photodiode.responsivity(q.led.wavelength)
        i1_i = r_i * gain_i * tx_i["power_one"]
        i0_i = r_i * gain_i * tx_i["power_zero"]
        xt_i = q.fiber.crosstalk(length) * (n_adj > 0)
        xt_dc_i = n_adj * xt_i * 0.5 * (i1_i + i0_i)
        cur_i, _ = channel_cursors(q, tx_i, rx_i, lr_i, length, samples_per_symbol)
        return decision_ber(q, rx_i, cur_i, 0.5 * (i1_i - i0_i), i1_i, i0_i, xt_dc_i, xt_i, n_adj,
                            exact_terms=exact_terms, worst=False)[0]

    i1, i0, xt, xt_dc, gain, launch = photocurrents(reach)
    cur, sigma_fiber = channel_cursors(p, tx, rx, lr, reach, samples_per_symbol)
    amplitude = 0.5 * (i1 - i0)
    ber, ber_w, s1, s0 = decision_ber(p, rx, cur, amplitude, i1, i0, xt_dc, xt, n_adj, exact_terms=exact_terms)
    shape = flat_shape

    # Power margin: scale all photocurrents until BER = target.
    full = {k: _flat(v, flat_shape) for k, v in
            {"amp": amplitude, "i1": i1, "i0": i0, "xt_dc": xt_dc, "xt": xt, "bw": rx["bandwidth"],
             "noise": rx["noise_current"], "main": cur.main, "rest": cur.rest_sum_squares}.items()}
    largest = np.broadcast_to(cur.largest, flat_shape + cur.largest.shape[-1:])

    def margin_func(scale, idx):
        q = _flatten_parameters(p, flat_shape, idx)
        rx_i = {"bandwidth": full["bw"][idx], "noise_current": full["noise"][idx]}
        cur_i = type(cur)(full["main"][idx], largest[idx], full["rest"][idx], full["rest"][idx], cur.phase)
        b = decision_ber(q, rx_i, cur_i, full["amp"][idx], full["i1"][idx], full["i0"][idx], full["xt_dc"][idx],
                         full["xt"][idx], n_adj, scale=scale, exact_terms=exact_terms, worst=False)[0]
        return np.log(np.maximum(b, BER_FLOOR)) - np.log(target[idx])

    lim = db_to_linear(MARGIN_SEARCH_DB)
    q_now = ber_to_q(np.clip(ber, 1e-300, 0.5))
    guess = ber_to_q(target) / np.maximum(q_now, 1e-3)  # thermal-noise-limited scaling as a first guess
    s_star, below, above = solve_log(margin_func, 1.0 / lim, lim, n_points, increasing=False, rtol=SOLVER_RTOL,
                                     guess=guess)
    margin_db = np.where(above, -np.inf, -10.0 * np.log10(s_star))

    if solve_reach:
        def reach_func(length, idx):
            return np.log(np.maximum(ber_at(length, idx), BER_FLOOR)) - np.log(target[idx])

        max_reach, too_short, capped = solve_log(reach_func, *REACH_SEARCH, n_points, increasing=True,
                                                 rtol=SOLVER_RTOL, guess=np.maximum(reach, 1.0))
        max_reach = np.where(too_short, 0.0, max_reach)
    else:
        max_reach = capped = None  # not solved (never NaN in a result)

    # Energy per payload bit, one direction, both ends.
    lane_scale = lanes_powered * lr / agg
    static = 2.0 * p.host.static_power / (2.0 * agg)
    breakdown = {
        "host_interface": 2.0 * p.host.interface_energy * np.ones(shape),
        "gearbox": 2.0 * p.host.gearbox_logic_energy * np.ones(shape),
        "led_driver": lane_scale * tx["driver_energy"],
        "led": lane_scale * tx["led_energy"],
        "tia": lane_scale * rx["power"] / lr,
        "post_amplifier": lane_scale * p.receiver.post_amplifier_energy,
        "decision": lane_scale * p.receiver.decision_energy,
        "clocking": lane_scale * p.receiver.clock_energy(),
        "static": static,
    }
    breakdown = {k: np.broadcast_to(np.asarray(v, dtype=float), shape) * 1.0 for k, v in breakdown.items()}
    energy = sum(breakdown.values())
    breakdown = {k: v.reshape(out_shape) for k, v in breakdown.items()}

    latency = 2.0 * (p.host.interface_latency + p.host.gearbox_latency) + p.fiber.propagation_delay(reach) + 1.0 / lr
    fit = spared_end_fit(p.economics.tx_lane_fit, p.economics.rx_lane_fit, lanes_active, lanes_spare,
                         p.economics.common_fit, p.economics.service_life)
    cost = p.economics.cost_per_gbps * agg / 1e9 + 0.5 * p.economics.cable_cost_per_m * reach

    q_avg = ber_to_q(np.clip(ber, 1e-300, 0.5))  # BER below 1e-300 reported as Q = 37.0
    q_w = q_worst_from(cur, amplitude, s1, s0, xt, n_adj)

    bshape = lambda x: np.broadcast_to(np.asarray(x, dtype=float), shape).reshape(out_shape) * 1.0  # noqa: E731
    bw = {
        "led_carrier": bshape(tx["carrier_bandwidth"]),
        "led_rc": bshape(tx["rc_bandwidth"]),
        "fiber": bshape(gaussian_bandwidth(sigma_fiber)),
        "photodiode_transit": bshape(p.photodiode.transit_bandwidth),
        "receiver": bshape(rx["bandwidth"]),
    }
    bn = rx["bandwidth"] * p.receiver.noise_bandwidth_factor
    rin = db_to_linear(p.lanes.relative_intensity_noise_db_per_hz)
    noise = {
        "thermal": bshape(rx["noise_current"]),
        "shot": bshape(np.sqrt(2 * ELEMENTARY_CHARGE * (i1 + xt_dc) * bn)),
        "rin": bshape(np.sqrt(rin * bn) * i1),
        "dark": bshape(np.sqrt(2 * ELEMENTARY_CHARGE * p.photodiode.dark_current * bn)),
        "crosstalk": bshape(amplitude * xt * np.sqrt(n_adj)),
    }
    return LinkResult(
        technology="microled",
        parameter_set=parameter_set,
        aggregate_rate=bshape(agg),
        lane_rate=bshape(lr),
        lanes_active=bshape(lanes_active),
        lanes_spare=bshape(lanes_spare),
        reach=bshape(reach),
        modulation="NRZ",
        launched_power=bshape(launch * 0.5 * (tx["power_one"] + tx["power_zero"])),
        received_power=bshape(0.5 * (i1 + i0) / resp),
        received_oma=bshape((i1 - i0) / resp),
        signal_amplitude=bshape(amplitude),
        noise=noise,
        main_cursor=bshape(cur.main),
        isi_closure=bshape(cur.isi_abs_sum),
        crosstalk=bshape(xt),
        bandwidth=bw,
        q_factor=bshape(q_avg),
        q_worst_case=bshape(q_w),
        ber=bshape(ber),
        ber_worst_case=bshape(ber_w),
        target_ber=bshape(target),
        margin_db=bshape(margin_db),
        max_reach=None if max_reach is None else bshape(max_reach),
        max_reach_capped=None if capped is None else np.broadcast_to(capped, shape).reshape(out_shape).copy(),
        energy_breakdown=breakdown,
        power_per_end=bshape(energy * agg),
        latency=bshape(latency),
        fec="none",
        ber_post_fec=bshape(ber),
        cost_per_end=bshape(cost),
        fit_per_end=bshape(fit),
        extras={
            "led_forward_voltage_v": bshape(tx["forward_voltage"]),
            "led_current_one_a": bshape(tx["current_one"]),
            "led_current_zero_a": bshape(tx["current_zero"]),
            "extinction_ratio_db": bshape(10 * np.log10(tx["power_one"] / tx["power_zero"])),
            "launch_efficiency": bshape(launch),
            "responsivity_a_per_w": bshape(resp),
            "fiber_rms_spread_s": bshape(sigma_fiber),
            "sampling_phase_ui": bshape(cur.phase),
            "tia_power_w": bshape(rx["power"]),
            "lanes_powered": bshape(lanes_powered),
            "module_power_per_end_w": bshape((energy - p.host.interface_energy) * agg),
        },
    )


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
