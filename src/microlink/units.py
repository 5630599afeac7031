"""Physical constants, logarithmic-unit conversions and the Q <-> BER relation.

Everything inside microlink is SI. Logarithmic or conventional units appear only in names that say so
(``_db``, ``_dbm``, ``_pj_per_bit``). Unit strings written by users ("10 m", "3.5 Gb/s") are parsed with
a small grammar at the configuration edge by :func:`parse_quantity` (numbers and units only, never
arithmetic); common units convert without pint, others through one cached pint registry built on first use.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import special

from microlink.errors import ParameterError

# CODATA 2018 exact / recommended values (NIST SP 961, 2019).
ELEMENTARY_CHARGE = 1.602176634e-19  # [C], exact (SI 2019)
BOLTZMANN = 1.380649e-23  # [J/K], exact (SI 2019)
PLANCK = 6.62607015e-34  # [J s], exact (SI 2019)
SPEED_OF_LIGHT = 299_792_458.0  # [m/s], exact
VACUUM_PERMITTIVITY = 8.8541878128e-12  # [F/m], CODATA 2018
ROOM_TEMPERATURE = 300.0  # [K], reference temperature used throughout

# Named scale factors so that no magic "* 1e-9" appears in formulas.
PICO = 1e-12
FEMTO = 1e-15
NANO = 1e-9
MICRO = 1e-6
MILLI = 1e-3
GIGA = 1e9
CM = 1e-2  # [m] one centimetre, for cm^-3 / A cm^-2 literature values
INCH = 0.0254  # [m], exact (international inch), for PCB trace lengths
HOURS_PER_FIT = 1e9  # FIT = failures per 1e9 device-hours


def db_to_linear(x_db):
    """Power ratio from decibels: ``10**(x_db/10)`` [dB -> 1]."""
    return np.power(10.0, np.asarray(x_db, dtype=float) / 10.0)


def linear_to_db(x):
    """Decibels from a power ratio [1 -> dB]. Zero maps to -inf; negative ratios are rejected."""
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        raise ParameterError("power ratio", float(np.min(x)), ">= 0")
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(x)


def dbm_to_watt(p_dbm):
    """Optical or electrical power in watts from dBm [dBm -> W]."""
    return 1e-3 * db_to_linear(p_dbm)


def watt_to_dbm(p_w):
    """Power in dBm from watts [W -> dBm]."""
    return linear_to_db(np.asarray(p_w, dtype=float) / 1e-3)


def photon_energy(wavelength):
    """Photon energy ``h c / lambda`` [m -> J]."""
    return PLANCK * SPEED_OF_LIGHT / np.asarray(wavelength, dtype=float)


def thermal_voltage(temperature):
    """``k T / q`` [K -> V]."""
    return BOLTZMANN * np.asarray(temperature, dtype=float) / ELEMENTARY_CHARGE


def q_to_ber(q):
    """Bit error ratio of a binary decision with Gaussian noise: ``BER = erfc(Q/sqrt 2)/2`` [1 -> 1].

    Accurate far into the tail (uses the complementary error function, not ``1 - erf``):
    Q = 7.034 gives 1e-12 and Q = 7.941 gives 1e-15.
    """
    return 0.5 * special.erfc(np.asarray(q, dtype=float) / np.sqrt(2.0))


def ber_to_q(ber):
    """Inverse of :func:`q_to_ber` [1 -> 1]. ``ber`` must lie in (0, 0.5]."""
    ber = np.asarray(ber, dtype=float)
    bad = ~((ber > 0) & (ber <= 0.5))  # NaN fails both comparisons
    if np.any(bad):
        raise ParameterError("ber", float(ber[bad].flat[0]), "0 < ber <= 0.5")
    return -special.ndtri(ber)


#: Longest quantity string accepted [characters]; a number needs far fewer (float has 17 significant digits).
MAX_QUANTITY_CHARS = 100
#: Most items in a comma list ("1,3,10 m").
MAX_LIST_ITEMS = 10_000

# The quantity grammar: a decimal number, optionally followed by a unit made of unit names joined by
# '/', '*', '·' or a space, with small constant exponents ('**2', '^-1', '**0.5') and one level of
# parentheses. No arithmetic on numbers is ever evaluated.
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?"
_NAME = r"[A-Za-z_°µμΩ%$]+"
_POW = r"(?:\*\*|\^)[+-]?[0-9](?:\.[0-9])?"
_ATOM = rf"{_NAME}(?:{_POW})?"
_GROUP = rf"\(\s*{_ATOM}(?:\s*[/*·]\s*{_ATOM}|\s+{_ATOM})*\s*\)(?:{_POW})?"
_FACTOR = rf"(?:{_ATOM}|{_GROUP})"
_UNIT = rf"(?:1\s*/\s*|/\s*)?{_FACTOR}(?:\s*[/*·]\s*{_FACTOR}|\s+{_FACTOR})*"
_QUANTITY_RE = re.compile(rf"({_NUMBER})\s*({_UNIT})?")
_UNIT_RE = re.compile(_UNIT)

# Units converted without pint (the common path): SI prefixes on the units users write most.
_PREFIXES = {"": 0, "P": 15, "T": 12, "G": 9, "M": 6, "k": 3, "m": -3, "u": -6, "n": -9, "p": -12, "f": -15}
_BASES = ("m", "s", "A", "V", "W", "Hz", "F", "J", "ohm", "bit/s", "bit", "Bd", "J/bit", "W/A", "A/W")
#: unit -> (power of ten to the base unit, base unit)
_FAST_UNITS: dict[str, tuple[int, str]] = {p + b: (e, b) for b in _BASES for p, e in _PREFIXES.items()}
_FAST_UNITS.update({"cm": (-2, "m"), "b/s": (0, "bit/s"), "b": (0, "bit"), "A/m**2": (0, "A/m**2"),
                    "A/cm**2": (4, "A/m**2"), "1/m": (0, "1/m"), "1/s": (0, "1/s"), "1/V": (0, "1/V")})
_FAST_UNITS.update({"byte/s": (0, "byte/s"), "byte": (0, "byte"), "dimensionless": (0, "1"), "percent": (-2, "1"),
                    "1/yr": (0, "1/year"), "1/year": (0, "1/year"), "percent/yr": (-2, "1/year"),
                    "percent/year": (-2, "1/year")})
_FAST_UNITS.update({p + "B/s": (e, "byte/s") for p, e in _PREFIXES.items()})
_FAST_UNITS.update({p + "B": (e, "byte") for p, e in _PREFIXES.items()})
#: Exact factors between fast-path bases of one dimension (a byte is 8 bits).
_BASE_FACTORS = {("byte/s", "bit/s"): 8.0, ("bit/s", "byte/s"): 0.125, ("byte", "bit"): 8.0, ("bit", "byte"): 0.125}
#: Dimension of each fast-path base where several bases share one (converted through pint); every other
#: base is a dimension of its own.
_DIMENSION = {"Hz": "1/s", "Bd": "1/s", "1/s": "1/s", "1/year": "1/s", "W/A": "V", "V": "V", "A/W": "1/V",
              "1/V": "1/V"}
_SPELLINGS = (("Gbps", "Gbit/s"), ("Mbps", "Mbit/s"), ("Tbps", "Tbit/s"), ("kbps", "kbit/s"), ("bps", "bit/s"),
              ("µ", "u"), ("μ", "u"), ("Ω", "ohm"), ("%", "percent"), ("$", "USD"))
_TEMPERATURE_UNITS = {"degC": 273.15, "°C": 273.15, "C": 273.15, "K": 0.0}


@lru_cache(maxsize=1)
def unit_registry():
    """The shared pint registry (created on first use, then cached for the process)."""
    import pint

    ureg = pint.UnitRegistry()
    ureg.define("bit = [information] = b")
    ureg.define("baud = 1 / second = Bd")
    ureg.define("dollar = [currency] = USD")
    return ureg


def _is_conventional(unit: str) -> bool:
    """Units kept as plain numbers (log units, FIT, currency, dimensionless)."""
    return unit in ("", "1") or unit.startswith("dB") or unit.startswith("USD") or unit == "FIT"


def _check_text(text: str, field: str, what: str) -> str:
    """Strip surrounding whitespace; reject over-long text and control, format or bidi characters."""
    if len(text) > MAX_QUANTITY_CHARS:
        raise ParameterError(field, text[:40] + "...", f"{what} of at most {MAX_QUANTITY_CHARS} characters")
    s = text.strip(" \t\r\n")
    for ch in s:
        if unicodedata.category(ch)[0] in "CZ" and ch != " ":
            raise ParameterError(field, text, f"{what} without control, format or bidirectional characters "
                                              f"(found U+{ord(ch):04X})")
    return s


def _compact(unit: str) -> str:
    """A unit string with spelling variants replaced (Gb/s -> Gbit/s, µ -> u) and spaces around operators removed."""
    u = re.sub(r"\s*([/*·^()])\s*", r"\1", unit.strip())
    u = u.replace("Gb/s", "Gbit/s").replace("Mb/s", "Mbit/s").replace("Tb/s", "Tbit/s").replace("kb/s", "kbit/s")
    u = u.replace("Pb/s", "Pbit/s")
    for old, new in _SPELLINGS:
        u = u.replace(old, new)
    u = u.replace("^", "**")
    return "1" + u if u.startswith("/") else u


def _convert(value: float, unit: str, target: str) -> float:
    """``value`` in ``unit`` expressed in ``target`` (both compacted); powers of ten exact on the common path."""
    fast_u, fast_t = _FAST_UNITS.get(unit), _FAST_UNITS.get(target)
    if fast_u and fast_t and (fast_u[1] == fast_t[1] or (fast_u[1], fast_t[1]) in _BASE_FACTORS):
        k = fast_u[0] - fast_t[0]
        value = value * _BASE_FACTORS.get((fast_u[1], fast_t[1]), 1.0)
        return value * 10.0**k if k >= 0 else value / 10.0**-k
    if fast_u and fast_t and _DIMENSION.get(fast_u[1], fast_u[1]) != _DIMENSION.get(fast_t[1], fast_t[1]):
        raise _WrongDimension(unit)  # e.g. kW for b/s: no registry needed to say so
    return value * _unit_factor(unit, target)


@lru_cache(maxsize=512)
def _unit_factor(unit: str, target: str) -> float:
    """Multiplier from ``unit`` to ``target`` (both compacted), from the cached pint registry."""
    ureg = unit_registry()
    import pint

    def pint_unit(text):
        return ureg.parse_units(text.replace("·", "*"))

    try:
        src, dst = pint_unit(unit), pint_unit(target)
    except Exception:  # pint's parser raises many types (even AssertionError) for odd names
        raise _UnknownUnit(unit) from None
    try:
        return float(ureg.Quantity(1.0, src).to(dst).magnitude)
    except pint.errors.DimensionalityError:
        raise _WrongDimension(unit) from None


class _UnknownUnit(Exception):
    pass


class _WrongDimension(Exception):
    pass


def _finite(value: float, field: str, text: Any, unit: str) -> float:
    if not math.isfinite(value):
        raise ParameterError(field, text, f"a finite quantity in {unit}")
    return value


def parse_quantity(text: Any, unit: str, *, field: str) -> float:
    """Parse a user quantity (``"3.5 Gb/s"``, ``"10 m"``, ``"430 nm"`` or a bare number) into ``unit``.

    The grammar is a decimal number (``12``, ``-0.5``, ``1e-12``) optionally followed by a unit made of unit
    names joined by ``/``, ``*``, ``·`` or a space, with small constant exponents (``A/cm^2``, ``Hz/A**0.5``).
    Arithmetic (``2**10 m``, ``(1/0) Gb/s``), lists, more than :data:`MAX_QUANTITY_CHARS` characters, control
    or bidirectional characters and non-finite values are rejected with a :class:`ParameterError` naming
    the field. Common units are converted without pint; others go through one cached pint registry.

    Parameters
    ----------
    text : str or float
        The value as written by the user. A bare number is taken to be in ``unit`` already.
    unit : str
        Target unit understood by pint (``"m"``, ``"bit/s"``, ``"A/m**2"``, ``"dB"`` ...).
        ``"dB"``, ``"dBm"``, ``"FIT"``, ``"USD..."`` and ``"1"`` are plain numbers with an optional matching suffix.
    field : str
        Name of the field, used in the error message.

    Returns
    -------
    float
        The magnitude expressed in ``unit``.
    """
    what = f"a number or a quantity in {unit}" if unit not in ("", "1") else "a number"
    if isinstance(text, (bool, np.bool_)):
        raise ParameterError(field, text, what)
    if isinstance(text, (int, float, np.integer, np.floating)):
        try:
            value = float(text)
        except OverflowError:
            raise ParameterError(field, text, f"a finite number in {unit}") from None
        return _finite(value, field, text, unit)
    if not isinstance(text, str):
        raise ParameterError(field, text if isinstance(text, (list, dict, tuple)) else type(text).__name__,
                             f"{what} (a single value)")
    s = _check_text(text, field, what)
    m = _QUANTITY_RE.fullmatch(s)
    if m is None:
        raise ParameterError(field, text, f"{what}: a plain number with an optional unit, e.g. "
                                          f"'{_example(unit)}' (no arithmetic)")
    value = _finite(float(m.group(1)), field, text, unit)
    given = (m.group(2) or "").strip()
    if not given:
        return value
    if _is_conventional(unit):
        if unit in ("", "1") or re.sub(r"\s+", "", given) != re.sub(r"\s+", "", unit):
            raise ParameterError(field, text, f"a number{' in ' + unit if unit not in ('', '1') else ''}")
        return value
    if unit == "K" and given in _TEMPERATURE_UNITS:
        return _finite(value + _TEMPERATURE_UNITS[given], field, text, unit)
    try:
        converted = _convert(value, _compact(given), _compact(unit))
    except _UnknownUnit:
        raise ParameterError(field, text, f"a quantity in {unit}: unknown unit {given!r}") from None
    except _WrongDimension:
        raise ParameterError(field, text, f"a quantity convertible to {unit}") from None
    return _finite(converted, field, text, unit)


def parse_quantity_list(text: Any, unit: str, *, field: str, max_items: int = MAX_LIST_ITEMS) -> list[float]:
    """A comma list of quantities (``"1,3,10 m"``, ``"1 m, 50 cm"``) into ``unit``.

    A bare number takes the unit written on the last item (``"1,3,10 m"`` is metres); with none it is in
    ``unit``. Empty items, other separators (``"1;2 m"``) and more than ``max_items`` items are rejected.
    A number or a list of numbers/strings is accepted as well.
    """
    if isinstance(text, (list, tuple)):
        items = list(text)
    elif isinstance(text, str):
        if len(text) > max_items * 16:
            raise ParameterError(field, text[:40] + "...", f"a list of at most {max_items} values")
        items = text.split(",")
    else:
        return [parse_quantity(text, unit, field=field)]
    if not items or len(items) > max_items:
        raise ParameterError(field, f"{len(items)} items", f"1 .. {max_items} comma-separated values")
    last = items[-1]
    tail_unit = ""
    if isinstance(last, str):
        m = _QUANTITY_RE.fullmatch(last.strip())
        tail_unit = (m.group(2) or "").strip() if m else ""
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            stripped = item.strip()
            if not stripped:
                raise ParameterError(field, text, "comma-separated values with no empty item")
            if tail_unit and re.fullmatch(_NUMBER, stripped):
                item = f"{stripped} {tail_unit}"
        out.append(parse_quantity(item, unit, field=field))
    return out


def parse_count(text: Any, field: str, *, minimum: int = 1, maximum: float = 1e15) -> int:
    """A whole number written as ``1e7``, ``10000000`` or an int, within ``minimum .. maximum``."""
    if isinstance(text, (bool, np.bool_)):
        raise ParameterError(field, text, f"a whole number {minimum} .. {maximum:g}")
    if isinstance(text, (int, np.integer)):
        value = float(text) if abs(int(text)) < 10**300 else math.inf
    else:
        value = parse_quantity(text, "1", field=field)
    if not (math.isfinite(value) and minimum <= value <= maximum and value == int(value)):
        raise ParameterError(field, text, f"a whole number {minimum} .. {maximum:g}")
    return int(value)


def _example(unit: str) -> str:
    return {"m": "10 m", "b/s": "3.3 Gb/s", "bit/s": "3.3 Gb/s", "K": "85 degC", "s": "2 ns", "W": "5 mW",
            "A": "100 uA"}.get(unit, f"1 {unit}" if unit not in ("", "1") else "1.5")
