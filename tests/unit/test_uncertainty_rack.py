"""Rack bands: deltas against the baseline as P10/P50/P90, seeded, and P(beats baseline)."""

import pytest

from microlink.rack.cluster import load_system
from microlink.rack.uncertainty import rack_bands


@pytest.mark.slow
def test_rack_bands_are_ordered_seeded_and_bracket_probabilities():
    t = load_system("gb200-nvl72")
    kw = dict(samples=3, seed=4, tech="lightbundle", policy=None)
    a, b = rack_bands(t, **kw), rack_bands(t, **kw)
    assert a.to_dict() == b.to_dict()
    row = a.bands["lightbundle"]
    for m, (p10, p50, p90) in row.items():
        assert p10 <= p50 <= p90, m
    assert 0.0 <= a.p_beats_baseline["lightbundle"] <= 1.0
    assert a.to_dict()["seed"] == 4
