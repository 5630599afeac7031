"""Pareto fronts over any objectives, each minimised or maximised, without O(n^2) Python loops.

A point is on the front when no other point is at least as good in every objective and strictly better
in one. Points whose objective vectors are identical do not dominate each other: all of them are kept.
Rows with a NaN objective are never on the front (``inf`` is an ordinary, very bad or very good value).

Algorithms (maximised objectives are negated first, so everything is minimised):

* 1 objective: the minimum (all ties).
* 2 objectives: sort-based, O(n log n). Distinct vectors sorted lexicographically; a vector is on the
  front iff its second objective is below the running minimum of the second objective over all vectors
  before it (Kung, Luccio & Preparata, J. ACM 22 (1975) 469).
* k >= 3 objectives: chunked NumPy dominance filter. Distinct vectors sorted lexicographically can only
  be dominated by vectors before them, so blocks are taken in order and each block is tested, as one
  broadcast comparison per slice of the front found so far, against that front and against itself; the
  surviving vectors join the front. Memory per comparison is bounded by ``max_elements``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from microlink.errors import ConfigError

__all__ = ["dominance_mask_bruteforce", "pareto_front", "pareto_mask"]


def _oriented(values: np.ndarray, senses: Sequence[str] | None) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if v.ndim == 1:
        v = v[:, None]
    if v.ndim != 2:
        raise ConfigError(f"pareto: objective values must be a 2-D array (points x objectives), got shape {v.shape}")
    if senses is None:
        return v.copy()
    if len(senses) != v.shape[1]:
        raise ConfigError(f"pareto: {len(senses)} senses for {v.shape[1]} objectives")
    sign = np.array([{"min": 1.0, "max": -1.0}[s] for s in senses])
    return v * sign


def pareto_mask(values, senses: Sequence[str] | None = None, *, block_size: int = 2048,
                max_elements: int = 1 << 24) -> np.ndarray:
    """Boolean mask of the non-dominated rows of ``values`` (shape ``(n, k)``).

    Parameters
    ----------
    values : array_like
        Objective values, one row per point.
    senses : sequence of {"min", "max"}, optional
        Direction of each objective (default: all minimised).
    block_size : int
        Rows tested at once by the k >= 3 filter.
    max_elements : int
        Largest boolean array one comparison may allocate (k >= 3).
    """
    v = _oriented(values, senses)
    n, k = v.shape
    mask = np.zeros(n, dtype=bool)
    valid = ~np.isnan(v).any(axis=1)
    if not valid.any():
        return mask
    idx_valid = np.flatnonzero(valid)
    vv = v[valid]
    if k == 1:
        mask[idx_valid[vv[:, 0] == vv[:, 0].min()]] = True
        return mask
    uniq, inverse = _unique_rows(vv)
    if k == 2:
        front_u = _front_2d(uniq)
    else:
        front_u = _front_kd(uniq, block_size, max_elements)
    mask[idx_valid[front_u[inverse]]] = True
    return mask


def _unique_rows(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows sorted lexicographically, and the index of each input row among them."""
    order = np.lexsort(v.T[::-1])
    s = v[order]
    new = np.ones(len(s), dtype=bool)
    new[1:] = (s[1:] != s[:-1]).any(axis=1)
    group = np.cumsum(new) - 1
    inverse = np.empty(len(v), dtype=np.int64)
    inverse[order] = group
    return s[new], inverse


def _front_2d(u: np.ndarray) -> np.ndarray:
    """Non-dominated rows of distinct, lexicographically sorted 2-D vectors."""
    second = u[:, 1]
    keep = np.ones(len(second), dtype=bool)
    if len(second) > 1:
        keep[1:] = second[1:] < np.minimum.accumulate(second)[:-1]
    return keep


def _front_kd(u: np.ndarray, block_size: int, max_elements: int) -> np.ndarray:
    """Non-dominated rows of distinct, lexicographically sorted k-D vectors (chunked broadcasting)."""
    n, k = u.shape
    keep = np.zeros(n, dtype=bool)
    front = np.empty((0, k))
    for start in range(0, n, block_size):
        block = u[start:start + block_size]
        alive = np.arange(len(block))
        # 1. against the front found so far, in slices that keep each comparison below max_elements
        f0 = 0
        while f0 < len(front) and len(alive):
            step = max(1, max_elements // (len(alive) * k))
            f = front[f0:f0 + step]
            dominated = (f[:, None, :] <= block[alive][None, :, :]).all(axis=2).any(axis=0)
            alive = alive[~dominated]
            f0 += step
        # 2. among the block's survivors: rows are distinct, so "all <=" from another row means dominance
        if len(alive) > 1:
            cand = block[alive]
            dominated = np.zeros(len(alive), dtype=bool)
            step = max(1, max_elements // max(1, len(alive) * k))
            for c0 in range(0, len(alive), step):
                le = (cand[c0:c0 + step, None, :] <= cand[None, :, :]).all(axis=2)
                rows = np.arange(c0, min(c0 + step, len(alive)))
                le[rows - c0, rows] = False
                dominated |= le.any(axis=0)
            alive = alive[~dominated]
        keep[start + alive] = True
        front = np.concatenate([front, block[alive]])
    return keep


def dominance_mask_bruteforce(values, senses: Sequence[str] | None = None) -> np.ndarray:
    """Reference O(n^2 k) implementation by full broadcasting (for tests on small inputs)."""
    v = _oriented(values, senses)
    valid = ~np.isnan(v).any(axis=1)
    w = v[valid]
    le = (w[:, None, :] <= w[None, :, :]).all(axis=2)
    lt = (w[:, None, :] < w[None, :, :]).any(axis=2)
    dominated = (le & lt).any(axis=0)
    out = np.zeros(len(v), dtype=bool)
    out[np.flatnonzero(valid)[~dominated]] = True
    return out


def pareto_front(columns: Mapping[str, np.ndarray], objectives: Sequence[tuple[str, str]]) -> np.ndarray:
    """Indices of the Pareto-optimal rows of ``columns``, sorted by the first objective (best first).

    ``columns`` maps names to equal-length arrays (a dict of arrays, a DataFrame or an
    :class:`xarray.Dataset` flattened by the caller); ``objectives`` is ``[(name, "min" | "max"), ...]``.
    """
    if not objectives:
        raise ConfigError("pareto: no objectives; give e.g. energy_per_bit_pj:min,cost_usd:min")
    for name, sense in objectives:
        if name not in columns:
            raise ConfigError(f"pareto: unknown column {name!r}; allowed: {', '.join(sorted(columns))}")
        if sense not in ("min", "max"):
            raise ConfigError(f"pareto: {name} sense {sense!r}; allowed: min | max")
    values = np.column_stack([np.asarray(columns[name], dtype=float) for name, _ in objectives])
    senses = [s for _, s in objectives]
    idx = np.flatnonzero(pareto_mask(values, senses))
    first = values[idx, 0] * (1.0 if senses[0] == "min" else -1.0)
    return idx[np.argsort(first, kind="stable")]
