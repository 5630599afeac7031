"""The reach solve's probe at the bracket's shortest length, for lanes that close at none of their requested
lengths (``chain._solve_reach``): one evaluation settles a lane that closes nowhere, and a lane that closes
only below its requested lengths gets the reach it gets when asked at a length where it closes."""

import numpy as np

import microlink.link.chain as chain
from microlink.catalog import get_parameter_set
from microlink.link.chain import SOLVER_RTOL, evaluate_link


def _count_decides(monkeypatch):
    calls = []
    original = chain._Stages.decide

    def counted(self, length, pts=None):
        calls.append(None if pts is None else np.size(pts))
        return original(self, length, pts)

    monkeypatch.setattr(chain._Stages, "decide", counted)
    return calls


def test_a_lane_that_closes_nowhere_costs_one_probe(monkeypatch):
    calls = _count_decides(monkeypatch)
    r = evaluate_link("lightbundle", reach=[5.0, 10.0])  # the published device closes no length
    assert np.all(np.asarray(r.max_reach) == 0.0) and not np.any(r.feasible)
    # the decision at the requested lengths, then one probe of the one distinct lane; no solver steps
    assert len(calls) == 2 and calls[1] == 1


def test_a_lane_that_closes_only_below_its_requests_gets_its_reach():
    closing = get_parameter_set("lightbundle").parameters.replace(
        led={"diameter": 6e-6}, driver={"bias_current": 1e-3}, fiber={"lens_numerical_aperture": 0.8,
                                                                      "index_profile": "graded"})
    near = float(evaluate_link(closing, reach=1.0).max_reach)  # asked where it closes
    assert 1.0 < near < 40.0
    far = evaluate_link(closing, reach=[40.0, 60.0])  # asked only where it does not
    assert not np.any(far.feasible)
    np.testing.assert_allclose(np.asarray(far.max_reach), near, rtol=2 * SOLVER_RTOL)
