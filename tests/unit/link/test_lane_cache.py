"""The laser-based chains build a lane's length-independent parts once per run (``link.optical``: the lane, its
frequency responses, bandwidths and extras) and reuse them at every length the solvers try: the results are
those of building everything at every decision, bitwise."""

import numpy as np
import pytest

from microlink.link import optical
from microlink.link.chain import evaluate_link


@pytest.mark.parametrize("name", ["vcsel-npo", "siph-cpo", "lpo-800g", "dsp-pluggable-1.6t"])
def test_a_reused_lane_gives_the_results_of_a_lane_built_at_every_decision(monkeypatch, name, result_fields):
    lengths = np.array([0.5, 5.0, 40.0])
    cached = result_fields(evaluate_link(name, reach=lengths, lane_rate=None))
    monkeypatch.setattr(optical, "LANES_HELD", 0)  # nothing kept: every decision builds its lane
    optical._LANES.clear()
    built = result_fields(evaluate_link(name, reach=lengths, lane_rate=None))
    assert cached.keys() == built.keys()
    for key, a in cached.items():
        b = built[key]
        if a is None or isinstance(a, str):
            assert a == b, key
        else:
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b), err_msg=key)
    assert not optical._LANES


def test_lane_configurations_and_links_do_not_share_a_cached_lane():
    slow = evaluate_link("vcsel-npo", aggregate_rate=800e9, reach=20.0, lane_rate=50e9, solve_reach=False)
    fast = evaluate_link("vcsel-npo", aggregate_rate=800e9, reach=20.0, lane_rate=100e9, solve_reach=False)
    both = evaluate_link("vcsel-npo", aggregate_rate=800e9, reach=20.0, lane_rate=np.array([50e9, 100e9]),
                         solve_reach=False)
    np.testing.assert_allclose(np.asarray(both.margin_db), [float(slow.margin_db), float(fast.margin_db)],
                               rtol=1e-12, atol=0.0)
    assert float(slow.margin_db) != float(fast.margin_db)
    assert len(optical._LANES) <= optical.LANES_HELD
