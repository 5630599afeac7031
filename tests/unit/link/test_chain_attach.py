"""The host attach is one shared axis: changing it moves only the attach and FEC blocks of any technology."""

import numpy as np
import pytest

from microlink.catalog import get_parameter_set
from microlink.link.assemble import ATTACH_BLOCKS, ATTACH_DEPENDENT_BLOCKS
from microlink.link.attach import AttachNotPossible, host_port_serdes_power
from microlink.link.chain import evaluate_link
from microlink.link.technologies import DEFAULT_COMPARE_SETS


def _pairs():
    for name in DEFAULT_COMPARE_SETS:
        link = get_parameter_set(name).parameters
        for kind in link.attaches:
            yield name, kind


@pytest.mark.parametrize("name,kind", list(_pairs()))
def test_attach_changes_only_attach_and_fec_blocks(name, kind):
    native = evaluate_link(name, aggregate_rate=1.6e12, reach=np.array([0.5, 2.0]), solve_reach=False)
    other = evaluate_link(name, aggregate_rate=1.6e12, reach=np.array([0.5, 2.0]), solve_reach=False, attach=kind)
    assert other.attach == kind and native.attach == get_parameter_set(name).parameters.native_attach()
    for block in set(native.energy_breakdown) | set(other.energy_breakdown):
        if block in ATTACH_DEPENDENT_BLOCKS:
            continue
        np.testing.assert_allclose(other.energy_breakdown[block], native.energy_breakdown[block], rtol=1e-12,
                                   err_msg=f"{name}: block {block} moved with the attach")
    for r in (native, other):
        assert set(ATTACH_BLOCKS) <= set(r.energy_breakdown)
        assert r.boundary.startswith("host logic to host logic") and f"attach {r.attach}" in r.boundary
        np.testing.assert_allclose(sum(r.energy_breakdown.values()), r.energy_per_bit)


def test_impossible_attach_is_an_error_naming_the_reason():
    with pytest.raises(AttachNotPossible, match="dac"):
        evaluate_link("dac-200g", attach="d2d")
    with pytest.raises(AttachNotPossible, match="siph_cpo"):
        evaluate_link("siph-cpo", attach="d2d")


def test_unknown_attach_is_rejected():
    with pytest.raises(Exception, match="attach"):
        evaluate_link("lightbundle", attach="usb")


def test_serdes_attach_brings_the_host_fec_to_micro_led_lanes():
    d2d = evaluate_link("lightbundle", aggregate_rate=1.6e12, reach=1.0, attach="d2d", solve_reach=False)
    xsr = evaluate_link("lightbundle", aggregate_rate=1.6e12, reach=1.0, attach="xsr", solve_reach=False)
    assert d2d.fec == "none" and xsr.fec == "kp4"
    assert float(xsr.lanes_active) > float(d2d.lanes_active)  # the lanes carry the coded stream
    assert float(xsr.pre_fec_threshold) > 1e-6 > float(d2d.pre_fec_threshold)
    assert float(xsr.energy_breakdown["fec_parity"]) > 0 == float(d2d.energy_breakdown["fec_parity"])


def test_one_price_for_the_host_serdes_in_link_and_rack():
    r = evaluate_link("dac-200g", aggregate_rate=400e9, reach=1.0, solve_reach=False)
    per_end = float(r.energy_breakdown["host_attach"]) * 400e9
    assert per_end == pytest.approx(host_port_serdes_power(400e9), rel=1e-9)


def test_solved_reach_is_feasible_by_construction():
    for name in ("dac-200g", "aec-200g", "vcsel-npo", "siph-cpo"):
        r = evaluate_link(name, aggregate_rate=1.6e12, reach=1.0)
        at = evaluate_link(name, aggregate_rate=1.6e12, reach=float(r.max_reach), solve_reach=False)
        assert bool(at.feasible), name
        beyond = evaluate_link(name, aggregate_rate=1.6e12, reach=float(r.max_reach) * 1.01, solve_reach=False)
        assert not bool(beyond.feasible) or bool(r.max_reach_capped), name
