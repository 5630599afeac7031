"""From the device to the market in one chain: link model -> copper reach -> pool -> competition -> revenue.

:func:`run_chain` is what ``microlink market`` runs.

* **Pool.** ``pool="derived"`` (default) replaces the scenario's fraction-beyond-copper ramp with the
  fraction the rack layer derives from the link model's passive-copper reach and the roadmap's cable
  lengths (:func:`microlink.rack.generations.derive_pool`); ``pool="assumed"`` keeps the ramp typed into
  the scenario (the hand override). The calibrated assumption is solved with the *unmodified* derived
  pool, so that link overrides applied afterwards show their effect on the anchored forecast.
* **One technology** (``tech=None``): the scenario's Bass forecast of micro-LED CPO on that pool.
* **Competition** (``tech`` given): every technology of ``market/data/competition/technologies.yaml``
  competes for the same pool (:mod:`microlink.market.competition`); the micro-LED preference is calibrated
  to the TrendForce anchor and the result says what that implies.
* **Overrides and ranges.** Market assumptions ``NAME=VALUE``; competition values ``sensitivity`` or
  ``TECH.FIELD`` (``microled.price_decline``); link parameters ``SET:section.field`` (``dac-200g:cable.
  conductor_excess``). Overridden values are held fixed in the bands and the tornado (listed in ``fixed``)
  unless a range is given for them (``varies``), which puts them back. Link-level ranges enter the
  tornado (each end re-evaluates one link set); the Monte Carlo bands vary market assumptions only, and
  say so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from microlink.errors import ParameterError
from microlink.market.competition import (
    CompetitionResult,
    CompetitionSpec,
    calibrate_preference,
    compete,
    load_competition,
)
from microlink.market.model import DEFAULT_YEARS, MarketForecast, calibrate, market_paths
from microlink.market.scenarios import Scenario, load_scenario, run_scenario
from microlink.market.assumptions import MarketAssumptions, parse_value
from microlink.market.uncertainty import Range
from microlink.rack.generations import LinkOverride, PoolDerivation, derive_pool, parse_link_override

__all__ = ["ChainForecast", "run_chain", "split_overrides", "POOL_MODES", "RAMP_FIELDS"]

POOL_MODES = ("derived", "assumed")
#: Scenario fields that the derived pool replaces (held out of bands and tornado in that mode).
RAMP_FIELDS = ("fraction_beyond_copper_base", "fraction_beyond_copper_final", "fraction_final_year")
#: Scenario fields that size the pool in competition mode (their ranges enter its tornado).
_POOL_SIZE_FIELDS = ("accelerators_base", "accelerator_growth", "scaleup_bandwidth_base", "scaleup_bandwidth_growth")


@dataclass(frozen=True)
class ChainForecast:
    """A forecast with the pool it stood on and, in competition mode, every technology's share.

    Attributes
    ----------
    forecast : the single-technology forecast of the scenario (micro-LED CPO), on the same pool
    pool : the derived pool (``None`` when ``pool_mode == "assumed"``)
    pool_mode : ``derived`` | ``assumed``
    competition : shares/units/revenue of every technology (competition mode only)
    competition_calibration : what the micro-LED preference calibration solved and implies
    tornado : rows ``{parameter, kind, low, high, revenue_low_usd, revenue_high_usd, swing_usd}`` of the
        reported technology's revenue in ``year``, largest swing first (market and link parameters)
    fixed : overridden assumptions held fixed in bands and tornado
    link_overrides : link parameters set by the user
    title : what the result is and what was calibrated
    """

    forecast: MarketForecast
    pool: PoolDerivation | None
    pool_mode: str
    year: int
    tornado: tuple[dict[str, Any], ...]
    fixed: tuple[str, ...]
    link_overrides: tuple[LinkOverride, ...]
    title: str
    competition: CompetitionResult | None = None
    competition_calibration: dict[str, Any] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def top_link_parameters(self, n: int = 3) -> tuple[str, ...]:
        return tuple(r["parameter"] for r in self.tornado if r["kind"] == "link")[:n]

    def to_dict(self) -> dict[str, Any]:
        out = self.forecast.to_dict()
        out["title"] = self.title
        out["pool_mode"] = self.pool_mode
        if self.pool is not None:
            out["derived"] = self.pool.to_dict()
        else:
            out["derived"] = None
        out["fixed"] = list(self.fixed)
        out["link_overrides"] = [o.to_dict() for o in self.link_overrides]
        out["tornado_all"] = {"year": self.year, "rows": [dict(r) for r in self.tornado]}
        out["competition"] = None if self.competition is None else self.competition.to_dict()
        out["competition_calibration"] = self.competition_calibration
        out["notes"] = list(self.notes)
        return out


def split_overrides(items: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], tuple[LinkOverride, ...]]:
    """``{name: value}`` -> market assumptions, competition values, link overrides (by the name's form)."""
    market, comp, link = {}, {}, []
    for name, value in items.items():
        if ":" in name:
            link.append(parse_link_override(f"{name}={value}"))
        elif name == "sensitivity" or "." in name:
            comp[name] = value
        else:
            market[name] = value
    return market, comp, tuple(link)


def _competition_value(spec: CompetitionSpec, key: str, value) -> float:
    from microlink.units import parse_quantity

    unit = "1" if key == "sensitivity" else {"volume_start_year": "1", "preference": "1"}.get(key.partition(".")[2],
                                                                                            "1/year")
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            pass
    spec.value(key)  # unknown keys fail here
    return float(parse_quantity(value, unit, field=f"--set {key}"))


def _with_derived_calibration(sc: Scenario, pool: PoolDerivation | None, years) -> Scenario:
    """The scenario with its calibrated assumption solved again on the derived pool."""
    spec = sc.calibration_spec
    if pool is None or spec is None:
        return sc
    a, cal = calibrate(sc.assumptions, spec.parameter, spec.year, spec.revenue_usd, years=years, bracket=spec.bracket,
                       citation=spec.citation, fraction_beyond_copper=pool.fraction_beyond_copper)
    return dataclasses.replace(sc, assumptions=a, calibration=cal)


def run_chain(
    scenario: str | Scenario = "base",
    *,
    overrides: Mapping[str, Any] | None = None,
    varies: Mapping[str, tuple[Any, Any]] | None = None,
    pool: str = "derived",
    tech: tuple[str, ...] | None = None,
    samples: int = 2000,
    seed: int | None = None,
    recalibrate: bool = False,
    years=DEFAULT_YEARS,
    year: int | None = None,
    competition: CompetitionSpec | None = None,
) -> ChainForecast:
    """Run the chain (module docstring). ``varies`` maps names (any of the three forms) to ``(low, high)``."""
    if pool not in POOL_MODES:
        raise ParameterError("--pool", pool, " | ".join(POOL_MODES))
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(str(scenario))
    years = np.asarray(years).astype(int)
    market_over, comp_over, link_over = split_overrides(dict(overrides or {}))
    market_var, comp_var, link_var_items = {}, {}, {}
    for name, (lo, hi) in dict(varies or {}).items():
        if ":" in name:
            parse_link_override(f"{name}=0")
            link_var_items[name] = (lo, hi)
        elif name == "sensitivity" or "." in name:
            comp_var[name] = (lo, hi)
        else:
            market_var[name] = (lo, hi)
    market_ranges = {}
    for name, (lo, hi) in market_var.items():
        lo_v, hi_v = parse_value(name, lo), parse_value(name, hi)
        if name not in MarketAssumptions.numeric_fields():
            raise ParameterError(f"--vary {name}", f"{lo}..{hi}", "a numeric market assumption")
        market_ranges[name] = Range(float(lo_v), float(hi_v), "uniform")

    base_pool = derive_pool(years) if pool == "derived" else None
    if pool == "assumed" and link_over:
        names = ", ".join(o.key for o in link_over)
        raise ParameterError("--set", names, "link parameters only with --pool derived (they act through the pool)")
    current_pool = derive_pool(years, overrides=link_over) if (base_pool is not None and link_over) else base_pool
    sc_cal = _with_derived_calibration(sc, base_pool, years)
    pool_kw = {} if current_pool is None else {"fraction_beyond_copper": current_pool.fraction_beyond_copper}
    exclude = RAMP_FIELDS if current_pool is not None else ()
    if year is None:
        year = sc.calibration_spec.year if sc.calibration_spec is not None else 2030
    result = run_scenario(sc_cal, overrides=market_over, samples=samples, seed=seed, recalibrate=recalibrate,
                          years=years, year=year, exclude=exclude, extra_ranges=market_ranges, **pool_kw)
    fixed = tuple(sorted((set(market_over) - set(market_ranges)) | (set(comp_over) - set(comp_var))
                         | ({o.key for o in link_over} - set(link_var_items))))
    notes = []
    if current_pool is not None:
        notes.append("fraction_beyond_copper derived by the rack layer; the scenario's ramp ("
                     + ", ".join(RAMP_FIELDS) + ") is not used")
    if result.bands is not None:
        notes.append("Monte Carlo bands vary market assumptions only; link-level parameters enter the tornado")

    def fraction_for(extra: tuple[LinkOverride, ...]):
        keys = {o.key for o in extra}
        merged = tuple(o for o in link_over if o.key not in keys) + extra
        return derive_pool(years, overrides=merged)

    if tech is None:
        rows = [dict(r, kind="market") for r in (result.sensitivity.rows if result.sensitivity else ())]
        if current_pool is not None:
            for key, (lo, hi) in link_var_items.items():
                revs = []
                for v in (lo, hi):
                    p = fraction_for((parse_link_override(f"{key}={v}"),))
                    f = run_scenario(sc_cal, overrides=market_over, samples=0, recalibrate=recalibrate, years=years,
                                     year=year, exclude=exclude, fraction_beyond_copper=p.fraction_beyond_copper)
                    revs.append(f.implied.revenue_usd)
                rows.append({"parameter": key, "kind": "link", "low": lo, "high": hi, "value": None,
                             "revenue_low_usd": revs[0], "revenue_high_usd": revs[1],
                             "swing_usd": abs(revs[1] - revs[0])})
        rows.sort(key=lambda r: r["swing_usd"], reverse=True)
        title = _title(sc_cal, result, market_over, recalibrate, link_over, pool)
        return ChainForecast(result, current_pool, pool, int(year), tuple(rows), fixed, link_over, title,
                             notes=tuple(notes))

    # ---------------------------------------------------------------- competition mode
    if current_pool is None:
        raise ParameterError("--tech", ",".join(tech), "competition needs the derived pool (--pool derived)")
    spec = competition or load_competition()
    for key, value in comp_over.items():
        spec = spec.with_value(key, _competition_value(spec, key, value))
    comp_ranges = {k: v for k, v in spec.ranges.items() if k not in comp_over}
    for key, (lo, hi) in comp_var.items():
        comp_ranges[key] = (_competition_value(spec, key, lo), _competition_value(spec, key, hi))
    link_ranges = {k: v for k, v in spec.link_ranges.items() if k not in {o.key for o in link_over}}
    link_ranges.update(link_var_items)

    base_ends = market_paths(sc_cal.assumptions, years, fraction_beyond_copper=base_pool.fraction_beyond_copper)
    calibration = None
    cal_tech = spec.calibration["technology"] if spec.calibration else None
    if spec.calibration is not None and f"{cal_tech}.preference" not in comp_over:
        if recalibrate:
            spec, calibration = calibrate_preference(spec, current_pool, result.scaleup_link_ends, overrides=link_over)
        else:
            spec, calibration = calibrate_preference(spec, base_pool, base_ends.scaleup_link_ends)
    comp = compete(spec, current_pool, result.scaleup_link_ends, overrides=link_over)
    report = cal_tech or spec.names[0]
    baseline = comp.revenue(report, int(year))

    rows = []
    for key, (lo, hi) in comp_ranges.items():
        revs = [compete(spec.with_value(key, v), current_pool, result.scaleup_link_ends,
                        overrides=link_over).revenue(report, int(year)) for v in (lo, hi)]
        rows.append({"parameter": key, "kind": "competition", "low": lo, "high": hi, "value": spec.value(key),
                     "revenue_low_usd": revs[0], "revenue_high_usd": revs[1], "swing_usd": abs(revs[1] - revs[0])})
    ranges = sc_cal.resolved_ranges(result.assumptions)
    for name in _POOL_SIZE_FIELDS:
        if name in ranges and name not in market_over:
            r = ranges[name]
            revs = []
            for v in (r.low, r.high):
                a = result.assumptions.replace(**{name: v})
                ends = market_paths(a, years, fraction_beyond_copper=current_pool.fraction_beyond_copper)
                revs.append(compete(spec, current_pool, ends.scaleup_link_ends, overrides=link_over)
                            .revenue(report, int(year)))
            rows.append({"parameter": name, "kind": "market", "low": r.low, "high": r.high,
                         "value": float(getattr(result.assumptions, name)), "revenue_low_usd": revs[0],
                         "revenue_high_usd": revs[1], "swing_usd": abs(revs[1] - revs[0])})
    for key, (lo, hi) in link_ranges.items():
        revs = []
        for v in (lo, hi):
            extra = (parse_link_override(f"{key}={v}"),)
            keys = {o.key for o in extra}
            merged = tuple(o for o in link_over if o.key not in keys) + extra
            p = fraction_for(extra)
            ends = market_paths(result.assumptions, years, fraction_beyond_copper=p.fraction_beyond_copper)
            revs.append(compete(spec, p, ends.scaleup_link_ends, overrides=merged).revenue(report, int(year)))
        rows.append({"parameter": key, "kind": "link", "low": lo, "high": hi, "value": None,
                     "revenue_low_usd": revs[0], "revenue_high_usd": revs[1], "swing_usd": abs(revs[1] - revs[0])})
    rows.sort(key=lambda r: r["swing_usd"], reverse=True)
    held = ("the calibrated preference is held at its solved value"
            if calibration is not None and calibration.get("status") == "solved" else "preferences as in the file")
    notes.append(f"competition tornado: {report} revenue in {year}, baseline US${baseline / 1e6:,.1f} M; {held}")
    title = _competition_title(spec, calibration, comp, report, int(year), comp_over, link_over, market_over,
                               recalibrate)
    return ChainForecast(result, current_pool, pool, int(year), tuple(rows), fixed, link_over, title, comp,
                         calibration, tuple(notes))


def _title(sc: Scenario, result: MarketForecast, overrides, recalibrate: bool, link_over, pool: str) -> str:
    """What the result is and what was calibrated, honest about overrides applied after calibration."""
    cal = result.calibration
    imp = result.implied
    head = sc.title.split(",")[0].strip()
    where = "on the pool derived from the link and rack models" if pool == "derived" else "on the scenario's assumed pool"
    if cal is None:
        return f"{head} {where} (not calibrated): US${imp.revenue_usd / 1e6:,.0f} M in {imp.year}"
    changed = bool(overrides) or bool(link_over)
    anchor = f"{cal.parameter} calibrated to US${cal.target_usd / 1e6:,.0f} M in {cal.year}"
    if not changed or recalibrate:
        extra = " with the overrides (solved again)" if changed else ""
        return f"{head} {where}: {anchor}{extra}"
    return (f"{head} {where}: {anchor} before the overrides; with them US${imp.revenue_usd / 1e6:,.0f} M in "
            f"{imp.year}")


def _competition_title(spec, calibration, comp, report, year, comp_over, link_over, market_over, recalibrate) -> str:
    rev = comp.revenue(report, year)
    if calibration is None:
        return f"Competition for the pool beyond copper (not calibrated): {report} US${rev / 1e6:,.0f} M in {year}"
    if calibration.get("status") == "infeasible":
        return (f"Competition for the pool beyond copper: {report} NOT calibrated to US$"
                f"{calibration['target_usd'] / 1e6:,.0f} M in {calibration['year']} ({report} closes on no length "
                f"of the pool); US${rev / 1e6:,.0f} M in {year}")
    anchor = (f"{report} preference calibrated to US${calibration['target_usd'] / 1e6:,.0f} M in "
              f"{calibration['year']}")
    if (comp_over or link_over or market_over) and not recalibrate:
        return (f"Competition for the pool beyond copper: {anchor} before the overrides; with them "
                f"US${rev / 1e6:,.0f} M in {year}")
    return f"Competition for the pool beyond copper: {anchor}"
