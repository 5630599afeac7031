"""Unit tests of the Si photodiode and the TIA design equations."""

import numpy as np
import pytest

from microlink.devices import photodiode as pd
from microlink.devices import receiver as rx
from microlink.errors import ParameterError
from microlink.units import BOLTZMANN


def test_ideal_responsivity():
    # QE = 1: q lambda / (h c) = 0.347 A/W at 430 nm, 0.363 at 450 nm (links.md 2.4)
    assert pd.responsivity(1.0, 430e-9) == pytest.approx(0.347, rel=2e-3)
    assert pd.responsivity(1.0, 450e-9) == pytest.approx(0.363, rel=2e-3)


def test_absorption_table_and_range():
    assert pd.silicon_absorption_coefficient(430e-9) == pytest.approx(3.92e6, rel=1e-9)
    a = pd.silicon_absorption_coefficient(np.array([420e-9, 460e-9]))
    assert a[0] > 3.92e6 > 2.55e6 > a[1]
    with pytest.raises(ParameterError, match="wavelength"):
        pd.silicon_absorption_coefficient(1550e-9)


def test_quantum_efficiency_limits():
    assert pd.quantum_efficiency(1e9, 0.0, 0.0, 1e-6) == pytest.approx(1.0)
    assert pd.quantum_efficiency(1e6, 0.1, 0.0, 1e-6) == pytest.approx(0.9 * (1 - np.exp(-1)))
    # a dead layer hurts blue (shallow absorption) more than red
    qe_blue = pd.SiliconPhotodiode().quantum_efficiency(430e-9)
    qe_red = pd.SiliconPhotodiode(collection_depth=50e-6).quantum_efficiency(650e-9)
    assert qe_red > qe_blue


@pytest.mark.parametrize("diameter, expected_ff", [(10e-6, 8.1), (20e-6, 32.5)])
def test_junction_capacitance(diameter, expected_ff):
    assert pd.junction_capacitance(diameter, 1e-6) * 1e15 == pytest.approx(expected_ff, rel=0.01)


def test_tia_transimpedance_limit_and_noise():
    gbw = rx.required_gain_bandwidth(10e3, 50e-15, 2e9)
    assert gbw == pytest.approx(2 * np.pi * 10e3 * 50e-15 * 4e18)
    # white part alone: sqrt(4kT/R_F * 1.1107 f0)
    n_white = rx.tia_input_noise_current(10e3, 0.0, 2e9, 1.0, 300.0, 1.0)
    assert n_white == pytest.approx(np.sqrt(4 * BOLTZMANN * 300 / 10e3 * rx.BUTTERWORTH2_NOISE_INTEGRAL * 2e9), rel=1e-6, abs=0.0)
    # more input capacitance, more f^2 noise
    n = rx.tia_input_noise_current(10e3, np.array([10e-15, 100e-15]), 2e9, 1e-3, 300.0, 1.0)
    assert n[1] > n[0] > n_white


def test_butterworth_response_is_3db_at_corner():
    h = rx.butterworth2_response(np.array([0.0, 1e9]), 1e9)
    assert abs(h[0]) == pytest.approx(1.0)
    assert abs(h[1]) ** 2 == pytest.approx(0.5)


def test_receiver_design_scales_with_rate_and_capacitance():
    r = rx.Receiver()
    d = r.design(np.array([2e9, 4e9]), 10e-15)
    assert d["power"][1] == pytest.approx(4 * d["power"][0])  # P ~ f0^2
    assert np.all(d["noise_current"] > 0)
    assert r.replace(clocking="cdr").clock_energy() > r.clock_energy()
