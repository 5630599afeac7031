"""A micro-LED's carrier density and large-signal penalty do not depend on the other devices of its batch.

The sweep engine's bitwise resume (``tests/integration/test_sweep_resume.py``) and the executor tests rest on
it. Two ways it used to fail, by an ulp: the carrier-density Newton iteration ran every element until the
slowest of its batch converged, and NumPy's complex loops round some elements through a fused multiply-add
depending on the arrays' alignment (the waveform filters now use real operations only).
"""

import numpy as np

from microlink.catalog import get_parameter_set
from microlink.devices.led_dynamics import large_signal_penalty_db, small_signal_response
from microlink.devices.microled import carrier_density

N = 40


def _designs(seed=20261202):
    rng = np.random.default_rng(seed)
    return (rng.uniform(2e-6, 8e-6, N), rng.uniform(50e-6, 3e-3, N), rng.uniform(1e9, 5e9, N),
            rng.uniform(0.0, 0.4, N))


def test_carrier_density_alone_equals_in_batch():
    rng = np.random.default_rng(1)
    j = 10.0 ** rng.uniform(2, 8, N)  # [A/m^2]
    a, b, c = 1e7, 1e-17, 1e-42
    batch = carrier_density(j, 3e-9, a, b, c)
    for i in range(N):
        assert carrier_density(j[i:i + 1], 3e-9, a, b, c)[0] == batch[i]


def test_waveforms_and_penalty_alone_equal_in_batch():
    p = get_parameter_set("lightbundle").parameters
    d, bias, rate, pre = _designs()
    small = small_signal_response(p.led.replace(diameter=d), bias, 0.9, pre, rate).power
    penalty = large_signal_penalty_db(p.led.replace(diameter=d), bias, 0.9, pre, rate)
    for i in range(N):
        one = p.led.replace(diameter=d[i:i + 1])
        np.testing.assert_array_equal(small_signal_response(one, bias[i:i + 1], 0.9, pre[i:i + 1],
                                                            rate[i:i + 1]).power[0], small[i])
        np.testing.assert_array_equal(large_signal_penalty_db(one, bias[i:i + 1], 0.9, pre[i:i + 1],
                                                              rate[i:i + 1])[0], penalty[i])


def test_filtered_drive_spectrum_is_bitwise_the_numpy_arithmetic_on_both_engines():
    """The compiled drive-through-poles transform repeats NumPy's real operations in their order: bitwise equal,
    for the drive itself and for the normalised ``(i - i_0) / swing``, with de-emphasis and per-point poles."""
    from microlink import kernels
    from microlink.devices.driver import drive_levels, prbs
    from microlink.devices.led_dynamics import filtered_drive_spectrum

    p = get_parameter_set("lightbundle").parameters
    d, bias, rate, pre = _designs(7)
    led = p.led.replace(diameter=d)
    i1, i0 = drive_levels(bias, 0.9, pre)
    for poles, levels in ((led.parasitic_poles(bias, 200.0), None), (led.response_poles(bias, 200.0), (i0, i1 - i0))):
        out = {}
        for engine in kernels.ENGINES:
            with kernels.use_engine(engine):
                out[engine] = filtered_drive_spectrum(prbs(7), bias, 0.9, pre, 16, rate, poles, (N,), levels=levels)
        assert out["compiled"].shape == (N, 127 * 8 + 1)
        np.testing.assert_array_equal(out["compiled"], out["numpy"])
