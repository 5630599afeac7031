"""Sweep specs: units as strings, grid/list/LHS axes, and one clear ConfigError per mistake."""

from pathlib import Path

import numpy as np
import pytest

from microlink.errors import ConfigError, MicrolinkError
from microlink.sweep.spec import load_spec, parse_objectives, spec_from_mapping, spec_from_text

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def base(**changes):
    spec = {
        "preset": "lightbundle",
        "fixed": {"aggregate_rate": "800 Gb/s"},
        "parameters": {"led.diameter": ["2 um", "3 um"], "reach": {"min": 1, "max": 10, "num": 3, "unit": "m"}},
    }
    spec.update(changes)
    return spec


def error_of(mapping) -> str:
    with pytest.raises(ConfigError) as info:
        spec_from_mapping(mapping)
    text = str(info.value)
    assert "\n" not in text
    return text


@pytest.mark.parametrize("name, points", [("microled_sweep.yaml", 160), ("microled_million.yaml", 1_000_000),
                                          ("microled_lhs.yaml", 20_000)])
def test_examples_load(name, points):
    spec = load_spec(EXAMPLES / name)
    assert spec.n_points == points
    assert spec.text.startswith("#")
    assert len(spec.spec_hash) == 16


def test_units_parsed_to_si():
    spec = spec_from_mapping(base(parameters={
        "led.diameter": ["2 um", 3e-6],
        "lane_rate": {"min": "1 Gb/s", "max": "4 Gb/s", "num": 4},
        "reach": {"min": 1, "max": 100, "num": 3, "scale": "log", "unit": "m"},
        "driver.bias_current": {"min": 50, "max": 200, "num": 2, "unit": "uA"},
    }))
    axes = {a.name: a for a in spec.axes}
    assert axes["led.diameter"].values == (2e-6, 3e-6)
    assert axes["lane_rate"].values == pytest.approx((1e9, 2e9, 3e9, 4e9))
    assert axes["reach"].values == pytest.approx((1.0, 10.0, 100.0))
    assert axes["driver.bias_current"].values == pytest.approx((50e-6, 200e-6))
    assert [a.column for a in spec.axes] == ["led_diameter", "lane_rate", "reach", "driver_bias_current"]
    assert spec.fixed == {"aggregate_rate": 800e9}
    assert spec.n_points == 2 * 4 * 3 * 2


def test_categorical_integer_and_bool_axes():
    spec = spec_from_mapping(base(parameters={
        "fiber.index_profile": ["step", "graded"],
        "fiber.connectors": {"min": 0, "max": 4, "num": 5},
        "lanes.spares_powered": [True, False],
        "lane_count": [160, 200],
    }))
    axes = {a.name: a for a in spec.axes}
    assert axes["fiber.index_profile"].kind == "str"
    assert axes["fiber.connectors"].kind == "int" and axes["fiber.connectors"].values == (0, 1, 2, 3, 4)
    assert axes["lanes.spares_powered"].kind == "bool"
    assert axes["lane_count"].values == (160, 200)


def test_hash_depends_on_content_and_overrides():
    a = spec_from_mapping(base())
    assert spec_from_mapping(base()).spec_hash == a.spec_hash
    assert spec_from_mapping(base(), chunk_size=7).spec_hash != a.spec_hash
    assert spec_from_mapping(base(), seed=3).spec_hash != a.spec_hash
    assert spec_from_mapping(base(seed=3)).spec_hash == spec_from_mapping(base(), seed=3).spec_hash


def test_lhs_spec():
    spec = spec_from_mapping(base(sampling="lhs", samples=100, parameters={
        "led.diameter": {"min": "2 um", "max": "8 um"}, "fiber.index_profile": ["step", "graded"],
        "reach": {"min": "1 m", "max": "100 m", "scale": "log"}}))
    assert spec.n_points == 100
    reach = {a.name: a for a in spec.axes}["reach"]
    assert (reach.low, reach.high, reach.scale) == (1.0, 100.0, "log")


@pytest.mark.parametrize("mapping, expected", [
    (base(parameters={"led.diamter": ["2 um"]}), "parameters.led.diamter: unknown input; did you mean led.diameter"),
    (base(parameters={"led.diameter": ["900 um"]}), "parameters.led.diameter[0]: got '900 um'"),
    (base(parameters={"led.diameter": ["2 kg"]}), "parameters.led.diameter[0]"),
    (base(parameters={"reach": {"min": 1, "max": 10}}), "parameters.reach.num: missing"),
    (base(parameters={"reach": {"min": 10, "max": 1, "num": 2}}), "max 1 is below min 10"),
    (base(parameters={"reach": {"min": 0, "max": 1, "num": 2, "scale": "log"}}), "scale log needs min > 0"),
    (base(parameters={"fiber.index_profile": ["step", "parabolic"]}), "parameters.fiber.index_profile[1]"),
    (base(parameters={"fiber.connectors": [1.5]}), "a whole number"),
    (base(parameters={"lane_rate": ["1 Gb/s"], "lane_count": [100]}), "lane_rate and lane_count"),
    (base(parameters={"reach": ["1 m"]}, fixed={"reach": "2 m"}), "also in fixed"),
    (base(parameters={}), "parameters: empty"),
    (base(sampling="lhs"), "samples: missing"),
    (base(samples=10), "samples: only for sampling lhs"),
    (base(sampling="list", parameters={"reach": [1, 2], "led.diameter": ["2 um"]}), "lists of one length"),
    (base(sampling="lhs", samples=5, parameters={"reach": {"min": 1, "max": 2, "num": 3}}), "not used with sampling lhs"),
    (base(sampling="cube"), "sampling"),
    (base(colour="blue"), "colour: unknown key"),
    (base(evaluator="rocket"), "evaluator: got 'rocket'"),
    (base(preset="nonesuch"), "preset: got 'nonesuch'"),
    (base(fixed={"target_ber": 2}), "fixed.target_ber"),
    (base(constraints={"cost": {"max": 3}}), "constraints.cost: unknown output; did you mean cost_usd"),
    (base(constraints={"cost_usd": {}}), "give min, max or both"),
    (base(pareto={"energy": "min"}), "pareto.energy: unknown column"),
    (base(chunk_size=0), "chunk_size"),
])
def test_errors_name_the_field(mapping, expected):
    assert expected in error_of(mapping)


def test_out_of_range_message_shows_allowed_range_in_display_units():
    text = error_of(base(parameters={"lane_rate": {"min": "1 Gb/s", "max": "2 Tb/s", "num": 2}}))
    assert text.startswith("parameters.lane_rate.max") and "Gb/s" in text


def test_text_errors():
    with pytest.raises(ConfigError, match="cannot parse"):
        spec_from_text("parameters: [unclosed")
    with pytest.raises(ConfigError, match="must hold a mapping"):
        spec_from_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="parameters: missing"):
        spec_from_text("name: x\n")
    with pytest.raises(ConfigError, match="file not found"):
        load_spec("/nonexistent/spec.yaml")


def test_rack_evaluator_is_reserved():
    with pytest.raises(MicrolinkError, match="rack"):
        spec_from_mapping({"evaluator": "rack", "parameters": {"x": [1]}})


def test_parse_objectives():
    assert parse_objectives("energy_per_bit_pj:min, max_reach_m:max") == [("energy_per_bit_pj", "min"),
                                                                          ("max_reach_m", "max")]
    assert parse_objectives("cost_usd") == [("cost_usd", "min")]
    assert parse_objectives({"a": "max"}) == [("a", "max")]
    with pytest.raises(ConfigError, match="sense 'up'"):
        parse_objectives("a:up")
    with pytest.raises(ConfigError, match="twice"):
        parse_objectives("a:min,a:max")


def test_grid_values_hit_the_endpoints_exactly():
    spec = spec_from_mapping(base(parameters={"reach": {"min": 0.3, "max": 0.7, "num": 3, "scale": "log"}}))
    values = spec.axes[0].values
    assert values[0] == 0.3 and values[-1] == 0.7
    assert np.all(np.diff(values) > 0)
