"""Sweep specifications: YAML files with units as strings, validated before anything runs.

Format (every key but ``parameters`` is optional)::

    name: microled-design            # label shown in `microlink results list`
    description: free text
    evaluator: link                  # what is evaluated at each point (registry: link; rack reserved)
    preset: lightbundle              # link evaluator: catalog parameter set (any technology)
    solve_reach: false               # link evaluator: also solve the maximum reach (~25x the cost)
    seed: 20260611                   # root seed (recorded; drawn and recorded when absent)
    chunk_size: 4096                 # points per chunk = per vectorised call and per store transaction
    sampling: grid                   # grid | list | lhs
    samples: 100000                  # lhs only: number of points
    fixed:                           # inputs held at one value (request or section.field)
      aggregate_rate: 800 Gb/s
      fiber.excess_loss_db_per_m: 0.05 dB/m
    parameters:                      # swept inputs
      lane_rate: {min: 1 Gb/s, max: 8 Gb/s, num: 8}          # grid: linspace (scale: log -> geomspace)
      led.diameter: [2 um, 3 um, 5 um]                       # explicit values
      reach: {min: 1, max: 100, num: 9, scale: log, unit: m} # bare numbers in `unit`
      fiber.index_profile: [step, graded]                    # categorical
    constraints:                     # budget on outputs -> column within_budget (and feasible)
      cost_usd: {max: 400}
      energy_per_bit_pj: {max: 2}
    pareto:                          # default objectives of `--pareto`
      energy_per_bit_pj: min
      cost_usd: min

Sampling:

* ``grid``: the outer product of the axes; an axis is a list of values or ``{min, max, num[, scale, unit]}``.
* ``list``: every axis is a list, all of the same length; point ``i`` takes the ``i``-th value of each.
* ``lhs``: a Latin hypercube of ``samples`` points; an axis is ``{min, max[, scale, unit]}`` (continuous;
  integer inputs take whole numbers) or a list (one value chosen per stratum).

Grid points are numbered in C order (the last axis varies fastest) and chunk ``c`` holds points
``c * chunk_size ..``; categorical and integer parameter fields (which a model may use structurally) are
evaluated once per distinct value inside a chunk, and so are all parameter fields of a technology that
declares no parameter arrays (``LinkEvaluator.array_parameters``; every catalog technology declares them, and
the chain decides the fields a technology names in ``grouped_fields``, such as its lane rate and receiver
structure, one value at a time): list such axes first in a grid and the request (``reach``,
``aggregate_rate``, ...) last, so that each chunk holds few combinations. ``chunk_size`` and ``seed`` are part of the spec's identity (its hash): changing either starts a
new run instead of resuming.

Inputs: the ``link`` evaluator accepts the request (``aggregate_rate``, ``reach``, ``target_ber``,
``lane_rate``, ``lane_count``) and every ``section.field`` of the preset's parameter object
(``microlink catalog PRESET`` lists them). Values are checked against each field's bounds or options
before any point is evaluated; errors are :class:`~microlink.errors.ConfigError` with one line naming the
key, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from microlink.errors import ConfigError, ParameterError
from microlink.parameters import check_range
from microlink.sweep.evaluators import InputInfo, get_evaluator_class
from microlink.sweep.space import Axis, GridSpace, LatinHypercubeSpace, ListSpace
from microlink.units import parse_quantity

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "SAMPLINGS",
    "SweepSpec",
    "column_name",
    "load_spec",
    "parse_objectives",
    "spec_from_mapping",
    "spec_from_text",
]

Scalar = bool | int | float | str
SAMPLINGS = ("grid", "list", "lhs")
DEFAULT_CHUNK_SIZE = 4096
MAX_CHUNK_SIZE = 10_000_000
#: Most values of one range axis (its grid is held in memory).
MAX_AXIS_VALUES = 10_000_000
#: Most points of one sweep (point ids and chunk counts stay far inside the store's integer columns).
MAX_POINTS = 10**12


class RangeModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: Scalar
    max: Scalar
    num: int | None = Field(None, ge=1, le=MAX_AXIS_VALUES)
    scale: Literal["linear", "log"] = "linear"
    unit: str | None = None


class BoundModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: Scalar | None = None
    max: Scalar | None = None


class SpecModel(BaseModel):
    """Keys common to every evaluator; the evaluator's own keys are validated by its ``options_model``."""

    model_config = ConfigDict(extra="allow")

    name: str | None = None
    description: str | None = None
    evaluator: str = "link"
    seed: int | None = Field(None, ge=0, lt=2**63)
    chunk_size: int = Field(DEFAULT_CHUNK_SIZE, ge=1, le=MAX_CHUNK_SIZE)
    sampling: Literal["grid", "list", "lhs"] = "grid"
    samples: int | None = Field(None, ge=1, le=MAX_POINTS)
    fixed: dict[str, Scalar] = Field(default_factory=dict)
    parameters: dict[str, Any]  # each a list of values or a RangeModel, checked in _axis
    constraints: dict[str, BoundModel] = Field(default_factory=dict)
    pareto: dict[str, Literal["min", "max"]] = Field(default_factory=dict)


def column_name(name: str) -> str:
    """Column / dimension name of a dotted input name (``led.diameter`` -> ``led_diameter``)."""
    return name.replace(".", "_")


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep.

    Attributes
    ----------
    name : str
        Label of the sweep.
    text : str
        The spec as written (recorded in the runs table).
    mapping : dict
        The parsed spec with command-line overrides applied; its canonical JSON gives :attr:`spec_hash`.
    evaluator : object
        The evaluator with the fixed inputs applied.
    axes : tuple of Axis
        Swept inputs, in the order written.
    sampling : str
        ``grid``, ``list`` or ``lhs``.
    samples : int or None
        Latin-hypercube point count.
    seed : int or None
        Root seed (``None``: drawn when a run starts, then recorded).
    chunk_size : int
        Points per chunk.
    constraints : dict
        Output column -> (lower, upper) bound, ``None`` for an open side.
    pareto : list of (str, str)
        Default objectives (column, ``"min"`` or ``"max"``).
    fixed : dict
        Fixed inputs in SI.
    """

    name: str
    text: str
    mapping: dict
    evaluator: Any
    axes: tuple[Axis, ...]
    sampling: str
    samples: int | None
    seed: int | None
    chunk_size: int
    constraints: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    pareto: list[tuple[str, str]] = field(default_factory=list)
    fixed: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    @property
    def spec_hash(self) -> str:
        """SHA-256 (first 16 hex digits) of the canonical spec: the identity used to resume a run."""
        canonical = json.dumps(self.mapping, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def space(self, seed: int):
        """The space of points (the seed matters for Latin hypercubes only)."""
        if self.sampling == "grid":
            return GridSpace(self.axes)
        if self.sampling == "list":
            return ListSpace(self.axes)
        return LatinHypercubeSpace(self.axes, self.samples, seed)

    @property
    def n_points(self) -> int:
        if self.sampling == "lhs":
            return int(self.samples)
        if self.sampling == "list":
            return len(self.axes[0].values)
        return int(np.prod([len(a.values) for a in self.axes], dtype=object))


# ------------------------------------------------------------------------------------------------ parsing


def load_spec(path, *, chunk_size: int | None = None, seed: int | None = None) -> SweepSpec:
    """Read and validate a sweep spec file (YAML or TOML)."""
    from microlink.io.files import read_text

    path = Path(path)
    return spec_from_text(read_text(path, what="spec"), source=path.name, chunk_size=chunk_size, seed=seed,
                          toml=path.suffix.lower() == ".toml")


def spec_from_text(text: str, *, source: str = "<spec>", chunk_size: int | None = None,
                   seed: int | None = None, toml: bool = False) -> SweepSpec:
    """Parse and validate spec text."""
    from microlink.io.files import parse_mapping

    data = parse_mapping(text, source=f"spec: {source}", toml=toml)
    return spec_from_mapping(data, text=text, chunk_size=chunk_size, seed=seed)


def _first_error(exc: ValidationError, prefix: str = "") -> str:
    err = exc.errors()[0]
    loc = ".".join([prefix] * bool(prefix) + [str(x) for x in err["loc"]])
    if err["type"] == "extra_forbidden":
        return f"{loc}: unknown key (value {err.get('input')!r})"
    if err["type"] == "missing":
        return f"{loc}: missing"
    return f"{loc}: {err['msg']} (got {err.get('input')!r})"


def spec_from_mapping(data: dict, *, text: str | None = None, chunk_size: int | None = None,
                      seed: int | None = None) -> SweepSpec:
    """Validate a spec mapping (see module docstring); command-line overrides win over the file."""
    data = dict(data)
    if chunk_size is not None:
        data["chunk_size"] = chunk_size
    if seed is not None:
        data["seed"] = seed
    if "parameters" not in data:
        raise ConfigError("parameters: missing (a mapping of swept inputs to values or ranges)")
    try:
        model = SpecModel.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_first_error(exc)) from None
    if not model.parameters:
        raise ConfigError("parameters: empty; sweep at least one input")

    if model.sampling == "lhs":
        if model.samples is None:
            raise ConfigError("samples: missing; sampling lhs needs the number of points")
    elif model.samples is not None:
        raise ConfigError(f"samples: only for sampling lhs (sampling is {model.sampling})")

    # evaluator and its own keys
    cls = get_evaluator_class(model.evaluator)
    extra = dict(model.model_extra or {})
    try:
        options = cls.options_model.model_validate(extra)
    except ValidationError as exc:
        raise ConfigError(_first_error(exc)) from None
    evaluator = cls(options)
    inputs = evaluator.inputs()

    fixed = {}
    for key, value in model.fixed.items():
        info = _input(inputs, key, "fixed")
        fixed[key] = _parse_value(info, value, f"fixed.{key}")
    for key in model.parameters:
        _input(inputs, key, "parameters")
        if key in fixed:
            raise ConfigError(f"parameters.{key}: also in fixed; give it in one place")
    try:
        evaluator = evaluator.with_fixed(fixed, swept=tuple(model.parameters))
    except ParameterError as exc:
        raise ConfigError(f"fixed: {exc}") from None

    axes = tuple(_axis(inputs[k], v, model.sampling, f"parameters.{k}") for k, v in model.parameters.items())
    columns = [a.column for a in axes]
    if len(set(columns)) != len(columns):
        raise ConfigError(f"parameters: two inputs map to the same column name ({', '.join(columns)})")

    if model.sampling == "list":
        lengths = {a.name: len(a.values) for a in axes}
        if len(set(lengths.values())) > 1:
            shown = ", ".join(f"{k}: {v}" for k, v in lengths.items())
            raise ConfigError(f"parameters: sampling list needs lists of one length (got {shown})")

    outputs = evaluator.outputs()
    known = list(outputs) + columns
    constraints = {}
    for key, bound in model.constraints.items():
        if key not in outputs:
            raise ConfigError(f"constraints.{key}: unknown output{_suggest(key, known)}")
        if outputs[key].dtype != "float64":
            raise ConfigError(f"constraints.{key}: not a numeric output")
        try:
            lo = None if bound.min is None else parse_quantity(bound.min, outputs[key].unit,
                                                               field=f"constraints.{key}.min")
            hi = None if bound.max is None else parse_quantity(bound.max, outputs[key].unit,
                                                               field=f"constraints.{key}.max")
        except ParameterError as exc:
            raise ConfigError(str(exc)) from None
        if lo is None and hi is None:
            raise ConfigError(f"constraints.{key}: give min, max or both")
        constraints[key] = (lo, hi)
    pareto = []
    for key, sense in model.pareto.items():
        if key not in known:
            raise ConfigError(f"pareto.{key}: unknown column{_suggest(key, known)}")
        pareto.append((key, sense))

    name = model.name or "sweep"
    canonical = json.loads(json.dumps(data, default=str))
    spec = SweepSpec(
        name=name, text=text if text is not None else json.dumps(canonical, indent=2), mapping=canonical,
        evaluator=evaluator, axes=axes, sampling=model.sampling, samples=model.samples, seed=model.seed,
        chunk_size=model.chunk_size, constraints=constraints, pareto=pareto, fixed=fixed,
        description=model.description or "",
    )
    if spec.n_points > MAX_POINTS:
        raise ConfigError(f"parameters: the sweep has {spec.n_points:.3g} points; allowed: at most {MAX_POINTS:.0e} "
                          "(fewer values per axis, or sampling: lhs with samples)")
    return spec


def _suggest(key: str, known) -> str:
    close = difflib.get_close_matches(key, list(known), n=3)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def _input(inputs: dict[str, InputInfo], key: str, where: str) -> InputInfo:
    if key not in inputs:
        sections = sorted({k.split(".")[0] for k in inputs if "." in k})
        hint = _suggest(key, inputs)
        if not hint:
            hint = f"; inputs are {', '.join(k for k in inputs if '.' not in k)} or SECTION.FIELD with SECTION in " \
                   f"{', '.join(sections)}"
        raise ConfigError(f"{where}.{key}: unknown input{hint}")
    return inputs[key]


def _kind(info: InputInfo) -> str:
    if info.categorical:
        return "bool" if all(isinstance(o, bool) for o in info.options) else "str"
    return "int" if info.integer else "float"


def _parse_value(info: InputInfo, value: Any, where: str, unit: str | None = None):
    """One value in SI, checked against the input's options or bounds (raises ConfigError)."""
    try:
        if info.categorical:
            if value not in info.options or isinstance(value, bool) != isinstance(info.options[0], bool):
                raise ParameterError(where, value, " | ".join(str(o) for o in info.options))
            return value
        if unit is not None and not isinstance(value, str):
            value = f"{value} {unit}"
        x = parse_quantity(value, info.unit, field=where)
        check_range(where, x, info.bounds[0], info.bounds[1], info.unit, info.display)
        if info.integer:
            if x != round(x):
                raise ParameterError(where, value, "a whole number")
            return round(x)
        return x
    except ParameterError as exc:
        raise ConfigError(str(exc)) from None


def _axis(info: InputInfo, entry, sampling: str, where: str) -> Axis:
    kind = _kind(info)
    column = column_name(info.name)
    if isinstance(entry, dict):
        try:
            entry = RangeModel.model_validate(entry)
        except ValidationError as exc:
            raise ConfigError(_first_error(exc, where)) from None
    elif not isinstance(entry, list):
        raise ConfigError(f"{where}: got {entry!r}; allowed: a list of values or a range {{min, max, num}}")
    if isinstance(entry, list):
        if not entry:
            raise ConfigError(f"{where}: empty list")
        values = tuple(_parse_value(info, v, f"{where}[{i}]") for i, v in enumerate(entry))
        return Axis(info.name, column, info.unit, kind, values=values)
    # a range
    if info.categorical:
        raise ConfigError(f"{where}: categorical input; give a list of {' | '.join(map(str, info.options))}")
    if sampling == "list":
        raise ConfigError(f"{where}: sampling list needs a list of values, not a range")
    lo = _parse_value(info, entry.min, f"{where}.min", entry.unit)
    hi = _parse_value(info, entry.max, f"{where}.max", entry.unit)
    if hi < lo:
        raise ConfigError(f"{where}: max {entry.max!r} is below min {entry.min!r}")
    if entry.scale == "log" and lo <= 0:
        raise ConfigError(f"{where}: scale log needs min > 0 (got {entry.min!r})")
    if sampling == "lhs":
        if entry.num is not None:
            raise ConfigError(f"{where}.num: not used with sampling lhs (samples sets the point count)")
        return Axis(info.name, column, info.unit, kind, low=float(lo), high=float(hi), scale=entry.scale)
    if entry.num is None:
        raise ConfigError(f"{where}.num: missing; a grid range needs the number of values")
    if entry.scale == "log":
        values = np.geomspace(lo, hi, entry.num)
    else:
        values = np.linspace(lo, hi, entry.num)
    if entry.num > 1:
        values[0], values[-1] = lo, hi
    if info.integer:
        rounded = np.round(values)
        if np.any(np.abs(values - rounded) > 1e-9):
            raise ConfigError(f"{where}: integer input; min, max and num must give whole numbers (or use a list)")
        return Axis(info.name, column, info.unit, kind, values=tuple(int(v) for v in rounded))
    return Axis(info.name, column, info.unit, kind, values=tuple(float(v) for v in values))


def parse_objectives(text: str | list | dict | None) -> list[tuple[str, str]]:
    """``"energy_per_bit_pj:min,max_reach_m:max"`` (or a list / mapping) -> ``[(column, sense), ...]``."""
    if text is None:
        return []
    if isinstance(text, dict):
        items = list(text.items())
    elif isinstance(text, str):
        items = []
        for part in text.split(","):
            part = part.strip()
            if not part:
                raise ConfigError(f"pareto: got {text!r}; allowed: NAME:min|max items separated by commas, none empty")
            name, _, sense = part.partition(":")
            items.append((name.strip(), (sense or "min").strip().lower()))
    else:
        items = [tuple(x) for x in text]
    out = []
    for name, sense in items:
        if sense not in ("min", "max"):
            raise ConfigError(f"pareto: objective {name!r} has sense {sense!r}; allowed: min | max")
        if not name:
            raise ConfigError("pareto: empty objective name; write NAME:min or NAME:max")
        out.append((name, sense))
    if len({n for n, _ in out}) != len(out):
        raise ConfigError("pareto: an objective is listed twice")
    return out
