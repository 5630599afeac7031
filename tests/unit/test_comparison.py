"""``microlink.compare_links``: the comparison as a labelled Dataset, consistent with one-link evaluations."""

import numpy as np
import pytest

import microlink as ml
from microlink.errors import ParameterError


@pytest.fixture(scope="module")
def ds():
    return ml.compare_links(["lightbundle", "dac-200g"], aggregate_rate=1.6e12, reach=[0.5, 1.0, 3.0])


def test_top_level_api_is_discoverable():
    assert "compare_links" in dir(ml) and "evaluate_link" in dir(ml)
    assert ml.compare_links is ml.comparison.compare_links


def test_dimensions_units_and_provenance(ds):
    assert ds.energy_per_bit.dims == ("technology", "reach", "attach")
    assert list(ds.technology.values) == ["lightbundle", "dac-200g"]
    assert list(ds.attach.values) == ["native"]
    assert ds.energy_per_bit.attrs["units"] == "J/bit"
    assert ds.reach.attrs["units"] == "m"
    assert ds.max_reach.dims == ("technology", "attach")
    assert ds.attrs["microlink_version"] == ml.__version__
    for name, var in ds.data_vars.items():
        assert "units" in var.attrs, name


def test_values_match_evaluate_link(ds):
    one = ml.evaluate_link("dac-200g", aggregate_rate=1.6e12, reach=3.0)
    point = ds.sel(technology="dac-200g", reach=3.0, attach="native")
    assert float(point.energy_per_bit) == pytest.approx(float(one.energy_per_bit), rel=1e-9)
    assert bool(point.feasible) == bool(one.feasible)
    assert float(ds.max_reach.sel(technology="dac-200g", attach="native")) == pytest.approx(
        float(one.max_reach), rel=1e-6)


def test_breakdown_sums_to_total(ds):
    total = ds.energy_breakdown.sum("block")
    np.testing.assert_allclose(total.values, ds.energy_per_bit.values, rtol=1e-12)


def test_feasibility_follows_max_reach(ds):
    for tech in ds.technology.values:
        limit = float(ds.max_reach.sel(technology=tech, attach="native"))
        feasible = ds.feasible.sel(technology=tech, attach="native").values
        lengths = ds.reach.values
        assert np.all(feasible[lengths < 0.99 * limit])
        assert not np.any(feasible[lengths > 1.01 * limit])


@pytest.mark.parametrize("kwargs, field", [
    ({"technologies": ["warp-drive"]}, "technologies"),
    ({"reach": [-1.0]}, "reach"),
    ({"attach": "usb"}, "attach"),
    ({"aggregate_rate": 0.0}, "aggregate_rate"),
])
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(ParameterError, match=field):
        ml.compare_links(**kwargs)
