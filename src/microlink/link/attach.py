"""The host attach: one shared model of the electrical hop between host logic and a link's media engine.

Every technology is charged through the same attach blocks, so that a comparison is made on one boundary:
*host logic to host logic, both ends, one direction*. An attach is one of

``d2d``  die-to-die parallel interface (UCIe/OpenHBI class): cited energy per crossing, no SerDes, no FEC;
``xsr``  extra-short-reach in-package SerDes (:class:`~microlink.devices.serdes.ShortReachSerDes`);
``vsr``  chip-to-module SerDes over the package and a short trace (:class:`~microlink.devices.serdes.ChipToModuleSerDes`);
``lr``   long-reach host SerDes over the host board (:class:`~microlink.devices.serdes.SerDes`).

SerDes energies come from the one SerDes block model (transmitter, receiver, clocking at the hop's symbol
rate), the same figures the rack layer uses. Two ways to use the hop:

* **linear** technologies (DAC, linear VCSEL NPO, LPO, SiPh CPO) let the host SerDes drive the media and
  equalise the whole path: the host SerDes is part of the technology's decision, and the attach charges its
  transmit and receive halves (``host_attach``);
* **retimed** technologies (micro-LED engines, AEC, DSP modules) terminate the hop: the attach adds the BER of
  the two electrical hops (host -> engine, engine -> host), charges the host halves (``host_attach``) and,
  for engines without a SerDes of their own in their blocks, the engine halves (``engine_attach``).

A SerDes attach at 200 Gb/s PAM4 needs the host's RS(544,514) FEC end to end (IEEE 802.3dj); its energy is
the ``fec`` block. Where a technology ships with FEC, that FEC also covers the media lanes; a raw micro-LED
engine behind a SerDes attach therefore runs its lanes at the FEC's pre-FEC threshold, as every other
technology does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from microlink.channels.copper import HostChannel, TwinaxCable
from microlink.devices.host_interface import ATTACH_DESCRIPTIONS, D2D_ENERGY_PER_BIT, D2D_LATENCY, D2D_SOURCE
from microlink.devices.serdes import ACCOUNTING_FIELDS, ChipToModuleSerDes, SerDes, ShortReachSerDes
from microlink.errors import ParameterError
from microlink.link.base import ATTACH_KINDS
from microlink.parameters import Source, numeric_fields

#: Default SerDes of each attach kind (host side; a retimed engine's side uses the same class).
ATTACH_SERDES = {"xsr": ShortReachSerDes, "vsr": ChipToModuleSerDes, "lr": SerDes}

#: Default electrical channel of each SerDes attach kind when a technology brings none of its own.
ATTACH_CHANNELS = {
    "xsr": dict(package_length=10e-3, pcb_length=0.0, transition_loss_db=0.3),
    "vsr": dict(package_length=20e-3, pcb_length=0.0, transition_loss_db=0.5),
    "lr": dict(),
}

#: FEC a SerDes attach needs at 200 Gb/s PAM4 host lanes.
SERDES_ATTACH_FEC = "kp4"
SERDES_ATTACH_FEC_SOURCE = Source(
    "IEEE 802.3dj: 200 Gb/s-per-lane electrical interfaces (AUI/CR) run with the end-to-end RS(544,514) FEC",
    "standard")


class AttachNotPossible(ParameterError):
    """An attach a technology cannot use (the reason names both)."""


@dataclass(frozen=True)
class Attach:
    """The host attach of one evaluation.

    Attributes
    ----------
    kind : str
        ``"d2d"``, ``"xsr"``, ``"vsr"`` or ``"lr"``.
    native : bool
        True when it is what the product ships with.
    retimed : bool
        True when the media engine terminates the electrical hop (its BER is added); False when the host
        SerDes drives the media linearly (its equaliser is part of the technology's decision).
    host_serdes : SerDes or None
        Host-side SerDes (None for d2d).
    engine_serdes : SerDes or None
        SerDes of the engine's side of a retimed hop whose energy is charged to the attach (None when the
        technology's own blocks already carry it, or for d2d and linear hops).
    engine_receiver : SerDes or None
        The engine-side SerDes that terminates a retimed hop (for its BER), whoever is charged for it.
    channel : HostChannel or None
        Electrical channel of the hop.
    fec : str
        FEC the hop needs (``"none"`` for d2d).
    """

    kind: str
    native: bool
    retimed: bool
    host_serdes: Any
    engine_serdes: Any
    engine_receiver: Any
    channel: Any
    fec: str

    @property
    def description(self) -> str:
        """What the attach is, in words."""
        return ATTACH_DESCRIPTIONS[self.kind]

    @property
    def source(self) -> Source:
        """Where its figures come from."""
        if self.kind == "d2d":
            return D2D_SOURCE
        return Source(f"{type(self.host_serdes).__name__} block model (devices.serdes); {SERDES_ATTACH_FEC_SOURCE.citation}",
                      "derived")

    # ---- energy, latency --------------------------------------------------------------------------------
    def energy(self, symbol_rate, bits_per_symbol, overhead):
        """``(host_attach, engine_attach)`` energy per payload bit, one direction, both ends [J/bit].

        A linear hop is crossed once per direction (host TX at one end, host RX at the other); a retimed hop
        twice (host -> engine, engine -> host), each crossing having a host and an engine half.
        """
        if self.kind == "d2d":
            half = 0.5 * D2D_ENERGY_PER_BIT
            return np.asarray(2.0 * half), np.asarray(2.0 * half)
        o = np.asarray(overhead, dtype=float)
        host = self.host_serdes.energy_per_bit(symbol_rate, bits_per_symbol)
        host_e = (host["tx"] + host["rx"] + host["clock"]) * o
        if self.engine_serdes is None:
            return host_e, np.zeros_like(host_e)
        eng = self.engine_serdes.energy_per_bit(symbol_rate, bits_per_symbol)
        return host_e, (eng["tx"] + eng["rx"] + eng["clock"]) * o

    def latency(self):
        """One-way latency of the attach: every crossing of a direction, ``[...]`` over per-point sections [s]."""
        if self.kind == "d2d":
            return 2.0 * D2D_LATENCY
        engine = self.engine_serdes.latency if self.engine_serdes is not None else 0.0  # else in the module's
        return np.asarray(self.host_serdes.latency + engine, dtype=float)

    def channel_delay(self):
        """Propagation delay of the hop's channel, both ends, ``[...]`` over per-point sections [s]."""
        return 0.0 if self.channel is None else 2.0 * np.asarray(self.channel.delay(), dtype=float)

    # ---- errors -----------------------------------------------------------------------------------------
    def hop_ber(self, symbol_rate, modulation: str):
        """BER added by the two electrical hops of a retimed attach (0 for d2d or a linear hop), elementwise over
        ``symbol_rate`` and the points of array-valued attach sections [Bd -> 1]."""
        rs = np.asarray(symbol_rate, dtype=float)
        if not self.retimed or self.kind == "d2d":
            return np.zeros(rs.shape)
        from microlink.link.copper import segment_decision

        plug = TwinaxCable()
        zero = np.zeros(rs.shape)
        out = segment_decision(self.host_serdes, self.engine_receiver, self.channel, None, plug, self.channel, rs,
                               zero, modulation)["ber"]
        back = segment_decision(self.engine_receiver, self.host_serdes, None, self.channel, plug, self.channel, rs,
                                zero, modulation)["ber"]
        return np.asarray(out + back, dtype=float)

    @property
    def per_point(self) -> bool:
        """True when what the hops decide differs from point to point: a field of the hops' SerDes other than
        their energy and latency (:data:`~microlink.devices.serdes.ACCOUNTING_FIELDS`), or of the channel,
        holds an array."""

        def varies(sec, skip=()):
            return sec is not None and any(np.ndim(getattr(sec, f)) for f in numeric_fields(type(sec))
                                           if f not in skip)

        return (varies(self.host_serdes, ACCOUNTING_FIELDS) or varies(self.engine_receiver, ACCOUNTING_FIELDS)
                or varies(self.channel))


def resolve_attach(link, requested: str = "native") -> Attach:
    """The :class:`Attach` of ``link`` for ``requested`` (``"native"`` or a kind in ``link.attaches``).

    The technology supplies ``native_attach()``, ``attaches``, ``attach_retimed``, and optionally
    ``own_host_serdes()`` (its preset's SerDes, used for the native kind), ``own_engine_serdes()``,
    ``engine_receiver(kind)`` and ``host_channel_for(kind)``.
    """
    if not isinstance(requested, str):
        raise ParameterError("attach", requested, "native, " + ", ".join(ATTACH_KINDS))
    native = link.native_attach()
    kind = native if requested == "native" else requested
    if kind not in ATTACH_KINDS:
        raise ParameterError("attach", requested, "native, " + ", ".join(ATTACH_KINDS))
    if kind not in link.attaches:
        raise AttachNotPossible("attach", kind, f"one of {', '.join(link.attaches)} for {link.label()} "
                                f"({link.attach_limitation()})")
    is_native = kind == native
    retimed = link.attach_retimed
    if kind == "d2d":
        return Attach(kind, is_native, retimed, None, None, None, None, "none")
    own = link.own_host_serdes() if is_native else None
    host = own if own is not None else ATTACH_SERDES[kind]()
    receiver = link.engine_receiver(kind) if retimed else None
    charged = link.engine_serdes_charged(kind) if retimed else None
    return Attach(kind, is_native, retimed, host, charged, receiver, link.host_channel_for(kind), SERDES_ATTACH_FEC)


def host_port_serdes_power(port_rate, kind: str = "lr") -> float:
    """Power of one host port's SerDes, transmit and receive halves and clocking, at ``port_rate`` per
    direction on 200 Gb/s PAM4 lanes with KP4 [b/s -> W]: the price the chain charges as ``host_attach``, for
    the rack layer's power books."""
    from microlink.link.composite import Lanes

    lanes = Lanes()
    parts = ATTACH_SERDES[kind]().energy_per_bit(float(lanes.symbol_rate()), lanes.bits_per_symbol)
    overhead = float(lanes.line_rate()) / lanes.payload_rate
    return float((parts["tx"] + parts["rx"] + parts["clock"]) * overhead * float(port_rate))


def default_channel(kind: str) -> HostChannel:
    """The default electrical channel of a SerDes attach kind."""
    return HostChannel(**ATTACH_CHANNELS[kind])


def boundary(attach: Attach, fec: str) -> str:
    """The one-line accounting boundary of a result."""
    return (f"host logic to host logic, one direction, both ends: host attach {attach.kind} "
            f"({attach.description}{', native' if attach.native else ''}), FEC {fec}, media, module electronics, "
            "lasers and static power; excludes switch cores and facility cooling (PUE)")
