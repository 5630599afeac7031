"""The single place a :class:`~microlink.link.result.LinkResult` is built from the chain's stage outputs."""

from __future__ import annotations

import numpy as np

from microlink.link.attach import Attach
from microlink.link.base import Decision, LanePlan, Request
from microlink.link.result import LinkResult

#: Energy blocks the chain charges for the attach and the FEC; every other block is the technology's.
ATTACH_BLOCKS = ("host_attach", "engine_attach", "fec")
#: Blocks whose energy changes with the attach: the chain's, plus ``fec_parity`` (the media energy of carrying
#: a host FEC's parity, which a technology whose lanes carry the coded stream charges).
ATTACH_DEPENDENT_BLOCKS = ATTACH_BLOCKS + ("fec_parity",)
#: Blocks on the host's side of the boundary (left out of ``module_power_per_end``).
HOST_BLOCKS = ("host_attach", "fec")


def _fec_energy(code: str) -> float:
    from microlink.ber.fec import get_fec_code

    return float(get_fec_code(code).energy_per_bit)


def _fec_latency(code: str, codeword_rate: float) -> float:
    from microlink.ber.fec import get_fec_code

    return float(get_fec_code(code).latency(codeword_rate))


def assemble(link, request: Request, plan: LanePlan, attach: Attach, fec: str, dec: Decision, *, ber, ber_worst,
             threshold, hop_ber, margin_db, floor, ber_floor, max_reach, capped, parameter_set: str,
             boundary_text: str) -> LinkResult:
    """Charge energy, latency, cost and failures and build the result (arrays reshaped to the request)."""
    from microlink.link.chain import post_fec_ber, q_from_ber

    n = request.size
    shape = request.shape

    def b(x):
        return np.broadcast_to(np.asarray(x, dtype=float), (n,)).reshape(shape) * 1.0

    agg = request.aggregate_rate
    host_lanes = link.host_lanes(plan)
    host_overhead = host_lanes.line_rate / host_lanes.payload_rate
    host_e, engine_e = attach.energy(host_lanes.symbol_rate, 2 if host_lanes.modulation == "PAM4" else 1,
                                     host_overhead)
    blocks = dict(link.energy(request, plan, attach))
    for key in ATTACH_BLOCKS:
        if key in blocks:
            raise ValueError(f"{link.label()} energy block {key!r} is the chain's")
    blocks["host_attach"] = host_e
    blocks["engine_attach"] = engine_e
    blocks["fec"] = _fec_energy(fec)
    breakdown = {k: b(v) for k, v in blocks.items()}
    energy = sum(breakdown.values())
    module = energy - sum(breakdown[k] for k in HOST_BLOCKS)
    agg_s = agg.reshape(shape)

    parts = dict(link.latency(request, plan, attach, request.reach))
    parts["attach"] = attach.latency() + attach.channel_delay()
    parts["fec"] = _fec_latency(fec, link.fec_codeword_rate(plan)) if fec != "none" else 0.0
    latency = sum(b(v) for v in parts.values())

    media, media_kind = link.media_per_end(plan)
    extras = dict(dec.extras)
    extras["latency_breakdown_ns"] = {k: b(v) * 1e9 for k, v in parts.items()}  # per point [ns]
    extras["cost_per_gbps_usd"] = b(link.cost_per_end(request) / (agg / 1e9))
    extras["symbol_rate_bd"] = b(plan.symbol_rate)
    extras["lanes_powered"] = b(plan.lanes_powered)
    extras = {k: (b(v) if not isinstance(v, (dict, str)) and np.ndim(v) <= 1 and np.size(v) in (1, n) else v)
              for k, v in extras.items()}

    q_worst = dec.q_worst_case if dec.q_worst_case is not None else q_from_ber(ber_worst)
    return LinkResult(
        technology=link.label(),
        parameter_set=parameter_set,
        aggregate_rate=b(agg),
        lane_rate=b(plan.line_rate),
        lanes_active=b(plan.lanes_active),
        lanes_spare=b(plan.lanes_spare),
        reach=b(request.reach),
        modulation=plan.modulation,
        launched_power=b(dec.launched_power),
        received_power=b(dec.received_power),
        received_oma=b(dec.received_oma),
        signal_amplitude=b(dec.signal_amplitude),
        noise={k: b(v) for k, v in dec.noise.items()},
        main_cursor=b(dec.main_cursor),
        isi_closure=b(dec.isi_closure),
        crosstalk=b(dec.crosstalk),
        bandwidth={k: b(v) for k, v in dec.bandwidth.items()},
        q_factor=b(q_from_ber(ber)),
        q_worst_case=b(q_worst),
        ber=b(ber),
        ber_worst_case=b(ber_worst),
        target_ber=b(request.target_ber),
        margin_db=b(margin_db),
        max_reach=None if max_reach is None else b(max_reach),
        max_reach_capped=None if capped is None else np.broadcast_to(capped, (n,)).reshape(shape).copy(),
        energy_breakdown=breakdown,
        power_per_end=energy * agg_s,
        latency=latency,
        fec=fec,
        ber_post_fec=b(post_fec_ber(fec, ber)),
        cost_per_end=b(link.cost_per_end(request)),
        fit_per_end=b(link.fit_per_end(request, plan)),
        extras=extras,
        attach=attach.kind,
        boundary=boundary_text,
        penalties_db={k: b(v) for k, v in dec.penalties_db.items()},
        ber_floor_above_target=np.broadcast_to(np.asarray(floor, dtype=bool), (n,)).reshape(shape).copy(),
        ber_floor=b(ber_floor),
        module_power_per_end=module * agg_s,
        media_per_end=b(media),
        media_kind=media_kind,
        pre_fec_threshold=b(threshold),
        attach_hop_ber=b(hop_ber),
        gearbox=bool(attach.retimed),
    )
