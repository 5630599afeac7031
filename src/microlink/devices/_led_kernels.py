"""Compiled time stepping of the micro-LED carrier rate equation (Numba), one design point at a time.

The kernels are :func:`microlink.devices.led_dynamics.rk4_rows` and :func:`~microlink.devices.led_dynamics.rk4_lockstep`
compiled as written (no fast math): each point is integrated with its own step and the same arithmetic, so its
waveform does not depend on the batch it is evaluated in, and the interpreted function (the ``numpy`` engine)
gives bitwise the same result. Compiled functions are
cached on disk after the first call.
"""

from __future__ import annotations

import numba

from microlink.devices.led_dynamics import rk4_lockstep, rk4_rows

#: See :func:`microlink.devices.led_dynamics.rk4_rows` (rows are design points, columns samples).
rk4_periodic = numba.njit(cache=True)(rk4_rows)
#: See :func:`microlink.devices.led_dynamics.rk4_lockstep` (time-major, rows sharing a step count).
rk4_side_by_side = numba.njit(cache=True)(rk4_lockstep)
