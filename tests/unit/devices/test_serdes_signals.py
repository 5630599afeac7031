"""The shared filter primitives of microlink.signals and the identities the batched equaliser relies on."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microlink import signals
from microlink.channels import copper, multimode
from microlink.devices import serdes


def test_one_home_for_each_primitive():
    assert serdes.butterworth_response is signals.butterworth_response
    assert serdes.ctle_response is signals.ctle_response
    assert serdes.fir_response is signals.fir_response
    assert serdes.pole_response is signals.single_pole_response
    assert copper.minimum_phase_response is signals.minimum_phase_response
    assert multimode.gaussian_response is signals.gaussian_response


@given(gain_db=st.floats(-30.0, 0.0), rate=st.floats(1e9, 2e11))
def test_ctle_is_affine_in_its_linear_gain(gain_db, rate):
    f = np.linspace(0.0, 2.0 * rate, 257)
    k, kz = signals.ctle_gain_basis(f, rate)
    g = 10.0 ** (gain_db / 20.0)
    h = signals.ctle_response(f, rate, gain_db)
    np.testing.assert_allclose(g * k + kz, h, rtol=1e-12, atol=1e-15)
    # |H|^2 = g^2 |K|^2 + (f/f_z)^2 |K|^2: the cross term vanishes (kz is K rotated by 90 degrees)
    np.testing.assert_allclose(np.abs(h) ** 2, g * g * np.abs(k) ** 2 + np.abs(kz) ** 2, rtol=1e-12, atol=1e-15)


def test_butterworth_corner_and_order():
    for order in (1, 2, 4, 6):
        assert abs(signals.butterworth_response(10.0, 10.0, order)) ** 2 == pytest.approx(0.5, rel=1e-12)
        assert signals.butterworth_response(0.0, 10.0, order) == pytest.approx(1.0)
    # roll-off 20 n dB/decade far above the corner
    assert 20 * np.log10(abs(signals.butterworth_response(1e4, 10.0, 4))) == pytest.approx(-240.0, abs=0.01)
    # order 1 is the single pole
    f = np.linspace(0, 50, 11)
    np.testing.assert_allclose(signals.butterworth_response(f, 7.0, 1), signals.single_pole_response(f, 7.0),
                               rtol=1e-12)


def test_gaussian_half_power_bandwidth():
    sigma = 1e-11
    b = multimode.GAUSSIAN_SIGMA_BANDWIDTH / sigma  # -3 dB optical bandwidth: |H| = 1/2
    assert signals.gaussian_response(b, sigma) == pytest.approx(0.5, rel=1e-12)


def test_fir_response_at_dc_and_nyquist():
    taps = np.array([-0.1, 0.8, -0.1])
    h = signals.fir_response(np.array([0.0, 0.5]), taps, 1)
    assert h[0] == pytest.approx(taps.sum())
    assert h[1] == pytest.approx(-taps[0] + taps[1] - taps[2])


@given(a=st.floats(0.0, 40.0), b=st.floats(0.0, 20.0))
def test_minimum_phase_keeps_the_magnitude_and_matches_the_folded_cepstrum(a, b):
    nu = serdes.normalised_grid()
    loss = a * np.sqrt(nu / 0.5) + b * nu / 0.5
    h = signals.minimum_phase_response(loss)
    np.testing.assert_allclose(np.abs(h), 10.0 ** (-loss / 20.0), rtol=1e-9)
    # the textbook fold: c_0, 2 c_k for 0 < k < n/2, c_{n/2}, zero for negative quefrencies
    cep = np.fft.irfft(-loss / signals.NEPER_TO_DB)
    n = cep.size
    fold = np.concatenate([[cep[0]], 2.0 * cep[1:n // 2], [cep[n // 2]], np.zeros(n // 2 - 1)])
    np.testing.assert_allclose(h, np.exp(np.fft.rfft(fold)), rtol=1e-12, atol=1e-15)


def test_slicer_noise_variance_has_no_dense_stack_and_agrees_with_a_direct_form():
    s = serdes.SerDes()
    nu = serdes.normalised_grid()
    h = signals.minimum_phase_response(np.array([10.0, 30.0])[:, None] * np.sqrt(nu / 0.5)) * s.transmit_response(nu)
    eq = s.equalize(nu, 106.25e9, h)
    psd = np.full(nu.shape, 1e-17)
    got = serdes.slicer_noise_variance(s, eq, nu, np.full(2, 106.25e9), psd)
    f = nu * 106.25e9
    for i in range(2):
        resp = signals.butterworth_response(f, s.rx_bandwidth_ratio * 106.25e9) * signals.ctle_response(
            f, 106.25e9, eq.ctle_gain_db[i])
        r = serdes.noise_autocorrelation(nu, psd * np.abs(resp) ** 2, 106.25e9, eq.ffe_taps.shape[-1])
        w = eq.ffe_taps[i]
        direct = w @ r[np.abs(np.arange(w.size)[:, None] - np.arange(w.size)[None, :])] @ w
        assert got[i] == pytest.approx(direct, rel=1e-9, abs=0.0)
