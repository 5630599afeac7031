"""Intensity-modulated, directly detected (IM/DD) PAM lane shared by the laser-based links.

Chain for one lane (everything after the transmitter's optical levels is linear)::

    optical levels P_i (VCSEL L-I or modulator transfer curve at the PAM4 drive levels)
      x transmitter response (host TX FFE, host electrical channel, driver pole, E/O response)
      x channel transmission and Gaussian fiber response (modal + chromatic)
      x responsivity, photodiode transit pole, TIA (2nd-order Butterworth), AGC gain to a fixed swing
      x receive-side electrical channel (linear links: the host channel back to the host SerDes)
      -> equaliser (host SerDes for linear links, module DSP for retimed ones): CTLE + MMSE FFE + DFE
    noise at the equaliser input: TIA input noise (feedback resistor + amplifier), shot noise, laser RIN
      (rate-equation or flat spectrum), the equaliser's own eta_0, transmitter noise of the sending SerDes,
      jitter
    BER: PAM4 with unequal levels and per-level noise (shot ~ P_i, RIN ~ P_i^2) -> FEC

Optical power margin scales the received power: the signal falls as ``1/s``; relative to it, receiver and
electrical noise grow as ``s``, shot noise as ``sqrt(s)``, RIN and ISI stay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from microlink.ber.closed_form import pam_ber, pam_levels, symbol_variance
from microlink.channels.copper import minimum_phase_response
from microlink.channels.multimode import gaussian_response
from microlink.devices.receiver import Receiver, butterworth2_response
from microlink.devices.serdes import SerDes, normalised_grid, slicer_noise_variance
from microlink.units import BOLTZMANN, ELEMENTARY_CHARGE, SPEED_OF_LIGHT


def loss_db_of(response):
    """Insertion loss of a magnitude response, for minimum-phase reconstruction [1 -> dB]."""
    return -20.0 * np.log10(np.maximum(np.abs(response), 1e-300))


def tia_noise_psd(frequency, tia: Receiver, design):
    """Input-referred current noise PSD of a shunt-feedback TIA, one-sided [Hz -> A^2/Hz].

    ``4kT/R_F + (2 pi f C_T)^2 4kT gamma / g_m`` (the integrand of
    :func:`microlink.devices.receiver.tia_input_noise_current`).
    """
    kt4 = 4.0 * BOLTZMANN * tia.temperature
    f = np.asarray(frequency, dtype=float)
    return kt4 / tia.feedback_resistance + (2.0 * np.pi * f * design["input_capacitance"]) ** 2 * kt4 * \
        tia.noise_factor / design["transconductance"]


@dataclass(frozen=True, eq=False)
class IMDDLane:
    """Everything one IM/DD lane needs, with the reach-dependent parts as callables (scalar parameters).

    Attributes
    ----------
    symbol_rate : float
        [Bd].
    modulation : str
        ``"NRZ"`` or ``"PAM4"``.
    level_powers : ndarray [M]
        Optical power of each level at the launch point [W], increasing.
    tx_response : callable f [Hz] -> complex [..., F]
        Electrical + E/O response of the transmitter, normalised to the settled level [1].
    tx_noise : float
        Transmitter electrical noise variance relative to a unit symbol [1].
    rin : callable f -> [..., F]
        One-sided RIN spectrum of the source [1/Hz].
    transmission : callable length [m] -> [...]
        Launch point to photodiode power transmission [1].
    fiber_rms : callable length [m] -> [...]
        Gaussian rms impulse width of the fiber [s].
    responsivity : float
        [A/W].
    pd_bandwidth : float
        Photodiode transit-time pole [Hz].
    dark_current : float
        [A].
    tia : Receiver
        TIA core parameters; ``tia_design`` its design at this symbol rate.
    output_swing : float
        AGC target: differential peak-to-peak swing between the outer levels at the TIA output [V].
    max_transimpedance : float
        Largest TIA + AGC gain [ohm].
    rx_response : callable f -> complex [..., F]
        Electrical path from the TIA output to the equaliser input [1].
    equalizer : SerDes
        The receiver that equalises and decides.
    """

    symbol_rate: float
    modulation: str
    level_powers: Any
    tx_response: Callable
    tx_noise: float
    rin: Callable
    transmission: Callable
    fiber_rms: Callable
    responsivity: float
    pd_bandwidth: float
    dark_current: float
    tia: Receiver
    tia_design: dict
    output_swing: float
    max_transimpedance: float
    rx_response: Callable
    equalizer: SerDes

    @property
    def normalised_levels(self):
        """Levels mapped so the outer ones are -1 and +1 [1]."""
        p = np.asarray(self.level_powers, dtype=float)
        return (p - 0.5 * (p[-1] + p[0])) / (0.5 * (p[-1] - p[0]))

    def decide(self, length):
        """Equalised decision at a fiber length (array) -> dict of results (see module docstring)."""
        length = np.asarray(length, dtype=float)
        rs = float(self.symbol_rate)
        nu = normalised_grid()
        f = nu * rs
        levels = self.normalised_levels
        lv_ideal = pam_levels(self.modulation)
        sd2 = symbol_variance(lv_ideal)
        gain = np.asarray(self.transmission(length), dtype=float)  # [...]
        i_levels = self.responsivity * gain[..., None] * np.asarray(self.level_powers, dtype=float)  # [..., M]
        i_avg = np.mean(i_levels, axis=-1)
        i_amp = 0.5 * (i_levels[..., -1] - i_levels[..., 0])  # half the outer swing [A]
        z_t = np.minimum(self.max_transimpedance, self.output_swing / np.maximum(2.0 * i_amp, 1e-300))
        h_fiber = gaussian_response(f, np.asarray(self.fiber_rms(length), dtype=float)[..., None])
        h_pd = 1.0 / (1.0 + 1j * f / self.pd_bandwidth)
        h_tia = butterworth2_response(f, self.tia_design["bandwidth"])
        h_rx = self.rx_response(f)
        h_after_pd = h_pd * h_tia * h_rx
        h_signal = (i_amp * z_t)[..., None] * self.tx_response(f) * h_fiber * h_after_pd
        out = np.abs(h_tia * h_rx) ** 2 * (z_t**2)[..., None]
        psd_tia = tia_noise_psd(f, self.tia, self.tia_design) * out
        psd_shot = 2.0 * ELEMENTARY_CHARGE * (i_avg + self.dark_current)[..., None] * np.abs(h_pd) ** 2 * out
        psd_rin = self.rin(f) * (i_avg**2)[..., None] * np.abs(h_fiber * h_pd) ** 2 * out
        eq = self.equalizer.equalize(nu, np.full(length.shape, rs), h_signal, psd_tia + psd_shot + psd_rin,
                                     symbol_variance_=sd2, tx_noise=self.tx_noise)
        v_shot = slicer_noise_variance(self.equalizer, eq, nu, np.full(length.shape, rs), psd_shot)
        v_rin = slicer_noise_variance(self.equalizer, eq, nu, np.full(length.shape, rs), psd_rin)
        v_fixed = np.maximum(eq.sigma_noise**2 - v_shot - v_rin, 0.0)
        v_prop = eq.sigma_tx**2 + eq.sigma_jitter**2
        ratio = i_levels / np.maximum(i_avg, 1e-300)[..., None]  # [..., M]
        split = {"fixed": v_fixed, "shot": v_shot, "rin": v_rin, "proportional": v_prop, "ratio": ratio}
        ber = self.ber(eq, split, levels, 1.0)
        return {"eq": eq, "ber": ber, "split": split, "levels": levels, "i_levels": i_levels, "i_avg": i_avg,
                "i_amp": i_amp, "transimpedance": z_t, "gain": gain, "v_tia": slicer_noise_variance(
                    self.equalizer, eq, nu, np.full(length.shape, rs), psd_tia)}

    @staticmethod
    def level_sigma(eq, split, scale=1.0):
        """Per-level slicer noise with the received power divided by ``scale`` [1]."""
        s = np.asarray(scale, dtype=float)[..., None]
        var = (split["fixed"][..., None] * s * s + split["shot"][..., None] * split["ratio"] * s
               + split["rin"][..., None] * split["ratio"] ** 2 + split["proportional"][..., None])
        return eq.penalty * np.sqrt(var)

    def ber(self, eq, split, levels, scale=1.0):
        """PAM BER at a received-power scale-down ``scale`` [1 -> 1]."""
        return pam_ber(eq.main, eq.residual_isi, 1.0, None, levels=levels,
                       level_sigma=self.level_sigma(eq, split, scale))


def modulated_spectral_width(symbol_rate, wavelength):
    """Spectral width of a narrow-linewidth laser modulated at ``symbol_rate``: ``lambda^2 (R_s/2) / c``
    [Bd, m -> m] (the modulation sidebands, not the laser linewidth, set it)."""
    return 0.5 * np.asarray(symbol_rate, dtype=float) * np.asarray(wavelength, dtype=float) ** 2 / SPEED_OF_LIGHT


def laser_imdd_lane(link, lanes, level_powers, tx_response, tx_noise_variance, rx_response, equalizer) -> IMDDLane:
    """The IM-DD lane of a laser-based single-mode link (SiPh CPO, pluggables): the parts that only depend
    on the laser, fiber, photodiode, TIA and TIA stages of ``link`` are assembled here once."""
    rs = float(lanes.symbol_rate())
    design = link.tia.design(rs, link.photodiode.capacitance)
    rin = 10.0 ** (link.laser.rin_db_per_hz / 10.0)
    width = modulated_spectral_width(rs, link.laser.wavelength)
    return IMDDLane(
        symbol_rate=rs, modulation=lanes.modulation, level_powers=level_powers, tx_response=tx_response,
        tx_noise=float(tx_noise_variance) * (1.0 if lanes.modulation == "PAM4" else 9.0 / 5.0),
        rin=lambda f: np.full(np.shape(f), rin),
        transmission=link.fiber.transmission,
        fiber_rms=lambda length: link.fiber.rms_spread(length, link.laser.wavelength, width),
        responsivity=float(link.photodiode.responsivity(link.laser.wavelength)),
        pd_bandwidth=float(link.photodiode.transit_bandwidth), dark_current=float(link.photodiode.dark_current),
        tia=link.tia, tia_design=design, output_swing=link.tia_stages.output_swing,
        max_transimpedance=link.tia_stages.transimpedance, rx_response=rx_response, equalizer=equalizer,
    )


def electrical_response(loss_db_function):
    """A callable f -> minimum-phase response of an electrical path given its loss function [dB]."""
    def response(f):
        return minimum_phase_response(np.broadcast_to(loss_db_function(f), np.shape(f)))
    return response


def unity(f):
    """Flat response [1]."""
    return np.ones(np.shape(f), dtype=complex)


# --------------------------------------------------------------------------------------------------------
# Common evaluation of the laser-based technologies

def evaluate_optical(p, aggregate_rate, reach, target_ber, *, lane_rate=None, solve_reach=True,
                     parameter_set="custom"):
    """Evaluate a laser-based link object ``p`` (VCSEL, SiPh CPO, pluggable) at many design points.

    ``p`` provides ``lanes``, ``economics``, ``imdd_lane(lanes)``, ``electrical_ber(lanes, shape)``,
    ``energy(lanes, n_lanes, aggregate_rate)``, ``latency(lanes, reach)``, ``lasers_per_end(n_lanes)``,
    ``fibers_per_end(n_lanes)``, ``reach_bracket`` and ``bandwidths(lanes)``. See the module docstring for the
    chain; the FEC convention is that of :mod:`microlink.link.composite`.
    """
    from microlink.link.composite import (
        broadcast_float,
        check_request,
        q_from_ber,
        solve_margin_db,
        solve_max_reach,
    )
    from microlink.link.result import LinkResult

    p._require_scalar()
    agg, reach, target = check_request(aggregate_rate, reach, target_ber)
    lanes = p.lanes if lane_rate is None else p.lanes.replace(payload_rate=float(lane_rate))
    shape = np.broadcast_shapes(agg.shape, reach.shape, target.shape)
    b = lambda x: broadcast_float(x, shape)
    threshold = b(lanes.pre_fec_threshold(target))
    n_lanes = np.ceil(agg / lanes.payload_rate - 1e-9)
    lane = p.imdd_lane(lanes)
    fixed_ber = b(p.electrical_ber(lanes, shape))
    length = b(reach)
    dec = lane.decide(length)
    ber = np.minimum(dec["ber"] + fixed_ber, 0.5)
    eq, split = dec["eq"], dec["split"]

    margin = solve_margin_db(lambda s: np.minimum(lane.ber(eq, split, dec["levels"], s) + fixed_ber, 0.5),
                             threshold, shape)
    if solve_reach:
        # the lane BER does not depend on the aggregate rate or the requested reach: solve once per target
        t_shape = np.shape(target)
        t_thr = broadcast_float(lanes.pre_fec_threshold(target), t_shape)
        fixed_t = float(fixed_ber.reshape(-1)[0]) if fixed_ber.size else 0.0
        max_reach, capped = solve_max_reach(lambda L: np.minimum(lane.decide(L)["ber"] + fixed_t, 0.5),
                                            t_thr, t_shape, p.reach_bracket)
        max_reach = broadcast_float(max_reach, shape)
        capped = np.broadcast_to(capped, shape)
    else:
        max_reach, capped = np.full(shape, np.inf), np.zeros(shape, bool)
    sig_w = lane.level_sigma(eq, split)
    ber_w = np.minimum(pam_ber(eq.main, eq.residual_isi, 1.0, None, levels=dec["levels"], level_sigma=sig_w,
                               method="worst") + fixed_ber, 0.5)
    post = lanes.post_fec_ber(ber)

    breakdown, host_keys = p.energy(lanes, n_lanes, agg)
    breakdown = {k: b(v) for k, v in breakdown.items()}
    energy = sum(breakdown.values())
    module_power = (energy - sum(breakdown[k] for k in host_keys)) * agg
    latency, latency_parts = p.latency(lanes, reach)
    cost = p.economics.cost_per_end(agg, reach)
    lasers = p.lasers_per_end(n_lanes)
    fit = p.economics.fit_per_end(n_lanes, lasers)

    resp = lane.responsivity
    to_amps = dec["i_amp"] / np.maximum(eq.main, 1e-300)  # slicer units -> photocurrent [A]
    noise = {
        "tia": b(np.sqrt(dec["v_tia"]) * to_amps),
        "shot": b(np.sqrt(split["shot"]) * to_amps),
        "rin": b(np.sqrt(split["rin"]) * to_amps),
        "electrical": b(np.sqrt(np.maximum(split["fixed"] - dec["v_tia"], 0.0)) * to_amps),
        "transmitter": b(eq.sigma_tx * to_amps),
        "jitter": b(eq.sigma_jitter * to_amps),
    }
    pw = np.asarray(lane.level_powers, dtype=float)
    bw = {k: b(v) for k, v in p.bandwidths(lanes).items()}
    from microlink.channels.multimode import GAUSSIAN_SIGMA_BANDWIDTH
    bw["fiber"] = b(GAUSSIAN_SIGMA_BANDWIDTH / np.maximum(np.asarray(lane.fiber_rms(length)), 1e-300))
    bw["fiber"] = np.minimum(bw["fiber"], 1e15)
    extras = {
        "pre_fec_threshold": threshold,
        "module_power_per_end_w": b(module_power),
        "extinction_ratio_db": b(10.0 * np.log10(pw[-1] / max(pw[0], 1e-300))),
        "launched_oma_dbm": b(10.0 * np.log10((pw[-1] - pw[0]) / 1e-3)),
        "responsivity_a_per_w": b(resp),
        "level_spacing_ratio": b(np.min(np.diff(dec["levels"])) / np.max(np.diff(dec["levels"]))),
        "slicer_snr_db": b(eq.snr_db),
        "noise_enhancement_db": b(eq.noise_enhancement_db),
        "symbol_rate_bd": b(lane.symbol_rate),
        "lasers_per_end": b(lasers),
        "fibers_per_end": b(p.fibers_per_end(n_lanes)),
        "cost_per_gbps_usd": b(cost / (agg / 1e9)),
        "latency_breakdown_ns": {k: float(np.max(v)) * 1e9 for k, v in latency_parts.items()},
    }
    extras.update({k: b(v) for k, v in p.extra_outputs(lanes).items()})
    return LinkResult(
        technology=p.technology,
        parameter_set=parameter_set,
        aggregate_rate=b(agg),
        lane_rate=b(lanes.line_rate()),
        lanes_active=b(n_lanes),
        lanes_spare=b(0.0),
        reach=b(reach),
        modulation=lanes.modulation,
        launched_power=b(np.mean(pw)),
        received_power=b(dec["i_avg"] / resp),
        received_oma=b(2.0 * dec["i_amp"] / resp),
        signal_amplitude=b(dec["i_amp"]),
        noise=noise,
        main_cursor=b(eq.main),
        isi_closure=b(eq.isi_abs_sum),
        crosstalk=b(0.0),
        bandwidth=bw,
        q_factor=b(q_from_ber(ber)),
        q_worst_case=b(q_from_ber(ber_w)),
        ber=b(ber),
        ber_worst_case=b(ber_w),
        target_ber=b(target),
        margin_db=b(margin),
        max_reach=b(max_reach),
        max_reach_capped=np.broadcast_to(capped, shape).copy(),
        energy_breakdown=breakdown,
        power_per_end=b(energy * agg),
        latency=b(latency),
        fec=lanes.fec,
        ber_post_fec=b(post),
        cost_per_end=b(cost),
        fit_per_end=b(fit),
        extras=extras,
    )


def optical_decision_model(p, reach, *, lane_rate=None):
    """:class:`~microlink.ber.model.DecisionModel` of one equalised lane at a scalar reach.

    The model is the equalised lane: equalised pulse (DFE feedback subtracted), the lane's own (possibly
    unequal) level positions and the noise of every level from the per-level split.
    """
    from microlink.ber.model import DecisionModel
    from microlink.errors import ParameterError
    from microlink.link.copper import with_dfe_feedback

    if np.ndim(reach):
        raise ParameterError("reach", reach, "a scalar length for a decision model")
    lanes = p.lanes if lane_rate is None else p.lanes.replace(payload_rate=float(lane_rate))
    lane = p.imdd_lane(lanes)
    dec = lane.decide(np.asarray(float(reach)))
    eq = dec["eq"]
    amp = float(dec["i_amp"])
    sig = lane.level_sigma(eq, dec["split"]) / float(eq.main) * amp
    return DecisionModel(
        pulse=with_dfe_feedback(eq) / float(eq.main), samples_per_symbol=eq.samples_per_symbol,
        symbol_rate=lane.symbol_rate, modulation=lanes.modulation, amplitude=amp,
        sigma_one=float(sig[..., -1]), sigma_zero=float(sig[..., 0]),
        level_positions=np.asarray(dec["levels"], dtype=float).reshape(-1), sigma_levels=np.asarray(sig).reshape(-1),
        label=f"{p.technology} lane, {lanes.payload_rate / 1e9:g}G {lanes.modulation}, {float(reach):g} m, equalised",
    )
