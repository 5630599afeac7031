"""Scale-up generations per year and the share of their link ends that passive copper cannot reach.

A *roadmap* says which topologies (``rack/data/*.yaml``) the accelerators shipped in a year go into: GB200
NVL72 racks on 200 Gb/s lanes in 2026, Vera Rubin NVL144 on 400 Gb/s lanes, Kyber NVL576-class domains with
a second switch tier beyond the rack later. Its anchor years are cited roadmap statements, used as
assumptions; shares are interpolated linearly in between and held flat outside.

For every scale-up link class of every topology the passive-copper reach at the class's lane and link rate
comes from the link model (:func:`microlink.link.chain.evaluate_link` with ``solve_reach=True``, one call per
distinct rate pair, cached), and the share of cables longer than that reach from the class's cable-length
distribution (:meth:`LengthDistribution.cdf`, vectorised over classes). Shares are weighted by bandwidth:
a class weighs ``links x link_rate`` [b/s], a topology its scale-up bandwidth per accelerator, so the
result multiplies a pool counted in 1.6T-equivalent link ends.

The cables beyond copper's reach are also returned as a few equal-probability lengths per class (the
quantiles of the length distribution above the reach) so that the technologies competing for them can be
evaluated at the lengths they would have to reach.

Link parameters may be overridden (``{"cable": {"conductor_excess": 1.5}}``); the reach then changes and
with it the pool. Every figure is recorded with its inputs (:meth:`PoolDerivation.to_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from microlink.errors import ConfigError, ParameterError
from microlink.parameters import Source
from microlink.rack.topology import Topology, load_topology

__all__ = [
    "RoadmapPoint",
    "DEFAULT_ROADMAP",
    "DEFAULT_COPPER",
    "roadmap_mix",
    "LinkOverride",
    "parse_link_override",
    "apply_link_overrides",
    "CopperReach",
    "ClassPool",
    "TopologyPool",
    "PoolDerivation",
    "copper_reach",
    "topology_pool",
    "derive_pool",
]

#: Passive-copper parameter set whose reach bounds the pool (its lane rate is set per link class).
DEFAULT_COPPER = "dac-200g"
#: Equal-probability lengths per class for the cables beyond copper's reach.
DEFAULT_BEYOND_BINS = 4

_ROADMAP = "microlink market model"


@dataclass(frozen=True)
class RoadmapPoint:
    """Share of the accelerators shipped in ``year`` that go into each topology [1] (sums to 1)."""

    year: int
    mix: Mapping[str, float]
    source: Source


DEFAULT_ROADMAP: tuple[RoadmapPoint, ...] = (
    RoadmapPoint(2026, {"gb200-nvl72": 0.65, "gb200-nvl36x2": 0.05, "vr-nvl144": 0.30}, Source(
        "NVIDIA GTC 2025 roadmap (Vera Rubin NVL144 in H2 2026); introl.com GB200 NVL72 deployment notes",
        "assumption",
        "GB200/GB300 NVL72 racks carry most 2026 shipments; Rubin NVL144 ramps from H2 2026 on the same "
        "copper spine at 400 Gb/s per pair; NVL36x2 remains a small variant.")),
    RoadmapPoint(2028, {"gb200-nvl72": 0.05, "vr-nvl144": 0.55, "kyber-nvl576": 0.40}, Source(
        "NVIDIA GTC 2025 roadmap (Rubin Ultra NVL576 in Kyber racks, H2 2027)", "assumption",
        "Two years after launch NVL144 is the volume product and Kyber NVL576-class domains take ~40 % "
        "as Rubin Ultra ramps.")),
    RoadmapPoint(2030, {"vr-nvl144": 0.25, "kyber-nvl576": 0.75}, Source(
        "NVIDIA GTC 2025 roadmap (Feynman, 2028, on Kyber-class racks)", "assumption",
        "Feynman keeps the Kyber-class multi-rack domain; single-rack NVL144-class systems remain for "
        "inference at ~25 %.")),
    RoadmapPoint(2035, {"kyber-nvl576": 1.0}, Source(
        _ROADMAP, "assumption",
        "End of the window: every scale-up domain spans several racks; the Kyber NVL576-class topology "
        "stands in for larger domains of the same two-tier shape.")),
)


def roadmap_mix(years, roadmap=DEFAULT_ROADMAP) -> tuple[tuple[str, ...], np.ndarray]:
    """Topology names and their shares by year, ``[n_years, n_topologies]`` [1] (rows sum to 1).

    Shares are interpolated linearly between the roadmap's anchor years and held flat outside them.
    """
    points = sorted(roadmap, key=lambda p: p.year)
    if not points:
        raise ParameterError("roadmap", [], "at least one year with a topology mix")
    anchors = [p.year for p in points]
    if len(set(anchors)) != len(anchors):
        raise ParameterError("roadmap.year", anchors, "each year once")
    names: list[str] = []
    for p in points:
        total = float(sum(p.mix.values()))
        if any((not np.isfinite(v)) or v < 0 for v in p.mix.values()) or not np.isclose(total, 1.0, atol=1e-6):
            raise ParameterError(f"roadmap[{p.year}].mix", dict(p.mix), "non-negative shares summing to 1")
        names.extend(n for n in p.mix if n not in names)
    y = np.asarray(years, dtype=float)
    table = np.array([[p.mix.get(n, 0.0) for n in names] for p in points], dtype=float)
    mix = np.stack([np.interp(y, anchors, table[:, j]) for j in range(len(names))], axis=-1)
    return tuple(names), mix / mix.sum(axis=-1, keepdims=True)


# ------------------------------------------------------------------------------------------------------
# link-parameter overrides: SET:section.field=value
# ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinkOverride:
    """One link-level parameter of one catalog set, e.g. ``dac-200g:cable.conductor_excess=1.5``.

    ``value`` is kept as given (a number in the field's unit or text with a unit); it is parsed when applied.
    """

    parameter_set: str
    section: str
    field: str
    value: Any

    @property
    def key(self) -> str:
        return f"{self.parameter_set}:{self.section}.{self.field}"

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.key, "value": self.value}


def parse_link_override(text: str) -> LinkOverride:
    """``"SET:section.field=value"`` -> :class:`LinkOverride` (errors name the item and the allowed form)."""
    key, sep, value = str(text).partition("=")
    form = "SET:section.field=VALUE, e.g. 'dac-200g:cable.conductor_excess=1.5'"
    pset, colon, path = key.strip().partition(":")
    section, dot, fld = path.partition(".")
    if not (sep and colon and dot and pset and section and fld and value.strip()):
        raise ParameterError("--set", text, form)
    return LinkOverride(pset.strip(), section.strip(), fld.strip(), value.strip())


def apply_link_overrides(parameter_set: str, overrides=()):
    """The catalog :class:`~microlink.catalog.ParameterSet` ``parameter_set`` with the overrides that name it.

    Returns the name itself when none apply (so caches keyed by name keep working). Values are parsed
    in the field's unit and range-checked; a bad one raises :class:`ParameterError` naming the field.
    """
    mine = [o for o in overrides if o.parameter_set == parameter_set]
    if not mine:
        return parameter_set
    from microlink.catalog import get_parameter_set
    from microlink.io.config import link_config_from_mapping

    get_parameter_set(parameter_set)  # unknown names fail here, listing the known ones
    data: dict[str, Any] = {"preset": parameter_set}
    for o in mine:
        data.setdefault(o.section, {})[o.field] = o.value
    try:
        return link_config_from_mapping(data).parameter_set
    except ConfigError as exc:
        raise ParameterError(mine[0].key if len(mine) == 1 else f"{parameter_set} overrides", [o.value for o in mine],
                             str(exc)) from None


def _override_key(overrides) -> tuple:
    return tuple(sorted((o.key, str(o.value)) for o in overrides))


# ------------------------------------------------------------------------------------------------------
# copper reach and the pool
# ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CopperReach:
    """Passive copper's solved reach at one lane and link rate [m] (0: not even the shortest cable)."""

    parameter_set: str
    lane_rate: float  # [b/s] payload per lane
    link_rate: float  # [b/s] per direction
    max_reach: float  # [m]

    def to_dict(self) -> dict[str, Any]:
        return {"parameter_set": self.parameter_set, "lane_rate_bps": self.lane_rate,
                "link_rate_bps": self.link_rate, "max_reach_m": self.max_reach}


_REACH_CACHE: dict[tuple, float] = {}


def copper_reach(lane_rate: float, link_rate: float, copper: str = DEFAULT_COPPER, overrides=()) -> CopperReach:
    """Solved passive-copper reach at ``lane_rate`` and ``link_rate`` [b/s -> m] (cached per process)."""
    from microlink.link.chain import evaluate_link

    key = (copper, float(lane_rate), float(link_rate), _override_key(o for o in overrides if o.parameter_set == copper))
    if key not in _REACH_CACHE:
        link = apply_link_overrides(copper, overrides)
        r = evaluate_link(link, aggregate_rate=float(link_rate), lane_rate=float(lane_rate), reach=1.0,
                          solve_reach=True)
        reach = float(np.asarray(r.max_reach, dtype=float))
        _REACH_CACHE[key] = reach if np.isfinite(reach) else 0.0
    return CopperReach(copper, float(lane_rate), float(link_rate), _REACH_CACHE[key])


@dataclass(frozen=True)
class ClassPool:
    """One scale-up link class: how much of it lies beyond copper's reach.

    Attributes
    ----------
    link_class : class name
    lane_rate, link_rate : [b/s]
    bandwidth : ``links x link_rate``, per direction [b/s]
    copper : the copper reach at this class's rates
    beyond_share : share of the class's cables longer than the copper reach [1]
    beyond_lengths : equal-probability lengths of those cables [m]
    length : text description of the class's length distribution
    """

    link_class: str
    lane_rate: float
    link_rate: float
    bandwidth: float
    copper: CopperReach
    beyond_share: float
    beyond_lengths: tuple[float, ...]
    length: str

    def to_dict(self) -> dict[str, Any]:
        return {"link_class": self.link_class, "lane_rate_bps": self.lane_rate, "link_rate_bps": self.link_rate,
                "bandwidth_bps": self.bandwidth, "copper_reach_m": self.copper.max_reach,
                "beyond_share": self.beyond_share, "beyond_lengths_m": list(self.beyond_lengths),
                "length": self.length}


@dataclass(frozen=True)
class TopologyPool:
    """A topology's scale-up bandwidth per accelerator and the share of it beyond copper's reach."""

    topology: str
    gpus: int
    bandwidth_per_gpu: float  # [b/s] scale-up, per direction
    fraction_beyond_copper: float  # [1] bandwidth-weighted
    classes: tuple[ClassPool, ...]

    def beyond_lengths(self) -> tuple[np.ndarray, np.ndarray]:
        """Lengths [m] of the cables beyond copper's reach and their weights [1] (sum: the fraction)."""
        total = sum(c.bandwidth for c in self.classes)
        lengths, weights = [], []
        for c in self.classes:
            n = len(c.beyond_lengths)
            if n and c.beyond_share > 0:
                lengths.extend(c.beyond_lengths)
                weights.extend([c.bandwidth / total * c.beyond_share / n] * n)
        return np.asarray(lengths, dtype=float), np.asarray(weights, dtype=float)

    def to_dict(self) -> dict[str, Any]:
        return {"topology": self.topology, "gpus": self.gpus, "bandwidth_per_gpu_bps": self.bandwidth_per_gpu,
                "fraction_beyond_copper": self.fraction_beyond_copper,
                "classes": [c.to_dict() for c in self.classes]}


def topology_pool(topology: Topology | str, copper: str = DEFAULT_COPPER, overrides=(),
                  bins: int = DEFAULT_BEYOND_BINS) -> TopologyPool:
    """The share of a topology's scale-up bandwidth that passive copper cannot reach (see module docstring)."""
    topo = load_topology(topology) if isinstance(topology, str) else topology
    if not 1 <= int(bins) <= 64:
        raise ParameterError("bins", bins, "1 .. 64")
    classes = [c for c in topo.link_classes if c.scope == "scale-up"]
    if not classes:
        raise ConfigError(f"topology {topo.name}: no scale-up link class, so no scale-up pool")
    out = []
    for c in classes:
        reach = copper_reach(c.lane_rate, c.link_rate, copper, overrides)
        below = float(c.length.cdf(reach.max_reach)) if reach.max_reach > 0 else 0.0
        beyond = 1.0 - below
        lengths: tuple[float, ...] = ()
        if beyond > 0:
            u = below + (np.arange(bins) + 0.5) / bins * beyond
            lengths = tuple(float(v) for v in c.length.quantile(u))
        out.append(ClassPool(c.name, c.lane_rate, c.link_rate, c.bandwidth_per_direction, reach, beyond, lengths,
                             c.length.describe()))
    total = sum(c.bandwidth for c in out)
    fraction = sum(c.bandwidth * c.beyond_share for c in out) / total
    return TopologyPool(topo.name, topo.gpus, total / topo.gpus, float(fraction), tuple(out))


@dataclass(frozen=True)
class PoolDerivation:
    """The fraction of scale-up link ends beyond copper's reach, per year, with every input.

    Attributes
    ----------
    years : calendar years ``[n_years]``
    topologies : names, in the column order of ``mix``
    mix : share of accelerators per topology ``[n_years, n_topologies]`` [1]
    pools : per-topology pool, by name
    fraction_beyond_copper : bandwidth-weighted fraction beyond copper ``[n_years]`` [1]
    copper : the copper parameter set
    overrides : link-parameter overrides applied
    roadmap : the anchor points of the mix
    """

    years: np.ndarray
    topologies: tuple[str, ...]
    mix: np.ndarray
    pools: dict[str, TopologyPool]
    fraction_beyond_copper: np.ndarray
    copper: str
    overrides: tuple[LinkOverride, ...] = ()
    roadmap: tuple[RoadmapPoint, ...] = field(default=DEFAULT_ROADMAP)

    def bandwidth_weights(self) -> np.ndarray:
        """Share of the year's scale-up bandwidth in each topology ``[n_years, n_topologies]`` [1]."""
        bw = np.array([self.pools[n].bandwidth_per_gpu for n in self.topologies])
        w = self.mix * bw
        return w / w.sum(axis=-1, keepdims=True)

    def beyond_lengths(self) -> tuple[np.ndarray, np.ndarray]:
        """Lengths [m] of the cables beyond copper's reach ``[n_lengths]`` and their share of each year's
        pool ``[n_years, n_lengths]`` [1] (rows sum to 1 where the pool is not empty)."""
        weights = self.bandwidth_weights()
        lengths, columns = [], []
        for j, name in enumerate(self.topologies):
            lk, wk = self.pools[name].beyond_lengths()
            lengths.extend(lk.tolist())
            columns.append(weights[:, j:j + 1] * wk[np.newaxis, :])
        w = np.concatenate(columns, axis=-1) if columns else np.zeros((len(self.years), 0))
        total = w.sum(axis=-1, keepdims=True)
        return np.asarray(lengths, dtype=float), np.divide(w, total, out=np.zeros_like(w), where=total > 0)

    def to_dict(self) -> dict[str, Any]:
        reaches = {}
        for p in self.pools.values():
            for c in p.classes:
                reaches[f"{c.lane_rate / 1e9:g}G lanes, {c.link_rate / 1e9:g}G links"] = c.copper.max_reach
        return {
            "fraction_beyond_copper": self.fraction_beyond_copper.tolist(),
            "years": self.years.tolist(),
            "method": "bandwidth-weighted share of scale-up cables longer than the passive-copper reach solved "
                      "by the link model, over the roadmap's topology mix",
            "inputs": {
                "copper_parameter_set": self.copper,
                "copper_reach_m": reaches,
                "link_overrides": [o.to_dict() for o in self.overrides],
                "topology_mix": {n: self.mix[:, j].tolist() for j, n in enumerate(self.topologies)},
                "roadmap": [{"year": p.year, "mix": dict(p.mix), "source": str(p.source)} for p in self.roadmap],
                "topologies": {n: p.to_dict() for n, p in self.pools.items()},
            },
        }


def derive_pool(years, *, roadmap=DEFAULT_ROADMAP, copper: str = DEFAULT_COPPER, overrides=(),
                bins: int = DEFAULT_BEYOND_BINS) -> PoolDerivation:
    """Fraction of scale-up link ends beyond passive copper's reach per year (see module docstring)."""
    y = np.asarray(years).astype(int)
    overrides = tuple(overrides)
    names, mix = roadmap_mix(y, roadmap)
    pools = {n: topology_pool(n, copper, overrides, bins) for n in names}
    bw = np.array([pools[n].bandwidth_per_gpu for n in names])
    frac = np.array([pools[n].fraction_beyond_copper for n in names])
    weights = mix * bw
    fraction = (weights * frac).sum(axis=-1) / weights.sum(axis=-1)
    return PoolDerivation(y, names, mix, pools, np.clip(fraction, 0.0, 1.0), copper, overrides, tuple(roadmap))
