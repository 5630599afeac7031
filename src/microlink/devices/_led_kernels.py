"""Compiled time stepping of the micro-LED carrier rate equation (Numba), one design point at a time.

Each point is integrated with its own step in its own loop, so its waveform does not depend on the batch it is
evaluated in. Compiled functions are cached on disk after the first call.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _rate(n, a, b, c):  # pragma: no cover - compiled
    return n * (a + n * (b + n * c))


@numba.njit(cache=True)
def rk4_periodic(g, a, b, c, h, n0, sub, periods):  # pragma: no cover - compiled
    """See :func:`microlink.devices.led_dynamics._rk4_periodic` (rows are design points, columns samples)."""
    rows, m = g.shape
    out = np.empty((rows, m))
    for r in range(rows):
        ar, br, cr, hr, steps = a[r], b[r], c[r], h[r], sub[r]
        n = n0[r]
        for period in range(periods):
            for k in range(m):
                g0 = g[r, k]
                g1 = g[r, (k + 1) % m]
                for s in range(steps):
                    ga = g0 + (g1 - g0) * (s / steps)
                    gm = g0 + (g1 - g0) * ((s + 0.5) / steps)
                    gb = g0 + (g1 - g0) * ((s + 1.0) / steps)
                    k1 = ga - _rate(n, ar, br, cr)
                    k2 = gm - _rate(n + 0.5 * hr * k1, ar, br, cr)
                    k3 = gm - _rate(n + 0.5 * hr * k2, ar, br, cr)
                    k4 = gb - _rate(n + hr * k3, ar, br, cr)
                    n = n + hr / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
                if period == periods - 1:
                    out[r, k] = n
    return out
