"""Cable-length distributions of a link class, reduced to a few equal-probability bins.

A link class holds thousands to millions of cables whose lengths follow a distribution. The rack layer
never loops over cables: it evaluates each technology once on the bin lengths of every class (one
vectorised :func:`~microlink.link.chain.evaluate_link` call) and weights the results by the bin
probabilities. Every distribution is bounded (``min`` .. ``max``), so that feasibility can be judged at
the longest cable, not only at the bin centres.

Kinds and their fields (all lengths in metres):

==============  ============================================  ==========================================
kind            fields                                        meaning
==============  ============================================  ==========================================
``fixed``       ``value``                                     every cable has the same length
``uniform``     ``min``, ``max``                              flat between the bounds
``triangular``  ``min``, ``mode``, ``max``                    rises to ``mode`` and falls to ``max``
``normal``      ``mean``, ``std``, ``min``, ``max``           Gaussian truncated to the bounds
``lognormal``   ``median``, ``sigma``, ``min``, ``max``       log-normal (``sigma`` of ln L) truncated
``empirical``   ``lengths``, ``weights`` (optional)           a histogram: cable lengths and their shares
==============  ============================================  ==========================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from microlink.errors import ParameterError

#: Fields each kind needs (``empirical`` is handled on its own).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "fixed": ("value",),
    "uniform": ("min", "max"),
    "triangular": ("min", "mode", "max"),
    "normal": ("mean", "std", "min", "max"),
    "lognormal": ("median", "sigma", "min", "max"),
    "empirical": ("lengths",),
}
#: Bounds of any cable length [m]: 1 mm (a trace on a midplane) to 10 km.
LENGTH_BOUNDS = (1e-3, 1e4)
#: Default number of equal-probability bins per class (each costs one link-model point per technology).
DEFAULT_BINS = 4
#: Points of the fine quantile grid used for the mean of continuous distributions.
_MEAN_GRID = 4096


@dataclass(frozen=True)
class LengthDistribution:
    """A bounded distribution of cable lengths [m].

    Attributes
    ----------
    kind : str
        One of :data:`KIND_FIELDS`.
    parameters : dict[str, float]
        The kind's fields in SI (metres; ``sigma`` dimensionless).
    lengths, weights : tuple of float
        Histogram of an ``empirical`` distribution (weights normalised to 1); empty otherwise.
    """

    kind: str
    parameters: Mapping[str, float] = field(default_factory=dict)
    lengths: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()

    def __post_init__(self):
        if self.kind not in KIND_FIELDS:
            raise ParameterError("length.kind", self.kind, " | ".join(KIND_FIELDS))
        if self.kind == "empirical":
            lengths = np.asarray(self.lengths, dtype=float)
            if lengths.ndim != 1 or lengths.size == 0:
                raise ParameterError("length.lengths", self.lengths, "a non-empty list of lengths")
            _check_length("length.lengths", lengths)
            weights = np.ones_like(lengths) if not self.weights else np.asarray(self.weights, dtype=float)
            if weights.shape != lengths.shape:
                raise ParameterError("length.weights", list(self.weights), f"{lengths.size} weights, one per length")
            if np.any(~np.isfinite(weights)) or np.any(weights < 0) or weights.sum() <= 0:
                raise ParameterError("length.weights", list(self.weights), "non-negative numbers with a positive sum")
            order = np.argsort(lengths)
            object.__setattr__(self, "lengths", tuple(lengths[order].tolist()))
            object.__setattr__(self, "weights", tuple((weights[order] / weights.sum()).tolist()))
            return
        extra = sorted(set(self.parameters) - set(KIND_FIELDS[self.kind]))
        if extra:
            raise ParameterError(f"length.{extra[0]}", self.parameters[extra[0]],
                                 f"'{self.kind}' takes only {', '.join(KIND_FIELDS[self.kind])}")
        missing = [k for k in KIND_FIELDS[self.kind] if k not in self.parameters]
        if missing:
            raise ParameterError(f"length.{missing[0]}", None, f"'{self.kind}' needs {', '.join(KIND_FIELDS[self.kind])}")
        p = dict(self.parameters)
        for key, value in p.items():
            if key == "sigma":
                if not (np.isfinite(value) and 0 < value <= 5):
                    raise ParameterError("length.sigma", value, "0 < sigma <= 5 (of ln length)")
            elif key == "std":
                if not (np.isfinite(value) and value > 0):
                    raise ParameterError("length.std", value, "a positive length")
            else:
                _check_length(f"length.{key}", value)
        if self.kind != "fixed" and not p["min"] < p["max"]:
            raise ParameterError("length.max", p["max"], f"greater than min = {p['min']:g} m")
        centre = {"triangular": "mode", "normal": "mean", "lognormal": "median"}.get(self.kind)
        if centre and not p["min"] <= p[centre] <= p["max"]:
            raise ParameterError(f"length.{centre}", p[centre], f"{p['min']:g} .. {p['max']:g} m (min .. max)")

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> LengthDistribution:
        """Build from ``{"kind": ..., <fields in metres>}`` (numbers already in SI)."""
        data = dict(data)
        kind = data.pop("kind", None)
        if kind == "empirical":
            return cls(kind, lengths=tuple(data.pop("lengths", ())), weights=tuple(data.pop("weights", ())))
        return cls(str(kind), parameters={k: float(v) for k, v in data.items()})

    # ------------------------------------------------------------------ quantiles
    def _frozen(self) -> _Shape:
        p = self.parameters
        if self.kind == "uniform":
            return _Shape("uniform", p["min"], p["max"] - p["min"])
        if self.kind == "triangular":
            width = p["max"] - p["min"]
            return _Shape("triangular", p["min"], width, (p["mode"] - p["min"]) / width)
        if self.kind == "normal":
            return _Shape("normal", p["mean"], p["std"])
        return _Shape("lognormal", p["median"], p["sigma"])

    def quantile(self, probability) -> np.ndarray:
        """Length below which a share ``probability`` of the cables lies [1 -> m]."""
        u = np.asarray(probability, dtype=float)
        if np.any((u < 0) | (u > 1)):
            raise ParameterError("probability", float(np.max(np.abs(u))), "0 .. 1")
        if self.kind == "fixed":
            return np.full(u.shape, self.parameters["value"])
        if self.kind == "empirical":
            cum = np.cumsum(self.weights)
            idx = np.searchsorted(cum, u * cum[-1], side="left")
            return np.asarray(self.lengths)[np.clip(idx, 0, len(self.lengths) - 1)]
        dist = self._frozen()
        lo, hi = dist.cdf(self.parameters["min"]), dist.cdf(self.parameters["max"])
        out = dist.ppf(lo + u * (hi - lo))
        return np.clip(out, self.parameters["min"], self.parameters["max"])

    def cdf(self, length) -> np.ndarray:
        """Share of the cables no longer than ``length`` [m -> 1]."""
        x = np.asarray(length, dtype=float)
        if self.kind == "fixed":
            return (x >= self.parameters["value"]).astype(float)
        if self.kind == "empirical":
            cum = np.concatenate([[0.0], np.cumsum(self.weights)])
            return cum[np.searchsorted(np.asarray(self.lengths), x, side="right")]
        dist = self._frozen()
        lo, hi = dist.cdf(self.parameters["min"]), dist.cdf(self.parameters["max"])
        return np.clip((dist.cdf(x) - lo) / (hi - lo), 0.0, 1.0)

    def bins(self, count: int = DEFAULT_BINS) -> tuple[np.ndarray, np.ndarray]:
        """Representative lengths [m] and probabilities [1] of ``count`` equal-probability bins.

        Each bin is represented by its median length. An ``empirical`` histogram with no more than
        ``count`` entries is returned as it is; a ``fixed`` length gives one bin.
        """
        if count < 1:
            raise ParameterError("bins", count, ">= 1")
        if self.kind == "fixed":
            return np.array([self.parameters["value"]]), np.array([1.0])
        if self.kind == "empirical" and len(self.lengths) <= count:
            return np.asarray(self.lengths), np.asarray(self.weights)
        mid = (np.arange(count) + 0.5) / count
        return self.quantile(mid), np.full(count, 1.0 / count)

    @property
    def minimum(self) -> float:
        """Shortest cable [m]."""
        if self.kind == "fixed":
            return float(self.parameters["value"])
        if self.kind == "empirical":
            return float(self.lengths[0])
        return float(self.parameters["min"])

    @property
    def maximum(self) -> float:
        """Longest cable [m]; feasibility is always checked here."""
        if self.kind == "fixed":
            return float(self.parameters["value"])
        if self.kind == "empirical":
            return float(self.lengths[-1])
        return float(self.parameters["max"])

    @property
    def mean(self) -> float:
        """Mean cable length [m] (exact for fixed/empirical, a 4096-point quantile average otherwise)."""
        if self.kind == "fixed":
            return float(self.parameters["value"])
        if self.kind == "empirical":
            return float(np.dot(self.lengths, self.weights))
        return float(np.mean(self.quantile((np.arange(_MEAN_GRID) + 0.5) / _MEAN_GRID)))

    def describe(self) -> str:
        """Short text, e.g. ``"triangular 0.3/0.55/1.2 m (mean 0.68 m)"``."""
        if self.kind == "fixed":
            return f"fixed {self.maximum:g} m"
        if self.kind == "empirical":
            return f"empirical {self.minimum:g}..{self.maximum:g} m (mean {self.mean:.3g} m)"
        body = "/".join(f"{self.parameters[k]:g}" for k in KIND_FIELDS[self.kind] if k != "sigma")
        return f"{self.kind} {body} m (mean {self.mean:.3g} m)"

    def to_dict(self) -> dict:
        if self.kind == "empirical":
            return {"kind": self.kind, "lengths": list(self.lengths), "weights": list(self.weights)}
        return {"kind": self.kind, **dict(self.parameters)}


@dataclass(frozen=True)
class _Shape:
    """Closed-form CDF and quantile of the untruncated shapes (``scipy.special`` only, no ``scipy.stats``).

    uniform: ``loc`` = min, ``scale`` = width; triangular: also ``c`` = (mode - min) / width; normal:
    ``loc`` = mean, ``scale`` = std; lognormal: ``loc`` = median, ``scale`` = sigma of log(length) [m or 1].
    """

    kind: str
    loc: float
    scale: float
    c: float = 0.5

    def cdf(self, x):
        x = np.asarray(x, dtype=float)
        if self.kind == "normal":
            return special.ndtr((x - self.loc) / self.scale)
        if self.kind == "lognormal":
            with np.errstate(divide="ignore"):
                z = np.log(np.maximum(x, 0.0) / self.loc) / self.scale
            return special.ndtr(z)
        z = np.clip((x - self.loc) / self.scale, 0.0, 1.0)
        if self.kind == "uniform":
            return z
        c = self.c
        with np.errstate(divide="ignore", invalid="ignore"):
            rising = np.where(c > 0, z * z / c, 0.0)
            falling = np.where(c < 1, 1.0 - (1.0 - z) ** 2 / (1.0 - c), 1.0)
        return np.where(z <= c, rising, falling)

    def ppf(self, u):
        u = np.asarray(u, dtype=float)
        if self.kind == "normal":
            return self.loc + self.scale * special.ndtri(u)
        if self.kind == "lognormal":
            return self.loc * np.exp(self.scale * special.ndtri(u))
        if self.kind == "uniform":
            return self.loc + self.scale * u
        c = self.c
        z = np.where(u < c, np.sqrt(u * c), 1.0 - np.sqrt((1.0 - u) * (1.0 - c)))
        return self.loc + self.scale * z


def _check_length(name: str, value) -> None:
    arr = np.asarray(value, dtype=float)
    lo, hi = LENGTH_BOUNDS
    bad = ~np.isfinite(arr) | (arr < lo) | (arr > hi)
    if np.any(bad):
        first = float(arr[bad].flat[0]) if arr.ndim else float(arr)
        raise ParameterError(name, f"{first:g} m", f"{lo:g} .. {hi:g} m")
