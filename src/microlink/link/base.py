"""The contract every technology implements, and the typed values that travel through the one chain.

:func:`microlink.link.chain.run` owns the steps every link shares (validate the request, plan the lanes,
choose the attach and the FEC, decide, solve the margin and the reach, charge energy, latency, cost and
failures, build the :class:`~microlink.link.result.LinkResult`). A technology supplies only its own stages,
as methods of a :class:`SectionedLink` subclass:

``lane_plan(request, attach) -> LanePlan``
    how the aggregate is carried (lanes, line rate, modulation, FEC of the media lanes);
``decide(request, plan, attach, length) -> Decision``
    transmitter -> channel -> receiver -> BER at the given lengths (flat arrays of the request's size);
``energy(request, plan, attach) -> dict``
    energy per payload bit of the technology's own blocks (the chain adds the attach and FEC blocks);
``latency(request, plan, attach, length) -> dict``
    one-way latency of the technology's own parts [s];
``cost_per_end(request)``, ``fit_per_end(request, plan)``, ``media_per_end(plan)``.

Technologies declare what they vectorise over (:attr:`SectionedLink.supports_parameter_arrays`) and which
host attaches they can use (:attr:`SectionedLink.attaches`); nothing is probed.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from microlink.errors import ParameterError
from microlink.parameters import Parameters, check_range, numeric_fields

#: Attach kinds every technology may name; :mod:`microlink.link.attach` models them.
ATTACH_KINDS = ("d2d", "xsr", "vsr", "lr")


@dataclass(frozen=True)
class Request:
    """What the caller asks of a link, validated once and flattened to 1-D arrays of ``size`` points.

    Attributes
    ----------
    aggregate_rate : ndarray [N]
        Payload per direction [b/s].
    reach : ndarray [N]
        Link length [m].
    target_ber : ndarray [N]
        BER required after FEC [1].
    lane_rate : ndarray [N] or None
        Payload per lane requested instead of the technology's own [b/s].
    shape : tuple
        Broadcast shape of the request and any array-valued parameters (results take this shape).
    """

    aggregate_rate: np.ndarray
    reach: np.ndarray
    target_ber: np.ndarray
    lane_rate: np.ndarray | None
    shape: tuple

    @property
    def size(self) -> int:
        """Number of design points [1]."""
        return int(self.aggregate_rate.size)

    def subset(self, index) -> "Request":
        """The request at some of its points (flat ``index``)."""
        return Request(self.aggregate_rate[index], self.reach[index], self.target_ber[index],
                       None if self.lane_rate is None else self.lane_rate[index], (int(np.size(index)),))

    @classmethod
    def build(cls, aggregate_rate, reach, target_ber, lane_rate=None, parameter_shape=()) -> "Request":
        """Validate the inputs (one line naming the field on error) and broadcast them together."""
        converted = {}
        for name, value in (("aggregate_rate", aggregate_rate), ("reach", reach), ("target_ber", target_ber),
                            ("lane_rate", lane_rate)):
            if value is None and name == "lane_rate":
                converted[name] = None
                continue
            unit = {"aggregate_rate": "b/s", "reach": "m", "target_ber": "1", "lane_rate": "b/s"}[name]
            try:
                arr = np.asarray(value)
            except (TypeError, ValueError):
                arr = None
            if arr is None or arr.dtype.kind not in "iuf":
                if arr is not None and arr.dtype.kind == "b":
                    raise ParameterError(name, value, "a number or an array of numbers, not a boolean")
                if arr is not None and arr.dtype.kind in "US":
                    raise ParameterError(name, value, f"a number in {unit} (parse text such as '10 m' with "
                                                      "microlink.units.parse_quantity)")
                raise ParameterError(name, value, f"a number or a rectangular array of numbers [{unit}]")
            arr = arr.astype(float)
            if arr.size == 0:
                raise ParameterError(name, value, "a number or a non-empty array")
            converted[name] = arr
        arrays = [converted[k] for k in ("aggregate_rate", "reach", "target_ber")]
        lr = converted["lane_rate"]
        check_range("aggregate_rate", arrays[0], 1e6, 1e15, "b/s", ("Gb/s", 1e9))
        check_range("reach", arrays[1], 0.0, 1e5, "m")
        check_range("target_ber", arrays[2], 1e-30, 0.5, "")
        if lr is not None:
            check_range("lane_rate", lr, 1e6, 1e12, "b/s", ("Gb/s", 1e9))
        shapes = [a.shape for a in arrays] + ([lr.shape] if lr is not None else []) + [tuple(parameter_shape)]
        try:
            shape = np.broadcast_shapes(*shapes)
        except ValueError:
            raise ParameterError("request", " x ".join(str(s) for s in shapes),
                                 "array shapes that broadcast together") from None
        flat = [np.broadcast_to(a, shape).reshape(-1).copy() for a in arrays]
        lr_flat = None if lr is None else np.broadcast_to(lr, shape).reshape(-1).copy()
        return cls(flat[0], flat[1], flat[2], lr_flat, shape)


@dataclass(frozen=True)
class LanePlan:
    """How a technology carries the aggregate (flat arrays of the request's size).

    Attributes
    ----------
    payload_rate : ndarray [N]
        Payload per lane [b/s].
    line_rate : ndarray [N]
        Line rate per lane, with line coding and FEC overhead [b/s].
    symbol_rate : ndarray [N]
        [Bd].
    modulation : str
        ``"NRZ"`` or ``"PAM4"``.
    lanes_active, lanes_spare, lanes_powered : ndarray [N]
        Lanes carrying data, spare lanes, and lanes drawing power, per direction [1].
    fec : str
        FEC code protecting the lanes (``"none"`` for raw lanes), from :mod:`microlink.ber.fec`.
    """

    payload_rate: np.ndarray
    line_rate: np.ndarray
    symbol_rate: np.ndarray
    modulation: str
    lanes_active: np.ndarray
    lanes_spare: np.ndarray
    lanes_powered: np.ndarray
    fec: str

    def subset(self, index) -> "LanePlan":
        """The plan at some points."""
        pick = lambda a: np.asarray(a)[index]  # noqa: E731
        return dataclasses.replace(self, payload_rate=pick(self.payload_rate), line_rate=pick(self.line_rate),
                                   symbol_rate=pick(self.symbol_rate), lanes_active=pick(self.lanes_active),
                                   lanes_spare=pick(self.lanes_spare), lanes_powered=pick(self.lanes_powered))


@dataclass(frozen=True)
class Decision:
    """The decision point of one lane at a batch of lengths: what a technology's ``decide`` returns.

    Arrays have the request's flat size ``N`` (or broadcast to it). Currents are [A] for optical lanes and
    voltages [V] for electrical ones (``signal_unit`` says which).

    Attributes
    ----------
    ber, ber_worst_case : ndarray
        Pre-FEC BER of the media lane, pattern average and worst case [1].
    ber_at_scale : callable (scale [N'], index [N']) -> BER [N']
        BER of the points ``index`` with the received signal power divided by ``scale`` (noise terms that
        do not scale with the signal stay); increasing in ``scale``. The margin solver calls it.
    main_cursor, isi_closure : ndarray
        Normalised main cursor and worst-case ISI closure [1].
    signal_amplitude : ndarray
        Half the settled swing at the decision point [A or V].
    noise : dict[str, ndarray]
        RMS noise terms at the decision point [A or V].
    crosstalk : ndarray
        Power fraction coupled from each adjacent lane [1].
    bandwidth : dict[str, ndarray]
        -3 dB bandwidths of the blocks [Hz].
    launched_power, received_power, received_oma : ndarray
        Optical powers per lane [W] (0 for electrical lanes).
    q_worst_case : ndarray or None
        Q of the worst-case eye when the technology computes it directly [1].
    signal_unit : str
        ``"V"`` or ``"A"``: what ``signal_amplitude`` and ``noise`` are in.
    q_power_law : float or None
        Where the receiver's own noise dominates, Q falls as ``scale ** (-1 / q_power_law)`` with the power
        scale-down (2: a voltage, whose amplitude goes as the square root of the power; 1: a photocurrent,
        proportional to the optical power). Declared, the margin solver steps by this law in log Q from its
        first guess; None (noise that grows with the signal, as RIN and shot noise do) leaves the generic
        solve in log BER.
    penalties_db : dict[str, ndarray]
        Named power penalties the link budget must also cover [dB]; the chain applies them to the BER,
        the margin and the reach.
    extras : dict[str, Any]
        Technology-specific intermediates (unit in the key).
    """

    ber: np.ndarray
    ber_worst_case: np.ndarray
    ber_at_scale: Callable
    main_cursor: np.ndarray
    isi_closure: np.ndarray
    signal_amplitude: np.ndarray
    noise: dict
    crosstalk: Any
    bandwidth: dict
    launched_power: Any = 0.0
    received_power: Any = 0.0
    received_oma: Any = 0.0
    q_worst_case: Any = None
    signal_unit: str = "A"
    q_power_law: Any = None
    penalties_db: dict = field(default_factory=dict)
    extras: dict = field(default_factory=dict)


class SectionedLink:
    """Base of every technology's parameter object: a frozen dataclass whose fields are parameter sections.

    Class attributes a technology sets:

    * ``technology`` — family name in results;
    * ``supports_parameter_arrays`` — True when its stages broadcast over array-valued parameter fields
      (one decision decides every design point with its own values); False when they take scalars;
    * ``grouped_fields`` — with ``supports_parameter_arrays``, the fields (``"section.field"``) a decision
      takes one value of (whole numbers that set its structure, values its lane plan or host attach casts);
    * ``vectorises_lane_rate`` — True when a per-point lane rate is decided in one batch;
    * ``reach_bracket`` — search interval of the maximum reach [m];
    * ``attaches`` — host attach kinds it can use, the first being what the product ships with.

    Every technology takes array-valued parameters: what its stages do not broadcast over (every numeric
    field without ``supports_parameter_arrays``, the ``grouped_fields`` with it, a lane rate without
    ``vectorises_lane_rate``) the chain evaluates one distinct value (combination) at a time and
    reassembles, so a design point's figures never depend on the other points of its batch.
    """

    technology: ClassVar[str] = "custom"
    supports_parameter_arrays: ClassVar[bool] = False
    grouped_fields: ClassVar[tuple[str, ...]] = ()
    vectorises_lane_rate: ClassVar[bool] = False
    reach_bracket: ClassVar[tuple[float, float]] = (1e-3, 1e5)
    attaches: ClassVar[tuple[str, ...]] = ("lr",)

    # ---- parameters ------------------------------------------------------------------------------------
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
            if isinstance(values, Parameters):
                new[name] = values
            elif isinstance(values, dict):
                new[name] = sections[name].replace(**values)
            else:
                raise ParameterError(name, values, "a mapping of field names to values")
        return dataclasses.replace(self, **new)

    def parameter_shape(self) -> tuple:
        """Broadcast shape of the array-valued parameter fields (``()`` when all are scalars)."""
        return self._parameter_shape

    @functools.cached_property
    def _parameter_shape(self) -> tuple:
        # a link's sections are fixed once it is built (changes make a new link), and the chain and the
        # solvers ask for this at every decision
        shapes = [s.broadcast_shape() for s in self.sections().values()]
        try:
            return np.broadcast_shapes(*shapes) if shapes else ()
        except ValueError:
            raise ParameterError("parameters", shapes, "array fields whose shapes broadcast together") from None

    def flatten(self, shape, index=None):
        """The link with every array field broadcast to ``shape`` and flattened (optionally indexed).

        The values were validated when the parameters were built, so the copies are made without validating
        again (this runs inside the solvers' loops).
        """
        new = {}
        for name, sec in self.sections().items():
            arrays = [(f, getattr(sec, f)) for f in numeric_fields(type(sec)) if np.ndim(getattr(sec, f))]
            if not arrays:
                new[name] = sec
                continue
            clone = copy.copy(sec)
            for fname, value in arrays:
                flat = np.broadcast_to(np.asarray(value, dtype=float), shape).reshape(-1)
                object.__setattr__(clone, fname, flat if index is None else flat[index])
            new[name] = clone
        return dataclasses.replace(self, **new)

    def require_one_point(self, purpose: str = "a decision model"):
        """Raise :class:`ParameterError` unless every parameter field is a scalar: ``purpose`` describes one
        design point (the chain itself takes array-valued fields)."""
        shape = self.parameter_shape()
        if shape:
            raise ParameterError("parameters", f"array-valued fields of shape {shape}",
                                 f"scalar parameters: {purpose} is one design point (evaluate_link takes arrays)")

    def grouped_keys(self) -> tuple[tuple[str, str], ...]:
        """``(section, field)`` of every numeric field the stages take one value of (see the class docstring)."""
        if self.supports_parameter_arrays:
            return tuple(tuple(key.split(".")) for key in self.grouped_fields)
        return tuple((name, f) for name, sec in self.sections().items() for f in numeric_fields(type(sec)))

    def with_values(self, values: dict[tuple[str, str], Any]):
        """The link with fields set to already-validated values, ``{(section, field): value}`` (no checks:
        the chain uses it to give a group of design points its one value of a grouped field)."""
        new = {}
        sections = self.sections()
        for (name, fname), value in values.items():
            if name not in new:
                new[name] = copy.copy(sections[name])
            object.__setattr__(new[name], fname, value)
        return dataclasses.replace(self, **new) if new else self

    # ---- entry point -----------------------------------------------------------------------------------
    def evaluate(self, aggregate_rate=1.6e12, reach=1.0, target_ber=1e-12, *, lane_rate=None, solve_reach=True,
                 attach="native", parameter_set="custom", **options):
        """Run the one chain (:func:`microlink.link.chain.run`) on this link."""
        from microlink.link.chain import run

        return run(self, aggregate_rate, reach, target_ber, lane_rate=lane_rate, solve_reach=solve_reach,
                   attach=attach, parameter_set=parameter_set, **options)

    # ---- defaults a technology may override ------------------------------------------------------------
    def label(self) -> str:
        """Technology name written in results."""
        return self.technology

    def options(self) -> dict[str, Any]:
        """Keyword options ``decide`` accepts (name -> default)."""
        return {}
