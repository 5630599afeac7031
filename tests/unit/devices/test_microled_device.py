"""Unit tests of the micro-LED ABC model, L-I, voltage and bandwidth functions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.devices import microled as m
from microlink.devices.driver import LEDDriver, drive_levels, switching_energy_per_bit
from microlink.units import CM, ELEMENTARY_CHARGE

A, B, C, D = 1e7, 2e-11 * CM**3, 1e-30 * CM**6, 5e-9


def test_carrier_density_hand_value():
    # 1 kA/cm^2 in 5 nm: G = J/(q d) = 1.25e28 cm^-3 s^-1; root n = 1.80e19 cm^-3 (links.md 2.1 table)
    n = m.carrier_density(1000 / CM**2, D, A, B, C)
    assert n * CM**3 == pytest.approx(1.80e19, rel=0.01)


def test_carrier_density_scalar_and_array_broadcast():
    j = np.array([[10.0], [1000.0]]) / CM**2
    d = np.array([2.5e-9, 5e-9, 10e-9])
    n = m.carrier_density(j, d, A, B, C)
    assert n.shape == (2, 3)
    assert np.all(np.diff(n, axis=0) > 0)  # more current, more carriers
    assert np.all(np.diff(n, axis=1) < 0)  # thicker active region, fewer carriers
    assert m.carrier_density(0.0, D, A, B, C) == 0.0


@settings(max_examples=200, deadline=None)
@given(
    j=st.floats(1e-2, 1e5),  # A/cm^2
    a=st.floats(1e5, 1e9),
    b=st.floats(1e-12, 1e-10),
    c=st.floats(0.0, 1e-28),
)
def test_carrier_density_solves_the_cubic(j, a, b, c):
    g = j / CM**2 / (ELEMENTARY_CHARGE * D)
    n = m.carrier_density(j / CM**2, D, a, b * CM**3, c * CM**6)
    r = m.recombination_rate(n, a, b * CM**3, c * CM**6)
    assert r == pytest.approx(g, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(j1=st.floats(1.0, 3e4), factor=st.floats(1.01, 10.0))
def test_bandwidth_increases_with_current_density(j1, factor):
    f = [m.carrier_bandwidth(m.differential_lifetime(m.carrier_density(j / CM**2, D, A, B, C), A, B, C))
         for j in (j1, j1 * factor)]
    assert f[1] > f[0]


def test_two_pole_bandwidth_exact_and_bounds():
    assert m.two_pole_bandwidth(1e9, 1e9) == pytest.approx(1e9 * np.sqrt(np.sqrt(2) - 1), rel=1e-12)
    assert m.two_pole_bandwidth(1e9, 1e15) == pytest.approx(1e9, rel=1e-9)
    f1, f2 = np.array([1e8, 5e8]), np.array([3e9, 2e8])
    f = m.two_pole_bandwidth(f1, f2)
    assert np.all(f < np.minimum(f1, f2))
    np.testing.assert_allclose(f, m.two_pole_bandwidth(f2, f1))
    # |H|^2 at the solution is exactly 1/2
    h2 = 1 / ((1 + (f / f1) ** 2) * (1 + (f / f2) ** 2))
    np.testing.assert_allclose(h2, 0.5, rtol=1e-12)


def test_iqe_droop_and_zero():
    n = np.array([0.0, 1e18, 1e19, 1e20]) / CM**3
    iqe = m.internal_quantum_efficiency(n, A, B, C)
    assert iqe[0] == 0.0
    assert iqe[2] > iqe[3]  # droop at high density
    assert np.all((iqe >= 0) & (iqe <= 1))


def test_forward_voltage_temperature_coefficient_negative():
    led = MicroLEDDefault = m.MicroLED()
    v300 = led.replace(temperature=300.0).forward_voltage(100e-6)
    v350 = led.replace(temperature=350.0).forward_voltage(100e-6)
    assert v350 < v300
    assert (v350 - v300) / 50 == pytest.approx(-1e-3, abs=1.5e-3)  # ~ -0.5..-2 mV/K
    assert MicroLEDDefault.forward_voltage(np.array([1e-6, 1e-4, 1e-3])).shape == (3,)


def test_optical_power_hand_value():
    # P = EQE * (h c / (lambda q)) * I: 10 % at 450 nm and 100 uA -> 27.55 uW
    assert m.optical_power(100e-6, 0.10, 450e-9) == pytest.approx(27.55e-6, rel=1e-3)


def test_thermal_factor_and_capacitance():
    assert m.thermal_efficiency_factor(300.0, 570.0) == 1.0
    assert m.thermal_efficiency_factor(360.0, 570.0) == pytest.approx(np.exp(-60 / 570))
    # 6 um disc, eps 8.9, 50 nm -> 44.6 fF
    assert m.depletion_capacitance(m.disc_area(6e-6), 8.9, 50e-9) == pytest.approx(44.6e-15, rel=1e-2, abs=0.0)


def test_sidewall_srh_scales_as_inverse_diameter():
    a = m.effective_srh_coefficient(1e7, 100.0, np.array([2e-6, 4e-6]))
    assert a[0] - 1e7 == pytest.approx(2 * (a[1] - 1e7))


def test_driver_levels_and_energy():
    i1, i0 = drive_levels(100e-6, 0.9, 0.0)
    assert (i1, i0) == pytest.approx((190e-6, 10e-6))
    i1, i0 = drive_levels(100e-6, 0.9, 1 / 3)  # settled swing halves
    assert i1 - i0 == pytest.approx(90e-6)
    assert switching_energy_per_bit(20e-15, 0.8) == pytest.approx(6.4e-15, rel=1e-6, abs=0.0)
    d = LEDDriver()
    e = d.energy_per_bit(np.array([1e9, 4e9]))
    assert e[0] > e[1] > 0


def test_measured_bandwidth_and_efficiency_replace_the_model():
    led = m.MicroLED()
    assert led.carrier_bandwidth(100e-6) != pytest.approx(1.2e9)
    measured = led.replace(measured_bandwidth=1.2e9, measured_efficiency=0.2)
    assert measured.carrier_bandwidth(np.array([50e-6, 100e-6])) == pytest.approx([1.2e9, 1.2e9])
    assert measured.external_quantum_efficiency(100e-6) == pytest.approx(0.2)
    mixed = led.replace(measured_bandwidth=np.array([0.0, 2e9]))
    f = mixed.carrier_bandwidth(100e-6)
    assert f[0] == pytest.approx(float(led.carrier_bandwidth(100e-6))) and f[1] == 2e9
