"""Copper links: passive direct-attach twinax (DAC) and active electrical cables with retimers (AEC).

Chain for one lane (vectorised over reach and request)::

    host SerDes TX (amplitude, 3-tap FFE, SNR_TX)
      -> host channel (package + PCB + connector) -> twinax cable assembly (skin + dielectric loss,
         paddle cards) -> host channel
      -> host SerDes RX: 4th-order front end, CTLE, MMSE FFE + DFE (residual ISI, noise enhancement)
    noise at the receiver pins: eta_0, NEXT/FEXT power sums, the echo between the two cable ends,
         transmitter noise and jitter -> PAM4 (or NRZ) BER -> FEC -> max reach at the pre-FEC threshold
    energy: host SerDes TX/RX/clock + FEC (+ retimers); latency: SerDes, FEC, retimers, propagation

An AEC puts a retimer in each plug: the cable segment runs retimer TX -> paddle card -> cable -> paddle card
-> retimer RX with no host channel in it, which is why it reaches further. Segment BERs add (the retimers
do not terminate FEC).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from microlink.ber.closed_form import pam_ber, pam_levels, symbol_variance
from microlink.channels.copper import HostChannel, TwinaxCable, minimum_phase_response
from microlink.devices.serdes import (
    ChipToModuleSerDes,
    SerDes,
    butterworth_response,
    normalised_grid,
    random_data_psd,
)
from microlink.errors import ParameterError
from microlink.link.composite import (
    CompositeLink,
    Economics,
    Lanes,
    broadcast_float,
    check_request,
    q_from_ber,
    solve_margin_db,
    solve_max_reach,
)
from microlink.link.result import LinkResult
from microlink.parameters import Parameters, Source, param, section

REACH_SEARCH = (0.01, 200.0)  # [m] copper never reaches 200 m


@dataclass(frozen=True, eq=False)
class DACEconomics(Economics):
    """Cost and FIT of a passive DAC end."""

    cable_cost_per_m: float = param(
        40.0, unit="USD/m", bounds=(0.0, 1e5),
        source=Source("800G/1.6T passive DAC street prices ~$100-250 for 1-3 m", "assumption",
                      "40 $/m of 8-pair twinax bundle plus a fixed plug cost"),
    )
    cable_fixed_cost: float = param(
        80.0, unit="USD", bounds=(0.0, 1e5),
        source=Source("two OSFP/QSFP-DD plugs with paddle cards", "assumption", "$40 per plug"),
    )
    common_fit: float = param(
        5.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("passive copper: connector contacts only; MOSAIC/Credo: optics fail > 100x more often than "
                      "copper (links.md section 4)", "assumption",
                      "5 FIT per end for plug contacts and EEPROM; the host SerDes is counted with the host"),
    )


@dataclass(frozen=True, eq=False)
class CableStatic(Parameters):
    """Static power drawn at each cable end (plug electronics)."""

    section = "plug"

    static_power: float = param(
        0.1, unit="W", bounds=(0.0, 100.0),
        source=Source("NVIDIA 'Copper DAC and LACC cables overview': passive DAC power <= 0.1 W per end "
                      "(links.md section 3)", "claim", "the cited class limit, kept as the plug's draw"),
    )
    latency: float = param(
        0.0, unit="s", bounds=(0.0, 1e-6), display=("ns", 1e-9),
        source=Source("a passive plug adds no latency beyond propagation", "derived"),
    )



@dataclass(frozen=True, eq=False)
class DACLink(CompositeLink):
    """Passive direct-attach copper link between two hosts' long-reach SerDes."""

    technology: ClassVar[str] = "dac"

    lanes: Lanes = section(Lanes)
    serdes: SerDes = section(SerDes)
    host_channel: HostChannel = section(HostChannel)
    cable: TwinaxCable = section(TwinaxCable)
    plug: CableStatic = section(CableStatic)
    economics: Economics = section(DACEconomics)

    @property
    def modulation(self) -> str:
        return self.lanes.modulation

    def evaluate(self, aggregate_rate=1.6e12, reach=1.0, target_ber=1e-15, *, lane_rate=None, solve_reach=True,
                 parameter_set="custom") -> LinkResult:
        """Run the chain (module docstring). ``lane_rate`` overrides the payload per lane [b/s]."""
        return evaluate_copper(self, aggregate_rate, reach, target_ber, lane_rate=lane_rate,
                               solve_reach=solve_reach, parameter_set=parameter_set)

    def decision_model(self, reach=1.0, *, lane_rate=None):
        """Equalised pulse, amplitude and noise at the slicer of one lane (scalar reach)."""
        return copper_decision_model(self, reach, lane_rate=lane_rate)


@dataclass(frozen=True, eq=False)
class RetimerEnds(Parameters):
    """Retimer chips in the AEC plugs (one per end, all lanes, both directions)."""

    section = "retimer"

    static_power: float = param(
        0.3, unit="W", bounds=(0.0, 100.0),
        source=Source("retimer PLLs, microcontroller and regulators of an AEC plug", "assumption", "0.3 W per end"),
    )
    latency: float = param(
        10e-9, unit="s", bounds=(0.0, 1e-6), display=("ns", 1e-9),
        source=Source("DSP retimer RX + TX pipeline; mixed-signal retimers reach 3 ns (Point2 P1B121, "
                      "electronicdesign.com 2024, links.md section 3)", "assumption",
                      "10 ns per retimer: host-side C2M + line-side LR SerDes pipelines"),
    )


@dataclass(frozen=True, eq=False)
class AECEconomics(Economics):
    """Cost and FIT of an AEC end."""

    cable_cost_per_m: float = param(
        40.0, unit="USD/m", bounds=(0.0, 1e5),
        source=Source("twinax bundle as for DAC", "assumption", "40 $/m"),
    )
    cable_fixed_cost: float = param(
        450.0, unit="USD", bounds=(0.0, 1e5),
        source=Source("AEC 800G $450-600 per cable (2025 channel check, systems_and_market.md 2.2)", "claim",
                      "$450 for the two retimed plugs of an 800G cable"),
    )
    module_cost_per_gbps: float = param(
        0.0, unit="USD/(Gb/s)", bounds=(0.0, 1e4),
        source=Source("retimers are priced with the cable", "derived"),
    )
    common_fit: float = param(
        105.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("DSP 100-500 FIT (links.md section 4, 2nd-hand); Credo: AEC > 100x the reliability of "
                      "optics (claim)", "assumption",
                      "100 FIT for the retimer die (low end: no lasers, moderate power) + 5 FIT contacts"),
    )


@dataclass(frozen=True, eq=False)
class AECLink(DACLink):
    """Active electrical cable: the DAC chain with a retimer (host-facing C2M + line-facing LR SerDes) per end."""

    technology: ClassVar[str] = "aec"

    line_serdes: SerDes = section(SerDes)
    host_side_serdes: SerDes = section(ChipToModuleSerDes)
    retimer: RetimerEnds = section(RetimerEnds)
    economics: Economics = section(AECEconomics)


# --------------------------------------------------------------------------------------------------------
# Chain stages


def _grid_frequencies(symbol_rate):
    nu = normalised_grid()
    return nu, nu * np.asarray(symbol_rate, dtype=float)[..., None]


def segment_decision(tx: SerDes, rx: SerDes, host_tx: HostChannel | None, host_rx: HostChannel | None,
                     cable: TwinaxCable, xt: HostChannel, symbol_rate, length, modulation):
    """Equalised decision of one electrical segment (a transmitter, its channel and a receiver).

    ``host_tx``/``host_rx`` are the host channels at the two ends (None on a retimer's paddle-card side);
    ``xt`` carries the crosstalk allocation. ``symbol_rate`` and ``length`` are arrays of one shape.
    Returns the equalisation, the BER, the noise split used by the margin solver and diagnostics.
    """
    levels = pam_levels(modulation)
    sd2 = symbol_variance(levels)
    rs = np.asarray(symbol_rate, dtype=float)
    nu, f = _grid_frequencies(rs)
    length = np.asarray(length, dtype=float)[..., None]
    bulk = cable.bulk_loss_db(f, length)
    loss_cable = cable.loss_db(f, length)
    loss_tx = host_tx.loss_db(f) if host_tx is not None else np.zeros_like(f)
    loss_rx = host_rx.loss_db(f) if host_rx is not None else np.zeros_like(f)
    total_loss = loss_cable + loss_tx + loss_rx
    h_channel = minimum_phase_response(total_loss)
    h_tx = tx.transmit_response(nu)
    h_signal = h_tx * h_channel
    # Noise PSDs at the receiver pins. Aggressors are random data from transmitters like the victim's.
    aggressor = random_data_psd(f, rs[..., None], 1.0, sd2) * np.abs(h_tx) ** 2  # [V^2/Hz]
    coupling = np.minimum(f / xt.reference_frequency, 1.0) ** 2
    next_power = xt.next_aggressors * 10.0 ** (xt.next_coupling_db / 10.0) * coupling
    fext_power = xt.fext_aggressors * 10.0 ** (xt.fext_coupling_db / 10.0) * coupling
    psd_next = aggressor * next_power * np.abs(minimum_phase_response(loss_rx)) ** 2
    psd_fext = aggressor * fext_power * np.abs(h_channel) ** 2
    # echo: reflected at the far plug, again at the near plug, two extra passes of the bulk cable; it
    # arrives ~2 L / v later, far beyond the FFE span, so it acts as noise
    echo = cable.end_reflection**4 * np.abs(minimum_phase_response(2.0 * bulk)) ** 2
    psd_echo = aggressor * echo * np.abs(h_channel) ** 2
    noise_psd = psd_next + psd_fext + psd_echo
    tx_noise = float(tx.tx_noise_variance) / (5.0 / 9.0) * sd2  # the sending transmitter's SNR_TX
    eq = rx.equalize(nu, rs, h_signal, noise_psd, symbol_variance_=sd2, tx_noise=tx_noise)
    ber = pam_ber(eq.main, eq.residual_isi, 1.0, eq.sigma, levels=levels)
    # Split of the slicer noise for the margin solver: receiver noise (fixed) vs. crosstalk/echo (scale with
    # the signal), apportioned by their powers through the receiver front end.
    front = np.abs(butterworth_response(f, rx.rx_bandwidth_ratio * rs[..., None], 4)) ** 2
    rx_power = np.sum(rx.rx_noise_density * front, axis=-1)
    xt_power = np.sum(noise_psd * front, axis=-1)
    frac_rx = rx_power / np.maximum(rx_power + xt_power, 1e-300)
    return {
        "eq": eq, "ber": ber, "levels": levels, "nyquist_loss_db": _at_nyquist(nu, total_loss),
        "sigma_fixed": eq.sigma_noise * np.sqrt(frac_rx),
        "sigma_prop": np.sqrt(eq.sigma_noise**2 * (1.0 - frac_rx) + eq.sigma_tx**2 + eq.sigma_jitter**2),
    }


def _at_nyquist(nu, values):
    """Value of a ``[..., F]`` array at the Nyquist frequency (nu = 0.5) [same unit]."""
    k = int(np.argmin(np.abs(nu - 0.5)))
    return np.asarray(values)[..., k]


def _segment_ber_scaled(seg, scale):
    """BER with the receiver-side noise scaled by ``sqrt(scale)`` (signal power down by ``scale``)."""
    eq = seg["eq"]
    sigma = eq.penalty * np.sqrt(seg["sigma_prop"] ** 2 + seg["sigma_fixed"] ** 2 * scale)
    return pam_ber(eq.main, eq.residual_isi, 1.0, sigma, levels=seg["levels"])


def evaluate_copper(p: DACLink, aggregate_rate=1.6e12, reach=1.0, target_ber=1e-15, *, lane_rate=None,
                    solve_reach=True, parameter_set="custom") -> LinkResult:
    """Evaluate a DAC or AEC at one or many design points (request arrays broadcast).

    Parameters
    ----------
    p : DACLink or AECLink
        Scalar parameters.
    aggregate_rate : array_like
        Payload per direction [b/s].
    reach : array_like
        Cable length [m].
    target_ber : array_like
        Post-FEC BER target [1]; reach and margin are solved at the FEC's pre-FEC threshold.
    lane_rate : float, optional
        Payload per lane [b/s] (overrides ``lanes.payload_rate``).

    Returns
    -------
    LinkResult
    """
    p._require_scalar()
    agg, reach, target = check_request(aggregate_rate, reach, target_ber)
    lanes = p.lanes if lane_rate is None else p.lanes.replace(payload_rate=float(lane_rate))
    retimed = isinstance(p, AECLink)
    shape = np.broadcast_shapes(agg.shape, reach.shape, target.shape)
    rs = float(lanes.symbol_rate())
    line = float(lanes.line_rate())
    threshold = broadcast_float(lanes.pre_fec_threshold(target), shape)
    n_lanes = np.ceil(agg / lanes.payload_rate - 1e-9)
    mod = lanes.modulation

    rs_arr = np.full(shape, rs)
    if retimed:
        # host -> plug and plug -> host do not depend on the cable length: evaluate them once
        short = p.cable.replace(conductor_excess=1.0)
        fixed = [
            segment_decision(p.serdes, p.host_side_serdes, p.host_channel, None, short, p.host_channel, rs_arr,
                             np.zeros(shape), mod),
            segment_decision(p.host_side_serdes, p.serdes, None, p.host_channel, short, p.host_channel, rs_arr,
                             np.zeros(shape), mod),
        ]
        fixed_ber = sum(seg["ber"] for seg in fixed)
    else:
        fixed_ber = np.zeros(shape)

    def cable_segment(length):
        length = broadcast_float(length, shape)
        if retimed:
            return segment_decision(p.line_serdes, p.line_serdes, None, None, p.cable, p.host_channel, rs_arr,
                                    length, mod)
        return segment_decision(p.serdes, p.serdes, p.host_channel, p.host_channel, p.cable, p.host_channel,
                                rs_arr, length, mod)

    def total_ber(seg):
        return np.minimum(seg["ber"] + fixed_ber, 0.5)

    main_seg = cable_segment(reach)
    ber = total_ber(main_seg)
    eq = main_seg["eq"]

    margin = solve_margin_db(lambda sc: np.minimum(_segment_ber_scaled(main_seg, sc) + fixed_ber, 0.5),
                             threshold, shape)
    if solve_reach:
        # the lane BER does not depend on the aggregate rate or the requested reach: solve once per target
        t_shape = np.shape(target)
        t_thr = broadcast_float(lanes.pre_fec_threshold(target), t_shape)
        fixed_t = float(np.broadcast_to(fixed_ber, shape).reshape(-1)[0]) if np.size(fixed_ber) else 0.0

        def lane_ber(length):
            length = np.asarray(length, dtype=float)
            rs_t = np.full(length.shape, rs)
            if retimed:
                seg = segment_decision(p.line_serdes, p.line_serdes, None, None, p.cable, p.host_channel, rs_t,
                                       length, mod)
            else:
                seg = segment_decision(p.serdes, p.serdes, p.host_channel, p.host_channel, p.cable, p.host_channel,
                                       rs_t, length, mod)
            return np.minimum(seg["ber"] + fixed_t, 0.5)

        max_reach, capped = solve_max_reach(lane_ber, t_thr, t_shape, REACH_SEARCH)
        max_reach = broadcast_float(max_reach, shape)
        capped = np.broadcast_to(capped, shape)
    else:
        max_reach, capped = np.full(shape, np.inf), np.zeros(shape, bool)

    ber_w = np.minimum(pam_ber(eq.main, eq.residual_isi, 1.0, eq.sigma, levels=main_seg["levels"],
                               method="worst") + fixed_ber, 0.5)
    post = lanes.post_fec_ber(ber)

    # ---- energy per payload bit, one direction, both ends
    bps = lanes.bits_per_symbol
    overhead = line / lanes.payload_rate
    host_e = p.serdes.energy_per_bit(rs, bps)
    breakdown = {
        "host_serdes_tx": host_e["tx"] * overhead,
        "host_serdes_rx": host_e["rx"] * overhead,
        "host_serdes_clock": host_e["clock"] * overhead,
        "fec": lanes.fec_energy(),
    }
    static_per_end = p.plug.static_power
    latency = p.serdes.latency + lanes.fec_latency() + 2.0 * p.host_channel.delay() + p.cable.delay(reach)
    if retimed:
        line_e = p.line_serdes.energy_per_bit(rs, bps)
        side_e = p.host_side_serdes.energy_per_bit(rs, bps)
        # two retimers per direction, each = host-facing RX + line TX (or line RX + host-facing TX) + clocks
        breakdown["retimer_line_serdes"] = 2.0 * (line_e["tx"] + line_e["rx"] + line_e["clock"]) / 2.0 * overhead
        breakdown["retimer_host_side_serdes"] = 2.0 * (side_e["tx"] + side_e["rx"] + side_e["clock"]) / 2.0 * overhead
        static_per_end = static_per_end + p.retimer.static_power
        latency = latency + 2.0 * p.retimer.latency + p.host_side_serdes.latency + p.line_serdes.latency
    breakdown["static"] = 2.0 * static_per_end / (2.0 * agg)
    breakdown = {k: broadcast_float(v, shape) for k, v in breakdown.items()}
    energy = sum(breakdown.values())
    host_half = breakdown["host_serdes_tx"] + breakdown["host_serdes_rx"] + breakdown["host_serdes_clock"] + \
        breakdown["fec"]
    module_power = (energy - host_half) * agg

    cost = p.economics.cost_per_end(agg, reach)
    fit = p.economics.fit_per_end(n_lanes)

    amp = eq.unequalized_main  # [V] peak of the received pulse
    scale = amp / np.maximum(eq.main, 1e-300)
    b = lambda x: broadcast_float(x, shape)
    noise = {
        "receiver": b(main_seg["sigma_fixed"] * scale),
        "crosstalk_and_echo": b(np.sqrt(np.maximum(eq.sigma_noise**2 - main_seg["sigma_fixed"] ** 2, 0.0))
                                         * scale),
        "transmitter": b(eq.sigma_tx * scale),
        "jitter": b(eq.sigma_jitter * scale),
    }
    xt_ratio = 10.0 ** (max(p.host_channel.next_coupling_db, p.host_channel.fext_coupling_db) / 10.0)
    return LinkResult(
        technology=p.technology,
        parameter_set=parameter_set,
        aggregate_rate=b(agg),
        lane_rate=b(line),
        lanes_active=b(n_lanes),
        lanes_spare=b(0.0),
        reach=b(reach),
        modulation=mod,
        launched_power=b(0.0),
        received_power=b(0.0),
        received_oma=b(0.0),
        signal_amplitude=b(amp),
        noise=noise,
        main_cursor=b(eq.main),
        isi_closure=b(eq.isi_abs_sum),
        crosstalk=b(xt_ratio),
        bandwidth={"receiver_front_end": b(p.serdes.rx_bandwidth_ratio * rs),
                   "nyquist": b(0.5 * rs)},
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
        extras={
            "pre_fec_threshold": b(threshold),
            "module_power_per_end_w": b(module_power),
            "channel_loss_at_nyquist_db": b(main_seg["nyquist_loss_db"]),
            "slicer_snr_db": b(eq.snr_db),
            "ctle_gain_db": b(eq.ctle_gain_db),
            "noise_enhancement_db": b(eq.noise_enhancement_db),
            "symbol_rate_bd": b(rs),
            "pairs_per_end": b(2.0 * n_lanes),
            "cost_per_gbps_usd": b(cost / (agg / 1e9)),
            "latency_breakdown_ns": {
                "serdes": p.serdes.latency * 1e9, "fec": lanes.fec_latency() * 1e9,
                "retimers": (2.0 * p.retimer.latency + p.host_side_serdes.latency + p.line_serdes.latency) * 1e9
                if retimed else 0.0,
                "propagation": float(np.max(2.0 * p.host_channel.delay() + p.cable.delay(reach))) * 1e9,
            },
        },
    )


def copper_decision_model(p: DACLink, reach=1.0, *, lane_rate=None):
    """:class:`~microlink.ber.model.DecisionModel` of the cable segment of one lane (scalar reach)."""
    from microlink.ber.model import DecisionModel

    if np.ndim(reach):
        raise ParameterError("reach", reach, "a scalar length for a decision model")
    _, reach, _ = check_request(1e9, reach, 1e-12)
    lanes = p.lanes if lane_rate is None else p.lanes.replace(payload_rate=float(lane_rate))
    rs = float(lanes.symbol_rate())
    if isinstance(p, AECLink):
        seg = segment_decision(p.line_serdes, p.line_serdes, None, None, p.cable, p.host_channel, np.asarray(rs),
                               reach, lanes.modulation)
    else:
        seg = segment_decision(p.serdes, p.serdes, p.host_channel, p.host_channel, p.cable, p.host_channel,
                               np.asarray(rs), reach, lanes.modulation)
    eq = seg["eq"]
    pulse = with_dfe_feedback(eq)
    amp = float(eq.unequalized_main)
    scale = amp / float(eq.main)
    return DecisionModel(
        pulse=pulse * scale / amp if amp > 0 else pulse, samples_per_symbol=eq.samples_per_symbol, symbol_rate=rs,
        modulation=lanes.modulation, amplitude=amp, sigma_one=float(eq.sigma * scale),
        sigma_zero=float(eq.sigma * scale), residual_isi_rms=0.0,
        label=f"{p.technology} lane, {lanes.payload_rate / 1e9:g}G {lanes.modulation}, {float(reach):g} m, equalised",
    )


def with_dfe_feedback(eq):
    """Equalised oversampled pulse with the DFE feedback subtracted as one-UI rectangles after the main."""
    pulse = np.array(eq.pulse, dtype=float)
    sps = eq.samples_per_symbol
    n = pulse.shape[-1]
    t_main = int(np.argmax(pulse))
    for k, tap in enumerate(np.atleast_1d(eq.dfe_taps), start=1):
        start = t_main + k * sps - sps // 2
        idx = np.arange(start, start + sps) % n
        pulse[idx] -= float(tap)
    return pulse


__all__ = ["AECLink", "DACLink", "copper_decision_model", "evaluate_copper", "segment_decision"]
