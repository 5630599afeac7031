"""Average selling price (ASP) paths: a constant yearly decline or a learning (experience) curve.

References
----------
* T. P. Wright, "Factors affecting the cost of airplanes", Journal of the Aeronautical Sciences
  3(4):122-128, 1936 (cost falls by a fixed fraction per doubling of cumulative output).
"""

from __future__ import annotations

import numpy as np

__all__ = ["asp_decline_path", "asp_learning_curve"]


def asp_decline_path(year, asp_initial, decline_rate, start_year):
    """ASP that falls by ``decline_rate`` per year from ``asp_initial`` in ``start_year`` [USD].

    ``ASP(y) = asp_initial (1 - decline_rate) ** max(y - start_year, 0)``: before ``start_year`` the
    price is held at ``asp_initial`` (no volume is sold then).

    Parameters
    ----------
    year : array_like
        Calendar year [yr].
    asp_initial : array_like
        ASP in the first volume year [USD].
    decline_rate : array_like
        Fractional price decline per year, in ``[0, 1)`` [1/yr].
    start_year : array_like
        Year in which ``asp_initial`` applies [yr].
    """
    elapsed = np.maximum(np.asarray(year, dtype=float) - np.asarray(start_year, dtype=float), 0.0)
    return np.asarray(asp_initial, dtype=float) * np.power(1.0 - np.asarray(decline_rate, dtype=float), elapsed)


def asp_learning_curve(cumulative_units, asp_initial, learning_rate, reference_units):
    """ASP on a learning curve: each doubling of cumulative units multiplies the price by ``learning_rate`` [USD].

    ``ASP = asp_initial (max(N, N_ref) / N_ref) ** log2(learning_rate)``: the price is ``asp_initial``
    until ``reference_units`` have been shipped, then follows Wright's law.

    Parameters
    ----------
    cumulative_units : array_like
        Units shipped so far [1].
    asp_initial : array_like
        ASP up to ``reference_units`` cumulative units [USD].
    learning_rate : array_like
        Price multiplier per doubling (progress ratio), in ``(0, 1]``; 0.85 means 15 % cheaper per doubling [1].
    reference_units : array_like
        Cumulative units at which ``asp_initial`` applies, ``> 0`` [1].
    """
    reference = np.asarray(reference_units, dtype=float)
    ratio = np.maximum(np.asarray(cumulative_units, dtype=float), reference) / reference
    exponent = np.log2(np.asarray(learning_rate, dtype=float))
    return np.asarray(asp_initial, dtype=float) * np.power(ratio, exponent)
