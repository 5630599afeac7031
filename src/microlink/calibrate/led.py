"""Least-squares fit of the micro-LED model (:class:`~microlink.devices.microled.MicroLED`) to measurements.

Data: rows of drive current with a measured -3 dB bandwidth and/or EQE, optionally per row the mesa diameter and
the temperature (several sizes or temperatures in one file). CSV columns, units in brackets::

    current [uA], bandwidth [MHz], eqe, diameter [um], temperature [K]

(``current`` is required; at least one of ``bandwidth`` and ``eqe``; any unit the quantity grammar knows).

Model: the preset's LED with the fitted fields replaced, its ``measured_bandwidth``/``measured_efficiency``
cleared (the physics answers, not a single measured point). Bandwidth semantics are explicit: with
``response="carrier"`` the data is the carrier-limited bandwidth (the drive network de-embedded); with
``response="device"`` it is the LED's whole small-signal response driven from ``source_resistance`` [ohm]
(carrier pole plus the pad/series/junction network; a driver's own pole must already be removed).

Fit: :func:`scipy.optimize.least_squares` on the logarithms of the fitted values, bounded by the fields'
declared bounds; residuals are relative (log model - log data) for both curves. Confidence intervals come from
the Jacobian at the optimum (covariance s^2 (J^T J)^-1, Student t at the residual degrees of freedom), and are
multiplicative because the fit is in log space.

Identifiability: the active thickness is fully degenerate with B and C (only B/d and C/d^2 enter), so it stays
at the preset's value; the injection efficiency is degenerate with the extraction, which is fitted. With one
diameter, the SRH coefficient absorbs the sidewall term (``srh_coefficient`` is then the effective A at that
size); with two or more, ``surface_recombination_velocity`` is fitted too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from microlink.errors import ConfigError, ParameterError

#: Fields fitted by default (the sidewall velocity is added when the data holds several diameters).
DEFAULT_FIT = ("srh_coefficient", "radiative_coefficient", "auger_coefficient", "light_extraction_efficiency")
FITTABLE = DEFAULT_FIT + ("surface_recombination_velocity", "pad_capacitance", "access_resistance",
                          "specific_contact_resistance")
RESPONSES = ("carrier", "device")
COLUMNS = {"current": "A", "bandwidth": "Hz", "eqe": "1", "diameter": "m", "temperature": "K"}
CONFIDENCE = 0.95


@dataclass(frozen=True)
class LEDData:
    """Measured rows (SI): current [A], bandwidth [Hz] or NaN, eqe [1] or NaN, diameter [m], temperature [K]."""

    current: np.ndarray
    bandwidth: np.ndarray
    eqe: np.ndarray
    diameter: np.ndarray
    temperature: np.ndarray
    source: str = "data"


@dataclass(frozen=True)
class LEDFit:
    """Result of :func:`fit_led`.

    Attributes
    ----------
    led : MicroLED
        The preset's LED with the fitted values.
    names : tuple of str
        Fitted fields.
    values, low, high : ndarray
        Fitted values and the ends of their confidence intervals (level :data:`CONFIDENCE`), in SI.
    at_bound : tuple of bool
        A value ended on a bound (its interval is then not meaningful).
    rms_relative : dict
        RMS relative residual per curve (``bandwidth``, ``eqe``) [1].
    points : int
        Data points used.
    response : str, source_resistance : float [ohm], source : str
    cleared : tuple of str
        ``measured_bandwidth``/``measured_efficiency`` the preset had set, cleared so the model answers.
    """

    led: object
    names: tuple
    values: np.ndarray
    low: np.ndarray
    high: np.ndarray
    at_bound: tuple
    rms_relative: dict
    points: int
    response: str
    source_resistance: float
    source: str
    cleared: tuple = ()

    def interval(self, name: str) -> tuple[float, float]:
        i = self.names.index(name)
        return float(self.low[i]), float(self.high[i])


def _column(header: str) -> tuple[str, float]:
    """``"current [uA]"`` -> (``"current"``, scale to SI)."""
    from microlink.units import parse_quantity

    text = header.strip()
    name, unit = text, ""
    if "[" in text and text.endswith("]"):
        name, unit = text[: text.index("[")].strip(), text[text.index("[") + 1:-1].strip()
    name = name.lower()
    if name not in COLUMNS:
        raise ConfigError(f"data: column {header!r}; allowed: " + ", ".join(f"{k} [unit]" for k in COLUMNS))
    si = COLUMNS[name]
    if not unit or unit == "1":
        if si not in ("1",) and not unit:
            raise ConfigError(f"data: column {header!r} needs a unit, e.g. '{name} [{si}]'")
        return name, 1.0
    scale = parse_quantity(f"1 {unit}", si, field=f"data column {name}")
    return name, float(scale)


def read_led_data(path, *, diameter: float, temperature: float) -> LEDData:
    """Read a CSV of LED measurements (see the module docstring); missing columns take the given values."""
    import csv
    import io

    from microlink.io.files import read_text

    path = Path(path)
    text = read_text(path, what="data")
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if r and not r[0].lstrip().startswith("#")]
    if len(rows) < 2:
        raise ConfigError(f"data: {path.name}: needs a header row and at least one data row")
    cols = [_column(h) for h in rows[0]]
    names = [c[0] for c in cols]
    if len(set(names)) != len(names):
        raise ConfigError(f"data: {path.name}: a column appears twice ({', '.join(names)})")
    if "current" not in names or not ({"bandwidth", "eqe"} & set(names)):
        raise ConfigError(f"data: {path.name}: columns {', '.join(names)}; allowed: current and at least one of "
                          "bandwidth, eqe (optionally diameter, temperature)")
    values = {n: [] for n in names}
    for k, row in enumerate(rows[1:], start=2):
        if len(row) != len(cols):
            raise ConfigError(f"data: {path.name} line {k}: {len(row)} values; allowed: {len(cols)}")
        for (name, scale), cell in zip(cols, row):
            cell = cell.strip()
            try:
                value = float(cell) * scale if cell else np.nan
            except ValueError:
                raise ConfigError(f"data: {path.name} line {k}, {name}: got {cell!r}; allowed: a number") from None
            if cell and not (np.isfinite(value) and value > 0):
                raise ConfigError(f"data: {path.name} line {k}, {name}: got {cell!r}; allowed: a positive number")
            values[name].append(value)
    n = len(rows) - 1
    get = {k: np.asarray(v, dtype=float) for k, v in values.items()}
    if np.any(np.isnan(get["current"])):
        raise ConfigError(f"data: {path.name}: every row needs a current")
    return LEDData(
        current=get["current"], bandwidth=get.get("bandwidth", np.full(n, np.nan)),
        eqe=get.get("eqe", np.full(n, np.nan)),
        diameter=np.nan_to_num(get.get("diameter", np.full(n, np.nan)), nan=diameter),
        temperature=np.nan_to_num(get.get("temperature", np.full(n, np.nan)), nan=temperature),
        source=path.name,
    )


def _predict(led, data: LEDData, response: str, source_resistance: float):
    """Model bandwidth [Hz] and EQE [1] at every row (grouped by diameter and temperature)."""
    bw = np.empty(data.current.shape)
    eqe = np.empty(data.current.shape)
    keys = np.stack([data.diameter, data.temperature], axis=-1)
    for d, t in np.unique(keys, axis=0):
        sel = (data.diameter == d) & (data.temperature == t)
        dev = led.replace(diameter=float(d), temperature=float(t))
        current = data.current[sel]
        if response == "carrier":
            bw[sel] = dev.carrier_bandwidth(current)
        else:
            bw[sel] = dev.bandwidth(current, driver_resistance=source_resistance)
        eqe[sel] = dev.external_quantum_efficiency(current)
    return bw, eqe


def _log_bounds(led, names):
    info = type(led).field_info()
    lo, hi = [], []
    for name in names:
        low, high = info[name]["bounds"]
        lo.append(np.log(max(low, high * 1e-9)))
        hi.append(np.log(high))
    return np.array(lo), np.array(hi)


def fit_led(data: LEDData, base_led, *, fit: Optional[Sequence[str]] = None, response: str = "carrier",
            source_resistance: float = 0.0) -> LEDFit:
    """Fit the LED model to ``data`` starting from ``base_led`` (see the module docstring)."""
    from scipy import optimize, stats

    if response not in RESPONSES:
        raise ParameterError("response", response, " | ".join(RESPONSES))
    if not (np.isfinite(source_resistance) and 0.0 <= source_resistance <= 1e4):
        raise ParameterError("source_resistance", source_resistance, "0 .. 1e4 ohm")
    names = list(fit) if fit else list(DEFAULT_FIT)
    if not fit and np.unique(data.diameter).size >= 2:
        names.append("surface_recombination_velocity")
    for name in names:
        if name not in FITTABLE:
            raise ParameterError("fit", name, ", ".join(FITTABLE))
    has_bw, has_eqe = np.isfinite(data.bandwidth), np.isfinite(data.eqe)
    m = int(has_bw.sum() + has_eqe.sum())
    if m <= len(names):
        raise ConfigError(f"data: {m} measured values for {len(names)} fitted fields; allowed: more values than fields")
    if "light_extraction_efficiency" in names and not has_eqe.any():
        names.remove("light_extraction_efficiency")  # bandwidth alone says nothing about extraction
    if response == "carrier" and not has_eqe.any():
        names = [n for n in names if n not in ("pad_capacitance", "access_resistance", "specific_contact_resistance")]
    cleared = tuple(k for k in ("measured_bandwidth", "measured_efficiency") if float(getattr(base_led, k)) > 0)
    led0 = base_led.replace(measured_bandwidth=0.0, measured_efficiency=0.0)
    lo, hi = _log_bounds(led0, names)
    x0 = np.clip(np.log([max(float(getattr(led0, n)), 1e-300) for n in names]), lo + 1e-9, hi - 1e-9)

    def model(x):
        return led0.replace(**{n: float(np.exp(v)) for n, v in zip(names, x)})

    def residuals(x):
        bw, eqe = _predict(model(x), data, response, source_resistance)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.concatenate([np.log(bw[has_bw] / data.bandwidth[has_bw]), np.log(eqe[has_eqe] / data.eqe[has_eqe])])
        return np.where(np.isfinite(r), r, 50.0)

    # a few starts spread over each field's decade neighbourhood: the ABC surface has shallow valleys
    best = None
    for shift in (0.0, -2.0, 2.0):
        start = np.clip(x0 + shift * np.array([n != "light_extraction_efficiency" for n in names]), lo + 1e-9, hi - 1e-9)
        res = optimize.least_squares(residuals, start, bounds=(lo, hi), x_scale=1.0, method="trf",
                                     xtol=1e-12, ftol=1e-12, gtol=1e-12, max_nfev=2000)
        if best is None or res.cost < best.cost:
            best = res
    x = best.x
    r = best.fun
    dof = max(m - len(names), 1)
    s2 = float(r @ r) / dof
    jac = best.jac
    try:
        cov = s2 * np.linalg.pinv(jac.T @ jac)
    except np.linalg.LinAlgError:  # pragma: no cover - pinv does not raise for finite input
        cov = np.full((len(names), len(names)), np.inf)
    half = stats.t.ppf(0.5 + CONFIDENCE / 2.0, dof) * np.sqrt(np.maximum(np.diag(cov), 0.0))
    at_bound = tuple(bool(v <= a + 1e-6 or v >= b - 1e-6) for v, a, b in zip(x, lo, hi))
    nb = int(has_bw.sum())
    rms = {}
    if nb:
        rms["bandwidth"] = float(np.sqrt(np.mean(np.expm1(r[:nb]) ** 2)))
    if has_eqe.any():
        rms["eqe"] = float(np.sqrt(np.mean(np.expm1(r[nb:]) ** 2)))
    return LEDFit(led=model(x), names=tuple(names), values=np.exp(x), low=np.exp(x - half), high=np.exp(x + half),
                  at_bound=at_bound, rms_relative=rms, points=m, response=response,
                  source_resistance=float(source_resistance), source=data.source,
                  cleared=cleared)


def write_led_file(result: LEDFit, path, *, preset: str) -> Path:
    """Write the fit as a link file: ``preset`` plus the fitted LED values, each with a ``kind: measured``
    source naming the data file, its interval and the fit quality."""
    import yaml

    path = Path(path)
    info = type(result.led).field_info()
    led = {k: 0.0 for k in result.cleared}
    sources = {f"led.{k}": {"citation": result.source, "kind": "derived",
                            "note": "cleared: the fitted model gives the bandwidth and efficiency at every bias"}
               for k in result.cleared}
    quality = ", ".join(f"{k} rms {v:.1%}" for k, v in result.rms_relative.items())
    for name, value, low, high, bound in zip(result.names, result.values, result.low, result.high, result.at_bound):
        led[name] = float(f"{value:.6g}")
        unit = info[name]["unit"]
        note = (f"least-squares fit ({result.response} response"
                + (f", source {result.source_resistance:g} ohm" if result.response == "device" else "")
                + f") to {result.points} points; {CONFIDENCE:.0%} interval {low:.4g} .. {high:.4g} {unit}; {quality}"
                + ("; ended on a field bound" if bound else ""))
        sources[f"led.{name}"] = {"citation": result.source, "kind": "measured", "note": note}
    doc = {"preset": preset, "led": led, "sources": sources}
    header = (f"# LED parameters fitted to {result.source} by `microlink calibrate led`.\n"
              f"# Use it wherever a preset is accepted: microlink link --preset {path.name}\n")
    path.write_text(header + yaml.safe_dump(doc, sort_keys=False, width=200))
    return path


def synthetic_led_data(led, currents, *, diameters=None, temperature=None, noise: float = 0.02,
                       seed: int = 0, response: str = "carrier", source_resistance: float = 0.0) -> LEDData:
    """Bandwidth and EQE curves of ``led`` at ``currents`` [A] (per diameter [m]) with log-normal noise.

    ``noise`` is the relative standard deviation [1]; the generator is ``numpy.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    diameters = [float(led.diameter)] if diameters is None else list(diameters)
    t = float(led.temperature if temperature is None else temperature)
    cur = np.tile(np.asarray(currents, dtype=float), len(diameters))
    dia = np.repeat(diameters, np.size(currents))
    data = LEDData(cur, np.zeros_like(cur), np.zeros_like(cur), dia, np.full_like(cur, t), source="synthetic")
    bw, eqe = _predict(led.replace(measured_bandwidth=0.0, measured_efficiency=0.0), data, response, source_resistance)
    bw = bw * np.exp(noise * rng.standard_normal(bw.shape))
    eqe = eqe * np.exp(noise * rng.standard_normal(eqe.shape))
    return LEDData(cur, bw, eqe, dia, np.full_like(cur, t), source=f"synthetic (seed {seed}, noise {noise:g})")


def write_led_csv(data: LEDData, path, comment: str = "") -> Path:
    """Write measurements as the CSV :func:`read_led_data` reads (uA, MHz, 1, um, K)."""
    path = Path(path)
    lines = [f"# {line}" for line in comment.splitlines()]
    lines.append("current [uA],bandwidth [MHz],eqe,diameter [um],temperature [K]")
    for i, b, e, d, t in zip(data.current, data.bandwidth, data.eqe, data.diameter, data.temperature):
        lines.append(f"{i * 1e6:.6g},{b / 1e6:.6g},{e:.6g},{d * 1e6:.6g},{t:.6g}")
    path.write_text("\n".join(lines) + "\n")
    return path


__all__ = ["CONFIDENCE", "DEFAULT_FIT", "FITTABLE", "LEDData", "LEDFit", "fit_led", "read_led_data",
           "synthetic_led_data", "write_led_csv", "write_led_file"]
