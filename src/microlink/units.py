"""Physical constants, logarithmic-unit conversions and the Q <-> BER relation.

Everything inside microlink is SI. Logarithmic or conventional units appear only in names that say so
(``_db``, ``_dbm``, ``_pj_per_bit``). Unit strings written by users ("10 m", "3.5 Gb/s") are parsed with
pint at the configuration edge by :func:`parse_quantity`; pint is imported lazily so that the physics
stays fast to import.
"""

from __future__ import annotations

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
    if np.any((ber <= 0) | (ber > 0.5)):
        bad = ber[(ber <= 0) | (ber > 0.5)].flat[0]
        raise ParameterError("ber", float(bad), "0 < ber <= 0.5")
    return -special.ndtri(ber)


@lru_cache(maxsize=1)
def unit_registry():
    """The shared pint registry (created on first use)."""
    import pint

    ureg = pint.UnitRegistry()
    ureg.define("bit = [information] = b")
    ureg.define("baud = 1 / second = Bd")
    ureg.define("dollar = [currency] = USD")
    return ureg


def _is_conventional(unit: str) -> bool:
    """Units kept as plain numbers (log units, FIT, currency, dimensionless)."""
    return unit in ("", "1") or unit.startswith("dB") or unit.startswith("USD") or unit == "FIT"


def parse_quantity(text: Any, unit: str, *, field: str) -> float:
    """Parse a user quantity (``"3.5 Gb/s"``, ``"10 m"``, ``"430 nm"`` or a bare number) into SI.

    Parameters
    ----------
    text : str or float
        The value as written by the user. A bare number is taken to be in ``unit`` already.
    unit : str
        Target unit understood by pint (``"m"``, ``"bit/s"``, ``"A/m**2"``, ``"dB"`` ...).
        ``"dB"``, ``"dBm"`` and ``"1"`` are treated as plain numbers with an optional matching suffix.
    field : str
        Name of the field, used in the error message.

    Returns
    -------
    float
        The magnitude expressed in ``unit``.
    """
    if isinstance(text, bool):
        raise ParameterError(field, text, f"a number or a quantity in {unit}")
    if isinstance(text, (int, float)):
        value = float(text)
        if not np.isfinite(value):
            raise ParameterError(field, text, f"a finite number in {unit}")
        return value
    if not isinstance(text, str):
        raise ParameterError(field, text, f"a number or a quantity string in {unit}")
    s = text.strip()
    if _is_conventional(unit):
        suffix = "" if unit in ("1", "") else unit
        body = s[: -len(suffix)].strip() if suffix and s.endswith(suffix) else s
        try:
            value = float(body)
        except ValueError:
            raise ParameterError(field, text, f"a number{' in ' + unit if suffix else ''}") from None
        if not np.isfinite(value):
            raise ParameterError(field, text, f"a finite number{' in ' + unit if suffix else ''}")
        return value
    ureg = unit_registry()
    import pint

    if unit == "K" and s.endswith(("degC", "°C", " C")):
        body = s.replace("degC", "").replace("°C", "").removesuffix(" C").strip()
        try:
            return float(body) + 273.15
        except ValueError:
            raise ParameterError(field, text, "a temperature such as '70 degC' or '343 K'") from None
    normalised = s.replace("Gb/s", "Gbit/s").replace("Mb/s", "Mbit/s").replace("Tb/s", "Tbit/s")
    normalised = normalised.replace("kb/s", "kbit/s").replace("b/s", "bit/s").replace("Gbps", "Gbit/s")
    normalised = normalised.replace("µ", "u").replace("μ", "u").replace("Ω", "ohm")
    normalised = normalised.replace("$", "USD")
    try:
        q = ureg.Quantity(normalised)
    except (pint.errors.PintError, ValueError, TypeError, AttributeError, SyntaxError):
        raise ParameterError(field, text, f"a quantity in {unit}, e.g. '1 {unit}'") from None
    if isinstance(q, (int, float)):
        return float(q)
    try:
        value = float(q.to(unit).magnitude)
    except pint.errors.DimensionalityError:
        raise ParameterError(field, text, f"a quantity convertible to {unit}") from None
    if not np.isfinite(value):
        raise ParameterError(field, text, f"a finite quantity in {unit}")
    return value
