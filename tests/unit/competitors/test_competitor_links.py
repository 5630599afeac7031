"""Every competitor link through the common interface: finite results, conventions, vectorisation, errors."""

import numpy as np
import pytest

from microlink.ber.fec import pre_fec_threshold
from microlink.ber.model import DecisionModel
from microlink.catalog import get_parameter_set
from microlink.errors import ParameterError
from microlink.link.chain import evaluate_link
from microlink.link.copper import AECLink, DACLink
from microlink.link.result import LinkResult
from microlink.link.technologies import (
    DEFAULT_COMPARE_SETS,
    media_per_end,
    result_points,
)

SETS = ["dac-200g", "aec-100g", "vcsel-npo", "vcsel-dsp", "siph-cpo", "dsp-pluggable-800g", "lpo-1.6t"]
REACH = np.array([0.5, 2.0, 30.0])


@pytest.fixture(scope="module")
def results():
    return {n: evaluate_link(n, aggregate_rate=1.6e12, reach=REACH, target_ber=1e-12) for n in SETS}


def _finite_arrays(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _finite_arrays(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _finite_arrays(v)
    elif isinstance(obj, (int, float, np.ndarray, np.floating)):
        yield np.asarray(obj, dtype=float)


@pytest.mark.parametrize("name", SETS)
def test_results_are_complete_and_never_nan(results, name):
    r = results[name]
    assert isinstance(r, LinkResult) and r.shape == REACH.shape
    for arr in _finite_arrays(r.to_dict()):
        assert not np.any(np.isnan(arr)), name
    assert np.allclose(r.energy_per_bit * r.aggregate_rate, r.power_per_end)
    assert np.all(r.module_power_per_end < r.power_per_end)
    assert np.all(r.latency > 0) and np.all(r.cost_per_end > 0) and np.all(r.fit_per_end > 0)
    assert r.fec == "kp4"


@pytest.mark.parametrize("name", SETS)
def test_fec_convention_is_consistent(results, name):
    r = results[name]
    thr = pre_fec_threshold("kp4", 1e-12)
    assert np.allclose(r.pre_fec_threshold, thr, rtol=1e-6, atol=0)
    # feasible (post-FEC <= target) <=> pre-FEC BER <= threshold <=> reach <= max reach (0.5 % solver tolerance)
    assert np.array_equal(r.feasible, r.ber <= thr + 1e-18)
    clear = np.abs(r.reach / np.maximum(r.max_reach, 1e-9) - 1.0) > 0.01
    assert np.array_equal(r.feasible[clear], (r.reach <= r.max_reach)[clear])
    assert np.all(r.ber_post_fec <= r.ber + 1e-300)


def test_scalar_equals_batch_point(results):
    batch = results["dac-200g"]
    single = evaluate_link("dac-200g", aggregate_rate=1.6e12, reach=2.0, target_ber=1e-12, solve_reach=False)
    assert float(single.ber) == pytest.approx(float(batch.ber[1]), rel=1e-9)
    assert float(single.energy_per_bit) == pytest.approx(float(batch.energy_per_bit[1]), rel=1e-12, abs=0.0)


def test_result_points_and_media(results):
    pts = result_points(results["siph-cpo"])
    assert len(pts) == 3 and float(pts[2].reach) == 30.0
    d = pts[0].to_dict()
    assert d["infeasible_reason"] == "" and d["feasible"] is True
    count, kind = media_per_end(pts[0])
    assert kind == "fibers" and count == 18.0  # 8 duplex lanes + 2 laser feeds
    assert media_per_end(result_points(results["dac-200g"])[0]) == (16.0, "pairs")


def test_copper_reach_shrinks_with_lane_rate_and_gauge():
    base = DACLink()
    r200 = base.evaluate(1.6e12, 1.0, 1e-15)
    r100 = base.replace(lanes={"payload_rate": 100e9}).evaluate(1.6e12, 1.0, 1e-15)
    thin = base.replace(cable={"awg": 30}).evaluate(1.6e12, 1.0, 1e-15)
    assert float(r100.max_reach) > 1.5 * float(r200.max_reach)
    assert float(thin.max_reach) < float(r200.max_reach)
    aec = AECLink().evaluate(1.6e12, 1.0, 1e-15)
    assert float(aec.max_reach) > 1.8 * float(r200.max_reach)


@pytest.mark.parametrize("name", ["dac-200g", "vcsel-npo", "siph-cpo"])
def test_decision_models(name):
    p = get_parameter_set(name).parameters
    dm = p.decision_model(2.0)
    assert isinstance(dm, DecisionModel) and dm.modulation == "PAM4"
    assert dm.amplitude > 0 and dm.sigma_one > 0 and np.all(np.isfinite(dm.pulse))
    assert 0.8 < np.max(dm.pulse) < 1.3  # equalised pulse: main cursor ~1 at the sampling phase


def test_errors_name_the_field():
    with pytest.raises(ParameterError, match="reach"):
        evaluate_link("dac-200g", reach=-1.0)
    with pytest.raises(ParameterError, match="target_ber"):
        evaluate_link("siph-cpo", target_ber=0.9)
    with pytest.raises(ParameterError, match="cable"):
        DACLink().replace(cable={"awg": 50})
    with pytest.raises(ParameterError, match="nonexistent"):
        DACLink().replace(nonexistent={"x": 1})
    # an array of lane rates is no error: each value is decided on its own (it sets the frequency grid)
    both = DACLink().replace(lanes={"payload_rate": np.array([1e11, 2e11])}).evaluate(1.6e12, 1.0)
    for i, rate in enumerate((1e11, 2e11)):
        alone = DACLink().replace(lanes={"payload_rate": rate}).evaluate(1.6e12, 1.0)
        assert float(np.asarray(both.margin_db)[i]) == float(alone.margin_db)
        assert float(np.asarray(both.max_reach)[i]) == float(alone.max_reach)


def test_default_compare_sets_exist():
    for name in DEFAULT_COMPARE_SETS:
        assert get_parameter_set(name).name == name


def test_catalog_sources_for_every_field():
    for name in ("dac-200g", "aec-100g", "vcsel-50g-pam4", "siph-cpo", "lpo-800g"):
        ps = get_parameter_set(name)
        rows = list(ps.rows())
        assert len(rows) > 30
        for key, _, src in rows:
            assert src.citation, key
            if src.kind == "assumption":
                assert src.note, key


def test_statistical_eye_agrees_with_the_chain_on_copper():
    # Two BER paths behind one interface: the chain's closed form (exact over the largest residual cursors)
    # and the BER engine's statistical eye on the decision model of the same lane.
    from microlink.ber.engine import estimate_ber

    dm = get_parameter_set("dac-200g").parameters.decision_model(1.0)
    chain = evaluate_link("dac-200g", reach=1.0, target_ber=1e-12, solve_reach=False)
    est = estimate_ber(dm, "statistical")
    assert est.ber == pytest.approx(float(chain.ber), rel=0.25)
