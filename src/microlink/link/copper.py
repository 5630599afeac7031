"""Copper links: passive direct-attach twinax (DAC) and active electrical cables with retimers (AEC).

Chain for one lane (vectorised over the request and every parameter but the lanes and the receivers'
structure, :attr:`DACLink.grouped_fields`)::

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
from microlink.link.base import Decision, LanePlan, Request
from microlink.link.composite import CompositeLink, Economics, Lanes, lane_and_receiver_fields
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
    supports_parameter_arrays: ClassVar[bool] = True
    #: What one decision takes one value of: the lanes (they set the symbol rate and the frequency grid) and
    #: the receiver structure of the SerDes (:data:`~microlink.devices.serdes.RECEIVER_STRUCTURE`).
    grouped_fields: ClassVar[tuple[str, ...]] = lane_and_receiver_fields("serdes")
    reach_bracket: ClassVar[tuple[float, float]] = REACH_SEARCH
    attaches: ClassVar[tuple[str, ...]] = ("lr",)
    host_serdes_section: ClassVar[str] = "serdes"

    lanes: Lanes = section(Lanes)
    serdes: SerDes = section(SerDes)
    host_channel: HostChannel = section(HostChannel)
    cable: TwinaxCable = section(TwinaxCable)
    plug: CableStatic = section(CableStatic)
    economics: Economics = section(DACEconomics)

    @property
    def modulation(self) -> str:
        return self.lanes.modulation

    def attach_limitation(self) -> str:
        return "a passive cable is driven by the host's long-reach SerDes; nothing in it could terminate another attach"

    def cable_segment(self, host_serdes: SerDes, symbol_rate, length, channel=None):
        """Equalised decision of the cable segment (the whole host-to-host path for a DAC).

        ``channel`` (a :class:`~microlink.channels.measured.TabulatedChannel`) replaces the cable and host
        channel losses with tabulated ones; the length then only sets the propagation delay."""
        return segment_decision(host_serdes, host_serdes, self.host_channel, self.host_channel, self.cable,
                                self.host_channel, symbol_rate, length, self.lanes.modulation, channel=channel)

    def options(self):
        return {"channel": None}

    def decide(self, request: Request, plan: LanePlan, attach, length, channel=None) -> Decision:
        """Equalised PAM decision of the cable segment at the lengths (over ``channel`` when given)."""
        n = request.size
        length = np.broadcast_to(np.asarray(length, dtype=float), (n,))
        seg = self.cable_segment(attach.host_serdes, np.broadcast_to(plan.symbol_rate, (n,)), length,
                                 **({"channel": channel} if channel is not None else {}))
        eq = seg["eq"]
        main = np.broadcast_to(np.asarray(eq.main, dtype=float), (n,))
        isi = np.broadcast_to(np.asarray(eq.residual_isi, dtype=float), (n,) + np.shape(eq.residual_isi)[-1:])
        penalty = np.broadcast_to(np.asarray(eq.penalty, dtype=float), (n,))
        prop = np.broadcast_to(np.asarray(seg["sigma_prop"], dtype=float), (n,))
        fixed = np.broadcast_to(np.asarray(seg["sigma_fixed"], dtype=float), (n,))

        def ber_at_scale(scale, idx):
            # signal power down by ``scale``: receiver noise grows by sqrt(scale) relative to it
            sigma = penalty[idx] * np.sqrt(prop[idx] ** 2 + fixed[idx] ** 2 * np.asarray(scale, dtype=float))
            return pam_ber(main[idx], isi[idx], 1.0, sigma, levels=seg["levels"])

        ber_w = pam_ber(eq.main, eq.residual_isi, 1.0, eq.sigma, levels=seg["levels"], method="worst")
        amp = eq.unequalized_main  # [V] peak of the received pulse
        to_volts = amp / np.maximum(eq.main, 1e-300)
        rs = np.asarray(plan.symbol_rate, dtype=float)
        return Decision(
            ber=np.minimum(seg["ber"], 0.5), ber_worst_case=np.minimum(ber_w, 0.5), ber_at_scale=ber_at_scale,
            main_cursor=eq.main, isi_closure=eq.isi_abs_sum, signal_amplitude=amp, signal_unit="V",
            q_power_law=2.0,  # eta_0 at the slicer: Q goes as the amplitude, the square root of the power
            noise={
                "receiver": seg["sigma_fixed"] * to_volts,
                "crosstalk_and_echo": np.sqrt(np.maximum(eq.sigma_noise**2 - seg["sigma_fixed"] ** 2, 0.0)) * to_volts,
                "transmitter": eq.sigma_tx * to_volts,
                "jitter": eq.sigma_jitter * to_volts,
            },
            crosstalk=10.0 ** (np.maximum(self.host_channel.next_coupling_db, self.host_channel.fext_coupling_db)
                               / 10.0),
            bandwidth={"receiver_front_end": attach.host_serdes.rx_bandwidth_ratio * rs, "nyquist": 0.5 * rs},
            extras={
                "channel_loss_at_nyquist_db": seg["nyquist_loss_db"],
                **figure_of_merit(eq, seg["levels"], to_volts),
                **({"channel_data_coverage": np.full(n, seg["coverage"])} if channel is not None else {}),
                "slicer_snr_db": eq.snr_db,
                "ctle_gain_db": eq.ctle_gain_db,
                "noise_enhancement_db": eq.noise_enhancement_db,
            },
        )

    def energy(self, request: Request, plan: LanePlan, attach) -> dict:
        """Plug electronics; the host SerDes and FEC are the attach's blocks."""
        return {"static": 2.0 * self.plug.static_power / (2.0 * request.aggregate_rate)}

    def latency(self, request: Request, plan: LanePlan, attach, length) -> dict:
        return {"propagation": self.cable.delay(length)}

    def media_per_end(self, plan: LanePlan):
        """Twinax pairs of one end: a transmit and a receive pair per lane."""
        return 2.0 * plan.lanes_active, "pairs"

    def decision_model(self, reach=1.0, *, lane_rate=None, channel=None):
        """Equalised pulse, amplitude and noise at the slicer of one lane (scalar reach; ``channel`` as in decide)."""
        return copper_decision_model(self, reach, lane_rate=lane_rate, channel=channel)


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
    engine_receiver_section: ClassVar[str | None] = "host_side_serdes"
    grouped_fields: ClassVar[tuple[str, ...]] = lane_and_receiver_fields("serdes", "line_serdes", "host_side_serdes")

    line_serdes: SerDes = section(SerDes)
    host_side_serdes: SerDes = section(ChipToModuleSerDes)
    retimer: RetimerEnds = section(RetimerEnds)
    economics: Economics = section(AECEconomics)

    def attach_limitation(self) -> str:
        return "an AEC plugs into a faceplate cage reached by the host's long-reach SerDes"

    def options(self):
        return {}  # two equalised segments: a tabulated channel would have to say which one it replaces

    def cable_segment(self, host_serdes: SerDes, symbol_rate, length):
        """Retimer TX -> paddle card -> cable -> paddle card -> retimer RX (no host channel in it)."""
        return segment_decision(self.line_serdes, self.line_serdes, None, None, self.cable, self.host_channel,
                                symbol_rate, length, self.lanes.modulation)

    def energy(self, request: Request, plan: LanePlan, attach) -> dict:
        """Both ends' retimers (host-facing C2M + line-facing SerDes) and plug electronics."""
        lanes = self.lanes_for(request)
        rs = float(lanes.symbol_rate())
        bps = lanes.bits_per_symbol
        overhead = float(lanes.line_rate()) / lanes.payload_rate
        line_e = self.line_serdes.energy_per_bit(rs, bps)
        side_e = self.host_side_serdes.energy_per_bit(rs, bps)
        static = self.plug.static_power + self.retimer.static_power
        return {
            "retimer_line_serdes": (line_e["tx"] + line_e["rx"] + line_e["clock"]) * overhead,
            "retimer_host_side_serdes": (side_e["tx"] + side_e["rx"] + side_e["clock"]) * overhead,
            "static": 2.0 * static / (2.0 * request.aggregate_rate),
        }

    def latency(self, request: Request, plan: LanePlan, attach, length) -> dict:
        return {"propagation": self.cable.delay(length),
                "retimers": 2.0 * self.retimer.latency + self.host_side_serdes.latency + self.line_serdes.latency}


# --------------------------------------------------------------------------------------------------------
# Chain stages


def _grid_frequencies(symbol_rate):
    nu = normalised_grid()
    return nu, nu * np.asarray(symbol_rate, dtype=float)[..., None]


def segment_decision(tx: SerDes, rx: SerDes, host_tx: HostChannel | None, host_rx: HostChannel | None,
                     cable: TwinaxCable, xt: HostChannel, symbol_rate, length, modulation, channel=None):
    """Equalised decision of one electrical segment (a transmitter, its channel and a receiver).

    ``host_tx``/``host_rx`` are the host channels at the two ends (None on a retimer's paddle-card side);
    ``xt`` carries the crosstalk allocation. ``symbol_rate`` and ``length`` are arrays of one shape.
    ``channel`` (:class:`~microlink.channels.measured.TabulatedChannel`): its insertion loss replaces the
    cable and host losses, its return losses give the echo (triple transit), and its NEXT/FEXT, where
    present, replace the allocation in ``xt``.
    Returns the equalisation, the BER, the noise split used by the margin solver and diagnostics.
    """
    levels = pam_levels(modulation)
    sd2 = symbol_variance(levels)
    rs = np.asarray(symbol_rate, dtype=float)
    nu, f = _grid_frequencies(rs)
    length = np.asarray(length, dtype=float)[..., None]
    # array-valued fields (one value per point) broadcast against the frequency axis
    cable, xt = cable.columns(), xt.columns()
    host_tx = host_tx.columns() if host_tx is not None else None
    host_rx = host_rx.columns() if host_rx is not None else None
    bulk = cable.bulk_loss_db(f, length)
    loss_cable = cable.loss_db(f, length)
    loss_tx = host_tx.loss_db(f) if host_tx is not None else np.zeros_like(f)
    loss_rx = host_rx.loss_db(f) if host_rx is not None else np.zeros_like(f)
    total_loss = loss_cable + loss_tx + loss_rx if channel is None else channel.loss_db(f)
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
    if channel is not None and channel.crosstalk_power("next", f) is not None:
        psd_next = aggressor * channel.crosstalk_power("next", f)  # measured at the victim's receiver pins
    if channel is not None and channel.crosstalk_power("fext", f) is not None:
        psd_fext = aggressor * channel.crosstalk_power("fext", f)
    # echo: reflected at the far plug, again at the near plug, two extra passes of the bulk cable; it
    # arrives ~2 L / v later, far beyond the FFE span, so it acts as noise
    echo = cable.end_reflection**4 * np.abs(minimum_phase_response(2.0 * bulk)) ** 2
    if channel is not None:
        echo = channel.echo_power(f)
    psd_echo = aggressor * echo * np.abs(h_channel) ** 2
    noise_psd = psd_next + psd_fext + psd_echo
    tx_noise = np.asarray(tx.tx_noise_variance, dtype=float) / (5.0 / 9.0) * sd2  # the sending transmitter's SNR_TX
    eq = rx.equalize(nu, rs, h_signal, noise_psd, symbol_variance_=sd2, tx_noise=tx_noise)
    ber = pam_ber(eq.main, eq.residual_isi, 1.0, eq.sigma, levels=levels)
    # Split of the slicer noise for the margin solver: receiver noise (fixed) vs. crosstalk/echo (scale with
    # the signal), apportioned by their powers through the receiver front end.
    front = np.abs(butterworth_response(f, rx.rx_bandwidth_ratio * rs[..., None], 4)) ** 2
    rx_power = np.sum(np.asarray(rx.rx_noise_density, dtype=float)[..., None] * front, axis=-1)
    xt_power = np.sum(noise_psd * front, axis=-1)
    frac_rx = rx_power / np.maximum(rx_power + xt_power, 1e-300)
    return {
        "eq": eq, "ber": ber, "levels": levels, "nyquist_loss_db": _at_nyquist(nu, total_loss),
        "coverage": 1.0 if channel is None else channel.coverage(f),
        "sigma_fixed": eq.sigma_noise * np.sqrt(frac_rx),
        "sigma_prop": np.sqrt(eq.sigma_noise**2 * (1.0 - frac_rx) + eq.sigma_tx**2 + eq.sigma_jitter**2),
    }


#: Detector error ratio at which the figure of merit is taken [1].
FOM_DETECTOR_ERROR_RATIO = 1e-4
FOM_SOURCE = Source("IEEE Std 802.3ck-2022, Annex 162A (COM), parameter DER0", "standard",
                    "the detector error ratio COM is evaluated at for 100 Gb/s-per-lane electrical interfaces")


def figure_of_merit(eq, levels, to_volts, der=FOM_DETECTOR_ERROR_RATIO) -> dict:
    """COM-style figure of merit of an equalised lane at the detector error ratio ``der`` [1].

    Available signal ``A_s`` is half the spacing of adjacent levels at the slicer; the noise-and-interference
    amplitude ``A_ni`` is Q(der) times the root sum of the slicer noise and the residual-ISI spread.
    Returns ``eye_height_at_der`` = 2 (A_s - A_ni) [V] (negative: closed) and ``com_db`` =
    20 log10(A_s / A_ni) [dB], the margin at the optimised equaliser.
    """
    from microlink.units import ber_to_q

    lv = np.asarray(levels, dtype=float)
    half_spacing = 0.5 * float(np.min(np.diff(np.sort(lv))))
    a_s = np.asarray(eq.main, dtype=float) * half_spacing
    isi_var = symbol_variance(lv) * np.sum(np.asarray(eq.residual_isi, dtype=float) ** 2, axis=-1)
    a_ni = float(ber_to_q(der)) * np.sqrt(np.asarray(eq.sigma, dtype=float) ** 2 + isi_var)
    return {"eye_height_at_der": 2.0 * (a_s - a_ni) * to_volts,
            "com_db": 20.0 * np.log10(np.maximum(a_s, 1e-300) / np.maximum(a_ni, 1e-300))}


def _at_nyquist(nu, values):
    """Value of a ``[..., F]`` array at the Nyquist frequency (nu = 0.5) [same unit]."""
    k = int(np.argmin(np.abs(nu - 0.5)))
    return np.asarray(values)[..., k]


def copper_decision_model(p: DACLink, reach=1.0, *, lane_rate=None, channel=None):
    """:class:`~microlink.ber.model.DecisionModel` of the cable segment of one lane (scalar reach)."""
    from microlink.ber.model import DecisionModel

    p.require_one_point()
    if np.ndim(reach):
        raise ParameterError("reach", reach, "a scalar length for a decision model")
    reach = Request.build(1e9, reach, 1e-12).reach.reshape(())
    lanes = p.lanes if lane_rate is None else p.lanes.replace(payload_rate=float(lane_rate))
    rs = float(lanes.symbol_rate())
    p = p.replace(lanes=lanes)
    seg = p.cable_segment(p.serdes, np.asarray(rs), reach, **({"channel": channel} if channel is not None else {}))
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


def analytic_channel(p: DACLink, length, frequency):
    """The DAC's analytic host-to-host channel as a :class:`~microlink.channels.measured.TabulatedChannel`.

    Insertion loss = cable assembly + both host channels at ``length`` [m] on ``frequency`` [Hz]; the return
    loss at each end is the cable's ``end_reflection`` (flat). Crosstalk is left out: the host channel's
    allocation applies to a tabulated channel without its own. Writing it with
    :func:`microlink.io.touchstone.write_channel` exports the model as a Touchstone file.
    """
    from microlink.channels.measured import TabulatedChannel

    f = np.asarray(frequency, dtype=float)
    if np.ndim(length):
        raise ParameterError("length", length, "one length [m] per exported channel")
    il = p.cable.loss_db(f, float(length)) + 2.0 * p.host_channel.loss_db(f)
    rl = np.full(f.shape, -20.0 * np.log10(max(float(p.cable.end_reflection), 1e-15)))
    return TabulatedChannel(f, il, rl, rl, name=f"{p.technology} analytic channel, {float(length):g} m")


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


__all__ = ["AECLink", "DACLink", "analytic_channel", "copper_decision_model", "figure_of_merit", "segment_decision"]
