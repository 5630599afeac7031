"""Config files and sweep specs from hypothesis: exit 0 or 2, and the values given are the values used."""

from __future__ import annotations

import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz_support import quantities, run_cli

values = st.one_of(quantities("m"), st.floats(), st.integers(-10, 10**6), st.booleans(), st.none(),
                   st.lists(st.integers(), max_size=3), st.text(max_size=10))
link_docs = st.fixed_dictionaries({}, optional={
    "preset": st.sampled_from(["lightbundle", "mosaic", "nonesuch"]),
    "reach": values, "aggregate_rate": st.one_of(quantities("b/s"), values), "target_ber": values,
    "led": st.dictionaries(st.sampled_from(["diameter", "temperature", "diamter"]), values, max_size=2),
    "fiber": st.dictionaries(st.sampled_from(["excess_loss_db_per_m", "connector_loss_db"]), values, max_size=2),
})


@given(link_docs)
def test_link_config_files(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("cfg") / "link.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    run_cli("link", "--config", path, "--format", "json", allowed=(0, 2))


@settings(max_examples=40)
@given(st.binary(max_size=200), st.sampled_from(["link", "sweep", "rack", "cluster"]))
def test_unreadable_files(tmp_path_factory, data, command):
    path = tmp_path_factory.mktemp("bin") / "file.yaml"
    path.write_bytes(data)
    args = {"link": ["link", "--config", path], "sweep": ["sweep", path, "--store", path.with_suffix(".duckdb")],
            "rack": ["rack", "--system", path], "cluster": ["cluster", "--system", path]}[command]
    code, *_ = run_cli(*args)
    assert code in (0, 2)


@settings(max_examples=15)
@given(num=st.sampled_from([1, 2, 3, 10**6, 10**8, 0, -1]), chunk=st.sampled_from([1, 7, 4096, 0, 2**40]),
       diameter=st.sampled_from(["2 um", "4 um", "0 um", "1e9 um", "2 kg", "(1/0) um"]))
def test_sweep_specs(tmp_path_factory, num, chunk, diameter):
    tmp = tmp_path_factory.mktemp("sweep")
    spec = {"name": "fuzz", "preset": "lightbundle", "chunk_size": chunk, "seed": 1,
            "fixed": {"aggregate_rate": "800 Gb/s"},
            "parameters": {"led.diameter": [diameter], "reach": {"min": "1 m", "max": "10 m", "num": num}}}
    path = tmp / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    code, out, _, doc = run_cli("sweep", path, "--store", tmp / "s.duckdb", "--no-progress", "--format", "json")
    if code == 0:
        assert doc["n_points"] == num and doc["points_done"] == num
        json.dumps(doc)
