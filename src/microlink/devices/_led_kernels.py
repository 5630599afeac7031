"""Compiled time stepping of the micro-LED carrier rate equation (Numba).

The kernel is :func:`microlink.devices.led_dynamics.rk4_lockstep` compiled as written (no fast math): each
design point is integrated with its own step and the same arithmetic, so its waveform does not depend on the
batch it is evaluated in, and the interpreted function (the ``numpy`` engine) gives bitwise the same result.
Compiled functions are cached on disk after the first call.
"""

from __future__ import annotations

import numba
import numpy as np

from microlink.devices.led_dynamics import rk4_lockstep

#: See :func:`microlink.devices.led_dynamics.rk4_lockstep` (time-major, rows sharing a step count).
rk4_side_by_side = numba.njit(cache=True)(rk4_lockstep)


@numba.njit(cache=True, error_model="numpy")  # a division by zero gives inf or NaN, as in NumPy
def drive_response_kernel(spec_re, spec_im, cos_a, sin_a, freq, pre, bias, depth, n_samples, zero, swing, normalise,
                          rate, poles):  # pragma: no cover - compiled
    """Transform of the NRZ drive through the LED's poles, ``[N, F]`` complex, as
    :func:`microlink.devices.led_dynamics.filtered_drive_spectrum` computes it in NumPy, the same real
    operations in the same order (so bitwise the same spectrum, whatever the batch).

    spec_re, spec_im [F]: ``rfft`` of the held symbols ``2 b - 1``; cos_a, sin_a [F]: the one-symbol delay's
    ``cos``/``sin`` per bin; freq [F]: bin frequencies [1/UI]; pre, bias, depth [N]: driver settings;
    n_samples: samples of the pattern; zero, swing [N]: with ``normalise``, the transform of
    ``(i - zero) / swing`` instead of ``i``; rate [N] [1/s, symbols]; poles [P, N] [Hz].
    """
    n_f = spec_re.shape[0]
    n_pts = rate.shape[0]
    out = np.empty((n_pts, n_f), dtype=np.complex128)
    for i in range(n_pts):
        a = pre[i]
        k = depth[i] * bias[i] / (1.0 + a)
        for j in range(n_f):
            qr = 1.0 - a * cos_a[j]
            qi = a * sin_a[j]
            re = spec_re[j] * qr - spec_im[j] * qi
            im = spec_re[j] * qi + spec_im[j] * qr
            re = k * re
            im = k * im
            if j == 0:
                re = re + bias[i] * n_samples
            if normalise:
                if j == 0:
                    re = re - zero[i] * n_samples
                re = re / swing[i]
                im = im / swing[i]
            f = freq[j] * rate[i]
            pr = 1.0
            pi_ = 0.0
            for p in range(poles.shape[0]):
                u = f / poles[p, i]
                pr, pi_ = pr - pi_ * u, pi_ + pr * u
            mag2 = pr * pr + pi_ * pi_
            hr = pr / mag2
            hi = -pi_ / mag2
            out[i, j] = complex(re * hr - im * hi, re * hi + im * hr)
    return out
