"""Parameter objects whose every field carries a unit, an allowed range and a source.

A physics block's parameters are a frozen dataclass deriving from :class:`Parameters`. Each field is
declared with :func:`param`, which records

* ``unit``: the SI unit of the stored value (values are always stored in SI),
* ``bounds``: the closed interval of physically meaningful values,
* ``source``: where the default comes from (paper, datasheet, standard) or why it was assumed,
* ``display``: an optional (unit, scale) pair used only when printing.

Values may be scalars or NumPy arrays (for vectorised sweeps); they are checked element-wise on
construction, so a bad value fails at once with a :class:`~microlink.errors.ParameterError` naming the
field, never later as a NaN deep inside NumPy.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator

import numpy as np

from microlink.errors import ParameterError

#: Kinds of provenance a value may have (mirrors the tags of the reference data sheet).
SOURCE_KINDS = ("measured", "claim", "standard", "literature", "derived", "assumption")


@dataclass(frozen=True)
class Source:
    """Where a parameter value comes from.

    Parameters
    ----------
    citation : str
        Paper, datasheet or standard, specific enough to find the number.
    kind : str
        One of :data:`SOURCE_KINDS`. ``"assumption"`` must say why the value was chosen in ``note``.
    note : str
        Free text: how the value was derived, or the reasoning behind an assumption.
    """

    citation: str
    kind: str = "literature"
    note: str = ""

    def __post_init__(self):
        if self.kind not in SOURCE_KINDS:
            raise ParameterError("source.kind", self.kind, ", ".join(SOURCE_KINDS))
        if self.kind == "assumption" and not self.note:
            raise ParameterError("source.note", self.note, "a reason for every assumption")

    def __str__(self) -> str:
        text = f"{self.citation} [{self.kind}]"
        return f"{text} -- {self.note}" if self.note else text


def param(
    default: Any,
    *,
    unit: str,
    bounds: tuple[float, float],
    source: Source,
    display: tuple[str, float] | None = None,
    doc: str = "",
):
    """Declare a parameter field (see module docstring).

    ``bounds`` is inclusive; use ``float("inf")`` for an open upper end. ``display`` is
    ``(unit_text, scale)`` so that ``value / scale`` is shown in ``unit_text``.
    """
    return field(
        default=default,
        metadata={"unit": unit, "bounds": bounds, "source": source, "display": display, "doc": doc},
    )


def choice(default: str, *, options: tuple[str, ...], source: Source, doc: str = ""):
    """Declare a categorical parameter field with its allowed options."""
    return field(default=default, metadata={"options": options, "source": source, "doc": doc, "unit": ""})


def section(cls, **overrides):
    """Dataclass field whose default is a fresh ``cls(**overrides)`` parameter section (for composite
    link objects made of sections)."""
    return field(default_factory=lambda: cls(**overrides))


def _format_bounds(lo: float, hi: float, unit: str, display: tuple[str, float] | None) -> str:
    scale, u = (display[1], display[0]) if display else (1.0, unit)
    lo_s = f"{lo / scale:g}"
    hi_s = "inf" if np.isinf(hi) else f"{hi / scale:g}"
    return f"{lo_s} .. {hi_s} {u}".strip()


def check_range(name: str, value, lo: float, hi: float, unit: str = "", display=None):
    """Raise :class:`ParameterError` unless every element of ``value`` is finite and in ``[lo, hi]``.

    Returns the value as given (scalars stay scalars) so that it can be used inline.
    """
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise ParameterError(name, value, f"a number in {_format_bounds(lo, hi, unit, display)}")
    arr = arr.astype(float, copy=False)
    bad = ~np.isfinite(arr) | (arr < lo) | (arr > hi)
    if np.any(bad):
        first = arr[bad].flat[0] if arr.ndim else float(arr)
        shown = first / display[1] if display else first
        shown_unit = display[0] if display else unit
        raise ParameterError(
            name, f"{shown:g} {shown_unit}".strip(), _format_bounds(lo, hi, unit, display)
        )
    return value


@dataclass(frozen=True, eq=False)
class Parameters:
    """Base class of every parameter object. Subclasses are frozen dataclasses of :func:`param` fields."""

    #: Short name used as the section key in config files and in dotted field names.
    section: ClassVar[str] = ""

    def __post_init__(self):
        for f in dataclasses.fields(self):
            meta = f.metadata
            value = getattr(self, f.name)
            name = f"{self.section}.{f.name}" if self.section else f.name
            if "options" in meta:
                if value not in meta["options"]:
                    raise ParameterError(name, value, " | ".join(meta["options"]))
            elif "bounds" in meta:
                lo, hi = meta["bounds"]
                check_range(name, value, lo, hi, meta["unit"], meta["display"])

    def replace(self, **changes) -> "Parameters":
        """A copy with some fields changed (validated again)."""
        names = {f.name for f in dataclasses.fields(self)}
        for key in changes:
            if key not in names:
                raise ParameterError(
                    f"{self.section}.{key}" if self.section else key, changes[key],
                    "one of " + ", ".join(sorted(names)),
                )
        return dataclasses.replace(self, **changes)

    @classmethod
    def field_info(cls) -> dict[str, dict[str, Any]]:
        """Unit, bounds, source and display of every field, keyed by field name."""
        return {f.name: dict(f.metadata) for f in dataclasses.fields(cls)}

    def items(self) -> Iterator[tuple[str, Any, dict[str, Any]]]:
        """Yield ``(name, value, metadata)`` for each field."""
        for f in dataclasses.fields(self):
            yield f.name, getattr(self, f.name), dict(f.metadata)

    def to_dict(self) -> dict[str, Any]:
        """Field values in SI (arrays converted to lists)."""
        out = {}
        for name, value, _ in self.items():
            out[name] = value.tolist() if isinstance(value, np.ndarray) else value
        return out

    def broadcast_shape(self) -> tuple[int, ...]:
        """Common broadcast shape of all numeric fields (``()`` for a scalar parameter set)."""
        shapes = [np.shape(v) for _, v, m in self.items() if "bounds" in m]
        return np.broadcast_shapes(*shapes) if shapes else ()


def format_value(value: Any, meta: dict[str, Any]) -> str:
    """Human-readable value in the field's display unit."""
    if "options" in meta:
        return str(value)
    display = meta.get("display")
    scale, unit = (display[1], display[0]) if display else (1.0, meta.get("unit", ""))
    arr = np.asarray(value, dtype=float) / scale
    if arr.ndim == 0:
        return f"{float(arr):.4g} {unit}".strip()
    return f"[{arr.min():.4g} .. {arr.max():.4g}] {unit} ({arr.size} values)".strip()
