"""What a BER method needs to know about a link's decision point, independent of the technology.

Every technology can describe its receiver decision by a :class:`DecisionModel`: the oversampled pulse
response (normalised so that a settled run of ones gives 1), the signal amplitude, level-dependent Gaussian
noise, binary interferers (crosstalk aggressors) and sampling jitter. Closed forms, the statistical eye,
Monte Carlo and importance sampling all take this one object, so their answers can be compared on the same
link.

:func:`decision_point` reduces a model to what every method uses at one sampling phase (a
:class:`DecisionPoint`): the symbol levels and Gray labels, the cursors, the aggressors, the noise of each
level and the decision thresholds. All methods of :func:`microlink.ber.estimate_ber` consume the same
DecisionPoint, so they differ only in how they compute the probability of error.

Signal at the decision instant, relative to the mid level (units of ``amplitude``: A or V)::

    y = A (h0 b_0 + sum_k h_k b_{-k}) + A sum_m x_m a_m + sigma(b_0) n,

``b`` in ``{-1, +1}`` (NRZ) or ``{-1, -1/3, 1/3, 1}`` (PAM4, Gray labels 00 01 11 10), ``a_m`` in
``{-1, +1}`` (aggressors), ``n`` standard normal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from microlink.errors import ParameterError

__all__ = ["DecisionModel", "DecisionPoint", "decision_point", "MODULATIONS", "select_phase", "bit_errors_table",
           "optimal_thresholds", "decision_thresholds"]

#: Symbol values (relative to the outer level) and Gray labels of each modulation.
MODULATIONS: dict[str, tuple[np.ndarray, np.ndarray]] = {
    "NRZ": (np.array([-1.0, 1.0]), np.array([0, 1])),
    "PAM4": (np.array([-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0]), np.array([0b00, 0b01, 0b11, 0b10])),
}

#: Default relative size below which a cursor is folded into the Gaussian residual ISI [1].
CURSOR_TOLERANCE = 1e-7
#: Random jitter is followed this many rms out when deciding which cursors matter [1].
JITTER_REACH_SIGMAS = 10.0


@dataclass(frozen=True, eq=False)
class DecisionModel:
    """Signal and noise at the decision point of one lane (scalar design point).

    Attributes
    ----------
    pulse : ndarray [N]
        Oversampled single-symbol response, settled level 1 [1].
    samples_per_symbol : int
        Oversampling of ``pulse``.
    symbol_rate : float
        Symbol rate [Bd].
    modulation : str
        ``"NRZ"`` or ``"PAM4"``.
    amplitude : float
        Half the settled swing between the outer levels [A or V].
    sigma_one, sigma_zero : float
        RMS Gaussian noise on the top and bottom levels [A or V]; intermediate PAM4 levels interpolate
        linearly in variance (shot-noise-like).
    aggressors : ndarray [M]
        Crosstalk aggressor amplitudes relative to ``amplitude`` (each a +-1 binary interferer) [1].
    residual_isi_rms : float
        RMS of ISI not represented in ``pulse`` (e.g. residual after equalisation) [1, relative].
    label : str
        Description for plots and tables.
    random_jitter_rms : float
        RMS Gaussian jitter of the sampling instant [UI].
    deterministic_jitter : float
        Dual-Dirac deterministic jitter, peak-to-peak: the sampling instant is shifted by
        ``+-deterministic_jitter/2`` with probability 1/2 each [UI].
    level_positions : ndarray [L] or None
        Symbol levels normalised so that the outer ones are -1 and +1, increasing [1]; None for the equally
        spaced levels of the modulation. Compressed transfer curves (VCSELs, ring modulators) give unequal
        PAM4 levels; interfering symbols take the same values.
    sigma_levels : ndarray [L] or None
        RMS Gaussian noise on every level, bottom to top [A or V]; None interpolates between
        ``sigma_zero`` and ``sigma_one`` linearly in variance.
    """

    pulse: np.ndarray
    samples_per_symbol: int
    symbol_rate: float
    modulation: str
    amplitude: float
    sigma_one: float
    sigma_zero: float
    aggressors: np.ndarray = field(default_factory=lambda: np.zeros(0))
    residual_isi_rms: float = 0.0
    label: str = ""
    random_jitter_rms: float = 0.0
    deterministic_jitter: float = 0.0
    level_positions: Any = None
    sigma_levels: Any = None

    def __post_init__(self):
        if self.modulation not in MODULATIONS:
            raise ParameterError("modulation", self.modulation, " | ".join(MODULATIONS))
        sps = self.samples_per_symbol
        if not (isinstance(sps, (int, np.integer)) and sps >= 1):
            raise ParameterError("samples_per_symbol", sps, "an integer >= 1")
        pulse = np.asarray(self.pulse, dtype=float)
        if pulse.ndim != 1 or pulse.size < 2 * sps or not np.all(np.isfinite(pulse)):
            raise ParameterError("pulse", f"shape {pulse.shape}", f"a finite 1-D array of >= 2 UI ({2 * sps} samples)")
        for name in ("amplitude", "symbol_rate"):
            v = getattr(self, name)
            if not (np.ndim(v) == 0 and np.isfinite(v) and v > 0):
                raise ParameterError(name, v, "a finite scalar > 0")
        for name in ("sigma_one", "sigma_zero", "residual_isi_rms", "random_jitter_rms"):
            v = getattr(self, name)
            if not (np.ndim(v) == 0 and np.isfinite(v) and v >= 0):
                raise ParameterError(name, v, "a finite scalar >= 0")
        if not (np.ndim(self.deterministic_jitter) == 0 and 0 <= self.deterministic_jitter < 1):
            raise ParameterError("deterministic_jitter", self.deterministic_jitter, "0 <= DJ < 1 UI")
        if self.random_jitter_rms >= 0.25:
            raise ParameterError("random_jitter_rms", self.random_jitter_rms, "< 0.25 UI")
        agg = np.asarray(self.aggressors, dtype=float)
        if agg.ndim != 1 or not np.all(np.isfinite(agg)):
            raise ParameterError("aggressors", self.aggressors, "a finite 1-D array")
        n_levels = MODULATIONS[self.modulation][0].size
        if self.level_positions is not None:
            lv = np.asarray(self.level_positions, dtype=float)
            if (lv.shape != (n_levels,) or not np.all(np.isfinite(lv)) or np.any(np.diff(lv) <= 0)
                    or not np.isclose(lv[0], -1.0) or not np.isclose(lv[-1], 1.0)):
                raise ParameterError("level_positions", self.level_positions,
                                     f"{n_levels} increasing values from -1 to +1")
        if self.sigma_levels is not None:
            sl = np.asarray(self.sigma_levels, dtype=float)
            if sl.shape != (n_levels,) or not np.all(np.isfinite(sl)) or np.any(sl < 0):
                raise ParameterError("sigma_levels", self.sigma_levels, f"{n_levels} finite values >= 0")

    @classmethod
    def from_cursors(cls, cursors, *, modulation="NRZ", amplitude=1.0, sigma_one=0.1, sigma_zero=None,
                     samples_per_symbol=8, symbol_rate=1e9, **kwargs) -> "DecisionModel":
        """A model whose pulse passes through given symbol-spaced cursors (linear between them).

        ``cursors`` [1] are the pulse at whole UIs; the largest is the main cursor. Two zero UIs are
        added before and after, and the pulse is piecewise linear in between, so that sampling at the
        cursor instants returns exactly ``cursors`` (handy for tests and for channels given as cursors).
        Other keyword arguments go to the constructor (aggressors, jitter, label ...).
        """
        c = np.asarray(cursors, dtype=float).reshape(-1)
        if c.size == 0 or not np.all(np.isfinite(c)):
            raise ParameterError("cursors", cursors, "a non-empty finite 1-D array")
        pts = np.concatenate([np.zeros(2), c, np.zeros(2)])
        sps = int(samples_per_symbol)
        t = np.arange(pts.size * sps) / sps
        pulse = np.interp(t, np.arange(pts.size), pts)
        return cls(pulse=pulse, samples_per_symbol=sps, symbol_rate=float(symbol_rate), modulation=modulation,
                   amplitude=float(amplitude), sigma_one=float(sigma_one),
                   sigma_zero=float(sigma_one if sigma_zero is None else sigma_zero), **kwargs)

    @property
    def cursor_instant(self) -> float:
        """Instant of the largest pulse sample [UI from the window start] (the main cursor of
        :meth:`from_cursors` models)."""
        return float(np.argmax(self.pulse)) / self.samples_per_symbol

    @property
    def sigma_mean(self) -> float:
        """Mean of the two noise rms values [A or V]."""
        return 0.5 * (self.sigma_one + self.sigma_zero)

    @property
    def time(self) -> np.ndarray:
        """Time axis of ``pulse`` [UI]."""
        return np.arange(self.pulse.shape[-1]) / self.samples_per_symbol

    @property
    def bits_per_symbol(self) -> int:
        """1 for NRZ, 2 for PAM4 [bit]."""
        return int(np.log2(MODULATIONS[self.modulation][0].size))

    @property
    def has_jitter(self) -> bool:
        """True when the sampling instant jitters."""
        return self.random_jitter_rms > 0 or self.deterministic_jitter > 0


@dataclass(frozen=True, eq=False)
class DecisionPoint:
    """What every BER method uses: one sampling phase of a :class:`DecisionModel`.

    Attributes
    ----------
    modulation : str
        ``"NRZ"`` or ``"PAM4"``.
    levels : ndarray [L]
        Symbol values relative to the outer level (``b`` above) [1].
    gray : ndarray [L]
        Gray label of each level (bits) [1].
    amplitude : float
        ``A`` [A or V].
    main : float
        Main cursor ``h0`` [1].
    cursors : ndarray [K]
        ISI cursors ``h_k`` [1], in the order of ``offsets``.
    offsets : ndarray [K] of int
        Symbol offset of each cursor relative to the main one (negative: pre-cursor) [UI].
    aggressors : ndarray [M]
        Crosstalk aggressor amplitudes relative to ``A`` [1].
    sigma_levels : ndarray [L]
        Gaussian noise rms at each level, including the residual ISI and folded small cursors [A or V].
    thresholds : ndarray [L-1]
        Decision thresholds, increasing [A or V].
    phase : float
        Sampling instant of the main cursor, from the start of the pulse window [UI].
    main_index : int
        Index (in UI) of the main cursor in the pulse window.
    random_jitter_rms, deterministic_jitter : float
        Sampling jitter [UI] (see :class:`DecisionModel`).
    folded_isi_rms : float
        Root-sum-square of the cursors smaller than the tolerance, folded into ``sigma_levels`` with
        variance ``A^2 E[b^2] folded_isi_rms^2`` [1, relative].
    pulse : ndarray [N]
        The pulse (for methods that resample it under jitter) [1].
    samples_per_symbol : int
        Oversampling of ``pulse``.
    symbol_rate : float
        Symbol rate [Bd].
    cursor_tolerance : float
        Relative size below which cursors were folded into the noise [1].
    """

    modulation: str
    levels: np.ndarray
    gray: np.ndarray
    amplitude: float
    main: float
    cursors: np.ndarray
    offsets: np.ndarray
    aggressors: np.ndarray
    sigma_levels: np.ndarray
    thresholds: np.ndarray
    phase: float
    main_index: int
    random_jitter_rms: float
    deterministic_jitter: float
    folded_isi_rms: float
    pulse: np.ndarray
    samples_per_symbol: int
    symbol_rate: float
    cursor_tolerance: float = CURSOR_TOLERANCE

    @property
    def bits_per_symbol(self) -> int:
        """Bits carried by one symbol [bit]."""
        return int(np.log2(self.levels.size))

    @property
    def ideal_levels(self) -> np.ndarray:
        """Received levels without ISI, ``A h0 b`` [A or V]."""
        return self.amplitude * self.main * self.levels

    @property
    def has_jitter(self) -> bool:
        """True when the sampling instant jitters."""
        return self.random_jitter_rms > 0 or self.deterministic_jitter > 0

    @property
    def bit_errors_table(self) -> np.ndarray:
        """``[L, L]`` number of bit errors when level ``i`` is sent and ``j`` decided [bit]."""
        return bit_errors_table(self.gray)

    def cursors_at(self, phase, *, every_offset: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Main cursor and ISI cursors at other sampling instants [UI -> 1, 1].

        ``phase`` has any shape ``[...]``; results have shapes ``[...]`` and ``[..., K]``. Linear
        interpolation between pulse samples; the main cursor keeps its index. The cursors are those of
        ``offsets`` (significant within the jitter's reach), or with ``every_offset`` one per UI of the
        pulse window (:attr:`every_offset`), for instants far from the decision point (eye scans).
        """
        from microlink.ber.sampling import sample_pulse

        ph = np.asarray(phase, dtype=float)
        offs = self.every_offset if every_offset else self.offsets
        main = sample_pulse(self.pulse, self.samples_per_symbol, ph)
        cur = sample_pulse(self.pulse, self.samples_per_symbol, ph[..., None] + offs)
        return main, cur

    @property
    def every_offset(self) -> np.ndarray:
        """Offsets of every UI of the pulse window but the main one [UI]."""
        n_ui = self.pulse.size // self.samples_per_symbol
        o = np.arange(n_ui) - self.main_index
        return o[o != 0]

    @property
    def sigma_without_folded(self) -> np.ndarray:
        """``sigma_levels`` without the folded small cursors, for methods that use every cursor [A or V]."""
        folded_var = np.mean(self.levels**2) * (self.amplitude * self.folded_isi_rms) ** 2
        return np.sqrt(np.maximum(self.sigma_levels**2 - folded_var, 0.0))

    def with_phase(self, phase) -> "DecisionPoint":
        """The same decision point sampled at another instant [UI] (thresholds kept; cursors chosen and
        small ones folded again with the same tolerance)."""
        import dataclasses

        ph = float(phase)
        offs = self.every_offset
        main, cur = self.cursors_at(ph, every_offset=True)
        main = float(main)
        if not main > 0:
            raise ParameterError("phase", phase, "an instant where the pulse is positive (main cursor > 0)")
        from microlink.ber.sampling import sample_pulse

        reach = 0.5 * self.deterministic_jitter + JITTER_REACH_SIGMAS * self.random_jitter_rms
        if reach > 0:
            lo, hi = (ph - reach) * self.samples_per_symbol, (ph + reach) * self.samples_per_symbol
            grid = np.concatenate([[lo, hi], np.arange(np.ceil(lo), np.floor(hi) + 1)]) / self.samples_per_symbol
            significant = np.abs(sample_pulse(self.pulse, self.samples_per_symbol, grid[:, None] + offs[None, :])).max(0)
        else:
            significant = np.abs(cur)
        keep = significant >= self.cursor_tolerance * main
        folded = float(np.sqrt(np.sum(cur[~keep] ** 2)))
        base = self.sigma_without_folded
        sig = np.sqrt(base**2 + np.mean(self.levels**2) * (self.amplitude * folded) ** 2)
        return dataclasses.replace(self, main=main, cursors=np.asarray(cur[keep], dtype=float),
                                   offsets=offs[keep].astype(np.int64), phase=ph, sigma_levels=sig,
                                   folded_isi_rms=folded)


def _level_sigmas(model: DecisionModel, levels: np.ndarray, extra_variance: float) -> np.ndarray:
    if model.sigma_levels is not None:
        return np.sqrt(np.asarray(model.sigma_levels, dtype=float) ** 2 + extra_variance)
    frac = (levels - levels[0]) / (levels[-1] - levels[0])
    var = (1.0 - frac) * model.sigma_zero**2 + frac * model.sigma_one**2
    return np.sqrt(var + extra_variance)


def bit_errors_table(gray) -> np.ndarray:
    """``[L, L]`` number of bit errors between the Gray labels of levels ``i`` and ``j`` [bit]."""
    g = np.asarray(gray, dtype=np.int64)
    x = g[:, None] ^ g[None, :]
    return np.array([[bin(int(v)).count("1") for v in row] for row in x], dtype=np.int64)


def optimal_thresholds(ideal_levels, sigma_levels) -> np.ndarray:
    """Thresholds between adjacent levels that equalise the Gaussian tails (Q-optimal) [A, A -> A].

    ``th = (mu_j sigma_{j+1} + mu_{j+1} sigma_j) / (sigma_j + sigma_{j+1})``; the midpoint when the two
    noises are equal (or both zero). Levels run along the last axis (``[..., L] -> [..., L-1]``).
    """
    mu, s = np.broadcast_arrays(np.asarray(ideal_levels, dtype=float), np.asarray(sigma_levels, dtype=float))
    lo, hi, slo, shi = mu[..., :-1], mu[..., 1:], s[..., :-1], s[..., 1:]
    tot = slo + shi
    safe = np.where(tot > 0, tot, 1.0)
    return np.where(tot > 0, (lo * shi + hi * slo) / safe, 0.5 * (lo + hi))


def decision_thresholds(ideal_levels, sigma_levels, closure) -> np.ndarray:
    """Decision thresholds of a receiver that sets each one where the Gaussian tails of the two levels' inner
    edges are equal [A, A, A -> A].

    Each level is pushed towards its neighbour by ``closure [...]``, how far the interferers can move it (the
    worst-case ISI and crosstalk), at most to the middle of the gap; between the inner edges
    ``lo = mu_j + c`` and ``hi = mu_{j+1} - c`` the threshold is ``(lo sigma_{j+1} + hi sigma_j) / (sigma_j +
    sigma_{j+1})``, the Q-equalising rule of optical receivers (I_D = (sigma_0 I_1 + sigma_1 I_0) / (sigma_0 +
    sigma_1); G. P. Agrawal, *Fiber-Optic Communication Systems*, receiver sensitivity) applied to the eye the
    interferers leave. It stays inside that eye, so the BER falls to zero with the noise wherever the eye is
    open; the same rule on the ideal levels (:func:`optimal_thresholds`) can fall outside it when the noises
    differ (shot noise and RIN grow with the signal) and the closure is large, and every worst-case pattern
    then errs however small the noise. As the closure reaches half the gap (the worst-case eye closes) the
    threshold moves continuously to the midpoint, and stays there. With equal noises it is the midpoint. A
    noise is floored at 1e-9 of the gap, so a noiseless level keeps its worst pattern on its side. Levels run
    along the last axis (``[..., L] -> [..., L-1]``).
    """
    mu, s = np.broadcast_arrays(np.asarray(ideal_levels, dtype=float), np.asarray(sigma_levels, dtype=float))
    gap = mu[..., 1:] - mu[..., :-1]
    c = np.clip(np.asarray(closure, dtype=float)[..., None], 0.0, 0.5 * np.maximum(gap, 0.0))
    lo, hi = mu[..., :-1] + c, mu[..., 1:] - c
    floor = 1e-9 * np.abs(gap)
    slo, shi = np.maximum(s[..., :-1], floor), np.maximum(s[..., 1:], floor)
    tot = slo + shi
    return np.where(tot > 0, (lo * shi + hi * slo) / np.where(tot > 0, tot, 1.0), 0.5 * (lo + hi))


def select_phase(model: DecisionModel) -> float:
    """Sampling phase that maximises the worst-case (inner) eye opening [UI from the window start].

    The opening at each oversampled instant is ``h0 / (L-1) - sum_k |h_k|`` (``L`` levels; NRZ:
    ``h0 - sum |h_k|``, the rule of :func:`microlink.ber.pulse.cursors_from_pulse`); the main cursor is the
    largest sample at that instant.
    """
    sps = model.samples_per_symbol
    p = np.asarray(model.pulse, dtype=float)
    n_ui = p.size // sps
    c = p[: n_ui * sps].reshape(n_ui, sps)  # [ui, phase]
    m = MODULATIONS[model.modulation][0].size
    main = c.max(axis=0)
    opening = main / (m - 1) - (np.abs(c).sum(axis=0) - np.abs(main))
    ph = int(np.argmax(opening))
    main_ui = int(np.argmax(c[:, ph]))
    return main_ui + ph / sps


def decision_point(model: DecisionModel, phase=None, *, thresholds=None,
                   cursor_tolerance: float = CURSOR_TOLERANCE) -> DecisionPoint:
    """Reduce a :class:`DecisionModel` to the :class:`DecisionPoint` all BER methods share.

    Parameters
    ----------
    model : DecisionModel
    phase : float, optional
        Sampling instant of the main cursor from the start of the pulse window [UI]; chosen by
        :func:`select_phase` when omitted. (A value in ``[0, 1)`` is taken within the UI of the largest
        pulse sample.)
    thresholds : array_like [L-1], optional
        Decision thresholds [A or V]; when omitted, the inner edges' tails equalised
        (:func:`decision_thresholds`, the closure counting the kept cursors and the aggressors).
    cursor_tolerance : float
        Cursors smaller than this fraction of the main cursor are folded into the Gaussian noise (their
        variance is kept exactly) [1]; 0 keeps every cursor.

    Returns
    -------
    DecisionPoint
    """
    levels, gray = MODULATIONS[model.modulation]
    if model.level_positions is not None:
        levels = np.asarray(model.level_positions, dtype=float)
    sps = model.samples_per_symbol
    p = np.asarray(model.pulse, dtype=float)
    n_ui = p.size // sps
    if phase is None:
        ph = select_phase(model)
    else:
        ph = float(phase)
        if not np.isfinite(ph) or ph < 0 or ph >= n_ui:
            raise ParameterError("phase", phase, f"0 <= phase < {n_ui} UI (pulse window)")
        if ph < 1.0:
            ph += int(np.argmax(p)) // sps
    if not 0 <= cursor_tolerance < 1:
        raise ParameterError("cursor_tolerance", cursor_tolerance, "0 <= tolerance < 1")
    main_index = int(np.floor(ph))
    frac = ph - main_index
    from microlink.ber.sampling import sample_pulse

    all_c = sample_pulse(p, sps, np.arange(n_ui) + frac)
    main = float(all_c[main_index])
    if not main > 0:
        raise ParameterError("phase", phase, "an instant where the pulse is positive (main cursor > 0)")
    offsets = np.arange(n_ui) - main_index
    # a cursor is kept if it is significant anywhere the jittered sampling instant can go
    reach = 0.5 * model.deterministic_jitter + JITTER_REACH_SIGMAS * model.random_jitter_rms
    if reach > 0:
        lo, hi = (frac - reach) * sps, (frac + reach) * sps
        grid = np.concatenate([[lo, hi], np.arange(np.ceil(lo), np.floor(hi) + 1)]) / sps
        span_c = sample_pulse(p, sps, np.arange(n_ui)[None, :] + grid[:, None])
        significant = np.abs(span_c).max(axis=0)
    else:
        significant = np.abs(all_c)
    keep = (offsets != 0) & (significant >= cursor_tolerance * main)
    small = (offsets != 0) & ~keep
    folded = float(np.sqrt(np.sum(all_c[small] ** 2)))
    extra = model.amplitude**2 * (model.residual_isi_rms**2 + np.mean(levels**2) * folded**2)
    sig = _level_sigmas(model, levels, extra)
    a = float(model.amplitude)
    if thresholds is None:
        closure = a * (np.sum(np.abs(all_c[keep])) * np.max(np.abs(levels))
                       + np.sum(np.abs(np.asarray(model.aggressors, dtype=float))))
        th = decision_thresholds(a * main * levels, sig, closure)
    else:
        th = np.asarray(thresholds, dtype=float).reshape(-1)
        if th.size != levels.size - 1 or np.any(np.diff(th) <= 0) or not np.all(np.isfinite(th)):
            raise ParameterError("thresholds", thresholds, f"{levels.size - 1} increasing finite values")
    return DecisionPoint(
        modulation=model.modulation, levels=levels.copy(), gray=gray.copy(), amplitude=a, main=main,
        cursors=all_c[keep].copy(), offsets=offsets[keep].astype(np.int64), aggressors=np.asarray(model.aggressors, float),
        sigma_levels=sig, thresholds=th, phase=float(main_index + frac), main_index=main_index,
        random_jitter_rms=float(model.random_jitter_rms), deterministic_jitter=float(model.deterministic_jitter),
        folded_isi_rms=folded, pulse=p, samples_per_symbol=int(sps), symbol_rate=float(model.symbol_rate),
        cursor_tolerance=float(cursor_tolerance),
    )
