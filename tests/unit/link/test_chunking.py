"""A large request runs in chunks of ``chain.CHUNK_POINTS`` points (bounded memory): the reassembled result is
the one-call result, field by field (dtypes included, one maximum reach per lane), and every per-point figure
(the latency breakdown included) is the point's own, not the batch's."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.catalog import get_parameter_set
from microlink.link import chain
from microlink.link.chain import evaluate_link


def _assert_same(fields, a, b, rtol=0.0):
    left, right = fields(a), fields(b)
    assert left.keys() == right.keys()
    for name, x in left.items():
        y = right[name]
        if x is None or isinstance(x, (str, bool)):
            assert x == y, name
            continue
        x, y = np.asarray(x), np.asarray(y)
        assert x.shape == y.shape and x.dtype == y.dtype, name
        if rtol and x.dtype.kind == "f":
            np.testing.assert_allclose(y, x, rtol=rtol, atol=0.0, err_msg=name)
        else:
            np.testing.assert_array_equal(y, x, err_msg=name)


def _microled_batch(n, seed=3):
    rng = np.random.default_rng(seed)
    base = get_parameter_set("lightbundle").parameters
    p = base.replace(led={"diameter": rng.uniform(2e-6, 8e-6, n)},
                     driver={"bias_current": rng.uniform(50e-6, 300e-6, n)})
    return p, rng.uniform(0.5, 30.0, n), rng.uniform(1e9, 5e9, n)


def test_a_chunked_microled_batch_is_the_one_call_batch(monkeypatch, result_fields):
    p, reach, rate = _microled_batch(23)
    whole = evaluate_link(p, reach=reach, lane_rate=rate, solve_reach=False)
    monkeypatch.setattr(chain, "CHUNK_POINTS", 5)
    chunked = evaluate_link(p, reach=reach, lane_rate=rate, solve_reach=False)
    _assert_same(result_fields, whole, chunked)


@pytest.mark.parametrize("name", ["dac-200g", "vcsel-npo", "lightbundle"])
def test_a_chunked_request_with_its_reach_solved_is_the_one_call_request(monkeypatch, name, result_fields):
    lengths = np.geomspace(0.3, 40.0, 17)
    whole = evaluate_link(name, reach=lengths, solve_reach=True)
    monkeypatch.setattr(chain, "CHUNK_POINTS", 4)
    chunked = evaluate_link(name, reach=lengths, solve_reach=True)
    # The micro-LED chain is bitwise the same in any batch (its docstrings' rule); NumPy's vector loops may
    # round the equalised chains' last digit differently for arrays of other lengths (4e-16 seen). A lane's
    # reach is solved once over the whole request, from every chunk's gaps
    _assert_same(result_fields, whole, chunked, rtol=0.0 if name == "lightbundle" else 1e-12)
    if name != "lightbundle":  # scalar parameters: one lane, one maximum reach
        assert np.unique(np.asarray(chunked.max_reach)).size == 1


def test_a_request_runs_in_chunks_of_chunk_points(monkeypatch, run_flat_sizes):
    monkeypatch.setattr(chain, "CHUNK_POINTS", 5)
    p, reach, rate = _microled_batch(23)
    evaluate_link(p, reach=reach, lane_rate=rate, solve_reach=False)
    assert run_flat_sizes == [5, 5, 5, 5, 3]


def test_a_request_larger_than_one_chunk_is_the_one_call_request(monkeypatch, result_fields):
    lengths = np.geomspace(0.5, 4.0, chain.CHUNK_POINTS + 3)
    chunked = evaluate_link("dac-100g", reach=lengths, solve_reach=False)
    monkeypatch.setattr(chain, "CHUNK_POINTS", 10**9)
    whole = evaluate_link("dac-100g", reach=lengths, solve_reach=False)
    _assert_same(result_fields, whole, chunked, rtol=1e-12)


def test_a_chunked_result_keeps_the_request_shape(monkeypatch, result_fields):
    monkeypatch.setattr(chain, "CHUNK_POINTS", 3)
    r = evaluate_link("dac-100g", reach=np.linspace(0.5, 3.0, 8).reshape(2, 4), solve_reach=False)
    assert r.shape == (2, 4)
    for name, value in result_fields(r).items():
        if isinstance(value, np.ndarray) and value.ndim:
            assert value.shape == (2, 4), name


@pytest.mark.parametrize("name", ["dac-200g", "lightbundle"])
def test_the_latency_breakdown_is_each_points_own(name):
    lengths = np.array([0.5, 2.0, 8.0])
    batch = evaluate_link(name, reach=lengths, solve_reach=False)
    parts = batch.extras["latency_breakdown_ns"]
    assert set(parts) >= {"propagation", "attach"}
    total = sum(np.asarray(v) for v in parts.values())
    np.testing.assert_allclose(total, np.asarray(batch.latency) * 1e9, rtol=1e-12, atol=0.0)
    for i, length in enumerate(lengths):
        alone = evaluate_link(name, reach=float(length), solve_reach=False).extras["latency_breakdown_ns"]
        for k, v in alone.items():
            assert float(np.asarray(parts[k])[i]) == pytest.approx(float(v), rel=1e-12, abs=0.0), k
    assert np.all(np.diff(np.asarray(parts["propagation"])) > 0)  # longer fibre or cable, longer flight


@settings(max_examples=12, deadline=None)
@given(n=st.integers(1, 11), chunk=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_any_chunking_of_any_microled_batch_is_the_one_call_batch(n, chunk, seed):
    """Property: however a batch is cut, the micro-LED chain returns the one-call result bitwise."""
    from microlink.link.result import result_points

    p, reach, rate = _microled_batch(n, seed)
    whole = evaluate_link(p, reach=reach, lane_rate=rate, solve_reach=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(chain, "CHUNK_POINTS", chunk)
        chunked = evaluate_link(p, reach=reach, lane_rate=rate, solve_reach=False)
    for a, b in zip(result_points(whole), result_points(chunked)):
        assert a.to_dict() == b.to_dict()
