"""Silicon photodiode for blue light: responsivity from absorption, capacitance and dark current.

Quantum efficiency of a surface-illuminated junction:
``QE = (1 - R_s) exp(-alpha t_dead) (1 - exp(-alpha W_c))``: surface reflection, loss in the heavily doped
surface ("dead") layer where carriers recombine, and absorption within the collection depth. Blue light
is absorbed within ~0.3-0.4 um of silicon, so the dead layer matters more than the depletion depth.
Responsivity ``R = QE q lambda / (h c)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, param
from microlink.units import CM, ELEMENTARY_CHARGE, VACUUM_PERMITTIVITY, photon_energy

#: Absorption coefficient of crystalline silicon at 300 K, [wavelength m, alpha 1/m].
#: M. A. Green, "Self-consistent optical parameters of intrinsic silicon at 300 K including temperature
#: coefficients", Sol. Energy Mater. Sol. Cells 92, 1305 (2008), Table 1 (430/450 nm also in the reference
#: data sheet links.md 2.4: 3.92e4 and 2.55e4 1/cm).
SILICON_ABSORPTION = np.array(
    [
        (400e-9, 9.52e4 / CM),
        (430e-9, 3.92e4 / CM),
        (450e-9, 2.55e4 / CM),
        (500e-9, 1.11e4 / CM),
        (550e-9, 6.39e3 / CM),
        (600e-9, 4.14e3 / CM),
        (650e-9, 2.81e3 / CM),
        (700e-9, 1.90e3 / CM),
        (800e-9, 8.50e2 / CM),
        (850e-9, 5.35e2 / CM),
        (900e-9, 3.06e2 / CM),
        (1000e-9, 6.40e1 / CM),
    ]
)
SILICON_RELATIVE_PERMITTIVITY = 11.7  # [1], Sze & Ng, Physics of Semiconductor Devices, 3rd ed., App. G
SILICON_SATURATION_VELOCITY = 1.0e5  # [m/s], electrons at 300 K, Sze & Ng App. G


def silicon_absorption_coefficient(wavelength):
    """Absorption coefficient of Si, log-interpolated in Green (2008) [m -> 1/m].

    Raises ``ParameterError`` outside 400-1000 nm (no extrapolation).
    """
    from microlink.parameters import check_range

    check_range("wavelength", wavelength, SILICON_ABSORPTION[0, 0], SILICON_ABSORPTION[-1, 0], "m", ("nm", 1e-9))
    lam = np.asarray(wavelength, dtype=float)
    return np.exp(np.interp(lam, SILICON_ABSORPTION[:, 0], np.log(SILICON_ABSORPTION[:, 1])))


def quantum_efficiency(absorption_coefficient, surface_reflectance, dead_layer, collection_depth):
    """External QE of a surface-illuminated photodiode [1/m, 1, m, m -> 1]."""
    a = np.asarray(absorption_coefficient, dtype=float)
    return (1.0 - surface_reflectance) * np.exp(-a * dead_layer) * -np.expm1(-a * np.asarray(collection_depth))


def responsivity(quantum_efficiency_, wavelength):
    """``QE q / (h nu)`` [1, m -> A/W]."""
    return np.asarray(quantum_efficiency_, dtype=float) * ELEMENTARY_CHARGE / photon_energy(wavelength)


def junction_capacitance(diameter, depletion_width, relative_permittivity=SILICON_RELATIVE_PERMITTIVITY):
    """Capacitance of a circular junction ``eps A / W`` [m, m -> F]."""
    area = np.pi * np.asarray(diameter, dtype=float) ** 2 / 4.0
    return VACUUM_PERMITTIVITY * relative_permittivity * area / np.asarray(depletion_width, dtype=float)


def transit_time_bandwidth(depletion_width, saturation_velocity=SILICON_SATURATION_VELOCITY):
    """Carrier transit-time -3 dB bandwidth ``0.45 v_sat / W`` [m, m/s -> Hz] (Sze & Ng, ch. 13)."""
    return 0.45 * saturation_velocity / np.asarray(depletion_width, dtype=float)


@dataclass(frozen=True, eq=False)
class SiliconPhotodiode(Parameters):
    """Si photodiode in a CMOS/CIS process, one per lane."""

    section = "photodiode"

    diameter: float = param(
        20e-6, unit="m", bounds=(1e-6, 1e-3), display=("um", 1e-6),
        source=Source("Avicena Kyoto: PD array on a 50 um grid with microlenses (links.md 1.2)", "assumption",
                      "20 um active diameter fits the 50 um grid and catches the lensed core image"),
    )
    depletion_width: float = param(
        1e-6, unit="m", bounds=(0.05e-6, 50e-6), display=("um", 1e-6),
        source=Source("reference capacitance example, 1 um depletion (links.md 2.4)", "derived"),
    )
    dead_layer: float = param(
        50e-9, unit="m", bounds=(0.0, 2e-6), display=("nm", 1e-9),
        source=Source("shallow p+ implant of CMOS image-sensor photodiodes", "assumption",
                      "~50 nm of heavily doped surface where blue-generated carriers recombine"),
    )
    collection_depth: float = param(
        2e-6, unit="m", bounds=(0.05e-6, 100e-6), display=("um", 1e-6),
        source=Source("depletion plus diffusion collection in a CIS photodiode", "assumption",
                      "2 um; blue light is absorbed within 0.4 um so the result is insensitive to it"),
    )
    surface_reflectance: float = param(
        0.10, unit="1", bounds=(0.0, 0.99),
        source=Source("Si n, k at 430 nm give 44 % bare reflectance; AR-coated (links.md 2.4)", "assumption",
                      "10 % residual reflectance with a single-layer AR coat"),
    )
    dark_current_density: float = param(
        1e-9 / CM**2 * 1e3, unit="A/m^2", bounds=(0.0, 1e3), display=("nA/cm^2", 1e-9 / CM**2),
        source=Source("CMOS photodiode leakage at elevated temperature", "assumption",
                      "1 uA/cm^2 (pA-class per small PD): negligible against signal, kept for completeness"),
    )
    pad_capacitance: float = param(
        5e-15, unit="F", bounds=(0.0, 10e-12), display=("fF", 1e-15),
        source=Source("hybrid-bonded PD on the receiver die", "assumption", "5 fF of wiring to the TIA input"),
    )

    @property
    def area(self):
        """Active area [m^2]."""
        return np.pi * np.asarray(self.diameter, dtype=float) ** 2 / 4.0

    def quantum_efficiency(self, wavelength):
        """External QE [m -> 1]."""
        return quantum_efficiency(
            silicon_absorption_coefficient(wavelength), self.surface_reflectance, self.dead_layer, self.collection_depth
        )

    def responsivity(self, wavelength):
        """Responsivity [m -> A/W]."""
        return responsivity(self.quantum_efficiency(wavelength), wavelength)

    @property
    def capacitance(self):
        """Junction plus pad capacitance [F]."""
        return junction_capacitance(self.diameter, self.depletion_width) + self.pad_capacitance

    @property
    def dark_current(self):
        """Dark current [A]."""
        return self.dark_current_density * self.area

    @property
    def transit_bandwidth(self):
        """Transit-time bandwidth [Hz]."""
        return transit_time_bandwidth(self.depletion_width)
