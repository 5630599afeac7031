"""Assumption objects and overrides: clear errors naming field, value and allowed range."""

import dataclasses

import pytest

from microlink.errors import ParameterError
from microlink.market import MarketAssumptions, apply_overrides, parse_value

A = MarketAssumptions()


def test_every_field_has_a_source_and_assumptions_have_reasons():
    for f in dataclasses.fields(MarketAssumptions):
        source = f.metadata["source"]
        assert source.citation
        if source.kind == "assumption":
            assert len(source.note) > 20, f.name


def test_overrides_parse_units():
    b = apply_overrides(A, {"asp_initial": "450 USD", "asp_decline": "25 %/yr", "fraction_beyond_copper_final": "60 %",
                            "scaleup_bandwidth_base": "14.4 Tb/s", "volume_start_year": "2028",
                            "accelerators_base": "5e6 / yr", "adoption_model": "logistic"})
    assert b.asp_initial == 450.0 and b.asp_decline == pytest.approx(0.25)
    assert b.fraction_beyond_copper_final == pytest.approx(0.6)
    assert b.scaleup_bandwidth_base == pytest.approx(14.4e12)
    assert b.volume_start_year == 2028 and b.accelerators_base == 5e6 and b.adoption_model == "logistic"


def test_unknown_name():
    with pytest.raises(ParameterError) as err:
        apply_overrides(A, {"bogus": "1"})
    assert err.value.field == "market.bogus" and "asp_initial" in err.value.allowed


def test_negative_price():
    with pytest.raises(ParameterError) as err:
        apply_overrides(A, {"asp_initial": "-5 USD"})
    assert err.value.field == "market.asp_initial"
    assert "-5" in str(err.value.value) and err.value.allowed == "0 .. inf USD"


@pytest.mark.parametrize("name, value", [("market_potential", "1.5"), ("fraction_beyond_copper_base", "120 %"),
                                         ("fraction_beyond_copper_final", 1.01)])
def test_share_above_one(name, value):
    with pytest.raises(ParameterError) as err:
        apply_overrides(A, {name: value})
    assert err.value.field == f"market.{name}" and err.value.allowed == "0 .. 100 %"


@pytest.mark.parametrize("name, value", [("asp_initial", "5 m"), ("scaleup_bandwidth_base", "3 kg"),
                                         ("asp_decline", "fast"), ("asp_initial", "nan")])
def test_bad_units(name, value):
    with pytest.raises(ParameterError) as err:
        parse_value(name, value)
    assert err.value.field == f"market.{name}" and err.value.value == value


def test_bad_choice_and_cross_field_rule():
    with pytest.raises(ParameterError, match="bass \\| logistic"):
        parse_value("adoption_model", "gompertz")
    with pytest.raises(ParameterError, match="fraction_final_year"):
        A.replace(fraction_final_year=2026)


def test_used_fields_follow_the_models():
    assert "bass_innovation" in A.used_fields() and "logistic_rate" not in A.used_fields()
    b = A.replace(adoption_model="logistic", asp_model="learning")
    assert "logistic_rate" in b.used_fields() and "bass_innovation" not in b.used_fields()
    assert "learning_rate" in b.used_fields() and "asp_decline" not in b.used_fields()
