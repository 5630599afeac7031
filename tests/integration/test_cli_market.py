"""`microlink market` end to end through the real command-line app."""

import json

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, ["market", *args])


def test_table():
    result = invoke("--samples", "200", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert "2030" in result.output and "848" in result.output
    assert "Calibrated: market_potential" in result.output and "Tornado" in result.output


def test_json_keys_and_seed():
    result = invoke("--format", "json", "--samples", "300", "--seed", "11")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for key in ("scenario", "years", "revenue_usd", "units", "asp_usd", "share_of_addressable",
                "p10_usd", "p50_usd", "p90_usd", "seed", "implied", "calibration"):
        assert key in doc
    assert doc["seed"] == 11 and doc["years"][0] == 2026 and doc["years"][-1] == 2035
    i = doc["years"].index(2030)
    assert doc["revenue_usd"][i] == pytest.approx(848e6, rel=0.02)
    assert doc["implied"]["units"] > 0


def test_same_seed_same_bands():
    a = json.loads(invoke("--format", "json", "--samples", "300", "--seed", "5").stdout)
    b = json.loads(invoke("--format", "json", "--samples", "300", "--seed", "5").stdout)
    assert a["p10_usd"] == b["p10_usd"] and a["p90_usd"] == b["p90_usd"]


def test_overrides_with_units():
    doc = json.loads(invoke("--format", "json", "--samples", "0", "--set", "asp_initial=450 USD",
                            "--set", "asp_decline=25 %/yr").stdout)
    assert doc["overrides"] == {"asp_initial": "450 USD", "asp_decline": "25 %/yr"}
    assert doc["assumptions"]["asp_initial"]["value"] == 450.0
    assert doc["p50_usd"] is None


@pytest.mark.parametrize("args, needle", [
    (["--set", "bogus=1"], "market.bogus"),
    (["--set", "asp_initial=-5"], "market.asp_initial"),
    (["--set", "market_potential=1.5"], "0 .. 100 %"),
    (["--set", "asp_initial=5 m"], "a price"),
    (["--set", "novalue"], "NAME=VALUE"),
    (["--scenario", "nope"], "scenario"),
    (["--samples", "-1"], "samples"),
])
def test_bad_input_exits_2_with_one_line(args, needle):
    result = invoke(*args)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "error:" in lines[0] and needle in lines[0]
    assert "Traceback" not in result.output


def test_plot(tmp_path):
    path = tmp_path / "market.png"
    result = invoke("--samples", "100", "--seed", "2", "--plot", str(path))
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 10_000


def test_list():
    result = invoke("--list")
    assert result.exit_code == 0 and "bear" in result.output and "aec" in result.output
