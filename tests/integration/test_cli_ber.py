"""`microlink ber` and `microlink eye` end to end through the real command-line app."""

import json

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, list(args))


#: A micro-LED lane that closes: the lightbundle preset at 1 mA drive behind an NA-0.8 lens, 2 Gb/s over 3 m
#: (at its published 100 uA and NA 0.5 the preset closes no length, see README).
CLOSING = ("--set", "driver.bias_current=1 mA", "--set", "fiber.lens_numerical_aperture=0.8", "--lane-rate", "2 Gb/s",
           "--reach", "3 m")

KEYS = ("ber", "ber_ci_low", "ber_ci_high", "bits_simulated", "errors", "method", "seconds", "seed")


@pytest.mark.parametrize("method", ["closed-form", "statistical", "monte-carlo", "importance"])
def test_ber_json_for_every_method(method):
    result = invoke("ber", "--method", method, "--bits", "2e5", "--seed", "5", "--format", "json", *CLOSING)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for key in KEYS:
        assert key in doc
    assert doc["method"] == method and doc["preset"].startswith("lightbundle") and doc["reach_m"] == 3.0
    assert doc["meta"]["inputs"]["set"] == ["driver.bias_current=1 mA", "fiber.lens_numerical_aperture=0.8"]
    assert doc["ber_ci_low"] <= doc["ber"] <= doc["ber_ci_high"]
    if method in ("monte-carlo", "importance"):
        assert doc["seed"] == 5 and doc["bits_simulated"] > 0
    else:
        assert doc["seed"] is None and doc["bits_simulated"] == 0
    if method != "monte-carlo":  # 2e5 bits cannot see a BER near 1e-23
        assert 1e-30 < doc["ber"] < 1e-13


def test_ber_of_the_preset_as_published_is_a_closed_eye():
    doc = json.loads(invoke("ber", "--method", "closed-form", "--format", "json").stdout)
    assert doc["reach_m"] == 10.0 and doc["ber"] > 1e-3


def test_ber_same_seed_same_answer_and_fec():
    args = ("ber", "--method", "monte-carlo", "--reach", "10 m", "--modulation", "PAM4", "--bits", "1e5",
            "--errors", "50", "--seed", "9", "--fec", "kp4", "--format", "json")
    a = json.loads(invoke(*args).stdout)
    b = json.loads(invoke(*args).stdout)
    assert a["errors"] == b["errors"] > 0 and a["bits_simulated"] == b["bits_simulated"]
    assert a["modulation"] == "PAM4"
    assert a["fec"]["code"] == "kp4" and a["fec"]["ber"] <= a["ber"]
    assert a["fec"]["latency_s"] > 0 and a["fec"]["overhead"] == pytest.approx(30 / 514)


def test_ber_table_and_plot(tmp_path):
    out = tmp_path / "ber.png"
    result = invoke("ber", "--method", "importance", "--seed", "1", "--plot", str(out))
    assert result.exit_code == 0, result.output
    assert "importance" in result.output and "BER" in result.output
    assert out.stat().st_size > 10_000


def test_eye_json_and_plot(tmp_path):
    out = tmp_path / "eye.png"
    result = invoke("eye", "--format", "json", "--target-ber", "1e-12", "--symbols", "2000", "--seed", "3",
                    "--plot", str(out), *CLOSING)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert 0 < doc["eye_height_relative"][0] < 1 and 0 < doc["eye_width_ui"][0] < 1
    assert doc["ber_at_best_phase"] < 1e-12 and doc["seed"] == 3
    assert out.stat().st_size > 10_000


def test_eye_pam4_with_jitter_table():
    result = invoke("eye", "--modulation", "PAM4", "--rj", "0.01", "--dj", "0.05", "--target-ber", "1e-3")
    assert result.exit_code == 0, result.output
    assert "eye 2" in result.output


@pytest.mark.parametrize("args,word", [
    (("ber", "--method", "guess"), "--method"),
    (("ber", "--bits", "lots"), "--bits"),
    (("ber", "--preset", "nosuch"), "nosuch"),
    (("ber", "--reach", "ten metres"), "--reach"),
    (("ber", "--fec", "turbo"), "fec"),
    (("ber", "--plot", "x.bmp"), "--plot"),
    (("ber", "--mode", "fast"), "--mode"),
    (("eye", "--modulation", "PAM8"), "--modulation"),
    (("eye", "--target-ber", "2"), "--target-ber"),
])
def test_bad_input_exits_2_with_one_line(args, word):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and word in lines[0]
