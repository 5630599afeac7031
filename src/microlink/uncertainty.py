"""Every answer with its uncertainty: bands, tornados, variance ranking and "what would it take".

A catalog preset's point values are best estimates; its ``ranges`` (:mod:`microlink.catalog.ranges`) say how
far each credible value spreads. This module propagates those spreads through the link chain:

* :func:`link_bands`: ``N`` parameter sets drawn by Latin hypercube (:mod:`scipy.stats.qmc`, seeded, the seed
  recorded), evaluated through the chain, summarised as P10/P50/P90 of max reach [m], margin [dB], energy per
  bit [pJ/bit], power per end [W], pre-FEC BER [1], cost per end [USD] and FIT per end, plus the probability
  that the link is feasible at the requested reach. Fields in one ``Range.group`` share a quantile.
* :func:`tornado`: one field at a time at the low and high end of its range, the others at their point values.
* :func:`sobol_ranking`: variance-based (Sobol') first-order and total indices of max reach and energy per bit,
  with SALib's Saltelli/Sobol' sampler and estimator (Saltelli et al., Comput. Phys. Commun. 181, 259 (2010)).
* :func:`solve_for`: the value of one field at which a link just meets its requirement at a reach, or the
  statement that no value inside the field's allowed bounds does, with the bound that limits it.

Chains that take parameter arrays (declared by the link class) get all samples in one vectorised call per
chunk; the others are evaluated sample by sample (correct, slower; :attr:`LinkUncertainty.vectorised` says
which). Chunks run on the ``serial``, ``processes`` or ``dask`` executor; the draws are made once from the
seed before any chunk runs, so one seed gives identical bands on every executor.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from microlink.errors import ParameterError
from microlink.parameters import Range

#: Root seed used when the caller gives none (recorded in every result).
DEFAULT_SEED = 20261127
#: Quantiles reported as bands.
QUANTILES = (0.1, 0.5, 0.9)
#: Executors a band may run on.
EXECUTORS = ("serial", "processes", "dask")
#: Samples per chunk handed to an executor.
DEFAULT_CHUNK = 64


def _metric_values(result) -> dict[str, np.ndarray]:
    """The banded outputs of a (batch) LinkResult, as float arrays."""
    shape = result.shape
    out = {
        "max_reach_m": result.max_reach,
        "margin_db": result.margin_db,
        "energy_per_bit_pj": result.energy_per_bit_pj,
        "power_per_end_w": result.power_per_end,
        "ber": result.ber,
        "cost_usd": result.cost_per_end,
        "fit": result.fit_per_end,
        "feasible": result.feasible,
    }
    return {k: np.broadcast_to(np.asarray(v, dtype=float), shape).reshape(-1).copy() for k, v in out.items()}


#: Outputs reported as bands, with their units.
METRICS = {
    "max_reach_m": "m",
    "margin_db": "dB",
    "energy_per_bit_pj": "pJ/bit",
    "power_per_end_w": "W",
    "ber": "1",
    "cost_usd": "USD",
    "fit": "FIT",
}
#: Outputs a tornado reports.
TORNADO_METRICS = ("max_reach_m", "margin_db", "energy_per_bit_pj")


def supports_parameter_arrays(parameters) -> bool:
    """Whether the link class evaluates array-valued parameters in one call.

    The capability is the class attribute :attr:`microlink.link.base.SectionedLink.supports_parameter_arrays`
    that every technology declares. An object that is not a :class:`~microlink.link.base.SectionedLink` (a
    stand-in with ``evaluate`` and ``sections``) declares nothing and is evaluated one sample at a time.
    """
    from microlink.link.base import SectionedLink

    if not isinstance(parameters, SectionedLink):
        return False
    return bool(type(parameters).supports_parameter_arrays)


def runs_per_sample(parameters, ranges) -> bool:
    """Whether samples over ``ranges`` (``"section.field"`` keys) are evaluated one at a time: the link takes
    no parameter arrays, or a ranged field is one its stages take one value of (``grouped_fields``)."""
    if not supports_parameter_arrays(parameters):
        return True
    grouped = {".".join(key) for key in parameters.grouped_keys()}
    return bool(grouped & set(ranges or ()))


# ------------------------------------------------------------------------------------------------ resolving


@dataclass(frozen=True)
class _Link:
    name: str
    parameters: Any
    ranges: dict[str, Range]
    request: dict[str, Any]


def _resolve(link, ranges, aggregate_rate, reach, target_ber, lane_rate) -> _Link:
    from microlink.catalog import ParameterSet, get_parameter_set
    from microlink.catalog.ranges import check_ranges, ranges_for
    from microlink.link.chain import DEFAULT_AGGREGATE_RATE, DEFAULT_REACH, DEFAULT_TARGET_BER

    if isinstance(link, str):
        link = get_parameter_set(link)
    if isinstance(link, ParameterSet):
        name, params, defaults, own = link.name, link.parameters, link.defaults, link.ranges
        if ranges is None:
            # a value changed away from the preset (config file, --set) is taken as known: its range goes
            own = {k: r for k, r in own.items() if r.contains(_field_value(params, k))} if own else \
                ranges_for(name, params, drop_known=True)
    elif hasattr(link, "evaluate") and hasattr(link, "sections"):
        name, params, defaults = "custom", link, {}
        own = ranges_for("custom", params)
    else:
        raise ParameterError("link", type(link).__name__, "a catalog name, a ParameterSet or a link parameter object")
    use = dict(own if ranges is None else ranges)
    check_ranges(params, use, name)
    request = {
        "aggregate_rate": defaults.get("aggregate_rate", DEFAULT_AGGREGATE_RATE) if aggregate_rate is None
        else aggregate_rate,
        "reach": defaults.get("reach", DEFAULT_REACH) if reach is None else reach,
        "target_ber": defaults.get("target_ber", DEFAULT_TARGET_BER) if target_ber is None else target_ber,
        "lane_rate": lane_rate,
    }
    for key in ("aggregate_rate", "reach", "target_ber"):
        if np.ndim(request[key]):
            raise ParameterError(key, request[key], "one value (bands are computed at one request)")
        request[key] = float(request[key])
    return _Link(name, params, use, request)


def _field_value(parameters, key: str):
    sec, fname = key.split(".")
    return getattr(parameters.sections()[sec], fname)


def _with_values(parameters, values: dict[str, Any]):
    """The parameters with ``"section.field"`` values replaced (arrays or scalars)."""
    changes: dict[str, dict[str, Any]] = {}
    for key, v in values.items():
        sec, fname = key.split(".")
        changes.setdefault(sec, {})[fname] = v
    return parameters.replace(**changes) if changes else parameters


def _evaluate_metrics(parameters, values: dict[str, np.ndarray], request: dict, vectorised: bool,
                      solve_reach: bool = True) -> dict[str, np.ndarray]:
    """Banded outputs for ``n`` samples (``values[key]`` has ``n`` entries) [see METRICS]."""
    from microlink.link.chain import evaluate_link

    n = len(next(iter(values.values()))) if values else 1
    kw = dict(request, solve_reach=solve_reach)
    with np.errstate(all="ignore"):  # samples reach the edges of the models (BER floors, zero power)
        if vectorised:
            arrays = {k: np.asarray(v, dtype=float) for k, v in values.items()}
            out = _metric_values(evaluate_link(_with_values(parameters, arrays), **kw))
            if len(out["ber"]) == 1 and n > 1:  # no field varied: broadcast the single point
                out = {k: np.repeat(v, n) for k, v in out.items()}
            return out
        rows = []
        for i in range(n):
            point = {k: float(np.asarray(v)[i]) for k, v in values.items()}
            rows.append(_metric_values(evaluate_link(_with_values(parameters, point), **kw)))
    return {k: np.concatenate([r[k] for r in rows]) for k in rows[0]}


def _chunk_task(task):
    """Executor entry point: ``(parameters, values, request, vectorised, solve_reach, engine)`` -> outputs, on
    the client's kernel engine (:mod:`microlink.kernels`) whatever process runs it."""
    from microlink import kernels

    *args, engine = task
    with kernels.use_engine(engine):
        return _evaluate_metrics(*args)


def _run(parameters, values: dict[str, np.ndarray], request: dict, vectorised: bool, *, executor: str = "serial",
         workers: int | None = None, chunk_size: int = DEFAULT_CHUNK, progress: Callable[[int, int], None] | None = None,
         solve_reach: bool = True) -> dict[str, np.ndarray]:
    """Evaluate all samples in chunks on an executor; results in sample order whatever the executor."""
    if executor not in EXECUTORS:
        raise ParameterError("executor", executor, " | ".join(EXECUTORS))
    if chunk_size < 1:
        raise ParameterError("chunk_size", chunk_size, ">= 1")
    n = len(next(iter(values.values())))
    bounds = [(s, min(n, s + chunk_size)) for s in range(0, n, chunk_size)]
    from microlink import kernels

    engine = kernels.engine()
    tasks = [(parameters, {k: v[a:b] for k, v in values.items()}, request, vectorised, solve_reach, engine)
             for a, b in bounds]
    done = 0
    results: list[dict[str, np.ndarray]] = []
    if executor == "serial":
        for t in tasks:
            results.append(_chunk_task(t))
            done += len(results[-1]["ber"])
            if progress is not None:
                progress(done, n)
    elif executor == "processes":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from microlink.sweep.executors import default_workers

        with ProcessPoolExecutor(max_workers=int(workers or default_workers()),
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            for r in pool.map(_chunk_task, tasks):
                results.append(r)
                done += len(r["ber"])
                if progress is not None:
                    progress(done, n)
    else:
        try:
            import dask
        except ImportError:  # pragma: no cover - depends on the environment
            raise ParameterError("executor", "dask", "installed dask (pip install 'microlink[sweep]')") from None
        from microlink.sweep.executors import default_workers

        delayed = [dask.delayed(_chunk_task)(t) for t in tasks]
        results = list(dask.compute(*delayed, scheduler="processes", num_workers=int(workers or default_workers())))
        if progress is not None:
            progress(n, n)
    return {k: np.concatenate([r[k] for r in results]) for k in results[0]}


# ------------------------------------------------------------------------------------------------ drawing


@dataclass(frozen=True)
class Draws:
    """Parameter samples drawn from ranges (Latin hypercube over the independent dimensions).

    Attributes
    ----------
    seed : int
        Root seed of the draw.
    dimensions : tuple[str, ...]
        One name per hypercube dimension: a field key, or ``"group:NAME"`` for a correlated group.
    values : dict[str, numpy.ndarray]
        Sampled values per ``"section.field"`` [field unit], shape ``(n,)``.
    """

    seed: int
    dimensions: tuple[str, ...]
    values: dict[str, np.ndarray]

    @property
    def n(self) -> int:
        return len(next(iter(self.values.values()))) if self.values else 0


def dimensions(ranges: dict[str, Range]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(dimension name, field keys)`` in a fixed order: each group is one dimension, others one each."""
    groups: dict[str, list[str]] = {}
    out: list[tuple[str, tuple[str, ...]]] = []
    for key in sorted(ranges):
        g = ranges[key].group
        if g:
            groups.setdefault(g, []).append(key)
        else:
            out.append((key, (key,)))
    out.extend((f"group:{g}", tuple(keys)) for g, keys in sorted(groups.items()))
    return tuple(sorted(out))


def values_from_quantiles(ranges: dict[str, Range], quantiles: np.ndarray) -> dict[str, np.ndarray]:
    """Field values from hypercube quantiles ``(n, d)`` laid out as :func:`dimensions` [1 -> field units]."""
    dims = dimensions(ranges)
    q = np.atleast_2d(np.asarray(quantiles, dtype=float))
    if q.shape[1] != len(dims):
        raise ParameterError("quantiles", q.shape, f"(n, {len(dims)}) columns, one per dimension")
    return {key: ranges[key].ppf(q[:, j]) for j, (_, keys) in enumerate(dims) for key in keys}


def draw(ranges: dict[str, Range], n: int, seed: int = DEFAULT_SEED) -> Draws:
    """``n`` Latin-hypercube samples of the ranged fields (seeded; groups share one quantile)."""
    if int(n) < 1:
        raise ParameterError("samples", n, ">= 1")
    if not ranges:
        raise ParameterError("ranges", "{}", "at least one ranged field (see microlink.catalog.ranges)")
    from scipy.stats import qmc  # lazy: only draws need it

    dims = dimensions(ranges)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(seed))))
    q = qmc.LatinHypercube(d=len(dims), rng=rng).random(int(n))
    return Draws(int(seed), tuple(d for d, _ in dims), values_from_quantiles(ranges, q))


# ------------------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Band:
    """P10, P50 and P90 of one output over the samples (empirical quantiles, no interpolation), and the
    mean of its finite values [output unit]."""

    p10: float
    p50: float
    p90: float
    mean: float

    @classmethod
    def of(cls, x: np.ndarray) -> "Band":
        x = np.asarray(x, dtype=float)
        p10, p50, p90 = np.quantile(x, QUANTILES, method="inverted_cdf")
        finite = x[np.isfinite(x)]
        return cls(float(p10), float(p50), float(p90), float(finite.mean()) if finite.size else float("nan"))


@dataclass(frozen=True)
class TornadoEntry:
    """One field at the ends of its range, the others at their point values.

    ``at_low[m]`` and ``at_high[m]`` are output ``m`` with the field at ``low`` and ``high`` [output units].
    """

    field: str
    low: float
    high: float
    point: float
    at_low: dict[str, float]
    at_high: dict[str, float]
    unit: str = ""

    def swing(self, metric: str) -> float:
        """``|at_high - at_low|`` of one output (inf-safe: 0 where both ends are equal)."""
        a, b = self.at_low[metric], self.at_high[metric]
        return 0.0 if a == b else abs(b - a)

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "unit": self.unit, "low": self.low, "high": self.high, "point": self.point,
                "at_low": dict(self.at_low), "at_high": dict(self.at_high)}


@dataclass(frozen=True)
class SobolIndex:
    """Sobol' indices of one hypercube dimension for one output: first order ``s1`` and total ``st`` [1],
    with the half-widths of their 95 % bootstrap intervals."""

    dimension: str
    s1: float
    st: float
    s1_conf: float
    st_conf: float

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class LinkUncertainty:
    """Bands of one link at one request.

    Attributes
    ----------
    parameter_set, technology : str
    seed, samples : int
        Root seed and number of Latin-hypercube samples.
    vectorised : bool
        True where the samples went through the chain as parameter arrays; False: one call per sample.
    executor : str
    request : dict
        ``aggregate_rate`` [b/s], ``reach`` [m], ``target_ber`` [1], ``lane_rate`` [b/s] or None.
    ranges : dict[str, Range]
    draws : Draws
    outputs : dict[str, numpy.ndarray]
        Per-sample outputs (keys of :data:`METRICS` and ``feasible``).
    point : dict[str, float]
        Outputs at the point values.
    bands : dict[str, Band]
    p_feasible : float
        Fraction of samples feasible at the requested reach [1].
    seconds : float
        Wall time of the sampled evaluation [s].
    tornado : tuple[TornadoEntry, ...]
    sobol : dict[str, tuple[SobolIndex, ...]]
        Per output (``max_reach_m``, ``energy_per_bit_pj``), dimensions by descending total index.
    """

    parameter_set: str
    technology: str
    seed: int
    samples: int
    vectorised: bool
    executor: str
    request: dict
    ranges: dict
    draws: Draws
    outputs: dict
    point: dict
    bands: dict
    p_feasible: float
    seconds: float
    tornado: tuple = ()
    sobol: dict = field(default_factory=dict)

    def ranked_assumptions(self, metric: str = "max_reach_m", k: int = 3) -> list[str]:
        """The ``k`` dimensions the output rests on most (Sobol' total index; tornado swing without Sobol')."""
        if self.sobol.get(metric):
            return [s.dimension for s in self.sobol[metric][:k]]
        ranked = sorted(self.tornado, key=lambda e: -_finite_swing(e, metric))
        return [e.field for e in ranked[:k]]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "parameter_set": self.parameter_set,
            "technology": self.technology,
            "seed": self.seed,
            "samples": self.samples,
            "sampling": "latin-hypercube",
            "vectorised": self.vectorised,
            "executor": self.executor,
            "seconds": self.seconds,
            "aggregate_rate_bps": self.request["aggregate_rate"],
            "reach_m": self.request["reach"],
            "target_ber": self.request["target_ber"],
            "lane_rate_bps": self.request["lane_rate"],
            "p_feasible": self.p_feasible,
        }
        for metric, band in self.bands.items():
            d[f"{metric}_point"] = self.point[metric]
            d[f"{metric}_p10"], d[f"{metric}_p50"], d[f"{metric}_p90"] = band.p10, band.p50, band.p90
        d["ranges"] = {k: r.to_dict() for k, r in sorted(self.ranges.items())}
        d["tornado"] = [e.to_dict() for e in self.tornado]
        d["sobol"] = {m: [s.to_dict() for s in v] for m, v in self.sobol.items()}
        return d


def _finite_swing(entry: TornadoEntry, metric: str) -> float:
    s = entry.swing(metric)
    return s if math.isfinite(s) else 1e300


def _point_outputs(link: _Link) -> dict[str, float]:
    from microlink.link.chain import evaluate_link

    with np.errstate(all="ignore"):
        out = _metric_values(evaluate_link(link.parameters, **link.request))
    return {k: float(v[0]) for k, v in out.items()}


def link_bands(link: Any = "lightbundle", *, samples: int = 256, seed: int = DEFAULT_SEED, aggregate_rate=None,
               reach=None, target_ber=None, lane_rate=None, ranges: dict[str, Range] | None = None,
               executor: str = "serial", workers: int | None = None, chunk_size: int = DEFAULT_CHUNK,
               with_tornado: bool = False, with_sobol: bool = False, sobol_samples: int | None = None,
               progress: Callable[[int, int], None] | None = None) -> LinkUncertainty:
    """P10/P50/P90 of a link's outputs over its parameter ranges (see module docstring).

    Parameters
    ----------
    link : str, ParameterSet or link parameter object
        Catalog name or parameters; their ``ranges`` are used unless ``ranges`` is given.
    samples : int
        Latin-hypercube samples [1].
    seed : int
        Root seed (recorded in the result).
    aggregate_rate, reach, target_ber, lane_rate : float, optional
        The request [b/s, m, 1, b/s]; defaults as :func:`microlink.evaluate_link`.
    ranges : dict[str, Range], optional
        ``"section.field"`` -> range, replacing the set's own.
    executor, workers, chunk_size
        Where the chunks of samples run (``serial`` | ``processes`` | ``dask``).
    with_tornado, with_sobol : bool
        Also compute :func:`tornado` and :func:`sobol_ranking` (``sobol_samples`` base samples).
    progress : callable, optional
        ``progress(done, total)`` after each chunk.
    """
    lk = _resolve(link, ranges, aggregate_rate, reach, target_ber, lane_rate)
    vec = supports_parameter_arrays(lk.parameters)
    d = draw(lk.ranges, samples, seed)
    t0 = time.perf_counter()
    outputs = _run(lk.parameters, d.values, lk.request, vec, executor=executor, workers=workers,
                   chunk_size=chunk_size, progress=progress)
    seconds = time.perf_counter() - t0
    bands = {m: Band.of(outputs[m]) for m in METRICS}
    result = LinkUncertainty(
        parameter_set=lk.name, technology=type(lk.parameters).technology, seed=d.seed, samples=d.n,
        vectorised=vec, executor=executor, request=dict(lk.request), ranges=dict(lk.ranges), draws=d,
        outputs=outputs, point=_point_outputs(lk), bands=bands,
        p_feasible=float(np.mean(outputs["feasible"] > 0.5)), seconds=seconds,
    )
    extra: dict[str, Any] = {}
    if with_tornado:
        extra["tornado"] = _tornado(lk, vec)
    if with_sobol:
        extra["sobol"] = _sobol(lk, vec, sobol_samples, seed)
    return dataclasses.replace(result, **extra) if extra else result


# ------------------------------------------------------------------------------------------------ sensitivity


def _tornado(lk: _Link, vec: bool) -> tuple[TornadoEntry, ...]:
    keys = sorted(lk.ranges)
    point = {}
    for key in keys:
        sec, fname = key.split(".")
        point[key] = float(np.asarray(getattr(lk.parameters.sections()[sec], fname)))
    k = len(keys)
    values = {key: np.full(2 * k, point[key]) for key in keys}
    for i, key in enumerate(keys):
        values[key][2 * i] = lk.ranges[key].low
        values[key][2 * i + 1] = lk.ranges[key].high
    out = _evaluate_metrics(lk.parameters, values, lk.request, vec)
    entries = []
    for i, key in enumerate(keys):
        sec, fname = key.split(".")
        unit = type(lk.parameters.sections()[sec]).field_info()[fname]["unit"]
        entries.append(TornadoEntry(
            field=key, low=lk.ranges[key].low, high=lk.ranges[key].high, point=point[key],
            at_low={m: float(out[m][2 * i]) for m in TORNADO_METRICS},
            at_high={m: float(out[m][2 * i + 1]) for m in TORNADO_METRICS}, unit=unit))
    entries.sort(key=lambda e: (-_finite_swing(e, "max_reach_m"), -_finite_swing(e, "energy_per_bit_pj"),
                                -_finite_swing(e, "margin_db"), e.field))
    return tuple(entries)


def tornado(link: Any = "lightbundle", *, aggregate_rate=None, reach=None, target_ber=None, lane_rate=None,
            ranges: dict[str, Range] | None = None) -> tuple[TornadoEntry, ...]:
    """One-at-a-time sensitivity: each ranged field at its low and high end, the others at their points.

    Entries are sorted by the swing of max reach, then of energy per bit, then of margin.
    """
    lk = _resolve(link, ranges, aggregate_rate, reach, target_ber, lane_rate)
    return _tornado(lk, supports_parameter_arrays(lk.parameters))


def _sobol(lk: _Link, vec: bool, base: int | None, seed: int) -> dict[str, tuple[SobolIndex, ...]]:
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    dims = dimensions(lk.ranges)
    if base is None:
        base = 64 if vec else 8
    base = 1 << max(1, int(math.ceil(math.log2(max(2, int(base))))))  # Sobol' sequences want powers of 2
    problem = {"num_vars": len(dims), "names": [d for d, _ in dims], "bounds": [[0.0, 1.0]] * len(dims)}
    q = sobol_sample.sample(problem, base, calc_second_order=False, scramble=True, seed=int(seed))
    values = values_from_quantiles(lk.ranges, q)
    out = _evaluate_metrics(lk.parameters, values, lk.request, vec)
    ranking: dict[str, tuple[SobolIndex, ...]] = {}
    for metric in ("max_reach_m", "energy_per_bit_pj"):
        y = np.asarray(out[metric], dtype=float)
        if not np.all(np.isfinite(y)) or np.ptp(y) == 0.0:
            ranking[metric] = ()
            continue
        with np.errstate(all="ignore"):
            si = sobol_analyze.analyze(problem, y, calc_second_order=False, print_to_console=False, seed=int(seed))
        idx = [SobolIndex(name, float(si["S1"][j]), float(si["ST"][j]), float(si["S1_conf"][j]),
                          float(si["ST_conf"][j])) for j, name in enumerate(problem["names"])]
        ranking[metric] = tuple(sorted(idx, key=lambda s: (-s.st, s.dimension)))
    return ranking


def sobol_ranking(link: Any = "lightbundle", *, base_samples: int | None = None, seed: int = DEFAULT_SEED,
                  aggregate_rate=None, reach=None, target_ber=None, lane_rate=None,
                  ranges: dict[str, Range] | None = None) -> dict[str, tuple[SobolIndex, ...]]:
    """Sobol' indices of max reach and energy per bit for every range dimension, by descending total index.

    ``base_samples`` (rounded up to a power of two; default 64 for vectorised chains, 8 otherwise) gives
    ``base x (d + 2)`` evaluations for ``d`` dimensions. An output that does not vary (or is not finite)
    gets an empty ranking.
    """
    lk = _resolve(link, ranges, aggregate_rate, reach, target_ber, lane_rate)
    return _sobol(lk, supports_parameter_arrays(lk.parameters), base_samples, seed)


# ------------------------------------------------------------------------------------------------ inverse


@dataclass(frozen=True)
class SolveResult:
    """The value of one field that makes a link meet its requirement at a reach.

    Attributes
    ----------
    field, unit : str
    status : str
        ``"solved"`` (``value`` is the edge of the feasible set nearest the current value), ``"met"``
        (every value in the searched interval meets it), or ``"unreachable"`` (none does).
    value : float or None
        The edge [field unit].
    feasible_side : str or None
        ``"below"`` or ``"above"``: on which side of ``value`` the link is feasible.
    current_value : float
    feasible_intervals : list[tuple[float, float]]
        Sub-intervals of the search where the requirement is met [field unit].
    search : tuple[float, float]
        Interval searched: the field's allowed bounds (an open end is cut at 1e3 x the current value).
    limiting_bound : str or None
        Where unreachable: ``"lower"`` or ``"upper"``, the end of the search with the largest margin.
    best_value, best_margin_db : float
        The searched value with the largest margin, and that margin [field unit, dB].
    request : dict
    """

    field: str
    unit: str
    status: str
    value: float | None
    feasible_side: str | None
    current_value: float
    feasible_intervals: list
    search: tuple
    limiting_bound: str | None
    best_value: float
    best_margin_db: float
    request: dict

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["feasible_intervals"] = [list(i) for i in self.feasible_intervals]
        d["search"] = list(self.search)
        d["reachable"] = self.status != "unreachable"
        return d

    @property
    def message(self) -> str:
        if self.status == "met":
            return f"{self.field}: every value in {self.search[0]:g} .. {self.search[1]:g} {self.unit} meets it"
        if self.status == "unreachable":
            return (f"{self.field}: not reachable in the allowed range {self.search[0]:g} .. {self.search[1]:g} "
                    f"{self.unit}; limited by the {self.limiting_bound} bound (best margin "
                    f"{self.best_margin_db:.3g} dB at {self.best_value:g} {self.unit})")
        op = "<=" if self.feasible_side == "below" else ">="
        return f"{self.field} {op} {self.value:.4g} {self.unit} (now {self.current_value:.4g} {self.unit})"


def _search_grid(lo: float, hi: float, current: float, points: int) -> tuple[np.ndarray, tuple[float, float]]:
    if not math.isfinite(hi):
        hi = max(abs(current), lo if lo > 0 else 1.0) * 1e3
    if lo > 0 and hi / lo > 100:
        grid = np.geomspace(lo, hi, points)
    elif lo == 0 and hi > 0 and current > 0 and hi / current > 100:
        grid = np.concatenate([[0.0], np.geomspace(min(current, hi) * 1e-4, hi, points - 1)])
    else:
        grid = np.linspace(lo, hi, points)
    return grid, (lo, hi)


def solve_for(link: Any, field_key: str, *, reach=None, aggregate_rate=None, target_ber=None, lane_rate=None,
              points: int = 33, rounds: int = 4) -> SolveResult:
    """Value of ``field_key`` (``"section.field"``) at which the link just meets ``target_ber`` at ``reach``.

    The field's allowed bounds are scanned on ``points`` values (log-spaced over wide spans), every
    feasibility change is refined by ``rounds`` rounds of 8-point subdivision, and the edge nearest the
    current value is returned. Feasible means the post-FEC BER meets the target at the requested reach
    (margin >= 0 dB).
    """
    from microlink.catalog.ranges import resolve_field

    lk = _resolve(link, {}, aggregate_rate, reach, target_ber, lane_rate)
    sec, fname, meta = resolve_field(lk.parameters, field_key)
    if field_key in ("lanes.lane_rate", "lanes.payload_rate") and lane_rate is not None:
        raise ParameterError("--lane-rate", lane_rate, f"no --lane-rate while solving for {field_key}")
    current = float(np.asarray(getattr(sec, fname)))
    lo, hi = (float(b) for b in meta["bounds"])
    grid, search = _search_grid(lo, hi, current, points)
    vec = supports_parameter_arrays(lk.parameters)

    def margins(xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        out = _evaluate_metrics(lk.parameters, {field_key: np.asarray(xs, dtype=float)}, lk.request, vec,
                                solve_reach=False)
        return out["feasible"] > 0.5, out["margin_db"]

    ok, margin = margins(grid)
    i_best = int(np.nanargmax(np.where(np.isfinite(margin), margin, -1e300)))
    edges: list[tuple[float, bool]] = []  # (edge value, feasible below the edge)
    xs_all, ok_all = list(grid), list(ok)
    for i in range(len(grid) - 1):
        if ok[i] == ok[i + 1]:
            continue
        a, b, ok_a = grid[i], grid[i + 1], bool(ok[i])
        for _ in range(rounds):
            sub = np.linspace(a, b, 10)[1:-1]
            sub_ok, _m = margins(sub)
            xs_all.extend(sub)
            ok_all.extend(sub_ok)
            j = int(np.argmax(sub_ok != ok_a)) if np.any(sub_ok != ok_a) else len(sub)
            a = sub[j - 1] if j > 0 else a
            b = sub[j] if j < len(sub) else b
        edges.append((float(a if ok_a else b), ok_a))
    order = np.argsort(xs_all)
    xs_sorted, ok_sorted = np.asarray(xs_all)[order], np.asarray(ok_all)[order]
    intervals, start = [], None
    for x, good in zip(xs_sorted, ok_sorted):
        if good and start is None:
            start = x
        if good:
            last = x
        if not good and start is not None:
            intervals.append((float(start), float(last)))
            start = None
    if start is not None:
        intervals.append((float(start), float(xs_sorted[-1])))
    common = dict(field=field_key, unit=meta["unit"], current_value=current, feasible_intervals=intervals,
                  search=search, best_value=float(grid[i_best]), best_margin_db=float(margin[i_best]),
                  request=dict(lk.request))
    if not np.any(ok):
        if not edges:
            limiting = "lower" if i_best <= (len(grid) - 1) / 2 else "upper"
            return SolveResult(status="unreachable", value=None, feasible_side=None, limiting_bound=limiting,
                               **common)
    if np.all(ok) and not edges:
        return SolveResult(status="met", value=None, feasible_side=None, limiting_bound=None, **common)
    value, below = min(edges, key=lambda e: abs(math.log(max(e[0], 1e-300) / max(current, 1e-300)))
                       if current > 0 and e[0] > 0 else abs(e[0] - current))
    return SolveResult(status="solved", value=value, feasible_side="below" if below else "above",
                       limiting_bound=None, **common)
