"""TCO per link end and per rack: arithmetic, monotonicity, sums over classes."""

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.errors import ParameterError
from microlink.rack.tco import SECONDS_PER_YEAR, TcoAssumptions, system_tco, tco_per_end


def test_energy_part_is_power_times_life_times_pue_times_price():
    a = TcoAssumptions()
    b = tco_per_end(100.0, 10.0, 0.0, a)
    expected = 10.0 * 5 * SECONDS_PER_YEAR * a.pue * 0.08 / 3.6e6
    assert float(b.energy_usd) == pytest.approx(expected)
    assert float(b.replacement_usd) == 0.0 and float(b.downtime_usd) == 0.0
    assert float(b.total_usd) == pytest.approx(100.0 + expected)


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1e4), st.floats(0, 100), st.floats(0, 1e5), st.floats(1.01, 3.0))
def test_tco_rises_with_power_and_failures(cost, power, fit, factor):
    a = TcoAssumptions()
    base = tco_per_end(cost, power, fit, a)
    assert float(base.total_usd) >= cost
    assert float(tco_per_end(cost, power * factor + 1e-3, fit, a).total_usd) > float(base.total_usd)
    assert float(tco_per_end(cost, power, fit * factor + 1.0, a).total_usd) > float(base.total_usd)


def test_broadcasts_over_arrays():
    b = tco_per_end(np.array([10.0, 20.0]), 5.0, np.array([[100.0], [200.0]]))
    assert np.shape(b.total_usd) == (2, 2)


def test_bad_assumption_is_one_clear_error():
    with pytest.raises(ParameterError, match="pue"):
        TcoAssumptions(pue=0.5)


def test_system_tco_sums_classes():
    classes = (SimpleNamespace(cost_per_end_usd=100.0, power_per_end_w=5.0, fit_per_end=50.0, link_ends=10),
               SimpleNamespace(cost_per_end_usd=500.0, power_per_end_w=2.0, fit_per_end=100.0, link_ends=4))
    result = SimpleNamespace(classes=classes, technology="x", link_ends=14, racks=2)
    t = system_tco(result)
    one = [tco_per_end(c.cost_per_end_usd, c.power_per_end_w, c.fit_per_end) for c in classes]
    assert t.total_usd == pytest.approx(sum(c.link_ends * float(b.total_usd) for c, b in zip(classes, one)))
    assert t.per_rack_usd == pytest.approx(t.total_usd / 2)
