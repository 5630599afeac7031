"""Spaces of design points: a full grid, an explicit list, or a Latin hypercube.

A space maps a global point index ``0 .. n_points-1`` to the values of every swept input, and produces
any contiguous slice of points on its own (``points(start, stop)``), so that a chunk never needs the
rest of the sweep: memory is bounded by the chunk size, not by the sweep size.

* :class:`GridSpace`: the outer product of the axes, in C order (the last axis varies fastest);
  a point index is decoded with :func:`numpy.unravel_index`.
* :class:`ListSpace`: axes of equal length zipped together, one point per position.
* :class:`LatinHypercubeSpace`: a Latin hypercube over the axes' ranges, built with
  :class:`scipy.stats.qmc.LatinHypercube` and a recorded seed. Large designs are *sliced* (Qian, "Sliced
  Latin hypercube designs", JASA 107 (2012) 393): the points are cut into ``S`` slices of ``m`` points,
  each slice is itself a scipy Latin hypercube of ``m`` strata (seeded from the root seed and the slice
  index), and within coarse stratum ``j`` slice ``s`` takes the fine stratum ``j S + sigma_j(s)``, where
  ``sigma_j`` is a keyed pseudo-random permutation of the slices (a Feistel network with cycle walking,
  keyed from the same root seed). The union of the slices is then a Latin hypercube of ``S m`` strata,
  any slice can be generated alone, and the design depends on the seed and the point count only (not on
  the chunk size, the executor or the worker count). With at most :data:`LHS_SLICE_POINTS` points the
  design is exactly scipy's. When ``n`` is not a multiple of ``S`` the last slice is cut short, leaving
  fewer than ``S`` of the ``S m`` fine strata empty.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["LHS_SLICE_POINTS", "Axis", "GridSpace", "LatinHypercubeSpace", "ListSpace", "keyed_permutation"]

#: Largest Latin-hypercube slice generated at once [points].
LHS_SLICE_POINTS = 65536
#: Spawn keys of the root SeedSequence, one per use, so that no two uses share a stream.
SPAWN_LHS_SLICE = 0
SPAWN_LHS_PERMUTATION = 1
SPAWN_CHUNK = 2


@dataclass(frozen=True)
class Axis:
    """One swept input.

    Attributes
    ----------
    name : str
        Dotted input name (``"led.diameter"``).
    column : str
        Name of the column and of the xarray dimension (``"led_diameter"``).
    unit : str
        SI unit of the values ("" for categorical).
    kind : str
        ``"float"``, ``"int"``, ``"str"`` or ``"bool"``.
    values : tuple or None
        Explicit values in SI (grid, list, or a discrete Latin-hypercube axis).
    low, high : float or None
        Range of a continuous Latin-hypercube axis [unit].
    scale : str
        ``"linear"`` or ``"log"`` (Latin-hypercube ranges).
    """

    name: str
    column: str
    unit: str
    kind: str
    values: tuple | None = None
    low: float | None = None
    high: float | None = None
    scale: str = "linear"

    @property
    def dtype(self):
        return {"float": np.float64, "int": np.int64, "bool": np.bool_, "str": object}[self.kind]

    def array(self) -> np.ndarray:
        """The explicit values as an array of the axis dtype."""
        return np.array(self.values, dtype=self.dtype)

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Map uniform samples in ``[0, 1)`` onto the axis (Latin hypercube)."""
        if self.values is not None:
            idx = np.minimum((u * len(self.values)).astype(np.int64), len(self.values) - 1)
            return self.array()[idx]
        lo, hi = float(self.low), float(self.high)
        if self.kind == "int":
            span = round(hi) - round(lo) + 1
            return round(lo) + np.minimum((u * span).astype(np.int64), span - 1)
        if self.scale == "log":
            return np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo)))
        return lo + u * (hi - lo)

    def extremes(self) -> np.ndarray:
        """Smallest and largest value the axis can take (first and last option if categorical)."""
        if self.values is not None:
            arr = self.array()
            if self.kind in ("float", "int"):
                return np.array([arr.min(), arr.max()], dtype=self.dtype)
            return np.array([arr[0], arr[-1]], dtype=self.dtype)
        if self.kind == "int":
            return np.array([round(self.low), round(self.high)], dtype=np.int64)
        return np.array([self.low, self.high], dtype=float)


class _Space(abc.ABC):
    axes: tuple[Axis, ...]
    n_points: int
    sampling: str

    @abc.abstractmethod
    def points(self, start: int, stop: int) -> dict[str, np.ndarray]:  # pragma: no cover - abstract
        """Values of every axis for points ``start .. stop-1``, keyed by axis name."""

    def probe(self) -> dict[str, np.ndarray]:
        """A handful of points that touch every axis's extremes: first, last, all-low, all-high."""
        first = self.points(0, 1)
        last = self.points(self.n_points - 1, self.n_points)
        out = {}
        for ax in self.axes:
            ext = ax.extremes()
            out[ax.name] = np.concatenate([first[ax.name], last[ax.name], ext]).astype(ax.dtype)
        return out


class GridSpace(_Space):
    """Outer product of axes with explicit values (C order: the last axis varies fastest)."""

    sampling = "grid"

    def __init__(self, axes: tuple[Axis, ...]):
        self.axes = tuple(axes)
        self.shape = tuple(len(a.values) for a in self.axes)
        self.n_points = int(np.prod(self.shape, dtype=object))
        self._arrays = [a.array() for a in self.axes]

    @property
    def dims(self) -> tuple[str, ...]:
        return tuple(a.column for a in self.axes)

    def points(self, start: int, stop: int) -> dict[str, np.ndarray]:
        index = np.unravel_index(np.arange(start, stop, dtype=np.int64), self.shape)
        return {a.name: arr[i] for a, arr, i in zip(self.axes, self._arrays, index)}


class ListSpace(_Space):
    """Axes of equal length zipped: point ``i`` takes the ``i``-th value of every axis."""

    sampling = "list"

    def __init__(self, axes: tuple[Axis, ...]):
        self.axes = tuple(axes)
        self.n_points = len(self.axes[0].values)
        self._arrays = [a.array() for a in self.axes]

    def points(self, start: int, stop: int) -> dict[str, np.ndarray]:
        return {a.name: arr[start:stop] for a, arr in zip(self.axes, self._arrays)}


class LatinHypercubeSpace(_Space):
    """Sliced Latin hypercube of ``samples`` points over the axes (see module docstring)."""

    sampling = "lhs"

    def __init__(self, axes: tuple[Axis, ...], samples: int, seed: int):
        self.axes = tuple(axes)
        self.n_points = int(samples)
        self.seed = int(seed)
        self.n_slices = -(-self.n_points // LHS_SLICE_POINTS)
        self.slice_points = -(-self.n_points // self.n_slices)

    def unit_points(self, start: int, stop: int) -> np.ndarray:
        """Design points ``start .. stop-1`` in the unit cube, shape ``(stop - start, n_axes)``."""
        m = self.slice_points
        parts = []
        for s in range(start // m, (stop - 1) // m + 1):
            block = _lhs_slice(self.seed, self.n_slices, m, len(self.axes), s)
            lo, hi = max(start - s * m, 0), min(stop - s * m, m)
            parts.append(block[lo:hi])
        return np.concatenate(parts, axis=0) if parts else np.empty((0, len(self.axes)))

    def points(self, start: int, stop: int) -> dict[str, np.ndarray]:
        u = self.unit_points(start, stop)
        return {a.name: a.from_unit(u[:, k]) for k, a in enumerate(self.axes)}


@lru_cache(maxsize=4)
def _lhs_slice(seed: int, n_slices: int, m: int, d: int, s: int) -> np.ndarray:
    """Slice ``s`` of a sliced Latin hypercube (``m`` points, ``d`` dims) in the unit cube (read-only)."""
    from scipy.stats import qmc

    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(SPAWN_LHS_SLICE, s))))
    u = qmc.LatinHypercube(d, rng=rng).random(m)
    if n_slices == 1:
        out = u
    else:
        coarse = np.minimum(np.floor(u * m).astype(np.int64), m - 1)
        offset = u * m - coarse  # position inside the coarse stratum, [0, 1)
        out = np.empty_like(u)
        for k in range(d):
            keys = np.random.SeedSequence(seed, spawn_key=(SPAWN_LHS_PERMUTATION, k)).generate_state(4, np.uint64)
            fine = coarse[:, k] * n_slices + keyed_permutation(np.full(m, s, np.uint64),
                                                              coarse[:, k].astype(np.uint64), keys, n_slices)
            out[:, k] = (fine + offset[:, k]) / (n_slices * m)
    out.flags.writeable = False
    return out


_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on uint64 arrays (wrapping arithmetic)."""
    x = x.astype(np.uint64, copy=True)
    x ^= x >> np.uint64(30)
    x *= _MIX1
    x ^= x >> np.uint64(27)
    x *= _MIX2
    x ^= x >> np.uint64(31)
    return x


def keyed_permutation(x: np.ndarray, tweak: np.ndarray, keys: np.ndarray, size: int) -> np.ndarray:
    """``sigma_tweak(x)``: a keyed pseudo-random permutation of ``range(size)`` for every tweak (vectorised).

    A 4-round Feistel network on the smallest even number of bits covering ``size``, with cycle walking
    so that values stay below ``size``. For a fixed tweak and keys it is a bijection of ``range(size)``.
    """
    x = np.atleast_1d(np.asarray(x, dtype=np.uint64))
    tweak = np.broadcast_to(np.atleast_1d(np.asarray(tweak, dtype=np.uint64)), x.shape)
    if size <= 1:
        return np.zeros_like(x)
    half = max(1, (int(size - 1).bit_length() + 1) // 2)
    mask = np.uint64((1 << half) - 1)
    shift = np.uint64(half)
    round_keys = [_mix64(np.atleast_1d(tweak * _GOLDEN) ^ np.uint64(k)) for k in keys]

    def feistel(v, rk):
        left, right = v >> shift, v & mask
        for key in rk:
            left, right = right, left ^ (_mix64(right ^ key) & mask)
        return (left << shift) | right

    y = feistel(x, round_keys)
    bad = y >= np.uint64(size)
    while np.any(bad):
        y[bad] = feistel(y[bad], [k[bad] for k in round_keys])
        bad = y >= np.uint64(size)
    return y.astype(np.int64)


def space_summary(space: Any) -> str:
    """One line describing a space (``grid 10 x 20 x 5 = 1000 points``)."""
    if isinstance(space, GridSpace):
        return f"grid {' x '.join(str(s) for s in space.shape)} = {space.n_points:,} points"
    if isinstance(space, ListSpace):
        return f"list of {space.n_points:,} points"
    return f"Latin hypercube of {space.n_points:,} points (seed {space.seed})"
