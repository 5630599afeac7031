"""The one root finder of margins and reaches (``link.solve.solve_log``): roots of monotone functions in log x
to its tolerance, on the feasible side when asked, and a value the caller already has at the guess is used
instead of evaluated again (one evaluation fewer, the same root)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.link.solve import solve_log

RTOL = 1e-4


def _counted(func):
    calls = {"points": 0}

    def f(x, idx):
        calls["points"] += len(idx)
        return func(x, idx)

    return f, calls


@settings(max_examples=60, deadline=None)
@given(roots=st.lists(st.floats(1e-3, 1e3), min_size=1, max_size=6),
       power=st.floats(0.3, 3.0), increasing=st.booleans())
def test_roots_of_monotone_functions_to_the_tolerance_on_the_feasible_side(roots, power, increasing):
    r = np.array(roots)
    sign = 1.0 if increasing else -1.0

    def func(x, idx):  # log-BER-like: a power law in x through zero at the root
        return sign * ((x / r[idx]) ** power - 1.0)

    x, below, above = solve_log(func, 1e-6, 1e6, r.size, increasing=increasing, rtol=RTOL, feasible_side=True)
    assert not below.any() and not above.any()
    np.testing.assert_allclose(x, r, rtol=2 * RTOL, atol=0.0)
    assert np.all(sign * func(x, np.arange(r.size)) <= 0.0)  # the requirement holds at every returned root


def test_a_known_value_at_the_guess_saves_its_evaluation_and_keeps_the_root():
    r = np.array([0.7, 3.0, 40.0, 900.0])
    guess = np.array([1.0, 2.0, 50.0, 5.0])

    def func(x, idx):
        return np.log(x / r[idx]) * (1.0 + 0.3 * np.log(x / r[idx]) ** 2)

    plain, calls_plain = _counted(func)
    x0, _, _ = solve_log(plain, 1e-3, 1e4, r.size, increasing=True, guess=guess, rtol=RTOL, feasible_side=True)
    known, calls_known = _counted(func)
    f_at = func(guess, np.arange(r.size))
    x1, _, _ = solve_log(known, 1e-3, 1e4, r.size, increasing=True, guess=guess, rtol=RTOL, feasible_side=True,
                         f_guess=f_at)
    assert calls_known["points"] == calls_plain["points"] - r.size
    np.testing.assert_allclose(x1, x0, rtol=1e-12, atol=0.0)


def test_a_known_value_is_used_only_where_the_guess_lies_in_the_bounds_and_is_finite():
    r = np.array([2.0, 2.0, 2.0])
    guess = np.array([5.0, 1e6, 5.0])  # the second lies outside: solved from the clipped guess, evaluated there
    f_at = np.array([np.log(5.0 / 2.0), 123.0, np.nan])  # a wrong value where it must not be used; NaN: unknown

    def func(x, idx):
        return np.log(x / r[idx])

    counted, calls = _counted(func)
    x, _, _ = solve_log(counted, 1e-3, 1e3, r.size, increasing=True, guess=guess, rtol=RTOL, f_guess=f_at)
    np.testing.assert_allclose(x, r, rtol=2 * RTOL, atol=0.0)
    counted_all, calls_all = _counted(func)
    solve_log(counted_all, 1e-3, 1e3, r.size, increasing=True, guess=guess, rtol=RTOL)
    assert calls["points"] == calls_all["points"] - 1  # only the first point's guess was taken as known


@pytest.mark.parametrize("increasing", [True, False])
def test_roots_beyond_the_bounds_are_flagged(increasing):
    sign = 1.0 if increasing else -1.0

    def func(x, idx):
        return sign * np.log(x / np.array([1e-9, 1e9])[idx])

    x, below, above = solve_log(func, 1e-6, 1e6, 2, increasing=increasing)
    assert below.tolist() == [True, False] and above.tolist() == [False, True]
    assert x.tolist() == [1e-6, 1e6]
