"""SerDes transfer functions, MMSE FFE/DFE equalisation and block energies."""

import numpy as np
import pytest

from microlink.channels.copper import minimum_phase_response
from microlink.devices.serdes import (
    AnalogSerDes,
    ChipToModuleSerDes,
    SerDes,
    butterworth_response,
    ctle_response,
    normalised_grid,
    slicer_noise_variance,
)
from microlink.errors import ParameterError

RS = 106.25e9


def test_butterworth_and_ctle_shapes():
    fc = 30e9
    assert abs(butterworth_response(0.0, fc)) == pytest.approx(1.0)
    assert abs(butterworth_response(fc, fc, 4)) ** 2 == pytest.approx(0.5, rel=1e-9)
    assert abs(butterworth_response(fc, fc, 2)) ** 2 == pytest.approx(0.5, rel=1e-9)
    # CTLE: DC gain g, unity high-frequency asymptote (f_z = f_p1) before the f_p2 pole
    assert abs(ctle_response(0.0, RS, -12.0)) == pytest.approx(10 ** (-12 / 20), rel=1e-9)
    assert abs(ctle_response(0.3 * RS, RS, -12.0)) > abs(ctle_response(0.0, RS, -12.0))


def _channel(loss_at_nyquist_db, shape=()):
    nu = normalised_grid()
    loss = loss_at_nyquist_db * np.sqrt(nu / 0.5)  # skin-effect-like
    h = minimum_phase_response(np.broadcast_to(loss, shape + nu.shape))
    return nu, h


@pytest.mark.parametrize("loss_db", [5.0, 20.0, 35.0])
def test_equaliser_opens_the_eye(loss_db):
    s = SerDes()
    nu, h = _channel(loss_db)
    eq = s.equalize(nu, RS, h * s.transmit_response(nu))
    assert 0.9 < float(eq.main) <= 1.0 + 1e-9
    assert float(eq.isi_abs_sum) < 0.5
    assert np.isfinite(eq.snr_db)


def test_more_loss_means_less_snr_and_more_noise_enhancement():
    s = SerDes()
    nu = normalised_grid()
    loss = np.array([10.0, 25.0, 40.0])[:, None] * np.sqrt(nu / 0.5)
    h = minimum_phase_response(loss)
    eq = s.equalize(nu, np.full(3, RS), h * s.transmit_response(nu))
    assert np.all(np.diff(eq.snr_db) < 0)
    assert np.all(np.diff(eq.noise_enhancement_db) > 0)


def test_slicer_noise_variance_reproduces_the_equaliser_noise():
    s = SerDes()
    nu, h = _channel(20.0)
    extra = np.full(nu.shape, 3e-17)
    eq = s.equalize(nu, RS, h * s.transmit_response(nu), extra)
    total = slicer_noise_variance(s, eq, nu, np.asarray(RS), extra + s.rx_noise_density)
    assert float(total) == pytest.approx(float(eq.sigma_noise) ** 2, rel=1e-9, abs=0.0)


def test_energy_blocks_and_architectures():
    lr, c2m, analog = SerDes(), ChipToModuleSerDes(), AnalogSerDes()
    e = lr.energy_per_bit(RS, 2)
    assert all(v > 0 for v in e.values())
    total = lambda s: sum(s.energy_per_bit(53.125e9, 2).values())
    # an ADC-less receiver saves the ADC (FoM 2^ENOB per sample); a shorter FFE saves taps
    assert total(analog) < total(c2m) < total(lr)
    # long-reach 200G lane: TX + RX + clock of a few pJ/bit
    assert 2e-12 < sum(e.values()) < 6e-12


def test_bounds_are_enforced():
    with pytest.raises(ParameterError, match="serdes.ffe_taps"):
        SerDes(ffe_taps=0)
    with pytest.raises(ParameterError, match="serdes.tx_amplitude"):
        SerDes(tx_amplitude=-1.0)
