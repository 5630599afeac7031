"""Folded-Clos counts of scale-out clusters."""

import pytest

from microlink.errors import ConfigError
from microlink.rack.cluster import (
    clos_capacity,
    load_cluster,
    switch_counts,
    tiers_needed,
)


def test_capacity_and_tiers():
    assert clos_capacity(128, 1) == 128
    assert clos_capacity(128, 2) == 8192
    assert clos_capacity(128, 3) == 524288
    assert tiers_needed(100, 128) == 1
    assert tiers_needed(8192, 128) == 2
    assert tiers_needed(8193, 128) == 3
    assert tiers_needed(100_000, 128) == 3


def test_switch_counts_non_blocking():
    assert switch_counts(100_000, 128, 3) == [1563, 1563, 782]
    assert switch_counts(8192, 128, 2) == [128, 64]
    assert switch_counts(100, 128, 1) == [1]
    assert switch_counts(8192, 128, 2, oversubscription=2) == [128, 32]


def test_100k_cluster_counts():
    t = load_cluster("gb200-rail", 100_000)
    assert t.kind == "cluster" and t.gpus == 100_000 and t.scale_up_domain == 72
    out = [c for c in t.link_classes if c.scope == "scale-out"]
    assert [c.name for c in out] == ["nic-leaf", "leaf-spine", "spine-core"]
    assert all(c.links == 100_000 for c in out)
    # ~6 scale-out transceivers (link ends) per GPU: systems_and_market.md 1.6 / headline 10
    assert sum(c.link_ends for c in out) / t.gpus == pytest.approx(6.0)
    spine = t.link_class("spine")
    assert spine.links == 100_000 * 18
    assert t.racks == 1389


def test_small_cluster_uses_fewer_tiers():
    t = load_cluster("gb200-fat-tree", 1000)
    assert [c.name for c in t.link_classes if c.scope == "scale-out"] == ["nic-leaf", "leaf-spine"]


def test_bad_sizes():
    with pytest.raises(ConfigError, match="gpus"):
        load_cluster("gb200-rail", 10)
    with pytest.raises(ConfigError, match="gpus"):
        load_cluster("gb200-rail", 5_000_000)
    with pytest.raises(ConfigError, match="allowed"):
        load_cluster("gb200-nvl72", 1000)
