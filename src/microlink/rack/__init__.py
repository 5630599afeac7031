"""Rack and cluster scale: topologies as data, technology assignment, power/cost/failures, workloads.

Reads link results only (through :func:`microlink.link.chain.evaluate_link`), never device, channel or
BER modules. Typical use::

    from microlink.rack import compare, load_system, load_workload

    result = compare(load_system("nvl72"), tech="all", baseline="as-built")
    result.to_dataframe()

Presets (``src/microlink/rack/data``): ``gb200-nvl72`` (nvl72), ``gb200-nvl36x2``, ``vr-nvl144``,
``gb200-nvl576``, ``kyber-nvl576``, clusters ``gb200-rail`` and ``gb200-fat-tree``, workloads
``llama3-405b`` and ``deepseek-v3``.
"""

from microlink.rack.assign import POLICIES, Assignment, by_policy, uniform
from microlink.rack.cluster import build_cluster, load_cluster, load_system
from microlink.rack.lengths import LengthDistribution
from microlink.rack.links import (
    ClassEvaluation,
    LinkEvaluator,
    catalog_sets,
    resolve_sets,
)
from microlink.rack.system import (
    ClassResult,
    Comparison,
    SystemResult,
    WorkloadResult,
    compare,
    evaluate_system,
)
from microlink.rack.topology import (
    LinkClass,
    SwitchTier,
    Topology,
    list_topologies,
    load_topology,
)
from microlink.rack.workload import (
    StepTraffic,
    Workload,
    list_workloads,
    load_workload,
    step_traffic,
)

__all__ = [
    "POLICIES",
    "Assignment",
    "ClassEvaluation",
    "ClassResult",
    "Comparison",
    "LengthDistribution",
    "LinkClass",
    "LinkEvaluator",
    "StepTraffic",
    "SwitchTier",
    "SystemResult",
    "Topology",
    "Workload",
    "WorkloadResult",
    "build_cluster",
    "by_policy",
    "catalog_sets",
    "compare",
    "evaluate_system",
    "list_topologies",
    "list_workloads",
    "load_cluster",
    "load_system",
    "load_topology",
    "load_workload",
    "resolve_sets",
    "step_traffic",
    "uniform",
]
