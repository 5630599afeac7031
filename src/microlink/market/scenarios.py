"""Named scenarios read from ``market/data/*.yaml`` and the orchestrator :func:`run_scenario`.

A scenario file holds a ``technology``, optional ``references`` (published market totals used as sanity
checks) and ``scenarios``. Each scenario lists assumptions as::

    accelerators_base:
      value: 4.0e6 / yr          # a number in the field's unit, or text with a unit
      range: [3.0e6, 5.5e6]      # optional: plausible interval for Monte Carlo and tornado
      distribution: triangular   # uniform | triangular (peak at value) | loguniform
      kind: assumption           # measured | claim | standard | literature | derived | assumption
      citation: ...
      note: ...                  # required for an assumption: the reasoning

``range_factor: [0.5, 2.0]`` gives the range relative to the value instead (used for a calibrated
parameter). A scenario either lists every assumption or ``extends`` another scenario (inheriting its
calibrated values, sources and ranges) and lists only what it changes. ``calibration`` names one
parameter to solve so that revenue in ``year`` equals ``revenue``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from microlink.errors import ConfigError, ParameterError
from microlink.market.assumptions import MarketAssumptions, apply_overrides, parse_value
from microlink.market.model import (
    DEFAULT_YEARS,
    Calibration,
    MarketForecast,
    ReferenceMarket,
    calibrate,
    forecast,
)
from microlink.market.uncertainty import Range, monte_carlo, tornado
from microlink.parameters import Source

__all__ = ["CalibrationSpec", "Scenario", "list_scenarios", "load_scenario", "run_scenario"]

_FIELD_KEYS = {"value", "range", "range_factor", "distribution", "kind", "citation", "note"}
_SCENARIO_KEYS = {"title", "description", "extends", "calibration", "assumptions"}
_FILE_KEYS = {"technology", "description", "references", "scenarios"}


@dataclass(frozen=True)
class CalibrationSpec:
    """Which parameter to solve, and the published figure to hit."""

    parameter: str
    year: int
    revenue_usd: float
    citation: str
    bracket: tuple[float, float] | None = None


@dataclass(frozen=True)
class Scenario:
    """A named, sourced set of market assumptions (calibrated when the scenario says so).

    Attributes
    ----------
    name, title, description, technology : text
    assumptions : the (calibrated) :class:`MarketAssumptions`
    sources : per-field :class:`~microlink.parameters.Source` as given in the scenario file
    ranges : per-field absolute :class:`~microlink.market.uncertainty.Range`
    range_factors : per-field ranges relative to the value, ``(low_factor, high_factor, distribution)``
    calibration_spec : what was calibrated (``None`` when values are inherited or all given)
    calibration : the calibration result
    references : published market totals for sanity checks
    file : the scenario file's name
    """

    name: str
    title: str
    description: str
    technology: str
    assumptions: MarketAssumptions
    sources: dict[str, Source]
    ranges: dict[str, Range]
    range_factors: dict[str, tuple[float, float, str]]
    calibration_spec: CalibrationSpec | None
    calibration: Calibration | None
    references: tuple[ReferenceMarket, ...]
    file: str

    def resolved_ranges(self, assumptions: MarketAssumptions | None = None) -> dict[str, Range]:
        """Absolute ranges, with relative ones scaled by the value in ``assumptions`` (default: own)."""
        a = assumptions if assumptions is not None else self.assumptions
        out = dict(self.ranges)
        for name, (lo, hi, dist) in self.range_factors.items():
            value = float(getattr(a, name))
            out[name] = Range(lo * value, hi * value, dist)
        return out


# ------------------------------------------------------------------------------------------------------
# reading files
# ------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _raw_files() -> dict[str, dict[str, Any]]:
    out = {}
    for entry in sorted(resources.files("microlink.market").joinpath("data").iterdir(), key=lambda p: p.name):
        if entry.name.endswith((".yaml", ".yml")):
            out[entry.name] = _parse_file(entry.read_text(encoding="utf-8"), entry.name)
    return out


def _parse_file(text: str, name: str) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML ({str(exc).splitlines()[0]})") from None
    _require_mapping(data, name)
    _no_unknown(data, _FILE_KEYS, name)
    return data


def _require_mapping(obj, where: str) -> None:
    if not isinstance(obj, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(obj).__name__}")


def _no_unknown(obj: Mapping, allowed: set[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def _index(files: Mapping[str, dict[str, Any]] | None = None) -> dict[str, tuple[str, dict[str, Any]]]:
    index: dict[str, tuple[str, dict[str, Any]]] = {}
    for fname, data in (_raw_files() if files is None else files).items():
        scenarios = data.get("scenarios")
        _require_mapping(scenarios, f"{fname}: scenarios")
        for name, spec in scenarios.items():
            if name in index:
                raise ConfigError(f"scenario {name!r} defined in both {index[name][0]} and {fname}")
            _require_mapping(spec, f"{fname}: {name}")
            index[name] = (fname, spec)
    return index


def list_scenarios() -> dict[str, str]:
    """``{name: title}`` of every scenario shipped in ``market/data``."""
    return {name: str(spec.get("title", "")) for name, (_, spec) in _index().items()}


def _references(fname: str, files: Mapping[str, dict[str, Any]] | None = None) -> tuple[ReferenceMarket, ...]:
    out = []
    for k, item in enumerate((_raw_files() if files is None else files)[fname].get("references") or []):
        where = f"{fname}: references[{k}]"
        _require_mapping(item, where)
        _no_unknown(item, {"name", "year", "revenue", "citation", "kind"}, where)
        try:
            from microlink.units import parse_quantity

            out.append(ReferenceMarket(
                name=str(item["name"]), year=int(item["year"]),
                revenue_usd=parse_quantity(item["revenue"], "USD", field=f"{where}.revenue"),
                citation=str(item["citation"]),
            ))
        except KeyError as exc:
            raise ConfigError(f"{where}: missing key {exc.args[0]!r}") from None
    return tuple(out)


def _source(spec: Mapping, where: str) -> Source:
    for key in ("kind", "citation"):
        if key not in spec:
            raise ConfigError(f"{where}: missing {key!r} (every assumption needs a source)")
    return Source(str(spec["citation"]), str(spec["kind"]), str(spec.get("note", "")))


def _pair(spec, where: str, parse) -> tuple[Any, Any]:
    if not isinstance(spec, (list, tuple)) or len(spec) != 2:
        raise ConfigError(f"{where}: expected [low, high], got {spec!r}")
    return parse(spec[0]), parse(spec[1])


def load_scenario(name: str) -> Scenario:
    """The scenario called ``name`` (calibrated, with sources and ranges), or the first scenario of a user
    file ``name`` (a path ending in .yaml/.yml; ``path.yaml:scenario`` picks another one).

    A user file has the shipped files' format and is validated the same way; its scenarios may ``extend``
    shipped ones. Unknown names raise :class:`~microlink.errors.ParameterError` listing the known ones."""
    text = str(name)
    for ext in (".yaml", ".yml"):
        if text.endswith(ext):
            return _load_user_file(text, None)
        if ext + ":" in text:
            file, _, pick = text.rpartition(":")
            return _load_user_file(file, pick)
    return _load_shipped(text)


@lru_cache(maxsize=None)
def _load_shipped(name: str) -> Scenario:
    index = _index()
    if name not in index:
        raise ParameterError("scenario", name, "one of " + ", ".join(index) + ", or a scenario file (.yaml)")
    return _build(name, index, chain=())


def _load_user_file(file: str, pick: str | None) -> Scenario:
    from pathlib import Path

    p = Path(file)
    if not p.is_file():
        raise ParameterError("--scenario", file, "a shipped scenario name or an existing .yaml scenario file")
    data = _parse_file(p.read_text(encoding="utf-8"), p.name)
    files = {p.name: data, **{k: v for k, v in _raw_files().items() if k != p.name}}
    own = list((data.get("scenarios") or {}))
    if not own:
        raise ConfigError(f"{p.name}: scenarios: expected at least one scenario")
    name = pick or own[0]
    if name not in own:
        raise ParameterError("--scenario", f"{file}:{name}", f"a scenario of {p.name}: {', '.join(own)}")
    return _build(name, _index(files), chain=(), files=files)


def _build(name: str, index, chain: tuple[str, ...], files=None) -> Scenario:
    fname, spec = index[name]
    where = f"{fname}: {name}"
    _no_unknown(spec, _SCENARIO_KEYS, where)
    if name in chain:
        raise ConfigError(f"{where}: 'extends' loops through {' -> '.join(chain + (name,))}")
    fields = spec.get("assumptions") or {}
    _require_mapping(fields, f"{where}: assumptions")

    if "extends" in spec:
        parent_name = str(spec["extends"])
        if parent_name not in index:
            raise ConfigError(f"{where}: extends unknown scenario {parent_name!r}")
        parent = _build(parent_name, index, chain + (name,), files)
        values = parent.assumptions.to_dict()
        sources = dict(parent.sources)
        ranges = dict(parent.ranges)
        factors = dict(parent.range_factors)
        if parent.calibration is not None:
            cal = parent.calibration
            sources[cal.parameter] = Source(
                cal.citation, "derived",
                f"calibrated in scenario '{parent_name}' to {cal.target_usd:.4g} USD in {cal.year}",
            )
    else:
        missing = [n for n in MarketAssumptions.field_info() if n not in fields]
        if missing:
            raise ConfigError(f"{where}: missing assumption(s) {', '.join(missing)} (or use 'extends')")
        values, sources, ranges, factors = {}, {}, {}, {}

    for field_name, fspec in fields.items():
        fwhere = f"{where}: {field_name}"
        if field_name not in MarketAssumptions.field_info():
            raise ParameterError(f"market.{field_name}", fspec, "one of " + ", ".join(MarketAssumptions.field_info()))
        _require_mapping(fspec, fwhere)
        _no_unknown(fspec, _FIELD_KEYS, fwhere)
        if "value" not in fspec:
            raise ConfigError(f"{fwhere}: missing 'value'")
        values[field_name] = parse_value(field_name, fspec["value"])
        sources[field_name] = _source(fspec, fwhere)
        dist = str(fspec.get("distribution", "triangular"))
        if "range" in fspec and "range_factor" in fspec:
            raise ConfigError(f"{fwhere}: give 'range' or 'range_factor', not both")
        ranges.pop(field_name, None)
        factors.pop(field_name, None)
        if "range" in fspec:
            lo, hi = _pair(fspec["range"], f"{fwhere}.range", lambda v, n=field_name: parse_value(n, v))
            ranges[field_name] = Range(float(lo), float(hi), dist)
        elif "range_factor" in fspec:
            lo, hi = _pair(fspec["range_factor"], f"{fwhere}.range_factor", float)
            Range(lo, hi, dist)  # validates the pair and the distribution name
            factors[field_name] = (lo, hi, dist)
        elif "distribution" in fspec:
            raise ConfigError(f"{fwhere}: 'distribution' without 'range'")

    assumptions = MarketAssumptions(**values)
    cal_spec = None
    calibration = None
    if "calibration" in spec:
        cal_spec = _calibration_spec(spec["calibration"], f"{where}: calibration")
        assumptions, calibration = calibrate(
            assumptions, cal_spec.parameter, cal_spec.year, cal_spec.revenue_usd,
            bracket=cal_spec.bracket, citation=cal_spec.citation,
        )
        sources[cal_spec.parameter] = Source(
            cal_spec.citation, "derived",
            f"calibrated (scipy brentq) to {cal_spec.revenue_usd:.4g} USD in {cal_spec.year}",
        )

    scenario = Scenario(
        name=name, title=str(spec.get("title", name)), description=str(spec.get("description", "")),
        technology=str((_raw_files() if files is None else files)[fname].get("technology", "")),
        assumptions=assumptions, sources=sources, ranges=ranges, range_factors=factors,
        calibration_spec=cal_spec, calibration=calibration, references=_references(fname, files), file=fname,
    )
    for field_name, r in scenario.resolved_ranges().items():
        if field_name in assumptions.used_fields():
            r.check(field_name, float(getattr(assumptions, field_name)))
    return scenario


def _calibration_spec(spec, where: str) -> CalibrationSpec:
    from microlink.units import parse_quantity

    _require_mapping(spec, where)
    _no_unknown(spec, {"parameter", "year", "revenue", "citation", "bracket"}, where)
    for key in ("parameter", "year", "revenue", "citation"):
        if key not in spec:
            raise ConfigError(f"{where}: missing {key!r}")
    parameter = str(spec["parameter"])
    bracket = None
    if "bracket" in spec:
        bracket = _pair(spec["bracket"], f"{where}.bracket", lambda v: float(parse_value(parameter, v)))
    return CalibrationSpec(
        parameter=parameter, year=int(spec["year"]),
        revenue_usd=parse_quantity(spec["revenue"], "USD", field=f"{where}.revenue"),
        citation=str(spec["citation"]), bracket=bracket,
    )


# ------------------------------------------------------------------------------------------------------
# orchestration
# ------------------------------------------------------------------------------------------------------
def run_scenario(
    scenario: str | Scenario = "base",
    *,
    overrides: Mapping[str, Any] | None = None,
    samples: int = 2000,
    seed: int | None = None,
    recalibrate: bool = False,
    years=DEFAULT_YEARS,
    year: int | None = None,
    exclude=(),
    extra_ranges: Mapping[str, Range] | None = None,
    **pool_overrides,
) -> MarketForecast:
    """Forecast, implied figures, Monte Carlo bands and tornado of a scenario.

    Parameters
    ----------
    scenario : str or Scenario
        Name of a shipped scenario, or a loaded one.
    overrides : mapping, optional
        ``{assumption: value}`` applied after calibration; values may carry units (``"450 USD"``).
        An overridden assumption is held fixed in the Monte Carlo and the tornado.
    samples : int
        Monte Carlo samples (0 skips the bands).
    seed : int, optional
        Root seed of the Monte Carlo generator; a fresh one is drawn (and recorded) when ``None``.
    recalibrate : bool
        Solve the scenario's calibrated parameter again after the overrides, so the forecast still hits
        the published figure and the implied figures show what the overrides imply.
    years : array_like
        Forecast years.
    year : int, optional
        Year of the implied figures and of the tornado; default: the calibration year, else 2030.
    exclude : iterable of str
        Assumptions held out of the Monte Carlo and the tornado besides the overridden ones (e.g. the
        fraction-beyond-copper ramp when the rack model supplies the fraction).
    extra_ranges : mapping, optional
        ``{assumption: Range}`` added to (or replacing) the scenario's ranges, e.g. for an overridden value.
    **pool_overrides
        Per-year arrays from a rack model (see :func:`microlink.market.model.market_paths`).
    """
    from microlink.parameters import check_range

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(str(scenario))
    check_range("samples", samples, 0, 10_000_000)
    overrides = dict(overrides or {})
    a = apply_overrides(sc.assumptions, overrides) if overrides else sc.assumptions
    calibration = sc.calibration
    sources = dict(sc.sources)
    for name in overrides:
        sources[name] = Source("command-line override", "assumption", f"set by the user to {overrides[name]!r}")
    if recalibrate:
        spec = sc.calibration_spec
        if spec is None:
            raise ParameterError("recalibrate", sc.name, "a scenario with its own 'calibration' section")
        if spec.parameter in overrides:
            raise ParameterError(
                f"market.{spec.parameter}", overrides[spec.parameter],
                "not overridden together with recalibrate (it is the calibrated parameter)",
            )
        a, calibration = calibrate(
            a, spec.parameter, spec.year, spec.revenue_usd, years=years, bracket=spec.bracket,
            citation=spec.citation, **pool_overrides,
        )
    if year is None:
        year = sc.calibration_spec.year if sc.calibration_spec is not None else 2030
    held = set(overrides) | set(exclude)
    ranges = {k: v for k, v in sc.resolved_ranges(a).items() if k not in held}
    ranges.update(extra_ranges or {})

    result = forecast(
        a, years, scenario=sc.name, implied_year=year, references=sc.references,
        calibration=calibration, sources=sources, **pool_overrides,
    )
    bands = None
    if samples:
        bands = monte_carlo(a, ranges, samples=samples, seed=seed, years=years, **pool_overrides)
    sensitivity = tornado(a, ranges, year=year, years=years, **pool_overrides)
    return dataclasses.replace(result, bands=bands, sensitivity=sensitivity)
