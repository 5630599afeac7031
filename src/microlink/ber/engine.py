"""One interface to every BER method: :func:`estimate_ber`.

All methods first reduce the :class:`~microlink.ber.model.DecisionModel` to the same
:class:`~microlink.ber.model.DecisionPoint` (sampling phase, cursors, thresholds, noise per level), so their
answers differ only by method:

=================  ==============================================================  ====================
method             what it computes                                                interval
=================  ==============================================================  ====================
``closed-form``    exact average over the largest interferers, Gaussian remainder   none (ci = ber)
``statistical``    statistical eye: exact ISI distribution + Gaussian tails         none (ci = ber)
``monte-carlo``    streaming simulation until ``min_errors`` or ``max_bits``          Clopper-Pearson
``importance``     tilted ISI + mean-translated noise, stops at +-``precision``    normal (CLT)
=================  ==============================================================  ====================
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from microlink.ber.model import DecisionModel, DecisionPoint, decision_point
from microlink.errors import ParameterError

__all__ = ["BerEstimate", "estimate_ber", "METHODS"]

METHODS = ("closed-form", "statistical", "monte-carlo", "importance")
#: Patterns the closed form enumerates exactly (14 NRZ or 7 PAM4 interferers); the rest are Gaussian.
CLOSED_FORM_PATTERNS = 1 << 14


@dataclass(frozen=True)
class BerEstimate:
    """A BER with its interval and provenance.

    Attributes
    ----------
    ber : float
        Bit error ratio [1].
    ci_low, ci_high : float
        Confidence interval [1]; equal to ``ber`` for the deterministic methods.
    bits_simulated : int
        Bits simulated (0 for the deterministic methods) [bit].
    errors : int
        Bit errors counted (Monte Carlo) or samples with a wrong biased decision (importance) [1].
    method : str
    seconds : float
        Wall time [s].
    seed : int or None
        Seed of the random generator (None for deterministic methods or a caller's Generator).
    phase : float
        Sampling instant used [UI from the pulse-window start].
    thresholds : tuple[float, ...]
        Decision thresholds used [A or V].
    modulation : str
    confidence : float or None
        Confidence of the interval [1].
    details : dict
        Method-specific extras (engine, grid size, stop reason ...).
    """

    ber: float
    ci_low: float
    ci_high: float
    bits_simulated: int
    errors: int
    method: str
    seconds: float
    seed: Optional[int]
    phase: float
    thresholds: tuple
    modulation: str
    confidence: Optional[float] = None
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary (JSON-ready)."""
        d = asdict(self)
        d["thresholds"] = [float(t) for t in self.thresholds]
        return d


def _closed_form(point: DecisionPoint) -> float:
    from microlink.ber.closed_form import pam_ber
    from microlink.ber.statistical import jitter_nodes

    tau, w = jitter_nodes(point.random_jitter_rms, point.deterministic_jitter)
    if point.has_jitter:
        mains, curs = point.cursors_at(point.phase + tau)
    else:
        mains, curs = np.array([point.main]), point.cursors[None, :]
    curs = curs[..., np.any(curs != 0.0, axis=0)]  # zero cursors would only spend the pattern budget
    n_l = point.levels.size
    exact = min(curs.shape[-1], int(np.floor(np.log(CLOSED_FORM_PATTERNS) / np.log(n_l) + 1e-9)))
    ber = pam_ber(mains, curs, point.amplitude, levels=point.levels, level_sigma=point.sigma_levels,
                  thresholds=point.thresholds, aggressors=point.aggressors, exact_terms=exact,
                  max_patterns=CLOSED_FORM_PATTERNS)
    return float(np.sum(w * ber))


def _judge(est: BerEstimate, target_ber: float) -> BerEstimate:
    if est.ci_high <= target_ber:
        verdict = True
    elif est.ci_low > target_ber:
        verdict = False
    else:
        verdict = None
    est.details.update({"target_ber": target_ber, "meets_target": verdict})
    return est


def estimate_ber(model, method: str = "statistical", *, target_ber: float = 1e-12, seed=None,
                 rng: Optional[np.random.Generator] = None, max_bits=10_000_000, min_errors: int = 100,
                 phase=None, thresholds=None, precision: float = 0.2, confidence: float = 0.95,
                 mode: str = "symbol", resolution: float = 16,
                 progress: Optional[Callable[[int, Any], None]] = None) -> BerEstimate:
    """Estimate the BER of a decision model with one of :data:`METHODS`.

    Parameters
    ----------
    model : DecisionModel or DecisionPoint
        The link at its decision point (e.g. ``MicroLEDLink.decision_model(reach)``).
    method : {"closed-form", "statistical", "monte-carlo", "importance"}
    target_ber : float
        BER the link must reach [1]; ``details["meets_target"]`` says whether the estimate (its whole
        interval, for the random methods) is at or below it: True, False, or None when the interval
        straddles it.
    seed : int, optional
        Seed for the random methods (recorded; drawn from the OS when omitted).
    rng : numpy.random.Generator, optional
        Use this Generator instead of a seed.
    max_bits : int
        Monte Carlo bit budget; importance sampling's budget is ``max_bits`` bits as well [bit].
    min_errors : int
        Monte Carlo stops after this many bit errors [1].
    phase : float, optional
        Sampling instant [UI from the pulse-window start]; the engine's choice when omitted (largest
        worst-case eye opening, see :func:`microlink.ber.model.select_phase`).
    thresholds : array_like, optional
        Decision thresholds [A or V]; the inner edges' tails equalised when omitted
        (:func:`microlink.ber.model.decision_thresholds`).
    precision : float
        Importance sampling stops at this relative half-width of the interval [1].
    confidence : float
        Interval confidence of the random methods [1].
    mode : {"symbol", "waveform"}
        Monte Carlo simulator.
    resolution : float
        Statistical-eye grid steps per noise rms.
    progress : callable, optional
        Passed to the random methods (called after each chunk).

    Returns
    -------
    BerEstimate
    """
    if method not in METHODS:
        raise ParameterError("method", method, " | ".join(METHODS))
    if not 0 < target_ber < 0.5:
        raise ParameterError("target_ber", target_ber, "0 < BER < 0.5")
    return _judge(_estimate(model, method, seed=seed, rng=rng, max_bits=max_bits, min_errors=min_errors,
                            phase=phase, thresholds=thresholds, precision=precision, confidence=confidence,
                            mode=mode, resolution=resolution, progress=progress), target_ber)


def _estimate(model, method, *, seed, rng, max_bits, min_errors, phase, thresholds, precision, confidence, mode,
              resolution, progress) -> BerEstimate:
    t0 = time.perf_counter()
    if isinstance(model, DecisionPoint):
        point = model.with_phase(phase) if phase is not None else model
        if thresholds is not None:
            raise ParameterError("thresholds", thresholds, "None with a DecisionPoint (it carries its thresholds)")
    elif isinstance(model, DecisionModel):
        point = decision_point(model, phase, thresholds=thresholds)
    else:
        raise ParameterError("model", type(model).__name__, "a DecisionModel or DecisionPoint")
    common = dict(phase=point.phase, thresholds=tuple(float(t) for t in point.thresholds), modulation=point.modulation)

    if method == "closed-form":
        ber = _closed_form(point)
        return BerEstimate(ber=ber, ci_low=ber, ci_high=ber, bits_simulated=0, errors=0, method=method,
                           seconds=time.perf_counter() - t0, seed=None, details={}, **common)
    if method == "statistical":
        from microlink.ber.statistical import statistical_ber

        res = statistical_ber(point, resolution=resolution)
        details = {"engine": res["engine"], "grid_bins": res["bins"], "jitter_nodes": res["jitter_nodes"]}
        ber = res["ber"]
        return BerEstimate(ber=ber, ci_low=ber, ci_high=ber, bits_simulated=0, errors=0, method=method,
                           seconds=time.perf_counter() - t0, seed=None, details=details, **common)
    if method == "monte-carlo":
        from microlink.ber.montecarlo import monte_carlo_ber

        r = monte_carlo_ber(point, seed=seed, rng=rng, max_bits=max_bits, min_errors=min_errors, mode=mode,
                            confidence=confidence, progress=progress)
        return BerEstimate(ber=r.ber, ci_low=r.ci_low, ci_high=r.ci_high, bits_simulated=r.bits, errors=r.errors,
                           method=method, seconds=time.perf_counter() - t0, seed=r.seed, confidence=confidence,
                           details={"engine": r.engine, "mode": r.mode, "noise": r.noise, "stopped": r.stopped},
                           **common)
    from microlink.ber.importance import importance_sampling_ber

    bps = point.bits_per_symbol
    r = importance_sampling_ber(point, seed=seed, rng=rng, precision=precision, confidence=confidence,
                                max_samples=max(int(max_bits) // bps, 1 << 14), progress=progress)
    return BerEstimate(ber=r.ber, ci_low=r.ci_low, ci_high=r.ci_high, bits_simulated=r.bits, errors=r.hits,
                       method=method, seconds=time.perf_counter() - t0, seed=r.seed, confidence=confidence,
                       details={"relative_half_width": r.relative_half_width, "stopped": r.stopped}, **common)
