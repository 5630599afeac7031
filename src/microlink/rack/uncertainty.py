"""Rack and domain figures with their uncertainty: power and cost deltas as bands, P(beats the baseline).

Each sample draws every compared parameter set from its ranges (:mod:`microlink.uncertainty`, Latin
hypercube, one child seed per set spawned from the recorded root seed) and re-runs
:func:`microlink.rack.system.compare` with those link parameters, the as-built (or chosen) baseline drawn
the same way. The bands are P10/P50/P90 over samples of each row's interconnect power delta [W], cost delta
[USD] and failures-per-day delta against the baseline; ``p_beats_baseline`` is the fraction of samples in
which a row draws less interconnect power than the baseline.

Every sample evaluates the link classes of the system once per set, one link call per sample for chains
without parameter arrays, so this is meant for tens of samples, not thousands.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from microlink.errors import ParameterError
from microlink.rack.links import LinkEvaluator

#: Deltas reported as bands (attributes of :class:`~microlink.rack.system.SystemResult`).
RACK_METRICS = ("delta_power_w", "delta_cost_usd", "delta_failures_per_day")


class _SampledEvaluator(LinkEvaluator):
    """A :class:`LinkEvaluator` whose parameter sets carry one sample's drawn parameters."""

    def __init__(self, parameters: dict[str, Any], **kw):
        super().__init__(**kw)
        self._parameters = parameters

    def _evaluate(self, parameter_set: str, rates, lengths, solve_reach: bool):
        from microlink.catalog import get_parameter_set
        from microlink.link.chain import evaluate_link

        if parameter_set not in self._parameters:
            return super()._evaluate(parameter_set, rates, lengths, solve_reach)
        key = ("sampled", parameter_set, rates.tobytes(), lengths.tobytes(), self.target_ber, solve_reach)
        if key not in self._results:
            self.link_calls += 1
            ps = dataclasses.replace(get_parameter_set(parameter_set), parameters=self._parameters[parameter_set])
            self._results[key] = evaluate_link(ps, aggregate_rate=rates, reach=lengths,
                                               target_ber=self.target_ber, solve_reach=solve_reach)
        return self._results[key]


@dataclass(frozen=True)
class RackBands:
    """Per row (technology mix), bands of the deltas against the baseline and P(beats baseline).

    Attributes
    ----------
    system, baseline : str
    seed, samples : int
    bands : dict[str, dict[str, tuple[float, float, float]]]
        ``bands[row][metric] = (P10, P50, P90)`` [W, USD, 1/day].
    point : dict[str, dict[str, float]]
        The deltas at the point values.
    p_beats_baseline : dict[str, float]
        Fraction of samples in which the row's interconnect power is below the baseline's [1].
    """

    system: str
    baseline: str
    seed: int
    samples: int
    bands: dict
    point: dict
    p_beats_baseline: dict

    def to_dict(self) -> dict[str, Any]:
        rows = []
        for name, b in self.bands.items():
            row: dict[str, Any] = {"technology": name, "p_beats_baseline": self.p_beats_baseline[name]}
            for m, (p10, p50, p90) in b.items():
                row[f"{m}_point"] = self.point[name][m]
                row[f"{m}_p10"], row[f"{m}_p50"], row[f"{m}_p90"] = p10, p50, p90
            rows.append(row)
        return {"system": self.system, "baseline": self.baseline, "seed": self.seed, "samples": self.samples,
                "sampling": "latin-hypercube", "rows": rows}


def rack_bands(topology, *, samples: int = 16, seed: int = 20261127, progress=None, **compare_options) -> RackBands:
    """Bands of :func:`microlink.rack.system.compare` over the parameter ranges of every set it evaluates.

    ``compare_options`` are passed to ``compare`` (``tech``, ``baseline``, ``policy``, ``bins``, ...); the
    ``evaluator`` and ``workers`` options are set here. ``progress(done, total)``, if given, is called after
    each sample.
    """
    from microlink.catalog import get_parameter_set
    from microlink.rack.system import compare
    from microlink.uncertainty import _with_values, draw

    if int(samples) < 1:
        raise ParameterError("--uncertainty", samples, ">= 1 samples")
    for k in ("evaluator", "workers"):
        compare_options.pop(k, None)
    bins = compare_options.get("bins", 4)
    target_ber = compare_options.get("target_ber")
    point = compare(topology, **compare_options)
    if point.baseline is None:
        raise ParameterError("--baseline", compare_options.get("baseline", "as-built"), "a baseline the system has")
    from microlink.rack.links import catalog_sets

    names = sorted(catalog_sets())
    root = np.random.SeedSequence(int(seed))
    children = root.spawn(len(names))
    draws = {}
    for name, child in zip(names, children):
        ps = get_parameter_set(name)
        if ps.ranges:
            draws[name] = (ps.parameters, draw(ps.ranges, samples, int(child.generate_state(1)[0])))
    per_row: dict[str, dict[str, list[float]]] = {}
    beats: dict[str, list[bool]] = {}
    for i in range(int(samples)):
        params = {name: _with_values(p, {k: float(v[i]) for k, v in d.values.items()})
                  for name, (p, d) in draws.items()}
        ev = _SampledEvaluator(params, bins=bins, target_ber=target_ber)
        with np.errstate(all="ignore"):
            comp = compare(topology, evaluator=ev, **compare_options)
        for row in comp.rows:
            store = per_row.setdefault(row.technology, {m: [] for m in RACK_METRICS})
            for m in RACK_METRICS:
                store[m].append(float(getattr(row, m)))
            beats.setdefault(row.technology, []).append(bool(row.delta_power_w < 0.0))
        if progress is not None:
            progress(i + 1, int(samples))
    bands = {name: {m: tuple(float(q) for q in np.quantile(np.asarray(v), (0.1, 0.5, 0.9), method="inverted_cdf"))
                    for m, v in store.items()} for name, store in per_row.items()}
    point_d = {r.technology: {m: float(getattr(r, m)) for m in RACK_METRICS} for r in point.rows}
    return RackBands(system=topology.name, baseline=point.baseline.technology, seed=int(seed), samples=int(samples),
                     bands=bands, point=point_d, p_beats_baseline={k: float(np.mean(v)) for k, v in beats.items()})
