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
    assert float(point.energy_per_bit) == pytest.approx(float(one.energy_per_bit), rel=1e-9, abs=0.0)
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


@pytest.mark.skipif(not ml.comparison.attach_supported(), reason="the link chain models no host attach")
def test_attach_axis_keeps_impossible_attaches_with_the_reason():
    ds = ml.compare_links(["lightbundle", "dac-200g"], reach=[1.0], attach=["native", "d2d", "lr"])
    assert list(ds.attach.values) == ["native", "d2d", "lr"]
    note = str(ds.attach_note.sel(technology="dac-200g", attach="d2d").values)
    assert "d2d" in note  # a passive cable cannot terminate a die-to-die attach: said, not dropped
    assert np.isnan(float(ds.energy_per_bit.sel(technology="dac-200g", attach="d2d", reach=1.0)))
    assert not bool(ds.feasible.sel(technology="dac-200g", attach="d2d", reach=1.0))
    assert str(ds.attach_note.sel(technology="dac-200g", attach="lr").values) == ""
    native = float(ds.energy_per_bit.sel(technology="lightbundle", attach="native", reach=1.0))
    lr = float(ds.energy_per_bit.sel(technology="lightbundle", attach="lr", reach=1.0))
    assert native != lr  # the attach is part of the figure
    assert "attach" in str(ds.boundary.sel(technology="lightbundle", attach="lr").values)


def test_an_attach_already_run_is_reused_not_recomputed(monkeypatch):
    """A set whose native attach is the requested one is the same computation: evaluated once."""
    import microlink.comparison as comparison
    import microlink.link.chain as chain

    calls = []
    real = chain.evaluate_link

    def counting(name, **kw):
        calls.append((name, kw["attach"]))
        return real(name, **kw)

    monkeypatch.setattr(chain, "evaluate_link", counting)
    native = comparison.comparison_points(["dac-200g", "lightbundle"], aggregate_rate=1.6e12, reach=[1.0])
    lr = comparison.comparison_points(["dac-200g", "lightbundle"], aggregate_rate=1.6e12, reach=[1.0],
                                      attach="lr", reuse=native)
    assert lr["dac-200g"] is native["dac-200g"]  # DAC ships with the long-reach SerDes attach
    assert calls == [("dac-200g", "native"), ("lightbundle", "native"), ("lightbundle", "lr")]
    ds = comparison.compare_links(["dac-200g"], reach=[1.0], attach=["native", "lr"])
    assert float(ds.energy_per_bit.sel(attach="native")[0, 0]) == float(ds.energy_per_bit.sel(attach="lr")[0, 0])
