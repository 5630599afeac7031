"""Named, cited parameter sets: one per published device, link or system.

Each :class:`ParameterSet` holds a complete link parameter object whose every field carries its source
(the field's own default citation, or the override recorded in ``ParameterSet.sources``).
``microlink catalog`` lists them; ``microlink catalog NAME`` shows every value with its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


def get_parameter_set(name: str) -> ParameterSet:
    """The parameter set called ``name`` (raises :class:`ParameterError` with the valid names)."""
    _load_all()
    if name not in _BUILDERS:
        raise ParameterError("preset", name, "one of " + ", ".join(sorted(_BUILDERS)))
    if name not in _CACHE:
        from microlink.catalog.ranges import attach_ranges

        _CACHE[name] = attach_ranges(_BUILDERS[name]())
    return _CACHE[name]
