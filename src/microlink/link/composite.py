"""Pieces shared by the serial-lane technologies (copper, VCSEL, SiPh CPO, pluggables): lanes and line
coding, economics, and the :class:`CompositeLink` base that implements the chain stages they have in common.

The FEC convention is the chain's (:mod:`microlink.link.chain`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from microlink.ber.fec import get_fec_code
from microlink.link.base import LanePlan, Request, SectionedLink
from microlink.link.reliability import spared_end_fit
from microlink.parameters import Parameters, Source, choice, numeric_fields, param

SECONDS_PER_YEAR = 8766 * 3600.0

_TRANSCODING = Source("IEEE 802.3 cl. 91/119: 256b/257b transcoding ahead of RS-FEC "
                      "(100 Gb/s payload -> 106.25 Gb/s line with RS(544,514))", "standard")


@dataclass(frozen=True, eq=False)
class Lanes(Parameters):
    """Lanes of a serial link: payload per lane, modulation, FEC and line coding."""

    section = "lanes"

    payload_rate: float = param(
        200e9, unit="b/s", bounds=(1e9, 1e12), display=("Gb/s", 1e9),
        source=Source("200 Gb/s per lane electrical and optical generation (802.3dj; NVLink 5 pairs)", "standard"),
    )
    modulation: str = choice(
        "PAM4", options=("NRZ", "PAM4"),
        source=Source("PAM4 from 50 Gb/s per lane on (802.3cd/ck/dj)", "standard"),
    )
    fec: str = choice(
        "kp4", options=("none", "kp4", "kr4", "bch-light", "hamming"),
        source=Source("RS(544,514) 'KP4' host FEC for PAM4 lanes (links.md section 4)", "standard"),
    )
    transcoding_overhead: float = param(
        1.0 / 256.0, unit="1", bounds=(0.0, 1.0),
        source=_TRANSCODING,
    )
    fec_codeword_rate: float = param(
        212.5e9, unit="b/s", bounds=(1e9, 1e13), display=("Gb/s", 1e9),
        source=Source("802.3 cl. 119: two RS codewords interleaved per 400 Gb/s flow, so each codeword "
                      "arrives at ~212.5 Gb/s", "derived"),
    )

    @property
    def bits_per_symbol(self) -> int:
        """``log2 M`` [bit]."""
        return 2 if self.modulation == "PAM4" else 1

    @property
    def fec_code(self):
        """The :class:`~microlink.ber.fec.FecCode` of the lanes."""
        return get_fec_code(self.fec)

    def line_rate(self, payload_rate=None):
        """Line rate per lane: payload x transcoding x ``n/k`` [b/s]."""
        pr = self.payload_rate if payload_rate is None else payload_rate
        return np.asarray(pr, dtype=float) * (1.0 + self.transcoding_overhead) * (1.0 + self.fec_code.overhead)

    def symbol_rate(self, payload_rate=None):
        """Symbol rate per lane [Bd]."""
        return self.line_rate(payload_rate) / self.bits_per_symbol

    def plan(self, aggregate_rate, payload_rate=None) -> LanePlan:
        """Lanes of one direction carrying ``aggregate_rate`` [b/s] (flat arrays)."""
        agg = np.asarray(aggregate_rate, dtype=float)
        pr = float(self.payload_rate if payload_rate is None else payload_rate)
        n = np.ceil(agg / pr - 1e-9)
        ones = np.ones(agg.shape)
        return LanePlan(payload_rate=pr * ones, line_rate=float(self.line_rate(pr)) * ones,
                        symbol_rate=float(self.symbol_rate(pr)) * ones, modulation=self.modulation,
                        lanes_active=n, lanes_spare=0.0 * ones, lanes_powered=n, fec=self.fec)


@dataclass(frozen=True, eq=False)
class Economics(Parameters):
    """Cost and failure-rate inputs of one link end (component FITs are summed by link.reliability)."""

    section = "economics"

    module_cost_per_gbps: float = param(
        0.0, unit="USD/(Gb/s)", bounds=(0.0, 1e4),
        source=Source("module/engine price per Gb/s of one end", "assumption", "technology presets set it"),
    )
    cable_cost_per_m: float = param(
        0.0, unit="USD/m", bounds=(0.0, 1e5),
        source=Source("cable or fiber price per metre of a duplex link", "assumption", "technology presets set it"),
    )
    cable_fixed_cost: float = param(
        0.0, unit="USD", bounds=(0.0, 1e5),
        source=Source("connectors/assembly of the cable, whole cable", "assumption", "technology presets set it"),
    )
    tx_lane_fit: float = param(
        0.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("per-lane transmit components", "assumption", "technology presets set it"),
    )
    rx_lane_fit: float = param(
        0.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("per-lane receive components", "assumption", "technology presets set it"),
    )
    laser_fit: float = param(
        0.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("per shared laser source", "assumption", "technology presets set it"),
    )
    common_fit: float = param(
        0.0, unit="FIT", bounds=(0.0, 1e7),
        source=Source("per-end common parts (DSP, controller, connector)", "assumption", "technology presets set it"),
    )
    service_life: float = param(
        5 * SECONDS_PER_YEAR, unit="s", bounds=(3600.0, 1e10), display=("years", SECONDS_PER_YEAR),
        source=Source("typical accelerator-cluster depreciation period", "assumption", "5 years, as for micro-LED"),
    )

    def cost_per_end(self, aggregate_rate, reach):
        """Module share plus half the cable [b/s, m -> USD]."""
        return (self.module_cost_per_gbps * np.asarray(aggregate_rate, dtype=float) / 1e9
                + 0.5 * (self.cable_cost_per_m * np.asarray(reach, dtype=float) + self.cable_fixed_cost))

    def fit_per_end(self, lanes, lasers=0.0):
        """FIT of a duplex end without spares: lanes x (Tx + Rx) + lasers + common [1, 1 -> FIT]."""
        common = self.common_fit + self.laser_fit * np.asarray(lasers, dtype=float)
        return spared_end_fit(self.tx_lane_fit, self.rx_lane_fit, np.asarray(lanes, dtype=float), 0.0, common,
                              self.service_life)


class CompositeLink(SectionedLink):
    """Base of the serial-lane technologies: lanes from :class:`Lanes` (one value per decision), one host SerDes.

    Subclasses name their host SerDes section in ``host_serdes_section`` and, when they retime the host hop,
    their module-side SerDes in ``engine_receiver_section``; they supply ``decide``, ``energy``, ``latency``,
    ``media_per_end`` and ``lasers_per_end``.
    """

    host_serdes_section: ClassVar[str] = "host_serdes"
    engine_receiver_section: ClassVar[str | None] = None

    @property
    def attach_retimed(self) -> bool:
        """True when the module terminates the host hop (a retimer or DSP in the module)."""
        return self.engine_receiver_section is not None

    def native_attach(self) -> str:
        return self.attaches[0]

    def attach_limitation(self) -> str:
        return "the product is built around this host interface"

    def own_host_serdes(self):
        return getattr(self, self.host_serdes_section)

    def engine_receiver(self, kind):
        return getattr(self, self.engine_receiver_section)

    def engine_serdes_charged(self, kind):
        """None: the module's own SerDes is among its blocks (retimer or DSP), not the attach's."""
        return None

    def host_channel_for(self, kind):
        return self.host_channel

    def lanes_for(self, request: Request) -> Lanes:
        """The lanes with the request's lane rate, if any (scalar for these technologies)."""
        if request.lane_rate is None:
            return self.lanes
        return self.lanes.replace(payload_rate=float(request.lane_rate[0]))

    def lane_plan(self, request: Request, attach) -> LanePlan:
        return self.lanes_for(request).plan(request.aggregate_rate)

    def host_lanes(self, plan: LanePlan) -> LanePlan:
        return plan

    def fec_codeword_rate(self, plan) -> float:
        return float(self.lanes.fec_codeword_rate)

    def cost_per_end(self, request: Request):
        return self.economics.cost_per_end(request.aggregate_rate, request.reach)

    def lasers_per_end(self, n_lanes):
        return np.zeros(np.shape(n_lanes))

    def fit_per_end(self, request: Request, plan: LanePlan):
        return self.economics.fit_per_end(plan.lanes_active, self.lasers_per_end(plan.lanes_active))


def lane_and_receiver_fields(*serdes_sections: str) -> tuple[str, ...]:
    """``grouped_fields`` of a serial-lane technology: the numeric fields of its :class:`Lanes` (they set the
    symbol rate and the frequency grid) and the receiver structure
    (:data:`~microlink.devices.serdes.RECEIVER_STRUCTURE`) of each SerDes section named."""
    from microlink.devices.serdes import RECEIVER_STRUCTURE

    return (tuple(f"lanes.{name}" for name in numeric_fields(Lanes))
            + tuple(f"{sec}.{name}" for sec in serdes_sections for name in RECEIVER_STRUCTURE))


def broadcast_float(x, shape):
    """``x`` broadcast to ``shape`` as a fresh float array."""
    return np.broadcast_to(np.asarray(x, dtype=float), shape) * 1.0


def take(x, index, n):
    """``x`` broadcast along a leading axis of ``n`` points, then indexed [same unit]."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        return arr
    return np.broadcast_to(arr, (n,) + arr.shape[1:])[index] if arr.shape[0] in (1, n) else arr
