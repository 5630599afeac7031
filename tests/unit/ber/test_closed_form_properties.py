"""Closed forms (NRZ and PAM4) and properties every BER method must have (hypothesis)."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from microlink.ber.closed_form import nrz_ber, pam_ber
from microlink.ber.model import DecisionModel, decision_point
from microlink.ber.statistical import statistical_ber
from microlink.units import q_to_ber


def test_pam_ber_nrz_equals_nrz_ber():
    h = np.array([0.2, -0.1, 0.05, 0.03])
    s1, s0 = 0.12, 0.1
    closure = np.sum(np.abs(h))  # the inner edges' tails are equalised (model.decision_thresholds)
    lo, hi = -1.0 + closure, 1.0 - closure
    th = (lo * s1 + hi * s0) / (s0 + s1)
    got = pam_ber(1.0, h, 1.0, levels="NRZ", level_sigma=[s0, s1], thresholds=[th], exact_terms=4)
    assert got == pytest.approx(nrz_ber(1.0, h, 1.0, s1, s0, exact_terms=12), rel=1e-12, abs=0.0)


def test_pam4_without_isi_is_the_textbook_formula():
    # Gray PAM4, equal noise, adjacent errors only: BER = (3/4) Q(d/sigma) with d = A/3 (half the level gap)
    sigma = 0.05
    got = pam_ber(1.0, np.zeros(1), 1.0, level_sigma=np.full(4, sigma), thresholds=[-2 / 3, 0.0, 2 / 3])
    assert got == pytest.approx(0.75 * float(q_to_ber(1 / 3 / sigma)), rel=1e-6, abs=0.0)


def test_pam_ber_vectorised_over_design_points():
    main = np.array([1.0, 0.9, 0.8])
    h = np.array([[0.1, 0.05], [0.1, 0.05], [0.2, 0.0]])
    sig = np.full((3, 4), 0.04)
    th = np.tile([-2 / 3, 0.0, 2 / 3], (3, 1)) * main[:, None]
    out = pam_ber(main, h, np.ones(3), level_sigma=sig, thresholds=th)
    assert out.shape == (3,)
    for i in range(3):
        assert out[i] == pytest.approx(pam_ber(main[i], h[i], 1.0, level_sigma=sig[i], thresholds=th[i]), rel=1e-12, abs=0.0)


cursor = st.floats(-0.15, 0.15)


@settings(max_examples=40, deadline=None)
@given(st.lists(cursor, min_size=0, max_size=6), st.floats(0.01, 3.0), st.floats(0.5, 2.0))
def test_nrz_ber_is_between_zero_and_half(isi, sigma, ratio):
    m = DecisionModel.from_cursors([1.0] + isi, sigma_one=sigma, sigma_zero=sigma * ratio)
    pt = decision_point(m, m.cursor_instant)
    b = statistical_ber(pt)["ber"]
    assert 0.0 <= b <= 0.5
    c = nrz_ber(pt.main, pt.cursors if pt.cursors.size else np.zeros(1), 1.0, pt.sigma_levels[1], pt.sigma_levels[0])
    assert 0.0 <= float(c) <= 0.5


@settings(max_examples=30, deadline=None)
@given(st.lists(cursor, min_size=0, max_size=5), st.floats(0.02, 0.5), st.floats(1.05, 2.0),
       st.sampled_from(["NRZ", "PAM4"]))
def test_ber_is_monotone_in_snr(isi, sigma, factor, modulation):
    # more noise (same signal, same thresholds) never lowers the BER of an open eye. (Where ISI alone
    # closes the eye, noise can undo ISI errors and the BER is not monotone: that is physics, not a bug.)
    levels = 2 if modulation == "NRZ" else 4
    assume(np.sum(np.abs(isi)) < 0.95 / (levels - 1))

    def ber(s):
        m = DecisionModel.from_cursors([1.0] + isi, modulation=modulation, sigma_one=s)
        return statistical_ber(decision_point(m, m.cursor_instant))["ber"]

    assert ber(sigma * factor) >= ber(sigma) * (1 - 1e-6)


def test_closed_form_with_unequal_levels_and_crosstalk_equals_statistical_eye():
    # compressed PAM4 levels, per-level noise and a binary aggressor: every interferer is enumerated exactly,
    # so the closed form and the statistical eye compute the same sum (to the eye's grid accuracy)
    m = DecisionModel.from_cursors([0.03, 1.0, 0.12, -0.05], modulation="PAM4", sigma_one=0.06, sigma_zero=0.04,
                                   level_positions=np.array([-1.0, -0.42, 0.28, 1.0]),
                                   sigma_levels=np.array([0.04, 0.045, 0.055, 0.065]),
                                   aggressors=np.array([0.03]))
    pt = decision_point(m, m.cursor_instant, cursor_tolerance=0.0)
    from microlink.ber import estimate_ber

    closed = estimate_ber(pt, "closed-form").ber
    stat = statistical_ber(pt)["ber"]
    assert 1e-9 < stat < 1e-3
    assert closed == pytest.approx(stat, rel=1e-2)
    isi = pt.cursors[pt.cursors != 0]
    direct = pam_ber(pt.main, isi, pt.amplitude, levels=pt.levels, level_sigma=pt.sigma_levels,
                     thresholds=pt.thresholds, aggressors=pt.aggressors, exact_terms=isi.size)
    assert float(direct) == pytest.approx(closed, rel=1e-12, abs=0.0)


def test_interferers_take_the_levels_of_the_lane():
    # one post-cursor h: with levels L the ISI takes the values h L (not the equally spaced ones)
    lv = np.array([-1.0, -0.5, 0.2, 1.0])
    h, sig = 0.1, 0.05
    got = pam_ber(1.0, [h], 1.0, sig, levels=lv)
    th = 0.5 * (lv[:-1] + lv[1:])
    exp = 0.0
    for b in lv:  # average over the interfering symbol
        y = lv + h * b
        up = np.r_[q_to_ber((th - y[:-1]) / sig), 0.0]
        down = np.r_[0.0, q_to_ber((y[1:] - th) / sig)]
        exp += np.sum(up + down) / 8.0 / lv.size  # Gray: one bit per adjacent error, 4 levels x 2 bits
    assert float(got) == pytest.approx(exp, rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.lists(cursor, min_size=1, max_size=5), st.floats(0.01, 0.2), st.sampled_from(["NRZ", "PAM4"]),
       st.lists(st.floats(0.0, 0.05), min_size=0, max_size=2))
def test_worst_case_bounds_the_average_and_both_grow_with_noise(isi, sigma, modulation, aggressors):
    # every interferer enumerated: a large cursor folded into the Gaussian remainder has an unbounded tail and
    # can exceed the worst case, which is the stated price of the fold, not a property of the exact average
    lv = "NRZ" if modulation == "NRZ" else "PAM4"
    kw = dict(levels=lv, aggressors=np.array(aggressors), exact_terms=len(isi))
    avg = pam_ber(1.0, isi, 1.0, sigma, **kw)
    worst = pam_ber(1.0, isi, 1.0, sigma, method="worst", **kw)
    assert 0.0 <= avg <= worst * (1 + 1e-9) + 1e-300
    assert worst <= 0.5
    assert pam_ber(1.0, isi, 1.0, 1.5 * sigma, **kw) >= avg * (1 - 1e-9) or worst > 1e-2


def test_bad_closed_form_input_names_the_field():
    from microlink.errors import ParameterError

    with pytest.raises(ParameterError, match="levels"):
        pam_ber(1.0, [0.0], 1.0, 0.1, levels=[-1.0, 0.0, 1.0])
    with pytest.raises(ParameterError, match="thresholds"):
        pam_ber(1.0, [0.0], 1.0, 0.1, thresholds=[0.0, -0.5, 0.5])
    with pytest.raises(ParameterError, match="exact_terms"):
        pam_ber(1.0, [0.0], 1.0, 0.1, exact_terms=7)
    with pytest.raises(ParameterError, match="sigma"):
        pam_ber(1.0, [0.0], 1.0)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(-0.3, 0.3), min_size=1, max_size=4), st.floats(1.0, 4.0), st.sampled_from(["NRZ", "PAM4"]),
       st.booleans())
def test_noise_far_below_an_open_inner_eye_leaves_no_errors(isi, ratio, modulation, top_noisier):
    """Whatever the interferers and however the noise differs between levels, the default thresholds lie
    inside the eye the interferers leave: noise a hundredth of that eye leaves a BER below 1e-15."""
    from microlink.ber.closed_form import pam_levels

    lv = pam_levels(modulation)
    h = np.asarray(isi)
    half_gap = 0.5 * np.min(np.diff(lv))
    inner = half_gap - np.sum(np.abs(h)) * np.max(np.abs(lv))  # half of the narrowest inner eye (main 1)
    assume(inner > 0.05)
    s = 0.01 * inner * np.linspace(1.0, ratio, lv.size)  # noise growing with the level (or falling)
    ber = pam_ber(1.0, h, 1.0, levels=modulation, level_sigma=s if top_noisier else s[::-1], exact_terms=5)
    assert ber < 1e-15
