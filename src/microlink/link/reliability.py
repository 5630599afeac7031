"""Failure rates of link ends built from component FITs, with k-of-n lane sparing.

A lane group of ``n = N + k`` lanes survives while at most ``k`` lanes have failed. With a constant lane
failure rate ``lambda`` the probability that one lane has failed by time ``t`` is ``q = 1 - exp(-lambda t)``
and the group fails with the binomial tail ``P(X > k)``, ``X ~ Binomial(n, q)``. Such a group has no
constant failure rate, so it is reported as the *effective* FIT over a service life ``T``:
``FIT_eff = -ln(1 - P_fail(T)) / T * 1e9 h`` (equal to the plain sum of FITs when nothing is spared).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from microlink.units import HOURS_PER_FIT

SECONDS_PER_HOUR = 3600.0


def fit_to_rate(fit):
    """FIT -> failures per second [FIT -> 1/s]."""
    return np.asarray(fit, dtype=float) / HOURS_PER_FIT / SECONDS_PER_HOUR


def group_failure_probability(lane_fit, lanes, spares, service_life):
    """Probability that more than ``spares`` of ``lanes + spares`` lanes fail within ``service_life``
    [FIT, 1, 1, s -> 1]."""
    q = -np.expm1(-fit_to_rate(lane_fit) * np.asarray(service_life, dtype=float))
    k = np.rint(np.asarray(spares, dtype=float)).astype(np.int64)
    n = np.rint(np.asarray(lanes, dtype=float)).astype(np.int64) + k
    return special.bdtrc(k, n, q)  # P(X > spares), X ~ Binomial(n, q)


def effective_fit(failure_probability, service_life):
    """Effective constant failure rate over a service life [1, s -> FIT]."""
    p = np.clip(np.asarray(failure_probability, dtype=float), 0.0, 1.0 - 1e-16)
    hours = np.asarray(service_life, dtype=float) / SECONDS_PER_HOUR
    return -np.log1p(-p) / hours * HOURS_PER_FIT


def spared_end_fit(tx_lane_fit, rx_lane_fit, lanes, spares, common_fit, service_life):
    """Effective FIT of one duplex link end: a transmit and a receive lane group, each spared, plus the
    unspared common parts (engine die, host interface, connector) [FIT, FIT, 1, 1, FIT, s -> FIT]."""
    p_tx = group_failure_probability(tx_lane_fit, lanes, spares, service_life)
    p_rx = group_failure_probability(rx_lane_fit, lanes, spares, service_life)
    p_common = -np.expm1(-fit_to_rate(common_fit) * np.asarray(service_life, dtype=float))
    p = 1.0 - (1.0 - p_tx) * (1.0 - p_rx) * (1.0 - p_common)
    return effective_fit(p, service_life)
