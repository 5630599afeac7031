"""Topology presets and user YAML: loading, counts, validation errors, sources beside every value."""

import textwrap

import pytest
import yaml

from microlink.errors import ConfigError
from microlink.rack.cluster import load_system
from microlink.rack.topology import (
    DATA_DIR,
    list_topologies,
    load_topology,
    topology_from_mapping,
)

MINIMAL = textwrap.dedent("""
    name: my-rack
    kind: rack
    title: eight GPUs on one switch
    source: test
    gpus: 8
    power: {rack: 10 kW, non_interconnect: 9 kW, gpu: 1 kW}
    nodes: [{name: gpu, count: 8}]
    switch_tiers: [{name: sw, chips: 1, ports_per_chip: 8, port_rate: 400 Gb/s, core_power_per_chip: 10 W}]
    link_classes:
      - name: a
        between: [gpu, sw]
        scope: scale-up
        links: 8
        link_rate: 400 Gb/s
        lanes_per_link: 2
        lane_rate: 200 Gb/s
        length: {kind: uniform, min: 0.5 m, max: 1 m}
        baseline: dac
""")


def minimal(**changes):
    data = yaml.safe_load(MINIMAL)
    for path, value in changes.items():
        node = data
        keys = path.split(".")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        last = keys[-1]
        if value is None:
            del node[last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return data


def test_every_preset_loads():
    kinds = list_topologies()
    assert {"gb200-nvl72", "gb200-nvl36x2", "vr-nvl144", "gb200-nvl576", "kyber-nvl576", "gb200-rail",
            "gb200-fat-tree"} <= set(kinds)
    for name in kinds:
        t = load_system(name, 1000) if kinds[name] == "cluster" else load_system(name)
        assert t.gpus > 0 and t.link_classes


def test_aliases_resolve():
    assert load_topology("nvl72").name == "gb200-nvl72"
    assert load_topology("kyber").name == "kyber-nvl576"


def test_user_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(MINIMAL)
    t = load_topology(path)
    assert t.name == "my-rack" and t.link_class("a").links == 8
    assert t.link_class("a").link_ends == 16
    assert t.switch_core_power == 10.0
    assert t.sources["link_classes.a.links"] == "test"


def test_cited_value_keeps_its_source():
    t = topology_from_mapping(minimal(gpus={"value": 8, "source": "my count"}))
    assert t.sources["gpus"] == "my count"


@pytest.mark.parametrize("change, needle", [
    ({"bogus": 1}, "bogus: unknown key"),
    ({"source": None}, "source: missing"),
    ({"kind": "galaxy"}, "kind"),
    ({"link_classes.0.scope": "up"}, "link_classes.a.scope: got 'up'; allowed: scale-up | scale-out"),
    ({"link_classes.0.links": 9}, "switch_tiers.sw.chips"),
    ({"link_classes.0.lane_rate": "100 Gb/s"}, "link_classes.a.link_rate"),
    ({"link_classes.0.between": ["gpu", "nic"]}, "link_classes.a.between"),
    ({"link_classes.0.length": {"kind": "gamma"}}, "link_classes.a.length.kind"),
    ({"link_classes.0.length": {"kind": "uniform", "min": "2 m", "max": "1 m"}}, "link_classes.a.length.max"),
    ({"link_classes.0.links": "many"}, "link_classes.a.links"),
    ({"link_classes.0.link_rate": "400 m"}, "link_classes.a.link_rate"),
    ({"link_classes.0.traffic_share": 2}, "traffic_share"),
    ({"link_classes.0.cabling": "wireless"}, "cabling"),
    ({"power.rack": "10 m"}, "power.rack"),
    ({"power.non_interconnect": "20 kW"}, "power.non_interconnect"),
    ({"gpus": 9}, "nodes.gpu.count"),
    ({"nodes": [{"name": "cpu", "count": 8}]}, "'gpu'"),
])
def test_validation_names_field_value_and_allowed(change, needle):
    with pytest.raises(ConfigError) as err:
        topology_from_mapping(minimal(**change), "mine.yaml")
    text = str(err.value)
    assert needle in text and text.startswith("mine.yaml: ") and "\n" not in text


def test_unknown_preset_lists_allowed():
    with pytest.raises(ConfigError, match="allowed: .*gb200-nvl72"):
        load_topology("nvl9000")
    with pytest.raises(ConfigError, match="file not found"):
        load_topology("/nonexistent/rack.yaml")
    with pytest.raises(ConfigError, match="cluster preset"):
        load_topology("gb200-rail")


def _walk_values(node, path=""):
    """Yield (path, value) of every leaf that is a number or quantity outside a {value, source} pair."""
    if isinstance(node, dict):
        if set(node) >= {"value", "source"}:
            return
        for k, v in node.items():
            yield from _walk_values(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk_values(v, f"{path}[{i}]")
    else:
        yield path, node


@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_preset_number_cites_its_source(path):
    data = yaml.safe_load(path.read_text())
    assert data["source"]
    uncited = []
    for where, value in _walk_values(data):
        leaf = where.rsplit(".", 1)[-1]
        if leaf in ("name", "kind", "title", "source", "baseline", "cabling", "scope", "architecture",
                    "scale_up", "dp_sharding", "switch") or where.startswith(("notes", "aliases")):
            continue
        if ".length." in f".{where}." or ".between" in where or ".order" in where:
            continue  # length fields cite the distribution's own source (checked below)
        if isinstance(value, bool):
            continue
        uncited.append(where)
    assert not uncited, f"values without a source beside them: {uncited}"
    classes = data.get("link_classes", []) + data.get("scale_out", {}).get("tiers", [])
    assert all(c["length"].get("source") for c in classes), "every length distribution cites its source"


def test_preset_headers_agree_with_the_whole_files():
    """The preset index reads only each file's name/kind/aliases lines: the same values as the full parse."""
    from microlink.rack.topology import DATA_DIR, _header, read_yaml

    paths = sorted(DATA_DIR.glob("*.yaml"))
    assert paths
    for path in paths:
        whole = read_yaml(path)
        head = _header(path)
        for key in ("name", "kind", "aliases"):
            assert head.get(key) == whole.get(key), (path.name, key)
