"""Decision model, decision point, phase selection and pulse sampling."""

import numpy as np
import pytest
from scipy.signal import lfilter

from microlink.ber.model import DecisionModel, decision_point, optimal_thresholds, select_phase
from microlink.ber.pulse import cursors_from_pulse, nrz_pulse
from microlink.ber.sampling import pulse_response, sample_pulse, single_pole_pulse
from microlink.errors import ParameterError


def test_from_cursors_samples_back_exactly():
    c = [0.05, 1.0, 0.2, -0.1, 0.03]
    m = DecisionModel.from_cursors(c, sigma_one=0.1)
    pt = decision_point(m, m.cursor_instant, cursor_tolerance=0.0)
    assert pt.main == 1.0
    got = dict(zip(pt.offsets.tolist(), pt.cursors.tolist()))
    assert got[-1] == pytest.approx(0.05) and got[1] == pytest.approx(0.2) and got[3] == pytest.approx(0.03)


def test_thresholds_are_q_optimal_and_midpoints_for_equal_noise():
    th = optimal_thresholds(np.array([-1.0, 1.0]), np.array([0.1, 0.3]))
    # equal Q on both sides: (1 + th)/0.1 == (1 - th)/0.3
    assert (1 + th[0]) / 0.1 == pytest.approx((1 - th[0]) / 0.3)
    m = DecisionModel.from_cursors([1.0], modulation="PAM4", amplitude=3.0, sigma_one=0.2)
    pt = decision_point(m)
    np.testing.assert_allclose(pt.thresholds, [-2.0, 0.0, 2.0])
    np.testing.assert_allclose(pt.ideal_levels, [-3.0, -1.0, 1.0, 3.0])


def test_pam4_noise_interpolates_in_variance_and_gray_errors():
    m = DecisionModel.from_cursors([1.0], modulation="PAM4", sigma_one=0.3, sigma_zero=0.1)
    pt = decision_point(m)
    np.testing.assert_allclose(pt.sigma_levels**2, [0.01, 0.01 + 0.08 / 3, 0.01 + 0.16 / 3, 0.09])
    tab = pt.bit_errors_table
    assert tab[0, 1] == 1 and tab[1, 2] == 1 and tab[2, 3] == 1 and tab[0, 2] == 2 and tab[0, 3] == 1


def test_small_cursors_fold_into_noise_with_their_variance():
    c = np.array([1.0, 1e-9, -2e-9, 0.1])
    m = DecisionModel.from_cursors(c, sigma_one=0.01)
    pt = decision_point(m, m.cursor_instant, cursor_tolerance=1e-6)
    assert pt.cursors.tolist() == [0.1]
    assert pt.folded_isi_rms == pytest.approx(np.sqrt(1e-18 + 4e-18), rel=1e-6, abs=0.0)
    assert pt.sigma_levels[0] ** 2 == pytest.approx(1e-4 + 5e-18)


def test_select_phase_matches_pulse_module_for_nrz():
    _, p = nrz_pulse([0.4], [0.8], 0.05, 0.0, 16)
    m = DecisionModel(p, 16, 1e9, "NRZ", 1.0, 0.1, 0.1)
    cur = cursors_from_pulse(p, 16, 4)
    assert select_phase(m) % 1.0 == pytest.approx(float(cur.phase))
    pt = decision_point(m)
    assert pt.main == pytest.approx(float(cur.main))


def test_cursors_from_pulse_given_phase():
    _, p = nrz_pulse([0.4], [0.8], 0.05, 0.0, 16)
    best = cursors_from_pulse(p, 16, 4)
    same = cursors_from_pulse(p, 16, 4, phase=float(best.phase))
    assert float(same.main) == pytest.approx(float(best.main))
    np.testing.assert_allclose(np.sort(np.abs(same.largest)), np.sort(np.abs(best.largest)))
    half = cursors_from_pulse(p, 16, 4, phase=float(best.phase) + 0.5 / 16)  # between samples
    assert float(half.main) != pytest.approx(float(best.main))
    with pytest.raises(ParameterError, match="phase"):
        cursors_from_pulse(p, 16, 4, phase=1.2)


def test_sample_pulse_interpolates_linearly():
    p = np.array([0.0, 1.0, 3.0, 0.0])
    assert sample_pulse(p, 1, 1.5) == pytest.approx(2.0)
    assert sample_pulse(p, 2, 0.75) == pytest.approx(2.0)
    assert sample_pulse(p, 1, -1.0) == 0.0 and sample_pulse(p, 1, 10.0) == 0.0


@pytest.mark.parametrize("sps", [4, 8, 16])
def test_single_pole_pulse_is_the_benchmark_filter(sps):
    t, p = single_pole_pulse(sps, 0.5)
    a = 1.0 - np.exp(-2 * np.pi * 0.5 / sps)
    x = np.zeros(p.size)
    x[:sps] = 1.0
    np.testing.assert_allclose(p, lfilter([a], [1.0, -(1.0 - a)], x), atol=1e-15)
    assert p.size % sps == 0 and p[-sps:].max() < 1e-12


def test_pulse_response_of_a_chain():
    pole = lambda nu: 1.0 / (1.0 + 1j * nu / 0.5)  # noqa: E731
    t, p = pulse_response([pole], samples_per_symbol=16, n_symbols=64)
    _, ref = nrz_pulse([0.5], [], 0.0, 0.0, 16, 64)
    np.testing.assert_allclose(p, ref, atol=1e-9)
    with pytest.raises(ParameterError):
        pulse_response([0.5], 16, 64)


@pytest.mark.parametrize("kwargs,field", [
    ({"modulation": "PAM8"}, "modulation"),
    ({"amplitude": -1.0}, "amplitude"),
    ({"sigma_one": float("nan")}, "sigma_one"),
    ({"deterministic_jitter": 1.5}, "deterministic_jitter"),
    ({"random_jitter_rms": 0.3}, "random_jitter_rms"),
])
def test_model_validation(kwargs, field):
    base = dict(pulse=np.ones(32), samples_per_symbol=8, symbol_rate=1e9, modulation="NRZ", amplitude=1.0,
                sigma_one=0.1, sigma_zero=0.1)
    base.update(kwargs)
    with pytest.raises(ParameterError, match=field):
        DecisionModel(**base)


def test_decision_point_rejects_bad_phase_and_thresholds():
    m = DecisionModel.from_cursors([1.0, 0.2])
    with pytest.raises(ParameterError, match="phase"):
        decision_point(m, 100.0)
    with pytest.raises(ParameterError, match="thresholds"):
        decision_point(m, thresholds=[0.1, 0.2])


def test_decision_thresholds_move_continuously_to_the_midpoint_as_the_worst_case_eye_closes():
    from microlink.ber.model import decision_thresholds

    mu, sigma = np.array([-1.0, 1.0]), np.array([0.1, 0.3])
    closure = np.linspace(0.0, 1.5, 3001)
    th = decision_thresholds(mu, sigma, closure)[..., 0]
    assert th[0] == pytest.approx(float(optimal_thresholds(mu, sigma)[0]), rel=1e-12)  # no interferers: as before
    assert np.max(np.abs(np.diff(th))) < 1e-3  # no jump anywhere (steps of 5e-4 in the closure)
    assert np.all(th[closure >= 1.0] == 0.0)  # a closed worst-case eye: the midpoint
    inner_lo, inner_hi = mu[0] + closure, mu[1] - closure
    open_ = closure < 1.0
    assert np.all((th[open_] > inner_lo[open_]) & (th[open_] < inner_hi[open_]))  # inside the open inner eye
    # tails equal at the inner edges
    z_lo, z_hi = (th[open_] - inner_lo[open_]) / sigma[0], (inner_hi[open_] - th[open_]) / sigma[1]
    np.testing.assert_allclose(z_lo, z_hi, rtol=1e-12)


def test_a_noiseless_level_keeps_its_worst_pattern_on_its_side():
    from microlink.ber.closed_form import pam_ber

    h = [0.3]
    avg = pam_ber(1.0, h, 1.0, levels="NRZ", level_sigma=[0.0, 0.1])
    worst = pam_ber(1.0, h, 1.0, levels="NRZ", level_sigma=[0.0, 0.1], method="worst")
    assert avg <= worst and worst < 1e-10
