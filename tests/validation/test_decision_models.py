"""Every technology's DecisionModel gives the BER engine the same link the chain evaluates.

The statistical eye (exact ISI distribution, per-level noise, the lane's own level positions) must agree
with each chain's closed form at 1 m within 25 % (the closed forms fold small cursors into Gaussian noise;
the statistical eye grid is accurate to ~0.5 %).
"""

import numpy as np
import pytest

import microlink as ml
from microlink.ber import estimate_ber
from microlink.ber.model import DecisionModel
from microlink.catalog import get_parameter_set
from microlink.errors import ParameterError

SETS = ["lightbundle", "dac-200g", "vcsel-npo", "siph-cpo", "lpo-800g"]


@pytest.mark.parametrize("name", SETS)
def test_statistical_eye_matches_chain(name):
    pset = get_parameter_set(name)
    chain = ml.evaluate_link(name, aggregate_rate=1.6e12, reach=1.0, solve_reach=False)
    model = pset.parameters.decision_model(1.0)
    stat = estimate_ber(model, method="statistical")
    ber = float(chain.ber)
    if ber < 1e-30:  # both far below any target; compare in Q instead
        from microlink.units import ber_to_q

        assert ber_to_q(max(stat.ber, 1e-300)) == pytest.approx(ber_to_q(max(ber, 1e-300)), rel=0.05)
    else:
        assert stat.ber == pytest.approx(ber, rel=0.25)


def test_unequal_levels_are_carried_by_optical_models():
    model = get_parameter_set("vcsel-npo").parameters.decision_model(1.0)
    lv = np.asarray(model.level_positions)
    assert lv[0] == pytest.approx(-1.0) and lv[-1] == pytest.approx(1.0)
    assert not np.allclose(np.diff(lv), 2.0 / 3.0, rtol=1e-3)  # compressed, not equally spaced
    assert np.asarray(model.sigma_levels).shape == (4,)


@pytest.mark.parametrize("bad", [[-1.0, 0.2, 0.1, 1.0], [-1.0, 1.0], [-0.5, 0.0, 0.3, 1.0]])
def test_bad_level_positions_rejected(bad):
    with pytest.raises(ParameterError, match="level_positions"):
        DecisionModel.from_cursors([1.0, 0.1], modulation="PAM4", level_positions=bad)
