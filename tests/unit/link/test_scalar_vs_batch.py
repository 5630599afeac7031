"""Every technology: a batch of lengths gives each point what a scalar call at that length gives.

The physics is elementwise, so BER, margin, energy and power agree to rounding; the maximum reach is a
root found from a starting point that uses every requested length of the lane (chain._reach_guess), so it
agrees to the solver's tolerance (twice SOLVER_RTOL: each solve stops within it of the root).
"""

from __future__ import annotations

import numpy as np
import pytest

from microlink.catalog import list_parameter_sets
from microlink.link.chain import SOLVER_RTOL, evaluate_link

REACH = [0.5, 2.0, 10.0]
FIELDS = ("ber", "ber_post_fec", "margin_db", "energy_per_bit", "power_per_end", "cost_per_end", "fit_per_end")


@pytest.mark.parametrize("name", list_parameter_sets())
def test_batch_points_equal_scalar_calls(name):
    batch = evaluate_link(name, aggregate_rate=1.6e12, reach=REACH)
    for i, length in enumerate(REACH):
        single = evaluate_link(name, aggregate_rate=1.6e12, reach=length)
        assert bool(single.feasible) == bool(np.asarray(batch.feasible)[i]), (name, length)
        for field in FIELDS:
            a, b = float(np.asarray(getattr(single, field))), float(np.asarray(getattr(batch, field))[i])
            assert a == pytest.approx(b, rel=1e-9, abs=1e-300), (name, length, field)
        a, b = float(single.max_reach), float(np.asarray(batch.max_reach)[i])
        assert a == pytest.approx(b, rel=2 * SOLVER_RTOL, abs=1e-9), (name, length, "max_reach")
