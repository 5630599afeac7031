"""Topologies as data: nodes, switch tiers and link classes, read from cited YAML files.

A topology is what a system *is* (how many GPUs, switch chips, links, how long the cables are), never
which technology carries its links: that is chosen later per link class (:mod:`microlink.rack.assign`).
Presets live in ``src/microlink/rack/data/*.yaml``; users write the same format. Every number may be given
as a bare value (in the field's unit, or a string with a unit) or as ``{value: ..., source: ...}`` so that
its citation sits beside it; each object also carries a ``source`` for the values that have none of
their own.

Format of a rack or multi-rack domain (``kind: rack`` or ``kind: domain``)::

    name: my-rack                     # key used on the command line
    kind: rack                        # rack | domain (a cluster is described in microlink.rack.cluster)
    title: One line
    source: where the facts come from
    gpus: 72
    racks: 1
    power:
      rack: 120 kW                    # cited power of the system as built (with its baseline links)
      non_interconnect: 113.55 kW     # everything except links and switch cores (share denominator)
      gpu: 1200 W                     # per GPU, for the energy of a training step
    nodes:                            # endpoint groups that links attach to
      - {name: gpu, count: 72}
    switch_tiers:
      - name: nvswitch
        chips: 18
        ports_per_chip: 72
        port_rate: 400 Gb/s           # per direction
        core_power_per_chip: 41.6 W   # switching core, without the port SerDes (those are link ends)
    link_classes:
      - name: spine
        between: [gpu, nvswitch]
        scope: scale-up               # scale-up | scale-out: which workload traffic it carries
        links: 1296                   # logical links (one per GPU-switch port pair)
        link_rate: 400 Gb/s           # per direction per link
        lanes_per_link: 2             # electrical lanes per direction
        lane_rate: 200 Gb/s
        links_per_end: 1              # logical links served by one module/engine end
        cabling: per-lane             # electrical: one twinax pair per lane-direction; or per-end
        length: {kind: triangular, min: 0.2 m, mode: 0.45 m, max: 1.2 m}
        baseline: dac                 # technology (or parameter set) of the system as built
        traversals: 2                 # link-directions a byte of its scope crosses in this class
        traffic_share: 1              # share of the scope's bytes that reach this class

Loading validates every field; a bad one raises :class:`~microlink.errors.ConfigError` naming the file,
the field, the value and what is allowed.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from microlink.errors import ConfigError, ParameterError
from microlink.rack.lengths import LengthDistribution
from microlink.units import parse_quantity

#: Directory of the preset YAML files.
DATA_DIR = Path(__file__).parent / "data"
SCOPES = ("scale-up", "scale-out")
CABLING = ("per-lane", "per-end")
SYSTEM_KINDS = ("rack", "domain", "cluster", "workload")

Scalar = Union[int, float, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PortSerDesModel(_Strict):
    ports: Scalar
    port_rate: Scalar


class CitedModel(_Strict):
    value: Scalar
    source: str
    #: Host ports whose SerDes the value includes but the link ends are charged for: the loader subtracts
    #: ``ports x`` the link model's host SerDes power at ``port_rate`` (one price for the block).
    less_port_serdes: PortSerDesModel | None = None


Fact = Union[CitedModel, Scalar]


class LengthModel(_Strict):
    kind: str
    value: Scalar | None = None
    min: Scalar | None = None
    max: Scalar | None = None
    mode: Scalar | None = None
    mean: Scalar | None = None
    std: Scalar | None = None
    median: Scalar | None = None
    sigma: Scalar | None = None
    lengths: list[Scalar] | None = None
    weights: list[float] | None = None
    source: str | None = None


class NodeModel(_Strict):
    name: str
    count: Fact
    power: Fact | None = None
    source: str | None = None


class SwitchTierModel(_Strict):
    name: str
    chips: Fact
    trays: Fact | None = None
    ports_per_chip: Fact
    port_rate: Fact
    core_power_per_chip: Fact
    tray_power: Fact | None = None
    source: str | None = None


class LinkClassModel(_Strict):
    name: str
    between: list[str]
    scope: str
    links: Fact
    link_rate: Fact
    lanes_per_link: Fact
    lane_rate: Fact
    links_per_end: Fact = 1
    cabling: str = "per-end"
    length: LengthModel
    baseline: str
    traversals: Fact = 2
    traffic_share: Fact = 1
    source: str | None = None


class PowerModel(_Strict):
    rack: Fact
    non_interconnect: Fact
    gpu: Fact


class TopologyModel(_Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: Literal["rack", "domain"]
    title: str
    source: str
    gpus: Fact
    racks: Fact = 1
    power: PowerModel
    nodes: list[NodeModel]
    switch_tiers: list[SwitchTierModel] = Field(default_factory=list)
    link_classes: list[LinkClassModel]
    facts: dict[str, CitedModel] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------- dataclasses
@dataclass(frozen=True)
class NodeGroup:
    """A group of identical endpoints (GPUs, CPUs, NICs)."""

    name: str
    count: int
    power: float  # [W] per node; 0 where not given
    source: str


@dataclass(frozen=True)
class SwitchTier:
    """One tier of switch chips.

    ``core_power_per_chip`` [W] is the switching core alone: the port SerDes are the host halves of the
    link ends that attach to the chip and are charged there, from the link results.
    """

    name: str
    chips: int
    ports_per_chip: int
    port_rate: float  # [b/s] per direction
    core_power_per_chip: float  # [W]
    trays: int = 0
    tray_power: float = 0.0  # [W] cited power of one tray (all-in), for validation
    source: str = ""

    @property
    def ports(self) -> int:
        return self.chips * self.ports_per_chip

    @property
    def core_power(self) -> float:
        """Switching-core power of the tier [W]."""
        return self.chips * self.core_power_per_chip


@dataclass(frozen=True)
class LinkClass:
    """Links of one kind: same endpoints, rate and length distribution.

    Counting convention: ``links`` are logical links (an NVLink-5 link is 2 lanes x 200 Gb/s per
    direction). A technology serves ``links_per_end`` of them with one link end (module or engine) on
    each side, so a class has ``end_pairs = links / links_per_end`` pairs and ``2 * end_pairs`` ends.
    """

    name: str
    endpoints: tuple[str, str]
    scope: str
    links: int
    link_rate: float  # [b/s] per direction per logical link
    lanes_per_link: int  # electrical lanes per direction
    lane_rate: float  # [b/s]
    links_per_end: int
    cabling: str
    length: LengthDistribution
    baseline: str
    traversals: float = 2.0
    traffic_share: float = 1.0
    source: str = ""

    @property
    def end_pairs(self) -> int:
        """Link-end pairs (one module/engine at each side) [1]."""
        return math.ceil(self.links / self.links_per_end)

    @property
    def link_ends(self) -> int:
        return 2 * self.end_pairs

    @property
    def aggregate_rate(self) -> float:
        """Payload per direction of one link end [b/s]: the rate the link model is asked for."""
        return self.link_rate * self.links_per_end

    @property
    def bandwidth_per_direction(self) -> float:
        """Sum over the class of the per-direction rates [b/s]."""
        return self.links * self.link_rate

    @property
    def electrical_lanes(self) -> int:
        """Lane-directions of the electrical (as-built) cabling: links x lanes x 2 directions [1]."""
        return self.links * self.lanes_per_link * 2


@dataclass(frozen=True)
class Topology:
    """A system: endpoints, switch tiers and link classes, with the power it draws as built.

    Attributes
    ----------
    name, title, kind : str
        Key (e.g. ``"gb200-nvl72"``), one-line description, ``"rack"`` / ``"domain"`` / ``"cluster"``.
    gpus, racks : int
    rack_power : float
        Cited power of the whole system as built [W].
    non_interconnect_power : float
        Power of everything but link ends and switch cores [W] (denominator of the interconnect share).
    gpu_power : float
        Power of one GPU [W] (energy of a training step).
    nodes, switch_tiers, link_classes : tuple
    sources : dict[str, str]
        Citation of every value, keyed by dotted path (``"link_classes.spine.links"``).
    facts : dict[str, tuple[float, str]]
        Further cited figures (value in SI, source) that the model must reproduce.
    domain_gpus : int
        GPUs per scale-up domain of a cluster (0: the whole system is one domain).
    """

    name: str
    title: str
    kind: str
    gpus: int
    racks: int
    rack_power: float
    non_interconnect_power: float
    gpu_power: float
    nodes: tuple[NodeGroup, ...]
    switch_tiers: tuple[SwitchTier, ...]
    link_classes: tuple[LinkClass, ...]
    source: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    facts: dict[str, tuple[float, str]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    domain_gpus: int = 0

    @property
    def scale_up_domain(self) -> int:
        """GPUs in one scale-up domain [1] (the whole system for a rack or domain)."""
        return self.domain_gpus or self.gpus

    def link_class(self, name: str) -> LinkClass:
        for c in self.link_classes:
            if c.name == name:
                return c
        raise ParameterError("link class", name, " | ".join(c.name for c in self.link_classes))

    @property
    def switch_core_power(self) -> float:
        """Switching-core power of all tiers [W]."""
        return sum(t.core_power for t in self.switch_tiers)

    @property
    def switch_chips(self) -> int:
        return sum(t.chips for t in self.switch_tiers)

    def bandwidth_per_direction(self, scope: str | None = None) -> float:
        """Sum of link rates per direction, optionally of one scope [b/s]."""
        return sum(c.bandwidth_per_direction for c in self.link_classes if scope in (None, c.scope))

    def replace(self, **changes) -> Topology:
        return dataclasses.replace(self, **changes)


# ---------------------------------------------------------------------------------------------- loading
def _fact(raw, unit: str, path: str, default_source: str, sources: dict[str, str]) -> float:
    """Value of a fact in SI, recording its source under ``path``."""
    if isinstance(raw, CitedModel):
        sources[path] = raw.source
        value = parse_quantity(raw.value, unit, field=path)
        if raw.less_port_serdes is not None:
            from microlink.link.attach import host_port_serdes_power

            ports = parse_quantity(raw.less_port_serdes.ports, "1", field=f"{path}.less_port_serdes.ports")
            rate = parse_quantity(raw.less_port_serdes.port_rate, "b/s", field=f"{path}.less_port_serdes.port_rate")
            if ports < 0 or ports != int(ports):
                raise ParameterError(f"{path}.less_port_serdes.ports", ports, "a whole number >= 0")
            value = value - ports * host_port_serdes_power(rate)
            sources[path] = raw.source + (f" - {int(ports):,} ports x {host_port_serdes_power(rate):.3g} W host "
                                          "SerDes (the link model's long-reach SerDes block)")
        return value
    sources[path] = default_source
    return parse_quantity(raw, unit, field=path)


def _count(raw, path: str, default_source: str, sources: dict[str, str], minimum: int = 1) -> int:
    value = _fact(raw, "1", path, default_source, sources)
    if value != int(value) or value < minimum:
        raise ParameterError(path, value, f"a whole number >= {minimum}")
    return int(value)


def _positive(value: float, path: str, unit: str, upper: float = math.inf) -> float:
    if not (value > 0 and value <= upper):
        raise ParameterError(path, f"{value:g} {unit}".strip(), f"> 0 {unit}" + (f" and <= {upper:g}" if upper < math.inf else ""))
    return value


def _first_error(exc: ValidationError) -> tuple[str, str]:
    errors = exc.errors()
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    err = (unknown or errors)[0]  # a misspelt key also shows up as a missing one: name the misspelling
    loc = ".".join(str(x) for x in err["loc"] if not (isinstance(x, str) and x in ("CitedModel", "int", "float", "str")))
    if err["type"] == "extra_forbidden":
        return loc, f"unknown key (got {err.get('input')!r})"
    if err["type"] == "missing":
        return loc, "missing (required)"
    if err["type"] == "literal_error":
        return loc, f"got {err.get('input')!r}; allowed: {err['ctx']['expected']}"
    return loc, f"{err['msg']} (got {err.get('input')!r})"


def validate_model(model_cls, data: dict, origin: str):
    """Validate ``data`` against a pydantic model, raising one-line :class:`ConfigError`."""
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        loc, msg = _first_error(exc)
        raise ConfigError(f"{origin}: {loc}: {msg}") from None


def length_from_model(m: LengthModel, path: str) -> LengthDistribution:
    """Build a :class:`LengthDistribution` from its validated model (lengths parsed in metres)."""
    given = m.model_dump(exclude_none=True)
    given.pop("source", None)
    kind = given.pop("kind")
    if kind == "empirical":
        lengths = [parse_quantity(v, "m", field=f"{path}.lengths") for v in given.pop("lengths", [])]
        if given.keys() - {"weights"}:
            raise ParameterError(f"{path}.{min(given.keys() - {'weights'})}", "...", "lengths, weights")
        return LengthDistribution("empirical", lengths=tuple(lengths), weights=tuple(given.get("weights", ())))
    if "lengths" in given or "weights" in given:
        raise ParameterError(f"{path}.lengths", given.get("lengths"), "only with kind: empirical")
    params = {k: parse_quantity(v, "1" if k == "sigma" else "m", field=f"{path}.{k}") for k, v in given.items()}
    try:
        return LengthDistribution(kind, parameters=params)
    except ParameterError as exc:
        raise ParameterError(exc.field.replace("length", path, 1), exc.value, exc.allowed) from None


def topology_from_mapping(data: dict, origin: str = "topology") -> Topology:
    """Validate a rack/domain mapping (see module docstring) and build a :class:`Topology`."""
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: must hold a mapping of keys to values")
    m = validate_model(TopologyModel, data, origin)
    try:
        return _build(m)
    except ParameterError as exc:
        raise ConfigError(f"{origin}: {exc}") from None


def _build(m: TopologyModel) -> Topology:
    src: dict[str, str] = {}
    top = m.source
    gpus = _count(m.gpus, "gpus", top, src)
    racks = _count(m.racks, "racks", top, src)
    rack_power = _positive(_fact(m.power.rack, "W", "power.rack", top, src), "power.rack", "W")
    non_ic = _positive(_fact(m.power.non_interconnect, "W", "power.non_interconnect", top, src),
                       "power.non_interconnect", "W")
    if non_ic > rack_power:
        raise ParameterError("power.non_interconnect", f"{non_ic:g} W", f"<= power.rack = {rack_power:g} W")
    gpu_power = _positive(_fact(m.power.gpu, "W", "power.gpu", top, src), "power.gpu", "W", 1e5)

    names: set[str] = set()

    def unique(name: str, path: str):
        if name in names:
            raise ParameterError(path, name, "a name not used by another node, switch tier or link class")
        names.add(name)

    nodes = []
    for i, n in enumerate(m.nodes):
        base = f"nodes.{n.name}"
        unique(n.name, f"nodes[{i}].name")
        s = n.source or top
        count = _count(n.count, f"{base}.count", s, src)
        power = 0.0 if n.power is None else _fact(n.power, "W", f"{base}.power", s, src)
        nodes.append(NodeGroup(n.name, count, power, s))
    if not any(n.name == "gpu" for n in nodes):
        raise ParameterError("nodes", [n.name for n in nodes], "a list including a node group named 'gpu'")
    gpu_nodes = next(n for n in nodes if n.name == "gpu")
    if gpu_nodes.count != gpus:
        raise ParameterError("nodes.gpu.count", gpu_nodes.count, f"equal to gpus = {gpus}")

    tiers = []
    for i, t in enumerate(m.switch_tiers):
        base = f"switch_tiers.{t.name}"
        unique(t.name, f"switch_tiers[{i}].name")
        s = t.source or top
        tiers.append(SwitchTier(
            name=t.name,
            chips=_count(t.chips, f"{base}.chips", s, src),
            ports_per_chip=_count(t.ports_per_chip, f"{base}.ports_per_chip", s, src),
            port_rate=_positive(_fact(t.port_rate, "b/s", f"{base}.port_rate", s, src), f"{base}.port_rate", "b/s"),
            core_power_per_chip=_fact(t.core_power_per_chip, "W", f"{base}.core_power_per_chip", s, src),
            trays=0 if t.trays is None else _count(t.trays, f"{base}.trays", s, src),
            tray_power=0.0 if t.tray_power is None else _fact(t.tray_power, "W", f"{base}.tray_power", s, src),
            source=s,
        ))
        if tiers[-1].core_power_per_chip < 0:
            raise ParameterError(f"{base}.core_power_per_chip", tiers[-1].core_power_per_chip, ">= 0 W")

    endpoint_names = {n.name for n in nodes} | {t.name for t in tiers}
    classes = []
    ports_used: dict[str, int] = {}
    for i, c in enumerate(m.link_classes):
        base = f"link_classes.{c.name}"
        unique(c.name, f"link_classes[{i}].name")
        s = c.source or top
        if len(c.between) != 2 or any(e not in endpoint_names for e in c.between):
            raise ParameterError(f"{base}.between", c.between, "two of " + ", ".join(sorted(endpoint_names)))
        if c.scope not in SCOPES:
            raise ParameterError(f"{base}.scope", c.scope, " | ".join(SCOPES))
        if c.cabling not in CABLING:
            raise ParameterError(f"{base}.cabling", c.cabling, " | ".join(CABLING))
        links = _count(c.links, f"{base}.links", s, src)
        link_rate = _positive(_fact(c.link_rate, "b/s", f"{base}.link_rate", s, src), f"{base}.link_rate", "b/s")
        lanes = _count(c.lanes_per_link, f"{base}.lanes_per_link", s, src)
        lane_rate = _positive(_fact(c.lane_rate, "b/s", f"{base}.lane_rate", s, src), f"{base}.lane_rate", "b/s")
        if abs(lanes * lane_rate - link_rate) > 1e-6 * link_rate:
            raise ParameterError(f"{base}.link_rate", f"{link_rate / 1e9:g} Gb/s",
                                 f"lanes_per_link x lane_rate = {lanes * lane_rate / 1e9:g} Gb/s")
        per_end = _count(c.links_per_end, f"{base}.links_per_end", s, src)
        length = length_from_model(c.length, f"{base}.length")
        src[f"{base}.length"] = c.length.source or s
        traversals = _fact(c.traversals, "1", f"{base}.traversals", s, src)
        if not 0 <= traversals <= 16:
            raise ParameterError(f"{base}.traversals", traversals, "0 .. 16")
        share = _fact(c.traffic_share, "1", f"{base}.traffic_share", s, src)
        if not 0 <= share <= 1:
            raise ParameterError(f"{base}.traffic_share", share, "0 .. 1")
        src[f"{base}.baseline"] = s
        for e in c.between:
            if any(t.name == e for t in tiers):
                ports_used[e] = ports_used.get(e, 0) + links
        classes.append(LinkClass(c.name, (c.between[0], c.between[1]), c.scope, links, link_rate, lanes, lane_rate,
                                 per_end, c.cabling, length, c.baseline, traversals, share, s))
    if not classes:
        raise ParameterError("link_classes", [], "at least one link class")
    for t in tiers:
        used = ports_used.get(t.name, 0)
        if used > t.ports:
            raise ParameterError(f"switch_tiers.{t.name}.chips", t.chips,
                                 f"enough chips for the {used} links attached ({t.ports_per_chip} ports each)")
    facts = {}
    for key, f in m.facts.items():
        facts[key] = (parse_quantity(f.value, "1", field=f"facts.{key}") if _is_number(f.value)
                      else _fact_with_unit(f.value, f"facts.{key}"), f.source)
        src[f"facts.{key}"] = f.source
    return Topology(
        name=m.name, title=m.title, kind=m.kind, gpus=gpus, racks=racks, rack_power=rack_power,
        non_interconnect_power=non_ic, gpu_power=gpu_power, nodes=tuple(nodes), switch_tiers=tuple(tiers),
        link_classes=tuple(classes), source=top, sources=src, facts=facts, notes=tuple(m.notes),
        aliases=tuple(m.aliases),
    )


def _is_number(value) -> bool:
    if isinstance(value, (int, float)):
        return True
    try:
        float(str(value))
        return True
    except ValueError:
        return False


#: Units tried, in order, for a cited fact written with a unit.
_FACT_UNITS = ("b/s", "W", "m", "byte/s", "USD")


def _fact_with_unit(value, path: str) -> float:
    for unit in _FACT_UNITS:
        try:
            return parse_quantity(value, unit, field=path)
        except ParameterError:
            continue
    raise ParameterError(path, value, "a number or a quantity in b/s, W, m, byte/s or USD")


# ---------------------------------------------------------------------------------------------- files
def read_yaml(path: Path, what: str = "file") -> dict:
    """Read one YAML file into a mapping through the one file reader (errors name the file)."""
    from microlink.io.files import parse_mapping, read_text

    path = Path(path)
    return parse_mapping(read_text(path, what=what), source=path.name)


#: Top-level keys read from a preset file's header to index it without parsing the whole file.
_HEADER_KEYS = ("name", "kind", "aliases")
_HEADER_LINE = re.compile(rf"^({'|'.join(_HEADER_KEYS)}):.*$", re.MULTILINE)


def _header(path: Path) -> dict:
    """``name``, ``kind`` and ``aliases`` of a preset file: its top-level lines for those keys (column 0 in
    block YAML, so never inside a nested value), parsed by the one strict reader. A test checks that this
    gives what the whole file's parse gives for every shipped preset."""
    from microlink.io.files import parse_mapping, read_text

    text = read_text(path, what="file")
    return parse_mapping("\n".join(m.group(0) for m in _HEADER_LINE.finditer(text)) or "{}", source=path.name)


@lru_cache(maxsize=4)
def _index(snapshot: tuple[tuple[str, int], ...]) -> tuple[dict[str, Path], dict[str, str]]:
    """Name/alias -> file and name -> kind of the presets in ``snapshot`` (from their headers)."""
    files, kinds = {}, {}
    for path_text, _ in snapshot:
        path = Path(path_text)
        head = _header(path)
        name = str(head.get("name", path.stem))
        files[name] = path
        kinds[name] = str(head.get("kind", ""))
        for alias in head.get("aliases", []) or []:
            files[str(alias)] = path
    return files, kinds


@lru_cache(maxsize=16)
def _parsed(path_text: str, mtime_ns: int) -> dict:
    """The whole mapping of one preset file (cached while the file is unchanged)."""
    return read_yaml(Path(path_text))


def _preset_index():
    snapshot = tuple((str(p), p.stat().st_mtime_ns) for p in sorted(DATA_DIR.glob("*.yaml")))
    return _index(snapshot)


def preset_files() -> dict[str, Path]:
    """Preset name and every alias -> YAML file, for all presets in ``rack/data``."""
    return dict(_preset_index()[0])


def preset_kinds() -> dict[str, str]:
    """Canonical preset name -> kind (rack, domain, cluster, workload)."""
    return dict(_preset_index()[1])


def resolve_file(name_or_path: str | Path, kinds: tuple[str, ...], what: str = "system") -> tuple[dict, str]:
    """Mapping and origin of a preset name (of one of ``kinds``) or a YAML file path; ``what`` names the
    option in error messages."""
    text = str(name_or_path)
    path = Path(text)
    if path.suffix.lower() in (".yaml", ".yml") or os.path.lexists(text):
        data = read_yaml(path, what)
        return data, path.name
    files, kinds_of = _preset_index()
    allowed = sorted(n for n, k in kinds_of.items() if k in kinds)
    if text not in files:
        raise ConfigError(f"{what}: got {text!r}; allowed: {', '.join(allowed)} or a YAML file")
    data = copy.deepcopy(_parsed(str(files[text]), files[text].stat().st_mtime_ns))
    if data.get("kind") not in kinds:
        raise ConfigError(f"{what}: got {text!r} (a {data.get('kind')} preset); allowed: {', '.join(allowed)}")
    return data, files[text].name


def load_topology(name_or_path: str | Path) -> Topology:
    """A rack or domain topology from a preset name/alias (``"nvl72"``) or a YAML file."""
    data, origin = resolve_file(name_or_path, ("rack", "domain"))
    return topology_from_mapping(data, origin)


def list_topologies() -> dict[str, str]:
    """Preset name -> kind for every rack, domain and cluster preset."""
    return {n: k for n, k in preset_kinds().items() if k in ("rack", "domain", "cluster")}
