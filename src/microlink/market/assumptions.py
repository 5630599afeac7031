"""The assumptions of the market model: one frozen parameter object per scenario.

Every field carries its unit, allowed range and source (see :mod:`microlink.parameters`). The defaults
are the base case of ``market/data/microled_cpo.yaml``; the scenario file is the reference and
states its own source for every value, and a test keeps the two in step.

Units (SI where a physical unit exists): rates of change per year [1/yr], bandwidths per direction
[bit/s], prices [USD], shares and fractions as plain numbers [1], calendar years as numbers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Mapping

from microlink.errors import ParameterError
from microlink.parameters import Parameters, Source, choice, numeric_fields, param

__all__ = ["MarketAssumptions", "parse_value", "apply_overrides", "YEAR_UNIT"]

#: Unit text of calendar-year fields (parsed as a plain number).
YEAR_UNIT = "calendar year"
INF = float("inf")

_ASSUMED = "microlink market model"

#: Unit of each kind of field -> unit handed to :func:`microlink.units.parse_quantity`.
_PARSE_UNIT = {
    "1": "dimensionless",
    "1/yr": "1/year",
    "bit/s": "bit/s",
    "USD": "USD",
    YEAR_UNIT: "1",
}

_PERCENT = ("%", 0.01)
_PERCENT_PER_YEAR = ("%/yr", 0.01)


@dataclass(frozen=True, eq=False)
class MarketAssumptions(Parameters):
    """Every assumption behind a forecast of one technology's module revenue.

    Addressable link ends per year = accelerators shipped into scale-up domains x scale-up bandwidth per
    accelerator / module rate x 2 ends per link x fraction of links beyond copper's reach. Share of
    those ends = an adoption curve (Bass or logistic) with ceiling ``market_potential``. Revenue =
    units x ASP, with the ASP falling at a fixed rate per year or along a learning curve.
    """

    section: ClassVar[str] = "market"

    # --- timing --------------------------------------------------------------------------------------
    base_year: float = param(
        2026, unit=YEAR_UNIT, bounds=(2000, 2100),
        source=Source(_ASSUMED, "assumption",
                      "Year to which the *_base values refer. TrendForce's base year is not disclosed in "
                      "any public summary; 2026 is the first year of the forecast window."),
    )
    volume_start_year: float = param(
        2027, unit=YEAR_UNIT, bounds=(2000, 2100),
        source=Source(_ASSUMED, "assumption",
                      "Adoption clock starts on 1 January of this year (first revenue). Ecosystem "
                      "milestones: ams OSRAM integrated LED+optics+ASIC ~2027 (microled-info.com), "
                      "Microsoft MOSAIC commercial late 2027 (3dtested.com)."),
    )
    sample_units: float = param(
        5000.0, unit="1", bounds=(0, INF),
        source=Source(_ASSUMED, "assumption",
                      "Engineering samples shipped in the year before volume (no revenue counted); "
                      "Avicena 512G eKit from March 2026. Only seeds the learning curve."),
    )

    # --- addressable pool ----------------------------------------------------------------------------
    accelerators_base: float = param(
        4.0e6, unit="1/yr", bounds=(0, INF), display=("M/yr", 1e6),
        source=Source(_ASSUMED, "assumption",
                      "Accelerators shipped into scale-up domains in the base year. NVL72 racks: 25k-35k "
                      "in 2025 = 1.8-2.5 M GPUs (introl.com/blog/gb200-nvl72-deployment-72-gpu-liquid-"
                      "cooled); 2026 adds Vera Rubin NVL144 and custom-ASIC scale-up domains."),
    )
    accelerator_growth: float = param(
        0.20, unit="1/yr", bounds=(-0.9, 5.0), display=_PERCENT_PER_YEAR,
        source=Source(_ASSUMED, "assumption",
                      "Yearly growth of accelerators shipped into scale-up domains; below the 57 % "
                      "growth of AI optical transceivers 2025->26 (TrendForce, Apr 2026) as a long-run rate."),
    )
    scaleup_bandwidth_base: float = param(
        10.8e12, unit="bit/s", bounds=(0, INF), display=("Tb/s", 1e12),
        source=Source(_ASSUMED, "assumption",
                      "Shipment-weighted scale-up bandwidth per accelerator, per direction, in the base "
                      "year: midway between Blackwell (7.2 Tb/s) and Rubin (14.4 Tb/s, ships H2 2026) "
                      "(nvidia.com/en-us/data-center/nvlink; wheelersnetwork.com, Nov 2025)."),
    )
    scaleup_bandwidth_growth: float = param(
        0.348, unit="1/yr", bounds=(-0.9, 5.0), display=_PERCENT_PER_YEAR,
        source=Source("NVIDIA NVLink generations: nvidia.com/en-us/data-center/nvlink; wheelersnetwork.com, "
                      "Nov 2025", "derived",
                      "NVLink 600 GB/s (A100, 2020) -> 3.6 TB/s (Rubin, 2026): 6x in 6 years = 34.8 %/yr."),
    )
    module_rate_base: float = param(
        1.6e12, unit="bit/s", bounds=(1e9, INF), display=("Tb/s", 1e12),
        source=Source(_ASSUMED, "assumption",
                      "Units are counted as 1.6T-equivalent modules (per-direction rate), the class "
                      "TrendForce uses for its 1.6 W vs 30 W comparison (compoundsemiconductor.net/article/123664)."),
    )
    module_rate_growth: float = param(
        0.0, unit="1/yr", bounds=(-0.9, 5.0), display=_PERCENT_PER_YEAR,
        source=Source(_ASSUMED, "assumption",
                      "Zero: units stay 1.6T-equivalent so that the ASP is a price per 1.6 Tb/s; "
                      "faster modules show up as a slower ASP decline instead."),
    )
    fraction_beyond_copper_base: float = param(
        0.03, unit="1", bounds=(0, 1), display=_PERCENT,
        source=Source(_ASSUMED, "assumption",
                      "Fraction of scale-up links longer than copper's reach in the base year: NVL72 and "
                      "VR NVL144 keep all NVLink inside the rack on copper; only cross-rack variants "
                      "(NVL36x2, NVL576) need more (docs.nvidia.com multi-node-nvlink-systems)."),
    )
    fraction_beyond_copper_final: float = param(
        0.50, unit="1", bounds=(0, 1), display=_PERCENT,
        source=Source(_ASSUMED, "assumption",
                      "Fraction in fraction_final_year: 448G lanes push passive copper below ~1 m and "
                      "scale-up domains grow past one rack (Kyber NVL576 with CPO beyond the rack, "
                      ">1,000-GPU domains planned for 2028; SemiAnalysis, MOSAIC SIGCOMM 2025)."),
    )
    fraction_final_year: float = param(
        2035, unit=YEAR_UNIT, bounds=(2000, 2100),
        source=Source(_ASSUMED, "assumption",
                      "Year in which fraction_beyond_copper_final is reached (linear ramp from the base "
                      "year, flat afterwards): the end of the forecast window."),
    )

    # --- adoption ------------------------------------------------------------------------------------
    adoption_model: str = choice(
        "bass", options=("bass", "logistic"),
        source=Source("Bass 1969, Management Science 15:215-227; Norton & Bass 1987, Management "
                      "Science 33:1069-1086", "literature",
                      "Share of addressable ends = market_potential x F(t), F the Bass cumulative curve."),
    )
    bass_innovation: float = param(
        0.03, unit="1/yr", bounds=(1e-6, 1.0),
        source=Source("Sultan, Farley & Lehmann 1990, J. Marketing Research 27:70-77", "literature",
                      "Meta-analysis mean coefficient of innovation p."),
    )
    bass_imitation: float = param(
        0.38, unit="1/yr", bounds=(0.0, 5.0),
        source=Source("Sultan, Farley & Lehmann 1990, J. Marketing Research 27:70-77", "literature",
                      "Meta-analysis mean coefficient of imitation q."),
    )
    market_potential: float = param(
        0.1647, unit="1", bounds=(0.0, 1.0), display=_PERCENT,
        source=Source("TrendForce micro-LED CPO forecast, US$848 M in 2030", "derived",
                      "Calibrated (scipy brentq) so that the base case gives US$848 M in 2030; "
                      "rounded here, solved exactly when the scenario is loaded."),
    )
    logistic_rate: float = param(
        0.9, unit="1/yr", bounds=(1e-3, 10.0),
        source=Source(_ASSUMED, "assumption",
                      "Logistic alternative only: growth rate chosen so that 10 %->90 % of the ceiling "
                      "takes ~5 years, as for earlier optical module generations."),
    )
    logistic_midpoint_year: float = param(
        2032, unit=YEAR_UNIT, bounds=(2000, 2100),
        source=Source(_ASSUMED, "assumption",
                      "Logistic alternative only: year of half the ceiling share, ~5 years after "
                      "first revenue."),
    )

    # --- price ---------------------------------------------------------------------------------------
    asp_model: str = choice(
        "decline", options=("decline", "learning"),
        source=Source(_ASSUMED, "assumption",
                      "A fixed yearly decline is what optics analysts quote; the learning curve "
                      "(Wright 1936) ties price to cumulative volume instead."),
    )
    asp_initial: float = param(
        600.0, unit="USD", bounds=(0, INF),
        source=Source(_ASSUMED, "assumption",
                      "ASP per 1.6T-equivalent module in the first volume year. Micro-LED ASPs are not "
                      "published; 800G DR8 pluggables sell for $1.1-1.4k (luxoptx.com) and CPO is ~40 % "
                      "cheaper per bit (CIR via lightwaveonline.com), so ~$600 per 1.6 Tb/s."),
    )
    asp_decline: float = param(
        0.20, unit="1/yr", bounds=(0.0, 0.99), display=_PERCENT_PER_YEAR,
        source=Source(_ASSUMED, "assumption",
                      "20-25 %/yr ASP erosion is the rule of thumb for optical modules in analyst "
                      "commentary; the low end is taken because micro-LED starts from a low price."),
    )
    learning_rate: float = param(
        0.85, unit="1", bounds=(0.01, 1.0),
        source=Source("Wright 1936, J. Aeronautical Sciences 3:122-128", "literature",
                      "Learning-curve alternative only: price multiplier per doubling of cumulative "
                      "units; 0.8-0.9 is typical of semiconductors."),
    )
    learning_reference_units: float = param(
        1.0e5, unit="1", bounds=(1.0, INF),
        source=Source(_ASSUMED, "assumption",
                      "Learning-curve alternative only: cumulative units at which asp_initial applies "
                      "(roughly the first volume year's output)."),
    )

    def __post_init__(self):
        super().__post_init__()
        import numpy as np

        if np.any(np.asarray(self.fraction_final_year) <= np.asarray(self.base_year)):
            raise ParameterError(
                "market.fraction_final_year", self.fraction_final_year,
                f"a year after market.base_year ({self.base_year})",
            )

    def used_fields(self) -> tuple[str, ...]:
        """Names of the numeric fields that the chosen adoption and ASP models actually read."""
        unused = {
            "bass": {"logistic_rate", "logistic_midpoint_year"},
            "logistic": {"bass_innovation", "bass_imitation"},
        }[self.adoption_model] | {
            "decline": {"learning_rate", "learning_reference_units"},
            "learning": {"asp_decline"},
        }[self.asp_model]
        return tuple(
            f.name for f in dataclasses.fields(self)
            if "bounds" in f.metadata and f.name not in unused
        )

    @classmethod
    def numeric_fields(cls) -> tuple[str, ...]:
        """Names of the numeric (non-categorical) fields, in declaration order."""
        return numeric_fields(cls)


def parse_value(name: str, value: Any) -> Any:
    """Parse one assumption value (a number, or text with a unit such as ``"600 USD"`` or ``"20 %/yr"``).

    Returns the value in the field's stored unit (not yet range-checked). Unknown names raise
    :class:`~microlink.errors.ParameterError` listing the known ones.
    """
    from microlink.units import parse_quantity

    info = MarketAssumptions.field_info()
    qualified = f"{MarketAssumptions.section}.{name}"
    if name not in info:
        raise ParameterError(qualified, value, "one of " + ", ".join(info))
    meta = info[name]
    if "options" in meta:
        text = str(value).strip()
        if text not in meta["options"]:
            raise ParameterError(qualified, value, " | ".join(meta["options"]))
        return text
    unit = meta["unit"]
    given = value
    if isinstance(value, str):
        try:  # a bare number is in the field's unit
            value = float(value)
        except ValueError:
            pass
    try:
        return parse_quantity(value, _PARSE_UNIT[unit], field=qualified)
    except ParameterError:
        examples = {
            "1": "a plain number or a percentage, e.g. 0.2 or '20 %'",
            "1/yr": "a rate per year, e.g. 0.2, '0.2/yr' or '20 %/yr'",
            "bit/s": "a bit rate, e.g. '1.6 Tb/s'",
            "USD": "a price, e.g. 600 or '600 USD'",
            YEAR_UNIT: "a calendar year, e.g. 2027",
        }
        raise ParameterError(qualified, given, examples[unit]) from None


def apply_overrides(assumptions: MarketAssumptions, overrides: Mapping[str, Any]) -> MarketAssumptions:
    """A copy of ``assumptions`` with ``{name: value}`` overrides parsed (units allowed) and validated."""
    changes = {name: parse_value(name, value) for name, value in overrides.items()}
    return assumptions.replace(**changes)
