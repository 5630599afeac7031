"""Cable-length distributions: bounds, bins, means, validation."""

import numpy as np
import pytest

from microlink.errors import ParameterError
from microlink.rack.lengths import LengthDistribution


def test_triangular_mean_and_bins():
    d = LengthDistribution("triangular", {"min": 0.2, "mode": 0.45, "max": 1.2})
    assert d.mean == pytest.approx((0.2 + 0.45 + 1.2) / 3, rel=1e-3)
    lengths, weights = d.bins(8)
    assert lengths.shape == (8,) and weights.sum() == pytest.approx(1.0)
    assert np.all(np.diff(lengths) > 0) and 0.2 < lengths[0] and lengths[-1] < 1.2
    assert np.dot(lengths, weights) == pytest.approx(d.mean, rel=0.02)


@pytest.mark.parametrize("kind, params", [
    ("uniform", {"min": 1.0, "max": 3.0}),
    ("normal", {"mean": 5.0, "std": 2.0, "min": 1.0, "max": 9.0}),
    ("lognormal", {"median": 10.0, "sigma": 0.8, "min": 2.0, "max": 100.0}),
])
def test_quantiles_stay_within_bounds(kind, params):
    d = LengthDistribution(kind, params)
    q = d.quantile(np.linspace(0, 1, 101))
    assert q[0] == pytest.approx(params["min"]) and q[-1] == pytest.approx(params["max"])
    assert np.all(np.diff(q) >= 0)
    assert d.minimum == params["min"] and d.maximum == params["max"]


def test_uniform_mean_exact():
    assert LengthDistribution("uniform", {"min": 1.0, "max": 3.0}).mean == pytest.approx(2.0, rel=1e-6)


def test_fixed_and_empirical():
    f = LengthDistribution("fixed", {"value": 0.6})
    assert f.bins(8)[0].tolist() == [0.6] and f.maximum == f.mean == 0.6
    e = LengthDistribution("empirical", lengths=(3.0, 1.0, 2.0), weights=(1, 2, 1))
    assert e.lengths == (1.0, 2.0, 3.0) and e.weights == (0.5, 0.25, 0.25)
    assert e.mean == pytest.approx(1.75)
    lengths, _ = e.bins(8)
    assert lengths.tolist() == [1.0, 2.0, 3.0]
    assert e.maximum == 3.0
    big = LengthDistribution("empirical", lengths=tuple(np.linspace(1, 10, 50)))
    assert big.bins(4)[0].shape == (4,)


@pytest.mark.parametrize("kind, params, field", [
    ("gamma", {}, "length.kind"),
    ("uniform", {"min": 2.0, "max": 1.0}, "length.max"),
    ("uniform", {"min": 1.0}, "length.max"),
    ("uniform", {"min": 1.0, "max": 2.0, "mode": 1.5}, "length.mode"),
    ("triangular", {"min": 1.0, "mode": 3.0, "max": 2.0}, "length.mode"),
    ("uniform", {"min": -1.0, "max": 2.0}, "length.min"),
    ("lognormal", {"median": 1.0, "sigma": 0.0, "min": 0.5, "max": 2.0}, "length.sigma"),
    ("normal", {"mean": 1.0, "std": -1.0, "min": 0.5, "max": 2.0}, "length.std"),
])
def test_bad_distributions_name_the_field(kind, params, field):
    with pytest.raises(ParameterError) as err:
        LengthDistribution(kind, params)
    assert err.value.field == field


def test_bad_empirical_weights():
    with pytest.raises(ParameterError, match="weights"):
        LengthDistribution("empirical", lengths=(1.0, 2.0), weights=(1.0,))
    with pytest.raises(ParameterError, match="lengths"):
        LengthDistribution("empirical", lengths=())


def test_cdf_inverts_quantile():
    d = LengthDistribution("triangular", {"min": 2.0, "mode": 4.0, "max": 10.0})
    assert d.cdf(5.0) == pytest.approx(1 - 25 / 48)
    u = np.linspace(0.05, 0.95, 7)
    assert d.cdf(d.quantile(u)) == pytest.approx(u)
    assert d.cdf(1.0) == 0 and d.cdf(11.0) == 1
    e = LengthDistribution("empirical", lengths=(1.0, 2.0, 3.0))
    assert e.cdf(2.0) == pytest.approx(2 / 3) and e.cdf(0.5) == 0
    assert LengthDistribution("fixed", {"value": 1.0}).cdf(1.0) == 1
