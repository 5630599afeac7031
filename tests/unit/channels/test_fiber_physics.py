"""Unit tests of silica dispersion, loss, modal delay, coupling and the imaging-fiber channel."""

import numpy as np
import pytest

from microlink.channels import fiber as f
from microlink.channels.imaging_fiber import ImagingFiber, crosstalk_ratio, gaussian_bandwidth, gaussian_response


def test_silica_index_malitson():
    assert f.silica_index(589.3e-9) == pytest.approx(1.4585, abs=2e-4)  # sodium D line, fused silica


def test_dispersion_against_numerical_derivative():
    lam = np.array([430e-9, 650e-9, 1300e-9, 1550e-9])
    h = 1e-10
    n2 = (f.silica_index(lam + h) - 2 * f.silica_index(lam) + f.silica_index(lam - h)) / h**2
    numeric = -(lam / 299792458.0) * n2
    np.testing.assert_allclose(f.silica_dispersion(lam), numeric, rtol=1e-4)


def test_zero_dispersion_near_1270nm():
    lam = np.linspace(1200e-9, 1350e-9, 3001)
    zero = lam[np.argmin(np.abs(f.silica_dispersion(lam)))]
    assert zero == pytest.approx(1.273e-6, abs=10e-9)


def test_chromatic_spread_hand_value():
    # |D| 768 ps/(nm km), 20 nm FWHM, 10 m: 768e-6 s/m^2 * 20e-9 m * 0.4247 * 10 m = 65 ps rms
    assert f.chromatic_rms_spread(-768e-6, 20e-9, 10.0) == pytest.approx(65.2e-12, rel=1e-2, abs=0.0)


def test_modal_spread_single_mode_and_coupling():
    d = f.modal_delay_per_length(0.2, 1.46, False)
    assert f.modal_rms_spread(d, 10.0, 1e9, 2.0) == 0.0  # single-mode core
    long_ = f.modal_rms_spread(d, 1e4, 100.0, 20.0)
    assert long_ < d * 1e4 / np.sqrt(12) / 5  # sqrt(L L_c) growth beyond coupling length
    graded = f.modal_delay_per_length(0.2, 1.46, True)
    assert graded < d / 100


def test_coupling_etendue_lens_cap():
    lens = f.source_coupling_efficiency(3e-6, 15e-6, 0.4, 1.0, 1.0, True)
    assert lens == pytest.approx(1.0)  # small source, big core: etendue allows everything
    butt_big_source = f.source_coupling_efficiency(30e-6, 15e-6, 0.4, 1.0, 1.0, False)
    assert butt_big_source == pytest.approx(0.16 * 0.25)
    narrow = f.source_coupling_efficiency(5e-6, 10e-6, 0.4, 5.0, 1.0, False)
    assert narrow > 0.16  # a narrower far field couples better


def test_gaussian_response_and_bandwidth():
    s = 100e-12
    bw = gaussian_bandwidth(s)
    assert abs(gaussian_response(bw, s)) ** 2 == pytest.approx(0.5)
    assert gaussian_bandwidth(0.0) == np.inf


def test_imaging_fiber_loss_and_crosstalk_grow_with_length():
    fib = ImagingFiber()
    lengths = np.array([1.0, 10.0, 50.0])
    assert np.all(np.diff(fib.loss_db(lengths, 450e-9)) > 0)
    assert np.all(np.diff(fib.crosstalk(lengths)) > 0)
    assert np.all(np.diff(fib.rms_spread(lengths, 450e-9, 20e-9)) > 0)
    assert crosstalk_ratio(0.5, 1.0, 10.0) == pytest.approx(1.0)  # end part plus saturated exchange, capped
