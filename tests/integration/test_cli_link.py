"""Integration tests: the `microlink link` and `catalog` commands, exit codes, JSON keys, bad configs."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app

runner = CliRunner()

LINK_KEYS = {
    "technology", "aggregate_rate_bps", "lane_rate_bps", "lanes_active", "lanes_spare", "reach_m",
    "received_power_dbm", "q_factor", "ber", "target_ber", "margin_db", "max_reach_m", "energy_per_bit_pj",
    "energy_breakdown_pj", "power_per_end_w", "parameter_set",
}


def run(*args):
    return runner.invoke(app, list(args))


def test_link_json_has_the_contract_keys_and_breakdown_sums():
    res = run("link", "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert LINK_KEYS <= set(d)
    assert d["aggregate_rate_bps"] == 800e9 and d["reach_m"] == 10.0
    assert sum(d["energy_breakdown_pj"].values()) == pytest.approx(d["energy_per_bit_pj"], rel=1e-9)
    # no preset is required to reach a length: the verdict agrees with the BER and carries its penalties
    threshold = d.get("pre_fec_threshold") or d["target_ber"]
    assert (d["margin_db"] >= 0) == (d["ber"] <= threshold * (1 + 1e-6))
    assert d["feasible"] == (d["margin_db"] >= 0)
    assert {"crosstalk", "jitter", "lane_skew", "worst_lane", "temperature_corner", "large_signal",
            "end_of_life"} == set(d["penalties_db"])
    assert all(v >= 0 for v in d["penalties_db"].values())


def test_link_table_default():
    res = run("link")
    assert res.exit_code == 0
    for word in ("lanes active + spare", "received power", "BER", "max reach", "total", "power per end",
                 "Penalties (in the margin above)", "end of life", "worst lane"):
        assert word in res.output


def test_link_options_change_the_answer():
    d = json.loads(run("link", "--rate", "1.6 Tb/s", "--reach", "2 m", "--lane-rate", "2 Gb/s",
                       "--target-ber", "1e-15", "--format", "json").output)
    assert d["aggregate_rate_bps"] == 1.6e12 and d["reach_m"] == 2.0 and d["lane_rate_bps"] == 2e9
    assert d["lanes_active"] == 800 and d["target_ber"] == 1e-15
    d2 = json.loads(run("link", "--preset", "mosaic", "--set", "led.diameter=4 um", "--format", "json").output)
    assert d2["parameter_set"] == "mosaic+config"


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("link", "--reach", "3 kg"), "--reach"),
        (("link", "--reach", "-3 m"), "reach"),
        (("link", "--rate", "fast"), "--rate"),
        (("link", "--preset", "nope"), "preset"),
        (("link", "--set", "led.diamter=3um"), "led.diamter"),
        (("link", "--set", "led.diameter=3 mm"), "led.diameter"),
        (("link", "--set", "nodot=1"), "--set"),
        (("link", "--target-ber", "0.9"), "target_ber"),
        (("link", "--config", "/no/such/file.yaml"), "not found"),
        (("catalog", "nope"), "preset"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, fragment):
    res = run(*args)
    assert res.exit_code == 2, res.output
    assert fragment in res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("led:\n  diamter: 3 um\n", "led.diamter: unknown key"),
        ("led:\n  diameter: 3 kg\n", "led.diameter"),
        ("fiber:\n  numerical_aperture: 1.5\n", "fiber.numerical_aperture"),
        ("host:\n  kind: pcie\n", "host.kind"),
        ("reach: [1, 2]\n", "reach"),
        ("- just\n- a list\n", "mapping"),
        ("led: {diameter: 3 um\n", "cannot parse"),
    ],
)
def test_bad_config_files(tmp_path, text, fragment):
    path = tmp_path / "link.yaml"
    path.write_text(text)
    res = run("link", "--config", str(path))
    assert res.exit_code == 2, res.output
    assert fragment in res.output and "Traceback" not in res.output


def test_yaml_and_toml_configs(tmp_path):
    y = tmp_path / "l.yaml"
    y.write_text("preset: lightbundle\naggregate_rate: 400 Gb/s\nreach: 5 m\nled:\n  diameter: 4 um\n")
    t = tmp_path / "l.toml"
    t.write_text('preset = "lightbundle"\naggregate_rate = "400 Gb/s"\nreach = "5 m"\n[led]\ndiameter = "4 um"\n')
    a = json.loads(run("link", "--config", str(y), "--format", "json").output)
    b = json.loads(run("link", "--config", str(t), "--format", "json").output)
    assert a.pop("meta")["inputs"]["config"] == str(y) and b.pop("meta")["inputs"]["config"] == str(t)
    assert a == b and a["aggregate_rate_bps"] == 400e9 and a["reach_m"] == 5.0


def test_catalog_lists_and_traces_sources():
    res = run("catalog", "--format", "json")
    names = {s["name"] for s in json.loads(res.output)["rows"]}
    assert {"lightbundle", "mosaic"} <= names
    d = json.loads(run("catalog", "lightbundle", "--format", "json").output)
    fields = {p["field"]: p for p in d["parameters"]}
    assert fields["driver.bias_current"]["kind"] == "measured"
    assert all(p["source"] for p in d["parameters"])
    only = json.loads(run("catalog", "lightbundle", "--assumptions", "--format", "json").output)
    assert only["parameters"] and all(p["kind"] == "assumption" for p in only["parameters"])


def test_real_entry_point_version_help_and_exit_code():
    exe = [sys.executable, "-m", "microlink.cli.app"]
    out = subprocess.run(exe + ["--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("microlink ")
    bad = subprocess.run(exe + ["link", "--reach", "x"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
