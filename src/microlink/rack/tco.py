"""Total cost of ownership (TCO) of a link end and of a rack: capex, energy, failures and downtime.

Per duplex link end, over the stated service life ``T``::

    capex       = cost_per_end                                   (the link model's cost, cable share included)
    energy      = power_per_end x T x PUE x electricity_price    (always-on power, facility overhead by PUE)
    failures    = fit_per_end x 1e-9 /h x T                      (expected failures of the end over its life)
    replacement = failures x (cost_per_end + repair_labour)
    downtime    = failures x downtime_per_failure x gpus_idled_per_failure x gpu_hour_price
    total       = capex + energy + replacement + downtime        [USD]

Cost, power and FIT come from the link result; every other number is a :class:`TcoAssumptions` field with
its source. A rack's TCO sums its link classes (``ends x per-end TCO``) and divides by the rack count.
Money is undiscounted (a stated simplification: over a five-year life at a few percent a year discounting
moves the energy share by less than the spread of electricity prices).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from microlink.parameters import Parameters, Source, param
from microlink.units import HOURS_PER_FIT

__all__ = ["TcoAssumptions", "TcoBreakdown", "tco_per_end", "LinkTco", "link_tco", "SystemTco", "system_tco"]

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_YEAR = 365.25 * 24 * SECONDS_PER_HOUR
JOULES_PER_KWH = 3.6e6
INF = float("inf")
_ASSUMED = "microlink TCO model"


@dataclass(frozen=True, eq=False)
class TcoAssumptions(Parameters):
    """Prices and operating figures that turn a link end's cost, power and FIT into money (SI)."""

    section = "tco"

    electricity_price: float = param(
        0.08 / JOULES_PER_KWH, unit="USD/J", bounds=(0.0, 1e-6), display=("USD/kWh", 1.0 / JOULES_PER_KWH),
        source=Source("U.S. EIA Electric Power Monthly, average industrial retail price 2024 (~8 cents/kWh)",
                      "literature", "US industrial tariff; hyperscale PPAs are lower, EU tariffs higher."),
    )
    pue: float = param(
        1.2, unit="1", bounds=(1.0, 3.0),
        source=Source("Uptime Institute Global Data Center Survey 2024 (fleet average PUE 1.56); Google "
                      "fleet PUE 1.10 (2023 environmental report)", "assumption",
                      "1.2: a liquid-cooled AI hall between the hyperscale best and the industry average."),
    )
    service_life: float = param(
        5.0 * SECONDS_PER_YEAR, unit="s", bounds=(SECONDS_PER_YEAR / 12, 20 * SECONDS_PER_YEAR),
        display=("yr", SECONDS_PER_YEAR),
        source=Source("Hyperscaler server depreciation lives of 5-6 years (Microsoft, Alphabet, Meta 10-K "
                      "filings 2023-2024)", "assumption",
                      "5 years: the lower end, as AI accelerators turn over faster than general servers."),
    )
    repair_labour: float = param(
        150.0, unit="USD", bounds=(0.0, 1e6),
        source=Source(_ASSUMED, "assumption",
                      "Technician time to diagnose and swap one module or cable (~1 h at a loaded rate of "
                      "~US$150/h); a co-packaged end is charged the same, its tray swap being counted as "
                      "downtime."),
    )
    downtime_per_failure: float = param(
        1.0 * SECONDS_PER_HOUR, unit="s", bounds=(0.0, 30 * 24 * SECONDS_PER_HOUR), display=("h", SECONDS_PER_HOUR),
        source=Source("Meta Llama 3 405B training report (arXiv 2407.21783): 419 unexpected interruptions "
                      "in 54 days, most restarted automatically", "assumption",
                      "1 h of lost work per link failure: restart from the last checkpoint plus the repeated steps."),
    )
    gpus_idled_per_failure: float = param(
        72.0, unit="1", bounds=(0.0, 1e6),
        source=Source(_ASSUMED, "assumption",
                      "A scale-up link failure stops its NVLink domain (72 GPUs in an NVL72) until the job "
                      "restarts elsewhere."),
    )
    gpu_hour_price: float = param(
        2.0 / SECONDS_PER_HOUR, unit="USD/s", bounds=(0.0, 1.0), display=("USD/h", 1.0 / SECONDS_PER_HOUR),
        source=Source("Public cloud H100/B200 on-demand and reserved prices, 2025 (~US$2-4 per GPU-hour)",
                      "assumption", "US$2 per GPU-hour: the value of an idle accelerator at reserved prices."),
    )


@dataclass(frozen=True)
class TcoBreakdown:
    """TCO of one link end over the service life, by part [USD] (arrays broadcast over the inputs)."""

    capex_usd: Any
    energy_usd: Any
    replacement_usd: Any
    downtime_usd: Any
    failures: Any  # expected failures over the life [1]

    @property
    def total_usd(self):
        return self.capex_usd + self.energy_usd + self.replacement_usd + self.downtime_usd

    def to_dict(self) -> dict[str, Any]:
        def plain(x):
            a = np.asarray(x, dtype=float)
            return a.tolist() if a.ndim else float(a)

        d = {k: plain(v) for k, v in asdict(self).items()}
        d["total_usd"] = plain(self.total_usd)
        return d


def tco_per_end(cost_per_end, power_per_end, fit_per_end, a: TcoAssumptions | None = None) -> TcoBreakdown:
    """TCO of one duplex link end (module docstring) from cost [USD], power [W] and failure rate [FIT]."""
    a = a or TcoAssumptions()
    cost = np.asarray(cost_per_end, dtype=float)
    power = np.asarray(power_per_end, dtype=float)
    fit = np.asarray(fit_per_end, dtype=float)
    life = float(a.service_life)
    failures = fit / HOURS_PER_FIT * life / SECONDS_PER_HOUR
    energy = power * life * a.pue * a.electricity_price
    replacement = failures * (cost + a.repair_labour)
    downtime = failures * a.downtime_per_failure * a.gpus_idled_per_failure * a.gpu_hour_price
    return TcoBreakdown(cost, energy, replacement, np.broadcast_to(downtime, np.broadcast(cost, fit).shape) * 1.0,
                        failures)


@dataclass(frozen=True)
class LinkTco:
    """One parameter set evaluated at ``lengths``: feasibility and TCO per end (arrays ``[n_lengths]``)."""

    parameter_set: str
    technology: str
    aggregate_rate: float  # [b/s]
    lengths: np.ndarray  # [m]
    feasible: np.ndarray  # [bool]
    max_reach: float  # [m], NaN unless solved
    power_per_end: np.ndarray  # [W]
    energy_per_bit: np.ndarray  # [J/bit]
    tco: TcoBreakdown


def link_tco(link, lengths, aggregate_rate: float = 1.6e12, a: TcoAssumptions | None = None,
             target_ber=None, solve_reach: bool = False) -> LinkTco:
    """Evaluate a catalog set (name or :class:`~microlink.catalog.ParameterSet`) at ``lengths`` [m] and
    return its feasibility and TCO per end (one vectorised link call)."""
    from microlink.link.chain import evaluate_link

    lengths = np.atleast_1d(np.asarray(lengths, dtype=float))
    r = evaluate_link(link, aggregate_rate=aggregate_rate, reach=lengths, target_ber=target_ber,
                      solve_reach=solve_reach)
    shape = lengths.shape

    def arr(x):
        return np.array(np.broadcast_to(np.asarray(x, dtype=float), shape))

    breakdown = tco_per_end(arr(r.cost_per_end), arr(r.power_per_end), arr(r.fit_per_end), a)
    reach = np.asarray(r.max_reach, dtype=float)
    return LinkTco(
        parameter_set=r.parameter_set if isinstance(link, str) else getattr(link, "name", r.parameter_set),
        technology=r.technology, aggregate_rate=float(aggregate_rate), lengths=lengths,
        feasible=np.array(np.broadcast_to(np.asarray(r.feasible, dtype=bool), shape)),
        max_reach=float(reach.flat[0]) if reach.size else float("nan"),
        power_per_end=arr(r.power_per_end), energy_per_bit=arr(r.energy_per_bit), tco=breakdown,
    )


@dataclass(frozen=True)
class SystemTco:
    """TCO of a system's links for one technology mix [USD], in total and per rack, with its assumptions."""

    technology: str
    link_ends: int
    racks: int
    capex_usd: float
    energy_usd: float
    replacement_usd: float
    downtime_usd: float
    failures: float
    assumptions: TcoAssumptions

    @property
    def total_usd(self) -> float:
        return self.capex_usd + self.energy_usd + self.replacement_usd + self.downtime_usd

    @property
    def per_rack_usd(self) -> float:
        return self.total_usd / max(self.racks, 1)

    @property
    def per_end_usd(self) -> float:
        return self.total_usd / max(self.link_ends, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "technology": self.technology, "link_ends": self.link_ends, "racks": self.racks,
            "capex_usd": self.capex_usd, "energy_usd": self.energy_usd, "replacement_usd": self.replacement_usd,
            "downtime_usd": self.downtime_usd, "failures": self.failures, "total_usd": self.total_usd,
            "per_rack_usd": self.per_rack_usd, "per_end_usd": self.per_end_usd,
        }


def system_tco(result, a: TcoAssumptions | None = None) -> SystemTco:
    """TCO of the links of a :class:`~microlink.rack.system.SystemResult` (switches excluded, as in its cost)."""
    a = a or TcoAssumptions()
    parts = {"capex_usd": 0.0, "energy_usd": 0.0, "replacement_usd": 0.0, "downtime_usd": 0.0, "failures": 0.0}
    for c in result.classes:
        b = tco_per_end(c.cost_per_end_usd, c.power_per_end_w, c.fit_per_end, a)
        for k in parts:
            parts[k] += c.link_ends * float(getattr(b, k))
    return SystemTco(result.technology, int(result.link_ends), int(result.racks), assumptions=a, **parts)


def describe_assumptions(a: TcoAssumptions | None = None) -> str:
    """One line stating the TCO assumptions in display units."""
    a = a or TcoAssumptions()
    return (f"TCO over {a.service_life / SECONDS_PER_YEAR:g} yr: electricity US${a.electricity_price * JOULES_PER_KWH:g}/kWh "
            f"x PUE {a.pue:g}; per failure US${a.repair_labour:g} labour + the part + "
            f"{a.downtime_per_failure / SECONDS_PER_HOUR:g} h x {a.gpus_idled_per_failure:g} GPUs x "
            f"US${a.gpu_hour_price * SECONDS_PER_HOUR:g}/GPU-h")
