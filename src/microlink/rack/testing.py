"""Stand-in link technologies for testing the rack layer without the physics of every family.

:class:`StubLink` is a link parameter object with the :func:`~microlink.link.chain.evaluate_link`
interface whose results follow closed-form rules (fixed energy per bit, a hard reach, linear cost), so
tests can check the rack arithmetic exactly. :func:`stub_catalog` registers such sets in the catalog for
the duration of a ``with`` block. Their technology names start with ``stub_`` so that they never stand in
for, or mix with, a real family.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from microlink.link.result import LinkResult


@dataclass(frozen=True)
class StubLink:
    """A link whose figures are given, not modelled.

    Attributes
    ----------
    family : str
        Technology name reported in the result (``"stub_copper"`` ...).
    electrical : bool
        Electrical links launch no optical power (how the rack layer tells copper from optics).
    energy_per_bit_per_end : float
        Power of one duplex end / aggregate rate [J/bit], host interface included.
    reach_limit : float
        Longest length meeting the target BER [m].
    cost_per_gbps, cable_cost_per_m : float
        Cost of one end [USD per Gb/s] plus half the cable [USD/m].
    fit_per_end : float
        [FIT]
    lane_rate : float
        [b/s]
    spare_fraction : float
        Spare lanes per active lane [1].
    module_energy_per_bit : float
        The part of ``energy_per_bit_per_end`` outside the host (module or engine) [J/bit].
    """

    family: str = "stub_copper"
    electrical: bool = True
    energy_per_bit_per_end: float = 5.5e-12
    reach_limit: float = 2.0
    cost_per_gbps: float = 0.1
    cable_cost_per_m: float = 10.0
    fit_per_end: float = 10.0
    lane_rate: float = 200e9
    spare_fraction: float = 0.0
    module_energy_per_bit: float = 0.0
    modulation: ClassVar[str] = "PAM4"

    @property
    def technology(self) -> str:
        return self.family

    def evaluate(self, aggregate_rate=800e9, reach=10.0, target_ber=1e-12, *, lane_rate=None, solve_reach=True,
                 parameter_set="custom", **_options) -> LinkResult:
        agg, length, target = np.broadcast_arrays(np.asarray(aggregate_rate, float), np.asarray(reach, float),
                                                  np.asarray(target_ber, float))
        lr = self.lane_rate if lane_rate is None else lane_rate
        active = np.ceil(agg / lr - 1e-9)
        spare = np.maximum(np.ceil(active * self.spare_fraction - 1e-9), 0.0)
        ok = length <= self.reach_limit
        ber = np.where(ok, target * 1e-3, 0.1)
        zeros = np.zeros(agg.shape)
        power = self.energy_per_bit_per_end * agg
        launched = zeros if self.electrical else np.full(agg.shape, 1e-3)
        return LinkResult(
            technology=self.family, parameter_set=parameter_set, aggregate_rate=agg, lane_rate=np.full(agg.shape, lr),
            lanes_active=active, lanes_spare=spare, reach=length, modulation=self.modulation,
            launched_power=launched, received_power=launched, received_oma=launched, signal_amplitude=zeros,
            noise={}, main_cursor=np.ones(agg.shape), isi_closure=zeros, crosstalk=zeros, bandwidth={},
            q_factor=zeros, q_worst_case=zeros, ber=ber, ber_worst_case=ber, target_ber=target,
            margin_db=np.where(ok, 3.0, -3.0), max_reach=np.full(agg.shape, self.reach_limit),
            max_reach_capped=np.zeros(agg.shape, bool),
            energy_breakdown={"total": np.full(agg.shape, self.energy_per_bit_per_end)}, power_per_end=power,
            latency=length / 2e8, fec="none", ber_post_fec=ber,
            cost_per_end=self.cost_per_gbps * agg / 1e9 + 0.5 * self.cable_cost_per_m * length,
            fit_per_end=np.full(agg.shape, self.fit_per_end),
            module_power_per_end=self.module_energy_per_bit * agg, attach="native", gearbox=not self.electrical,
            boundary="test stand-in: energy per bit per end as given",
        )


#: Stand-ins spanning the trade-offs: short cheap copper (host long-reach SerDes only, 5.5 pJ/bit), mid-reach
#: co-packaged optics (1 pJ/bit engine + 0.5 pJ/bit die-to-die), long-reach pluggables (17.5 pJ/bit module,
#: systems_and_market.md 2.1, behind the host's 5.5 pJ/bit SerDes).
STUB_SETS: dict[str, StubLink] = {
    "stub-copper": StubLink("stub_copper", True, 5.5e-12, 2.0, 0.05, 5.0, 5.0, 200e9, 0.0, 0.0),
    "stub-microled": StubLink("stub_microled", False, 1.5e-12, 10.0, 0.4, 10.0, 100.0, 4e9, 0.25, 1.0e-12),
    "stub-pluggable": StubLink("stub_pluggable", False, 23e-12, 500.0, 1.0, 1.0, 500.0, 200e9, 0.0, 17.5e-12),
}


@contextmanager
def stub_catalog(sets: dict[str, object] | None = None, *, only: bool = False) -> Iterator[dict[str, object]]:
    """Register parameter sets in the catalog inside a ``with`` block (``only``: hide all others).

    ``sets`` maps names to link parameter objects: :class:`StubLink` or any object with ``technology`` and
    ``evaluate`` (e.g. a real technology's parameters with one field changed)."""
    from microlink import catalog
    from microlink.catalog import ParameterSet, list_parameter_sets

    sets = STUB_SETS if sets is None else sets
    list_parameter_sets()  # make sure the real families are registered first
    saved_builders, saved_cache = dict(catalog._BUILDERS), dict(catalog._CACHE)
    modules = catalog.FAMILY_MODULES
    try:
        if only:
            catalog._BUILDERS.clear()
            catalog._CACHE.clear()
            catalog.FAMILY_MODULES = ()
        for name, link in sets.items():
            def build(name=name, link=link):
                return ParameterSet(name=name, title=f"stand-in {link.technology}", citation="microlink.rack.testing",
                                    parameters=link, defaults={"aggregate_rate": 400e9, "reach": 1.0,
                                                               "target_ber": 1e-12})
            catalog._BUILDERS[name] = build
        yield sets
    finally:
        catalog._BUILDERS.clear()
        catalog._BUILDERS.update(saved_builders)
        catalog._CACHE.clear()
        catalog._CACHE.update(saved_cache)
        catalog.FAMILY_MODULES = modules
