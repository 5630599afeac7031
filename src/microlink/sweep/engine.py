"""The sweep engine: a spec -> chunks -> one vectorised evaluation per chunk -> the store.

Determinism: chunk ``c`` always holds points ``c * chunk_size .. (c + 1) * chunk_size - 1`` of the space,
whatever the executor or the worker count; its random stream (handed to the evaluator) is spawned from
the run's root seed with the key ``(SPAWN_CHUNK, c)``, and Latin-hypercube designs depend on the root
seed and the point count only. So a run gives the same numbers on every executor, and a resumed run
gives the same numbers as an uninterrupted one.

Resumption: a run is identified by the hash of its spec (with command-line overrides) and the microlink
version. Starting a spec whose latest run is unfinished evaluates only the chunks missing from the
store's ``chunks`` table, with the run's recorded seed; starting a finished one does nothing unless a new
run is asked for.
"""

from __future__ import annotations

import json
import platform
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from microlink.errors import ConfigError, MicrolinkError
from microlink.sweep.space import SPAWN_CHUNK, space_summary
from microlink.sweep.spec import SweepSpec
from microlink.sweep.store import Column, ResultStore

__all__ = ["ChunkResult", "SweepOutcome", "SweepPlan", "evaluate_chunk", "plan_sweep", "run_sweep"]


class SweepError(MicrolinkError):
    """A sweep stopped on an error while evaluating a chunk."""


@dataclass(frozen=True)
class ChunkResult:
    """The columns of one evaluated chunk (``data[name]`` has one value per point) and its wall time [s]."""

    chunk_id: int
    data: dict
    seconds: float

    @property
    def n_points(self) -> int:
        return len(self.data["point_id"])


class SweepPlan:
    """A spec bound to a root seed: the space, the chunks and the columns of the points table."""

    def __init__(self, spec: SweepSpec, seed: int, columns: tuple[Column, ...] | None = None,
                 engine: str | None = None):
        from microlink import kernels

        self.spec = spec
        self.seed = int(seed)
        #: Kernel engine every chunk runs, on any executor (:mod:`microlink.kernels`): the client's.
        self.engine = engine or kernels.engine()
        self.space = spec.space(self.seed)
        self.n_points = int(self.space.n_points)
        self.chunk_size = int(spec.chunk_size)
        self.n_chunks = -(-self.n_points // self.chunk_size)
        self.columns = columns if columns is not None else sweep_columns(spec)

    def chunk_bounds(self, chunk_id: int) -> tuple[int, int]:
        start = chunk_id * self.chunk_size
        return start, min(self.n_points, start + self.chunk_size)

    def chunk_rng(self, chunk_id: int) -> np.random.Generator:
        """The chunk's random stream, spawned from the root seed (independent of the executor)."""
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(SPAWN_CHUNK, chunk_id))))

    def provenance(self) -> dict:
        import microlink

        spec = self.spec
        axes = []
        for a in spec.axes:
            d = {"name": a.name, "column": a.column, "unit": a.unit, "kind": a.kind}
            if a.values is not None:
                d["values"] = list(a.values)
            else:
                d.update(low=a.low, high=a.high, scale=a.scale)
            axes.append(d)
        return {
            "microlink_version": microlink.__version__,
            "python_version": platform.python_version(),
            "numpy_version": np.__version__,
            "evaluator": spec.evaluator.name,
            "evaluator_provenance": spec.evaluator.provenance(),
            "sampling": spec.sampling,
            "space": space_summary(self.space),
            "seed": self.seed,
            "spec_hash": spec.spec_hash,
            "axes": axes,
            "fixed": spec.fixed,
            "constraints": {k: list(v) for k, v in spec.constraints.items()},
            "pareto": [list(o) for o in spec.pareto],
            "chunk_size": self.chunk_size,
            "engine": self.engine,
        }

    def __getstate__(self):  # the space is rebuilt on the worker
        return {"spec": self.spec, "seed": self.seed, "columns": self.columns, "engine": self.engine}

    def __setstate__(self, state):
        self.__init__(state["spec"], state["seed"], state["columns"], state["engine"])


def sweep_columns(spec: SweepSpec) -> tuple[Column, ...]:
    """Columns of the points table: keys, swept inputs, the evaluator's outputs, ``within_budget``."""
    cols = [Column("point_id", "key", "1", "int64", "", "index of the point in the space"),
            Column("chunk_id", "key", "1", "int32", "", "chunk that computed the point")]
    for a in spec.axes:
        cols.append(Column(a.column, "input", a.unit, {"float": "float64", "int": "int64", "bool": "bool",
                                                       "str": "str"}[a.kind], a.name, f"swept input {a.name}"))
    outs = spec.evaluator.outputs()
    for o in outs.values():
        cols.append(Column(o.name, "output", o.unit, "bool" if o.dtype == "bool" else "float64",
                           spec.evaluator.name, o.doc))
    cols.append(Column("within_budget", "output", "", "bool", "spec",
                       "feasible (where the evaluator reports it) and inside every constraint of the spec"))
    names = [c.name for c in cols]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ConfigError(f"parameters: column {', '.join(sorted(dup))} of a swept input has the name of an output")
    return tuple(cols)


def within_budget(spec: SweepSpec, outputs: dict[str, np.ndarray], n: int) -> np.ndarray:
    """True where the point is feasible (if reported) and inside every constraint (NaN fails)."""
    ok = np.asarray(outputs["feasible"], dtype=bool).copy() if "feasible" in outputs else np.ones(n, bool)
    for name, (lo, hi) in spec.constraints.items():
        v = np.asarray(outputs[name], dtype=float)
        if lo is not None:
            ok &= v >= lo
        if hi is not None:
            ok &= v <= hi
    return ok


def evaluate_chunk(plan: SweepPlan, chunk_id: int) -> ChunkResult:
    """Evaluate one chunk: its points, one vectorised evaluator call, the budget column."""
    t0 = time.perf_counter()
    start, stop = plan.chunk_bounds(chunk_id)
    n = stop - start
    points = plan.space.points(start, stop)
    from microlink import kernels

    with np.errstate(all="ignore"), kernels.use_engine(plan.engine):  # sweeps reach the models' edges
        outputs = plan.spec.evaluator.evaluate(points, plan.chunk_rng(chunk_id))
    data = {"point_id": np.arange(start, stop, dtype=np.int64), "chunk_id": np.full(n, chunk_id, dtype=np.int32)}
    for a in plan.spec.axes:
        data[a.column] = np.asarray(points[a.name])
    data.update(outputs)
    data["within_budget"] = within_budget(plan.spec, outputs, n)
    return ChunkResult(chunk_id, data, time.perf_counter() - t0)


def plan_sweep(spec: SweepSpec, seed: int | None = None) -> SweepPlan:
    """Bind a spec to a root seed (the spec's, else ``seed``, else a fresh one) and probe it.

    The probe evaluates a few points touching every axis's extremes, so that an input combination the
    model rejects fails here, before a run is created.
    """
    root = spec.seed if spec.seed is not None else (seed if seed is not None else secrets.randbits(63))
    plan = SweepPlan(spec, root)
    with np.errstate(all="ignore"):
        spec.evaluator.evaluate(plan.space.probe(), plan.chunk_rng(0))
    return plan


@dataclass
class SweepOutcome:
    """What a call to :func:`run_sweep` did.

    Attributes
    ----------
    run_id : int or None
        Run in the store (``None`` without a store).
    status : str
        ``complete``, ``interrupted`` or ``failed``.
    n_points, points_done : int
        Points in the sweep, and points stored (all sessions).
    points_this_session : int
        Points evaluated by this call.
    resumed, already_complete : bool
        This call resumed an unfinished run / found the run finished and evaluated nothing.
    seconds : float
        Wall time of this call.
    executor : str
        Description of the executor.
    plan : SweepPlan
    store_path : str or None
    """

    run_id: int | None
    status: str
    n_points: int
    points_done: int
    points_this_session: int
    resumed: bool
    already_complete: bool
    seconds: float
    executor: str
    plan: SweepPlan
    store_path: str | None = None
    _memory: list | None = field(default=None, repr=False)

    @property
    def rate(self) -> float:
        """Points evaluated per second in this call."""
        return self.points_this_session / self.seconds if self.seconds > 0 else float("nan")

    def dataset(self):
        """The results as an :class:`xarray.Dataset` (read from the store, or kept in memory without one)."""
        if self.store_path is not None:
            with ResultStore(self.store_path, read_only=True) as store:
                return store.dataset(self.run_id)
        from microlink.sweep.dataset import to_dataset

        chunks = sorted(self._memory or [], key=lambda r: r.chunk_id)
        names = [c.name for c in self.plan.columns]
        data = {k: (np.concatenate([r.data[k] for r in chunks]) if chunks else np.empty(0)) for k in names}
        run = {"run_id": None, "name": self.plan.spec.name, "status": self.status, "sampling": self.plan.spec.sampling,
               "seed": self.plan.seed, "spec_hash": self.plan.spec.spec_hash,
               "version": self.plan.provenance()["microlink_version"], "evaluator": self.plan.spec.evaluator.name,
               "n_points": self.n_points, "chunk_size": self.plan.chunk_size, "provenance": self.plan.provenance(),
               "spec_text": self.plan.spec.text}
        return to_dataset(run, self.plan.columns, data)


def _resolve_executor(executor, workers, scheduler):
    from microlink.sweep.executors import make_executor

    if isinstance(executor, str):
        return make_executor(executor, workers=workers, scheduler=scheduler)
    return executor


def run_sweep(spec: SweepSpec, *, store=None, executor="serial", workers: int | None = None,
              scheduler: str | None = None, new_run: bool = False,
              progress: Callable[[int, int], None] | None = None,
              should_stop: Callable[[], bool] | None = None,
              on_start: Callable[[dict], None] | None = None) -> SweepOutcome:
    """Run (or resume) a sweep.

    Parameters
    ----------
    spec : SweepSpec
        From :func:`~microlink.sweep.spec.load_spec`.
    store : str, Path or None
        DuckDB file to write (created if absent). ``None`` keeps the results in memory (no resume).
    executor : str or executor object
        ``"serial"``, ``"processes"``, ``"dask"`` or an instance from :mod:`microlink.sweep.executors`.
    workers : int, optional
        Worker processes (``processes``, ``dask`` LocalCluster); default: the CPUs available.
    scheduler : str, optional
        Address of an existing Dask scheduler (``dask`` only).
    new_run : bool
        Start a new run even if the store holds a run of this spec.
    progress : callable(points_done, n_points), optional
        Called after every stored chunk (and once at the start).
    should_stop : callable() -> bool, optional
        Polled between chunks; when it returns True the sweep stops taking chunks, keeps what finished and
        returns with status ``interrupted`` (the command line wires Ctrl-C to it).
    on_start : callable(info), optional
        Called once the run is known: ``{"run_id", "resumed", "points_done", "n_points", "executor"}``.

    Returns
    -------
    SweepOutcome
    """
    t0 = time.perf_counter()
    should_stop = should_stop or (lambda: False)
    ex = _resolve_executor(executor, workers, scheduler)
    db = ResultStore(store) if store is not None else None
    memory: list | None = [] if db is None else None
    try:
        version = _version()
        resumed = already = False
        done: set[int] = set()
        run_id = None
        previous = db.find_resumable(spec.spec_hash, version) if db is not None and not new_run else None
        if previous is not None:  # a resumed run keeps the engine its first chunks ran (when recorded)
            prov = previous.get("provenance") or "{}"
            engine = (json.loads(prov) if isinstance(prov, str) else prov).get("engine")
            plan = SweepPlan(spec, previous["seed"], engine=engine)
            run_id = int(previous["run_id"])
            done = db.done_chunks(run_id)
            if previous["status"] == "complete" and len(done) == plan.n_chunks:
                already = True
            else:
                resumed = True
                db.restart_run(run_id)
        else:
            plan = plan_sweep(spec)
            if db is not None:
                run_id = db.create_run(
                    name=spec.name, evaluator=spec.evaluator.name, sampling=spec.sampling, spec_text=spec.text,
                    spec_hash=spec.spec_hash, version=version, seed=plan.seed, n_points=plan.n_points,
                    chunk_size=plan.chunk_size, n_chunks=plan.n_chunks, columns=plan.columns,
                    provenance=plan.provenance())
        points_before = sum(plan.chunk_bounds(c)[1] - plan.chunk_bounds(c)[0] for c in done)
        if on_start is not None:
            on_start({"run_id": run_id, "resumed": resumed, "already_complete": already,
                      "points_done": points_before, "n_points": plan.n_points, "executor": ex.describe(),
                      "seed": plan.seed, "n_chunks": plan.n_chunks})
        if progress is not None:
            progress(points_before, plan.n_points)
        if already:
            return SweepOutcome(run_id, "complete", plan.n_points, points_before, 0, False, True,
                                time.perf_counter() - t0, ex.describe(), plan, str(db.path), None)

        todo = [c for c in range(plan.n_chunks) if c not in done]
        points_done = points_before
        status = "interrupted"
        try:
            for result in ex.run(plan, todo, should_stop):
                if db is not None:
                    db.commit_chunk(run_id, result.chunk_id, result.data, result.seconds, plan.columns)
                else:
                    memory.append(result)
                points_done += result.n_points
                if progress is not None:
                    progress(points_done, plan.n_points)
            status = "complete" if points_done == plan.n_points else "interrupted"
        except KeyboardInterrupt:
            if db is not None:
                db.finish_run(run_id, "interrupted", "stopped by the user (Ctrl-C)")
            raise
        except BaseException as exc:
            if db is not None:
                db.finish_run(run_id, "failed", f"{type(exc).__name__}: {exc}"[:2000])
            raise
        if db is not None:
            db.finish_run(run_id, status, None if status == "complete" else "stopped by the user")
        return SweepOutcome(run_id, status, plan.n_points, points_done, points_done - points_before, resumed, False,
                            time.perf_counter() - t0, ex.describe(), plan,
                            str(db.path) if db is not None else None, memory)
    finally:
        ex.close()
        if db is not None:
            db.close()


def _version() -> str:
    import microlink

    return microlink.__version__
