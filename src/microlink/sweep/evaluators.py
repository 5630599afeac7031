"""What a sweep evaluates at each point: a registry of evaluators, each turning input columns into outputs.

An evaluator is the only part of a sweep that knows any model. The engine hands it a chunk of points as a
mapping ``{dotted input name: 1-D array}`` plus a :class:`numpy.random.Generator` spawned for that chunk,
and gets back ``{output name: 1-D array}`` of the same length. Everything else (spaces, chunks,
executors, the store, Pareto fronts) is model-free.

Interface (duck-typed; nothing needs to subclass anything)::

    class MyEvaluator:
        name = "my"                                   # registry key, recorded in the runs table
        options_model = MyOptions                     # pydantic model of the evaluator's own spec keys

        def __init__(self, options: MyOptions): ...
        def inputs(self) -> dict[str, InputInfo]      # every name a spec may fix or sweep
        def with_fixed(self, fixed, swept) -> "MyEvaluator"  # fixed: values in SI, checked; swept: names
        def outputs(self) -> dict[str, OutputInfo]    # name -> unit, dtype ("float64" | "bool")
        def evaluate(self, inputs, rng) -> dict[str, np.ndarray]
        def provenance(self) -> dict[str, str]        # citations, parameter-set name, ...

Registered evaluators:

* ``link``: any catalog parameter set (every technology, through
  :func:`~microlink.link.chain.evaluate_link`); inputs are the request (``aggregate_rate``, ``reach``,
  ``target_ber``, ``lane_rate``, ``lane_count``) and every ``section.field`` of the preset's parameter
  object, discovered from its ``sections()`` and ``field_info()``.
* ``rack``: reserved. The rack model is written elsewhere; its adapter belongs in this package
  (``microlink.sweep`` may import ``microlink.rack``; the reverse is forbidden by the layering test).
  Implement the interface above in ``microlink/sweep/rack_evaluator.py`` as ``RackEvaluator`` and point the
  ``"rack"`` entry of :data:`EVALUATORS` at ``"microlink.sweep.rack_evaluator:RackEvaluator"``; or call
  :func:`register_evaluator` at run time.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from microlink.errors import ConfigError, ParameterError

__all__ = [
    "EVALUATORS",
    "InputInfo",
    "LinkEvaluator",
    "LinkOptions",
    "OutputInfo",
    "get_evaluator_class",
    "group_indices",
    "register_evaluator",
]


@dataclass(frozen=True)
class InputInfo:
    """One input of an evaluator.

    Attributes
    ----------
    name : str
        Dotted name as written in a spec (``"led.diameter"``, ``"reach"``).
    unit : str
        SI unit of the value ("" for categorical inputs).
    bounds : tuple of float or None
        Closed interval allowed (numeric inputs).
    options : tuple or None
        Allowed values (categorical inputs).
    display : tuple or None
        ``(unit text, scale)`` used in messages.
    integer : bool
        Values must be whole numbers.
    group : bool
        The model may use the value structurally (categorical or integer parameter fields), so the
        evaluator runs one vectorised call per distinct value instead of passing an array.
    doc : str
        One line of description.
    """

    name: str
    unit: str
    bounds: tuple[float, float] | None = None
    options: tuple | None = None
    display: tuple[str, float] | None = None
    integer: bool = False
    group: bool = False
    doc: str = ""

    @property
    def categorical(self) -> bool:
        return self.options is not None


@dataclass(frozen=True)
class OutputInfo:
    """One output column: name, unit and NumPy dtype (``"float64"`` or ``"bool"``)."""

    name: str
    unit: str
    dtype: str = "float64"
    doc: str = ""


def group_indices(columns: list[np.ndarray]) -> list[np.ndarray]:
    """Indices of the points sharing each distinct combination of values of ``columns`` (vectorised).

    Groups come in sorted order of the combined key, so the split is deterministic.
    """
    if not columns:
        return []
    n = len(columns[0])
    codes = []
    sizes = []
    for col in columns:
        uniq, inv = np.unique(np.asarray(col), return_inverse=True)
        codes.append(inv.reshape(-1))
        sizes.append(len(uniq))
    key = np.ravel_multi_index(codes, sizes) if len(codes) > 1 else codes[0]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    cuts = np.flatnonzero(np.diff(sorted_key)) + 1
    groups = np.split(order, cuts)
    return [g for g in groups if len(g)] if n else []


# ------------------------------------------------------------------------------------------------ link


class LinkOptions(BaseModel):
    """Spec keys of the ``link`` evaluator."""

    model_config = ConfigDict(extra="forbid")

    preset: str = "lightbundle"
    solve_reach: bool = False


#: Request inputs of every link technology (the chain checks the same ranges).
LINK_REQUEST: dict[str, InputInfo] = {
    "aggregate_rate": InputInfo("aggregate_rate", "b/s", (1e6, 1e15), display=("Gb/s", 1e9),
                                doc="payload per direction"),
    "reach": InputInfo("reach", "m", (0.0, 1e5), doc="link length"),
    "target_ber": InputInfo("target_ber", "1", (1e-30, 0.5), doc="BER the link must meet"),
    "lane_rate": InputInfo("lane_rate", "b/s", (1e6, 1e12), display=("Gb/s", 1e9),
                           doc="line rate of one lane (overrides the preset's)"),
    "lane_count": InputInfo("lane_count", "1", (1.0, 1e6), integer=True,
                            doc="active lanes: sets lane_rate = aggregate_rate / lane_count"),
}

#: Link outputs other than the per-block energies: name -> (unit, dtype, description).
LINK_OUTPUTS: dict[str, tuple[str, str, str]] = {
    "energy_per_bit_pj": ("pJ/bit", "float64", "energy per payload bit, one direction, both ends"),
    "ber": ("1", "float64", "pre-FEC BER, average over patterns"),
    "ber_worst_case": ("1", "float64", "pre-FEC BER of the worst-case pattern"),
    "ber_post_fec": ("1", "float64", "BER after FEC (= ber without FEC)"),
    "q_factor": ("1", "float64", "Q equivalent to the average BER"),
    "q_worst_case": ("1", "float64", "Q of the worst-case eye"),
    "margin_db": ("dB", "float64", "power margin to the target BER (-60, the search limit: BER floor above target)"),
    "ber_floor": ("1", "float64", "pre-FEC BER with 60 dB more signal power (what grows with the signal)"),
    "near_ber_floor": ("", "bool", "BER floor within a decade of the pre-FEC threshold: the margin rests on it"),
    "max_reach_m": ("m", "float64", "longest reach meeting the target BER (NaN unless solve_reach)"),
    "power_per_end_w": ("W", "float64", "power of one duplex link end"),
    "cost_usd": ("USD", "float64", "cost of one link end with its share of cable"),
    "fit": ("FIT", "float64", "failures per 1e9 h of one link end"),
    "lanes_active": ("1", "float64", "lanes carrying data per direction"),
    "lanes_spare": ("1", "float64", "spare lanes per direction"),
    "lane_rate_bps": ("b/s", "float64", "line rate of one lane"),
    "latency_ns": ("ns", "float64", "one-way latency"),
    "received_power_dbm": ("dBm", "float64", "mean received optical power per lane (-inf: electrical)"),
    "feasible": ("", "bool", "post-FEC BER meets the target at this reach"),
}
_PJ = 1e12  # J -> pJ
_NS = 1e9  # s -> ns


class LinkEvaluator:
    """Evaluate any catalog link parameter set (technology-agnostic: it reads ``sections()`` only)."""

    name = "link"
    options_model = LinkOptions

    def __init__(self, options: LinkOptions):
        from microlink.catalog import get_parameter_set

        try:
            self.parameter_set = get_parameter_set(options.preset)
        except ParameterError as exc:
            raise ConfigError(str(exc)) from None
        self.options = options
        self.base = self.parameter_set.parameters
        self.fixed: dict[str, Any] = {}
        self._inputs: dict[str, InputInfo] | None = None
        self._outputs: dict[str, OutputInfo] | None = None

    # -------------------------------------------------------------- description
    def inputs(self) -> dict[str, InputInfo]:
        """The request inputs and every ``section.field`` of the preset (read from its field metadata)."""
        if self._inputs is None:
            self._inputs = self._describe_inputs()
        return self._inputs

    def _describe_inputs(self) -> dict[str, InputInfo]:
        out = dict(LINK_REQUEST)
        for sec_name, sec in self.base.sections().items():
            for fname, value, meta in sec.items():
                key = f"{sec_name}.{fname}"
                if "options" in meta:
                    out[key] = InputInfo(key, "", options=tuple(meta["options"]), group=True,
                                         doc=meta.get("doc", ""))
                else:
                    integer = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
                    out[key] = InputInfo(key, meta["unit"], tuple(meta["bounds"]), display=meta["display"],
                                         integer=integer, group=integer, doc=meta.get("doc", ""))
        return out

    def with_fixed(self, fixed: Mapping[str, Any], swept: tuple[str, ...] = ()) -> LinkEvaluator:
        """A copy with fixed inputs applied (section fields go into the parameter object once)."""
        if {"lane_rate", "lane_count"} <= set(fixed) | set(swept):
            raise ConfigError("parameters: lane_rate and lane_count both given; lane_count sets lane_rate")
        new = copy.copy(self)
        changes: dict[str, dict[str, Any]] = {}
        request = {}
        for key, value in fixed.items():
            if key in LINK_REQUEST:
                request[key] = value
            else:
                sec, fname = key.split(".", 1)
                changes.setdefault(sec, {})[fname] = value
        new.base = self.base.replace(**changes) if changes else self.base
        new.fixed = {**self.fixed, **request}
        new._outputs = None
        return new

    def outputs(self) -> dict[str, OutputInfo]:
        if self._outputs is None:
            # Energy blocks differ by technology: read them from one scalar evaluation of the base point.
            with np.errstate(all="ignore"):
                result = self._run({}, 1)
            blocks = [f"energy_{k}_pj" for k in result.energy_breakdown]
            outs = {k: OutputInfo(k, u, d, doc) for k, (u, d, doc) in LINK_OUTPUTS.items()}
            for b in blocks:
                outs[b] = OutputInfo(b, "pJ/bit", "float64", f"energy per bit of block {b[7:-3]}")
            self._outputs = outs
        return self._outputs

    def array_parameters(self) -> bool:
        """Whether the technology evaluates array-valued parameter fields in one call, as it declares
        (``supports_parameter_arrays``); where it does not, swept parameter fields are evaluated once per
        distinct value inside a chunk (the request stays vectorised)."""
        return bool(type(self.base).supports_parameter_arrays)

    def provenance(self) -> dict[str, str]:
        ps = self.parameter_set
        return {
            "technology": str(ps.parameters.technology),
            "parameter_set": ps.name,
            "parameter_set_title": ps.title,
            "parameter_set_citation": ps.citation,
            "solve_reach": str(bool(self.options.solve_reach)),
        }

    # -------------------------------------------------------------- evaluation
    def evaluate(self, inputs: Mapping[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Outputs at ``len(next(iter(inputs.values())))`` points (``rng`` is unused: the chain is deterministic)."""
        n = len(next(iter(inputs.values()))) if inputs else 1
        info = self.inputs()
        arrays_ok = self.array_parameters()
        grouped = [k for k in inputs if info[k].group or not (arrays_ok or k in LINK_REQUEST)]
        outs = self.outputs()
        if not grouped:
            return self._collect(self._run(dict(inputs), n), n)
        result = {k: np.empty(n, dtype=o.dtype) for k, o in outs.items()}
        for idx in group_indices([np.asarray(inputs[k]) for k in grouped]):
            sub = {}
            for k, v in inputs.items():
                v = np.asarray(v)
                sub[k] = _scalar(v[idx[0]]) if k in grouped else v[idx]
            part = self._collect(self._run(sub, len(idx)), len(idx))
            for k, arr in result.items():
                arr[idx] = part[k]
        return result

    def _run(self, values: dict[str, Any], n: int):
        from microlink.link.chain import evaluate_link

        values = {**self.fixed, **values}
        changes: dict[str, dict[str, Any]] = {}
        for key, value in values.items():
            if key in LINK_REQUEST:
                continue
            sec, fname = key.split(".", 1)
            if isinstance(value, np.ndarray) and value.dtype.kind in "iu":
                value = value.astype(float)
            changes.setdefault(sec, {})[fname] = value
        params = self.base.replace(**changes) if changes else self.base
        defaults = self.parameter_set.defaults
        agg = values.get("aggregate_rate", defaults.get("aggregate_rate"))
        lane_rate = values.get("lane_rate")
        if "lane_count" in values:
            agg_value = agg if agg is not None else _chain_default("aggregate_rate")
            lane_rate = np.asarray(agg_value, dtype=float) / np.asarray(values["lane_count"], dtype=float)
        return evaluate_link(
            params,
            aggregate_rate=agg,
            reach=values.get("reach", defaults.get("reach")),
            target_ber=values.get("target_ber", defaults.get("target_ber")),
            lane_rate=lane_rate,
            solve_reach=self.options.solve_reach,
        )

    def _collect(self, r, n: int) -> dict[str, np.ndarray]:
        def col(x, dtype="float64"):
            return np.broadcast_to(np.asarray(x, dtype=dtype), (n,)).copy() if np.ndim(x) <= 1 else \
                np.asarray(x, dtype=dtype).reshape(n)

        out = {
            "energy_per_bit_pj": col(r.energy_per_bit_pj),
            "ber": col(r.ber),
            "ber_worst_case": col(r.ber_worst_case),
            "ber_post_fec": col(r.ber_post_fec),
            "q_factor": col(r.q_factor),
            "q_worst_case": col(r.q_worst_case),
            "margin_db": col(r.margin_db),
            "ber_floor": col(r.ber_floor),
            "near_ber_floor": col(r.near_ber_floor, "bool"),
            "max_reach_m": col(r.max_reach),
            "power_per_end_w": col(r.power_per_end),
            "cost_usd": col(r.cost_per_end),
            "fit": col(r.fit_per_end),
            "lanes_active": col(r.lanes_active),
            "lanes_spare": col(r.lanes_spare),
            "lane_rate_bps": col(r.lane_rate),
            "latency_ns": col(np.asarray(r.latency, dtype=float) * _NS),
            "received_power_dbm": col(r.received_power_dbm),
            "feasible": col(r.feasible, "bool"),
        }
        for k, v in r.energy_breakdown.items():
            out[f"energy_{k}_pj"] = col(np.asarray(v, dtype=float) * _PJ)
        return out


def _scalar(value):
    """A NumPy scalar as the plain Python value a parameter field expects (object arrays hold them already)."""
    return value.item() if isinstance(value, np.generic) else value


def _chain_default(name: str) -> float:
    from microlink.link import chain

    return {"aggregate_rate": chain.DEFAULT_AGGREGATE_RATE, "reach": chain.DEFAULT_REACH,
            "target_ber": chain.DEFAULT_TARGET_BER}[name]


# ------------------------------------------------------------------------------------------------ rack


class RackEvaluatorPlaceholder:
    """Reserved registry entry ``rack``: explains how to plug in the rack model (see module docstring)."""

    name = "rack"
    options_model = LinkOptions

    def __init__(self, options):  # pragma: no cover - trivial
        raise ConfigError(
            "evaluator: 'rack' is not available yet; implement RackEvaluator in microlink/sweep/rack_evaluator.py "
            "(interface in microlink.sweep.evaluators) and register it"
        )


# ------------------------------------------------------------------------------------------------ registry

#: Evaluator name -> "module:attribute" (imported on first use) or the class itself.
EVALUATORS: dict[str, Any] = {
    "link": "microlink.sweep.evaluators:LinkEvaluator",
    "rack": "microlink.sweep.evaluators:RackEvaluatorPlaceholder",
}


def register_evaluator(name: str, target: Any) -> None:
    """Register an evaluator class (or a ``"module:attribute"`` path to one) under ``name``."""
    EVALUATORS[name] = target


def get_evaluator_class(name: str):
    """The evaluator class registered as ``name`` (raises :class:`ConfigError` listing the names)."""
    if name not in EVALUATORS:
        raise ConfigError(f"evaluator: got {name!r}; allowed: {' | '.join(sorted(EVALUATORS))}")
    target = EVALUATORS[name]
    if isinstance(target, str):
        module, _, attr = target.partition(":")
        try:
            target = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"evaluator: {name!r} cannot be loaded from {EVALUATORS[name]}: {exc}") from None
    return target
