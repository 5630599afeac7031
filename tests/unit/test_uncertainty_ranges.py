"""Ranges on parameter fields and on catalog presets: declared, checked at definition, drawn correctly."""

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.catalog import get_parameter_set, list_parameter_sets
from microlink.catalog.ranges import PRESET_RANGES, check_ranges
from microlink.errors import ParameterError
from microlink.parameters import Parameters, Range, Source, field_ranges, param

SRC = Source("test", "assumption", "test value")


def test_param_records_range_and_distribution():
    @dataclass(frozen=True, eq=False)
    class P(Parameters):
        section = "p"
        x: float = param(2.0, unit="m", bounds=(0.0, 10.0), source=SRC, range=(1.0, 3.0), distribution="triangular")

    r = field_ranges(P)["x"]
    assert (r.low, r.high, r.distribution) == (1.0, 3.0, "triangular")


def test_range_outside_bounds_is_an_error_at_definition():
    with pytest.raises(ParameterError, match="bounds"):
        @dataclass(frozen=True, eq=False)
        class P(Parameters):  # noqa: F841
            x: float = param(2.0, unit="m", bounds=(0.0, 10.0), source=SRC, range=(1.0, 30.0))


def test_range_not_containing_default_is_an_error():
    with pytest.raises(ParameterError, match="containing"):
        param(5.0, unit="m", bounds=(0.0, 10.0), source=SRC, range=(1.0, 3.0))


@pytest.mark.parametrize("bad", [dict(low=2.0, high=1.0), dict(low=0.0, high=1.0, distribution="loguniform"),
                                 dict(low=0.0, high=1.0, distribution="cauchy"),
                                 dict(low=0.0, high=float("inf"))])
def test_bad_ranges_fail_with_the_field_named(bad):
    with pytest.raises(ParameterError, match="range"):
        Range(**bad)


@settings(max_examples=60, deadline=None)
@given(lo=st.floats(1e-3, 1e3), width=st.floats(1e-3, 1e3), dist=st.sampled_from(["uniform", "loguniform", "triangular"]),
       u=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=20))
def test_ppf_is_monotone_and_inside(lo, width, dist, u):
    r = Range(lo, lo + width, dist)
    u = np.sort(np.asarray(u))
    v = r.ppf(u)
    assert np.all(np.diff(v) >= -1e-9 * (lo + width))
    assert np.all((v >= r.low * (1 - 1e-12)) & (v <= r.high * (1 + 1e-12)))
    assert r.ppf(0.0) == pytest.approx(r.low) and r.ppf(1.0) == pytest.approx(r.high)


def test_inverse_member_of_a_group_runs_the_other_way():
    r = Range(1.0, 2.0, group="g", inverse=True)
    assert r.ppf(0.0) == pytest.approx(2.0) and r.ppf(1.0) == pytest.approx(1.0)


@pytest.mark.parametrize("name", sorted(PRESET_RANGES))
def test_every_preset_range_is_valid_and_attached(name):
    if name not in list_parameter_sets():
        pytest.skip(f"{name} not in this catalog")
    ps = get_parameter_set(name)
    assert set(PRESET_RANGES[name]) <= set(ps.ranges)
    for key, r in ps.ranges.items():
        assert r.source is not None, key
        assert r.source.kind != "assumption" or r.source.note, key


def test_check_ranges_rejects_a_range_that_misses_the_value():
    p = get_parameter_set("lightbundle").parameters
    with pytest.raises(ParameterError, match="led.spectral_width"):
        check_ranges(p, {"led.spectral_width": Range(30e-9, 40e-9)})
    with pytest.raises(ParameterError, match="bounds"):
        check_ranges(p, {"led.spectral_width": Range(1e-9, 2e-7)})
    with pytest.raises(ParameterError, match="section"):
        check_ranges(p, {"nosuch.field": Range(0.0, 1.0)})
