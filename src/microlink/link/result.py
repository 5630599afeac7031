"""The typed result of a link evaluation, with every intermediate and its unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from microlink.units import watt_to_dbm

#: A named penalty above which an infeasible result is reported as an eye shut by it [dB]: 100x in power,
#: more than any link budget carries (the eye-closure penalties report a shut eye as 60 dB).
SHUT_EYE_PENALTY_DB = 20.0
#: A BER floor this close to the pre-FEC threshold (a decade) flags the margin as resting on it [ratio]: a
#: reporting rule, not a model parameter. A decade of Gaussian-tail BER is ~1.4 dB of Q at KP4's threshold
#: (Q 3.4 -> 4.0) and ~0.4 dB at 1e-12 (7.0 -> 7.3): over such a floor that much more eye closure (ISI,
#: crosstalk, jitter) crosses the threshold whatever the power margin.
NEAR_FLOOR_RATIO = 0.1


def _py(value):
    """NumPy scalar/array -> Python float/int/bool/list for JSON."""
    arr = np.asarray(value)
    if arr.ndim == 0:
        item = arr.item()
        return item
    return arr.tolist()


@dataclass(frozen=True, eq=False, repr=False)
class LinkResult:
    """Everything a link evaluation computed, in SI units (log units only where the name says so).

    Values are scalars for one design point, or arrays of a common shape for a batch.

    Attributes
    ----------
    technology : str
        Technology family, e.g. ``"microled"``.
    parameter_set : str
        Name of the catalog parameter set (or ``"custom"``).
    aggregate_rate : array
        Payload rate per direction [b/s].
    lane_rate : array
        Line rate of one lane [b/s].
    lanes_active, lanes_spare : array
        Lanes carrying data and spare lanes per direction [1].
    reach : array
        Link length [m].
    modulation : str
        ``"NRZ"`` or ``"PAM4"``.
    launched_power : array
        Mean optical power launched into the channel per lane [W] (0 for electrical links).
    received_power : array
        Mean optical power at the photodiode per lane [W] (electrical links: 0).
    received_oma : array
        Optical modulation amplitude at the photodiode per lane [W].
    signal_amplitude : array
        Half the settled signal swing at the decision point [A] (electrical: [V]).
    noise : dict[str, array]
        RMS noise terms at the decision point, keyed by source [A] (electrical: [V]).
    main_cursor, isi_closure : array
        Normalised main cursor and worst-case ISI closure ``sum |h_k|`` [1].
    crosstalk : array
        Power fraction coupled from each adjacent lane [1].
    bandwidth : dict[str, array]
        -3 dB bandwidths of the blocks [Hz].
    q_factor, q_worst_case : array
        Q equivalent to the average-pattern BER, and of the worst-case eye [1].
    ber, ber_worst_case : array
        Pre-FEC bit error ratio, average over patterns and worst case [1].
    target_ber : array
        BER the link must reach after FEC [1].
    margin_db : array
        Optical (or signal) power margin to reach ``target_ber`` before FEC [dB]; ``-inf`` when a BER floor
        above the target cannot be crossed by more power.
    max_reach : array or None
        Longest length at which ``target_ber`` is met [m]; None when the reach was not solved for.
    max_reach_capped : array of bool or None
        True where the reach search stopped at its upper bound.
    energy_breakdown : dict[str, array]
        Energy per payload bit by block, one direction, both ends [J/bit]; sums to ``energy_per_bit``.
    power_per_end : array
        Power of one duplex link end (a Tx and an Rx of the full aggregate) [W], including the host's half
        of the electrical interface, so that every technology is charged for the whole path from host
        logic to host logic. (``extras["module_power_per_end_w"]`` leaves the host's half out, for
        comparison with module datasheets.)
    latency : array
        One-way latency excluding queueing [s].
    fec : str
        FEC scheme applied (``"none"`` for raw links).
    ber_post_fec : array
        BER after FEC [1].
    cost_per_end : array
        Cost of one link end including its share of cable [USD].
    fit_per_end : array
        Failure rate of one link end over its service life [FIT = failures per 1e9 h].
    extras : dict[str, Any]
        Technology-specific intermediates (names with units in the key).
    attach : str
        Host attach the link was evaluated with (``d2d``, ``xsr``, ``vsr``, ``lr``; see
        :mod:`microlink.link.attach`).
    boundary : str
        One line saying what the energy, power and cost figures include.
    penalties_db : dict[str, array]
        Named power penalties of the link budget [dB]; ``margin_db``, ``ber`` and ``max_reach`` include them.
    ber_floor_above_target : array of bool
        True where no received power meets the pre-FEC threshold (``margin_db`` is then the search limit).
    ber_floor : array
        Pre-FEC BER with the received power raised by the margin search's half-width (60 dB) [1]: the floor
        left by what the chain models as growing with the signal (residual ISI; in the equalised chains also
        crosstalk, echo, RIN, jitter and transmitter noise). Impairments charged as power penalties (the
        micro-LED chain's crosstalk, jitter and skew) are paid by the added power and leave none. See
        :attr:`near_ber_floor`.
    module_power_per_end : array
        Power of one end without the host's halves of the attach and the host FEC [W] (datasheet boundary).
    media_per_end : array
        Physical media of one end: pairs, fibers or fiber cores [1]; ``media_kind`` says which.
    pre_fec_threshold : array
        Pre-FEC BER at which the FEC meets ``target_ber`` (the target itself without FEC) [1].
    attach_hop_ber : array
        BER added by the attach's electrical hops (retimed attaches) [1].
    gearbox : bool
        True when the media engine terminates the host's lanes (retimed), so its lane rate may differ from
        the host SerDes'; linear technologies must run at the host's lane rate.
    """

    technology: str
    parameter_set: str
    aggregate_rate: Any
    lane_rate: Any
    lanes_active: Any
    lanes_spare: Any
    reach: Any
    modulation: str
    launched_power: Any
    received_power: Any
    received_oma: Any
    signal_amplitude: Any
    noise: dict
    main_cursor: Any
    isi_closure: Any
    crosstalk: Any
    bandwidth: dict
    q_factor: Any
    q_worst_case: Any
    ber: Any
    ber_worst_case: Any
    target_ber: Any
    margin_db: Any
    max_reach: Any
    max_reach_capped: Any
    energy_breakdown: dict
    power_per_end: Any
    latency: Any
    fec: str = "none"
    ber_post_fec: Any = None
    cost_per_end: Any = 0.0
    fit_per_end: Any = 0.0
    extras: dict = field(default_factory=dict)
    attach: str = "native"
    boundary: str = ""
    penalties_db: dict = field(default_factory=dict)
    ber_floor_above_target: Any = False
    ber_floor: Any = 0.0
    module_power_per_end: Any = 0.0
    media_per_end: Any = 0.0
    media_kind: str = "cores"
    pre_fec_threshold: Any = None
    attach_hop_ber: Any = 0.0
    gearbox: bool = False

    # ------------------------------------------------------------------ derived quantities
    @property
    def energy_per_bit(self):
        """Total energy per payload bit, one direction [J/bit]."""
        return sum(np.asarray(v, dtype=float) for v in self.energy_breakdown.values())

    @property
    def energy_per_bit_pj(self):
        """Total energy per payload bit [pJ/bit]."""
        return self.energy_per_bit * 1e12

    @property
    def received_power_dbm(self):
        """Mean received optical power per lane [dBm] (``-inf`` for electrical links)."""
        return watt_to_dbm(self.received_power)

    @property
    def noise_total(self):
        """Root-sum-square of the noise terms [A or V]."""
        return np.sqrt(sum(np.asarray(v, dtype=float) ** 2 for v in self.noise.values()))

    @property
    def feasible(self):
        """True where the post-FEC BER meets the target at this reach [bool]."""
        return np.asarray(self.ber_post_fec) <= np.asarray(self.target_ber)

    @property
    def near_ber_floor(self):
        """True where the BER floor (:attr:`ber_floor`) lies within ``NEAR_FLOOR_RATIO`` (a decade) of the
        pre-FEC threshold [bool]: no power takes the BER far below the threshold there, so a few per cent more
        ISI, crosstalk or jitter cross it whatever ``margin_db`` says (a margin of many dB can rest on it)."""
        threshold = self.pre_fec_threshold if self.pre_fec_threshold is not None else self.target_ber
        return np.asarray(self.ber_floor, dtype=float) >= NEAR_FLOOR_RATIO * np.asarray(threshold, dtype=float)

    @property
    def infeasible_reason(self) -> str:
        """Empty when feasible; otherwise why not (scalar results only)."""
        if np.ndim(self.ber) or bool(self.feasible):
            return ""
        if bool(np.asarray(self.ber_floor_above_target)) or (self.max_reach is not None
                                                              and float(self.max_reach) <= 0.0):
            return (f"BER {float(self.ber_post_fec):.2e} above target {float(self.target_ber):.0e} at any length "
                    f"({self._floor_cause()}, not reach)")
        if self.max_reach is not None and float(self.reach) > float(self.max_reach):
            return (f"reach {float(self.reach):g} m beyond the {float(self.max_reach):.3g} m at which BER "
                    f"{float(self.target_ber):.0e} is met")
        return f"BER {float(self.ber_post_fec):.2e} above target {float(self.target_ber):.0e}"

    def _floor_cause(self) -> str:
        """What sets a BER floor: noise (the signal is too small even without ISI) or the eye's closure."""
        from microlink.units import ber_to_q

        noise = {k: float(np.asarray(v, dtype=float)) for k, v in (self.noise or {}).items()}
        sigma = float(np.sqrt(sum(v * v for v in noise.values())))
        amp, main, isi = float(self.signal_amplitude), float(self.main_cursor), float(self.isi_closure)
        threshold = float(self.pre_fec_threshold) if self.pre_fec_threshold is not None else float(self.target_ber)
        if not (sigma > 0 and amp > 0 and main > 0 and 0 < threshold < 0.5):
            return "floor set by ISI, crosstalk or noise"
        unit = "A" if float(np.asarray(self.launched_power)) > 0 else "V"
        scale, prefix = next(((f, p) for f, p in ((1e-9, "n"), (1e-6, "u"), (1e-3, "m")) if sigma < 1e3 * f), (1.0, ""))
        q_clean, q_need = amp * main / sigma, float(ber_to_q(threshold))
        pen = f" (plus {float(self.penalty_total_db):.1f} dB of named penalties)" if self.penalties_db else ""
        named = {k: float(np.asarray(v, dtype=float)) for k, v in (self.penalties_db or {}).items()}
        if named and max(named.values()) >= SHUT_EYE_PENALTY_DB:  # no power pays it: the eye it leaves is shut
            worst = max(named, key=named.get)
            return f"eye shut by {worst.replace('_', ' ')} ({named[worst]:.0f} dB penalty: no received power opens it)"
        if q_clean < q_need:
            top = max(noise, key=noise.get)
            return (f"noise-limited: {amp / scale:.3g} {prefix}{unit} of signal against {sigma / scale:.3g} "
                    f"{prefix}{unit} rms noise ({top} largest), Q {q_clean:.2g} with no ISI where {q_need:.2g} is "
                    f"needed{pen}")
        return (f"eye-limited: ISI and crosstalk close {min(isi / main, 1.0):.0%} of the eye, Q {q_clean:.2g} "
                f"without them{pen}")

    @property
    def penalty_total_db(self):
        """Sum of the named penalties [dB]."""
        return sum((np.asarray(v, dtype=float) for v in self.penalties_db.values()), np.zeros(self.shape))

    @property
    def shape(self):
        """Broadcast shape of the result's arrays."""
        return np.shape(self.ber)

    # ------------------------------------------------------------------ conversions
    def to_dict(self) -> dict[str, Any]:
        """Flat JSON-friendly dictionary (SI plus conventional units in the key names)."""
        d = {
            "technology": self.technology,
            "parameter_set": self.parameter_set,
            "modulation": self.modulation,
            "aggregate_rate_bps": _py(self.aggregate_rate),
            "lane_rate_bps": _py(self.lane_rate),
            "lanes_active": _py(self.lanes_active),
            "lanes_spare": _py(self.lanes_spare),
            "reach_m": _py(self.reach),
            "launched_power_dbm": _py(watt_to_dbm(self.launched_power)),
            "received_power_dbm": _py(self.received_power_dbm),
            "received_oma_dbm": _py(watt_to_dbm(self.received_oma)),
            "signal_amplitude": _py(self.signal_amplitude),
            "noise_rms": {k: _py(v) for k, v in self.noise.items()},
            "main_cursor": _py(self.main_cursor),
            "isi_closure": _py(self.isi_closure),
            "crosstalk_db": _py(10 * np.log10(np.maximum(np.asarray(self.crosstalk, dtype=float), 1e-300))),
            "bandwidth_hz": {k: _py(v) for k, v in self.bandwidth.items()},
            "q_factor": _py(self.q_factor),
            "q_worst_case": _py(self.q_worst_case),
            "ber": _py(self.ber),
            "ber_worst_case": _py(self.ber_worst_case),
            "fec": self.fec,
            "ber_post_fec": _py(self.ber_post_fec),
            "target_ber": _py(self.target_ber),
            "margin_db": _py(self.margin_db),
            "max_reach_m": None if self.max_reach is None else _py(self.max_reach),
            "max_reach_capped": None if self.max_reach_capped is None else _py(self.max_reach_capped),
            "energy_per_bit_pj": _py(self.energy_per_bit_pj),
            "energy_breakdown_pj": {k: _py(np.asarray(v) * 1e12) for k, v in self.energy_breakdown.items()},
            "power_per_end_w": _py(self.power_per_end),
            "latency_ns": _py(np.asarray(self.latency) * 1e9),
            "cost_usd": _py(self.cost_per_end),
            "fit": _py(self.fit_per_end),
            "feasible": _py(self.feasible),
            "attach": self.attach,
            "boundary": self.boundary,
            "penalties_db": {k: _py(v) for k, v in self.penalties_db.items()},
            "penalty_total_db": _py(self.penalty_total_db),
            "ber_floor_above_target": _py(self.ber_floor_above_target),
            "ber_floor": _py(self.ber_floor),
            "near_ber_floor": _py(self.near_ber_floor),
            "module_power_per_end_w": _py(self.module_power_per_end),
            "media_per_end": _py(self.media_per_end),
            "media_kind": self.media_kind,
            "pre_fec_threshold": None if self.pre_fec_threshold is None else _py(self.pre_fec_threshold),
            "attach_hop_ber": _py(self.attach_hop_ber),
            "gearbox": bool(self.gearbox),
        }
        if not np.ndim(self.ber):
            d["infeasible_reason"] = self.infeasible_reason
        for k, v in self.extras.items():
            d[k] = {kk: _py(vv) for kk, vv in v.items()} if isinstance(v, dict) else v if isinstance(v, str) else _py(v)
        return d

    def to_series(self):
        """One design point as a :class:`pandas.Series` (nested dicts flattened with ``.``)."""
        import pandas as pd

        if np.ndim(self.ber):
            raise ValueError("to_series() needs a scalar result; use to_dataframe() for a batch")
        return pd.Series(_flatten(self.to_dict()))

    def to_dataframe(self):
        """All design points as a :class:`pandas.DataFrame`, one row per point."""
        import pandas as pd

        flat = _flatten(self.to_dict())
        shape = self.shape
        n = int(np.prod(shape)) if shape else 1
        cols = {}
        for k, v in flat.items():
            if v is None:
                continue
            arr = np.asarray(v, dtype=object if isinstance(v, str) else None)
            if arr.ndim == 0:
                cols[k] = np.repeat(arr, n)
            else:
                cols[k] = np.broadcast_to(arr, shape).reshape(-1)
        return pd.DataFrame(cols)

    def __repr__(self) -> str:
        """One summary line per result (the full record: :meth:`to_dict`, :meth:`to_dataframe`)."""
        head = (f"LinkResult {self.parameter_set} ({self.technology}), {self.modulation}, FEC {self.fec}, "
                f"attach {self.attach}")
        if np.ndim(self.ber):
            ok = np.asarray(self.feasible, dtype=bool)
            e = np.asarray(self.energy_per_bit_pj, dtype=float)
            return (f"<{head}: {ok.size} points of shape {self.shape}, feasible {int(ok.sum())}/{ok.size}, "
                    f"{np.nanmin(e):.3g}-{np.nanmax(e):.3g} pJ/bit>")
        reach = "not solved" if self.max_reach is None else f"{float(self.max_reach):.3g} m"
        verdict = "feasible" if bool(self.feasible) else "NOT feasible"
        pen = f", penalties {float(self.penalty_total_db):.2f} dB" if self.penalties_db else ""
        if bool(self.near_ber_floor) and not bool(np.asarray(self.ber_floor_above_target)):
            pen += f" (over a BER floor of {float(self.ber_floor):.1e}, within a decade of the threshold)"
        return (f"<{head}: {float(self.aggregate_rate) / 1e9:g} Gb/s over {float(self.reach):g} m, "
                f"{int(self.lanes_active)}+{int(self.lanes_spare)} lanes at {float(self.lane_rate) / 1e9:.3g} Gb/s; "
                + (f"BER {float(self.ber):.2e} before FEC, {float(self.ber_post_fec):.2e} after" if self.fec != "none"
                   else f"BER {float(self.ber):.2e}")
                + f" (target {float(self.target_ber):.0e}), margin "
                f"{float(self.margin_db):+.2f} dB{pen}, max reach {reach}; {float(self.energy_per_bit_pj):.3g} pJ/bit, "
                f"{float(self.power_per_end):.3g} W per end; {verdict}>")

    #: Columns a notebook shows first: the verdict and what it rests on, then everything else.
    KEY_FIGURES = ("parameter_set", "feasible", "reach_m", "max_reach_m", "margin_db", "penalty_total_db",
                   "near_ber_floor", "ber", "ber_floor", "ber_post_fec", "target_ber", "energy_per_bit_pj",
                   "power_per_end_w", "attach", "fec", "infeasible_reason")

    def _repr_html_(self):  # Jupyter: the one-line summary, then the key figures first
        import html

        head = f"<p><code>{html.escape(repr(self))}</code></p>"
        if np.ndim(self.ber):
            frame = self.to_dataframe()
            first = [c for c in self.KEY_FIGURES if c in frame.columns]
            return head + frame[first + [c for c in frame.columns if c not in first]]._repr_html_()
        series = self.to_series()
        first = [k for k in self.KEY_FIGURES if k in series.index]
        return head + series[first + [k for k in series.index if k not in first]].to_frame("value")._repr_html_()


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def stack_results(parts: list, where: list, shape) -> "LinkResult":
    """Reassemble results computed on disjoint subsets of a flat batch (``where[i]`` holds the flat positions
    of ``parts[i]``) into one result of ``shape``."""
    import dataclasses

    n = int(np.prod(shape, dtype=np.int64)) if shape else 1
    first = parts[0]

    def merge(name, values):
        sample = values[0]
        if isinstance(sample, dict):
            keys = set(sample)
            if any(set(v) != keys for v in values):
                raise ValueError(f"result field {name}: the parts carry different keys")
            return {k: merge(f"{name}.{k}", [v[k] for v in values]) for k in sample}
        if sample is None or isinstance(sample, (str, bool)):
            if any(v != sample for v in values):  # one value stands for every point: the parts must agree
                raise ValueError(f"result field {name}: the parts differ ({sample!r}, ...)")
            return sample
        out = np.empty(n, dtype=np.result_type(*[np.asarray(v) for v in values]))
        for v, idx in zip(values, where):
            out[idx] = np.broadcast_to(np.asarray(v), (len(idx),))
        return out.reshape(shape)

    changes = {f.name: merge(f.name, [getattr(p, f.name) for p in parts]) for f in dataclasses.fields(first)}
    return dataclasses.replace(first, **changes)


def result_points(result: "LinkResult") -> list:
    """Split a 1-D batch result into one scalar result per point (array fields indexed, strings kept)."""
    import dataclasses

    from microlink.errors import ParameterError

    if len(result.shape) > 1:
        raise ParameterError("result", result.shape, "a scalar or 1-D batch of design points")
    n = int(np.prod(result.shape)) if result.shape else 1

    def pick(value, i):
        if isinstance(value, dict):
            return {k: pick(v, i) for k, v in value.items()}
        if isinstance(value, str) or value is None:
            return value
        arr = np.asarray(value)
        if arr.ndim == 0 or not result.shape:
            return value
        return arr[i] if arr.shape[0] == n else value

    return [dataclasses.replace(result, **{f.name: pick(getattr(result, f.name), i)
                                           for f in dataclasses.fields(result)
                                           if f.name not in ("technology", "parameter_set", "modulation", "fec",
                                                             "attach", "boundary", "media_kind", "gearbox")})
            for i in range(n)]
