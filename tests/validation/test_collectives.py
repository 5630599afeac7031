"""Collective volumes and per-step traffic against hand-computed cases.

Sources: nccl-tests doc/PERFORMANCE.md (collective bytes and busbw factors, systems_and_market.md 4.2);
systems_and_market.md 4.3 (per-parallelism volumes, Llama 3 405B and DeepSeek-V3 worked numbers).
"""

import pytest

from microlink.rack.workload import (
    all_gather_bytes,
    all_reduce_bytes,
    all_to_all_bytes,
    hierarchical_bytes,
    load_workload,
    reduce_scatter_bytes,
    step_traffic,
)

GB = 1e9


@pytest.mark.parametrize("n, expected", [(2, 1.0), (4, 1.5), (8, 1.75), (72, 2 * 71 / 72)])
def test_all_reduce(n, expected):
    """Ring all-reduce sends 2(n-1)/n S per GPU (exact)."""
    assert all_reduce_bytes(GB, n) == pytest.approx(expected * GB, rel=1e-12)


@pytest.mark.parametrize("fn", [reduce_scatter_bytes, all_gather_bytes, all_to_all_bytes])
def test_reduce_scatter_all_gather_all_to_all(fn):
    """(n-1)/n S per GPU (exact): 8 ranks, 1 GB -> 0.875 GB."""
    assert fn(GB, 8) == pytest.approx(0.875 * GB, rel=1e-12)
    assert fn(GB, 1) == 0


def test_single_rank_sends_nothing():
    assert all_reduce_bytes(GB, 1) == 0


def test_hierarchical_all_reduce_hand_case():
    """64 ranks, 8 per domain, S = 1 GB: inside 2 x 7/8 = 1.75 GB; across 2 x 7/8 x 1/8 = 0.21875 GB."""
    up, out = hierarchical_bytes("all-reduce", GB, 64, 8)
    assert up == pytest.approx(1.75 * GB) and out == pytest.approx(0.21875 * GB)
    a2a_up, a2a_out = hierarchical_bytes("all-to-all", GB, 64, 8)
    assert a2a_up == pytest.approx(7 / 64 * GB) and a2a_out == pytest.approx(56 / 64 * GB)


def test_llama3_tensor_parallel_volume():
    """4 (L/p) T h beta 2(t-1)/t: 4 x 126/16 x (16e6/128) x 16,384 x 2 x 1.75 = 225.792 GB per GPU (exact)."""
    tr = step_traffic(load_workload("llama3-405b"), 72)
    expected = 4 * (126 / 16) * (16e6 / 128) * 16384 * 2 * 1.75
    assert expected == pytest.approx(225.792e9)
    assert tr.per_gpu["tp"] == (pytest.approx(expected), 0.0)


def test_llama3_data_parallel_volume():
    """ZeRO-1 over d = 128: (d-1)/d P/(t p) (4 B grads + 2 B params) = 18.84 GB per GPU, all scale-out
    when DP strides past the 72-GPU domain (0.1 %)."""
    tr = step_traffic(load_workload("llama3-405b"), 72)
    expected = 127 / 128 * 405e9 / (8 * 16) * (4 + 2)
    assert tr.per_gpu["dp"][0] == 0 and tr.per_gpu["dp"][1] == pytest.approx(expected, rel=1e-3)
    assert expected == pytest.approx(18.84e9, rel=1e-3)


def test_llama3_pipeline_volume():
    """2 T h beta (p-1)/p / t = 2 x 125,000 x 16,384 x 2 x 15/16 / 8 = 0.96 GB per GPU (exact)."""
    w = load_workload("llama3-405b")
    total = sum(step_traffic(w, 72).per_gpu["pp"])
    assert total == pytest.approx(2 * 125_000 * 16384 * 2 * 15 / 16 / 8)


def test_deepseek_twenty_megabytes_per_token():
    """Per token, fwd + bwd over 58 MoE layers: 2 x 58 x 8 x 7,168 x (1 + 2) B = 19.96 MB ~ '20 MB' (4.3)."""
    w = load_workload("deepseek-v3")
    per_token = 2 * w.moe_layers * w.experts_per_token * w.hidden * (w.dispatch_bytes + w.combine_bytes)
    assert per_token == pytest.approx(20e6, rel=0.01)
    # the model: one GPU's tokens over its stage's layers; inside one NVL72 EP64 is all scale-up
    tr = step_traffic(w, 72)
    tokens = w.tokens_per_step / (w.dp * w.cp * w.tp)
    expected = tokens * per_token / w.pp * 63 / 64
    assert tr.per_gpu["ep"] == (pytest.approx(expected), 0.0)


def test_deepseek_dispatch_combine_sizes():
    """Dispatch 8 x 7,168 x 1 B = 57 KB, combine 115 KB per token per MoE layer forward (4.3; 1 %)."""
    w = load_workload("deepseek-v3")
    assert w.experts_per_token * w.hidden * w.dispatch_bytes == pytest.approx(57e3, rel=0.01)
    assert w.experts_per_token * w.hidden * w.combine_bytes == pytest.approx(115e3, rel=0.01)
