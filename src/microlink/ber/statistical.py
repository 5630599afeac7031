"""Statistical eye: exact ISI distribution, Gaussian noise and sampling jitter, for NRZ and PAM4.

Method
------
At a sampling instant the received value given the sent level ``b_0`` is
``y = A h0 b_0 + X + sigma(b_0) n`` with ``X = sum_k A h_k b_k + sum_m A x_m a_m`` (ISI and crosstalk, a sum
of independent discrete variables) and ``n`` standard normal.

1. The distribution of ``X`` is built by convolving the per-cursor distributions one at a time on a grid
   of step ``delta = sigma_min / resolution``. Each value is split between its two neighbouring grid
   points so that the mean stays exact; the split adds a known, zero-mean error of variance ``V`` (summed
   exactly), which is taken out of the Gaussian noise (``sigma_eff^2 = sigma^2 - V``) so that the first two
   moments of ``X + noise`` are exact. All terms are non-negative, so probabilities of 1e-30 keep their
   relative accuracy (no FFT round-off floor).
2. Tail probabilities ``P(y > th)`` are sums over the grid of ``pmf_i Q((th - mu - x_i)/sigma_eff)`` with the
   Gaussian tail from ``erfc``: BER values down to ~1e-300 are meaningful. The full eye (BER contour over
   sampling phase x threshold) convolves the distribution with the Gaussian's exact bin probabilities
   (truncated at ``tail_sigmas``, default 12: Q(12) ~ 2e-33) and sums tails from the far end.
3. Jitter is sampling-instant jitter at the receiver, independent per decision: dual-Dirac (``+-DJ/2``)
   convolved with Gaussian RJ. The BER is averaged over the jitter distribution
   (``BER(phi) = E_tau[BER_0(phi + tau)]``), the pulse being sampled at ``phi + tau`` by linear
   interpolation (as in the Monte Carlo simulator, so both see the same model).

PAM4 bit errors use the Gray labels; the BER counts every decided level (not only adjacent ones).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np
from scipy import special

from microlink.ber._compiled import ENGINE, isi_distribution
from microlink.ber.closed_form import transition_probabilities
from microlink.ber.model import DecisionModel, DecisionPoint, decision_point
from microlink.errors import ParameterError

__all__ = ["StatisticalEye", "statistical_ber", "statistical_eye", "isi_pmf", "jitter_nodes"]

#: Largest grid the ISI distribution may use [bins].
MAX_BINS = 1 << 22
#: Largest share of the smallest noise variance that the grid may add (and that is taken back out) [1].
MAX_GRID_VARIANCE = 0.5


def _as_point(model_or_point, phase=None) -> DecisionPoint:
    if isinstance(model_or_point, DecisionPoint):
        if phase is not None:
            return model_or_point.with_phase(phase)
        return model_or_point
    if isinstance(model_or_point, DecisionModel):
        return decision_point(model_or_point, phase)
    raise ParameterError("model", type(model_or_point).__name__, "a DecisionModel or DecisionPoint")


def _interferers(point: DecisionPoint, cursors) -> tuple[np.ndarray, np.ndarray]:
    """Values [K+M, L] and probabilities of every ISI cursor and aggressor [A or V, 1]."""
    lv = point.levels
    n_l = lv.size
    a = point.amplitude
    vals = a * np.asarray(cursors, dtype=float)[:, None] * lv[None, :]
    probs = np.full(vals.shape, 1.0 / n_l)
    if point.aggressors.size:
        ag = np.zeros((point.aggressors.size, n_l))
        pg = np.zeros((point.aggressors.size, n_l))
        ag[:, 0], ag[:, 1] = -a * point.aggressors, a * point.aggressors
        pg[:, 0] = pg[:, 1] = 0.5
        vals, probs = np.concatenate([vals, ag]), np.concatenate([probs, pg])
    # largest first: the support grows early and the split error of small cursors is smallest
    order = np.argsort(-np.abs(vals).max(axis=1), kind="stable")
    return vals[order], probs[order]


def _grid(values, probs, delta):
    x = values / delta
    big = np.where(probs > 0, x, np.nan)
    lo = int(np.sum(np.floor(np.nanmin(big, axis=1)))) if values.size else 0
    hi = int(np.sum(np.floor(np.nanmax(big, axis=1)) + 1)) if values.size else 0
    return hi - lo + 1, -lo


def _choose_delta(point: DecisionPoint, values_list, probs_list, resolution):
    sigma_min = float(np.min(point.sigma_levels))
    if not sigma_min > 0:
        raise ParameterError("sigma", point.sigma_levels.tolist(),
                             "Gaussian noise > 0 on every level for the statistical eye")
    if not resolution >= 2:
        raise ParameterError("resolution", resolution, ">= 2 grid steps per noise rms")
    delta = sigma_min / float(resolution)
    while max(_grid(v, p, delta)[0] for v, p in zip(values_list, probs_list)) > MAX_BINS:
        delta *= 2.0
    return delta


def isi_pmf(point: DecisionPoint, cursors=None, *, resolution=16, delta=None):
    """Distribution of ISI + crosstalk on a grid (see module docstring).

    Returns
    -------
    dict
        ``pmf`` [n_bins] [1], ``values`` [n_bins] (grid values [A or V]), ``delta`` [A or V],
        ``grid_variance`` (variance added by the grid [(A or V)^2]).
    """
    cur = point.cursors if cursors is None else cursors
    vals, probs = _interferers(point, cur)
    if delta is None:
        delta = _choose_delta(point, [vals], [probs], resolution)
    n_bins, offset = _grid(vals, probs, delta)
    pmf, var = isi_distribution(vals, probs, delta, n_bins, offset)
    return {"pmf": pmf, "values": (np.arange(n_bins) - offset) * delta, "delta": delta, "grid_variance": var,
            "offset": offset}


def _effective_sigma(point: DecisionPoint, var):
    s2 = point.sigma_levels**2 - var
    if np.any(s2 < (1.0 - MAX_GRID_VARIANCE) * point.sigma_levels**2):
        raise ParameterError("resolution", "grid", "a finer grid (the ISI grid adds too much variance)")
    return np.sqrt(s2)


def _decision_probabilities(point: DecisionPoint, main, pmf, values, sigma_eff):
    """``P[j, j']``: probability of deciding level j' when j is sent [1]."""
    nz = pmf > 0
    w, x = pmf[nz], values[nz]
    mu = point.amplitude * main * point.levels  # [L]
    th = point.thresholds  # [T]
    z = (th[None, :, None] - mu[:, None, None] - x[None, None, :]) / sigma_eff[:, None, None]  # [L, T, N]
    up = (special.ndtr(-z) * w).sum(axis=-1)  # P(y_j > th_t)
    down = (special.ndtr(z) * w).sum(axis=-1)  # P(y_j < th_t)
    return transition_probabilities(up, down), up, down


def _ber_from_probabilities(point: DecisionPoint, prob):
    n_l = point.levels.size
    return float(np.sum(prob * point.bit_errors_table) / (n_l * point.bits_per_symbol))


def jitter_nodes(random_jitter_rms, deterministic_jitter, *, step=0.5, span=7.0):
    """Quadrature of the jitter distribution: offsets [UI] and weights [1] (sum 1).

    Dual-Dirac ``+-DJ/2`` convolved with a Gaussian of rms ``RJ`` sampled every ``step`` RJ over
    ``+-span`` RJ (weights normalised; trapezoid rule, within 0.1 % of a 5x finer rule on the test
    channels). No jitter gives the single node 0.
    """
    dj = [0.0] if deterministic_jitter == 0 else [-0.5 * deterministic_jitter, 0.5 * deterministic_jitter]
    if random_jitter_rms > 0:
        u = np.arange(-span, span + step / 2, step)
        g = np.exp(-0.5 * u * u)
        g /= g.sum()
        tau = (np.asarray(dj)[:, None] + random_jitter_rms * u[None, :]).reshape(-1)
        w = np.repeat(np.full(len(dj), 1.0 / len(dj)), u.size) * np.tile(g, len(dj))
    else:
        tau, w = np.asarray(dj), np.full(len(dj), 1.0 / len(dj))
    return tau, w


def _point_ber(point: DecisionPoint, main, cursors, resolution):
    vals, probs = _interferers(point, cursors)
    delta = _choose_delta(point, [vals], [probs], resolution)
    n_bins, offset = _grid(vals, probs, delta)
    pmf, var = isi_distribution(vals, probs, delta, n_bins, offset)
    sig = _effective_sigma(point, var)
    values = (np.arange(n_bins) - offset) * delta
    prob, _, _ = _decision_probabilities(point, main, pmf, values, sig)
    return _ber_from_probabilities(point, prob), n_bins, delta


def statistical_ber(model_or_point, *, phase=None, resolution=16):
    """BER of the statistical eye at one sampling instant and the given thresholds.

    Parameters
    ----------
    model_or_point : DecisionModel or DecisionPoint
    phase : float, optional
        Sampling instant [UI from the pulse-window start]; the point's own when omitted.
    resolution : float
        Grid steps per smallest noise rms (accuracy: see module docstring; 16 gives < 1 % at 1e-15).

    Returns
    -------
    dict
        ``ber`` [1], ``bins`` (grid size), ``delta`` (grid step [A or V]), ``jitter_nodes`` [1],
        ``seconds`` [s], ``engine``.
    """
    t0 = time.perf_counter()
    point = _as_point(model_or_point, phase)
    if point.has_jitter:
        tau, w = jitter_nodes(point.random_jitter_rms, point.deterministic_jitter)
        mains, curs = point.cursors_at(point.phase + tau)
        bers = np.array([_point_ber(point, float(m), c, resolution)[0] for m, c in zip(mains, curs)])
        ber, bins, delta = float(np.sum(w * bers)), 0, float("nan")
    else:
        ber, bins, delta = _point_ber(point, point.main, point.cursors, resolution)
        tau = np.zeros(1)
    return {"ber": ber, "bins": bins, "delta": delta, "jitter_nodes": int(tau.size),
            "seconds": time.perf_counter() - t0, "engine": ENGINE}


# --------------------------------------------------------------------------------------------------------
# The full eye


def _gauss_bins(sigma, delta, frac, half):
    """``P(n in [(d - frac - 1/2) delta, (d - frac + 1/2) delta))`` for d = -half..half, n ~ N(0, sigma^2)."""
    d = np.arange(-half, half + 1)
    a = (d - frac - 0.5) * delta / sigma
    b = (d - frac + 0.5) * delta / sigma
    upper = special.ndtr(-a) - special.ndtr(-b)  # accurate where a >= 0
    lower = special.ndtr(b) - special.ndtr(a)  # accurate where b <= 0
    return np.where(a >= 0, upper, lower)


@dataclass(frozen=True, eq=False)
class StatisticalEye:
    """BER contour of an eye over sampling phase and decision threshold.

    Attributes
    ----------
    phase : ndarray [P]
        Sampling instants relative to the decision point's [UI] (0 is the chosen instant).
    voltage : ndarray [V]
        Decision thresholds of the contour [A or V].
    ber : ndarray [P, V]
        Contour: BER if the decision threshold of the eye holding each voltage (by the ideal levels at that
        phase; outside the outer levels, the outer eyes) were at that voltage [1]. A column is the vertical
        bathtub.
    eye_ber : ndarray [E, P]
        Horizontal bathtub of each eye at its decision threshold (NRZ: the BER) [1].
    thresholds : ndarray [E]
        Decision thresholds of the eyes [A or V].
    levels : ndarray [P, L]
        Ideal received levels at each phase [A or V].
    best_phase : float
        Phase of the lowest total BER (sum over eyes) [UI, relative].
    modulation : str
    seconds : float
        Time taken [s].
    jitter : tuple[float, float]
        (RJ rms, DJ peak-to-peak) applied [UI].
    """

    phase: np.ndarray
    voltage: np.ndarray
    ber: np.ndarray
    eye_ber: np.ndarray
    thresholds: np.ndarray
    levels: np.ndarray
    best_phase: float
    modulation: str
    seconds: float
    jitter: tuple

    @property
    def best_index(self) -> int:
        """Index of ``best_phase`` in ``phase``."""
        return int(np.argmin(np.abs(self.phase - self.best_phase)))

    def total_ber(self) -> np.ndarray:
        """BER at the decision thresholds versus phase (sum over eyes) [P]."""
        return self.eye_ber.sum(axis=0)

    def vertical_bathtub(self, phase=None):
        """``(voltage [A or V], BER [1])`` at a phase [UI, relative] (default the best)."""
        i = self.best_index if phase is None else int(np.argmin(np.abs(self.phase - float(phase))))
        return self.voltage, self.ber[i]

    def horizontal_bathtub(self, eye: int = 0):
        """``(phase [UI], BER [1])`` of one eye at its threshold."""
        if not 0 <= eye < self.eye_ber.shape[0]:
            raise ParameterError("eye", eye, f"0 .. {self.eye_ber.shape[0] - 1}")
        return self.phase, self.eye_ber[eye]

    def eye_height(self, target_ber=1e-12, phase=None) -> np.ndarray:
        """Vertical opening of each eye where the contour is at or below ``target_ber`` [A or V], shape [E]."""
        v, b = self.vertical_bathtub(phase)
        i = self.best_index if phase is None else int(np.argmin(np.abs(self.phase - float(phase))))
        out = np.zeros(self.thresholds.size)
        for e, th in enumerate(self.thresholds):
            lo_lim, hi_lim = self.levels[i, e], self.levels[i, e + 1]
            out[e] = _opening(v, b, th, target_ber, lo_lim, hi_lim)
        return out

    def eye_width(self, target_ber=1e-12) -> np.ndarray:
        """Horizontal opening of each eye at its threshold where BER <= ``target_ber`` [UI], shape [E]."""
        out = np.zeros(self.thresholds.size)
        for e in range(self.thresholds.size):
            out[e] = _opening(self.phase, self.eye_ber[e], self.best_phase, target_ber, -np.inf, np.inf)
        return out


def _crossing(x, logb, i_in, i_out, log_t):
    """Interpolated position between x[i_in] (<= target) and x[i_out] (> target) in log BER."""
    a, b = logb[i_in], logb[i_out]
    if not np.isfinite(a):
        a = min(log_t, b) - 700.0
    f = (log_t - a) / (b - a) if b != a else 0.0
    return x[i_in] + f * (x[i_out] - x[i_in])


def _opening(x, ber, centre, target, lo_lim, hi_lim):
    """Width of the region around ``centre`` where ``ber <= target`` (log-linear interpolation)."""
    with np.errstate(divide="ignore"):
        logb = np.log(np.maximum(ber, 0.0))
    log_t = np.log(target)
    i0 = int(np.argmin(np.abs(x - centre)))
    # start from the lowest BER near the centre
    if ber[i0] > target:
        return 0.0
    i = i0
    while i + 1 < x.size and ber[i + 1] <= target and x[i + 1] < hi_lim:
        i += 1
    right = x[i] if (i + 1 >= x.size or x[i + 1] >= hi_lim) else _crossing(x, logb, i, i + 1, log_t)
    i = i0
    while i - 1 >= 0 and ber[i - 1] <= target and x[i - 1] > lo_lim:
        i -= 1
    left = x[i] if (i - 1 < 0 or x[i - 1] <= lo_lim) else _crossing(x, logb, i, i - 1, log_t)
    return float(max(right - left, 0.0))


def statistical_eye(model_or_point, *, phase=None, phases_per_ui=64, resolution=16, tail_sigmas=12.0,
                    phase_span=1.0) -> StatisticalEye:
    """The statistical eye: BER contour, bathtubs, eye height and width (see module docstring).

    Parameters
    ----------
    model_or_point : DecisionModel or DecisionPoint
    phase : float, optional
        Centre sampling instant [UI from the pulse-window start]; the decision point's when omitted.
    phases_per_ui : int
        Phase resolution [1/UI]; raised to resolve the random jitter (step <= RJ/2, at most 1024/UI).
    resolution : float
        Grid steps per smallest noise rms.
    tail_sigmas : float
        Gaussian kernel half-width [sigma]: the contour is exact down to ~Q(tail_sigmas).
    phase_span : float
        Width of the phase window around the centre [UI].

    Returns
    -------
    StatisticalEye
    """
    t0 = time.perf_counter()
    point = _as_point(model_or_point, phase)
    n_ph = int(phases_per_ui)
    if n_ph < 4:
        raise ParameterError("phases_per_ui", phases_per_ui, ">= 4")
    if not 0 < phase_span <= 4:
        raise ParameterError("phase_span", phase_span, "0 < span <= 4 UI")
    if point.random_jitter_rms > 0:
        n_ph = int(min(max(n_ph, np.ceil(2.0 / point.random_jitter_rms)), 1024))
    step = 1.0 / n_ph
    ext = 0.5 * point.deterministic_jitter + 8.0 * point.random_jitter_rms
    n_ext = int(np.ceil(ext / step)) + (1 if ext > 0 else 0)
    n_half = int(round(0.5 * phase_span / step))
    rel = np.arange(-n_half - n_ext, n_half + n_ext + 1) * step
    # an eye scan goes far from the decision instant: every cursor of the window, none folded
    mains, curs = point.cursors_at(point.phase + rel, every_offset=True)
    point = dataclasses.replace(point, sigma_levels=point.sigma_without_folded, folded_isi_rms=0.0)
    a = point.amplitude
    inter = [_interferers(point, c) for c in curs]
    delta = _choose_delta(point, [v for v, _ in inter], [p for _, p in inter], resolution)
    sig_max = float(np.max(point.sigma_levels))
    half = int(np.ceil(tail_sigmas * sig_max / delta))
    # voltage bins spanned by every level's density at every phase: the level's own bin range plus the
    # ISI grid of that phase (whose per-cursor rounding can exceed the summed cursor magnitudes) plus the
    # Gaussian kernel; a closed eye (ISI larger than the main cursor) stays inside the grid
    mu_bins = int(np.ceil(a * np.max(np.abs(mains)) * np.max(np.abs(point.levels)) / delta)) + 1
    grids = [_grid(v, p, delta) for v, p in inter]
    isi_lo = min(-off for _, off in grids)
    isi_hi = max(n - 1 - off for n, off in grids)
    m_lo = -mu_bins + isi_lo - half - 2
    m_hi = mu_bins + isi_hi + half + 2
    n_v = m_hi - m_lo + 1  # bins m_lo..m_hi, edges at (m - 1/2) delta
    edges = (np.arange(m_lo, m_hi + 1) - 0.5) * delta  # edge m is the lower edge of bin m
    n_l = point.levels.size
    norm = 1.0 / (n_l * point.bits_per_symbol)
    contour = np.zeros((rel.size, n_v))
    eye_ber = np.zeros((point.thresholds.size, rel.size))
    levels_at = np.zeros((rel.size, n_l))
    errtab = point.bit_errors_table
    for p_i in range(rel.size):
        vals, probs = inter[p_i]
        n_bins, offset = grids[p_i]
        pmf, var = isi_distribution(vals, probs, delta, n_bins, offset)
        sig = _effective_sigma(point, var)
        main = float(mains[p_i])
        mu = a * main * point.levels
        levels_at[p_i] = mu
        eye_of_v = np.clip(np.searchsorted(mu[1:-1], edges, side="left"), 0, n_l - 2)
        values = (np.arange(n_bins) - offset) * delta
        prob, up, down = _decision_probabilities(point, main, pmf, values, sig)
        for e in range(point.thresholds.size):
            # crossings of threshold e: levels below sent and decided above it, and vice versa
            cross = up[: e + 1, e].sum() + down[e + 1:, e].sum()
            eye_ber[e, p_i] = norm * cross
        col = np.zeros(n_v)
        for j in range(n_l):
            m0 = int(np.floor(mu[j] / delta))
            frac = mu[j] / delta - m0
            k = _gauss_bins(sig[j], delta, frac, half)
            pdf = np.convolve(pmf, k)  # index c -> bin m = c - offset + m0 - half
            start = -offset + m0 - half - m_lo
            full = np.zeros(n_v)
            full[start:start + pdf.size] = pdf
            above = np.cumsum(full[::-1])[::-1]  # P(y >= edge m)
            below = np.concatenate([[0.0], np.cumsum(full)[:-1]])  # P(y < edge m)
            # threshold e(v) of the eye holding v: level j <= e errs above v, level j > e errs below
            col += np.where(j <= eye_of_v, above, below)
        contour[p_i] = norm * col
        _ = prob
    if point.has_jitter:
        contour, eye_ber = _apply_jitter(contour, eye_ber, point, step)
    keep = slice(n_ext, n_ext + 2 * n_half + 1)
    contour, eye_ber, rel_k, levels_k = contour[keep], eye_ber[:, keep], rel[keep], levels_at[keep]
    total = eye_ber.sum(axis=0)
    best = float(rel_k[int(np.argmin(total))])
    return StatisticalEye(phase=rel_k, voltage=edges, ber=np.minimum(contour, 0.5 if n_l == 2 else 1.0),
                          eye_ber=eye_ber, thresholds=point.thresholds.copy(), levels=levels_k, best_phase=best,
                          modulation=point.modulation, seconds=time.perf_counter() - t0,
                          jitter=(point.random_jitter_rms, point.deterministic_jitter))


def _apply_jitter(contour, eye_ber, point: DecisionPoint, step):
    """Average over sampling-instant jitter along the phase axis (non-negative weights)."""
    n = contour.shape[0]
    kern = np.zeros(2 * n + 1)  # offsets -n..n in grid steps
    dj = [0.0] if point.deterministic_jitter == 0 else [-0.5 * point.deterministic_jitter,
                                                         0.5 * point.deterministic_jitter]
    if point.random_jitter_rms > 0:
        u = np.arange(-n, n + 1) * step
        for d in dj:
            g = np.exp(-0.5 * ((u - d) / point.random_jitter_rms) ** 2)
            kern += g / g.sum() / len(dj)
    else:
        for d in dj:
            x = d / step
            i0 = int(np.floor(x))
            w = x - i0
            kern[n + i0] += (1.0 - w) / len(dj)
            kern[n + i0 + 1] += w / len(dj)
    # BER_j(phi) = sum_tau w(tau) BER(phi + tau): correlate along axis 0
    out_c = np.zeros_like(contour)
    out_e = np.zeros_like(eye_ber)
    for s in np.nonzero(kern)[0]:
        off = s - n
        w = kern[s]
        lo, hi = max(0, -off), min(n, n - off)
        out_c[lo:hi] += w * contour[lo + off:hi + off]
        out_e[:, lo:hi] += w * eye_ber[:, lo + off:hi + off]
    return out_c, out_e
