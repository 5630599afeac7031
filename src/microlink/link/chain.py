"""The one link chain: every technology runs through :func:`run`.

Steps (a technology supplies only the stages marked *)::

    validate the request -> resolve the host attach -> *plan the lanes -> FEC code and pre-FEC threshold
      -> *decide at the requested length (transmitter -> channel -> receiver -> BER, named penalties)
      -> add the attach's electrical-hop BER -> power margin (one solver) -> maximum reach (one solver)
      -> *energy blocks + attach and FEC blocks -> *latency + attach and FEC latency -> cost, FIT, media
      -> one LinkResult

FEC convention: ``target_ber`` is the BER required *after* FEC. The pre-FEC threshold of a code is the
largest pre-FEC BER whose post-FEC BER meets the target (:func:`microlink.ber.fec.pre_fec_threshold`; KP4
RS(544,514) gives 2.3e-4 for 1e-15 and 3.6e-4 for 1e-12). The pre-FEC BER of a lane is its media BER at the
power left after its named penalties plus the BER of the attach's electrical hops; margin and maximum reach
are solved at the threshold, so ``feasible`` and ``reach <= max_reach`` always agree. The reach solver
returns the feasible end of its final bracket, so a link is feasible at its own maximum reach.

"Not solved" has one representation: ``max_reach`` is None when the reach was not asked for. A margin whose
BER floor lies above the threshold whatever the power is reported as ``-MARGIN_SEARCH_DB`` with
``ber_floor_above_target`` set, so aggregates stay finite. The floor itself (``ber_floor``, the BER at
``+MARGIN_SEARCH_DB`` of power) is reported for every point: a power margin of many dB over a floor within a
decade of the threshold is not a robust one (``near_ber_floor``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from microlink.errors import ParameterError
from microlink.link.attach import Attach, boundary, resolve_attach
from microlink.link.base import Decision, LanePlan, Request, SectionedLink
from microlink.link.result import LinkResult
from microlink.link.solve import GUESS_FACTOR, solve_log
from microlink.units import ber_to_q

#: Relative tolerance of every margin and reach solution (1e-4: 0.0004 dB, 0.01 % of the reach).
SOLVER_RTOL = 1e-4
#: Half-width of the power-margin search [dB]; margins are reported within +-MARGIN_SEARCH_DB.
MARGIN_SEARCH_DB = 60.0
#: Floor of BER values in log-domain root finding.
BER_FLOOR = 1e-300
#: BER cap of a decision (a coin toss).
BER_CAP = 0.5
#: Q reported for a BER of exactly 0 (above any double-precision BER).
Q_OF_ZERO_BER = 38.0
#: Smallest Q the margin solver's gap takes the log of (BER 0.5 has Q = 0) [1].
Q_GAP_FLOOR = 1e-12
#: How far the margin solver's first step from its guess overshoots the power law's step to the root [ratio].
MARGIN_STEP_OVERSHOOT = 1.2
#: Largest first step of the margin solver [log of the scale]: e^20, beyond the +-60 dB search.
MARGIN_STEP_LIMIT = 20.0
#: Most design points the chain evaluates at once [1]; a larger request runs in chunks of this many and is
#: reassembled, so a call's working memory is bounded by the chunk, not the number of points (measured per
#: point: ~10 KB for the micro-LED chain, ~60 KB for the 200G DAC, i.e. <= ~250 MB a chunk). Every point's
#: stages depend on that point alone, and a lane shared by many points has its reach solved once over the whole
#: request (:func:`_in_chunks`), so a chunked result is the one-call result (tested).
CHUNK_POINTS = 4096


@lru_cache(maxsize=256)
def _threshold(code: str, target: float) -> float:
    from microlink.ber.fec import pre_fec_threshold

    return float(pre_fec_threshold(code, target))


def pre_fec_threshold(code: str, target_ber) -> np.ndarray:
    """Pre-FEC BER at which ``code`` meets ``target_ber`` after correction (the target itself for none) [1]."""
    t = np.asarray(target_ber, dtype=float)
    if code == "none":
        return t.copy()
    values, inverse = np.unique(t, return_inverse=True)
    return np.array([_threshold(code, float(v)) for v in values])[inverse].reshape(t.shape)


def post_fec_ber(code: str, pre_ber) -> np.ndarray:
    """BER after ``code`` [1 -> 1]."""
    if code == "none":
        return np.asarray(pre_ber, dtype=float)
    from microlink.ber.fec import post_fec_ber as _post

    return np.asarray(_post(code, np.clip(pre_ber, 0.0, BER_CAP)), dtype=float)


def q_from_ber(ber) -> np.ndarray:
    """Gaussian Q equivalent of a BER, :data:`Q_OF_ZERO_BER` for BER = 0 [1 -> 1]."""
    b = np.asarray(ber, dtype=float)
    return np.where(b > 0, ber_to_q(np.clip(b, 1e-300, BER_CAP)), Q_OF_ZERO_BER)


def _log_gap(ber, threshold):
    return np.log(np.maximum(ber, BER_FLOOR)) - np.log(threshold)


def _penalty_scale(decision: Decision, n: int) -> np.ndarray:
    """Power scale-down equivalent to the decision's named penalties [1]."""
    total = np.zeros(n)
    for value in decision.penalties_db.values():
        total = total + np.broadcast_to(np.asarray(value, dtype=float), (n,))
    return 10.0 ** (total / 10.0)


class _Stages:
    """A technology bound to one request and attach: the calls the solvers make on subsets of points."""

    def __init__(self, link, request: Request, plan: LanePlan, attach: Attach, options: dict):
        self.link, self.request, self.plan, self.attach, self.options = link, request, plan, attach, options
        self.arrays = bool(link.parameter_shape())

    def decide(self, length, index=None) -> Decision:
        if index is None:
            return self.link.decide(self.request, self.plan, self.attach, length, **self.options)
        if not self.arrays:
            return self.link.decide(self.request.subset(index), self.plan.subset(index), self.attach, length,
                                    **self.options)
        link = self.link.flatten((self.request.size,), index)  # the attach's sections are the link's: index both
        return link.decide(self.request.subset(index), self.plan.subset(index), resolve_attach(link, self.attach.kind),
                           length, **self.options)


def _resolve(link: Any):
    """A catalog name, a :class:`~microlink.catalog.ParameterSet` or a link object -> (link, name, defaults)."""
    if isinstance(link, str):
        from microlink.catalog import get_parameter_set

        link = get_parameter_set(link)
    from microlink.catalog import ParameterSet

    if isinstance(link, ParameterSet):
        return link.parameters, link.name, link.defaults
    if not hasattr(link, "evaluate"):
        raise ParameterError("link", type(link).__name__, "a catalog name or a link parameter object")
    return link, "custom", {}


#: Default request when the caller gives none: 800 Gb/s over 10 m at BER 1e-12.
DEFAULT_AGGREGATE_RATE = 800e9  # [b/s]
DEFAULT_REACH = 10.0  # [m]
DEFAULT_TARGET_BER = 1e-12  # [1]


def evaluate_link(link: Any = "lightbundle", *, aggregate_rate=None, reach=None, target_ber=None, lane_rate=None,
                  solve_reach: bool = True, attach: str = "native", **options) -> LinkResult:
    """Evaluate a link from a catalog name or a parameter object through the one chain.

    Parameters
    ----------
    link : str or link parameter object
        Name of a catalog parameter set (``microlink catalog`` lists them) or a link object such as
        :class:`~microlink.link.microled.MicroLEDLink`.
    aggregate_rate : array_like, optional
        Payload per direction [b/s]; default: the parameter set's, else 800 Gb/s.
    reach : array_like, optional
        Length [m]; default: the parameter set's, else 10 m.
    target_ber : array_like, optional
        BER required after FEC [1]; default: the parameter set's, else 1e-12.
    lane_rate : array_like, optional
        Payload per lane instead of the technology's own [b/s].
    solve_reach : bool
        Solve for the maximum reach at the target BER.
    attach : str
        Host attach: ``"native"`` (what the product ships with) or ``"d2d"``, ``"xsr"``, ``"vsr"``, ``"lr"``
        (:mod:`microlink.link.attach`); an attach the technology cannot use raises
        :class:`~microlink.link.attach.AttachNotPossible` with the reason.

    Returns
    -------
    LinkResult
    """
    params, name, defaults = _resolve(link)
    if not isinstance(params, SectionedLink):  # an external link model or a test double: its own evaluate
        return params.evaluate(
            aggregate_rate=defaults.get("aggregate_rate", DEFAULT_AGGREGATE_RATE) if aggregate_rate is None
            else aggregate_rate,
            reach=defaults.get("reach", DEFAULT_REACH) if reach is None else reach,
            target_ber=defaults.get("target_ber", DEFAULT_TARGET_BER) if target_ber is None else target_ber,
            lane_rate=lane_rate, solve_reach=solve_reach, parameter_set=name, **options)
    return run(
        params,
        defaults.get("aggregate_rate", DEFAULT_AGGREGATE_RATE) if aggregate_rate is None else aggregate_rate,
        defaults.get("reach", DEFAULT_REACH) if reach is None else reach,
        defaults.get("target_ber", DEFAULT_TARGET_BER) if target_ber is None else target_ber,
        lane_rate=lane_rate, solve_reach=solve_reach, attach=attach, parameter_set=name, **options)


def run(link, aggregate_rate, reach, target_ber, *, lane_rate=None, solve_reach=True, attach="native",
        parameter_set="custom", **options) -> LinkResult:
    """Run the chain (module docstring) on a link object; inputs broadcast with array-valued parameters."""
    allowed = link.options()
    for key in options:
        if key not in allowed:
            raise ParameterError(key, options[key], "an option of " + link.label() + " links: "
                                 + (", ".join(allowed) if allowed else "none"))
    options = {**allowed, **options}
    if not isinstance(solve_reach, (bool, np.bool_)):
        raise ParameterError("solve_reach", solve_reach, "True or False")
    request = Request.build(aggregate_rate, reach, target_ber, lane_rate, link.parameter_shape())
    resolve_attach(link, attach)  # an attach the technology cannot use is refused before any work
    flat = link.flatten(request.shape) if link.parameter_shape() else link
    keys, rows, inverse = _groups(flat, request)
    if rows is None:
        return _run_request(flat, request, attach, solve_reach, parameter_set, options)
    if len(rows) == 1:
        return _run_request(flat.with_values(_values(keys, rows[0])), request, attach, solve_reach, parameter_set,
                            options)
    return _by_groups(flat, request, keys, rows, inverse, attach, solve_reach, parameter_set, options)


def _run_request(flat, request: Request, attach: str, solve_reach: bool, parameter_set: str,
                 options: dict) -> LinkResult:
    if request.size <= CHUNK_POINTS:
        return _run_flat(flat, request, attach, solve_reach, parameter_set, options)
    return _in_chunks(flat, request, attach, solve_reach, parameter_set, options)


def _groups(flat, request: Request):
    """The values a flat link's stages take one of (:meth:`~microlink.link.base.SectionedLink.grouped_keys`,
    and the lane rate where it is not vectorised) that vary over the request: ``(keys, rows, inverse)``,
    ``rows[g]`` the values of group ``g`` (in ``keys`` order) and ``inverse`` each point's group; ``rows`` is
    None when nothing varies."""
    sections = flat.sections()
    keys, columns = [], []
    for sec, fname in flat.grouped_keys():
        value = getattr(sections[sec], fname)
        if np.ndim(value):
            keys.append((sec, fname))
            columns.append(np.asarray(value, dtype=float))
    if request.lane_rate is not None and not flat.vectorises_lane_rate:
        keys.append(_LANE_RATE)
        columns.append(request.lane_rate)
    if not columns:
        return keys, None, None
    table = np.stack(columns, axis=1)
    if np.all(table == table[:1]):
        return keys, table[:1], np.zeros(request.size, dtype=np.int64)
    rows, inverse = np.unique(table, axis=0, return_inverse=True)
    return keys, rows, inverse.reshape(-1)


#: Key of the lane rate among a request's group values (not a parameter field).
_LANE_RATE = ("", "lane_rate")


def _values(keys, row) -> dict:
    """A group's parameter values, ``{(section, field): float}`` (the lane rate left to the request)."""
    return {key: float(v) for key, v in zip(keys, row) if key != _LANE_RATE}


def _by_groups(flat, request: Request, keys, rows, inverse, attach: str, solve_reach: bool, parameter_set: str,
               options: dict) -> LinkResult:
    """:func:`_run_request` on each group of points that share their grouped values, reassembled."""
    from microlink.link.result import stack_results

    arrays = bool(flat.parameter_shape())
    parts, where = [], []
    for g, row in enumerate(rows):
        idx = np.flatnonzero(inverse == g)
        link = (flat.flatten((request.size,), idx) if arrays else flat).with_values(_values(keys, row))
        parts.append(_run_request(link, request.subset(idx), attach, solve_reach, parameter_set, options))
        where.append(idx)
    try:
        return stack_results(parts, where, request.shape)
    except ValueError as err:  # a figure that stands for a whole result differs between the groups
        shown = ", ".join(k[1] if k == _LANE_RATE else ".".join(k) for k in keys)
        raise ParameterError(shown, f"{len(rows)} distinct values", f"values whose results can be stacked ({err}); "
                             "evaluate them in calls of their own") from None


def _in_chunks(flat, request: Request, attach: str, solve_reach: bool, parameter_set: str,
               options: dict) -> LinkResult:
    """:func:`_run_flat` on consecutive chunks of at most :data:`CHUNK_POINTS` points, reassembled.

    With scalar parameters the points of a lane share one reach solve (:func:`_solve_reach`): it runs once,
    over the whole request, from the gaps of every chunk, so those points keep one maximum reach; with array
    parameters every point is its own lane and each chunk solves its own."""
    import dataclasses

    from microlink.link.result import stack_results

    arrays = bool(flat.parameter_shape())
    parts, where = [], []
    for start in range(0, request.size, CHUNK_POINTS):
        idx = np.arange(start, min(start + CHUNK_POINTS, request.size))
        link = flat.flatten((request.size,), idx) if arrays else flat
        parts.append(_run_flat(link, request.subset(idx), attach, solve_reach and arrays, parameter_set, options))
        where.append(idx)
    result = stack_results(parts, where, request.shape)
    if not solve_reach or arrays:
        return result
    # the chunks' thresholds and hop BERs are the whole request's: only the stages are bound anew
    att = resolve_attach(flat, attach)
    plan = flat.lane_plan(request, att)
    stages = _Stages(flat, request, plan, att, options)
    threshold = np.asarray(result.pre_fec_threshold, dtype=float).reshape(-1)
    hop = np.asarray(result.attach_hop_ber, dtype=float).reshape(-1)
    ber = np.asarray(result.ber, dtype=float).reshape(-1)
    max_reach, capped = _solve_reach(stages, hop, threshold, flat.reach_bracket, _log_gap(ber, threshold))
    return dataclasses.replace(result, max_reach=max_reach.reshape(request.shape),
                               max_reach_capped=np.asarray(capped, dtype=bool).reshape(request.shape))


def _hop_ber(link, plan: LanePlan, attach: Attach, n: int) -> np.ndarray:
    """BER of the attach's two electrical hops at each point [1]: one decision per distinct host symbol rate, or
    one per point where the attach's sections hold per-point values."""
    if not attach.retimed or attach.kind == "d2d":
        return np.zeros(n)
    rates = np.broadcast_to(np.asarray(link.host_lanes(plan).symbol_rate, dtype=float), (n,))
    if attach.per_point:  # the hops' SerDes or channel differ from point to point
        return np.broadcast_to(attach.hop_ber(rates, "PAM4"), (n,)).copy()
    rates, inverse = np.unique(rates, return_inverse=True)
    return np.array([float(attach.hop_ber(r, "PAM4")) for r in rates])[inverse.reshape(-1)]


def _prepare(link, request: Request, attach: Attach, options: dict):
    """The lane plan, pre-FEC threshold, attach-hop BER and bound stages of a flat request."""
    plan = link.lane_plan(request, attach)
    threshold = pre_fec_threshold(plan.fec, request.target_ber)
    return plan, threshold, _hop_ber(link, plan, attach, request.size), _Stages(link, request, plan, attach,
                                                                                  options)


def _run_flat(link, request: Request, attach: str, solve_reach: bool, parameter_set: str,
              options: dict) -> LinkResult:
    """The chain on a flat request with the host attach ``attach`` (a kind) of ``link`` itself, so that the
    attach's sections are this link's points."""
    n = request.size
    attach = resolve_attach(link, attach)
    plan, threshold, hop, stages = _prepare(link, request, attach, options)
    fec = plan.fec

    dec = stages.decide(request.reach)
    pen = _penalty_scale(dec, n)
    media_ber = np.minimum(np.asarray(dec.ber_at_scale(pen, np.arange(n)) if np.any(pen != 1.0)
                                      else np.broadcast_to(dec.ber, (n,)), dtype=float), BER_CAP)
    ber = np.minimum(media_ber + hop, BER_CAP)
    ber_worst = np.minimum(np.broadcast_to(np.asarray(dec.ber_worst_case, dtype=float), (n,)) + hop, BER_CAP)

    margin_db, floor = _solve_margin(dec, pen, hop, threshold, ber)
    ber_floor = _ber_floor(dec, pen, hop)
    if solve_reach:
        max_reach, capped = _solve_reach(stages, hop, threshold, link.reach_bracket, _log_gap(ber, threshold))
    else:
        max_reach = capped = None

    from microlink.link.assemble import assemble

    return assemble(link, request, plan, attach, fec, dec, ber=ber, ber_worst=ber_worst, threshold=threshold,
                    hop_ber=hop, margin_db=margin_db, floor=floor, ber_floor=ber_floor, max_reach=max_reach,
                    capped=capped,
                    parameter_set=parameter_set, boundary_text=boundary(attach, fec))


def _solve_margin(dec: Decision, pen, hop, threshold, ber_now):
    """Margin [dB]: largest power scale-down with BER <= threshold, penalties included."""
    n = threshold.size
    lim = _margin_limit()
    law = dec.q_power_law
    log_q_threshold = np.log(q_from_ber(threshold))

    def ber_at(scale, idx):
        return np.minimum(np.asarray(dec.ber_at_scale(scale * pen[idx], idx), dtype=float) + hop[idx], BER_CAP)

    def func(scale, idx):
        if law is None:
            return _log_gap(ber_at(scale, idx), threshold[idx])
        # with a declared law the gap is taken in log Q, near linear in log scale where the law holds (the root
        # is the same: Q = Q(threshold) where BER = threshold)
        q = q_from_ber(np.maximum(ber_at(scale, idx), BER_FLOOR))
        return log_q_threshold[idx] - np.log(np.maximum(q, Q_GAP_FLOOR))

    q_now = q_from_ber(ber_now)
    # receiver-noise-limited scaling of Q with the power: as its square root for a voltage (copper), linearly for
    # a photocurrent (optical power maps linearly to it)
    power_law = (2.0 if dec.signal_unit == "V" else 1.0) if law is None else float(law)
    guess = (np.maximum(q_now, 1e-3) / np.maximum(q_from_ber(threshold), 1e-3)) ** power_law
    if law is None:
        s, below, above = solve_log(func, 1.0 / lim, lim, n, increasing=True, rtol=SOLVER_RTOL, guess=guess,
                                    feasible_side=True)
    else:
        guess = np.clip(guess, 1.0 / lim, lim)
        f_guess = func(guess, np.arange(n))
        # first step from the guess: the law's own step to the root, overshot by MARGIN_STEP_OVERSHOOT so that
        # it brackets the root where the law holds (it doubles from there where it does not)
        step = np.log(MARGIN_STEP_OVERSHOOT) + MARGIN_STEP_OVERSHOOT * power_law * np.abs(np.nan_to_num(f_guess))
        s, below, above = solve_log(func, 1.0 / lim, lim, n, increasing=True, rtol=SOLVER_RTOL, guess=guess,
                                    feasible_side=True, f_guess=f_guess,
                                    guess_factor=np.exp(np.minimum(step, MARGIN_STEP_LIMIT)))
    margin = 10.0 * np.log10(s)
    floor = below  # even +MARGIN_SEARCH_DB of power does not meet the threshold
    margin = np.where(floor, -MARGIN_SEARCH_DB, np.where(above, MARGIN_SEARCH_DB, margin))
    return margin, floor


def _ber_floor(dec: Decision, pen, hop):
    """Pre-FEC BER with the received signal power raised by ``MARGIN_SEARCH_DB`` [1], the upper end of the
    margin search: the floor left by what the chain models as growing with the signal (residual ISI, and in
    the equalised chains crosstalk, echo, RIN, jitter and transmitter noise), plus the attach's hops. An
    impairment a chain charges as a power penalty (the micro-LED chain's crosstalk, jitter and skew) is paid by
    the added power and leaves no floor. Where the floor lies within a decade of the threshold the power margin
    overstates how robust the link is (``LinkResult.near_ber_floor``)."""
    n = pen.size
    return np.minimum(np.asarray(dec.ber_at_scale(pen / _margin_limit(), np.arange(n)), dtype=float) + hop, BER_CAP)


def _margin_limit() -> float:
    """Power ratio of the margin search's half-width, ``MARGIN_SEARCH_DB`` [1]."""
    return 10.0 ** (MARGIN_SEARCH_DB / 10.0)


#: Furthest a reach guess is extrapolated beyond the requested lengths [ratio].
REACH_EXTRAPOLATION = 10.0
#: First bracketing step from an interpolated reach guess [ratio]: the guess sits near the root, so a step
#: finer than solve_log's default GUESS_FACTOR brackets it sooner (then doubles in log length if it does not).
REACH_GUESS_FACTOR = 1.2


def _reach_guess(reach, gap, inverse, n_reps, bracket):
    """Where each distinct lane's reach solve starts [m], from the BER gaps ``log(BER / threshold)`` already
    evaluated at the requested lengths of its points (increasing with length).

    Between the longest length that meets the threshold and the next one that does not, the zero of the
    gap interpolated linearly in log length; beyond the requested lengths, extrapolated from the two
    nearest (when the gap grows between them; upwards by at most :data:`REACH_EXTRAPOLATION`), clipped to
    the bracket; the nearest requested length otherwise. The solver still brackets and converges from
    there: only the number of evaluations changes.

    Returns the guesses [m] and the gap already known there (where a guess is a requested length inside the
    bracket; NaN elsewhere), which the solver then need not evaluate again.
    """
    lo_b, hi_b = np.log(bracket[0]), np.log(bracket[1])
    given = np.asarray(reach, dtype=float)
    inside = (given >= bracket[0]) & (given <= bracket[1])
    logl = np.log(np.clip(given, bracket[0], bracket[1]))
    guess = np.empty(n_reps)
    known = np.full(n_reps, np.nan)
    for r in range(n_reps):
        sel = np.flatnonzero(inverse == r)
        x, first = np.unique(logl[sel], return_index=True)
        f = gap[sel][first]
        at = inside[sel][first]
        ok = f <= 0.0
        if ok.all():  # every requested length meets it: the reach lies beyond the longest
            i, j = x.size - 2, x.size - 1
            k = j
        elif not ok.any():  # none does: below the shortest
            i, j = 0, 1
            k = 0
        else:
            i = int(np.flatnonzero(ok)[-1])
            beyond = np.flatnonzero(~ok[i + 1:])
            j = i + 1 + int(beyond[0]) if beyond.size else i
            k = i
        g = x[k]
        if at[k]:
            known[r] = f[k]
        if 0 <= i < j < x.size and np.isfinite(f[i]) and np.isfinite(f[j]) and f[j] > f[i]:
            known[r] = np.nan
            g = x[i] - f[i] * (x[j] - x[i]) / (f[j] - f[i])
            if ok.all():  # an extrapolation: at most a decade beyond the longest (the gap is seldom linear)
                g = min(max(g, x[j]), x[j] + np.log(REACH_EXTRAPOLATION))
            elif not ok.any():  # below the shortest: a lane short of it there seldom closes at all
                g = min(g, x[i])
        guess[r] = np.exp(np.clip(g, lo_b, hi_b))
    return guess, known


def _solve_reach(stages: _Stages, hop, threshold, bracket, gap):
    """Longest length with pre-FEC BER <= threshold (one solver for every technology).

    Points that share the lane (same parameters, lane rate, threshold, hop BER) share one solve: with scalar
    parameters the reach depends on the request only through those, and the solve starts from the gaps
    ``gap`` already evaluated at the requested lengths (:func:`_reach_guess`).
    """
    n = threshold.size
    plan = stages.plan
    if stages.arrays:
        reps = np.arange(n)
        inverse = np.arange(n)
    else:
        keys = np.stack([threshold, np.broadcast_to(plan.payload_rate, (n,)), hop], axis=-1)
        _, reps, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)

    def func(length, idx):
        pts = reps[idx]
        d = stages.decide(np.asarray(length, dtype=float), pts)
        pen = _penalty_scale(d, pts.size)
        b = np.asarray(d.ber_at_scale(pen, np.arange(pts.size)) if np.any(pen != 1.0)
                       else np.broadcast_to(d.ber, (pts.size,)), dtype=float)
        return _log_gap(np.minimum(b + hop[pts], BER_CAP), threshold[pts])

    if stages.arrays:  # one request per point: its own length, where its gap is known
        requested = stages.request.reach[reps]
        guess, factor = np.clip(requested, max(bracket[0], 1.0), bracket[1]), GUESS_FACTOR
        known = np.where(guess == requested, np.asarray(gap, dtype=float)[reps], np.nan)
    else:
        (guess, known), factor = _reach_guess(stages.request.reach, gap, inverse, reps.size, bracket), \
            REACH_GUESS_FACTOR
    # a lane that meets the threshold at none of its requested lengths is first tried at the shortest length
    # of the bracket: where it fails there too, no length closes (the BER grows with length) and one
    # evaluation settles it, instead of the solver's outward steps down to the bracket's end
    shortest_gap = np.full(reps.size, np.inf)
    np.minimum.at(shortest_gap, inverse, np.nan_to_num(np.asarray(gap, dtype=float), nan=np.inf))
    x, too_short, capped = np.zeros(reps.size), np.zeros(reps.size, bool), np.zeros(reps.size, bool)
    live = np.arange(reps.size)
    shut = np.flatnonzero(shortest_gap > 0)
    if shut.size:
        dead = shut[~(np.asarray(func(np.full(shut.size, bracket[0]), shut), dtype=float) <= 0)]
        too_short[dead] = True
        live = np.setdiff1d(live, dead)
    if live.size:
        x[live], too_short[live], capped[live] = solve_log(
            lambda length, j: func(length, live[j]), bracket[0], bracket[1], live.size, increasing=True,
            rtol=SOLVER_RTOL, guess=guess[live], guess_factor=factor, feasible_side=True, f_guess=known[live])
    x = np.where(too_short, 0.0, x)
    return x[inverse], capped[inverse]
