"""PAM closed forms: textbook limits, worst case, level-dependent noise, agreement with Monte Carlo."""

import numpy as np
import pytest

from microlink.ber.closed_form import NRZ_LEVELS, PAM4_LEVELS, pam_ber, symbol_variance
from microlink.errors import ParameterError
from microlink.units import q_to_ber


def test_textbook_pam4_and_nrz_without_isi():
    # PAM4, outer levels at +-A h0: eye half-opening A/3, BER = 3/4 Q(A/(3 sigma)) (Proakis sec. 4.3)
    assert pam_ber(1.0, [0.0], 3.0, 0.2) == pytest.approx(0.75 * q_to_ber(5.0), rel=1e-12, abs=0.0)
    assert pam_ber(1.0, [], 1.0, 0.2, levels=NRZ_LEVELS) == pytest.approx(q_to_ber(5.0), rel=1e-12, abs=0.0)
    assert symbol_variance(PAM4_LEVELS) == pytest.approx(5.0 / 9.0)


def test_worst_case_shifts_every_eye_by_the_closure():
    h = 0.1
    expected = 0.75 * q_to_ber((1.0 - 3.0 * h) / 0.2)
    assert pam_ber(1.0, [h], 3.0, 0.2, method="worst") == pytest.approx(expected, rel=1e-12, abs=0.0)
    assert pam_ber(1.0, [h], 3.0, 0.2, method="worst") > pam_ber(1.0, [h], 3.0, 0.2)


def test_monotone_in_noise_and_isi_and_vectorised():
    sig = np.array([0.1, 0.2, 0.3])
    ber = pam_ber(np.ones(3), np.tile([0.05, -0.02], (3, 1)), 3.0, sig)
    assert np.all(np.diff(ber) > 0)
    isi = np.array([[0.0], [0.05], [0.1]])
    ber2 = pam_ber(np.ones(3), isi, 3.0, 0.25)
    assert np.all(np.diff(ber2) > 0)
    assert ber.shape == (3,)


def test_level_dependent_noise_moves_thresholds():
    # noise only on the top level: the lower eyes are clean, total BER below the uniform-noise case
    per_level = pam_ber(1.0, [0.0], 3.0, None, level_sigma=[0.05, 0.05, 0.05, 0.4])
    uniform = pam_ber(1.0, [0.0], 3.0, 0.4)
    assert 0 < per_level < uniform


def test_monte_carlo_agrees_with_closed_form():
    rng = np.random.default_rng(7)
    n = 400_000
    h0, h1, amp, sigma = 1.0, 0.2, 1.0, 0.12
    sym = rng.integers(0, 4, size=n + 1)
    lv = PAM4_LEVELS[sym]
    y = amp * (h0 * lv[1:] + h1 * lv[:-1]) + sigma * rng.standard_normal(n)
    th = amp * h0 * np.array([-2 / 3, 0.0, 2 / 3])
    decided = np.searchsorted(th, y)
    gray = np.array([0, 1, 3, 2])
    bits = np.unpackbits((gray[decided] ^ gray[sym[1:]]).astype(np.uint8)[:, None], axis=1).sum()
    ber_mc = bits / (2 * n)
    ber_cf = float(pam_ber(h0, [h1], amp, sigma))
    # 3-sigma binomial interval of the simulated estimate
    tol = 3 * np.sqrt(ber_cf / (2 * n))
    assert abs(ber_mc - ber_cf) < tol + 0.02 * ber_cf


def test_bad_input_names_the_field():
    with pytest.raises(ParameterError, match="levels"):
        pam_ber(1.0, [0.0], 1.0, 0.1, levels=[1.0, -1.0])
    with pytest.raises(ParameterError, match="method"):
        pam_ber(1.0, [0.0], 1.0, 0.1, method="median")
    with pytest.raises(ParameterError, match="sigma"):
        pam_ber(1.0, [0.0], 1.0, -0.1)


@pytest.mark.parametrize("engine", ["compiled", "numpy"])
@pytest.mark.parametrize("levels", [PAM4_LEVELS, 3.0 * PAM4_LEVELS, PAM4_LEVELS + 0.25])
def test_one_noise_rms_merges_the_level_tails_without_changing_the_ber(engine, levels):
    # one sigma for every level (and midpoint thresholds) takes the merged kernel; the same noise given per
    # level takes the general one. They differ only by the rounding of the threshold distances, which an
    # erfc tail at z amplifies by ~2 z^2: ~3e-14 at the deepest BERs here (z ~ 12)
    from microlink import kernels

    rng = np.random.default_rng(11)
    n = 400
    main = rng.uniform(0.2, 1.0, n)
    isi = rng.normal(0.0, 0.05, (n, 10)) * rng.uniform(0.1, 3.0, (n, 1))
    aggressors = rng.normal(0.0, 0.03, (n, 3))
    sigma = rng.uniform(0.01, 0.25, n) * main
    with kernels.use_engine(engine):
        merged = pam_ber(main, isi, 1.0, sigma, levels=levels, aggressors=aggressors)
        general = pam_ber(main, isi, 1.0, levels=levels, level_sigma=np.repeat(sigma[:, None], 4, axis=1),
                          aggressors=aggressors)
    assert np.all(general > 0)
    np.testing.assert_allclose(merged, general, rtol=1e-12, atol=0.0)


def test_symmetric_levels_average_half_the_patterns(monkeypatch):
    """Levels symmetric about 0 pair each interferer pattern with its complement (the same two tails): the
    merged average reads the first half of the enumeration; levels equally spaced but off-centre read all."""
    from microlink import kernels
    from microlink.ber import closed_form

    seen = []
    original = closed_form._pam_equal_average

    def spy(half, c, push, patterns, up, down):
        seen.append(patterns.shape[0])
        return original(half, c, push, patterns, up, down)

    monkeypatch.setattr(closed_form, "_pam_equal_average", spy)
    isi, aggressors = [0.1, -0.05, 0.02], [0.03]
    with kernels.use_engine("numpy"):
        pam_ber(1.0, isi, 1.0, 0.1, aggressors=aggressors)
        pam_ber(1.0, isi, 1.0, 0.1, levels=PAM4_LEVELS + 0.25, aggressors=aggressors)
    assert seen == [4**3 * 2 // 2, 4**3 * 2]


def test_levels_only_nearly_equally_spaced_keep_the_general_path():
    # spacings 1e-12 apart: merging with the first spacing would move a BER of ~1e-198 by ~4e-10 relative
    levels = np.array([-1.0, -1.0 / 3.0 + 3e-13, 1.0 / 3.0 + 3e-13, 1.0])
    sigma = (levels[1] - levels[0]) / 2.0 / 30.0  # Q ~ 30
    one = pam_ber(1.0, [], 1.0, sigma, levels=levels)
    per_level = pam_ber(1.0, [], 1.0, levels=levels, level_sigma=np.repeat(sigma, 4))
    np.testing.assert_allclose(one, per_level, rtol=1e-14, atol=0.0)


#: Cursors of the LightBundle-like micro-LED lane at 14.7 m (main, then its largest interferers), where a
#: threshold on the ideal levels made the BER rise again with the received power.
_MICROLED_ISI = (0.572, [0.2058, 0.1978, 0.011, 0.0059, 0.0047, 0.0019, 0.0007, 0.0003])


def test_the_default_threshold_does_no_worse_than_the_midpoint_and_small_noise_opens_the_eye():
    """Unequal noise (shot noise and RIN grow with the photocurrent) and a large ISI closure: the tails of the
    ideal levels, equalised, put the threshold outside the inner eye (8.6e-2 however small the noise); the
    inner edges', equalised, keep it inside, and it does at least as well as deciding at the mean."""
    main, isi = _MICROLED_ISI
    s0 = np.array([1e-2, 1e-3, 1e-4])
    sigma = np.stack([s0, 1.9 * s0], axis=-1)  # the one level's noise 1.9x the zero's, as at +50 dB of power
    q_opt = pam_ber(main, isi, 1.0, levels=NRZ_LEVELS, level_sigma=sigma, exact_terms=8)  # every cursor exact
    mid = pam_ber(main, isi, 1.0, levels=NRZ_LEVELS, level_sigma=sigma, thresholds=[0.0], exact_terms=8)
    assert np.all(q_opt <= mid * (1.0 + 1e-9))  # the midpoint is one threshold an optimal one must match
    assert q_opt[-1] < 1e-12  # a hundredth of the noise closes any eye that is open without it
