"""Compiled time stepping of the micro-LED carrier rate equation (Numba).

The kernel is :func:`microlink.devices.led_dynamics.rk4_lockstep` compiled as written (no fast math): each
design point is integrated with its own step and the same arithmetic, so its waveform does not depend on the
batch it is evaluated in, and the interpreted function (the ``numpy`` engine) gives bitwise the same result.
Compiled functions are cached on disk after the first call.
"""

from __future__ import annotations

import numba

from microlink.devices.led_dynamics import rk4_lockstep

#: See :func:`microlink.devices.led_dynamics.rk4_lockstep` (time-major, rows sharing a step count).
rk4_side_by_side = numba.njit(cache=True)(rk4_lockstep)
