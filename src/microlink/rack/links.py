"""The rack layer's only door to the link layer: catalog parameter sets evaluated on link classes.

For one parameter set and one topology, every link class's length bins are concatenated into one array
and evaluated in a single vectorised :func:`~microlink.link.chain.evaluate_link` call; results are cached
per (parameter set, aggregate rates, lengths, target BER) inside one :class:`LinkEvaluator`, so that the
single-technology rows, the policy mixes and the baselines of one command share the evaluations.

Each class is evaluated at the median length of each equal-probability bin (these weight the power, cost
and FIT) and at its longest cable, so ``feasible`` means every cable meets the target BER after FEC. Where
the longest cable fails, the share of cables within reach comes from the length distribution's CDF at
the reach estimated by interpolating log10(BER / target) between the evaluated lengths that bracket the
target (BER rises monotonically with length in every channel model). Link models spend most of their
time per evaluated point, so the class costs ``bins + 1`` points, not one per cable.

Electrical or optical is read from the link result (electrical links launch no optical power), never
from a list of technology names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.errors import ConfigError, MicrolinkError
from microlink.rack.lengths import DEFAULT_BINS
from microlink.rack.topology import LinkClass, Topology


@dataclass(frozen=True)
class ClassEvaluation:
    """One parameter set on one link class, weighted over the class's cable-length bins.

    Attributes
    ----------
    link_class, parameter_set, technology : str
    electrical : bool
        True when the link launches no optical power (copper, DAC, AEC).
    feasible : bool
        Every cable, up to the longest, meets the target BER after FEC, and the set is ``buildable``.
    buildable : bool
        The set's lanes fit the hosts' SerDes: its lane rate equals the class's, or it carries a gearbox
        (a retimed engine: micro-LED, AEC, DSP modules), which its energy already charges.
    lane_note : str
        Why a set is not buildable ("" when it is).
    feasible_fraction : float
        Estimated share of cables that meet the target [1] (1 when the longest one does).
    longest_feasible : float
        Longest evaluated length that meets the target [m] (0 if none).
    reach_estimate : float
        Where the longest cable fails: the length at which the target BER is crossed, interpolated between
        evaluated lengths [m]; where it passes: the longest cable (a lower bound on the reach); 0 when even
        the shortest evaluated length fails (the reach is below ``shortest_evaluated``).
    shortest_evaluated : float
        Shortest length evaluated for the class [m].
    max_reach : float
        Solved maximum reach at the target BER [m]; NaN unless reach solving was asked for.
    power_per_end, module_power_per_end : float
        Mean power of one duplex end, with and without the host's half of the electrical interface [W].
    energy_per_bit : float
        Mean energy per payload bit, one direction, both ends [J/bit].
    cost_per_end : float
        Mean cost of one end including its share of cable [USD].
    fit_per_end : float
        Mean failure rate of one end (with lane sparing) [FIT].
    lanes_active, lanes_spare : float
        Lanes per direction of one end [1].
    latency : float
        One-way latency at the longest cable [s].
    target_ber : float
        BER the link had to meet [1].
    """

    link_class: str
    parameter_set: str
    technology: str
    electrical: bool
    feasible: bool
    buildable: bool
    lane_note: str
    feasible_fraction: float
    longest_feasible: float
    reach_estimate: float
    shortest_evaluated: float
    max_reach: float
    power_per_end: float
    module_power_per_end: float
    energy_per_bit: float
    cost_per_end: float
    fit_per_end: float
    lanes_active: float
    lanes_spare: float
    latency: float
    target_ber: float

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def catalog_sets() -> dict[str, str]:
    """Parameter-set name -> technology family, for every set in the catalog."""
    from microlink.catalog import get_parameter_set, list_parameter_sets

    return {name: get_parameter_set(name).technology for name in list_parameter_sets()}


def result_technologies(names) -> dict[str, str]:
    """Technology each set's link results report (one scalar evaluation at the set's default request).

    A family may label its results more finely than its parameter object (a pluggable reports
    ``dsp_pluggable`` or ``lpo``); both names select the set."""
    from microlink.link.chain import evaluate_link

    return {n: evaluate_link(n, solve_reach=False).technology for n in names}


def resolve_sets(spec: str | list[str], available: dict[str, str] | None = None) -> list[str]:
    """Parameter sets named by ``spec``: ``"all"``, or a comma-separated list of set names and technologies
    (``"lightbundle,dac"``, ``"microled"``, ``"dsp_pluggable"``) or link files (``./my_led.yaml``, added to
    ``available``). Unknown names raise :class:`ConfigError`."""
    from microlink.catalog import get_parameter_set, is_file_reference

    available = catalog_sets() if available is None else available
    tokens = [t.strip() for t in (spec.split(",") if isinstance(spec, str) else spec) if t.strip()]
    if not tokens:
        raise ConfigError("--tech: got ''; allowed: all, a parameter set or a technology")
    out: list[str] = []
    families = sorted(set(available.values()))
    labels: dict[str, str] | None = None
    for token in tokens:
        if token == "all":
            names = sorted(available)
        elif is_file_reference(token):  # a link file: read (and checked) now, evaluated by its path
            available.setdefault(token, get_parameter_set(token).technology)
            names = [token]
        elif token in available:
            names = [token]
        elif token in families:
            names = sorted(n for n, fam in available.items() if fam == token)
        else:
            labels = result_technologies(available) if labels is None else labels
            names = sorted(n for n, label in labels.items() if label == token)
            if not names:
                known = sorted(set(families) | set(labels.values()))
                raise ConfigError(f"--tech: got {token!r}; allowed: all, "
                                  f"{', '.join(sorted(available))} or a technology ({', '.join(known)})")
        out.extend(n for n in names if n not in out)
    return out


def _class_lengths(link_class: LinkClass, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Evaluation lengths of a class (bin medians, then the longest cable) and the medians' weights."""
    dist = link_class.length
    medians, weights = dist.bins(bins)
    if medians[-1] < dist.maximum:
        return np.append(medians, dist.maximum), weights
    return medians, weights


def reach_estimate(lengths: np.ndarray, ber: np.ndarray, target: np.ndarray) -> float:
    """Longest length meeting ``target``, interpolating log10(BER / target) linearly in length between the
    longest passing and the shortest failing evaluated length (BER rises with length) [m]."""
    order = np.argsort(lengths)
    x, ratio = lengths[order], np.log10(np.maximum(ber[order], 1e-300) / target[order])
    ok = ratio <= 0
    if ok.all():
        return float(x[-1])
    if not ok.any():
        return 0.0
    first_bad = int(np.argmax(~ok))
    if first_bad == 0:
        return 0.0
    x0, x1, y0, y1 = x[first_bad - 1], x[first_bad], ratio[first_bad - 1], ratio[first_bad]
    if not (np.isfinite(y0) and np.isfinite(y1)) or y1 <= y0:
        return float(x0)
    return float(x0 + (x1 - x0) * (0.0 - y0) / (y1 - y0))


class LinkEvaluator:
    """Evaluates catalog parameter sets on link classes, caching within one command.

    Parameters
    ----------
    bins : int
        Equal-probability length bins per class.
    target_ber : float, optional
        BER every link must meet after FEC; default: each parameter set's own.
    solve_reach : bool
        Also solve each set's maximum reach at each class's rate (slower; for reporting).
    """

    def __init__(self, bins: int = DEFAULT_BINS, target_ber: float | None = None, solve_reach: bool = False):
        if not 1 <= bins <= 256:
            raise ConfigError(f"--bins: got {bins}; allowed: 1 .. 256")
        if target_ber is not None and not 0 < target_ber < 0.5:
            raise ConfigError(f"--target-ber: got {target_ber}; allowed: 0 < BER < 0.5")
        self.bins = bins
        self.target_ber = target_ber
        self.solve_reach = solve_reach
        self._results: dict[tuple, object] = {}
        self._classes: dict[tuple, dict[str, ClassEvaluation]] = {}
        self.link_calls = 0

    def _evaluate(self, parameter_set: str, rates: np.ndarray, lengths: np.ndarray, solve_reach: bool):
        from microlink.link.chain import evaluate_link

        key = (parameter_set, rates.tobytes(), lengths.tobytes(), self.target_ber, solve_reach)
        if key not in self._results:
            self.link_calls += 1
            self._results[key] = evaluate_link(parameter_set, aggregate_rate=rates, reach=lengths,
                                               target_ber=self.target_ber, solve_reach=solve_reach)
        return self._results[key]

    def evaluate(self, topology: Topology, parameter_set: str) -> dict[str, ClassEvaluation]:
        """Every link class of ``topology`` carried by ``parameter_set`` (one vectorised link call)."""
        layout = []
        rates, lengths = [], []
        for c in topology.link_classes:
            points, weights = _class_lengths(c, self.bins)
            layout.append((c, len(lengths), len(points), weights))
            lengths.extend(points.tolist())
            rates.extend([c.aggregate_rate] * len(points))
        rate_arr = np.asarray(rates, dtype=float)
        length_arr = np.asarray(lengths, dtype=float)
        key = (parameter_set, rate_arr.tobytes(), length_arr.tobytes())
        if key in self._classes:
            return self._classes[key]
        r = self._evaluate(parameter_set, rate_arr, length_arr, False)
        shape = length_arr.shape

        def arr(x):
            return np.broadcast_to(np.asarray(x, dtype=float), shape)

        feasible = np.broadcast_to(np.asarray(r.feasible), shape)
        ber, target = arr(r.ber_post_fec), arr(r.target_ber)
        power = arr(r.power_per_end)
        module = arr(r.module_power_per_end)
        energy, cost, fit = arr(r.energy_per_bit), arr(r.cost_per_end), arr(r.fit_per_end)
        active, spare, latency = arr(r.lanes_active), arr(r.lanes_spare), arr(r.latency)
        launched = arr(r.launched_power)
        reach = {}
        if self.solve_reach:
            unique = np.unique(rate_arr)
            solved = self._evaluate(parameter_set, unique, np.full(unique.shape, 1.0), True)
            reach = dict(zip(unique.tolist(), np.broadcast_to(np.asarray(solved.max_reach, float), unique.shape).tolist()))
        gearbox = bool(r.gearbox)
        per_lane = arr(r.aggregate_rate) / np.maximum(arr(r.lanes_active), 1.0)
        out = {}
        for c, start, n, weights in layout:
            every = slice(start, start + n)
            mid = slice(start, start + len(weights))
            lane_payload = float(per_lane[start])
            buildable = gearbox or abs(lane_payload - c.lane_rate) <= 1e-6 * c.lane_rate
            note = "" if buildable else (f"{lane_payload / 1e9:g} Gb/s lanes on {c.lane_rate / 1e9:g} Gb/s host "
                                         "SerDes without a gearbox")
            ok = feasible[every] & buildable
            points = length_arr[every]
            estimate = reach_estimate(points, ber[every], target[every])
            if ok.all():
                fraction = 1.0
            else:
                fraction = float(c.length.cdf(estimate)) if estimate > 0 else 0.0
            out[c.name] = ClassEvaluation(
                link_class=c.name,
                parameter_set=parameter_set,
                technology=r.technology,
                electrical=bool(np.all(launched[every] == 0)),
                feasible=bool(ok.all()),
                buildable=bool(buildable),
                lane_note=note,
                feasible_fraction=fraction,
                longest_feasible=float(points[ok].max()) if ok.any() else 0.0,
                reach_estimate=estimate,
                shortest_evaluated=float(points.min()),
                max_reach=float(reach.get(c.aggregate_rate, np.nan)),
                power_per_end=float(np.dot(weights, power[mid])),
                module_power_per_end=float(np.dot(weights, module[mid])),
                energy_per_bit=float(np.dot(weights, energy[mid])),
                cost_per_end=float(np.dot(weights, cost[mid])),
                fit_per_end=float(np.dot(weights, fit[mid])),
                lanes_active=float(np.max(active[every])),
                lanes_spare=float(np.max(spare[every])),
                latency=float(latency[start + n - 1]),
                target_ber=float(target[start]),
            )
        self._classes[key] = out
        return out

    def evaluate_all(self, topology: Topology, parameter_sets: list[str]) -> dict[str, dict[str, ClassEvaluation]]:
        """``{parameter set: {class: ClassEvaluation}}`` for several sets (errors propagate)."""
        return {name: self.evaluate(topology, name) for name in parameter_sets}

    def evaluate_many(self, topology: Topology, parameter_sets: list[str], workers: int = 1
                      ) -> tuple[dict[str, dict[str, ClassEvaluation]], dict[str, str]]:
        """Evaluate several sets, serially or on ``workers`` processes (0: one per CPU).

        Returns the evaluations and, for sets whose link model rejected the request with a
        :class:`~microlink.errors.MicrolinkError`, the error text. Results are identical on every executor.
        """
        from microlink.kernels import usable_cpus

        if workers < 0:
            raise ConfigError(f"--workers: got {workers}; allowed: 0 (one per CPU) or more")
        workers = usable_cpus() if workers == 0 else workers
        done: dict[str, dict[str, ClassEvaluation]] = {}
        errors: dict[str, str] = {}
        if workers <= 1 or len(parameter_sets) <= 1:
            for name in parameter_sets:
                try:
                    done[name] = self.evaluate(topology, name)
                except MicrolinkError as exc:
                    errors[name] = str(exc)
            return done, errors
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        from microlink import kernels

        jobs = [(topology, name, self.bins, self.target_ber, self.solve_reach, kernels.engine())
                for name in parameter_sets]
        import signal

        # the workers ignore Ctrl-C: it reaches this process alone, which stops cleanly (no worker tracebacks)
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=multiprocessing.get_context(method),
                                 initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
            for name, result, calls in pool.map(_evaluate_in_worker, jobs):
                self.link_calls += calls
                if isinstance(result, str):
                    errors[name] = result
                else:
                    done[name] = result
        return done, errors


def default_workers() -> int:
    """Processes a command evaluates the technologies on by default: one per usable CPU where processes fork
    (Linux), else 1 (a spawned process re-imports the package, which costs more than the work it takes over)."""
    import multiprocessing
    import sys

    from microlink.kernels import usable_cpus

    return usable_cpus() if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods() else 1


def _evaluate_in_worker(job) -> tuple[str, object, int]:
    """One parameter set on one topology in a worker process, on the parent's kernel engine (errors returned
    as text)."""
    from microlink import kernels

    topology, name, bins, target_ber, solve_reach, engine = job
    evaluator = LinkEvaluator(bins=bins, target_ber=target_ber, solve_reach=solve_reach)
    try:
        with kernels.use_engine(engine):
            return name, evaluator.evaluate(topology, name), evaluator.link_calls
    except MicrolinkError as exc:
        return name, str(exc), evaluator.link_calls
