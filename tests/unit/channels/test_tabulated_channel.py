"""Tabulated (Touchstone) channels: interpolation, extension beyond the data, echo and crosstalk powers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.channels.measured import TabulatedChannel
from microlink.errors import ParameterError

F = np.linspace(1e9, 50e9, 50)


def channel(il=None, **kw):
    return TabulatedChannel(F, 0.5 * F / 1e9 if il is None else il, **kw)


def test_loss_at_the_data_points_is_the_data():
    ch = channel()
    np.testing.assert_allclose(ch.loss_db(F), 0.5 * F / 1e9)


def test_loss_falls_to_zero_at_dc_and_extends_along_the_last_slope():
    ch = channel()
    assert ch.loss_db(0.0) == 0.0
    assert ch.loss_db(0.5e9) == pytest.approx(0.25)
    assert ch.loss_db(100e9) == pytest.approx(50.0)  # a straight line stays straight
    assert ch.coverage(np.array([10e9, 40e9, 60e9, 80e9])) == 0.5


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.0, 5.0), min_size=50, max_size=50), st.floats(0.0, 200e9))
def test_a_loss_that_grows_with_frequency_is_interpolated_growing(steps, f):
    il = np.cumsum(steps)
    ch = channel(il)
    a, b = ch.loss_db(f), ch.loss_db(f * 1.01 + 1e6)
    assert b >= a - 1e-9
    assert a >= 0.0


def test_echo_is_triple_transit_and_absent_without_return_loss():
    rl = np.full(F.shape, 20.0)
    ch = channel(return_loss_near_db=rl, return_loss_far_db=rl)
    f = np.array([10e9])
    assert ch.echo_power(f)[0] == pytest.approx(10 ** (-(40.0 + 2 * 5.0) / 10))
    assert channel().echo_power(f)[0] == 0.0


def test_crosstalk_power_only_when_given():
    ch = channel(next_db=np.full(F.shape, -40.0))
    assert ch.crosstalk_power("next", 10e9)[()] == pytest.approx(1e-4)
    assert ch.crosstalk_power("fext", 10e9) is None


@pytest.mark.parametrize("kw, field", [
    (dict(frequency=F[::-1]), "channel.frequency"),
    (dict(insertion_loss_db=-np.ones_like(F)), "channel.insertion_loss_db"),
    (dict(insertion_loss_db=np.ones(3)), "channel.insertion_loss_db"),
    (dict(next_db=np.full(F.shape, np.nan)), "channel.next_db"),
])
def test_bad_tables_name_the_field(kw, field):
    args = dict(frequency=F, insertion_loss_db=np.ones_like(F))
    args.update(kw)
    with pytest.raises(ParameterError, match=field):
        TabulatedChannel(**args)
