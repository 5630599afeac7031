"""Unit tests: constants, log units, Q<->BER, unit parsing and the cited-parameter mechanism."""

import numpy as np
import pytest

from microlink.devices.microled import MicroLED
from microlink.errors import ParameterError
from microlink.parameters import SOURCE_KINDS, Source, check_range
from microlink.units import (
    ber_to_q,
    db_to_linear,
    dbm_to_watt,
    linear_to_db,
    parse_quantity,
    photon_energy,
    q_to_ber,
    watt_to_dbm,
)


def test_db_round_trip_scalar_and_array():
    assert db_to_linear(3.0) == pytest.approx(1.9953, rel=1e-4)
    x = np.array([1e-3, 1.0, 42.0])
    np.testing.assert_allclose(db_to_linear(linear_to_db(x)), x, rtol=1e-12)
    assert dbm_to_watt(0.0) == pytest.approx(1e-3)
    assert watt_to_dbm(1e-6) == pytest.approx(-30.0)


def test_linear_to_db_rejects_negative():
    with pytest.raises(ParameterError, match="power ratio"):
        linear_to_db(-1.0)


def test_photon_energy_blue():
    # 430 nm -> 4.62e-19 J = 2.884 eV (links.md 2.2)
    assert photon_energy(430e-9) == pytest.approx(4.62e-19, rel=2e-3, abs=0.0)


@pytest.mark.parametrize("q, ber, q_step, ber_step", [(6.0, 9.87e-10, 0.0, 1e-12), (7.034, 1.0e-12, 1e-3, 0.0),
                                                      (7.941, 1.0e-15, 1e-3, 0.0)])
def test_q_ber_pairs(q, ber, q_step, ber_step):
    # the table rounds Q (or the BER) to its last printed digit: half a step of Q moves the BER by
    # (Q + 1/Q) times as much, relatively (d ln BER / dQ of the Gaussian tail)
    rounding = 0.5 * q_step * (q + 1.0 / q) + 0.5 * ber_step / ber
    assert q_to_ber(q) == pytest.approx(ber, rel=rounding, abs=0.0)
    assert ber_to_q(ber) == pytest.approx(q, rel=1e-3)


def test_ber_to_q_range_error():
    with pytest.raises(ParameterError, match="ber"):
        ber_to_q(0.0)
    with pytest.raises(ParameterError):
        ber_to_q(np.array([1e-3, 0.7]))


@pytest.mark.parametrize(
    "text, unit, expected",
    [
        ("3.5 Gb/s", "b/s", 3.5e9),
        ("800 Gbps", "b/s", 800e9),
        ("10 m", "m", 10.0),
        ("430 nm", "m", 430e-9),
        ("2 pJ/bit", "J/bit", 2e-12),
        ("100 uA", "A", 100e-6),
        ("100 µA", "A", 100e-6),
        ("1e-30 cm^6/s", "m^6/s", 1e-42),
        ("70 degC", "K", 343.15),
        ("-3 dB", "dB", -3.0),
        ("0.2 dB/m", "dB/m", 0.2),
        (5, "m", 5.0),
    ],
)
def test_parse_quantity(text, unit, expected):
    assert parse_quantity(text, unit, field="x") == pytest.approx(expected, rel=1e-9, abs=0.0)


@pytest.mark.parametrize("text", ["3 kg", "fast", "nan m", float("inf"), True, [1]])
def test_parse_quantity_errors_name_field(text):
    with pytest.raises(ParameterError, match="^reach:"):
        parse_quantity(text, "m", field="reach")


def test_check_range_messages_use_display_units():
    with pytest.raises(ParameterError) as exc:
        check_range("led.diameter", 1e-3, 0.5e-6, 500e-6, "m", ("um", 1e-6))
    assert "led.diameter" in str(exc.value) and "1000 um" in str(exc.value) and "0.5 .. 500 um" in str(exc.value)
    with pytest.raises(ParameterError):
        check_range("x", np.array([1.0, np.nan]), 0, 2)


def test_parameters_validate_on_construction_and_replace():
    with pytest.raises(ParameterError, match="led.diameter"):
        MicroLED(diameter=-1.0)
    led = MicroLED()
    with pytest.raises(ParameterError, match="led.nonexistent"):
        led.replace(nonexistent=1)
    with pytest.raises(ParameterError, match="led.temperature"):
        led.replace(temperature=np.array([300.0, 1e4]))
    assert led.replace(diameter=np.array([3e-6, 5e-6])).broadcast_shape() == (2,)


def test_every_field_has_a_source_and_assumptions_have_reasons():
    from microlink.catalog import get_parameter_set, list_parameter_sets

    for name in list_parameter_sets():
        for key, _, src in get_parameter_set(name).rows():
            assert isinstance(src, Source), key
            assert src.kind in SOURCE_KINDS
            assert src.citation.strip(), key
            if src.kind == "assumption":
                assert src.note.strip(), f"{name}:{key} assumption without a reason"


def test_source_rejects_unreasoned_assumption():
    with pytest.raises(ParameterError):
        Source("somewhere", "assumption")
    with pytest.raises(ParameterError):
        Source("somewhere", "rumour")


@pytest.mark.parametrize("text, unit, bytes_", [
    ("7.2 TB/s", "b/s", True), ("100 GB/s", "Gb/s", True), ("430 nm", "m", False), ("3.3 Gbps", "b/s", False),
    ("2 kohm", "ohm", False), ("12 %/yr", "1/year", False), ("0.3 1/yr", "1/year", False), ("5 mW", "W", False),
    ("2.5 pJ/bit", "J/bit", False), ("10 %/yr", "1/s", False), ("2 W/A", "V", False), ("0.5 A/W", "1/V", False),
])
def test_fast_path_agrees_with_the_unit_registry(text, unit, bytes_):
    """The conversions made without pint give what pint gives; a byte is 8 bits (the registry is asked for the
    same prefix on bits, since its redefined bit has its own dimension)."""
    from microlink.units import _QUANTITY_RE, _compact, unit_registry

    fast = parse_quantity(text, unit, field="x")
    m = _QUANTITY_RE.fullmatch(text)
    given = _compact(m.group(2))
    factor = 1.0
    if bytes_:
        given, factor = given.replace("B/s", "bit/s"), 8.0
    ureg = unit_registry()
    slow = float(m.group(1)) * factor * ureg.Quantity(1.0, ureg.parse_units(given)).to(
        ureg.parse_units(_compact(unit))).magnitude
    assert fast == pytest.approx(slow, rel=1e-12, abs=0.0)
