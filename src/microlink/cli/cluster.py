"""``microlink cluster``: a scale-out cluster of N GPUs (scale-up racks + folded-Clos fabric) per technology."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from microlink.cli.options import FormatOption, OutputFormat, PlotOption
from microlink.cli.uncertainty_options import UncertaintySeedOption
from microlink.cli.rack import (
    AssignOption,
    BaselineOption,
    BinsOption,
    DetailOption,
    FillOption,
    GpuPowerOption,
    JobDaysOption,
    ListOption,
    PolicyOption,
    RackUncertaintyOption,
    ReachOption,
    StepTimeOption,
    TargetBerOption,
    TechOption,
    WorkersOption,
    WorkloadOption,
)


def main(
    gpus: Optional[int] = typer.Option(None, "--gpus", "-n", help="GPUs in the cluster (default: the preset's, 100,000)."),
    system: str = typer.Option("gb200-rail", "--system", "-s", help="Cluster preset (gb200-rail, gb200-fat-tree) or a cluster YAML file."),
    tech: List[str] = TechOption,
    policy: str = PolicyOption,
    baseline: str = BaselineOption,
    assign: List[str] = AssignOption,
    workload: Optional[str] = WorkloadOption,
    fill: bool = FillOption,
    job_days: Optional[float] = JobDaysOption,
    gpu_power: Optional[str] = GpuPowerOption,
    step_time: Optional[str] = StepTimeOption,
    target_ber: Optional[float] = TargetBerOption,
    bins: int = BinsOption,
    workers: Optional[int] = WorkersOption,
    reach: bool = ReachOption,
    detail: bool = DetailOption,
    list_presets: bool = ListOption,
    fmt: OutputFormat = FormatOption,
    plot: Optional[Path] = PlotOption,
    uncertainty: int = RackUncertaintyOption,
    seed: int = UncertaintySeedOption,
):
    """Cluster of N GPUs: scale-up racks plus a rail-optimised or fat-tree scale-out fabric, per technology; with --workload, the energy of one training step.

    Example: microlink cluster --gpus 100000 --workload llama3-405b
    """
    from microlink.cli.rack import check_plot, list_systems, run
    from microlink.rack.cluster import load_cluster

    if list_presets:
        list_systems(fmt)
        return
    check_plot(plot)
    topology = load_cluster(system, gpus)
    run(topology, tech=tech, policy=policy, baseline=baseline, assign=assign, workload=workload, fill=fill,
        job_days=job_days, gpu_power=gpu_power, step_time=step_time, target_ber=target_ber, bins=bins,
        workers=workers, reach=reach, detail=detail, fmt=fmt, plot=plot, uncertainty=uncertainty, seed=seed)
