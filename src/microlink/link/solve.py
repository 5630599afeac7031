"""Vectorised root finding for monotone link quantities (margin, maximum reach)."""

from __future__ import annotations

from typing import Callable

import numpy as np


def bisect_log(func: Callable[[np.ndarray], np.ndarray], low: float, high: float, shape, *,
               increasing: bool, rtol: float = 1e-6, max_iter: int = 80):
    """Solve ``func(x) = 0`` for ``x`` in ``[low, high]`` on a log scale, element-wise.

    ``func`` maps an array of shape ``shape`` to values of that shape and must be monotone in ``x`` for
    every element (``increasing`` tells which way). Elements with no sign change get ``low`` (if the
    root lies below the bracket) or ``high`` (above it); the returned flags say which.

    Returns
    -------
    x : ndarray
        Root [same unit as low/high].
    below, above : ndarray of bool
        True where the root lies outside the bracket on that side.
    """
    lo = np.full(shape, np.log(low))
    hi = np.full(shape, np.log(high))
    f_lo = func(np.exp(lo))
    f_hi = func(np.exp(hi))
    sign = 1.0 if increasing else -1.0
    below = sign * f_lo > 0  # already positive at the low end: root below bracket
    above = sign * f_hi < 0  # still negative at the high end: root above bracket
    tol = np.log1p(rtol)
    for _ in range(max_iter):
        mid = 0.5 * (lo + hi)
        f = sign * func(np.exp(mid))
        pos = f > 0
        hi = np.where(pos, mid, hi)
        lo = np.where(pos, lo, mid)
        if np.all(hi - lo < tol):
            break
    x = np.exp(0.5 * (lo + hi))
    x = np.where(below, low, np.where(above, high, x))
    return x, below, above
