"""Technologies competing for the same pool: a multinomial logit on TCO per link end with Bass diffusion on top.

The pool is the scale-up link ends beyond passive copper's reach (:mod:`microlink.rack.generations`),
split into the lengths its cables have. At each length and in each year, every technology whose link
meets the BER target at that length is offered at its TCO per 1.6T-equivalent end
(:mod:`microlink.rack.tco`; capex falling at the technology's ``price_decline``). The long-run shares are a
multinomial logit on ln TCO (``market/data/competition/technologies.yaml`` states the model); every
challenger climbs towards its share along its own Bass curve and the incumbent holds the rest, so the
shares of the pool sum to 1 in every year and at every length. Units = pool ends x share; revenue = units
x price per end.

Link evaluations are cached per (parameter set, link overrides) on a fixed length grid and interpolated,
so that a tornado over market assumptions costs no link calls and one over a link parameter costs one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

import numpy as np

from microlink.errors import ConfigError, ParameterError
from microlink.market.adoption import bass_cumulative
from microlink.parameters import Source
from microlink.rack.generations import LinkOverride, PoolDerivation, apply_link_overrides, parse_link_override
from microlink.rack.tco import TcoAssumptions, link_tco

__all__ = [
    "TechnologyOption",
    "CompetitionSpec",
    "TechnologyCost",
    "CompetitionResult",
    "load_competition",
    "technology_cost",
    "compete",
    "calibrate_preference",
    "LENGTH_GRID",
]

#: Lengths at which each technology is evaluated once and then interpolated [m].
LENGTH_GRID = np.geomspace(0.05, 60.0, 48)
_TECH_FIELDS = {
    "volume_start_year": "1", "bass_innovation": "1/year", "bass_imitation": "1/year",
    "price_decline": "1/year", "preference": "1",
}
_TECH_KEYS = {"title", "parameter_set", *_TECH_FIELDS}
_VALUE_KEYS = {"value", "range", "kind", "citation", "note"}
_FILE_KEYS = {"description", "module_rate", "cost_year", "incumbent", "sensitivity", "calibration",
              "technologies", "link_ranges"}


@dataclass(frozen=True)
class TechnologyOption:
    """One competing technology: its catalog set and diffusion/price assumptions (see the data file).

    ``volume_start_year`` [calendar year], ``bass_innovation``/``bass_imitation`` [1/yr], ``price_decline``
    [1/yr], ``preference`` [1] (logit alternative-specific constant).
    """

    name: str
    title: str
    parameter_set: str
    volume_start_year: float
    bass_innovation: float
    bass_imitation: float
    price_decline: float
    preference: float


@dataclass(frozen=True)
class CompetitionSpec:
    """The competition model's assumptions with their sources and tornado ranges.

    ``ranges`` keys: ``"sensitivity"`` or ``"<technology>.<field>"`` (market values); ``link_ranges`` keys:
    ``"SET:section.field"`` with ``(low, high)`` as written (units allowed).
    """

    module_rate: float  # [b/s]
    cost_year: float
    incumbent: str
    sensitivity: float
    technologies: tuple[TechnologyOption, ...]
    calibration: dict[str, Any] | None
    ranges: dict[str, tuple[float, float]]
    link_ranges: dict[str, tuple[Any, Any]]
    sources: dict[str, Source]
    description: str = ""

    def technology(self, name: str) -> TechnologyOption:
        for t in self.technologies:
            if t.name == name:
                return t
        raise ParameterError("technology", name, "one of " + ", ".join(self.names))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.technologies)

    def with_value(self, key: str, value: float) -> CompetitionSpec:
        """A copy with ``"sensitivity"`` or ``"<technology>.<field>"`` set to ``value``."""
        if key == "sensitivity":
            if not (np.isfinite(value) and value >= 0):
                raise ParameterError("competition.sensitivity", value, ">= 0")
            return dataclasses.replace(self, sensitivity=float(value))
        tech, dot, name = key.partition(".")
        if not dot or name not in _TECH_FIELDS:
            raise ParameterError("competition", key, "sensitivity or TECHNOLOGY.FIELD with FIELD one of "
                                 + ", ".join(_TECH_FIELDS))
        option = self.technology(tech)
        _check_tech_value(f"{tech}.{name}", name, float(value))
        new = dataclasses.replace(option, **{name: float(value)})
        return dataclasses.replace(self, technologies=tuple(new if t.name == tech else t for t in self.technologies))

    def value(self, key: str) -> float:
        if key == "sensitivity":
            return self.sensitivity
        tech, _, name = key.partition(".")
        return float(getattr(self.technology(tech), name))


def _check_tech_value(where: str, name: str, value: float) -> None:
    allowed = {"volume_start_year": (1990, 2100), "bass_innovation": (1e-6, 1.0), "bass_imitation": (0.0, 5.0),
               "price_decline": (0.0, 0.99), "preference": (-50.0, 50.0)}[name]
    if not (np.isfinite(value) and allowed[0] <= value <= allowed[1]):
        raise ParameterError(f"competition.{where}", value, f"{allowed[0]:g} .. {allowed[1]:g}")


def _parse(value, unit: str, where: str) -> float:
    from microlink.units import parse_quantity

    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            pass
    return float(parse_quantity(value, unit, field=where))


def _cited(spec, unit: str, where: str, sources: dict, ranges: dict, key: str) -> float:
    if not isinstance(spec, Mapping):
        raise ConfigError(f"{where}: expected a mapping with value, kind, citation")
    unknown = sorted(set(spec) - _VALUE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_VALUE_KEYS))}")
    for k in ("value", "kind", "citation"):
        if k not in spec:
            raise ConfigError(f"{where}: missing {k!r} (every value needs a source)")
    value = _parse(spec["value"], unit, f"{where}.value")
    sources[key] = Source(str(spec["citation"]), str(spec["kind"]), str(spec.get("note", "")))
    if "range" in spec:
        r = spec["range"]
        if not isinstance(r, (list, tuple)) or len(r) != 2:
            raise ConfigError(f"{where}.range: expected [low, high], got {r!r}")
        lo, hi = _parse(r[0], unit, f"{where}.range"), _parse(r[1], unit, f"{where}.range")
        if not lo < hi:
            raise ConfigError(f"{where}.range: got [{lo:g}, {hi:g}]; allowed: low < high")
        ranges[key] = (lo, hi)
    return value


@lru_cache(maxsize=1)
def _shipped() -> dict:
    import yaml

    entry = resources.files("microlink.market").joinpath("data", "competition", "technologies.yaml")
    return yaml.safe_load(entry.read_text(encoding="utf-8"))


def load_competition(data: Mapping | None = None) -> CompetitionSpec:
    """The competition model from ``data`` (a parsed file) or the shipped ``technologies.yaml``."""
    data = _shipped() if data is None else data
    where = "competition"
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: expected a mapping")
    unknown = sorted(set(data) - _FILE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_FILE_KEYS))}")
    sources: dict[str, Source] = {}
    ranges: dict[str, tuple[float, float]] = {}
    module_rate = _parse(data.get("module_rate", "1.6 Tb/s"), "bit/s", f"{where}.module_rate")
    cost_year = _cited(data["cost_year"], "1", f"{where}.cost_year", sources, {}, "cost_year")
    sensitivity = _cited(data["sensitivity"], "1", f"{where}.sensitivity", sources, ranges, "sensitivity")
    techs = []
    raw = data.get("technologies") or {}
    if not isinstance(raw, Mapping) or not raw:
        raise ConfigError(f"{where}.technologies: expected a mapping of technologies")
    for name, spec in raw.items():
        twhere = f"{where}.technologies.{name}"
        if not isinstance(spec, Mapping):
            raise ConfigError(f"{twhere}: expected a mapping")
        unknown = sorted(set(spec) - _TECH_KEYS)
        if unknown:
            raise ConfigError(f"{twhere}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_TECH_KEYS))}")
        missing = [k for k in ("parameter_set", *_TECH_FIELDS) if k not in spec]
        if missing:
            raise ConfigError(f"{twhere}: missing {', '.join(missing)}")
        values = {f: _cited(spec[f], unit, f"{twhere}.{f}", sources, ranges, f"{name}.{f}")
                  for f, unit in _TECH_FIELDS.items()}
        for f, v in values.items():
            _check_tech_value(f"{name}.{f}", f, v)
        techs.append(TechnologyOption(str(name), str(spec.get("title", name)), str(spec["parameter_set"]), **values))
    incumbent = str(data.get("incumbent", ""))
    if incumbent not in {t.name for t in techs}:
        raise ConfigError(f"{where}.incumbent: got {incumbent!r}; allowed: {', '.join(t.name for t in techs)}")
    link_ranges = {}
    for key, spec in (data.get("link_ranges") or {}).items():
        lwhere = f"{where}.link_ranges.{key}"
        parse_link_override(f"{key}=0")  # checks the SET:section.field form
        if not isinstance(spec, Mapping) or "range" not in spec or "citation" not in spec or "kind" not in spec:
            raise ConfigError(f"{lwhere}: expected range, kind and citation")
        r = spec["range"]
        if not isinstance(r, (list, tuple)) or len(r) != 2:
            raise ConfigError(f"{lwhere}.range: expected [low, high], got {r!r}")
        link_ranges[str(key)] = (r[0], r[1])
        sources[str(key)] = Source(str(spec["citation"]), str(spec["kind"]), str(spec.get("note", "")))
    calibration = data.get("calibration")
    if calibration is not None:
        calibration = dict(calibration)
        for k in ("technology", "parameter", "year", "revenue", "citation"):
            if k not in calibration:
                raise ConfigError(f"{where}.calibration: missing {k!r}")
        if calibration["parameter"] != "preference":
            raise ConfigError(f"{where}.calibration.parameter: got {calibration['parameter']!r}; allowed: preference")
        calibration["revenue_usd"] = _parse(calibration["revenue"], "USD", f"{where}.calibration.revenue")
        calibration["year"] = int(calibration["year"])
    return CompetitionSpec(module_rate, cost_year, incumbent, sensitivity, tuple(techs), calibration, ranges,
                           link_ranges, sources, str(data.get("description", "")))


# ------------------------------------------------------------------------------------------------------
# technology costs on the length grid
# ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TechnologyCost:
    """One technology's feasibility and TCO parts per end on :data:`LENGTH_GRID` (arrays ``[n_grid]``)."""

    parameter_set: str
    technology: str
    lengths: np.ndarray  # [m]
    feasible: np.ndarray  # [bool]
    capex_usd: np.ndarray  # cost per end in the cost year [USD]
    failures: np.ndarray  # expected failures per end over the life [1]
    fixed_usd: np.ndarray  # energy + labour + downtime over the life [USD]

    def at(self, lengths) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Feasibility (conservative: the next grid length up must pass), capex, failures and fixed parts at
        ``lengths`` [m], interpolated linearly on the grid."""
        x = np.asarray(lengths, dtype=float)
        idx = np.clip(np.searchsorted(self.lengths, x, side="left"), 0, self.lengths.size - 1)
        ok = self.feasible[idx] & (x <= self.lengths[-1])
        return (ok, np.interp(x, self.lengths, self.capex_usd), np.interp(x, self.lengths, self.failures),
                np.interp(x, self.lengths, self.fixed_usd))


_COST_CACHE: dict[tuple, TechnologyCost] = {}


def technology_cost(parameter_set: str, module_rate: float, overrides=(), tco: TcoAssumptions | None = None
                    ) -> TechnologyCost:
    """TCO parts of ``parameter_set`` at ``module_rate`` on the length grid (one link call, cached)."""
    tco = tco or TcoAssumptions()
    mine = tuple(sorted((o.key, str(o.value)) for o in overrides if o.parameter_set == parameter_set))
    key = (parameter_set, float(module_rate), mine, tuple(sorted(tco.to_dict().items())))
    if key not in _COST_CACHE:
        link = apply_link_overrides(parameter_set, overrides)
        t = link_tco(link, LENGTH_GRID, aggregate_rate=module_rate, a=tco)
        b = t.tco
        fixed = b.energy_usd + b.failures * tco.repair_labour + b.downtime_usd
        _COST_CACHE[key] = TechnologyCost(parameter_set, t.technology, LENGTH_GRID, t.feasible,
                                          np.asarray(b.capex_usd, float), np.asarray(b.failures, float),
                                          np.asarray(fixed, float))
    return _COST_CACHE[key]


# ------------------------------------------------------------------------------------------------------
# the choice model
# ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CompetitionResult:
    """Shares, units and revenue of every technology in one pool, by year.

    Arrays are ``[n_technologies, n_years]`` in the order of ``technologies``; ``pool_share`` sums to 1 over
    technologies plus ``unserved`` (pool ends no feasible incumbent can take) in every year;
    ``scaleup_share`` is the share of all scale-up link ends, which sums to 1 with ``copper_share``.
    """

    years: np.ndarray
    technologies: tuple[str, ...]
    titles: tuple[str, ...]
    pool_ends: np.ndarray  # [n_years] 1.6T-equivalent ends beyond copper
    scaleup_ends: np.ndarray  # [n_years] all scale-up ends
    long_run_share: np.ndarray  # logit shares before diffusion
    pool_share: np.ndarray
    unserved_share: np.ndarray  # [n_years]
    units: np.ndarray
    price_usd: np.ndarray  # mean price per end sold [USD]
    tco_usd: np.ndarray  # mean TCO per end over the pool's lengths [USD] (NaN where never feasible)
    revenue_usd: np.ndarray
    feasible_share: np.ndarray  # share of the pool's ends each technology can reach [1]
    spec: CompetitionSpec = field(repr=False)

    @property
    def copper_share(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.scaleup_ends > 0, 1.0 - self.pool_ends / self.scaleup_ends, 1.0)

    @property
    def scaleup_share(self) -> np.ndarray:
        return self.pool_share * (1.0 - self.copper_share)

    def revenue(self, technology: str, year: int) -> float:
        i = self.technologies.index(technology)
        j = int(np.flatnonzero(self.years == year)[0])
        return float(self.revenue_usd[i, j])

    def to_dict(self) -> dict[str, Any]:
        out = {"years": self.years.tolist(), "pool_ends": self.pool_ends.tolist(),
               "scaleup_ends": self.scaleup_ends.tolist(), "copper_share_of_scaleup": self.copper_share.tolist(),
               "unserved_share_of_pool": self.unserved_share.tolist(), "technologies": {}}
        for i, name in enumerate(self.technologies):
            out["technologies"][name] = {
                "title": self.titles[i], "parameter_set": self.spec.technology(name).parameter_set,
                "share_of_pool": self.pool_share[i].tolist(), "share_of_scaleup": self.scaleup_share[i].tolist(),
                "long_run_share_of_pool": self.long_run_share[i].tolist(),
                "reachable_share_of_pool": self.feasible_share[i].tolist(),
                "units": self.units[i].tolist(), "price_usd": self.price_usd[i].tolist(),
                "tco_per_end_usd": [None if not np.isfinite(v) else float(v) for v in self.tco_usd[i]],
                "revenue_usd": self.revenue_usd[i].tolist(),
            }
        return out


def compete(spec: CompetitionSpec, pool: PoolDerivation, scaleup_ends, *, overrides=(),
            tco: TcoAssumptions | None = None, costs: Mapping[str, TechnologyCost] | None = None) -> CompetitionResult:
    """Shares, units and revenue of every technology in ``spec`` for the pool of ``pool`` (module docstring).

    ``scaleup_ends`` are all scale-up 1.6T-equivalent link ends per year ``[n_years]`` (the market model's
    accelerators x ends per accelerator); the pool is ``scaleup_ends x pool.fraction_beyond_copper``.
    """
    years = pool.years.astype(float)
    scaleup = np.asarray(scaleup_ends, dtype=float)
    if scaleup.shape != years.shape:
        raise ParameterError("scaleup_ends", scaleup.shape, f"one value per year, shape {years.shape}")
    lengths, weights = pool.beyond_lengths()  # [L], [Y, L]
    names = spec.names
    n, ny, nl = len(names), years.size, lengths.size
    feasible = np.zeros((n, nl), dtype=bool)
    tco_yl = np.full((n, ny, nl), np.inf)
    price_yl = np.zeros((n, ny, nl))
    for i, t in enumerate(spec.technologies):
        cost = (costs or {}).get(t.name) or technology_cost(t.parameter_set, spec.module_rate, overrides, tco)
        ok, capex, fails, fixed = cost.at(lengths)
        feasible[i] = ok
        factor = np.power(1.0 - t.price_decline, np.maximum(years - spec.cost_year, 0.0))[:, None]  # [Y, 1]
        price = capex[None, :] * factor
        price_yl[i] = price
        tco_yl[i] = np.where(ok[None, :], price * (1.0 + fails[None, :]) + fixed[None, :], np.inf)

    pref = np.array([t.preference for t in spec.technologies])[:, None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        utility = np.where(np.isfinite(tco_yl), pref - spec.sensitivity * np.log(np.where(np.isfinite(tco_yl), tco_yl, 1.0)),
                           -np.inf)
    top = np.max(utility, axis=0, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    expu = np.exp(utility - top)
    total = expu.sum(axis=0, keepdims=True)
    long_run = np.divide(expu, total, out=np.zeros_like(expu), where=total > 0)  # [N, Y, L]

    inc = names.index(spec.incumbent)
    diffused = np.zeros_like(long_run)
    for i, t in enumerate(spec.technologies):
        if i == inc:
            continue
        f = bass_cumulative(years + 0.5 - t.volume_start_year, t.bass_innovation, t.bass_imitation)  # [Y]
        diffused[i] = long_run[i] * f[:, None]
    rest = 1.0 - diffused.sum(axis=0)
    served = total[0] > 0  # [Y, L]: some technology reaches this length
    diffused[inc] = np.where(feasible[inc][None, :], rest, 0.0) * served
    unserved = np.where(feasible[inc][None, :] & served, 0.0, rest)  # [Y, L]

    pool_share = np.einsum("nyl,yl->ny", diffused, weights)
    long_share = np.einsum("nyl,yl->ny", long_run, weights)
    unserved_share = np.einsum("yl,yl->y", unserved, weights) + (1.0 - weights.sum(axis=-1))
    pool_ends = scaleup * pool.fraction_beyond_copper
    units = pool_share * pool_ends[None, :]
    revenue = np.einsum("nyl,yl->ny", diffused * price_yl, weights) * pool_ends[None, :]
    price = np.divide(revenue, units, out=np.zeros_like(revenue), where=units > 0)
    reach_w = np.einsum("nl,yl->ny", feasible.astype(float), weights)
    finite = np.isfinite(tco_yl)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_tco = np.einsum("nyl,yl->ny", np.where(finite, tco_yl, 0.0), weights) / reach_w
    mean_tco = np.where(reach_w > 0, mean_tco, np.nan)
    return CompetitionResult(
        years=pool.years, technologies=names, titles=tuple(t.title for t in spec.technologies),
        pool_ends=pool_ends, scaleup_ends=scaleup, long_run_share=long_share, pool_share=pool_share,
        unserved_share=unserved_share, units=units, price_usd=price, tco_usd=mean_tco, revenue_usd=revenue,
        feasible_share=reach_w, spec=spec,
    )


def calibrate_preference(spec: CompetitionSpec, pool: PoolDerivation, scaleup_ends, *, overrides=(),
                         tco: TcoAssumptions | None = None) -> tuple[CompetitionSpec, dict[str, Any]]:
    """Solve the calibrated technology's ``preference`` so that its revenue in the calibration year hits the
    target (scipy ``brentq``). Returns the calibrated spec and a record of what the calibration implies; where
    the technology's links close no length of the pool (no preference can sell it), the spec unchanged and a
    record with ``status: "infeasible"`` and ``value: None`` that says so."""
    from scipy.optimize import brentq

    cal = spec.calibration
    if cal is None:
        raise ParameterError("calibration", None, "a competition file with a 'calibration' section")
    tech, year, target = str(cal["technology"]), int(cal["year"]), float(cal["revenue_usd"])
    if year not in pool.years:
        raise ParameterError("calibration.year", year, f"{pool.years[0]} .. {pool.years[-1]}")
    lo, hi = (float(v) for v in cal.get("bracket", (-30.0, 30.0)))
    key = f"{tech}.preference"

    def revenue(x: float) -> float:
        return compete(spec.with_value(key, x), pool, scaleup_ends, overrides=overrides, tco=tco).revenue(tech, year)

    base = compete(spec, pool, scaleup_ends, overrides=overrides, tco=tco)
    i_tech, i_year = base.technologies.index(tech), int(np.flatnonzero(base.years == year)[0])
    if not base.feasible_share[i_tech, i_year] > 0:
        # No preference can sell a link that closes on no length of the pool: the published anchor cannot be
        # reproduced by this physics. That is a result, not an input error: report it and keep the preference.
        record = {
            "technology": tech, "parameter": "preference", "value": None, "year": year, "target_usd": target,
            "achieved_usd": base.revenue(tech, year), "citation": str(cal["citation"]),
            "status": "infeasible", "tco_equivalent_factor": None,
            "implies": (f"the link model finds no length of the {year} pool that {tech} "
                        f"({spec.technologies[i_tech].parameter_set}) reaches, so its revenue is 0 whatever buyers "
                        f"prefer; the published US${target / 1e6:,.0f} M presumes links this model does not close"),
        }
        return spec, record
    r_lo, r_hi = revenue(lo) - target, revenue(hi) - target
    if r_lo * r_hi > 0:
        raise ConfigError(f"calibration of {tech} preference: {year} revenue stays between {r_lo + target:.4g} and "
                          f"{r_hi + target:.4g} USD for preference in [{lo:g}, {hi:g}]; cannot reach {target:.4g} USD")
    value = float(brentq(lambda x: revenue(x) - target, lo, hi, xtol=1e-10, rtol=1e-12, maxiter=200))
    solved = spec.with_value(key, value)
    factor = float(np.exp(-value / spec.sensitivity)) if spec.sensitivity > 0 else float("nan")
    record = {
        "technology": tech, "parameter": "preference", "value": value, "year": year, "target_usd": target,
        "achieved_usd": revenue(value), "citation": str(cal["citation"]), "status": "solved",
        "tco_equivalent_factor": factor,
        "implies": (f"buyers act as if {tech}'s TCO were {factor:.3g}x the model's "
                    f"({'a premium for what the TCO leaves out' if factor > 1 else 'a preference beyond its TCO'})"),
    }
    return solved, record
