"""Vectorised root finding for monotone link quantities (margin, maximum reach)."""

from __future__ import annotations

from typing import Callable

import numpy as np


#: First outward step from a guess [ratio]: a factor 1.5, doubled in log space at each further step, reaches
#: a bracket 10^6 away in ~6 steps while a root near the guess is bracketed in one.
GUESS_FACTOR = 1.5


#: Widest bracket [in log x] on which the secant across it is taken to tell how far its feasible end lies from
#: the root. On a wide bracket a convex function's chord falls short of the root (a power law over six decades
#: stopped 5.8e-4 short under a tolerance of 1e-4); at 10 % the catalog's margins and reaches (checked against
#: solves to 1e-9) stay within the tolerance and take no more evaluations than without the limit.
SECANT_TRUST_WIDTH = 0.1


def solve_log(func: Callable[[np.ndarray, np.ndarray], np.ndarray], low: float, high: float, n: int, *,
              increasing: bool, guess=None, guess_factor: float = GUESS_FACTOR, rtol: float = 1e-4, max_iter: int = 60,
              feasible_side: bool = False, f_guess=None):
    """Solve ``func(x) = 0`` for ``x`` in ``[low, high]`` element-wise, for ``func`` monotone in ``x`` (``increasing``
    says which way), bracketing outward from a guess and refining with the Illinois (modified false-position)
    method in ``log x``.

    Each element starts at ``guess`` (default: the geometric mean of the bounds) and steps outward by
    ``guess_factor``, doubling the step in log space, until its bracket holds a sign change or reaches a
    bound. ``f_guess`` (NaN where unknown) gives ``func`` at the guess where the caller has already
    evaluated it there (used where the guess lies inside the bounds, evaluated again elsewhere). For smooth
    monotone functions such as ``log BER`` versus ``log`` power or length the whole solve typically costs
    6-10 evaluations of ``func`` instead of ~20 bisections, and it never leaves the bracket. Returns
    ``(x, below, above)``: the root, and flags where it lies below ``low`` (``x = low``) or above ``high``
    (``x = high``).

    ``func(x, index)`` receives only the elements still being solved (``index``
    holds their positions in ``range(n)``), so converged design points cost nothing further.

    With ``feasible_side`` every returned root ``x`` inside the bracket satisfies ``sign * func(x) <= 0``
    (the side where the requirement is met): the feasible end of the bracket once it lies within half the
    tolerance of the root (by the secant across a bracket narrower than :data:`SECANT_TRUST_WIDTH`) or the
    bracket is narrower than the tolerance;
    otherwise a last iterate on the wrong side is stepped back by the tolerance, or replaced by the kept
    feasible end of the bracket.
    """
    shape = (n,)
    sign = 1.0 if increasing else -1.0
    lo_b, hi_b = np.log(low), np.log(high)
    if guess is None:
        g = np.full(shape, 0.5 * (lo_b + hi_b))
    else:
        g = np.log(np.clip(np.broadcast_to(np.asarray(guess, dtype=float), shape), low, high)).copy()

    def f_of(logx, mask=None, previous=None):
        if mask is None:
            return sign * np.asarray(func(np.exp(logx), np.arange(n)), dtype=float)
        out = previous.copy()
        idx = np.flatnonzero(mask)
        if idx.size:
            out[idx] = sign * np.asarray(func(np.exp(logx[idx]), idx), dtype=float)
        return out

    xa = g
    if f_guess is None:
        fa = f_of(g)
    else:
        known = np.broadcast_to(np.asarray(f_guess, dtype=float), shape)
        given = np.broadcast_to(np.asarray(guess, dtype=float), shape)
        have = np.isfinite(known) & (given >= low) & (given <= high)
        fa = f_of(g, ~have, np.where(have, sign * known, 0.0))
    step = np.full(shape, np.log(guess_factor))
    # positive f: root below (step down); negative: step up
    xb = np.clip(xa - np.sign(fa) * step, lo_b, hi_b)
    fb = f_of(xb)
    for _ in range(40):
        same = (np.sign(fa) == np.sign(fb)) & (fa != 0)
        at_bound = np.where(fa > 0, xb <= lo_b, xb >= hi_b)
        open_ = same & ~at_bound
        if not np.any(open_):
            break
        step = np.where(open_, 2.0 * step, step)
        xa, fa = np.where(open_, xb, xa), np.where(open_, fb, fa)
        xb = np.where(open_, np.clip(xa - np.sign(fa) * step, lo_b, hi_b), xb)
        fb = f_of(xb, open_, fb)
    same = (np.sign(fa) == np.sign(fb)) & (fa != 0) & (fb != 0)
    below = same & (fb > 0)
    above = same & (fb < 0)
    lo = np.minimum(xa, xb)
    hi = np.maximum(xa, xb)
    f_lo = np.where(xa <= xb, fa, fb)
    f_hi = np.where(xa <= xb, fb, fa)
    active = ~(below | above)
    side = np.zeros(shape)  # which end was kept last time (Illinois halving)
    tol = np.log1p(rtol)
    x = 0.5 * (lo + hi)
    x_prev = np.full(shape, np.inf)
    f = np.full(shape, np.inf)
    f = np.where(f_lo == 0, 0.0, np.where(f_hi == 0, 0.0, f))
    exact = (f_lo == 0) | (f_hi == 0)
    converged = ~active | exact
    flo_t, fhi_t = f_lo.copy(), f_hi.copy()  # true values at the ends (the Illinois step halves f_lo, f_hi)
    at_lo = np.zeros(shape, dtype=bool)  # converged onto the feasible end of the bracket
    for _ in range(max_iter):
        upd = ~converged
        denom = f_hi - f_lo
        with np.errstate(divide="ignore", invalid="ignore"):
            x_new = np.where(np.isfinite(f_lo) & np.isfinite(f_hi) & (denom > 0),
                             hi - f_hi * (hi - lo) / np.where(denom > 0, denom, 1.0), 0.5 * (lo + hi))
        x_new = np.clip(x_new, lo + 1e-3 * (hi - lo), hi - 1e-3 * (hi - lo))
        x = np.where(upd, x_new, x)
        f = f_of(x, upd, f)
        pos = f > 0
        keep_lo_again = upd & pos & (side > 0)
        keep_hi_again = upd & ~pos & (side < 0)
        f_lo = np.where(keep_lo_again, 0.5 * f_lo, f_lo)
        f_hi = np.where(keep_hi_again, 0.5 * f_hi, f_hi)
        set_hi = upd & pos
        set_lo = upd & ~pos
        hi, f_hi = np.where(set_hi, x, hi), np.where(set_hi, f, f_hi)
        lo, f_lo = np.where(set_lo, x, lo), np.where(set_lo, f, f_lo)
        side = np.where(upd, np.where(pos, 1.0, -1.0), side)
        flo_t, fhi_t = np.where(set_lo, f, flo_t), np.where(set_hi, f, fhi_t)
        if feasible_side:  # the feasible end is within half the tolerance of the root by the bracket's secant
            with np.errstate(divide="ignore", invalid="ignore"):
                dist = -flo_t * (hi - lo) / (fhi_t - flo_t)
            # on a wide bracket the chord of a convex function puts its zero short of the root: trusted only
            # on a narrow one
            near = upd & np.isfinite(dist) & (dist < 0.5 * tol) & (hi - lo < SECANT_TRUST_WIDTH)
            at_lo |= near
            converged = converged | near
        converged = converged | (upd & ((hi - lo < tol) | (np.abs(x - x_prev) < 0.25 * tol) | (np.abs(f) < 1e-10)))
        x_prev = np.where(upd, x, x_prev)
        if np.all(converged):
            break
    done_by_step = (np.abs(f) < 1e-10) | (hi - lo >= tol)
    x = np.where(done_by_step, x, 0.5 * (lo + hi))
    x = np.where(exact & (f_lo == 0), lo, np.where(exact & (f_hi == 0), hi, x))
    if feasible_side:
        at_lo |= active & ~exact & (hi - lo < tol)  # a narrow bracket: its feasible end is the answer
        x = np.where(at_lo, lo, x)
        # f at the returned point: the last iterate's f where it is returned, else unknown (midpoint)
        f_x = np.where(done_by_step, f, np.inf)
        f_x = np.where(exact & (f_lo == 0), 0.0, f_x)
        f_x = np.where(at_lo, flo_t, f_x)
        wrong = active & ~(f_x <= 0)
        if np.any(wrong):
            x_back = np.where(wrong, x - tol, x)
            f_back = f_of(x_back, wrong, np.full(shape, np.inf))
            x = np.where(wrong & (f_back <= 0) & (x_back >= lo), x_back, np.where(wrong, lo, x))
    x = np.exp(x)
    x = np.where(below, low, np.where(above, high, x))
    return x, below, above
