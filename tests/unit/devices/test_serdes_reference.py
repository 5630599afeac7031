"""The batched, compiled equaliser against a plain reference implementation kept here.

The reference is the direct formulation: every CTLE setting of the grid gets its own pulse by inverse FFT,
every (setting, sampling phase) its own dense ``N x N`` system solved by ``numpy.linalg.solve``, the
equalised response by explicit convolution, and the best candidate by ``argmax``. The production path
(:func:`microlink.devices.serdes.equalize`) must reproduce it to 1e-9 relative on every output, on both
engines (the compiled kernels and their NumPy implementation, :mod:`microlink.kernels`): every test here
runs once per engine.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microlink.devices.serdes import (
    AnalogSerDes,
    ChipToModuleSerDes,
    SerDes,
    ShortReachSerDes,
    equalize,
    mmse_ffe_dfe,
    normalised_grid,
)
from microlink import kernels
from microlink.signals import minimum_phase_response

RTOL = 1e-9
RS = 106.25e9


@pytest.fixture(autouse=True, params=kernels.ENGINES)
def engine(request):
    with kernels.use_engine(request.param):
        yield request.param


# ------------------------------------------------------------------------------------------------------
# Reference (direct, unbatched formulation)


def _ref_butterworth(f, fc, order=4):
    x = 1j * np.asarray(f, dtype=float) / fc
    h = np.ones(np.shape(x), dtype=complex)
    for k in range(1, order + 1):
        p = np.exp(1j * np.pi * (2 * k + order - 1) / (2 * order))
        h = h * (-p) / (x - p)
    return h


def _ref_ctle(f, fb, gain_db):
    g = 10.0 ** (gain_db / 20.0)
    fz, fp1, fp2, flf = 0.4 * fb, 0.4 * fb, fb, fb / 80.0
    return (g + 1j * f / fz) / ((1 + 1j * f / fp1) * (1 + 1j * f / fp2)) * (1.0 + 1j * f / flf) / (1 + 1j * f / flf)


def _ref_pulse(response, n_symbols, sps, delay=4.0):
    n = n_symbols * sps
    nu = np.fft.rfftfreq(n, d=1.0 / sps)
    rect = np.zeros(n)
    rect[:sps] = 1.0
    return np.fft.irfft(response * np.fft.rfft(rect) * np.exp(-2j * np.pi * nu * delay), n=n)


def _ref_autocorr(nu, psd, rs, lags):
    w = np.full(nu.shape, nu[1] - nu[0])
    w[0] *= 0.5
    w[-1] *= 0.5
    return np.array([np.sum(psd * w * np.cos(2 * np.pi * nu * l)) for l in range(lags)]) * rs


def _ref_mmse(x, rn, sd2, stx, n_taps, n_pre, n_dfe):
    u = x.size
    m = int(np.argmax(x))
    rx = np.array([np.dot(x[: u - l], x[l:]) for l in range(n_taps)])
    toe = lambda r: r[np.abs(np.arange(n_taps)[:, None] - np.arange(n_taps)[None, :])]

    def column(k):
        idx = m + k + n_pre - np.arange(n_taps)
        return np.where((idx >= 0) & (idx < u), x[np.clip(idx, 0, u - 1)], 0.0)

    a = (sd2 + stx) * toe(rx) + toe(rn)
    for k in range(1, n_dfe + 1):
        a = a - sd2 * np.outer(column(k), column(k))
    a = a + 1e-12 * max(np.trace(a) / n_taps, 1e-300) * np.eye(n_taps)
    w = sd2 * np.linalg.solve(a, column(0))
    g = np.convolve(w, x)
    return w, g, m, max(float(w @ toe(rn) @ w), 0.0)


def reference_equalize(s, nu, rs, h, noise_psd, sd2, stx, n_symbols=64, sps=8):
    """One design point (``h``, ``noise_psd`` are ``[F]``); returns a dict of the Equalization fields."""
    f = nu * rs
    n_taps = int(s.ffe_taps)
    n_pre = min(int(s.ffe_pre_taps), n_taps - 1)
    n_dfe = int(s.dfe_taps)
    h_rx = _ref_butterworth(f, s.rx_bandwidth_ratio * rs)
    psd = s.rx_noise_density + noise_psd
    best = None
    for gain_db in s.ctle_gains_db:
        ctle = _ref_ctle(f, rs, gain_db)
        p = _ref_pulse(h * h_rx * ctle, n_symbols, sps)
        dp = (np.roll(p, -1) - np.roll(p, 1)) * (sps / 2.0)
        rn = _ref_autocorr(nu, psd * np.abs(h_rx * ctle) ** 2, rs, n_taps)
        peak = int(np.argmax(p)) % sps
        for off in (-1, 0, 1):
            ph = (peak + off) % sps
            x, dx = p[ph::sps], dp[ph::sps]
            w, g, m, noise = _ref_mmse(x, rn, sd2, stx, n_taps, n_pre, n_dfe)
            mp = m + n_pre
            isi = g.copy()
            isi[mp: mp + n_dfe + 1] = 0.0
            dg = np.convolve(w, dx)
            jit = sd2 * (s.random_jitter**2 + s.dual_dirac_jitter**2) * np.sum(dg * dg)
            tx = stx * np.sum(g * g)
            snr = sd2 * g[mp] ** 2 / (sd2 * np.sum(isi * isi) + noise + tx + jit + 1e-300)
            if best is None or snr > best["snr"]:
                dfe = g[np.clip(mp + 1 + np.arange(n_dfe), 0, g.size - 1)]
                eq_pulse = sum(w[j] * np.roll(p, (j - n_pre) * sps) for j in range(n_taps))
                best = dict(snr=snr, main=g[mp], residual_isi=isi, sigma_noise=np.sqrt(noise), sigma_tx=np.sqrt(tx),
                            sigma_jitter=np.sqrt(jit), dfe_taps=dfe, ffe_taps=w, ctle_gain_db=gain_db,
                            phase=ph / sps, pulse=eq_pulse)
    p0 = _ref_pulse(h, n_symbols, sps)
    raw = _ref_autocorr(nu, psd * np.abs(h_rx) ** 2, rs, 1)[0] / p0.max() ** 2
    best["noise_enhancement_db"] = 10 * np.log10(best["sigma_noise"] ** 2 / best["main"] ** 2 / raw)
    best["unequalized_main"] = p0.max()
    best["snr_db"] = 10 * np.log10(best.pop("snr"))
    return best


# ------------------------------------------------------------------------------------------------------
# Channels


def _channels(rng, n, nu):
    """Random skin + dielectric loss channels with ripple, transmitted through a 3-tap TX FFE."""
    a_skin = rng.uniform(3.0, 30.0, n)[:, None]
    a_diel = rng.uniform(0.0, 15.0, n)[:, None]
    ripple = rng.uniform(0.0, 1.0, n)[:, None] * np.sin(2 * np.pi * nu * rng.uniform(2, 12, n)[:, None])
    loss = a_skin * np.sqrt(nu / 0.5) + a_diel * nu / 0.5 + ripple
    return minimum_phase_response(loss)


FIELDS = ("main", "residual_isi", "sigma_noise", "sigma_tx", "sigma_jitter", "dfe_taps", "ffe_taps", "ctle_gain_db",
          "phase", "snr_db", "noise_enhancement_db", "unequalized_main", "pulse")


def _compare(eq, i, ref):
    for name in FIELDS:
        got = np.asarray(getattr(eq, name))[i]
        want = np.asarray(ref[name])
        scale = max(np.max(np.abs(want), initial=0.0), 1e-300)
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=RTOL * scale, err_msg=name)


@pytest.mark.parametrize("serdes", [SerDes(), ChipToModuleSerDes(), AnalogSerDes(), ShortReachSerDes(),
                                    SerDes(dfe_taps=0, ffe_taps=7, ffe_pre_taps=2, ctle_steps=5)],
                         ids=["lr", "c2m", "analog", "xsr", "short-ffe"])
def test_batched_equaliser_matches_the_reference(serdes):
    seed = 20261201
    rng = np.random.default_rng(seed)
    nu = normalised_grid()
    n = 6
    h = _channels(rng, n, nu) * serdes.transmit_response(nu)
    rs = rng.uniform(25e9, 115e9, n)
    noise = rng.uniform(0.0, 5e-17, n)[:, None] * np.ones(nu.shape)
    sd2 = 5.0 / 9.0
    stx = float(serdes.tx_noise_variance)
    eq = equalize(serdes, nu, rs, h, noise, symbol_variance_=sd2, tx_noise=True, chunk_points=4)
    for i in range(n):
        _compare(eq, i, reference_equalize(serdes, nu, rs[i], h[i], noise[i], sd2, stx))


def test_nrz_symbols_and_explicit_tx_noise():
    s = SerDes()
    rng = np.random.default_rng(7)
    nu = normalised_grid()
    h = _channels(rng, 3, nu) * s.transmit_response(nu)
    stx = np.array([0.0, 1e-3, 1e-2])
    eq = equalize(s, nu, RS, h, 0.0, symbol_variance_=1.0, tx_noise=stx)
    for i in range(3):
        _compare(eq, i, reference_equalize(s, nu, RS, h[i], np.zeros(nu.shape), 1.0, stx[i]))


def test_result_does_not_depend_on_chunking_or_batch_layout():
    s = SerDes()
    rng = np.random.default_rng(11)
    nu = normalised_grid()
    h = (_channels(rng, 12, nu) * s.transmit_response(nu)).reshape(3, 4, -1)
    a = equalize(s, nu, RS, h, chunk_points=1)
    b = equalize(s, nu, RS, h, chunk_points=1000)
    c = equalize(s, nu, RS, h[1, 2])  # one point alone
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
        np.testing.assert_array_equal(getattr(a, name)[1, 2], getattr(c, name), err_msg=name)
    assert a.main.shape == (3, 4) and a.residual_isi.shape == (3, 4, 64 + 24 - 1) and c.main.shape == ()


def test_broadcast_inputs_are_not_materialised_wrongly():
    """One channel, many symbol rates (the channel broadcasts over the rate axis)."""
    s = SerDes()
    nu = normalised_grid()
    h = _channels(np.random.default_rng(3), 1, nu)[0] * s.transmit_response(nu)
    rates = np.array([50e9, 100e9])
    eq = equalize(s, nu, rates, h)
    for i, rs in enumerate(rates):
        _compare(eq, i, reference_equalize(s, nu, rs, h, np.zeros(nu.shape), 5 / 9, float(s.tx_noise_variance)))


def test_keep_pulse_false_drops_only_the_pulse():
    s = SerDes()
    nu = normalised_grid()
    h = _channels(np.random.default_rng(5), 2, nu) * s.transmit_response(nu)
    a, b = equalize(s, nu, RS, h), equalize(s, nu, RS, h, keep_pulse=False)
    assert b.pulse is None
    np.testing.assert_array_equal(a.snr_db, b.snr_db)
    np.testing.assert_array_equal(a.ffe_taps, b.ffe_taps)


def test_mmse_ffe_dfe_matches_the_dense_solve():
    rng = np.random.default_rng(19)
    x = np.exp(-np.abs(np.arange(40) - 10) / rng.uniform(1.0, 4.0, (5, 1))) * rng.uniform(0.2, 1.0, (5, 1))
    rn = 1e-3 * np.exp(-np.arange(12) / 2.0) * rng.uniform(0.5, 2.0, (5, 1))
    sol = mmse_ffe_dfe(x, rn, 5 / 9, 1e-3, 12, 3, 2)
    for i in range(5):
        w, g, m, noise = _ref_mmse(x[i], rn[i], 5 / 9, 1e-3, 12, 3, 2)
        np.testing.assert_allclose(sol.taps[i], w, rtol=RTOL, atol=RTOL * np.abs(w).max())
        np.testing.assert_allclose(sol.response[i], g, rtol=RTOL, atol=RTOL * np.abs(g).max())
        assert sol.main_index[i] == m
        assert sol.noise_variance[i] == pytest.approx(noise, rel=RTOL)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(skin=st.floats(1.0, 40.0), diel=st.floats(0.0, 20.0), rate=st.floats(20e9, 120e9),
       extra=st.floats(0.0, 1e-16), taps=st.integers(2, 16), pre=st.integers(0, 4), dfe=st.integers(0, 4))
def test_property_matches_reference_and_eye_is_bounded(skin, diel, rate, extra, taps, pre, dfe):
    s = SerDes(ffe_taps=taps, ffe_pre_taps=min(pre, taps - 1), dfe_taps=dfe, ctle_steps=4)
    nu = normalised_grid()
    h = minimum_phase_response(skin * np.sqrt(nu / 0.5) + diel * nu / 0.5) * s.transmit_response(nu)
    psd = np.full(nu.shape, extra)
    eq = equalize(s, nu, rate, h[None], psd[None])
    ref = reference_equalize(s, nu, rate, h, psd, 5 / 9, float(s.tx_noise_variance))
    _compare(eq, 0, ref)
    # MMSE with an unbiased slicer: the equalised main cursor never exceeds the symbol (w^T A w = sd2 main)
    assert 0.0 < float(eq.main[0]) <= 1.0 + 1e-9
    assert float(eq.sigma_noise[0]) >= 0.0


@pytest.mark.parametrize("kwargs, field", [
    (dict(normalised_frequency=np.linspace(0, 4, 100)), "normalised_frequency"),
    (dict(symbol_rate=-1.0), "symbol_rate"),
    (dict(symbol_rate=np.nan), "symbol_rate"),
    (dict(chunk_points=0), "chunk_points"),
])
def test_bad_input_names_the_field(kwargs, field):
    from microlink.errors import ParameterError

    s = SerDes()
    nu = normalised_grid()
    args = dict(normalised_frequency=nu, symbol_rate=RS, channel_response=np.ones(nu.shape, complex))
    args.update(kwargs)
    with pytest.raises(ParameterError, match=field):
        equalize(s, **args)
