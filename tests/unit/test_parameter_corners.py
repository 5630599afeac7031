"""Every bounded field of every catalog parameter set, set alone to its lower and to its upper bound.

A user may set any field to any value inside its bounds (``--set section.field=value``). At each bound the
chain must give a finite energy per bit and a BER in [0, 0.5] without a NumPy warning: a link with no light,
no modulation or a closed eye is infeasible at BER 0.5, never NaN. The only error allowed is a
ParameterError naming the field that was set.

One representative set per technology family runs by default; the sweep of every set is a fuzz test
(``pytest -m fuzz``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from microlink.catalog import get_parameter_set, list_parameter_sets
from microlink.errors import ParameterError
from microlink.link.chain import evaluate_link

#: One set per technology family, run by default (the linear variants: their host SerDes drives the optics).
REPRESENTATIVES = {
    "aec": "aec-100g",
    "dac": "dac-100g",
    "microled": "lightbundle",
    "pluggable": "lpo-1.6t",
    "siph_cpo": "siph-cpo",
    "vcsel": "vcsel-npo",
}


def bound_corners(ps):
    """``(section, field, value)`` for both finite bounds of every bounded field of a set."""
    for sec_name, sec in ps.parameters.sections().items():
        for fname, _, meta in sec.items():
            if "bounds" not in meta:
                continue
            for value in meta["bounds"]:
                if np.isfinite(value):
                    yield sec_name, fname, float(value)


def corner_failures(name):
    """What goes wrong at the bound corners of one catalog set: ``[(section.field, value, problem)]``."""
    ps = get_parameter_set(name)
    bad = []
    count = 0
    for sec_name, fname, value in bound_corners(ps):
        key = f"{sec_name}.{fname}"
        own = {key, f"{type(ps.parameters.sections()[sec_name]).section}.{fname}"}  # names of the field set
        count += 1
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                link = ps.parameters.replace(**{sec_name: {fname: value}})
                result = evaluate_link(link, **ps.defaults, solve_reach=False)
                energy, ber = float(result.energy_per_bit), float(result.ber)
            except ParameterError as exc:
                if exc.field not in own:
                    bad.append((key, value, f"ParameterError about another field: {exc}"))
                continue
            except Exception as exc:  # noqa: BLE001 - a warning turned error, or any internal failure
                bad.append((key, value, f"{type(exc).__name__}: {exc}"))
                continue
        if not np.isfinite(energy):
            bad.append((key, value, f"energy per bit {energy}"))
        if not (np.isfinite(ber) and 0.0 <= ber <= 0.5):
            bad.append((key, value, f"BER {ber}"))
    assert count > 0, f"{name}: no bounded fields found"
    return bad


def _report(name, bad):
    return f"{name}: {len(bad)} bound corners fail:\n" + "\n".join(f"  {k} = {v!r}: {why}" for k, v, why in bad)


def test_every_technology_family_has_a_representative():
    families = {get_parameter_set(name).technology for name in list_parameter_sets()}
    assert families == set(REPRESENTATIVES)
    for family, name in REPRESENTATIVES.items():
        assert get_parameter_set(name).technology == family


@pytest.mark.parametrize("name", sorted(REPRESENTATIVES.values()))
def test_bound_corners_of_one_set_per_family(name):
    bad = corner_failures(name)
    assert not bad, _report(name, bad)


@pytest.mark.fuzz
@pytest.mark.parametrize("name", list_parameter_sets())
def test_bound_corners_of_every_set(name):
    bad = corner_failures(name)
    assert not bad, _report(name, bad)


@pytest.mark.parametrize("name, section, field, value", [
    ("siph-cpo", "laser", "output_power", 0.0),  # laser off: no light
    ("siph-cpo", "modulator", "drive_swing", 0.0),  # no modulation
    ("siph-cpo", "modulator", "quality_factor", 1e6),  # the swing sweeps the ring through its resonance
    ("siph-cpo-mzm", "modulator", "drive_swing", 20.0),  # over-driven MZM: the sine folds the levels
    ("vcsel-npo", "drive", "bias_current", 0.0),  # the lower levels below threshold
    ("vcsel-npo", "vcsel", "thermal_impedance", 1e5),  # thermal roll-over: no light
    ("lightbundle", "impairments", "random_jitter_rms", 0.5),  # the jitter offset passes the crossing
])
def test_a_closed_eye_is_an_infeasible_coin_toss_with_finite_energy(name, section, field, value):
    ps = get_parameter_set(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = evaluate_link(ps.parameters.replace(**{section: {field: value}}), **ps.defaults)
    assert float(result.ber) == pytest.approx(0.5, abs=1e-6)
    assert not bool(result.feasible)
    assert float(result.max_reach) == 0.0
    assert np.isfinite(float(result.energy_per_bit)) and float(result.energy_per_bit) > 0.0
    assert all(np.isfinite(float(v)) and float(v) >= 0.0 for v in result.noise.values())


@pytest.mark.parametrize("name, section, field, value", [
    ("siph-cpo", "photodiode", "absorption_coefficient", 0.0),  # absorbs nothing
    ("siph-cpo", "photodiode", "confinement", 0.0),
    ("lpo-1.6t", "tia_stages", "output_swing", 0.0),  # no swing for the equaliser
    ("vcsel-npo", "vcsel", "slope_efficiency", 0.0),  # not a laser
    ("vcsel-npo", "vcsel", "d_factor", 0.0),
    ("lightbundle", "led", "wavelength", 350e-9),  # below the silicon absorption data of the photodiode
    ("lightbundle", "impairments", "corner_temperature", 500.0),  # above the LED model's temperature bound
])
def test_values_where_the_model_is_undefined_are_refused_naming_the_field(name, section, field, value):
    ps = get_parameter_set(name)
    with pytest.raises(ParameterError) as info:
        ps.parameters.replace(**{section: {field: value}})
    assert info.value.field == f"{type(ps.parameters.sections()[section]).section}.{field}"


def test_an_undamped_vcsel_corner_is_finite():
    """Two fields at once: no K-factor damping and the smallest damping offset (an almost undamped resonance)."""
    import microlink as ml
    from microlink.catalog import get_parameter_set

    p = get_parameter_set("vcsel-npo").parameters.replace(vcsel={"k_factor": 0.0, "damping_offset": 1e8})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ml.evaluate_link(p, reach=10.0, solve_reach=False)
    assert np.isfinite(float(r.energy_per_bit)) and 0.0 <= float(r.ber) <= 0.5
