"""Which parameter set carries each link class: by policy, fixed by the user, or as built.

Policies choose, per link class, among candidate parameter sets that reach every cable of the class at
the target BER (:attr:`~microlink.rack.links.ClassEvaluation.feasible`):

* ``cheapest``: least total cost of the class's link ends (each end's cost includes its cable share);
* ``lowest-energy``: least total power of the class's link ends;
* ``most-reliable``: least expected failures (sum of the ends' FIT, lane sparing included).

Ties are broken by the other two objectives, then by name. When no candidate reaches every cable the
class is marked infeasible and given the candidate that reaches the largest share of cables (then the
policy's objective), so that the row still shows what the shortfall costs; it is never silently dropped.

Baselines (what a result is compared against):

* ``as-built``: each class's ``baseline`` from the topology file (a parameter set or a technology, matched
  against the parameter object's family and the technology its link results report); among that
  technology's sets, those running the class's own lane plan (``lanes_per_link x links_per_end`` lanes, e.g.
  2 x 200 Gb/s for an NVLink-5 link) are preferred, then the cheapest feasible one;
* ``copper`` / ``optics``: the cheapest feasible electrical / optical set per class;
* a parameter set or family name: that technology on every class.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from microlink.errors import ConfigError
from microlink.rack.links import ClassEvaluation
from microlink.rack.topology import LinkClass, Topology

POLICIES = ("cheapest", "lowest-energy", "most-reliable")
BASELINES = ("as-built", "copper", "optics")


@dataclass(frozen=True)
class Assignment:
    """A parameter set per link class.

    Attributes
    ----------
    label : str
        Name of the row, e.g. ``"lightbundle"`` or ``"cheapest mix"``.
    sets : dict[str, str]
        Link class -> parameter set.
    policy : str
        ``"fixed"`` or one of :data:`POLICIES`.
    infeasible : tuple[str, ...]
        Classes whose assigned set does not reach every cable.
    notes : tuple[str, ...]
    """

    label: str
    sets: dict[str, str]
    policy: str = "fixed"
    infeasible: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def class_totals(link_class: LinkClass, ev: ClassEvaluation) -> dict[str, float]:
    """Totals of one class carried by one set: cost [USD], power [W], failure rate [FIT]."""
    ends = link_class.link_ends
    return {"cost": ends * ev.cost_per_end, "power": ends * ev.power_per_end, "fit": ends * ev.fit_per_end}


_ORDER = {
    "cheapest": ("cost", "power", "fit"),
    "lowest-energy": ("power", "cost", "fit"),
    "most-reliable": ("fit", "cost", "power"),
}


def choose(policy: str, link_class: LinkClass, candidates: dict[str, ClassEvaluation]) -> tuple[str, bool]:
    """Best candidate for one class under ``policy``: (parameter set, feasible)."""
    if policy not in POLICIES:
        raise ConfigError(f"--policy: got {policy!r}; allowed: {' | '.join(POLICIES)}")
    if not candidates:
        raise ConfigError(f"class {link_class.name}: no candidate technology")
    keys = _ORDER[policy]

    def rank(item):
        name, ev = item
        totals = class_totals(link_class, ev)
        return tuple(totals[k] for k in keys) + (name,)

    feasible = {n: e for n, e in candidates.items() if e.feasible}
    if feasible:
        return min(feasible.items(), key=rank)[0], True
    best = min(candidates.items(), key=lambda item: (-item[1].feasible_fraction,) + rank(item))
    return best[0], False


def by_policy(topology: Topology, evaluations: dict[str, dict[str, ClassEvaluation]], policy: str,
              candidates: list[str] | None = None, fixed: dict[str, str] | None = None,
              label: str | None = None) -> Assignment:
    """Assign each class by ``policy`` among ``candidates`` (default: all evaluated sets); ``fixed``
    pins classes to sets chosen by the user."""
    fixed = fixed or {}
    names = list(evaluations) if candidates is None else candidates
    sets, infeasible = {}, []
    for c in topology.link_classes:
        if c.name in fixed:
            name = fixed[c.name]
            ok = evaluations[name][c.name].feasible
        else:
            name, ok = choose(policy, c, {n: evaluations[n][c.name] for n in names})
        sets[c.name] = name
        if not ok:
            infeasible.append(c.name)
    return Assignment(label or f"{policy} mix", sets, policy, tuple(infeasible))


def uniform(topology: Topology, evaluations: dict[str, dict[str, ClassEvaluation]], parameter_set: str,
            fixed: dict[str, str] | None = None) -> Assignment:
    """One parameter set on every class (except those the user fixed)."""
    fixed = fixed or {}
    sets = {c.name: fixed.get(c.name, parameter_set) for c in topology.link_classes}
    infeasible = tuple(n for n, s in sets.items() if not evaluations[s][n].feasible)
    return Assignment(parameter_set, sets, "fixed", infeasible)


def parse_fixed(items: list[str], topology: Topology, available: dict[str, str]) -> dict[str, str]:
    """``["spine=lightbundle", ...]`` -> {class: set}; errors name the item and what is allowed."""
    out = {}
    classes = [c.name for c in topology.link_classes]
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ConfigError(f"--assign: got {item!r}; allowed: CLASS=SET, e.g. spine=lightbundle")
        if name not in classes:
            raise ConfigError(f"--assign: got class {name!r}; allowed: {', '.join(classes)}")
        if value not in available:
            raise ConfigError(f"--assign: got set {value!r}; allowed: {', '.join(sorted(available))}")
        out[name] = value
    return out


def baseline_candidates(spec: str, link_class: LinkClass, available: dict[str, str],
                        evaluations: dict[str, dict[str, ClassEvaluation]]) -> list[str]:
    """Parameter sets a baseline may use on one class (possibly empty)."""
    if spec == "as-built":
        spec_here = link_class.baseline
    else:
        spec_here = spec
    if spec_here == "copper":
        return [n for n in evaluations if evaluations[n][link_class.name].electrical]
    if spec_here == "optics":
        return [n for n in evaluations if not evaluations[n][link_class.name].electrical]
    if spec_here in available:
        return [spec_here] if spec_here in evaluations else []
    return [n for n in evaluations
            if available.get(n) == spec_here or evaluations[n][link_class.name].technology == spec_here]


def baseline(topology: Topology, evaluations: dict[str, dict[str, ClassEvaluation]], spec: str,
             available: dict[str, str]) -> tuple[Assignment | None, str]:
    """The baseline assignment named by ``spec`` (see module docstring), or ``(None, why not)``."""
    families = set(available.values())
    if spec not in BASELINES and spec not in available and spec not in families:
        raise ConfigError(f"--baseline: got {spec!r}; allowed: {', '.join(BASELINES)}, a parameter set "
                          f"({', '.join(sorted(available))}) or a technology ({', '.join(sorted(families))})")
    sets, infeasible, notes = {}, [], []
    for c in topology.link_classes:
        names = baseline_candidates(spec, c, available, evaluations)
        if not names:
            wanted = c.baseline if spec == "as-built" else spec
            return None, f"baseline {spec}: no '{wanted}' parameter set in the catalog for class {c.name}"
        if spec == "as-built":
            # the system as built runs the class's own lane plan (e.g. NVL72: 2 x 200 Gb/s per direction)
            lanes = c.lanes_per_link * c.links_per_end
            same_plan = [n for n in names if evaluations[n][c.name].lanes_active == lanes]
            if same_plan:
                names = same_plan
            else:
                notes.append(f"class {c.name}: no '{c.baseline}' set runs {lanes} x {c.lane_rate / 1e9:g} Gb/s "
                             "lanes; the cheapest of that technology stands in")
        name, ok = choose("cheapest", c, {n: evaluations[n][c.name] for n in names})
        sets[c.name] = name
        if not ok:
            infeasible.append(c.name)
    return Assignment(f"baseline ({spec})", sets, "cheapest", tuple(infeasible), tuple(notes)), ""
