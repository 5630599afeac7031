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


@pytest.mark.parametrize("law", [1.0, 2.0])
def test_a_declared_q_power_law_finds_the_same_margin_in_fewer_evaluations(law):
    """A decision that declares how Q falls with the power scale-down is solved in log Q with the law's step:
    the margin is the generic solve's to the tolerance, in fewer BER evaluations, also where the law holds
    only roughly (a noise floor that does not scale)."""
    from microlink.link.base import Decision
    from microlink.link.chain import SOLVER_RTOL, _solve_margin
    from microlink.units import q_to_ber

    rng = np.random.default_rng(3)
    n = 200
    q0 = rng.uniform(3.0, 30.0, n)
    floor = rng.uniform(0.0, 0.5, n)  # relative noise that does not fall with the power
    counts = {}

    def decision(declared):
        def ber_at_scale(scale, idx):
            # Q = q0 at scale 1, falling as scale^(-1/law) until the floor's share of the noise takes over
            counts[declared] = counts.get(declared, 0) + np.size(idx)
            f2 = floor[idx] ** 2
            noise = np.sqrt((np.asarray(scale, dtype=float) ** (2.0 / law) + f2) / (1.0 + f2))
            return q_to_ber(q0[idx] / noise)

        zeros = np.zeros(n)
        return Decision(ber=q_to_ber(q0), ber_worst_case=q_to_ber(q0), ber_at_scale=ber_at_scale, main_cursor=zeros,
                        isi_closure=zeros, signal_amplitude=zeros, noise={}, crosstalk=0.0, bandwidth={},
                        q_power_law=declared)

    threshold, pen, hop = np.full(n, 1e-12), np.ones(n), np.zeros(n)
    ber_now = decision(None).ber_at_scale(np.ones(n), np.arange(n))
    counts.clear()
    generic, floor_g = _solve_margin(decision(None), pen, hop, threshold, ber_now)
    declared, floor_d = _solve_margin(decision(law), pen, hop, threshold, ber_now)
    np.testing.assert_array_equal(floor_g, floor_d)
    ok = ~floor_g
    tol_db = 10.0 * np.log10(1.0 + SOLVER_RTOL)
    np.testing.assert_allclose(declared[ok], generic[ok], rtol=0.0, atol=2 * tol_db)
    assert counts[law] < counts[None]
