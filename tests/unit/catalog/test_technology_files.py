"""Link files usable wherever a catalog name is: read through the config format into a named parameter set."""

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import microlink as ml
from microlink.catalog import get_parameter_set, is_file_reference, list_parameter_sets
from microlink.errors import ConfigError, ParameterError

LED_FILE = """\
preset: lightbundle
aggregate_rate: 400 Gb/s
reach: 3 m
led:
  diameter: 4 um
  temperature: 85 degC
sources:
  led.diameter: {citation: "die map of wafer 12", kind: measured, note: "SEM, centre die"}
"""


def assert_same_section(a, b):
    import dataclasses

    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, (int, float)) and not isinstance(x, bool):
            assert x == pytest.approx(y, rel=1e-12, abs=0.0), f.name
        else:
            assert x == y, f.name


@pytest.fixture
def led_file(tmp_path):
    path = tmp_path / "my_led.yaml"
    path.write_text(LED_FILE)
    return path


def test_file_set_is_the_preset_with_the_overrides(led_file):
    ps = get_parameter_set(str(led_file))
    base = get_parameter_set("lightbundle")
    expected = base.parameters.replace(led={"diameter": 4e-6, "temperature": 358.15})
    assert ps.name == "my_led"
    assert_same_section(ps.parameters.led, expected.led)
    assert ps.parameters.fiber == base.parameters.fiber
    assert ps.defaults["aggregate_rate"] == 400e9 and ps.defaults["reach"] == 3.0
    assert ps.defaults["target_ber"] == base.defaults["target_ber"]


def test_sources_declared_or_recorded_as_assumptions_of_the_file(led_file):
    ps = get_parameter_set(str(led_file))
    assert ps.sources["led.diameter"].kind == "measured"
    assert ps.sources["led.diameter"].citation == "die map of wafer 12"
    temp = ps.sources["led.temperature"]
    assert temp.kind == "assumption" and "my_led.yaml" in temp.citation
    assert "led.temperature" in ps.assumptions()


def test_ranges_of_values_the_file_moved_are_dropped(tmp_path):
    base = get_parameter_set("lightbundle")
    key = next(k for k in base.ranges if k.startswith("led."))
    spread = base.ranges[key]
    sec, fname = key.split(".")
    outside = spread.high * 1.5 if spread.high > 0 else spread.low * 0.5
    info = type(getattr(base.parameters, sec)).field_info()[fname]
    low, high = info["bounds"]
    if not low <= outside <= high:
        pytest.skip(f"{key}: no value outside its range within the field bounds")
    path = tmp_path / "moved.yaml"
    path.write_text(f"preset: lightbundle\n{sec}:\n  {fname}: {outside!r}\n")
    ps = get_parameter_set(str(path))
    assert key not in ps.ranges
    assert set(ps.ranges) == set(base.ranges) - {key}


def test_toml_file_gives_the_same_set(tmp_path, led_file):
    toml = tmp_path / "my_led.toml"
    toml.write_text('preset = "lightbundle"\naggregate_rate = "400 Gb/s"\nreach = "3 m"\n'
                    '[led]\ndiameter = "4 um"\ntemperature = "85 degC"\n')
    a, b = get_parameter_set(str(toml)), get_parameter_set(str(led_file))
    assert_same_section(a.parameters.led, b.parameters.led)
    assert a.defaults == b.defaults


def test_preset_may_be_a_file_relative_to_the_file(tmp_path, led_file):
    sub = tmp_path / "variants"
    sub.mkdir()
    (sub / "hot.yaml").write_text("preset: ../my_led.yaml\nreach: 2 m\nlane_rate: 2 Gb/s\nled:\n  temperature: 100 degC\n")
    ps = get_parameter_set(str(sub / "hot.yaml"))
    assert ps.name == "hot"
    assert ps.parameters.led.diameter == pytest.approx(4e-6)
    assert ps.parameters.led.temperature == pytest.approx(373.15)
    assert ps.parameters.lanes.lane_rate == pytest.approx(2e9)
    assert ps.defaults["reach"] == 2.0 and ps.defaults["aggregate_rate"] == 400e9
    assert ps.sources["led.diameter"].kind == "measured"  # carried from the file it starts from


def test_a_file_that_starts_from_itself_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text("preset: b.yaml\n")
    (tmp_path / "b.yaml").write_text("preset: a.yaml\n")
    with pytest.raises(ConfigError, match="starts from itself"):
        get_parameter_set(str(tmp_path / "a.yaml"))


def test_missing_file_and_bad_field_are_one_line_errors(tmp_path):
    with pytest.raises(ParameterError, match="existing .yaml"):
        get_parameter_set(str(tmp_path / "absent.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("preset: lightbundle\nled:\n  diameterr: 4 um\n")
    with pytest.raises(ConfigError, match="led.diameterr"):
        get_parameter_set(str(bad))
    bad.write_text("preset: lightbundle\nsources:\n  led.diameter: {citation: x, kind: measured}\n")
    with pytest.raises(ConfigError, match="only fields the file sets"):
        get_parameter_set(str(bad))
    bad.write_text("preset: lightbundle\nled:\n  diameter: 4 um\nsources:\n  led.diameter: {citation: x, kind: rumour}\n")
    with pytest.raises(ConfigError, match="kind"):
        get_parameter_set(str(bad))


def test_an_edited_file_is_read_again(tmp_path):
    path = tmp_path / "edit.yaml"
    path.write_text("preset: lightbundle\nled:\n  diameter: 4 um\n")
    assert get_parameter_set(str(path)).parameters.led.diameter == pytest.approx(4e-6)
    path.write_text("preset: lightbundle\nled:\n  diameter: 5.5 um\n")
    st_ = path.stat()
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns + 10**9))
    assert get_parameter_set(str(path)).parameters.led.diameter == pytest.approx(5.5e-6)


def test_evaluate_link_by_path_equals_the_replaced_parameters(led_file, monkeypatch):
    monkeypatch.chdir(led_file.parent)
    by_path = ml.evaluate_link("./my_led.yaml", reach=np.array([1.0, 3.0]), solve_reach=False)
    params = get_parameter_set("lightbundle").parameters.replace(led={"diameter": 4e-6, "temperature": 358.15})
    direct = ml.evaluate_link(params, aggregate_rate=400e9, reach=np.array([1.0, 3.0]), solve_reach=False)
    assert by_path.parameter_set == "my_led"
    np.testing.assert_allclose(by_path.energy_per_bit, direct.energy_per_bit)
    np.testing.assert_allclose(by_path.ber, direct.ber)


def test_catalog_names_are_not_file_references():
    for name in list_parameter_sets():
        assert not is_file_reference(name)


@given(st.text(min_size=1, max_size=20).filter(lambda s: "/" not in s and os.sep not in s),
       st.sampled_from([".yaml", ".yml", ".toml", ".YAML"]))
def test_names_with_a_file_suffix_or_separator_are_file_references(stem, suffix):
    assert is_file_reference(stem + suffix)
    assert is_file_reference("dir/" + stem)


def test_sweep_spec_takes_a_link_file_as_its_preset(led_file, monkeypatch):
    from microlink.sweep import run_sweep, spec_from_mapping

    monkeypatch.chdir(led_file.parent)
    spec = spec_from_mapping({"preset": "./my_led.yaml", "seed": 1, "chunk_size": 8,
                              "fixed": {"aggregate_rate": "400 Gb/s"},
                              "parameters": {"reach": {"min": 1, "max": 3, "num": 2, "unit": "m"}}})
    ds = run_sweep(spec).dataset()
    params = get_parameter_set("lightbundle").parameters.replace(led={"diameter": 4e-6, "temperature": 358.15})
    direct = ml.evaluate_link(params, aggregate_rate=400e9, reach=np.array([1.0, 3.0]), solve_reach=False)
    np.testing.assert_allclose(ds.energy_per_bit_pj.values, np.asarray(direct.energy_per_bit_pj), rtol=1e-9)
