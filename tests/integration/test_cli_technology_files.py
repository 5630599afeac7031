"""A user's link file by path in `compare`, `rack` and `link`, end to end through the command-line app."""

import json

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app

runner = CliRunner()

SAME_AS_LIGHTBUNDLE = "preset: lightbundle\n"
HOTTER = "preset: lightbundle\nled:\n  temperature: 105 degC\n"


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain_led.yaml").write_text(SAME_AS_LIGHTBUNDLE)
    (tmp_path / "my_led_link.yaml").write_text(HOTTER)
    return tmp_path


def test_compare_takes_a_link_file_beside_a_catalog_name(files):
    result = runner.invoke(app, ["compare", "--tech", "lightbundle", "--tech", "./plain_led.yaml", "--tech",
                                 "./my_led_link.yaml", "--reach", "1,5 m", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    by = {(r["parameter_set"], r["reach_m"]): r for r in rows}
    assert {r["parameter_set"] for r in rows} == {"lightbundle", "plain_led", "my_led_link"}  # file stems
    for reach in (1.0, 5.0):
        a, b = by[("lightbundle", reach)], by[("plain_led", reach)]
        assert a["energy_per_bit_pj"] == pytest.approx(b["energy_per_bit_pj"], rel=1e-12)
        assert a["ber"] == pytest.approx(b["ber"], rel=1e-9)
        # a hotter LED is dimmer: its BER is no better than the reference one
        assert by[("my_led_link", reach)]["ber"] >= a["ber"]


def test_rack_takes_a_link_file(files):
    result = runner.invoke(app, ["rack", "--system", "nvl72", "--tech", "lightbundle,./plain_led.yaml",
                                 "--policy", "none", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["technology"]: r for r in json.loads(result.stdout)["results"]}
    mine = next(r for name, r in rows.items() if "plain_led" in name)
    ref = rows[next(name for name in rows if name.startswith("lightbundle"))]
    assert mine["link_ends"] == ref["link_ends"] == 2592
    assert mine["interconnect_power_w"] == pytest.approx(ref["interconnect_power_w"], rel=1e-12)


def test_rack_with_only_the_file_as_in_the_readme(files):
    result = runner.invoke(app, ["rack", "--system", "nvl72", "--tech", "./my_led_link.yaml"])
    assert result.exit_code == 0, result.output
    assert "my_led_link" in result.output


def test_link_preset_by_path_uses_the_files_request(files):
    (files / "short.yaml").write_text("preset: lightbundle\nreach: 2 m\naggregate_rate: 400 Gb/s\n")
    result = runner.invoke(app, ["link", "--preset", "./short.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["parameter_set"] == "short"
    assert doc["reach_m"] == pytest.approx(2.0) and doc["aggregate_rate_bps"] == pytest.approx(400e9)


@pytest.mark.parametrize("command", [["compare", "--tech"], ["rack", "--system", "nvl72", "--tech"],
                                     ["link", "--preset"]])
def test_missing_or_bad_file_is_one_line_exit_2(files, command):
    result = runner.invoke(app, [*command, "./absent.yaml"])
    assert result.exit_code == 2, result.output
    assert "absent.yaml" in result.output and "Traceback" not in result.output
    (files / "bad.yaml").write_text("preset: lightbundle\nled:\n  diameter: 4 parsec/s\n")
    result = runner.invoke(app, [*command, "./bad.yaml"])
    assert result.exit_code == 2, result.output
    assert "led.diameter" in result.output and "Traceback" not in result.output
