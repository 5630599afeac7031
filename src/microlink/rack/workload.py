"""Training workloads: collective volumes, per-step bytes by parallelism and scope, job length.

Collective formulas (bytes *sent per GPU*, message size ``S`` bytes, ``n`` ranks; ring / bandwidth-optimal,
nccl-tests doc/PERFORMANCE.md, systems_and_market.md 4.2):

* all-reduce: ``2 (n-1)/n S``; reduce-scatter and all-gather: ``(n-1)/n S`` (``S`` = full array);
  all-to-all: ``(n-1)/n S``.

Hierarchical placement: a group of ``n`` ranks with ``m`` of them in each scale-up domain (``k = n/m``
domains) runs a ring collective as reduce-scatter inside the domain, the collective across domains on
``S/m``, and all-gather inside the domain, so per GPU::

    all-reduce      scale-up 2 (m-1)/m S      scale-out 2 (k-1)/k S/m
    RS / AG         scale-up   (m-1)/m S      scale-out   (k-1)/k S/m
    all-to-all      scale-up   (m-1)/n S      scale-out   (n-m)/n S

(the two parts add up to the flat formula). Ranks are laid out in the workload's ``order`` (innermost
first, e.g. ``[tp, cp, pp, dp]`` for Llama 3); a group whose members sit ``stride`` ranks apart has
``m = min(n, domain // stride)`` members per domain (1 when ``stride >= domain``). Expert parallelism is
carved from data parallelism (Megatron-style): the EP group is the innermost ``ep`` ranks of each DP group.

Per-step volume per GPU (systems_and_market.md 4.3; ``T = tokens_per_step / (dp cp)`` tokens per model
replica shard, ``h`` hidden, ``L`` layers, ``beta`` bytes per element):

* TP: ``4 (L/p)`` all-reduces of ``T h beta`` (2 forward + 2 backward; +2 with recomputation); sequence
  parallelism turns each into reduce-scatter + all-gather with the same bytes.
* CP: per layer an all-gather of K and V (``c T 2 kv_dim beta``) forward and a reduce-scatter of their
  gradients backward.
* PP: ``2 T h beta (p-1)/p`` (activations forward, activation gradients backward, averaged over stages),
  divided by ``t`` when activations are scattered over the TP ranks.
* DP: on ``P/(t p)`` parameters per GPU: DDP all-reduce of gradients; ZeRO-1/2 reduce-scatter of gradients
  + all-gather of parameters; ZeRO-3 one more all-gather. MoE expert parameters (``P_e/(e p)`` per GPU)
  synchronise over the ``dp/ep`` ranks holding the same experts.
* EP: per token per MoE layer ``k h (beta_dispatch + beta_combine)`` forward and the same backward,
  ``(e-1)/e`` of it leaving the GPU. With node-limited routing (``routing_domain_limit = M``), each token
  crosses the scale-out fabric at most once per remote domain, ``min(k (e-m)/e, M)`` copies, and is
  forwarded to its experts inside the domain.

All functions are pure; :class:`Workload` holds parameters with their sources.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import ConfigDict, Field

from microlink.errors import ConfigError, ParameterError
from microlink.rack.topology import (
    Fact,
    _fact,
    _Strict,
    resolve_file,
    validate_model,
)

#: Layout dimensions of the rank grid (EP is carved from DP).
LAYOUT_DIMS = ("tp", "cp", "pp", "dp")
DP_SHARDING = ("ddp", "zero1", "zero3")
COLLECTIVES = ("all-reduce", "reduce-scatter", "all-gather", "all-to-all")
PARALLELISMS = ("tp", "cp", "pp", "dp", "ep")
SECONDS_PER_DAY = 86400.0
#: FLOPs per parameter per token of a training step (forward 2 + backward 4; Kaplan et al. 2020).
TRAINING_FLOPS_PER_PARAMETER_TOKEN = 6.0


# ---------------------------------------------------------------------------------------------- collectives
def all_reduce_bytes(message_bytes, ranks):
    """Bytes sent per GPU by a ring all-reduce: ``2 (n-1)/n S`` [byte, 1 -> byte]."""
    n = np.asarray(ranks, dtype=float)
    return 2.0 * (n - 1.0) / n * np.asarray(message_bytes, dtype=float)


def reduce_scatter_bytes(message_bytes, ranks):
    """Bytes sent per GPU by a ring reduce-scatter of a full array of ``S`` bytes: ``(n-1)/n S``."""
    n = np.asarray(ranks, dtype=float)
    return (n - 1.0) / n * np.asarray(message_bytes, dtype=float)


def all_gather_bytes(message_bytes, ranks):
    """Bytes sent per GPU by a ring all-gather producing ``S`` bytes: ``(n-1)/n S``."""
    return reduce_scatter_bytes(message_bytes, ranks)


def all_to_all_bytes(message_bytes, ranks):
    """Bytes sent per GPU by an all-to-all of ``S`` bytes per GPU: ``(n-1)/n S``."""
    return reduce_scatter_bytes(message_bytes, ranks)


def members_per_domain(stride: int, size: int, domain: int) -> int:
    """Members of a group (``size`` ranks, ``stride`` apart) inside one scale-up domain of ``domain`` ranks."""
    if size < 1 or stride < 1 or domain < 1:
        raise ParameterError("group", (stride, size, domain), "stride, size and domain >= 1")
    if stride >= domain:
        return 1
    return int(min(size, domain // stride))


def hierarchical_bytes(collective: str, message_bytes, ranks: int, per_domain: int) -> tuple[float, float]:
    """(scale-up, scale-out) bytes sent per GPU by a collective over ``ranks`` with ``per_domain`` of them in
    each scale-up domain (see module docstring) [byte]."""
    if collective not in COLLECTIVES:
        raise ParameterError("collective", collective, " | ".join(COLLECTIVES))
    n = float(ranks)
    m = float(min(max(per_domain, 1), ranks))
    k = n / m
    s = float(message_bytes)
    if collective == "all-to-all":
        return (m - 1.0) / n * s, (n - m) / n * s
    factor = 2.0 if collective == "all-reduce" else 1.0
    return factor * (m - 1.0) / m * s, factor * (k - 1.0) / k * s / m


# ---------------------------------------------------------------------------------------------- workload
@dataclass(frozen=True)
class Workload:
    """An LLM training job: model shape, parallelism, precision and throughput (SI; bytes per element).

    ``step_time`` of 0 means: derive it as ``6 P_active tokens_per_step / (gpus x achieved_flops_per_gpu)``.
    """

    name: str
    title: str
    parameters: float
    active_parameters: float
    layers: int
    hidden: int
    kv_dim: int
    tokens_per_step: float
    total_tokens: float
    tp: int = 1
    pp: int = 1
    dp: int = 1
    cp: int = 1
    ep: int = 1
    order: tuple[str, ...] = ("tp", "cp", "pp", "dp")
    dp_sharding: str = "zero1"
    activation_bytes: float = 2.0
    gradient_bytes: float = 4.0
    parameter_bytes: float = 2.0
    moe_layers: int = 0
    experts_per_token: int = 0
    expert_parameters: float = 0.0
    dispatch_bytes: float = 1.0
    combine_bytes: float = 2.0
    routing_domain_limit: int = 0
    pp_scatter: bool = True
    recompute: bool = False
    achieved_flops_per_gpu: float = 0.0
    step_time_given: float = 0.0
    source: str = ""
    sources: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for name in ("tp", "pp", "dp", "cp", "ep", "layers", "hidden", "kv_dim"):
            value = getattr(self, name)
            if int(value) != value or value < 1:
                raise ParameterError(name, value, "a whole number >= 1")
        if sorted(self.order) != sorted(LAYOUT_DIMS):
            raise ParameterError("parallelism.order", list(self.order), "a permutation of " + ", ".join(LAYOUT_DIMS))
        if self.dp_sharding not in DP_SHARDING:
            raise ParameterError("parallelism.dp_sharding", self.dp_sharding, " | ".join(DP_SHARDING))
        if self.dp % self.ep:
            raise ParameterError("parallelism.ep", self.ep, f"a divisor of dp = {self.dp} (EP is carved from DP)")
        if self.pp > self.layers:
            raise ParameterError("parallelism.pp", self.pp, f"<= layers = {self.layers}")
        if not 0 <= self.moe_layers <= self.layers:
            raise ParameterError("model.moe_layers", self.moe_layers, f"0 .. layers = {self.layers}")
        if self.ep > 1 and (self.moe_layers == 0 or self.experts_per_token == 0):
            raise ParameterError("parallelism.ep", self.ep, "1 unless model.moe_layers and experts_per_token > 0")
        if not 0 < self.active_parameters <= self.parameters:
            raise ParameterError("model.active_parameters", self.active_parameters, f"0 .. parameters = {self.parameters:g}")
        if not 0 <= self.expert_parameters < self.parameters:
            raise ParameterError("model.expert_parameters", self.expert_parameters, f"0 .. < parameters = {self.parameters:g}")
        for name in ("tokens_per_step", "total_tokens"):
            if not getattr(self, name) > 0:
                raise ParameterError(f"training.{name}", getattr(self, name), "> 0")
        if self.step_time_given <= 0 and self.achieved_flops_per_gpu <= 0:
            raise ParameterError("training.step_time", self.step_time_given,
                                 "> 0 s, or give training.achieved_flops_per_gpu to derive it")

    # ------------------------------------------------------------------ derived
    @property
    def gpus(self) -> int:
        """GPUs of the job: ``tp pp dp cp`` [1]."""
        return self.tp * self.pp * self.dp * self.cp

    @property
    def tokens_per_rank(self) -> float:
        """Tokens per model-replica shard per step, ``tokens_per_step / (dp cp)`` [1]."""
        return self.tokens_per_step / (self.dp * self.cp)

    @property
    def step_time(self) -> float:
        """Seconds per training step (given, or from the achieved FLOP rate) [s]."""
        if self.step_time_given > 0:
            return self.step_time_given
        flops = TRAINING_FLOPS_PER_PARAMETER_TOKEN * self.active_parameters * self.tokens_per_step
        return flops / (self.gpus * self.achieved_flops_per_gpu)

    @property
    def steps(self) -> float:
        """Steps of the whole job, ``total_tokens / tokens_per_step`` [1]."""
        return self.total_tokens / self.tokens_per_step

    @property
    def job_duration(self) -> float:
        """Wall-clock length of the job at this step time [s]."""
        return self.steps * self.step_time

    def strides(self) -> dict[str, int]:
        """Rank distance between neighbouring members of each layout dimension."""
        sizes = {"tp": self.tp, "cp": self.cp, "pp": self.pp, "dp": self.dp}
        out, stride = {}, 1
        for dim in self.order:
            out[dim] = stride
            stride *= sizes[dim]
        return out

    def scaled_to(self, gpus: int) -> Workload:
        """Weak scaling: the largest data-parallel size (a multiple of ``ep``) that fits ``gpus``, with
        tokens per step scaled with it (per-GPU work and step time unchanged)."""
        unit = self.tp * self.pp * self.cp
        dp = (gpus // unit) // self.ep * self.ep
        if dp < self.ep or dp < 1:
            raise ParameterError("gpus", gpus, f">= {unit * self.ep} for workload {self.name} "
                                 f"(tp x pp x cp x ep = {self.tp} x {self.pp} x {self.cp} x {self.ep})")
        if dp == self.dp:
            return self
        return dataclasses.replace(self, dp=dp, tokens_per_step=self.tokens_per_step * dp / self.dp)

    def to_dict(self) -> dict:
        d = {k: v for k, v in dataclasses.asdict(self).items() if k != "sources"}
        d["order"] = list(self.order)
        d.update(gpus=self.gpus, step_time_s=self.step_time, steps=self.steps,
                 job_duration_days=self.job_duration / SECONDS_PER_DAY)
        return d


@dataclass(frozen=True)
class StepTraffic:
    """Bytes sent per GPU per training step, by parallelism and scope.

    Attributes
    ----------
    per_gpu : dict[str, tuple[float, float]]
        Parallelism (``tp cp pp dp ep``) -> (scale-up, scale-out) bytes sent per GPU per step [byte].
    gpus : int
        GPUs of the job.
    domain_gpus : int
        GPUs per scale-up domain used for placement.
    step_time : float
        [s]
    """

    workload: str
    gpus: int
    domain_gpus: int
    step_time: float
    per_gpu: dict[str, tuple[float, float]]

    @property
    def scale_up_bytes_per_gpu(self) -> float:
        return float(sum(v[0] for v in self.per_gpu.values()))

    @property
    def scale_out_bytes_per_gpu(self) -> float:
        return float(sum(v[1] for v in self.per_gpu.values()))

    def bytes_sent(self, scope: str) -> float:
        """Bytes sent by all GPUs of the job per step in ``scope`` [byte]."""
        per = self.scale_up_bytes_per_gpu if scope == "scale-up" else self.scale_out_bytes_per_gpu
        return per * self.gpus

    def to_dict(self) -> dict:
        return {
            "workload": self.workload, "gpus": self.gpus, "domain_gpus": self.domain_gpus,
            "step_time_s": self.step_time,
            "bytes_per_gpu": {k: {"scale_up": v[0], "scale_out": v[1]} for k, v in self.per_gpu.items()},
            "scale_up_bytes_per_gpu": self.scale_up_bytes_per_gpu,
            "scale_out_bytes_per_gpu": self.scale_out_bytes_per_gpu,
        }


def step_traffic(workload: Workload, domain_gpus: int) -> StepTraffic:
    """Bytes per GPU per step by parallelism, split between scale-up and scale-out (module docstring)."""
    w = workload
    if domain_gpus < 1:
        raise ParameterError("domain_gpus", domain_gpus, ">= 1")
    stride = w.strides()
    h, beta = float(w.hidden), w.activation_bytes
    t_rank = w.tokens_per_rank
    layers_per_stage = w.layers / w.pp
    out: dict[str, tuple[float, float]] = {}

    # tensor parallel
    m_tp = members_per_domain(stride["tp"], w.tp, domain_gpus)
    n_all_reduce = (4 + (2 if w.recompute else 0)) * layers_per_stage
    up, so = hierarchical_bytes("all-reduce", t_rank * h * beta, w.tp, m_tp)
    out["tp"] = (n_all_reduce * up, n_all_reduce * so)

    # context parallel: K,V all-gather forward + gradient reduce-scatter backward, per layer
    m_cp = members_per_domain(stride["cp"], w.cp, domain_gpus)
    kv_message = w.cp * t_rank * 2.0 * w.kv_dim * beta
    ag = hierarchical_bytes("all-gather", kv_message, w.cp, m_cp)
    rs = hierarchical_bytes("reduce-scatter", kv_message, w.cp, m_cp)
    out["cp"] = (layers_per_stage * (ag[0] + rs[0]), layers_per_stage * (ag[1] + rs[1]))

    # pipeline parallel: point-to-point at stage boundaries
    if w.pp > 1:
        pp_bytes = 2.0 * t_rank * h * beta * (w.pp - 1) / w.pp / (w.tp if w.pp_scatter else 1)
        m_pp = members_per_domain(stride["pp"], w.pp, domain_gpus)
        inside = (w.pp / m_pp) * (m_pp - 1) / (w.pp - 1)
        out["pp"] = (pp_bytes * inside, pp_bytes * (1.0 - inside))
    else:
        out["pp"] = (0.0, 0.0)

    # data parallel: dense parameters over dp ranks, expert parameters over dp/ep ranks
    def dp_sync(params_per_gpu: float, ranks: int, per_domain: int) -> tuple[float, float]:
        if ranks <= 1 or params_per_gpu <= 0:
            return 0.0, 0.0
        if w.dp_sharding == "ddp":
            return hierarchical_bytes("all-reduce", params_per_gpu * w.gradient_bytes, ranks, per_domain)
        rs_ = hierarchical_bytes("reduce-scatter", params_per_gpu * w.gradient_bytes, ranks, per_domain)
        ag_ = hierarchical_bytes("all-gather", params_per_gpu * w.parameter_bytes, ranks, per_domain)
        gathers = 2 if w.dp_sharding == "zero3" else 1
        return rs_[0] + gathers * ag_[0], rs_[1] + gathers * ag_[1]

    dense = (w.parameters - w.expert_parameters) / (w.tp * w.pp)
    dense_part = dp_sync(dense, w.dp, members_per_domain(stride["dp"], w.dp, domain_gpus))
    expert = w.expert_parameters / (w.ep * w.pp)
    expert_dp = w.dp // w.ep
    expert_part = dp_sync(expert, expert_dp, members_per_domain(stride["dp"] * w.ep, expert_dp, domain_gpus))
    out["dp"] = (dense_part[0] + expert_part[0], dense_part[1] + expert_part[1])

    # expert parallel all-to-all (dispatch + combine, forward and backward)
    if w.ep > 1:
        e = w.ep
        m_ep = members_per_domain(stride["dp"], e, domain_gpus)
        tokens = w.tokens_per_step / (w.dp * w.cp * w.tp)
        per_copy = tokens * (w.moe_layers / w.pp) * 2.0 * h * (w.dispatch_bytes + w.combine_bytes)
        k = float(w.experts_per_token)
        remote = k * (e - m_ep) / e
        local = k * (m_ep - 1) / e
        if w.routing_domain_limit > 0 and remote > 0:
            crossing = min(remote, float(w.routing_domain_limit))
            out["ep"] = (per_copy * (local + remote), per_copy * crossing)
        else:
            out["ep"] = (per_copy * local, per_copy * remote)
    else:
        out["ep"] = (0.0, 0.0)
    return StepTraffic(w.name, w.gpus, domain_gpus, w.step_time, out)


# ---------------------------------------------------------------------------------------------- YAML
class _ModelSection(_Strict):
    parameters: Fact
    active_parameters: Fact | None = None
    layers: Fact
    hidden: Fact
    kv_dim: Fact
    moe_layers: Fact = 0
    experts_per_token: Fact = 0
    expert_parameters: Fact = 0


class _ParallelSection(_Strict):
    tp: Fact = 1
    pp: Fact = 1
    dp: Fact = 1
    cp: Fact = 1
    ep: Fact = 1
    order: list[str] = Field(default_factory=lambda: list(LAYOUT_DIMS))
    dp_sharding: str = "zero1"
    pp_scatter: bool = True
    recompute: bool = False
    routing_domain_limit: Fact = 0
    source: str | None = None


class _TrainingSection(_Strict):
    tokens_per_step: Fact
    total_tokens: Fact
    achieved_flops_per_gpu: Fact | None = None
    step_time: Fact | None = None


class _PrecisionSection(_Strict):
    activation_bytes: Fact = 2
    gradient_bytes: Fact = 4
    parameter_bytes: Fact = 2
    dispatch_bytes: Fact = 1
    combine_bytes: Fact = 2


class WorkloadModel(_Strict):
    model_config = ConfigDict(extra="forbid")
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: Literal["workload"]
    title: str
    source: str
    model: _ModelSection
    parallelism: _ParallelSection
    training: _TrainingSection
    precision: _PrecisionSection = Field(default_factory=_PrecisionSection)
    notes: list[str] = Field(default_factory=list)


def workload_from_mapping(data: dict, origin: str = "workload") -> Workload:
    """Validate a workload mapping and build a :class:`Workload` (errors name the field)."""
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: must hold a mapping of keys to values")
    m = validate_model(WorkloadModel, data, origin)
    src: dict[str, str] = {}
    top = m.source

    def num(raw, path, unit="1"):
        return _fact(raw, unit, path, top, src)

    def whole(raw, path, minimum=0):
        value = num(raw, path)
        if value != int(value) or value < minimum:
            raise ParameterError(path, value, f"a whole number >= {minimum}")
        return int(value)

    try:
        mo, pa, tr, pr = m.model, m.parallelism, m.training, m.precision
        params = num(mo.parameters, "model.parameters")
        kwargs = dict(
            name=m.name, title=m.title, source=top, sources=src,
            parameters=params,
            active_parameters=params if mo.active_parameters is None else num(mo.active_parameters, "model.active_parameters"),
            layers=whole(mo.layers, "model.layers", 1), hidden=whole(mo.hidden, "model.hidden", 1),
            kv_dim=whole(mo.kv_dim, "model.kv_dim", 1),
            moe_layers=whole(mo.moe_layers, "model.moe_layers"),
            experts_per_token=whole(mo.experts_per_token, "model.experts_per_token"),
            expert_parameters=num(mo.expert_parameters, "model.expert_parameters"),
            tp=whole(pa.tp, "parallelism.tp", 1), pp=whole(pa.pp, "parallelism.pp", 1),
            dp=whole(pa.dp, "parallelism.dp", 1), cp=whole(pa.cp, "parallelism.cp", 1),
            ep=whole(pa.ep, "parallelism.ep", 1), order=tuple(pa.order), dp_sharding=pa.dp_sharding,
            pp_scatter=pa.pp_scatter, recompute=pa.recompute,
            routing_domain_limit=whole(pa.routing_domain_limit, "parallelism.routing_domain_limit"),
            tokens_per_step=num(tr.tokens_per_step, "training.tokens_per_step"),
            total_tokens=num(tr.total_tokens, "training.total_tokens"),
            achieved_flops_per_gpu=0.0 if tr.achieved_flops_per_gpu is None
            else num(tr.achieved_flops_per_gpu, "training.achieved_flops_per_gpu"),
            step_time_given=0.0 if tr.step_time is None else num(tr.step_time, "training.step_time", "s"),
            activation_bytes=num(pr.activation_bytes, "precision.activation_bytes"),
            gradient_bytes=num(pr.gradient_bytes, "precision.gradient_bytes"),
            parameter_bytes=num(pr.parameter_bytes, "precision.parameter_bytes"),
            dispatch_bytes=num(pr.dispatch_bytes, "precision.dispatch_bytes"),
            combine_bytes=num(pr.combine_bytes, "precision.combine_bytes"),
        )
        for key in ("activation_bytes", "gradient_bytes", "parameter_bytes", "dispatch_bytes", "combine_bytes"):
            if not 0 < kwargs[key] <= 8:
                raise ParameterError(f"precision.{key}", kwargs[key], "0 < bytes per element <= 8")
        if pa.source:
            for key in ("tp", "pp", "dp", "cp", "ep"):
                src.setdefault(f"parallelism.{key}", pa.source)
        return Workload(**kwargs)
    except ParameterError as exc:
        raise ConfigError(f"{origin}: {exc}") from None


def load_workload(name_or_path) -> Workload:
    """A workload from a preset name (``"llama3-405b"``) or a YAML file."""
    data, origin = resolve_file(name_or_path, ("workload",), what="workload")
    return workload_from_mapping(data, origin)


def list_workloads() -> list[str]:
    from microlink.rack.topology import preset_kinds

    return sorted(n for n, k in preset_kinds().items() if k == "workload")
