"""Power, cost, counts and failures of a system for one technology mix, and comparisons of mixes.

Accounting (every figure traces to a link result or a cited topology value):

* **link ends** ``= 2 x links / links_per_end`` per class: one module or optical engine at each side of
  an end pair (the NVL72 spine: one end per GPU-switch link per side, 2,592 ends).
* **link power** ``= sum(ends x power_per_end)``; ``power_per_end`` comes from the link result and
  includes the host's half of the electrical interface, so a copper end is charged its host SerDes and
  a co-packaged end its die-to-die interface. GPU-side SerDes therefore appear here, not in the
  non-interconnect power (see the topology files for the derivation).
* **switch power** ``= sum(chips x core_power_per_chip)``: the switching cores, without port SerDes.
* **interconnect power** = link power + switch power; **share** = interconnect / (non-interconnect +
  interconnect), so a technology that saves link power also lowers the system's power.
* **energy per bit** = interconnect power / (2 x sum of per-direction link rates) [J/bit]: the same
  convention as the link result's (one direction, both ends).
* **lanes** = lane-directions including spares, ``end_pairs x (active + spare) x 2``; **cables**: one
  twinax pair per lane-direction for electrical links on ``per-lane`` classes (how the NVL72 spine's
  5,184 cables are counted), else one cable assembly per end pair; **fibers**: one fiber (or core) per
  optical lane-direction.
* **cost** = ``sum(ends x cost_per_end)`` (cable share included in each end's cost); switches excluded.
* **FIT per link** = FIT of one end pair (``2 x fit_per_end``); **failures per day** =
  ``sum(ends x fit_per_end) x 24 h / 1e9 h``; per training job = per day x job days x the job's share.
* **energy per step** = interconnect power of the job's share x step time (optics, DSPs and SerDes are
  always on, systems_and_market.md 2.1 modelling note); the traffic-proportional part
  ``sum(bytes x 8 x energy_per_bit)`` is reported beside it. The step's share is against the job's
  GPU energy (GPUs x GPU power x step time) plus the interconnect energy.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from microlink.errors import ConfigError
from microlink.rack.assign import Assignment, by_policy, uniform
from microlink.rack.assign import baseline as make_baseline
from microlink.rack.lengths import DEFAULT_BINS
from microlink.rack.links import (
    ClassEvaluation,
    LinkEvaluator,
    catalog_sets,
    resolve_sets,
)
from microlink.rack.topology import LinkClass, Topology
from microlink.rack.workload import SECONDS_PER_DAY, StepTraffic, Workload, step_traffic
from microlink.units import HOURS_PER_FIT

#: Length of a training job when no workload is given [days]: Meta's Llama 3 405B snapshot of 54 days
#: on 16,384 GPUs (systems_and_market.md 2.4, arXiv 2407.21783).
DEFAULT_JOB_DAYS = 54.0
HOURS_PER_DAY = 24.0
BITS_PER_BYTE = 8.0


@dataclass(frozen=True)
class ClassResult:
    """One link class carried by one parameter set (SI; counts are whole numbers)."""

    name: str
    scope: str
    parameter_set: str
    technology: str
    electrical: bool
    links: int
    end_pairs: int
    link_ends: int
    lanes: int
    lanes_spare: int
    cables: int
    fibers: int
    cable_length_m: float
    bandwidth_per_direction: float
    power_w: float
    power_per_end_w: float
    module_power_per_end_w: float
    energy_per_bit: float
    cost_usd: float
    cost_per_end_usd: float
    fit_per_end: float
    fit_per_link: float
    failures_per_day: float
    feasible: bool
    feasible_fraction: float
    longest_cable_m: float
    longest_feasible_m: float
    reach_estimate_m: float
    shortest_evaluated_m: float
    max_reach_m: float
    bytes_per_step: float = math.nan
    traffic_energy_per_step_j: float = math.nan
    utilisation: float = math.nan

    def to_dict(self) -> dict:
        return asdict(self)


def class_result(c: LinkClass, ev: ClassEvaluation) -> ClassResult:
    """Counts, power, cost and failures of one class carried by one evaluated set."""
    ends = c.link_ends
    lanes_per_end_dir = ev.lanes_active + ev.lanes_spare
    lanes = round(c.end_pairs * lanes_per_end_dir * 2)
    spare = round(c.end_pairs * ev.lanes_spare * 2)
    if ev.electrical:
        cables = lanes if c.cabling == "per-lane" else c.end_pairs
        fibers = 0
    else:
        cables = c.end_pairs
        fibers = lanes
    fit_total = ends * ev.fit_per_end
    return ClassResult(
        name=c.name, scope=c.scope, parameter_set=ev.parameter_set, technology=ev.technology,
        electrical=ev.electrical, links=c.links, end_pairs=c.end_pairs, link_ends=ends, lanes=lanes,
        lanes_spare=spare, cables=cables, fibers=fibers, cable_length_m=cables * c.length.mean,
        bandwidth_per_direction=c.bandwidth_per_direction,
        power_w=ends * ev.power_per_end, power_per_end_w=ev.power_per_end,
        module_power_per_end_w=ev.module_power_per_end, energy_per_bit=ev.energy_per_bit,
        cost_usd=ends * ev.cost_per_end, cost_per_end_usd=ev.cost_per_end,
        fit_per_end=ev.fit_per_end, fit_per_link=2.0 * ev.fit_per_end,
        failures_per_day=fit_total * HOURS_PER_DAY / HOURS_PER_FIT,
        feasible=ev.feasible, feasible_fraction=ev.feasible_fraction, longest_cable_m=c.length.maximum,
        longest_feasible_m=ev.longest_feasible, reach_estimate_m=ev.reach_estimate,
        shortest_evaluated_m=ev.shortest_evaluated, max_reach_m=ev.max_reach,
    )


@dataclass(frozen=True)
class WorkloadResult:
    """Interconnect energy of one training step of a workload on the system."""

    workload: str
    job_gpus: int
    job_share: float
    step_time_s: float
    job_days: float
    scale_up_bytes_per_step: float
    scale_out_bytes_per_step: float
    uncarried_bytes_per_step: float
    energy_per_step_j: float
    traffic_energy_per_step_j: float
    gpu_energy_per_step_j: float
    step_energy_share: float
    bytes_per_gpu: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SystemResult:
    """A system carried by one technology mix: the figures the rack/cluster commands print.

    ``technology`` is the row's label: a parameter set for single-technology rows, ``"<policy> mix"`` for
    policy rows. Differences (``delta_*``) are against the comparison's baseline (None without one).
    """

    system: str
    title: str
    kind: str
    technology: str
    policy: str
    assignment: dict[str, str]
    technologies: tuple[str, ...]
    gpus: int
    racks: int
    classes: tuple[ClassResult, ...]
    switch_chips: int
    switch_power_w: float
    link_power_w: float
    interconnect_power_w: float
    non_interconnect_power_w: float
    system_power_w: float
    interconnect_share: float
    bandwidth_per_direction: float
    energy_per_bit: float
    link_energy_per_bit: float
    link_ends: int
    lanes: int
    lanes_spare: int
    cables: int
    fibers: int
    cable_length_m: float
    cost_usd: float
    fit_per_link: float
    failures_per_day: float
    job_days: float
    failures_per_job: float
    feasible: bool
    infeasible_classes: tuple[str, ...]
    workload: WorkloadResult | None = None
    baseline: str | None = None
    delta_power_w: float | None = None
    delta_cost_usd: float | None = None
    delta_failures_per_day: float | None = None

    @property
    def energy_per_step_j(self) -> float | None:
        return None if self.workload is None else self.workload.energy_per_step_j

    def with_baseline(self, base: SystemResult) -> SystemResult:
        """This result with its differences to ``base`` filled in."""
        return replace(self, baseline=base.technology, delta_power_w=self.interconnect_power_w - base.interconnect_power_w,
                       delta_cost_usd=self.cost_usd - base.cost_usd,
                       delta_failures_per_day=self.failures_per_day - base.failures_per_day)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary (SI units; counts; ``classes`` as a list)."""
        d = {
            "system": self.system, "title": self.title, "kind": self.kind, "technology": self.technology,
            "policy": self.policy, "assignment": dict(self.assignment), "technologies": list(self.technologies),
            "gpus": self.gpus, "racks": self.racks, "feasible": self.feasible,
            "infeasible_classes": list(self.infeasible_classes),
            "interconnect_power_w": self.interconnect_power_w, "link_power_w": self.link_power_w,
            "switch_power_w": self.switch_power_w, "switch_chips": self.switch_chips,
            "non_interconnect_power_w": self.non_interconnect_power_w, "system_power_w": self.system_power_w,
            "interconnect_share": self.interconnect_share,
            "bandwidth_per_direction_bps": self.bandwidth_per_direction,
            "energy_per_bit_pj": self.energy_per_bit * 1e12, "link_energy_per_bit_pj": self.link_energy_per_bit * 1e12,
            "link_ends": self.link_ends, "lanes": self.lanes, "lanes_spare": self.lanes_spare, "cables": self.cables,
            "fibers": self.fibers, "cable_length_m": self.cable_length_m, "cost_usd": self.cost_usd,
            "fit_per_link": self.fit_per_link, "failures_per_day": self.failures_per_day, "job_days": self.job_days,
            "failures_per_job": self.failures_per_job,
            "energy_per_step_j": self.energy_per_step_j,
            "baseline": self.baseline, "delta_power_w": self.delta_power_w, "delta_cost_usd": self.delta_cost_usd,
            "delta_failures_per_day": self.delta_failures_per_day,
            "workload": None if self.workload is None else self.workload.to_dict(),
            "classes": [c.to_dict() for c in self.classes],
        }
        return d

    def to_dataframe(self):
        """One row per link class (with the system's label columns)."""
        import pandas as pd

        rows = []
        for c in self.classes:
            row = {"system": self.system, "technology": self.technology}
            row.update(c.to_dict())
            rows.append(row)
        return pd.DataFrame(rows)


def evaluate_system(topology: Topology, assignment: Assignment, evaluations: dict[str, dict[str, ClassEvaluation]],
                    *, traffic: StepTraffic | None = None, job_days: float = DEFAULT_JOB_DAYS,
                    gpu_power: float | None = None) -> SystemResult:
    """Aggregate a system carried by ``assignment`` (see module docstring)."""
    classes = []
    for c in topology.link_classes:
        name = assignment.sets[c.name]
        classes.append(class_result(c, evaluations[name][c.name]))
    link_power = sum(c.power_w for c in classes)
    switch_power = topology.switch_core_power
    interconnect = link_power + switch_power
    system_power = topology.non_interconnect_power + interconnect
    bandwidth = topology.bandwidth_per_direction()
    end_pairs = sum(c.end_pairs for c in classes)
    failures = sum(c.failures_per_day for c in classes)
    fit_links = sum(c.fit_per_link * c.end_pairs for c in classes)

    workload_result = None
    job_share = 1.0
    if traffic is not None:
        job_share = min(1.0, traffic.gpus / topology.gpus)
        step = traffic.step_time
        traffic_energy = 0.0
        with_traffic = []
        for c, lc in zip(classes, topology.link_classes):
            carried = traffic.bytes_sent(lc.scope) * lc.traversals * lc.traffic_share
            bits = carried * BITS_PER_BYTE
            energy = bits * c.energy_per_bit
            capacity = lc.links * lc.link_rate * 2.0 * step * job_share  # bits both directions can carry
            traffic_energy += energy
            with_traffic.append(replace(c, bytes_per_step=carried, traffic_energy_per_step_j=energy,
                                        utilisation=bits / capacity if capacity > 0 else math.nan))
        classes = with_traffic
        scopes = {lc.scope for lc in topology.link_classes}
        uncarried = sum(traffic.bytes_sent(s) for s in ("scale-up", "scale-out") if s not in scopes)
        e_ic = interconnect * job_share * step
        e_gpu = traffic.gpus * (topology.gpu_power if gpu_power is None else gpu_power) * step
        workload_result = WorkloadResult(
            workload=traffic.workload, job_gpus=traffic.gpus, job_share=job_share, step_time_s=step,
            job_days=job_days, scale_up_bytes_per_step=traffic.bytes_sent("scale-up"),
            scale_out_bytes_per_step=traffic.bytes_sent("scale-out"), uncarried_bytes_per_step=uncarried,
            energy_per_step_j=e_ic, traffic_energy_per_step_j=traffic_energy, gpu_energy_per_step_j=e_gpu,
            step_energy_share=e_ic / (e_gpu + e_ic),
            bytes_per_gpu={k: {"scale_up": v[0], "scale_out": v[1]} for k, v in traffic.per_gpu.items()},
        )

    technologies = tuple(sorted({c.technology for c in classes}))
    return SystemResult(
        system=topology.name, title=topology.title, kind=topology.kind, technology=assignment.label,
        policy=assignment.policy, assignment=dict(assignment.sets), technologies=technologies,
        gpus=topology.gpus, racks=topology.racks, classes=tuple(classes), switch_chips=topology.switch_chips,
        switch_power_w=switch_power, link_power_w=link_power, interconnect_power_w=interconnect,
        non_interconnect_power_w=topology.non_interconnect_power, system_power_w=system_power,
        interconnect_share=interconnect / system_power, bandwidth_per_direction=bandwidth,
        energy_per_bit=interconnect / (2.0 * bandwidth), link_energy_per_bit=link_power / (2.0 * bandwidth),
        link_ends=sum(c.link_ends for c in classes), lanes=sum(c.lanes for c in classes),
        lanes_spare=sum(c.lanes_spare for c in classes), cables=sum(c.cables for c in classes),
        fibers=sum(c.fibers for c in classes), cable_length_m=sum(c.cable_length_m for c in classes),
        cost_usd=sum(c.cost_usd for c in classes), fit_per_link=fit_links / end_pairs,
        failures_per_day=failures, job_days=job_days, failures_per_job=failures * job_days * job_share,
        feasible=not assignment.infeasible, infeasible_classes=assignment.infeasible, workload=workload_result,
    )


@dataclass(frozen=True)
class Comparison:
    """Rows of one system under several technology mixes, with the baseline they are compared against."""

    topology: Topology
    rows: tuple[SystemResult, ...]
    baseline: SystemResult | None
    baseline_note: str
    workload: Workload | None
    traffic: StepTraffic | None
    link_calls: int
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        t = self.topology
        return {
            "system": t.name, "title": t.title, "kind": t.kind, "gpus": t.gpus, "racks": t.racks,
            "baseline": None if self.baseline is None else self.baseline.to_dict(),
            "baseline_note": self.baseline_note,
            "workload": None if self.workload is None else self.workload.to_dict(),
            "results": [r.to_dict() for r in self.rows],
            "notes": list(self.notes) + list(t.notes),
        }

    def to_dataframe(self):
        """One row per (technology mix, link class)."""
        import pandas as pd

        return pd.concat([r.to_dataframe() for r in self.rows], ignore_index=True)


def compare(topology: Topology, *, tech: str | list[str] = "all", policy: str | None = "cheapest",
            baseline: str = "as-built", fixed: list[str] | None = None, workload: Workload | None = None,
            fill: bool = True, bins: int = DEFAULT_BINS, target_ber: float | None = None, solve_reach: bool = False,
            job_days: float | None = None, gpu_power: float | None = None, step_time: float | None = None,
            evaluator: LinkEvaluator | None = None, workers: int = 1) -> Comparison:
    """Evaluate ``topology`` under each selected parameter set, a policy mix and a baseline.

    Parameters
    ----------
    tech : str or list of str
        ``"all"``, or parameter sets / technology families (comma-separated): one row each.
    policy : str or None
        Adds a row choosing per class among the selected sets (``cheapest``, ``lowest-energy``,
        ``most-reliable``); None for no policy row.
    baseline : str
        ``as-built``, ``copper``, ``optics``, or a parameter set / technology (see :mod:`~microlink.rack.assign`).
    fixed : list of str
        ``CLASS=SET`` items pinning classes in every row.
    workload : Workload, optional
        Adds the bytes and energy of one training step; ``fill`` scales its data parallelism to the
        system's GPUs (weak scaling), otherwise it must fit as configured.
    job_days : float, optional
        Job length for failures per job; default the workload's, else :data:`DEFAULT_JOB_DAYS`.
    gpu_power, step_time : float, optional
        Override the topology's GPU power [W] and the workload's step time [s].
    workers : int
        Processes evaluating the technologies (1: serial; 0: one per CPU); results do not depend on it.
    """
    from microlink.rack.assign import parse_fixed

    available = catalog_sets()
    chosen = resolve_sets(tech, available)
    pinned = parse_fixed(fixed or [], topology, available)
    if policy is not None and policy not in ("cheapest", "lowest-energy", "most-reliable"):
        raise ConfigError(f"--policy: got {policy!r}; allowed: cheapest | lowest-energy | most-reliable | none")
    if job_days is not None and not 0 < job_days <= 3650:
        raise ConfigError(f"--job-days: got {job_days}; allowed: 0 < days <= 3650")
    if gpu_power is not None and not 0 < gpu_power <= 1e5:
        raise ConfigError(f"--gpu-power: got {gpu_power}; allowed: 0 < W <= 1e5")
    evaluator = evaluator or LinkEvaluator(bins=bins, target_ber=target_ber, solve_reach=solve_reach)

    needed = list(chosen) + [s for s in pinned.values() if s not in chosen]
    if baseline in ("copper", "optics"):
        needed += [s for s in available if s not in needed]
    else:
        families = set(available.values())
        for c in topology.link_classes:
            want = c.baseline if baseline == "as-built" else baseline
            if want in available or want in families:
                needed += [n for n, fam in available.items() if (n == want or fam == want) and n not in needed]
            else:  # a technology named by its results only (e.g. dsp_pluggable): evaluate every set
                needed += [n for n in available if n not in needed]
    notes: list[str] = []
    # a set whose link model rejects this system's rates or lengths is left out, loudly
    evaluations, errors = evaluator.evaluate_many(topology, needed, workers=workers)
    notes += [f"{name} left out: its link model rejects this system ({text})" for name, text in errors.items()]
    if not evaluations or not any(n in evaluations for n in chosen):
        raise ConfigError(f"--tech: none of {', '.join(chosen)} can evaluate {topology.name}: " + "; ".join(notes))
    chosen = [n for n in chosen if n in evaluations]
    pinned_missing = [f"{k}={v}" for k, v in pinned.items() if v not in evaluations]
    if pinned_missing:
        raise ConfigError(f"--assign: {', '.join(pinned_missing)} cannot be evaluated: " + "; ".join(notes))

    traffic = None
    if workload is not None:
        if step_time is not None:
            if not 0 < step_time <= 1e5:
                raise ConfigError(f"--step-time: got {step_time}; allowed: 0 < s <= 1e5")
            workload = replace(workload, step_time_given=step_time)
        if fill:
            workload = workload.scaled_to(topology.gpus)
        elif workload.gpus > topology.gpus:
            raise ConfigError(f"--workload: {workload.name} needs {workload.gpus} GPUs; the system has {topology.gpus} "
                              "(use --fill to scale its data parallelism)")
        traffic = step_traffic(workload, topology.scale_up_domain)
        if job_days is None:
            job_days = workload.job_duration / SECONDS_PER_DAY
    days = DEFAULT_JOB_DAYS if job_days is None else job_days

    def run(assignment: Assignment) -> SystemResult:
        return evaluate_system(topology, assignment, evaluations, traffic=traffic, job_days=days, gpu_power=gpu_power)

    base_assignment, why = make_baseline(topology, evaluations, baseline, available)
    base = run(base_assignment) if base_assignment is not None else None
    if base_assignment is not None:
        notes += list(base_assignment.notes)

    rows = [run(uniform(topology, evaluations, name, pinned)) for name in chosen]
    if policy is not None:
        rows.append(run(by_policy(topology, evaluations, policy, chosen, pinned)))
    if base is not None:
        rows = [r.with_baseline(base) for r in rows]
    return Comparison(topology, tuple(rows), base, why, workload, traffic, evaluator.link_calls, tuple(notes))
