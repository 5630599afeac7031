"""ASP paths: yearly decline and learning curve."""

import numpy as np
import pytest

from microlink.market.pricing import asp_decline_path, asp_learning_curve


def test_decline_path():
    years = np.arange(2026, 2031)
    asp = asp_decline_path(years, 600.0, 0.2, 2027)
    np.testing.assert_allclose(asp, [600.0, 600.0, 480.0, 384.0, 307.2])


def test_decline_broadcasts_over_samples():
    asp = asp_decline_path(np.arange(2027, 2030), np.array([[500.0], [600.0]]), 0.1, 2027)
    assert asp.shape == (2, 3)


def test_learning_curve_per_doubling():
    cumulative = np.array([1e3, 1e5, 2e5, 4e5, 8e5])
    asp = asp_learning_curve(cumulative, 600.0, 0.85, 1e5)
    np.testing.assert_allclose(asp, [600.0, 600.0, 510.0, 433.5, 368.475])


def test_learning_rate_one_is_flat():
    assert np.all(asp_learning_curve([1.0, 1e9], 300.0, 1.0, 1.0) == pytest.approx(300.0))
