"""Bit-error-ratio engine: closed forms, pulse responses and cursors, statistical eye, Monte Carlo, FEC.

One entry point, :func:`estimate_ber`, runs any method on a :class:`DecisionModel`:

* ``"closed-form"``: average over the patterns of the largest interferers (Gaussian remainder),
* ``"statistical"``: the statistical eye (ISI distribution by convolution, exact Gaussian tails),
* ``"monte-carlo"``: streaming symbol-rate or waveform simulation with a Clopper-Pearson interval,
* ``"importance"``: Monte Carlo over ISI patterns with mean-translated noise, for BER down to 1e-15.

Names are loaded on first use so that importing :mod:`microlink.ber.fec` stays light.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "estimate_ber": "engine",
    "BerEstimate": "engine",
    "METHODS": "engine",
    "DecisionModel": "model",
    "DecisionPoint": "model",
    "decision_point": "model",
    "statistical_eye": "statistical",
    "StatisticalEye": "statistical",
    "statistical_ber": "statistical",
    "monte_carlo_ber": "montecarlo",
    "importance_sampling_ber": "importance",
    "FEC_CODES": "fec",
    "FecCode": "fec",
    "post_fec_ber": "fec",
    "frame_error_rate": "fec",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        module = importlib.import_module(f"microlink.ber.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'microlink.ber' has no attribute {name!r}")
