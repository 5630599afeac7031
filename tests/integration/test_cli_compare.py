"""`microlink compare` end to end through the real command-line app."""

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app
from microlink.link.technologies import DEFAULT_COMPARE_SETS

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, ["compare", *args])


@pytest.fixture(scope="module")
def default_doc():
    result = invoke("--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def default_json(default_doc):
    return default_doc["rows"], None


def test_json_meta_records_version_inputs_and_boundary(default_doc):
    import microlink

    meta = default_doc["meta"]
    assert meta["microlink_version"] == microlink.__version__
    assert meta["inputs"]["reach_m"] == [0.5, 1.0, 2.0, 5.0, 10.0, 30.0]
    assert meta["inputs"]["tech"] == list(DEFAULT_COMPARE_SETS)
    assert meta["inputs"]["attach"] == "native"
    assert "both ends" in meta["boundary"]
    for row in default_doc["rows"]:
        assert row["attach"] and row["boundary"]


def test_default_json_covers_every_technology_and_reach(default_json):
    rows, _ = default_json
    assert len(rows) == len(DEFAULT_COMPARE_SETS) * 6
    assert {r["parameter_set"] for r in rows} == set(DEFAULT_COMPARE_SETS)
    assert sorted({r["reach_m"] for r in rows}) == [0.5, 1.0, 2.0, 5.0, 10.0, 30.0]
    for r in rows:
        for key in ("feasible", "infeasible_reason", "ber_post_fec", "latency_ns", "cost_usd", "fit",
                    "energy_per_bit_pj", "power_per_end_w", "max_reach_m", "technology", "fec"):
            assert key in r
        assert isinstance(r["feasible"], bool)
        assert (r["infeasible_reason"] == "") == r["feasible"]


def test_default_json_physics_verdicts(default_json):
    rows, _ = default_json
    at = {(r["parameter_set"], r["reach_m"]): r for r in rows}
    assert at[("dac-200g", 1.0)]["feasible"] and not at[("dac-200g", 2.0)]["feasible"]
    for reach in (0.5, 1.0, 2.0, 5.0, 10.0, 30.0):  # micro-LED: the verdict agrees with the solved reach
        row = at[("lightbundle", reach)]
        assert row["feasible"] == (row["max_reach_m"] is not None and reach <= row["max_reach_m"] * (1 + 1e-6))
    assert at[("siph-cpo", 30.0)]["feasible"]
    assert at[("lightbundle", 1.0)]["energy_per_bit_pj"] < at[("siph-cpo", 1.0)]["energy_per_bit_pj"]


def test_table_and_plot(tmp_path):
    out = tmp_path / "compare.png"
    result = invoke("--tech", "dac-200g", "--tech", "lightbundle", "--reach", "0.5,1,3 m", "--plot", str(out))
    assert result.exit_code == 0, result.output
    assert "dac-200g" in result.output and "lightbundle" in result.output
    assert "where it goes" in result.output
    assert out.exists() and out.stat().st_size > 10_000


def test_options_rate_reach_units_and_target():
    result = invoke("--format", "json", "--tech", "aec-100g", "--rate", "800 Gb/s", "--reach", "50 cm",
                    "--reach", "4", "--target-ber", "1e-15")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert [r["reach_m"] for r in rows] == [0.5, 4.0]
    assert rows[0]["aggregate_rate_bps"] == 800e9 and rows[0]["target_ber"] == 1e-15
    assert rows[0]["pre_fec_threshold"] == pytest.approx(2.26e-4, rel=0.02)


@pytest.mark.parametrize("args, field", [
    (("--tech", "warp-drive"), "--tech"),
    (("--reach", "1 furlong-per-second"), "--reach"),
    (("--rate", "fast"), "--rate"),
    (("--target-ber", "2"), "--target-ber"),
    (("--attach", "usb"), "--attach"),
    (("--reach", "-1 m"), "--reach"),
])
def test_bad_input_exits_2_naming_the_option(args, field):
    result = invoke(*args)
    assert result.exit_code == 2
    assert field in result.output


def _run_cli(*args, columns=120):
    env = {**os.environ, "COLUMNS": str(columns)}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "microlink.cli.app", "compare", *args], env=env,
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def piped_default():
    proc = _run_cli()
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_answer_first_and_fits_the_terminal(piped_default):
    lines = piped_default.splitlines()
    assert max(len(line) for line in lines) <= 120
    titles = [i for i, line in enumerate(lines) if line.startswith(("Lowest-energy", "Each technology"))]
    assert len(titles) == 2 and titles[0] <= 1 < titles[1]  # the summary is the first table
    assert lines[titles[0]].startswith("Lowest-energy")
    assert "Every technology at every reach" not in [line.strip() for line in lines]  # waits for --detail
    assert "--detail" in piped_default


def test_piped_output_is_plain_columns(piped_default):
    assert not any(ch in piped_default for ch in "┏┃│━─")
    assert "\x1b[" not in piped_default


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_every_width_is_respected(columns):
    proc = _run_cli("--tech", "lightbundle", "--tech", "aec-200g", "--reach", "1,3 m", "--detail", columns=columns)
    assert proc.returncode == 0, proc.stderr
    assert max(len(line) for line in proc.stdout.splitlines()) <= columns
    assert "Every technology at every reach" in [line.strip() for line in proc.stdout.splitlines()]


def test_tech_accepts_commas_and_repeats():
    a = json.loads(invoke("-f", "json", "-t", "dac-200g,lightbundle", "--reach", "1").stdout)["rows"]
    b = json.loads(invoke("-f", "json", "-t", "dac-200g", "-t", "lightbundle", "--reach", "1").stdout)["rows"]
    assert [r["parameter_set"] for r in a] == [r["parameter_set"] for r in b] == ["dac-200g", "lightbundle"]


def test_csv_carries_meta_and_one_row_per_point():
    import io

    import pandas as pd

    result = invoke("-f", "csv", "-t", "dac-200g", "--reach", "0.5,1 m")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# microlink_version:")
    frame = pd.read_csv(io.StringIO(result.stdout), comment="#")
    assert list(frame["reach_m"]) == [0.5, 1.0]
    assert "energy_per_bit_pj" in frame and "boundary" in frame


def test_an_impossible_attach_is_reported_not_dropped():
    from microlink.comparison import attach_supported

    if not attach_supported():
        pytest.skip("the link chain models no host attach")
    doc = json.loads(invoke("-f", "json", "-t", "siph-cpo,dac-200g", "--reach", "1", "--attach", "vsr").stdout)
    rows = {r["parameter_set"]: r for r in doc["rows"]}
    assert rows["siph-cpo"]["attach"] == "vsr" and rows["siph-cpo"]["feasible"]
    assert not rows["dac-200g"]["feasible"] and "vsr" in rows["dac-200g"]["infeasible_reason"]
    table = _run_cli("-t", "siph-cpo,dac-200g", "--reach", "1", "--attach", "vsr")
    assert "not possible" in table.stdout


def test_default_table_shows_co_packaged_links_at_a_common_attach(piped_default):
    from microlink.cli.compare import COMMON_ATTACH
    from microlink.comparison import attach_supported

    if not attach_supported():
        pytest.skip("the link chain models no host attach")
    assert f"at {COMMON_ATTACH}" in piped_default
