"""`microlink rack` and `microlink cluster` end to end through the real command-line app."""

import json

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app
from microlink.rack.links import catalog_sets
from microlink.rack.testing import stub_catalog

runner = CliRunner()

REQUIRED = ("system", "technology", "interconnect_power_w", "interconnect_share", "link_ends", "lanes", "cables",
            "cost_usd", "failures_per_day", "energy_per_step_j")


def invoke(*args):
    return runner.invoke(app, list(args))


def test_rack_table_with_every_catalog_technology(tmp_path):
    plot = tmp_path / "nvl72.png"
    result = invoke("rack", "--system", "nvl72", "--tech", "all", "--plot", str(plot))
    assert result.exit_code == 0, result.output
    for name in catalog_sets():
        assert name in result.output
    for needle in ("Power and cost", "Reliability", "Counts", "2,592", "cheapest mix", "518.4 Tb/s"):
        assert needle in result.output
    assert plot.exists() and plot.stat().st_size > 5000


def test_rack_json_keys():
    result = invoke("rack", "--system", "nvl72", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["system"] == "gb200-nvl72" and doc["gpus"] == 72
    assert len(doc["results"]) == len(catalog_sets()) + 1
    for row in doc["results"]:
        for key in REQUIRED:
            assert key in row
        assert row["link_ends"] == 2592 and row["energy_per_step_j"] is None


def test_rack_deltas_against_copper_stand_in():
    with stub_catalog(only=True):
        result = invoke("rack", "--system", "nvl72", "--baseline", "copper", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    rows = {r["technology"]: r for r in doc["results"]}
    assert doc["baseline"]["cables"] == 5184
    assert rows["stub-copper"]["delta_power_w"] == 0
    assert rows["stub-microled"]["delta_power_w"] < 0 < rows["stub-pluggable"]["delta_power_w"]
    assert rows["stub-pluggable"]["delta_failures_per_day"] > 0


def test_rack_nvl576_answers_what_a_576_domain_needs():
    with stub_catalog(only=True):
        result = invoke("rack", "--system", "nvl576", "--baseline", "copper", "--detail")
    assert result.exit_code == 0, result.output
    assert "baseline (copper) cannot carry: tier2 (a cable beyond its reach" in result.output
    assert "tier2" in result.output and "Per link class" in result.output


def test_rack_with_workload_json():
    result = invoke("rack", "--system", "nvl576", "--workload", "llama3-405b", "--tech", "lightbundle",
                    "--policy", "none", "--format", "json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["results"][0]
    assert row["energy_per_step_j"] > 0 and row["workload"]["job_gpus"] == 512


def test_cluster_100k_with_workload():
    result = invoke("cluster", "--gpus", "100000", "--workload", "llama3-405b", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["gpus"] == 100_000 and doc["kind"] == "cluster"
    for row in doc["results"]:
        for key in REQUIRED:
            assert key in row
        assert row["energy_per_step_j"] > 0
        assert row["link_ends"] == 2 * (1_800_000 + 300_000)
    table = invoke("cluster", "--gpus", "100000", "--workload", "deepseek-v3", "--tech", "microled")
    assert table.exit_code == 0, table.output
    assert "Energy per training step" in table.output and "EP64" in table.output


def test_list_presets():
    result = invoke("rack", "--list")
    assert result.exit_code == 0 and "gb200-nvl72" in result.output and "llama3-405b" in result.output


@pytest.mark.parametrize("args, needle", [
    (["rack", "--system", "nvl9000"], "system: got 'nvl9000'"),
    (["rack", "--tech", "warp-drive"], "--tech: got 'warp-drive'"),
    (["rack", "--policy", "greedy"], "--policy"),
    (["rack", "--baseline", "pigeon"], "--baseline"),
    (["rack", "--assign", "tier9=lightbundle"], "--assign"),
    (["rack", "--workload", "gpt9"], "workload: got 'gpt9'"),
    (["rack", "--workload", "llama3-405b"], "workload llama3-405b"),
    (["rack", "--plot", "out.txt"], "--plot"),
    (["rack", "--gpu-power", "3 m", "--workload", "llama3", "--system", "nvl576"], "--gpu-power"),
    (["rack", "--bins", "0"], "--bins"),
    (["rack", "--gpus", "100"], "No such option"),
    (["cluster", "--gpus", "10"], "gpus"),
    (["cluster", "--system", "nvl72"], "allowed: gb200-fat-tree, gb200-rail"),
])
def test_bad_input_exits_2_with_one_line(args, needle):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    text = result.output.strip()
    assert needle in text
    if "No such option" not in text:
        assert len(text.splitlines()) == 1


def test_user_topology_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nkind: rack\ntitle: t\nsource: s\ngpus: 8\nbogus: 1\n")
    result = invoke("rack", "--system", str(path))
    assert result.exit_code == 2 and "bogus: unknown key" in result.output


def test_cluster_uncertainty_bands_and_seed():
    result = invoke("cluster", "--gpus", "8192", "--tech", "siph-cpo", "--uncertainty", "3", "--seed", "7",
                    "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["meta"]["seed"] == 7 and doc["meta"]["inputs"]["uncertainty"] == 3
    band = doc["uncertainty"]
    assert band["samples"] == 3 and band["seed"] == 7
    row = {r["technology"]: r for r in band["rows"]}["siph-cpo"]
    assert row["delta_power_w_p10"] <= row["delta_power_w_p50"] <= row["delta_power_w_p90"]
    assert 0.0 <= row["p_beats_baseline"] <= 1.0
