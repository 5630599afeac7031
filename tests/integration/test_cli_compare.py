"""`microlink compare` end to end through the real command-line app."""

import json
import time

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app
from microlink.link.technologies import DEFAULT_COMPARE_SETS

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, ["compare", *args])


@pytest.fixture(scope="module")
def default_json():
    t0 = time.perf_counter()
    result = invoke("--format", "json")
    elapsed = time.perf_counter() - t0
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), elapsed


def test_default_json_covers_every_technology_and_reach(default_json):
    rows, elapsed = default_json
    assert len(rows) == len(DEFAULT_COMPARE_SETS) * 6
    assert {r["parameter_set"] for r in rows} == set(DEFAULT_COMPARE_SETS)
    assert sorted({r["reach_m"] for r in rows}) == [0.5, 1.0, 2.0, 5.0, 10.0, 30.0]
    for r in rows:
        for key in ("feasible", "infeasible_reason", "ber_post_fec", "latency_ns", "cost_usd", "fit",
                    "energy_per_bit_pj", "power_per_end_w", "max_reach_m", "technology", "fec"):
            assert key in r
        assert isinstance(r["feasible"], bool)
        assert (r["infeasible_reason"] == "") == r["feasible"]
    assert elapsed < 20.0  # the README's main job: a few seconds on a laptop


def test_default_json_physics_verdicts(default_json):
    rows, _ = default_json
    at = {(r["parameter_set"], r["reach_m"]): r for r in rows}
    assert at[("dac-200g", 1.0)]["feasible"] and not at[("dac-200g", 2.0)]["feasible"]
    assert at[("lightbundle", 10.0)]["feasible"] and not at[("lightbundle", 30.0)]["feasible"]
    assert at[("siph-cpo", 30.0)]["feasible"]
    assert at[("lightbundle", 1.0)]["energy_per_bit_pj"] < at[("siph-cpo", 1.0)]["energy_per_bit_pj"]


def test_table_and_plot(tmp_path):
    out = tmp_path / "compare.png"
    result = invoke("--tech", "dac-200g", "--tech", "lightbundle", "--reach", "0.5,1,3 m", "--plot", str(out))
    assert result.exit_code == 0, result.output
    assert "dac-200g" in result.output and "lightbundle" in result.output
    assert "Where the energy goes" in result.output
    assert out.exists() and out.stat().st_size > 10_000


def test_options_rate_reach_units_and_target():
    result = invoke("--format", "json", "--tech", "aec-100g", "--rate", "800 Gb/s", "--reach", "50 cm",
                    "--reach", "4", "--target-ber", "1e-15")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["reach_m"] for r in rows] == [0.5, 4.0]
    assert rows[0]["aggregate_rate_bps"] == 800e9 and rows[0]["target_ber"] == 1e-15
    assert rows[0]["pre_fec_threshold"] == pytest.approx(2.26e-4, rel=0.02)


@pytest.mark.parametrize("args, field", [
    (("--tech", "warp-drive"), "--tech"),
    (("--reach", "1 furlong-per-second"), "--reach"),
    (("--rate", "fast"), "--rate"),
    (("--target-ber", "2"), "--target-ber"),
])
def test_bad_input_exits_2_naming_the_option(args, field):
    result = invoke(*args)
    assert result.exit_code == 2
    assert field in result.output
