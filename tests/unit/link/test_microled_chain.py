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
    assert r.energy_per_bit == pytest.approx(total)
    assert r.power_per_end == pytest.approx(r.energy_per_bit * r.aggregate_rate)
    d = r.to_dict()
    assert sum(d["energy_breakdown_pj"].values()) == pytest.approx(d["energy_per_bit_pj"])


def test_margin_is_consistent_with_ber(default_result):
    r = default_result
    assert r.ber < r.target_ber and r.margin_db > 0
    # scaling the received power down by the margin lands on the target BER
    weaker = LB.replace(driver={"bias_current": 100e-6})  # same link
    assert weaker.evaluate(solve_reach=False).ber == pytest.approx(float(r.ber), rel=1e-9)


def test_max_reach_is_where_ber_meets_target(default_result):
    r = default_result
    at = LB.evaluate(reach=float(r.max_reach), solve_reach=False)
    assert at.ber == pytest.approx(1e-12, rel=0.02)
    assert LB.evaluate(reach=float(r.max_reach) * 0.98, solve_reach=False).ber < 1e-12
    assert LB.evaluate(reach=float(r.max_reach) * 1.02, solve_reach=False).ber > 1e-12


def test_array_inputs_broadcast_and_match_scalar_runs():
    reach = np.array([1.0, 5.0, 20.0])
    rate = np.array([[2e9], [3.3e9]])
    batch = LB.evaluate(reach=reach, lane_rate=rate, solve_reach=False)
    assert batch.shape == (2, 3)
    one = LB.evaluate(reach=5.0, lane_rate=3.3e9, solve_reach=False)
    assert batch.ber[1, 1] == pytest.approx(float(one.ber), rel=1e-9)
    assert batch.energy_per_bit[1, 1] == pytest.approx(float(one.energy_per_bit))
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
    assert r.margin_db == -np.inf and r.max_reach == 0.0
    assert not np.isnan(r.ber) and r.ber > 1e-12
    assert r.to_dict()["margin_db"] is None or r.to_dict()["margin_db"] == float("-inf")
    assert "reach" in r.infeasible_reason or "BER" in r.infeasible_reason


def test_decision_model_matches_chain():
    m = LB.decision_model(10.0, samples_per_symbol=16)
    r = LB.evaluate(solve_reach=False)
    assert m.amplitude == pytest.approx(float(r.signal_amplitude))
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
    th = a * (s0 - s1) / (s0 + s1)
    pats = sign_patterns(5)
    isi = pats @ h
    brute = 0.5 * np.mean(q_to_ber((a + a * isi - th) / s1) + q_to_ber((a + th - a * isi) / s0))
    assert nrz_ber(1.0, h, a, s1, s0, exact_terms=5) == pytest.approx(brute, rel=1e-12)


def test_worst_case_is_pessimistic():
    h = np.array([0.2, -0.1, 0.05])
    assert nrz_ber(1.0, h, 1.0, 0.1, 0.1, method="worst") > nrz_ber(1.0, h, 1.0, 0.1, 0.1)


def test_ber_bounded_and_energy_additive(bias, reach, rate):
    r = LB.replace(driver={"bias_current": bias}).evaluate(reach=reach, lane_rate=rate, solve_reach=False)
    assert 0.0 <= float(r.ber) <= 0.5 and 0.0 <= float(r.ber_worst_case) <= 0.5
    # Below ~1e-40 the Gaussian fold of the small residual cursors (unbounded tails) can exceed the bounded
    # worst case; no target lives there.
    assert float(r.ber_worst_case) >= float(r.ber) * (1 - 1e-9) or float(r.ber) < 1e-40
    parts = np.array([float(v) for v in r.energy_breakdown.values()])
    assert np.all(parts > 0)
    assert parts.sum() == pytest.approx(float(r.energy_per_bit))


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
