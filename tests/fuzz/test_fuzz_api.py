"""The Python API at its input boundary: a result or one ParameterError/ConfigError, never a raw NumPy error."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from microlink.errors import MicrolinkError
from microlink.units import ber_to_q, q_to_ber

reaches = st.one_of(st.floats(), st.booleans(), st.lists(st.floats(0.1, 30), max_size=3),
                    st.lists(st.lists(st.floats(0.1, 30), max_size=2), max_size=2), st.just(np.array([])),
                    st.text(max_size=6), st.none())


@given(st.floats())
def test_ber_to_q_is_finite_or_refused(ber):
    try:
        q = ber_to_q(ber)
    except MicrolinkError:
        assert not 0 < ber <= 0.5 or math.isnan(ber)
    else:
        assert math.isfinite(float(q))
        if ber >= np.finfo(float).tiny:  # a subnormal BER carries too few digits to come back to 1e-9
            assert q_to_ber(q) == pytest.approx(ber, rel=1e-9, abs=0.0)


@settings(deadline=None)  # the first example loads the compiled kernels
@given(reaches)
@example(1.2294779776805175e-95)  # a sub-atomic fiber once gave a negative coupled length (sqrt of < 0)
@example(5e-324)
def test_evaluate_link_reach(reach):
    import microlink as ml

    try:
        result = ml.evaluate_link("lightbundle", reach=reach, solve_reach=False)
    except MicrolinkError as exc:
        assert "reach" in str(exc)
        return
    assert not isinstance(reach, bool)
    assert np.all(np.isfinite(np.asarray(result.energy_per_bit, dtype=float)))
