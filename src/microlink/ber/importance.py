"""Importance sampling: BER down to 1e-15 and below with a stated confidence interval, in seconds.

Each sample draws a sent level, an independent ISI + crosstalk pattern and (when present) a jitter offset,
so samples are independent. Two things are biased towards errors:

* the noise mean is translated to the decision threshold next to the noise-free received value (mean
  translation; no shift where the ISI pattern already puts the value past the threshold);
* the ISI and crosstalk symbols are drawn from exponentially tilted distributions, the tilt solving the
  saddle-point equation of ISI + noise reaching the threshold, so that the rare eye-closing patterns that
  dominate a low BER are drawn often.

Inner PAM4 levels use an equal mixture of the two directions (towards the threshold below and above).
The likelihood ratio of the drawn (symbols, noise) under the true and the mixture distributions,

    w = p(b) phi(n) / sum_i alpha_i q_i(b) phi(n - c_i(b)),

makes ``w x bit_errors`` an unbiased estimate of the bit errors per symbol. The interval is the normal
(central limit) interval of the mean of independent samples.

The run stops at the requested precision by a sequential rule (Chow and Robbins, *Ann. Math. Statist.* 36,
457, 1965): after each batch, stop once the half-width is at most ``precision`` times the estimate, with at
least ``MIN_SAMPLES`` samples and ``MIN_HITS`` wrong biased decisions behind the variance estimate; the next
batch is sized from the current relative variance to land on the target (``n (rel / precision)^2``, 5 % over),
so the run neither stops far short of nor far beyond it. The rule's coverage is asymptotically the nominal
one as the precision tightens; its bias is of order ``1/n`` (the tests check both against the statistical
eye over many seeds).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Callable, Optional

import numpy as np
from scipy import special

from microlink.ber.model import DecisionModel, DecisionPoint, decision_point
from microlink.ber.montecarlo import JITTER_CLIP_SIGMAS, make_generator
from microlink.errors import ParameterError

__all__ = ["ImportanceResult", "importance_sampling_ber"]

#: Fewest samples, and fewest wrong biased decisions, behind a stopping decision [1].
MIN_SAMPLES = 1024
MIN_HITS = 100
#: First and smallest batch [samples].
FIRST_BATCH = 1024
MIN_BATCH = 256


@dataclass(frozen=True)
class ImportanceResult:
    """Outcome of an importance-sampling run.

    Attributes
    ----------
    ber, ci_low, ci_high : float
        Estimate and its normal interval [1].
    relative_half_width : float
        Half-width of the interval over the estimate [1].
    samples : int
        Symbols drawn; ``bits = samples * bits_per_symbol``.
    bits : int
    hits : int
        Samples whose (biased) decision was wrong [1].
    seconds : float
    seed : int or None
    confidence : float
    stopped : str
        ``"precision"`` or ``"samples"``.
    """

    ber: float
    ci_low: float
    ci_high: float
    relative_half_width: float
    samples: int
    bits: int
    hits: int
    seconds: float
    seed: Optional[int]
    confidence: float
    stopped: str

    def to_dict(self) -> dict:
        return asdict(self)


def _interferer_levels(point: DecisionPoint):
    """Values ``[K+M, L]`` (relative to A, padded) and log-probabilities of every interferer's symbols."""
    n_l = point.levels.size
    k, m = point.cursors.size, point.aggressors.size
    vals = np.zeros((k + m, n_l))
    logp = np.full((k + m, n_l), -np.inf)
    vals[:k] = point.cursors[:, None] * point.levels[None, :]
    logp[:k] = -np.log(n_l)
    vals[k:, 0], vals[k:, 1] = -point.aggressors, point.aggressors
    logp[k:, :2] = -np.log(2.0)
    return vals, logp


def _tilts(point: DecisionPoint, vals, logp):
    """Exponentially tilted symbol distributions, one per (sent level, error direction) [L, 2, K+M, L].

    Direction 0 pushes down towards the threshold below, 1 up towards the one above. The tilt ``theta``
    solves the saddle-point equation ``sum_k E_theta[z_k] + theta sigma^2 = d`` (``z_k`` the push of
    interferer k, ``d`` the distance from the ideal level to the threshold), the most likely way for ISI and
    noise together to reach the threshold.
    """
    n_l = point.levels.size
    a = point.amplitude
    mu = point.ideal_levels
    out = np.broadcast_to(logp, (n_l, 2) + logp.shape).copy()
    for j in range(n_l):
        for u, t_idx in ((0, j - 1), (1, j)):
            if t_idx < 0 or t_idx >= n_l - 1 or vals.shape[0] == 0:
                continue
            sign = 1.0 if u == 1 else -1.0
            d = sign * (point.thresholds[t_idx] - mu[j])
            z = sign * a * vals  # [K+M, L]
            s2 = point.sigma_levels[j] ** 2

            def slope(theta):
                lq = logp + theta * z
                lq = lq - np.logaddexp.reduce(lq, axis=1, keepdims=True)
                return float(np.sum(np.exp(lq) * np.where(np.isfinite(logp), z, 0.0))) + theta * s2, lq

            lo, hi = 0.0, 1.0
            while slope(hi)[0] < d and hi < 1e300:
                hi *= 2.0
            for _ in range(100):
                mid = 0.5 * (lo + hi)
                lo, hi = (mid, hi) if slope(mid)[0] < d else (lo, mid)
            out[j, u] = slope(0.5 * (lo + hi))[1]
    return out


def _batch(gen, point: DecisionPoint, n, vals, logp, tilted):
    """Weighted bit errors of ``n`` independent samples [bit] and the number of wrong decisions."""
    n_l = point.levels.size
    lv = point.levels
    a = point.amplitude
    k = point.cursors.size
    j0 = gen.integers(0, n_l, size=n)
    has_lo = j0 > 0
    has_hi = j0 < n_l - 1
    both = has_lo & has_hi
    comp = np.where(both, gen.random(n) < 0.5, has_hi).astype(np.int64)  # 1: towards the threshold above
    # interferer symbols from the tilted distribution of the chosen component
    n_i = vals.shape[0]
    if n_i:
        cdf = np.cumsum(np.exp(tilted), axis=-1)  # [L, 2, I, L]
        u = gen.random((n, n_i))
        sym = (u[:, :, None] > cdf[j0, comp][:, :, :-1]).sum(axis=-1)  # [n, I]
        idx_i = np.arange(n_i)[None, :]
        log_p = logp[idx_i, sym].sum(axis=1)
        log_q_lo = tilted[j0, 0][np.arange(n)[:, None], idx_i, sym].sum(axis=1)
        log_q_hi = tilted[j0, 1][np.arange(n)[:, None], idx_i, sym].sum(axis=1)
    else:
        sym = np.zeros((n, 0), np.int64)
        log_p = log_q_lo = log_q_hi = np.zeros(n)
    agg = vals[k:][np.arange(n_i - k)[None, :], sym[:, k:]].sum(axis=1) if n_i > k else np.zeros(n)
    if point.has_jitter:
        tau = np.zeros(n)
        if point.deterministic_jitter > 0:
            tau += 0.5 * point.deterministic_jitter * (2.0 * (gen.random(n) < 0.5) - 1.0)
        if point.random_jitter_rms > 0:
            tau += point.random_jitter_rms * np.clip(gen.standard_normal(n), -JITTER_CLIP_SIGMAS, JITTER_CLIP_SIGMAS)
        main, cur = point.cursors_at(point.phase + tau)
        isi = np.sum(cur * lv[sym[:, :k]], axis=1)
    else:
        main = point.main
        isi = lv[sym[:, :k]] @ point.cursors if k else np.zeros(n)
    s = a * (main * lv[j0] + isi + agg)
    sig = point.sigma_levels[j0]
    th = point.thresholds
    # noise: mean translated to the threshold of the component, only towards the error region (where the
    # ISI already puts the noise-free value past a threshold, a shift back would make weights heavy-tailed)
    c_lo = np.where(has_lo, np.minimum((th[np.maximum(j0 - 1, 0)] - s) / sig, 0.0), 0.0)
    c_hi = np.where(has_hi, np.maximum((th[np.minimum(j0, n_l - 2)] - s) / sig, 0.0), 0.0)
    x = np.where(comp == 1, c_hi, c_lo) + gen.standard_normal(n)
    # log w = log p(symbols) + log phi(x) - log(mixture of the components' densities)
    l_lo = log_q_lo - 0.5 * (x - c_lo) ** 2
    l_hi = log_q_hi - 0.5 * (x - c_hi) ** 2
    log_mix = np.where(both, np.logaddexp(l_lo, l_hi) + np.log(0.5), np.where(has_hi, l_hi, l_lo))
    log_w = log_p - 0.5 * x * x - log_mix
    y = s + sig * x
    dec = np.searchsorted(th, y, side="left")
    err = point.bit_errors_table[j0, dec]
    with np.errstate(under="ignore"):
        z = np.where(err > 0, err * np.exp(np.minimum(log_w, 700.0)), 0.0)
    return z, int(np.count_nonzero(err))


def importance_sampling_ber(model_or_point, *, seed=None, rng=None, precision=0.2, confidence=0.95,
                            max_samples=20_000_000, batch=1 << 14, phase=None,
                            progress: Optional[Callable[[int, float], None]] = None) -> ImportanceResult:
    """BER by importance sampling of the noise (see module docstring).

    Parameters
    ----------
    model_or_point : DecisionModel or DecisionPoint
    seed, rng :
        As :func:`microlink.ber.montecarlo.monte_carlo_ber` (seed recorded).
    precision : float
        Stop when the interval half-width is below this fraction of the estimate [1] (0.2: +-20 %).
    confidence : float
        Interval confidence [1].
    max_samples : int
        Sample budget [symbols].
    batch : int
        Samples per vectorised batch; memory is ``O(batch x cursors)``.
    phase : float, optional
        Sampling instant [UI from the pulse-window start].
    progress : callable(samples, relative_half_width), optional

    Returns
    -------
    ImportanceResult
    """
    t0 = time.perf_counter()
    if not 0 < precision < 1:
        raise ParameterError("precision", precision, "0 < precision < 1 (relative half-width)")
    if not 0 < confidence < 1:
        raise ParameterError("confidence", confidence, "0 < confidence < 1")
    if not (isinstance(batch, (int, np.integer)) and batch >= 256):
        raise ParameterError("batch", batch, "an integer >= 256")
    if not max_samples >= batch:
        raise ParameterError("max_samples", max_samples, f">= batch ({batch})")
    gen, used_seed = make_generator(seed, rng)
    if isinstance(model_or_point, DecisionPoint):
        point = model_or_point.with_phase(phase) if phase is not None else model_or_point
    elif isinstance(model_or_point, DecisionModel):
        point = decision_point(model_or_point, phase)
    else:
        raise ParameterError("model", type(model_or_point).__name__, "a DecisionModel or DecisionPoint")
    if not np.all(point.sigma_levels > 0):
        raise ParameterError("sigma", point.sigma_levels.tolist(), "Gaussian noise > 0 on every level")
    zq = float(-special.ndtri(0.5 - 0.5 * confidence))
    vals, logp = _interferer_levels(point)
    tilted = _tilts(point, vals, logp)
    batch = int(batch)
    budget = int(max_samples)

    total = total_sq = 0.0
    done = hits = 0
    rel = np.inf
    mean = 0.0
    step = min(FIRST_BATCH, batch, budget)
    while done < budget:
        z, h = _batch(gen, point, step, vals, logp, tilted)
        total += float(z.sum())
        total_sq += float(np.dot(z, z))
        done += z.size
        hits += h
        mean = total / done
        var = max(total_sq / done - mean * mean, 0.0) * done / max(done - 1, 1)
        rel = zq * np.sqrt(var / done) / mean if mean > 0 else np.inf
        if progress is not None:
            progress(done, rel)
        if rel <= precision and done >= MIN_SAMPLES and hits >= MIN_HITS:
            break
        if np.isfinite(rel) and hits >= MIN_HITS:  # land on the target: n (rel / precision)^2, 5 % over
            step = int(np.ceil(1.05 * done * (rel / precision) ** 2)) - done
        else:  # too little seen to size the run: grow geometrically
            step = done
        step = int(min(max(step, MIN_BATCH, MIN_SAMPLES - done), batch, budget - done))
    samples = done
    bps = point.bits_per_symbol
    ber = mean / bps
    half_ber = rel * ber if np.isfinite(rel) else np.inf
    return ImportanceResult(
        ber=float(ber), ci_low=float(max(ber - half_ber, 0.0)), ci_high=float(min(ber + half_ber, 1.0)),
        relative_half_width=float(rel), samples=int(samples), bits=int(samples * bps), hits=int(hits),
        seconds=time.perf_counter() - t0, seed=used_seed, confidence=float(confidence),
        stopped="precision" if rel <= precision and hits >= MIN_HITS else "samples",
    )


