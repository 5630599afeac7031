"""Design-space sweeps at scale: a spec -> chunks -> one vectorised evaluation per chunk -> DuckDB / xarray.

Quick start::

    from microlink.sweep import ResultStore, load_spec, run_sweep

    spec = load_spec("examples/microled_sweep.yaml")
    outcome = run_sweep(spec, store="microlink.duckdb", executor="processes", workers=2)
    ds = outcome.dataset()              # xarray.Dataset, dims named after the swept inputs
    with ResultStore("microlink.duckdb", read_only=True) as store:
        front = store.pareto(outcome.run_id, [("energy_per_bit_pj", "min"), ("reach", "max")])
        table = store.query(f"SELECT * FROM points_{outcome.run_id} WHERE within_budget")

(scripts using ``executor="processes"`` or a Dask LocalCluster need an ``if __name__ == "__main__":`` guard:
their workers are spawned processes that import the script.)

Modules: :mod:`~microlink.sweep.spec` (YAML specs), :mod:`~microlink.sweep.space` (grid, list, Latin
hypercube), :mod:`~microlink.sweep.evaluators` (what is evaluated: ``link``; ``rack`` reserved),
:mod:`~microlink.sweep.engine` (chunks, resume), :mod:`~microlink.sweep.executors` (serial, processes,
Dask), :mod:`~microlink.sweep.store` (DuckDB schema), :mod:`~microlink.sweep.pareto` (fronts).
This package is infrastructure: it reaches the physics only through the evaluators.
"""

from microlink.sweep.engine import SweepOutcome, SweepPlan, evaluate_chunk, plan_sweep, run_sweep
from microlink.sweep.evaluators import EVALUATORS, register_evaluator
from microlink.sweep.pareto import pareto_front, pareto_mask
from microlink.sweep.spec import SweepSpec, load_spec, parse_objectives, spec_from_mapping, spec_from_text
from microlink.sweep.store import DEFAULT_STORE, ResultStore

__all__ = [
    "DEFAULT_STORE",
    "EVALUATORS",
    "ResultStore",
    "SweepOutcome",
    "SweepPlan",
    "SweepSpec",
    "evaluate_chunk",
    "load_spec",
    "pareto_front",
    "pareto_mask",
    "parse_objectives",
    "plan_sweep",
    "register_evaluator",
    "run_sweep",
    "spec_from_mapping",
    "spec_from_text",
]
