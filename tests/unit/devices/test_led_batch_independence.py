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
