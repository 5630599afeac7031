"""Pareto fronts: sort-based 2-D and chunked k-D filters agree with brute force, ties and NaN included."""

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from microlink.errors import ConfigError
from microlink.sweep.pareto import dominance_mask_bruteforce, pareto_front, pareto_mask


@settings(max_examples=80, deadline=None)
@given(data=st.data(), k=st.integers(1, 4))
def test_agrees_with_bruteforce(data, k):
    n = data.draw(st.integers(0, 60))
    # few distinct values: many ties and duplicate rows
    values = data.draw(hnp.arrays(np.float64, (n, k), elements=st.sampled_from([0.0, 1.0, 2.0, 3.0, np.nan, np.inf])))
    senses = data.draw(st.lists(st.sampled_from(["min", "max"]), min_size=k, max_size=k))
    block = data.draw(st.integers(1, 8))
    got = pareto_mask(values, senses, block_size=block, max_elements=data.draw(st.integers(1, 200)))
    np.testing.assert_array_equal(got, dominance_mask_bruteforce(values, senses))


@pytest.mark.parametrize("k", [2, 3, 5])
def test_random_continuous(k):
    rng = np.random.default_rng(k)
    v = rng.normal(size=(1500, k))
    np.testing.assert_array_equal(pareto_mask(v, block_size=97), dominance_mask_bruteforce(v))


def test_known_front_with_max_and_duplicates():
    energy = np.array([1.0, 2.0, 3.0, 1.0, 2.5, 1.0])
    reach = np.array([5.0, 10.0, 20.0, 4.0, 9.0, 5.0])
    mask = pareto_mask(np.column_stack([energy, reach]), ["min", "max"])
    assert mask.tolist() == [True, True, True, False, False, True]  # the duplicate (1, 5) stays


def test_pareto_front_orders_by_first_objective():
    cols = {"e": np.array([3.0, 1.0, 2.0, 5.0]), "r": np.array([30.0, 10.0, 20.0, 1.0])}
    assert pareto_front(cols, [("e", "min"), ("r", "max")]).tolist() == [1, 2, 0]
    assert pareto_front(cols, [("r", "max"), ("e", "min")]).tolist() == [0, 2, 1]
    with pytest.raises(ConfigError, match="unknown column"):
        pareto_front(cols, [("x", "min")])
    with pytest.raises(ConfigError, match="no objectives"):
        pareto_front(cols, [])


def test_scales_to_a_million_points():
    rng = np.random.default_rng(0)
    v2 = rng.random((1_000_000, 2))
    t = time.perf_counter()
    m2 = pareto_mask(v2)
    assert time.perf_counter() - t < 10 and 1 <= m2.sum() < 100
    v3 = rng.random((300_000, 3))
    t = time.perf_counter()
    m3 = pareto_mask(v3)
    assert time.perf_counter() - t < 15 and m3.sum() > m2.sum()
    sub = rng.choice(len(v3), 2000, replace=False)
    front_pts = v3[m3]
    # no front point is dominated by a sampled point, and sampled non-front points are dominated by the front
    for i in sub[:200]:
        dominated = ((front_pts <= v3[i]).all(axis=1) & (front_pts < v3[i]).any(axis=1)).any()
        assert dominated != m3[i]
