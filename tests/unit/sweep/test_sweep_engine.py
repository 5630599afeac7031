"""The engine: labelled datasets, determinism across executors and chunk sizes, the store, resume, budgets."""

import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from pydantic import BaseModel, ConfigDict

import microlink
from microlink.catalog import get_parameter_set
from microlink.errors import ConfigError
from microlink.link.chain import evaluate_link
from microlink.sweep import ResultStore, load_spec, register_evaluator, run_sweep, spec_from_mapping
from microlink.sweep.engine import SweepPlan, evaluate_chunk, plan_sweep
from microlink.sweep.evaluators import EVALUATORS, InputInfo, OutputInfo, group_indices
from microlink.sweep.executors import DaskExecutor, make_executor

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


# ------------------------------------------------------------------------------------------------ a toy model


class ToyOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    offset: float = 0.0


class ToyEvaluator:
    """y = a * x + offset + noise from the chunk's generator; a second output is feasible = y < 5."""

    name = "toy"
    options_model = ToyOptions

    def __init__(self, options):
        self.options = options
        self.fixed = {}

    def inputs(self):
        return {"x": InputInfo("x", "m", (0.0, 10.0)), "a": InputInfo("a", "1", (0.0, 5.0)),
                "mode": InputInfo("mode", "", options=("p", "q"), group=True)}

    def with_fixed(self, fixed, swept=()):
        new = type(self)(self.options)
        new.fixed = dict(fixed)
        return new

    def outputs(self):
        return {"y": OutputInfo("y", "m"), "noise": OutputInfo("noise", "1"),
                "feasible": OutputInfo("feasible", "", "bool")}

    def provenance(self):
        return {"model": "toy"}

    def evaluate(self, inputs, rng):
        n = len(next(iter(inputs.values())))
        v = {**self.fixed, **inputs}
        noise = rng.normal(size=n)
        mode = np.asarray(v.get("mode", "p"))
        y = np.asarray(v.get("a", 1.0)) * np.asarray(v["x"]) + self.options.offset + np.where(mode == "q", 1.0, 0.0)
        y = np.broadcast_to(y, (n,)) + 0 * noise
        return {"y": y, "noise": noise, "feasible": y < 5}


@pytest.fixture(autouse=True)
def toy_registered():
    register_evaluator("toy", ToyEvaluator)
    yield
    EVALUATORS.pop("toy", None)


def toy(**changes):
    spec = {"evaluator": "toy", "seed": 42, "chunk_size": 7,
            "parameters": {"mode": ["p", "q"], "a": [1, 2, 3], "x": {"min": 0, "max": 4, "num": 5}},
            "constraints": {"y": {"max": 8}}}
    spec.update(changes)
    return spec_from_mapping(spec)


def small_link(**changes):
    spec = {"preset": "lightbundle", "seed": 1, "chunk_size": 16, "fixed": {"aggregate_rate": "800 Gb/s"},
            "parameters": {"fiber.index_profile": ["step", "graded"], "lane_rate": ["2 Gb/s", "3.3 Gb/s", "5 Gb/s"],
                           "led.diameter": ["2 um", "4 um"], "reach": {"min": 1, "max": 30, "num": 5, "unit": "m"}},
            "constraints": {"cost_usd": {"max": 400}}}
    spec.update(changes)
    return spec_from_mapping(spec)


# ------------------------------------------------------------------------------------------------ datasets


def test_grid_dataset_is_labelled():
    out = run_sweep(small_link())
    assert out.status == "complete" and out.points_done == 60
    ds = out.dataset()
    assert ds.energy_per_bit_pj.dims == ("fiber_index_profile", "lane_rate", "led_diameter", "reach")
    assert list(ds.fiber_index_profile.values) == ["step", "graded"]
    assert ds.lane_rate.attrs["units"] == "b/s" and ds.lane_rate.attrs["parameter"] == "lane_rate"
    assert ds.led_diameter.attrs["parameter"] == "led.diameter"
    assert ds.energy_per_bit_pj.attrs["units"] == "pJ/bit" and ds.margin_db.attrs["units"] == "dB"
    for block in ("energy_led_pj", "energy_tia_pj", "energy_host_attach_pj"):
        assert block in ds
    np.testing.assert_allclose(sum(ds[k] for k in ds if k.startswith("energy_") and k != "energy_per_bit_pj"),
                               ds.energy_per_bit_pj, rtol=1e-12)
    assert ds.attrs["microlink_version"] == microlink.__version__
    assert ds.attrs["seed"] == 1 and ds.attrs["parameter_set"] == "lightbundle"
    assert "Avicena" in ds.attrs["parameter_set_citation"]
    assert json.loads(ds.attrs["fixed"]) == {"aggregate_rate": 800e9}
    assert np.all(np.isnan(ds.max_reach_m))  # solve_reach is off
    assert ds.within_budget.dtype == bool
    np.testing.assert_array_equal(ds.within_budget, ds.feasible & (ds.cost_usd <= 400))


def test_values_equal_direct_evaluation():
    ds = run_sweep(small_link()).dataset()
    base = get_parameter_set("lightbundle").parameters
    for profile, lane_rate, diameter, reach in [("step", 2e9, 2e-6, 1.0), ("graded", 5e9, 4e-6, 30.0)]:
        r = evaluate_link(base.replace(fiber={"index_profile": profile}, led={"diameter": diameter}),
                          aggregate_rate=800e9, reach=reach, target_ber=1e-12, lane_rate=lane_rate, solve_reach=False)
        pt = ds.sel(fiber_index_profile=profile, lane_rate=lane_rate, led_diameter=diameter, reach=reach)
        assert float(pt.energy_per_bit_pj) == pytest.approx(float(r.energy_per_bit_pj), rel=1e-12)
        assert float(pt.ber) == pytest.approx(float(r.ber), rel=1e-9)
        assert float(pt.cost_usd) == pytest.approx(float(r.cost_per_end), rel=1e-12)
        assert bool(pt.feasible) == bool(r.feasible)


def test_lane_count_sets_lane_rate_and_solve_reach():
    spec = spec_from_mapping({"preset": "lightbundle", "solve_reach": True, "fixed": {"aggregate_rate": "800 Gb/s"},
                              "parameters": {"lane_count": [160, 250]}})
    ds = run_sweep(spec).dataset()
    np.testing.assert_allclose(ds.lane_rate_bps, [5e9, 3.2e9])
    np.testing.assert_array_equal(ds.lanes_active, [160, 250])
    # no preset is required to reach a length: the reach is solved (finite, >= 0) and the slower lane
    # reaches at least as far as the faster one
    assert np.all(np.isfinite(ds.max_reach_m)) and np.all(ds.max_reach_m >= 0)
    assert float(ds.max_reach_m.sel(lane_count=250)) >= float(ds.max_reach_m.sel(lane_count=160))


def test_lhs_dataset_has_a_point_dimension_and_a_recorded_seed():
    spec = spec_from_mapping({"preset": "lightbundle", "sampling": "lhs", "samples": 40, "chunk_size": 16,
                              "parameters": {"led.diameter": {"min": "2 um", "max": "6 um"},
                                             "reach": {"min": "1 m", "max": "30 m", "scale": "log"}}})
    out = run_sweep(spec)
    ds = out.dataset()
    assert ds.energy_per_bit_pj.dims == ("point",) and ds.sizes["point"] == 40
    assert ds.led_diameter.dims == ("point",)
    again = run_sweep(spec_from_mapping(json.loads(json.dumps(spec.mapping)), seed=out.plan.seed)).dataset()
    np.testing.assert_array_equal(again.led_diameter, ds.led_diameter)


# ------------------------------------------------------------------------------------------------ determinism


def _assert_same(a: xr.Dataset, b: xr.Dataset):
    assert a.drop_attrs().identical(b.drop_attrs())


def test_same_results_for_any_chunk_size_on_a_grid():
    _assert_same(run_sweep(small_link(chunk_size=7)).dataset(), run_sweep(small_link(chunk_size=60)).dataset())


def test_categorical_groups_match_separate_runs():
    mixed = run_sweep(small_link(chunk_size=60)).dataset()
    for profile in ("step", "graded"):
        spec = small_link(parameters={"lane_rate": ["2 Gb/s", "3.3 Gb/s", "5 Gb/s"], "led.diameter": ["2 um", "4 um"],
                                      "reach": {"min": 1, "max": 30, "num": 5, "unit": "m"}},
                          fixed={"aggregate_rate": "800 Gb/s", "fiber.index_profile": profile})
        alone = run_sweep(spec).dataset()
        np.testing.assert_array_equal(mixed.energy_per_bit_pj.sel(fiber_index_profile=profile),
                                      alone.energy_per_bit_pj)
        np.testing.assert_array_equal(mixed.ber.sel(fiber_index_profile=profile), alone.ber)


def test_same_seed_same_random_streams_on_serial_and_dask():
    from distributed import Client, LocalCluster

    serial = run_sweep(toy()).dataset()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        dask = run_sweep(toy(), executor=DaskExecutor(client=client)).dataset()
        by_address = run_sweep(toy(), executor="dask", scheduler=cluster.scheduler_address).dataset()
    _assert_same(serial, dask)
    _assert_same(serial, by_address)
    assert np.std(serial.noise.values) > 0.5  # the streams are real
    assert not np.array_equal(run_sweep(toy(seed=43)).dataset().noise, serial.noise)


def test_processes_executor_matches_serial():
    spec = small_link(chunk_size=20)
    _assert_same(run_sweep(spec).dataset(), run_sweep(spec, executor="processes", workers=2).dataset())


def test_chunk_streams_do_not_depend_on_order():
    plan = SweepPlan(toy(), 42)
    forward = [evaluate_chunk(plan, c).data["noise"] for c in range(plan.n_chunks)]
    backward = [evaluate_chunk(plan, c).data["noise"] for c in reversed(range(plan.n_chunks))][::-1]
    for f, b in zip(forward, backward):
        np.testing.assert_array_equal(f, b)


# ------------------------------------------------------------------------------------------------ store


def test_store_roundtrip_resume_and_rerun(tmp_path):
    db = tmp_path / "s.duckdb"
    stops = {"n": 0}

    def stop_after_two():
        stops["n"] += 1
        return stops["n"] > 2

    first = run_sweep(toy(), store=db, should_stop=stop_after_two)
    assert first.status == "interrupted" and 0 < first.points_done < 30
    with ResultStore(db, read_only=True) as s:
        assert s.run(first.run_id)["status"] == "interrupted"
        assert s.dataset(first.run_id).computed.sum() == first.points_done
    second = run_sweep(toy(), store=db)
    assert second.resumed and second.run_id == first.run_id and second.status == "complete"
    assert second.points_this_session == 30 - first.points_done
    third = run_sweep(toy(), store=db)
    assert third.already_complete and third.points_this_session == 0
    fresh = run_sweep(toy(), store=db, new_run=True)
    assert fresh.run_id == first.run_id + 1
    with ResultStore(db, read_only=True) as s:
        rows = s.query(f"SELECT count(*) AS n, count(DISTINCT point_id) AS u FROM points_{first.run_id}")
        assert rows.n[0] == rows.u[0] == 30
        run = s.run(first.run_id)
        assert run["sessions"] == 2 and run["seed"] == 42 and run["spec_hash"] == toy().spec_hash
        assert run["provenance"]["evaluator_provenance"] == {"model": "toy"}
        _assert_same(s.dataset(first.run_id), run_sweep(toy()).dataset())
        assert {c.name: c.role for c in s.columns(1)} == {
            "point_id": "key", "chunk_id": "key", "mode": "input", "a": "input", "x": "input", "y": "output",
            "noise": "output", "feasible": "output", "within_budget": "output"}
        front = s.pareto(1, [("y", "min"), ("x", "max")])
        assert len(front) >= 1 and front.within_budget.all()


def test_a_chunk_is_committed_once(tmp_path):
    db = tmp_path / "s.duckdb"
    run_sweep(toy(), store=db)
    plan = SweepPlan(toy(), 42)
    chunk = evaluate_chunk(plan, 0)
    with ResultStore(db) as s:
        with pytest.raises(ConfigError, match="already committed"):  # the chunks primary key
            s.commit_chunk(1, 0, chunk.data, 0.0, plan.columns)
        assert s.progress(1) == (30, plan.n_chunks)
        assert s.query("SELECT count(*) AS n FROM points_1").n[0] == 30


def test_stale_running_run_is_marked_interrupted(tmp_path):
    db = tmp_path / "s.duckdb"
    run_sweep(toy(), store=db)
    with ResultStore(db) as s:
        s.restart_run(1)
    with ResultStore(db, read_only=True) as s:
        assert s.runs()[0]["status"] == "interrupted"
    with ResultStore(db) as s:
        assert s.run(1)["status"] == "interrupted"


def test_nan_is_stored_as_null_and_read_back_as_nan(tmp_path):
    db = tmp_path / "s.duckdb"
    out = run_sweep(small_link(), store=db)
    with ResultStore(db, read_only=True) as s:
        assert s.query("SELECT count(max_reach_m) AS n FROM points_1").n[0] == 0
        assert np.all(np.isnan(s.dataset(out.run_id).max_reach_m))


def test_store_errors(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        ResultStore(tmp_path / "none.duckdb", read_only=True)
    db = tmp_path / "s.duckdb"
    run_sweep(toy(), store=db)
    with ResultStore(db, read_only=True) as s:
        with pytest.raises(ConfigError, match="run: got 7"):
            s.run(7)
        with pytest.raises(ConfigError, match="query:"):
            s.query("SELECT nonsense FROM nowhere")
        with pytest.raises(ConfigError, match="did you mean"):
            s.fetch_columns(1, ["noice"])


# ------------------------------------------------------------------------------------------------ misc


def test_probe_rejects_before_a_run_is_created(tmp_path):
    class Picky(ToyEvaluator):
        def evaluate(self, inputs, rng):
            if np.any(np.asarray(inputs["x"]) > 3):
                raise ConfigError("x: the toy model breaks above 3 m")
            return super().evaluate(inputs, rng)

    register_evaluator("picky", Picky)
    try:
        spec = spec_from_mapping({"evaluator": "picky", "parameters": {"x": [1, 2, 4]}})
        with pytest.raises(ConfigError, match="breaks above 3"):
            run_sweep(spec, store=tmp_path / "p.duckdb")
        with ResultStore(tmp_path / "p.duckdb", read_only=True) as s:
            assert s.runs() == []
    finally:
        EVALUATORS.pop("picky", None)


def test_group_indices():
    groups = group_indices([np.array(["b", "a", "b", "a"], dtype=object), np.array([1, 1, 2, 1])])
    assert [g.tolist() for g in groups] == [[1, 3], [0], [2]]


def test_executor_choice_errors():
    with pytest.raises(ConfigError, match="--executor"):
        make_executor("threads")
    with pytest.raises(ConfigError, match="--scheduler"):
        make_executor("serial", scheduler="tcp://x:1")
    with pytest.raises(ConfigError, match="--workers"):
        make_executor("processes", workers=0)


def test_million_point_example_plans_without_materialising_points():
    spec = load_spec(EXAMPLES / "microled_million.yaml")
    plan = plan_sweep(spec)
    assert plan.n_points == 1_000_000 and plan.n_chunks == 245
    last = evaluate_chunk(plan, plan.n_chunks - 1)
    assert last.n_points == 1_000_000 - 244 * 4096
    assert last.data["point_id"][-1] == 999_999


def test_every_catalog_technology_sweeps_through_its_own_fields():
    """Technology-agnostic: each preset's own first numeric field is swept, read from its sections()."""
    from microlink.catalog import list_parameter_sets

    for name in list_parameter_sets():
        params = get_parameter_set(name).parameters
        field = next(f"{sec}.{fname}" for sec, obj in params.sections().items() for fname, value, meta in obj.items()
                     if "bounds" in meta and isinstance(value, float) and meta["bounds"][0] < value)
        value = params.sections()[field.split(".")[0]].to_dict()[field.split(".")[1]]
        spec = spec_from_mapping({"preset": name, "parameters": {field: [value, value * 0.999],
                                                                 "reach": ["1 m", "2 m"]}})
        ds = run_sweep(spec).dataset()
        assert ds.energy_per_bit_pj.shape == (2, 2), name
        assert np.all(np.isfinite(ds.energy_per_bit_pj)) and ds.attrs["parameter_set"] == name
