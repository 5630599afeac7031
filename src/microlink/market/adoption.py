"""Adoption curves: the Bass diffusion model and the logistic share curve.

Pure, vectorised functions. Time ``t`` is measured in years from the start of adoption (``t = 0`` is the
moment the first volume units ship); every argument broadcasts against every other.

References
----------
* F. M. Bass, "A new product growth for model consumer durables", Management Science 15(5):215-227, 1969.
* J. A. Norton and F. M. Bass, "A diffusion theory model of adoption and substitution for successive
  generations of high-technology products", Management Science 33(9):1069-1086, 1987 (the share form used
  here: the adopted fraction of a market that keeps growing underneath).
* F. Sultan, J. U. Farley and D. R. Lehmann, "A meta-analysis of applications of diffusion models",
  Journal of Marketing Research 27(1):70-77, 1990 (mean p ~ 0.03, q ~ 0.38).
"""

from __future__ import annotations

import numpy as np

__all__ = ["bass_cumulative", "bass_rate", "bass_adoption", "logistic_share"]


def bass_cumulative(t, p, q):
    """Cumulative fraction of the market potential that has adopted by time ``t`` (Bass 1969) [1].

    ``F(t) = (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t))`` for ``t > 0`` and ``F = 0`` for
    ``t <= 0`` (nobody adopts before the start). ``F`` solves ``dF/dt = (p + q F)(1 - F)``, ``F(0) = 0``.

    Parameters
    ----------
    t : array_like
        Time since the start of adoption [yr].
    p : array_like
        Coefficient of innovation (external influence), ``p > 0`` [1/yr].
    q : array_like
        Coefficient of imitation (internal influence), ``q >= 0`` [1/yr].

    Returns
    -------
    numpy.ndarray
        ``F(t)`` in ``[0, 1)`` [1], broadcast shape of the inputs.
    """
    t = np.asarray(t, dtype=float)
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    tau = np.maximum(t, 0.0)
    decay = np.exp(-(p + q) * tau)
    cumulative = -np.expm1(-(p + q) * tau) / (1.0 + (q / p) * decay)
    return np.where(t > 0.0, cumulative, 0.0)


def bass_rate(t, p, q):
    """Adoption density ``f(t) = dF/dt = (p + q F)(1 - F)`` of the Bass model [1/yr] (zero for ``t < 0``).

    Parameters as in :func:`bass_cumulative`.
    """
    t = np.asarray(t, dtype=float)
    cumulative = bass_cumulative(t, p, q)
    rate = (np.asarray(p, dtype=float) + np.asarray(q, dtype=float) * cumulative) * (1.0 - cumulative)
    return np.where(t >= 0.0, rate, 0.0)


def bass_adoption(t_start, t_end, p, q, m):
    """New adopters between ``t_start`` and ``t_end``: ``m [F(t_end) - F(t_start)]`` [unit of ``m``].

    Parameters
    ----------
    t_start, t_end : array_like
        Start and end of the period, measured from the start of adoption [yr].
    p, q : array_like
        Bass coefficients of innovation and imitation [1/yr].
    m : array_like
        Market potential, in whatever unit adopters are counted (units, or a fraction of a market) [any].
    """
    return np.asarray(m, dtype=float) * (bass_cumulative(t_end, p, q) - bass_cumulative(t_start, p, q))


def logistic_share(t, ceiling, rate, midpoint):
    """Logistic (Fisher-Pry) share ``s(t) = ceiling / (1 + exp(-rate (t - midpoint)))`` [1].

    Parameters
    ----------
    t : array_like
        Time [yr] (any origin, as long as ``midpoint`` uses the same one).
    ceiling : array_like
        Saturation share, in ``[0, 1]`` [1].
    rate : array_like
        Growth rate ``k`` [1/yr].
    midpoint : array_like
        Time at which the share reaches half the ceiling [yr].
    """
    x = -np.asarray(rate, dtype=float) * (np.asarray(t, dtype=float) - np.asarray(midpoint, dtype=float))
    # exp of a large positive x overflows to inf; the share then tends to 0, which 1/(1+inf) gives without NaN.
    with np.errstate(over="ignore"):
        return np.asarray(ceiling, dtype=float) / (1.0 + np.exp(x))
