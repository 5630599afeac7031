"""The quantity grammar: numbers and units only, exact SI conversion, one clear error for everything else."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.errors import ParameterError
from microlink.units import parse_count, parse_quantity, parse_quantity_list


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("10 m", "m", 10.0), ("430 nm", "m", 430e-9), ("4 um", "m", 4e-6), ("4 µm", "m", 4e-6), ("50 cm", "m", 0.5),
    ("3.5 Gb/s", "b/s", 3.5e9), ("200 Gbps", "b/s", 200e9), ("1.6 Tb/s", "bit/s", 1.6e12),
    ("100 uA", "A", 1e-4), ("5 mW", "W", 5e-3), ("2 ns", "s", 2e-9), ("1 GHz", "Hz", 1e9), ("5 Ω", "ohm", 5.0),
    ("85 degC", "K", 358.15), ("343 K", "K", 343.0), ("1e3 A/cm^2", "A/m^2", 1e7), ("2 h", "s", 7200.0),
    ("0.2 dB/m", "dB/m", 0.2), ("-3 dBm", "dBm", -3.0), ("2.8e9 USD", "USD", 2.8e9), ("1e-12", "1", 1e-12),
    ("9 %/yr", "1/year", 0.09), ("0.9 / yr", "1/year", 0.9), ("20 %", "dimensionless", 0.2), (7, "m", 7.0),
])
def test_accepted_quantities_convert_exactly(text, unit, expected):
    assert parse_quantity(text, unit, field="x") == pytest.approx(expected, rel=1e-15, abs=0.0)


@pytest.mark.parametrize("text", [
    "💥", "(1/0) Gb/s", "2**10000 m", "9**9**9 m", "2**2**2**2 m", "1" * 100_000, "\u202e10 m", "10\u200b m",
    "1e5\x00 m", "inf", "nan", "-inf m", "1e999 m", "1;2 m", "1,2 m", "", "   ", "m", "10 m m/", "10 s", "10 kg",
    "1 m + 1 m", "3*2 m", "10 mm**9**9", "1e300 km**9", "0x10 m", "1_000 m", "１０ m", True, None, [1], {"a": 1},
    float("nan"), float("inf"), 10**400,
])
def test_rejected_quantities_name_the_field(text):
    with pytest.raises(ParameterError) as info:
        parse_quantity(text, "m", field="--reach")
    message = str(info.value)
    assert message.startswith("--reach: got ") and "allowed:" in message and "\n" not in message
    assert len(message) < 400


def test_lists_take_the_unit_of_the_last_item_and_refuse_empty_items():
    assert parse_quantity_list("1,3,10 m", "m", field="r") == [1.0, 3.0, 10.0]
    assert parse_quantity_list("1 m, 50 cm", "m", field="r") == [1.0, 0.5]
    for bad in ("1,,2 m", "1;2 m", ",", "1, 2 s", ""):
        with pytest.raises(ParameterError, match="^r: got"):
            parse_quantity_list(bad, "m", field="r")


@pytest.mark.parametrize(("text", "value"), [("1e7", 10_000_000), ("42", 42), (5, 5)])
def test_counts(text, value):
    assert parse_count(text, "--bits") == value


@pytest.mark.parametrize("text", ["inf", "nan", "1.5", "0", "-3", "1e16", "99999999999999999999", True, "1e7 m"])
def test_bad_counts(text):
    with pytest.raises(ParameterError, match="^--bits: got"):
        parse_count(text, "--bits")


@settings(max_examples=300, deadline=200)
@given(st.text(max_size=120))
def test_any_text_is_a_finite_number_or_one_parameter_error(text):
    try:
        value = parse_quantity(text, "m", field="f")
    except ParameterError as exc:
        assert str(exc).startswith("f: got ")
    else:
        assert math.isfinite(value)


@settings(max_examples=300, deadline=200)
@given(st.floats(allow_nan=False, allow_infinity=False, width=64),
       st.sampled_from([("m", 1.0), ("mm", 1e-3), ("km", 1e3), ("um", 1e-6), ("nm", 1e-9)]))
def test_what_is_written_is_what_is_used(x, unit):
    name, scale = unit
    got = parse_quantity(f"{x!r} {name}", "m", field="f") if math.isfinite(x * scale) else None
    if got is not None:
        assert got == pytest.approx(x * scale, rel=1e-15, abs=0.0)
    assert parse_quantity(repr(x), "m", field="f") == x
