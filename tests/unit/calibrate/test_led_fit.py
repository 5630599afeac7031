"""`microlink calibrate led`: synthetic curves from known LED parameters plus seeded noise are fitted back
within the reported confidence intervals, and the written link file reproduces the curves."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from microlink.calibrate.led import (
    fit_led,
    read_led_data,
    synthetic_led_data,
    write_led_csv,
    write_led_file,
)
from microlink.catalog import get_parameter_set
from microlink.cli.app import app
from microlink.errors import ConfigError

runner = CliRunner()
CURRENTS = np.geomspace(5e-6, 2e-3, 15)  # [A]
NOISE = 0.02  # relative, like a careful small-signal and L-I measurement
TRUE = dict(srh_coefficient=3e7, radiative_coefficient=1.5e-17, auger_coefficient=2e-42,
            light_extraction_efficiency=0.2, surface_recombination_velocity=5.51)


@pytest.fixture(scope="module")
def base():
    return get_parameter_set("lightbundle").parameters.led


@pytest.fixture(scope="module")
def truth(base):
    return base.replace(**TRUE)


def assert_recovered(result, truth):
    for name, value, low, high, bound in zip(result.names, result.values, result.low, result.high, result.at_bound):
        true = getattr(truth, name)
        assert not bound, name
        assert low <= true <= high, f"{name}: true {true:.4g} outside [{low:.4g}, {high:.4g}] (fit {value:.4g})"
        assert high / low < 10.0, f"{name}: interval wider than a decade"


@pytest.mark.parametrize("seed", [1, 2])
def test_one_size_recovers_abc_and_extraction_within_their_intervals(base, truth, seed):
    data = synthetic_led_data(truth, CURRENTS, noise=NOISE, seed=seed)
    result = fit_led(data, base)
    assert result.names == ("srh_coefficient", "radiative_coefficient", "auger_coefficient",
                            "light_extraction_efficiency")
    assert_recovered(result, truth)
    assert all(v < 2.5 * NOISE for v in result.rms_relative.values())


def test_two_sizes_separate_the_sidewall_velocity(base, truth):
    data = synthetic_led_data(truth, CURRENTS, diameters=[3e-6, 6e-6], noise=NOISE, seed=3)
    result = fit_led(data, base)
    assert "surface_recombination_velocity" in result.names
    assert_recovered(result, truth)


def test_device_response_with_its_drive_network(base, truth):
    data = synthetic_led_data(truth, CURRENTS, noise=NOISE, seed=4, response="device", source_resistance=50.0)
    result = fit_led(data, base, response="device", source_resistance=50.0)
    assert_recovered(result, truth)
    # reading the same device bandwidth as carrier-limited would credit the RC poles to the carriers
    wrong = fit_led(data, base, response="carrier")
    assert wrong.rms_relative["bandwidth"] >= result.rms_relative["bandwidth"]


def test_written_file_reproduces_the_curve_and_cites_the_data(tmp_path, base, truth):
    data = synthetic_led_data(truth, CURRENTS, noise=NOISE, seed=5)
    csv = write_led_csv(data, tmp_path / "my_led.csv")
    result = fit_led(read_led_data(csv, diameter=base.diameter, temperature=base.temperature), base)
    path = write_led_file(result, tmp_path / "my_led_fit.yaml", preset="lightbundle")
    ps = get_parameter_set(str(path))
    led = ps.parameters.led
    for name in result.names:
        assert ps.sources[f"led.{name}"].kind == "measured"
        assert ps.sources[f"led.{name}"].citation == "my_led.csv"
    true_bw, fit_bw = truth.carrier_bandwidth(CURRENTS), led.carrier_bandwidth(CURRENTS)
    true_eqe, fit_eqe = truth.external_quantum_efficiency(CURRENTS), led.external_quantum_efficiency(CURRENTS)
    np.testing.assert_allclose(fit_bw, true_bw, rtol=0.03)
    np.testing.assert_allclose(fit_eqe, true_eqe, rtol=0.03)


def test_cli_calibrate_led_writes_a_file_every_command_takes(tmp_path, truth, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_led_csv(synthetic_led_data(truth, CURRENTS, noise=NOISE, seed=6), tmp_path / "lab.csv")
    result = runner.invoke(app, ["calibrate", "led", "lab.csv", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["file"] == "lab_fit.yaml" and doc["points"] == 2 * CURRENTS.size
    for row in doc["fit"]:
        true = TRUE[row["field"].split(".")[1]]
        assert row["low"] <= true <= row["high"]
    result = runner.invoke(app, ["link", "--preset", "lab_fit.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["parameter_set"] == "lab_fit"


@pytest.mark.parametrize("text, needle", [
    ("current [uA],voltage [V]\n1,2\n", "column 'voltage [V]'"),
    ("current [uA],eqe\n1,0.1\n2,abc\n", "line 3"),
    ("current [uA],eqe\n1,-0.1\n", "positive"),
    ("current,eqe\n1,0.1\n", "needs a unit"),
    ("current [uA],eqe\n1,0.1\n2,0.1\n", "more values than fields"),
])
def test_bad_data_is_one_line_exit_2(tmp_path, text, needle):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    result = runner.invoke(app, ["calibrate", "led", str(path)])
    assert result.exit_code == 2, result.output
    assert needle in result.output and "Traceback" not in result.output
    if needle != "more values than fields":
        with pytest.raises(ConfigError):
            read_led_data(path, diameter=3e-6, temperature=300.0)
