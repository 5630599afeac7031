"""Blue InGaN micro-LED: ABC recombination, modulation bandwidth, L-I with droop, forward voltage.

Model (standard ABC rate equation, steady state and small signal):

* recombination ``R(n) = A_eff n + B n^2 + C n^3`` with ``A_eff = A + 4 v_s / D`` (sidewall SRH of a disc
  of diameter ``D``: perimeter/area = 4/D),
* current density ``J = q d R(n) / eta_inj`` solved for the carrier density ``n``,
* internal quantum efficiency ``IQE = B n^2 / R(n)``, external ``EQE = eta_inj IQE LEE h(T)`` with a
  thermal droop factor ``h(T) = exp(-(T - T_ref)/T_1)``,
* differential carrier lifetime ``tau_d = 1 / (dR/dn)`` and carrier-limited bandwidth
  ``f_c = 1/(2 pi tau_d)``: the -3 dB point of the detected *electrical* power, which is the convention of
  the micro-LED bandwidth literature (the optical-amplitude -3 dB point is ``sqrt(3)`` times higher),
* an RC pole ``f_RC = 1/(2 pi (R_s + R_drv) C)`` with ``C`` = depletion capacitance + pad capacitance,
* forward voltage ``V = n_id k T / q ln(1 + J/J_0) + I R_s`` with ``R_s = rho_c / area + R_access``.

Units: SI everywhere (m, s, A, W, V, F, m^-3). Literature values in cm units are converted next to their
source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, param
from microlink.units import (
    CM,
    ELEMENTARY_CHARGE,
    ROOM_TEMPERATURE,
    VACUUM_PERMITTIVITY,
    photon_energy,
    thermal_voltage,
)

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
    iteration is safe for every input; it stops at a relative change below 1e-13.
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
    for _ in range(100):
        f = n * (a + n * (b + n * c)) - g
        fp = a + n * (2.0 * b + 3.0 * c * n)
        step = f / fp
        n = n - step
        if np.all(np.abs(step) <= 1e-13 * np.maximum(n, 1.0)):
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


# ---------------------------------------------------------------------------------------------------------
# Parameters

_SCI_REP_2017 = Source(
    "Sci. Rep. 7, 44814 (2017): ABC fits of InGaN LEDs, tau_SRH 45 ns (Si substrate) .. 105 ns (sapphire)",
    "literature",
    "A = 1/tau_SRH ~ 1e7..2.2e7 1/s",
)


@dataclass(frozen=True, eq=False)
class MicroLED(Parameters):
    """A directly modulated blue InGaN micro-LED (disc mesa)."""

    section = "led"

    diameter: float = param(
        6e-6, unit="m", bounds=(0.5e-6, 500e-6), display=("um", 1e-6),
        source=Source("Avicena SC23 demo: blue LEDs < 10 um diameter (gazettabyte 2024-01-24)", "measured",
                      "6 um chosen inside the reported < 10 um range"),
    )
    active_thickness: float = param(
        5e-9, unit="m", bounds=(0.5e-9, 500e-9), display=("nm", 1e-9),
        source=Source("Illustrative ABC curve of the reference data sheet (links.md section 2.1)", "literature",
                      "effective thickness of a few InGaN quantum wells"),
    )
    srh_coefficient: float = param(1e7, unit="1/s", bounds=(0.0, 1e11), source=_SCI_REP_2017)
    surface_recombination_velocity: float = param(
        100.0, unit="m/s", bounds=(0.0, 1e5), display=("cm/s", 1e-2),
        source=Source("size-dependent EQE of micro-LEDs (Ryu & Geum, Opt. Express 34(1) 219, 2026)", "assumption",
                      "1e4 cm/s, the order of magnitude of passivated GaN sidewalls; gives the 1/D rise of "
                      "SRH loss seen in small mesas"),
    )
    radiative_coefficient: float = param(
        2e-11 * CM**3, unit="m^3/s", bounds=(1e-20, 1e-14), display=("cm^3/s", CM**3),
        source=Source("typical InGaN modelling value, reference data sheet links.md section 2.1", "assumption",
                      "2e-11 cm^3/s lies in the 1e-11..2e-11 range used across the InGaN literature"),
    )
    auger_coefficient: float = param(
        1e-29 * CM**6, unit="m^6/s", bounds=(0.0, 1e-38), display=("cm^6/s", CM**6),
        source=Source("Green, McKendry et al., APL 102, 091103 (2013): C = (1 +- 0.3)e-29 cm^6/s at 450 nm "
                      "from micro-LED modulation-bandwidth data", "measured"),
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
        0.17, unit="1", bounds=(0.001, 1.0),
        source=Source("passivated bare-chip micro-LEDs peak EQE 12-13.5 % (links.md 2.1, 'Revealing the "
                      "importance of LEE in InGaN/GaN microLEDs')", "derived",
                      "peak EQE 0.13 / peak IQE ~0.75 of the ABC curve"),
    )
    wavelength: float = param(
        450e-9, unit="m", bounds=(350e-9, 650e-9), display=("nm", 1e-9),
        source=Source("Strathclyde blue micro-LEDs, Watson et al., IEEE PTL 2016", "measured"),
    )
    spectral_width: float = param(
        20e-9, unit="m", bounds=(0.1e-9, 100e-9), display=("nm", 1e-9),
        source=Source("typical InGaN blue LED FWHM (links.md 2.2)", "assumption",
                      "blue InGaN LEDs emit 15-25 nm FWHM; 20 nm is mid-range"),
    )
    ideality_factor: float = param(
        2.5, unit="1", bounds=(1.0, 10.0),
        source=Source("InGaN LEDs show ideality 2-7 from tunnelling and non-uniform injection", "assumption",
                      "2.5, a moderate value for a good blue micro-LED"),
    )
    saturation_current_density: float = param(
        1.2e-15 / CM**2, unit="A/m^2", bounds=(1e-60, 1e5), display=("A/cm^2", 1 / CM**2),
        source=Source("links.md 1.2: V ~ 2.6-2.8 V implied by 80 fJ/bit at 100 uA", "derived",
                      "value at 300 K; puts the diode term at ~2.6 V for ~350 A/cm^2 with ideality 2.5"),
    )
    specific_contact_resistance: float = param(
        1e-4 * CM**2, unit="ohm m^2", bounds=(0.0, 1.0), display=("ohm cm^2", CM**2),
        source=Source("annealed Ni/Au contacts on p-GaN reach ~1e-4 ohm cm^2 (Ho et al., APL 74, 1275 (1999))",
                      "literature", "the p contact dominates; its resistance scales as 1/area"),
    )
    access_resistance: float = param(
        100.0, unit="ohm", bounds=(0.0, 1e6),
        source=Source("n-GaN spreading plus bond/interconnect to the driver", "assumption",
                      "100 ohm, independent of mesa size"),
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
        10e-15, unit="F", bounds=(0.0, 10e-12), display=("fF", 1e-15),
        source=Source("links.md 2.1: on-die bonding keeps C at tens of fF", "assumption",
                      "10 fF for a hybrid-bonded pad on the driver die"),
    )
    temperature: float = param(
        343.0, unit="K", bounds=(200.0, 450.0),
        source=Source("co-packaged optics sit beside a hot ASIC", "assumption", "70 C case temperature"),
    )
    characteristic_temperature: float = param(
        570.0, unit="K", bounds=(10.0, 1e5),
        source=Source("vendor claim > 90 % output at 85 C vs 25 C (links.md section 4, LED FIT row)", "derived",
                      "exp(-60 K / T1) = 0.9 gives T1 = 570 K"),
    )

    # -- delegation to the pure functions -------------------------------------------------------------
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

    @property
    def area(self):
        """Mesa area [m^2]."""
        return disc_area(self.diameter)

    @property
    def srh_effective(self):
        """SRH coefficient including sidewall recombination [1/s]."""
        return effective_srh_coefficient(self.srh_coefficient, self.surface_recombination_velocity, self.diameter)

    @property
    def series_resistance(self):
        """Series resistance: p-contact ``rho_c / area`` plus access resistance [ohm]."""
        return self.specific_contact_resistance / self.area + self.access_resistance

    @property
    def radiative_effective(self):
        """Radiative coefficient including cavity enhancement [m^3/s]."""
        return self.radiative_coefficient * self.radiative_enhancement

    @property
    def capacitance(self):
        """Junction plus pad capacitance [F]."""
        return depletion_capacitance(self.area, self.relative_permittivity, self.depletion_width) + self.pad_capacitance

    def current_density(self, current):
        """Current density for a drive current [A -> A/m^2]."""
        return np.asarray(current, dtype=float) / self.area

    def carrier_density(self, current):
        """Carrier density at a drive current [A -> m^-3]."""
        return carrier_density(
            self.current_density(current), self.active_thickness, self.srh_effective,
            self.radiative_effective, self.auger_coefficient, self.injection_efficiency,
        )

    def carrier_bandwidth(self, current):
        """Carrier-limited -3 dB bandwidth at a bias current [A -> Hz] (``measured_bandwidth`` if given)."""
        n = self.carrier_density(current)
        model = carrier_bandwidth(
            differential_lifetime(n, self.srh_effective, self.radiative_effective, self.auger_coefficient)
        )
        return np.where(np.asarray(self.measured_bandwidth) > 0, self.measured_bandwidth, model)

    def rc_bandwidth(self, driver_resistance=0.0):
        """RC-limited bandwidth with a driver output resistance [ohm -> Hz]."""
        return rc_bandwidth(self.series_resistance + driver_resistance, self.capacitance)

    def bandwidth(self, current, driver_resistance=0.0):
        """Combined -3 dB bandwidth of the carrier and RC poles [A, ohm -> Hz]."""
        return two_pole_bandwidth(self.carrier_bandwidth(current), self.rc_bandwidth(driver_resistance))

    def external_quantum_efficiency(self, current):
        """EQE including droop and the thermal factor [A -> 1]."""
        n = self.carrier_density(current)
        iqe = internal_quantum_efficiency(n, self.srh_effective, self.radiative_effective, self.auger_coefficient)
        model = (
            self.injection_efficiency * iqe * self.light_extraction_efficiency
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
