"""Blue InGaN micro-LED: ABC recombination vs temperature, small-signal circuit, L-I with droop, spectrum.

Model (standard ABC rate equation, steady state and small signal):

* recombination ``R(n) = A_eff n + B(T) n^2 + C(T) n^3`` with ``A_eff = A + 4 v_s / D`` (sidewall SRH of a
  disc of diameter ``D``: perimeter/area = 4/D); ``B`` and ``C`` fall as ``(T_ref/T)^p`` (Tian et al.,
  APL 105, 171107 (2014): both fall with temperature),
* current density ``J = q d R(n) / eta_inj`` solved for the carrier density ``n``,
* internal quantum efficiency ``IQE = B n^2 / R(n)``, external ``EQE = eta_inj IQE LEE h(T)`` with
  ``h(T) = exp(-(T - T_ref)/T_1)`` for thermally activated losses outside the ABC terms (carrier escape and
  leakage),
* differential carrier lifetime ``tau_d = 1 / (dR/dn)`` and carrier-limited bandwidth
  ``f_c = 1/(2 pi tau_d)``: the -3 dB point of the detected *electrical* power, which is the convention of
  the micro-LED bandwidth literature (the optical-amplitude -3 dB point is ``sqrt(3)`` times higher),
* small-signal equivalent circuit (:func:`parasitic_poles`): source (driver) resistance ``R_src`` ->
  pad capacitance ``C_pad`` -> series resistance ``R_s`` (p-contact ``rho_c/area`` + n-GaN spreading
  ``R_sh/(8 pi) + R_sh/(2 pi) ln(1 + 2 g/D)`` + interconnect) -> junction node with depletion capacitance
  ``C_dep`` and the junction differential resistance ``r_d = n_id V_T / (I + I_0)`` at the bias. The
  diffusion capacitance ``C_d = tau_d / r_d`` stores the injected carriers; carriers captured in the
  quantum wells leave only by recombination (escape is much slower than recombination in blue InGaN
  wells, Rashidi et al., J. Appl. Phys. 2017), so the diffusion branch appears as the separate carrier
  pole and the RC network sees ``r_d``. The optical response is the carrier pole times the two real
  poles of that network, so a 100 um mesa at kA/cm^2 (``r_d`` ~ 1 ohm) is carrier-limited while a
  weakly biased large mesa is RC-limited,
* forward voltage ``V = n_id k T / q ln(1 + J/J_0) + I R_s``,
* spectral width (FWHM in energy) ``sqrt(E_0^2 + (1.8 k)^2 (T^2 - T_ref^2)) + f_bf pi hbar^2 n d / m_e``:
  alloy broadening plus thermal broadening (``~1.8 kT``, Schubert, *Light-Emitting Diodes*, 2nd ed., 2006,
  sec. 5.1) plus band filling of the wells at high carrier density.

Units: SI everywhere (m, s, A, W, V, F, m^-3). Literature values in cm units are converted next to their
source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, param
from microlink.units import (
    BOLTZMANN,
    CM,
    ELEMENTARY_CHARGE,
    PLANCK,
    ROOM_TEMPERATURE,
    SPEED_OF_LIGHT,
    VACUUM_PERMITTIVITY,
    photon_energy,
    thermal_voltage,
)

#: Electron mass [kg] (CODATA 2018) and reduced Planck constant [J s].
ELECTRON_MASS = 9.1093837015e-31
HBAR = PLANCK / (2.0 * np.pi)
#: Thermal broadening of a band-to-band emission line, FWHM ~ 1.8 kT (Schubert 2006, sec. 5.1) [1].
THERMAL_LINEWIDTH_FACTOR = 1.8

# ---------------------------------------------------------------------------------------------------------
# Pure functions


def disc_area(diameter):
    """Area of a circular mesa [m -> m^2]."""
    d = np.asarray(diameter, dtype=float)
    return np.pi * d * d / 4.0


def effective_srh_coefficient(srh_coefficient, surface_recombination_velocity, diameter):
    """SRH coefficient including sidewall recombination of a disc, ``A + 4 v_s / D`` [1/s, m/s, m -> 1/s]."""
    return np.asarray(srh_coefficient, dtype=float) + 4.0 * np.asarray(
        surface_recombination_velocity, dtype=float
    ) / np.asarray(diameter, dtype=float)


def recombination_rate(n, a, b, c):
    """``R(n) = A n + B n^2 + C n^3`` [m^-3, 1/s, m^3/s, m^6/s -> m^-3 s^-1]."""
    n = np.asarray(n, dtype=float)
    return n * (a + n * (b + n * c))


def carrier_density(current_density, thickness, a, b, c, injection_efficiency=1.0):
    """Steady-state carrier density solving ``eta J / (q d) = A n + B n^2 + C n^3``.

    Parameters
    ----------
    current_density : array_like
        Current density through the active region [A/m^2], >= 0.
    thickness : array_like
        Effective active-region thickness [m].
    a, b, c : array_like
        SRH [1/s], radiative [m^3/s] and Auger [m^6/s] coefficients.
    injection_efficiency : array_like
        Fraction of the current that recombines in the active region [1].

    Returns
    -------
    numpy.ndarray
        Carrier density [m^-3].

    Notes
    -----
    The cubic is increasing and convex for n > 0 with one positive root. Newton's method started at the
    smallest single-term root (where the cubic is >= 0) converges monotonically from above, so the
    iteration is safe for every input; each element stops at its own relative change below 1e-13, so its
    value does not depend on the other elements of the batch.
    """
    g = (
        np.asarray(injection_efficiency, dtype=float)
        * np.asarray(current_density, dtype=float)
        / (ELEMENTARY_CHARGE * np.asarray(thickness, dtype=float))
    )
    a, b, c, g = np.broadcast_arrays(
        np.asarray(a, dtype=float), np.asarray(b, dtype=float), np.asarray(c, dtype=float), g
    )
    with np.errstate(divide="ignore", over="ignore"):
        start = np.minimum(np.minimum(g / a, np.sqrt(g / b)), np.cbrt(g / c))
    n = np.where(g > 0, start, 0.0)
    done = np.zeros(n.shape, dtype=bool)  # each element stops at its own convergence, not its batch's
    for _ in range(100):
        f = n * (a + n * (b + n * c)) - g
        fp = a + n * (2.0 * b + 3.0 * c * n)
        with np.errstate(invalid="ignore", divide="ignore"):
            step = np.where(done, 0.0, f / fp)
        n = n - step
        done = done | (np.abs(step) <= 1e-13 * np.maximum(n, 1.0))
        if np.all(done):
            break
    return np.maximum(n, 0.0)


def differential_lifetime(n, a, b, c):
    """Small-signal carrier lifetime ``1 / (A + 2 B n + 3 C n^2)`` [m^-3, 1/s, m^3/s, m^6/s -> s]."""
    n = np.asarray(n, dtype=float)
    return 1.0 / (a + n * (2.0 * b + 3.0 * c * n))


def carrier_bandwidth(differential_lifetime_s):
    """Carrier-limited -3 dB (electrical) modulation bandwidth ``1/(2 pi tau_d)`` [s -> Hz]."""
    return 1.0 / (2.0 * np.pi * np.asarray(differential_lifetime_s, dtype=float))


def rc_bandwidth(resistance, capacitance):
    """Single-pole RC bandwidth ``1/(2 pi R C)`` [ohm, F -> Hz]."""
    return 1.0 / (2.0 * np.pi * np.asarray(resistance, dtype=float) * np.asarray(capacitance, dtype=float))


def two_pole_bandwidth(f1, f2):
    """Exact -3 dB frequency of two cascaded real poles ``f1`` and ``f2`` [Hz, Hz -> Hz].

    Solves ``(1 + x/f1^2)(1 + x/f2^2) = 2`` for ``x = f^2``. (The common approximation
    ``(f1^-2 + f2^-2)^(-1/2)`` is within 10 % of this.)
    """
    u = 1.0 / np.asarray(f1, dtype=float) ** 2
    v = 1.0 / np.asarray(f2, dtype=float) ** 2
    # u v x^2 + (u + v) x - 1 = 0  ->  positive root, written to avoid cancellation
    x = 2.0 / ((u + v) + np.sqrt((u + v) ** 2 + 4.0 * u * v))
    return np.sqrt(x)


def internal_quantum_efficiency(n, a, b, c):
    """``B n^2 / (A n + B n^2 + C n^3)`` [m^-3, ... -> 1]; zero carrier density gives 0."""
    n = np.asarray(n, dtype=float)
    r = recombination_rate(n, a, b, c)
    with np.errstate(invalid="ignore", divide="ignore"):
        iqe = np.where(r > 0, b * n * n / np.where(r > 0, r, 1.0), 0.0)
    return iqe


def thermal_efficiency_factor(temperature, characteristic_temperature, reference_temperature=ROOM_TEMPERATURE):
    """Hot/cold factor ``exp(-(T - T_ref)/T_1)`` of the light output [K, K, K -> 1]."""
    return np.exp(
        -(np.asarray(temperature, dtype=float) - reference_temperature)
        / np.asarray(characteristic_temperature, dtype=float)
    )


def optical_power(current, external_quantum_efficiency, wavelength):
    """Emitted optical power ``EQE (h c / lambda q) I`` [A, 1, m -> W]."""
    return (
        np.asarray(external_quantum_efficiency, dtype=float)
        * photon_energy(wavelength)
        / ELEMENTARY_CHARGE
        * np.asarray(current, dtype=float)
    )


def forward_voltage(
    current, area, saturation_current_density, ideality_factor, series_resistance, temperature,
    bandgap_voltage, reference_temperature=ROOM_TEMPERATURE,
):
    """Diode law plus series resistance [A, m^2, A/m^2, 1, ohm, K, V, K -> V].

    ``V = n_id V_T ln(1 + I/(J_0(T) A)) + I R_s`` with the saturation current density scaled from the
    reference temperature by ``J_0(T) = J_0 exp((E_g/(n_id k)) (1/T_ref - 1/T))``, which gives the familiar
    negative temperature coefficient ``dV/dT ~ (V - E_g/q)/T`` of the junction voltage.
    """
    i = np.asarray(current, dtype=float)
    t = np.asarray(temperature, dtype=float)
    vt = thermal_voltage(t)
    log_j0 = np.log(np.asarray(saturation_current_density, dtype=float)) + (
        np.asarray(bandgap_voltage, dtype=float) / (ideality_factor * thermal_voltage(1.0))
    ) * (1.0 / reference_temperature - 1.0 / t)
    i0 = np.exp(log_j0) * np.asarray(area, dtype=float)
    return ideality_factor * vt * np.log1p(i / i0) + i * series_resistance


def depletion_capacitance(area, relative_permittivity, depletion_width):
    """Parallel-plate junction capacitance ``eps0 eps_r A / W`` [m^2, 1, m -> F]."""
    return VACUUM_PERMITTIVITY * relative_permittivity * np.asarray(area, dtype=float) / depletion_width


def temperature_scaled(value, temperature, exponent, reference_temperature=ROOM_TEMPERATURE):
    """Power-law temperature scaling ``value (T_ref / T)^p`` [any, K, 1, K -> same unit]."""
    return np.asarray(value, dtype=float) * (reference_temperature / np.asarray(temperature, dtype=float)) ** np.asarray(
        exponent, dtype=float)


def junction_differential_resistance(current, ideality_factor, temperature, saturation_current):
    """Small-signal resistance of the diode law at a bias, ``n_id V_T / (I + I_0)`` [A, 1, K, A -> ohm]."""
    return np.asarray(ideality_factor, dtype=float) * thermal_voltage(temperature) / (
        np.asarray(current, dtype=float) + np.asarray(saturation_current, dtype=float))


def diffusion_capacitance(differential_lifetime_s, differential_resistance):
    """Diffusion capacitance of the stored carriers, ``C_d = tau_d / r_d`` [s, ohm -> F]."""
    return np.asarray(differential_lifetime_s, dtype=float) / np.asarray(differential_resistance, dtype=float)


def spreading_resistance(sheet_resistance, diameter, contact_gap):
    """Lateral n-layer resistance of a disc mesa with a ring n-contact [ohm/sq, m, m -> ohm].

    Uniform vertical injection over a disc of radius ``r`` collected at its rim gives ``R_sh / (8 pi)``;
    the annulus of width ``g`` from the rim to the ring contact adds ``R_sh/(2 pi) ln(1 + g/r)``.
    """
    r = 0.5 * np.asarray(diameter, dtype=float)
    rsh = np.asarray(sheet_resistance, dtype=float)
    return rsh / (8.0 * np.pi) + rsh / (2.0 * np.pi) * np.log1p(np.asarray(contact_gap, dtype=float) / r)


def parasitic_poles(source_resistance, pad_capacitance, series_resistance, junction_capacitance,
                    differential_resistance):
    """The two real poles of the LED drive network [ohm, F, ohm, F, ohm -> (Hz, Hz), slow first].

    Network: source ``R1`` -> node P (``C_p`` to ground) -> ``R2`` -> node J (``C_j`` and ``r_d`` to
    ground). The current through ``r_d`` (the injection current) over its DC value is
    ``1 / (1 + a1 s + a2 s^2)`` with ``D0 = 1 + (R1 + R2)/r_d``,
    ``a1 = ((1 + R2/r_d) C_p R1 + R2 C_j (1 + R1/R2)) / D0`` and ``a2 = R1 R2 C_p C_j / D0``. A pure current
    drive is the limit ``R1 -> inf``; an absent capacitance gives an infinite pole.
    """
    r1 = np.asarray(source_resistance, dtype=float)
    cp = np.asarray(pad_capacitance, dtype=float)
    r2 = np.asarray(series_resistance, dtype=float)
    cj = np.asarray(junction_capacitance, dtype=float)
    rd = np.asarray(differential_resistance, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        d0 = 1.0 + (r1 + r2) / rd
        a1 = ((1.0 + r2 / rd) * cp * r1 + cj * (r2 + r1)) / d0
        a2 = r1 * r2 * cp * cj / d0
        disc = np.sqrt(np.maximum(a1 * a1 - 4.0 * a2, 0.0))
        # roots of a2 s^2 + a1 s + 1: time constants t1 + t2 = a1, t1 t2 = a2
        t_slow = 0.5 * (a1 + disc)
        t_fast = np.where(t_slow > 0, a2 / np.where(t_slow > 0, t_slow, 1.0), 0.0)
        f_slow = np.where(t_slow > 0, 1.0 / (2.0 * np.pi * np.where(t_slow > 0, t_slow, 1.0)), np.inf)
        f_fast = np.where(t_fast > 0, 1.0 / (2.0 * np.pi * np.where(t_fast > 0, t_fast, 1.0)), np.inf)
    return f_slow, f_fast


def three_pole_bandwidth(f1, f2, f3):
    """Exact -3 dB frequency of three cascaded real poles [Hz, Hz, Hz -> Hz] (bisection in log f)."""
    f1, f2, f3 = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (f1, f2, f3)))
    lo = np.zeros(f1.shape)
    hi = np.minimum(np.minimum(f1, f2), f3)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        h2 = 1.0 / ((1 + (mid / f1) ** 2) * (1 + (mid / f2) ** 2) * (1 + (mid / f3) ** 2))
        above = h2 > 0.5
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    return 0.5 * (lo + hi)


def band_filling_energy(carrier_density_, thickness, effective_mass_ratio):
    """Fermi-level rise of a filled 2-D well, ``pi hbar^2 n d / m_e`` [m^-3, m, 1 -> J]."""
    n2d = np.asarray(carrier_density_, dtype=float) * np.asarray(thickness, dtype=float)
    return np.pi * HBAR**2 * n2d / (np.asarray(effective_mass_ratio, dtype=float) * ELECTRON_MASS)


def spectral_width(reference_width, wavelength, temperature, band_filling_energy_j, band_filling_fraction,
                   reference_temperature=ROOM_TEMPERATURE):
    """Emission FWHM at a temperature and carrier density [m, m, K, J, 1, K -> m].

    The reference width (measured at low current density and ``T_ref``) is converted to energy,
    ``E_0 = h c dlambda / lambda^2``; thermal broadening adds ``1.8 k`` per kelvin in quadrature and band
    filling adds ``f_bf`` times the well's Fermi-level rise linearly. Converted back at the same wavelength.
    """
    lam = np.asarray(wavelength, dtype=float)
    hc = PLANCK * SPEED_OF_LIGHT
    e0 = hc * np.asarray(reference_width, dtype=float) / lam**2
    t = np.asarray(temperature, dtype=float)
    th2 = (THERMAL_LINEWIDTH_FACTOR * BOLTZMANN) ** 2 * (t**2 - reference_temperature**2)
    e = np.sqrt(np.maximum(e0**2 + th2, 0.0)) + np.asarray(band_filling_fraction, dtype=float) * band_filling_energy_j
    return e * lam**2 / hc


# ---------------------------------------------------------------------------------------------------------
# Parameters

_SCI_REP_2017 = Source(
    "Sci. Rep. 7, 44814 (2017): ABC fits of InGaN LEDs, tau_SRH 45 ns (Si substrate) .. 105 ns (sapphire)",
    "literature",
    "A = 1/tau_SRH ~ 1e7..2.2e7 1/s at room temperature",
)
_TIAN_2014 = ("Tian, McKendry et al., APL 105, 171107 (2014): B and C of a 40 um blue micro-LED both fall as T "
              "rises (n at fixed J rises)")


@dataclass(frozen=True, eq=False)
class MicroLED(Parameters):
    """A directly modulated blue InGaN micro-LED (disc mesa).

    Recombination coefficients are room-temperature values (``T_ref`` = 300 K) scaled to ``temperature``.
    """

    section = "led"

    diameter: float = param(
        6e-6, unit="m", bounds=(0.5e-6, 500e-6), display=("um", 1e-6),
        source=Source("Avicena SC23 demo: blue LEDs < 10 um diameter (gazettabyte 2024-01-24)", "measured",
                      "6 um chosen inside the reported < 10 um range"),
    )
    active_thickness: float = param(
        7.5e-9, unit="m", bounds=(0.5e-9, 500e-9), display=("nm", 1e-9),
        source=Source("blue InGaN MQW: 3-5 wells of ~2.5 nm, hole-limited injection fills the p-side wells",
                      "assumption",
                      "7.5 nm = three effective 2.5 nm wells; with Green et al.'s C it gives 0.42 GHz at 1 kA/cm^2 and "
                      "1.2-1.4 GHz at 5-6 kA/cm^2 (published 0.2-0.5 and 1-1.8 GHz)"),
    )
    srh_coefficient: float = param(1e7, unit="1/s", bounds=(0.0, 1e11), source=_SCI_REP_2017)
    surface_recombination_velocity: float = param(
        5.51, unit="m/s", bounds=(0.0, 1e5), display=("cm/s", 1e-2),
        source=Source("Lee T.-Y. et al., Opt. Express 30(11) 18552 (2022): 551 cm/s with ALD Al2O3 sidewall "
                      "passivation (1026 cm/s without), blue micro-LEDs 5-100 um, from EQE fits", "measured"),
    )
    radiative_coefficient: float = param(
        2e-11 * CM**3, unit="m^3/s", bounds=(1e-20, 1e-14), display=("cm^3/s", CM**3),
        source=Source("typical InGaN modelling value, 1e-11..2e-11 cm^3/s (Sci. Rep. 7 44814 (2017) range)",
                      "assumption",
                      "2e-11 cm^3/s at 300 K, the upper end, consistent with Green et al.'s bandwidth fit"),
    )
    auger_coefficient: float = param(
        1e-29 * CM**6, unit="m^6/s", bounds=(0.0, 1e-38), display=("cm^6/s", CM**6),
        source=Source("Green, McKendry et al., APL 102, 091103 (2013): C = (1 +- 0.3)e-29 cm^6/s at 450 nm "
                      "from micro-LED modulation-bandwidth data (includes leakage-like third-order loss)",
                      "measured"),
    )
    radiative_temperature_exponent: float = param(
        1.0, unit="1", bounds=(0.0, 5.0),
        source=Source("B ~ 1/T for a two-dimensional (quantum-well) density of states (Schubert, Light-Emitting "
                      "Diodes, 2nd ed. 2006, ch. 3); " + _TIAN_2014, "literature"),
    )
    auger_temperature_exponent: float = param(
        1.0, unit="1", bounds=(-5.0, 5.0),
        source=Source(_TIAN_2014 + "; Ryu et al., Opt. Express 28(19) 27459 (2020) find C rising 31 % from 20 to "
                      "100 C when carrier inhomogeneity is modelled", "assumption",
                      "C ~ 1/T like B, the sign of the simple ABC fits of Tian et al. (the sign is contested)"),
    )
    radiative_enhancement: float = param(
        1.0, unit="1", bounds=(0.1, 100.0),
        source=Source("Purcell enhancement of the spontaneous rate in a resonant cavity", "literature",
                      "1 for a plain planar micro-LED; multiplies B"),
    )
    injection_efficiency: float = param(
        1.0, unit="1", bounds=(0.01, 1.0),
        source=Source("ABC + f(n) leakage model (links.md 2.1)", "assumption",
                      "leakage is folded into the measured third-order coefficient C, so injection is taken as 1"),
    )
    light_extraction_efficiency: float = param(
        0.27, unit="1", bounds=(0.001, 1.0),
        source=Source("'Revealing the importance of light extraction efficiency in InGaN/GaN microLEDs': "
                      "passivated bare-chip peak EQE 12-13.5 % over 2-100 um mesas", "derived",
                      "0.1275 / 0.475, the peak IQE of a 10 um mesa with these coefficients at 300 K"),
    )
    # from 400 nm: the silicon photodiode's absorption data (Green 2008) start there, and the link converts at
    # the LED's wavelength
    wavelength: float = param(
        450e-9, unit="m", bounds=(400e-9, 650e-9), display=("nm", 1e-9),
        source=Source("Strathclyde blue micro-LEDs, Watson et al., IEEE PTL 2016", "measured"),
    )
    spectral_width: float = param(
        22e-9, unit="m", bounds=(0.1e-9, 100e-9), display=("nm", 1e-9),
        source=Source("Zhang, Liu, Kwok, Liu, Nanomaterials 10, 689 (2020): 20 um blue micro-LEDs at 445 nm, "
                      "FWHM 22 nm", "measured",
                      "taken as the width at low current density and 300 K; temperature and band filling add to it"),
    )
    band_filling_fraction: float = param(
        0.5, unit="1", bounds=(0.0, 2.0),
        source=Source("Dai et al., Chin. Opt. Lett. 23(8) 082501 (2025): FWHM broadens with current density, "
                      "less in small mesas", "assumption",
                      "half the electron Fermi-level rise of the filled wells widens the line (holes, heavier, add "
                      "little)"),
    )
    electron_effective_mass: float = param(
        0.2, unit="1", bounds=(0.01, 5.0),
        source=Source("GaN electron effective mass 0.20 m0 (Ioffe semiconductor database)", "literature"),
    )
    ideality_factor: float = param(
        2.5, unit="1", bounds=(1.0, 10.0),
        source=Source("Wong et al., APEX 2019: ideality 3.4 -> 2.5 after sidewall treatment + ALD", "measured",
                      "2.5, the passivated value"),
    )
    saturation_current_density: float = param(
        1.2e-15 / CM**2, unit="A/m^2", bounds=(1e-60, 1e5), display=("A/cm^2", 1 / CM**2),
        source=Source("links.md 1.2: V ~ 2.6-2.8 V implied by 80 fJ/bit at 100 uA", "derived",
                      "value at 300 K; puts the diode term at ~2.6 V for ~350 A/cm^2 with ideality 2.5"),
    )
    specific_contact_resistance: float = param(
        1e-4 * CM**2, unit="ohm m^2", bounds=(0.0, 1.0), display=("ohm cm^2", CM**2),
        source=Source("annealed Ni/Au contacts on p-GaN reach ~1e-4 ohm cm^2 (Ho et al., APL 74, 1275 (1999))",
                      "literature", "p contact plus the thin p-GaN layer under it; scales as 1/area"),
    )
    n_sheet_resistance: float = param(
        15.0, unit="ohm", bounds=(0.0, 1e5),
        source=Source("n-GaN ~3 um thick at ~5e-3 ohm cm (Si-doped ~5e18 cm^-3)", "assumption",
                      "15 ohm/sq lateral spreading layer"),
    )
    contact_gap: float = param(
        2e-6, unit="m", bounds=(0.0, 1e-3), display=("um", 1e-6),
        source=Source("mesa-to-n-contact spacing of a dense micro-LED array", "assumption", "2 um"),
    )
    access_resistance: float = param(
        5.0, unit="ohm", bounds=(0.0, 1e6),
        source=Source("hybrid-bonded via from the LED to the driver die", "assumption",
                      "5 ohm, independent of mesa size (the size-dependent parts are computed)"),
    )
    relative_permittivity: float = param(
        8.9, unit="1", bounds=(1.0, 20.0), source=Source("GaN static dielectric constant (Ioffe database)", "literature"),
    )
    depletion_width: float = param(
        50e-9, unit="m", bounds=(5e-9, 5e-6), display=("nm", 1e-9),
        source=Source("InGaN MQW + undoped spacer thickness", "assumption",
                      "~50 nm depleted region of a few-QW blue LED under forward bias"),
    )
    pad_capacitance: float = param(
        10e-15, unit="F", bounds=(0.0, 100e-12), display=("fF", 1e-15),
        source=Source("links.md 2.1: on-die bonding keeps C at tens of fF", "assumption",
                      "10 fF for a hybrid-bonded pad on the driver die"),
    )
    temperature: float = param(
        343.0, unit="K", bounds=(200.0, 450.0),
        source=Source("co-packaged optics sit beside a hot ASIC", "assumption", "70 C junction temperature"),
    )
    characteristic_temperature: float = param(
        1000.0, unit="K", bounds=(10.0, 1e5),
        source=Source("vendor claim > 90 % output at 85 C vs 25 C (links.md section 4, LED FIT row); InGaN LEDs lose "
                      "up to ~25 % at 150 C (addendum 1.3)", "derived",
                      "exp(-60 K / 1000 K) = 0.94 for carrier escape and leakage; with the ABC coefficients' own "
                      "temperature dependence (5.5 % at 1 kA/cm^2) the 85 C output is 0.89 of 25 C, just short "
                      "of the claim, and 150 C loses 22 % (inside 'up to 25 %')"),
    )
    emission_exponent: float = param(
        1.0, unit="1", bounds=(0.5, 100.0),
        source=Source("Lambertian emission of a planar LED (textbook LED-fibre coupling, links.md 2.2)", "literature",
                      "far field I(theta) ~ cos^m(theta); m = 1 is Lambertian, a resonant cavity narrows it (m > 1)"),
    )

    measured_bandwidth: float = param(
        0.0, unit="Hz", bounds=(0.0, 1e12), display=("GHz", 1e9),
        source=Source("user measurement", "assumption",
                      "0 means not measured: the carrier-limited bandwidth comes from the ABC model at the bias; "
                      "a positive value replaces it (small-signal E-O -3 dB at the link's bias, RC excluded)"),
    )
    measured_efficiency: float = param(
        0.0, unit="1", bounds=(0.0, 1.0),
        source=Source("user measurement", "assumption",
                      "0 means not measured: EQE comes from the ABC model with droop; a positive value is used "
                      "as the EQE at every drive level (coupling to the fiber is modelled separately)"),
    )

    # -- derived quantities -----------------------------------------------------------------------------
    @property
    def area(self):
        """Mesa area [m^2]."""
        return disc_area(self.diameter)

    @property
    def srh_effective(self):
        """SRH coefficient including sidewall recombination [1/s]."""
        return effective_srh_coefficient(self.srh_coefficient, self.surface_recombination_velocity, self.diameter)

    @property
    def radiative_effective(self):
        """Radiative coefficient at the temperature, including cavity enhancement [m^3/s]."""
        return temperature_scaled(self.radiative_coefficient, self.temperature,
                                  self.radiative_temperature_exponent) * self.radiative_enhancement

    @property
    def auger_effective(self):
        """Third-order (Auger + leakage) coefficient at the temperature [m^6/s]."""
        return temperature_scaled(self.auger_coefficient, self.temperature, self.auger_temperature_exponent)

    @property
    def series_resistance(self):
        """Series resistance: p-contact ``rho_c / area`` + n-GaN spreading + interconnect [ohm]."""
        return (self.specific_contact_resistance / self.area
                + spreading_resistance(self.n_sheet_resistance, self.diameter, self.contact_gap)
                + self.access_resistance)

    @property
    def depletion_capacitance(self):
        """Depletion capacitance of the junction [F]."""
        return depletion_capacitance(self.area, self.relative_permittivity, self.depletion_width)

    @property
    def capacitance(self):
        """Junction depletion plus pad capacitance [F] (the bias-independent part)."""
        return self.depletion_capacitance + self.pad_capacitance

    @property
    def saturation_current(self):
        """Diode saturation current at the temperature [A]."""
        log_j0 = np.log(np.asarray(self.saturation_current_density, dtype=float)) + (
            photon_energy(self.wavelength) / ELEMENTARY_CHARGE / (self.ideality_factor * thermal_voltage(1.0))
        ) * (1.0 / ROOM_TEMPERATURE - 1.0 / np.asarray(self.temperature, dtype=float))
        return np.exp(log_j0) * self.area

    def current_density(self, current):
        """Current density for a drive current [A -> A/m^2]."""
        return np.asarray(current, dtype=float) / self.area

    def carrier_density(self, current):
        """Carrier density at a drive current [A -> m^-3]."""
        return carrier_density(
            self.current_density(current), self.active_thickness, self.srh_effective,
            self.radiative_effective, self.auger_effective, self.injection_efficiency,
        )

    def differential_lifetime(self, current):
        """Small-signal carrier lifetime at a bias [A -> s] (from ``measured_bandwidth`` if given)."""
        n = self.carrier_density(current)
        model = differential_lifetime(n, self.srh_effective, self.radiative_effective, self.auger_effective)
        fm = np.asarray(self.measured_bandwidth, dtype=float)
        return np.where(fm > 0, 1.0 / (2.0 * np.pi * np.where(fm > 0, fm, 1.0)), model)

    def carrier_bandwidth(self, current):
        """Carrier-limited -3 dB bandwidth at a bias current [A -> Hz] (``measured_bandwidth`` if given)."""
        fm = np.asarray(self.measured_bandwidth, dtype=float)
        return np.where(fm > 0, fm, carrier_bandwidth(self.differential_lifetime(current)))

    def differential_resistance(self, current):
        """Junction differential resistance at a bias [A -> ohm]."""
        return junction_differential_resistance(current, self.ideality_factor, self.temperature,
                                                self.saturation_current)

    def diffusion_capacitance(self, current):
        """Diffusion capacitance ``tau_d / r_d`` at a bias [A -> F]."""
        return diffusion_capacitance(self.differential_lifetime(current), self.differential_resistance(current))

    def parasitic_poles(self, current, driver_resistance):
        """The two real poles of the drive network at a bias [A, ohm -> (Hz, Hz)] (see :func:`parasitic_poles`)."""
        return parasitic_poles(driver_resistance, self.pad_capacitance, self.series_resistance,
                               self.depletion_capacitance, self.differential_resistance(current))

    def rc_bandwidth(self, driver_resistance=0.0, current=None):
        """-3 dB bandwidth of the drive network [ohm, A -> Hz].

        With ``current`` the junction's differential resistance at that bias shunts the network (the
        physical case). Without it, the unbiased limit ``r_d -> inf``: one pole at
        ``1/(2 pi (R_s + R_drv)(C_dep + C_pad))``.
        """
        if current is None:
            return rc_bandwidth(self.series_resistance + driver_resistance, self.capacitance)
        return two_pole_bandwidth(*self.parasitic_poles(current, driver_resistance))

    def response_poles(self, current, driver_resistance):
        """All three real poles of the small-signal E-O response: carrier, then the network's [A, ohm -> Hz x3]."""
        f_slow, f_fast = self.parasitic_poles(current, driver_resistance)
        return self.carrier_bandwidth(current), f_slow, f_fast

    def bandwidth(self, current, driver_resistance=0.0):
        """-3 dB E-O bandwidth of carrier pole and drive network [A, ohm -> Hz]."""
        return three_pole_bandwidth(*self.response_poles(current, driver_resistance))

    def internal_quantum_efficiency(self, current):
        """IQE at a drive current [A -> 1]."""
        n = self.carrier_density(current)
        return internal_quantum_efficiency(n, self.srh_effective, self.radiative_effective, self.auger_effective)

    def external_quantum_efficiency(self, current):
        """EQE including droop and the thermal factor [A -> 1] (``measured_efficiency`` if given)."""
        model = (
            self.injection_efficiency * self.internal_quantum_efficiency(current) * self.light_extraction_efficiency
            * thermal_efficiency_factor(self.temperature, self.characteristic_temperature)
        )
        return np.where(np.asarray(self.measured_efficiency) > 0, self.measured_efficiency, model)

    def optical_power(self, current):
        """Emitted optical power [A -> W]."""
        return optical_power(current, self.external_quantum_efficiency(current), self.wavelength)

    def forward_voltage(self, current):
        """Forward voltage [A -> V]."""
        return forward_voltage(
            current, self.area, self.saturation_current_density, self.ideality_factor,
            self.series_resistance, self.temperature, photon_energy(self.wavelength) / ELEMENTARY_CHARGE,
        )

    def spectral_width_at(self, current):
        """Emission FWHM at a drive current and the LED temperature [A -> m]."""
        e_bf = band_filling_energy(self.carrier_density(current), self.active_thickness, self.electron_effective_mass)
        return spectral_width(self.spectral_width, self.wavelength, self.temperature, e_bf,
                              self.band_filling_fraction)
