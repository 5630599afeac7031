"""Workloads: presets, derived step time and job length, placement of traffic, validation."""

import dataclasses

import pytest

from microlink.errors import ConfigError, ParameterError
from microlink.rack.workload import (
    hierarchical_bytes,
    list_workloads,
    load_workload,
    members_per_domain,
    step_traffic,
    workload_from_mapping,
)


def test_presets():
    assert {"llama3-405b", "deepseek-v3"} <= set(list_workloads())
    llama = load_workload("llama3")
    assert llama.gpus == 16_384 and llama.tokens_per_rank == pytest.approx(16e6 / 128)
    # 6 P tokens / (GPUs x 400 TFLOP/s)
    assert llama.step_time == pytest.approx(6 * 405e9 * 16e6 / (16_384 * 400e12))
    assert llama.job_duration / 86400 == pytest.approx(15.6e12 / 16e6 * llama.step_time / 86400)
    ds = load_workload("deepseek-v3")
    assert ds.gpus == 2048 and ds.ep == 64 and ds.active_parameters == 37e9
    assert ds.sources["parallelism.ep"].startswith("V:")


def test_members_per_domain():
    assert members_per_domain(1, 8, 72) == 8
    assert members_per_domain(8, 16, 72) == 9
    assert members_per_domain(128, 128, 72) == 1
    assert members_per_domain(1, 128, 72) == 72


@pytest.mark.parametrize("collective", ["all-reduce", "reduce-scatter", "all-gather", "all-to-all"])
@pytest.mark.parametrize("n, m", [(8, 1), (8, 8), (64, 8), (128, 72)])
def test_hierarchical_parts_add_up_to_flat(collective, n, m):
    flat = hierarchical_bytes(collective, 1e9, n, 1)
    up, out = hierarchical_bytes(collective, 1e9, n, m)
    if collective == "all-to-all" or m == 1 or n % m == 0:
        assert up + out == pytest.approx(sum(flat), rel=1e-12)
    if m >= n:
        assert out == 0


def test_placement_moves_traffic_between_scopes():
    llama = load_workload("llama3")
    inside = step_traffic(llama, 72)
    assert inside.per_gpu["tp"][1] == 0 and inside.per_gpu["tp"][0] > 0     # TP8 inside NVL72
    assert inside.per_gpu["dp"][0] == 0 and inside.per_gpu["dp"][1] > 0     # DP across racks
    hgx = step_traffic(llama, 8)
    assert hgx.per_gpu["pp"][0] == 0                                          # PP leaves an 8-GPU node
    ds = load_workload("deepseek")
    assert step_traffic(ds, 72).per_gpu["ep"][1] == 0                         # EP64 fits one NVL72
    node = step_traffic(ds, 8)
    assert node.per_gpu["ep"][1] > 0                                          # ... not an 8-GPU node


def test_node_limited_routing_caps_scale_out_copies():
    ds = load_workload("deepseek")
    capped = step_traffic(ds, 8).per_gpu["ep"][1]
    free = step_traffic(dataclasses.replace(ds, routing_domain_limit=0), 8).per_gpu["ep"][1]
    assert capped == pytest.approx(free * 4 / 7)  # min(8 x 56/64, 4) / (8 x 56/64)


def test_weak_scaling():
    llama = load_workload("llama3")
    big = llama.scaled_to(100_000)
    assert big.dp == 781 and big.gpus == 99_968
    assert big.step_time == pytest.approx(llama.step_time)
    assert big.tokens_per_rank == pytest.approx(llama.tokens_per_rank)
    ds = load_workload("deepseek").scaled_to(100_000)
    assert ds.dp % ds.ep == 0
    with pytest.raises(ParameterError, match="workload llama3-405b"):
        llama.scaled_to(72)


BASE = {
    "name": "w", "kind": "workload", "title": "t", "source": "s",
    "model": {"parameters": 1e9, "layers": 8, "hidden": 1024, "kv_dim": 128},
    "parallelism": {"tp": 2, "pp": 2, "dp": 4},
    "training": {"tokens_per_step": 1e6, "total_tokens": 1e9, "step_time": "2 s"},
}


def test_user_workload():
    w = workload_from_mapping(BASE)
    assert w.gpus == 16 and w.step_time == 2.0 and w.steps == 1000


@pytest.mark.parametrize("path, value, needle", [
    (("parallelism", "ep"), 3, "parallelism.ep"),
    (("parallelism", "order"), ["tp", "pp"], "parallelism.order"),
    (("parallelism", "dp_sharding"), "zero9", "dp_sharding"),
    (("parallelism", "pp"), 16, "parallelism.pp"),
    (("model", "layers"), 0, "model.layers"),
    (("model", "bogus"), 1, "model.bogus: unknown key"),
    (("training", "step_time"), None, "training.step_time"),
    (("training", "tokens_per_step"), -5, "training.tokens_per_step"),
])
def test_bad_workload(path, value, needle):
    import copy

    data = copy.deepcopy(BASE)
    if value is None:
        del data[path[0]][path[1]]
    else:
        data[path[0]][path[1]] = value
    with pytest.raises(ConfigError) as err:
        workload_from_mapping(data, "w.yaml")
    assert needle in str(err.value)


def test_unknown_workload():
    with pytest.raises(ConfigError, match="workload: got 'gpt9'"):
        load_workload("gpt9")
