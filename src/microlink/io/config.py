"""Link configuration files (YAML or TOML) with units as strings, validated with pydantic.

Format::

    preset: lightbundle          # optional: start from a catalog set (default: lightbundle)
    aggregate_rate: 800 Gb/s     # request
    reach: 10 m
    target_ber: 1e-12
    lane_rate: 3.3 Gb/s          # optional override of lanes.lane_rate
    led:                         # any section of the link's parameter object ...
      diameter: 3 um             # ... any field, value with a unit (or a bare number in SI)
      bias_current: 100 uA
    fiber:
      excess_loss_db_per_m: 0.2
    sources:                     # optional: where an overridden value comes from
      led.diameter: {citation: "wafer map W12, die 3", kind: measured, note: "SEM"}

A value set in a file without an entry under ``sources`` is recorded as an assumption of the file
(``microlink catalog`` and ``--assumptions`` show it so). A file is usable by path wherever a catalog name is
accepted (:func:`microlink.catalog.get_parameter_set`).

Unknown keys, wrong units and out-of-range values raise :class:`~microlink.errors.ConfigError` with one
line naming the field, the value and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from microlink.errors import ConfigError, ParameterError
from microlink.units import parse_quantity

Scalar = Union[bool, int, float, str]

REQUEST_FIELDS = {  # name -> (unit, display)
    "aggregate_rate": "b/s",
    "reach": "m",
    "target_ber": "1",
    "lane_rate": "b/s",
}


@dataclass(frozen=True)
class LinkConfig:
    """A parsed link configuration: the parameter set (with overrides applied) and the request."""

    parameter_set: Any  # microlink.catalog.ParameterSet
    aggregate_rate: Optional[float]
    reach: Optional[float]
    target_ber: Optional[float]
    lane_rate: Optional[float]


def _schema(parameters) -> type[BaseModel]:
    """Pydantic model mirroring the sections and fields of a link parameter object (extra keys forbidden)."""
    strict = ConfigDict(extra="forbid")
    sections = {}
    for sec_name, sec in parameters.sections().items():
        fields = {name: (Optional[Scalar], None) for name, _, _ in sec.items()}
        sections[sec_name] = (Optional[create_model(f"{sec_name}_section", __config__=strict, **fields)], None)
    top = {"preset": (Optional[str], None), "sources": (Optional[dict[str, dict[str, str]]], None)}
    top.update({k: (Optional[Scalar], None) for k in REQUEST_FIELDS})
    return create_model("LinkFile", __config__=strict, **top, **sections)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(x) for x in err["loc"])
    if err["type"] == "extra_forbidden":
        return f"{loc}: unknown key (value {err.get('input')!r})"
    return f"{loc}: {err['msg']} (got {err.get('input')!r})"


def read_mapping(path: Path) -> dict:
    """Read a YAML or TOML file into a dict through the one file reader (errors name the file)."""
    from microlink.io.files import read_mapping as read_file_mapping

    return read_file_mapping(path, what="config")


def _declared_sources(model, base, origin: str) -> dict:
    """The ``sources`` section as :class:`~microlink.parameters.Source` objects keyed ``section.field``."""
    from microlink.parameters import Source

    out = {}
    sections = base.parameters.sections()
    for key, entry in (model.sources or {}).items():
        sec_name, _, fname = key.partition(".")
        if sec_name not in sections or fname not in sections[sec_name].field_info():
            raise ConfigError(f"sources: got {key!r}; allowed: section.field of a parameter, e.g. led.diameter")
        unknown = set(entry) - {"citation", "kind", "note"}
        if unknown or "citation" not in entry or "kind" not in entry:
            raise ConfigError(f"sources.{key}: got keys {sorted(entry)}; allowed: citation and kind (required), note")
        try:
            out[key] = Source(entry["citation"], entry["kind"], entry.get("note", ""))
        except ParameterError as exc:
            raise ConfigError(f"sources.{key}: {exc}") from None
    return out


def link_config_from_mapping(data: dict, origin: str = "") -> LinkConfig:
    """Validate a mapping (see module docstring) and build the parameter set and request.

    ``origin`` names the file the mapping came from (the citation of values it sets without a source).
    """
    from microlink.catalog import ParameterSet, get_parameter_set
    from microlink.parameters import Source

    preset = data.get("preset", "lightbundle")
    if not isinstance(preset, str):
        raise ConfigError(f"preset: got {preset!r}; allowed: a catalog name")
    try:
        base = get_parameter_set(preset)
    except ParameterError as exc:
        raise ConfigError(str(exc)) from None
    try:
        model = _schema(base.parameters).model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_first_error(exc)) from None

    changes: dict[str, dict[str, Any]] = {}
    sections = base.parameters.sections()
    try:
        for sec_name, sec in sections.items():
            given = getattr(model, sec_name)
            if given is None:
                continue
            info = sec.field_info()
            values = {}
            for key, value in given.model_dump(exclude_none=True).items():
                meta = info[key]
                field = f"{sec_name}.{key}"
                if "options" in meta:
                    if value not in meta["options"]:
                        raise ParameterError(field, value, " | ".join(map(str, meta["options"])))
                    values[key] = value
                else:
                    values[key] = parse_quantity(value, meta["unit"], field=field)
            changes[sec_name] = values
        request = {
            k: (None if getattr(model, k) is None else parse_quantity(getattr(model, k), unit, field=k))
            for k, unit in REQUEST_FIELDS.items()
        }
        params = base.parameters.replace(**changes)
    except ParameterError as exc:
        raise ConfigError(str(exc)) from None
    declared = _declared_sources(model, base, origin)
    sources = dict(base.sources)
    where = origin or "link file"
    for sec_name, values in changes.items():
        for key in values:
            sources[f"{sec_name}.{key}"] = declared.pop(f"{sec_name}.{key}", None) or Source(
                where, "assumption", f"set in {where} without a stated source")
    if declared:
        raise ConfigError(f"sources: got {sorted(declared)[0]!r}; allowed: only fields the file sets")
    name = base.name if not changes else f"{base.name}+config"
    pset = ParameterSet(name=name, title=base.title, citation=base.citation, parameters=params,
                        sources=sources, defaults=base.defaults)
    return LinkConfig(pset, request["aggregate_rate"], request["reach"], request["target_ber"], request["lane_rate"])


def load_link_config(path) -> LinkConfig:
    """Read and validate a link configuration file."""
    path = Path(path)
    return link_config_from_mapping(read_mapping(path), origin=path.name)
