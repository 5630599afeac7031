"""Compiled inner loops (Numba) for the two hot spots of link evaluation over many design points.

Each kernel is a plain loop over design points and frequencies (or sign patterns) that NumPy would
otherwise evaluate through many full-size temporaries. Results equal the NumPy expressions to rounding.
Compiled functions are cached on disk after the first call.
"""

from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(cache=True, fastmath=False)
def cascade_response_kernel(nu, poles, butter, sigma, delay):  # pragma: no cover - compiled
    """``H[i, k]`` of poles x Butterworth sections x Gaussian x delay (see ``pulse.cascade_response``).

    nu [F] must be the uniform grid ``k * dnu`` (as from ``rfftfreq``); poles [P, N]; butter [B, N];
    sigma [N]; delay [N] (all normalised to the symbol rate). The delay phasor and the Gaussian are
    advanced by exact multiplicative recurrences along the grid instead of calling exp/cos/sin per bin.
    """
    n_pts = sigma.shape[0]
    n_f = nu.shape[0]
    out = np.empty((n_pts, n_f), dtype=np.complex128)
    sqrt2 = math.sqrt(2.0)
    dnu = nu[1] - nu[0] if n_f > 1 else 0.0
    for i in range(n_pts):
        a = 2.0 * (math.pi * dnu * sigma[i]) ** 2  # Gaussian: exp(-a k^2)
        g = 1.0
        ratio = math.exp(-a)  # g_{k+1}/g_k = exp(-a (2k+1))
        ratio_step = math.exp(-2.0 * a)
        ph = -2.0 * math.pi * dnu * delay[i]
        rot = complex(math.cos(ph), math.sin(ph))
        phasor = 1.0 + 0.0j
        for k in range(n_f):
            v = nu[k]
            den = 1.0 + 0.0j
            for p in range(poles.shape[0]):
                den = den * complex(1.0, v / poles[p, i])
            for b in range(butter.shape[0]):
                x = v / butter[b, i]
                den = den * complex(1.0 - x * x, sqrt2 * x)
            out[i, k] = (g * phasor) / den
            phasor = phasor * rot
            g = g * ratio
            ratio = ratio * ratio_step
    return out


@numba.njit(cache=True)
def nrz_average_kernel(h0, top, amp, s1, s0, patterns):  # pragma: no cover - compiled
    """Average NRZ BER over sign patterns (see ``closed_form.nrz_ber``); arrays flattened to [N] / [N, K]."""
    n = h0.shape[0]
    n_pat = patterns.shape[0]
    k = top.shape[1]
    out = np.empty(n)
    inv_sqrt2 = 1.0 / math.sqrt(2.0)
    for i in range(n):
        a = amp[i]
        th = a * h0[i] * (s0[i] - s1[i]) / (s0[i] + s1[i])
        m = a * h0[i] - th
        sp = a * h0[i] + th
        c1 = inv_sqrt2 / s1[i]
        c0 = inv_sqrt2 / s0[i]
        acc = 0.0
        for p in range(n_pat):
            isi = 0.0
            for j in range(k):
                isi += patterns[p, j] * top[i, j]
            isi *= a
            acc += math.erfc((m + isi) * c1) + math.erfc((sp - isi) * c0)
        out[i] = 0.25 * acc / n_pat
    return out
