"""Scale-out clusters of N GPUs: scale-up domains (a rack preset) joined by a folded-Clos fabric.

A cluster file describes the architecture, not the counts; :func:`build_cluster` derives the counts for
any N from documented formulas, so that one file serves 1k and 100k GPUs::

    name: gb200-rail
    kind: cluster
    title: One line
    source: where the facts come from
    scale_up: gb200-nvl72          # rack preset that forms the scale-up domain
    gpus: 100000                   # default size (the command line overrides it)
    architecture: rail-optimised   # rail-optimised | fat-tree
    scale_out:
      nics_per_gpu: 1
      nic_rate: 400 Gb/s           # per direction, per NIC
      lanes_per_link: 4
      lane_rate: 100 Gb/s
      switch_radix: 128            # ports per switch at the NIC rate
      switch_core_power: 250 W     # switching core without port SerDes (those are link ends)
      oversubscription: 1          # leaf down : up bandwidth
      tiers:                       # innermost first; only as many as N needs are built
        - {name: nic-leaf, switch: leaf-switch, length: {...}, baseline: dsp_pluggable, traffic_share: 1}
        - {name: leaf-spine, switch: spine-switch, ...}
        - {name: spine-core, switch: core-switch, ...}

Counts for E = N x nics_per_gpu endpoints, radix R and oversubscription o (a non-blocking folded Clos
when o = 1; Leiserson's fat tree, as in Al-Fares et al., SIGCOMM 2008):

* tiers needed: the smallest k with capacity(k) >= E, capacity(1) = R, capacity(2) = R^2/2,
  capacity(3) = R^3/4 (each tier below the top uses half its ports downward);
* links: tier 1 (NIC-leaf) = E; every higher tier = E / o;
* switches: leaves = ceil(E / (R/2)) (ceil(E/R) with one tier); middle tiers = ceil((E/o) / (R/2));
  top tier = ceil((E/o) / R).

Rail-optimised and fat-tree fabrics have the same counts here; they differ in the share of traffic that
climbs above the leaves (``traffic_share`` of each tier) and in cable lengths, both given per preset.
Scale-up link classes and switch chips are scaled from the rack preset by ``N / gpus_per_domain``
(rounded up); the non-interconnect power scales per GPU.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Literal

from pydantic import Field

from microlink.errors import ConfigError, ParameterError
from microlink.rack.topology import (
    CitedModel,
    Fact,
    LengthModel,
    LinkClass,
    NodeGroup,
    SwitchTier,
    Topology,
    _count,
    _fact,
    _positive,
    _Strict,
    length_from_model,
    load_topology,
    resolve_file,
    validate_model,
)

ARCHITECTURES = ("rail-optimised", "fat-tree")
#: Largest cluster accepted [GPUs].
MAX_GPUS = 10_000_000


class TierModel(_Strict):
    name: str
    switch: str
    length: LengthModel
    baseline: str
    traffic_share: Fact = 1
    source: str | None = None


class ScaleOutModel(_Strict):
    nics_per_gpu: Fact
    nic_rate: Fact
    lanes_per_link: Fact
    lane_rate: Fact
    switch_radix: Fact
    switch_core_power: Fact
    oversubscription: Fact = 1
    links_per_end: Fact = 1
    tiers: list[TierModel]


class ClusterModel(_Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: Literal["cluster"]
    title: str
    source: str
    scale_up: str
    gpus: Fact
    architecture: str
    scale_out: ScaleOutModel
    facts: dict[str, CitedModel] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


def tiers_needed(endpoints: int, radix: int) -> int:
    """Smallest number of folded-Clos tiers that connects ``endpoints`` with switches of ``radix`` ports."""
    tiers, capacity = 1, radix
    while capacity < endpoints:
        tiers += 1
        capacity = radix ** tiers // (2 ** (tiers - 1))
    return tiers


def clos_capacity(radix: int, tiers: int) -> int:
    """Endpoints of a non-blocking folded Clos: R, R^2/2, R^3/4, ... [1]."""
    return radix ** tiers // (2 ** (tiers - 1))


def switch_counts(endpoints: int, radix: int, tiers: int, oversubscription: float = 1.0) -> list[int]:
    """Switches per tier, innermost first (see module docstring)."""
    if tiers == 1:
        return [math.ceil(endpoints / radix)]
    upper = endpoints / oversubscription
    counts = [math.ceil(endpoints / (radix / 2))]
    counts += [math.ceil(upper / (radix / 2)) for _ in range(tiers - 2)]
    counts.append(math.ceil(upper / radix))
    return counts


def build_cluster(data: dict, gpus: int | None = None, origin: str = "cluster") -> Topology:
    """Build a cluster :class:`Topology` of ``gpus`` GPUs (default: the file's) from a cluster mapping."""
    m = validate_model(ClusterModel, data, origin)
    try:
        return _build(m, gpus)
    except ParameterError as exc:
        raise ConfigError(f"{origin}: {exc}") from None


def _build(m: ClusterModel, gpus_override: int | None) -> Topology:
    src: dict[str, str] = {}
    top = m.source
    if m.architecture not in ARCHITECTURES:
        raise ParameterError("architecture", m.architecture, " | ".join(ARCHITECTURES))
    domain = load_topology(m.scale_up)
    if gpus_override is None:
        gpus = _count(m.gpus, "gpus", top, src)
    else:
        gpus = int(gpus_override)
        src["gpus"] = "command line"
    if not domain.gpus <= gpus <= MAX_GPUS:
        raise ParameterError("gpus", gpus, f"{domain.gpus} .. {MAX_GPUS:,} (one {domain.name} domain at least)")
    so = m.scale_out
    nics = _count(so.nics_per_gpu, "scale_out.nics_per_gpu", top, src)
    nic_rate = _positive(_fact(so.nic_rate, "b/s", "scale_out.nic_rate", top, src), "scale_out.nic_rate", "b/s")
    lanes = _count(so.lanes_per_link, "scale_out.lanes_per_link", top, src)
    lane_rate = _positive(_fact(so.lane_rate, "b/s", "scale_out.lane_rate", top, src), "scale_out.lane_rate", "b/s")
    if abs(lanes * lane_rate - nic_rate) > 1e-6 * nic_rate:
        raise ParameterError("scale_out.nic_rate", f"{nic_rate / 1e9:g} Gb/s",
                             f"lanes_per_link x lane_rate = {lanes * lane_rate / 1e9:g} Gb/s")
    radix = _count(so.switch_radix, "scale_out.switch_radix", top, src, minimum=4)
    if radix % 2:
        raise ParameterError("scale_out.switch_radix", radix, "an even number of ports")
    core = _fact(so.switch_core_power, "W", "scale_out.switch_core_power", top, src)
    if core < 0:
        raise ParameterError("scale_out.switch_core_power", core, ">= 0 W")
    oversub = _fact(so.oversubscription, "1", "scale_out.oversubscription", top, src)
    if not 1 <= oversub <= 16:
        raise ParameterError("scale_out.oversubscription", oversub, "1 .. 16")
    per_end = _count(so.links_per_end, "scale_out.links_per_end", top, src)
    if not so.tiers:
        raise ParameterError("scale_out.tiers", [], "at least one tier")

    endpoints = gpus * nics
    needed = tiers_needed(endpoints, radix)
    if needed > len(so.tiers):
        raise ParameterError("gpus", gpus, f"<= {clos_capacity(radix, len(so.tiers)) // nics:,} for the "
                             f"{len(so.tiers)} tiers of radix {radix} described")
    counts = switch_counts(endpoints, radix, needed, oversub)

    # scale-up domains, scaled per GPU
    scale = gpus / domain.gpus
    classes = [dataclasses.replace(c, links=math.ceil(c.links * scale)) for c in domain.link_classes]
    tiers = [dataclasses.replace(t, chips=math.ceil(t.chips * scale), trays=math.ceil(t.trays * scale))
             for t in domain.switch_tiers]
    for key, value in domain.sources.items():
        src[f"scale_up.{key}"] = value

    names = {c.name for c in classes} | {t.name for t in tiers}
    endpoint = "nic"
    for level, (tier_model, n_switches) in enumerate(zip(so.tiers[:needed], counts)):
        base = f"scale_out.tiers.{tier_model.name}"
        if tier_model.name in names:
            raise ParameterError(f"{base}.name", tier_model.name, "a name not used by the scale-up domain")
        s = tier_model.source or top
        switch_name = tier_model.switch
        if switch_name in names or switch_name == tier_model.name:
            raise ParameterError(f"{base}.switch", switch_name, "a name not used elsewhere in the cluster")
        tiers.append(SwitchTier(switch_name, n_switches, radix, nic_rate, core, source=s))
        src[f"switch_tiers.{switch_name}.chips"] = "D: folded-Clos counts (microlink.rack.cluster docstring)"
        src[f"switch_tiers.{switch_name}.core_power_per_chip"] = src["scale_out.switch_core_power"]
        links = endpoints if level == 0 else math.ceil(endpoints / oversub)
        share = _fact(tier_model.traffic_share, "1", f"{base}.traffic_share", s, src)
        if not 0 <= share <= 1:
            raise ParameterError(f"{base}.traffic_share", share, "0 .. 1")
        length = length_from_model(tier_model.length, f"{base}.length")
        src[f"link_classes.{tier_model.name}.length"] = tier_model.length.source or s
        src[f"link_classes.{tier_model.name}.links"] = "D: folded-Clos counts (microlink.rack.cluster docstring)"
        classes.append(LinkClass(tier_model.name, (endpoint, switch_name), "scale-out", links, nic_rate, lanes,
                                 lane_rate, per_end, "per-end", length, tier_model.baseline, 2.0, share, s))
        names |= {tier_model.name, switch_name}
        endpoint = switch_name

    per_gpu_other = domain.non_interconnect_power / domain.gpus
    per_gpu_rack = domain.rack_power / domain.gpus
    src["power.non_interconnect"] = f"D: {domain.name} non-interconnect power per GPU x GPUs"
    src["power.rack"] = f"D: {domain.name} rack power per GPU x GPUs (scale-out fabric excluded)"
    src["power.gpu"] = domain.sources.get("power.gpu", domain.source)
    nodes = [NodeGroup("gpu", gpus, domain.gpu_power, domain.source),
             NodeGroup("nic", endpoints, 0.0, src["scale_out.nics_per_gpu"])]
    facts = {k: (v.value if isinstance(v.value, (int, float)) else float(v.value), v.source) for k, v in m.facts.items()}
    return Topology(
        name=m.name, title=m.title, kind="cluster", gpus=gpus, racks=math.ceil(scale) * domain.racks,
        rack_power=per_gpu_rack * gpus, non_interconnect_power=per_gpu_other * gpus, gpu_power=domain.gpu_power,
        nodes=tuple(nodes), switch_tiers=tuple(tiers), link_classes=tuple(classes), source=top, sources=src,
        facts=facts, notes=(*m.notes, (f"{m.architecture}, {needed} scale-out tiers of radix {radix}, "
                                       f"scale-up domain {domain.name}")),
        aliases=tuple(m.aliases), domain_gpus=domain.gpus,
    )


def load_cluster(name_or_path, gpus: int | None = None) -> Topology:
    """A cluster from a preset name (``"gb200-rail"``) or YAML file, built for ``gpus`` GPUs."""
    data, origin = resolve_file(name_or_path, ("cluster",))
    return build_cluster(data, gpus, origin)


def load_system(name_or_path, gpus: int | None = None) -> Topology:
    """Any system: a rack/domain preset or file, or a cluster (built for ``gpus``)."""
    data, origin = resolve_file(name_or_path, ("rack", "domain", "cluster"))
    if data.get("kind") == "cluster":
        return build_cluster(data, gpus, origin)
    if gpus is not None:
        raise ConfigError(f"--gpus: got {gpus}; allowed: only with a cluster system (this is a {data.get('kind')})")
    from microlink.rack.topology import topology_from_mapping

    return topology_from_mapping(data, origin)
