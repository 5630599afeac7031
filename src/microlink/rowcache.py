"""A bounded memo of a pure function of float rows, one design point a row.

The micro-LED's large-signal penalty and the imaging fiber's mode-averaged coupling do not depend on the
length, yet the reach and margin solvers ask for them again at every length they try. :class:`RowCache` keeps
each distinct row's value, keyed by the row's bytes (and a tag for whatever else the value depends on), and
computes only the rows it has not seen. Every row is computed on its own arithmetic, so a value never depends
on the batch it was computed in or on what was asked before.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["RowCache"]


class RowCache:
    """Values of distinct float rows, at most ``size`` of them (emptied when a call would overflow it).

    Each call answers from its own values: a row found in the cache is read once, before any clearing, so
    neither an overflow in the same call nor another thread's clearing loses it.
    """

    def __init__(self, size: int):
        self.size = int(size)
        self._values: dict = {}

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        self._values.clear()

    def lookup(self, table, compute: Callable[[np.ndarray], np.ndarray], tag: tuple = ()) -> np.ndarray:
        """The value of every row of ``table [N, K]`` [N]; ``compute(rows [M, K]) -> [M]`` is called once, on the
        distinct rows not yet kept (in their order of first appearance), and never with none."""
        table = np.ascontiguousarray(table, dtype=float)
        keys = [(row.tobytes(), *tag) for row in table]
        found, missing = {}, {}
        for i, key in enumerate(keys):
            if key in found or key in missing:
                continue
            value = self._values.get(key)
            if value is None:
                missing[key] = i
            else:
                found[key] = value
        if missing:
            values = np.asarray(compute(table[list(missing.values())]), dtype=float).reshape(-1)
            computed = dict(zip(missing, values.tolist()))
            found.update(computed)
            if len(self._values) + len(computed) > self.size:
                self._values.clear()
            self._values.update(computed)
        return np.array([found[key] for key in keys], dtype=float)
