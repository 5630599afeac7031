"""Batches of distinct designs on the paths the catalog's defaults do not take: chunks, grouped and broadcast
fields together, non-native attaches, a tabulated channel, as many points as PAM4 has levels with one eye
closed among open ones, and a technology whose stages take scalars. Each point is its scalar call (every
field to rounding, the maximum reach to the solvers' tolerance: each solve stops within SOLVER_RTOL of its
root, so two solves within twice that)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np
import pytest

from microlink.catalog import get_parameter_set
from microlink.link import chain
from microlink.link.chain import SOLVER_RTOL, evaluate_link


def _assert_points(assert_batch_point, batch, singles):
    for i, single in enumerate(singles):
        assert_batch_point(single, batch, i, i, reach_rtol=2 * SOLVER_RTOL)


def _designs(base, changes, i):
    """The base with point ``i`` of every array in ``changes`` ({section: {field: array}})."""
    return base.replace(**{sec: {f: float(v[i]) for f, v in fields.items()} for sec, fields in changes.items()})


def test_a_chunked_batch_of_distinct_vcsel_designs_is_each_design_alone(monkeypatch, assert_batch_point,
                                                                         run_flat_sizes):
    monkeypatch.setattr(chain, "CHUNK_POINTS", 2)
    base = get_parameter_set("vcsel-npo").parameters
    changes = {"vcsel": {"d_factor": np.linspace(10.0, 14.0, 5) * base.vcsel.d_factor / 12.0},
               "fiber": {"launch_coupling_db": np.linspace(0.5, 2.5, 5)}}
    reach = np.array([5.0, 20.0, 50.0, 100.0, 150.0])
    batch = evaluate_link(base.replace(**changes), reach=reach)
    assert run_flat_sizes == [2, 2, 1]
    singles = [evaluate_link(_designs(base, changes, i), reach=float(reach[i])) for i in range(5)]
    _assert_points(assert_batch_point, batch, singles)


def test_grouped_and_broadcast_fields_together_run_one_batch_per_group(assert_batch_point, run_flat_sizes):
    base = get_parameter_set("dac-200g").parameters
    changes = {"serdes": {"ffe_taps": np.array([24.0, 20.0, 24.0, 20.0])},
               "cable": {"conductor_excess": np.array([1.0, 1.1, 1.2, 1.3])}}
    reach = np.array([0.5, 0.8, 1.0, 1.2])
    batch = evaluate_link(base.replace(**changes), reach=reach)
    assert sorted(run_flat_sizes) == [2, 2]
    singles = [evaluate_link(_designs(base, changes, i), reach=float(reach[i])) for i in range(4)]
    _assert_points(assert_batch_point, batch, singles)


@pytest.mark.parametrize("name, attach", [("vcsel-npo", "xsr"), ("vcsel-npo", "vsr"), ("siph-cpo", "lr"),
                                          ("siph-cpo", "xsr")])
def test_a_batch_of_designs_at_a_non_native_attach_is_each_design_alone(name, attach, assert_batch_point):
    base = get_parameter_set(name).parameters
    changes = {"host_channel": {"transition_loss_db": np.array([0.5, 1.0, 1.5])},
               "economics": {"module_cost_per_gbps": np.array([0.5, 0.6, 0.7])}}
    reach = np.array([2.0, 10.0, 30.0])
    batch = evaluate_link(base.replace(**changes), reach=reach, attach=attach)
    singles = [evaluate_link(_designs(base, changes, i), reach=float(reach[i]), attach=attach) for i in range(3)]
    _assert_points(assert_batch_point, batch, singles)


def test_a_batch_of_cables_over_a_tabulated_channel_is_each_cable_alone(assert_batch_point):
    from microlink.link.copper import analytic_channel

    base = get_parameter_set("dac-200g").parameters
    channel = analytic_channel(base, 1.0, np.linspace(0.0, 80e9, 801))
    changes = {"serdes": {"tx_amplitude": np.array([0.35, 0.413, 0.5])},
               "host_channel": {"next_coupling_db": np.array([-50.0, -45.0, -40.0])}}
    batch = evaluate_link(base.replace(**changes), reach=np.array([1.0, 1.0, 1.0]), channel=channel)
    singles = [evaluate_link(_designs(base, changes, i), reach=1.0, channel=channel) for i in range(3)]
    _assert_points(assert_batch_point, batch, singles)


def test_four_pam4_designs_one_with_no_modulation_are_each_decided_alone(assert_batch_point):
    """Four points (as many as PAM4 has levels, where a missing axis would broadcast by accident); the second
    has no modulation current, so its levels coincide and its eye is closed at the source: BER 0.5 there,
    every other point decided as if alone."""
    base = get_parameter_set("vcsel-npo").parameters
    changes = {"drive": {"modulation_current": np.array([8e-3, 0.0, 7e-3, 9e-3]),
                         "bias_current": np.array([7e-3, 7e-3, 6e-3, 8e-3])}}
    reach = np.array([10.0, 10.0, 30.0, 60.0])
    batch = evaluate_link(base.replace(**changes), reach=reach)
    assert float(np.asarray(batch.ber)[1]) == 0.5
    assert np.all(np.asarray(batch.ber)[[0, 2, 3]] < 1e-3)
    singles = [evaluate_link(_designs(base, changes, i), reach=float(reach[i])) for i in range(4)]
    _assert_points(assert_batch_point, batch, singles)


def test_a_technology_whose_stages_take_scalars_runs_one_group_per_design(assert_batch_point, run_flat_sizes):
    from microlink.link.copper import DACLink

    @dataclasses.dataclass(frozen=True, eq=False)
    class ScalarDAC(DACLink):
        supports_parameter_arrays: ClassVar[bool] = False

    base = ScalarDAC()
    changes = {"cable": {"conductor_excess": np.array([1.0, 1.1, 1.0])}}
    reach = np.array([0.5, 1.0, 1.5])
    batch = evaluate_link(base.replace(**changes), reach=reach)
    assert sorted(run_flat_sizes) == [1, 2]  # the two points of one cable share a run (and a lane)
    del run_flat_sizes[:]
    native = evaluate_link(DACLink().replace(**changes), reach=reach)
    assert run_flat_sizes == [3]
    singles = [evaluate_link(_designs(base, changes, i), reach=float(reach[i])) for i in range(3)]
    _assert_points(assert_batch_point, batch, singles)
    _assert_points(assert_batch_point, native, singles)


@pytest.mark.parametrize("name", ["vcsel-npo", "lpo-800g"])
def test_the_unused_dsp_of_a_linear_module_does_not_split_a_batch(name, run_flat_sizes):
    base = get_parameter_set(name).parameters
    assert not base.retimed
    p = base.replace(dsp_line_side={"ffe_taps": np.array([24.0, 12.0, 8.0])})
    batch = evaluate_link(p, reach=np.array([2.0, 5.0, 10.0]), solve_reach=False)
    assert run_flat_sizes == [3]
    alone = evaluate_link(base, reach=np.array([2.0, 5.0, 10.0]), solve_reach=False)
    np.testing.assert_array_equal(np.asarray(batch.margin_db), np.asarray(alone.margin_db))


def test_the_attach_hops_are_decided_per_point_only_where_what_they_decide_varies(monkeypatch, assert_batch_point):
    """An AEC's retimed attach: arrays of its SerDes' energies leave one hop decision per symbol rate; an array
    of the host channel's loss decides the hops per point. Either way each point is its scalar call."""
    from microlink.link.attach import Attach

    calls = []
    hop_ber = Attach.hop_ber

    def spy(self, symbol_rate, modulation):
        calls.append(np.size(symbol_rate))
        return hop_ber(self, symbol_rate, modulation)

    monkeypatch.setattr(Attach, "hop_ber", spy)
    base = get_parameter_set("aec-200g").parameters
    reach = np.array([1.0, 2.0, 3.0])
    for changes, sizes in (({"serdes": {"clock_energy": np.array([0.4e-12, 0.5e-12, 0.6e-12]),
                                        "latency": np.array([8e-9, 10e-9, 12e-9])}}, [1]),
                           ({"host_channel": {"transition_loss_db": np.array([1.0, 1.5, 2.0])}}, [3])):
        del calls[:]
        batch = evaluate_link(base.replace(**changes), reach=reach, solve_reach=False)
        assert calls == sizes
        singles = [evaluate_link(_designs(base, changes, i), reach=float(reach[i]), solve_reach=False)
                   for i in range(3)]
        _assert_points(assert_batch_point, batch, singles)
