"""Unit and property tests of the micro-LED link chain and LinkResult."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microlink as ml
from microlink.ber.closed_form import nrz_ber, sign_patterns
from microlink.catalog import get_parameter_set
from microlink.errors import ParameterError
from microlink.link.microled import MicroLEDLink
from microlink.units import q_to_ber

LB = get_parameter_set("lightbundle").parameters


@pytest.fixture(scope="module")
def default_result():
    return ml.evaluate_link("lightbundle")


def test_lanes_include_spares():
    r = ml.evaluate_link("lightbundle", aggregate_rate=896e9, lane_rate=3.5e9, solve_reach=False)
    # Avicena eKit: 256 active + 64 spare lanes x 3.5 Gb/s = 896 Gb/s (links.md 1.2)
    assert (int(r.lanes_active), int(r.lanes_spare)) == (256, 64)


def test_breakdown_sums_to_total_and_power_per_end(default_result):
    r = default_result
    total = sum(r.energy_breakdown.values())
    assert r.energy_per_bit == pytest.approx(total, rel=1e-6, abs=0.0)
    assert r.power_per_end == pytest.approx(r.energy_per_bit * r.aggregate_rate)
    d = r.to_dict()
    assert sum(d["energy_breakdown_pj"].values()) == pytest.approx(d["energy_per_bit_pj"])


#: A device faster and brighter than any preset (measured bandwidth and efficiency given directly), so the
#: feasible branches of the solvers are exercised; no preset is required to reach any length.
STRONG = LB.replace(led={"measured_bandwidth": 3e9, "measured_efficiency": 0.3}, driver={"bias_current": 400e-6})


@pytest.mark.parametrize("link", [LB, STRONG], ids=["lightbundle", "strong-device"])
def test_margin_sign_agrees_with_ber(link):
    r = link.evaluate(reach=np.array([0.5, 3.0, 10.0]), solve_reach=False)
    threshold = np.broadcast_to(r.pre_fec_threshold, r.shape)
    np.testing.assert_array_equal(r.margin_db >= 0, r.ber <= threshold * (1 + 1e-6))


def test_margin_is_the_power_scale_down_to_the_threshold():
    r = STRONG.evaluate(reach=1.0, solve_reach=False)
    assert float(r.margin_db) > 0
    # the same link with less optical power by the margin lands on the threshold
    weaker = STRONG.replace(fiber={"excess_loss_db_per_m": float(STRONG.fiber.excess_loss_db_per_m)
                                   + float(r.margin_db) / 1.0})
    at = weaker.evaluate(reach=1.0, solve_reach=False)
    assert abs(float(at.margin_db)) < 0.05


@pytest.mark.parametrize("link", [LB, STRONG], ids=["lightbundle", "strong-device"])
def test_link_is_feasible_at_its_own_max_reach(link):
    r = link.evaluate(reach=1.0)
    threshold = float(r.pre_fec_threshold)
    if float(r.max_reach) > 0:
        assert float(link.evaluate(reach=float(r.max_reach), solve_reach=False).ber) <= threshold * (1 + 1e-6)
        assert float(link.evaluate(reach=float(r.max_reach) * 1.05, solve_reach=False).ber) > threshold
    else:
        assert float(link.evaluate(reach=1e-3, solve_reach=False).ber) > threshold


def test_penalties_present_named_and_in_json(default_result):
    from microlink.link.microled import PENALTY_NAMES

    r = default_result
    assert tuple(r.penalties_db) == PENALTY_NAMES
    for name, value in r.penalties_db.items():
        assert np.all(np.isfinite(value)) and np.all(np.asarray(value) >= 0), name
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert set(d["penalties_db"]) == set(PENALTY_NAMES)


def test_penalties_lower_the_margin():
    """Turning every impairment off raises the margin by about their sum (the BER is not linear in power,
    so within 10 % of it)."""
    off = STRONG.replace(impairments={"random_jitter_rms": 0.0, "deterministic_jitter": 0.0, "residual_skew": 0.0,
                                      "bandwidth_spread": 0.0, "efficiency_spread": 0.0, "corner_temperature": 200.0,
                                      "end_of_life_power_db": 0.0, "large_signal": False})
    a = STRONG.evaluate(reach=1.0, solve_reach=False)
    b = off.evaluate(reach=1.0, solve_reach=False)
    total = sum(float(v) for v in a.penalties_db.values())
    rest = sum(float(v) for v in b.penalties_db.values())  # crosstalk stays
    assert float(b.margin_db) - float(a.margin_db) == pytest.approx(total - rest, rel=0.1)


def test_launch_na_and_emission_pattern_reach_the_fiber():
    """A wider launched cone fills more modes: more modal spread and crosstalk; a cavity emitter couples more."""
    narrow = LB.replace(fiber={"lens_numerical_aperture": 0.3}).evaluate(reach=10.0, solve_reach=False)
    wide = LB.replace(fiber={"lens_numerical_aperture": 0.9}).evaluate(reach=10.0, solve_reach=False)
    assert float(wide.extras["launch_numerical_aperture"]) > float(narrow.extras["launch_numerical_aperture"])
    assert float(wide.extras["fiber_rms_spread_s"]) > float(narrow.extras["fiber_rms_spread_s"])
    assert float(wide.crosstalk) >= float(narrow.crosstalk)
    na = float(narrow.extras["launch_numerical_aperture"])
    assert float(narrow.crosstalk) == pytest.approx(float(LB.fiber.crosstalk(10.0, LB.led.wavelength, na)))
    assert float(narrow.crosstalk) < float(LB.fiber.crosstalk(10.0, LB.led.wavelength))  # not every mode filled
    lam = LB.replace(led={"emission_exponent": 1.0}).evaluate(solve_reach=False)
    cav = LB.replace(led={"emission_exponent": 3.0}).evaluate(solve_reach=False)
    assert float(cav.received_power) != pytest.approx(float(lam.received_power), rel=1e-3)


def test_spectral_width_follows_bias():
    lo = LB.replace(driver={"bias_current": 50e-6}).evaluate(solve_reach=False)
    hi = LB.replace(driver={"bias_current": 400e-6}).evaluate(solve_reach=False)
    assert float(hi.extras["led_spectral_width_m"]) > float(lo.extras["led_spectral_width_m"])


def test_worst_lane_penalty_grows_without_spares():
    spared = LB.evaluate(solve_reach=False)
    bare = LB.replace(lanes={"spare_fraction": 0.0}).evaluate(solve_reach=False)
    assert float(bare.penalties_db["worst_lane"]) > float(spared.penalties_db["worst_lane"])


def test_order_statistic_quantile_matches_sampling():
    from microlink.link.microled import order_statistic_quantile

    rng = np.random.default_rng(20261201)
    draws = np.sort(rng.standard_normal((4000, 320)), axis=1)
    for rank in (1, 65):
        assert order_statistic_quantile(rank, 320) == pytest.approx(draws[:, rank - 1].mean(), abs=0.03)


def test_array_inputs_broadcast_and_match_scalar_runs():
    reach = np.array([1.0, 5.0, 20.0])
    rate = np.array([[2e9], [3.3e9]])
    batch = LB.evaluate(reach=reach, lane_rate=rate, solve_reach=False)
    assert batch.shape == (2, 3)
    one = LB.evaluate(reach=5.0, lane_rate=3.3e9, solve_reach=False)
    assert batch.ber[1, 1] == pytest.approx(float(one.ber), rel=1e-9)
    assert batch.energy_per_bit[1, 1] == pytest.approx(float(one.energy_per_bit), rel=1e-6, abs=0.0)
    df = batch.to_dataframe()
    assert len(df) == 6 and "energy_breakdown_pj.led" in df


def test_parameter_arrays_broadcast():
    p = LB.replace(led={"diameter": np.array([2.5e-6, 3e-6, 4e-6])})
    r = p.evaluate(solve_reach=False)
    assert r.shape == (3,)
    assert np.all(np.diff(r.bandwidth["led_carrier"]) < 0)  # bigger LED, lower current density, slower


def test_result_json_is_finite(default_result):
    text = json.dumps(default_result.to_dict(), allow_nan=False)
    assert "lanes_active" in text
    s = default_result.to_series()
    assert s["technology"] == "microled"


def test_bad_request_values():
    with pytest.raises(ParameterError, match="reach"):
        LB.evaluate(reach=-1.0)
    with pytest.raises(ParameterError, match="target_ber"):
        LB.evaluate(target_ber=0.9)
    with pytest.raises(ParameterError, match="lane_rate"):
        LB.evaluate(lane_rate=0.0)
    with pytest.raises(ParameterError, match="preset"):
        ml.evaluate_link("no-such-set")
    with pytest.raises(ParameterError, match="led"):
        LB.replace(leds={"diameter": 1e-6})


def test_floor_gives_minus_inf_margin_not_nan():
    # crosstalk of -3 dB from six neighbours closes the eye whatever the power
    p = LB.replace(fiber={"end_crosstalk_db": -3.0})
    r = p.evaluate(solve_reach=True)
    from microlink.link.chain import MARGIN_SEARCH_DB

    assert r.margin_db == -MARGIN_SEARCH_DB and bool(r.ber_floor_above_target) and r.max_reach == 0.0
    assert not np.isnan(r.ber) and r.ber > 1e-12
    assert r.penalties_db["crosstalk"] > 0
    assert "reach" in r.infeasible_reason or "BER" in r.infeasible_reason


def test_decision_model_matches_chain():
    m = LB.decision_model(10.0, samples_per_symbol=16)
    r = LB.evaluate(reach=10.0, solve_reach=False)
    pen = sum(float(v) for v in r.penalties_db.values())  # the model is at the power left after them
    assert m.amplitude == pytest.approx(float(r.signal_amplitude) / 10 ** (pen / 10), rel=1e-6, abs=0.0)
    assert m.symbol_rate == pytest.approx(3.3e9)
    assert m.pulse.max() == pytest.approx(float(r.main_cursor), rel=0.05)


# ---------------------------------------------------------------------------------- closed forms


def test_nrz_ber_no_isi_equals_erfc():
    q = np.array([3.0, 6.0, 7.0])
    ber = nrz_ber(1.0, np.zeros((3, 4)), q, 1.0, 1.0)
    np.testing.assert_allclose(ber, q_to_ber(q), rtol=1e-12)


def test_nrz_ber_exact_average_matches_brute_force():
    rng = np.random.default_rng(1)
    h = rng.normal(0, 0.08, 5)
    a, s1, s0 = 1.0, 0.12, 0.10
    lo, hi = -a + a * np.sum(np.abs(h)), a - a * np.sum(np.abs(h))  # the inner edges' tails equalised
    th = (lo * s1 + hi * s0) / (s0 + s1)
    pats = sign_patterns(5)
    isi = pats @ h
    brute = 0.5 * np.mean(q_to_ber((a + a * isi - th) / s1) + q_to_ber((a + th - a * isi) / s0))
    assert nrz_ber(1.0, h, a, s1, s0, exact_terms=5) == pytest.approx(brute, rel=1e-12, abs=0.0)


def test_worst_case_is_pessimistic():
    h = np.array([0.2, -0.1, 0.05])
    assert nrz_ber(1.0, h, 1.0, 0.1, 0.1, method="worst") > nrz_ber(1.0, h, 1.0, 0.1, 0.1)


@settings(max_examples=15, deadline=None)
@given(bias=st.floats(30e-6, 1e-3), reach=st.floats(0.1, 50.0), rate=st.floats(1e9, 5e9))
def test_ber_bounded_and_energy_additive(bias, reach, rate):
    r = LB.replace(driver={"bias_current": bias}).evaluate(reach=reach, lane_rate=rate, solve_reach=False)
    assert 0.0 <= float(r.ber) <= 0.5 and 0.0 <= float(r.ber_worst_case) <= 0.5
    # Below ~1e-40 the Gaussian fold of the small residual cursors (unbounded tails) can exceed the bounded
    # worst case; no target lives there.
    assert float(r.ber_worst_case) >= float(r.ber) * (1 - 1e-9) or float(r.ber) < 1e-40
    parts = np.array([float(v) for v in r.energy_breakdown.values()])
    assert np.all(parts >= 0)  # raw lanes: the FEC blocks are charged 0
    assert r.energy_breakdown["led"] > 0 and r.energy_breakdown["tia"] > 0
    assert parts.sum() == pytest.approx(float(r.energy_per_bit), rel=1e-6, abs=0.0)


@settings(max_examples=30, deadline=None)
@given(loss=st.floats(0.0, 1.0), extra=st.floats(0.05, 3.0))
def test_ber_monotone_in_received_power(loss, extra):
    """More fiber loss (less received power, nothing else changed) never lowers the BER."""
    lo = LB.replace(fiber={"excess_loss_db_per_m": loss}).evaluate(solve_reach=False)
    hi = LB.replace(fiber={"excess_loss_db_per_m": loss + extra / 10}).evaluate(solve_reach=False)
    assert float(hi.received_power) < float(lo.received_power)
    assert float(hi.ber) >= float(lo.ber) * (1 - 1e-9) or float(lo.ber) == 0.0


def test_generic_default_class_constructs():
    r = MicroLEDLink().evaluate(solve_reach=False)
    assert r.parameter_set == "custom"


def test_receive_ffe_opens_an_isi_limited_eye_and_costs_energy():
    """A 5-tap FFE cuts the residual ISI of the 3.3 Gb/s lane at 10 m and is charged per tap."""
    plain = LB.evaluate(reach=10.0, solve_reach=False)
    eq = LB.replace(receiver={"ffe_taps": 5}).evaluate(reach=10.0, solve_reach=False)
    assert float(eq.isi_closure) / float(eq.main_cursor) < float(plain.isi_closure) / float(plain.main_cursor)
    assert float(eq.margin_db) > float(plain.margin_db)
    assert float(plain.energy_breakdown["equalizer"]) == 0.0
    lanes = float(eq.lanes_active) * float(eq.lane_rate) / float(eq.aggregate_rate)
    assert float(eq.energy_breakdown["equalizer"]) == pytest.approx(5 * 15e-15 * lanes, rel=1e-9, abs=0.0)
    assert float(eq.energy_per_bit) > float(plain.energy_per_bit)


def test_tia_noise_autocorrelation_is_one_at_zero_lag_and_decays():
    from microlink.link.microled import tia_noise_autocorrelation

    r = tia_noise_autocorrelation(np.array([0.3, 0.6, 1.2]), 4)
    np.testing.assert_allclose(r[:, 0], 1.0)
    assert np.all(np.abs(r[:, 1:]) < 1.0)
    assert abs(r[2, 1]) < abs(r[0, 1])  # a wider receiver correlates adjacent samples less
