"""Parameter objects whose every field carries a unit, an allowed range and a source.

A physics block's parameters are a frozen dataclass deriving from :class:`Parameters`. Each field is
declared with :func:`param`, which records

* ``unit``: the SI unit of the stored value (values are always stored in SI),
* ``bounds``: the closed interval of physically meaningful values,
* ``source``: where the default comes from (paper, datasheet, standard) or why it was assumed,
* ``display``: an optional (unit, scale) pair used only when printing,
* ``range``: optionally, the spread of credible values around the default (a :class:`Range`: low, high, a
  distribution and the source of the spread), used by :mod:`microlink.uncertainty` to propagate the
  uncertainty of the default. A range that leaves the field's bounds is an error when the field is declared.

Values may be scalars or NumPy arrays (for vectorised sweeps); they are checked element-wise on
construction, so a bad value fails at once with a :class:`~microlink.errors.ParameterError` naming the
field, never later as a NaN deep inside NumPy.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
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


#: Distributions a :class:`Range` may draw from (all truncated to ``[low, high]``).
DISTRIBUTIONS = ("uniform", "loguniform", "triangular")


@dataclass(frozen=True)
class Range:
    """The spread of credible values of one parameter, with where the spread comes from.

    Parameters
    ----------
    low, high : float
        Ends of the range, in the field's SI unit (``low <= high``; both finite).
    distribution : str
        One of :data:`DISTRIBUTIONS`: ``"uniform"`` (every value in the range equally credible),
        ``"loguniform"`` (uniform in the logarithm, for spreads of an order of magnitude or more; needs
        ``low > 0``), ``"triangular"`` (most credible at ``mode``).
    source : Source, optional
        The cited spread of published values, or an ``"assumption"`` with the reason for the range. None
        only where the field's own source already quotes the spread.
    group : str
        Fields of one draw that share a group name are drawn together from one quantile (rank correlation
        +1, or -1 with ``inverse``): e.g. the A, B and C coefficients of one LED wafer. Empty: independent.
    inverse : bool
        Within a group, the high end of this field goes with the low end of the others.
    mode : float, optional
        Most credible value of a triangular range (default: the middle of the range).
    """

    low: float
    high: float
    distribution: str = "uniform"
    source: Source | None = None
    group: str = ""
    inverse: bool = False
    mode: float | None = None

    def __post_init__(self):
        lo, hi = float(self.low), float(self.high)
        if not (np.isfinite(lo) and np.isfinite(hi)) or lo > hi:
            raise ParameterError("range", f"({self.low!r}, {self.high!r})", "finite (low, high) with low <= high")
        if self.distribution not in DISTRIBUTIONS:
            raise ParameterError("range.distribution", self.distribution, " | ".join(DISTRIBUTIONS))
        if self.distribution == "loguniform" and lo <= 0.0:
            raise ParameterError("range.low", self.low, "> 0 for a loguniform range")
        if self.mode is not None and not lo <= float(self.mode) <= hi:
            raise ParameterError("range.mode", self.mode, f"a value in [{lo:g}, {hi:g}]")
        object.__setattr__(self, "low", lo)
        object.__setattr__(self, "high", hi)

    @property
    def centre(self) -> float:
        """Median of the distribution [field unit]."""
        return float(self.ppf(0.5))

    @property
    def symmetric(self) -> bool:
        """True where the distribution is symmetric about the middle of the range (its median)."""
        return self.distribution == "uniform" or (
            self.distribution == "triangular" and (self.mode is None or self.mode == 0.5 * (self.low + self.high)))

    def ppf(self, quantile):
        """Value at a quantile in ``[0, 1]`` (inverse cumulative distribution) [1 -> field unit]; broadcasts."""
        u = np.clip(np.asarray(quantile, dtype=float), 0.0, 1.0)
        if self.inverse:
            u = 1.0 - u
        lo, hi = self.low, self.high
        if hi == lo:
            return np.full_like(u, lo)
        if self.distribution == "uniform":
            return lo + u * (hi - lo)
        if self.distribution == "loguniform":
            return np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo)))
        c = 0.5 * (lo + hi) if self.mode is None else float(self.mode)
        fc = (c - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (c - lo))
        right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - c))
        return np.where(u < fc, left, right)

    def check_within(self, name: str, bounds: tuple[float, float], unit: str = "", display=None) -> "Range":
        """Raise :class:`ParameterError` unless the whole range lies inside the field's ``bounds``."""
        lo, hi = bounds
        if self.low < lo or self.high > hi:
            scale, u = _shown_unit(unit, display)
            shown = f"({self.low / scale:g}, {self.high / scale:g}) {u}".strip()
            raise ParameterError(f"{name} range", shown, "inside the field's bounds " +
                                 _format_bounds(lo, hi, unit, display))
        return self

    def contains(self, value) -> bool:
        """True where every element of ``value`` lies in ``[low, high]``."""
        arr = np.asarray(value, dtype=float)
        return bool(np.all((arr >= self.low) & (arr <= self.high)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly description (SI)."""
        d: dict[str, Any] = {"low": self.low, "high": self.high, "distribution": self.distribution}
        if self.mode is not None:
            d["mode"] = self.mode
        if self.group:
            d["group"] = self.group
            d["inverse"] = self.inverse
        if self.source is not None:
            d["source"] = str(self.source)
        return d


def make_range(value, distribution: str = "uniform", source: Source | None = None) -> Range:
    """A :class:`Range` from a ``(low, high)`` pair or a :class:`Range` (returned unchanged)."""
    if isinstance(value, Range):
        return value
    try:
        low, high = value
    except (TypeError, ValueError):
        raise ParameterError("range", value, "a (low, high) pair or a Range") from None
    return Range(float(low), float(high), distribution, source)


def param(
    default: Any,
    *,
    unit: str,
    bounds: tuple[float, float],
    source: Source,
    display: tuple[str, float] | None = None,
    doc: str = "",
    range: tuple[float, float] | Range | None = None,  # noqa: A002 - the natural name of the spread
    distribution: str = "uniform",
    range_source: Source | None = None,
):
    """Declare a parameter field (see module docstring).

    ``bounds`` is inclusive; use ``float("inf")`` for an open upper end. ``display`` is
    ``(unit_text, scale)`` so that ``value / scale`` is shown in ``unit_text``. ``range`` is the spread of
    credible values of the default, ``(low, high)`` in SI with ``distribution`` (see :class:`Range`) and
    ``range_source`` (None: the field's ``source`` quotes the spread); it must lie inside ``bounds`` and
    contain the default, else :class:`ParameterError` is raised here, when the class is defined.
    """
    meta = {"unit": unit, "bounds": bounds, "source": source, "display": display, "doc": doc}
    if range is not None:
        spread = make_range(range, distribution, range_source)
        label = doc or "param"
        spread.check_within(label, bounds, unit, display)
        if np.ndim(default) == 0 and isinstance(default, (int, float)) and not spread.contains(default):
            raise ParameterError(f"{label} range", f"({spread.low:g}, {spread.high:g}) {unit}".strip(),
                                 f"a range containing the default {default:g} {unit}".strip())
        meta["range"] = spread
    return field(default=default, metadata=meta)


@functools.lru_cache(maxsize=None)
def numeric_fields(cls) -> tuple[str, ...]:
    """Names of the numeric (bounded) fields of a parameter class, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(cls) if "bounds" in f.metadata)


def field_ranges(cls) -> dict[str, Range]:
    """Ranges declared on the fields of a parameter class, keyed by field name."""
    return {f.name: f.metadata["range"] for f in dataclasses.fields(cls) if "range" in f.metadata}


def choice(default: str, *, options: tuple[str, ...], source: Source, doc: str = ""):
    """Declare a categorical parameter field with its allowed options."""
    return field(default=default, metadata={"options": options, "source": source, "doc": doc, "unit": ""})


def section(cls, **overrides):
    """Dataclass field whose default is a fresh ``cls(**overrides)`` parameter section (for composite
    link objects made of sections)."""
    return field(default_factory=lambda: cls(**overrides))


def _shown_unit(unit: str, display: tuple[str, float] | None) -> tuple[float, str]:
    """``(scale, unit)`` a value is printed in: the display unit if any; a dimensionless field prints none."""
    scale, u = (display[1], display[0]) if display else (1.0, unit)
    return scale, "" if u == "1" else u


def _format_bounds(lo: float, hi: float, unit: str, display: tuple[str, float] | None) -> str:
    scale, u = _shown_unit(unit, display)
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
        scale, shown_unit = _shown_unit(unit, display)
        raise ParameterError(
            name, f"{first / scale:g} {shown_unit}".strip(), _format_bounds(lo, hi, unit, display)
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

    def columns(self) -> "Parameters":
        """The section with every array-valued numeric field given a trailing axis (``[..., 1]``), so that the
        fields of a batch of design points broadcast against a frequency or time axis ``[..., F]``; the section
        itself when every field is a scalar. The values were validated when the section was built."""
        arrays = [(name, getattr(self, name)) for name in numeric_fields(type(self)) if np.ndim(getattr(self, name))]
        if not arrays:
            return self
        clone = copy.copy(self)
        for name, value in arrays:
            object.__setattr__(clone, name, np.asarray(value, dtype=float)[..., None])
        return clone

    def broadcast_shape(self) -> tuple[int, ...]:
        """Common broadcast shape of all numeric fields (``()`` for a scalar parameter set)."""
        shapes = {np.shape(getattr(self, name)) for name in numeric_fields(type(self))}
        shapes.discard(())
        if len(shapes) <= 1:  # the solvers ask this in their loops: skip broadcasting one shape with itself
            return shapes.pop() if shapes else ()
        return np.broadcast_shapes(*shapes)


def format_value(value: Any, meta: dict[str, Any]) -> str:
    """Human-readable value in the field's display unit."""
    if "options" in meta:
        return str(value)
    display = meta.get("display")
    scale, unit = _shown_unit(meta.get("unit", ""), display)
    arr = np.asarray(value, dtype=float) / scale
    if arr.ndim == 0:
        return f"{float(arr):.4g} {unit}".strip()
    return f"[{arr.min():.4g} .. {arr.max():.4g}] {unit} ({arr.size} values)".strip()
