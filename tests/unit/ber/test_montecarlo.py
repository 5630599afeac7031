"""Monte Carlo: seeding, stopping rules, exact intervals, compiled kernels against their NumPy twins."""

import numpy as np
import pytest
from scipy import stats

from microlink.ber import _compiled as C
from microlink.ber.model import DecisionModel, decision_point
from microlink.ber.montecarlo import (_lookup_tables, _symbol_setup, clopper_pearson, eye_density, make_generator,
                                      monte_carlo_ber)
from microlink.errors import ParameterError

NRZ = DecisionModel.from_cursors([0.05, 1.0, 0.2, -0.1, 0.05], sigma_one=0.35, sigma_zero=0.3,
                                 aggressors=np.array([0.03, 0.02]))
PAM4 = DecisionModel.from_cursors([0.02, 1.0, 0.08, -0.04], modulation="PAM4", sigma_one=0.09, sigma_zero=0.08)


def test_same_seed_same_result_and_seed_recorded():
    a = monte_carlo_ber(NRZ, seed=7, max_bits=200_000, min_errors=10**9)
    b = monte_carlo_ber(NRZ, seed=7, max_bits=200_000, min_errors=10**9)
    c = monte_carlo_ber(NRZ, seed=8, max_bits=200_000, min_errors=10**9)
    assert a.errors == b.errors and a.seed == 7 and a.bits == 200_000
    assert a.errors != c.errors
    fresh = monte_carlo_ber(NRZ, max_bits=10_000, min_errors=10**9)
    assert isinstance(fresh.seed, int)
    again = monte_carlo_ber(NRZ, seed=fresh.seed, max_bits=10_000, min_errors=10**9)
    assert again.errors == fresh.errors


def test_generator_passed_in():
    r = monte_carlo_ber(PAM4, rng=np.random.default_rng(3), max_bits=50_000, min_errors=10**9)
    assert r.seed is None and r.bits == 50_000
    with pytest.raises(ParameterError, match="seed"):
        make_generator(1, np.random.default_rng(1))


def test_stops_at_min_errors_or_budget():
    r = monte_carlo_ber(NRZ, seed=1, max_bits=10**8, min_errors=50)
    assert r.errors >= 50 and r.stopped == "errors" and r.bits < 10**7
    r = monte_carlo_ber(NRZ, seed=1, max_bits=30_000, min_errors=10**9)
    assert r.bits == 30_000 and r.stopped == "bits"
    assert r.ci_low <= r.ber <= r.ci_high


def test_clopper_pearson():
    lo, hi = clopper_pearson(0, 1000, 0.95)
    assert lo == 0.0 and hi == pytest.approx(1 - 0.025 ** (1 / 1000))
    lo, hi = clopper_pearson(10, 1000, 0.95)
    assert stats.binom.sf(9, 1000, lo) == pytest.approx(0.025, rel=1e-6)
    assert stats.binom.cdf(10, 1000, hi) == pytest.approx(0.025, rel=1e-6)
    with pytest.raises(ParameterError):
        clopper_pearson(5, 3)


@pytest.mark.parametrize("model", [NRZ, PAM4], ids=["nrz", "pam4"])
def test_compiled_kernels_equal_numpy_twins(model):
    pt = decision_point(model)
    offsets, positions, main_pos, span, taps = _symbol_setup(pt)
    aggr = np.ascontiguousarray(pt.amplitude * pt.aggressors)
    rng = np.random.default_rng(5)
    n = 5000
    bps = pt.bits_per_symbol
    words = rng.bit_generator.random_raw(C.words_needed(n, bps, aggr.size))
    noise = rng.standard_normal(n, dtype=np.float32)
    hist0 = rng.integers(0, pt.levels.size, span)
    args = (pt.levels.size, bps, taps, positions, main_pos, aggr.size, aggr, pt.sigma_levels, pt.thresholds,
            pt.bit_errors_table)
    none_j = (np.zeros((1, 1, 1)), np.zeros(0, np.int64), np.zeros(0))
    h1, h2, h3 = hist0.copy(), hist0.copy(), hist0.copy()
    e_np = C._mc_symbol_chunk_np(words, noise, *args, h1, n, *none_j)
    e_nb = C.mc_symbol_chunk(words, noise, *args, h2, n, *none_j)
    assert e_np == e_nb > 0
    lut = _lookup_tables(pt, positions, span, taps, aggr)
    if lut is not None:
        e_lut = C.mc_symbol_lut_chunk(words, noise, bps, lut[0], lut[1], lut[2], aggr.size, pt.sigma_levels,
                                      pt.thresholds, pt.bit_errors_table, h3, n)
        assert e_lut == e_np
        np.testing.assert_array_equal(h3, h1)
    np.testing.assert_array_equal(h1, h2)
    # waveform kernels
    sps = pt.samples_per_symbol
    n_ui = pt.pulse.size // sps
    poly = np.ascontiguousarray(pt.pulse[: n_ui * sps].reshape(n_ui, sps).T)
    wn = rng.standard_normal((n, sps), dtype=np.float32)
    hw = rng.integers(0, pt.levels.size, n_ui - 1)
    w_args = (pt.levels.size, bps, np.ascontiguousarray(pt.amplitude * pt.levels), poly,
              int(round((pt.phase - pt.main_index) * sps)), pt.sigma_levels, pt.thresholds, pt.bit_errors_table)
    out1, out2 = np.zeros((n, sps)), np.zeros((n, sps))
    e1 = C._mc_waveform_chunk_np(words, wn, *w_args, hw.copy(), n, n_ui - 1 - pt.main_index, aggr.size, aggr, out1)
    e2 = C.mc_waveform_chunk(words, wn, *w_args, hw.copy(), n, n_ui - 1 - pt.main_index, aggr.size, aggr, out2)
    assert e1 == e2
    np.testing.assert_allclose(out1, out2, atol=1e-12)


def test_waveform_and_symbol_modes_agree_statistically():
    a = monte_carlo_ber(PAM4, seed=2, max_bits=400_000, min_errors=10**9, mode="symbol")
    b = monte_carlo_ber(PAM4, seed=2, max_bits=400_000, min_errors=10**9, mode="waveform")
    assert a.ci_low < b.ber < a.ci_high or b.ci_low < a.ber < b.ci_high


def test_jitter_only_in_symbol_mode_and_waveform_needs_grid_phase():
    m = DecisionModel.from_cursors([1.0, 0.2], sigma_one=0.2, random_jitter_rms=0.02)
    with pytest.raises(ParameterError, match="mode"):
        monte_carlo_ber(m, seed=1, max_bits=1000, mode="waveform")
    r = monte_carlo_ber(m, seed=1, max_bits=20_000, min_errors=10**9)
    assert r.bits == 20_000
    plain = DecisionModel.from_cursors([1.0, 0.2], sigma_one=0.2)
    with pytest.raises(ParameterError, match="phase"):
        monte_carlo_ber(plain, seed=1, max_bits=1000, mode="waveform", phase=plain.cursor_instant + 0.01)


def test_bad_arguments():
    with pytest.raises(ParameterError, match="mode"):
        monte_carlo_ber(NRZ, seed=1, mode="fast")
    with pytest.raises(ParameterError, match="min_errors"):
        monte_carlo_ber(NRZ, seed=1, min_errors=0)
    with pytest.raises(ParameterError, match="seed"):
        monte_carlo_ber(NRZ, seed=-3)


def test_eye_density_counts_every_sample():
    d = eye_density(NRZ, n_symbols=2000, seed=4)
    assert d.counts.sum() == 2000 * NRZ.samples_per_symbol
    assert d.counts.shape == (2 * NRZ.samples_per_symbol, 200) and d.seed == 4
