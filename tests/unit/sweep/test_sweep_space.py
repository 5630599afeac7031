"""Spaces: grid decoding, list zipping, and the sliced Latin hypercube (Latin, seeded, chunk-independent)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.sweep import space as space_mod
from microlink.sweep.space import Axis, GridSpace, LatinHypercubeSpace, ListSpace, keyed_permutation


def axis(name, values=None, **kw):
    kind = kw.pop("kind", "float")
    return Axis(name, name.replace(".", "_"), "m", kind, values=values, **kw)


def test_grid_is_c_order_and_chunks_concatenate():
    g = GridSpace((axis("a", (1.0, 2.0)), axis("b", ("x", "y", "z"), kind="str"), axis("c", (10.0, 20.0))))
    assert g.n_points == 12 and g.shape == (2, 3, 2)
    pts = g.points(0, 12)
    assert list(pts["a"]) == [1.0] * 6 + [2.0] * 6
    assert list(pts["b"][:6]) == ["x", "x", "y", "y", "z", "z"]
    assert list(pts["c"][:4]) == [10.0, 20.0, 10.0, 20.0]
    parts = [g.points(s, min(12, s + 5)) for s in range(0, 12, 5)]
    for k in pts:
        assert list(np.concatenate([p[k] for p in parts])) == list(pts[k])


def test_list_zips():
    s = ListSpace((axis("a", (1.0, 2.0, 3.0)), axis("b", (4.0, 5.0, 6.0))))
    assert s.n_points == 3
    assert list(s.points(1, 3)["b"]) == [5.0, 6.0]


def test_probe_touches_extremes():
    g = GridSpace((axis("a", (3.0, 1.0, 2.0)), axis("b", (5.0, 7.0))))
    probe = g.probe()
    assert set(probe["a"]) >= {1.0, 3.0} and set(probe["b"]) == {5.0, 7.0}


def _strata_counts(u, n):
    return np.bincount(np.minimum((u * n).astype(int), n - 1), minlength=n)


def test_single_slice_lhs_is_latin():
    s = LatinHypercubeSpace((axis("a", low=0.0, high=1.0), axis("b", low=0.0, high=1.0)), 500, seed=3)
    assert s.n_slices == 1
    u = s.unit_points(0, 500)
    for k in range(2):
        assert np.all(_strata_counts(u[:, k], 500) == 1)


def test_sliced_lhs_is_latin_overall_and_per_slice(monkeypatch):
    monkeypatch.setattr(space_mod, "LHS_SLICE_POINTS", 64)
    space_mod._lhs_slice.cache_clear()
    n = 640  # 10 slices of 64
    s = LatinHypercubeSpace(tuple(axis(f"x{k}", low=0.0, high=1.0) for k in range(3)), n, seed=11)
    assert (s.n_slices, s.slice_points) == (10, 64)
    u = s.unit_points(0, n)
    for k in range(3):
        assert np.all(_strata_counts(u[:, k], n) == 1)  # the union is a Latin hypercube of n strata
        for sl in range(10):  # every slice is a Latin hypercube of 64 strata
            assert np.all(_strata_counts(u[sl * 64:(sl + 1) * 64, k], 64) == 1)
    # any chunking gives the same points
    parts = np.concatenate([s.unit_points(a, min(n, a + 37)) for a in range(0, n, 37)])
    np.testing.assert_array_equal(parts, u)
    other = LatinHypercubeSpace(s.axes, n, seed=12).unit_points(0, n)
    assert not np.array_equal(other, u)
    space_mod._lhs_slice.cache_clear()


def test_lhs_truncated_last_slice(monkeypatch):
    monkeypatch.setattr(space_mod, "LHS_SLICE_POINTS", 50)
    space_mod._lhs_slice.cache_clear()
    s = LatinHypercubeSpace((axis("a", low=0.0, high=1.0),), 203, seed=1)
    assert s.n_slices == 5 and s.slice_points == 41  # 205 strata, 2 left empty
    u = s.unit_points(0, 203)[:, 0]
    assert len(u) == 203 and _strata_counts(u, 205).max() == 1
    space_mod._lhs_slice.cache_clear()


def test_lhs_maps_scales_ints_and_choices():
    axes = (axis("lin", low=2.0, high=4.0), axis("log", low=1.0, high=100.0, scale="log"),
            axis("n", low=1, high=3, kind="int"), axis("c", ("p", "q"), kind="str"))
    pts = LatinHypercubeSpace(axes, 300, seed=5).points(0, 300)
    assert pts["lin"].min() >= 2 and pts["lin"].max() <= 4
    assert pts["log"].min() >= 1 and pts["log"].max() <= 100
    assert np.mean(pts["log"] < 10) == pytest.approx(0.5, abs=0.01)  # uniform in log
    assert set(pts["n"]) == {1, 2, 3} and pts["n"].dtype == np.int64
    assert set(pts["c"]) == {"p", "q"}


@settings(max_examples=40, deadline=None)
@given(size=st.integers(1, 3000), key=st.integers(0, 2**63 - 1), tweak=st.integers(0, 1000))
def test_keyed_permutation_is_a_bijection(size, key, tweak):
    keys = np.random.SeedSequence(key).generate_state(4, np.uint64)
    x = np.arange(size, dtype=np.uint64)
    y = keyed_permutation(x, np.full(size, tweak, np.uint64), keys, size)
    assert sorted(y.tolist()) == list(range(size))
