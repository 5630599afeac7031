"""Pieces shared by the competitor link chains: composite parameter objects, lanes and FEC, economics, solvers.

FEC convention (the same for every technology)
----------------------------------------------
``target_ber`` is the BER required *after* FEC. The pre-FEC threshold of a code is the largest pre-FEC BER
whose post-FEC BER meets that target (:func:`microlink.ber.fec.pre_fec_threshold`; KP4 RS(544,514) gives
2.3e-4 for a 1e-15 target and 3.6e-4 for 1e-12). Margin and maximum reach are solved at that threshold, so
``feasible`` (post-FEC BER <= target) and ``reach <= max_reach`` always agree. Links without FEC use the
target itself as the threshold.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from microlink.ber.fec import get_fec_code, post_fec_ber, pre_fec_threshold
from microlink.errors import ParameterError
from microlink.link.reliability import spared_end_fit
from microlink.link.solve import bisect_log
from microlink.parameters import Parameters, Source, check_range, choice, param

#: Relative tolerance of reach and margin solutions (0.2 %: well inside any validation tolerance).
SOLVER_RTOL = 2e-3
#: Floor of BER values used in log-domain root finding.
BER_FLOOR = 1e-300
#: Bracket of the optical/electrical margin search [dB].
MARGIN_SEARCH_DB = 40.0
SECONDS_PER_YEAR = 8766 * 3600.0

_TRANSCODING = Source("IEEE 802.3 cl. 91/119: 256b/257b transcoding ahead of RS-FEC "
                      "(100 Gb/s payload -> 106.25 Gb/s line with RS(544,514))", "standard")


@lru_cache(maxsize=256)
def _cached_threshold(code: str, target: float) -> float:
    """Pre-FEC threshold of a code for one target (the solve is costly; targets repeat)."""
    return float(pre_fec_threshold(code, target))


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

    def pre_fec_threshold(self, target_ber):
        """Pre-FEC BER at which the code meets ``target_ber`` after correction [1 -> 1]."""
        t = np.asarray(target_ber, dtype=float)
        if self.fec == "none":
            return t
        values, inverse = np.unique(t, return_inverse=True)
        thr = np.array([_cached_threshold(self.fec, float(v)) for v in values])
        return thr[inverse].reshape(t.shape)

    def post_fec_ber(self, pre_ber):
        """Post-FEC BER [1 -> 1]."""
        if self.fec == "none":
            return np.asarray(pre_ber, dtype=float)
        return post_fec_ber(self.fec, np.clip(pre_ber, 0.0, 0.5))

    def fec_latency(self):
        """FEC encode + decode latency [s]."""
        return float(self.fec_code.latency(self.fec_codeword_rate))

    def fec_energy(self):
        """FEC energy per payload bit, both ends [J/bit]."""
        return float(self.fec_code.energy_per_bit)


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


class CompositeLink:
    """Mixin for frozen dataclasses whose fields are parameter sections."""

    def sections(self) -> dict[str, Parameters]:
        """The parameter sections by name."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def replace(self, **changes: Any):
        """A copy with fields changed, e.g. ``link.replace(cable={"awg": 28})``."""
        sections = self.sections()
        new = {}
        for name, values in changes.items():
            if name not in sections:
                raise ParameterError(name, values, "one of " + ", ".join(sections))
            new[name] = values if isinstance(values, Parameters) else sections[name].replace(**values)
        return dataclasses.replace(self, **new)

    def _require_scalar(self):
        for name, sec in self.sections().items():
            if sec.broadcast_shape():
                raise ParameterError(name, "array-valued fields",
                                     "scalar parameters (sweep the request: aggregate_rate, reach, target_ber)")


def check_request(aggregate_rate, reach, target_ber):
    """Validate and convert the request arrays [b/s, m, 1]."""
    check_range("aggregate_rate", aggregate_rate, 1e6, 1e15, "b/s", ("Gb/s", 1e9))
    check_range("reach", reach, 0.0, 1e5, "m")
    check_range("target_ber", target_ber, 1e-30, 0.5, "")
    return (np.asarray(aggregate_rate, dtype=float), np.asarray(reach, dtype=float),
            np.asarray(target_ber, dtype=float))


def log_ber_gap(ber, threshold):
    """``log(BER) - log(threshold)`` with a floor, for root finding [1, 1 -> 1]."""
    return np.log(np.maximum(ber, BER_FLOOR)) - np.log(threshold)


def solve_max_reach(ber_at, threshold, shape, bracket, points=12, rounds=3):
    """Longest length with ``BER <= threshold`` (BER increasing with length), by batched grid refinement.

    Each round evaluates ``ber_at`` once on ``points`` log-spaced lengths per design point (an array of shape
    ``shape + (points,)``), keeps the cell where the BER crosses the threshold and refines it; the root is
    finally interpolated linearly in (log length, log BER). Three rounds of 12 points resolve a 1e4 bracket
    to ~0.1 %. Returns ``(max_reach, capped)``: 0 where even the shortest length fails, the upper bracket
    (``capped``) where the longest passes.
    """
    lo = np.full(shape, np.log(bracket[0]))
    hi = np.full(shape, np.log(bracket[1]))
    thr = np.asarray(threshold, dtype=float)[..., None]
    frac = np.linspace(0.0, 1.0, points)
    never = np.zeros(shape, bool)
    always = np.zeros(shape, bool)
    root = lo.copy()
    for r in range(rounds):
        grid = lo[..., None] + (hi - lo)[..., None] * frac  # [..., P]
        gap = log_ber_gap(ber_at(np.exp(grid)), thr)
        ok = gap <= 0.0
        n_ok = np.sum(np.cumprod(ok, axis=-1), axis=-1)  # leading feasible points (BER increasing)
        if r == 0:
            never = n_ok == 0
            always = n_ok == points
        i = np.clip(n_ok - 1, 0, points - 2)
        g0 = np.take_along_axis(gap, i[..., None], axis=-1)[..., 0]
        g1 = np.take_along_axis(gap, (i + 1)[..., None], axis=-1)[..., 0]
        x0 = np.take_along_axis(grid, i[..., None], axis=-1)[..., 0]
        x1 = np.take_along_axis(grid, (i + 1)[..., None], axis=-1)[..., 0]
        t = np.where(np.isfinite(g0) & np.isfinite(g1) & (g1 != g0), -g0 / np.where(g1 != g0, g1 - g0, 1.0), 0.5)
        root = x0 + np.clip(t, 0.0, 1.0) * (x1 - x0)
        lo, hi = x0, x1
    reach = np.where(never, 0.0, np.where(always, bracket[1], np.exp(root)))
    return reach, always


def solve_margin_db(ber_at_scale, threshold, shape, rtol=SOLVER_RTOL):
    """Margin in dB: largest power scale-down ``s`` (``10 log10 s``) with ``BER(s) <= threshold``.

    ``ber_at_scale(s)`` must increase with ``s`` (``s = 1``: as evaluated). Negative where the link fails
    now; ``-inf`` where no power increase helps (BER floor above the threshold).
    """
    lim = 10.0 ** (MARGIN_SEARCH_DB / 10.0)
    s, below, above = bisect_log(lambda sc: log_ber_gap(ber_at_scale(sc), threshold), 1.0 / lim, lim, shape,
                                 increasing=True, rtol=rtol)
    margin = 10.0 * np.log10(s)
    return np.where(below, -np.inf, np.where(above, MARGIN_SEARCH_DB, margin))


def broadcast_float(x, shape):
    """``x`` broadcast to ``shape`` as a fresh float array."""
    return np.broadcast_to(np.asarray(x, dtype=float), shape) * 1.0


def q_from_ber(ber):
    """Gaussian Q equivalent of a BER, 38 for BER = 0 [1 -> 1]."""
    from microlink.units import ber_to_q

    b = np.asarray(ber, dtype=float)
    return np.where(b > 0, ber_to_q(np.clip(b, 1e-300, 0.5)), 38.0)
