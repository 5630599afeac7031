"""Adoption curves: Bass closed form against its ODE, monotonicity, edge cases; logistic share."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from microlink.market.adoption import bass_adoption, bass_cumulative, bass_rate, logistic_share

P = st.floats(min_value=1e-4, max_value=0.5)
Q = st.floats(min_value=0.0, max_value=2.0)
T = st.floats(min_value=0.0, max_value=40.0)


@pytest.mark.parametrize("p, q", [(0.03, 0.38), (0.003, 0.9), (0.2, 0.0), (0.05, 2.5), (1e-4, 0.5)])
def test_bass_closed_form_matches_ode(p, q):
    t = np.linspace(0.0, 30.0, 301)
    sol = solve_ivp(lambda _, f: (p + q * f) * (1.0 - f), (0.0, 30.0), [0.0], t_eval=t,
                    method="DOP853", rtol=1e-11, atol=1e-13)
    assert sol.success
    np.testing.assert_allclose(bass_cumulative(t, p, q), sol.y[0], rtol=1e-7, atol=1e-10)


def test_bass_rate_is_derivative_of_cumulative():
    t = np.linspace(0.1, 20.0, 200)
    h = 1e-6
    numeric = (bass_cumulative(t + h, 0.03, 0.38) - bass_cumulative(t - h, 0.03, 0.38)) / (2 * h)
    np.testing.assert_allclose(bass_rate(t, 0.03, 0.38), numeric, rtol=1e-6)


def test_bass_start_and_limits():
    assert bass_cumulative(0.0, 0.03, 0.38) == 0.0
    assert np.all(bass_cumulative([-5.0, -0.1], 0.03, 0.38) == 0.0)
    assert bass_cumulative(1e3, 0.03, 0.38) == pytest.approx(1.0)
    # q = 0: pure innovation, F = 1 - exp(-p t)
    assert bass_cumulative(2.0, 0.1, 0.0) == pytest.approx(1.0 - np.exp(-0.2))
    # extreme coefficients stay finite
    values = bass_cumulative(np.array([0.0, 1e-9, 1.0, 1e6]), 1e-6, 5.0)
    assert np.all(np.isfinite(values)) and np.all((values >= 0) & (values <= 1))


def test_bass_broadcasts():
    t = np.arange(5.0)
    p = np.array([[0.01], [0.03], [0.1]])
    assert bass_cumulative(t, p, 0.4).shape == (3, 5)


def test_bass_adoption_is_difference_of_cumulative():
    edges = np.arange(0.0, 11.0)
    per_year = bass_adoption(edges[:-1], edges[1:], 0.03, 0.38, 1e6)
    assert per_year.sum() == pytest.approx(1e6 * bass_cumulative(10.0, 0.03, 0.38))
    assert np.all(per_year >= 0)


@settings(max_examples=150, deadline=None)
@given(t=T, p=P, q=Q, dp=st.floats(min_value=0.0, max_value=0.5))
def test_higher_p_never_lowers_cumulative(t, p, q, dp):
    assert bass_cumulative(t, p + dp, q) >= bass_cumulative(t, p, q) - 1e-12


@settings(max_examples=150, deadline=None)
@given(t=T, p=P, q=Q, dq=st.floats(min_value=0.0, max_value=2.0))
def test_higher_q_never_lowers_cumulative(t, p, q, dq):
    assert bass_cumulative(t, p, q + dq) >= bass_cumulative(t, p, q) - 1e-12


@settings(max_examples=100, deadline=None)
@given(t=T, dt=st.floats(min_value=0.0, max_value=10.0), p=P, q=Q)
def test_cumulative_never_falls_with_time(t, dt, p, q):
    assert bass_cumulative(t + dt, p, q) >= bass_cumulative(t, p, q) - 1e-12


def test_logistic_share():
    assert logistic_share(5.0, 0.4, 1.0, 5.0) == pytest.approx(0.2)
    s = logistic_share(np.linspace(-100, 100, 50), 0.4, 2.0, 0.0)
    assert np.all(np.diff(s) >= 0) and np.all(np.isfinite(s))
    assert s[0] == pytest.approx(0.0, abs=1e-12) and s[-1] == pytest.approx(0.4)
    # 10 % -> 90 % of the ceiling takes 2 ln 9 / k
    k = 0.9
    t10 = 5.0 - np.log(9.0) / k
    t90 = 5.0 + np.log(9.0) / k
    assert logistic_share([t10, t90], 1.0, k, 5.0) == pytest.approx([0.1, 0.9])
