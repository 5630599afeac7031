"""Named, cited parameter sets: one per published device, link or system.

Each :class:`ParameterSet` holds a complete link parameter object whose every field carries its source
(the field's own default citation, or the override recorded in ``ParameterSet.sources``).
``microlink catalog`` lists them; ``microlink catalog NAME`` shows every value with its source.

Wherever a set's name is accepted, so is the path of a link file (``./my_led.yaml``, ``links/dac.toml``: a name
ending in ``.yaml``, ``.yml`` or ``.toml``, or containing a path separator). The file is read by
:func:`microlink.io.config.load_link_config` (``preset:`` plus overrides) into a set named after the file stem;
its request values (``aggregate_rate``, ``reach``, ``target_ber``) become the set's defaults and ``lane_rate``
sets ``lanes.lane_rate``. A file's ``preset:`` may itself be a file, relative to the file's own folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from microlink.errors import ParameterError
from microlink.parameters import Source, format_value


@dataclass(frozen=True, eq=False)
class ParameterSet:
    """A named parameter set.

    Attributes
    ----------
    name : str
        Catalog key, e.g. ``"lightbundle"``.
    title : str
        One-line description.
    citation : str
        The publication(s) the set is built from.
    parameters : object
        The link parameter object (e.g. :class:`~microlink.link.microled.MicroLEDLink`).
    sources : dict[str, Source]
        Sources of the values that differ from the field defaults, keyed ``"section.field"``.
    defaults : dict[str, float]
        Default request for this set: ``aggregate_rate`` [b/s], ``reach`` [m], ``target_ber`` [1].
    ranges : dict[str, Range]
        Spread of the values the set rests on, keyed ``"section.field"`` (see :mod:`microlink.catalog.ranges`).
    """

    name: str
    title: str
    citation: str
    parameters: Any
    sources: dict[str, Source] = field(default_factory=dict)
    defaults: dict[str, float] = field(default_factory=dict)
    ranges: dict[str, Any] = field(default_factory=dict)

    @property
    def technology(self) -> str:
        return self.parameters.technology

    def rows(self):
        """``(section.field, value text, source)`` for every parameter."""
        for sec_name, sec in self.parameters.sections().items():
            for fname, value, meta in sec.items():
                key = f"{sec_name}.{fname}"
                yield key, format_value(value, meta), self.sources.get(key, meta["source"])

    def assumptions(self) -> list[str]:
        """Keys of the values that rest on an assumption rather than a published figure."""
        return [k for k, _, s in self.rows() if s.kind == "assumption"]


_BUILDERS: dict[str, Callable[[], ParameterSet]] = {}
_CACHE: dict[str, ParameterSet] = {}


def register(name: str):
    """Decorator registering a zero-argument builder of a :class:`ParameterSet`."""

    def deco(fn):
        _BUILDERS[name] = fn
        return fn

    return deco


#: Modules whose import registers parameter sets (one per technology family).
FAMILY_MODULES = ("microlink.catalog.microled_sets", "microlink.catalog.competitor_sets")


def _load_all():
    import importlib

    for module in FAMILY_MODULES:
        importlib.import_module(module)


def list_parameter_sets() -> list[str]:
    """Names of all catalog parameter sets."""
    _load_all()
    return sorted(_BUILDERS)


#: Name endings that mark a link file rather than a catalog name.
FILE_SUFFIXES = (".yaml", ".yml", ".toml")
_FILE_CACHE: dict[tuple, ParameterSet] = {}
_LOADING: list[Path] = []


def is_file_reference(name: Any) -> bool:
    """Whether ``name`` names a link file (ends in .yaml/.yml/.toml or contains a path separator)."""
    if isinstance(name, os.PathLike):
        return True
    if not isinstance(name, str):
        return False
    return name.lower().endswith(FILE_SUFFIXES) or "/" in name or os.sep in name


def _file_set(name) -> ParameterSet:
    """The parameter set of a link file, named after the file stem (see the module docstring)."""
    import dataclasses

    from microlink.errors import ConfigError
    from microlink.io.config import link_config_from_mapping, read_mapping

    path = Path(name)
    if _LOADING and not path.is_absolute():
        path = _LOADING[-1].parent / path
    try:
        resolved, info = path.resolve(), path.stat()
    except OSError:
        raise ParameterError("preset", str(name), "a catalog name or an existing .yaml/.yml/.toml link file") from None
    if resolved in _LOADING:
        raise ConfigError(f"preset: {name} starts from itself ({' -> '.join(p.name for p in _LOADING)})")
    key = (resolved, info.st_mtime_ns, info.st_size)
    if key in _FILE_CACHE:
        return _FILE_CACHE[key]
    data = read_mapping(path)
    _LOADING.append(resolved)
    try:
        lane_rate = data.pop("lane_rate", None)
        if lane_rate is not None:
            data.setdefault("lanes", {})
            if not isinstance(data["lanes"], dict) or "lane_rate" in data["lanes"]:
                raise ConfigError("lane_rate: given twice (top level and lanes.lane_rate); allowed: one of them")
            data["lanes"]["lane_rate"] = lane_rate
        cfg = link_config_from_mapping(data, origin=path.name)
        start = get_parameter_set(data.get("preset", "lightbundle"))  # cached by the call above
    finally:
        _LOADING.pop()
    base = cfg.parameter_set
    defaults = dict(base.defaults)
    for k in ("aggregate_rate", "reach", "target_ber"):
        if getattr(cfg, k) is not None:
            defaults[k] = getattr(cfg, k)
    sections = base.parameters.sections()
    ranges = {k: r for k, r in start.ranges.items()  # a value the file moved out of its range is now known
              if r.contains(getattr(sections[k.split(".")[0]], k.split(".", 1)[1]))}
    pset = dataclasses.replace(base, name=path.stem, title=f"{base.title} (from {path.name})", defaults=defaults,
                               ranges=ranges)
    _FILE_CACHE[key] = pset
    return pset


def get_parameter_set(name: str) -> ParameterSet:
    """The parameter set called ``name``, or read from the link file ``name`` (see the module docstring).

    Raises :class:`ParameterError` with the valid names (or :class:`ConfigError` naming the file's bad field).
    """
    if is_file_reference(name):
        return _file_set(name)
    _load_all()
    if name not in _BUILDERS:
        raise ParameterError("preset", name, "one of " + ", ".join(sorted(_BUILDERS)))
    if name not in _CACHE:
        from microlink.catalog.ranges import attach_ranges

        _CACHE[name] = attach_ranges(_BUILDERS[name]())
    return _CACHE[name]
