"""Statistical eye: exactness against enumeration, erfc, jitter averaging, eye height and width."""

import itertools

import numpy as np
import pytest
from scipy.special import ndtr

from microlink.ber.closed_form import nrz_ber
from microlink.ber.model import DecisionModel, decision_point
from microlink.ber.statistical import isi_pmf, jitter_nodes, statistical_ber, statistical_eye
from microlink.errors import ParameterError
from microlink.units import ber_to_q, q_to_ber


def brute_force_ber(pt):
    """Enumerate every ISI/aggressor pattern and sum exact Gaussian tails (Gray bit errors)."""
    lv = pt.levels
    sets = [pt.amplitude * c * lv for c in pt.cursors] + [pt.amplitude * x * np.array([-1.0, 1.0]) for x in pt.aggressors]
    isi = np.array([sum(p) for p in itertools.product(*sets)]) if sets else np.zeros(1)
    n_l = lv.size
    edges = np.concatenate([[-np.inf], pt.thresholds, [np.inf]])
    tab = pt.bit_errors_table
    ber = 0.0
    for j in range(n_l):
        mu = pt.amplitude * pt.main * lv[j]
        s = pt.sigma_levels[j]
        for jj in range(n_l):
            if jj == j:
                continue
            if jj > j:
                p = ndtr(-(edges[jj] - mu - isi) / s) - (ndtr(-(edges[jj + 1] - mu - isi) / s) if jj < n_l - 1 else 0)
            else:
                p = ndtr((edges[jj + 1] - mu - isi) / s) - (ndtr((edges[jj] - mu - isi) / s) if jj > 0 else 0)
            ber += p.mean() * tab[j, jj]
    return ber / (n_l * pt.bits_per_symbol)


@pytest.mark.parametrize("target", [1e-3, 1e-6, 1e-9, 1e-12, 1e-15, 1e-20])
def test_no_isi_equals_erfc(target):
    q = float(ber_to_q(target))
    m = DecisionModel.from_cursors([1.0], sigma_one=1.0 / q)
    # two methods on the same case, no published spread: 1e-3 bounds the statistical eye's interferer grid,
    # idle without ISI (they agree to ~1e-14 here)
    assert statistical_ber(m)["ber"] == pytest.approx(float(q_to_ber(q)), rel=1e-3, abs=0.0)


def test_nrz_with_isi_and_crosstalk_equals_enumeration():
    m = DecisionModel.from_cursors([0.05, 1.0, 0.2, -0.1, 0.08, 0.05, -0.03], sigma_one=0.084, sigma_zero=0.07,
                                   aggressors=np.array([0.02, 0.01]))
    pt = decision_point(m, m.cursor_instant)
    exact = brute_force_ber(pt)
    assert 1e-12 < exact < 1e-6
    assert statistical_ber(pt)["ber"] == pytest.approx(exact, rel=5e-3, abs=0.0)
    assert statistical_ber(pt, resolution=64)["ber"] == pytest.approx(exact, rel=5e-4, abs=0.0)
    # the closed form with every interferer enumerated is exact too
    h = np.concatenate([pt.cursors, pt.aggressors])
    assert nrz_ber(pt.main, h, 1.0, pt.sigma_levels[1], pt.sigma_levels[0], exact_terms=12) == pytest.approx(exact, rel=1e-9, abs=0.0)


def test_pam4_with_isi_equals_enumeration():
    m = DecisionModel.from_cursors([0.03, 1.0, 0.1, -0.05, 0.04], modulation="PAM4", sigma_one=0.03, sigma_zero=0.02,
                                   aggressors=np.array([0.01]))
    pt = decision_point(m, m.cursor_instant)
    exact = brute_force_ber(pt)
    assert statistical_ber(pt, resolution=32)["ber"] == pytest.approx(exact, rel=5e-3)


def test_isi_distribution_is_a_distribution_with_exact_mean_and_known_extra_variance():
    m = DecisionModel.from_cursors([0.3, 1.0, 0.2, -0.1], modulation="PAM4", sigma_one=0.05)
    pt = decision_point(m, m.cursor_instant)
    d = isi_pmf(pt)
    assert d["pmf"].sum() == pytest.approx(1.0, abs=1e-12)
    assert np.dot(d["pmf"], d["values"]) == pytest.approx(0.0, abs=1e-12)
    true_var = np.sum(pt.cursors**2) * np.mean(pt.levels**2)
    assert np.dot(d["pmf"], d["values"] ** 2) == pytest.approx(true_var + d["grid_variance"], rel=1e-9)


def test_jitter_is_an_average_over_sampling_instants():
    m = DecisionModel.from_cursors([0.1, 1.0, 0.3, 0.1], sigma_one=0.12, deterministic_jitter=0.2)
    pt = decision_point(m, m.cursor_instant)
    plain = decision_point(DecisionModel.from_cursors([0.1, 1.0, 0.3, 0.1], sigma_one=0.12), m.cursor_instant)
    expect = 0.5 * (statistical_ber(plain, phase=pt.phase - 0.1)["ber"] + statistical_ber(plain, phase=pt.phase + 0.1)["ber"])
    assert statistical_ber(pt)["ber"] == pytest.approx(expect, rel=1e-12, abs=0.0)
    tau, w = jitter_nodes(0.02, 0.1)
    assert w.sum() == pytest.approx(1.0) and np.dot(w, tau) == pytest.approx(0.0, abs=1e-15)
    assert np.dot(w, tau**2) == pytest.approx(0.05**2 + 0.02**2, rel=1e-3)


def test_eye_height_and_width_of_a_clean_eye():
    sigma = 0.05
    m = DecisionModel.from_cursors([1.0], sigma_one=sigma)
    eye = statistical_eye(m)
    q = float(ber_to_q(2e-12))  # a threshold near one level: the far level's tail is negligible, BER = Q/2
    assert eye.eye_height(1e-12)[0] == pytest.approx(2 * (1.0 - q * sigma), rel=5e-3)
    # the triangular pulse: main cursor 1 - |dt|, ISI |dt| -> the eye closes linearly
    assert 0.5 < eye.eye_width(1e-12)[0] < 1.0
    v, b = eye.vertical_bathtub()
    assert b.max() <= 0.5 and b[np.argmin(np.abs(v))] < 1e-30
    ph, hb = eye.horizontal_bathtub()
    assert hb[ph.size // 2] == pytest.approx(statistical_ber(m)["ber"], rel=1e-9, abs=1e-300)


def test_eye_with_jitter_matches_point_ber_at_the_centre():
    m = DecisionModel.from_cursors([0.05, 1.0, 0.25, -0.05], modulation="PAM4", sigma_one=0.03,
                                   random_jitter_rms=0.02, deterministic_jitter=0.05)
    pt = decision_point(m, m.cursor_instant)
    eye = statistical_eye(pt)
    centre = int(np.argmin(np.abs(eye.phase)))
    assert eye.total_ber()[centre] == pytest.approx(statistical_ber(pt)["ber"], rel=0.02)
    assert eye.eye_ber.shape[0] == 3 and eye.eye_height(1e-6).shape == (3,)


def test_needs_noise():
    m = DecisionModel.from_cursors([1.0], sigma_one=0.0)
    with pytest.raises(ParameterError, match="sigma"):
        statistical_ber(m)
