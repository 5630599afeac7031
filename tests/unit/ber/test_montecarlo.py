"""Monte Carlo: seeding, stopping rules, exact intervals, compiled kernels against a plain NumPy reference."""

import numpy as np
import pytest
from scipy import special, stats

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


def _reference_symbols(words, history, n, bps, n_aggr):
    """Plain NumPy reading of the kernels' word layout: history + symbols, and aggressor bits [n, M]."""
    per_word = 64 // bps
    n_sym_words = -(-n // per_word)
    w = words[:n_sym_words].astype(np.uint64)
    shifts = np.arange(per_word, dtype=np.uint64) * np.uint64(bps)
    sym = ((w[:, None] >> shifts[None, :]) & np.uint64((1 << bps) - 1)).reshape(-1)[:n].astype(np.int64)
    used = (n - (n_sym_words - 1) * per_word) * bps
    bit_rows = (words.astype(np.uint64)[:, None] >> np.arange(64, dtype=np.uint64)[None, :]) & np.uint64(1)
    bits = np.concatenate([bit_rows[n_sym_words - 1, used:], bit_rows[n_sym_words:].reshape(-1)])
    return np.concatenate([history, sym]), bits[: n * n_aggr].astype(np.int64).reshape(n, n_aggr)


@pytest.mark.parametrize("model", [NRZ, PAM4], ids=["nrz", "pam4"])
def test_compiled_kernels_equal_a_plain_numpy_reference(model):
    pt = decision_point(model)
    offsets, positions, main_pos, span, taps = _symbol_setup(pt)
    aggr = np.ascontiguousarray(pt.amplitude * pt.aggressors)
    rng = np.random.default_rng(5)
    n = 5000
    bps = pt.bits_per_symbol
    words = rng.bit_generator.random_raw(C.words_needed(n, bps, aggr.size))
    noise = rng.standard_normal(n, dtype=np.float32)
    hist0 = rng.integers(0, pt.levels.size, span)
    sym, abits = _reference_symbols(words, hist0, n, bps, aggr.size)
    y = taps[np.arange(positions.size)[None, :], sym[np.arange(n)[:, None] + positions[None, :]]].sum(axis=1)
    y = y + ((2 * abits - 1) * aggr[None, :]).sum(axis=1)
    s0 = sym[np.arange(n) + main_pos]
    y = y + pt.sigma_levels[s0] * noise
    e_ref = int(pt.bit_errors_table[s0, (y[:, None] > pt.thresholds[None, :]).sum(axis=1)].sum())
    args = (pt.levels.size, bps, taps, positions, main_pos, aggr.size, aggr, pt.sigma_levels, pt.thresholds,
            pt.bit_errors_table)
    none_j = (np.zeros((1, 1, 1)), np.zeros(0, np.int64), np.zeros(0))
    h2, h3 = hist0.copy(), hist0.copy()
    assert C.mc_symbol_chunk(words, noise, *args, h2, n, *none_j) == e_ref > 0
    np.testing.assert_array_equal(h2, sym[n:])
    # the table-lookup kernel reads the same words (its noise is drawn differently: see the tests below)
    lut = _lookup_tables(pt, positions, span, taps, aggr)
    assert lut is not None
    screen = rng.bit_generator.random_raw(C.screen_words_needed(n))
    C.mc_symbol_lut_chunk(words, screen, rng, bps, lut[0], lut[1], lut[2], aggr.size, pt.sigma_levels,
                          pt.thresholds, pt.bit_errors_table, h3, n)
    np.testing.assert_array_equal(h3, sym[n:])
    # waveform kernel: every sample, white noise
    sps = pt.samples_per_symbol
    n_ui = pt.pulse.size // sps
    poly = np.ascontiguousarray(pt.pulse[: n_ui * sps].reshape(n_ui, sps).T)
    wn = rng.standard_normal((n, sps), dtype=np.float32)
    hw = rng.integers(0, pt.levels.size, n_ui - 1)
    ph = int(round((pt.phase - pt.main_index) * sps))
    main_w = n_ui - 1 - pt.main_index
    sym_w, abits_w = _reference_symbols(words, hw, n, bps, aggr.size)
    lv = pt.amplitude * pt.levels
    x = lv[sym_w[np.arange(n)[:, None] + n_ui - 1 - np.arange(n_ui)[None, :]]] @ poly.T
    x = x + ((2 * abits_w - 1) * aggr[None, :]).sum(axis=1)[:, None]
    s_main = sym_w[np.arange(n) + main_w]
    x = x + pt.sigma_levels[s_main][:, None] * wn
    e_w = int(pt.bit_errors_table[s_main, (x[:, ph][:, None] > pt.thresholds[None, :]).sum(axis=1)].sum())
    out = np.zeros((n, sps))
    e2 = C.mc_waveform_chunk(words, wn, pt.levels.size, bps, np.ascontiguousarray(lv), poly, ph, pt.sigma_levels,
                             pt.thresholds, pt.bit_errors_table, hw.copy(), n, main_w, aggr.size, aggr, out)
    assert e2 == e_w
    np.testing.assert_allclose(out, x, atol=1e-12)


CLOSED = DecisionModel.from_cursors([1.0, 0.6, -0.5], sigma_one=0.0, sigma_zero=0.0)  # ISI closes the eye


def test_lookup_kernel_without_noise_counts_the_isi_errors_exactly():
    pt = decision_point(CLOSED, CLOSED.cursor_instant)
    offsets, positions, main_pos, span, taps = _symbol_setup(pt)
    rng = np.random.default_rng(9)
    n = 20_000
    words = rng.bit_generator.random_raw(C.words_needed(n, 1, 0))
    hist = rng.integers(0, 2, span)
    sym, _ = _reference_symbols(words, hist, n, 1, 0)
    y = taps[np.arange(positions.size)[None, :], sym[np.arange(n)[:, None] + positions[None, :]]].sum(axis=1)
    s0 = sym[np.arange(n) + main_pos]
    expected = int(np.count_nonzero((y > pt.thresholds[0]).astype(int) != s0))
    lut = _lookup_tables(pt, positions, span, taps, np.zeros(0))
    screen = rng.bit_generator.random_raw(C.screen_words_needed(n))
    got = C.mc_symbol_lut_chunk(words, screen, rng, 1, lut[0], lut[1], lut[2], 0, pt.sigma_levels, pt.thresholds,
                                pt.bit_errors_table, hist.copy(), n)
    assert got == expected > 1000


def test_screen_tables_pass_each_decision_with_the_gaussian_tail_probability():
    screen, accept = C.tail_tables()
    c = np.arange(screen.size) / C.TAIL_GRID
    q = special.erfc(c / np.sqrt(2.0))
    passed = screen / 2.0**C.SCREEN_BITS * accept
    np.testing.assert_allclose(passed[q > 0], q[q > 0], rtol=1e-12)
    assert np.all(screen >= q * 2.0**C.SCREEN_BITS) and np.all(accept <= 1.0)


@pytest.mark.parametrize("a", [0.0, 0.4, 1.0, 3.5])
def test_gaussian_tail_sampler_has_the_conditional_distribution(a):
    rng = np.random.default_rng(12)
    x = np.array([C._gaussian_tail(rng, a) for _ in range(4000)])
    assert np.all(x > a)
    cdf = lambda v: 1.0 - special.erfc(v / np.sqrt(2.0)) / special.erfc(a / np.sqrt(2.0))  # noqa: E731
    assert stats.kstest(x, cdf).pvalue > 1e-3


def test_lookup_and_general_kernels_count_alike():
    pt = decision_point(NRZ)
    offsets, positions, main_pos, span, taps = _symbol_setup(pt)
    aggr = np.ascontiguousarray(pt.amplitude * pt.aggressors)
    lut = _lookup_tables(pt, positions, span, taps, aggr)
    rng = np.random.default_rng(21)
    n = 400_000
    hist = rng.integers(0, 2, span)
    words = rng.bit_generator.random_raw(C.words_needed(n, 1, aggr.size))
    noise = rng.standard_normal(n, dtype=np.float32)
    none_j = (np.zeros((1, 1, 1)), np.zeros(0, np.int64), np.zeros(0))
    e_gen = C.mc_symbol_chunk(words, noise, 2, 1, taps, positions, main_pos, aggr.size, aggr, pt.sigma_levels,
                              pt.thresholds, pt.bit_errors_table, hist.copy(), n, *none_j)
    screen = rng.bit_generator.random_raw(C.screen_words_needed(n))
    e_lut = C.mc_symbol_lut_chunk(words, screen, rng, 1, lut[0], lut[1], lut[2], aggr.size, pt.sigma_levels,
                                  pt.thresholds, pt.bit_errors_table, hist.copy(), n)
    assert e_gen > 1000
    assert abs(e_lut - e_gen) < 4.0 * np.sqrt(e_lut + e_gen)  # two independent binomial counts


def test_waveform_noise_paths_agree_and_reproduce():
    # white noise drawn at the decisions only, on every sample, and filtered (unit gain): same statistics
    a = monte_carlo_ber(PAM4, seed=4, max_bits=300_000, min_errors=10**9, mode="waveform")
    b = monte_carlo_ber(PAM4, seed=4, max_bits=300_000, min_errors=10**9, mode="waveform", noise_filter=[1.0])
    c = monte_carlo_ber(PAM4, seed=4, max_bits=300_000, min_errors=10**9, mode="waveform",
                        noise_filter=[0.6, 0.3, 0.1])
    assert a.noise == "decision, screened" and b.noise.startswith("every sample") and c.noise.startswith("every")
    for x in (b, c):
        assert abs(x.errors - a.errors) < 4.0 * np.sqrt(x.errors + a.errors)
    again = monte_carlo_ber(PAM4, seed=4, max_bits=300_000, min_errors=10**9, mode="waveform",
                            noise_filter=[0.6, 0.3, 0.1])
    assert again.errors == c.errors
    with pytest.raises(ParameterError, match="noise_filter"):
        monte_carlo_ber(PAM4, seed=4, max_bits=1000, noise_filter=[1.0])
    with pytest.raises(ParameterError, match="noise_filter"):
        monte_carlo_ber(PAM4, seed=4, max_bits=1000, mode="waveform", noise_filter=[0.0, 0.0])


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
