"""Large-signal NRZ response of a micro-LED: the carrier rate equation solved in time.

The small-signal model linearises the LED at its bias: one carrier pole at ``1/(2 pi tau_d(n_bias))``. Under
NRZ drive the carrier density swings between the '0' and '1' levels, and the differential lifetime
``tau_d = 1/(A + 2 B n + 3 C n^2)`` at the '0' level can be twice that at the '1' level, so the LED turns on
faster than it turns off and a long run of zeros leaves a different tail than a single zero. Here

    dn/dt = eta_inj i_j(t) / (q d A_mesa) - (A n + B n^2 + C n^3),      P(t) = (LEE h(T) h nu) B n^2 d A_mesa,

with ``i_j`` the drive current after the (linear) drive network of the LED (its two parasitic poles at the
bias), integrated with fixed-step classical Runge-Kutta over a periodic PRBS pattern until the response is
periodic. In steady state ``P = EQE (h nu / q) I`` exactly, so the static L-I curve of
:class:`~microlink.devices.microled.MicroLED` is reproduced. For a small modulation depth the result
converges to the small-signal pulse response (checked in the tests); the difference at full depth is the
large-signal eye penalty used by the link.

Arrays broadcast over leading design-point dimensions ``[...]``; time is the last axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink import kernels
from microlink.devices.driver import drive_levels, drive_spectrum, drive_waveform, pattern_spectrum, prbs
from microlink.devices.microled import (
    MicroLED,
    carrier_density,
    differential_lifetime,
    thermal_efficiency_factor,
)
from microlink.signals import complex_from_parts, complex_product
from microlink.units import ELEMENTARY_CHARGE, photon_energy

#: Runge-Kutta step as a fraction of the shortest differential lifetime on the waveform, at most one
#: output sample. 0.1: over 300 random devices (2-10 um, 30 uA-3 mA, 1-6 Gb/s) the large-signal penalty is
#: within 5.4e-6 dB of that at 0.05 (and two settling periods within 1e-16 of four); at 16 samples per UI
#: most devices then take one step per sample, half the cost of 0.05.
STEP_PER_LIFETIME = 0.1
#: Pattern periods simulated; the last one is kept (the first settles the initial condition: a PRBS7 period is
#: 127 UI, hundreds of carrier lifetimes, and 2 periods give the same eye penalty as 4 to the last bit over
#: 2-10 um LEDs at 30 uA-3 mA and 1-6 Gb/s).
SETTLING_PERIODS = 2


@dataclass(frozen=True)
class NRZWaveform:
    """Optical output of one LED over one period of a periodic NRZ pattern.

    Attributes
    ----------
    bits : ndarray [N]
        The pattern (0/1).
    samples_per_symbol : int
        Samples per unit interval.
    current : ndarray [..., N * sps]
        Drive current [A].
    power : ndarray [..., N * sps]
        Emitted optical power [W].
    power_one, power_zero : ndarray [...]
        Static (settled) power at the '1' and '0' drive levels [W].
    """

    bits: np.ndarray
    samples_per_symbol: int
    current: np.ndarray
    power: np.ndarray
    power_one: np.ndarray
    power_zero: np.ndarray

    def eye_opening(self):
        """Inner vertical eye opening at the best sampling phase, over the static OMA [1].

        For each phase in the unit interval: ``min(P | bit = 1) - max(P | bit = 0)``; the best phase is kept.
        """
        sps = self.samples_per_symbol
        p = self.power.reshape(self.power.shape[:-1] + (self.bits.size, sps))
        ones = self.bits.astype(bool)
        low_of_ones = p[..., ones, :].min(axis=-2)
        high_of_zeros = p[..., ~ones, :].max(axis=-2)
        oma = self.power_one - self.power_zero
        return (low_of_ones - high_of_zeros).max(axis=-1) / oma

    def transition_times(self):
        """10-90 % rise and 90-10 % fall time on the longest run of ones of the pattern [UI, UI].

        Rise at the start of the run, fall after its end, relative to the static '0' and '1' levels. The run
        must be long enough for the output to settle (a slow bit rate); a level never crossed counts as the
        full window.
        """
        b = self.bits
        sps = self.samples_per_symbol
        # the longest run of ones
        runs, start, best = 0, 0, (0, 0)
        for k in range(2 * b.size):
            if b[k % b.size]:
                runs += 1
                if runs > best[0]:
                    best = (runs, start)
            else:
                runs, start = 0, k + 1
        length, first = best
        lo, hi = self.power_zero[..., None], self.power_one[..., None]
        x = (np.roll(self.power, -first * sps, axis=-1) - lo) / (hi - lo)
        rise = x[..., : length * sps]
        fall = x[..., length * sps:]
        def first(mask):
            return np.where(mask.any(axis=-1), np.argmax(mask, axis=-1), mask.shape[-1])

        t_r = (first(rise >= 0.9) - first(rise >= 0.1)) / sps
        t_f = (first(fall <= 0.1) - first(fall <= 0.9)) / sps
        return t_r, t_f


def _pole_response(frequency, *poles):
    """``1 / prod_k (1 + j f / f_k)`` [Hz, Hz... -> 1], from real operations
    (:func:`~microlink.signals.complex_product`)."""
    re, im = 1.0, 0.0
    for f in poles:
        u = np.asarray(frequency, dtype=float) / np.asarray(f, dtype=float)[..., None]
        re, im = re - im * u, im + re * u
    mag2 = re * re + im * im
    return complex_from_parts(re / mag2, -im / mag2)


def filtered_drive_spectrum(bits, bias_current, modulation_depth, pre_emphasis, samples_per_symbol, bit_rate, poles,
                            shape, levels=None):
    """``rfft`` of the NRZ drive (:func:`~microlink.devices.driver.drive_spectrum`) through the poles
    ``1 / prod_k (1 + j f / f_k)`` (:func:`_pole_response`), ``[*shape, F]`` [A or 1].

    ``levels = (zero, swing)`` [A, A] gives the transform of ``(i - zero) / swing`` instead of ``i``; ``poles``
    are arrays broadcasting to ``shape`` [Hz], ``bit_rate`` too [b/s]. Compiled
    (:func:`microlink.devices._led_kernels.drive_response_kernel`: the same real operations in the same order,
    so bitwise what NumPy gives) unless the engine is ``numpy`` (:mod:`microlink.kernels`).
    """
    sps = int(samples_per_symbol)
    n_samples = np.asarray(bits).size * sps
    freq = np.fft.rfftfreq(n_samples) * sps  # [1/UI]
    rate = np.broadcast_to(np.asarray(bit_rate, dtype=float), shape)
    if kernels.compiled():
        from microlink.devices._led_kernels import drive_response_kernel

        spec, angle = pattern_spectrum(bits, sps)

        def flat(x):
            return np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=float), shape).reshape(-1))

        zero, swing = levels if levels is not None else (0.0, 1.0)
        out = drive_response_kernel(spec.real.copy(), spec.imag.copy(), np.cos(angle), np.sin(angle), freq,
                                    flat(pre_emphasis), flat(bias_current), flat(modulation_depth),
                                    float(n_samples), flat(zero), flat(swing), levels is not None, flat(rate),
                                    np.array([flat(f) for f in poles]).reshape(len(poles), -1))
        return out.reshape(shape + (spec.size,))
    spec = drive_spectrum(bits, bias_current, modulation_depth, pre_emphasis, sps)
    if levels is not None:
        zero, swing = (np.asarray(x, dtype=float) for x in levels)
        spec.real[..., 0] -= zero * n_samples
        spec = complex_from_parts(spec.real / swing[..., None], spec.imag / swing[..., None])
    return complex_product(spec, _pole_response(freq * rate[..., None], *[np.broadcast_to(f, shape) for f in poles]))


def rk4_lockstep(gt, a, b, c, h, n0, steps, periods):
    """Classical RK4 of ``dn/dt = g(t) - (A n + B n^2 + C n^3)`` over a periodic drive, rows side by side.

    ``gt [M, R]`` [m^-3 s^-1] is the drive of ``R`` rows (design points) on the output grid, time-major, and
    is interpolated linearly inside a sample; each row has its own step ``h [R]`` [s] and start ``n0 [R]``
    [m^-3], all rows ``steps`` steps per sample. The last of ``periods`` periods is returned, ``out[k, r]``
    the density after step ``k`` [m^-3].

    Plain scalar loops, the rows innermost: each row does the same arithmetic in the same order whatever the
    others are, so its waveform is bitwise the one it has alone. :mod:`microlink.devices._led_kernels`
    compiles this very function (Numba, no fast math; the row loop runs with unit stride and vectorises), and
    the ``numpy`` engine (:mod:`microlink.kernels`) runs it interpreted on Python floats (lists in, ~25 ms per
    row at one step per sample): the two engines give bitwise the same waveform.
    """
    m, rows = len(gt), len(gt[0])
    out = np.empty((m, rows))
    n = n0.copy()
    for period in range(periods):
        for k in range(m):
            row0, row1 = gt[k], gt[(k + 1) % m]
            for s in range(steps):
                fa = s / steps
                fm = (s + 0.5) / steps
                fb = (s + 1.0) / steps
                for r in range(rows):
                    g0 = row0[r]
                    g1 = row1[r]
                    ar, br, cr, hr, nr = a[r], b[r], c[r], h[r], n[r]
                    ga = g0 + (g1 - g0) * fa
                    gm = g0 + (g1 - g0) * fm
                    gb = g0 + (g1 - g0) * fb
                    k1 = ga - nr * (ar + nr * (br + nr * cr))
                    n1 = nr + 0.5 * hr * k1
                    k2 = gm - n1 * (ar + n1 * (br + n1 * cr))
                    n2 = nr + 0.5 * hr * k2
                    k3 = gm - n2 * (ar + n2 * (br + n2 * cr))
                    n3 = nr + hr * k3
                    k4 = gb - n3 * (ar + n3 * (br + n3 * cr))
                    n[r] = nr + hr / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
            if period == periods - 1:
                for r in range(rows):
                    out[k, r] = n[r]
    return out


def _rk4_periodic(g, a, b, c, h, n0, sub, periods):
    """:func:`rk4_lockstep` on ``g [R, M]`` with ``sub [R]`` steps per sample: rows sharing a step count run
    side by side, compiled unless the engine is ``numpy`` (:mod:`microlink.kernels`); returns ``[R, M]``."""
    if kernels.compiled():
        from microlink.devices._led_kernels import rk4_side_by_side as solve
    else:
        def solve(gt, *rest):  # interpreted: Python floats are several times faster than NumPy scalars
            return rk4_lockstep(gt.tolist(), *(v.tolist() for v in rest[:5]), *rest[5:])

    out = np.empty(g.shape)
    for steps in np.unique(sub):
        rows = np.flatnonzero(sub == steps)
        out[rows] = solve(np.ascontiguousarray(g[rows].T), a[rows], b[rows], c[rows], h[rows], n0[rows],
                          int(steps), periods).T
    return out


def rate_equation_response(led: MicroLED, bias_current, modulation_depth, pre_emphasis, bit_rate, *,
                           driver_resistance=0.0, bits=None, samples_per_symbol=16) -> NRZWaveform:
    """Large-signal optical waveform of an NRZ-driven micro-LED (see module docstring).

    Parameters
    ----------
    led : MicroLED
        Device (scalar or array fields).
    bias_current, modulation_depth, pre_emphasis : array_like
        Driver settings [A, 1, 1] (see :func:`~microlink.devices.driver.drive_waveform`).
    bit_rate : array_like
        Lane rate [b/s].
    driver_resistance : array_like
        Source resistance of the driver [ohm].
    bits : ndarray, optional
        Periodic pattern; PRBS7 by default.
    samples_per_symbol : int
        Output samples per unit interval.
    """
    bits = prbs(7) if bits is None else np.asarray(bits, dtype=np.int8)
    sps = int(samples_per_symbol)
    r = np.asarray(bit_rate, dtype=float)
    i_drive = drive_waveform(bits, bias_current, modulation_depth, pre_emphasis, sps)
    shape = np.broadcast_shapes(np.shape(r), i_drive.shape[:-1], led.broadcast_shape())
    i_drive = np.broadcast_to(i_drive, shape + i_drive.shape[-1:])
    n_samples = i_drive.shape[-1]
    dt = 1.0 / (r * sps)  # [s] per output sample
    poles = led.parasitic_poles(bias_current, driver_resistance)
    i_j = np.fft.irfft(filtered_drive_spectrum(bits, bias_current, modulation_depth, pre_emphasis, sps, r, poles,
                                               shape), n=n_samples, axis=-1)

    a = np.broadcast_to(led.srh_effective, shape)[..., None]
    b = np.broadcast_to(led.radiative_effective, shape)[..., None]
    c = np.broadcast_to(led.auger_effective, shape)[..., None]
    volume = np.broadcast_to(led.area * led.active_thickness, shape)[..., None]
    gen_per_amp = np.broadcast_to(led.injection_efficiency, shape)[..., None] / (ELEMENTARY_CHARGE * volume)
    g = i_j * gen_per_amp  # [m^-3 s^-1]

    # step size per design point from the fastest lifetime on its own waveform (carrier density of its
    # largest generation rate; carrier_density takes J/(q d), so a unit thickness and J = q g give the rate
    # directly): a point's result never depends on the other points of the batch
    n_hi = carrier_density(np.max(np.abs(g), axis=-1, keepdims=True) * ELEMENTARY_CHARGE, 1.0, a, b, c)
    tau_min = differential_lifetime(n_hi, a, b, c)[..., 0]
    dt_b = np.broadcast_to(dt, shape)
    sub = np.maximum(1, np.ceil(dt_b / (STEP_PER_LIFETIME * tau_min))).astype(np.int64)
    h = dt_b / sub

    a0, b0, c0 = a[..., 0], b[..., 0], c[..., 0]
    n0 = carrier_density(np.mean(g, axis=-1) * ELEMENTARY_CHARGE, 1.0, a0, b0, c0)
    flat = int(np.prod(shape))
    out = _rk4_periodic(np.ascontiguousarray(np.broadcast_to(g, shape + (n_samples,)).reshape(flat, n_samples)),
                        *(np.ascontiguousarray(np.broadcast_to(v, shape).reshape(flat), dtype=float)
                          for v in (a0, b0, c0, h, n0)),
                        np.ascontiguousarray(sub.reshape(flat)), SETTLING_PERIODS).reshape(shape + (n_samples,))
    # n after step k is the density at sample k+1: rotate so out[..., k] is at sample k
    out = np.roll(out, 1, axis=-1)
    scale = (led.light_extraction_efficiency * thermal_efficiency_factor(led.temperature, led.characteristic_temperature)
             * photon_energy(led.wavelength))
    power = np.broadcast_to(scale, shape)[..., None] * b * out**2 * volume
    i1, i0 = drive_levels(bias_current, modulation_depth, pre_emphasis)
    return NRZWaveform(bits=bits, samples_per_symbol=sps, current=i_drive, power=power,
                       power_one=np.broadcast_to(led.optical_power(i1), shape),
                       power_zero=np.broadcast_to(led.optical_power(i0), shape))


def small_signal_response(led: MicroLED, bias_current, modulation_depth, pre_emphasis, bit_rate, *,
                          driver_resistance=0.0, bits=None, samples_per_symbol=16) -> NRZWaveform:
    """The same pattern through the linearised LED: static levels, carrier and network poles at the bias.

    ``P(t) = P_0 + (P_1 - P_0) y(t)`` with ``y`` the drive ``(i - i_0)/(i_1 - i_0)`` filtered by the three
    small-signal poles of :meth:`MicroLED.response_poles` [same inputs as :func:`rate_equation_response`].
    """
    bits = prbs(7) if bits is None else np.asarray(bits, dtype=np.int8)
    sps = int(samples_per_symbol)
    r = np.asarray(bit_rate, dtype=float)
    i_drive = drive_waveform(bits, bias_current, modulation_depth, pre_emphasis, sps)
    i1, i0 = drive_levels(bias_current, modulation_depth, pre_emphasis)
    shape = np.broadcast_shapes(np.shape(r), i_drive.shape[:-1], led.broadcast_shape(), np.shape(i1))
    i_drive = np.broadcast_to(i_drive, shape + i_drive.shape[-1:])
    n_samples = i_drive.shape[-1]
    # the transform of y = (i - i_0) / (i_1 - i_0), from the pattern's (drive_spectrum)
    swing = np.asarray(i1, dtype=float) - np.asarray(i0, dtype=float)
    poles = led.response_poles(bias_current, driver_resistance)
    y = np.fft.irfft(filtered_drive_spectrum(bits, bias_current, modulation_depth, pre_emphasis, sps, r, poles, shape,
                                             levels=(i0, swing)), n=n_samples, axis=-1)
    p1 = np.broadcast_to(led.optical_power(i1), shape)
    p0 = np.broadcast_to(led.optical_power(i0), shape)
    return NRZWaveform(bits=bits, samples_per_symbol=sps, current=i_drive,
                       power=p0[..., None] + (p1 - p0)[..., None] * y, power_one=p1, power_zero=p0)


def large_signal_penalty_db(led: MicroLED, bias_current, modulation_depth, pre_emphasis, bit_rate, *,
                            driver_resistance=0.0, samples_per_symbol=16):
    """Eye-opening penalty of the large-signal response against the small-signal one [dB].

    ``10 log10(eye_small / eye_large)`` with both eyes at their best phase (PRBS7, LED only). Positive when
    the nonlinear '0'/'1' asymmetry closes the eye more than the bias-point linearisation predicts; an eye
    closed in the time-domain solution gives ``inf``.
    """
    kw = dict(driver_resistance=driver_resistance, samples_per_symbol=samples_per_symbol)
    small = small_signal_response(led, bias_current, modulation_depth, pre_emphasis, bit_rate, **kw).eye_opening()
    large = rate_equation_response(led, bias_current, modulation_depth, pre_emphasis, bit_rate, **kw).eye_opening()
    with np.errstate(divide="ignore", invalid="ignore"):
        pen = 10.0 * np.log10(np.maximum(small, 1e-300) / np.maximum(large, 1e-300))
    return np.where(large > 0, pen, np.inf)
