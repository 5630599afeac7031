"""PIN photodetectors for laser links: surface-normal GaAs at 850 nm and waveguide germanium at 1310 nm.

* Quantum efficiency of a surface-normal PIN: ``(1 - R) (1 - exp(-alpha W_abs))``; of a waveguide PIN:
  ``eta_c (1 - exp(-Gamma alpha L))`` (coupling, confinement, length). Responsivity ``QE q lambda / (h c)``.
* Capacitance ``eps A / W_dep`` (surface-normal disc, or the ``w x L`` junction of a waveguide diode) plus pad.
* Transit-time bandwidth ``0.45 v_sat / W_dep`` (Sze & Ng, *Physics of Semiconductor Devices*, 3rd ed., ch. 13);
  the RC pole is set by the receiver (TIA input) and handled there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, choice, param
from microlink.units import CM, ELEMENTARY_CHARGE, VACUUM_PERMITTIVITY, photon_energy


def surface_quantum_efficiency(absorption_coefficient, absorption_length, reflectance):
    """``(1 - R)(1 - exp(-alpha W))`` [1/m, m, 1 -> 1]."""
    return (1.0 - np.asarray(reflectance, dtype=float)) * -np.expm1(
        -np.asarray(absorption_coefficient, dtype=float) * np.asarray(absorption_length, dtype=float))


def waveguide_quantum_efficiency(absorption_coefficient, length, confinement, coupling):
    """``eta_c (1 - exp(-Gamma alpha L))`` [1/m, m, 1, 1 -> 1]."""
    return np.asarray(coupling, dtype=float) * -np.expm1(
        -np.asarray(confinement, dtype=float) * np.asarray(absorption_coefficient, dtype=float) * np.asarray(length, dtype=float))


def responsivity_from_qe(quantum_efficiency, wavelength):
    """``QE q / (h nu)`` [1, m -> A/W]."""
    return np.asarray(quantum_efficiency, dtype=float) * ELEMENTARY_CHARGE / photon_energy(wavelength)


def transit_bandwidth(depletion_width, saturation_velocity):
    """``0.45 v_sat / W`` [m, m/s -> Hz]."""
    return 0.45 * np.asarray(saturation_velocity, dtype=float) / np.asarray(depletion_width, dtype=float)


@dataclass(frozen=True, eq=False)
class Photodetector(Parameters):
    """A PIN photodiode; defaults: surface-normal GaAs for 850 nm multimode links."""

    section = "photodiode"

    geometry: str = choice(
        "surface", options=("surface", "waveguide"),
        source=Source("850 nm multimode receivers use surface-normal GaAs PIN diodes", "literature"),
    )
    # > 0: a detector that absorbs nothing has no photocurrent and no signal to decide on (1 /cm is far below any
    # detector material at its working wavelength)
    absorption_coefficient: float = param(
        1.3e4 / CM, unit="1/m", bounds=(1.0 / CM, 1e8), display=("1/cm", 1 / CM),
        source=Source("GaAs absorption at 850 nm ~1.3e4 1/cm (Aspnes et al., J. Appl. Phys. 60, 754 (1986))",
                      "literature"),
    )
    absorption_length: float = param(
        1.2e-6, unit="m", bounds=(1e-8, 1e-3), display=("um", 1e-6),
        source=Source("intrinsic GaAs layer of a ~50 GBd PIN: thin enough for a ~35 GHz transit limit",
                      "assumption", "1.2 um"),
    )
    reflectance: float = param(
        0.05, unit="1", bounds=(0.0, 0.99),
        source=Source("AR-coated detector window", "assumption", "5 %"),
    )
    confinement: float = param(  # > 0: with no light in the absorber a waveguide detector has no photocurrent
        0.85, unit="1", bounds=(1e-3, 1.0),
        source=Source("optical confinement in the Ge of a waveguide PD", "assumption", "0.85"),
    )
    coupling: float = param(  # > 0: light that never reaches the detector gives no photocurrent
        0.9, unit="1", bounds=(1e-3, 1.0),
        source=Source("waveguide-to-detector coupling", "assumption", "0.9"),
    )
    diameter: float = param(
        20e-6, unit="m", bounds=(1e-6, 1e-3), display=("um", 1e-6),
        source=Source("active diameter of 53 GBd multimode PDs (~20 um to catch a 50 um core imaged by a lens)",
                      "assumption", "20 um"),
    )
    junction_width: float = param(
        1e-6, unit="m", bounds=(1e-8, 1e-3), display=("um", 1e-6),
        source=Source("waveguide Ge PD junction width", "assumption", "1 um"),
    )
    junction_length: float = param(
        15e-6, unit="m", bounds=(1e-7, 1e-2), display=("um", 1e-6),
        source=Source("waveguide Ge PD length", "assumption", "15 um"),
    )
    depletion_width: float = param(
        1.2e-6, unit="m", bounds=(1e-8, 1e-3), display=("um", 1e-6),
        source=Source("depleted intrinsic layer", "assumption", "equal to the absorption layer"),
    )
    relative_permittivity: float = param(
        12.9, unit="1", bounds=(1.0, 30.0),
        source=Source("GaAs static permittivity 12.9 (Ioffe database)", "literature"),
    )
    saturation_velocity: float = param(
        1.0e5, unit="m/s", bounds=(1e3, 1e6),
        source=Source("electron saturation velocity in GaAs ~1e7 cm/s (Sze & Ng, App. G)", "literature"),
    )
    pad_capacitance: float = param(
        40e-15, unit="F", bounds=(0.0, 1e-11), display=("fF", 1e-15),
        source=Source("bond pad + wire bond to a TIA die", "assumption", "40 fF"),
    )
    dark_current: float = param(
        10e-9, unit="A", bounds=(0.0, 1e-3), display=("nA", 1e-9),
        source=Source("dark current of small PIN diodes at 70 C", "assumption", "10 nA"),
    )

    def quantum_efficiency(self):
        """External quantum efficiency [1]."""
        if self.geometry == "surface":
            return surface_quantum_efficiency(self.absorption_coefficient, self.absorption_length, self.reflectance)
        return waveguide_quantum_efficiency(self.absorption_coefficient, self.junction_length, self.confinement,
                                            self.coupling)

    def responsivity(self, wavelength):
        """Responsivity [m -> A/W]."""
        return responsivity_from_qe(self.quantum_efficiency(), wavelength)

    @property
    def junction_area(self):
        """Junction area [m^2]."""
        if self.geometry == "surface":
            return np.pi * np.asarray(self.diameter, dtype=float) ** 2 / 4.0
        return np.asarray(self.junction_width, dtype=float) * self.junction_length

    @property
    def capacitance(self):
        """Junction + pad capacitance [F]."""
        return VACUUM_PERMITTIVITY * self.relative_permittivity * self.junction_area / self.depletion_width + \
            self.pad_capacitance

    @property
    def transit_bandwidth(self):
        """Carrier transit-time -3 dB bandwidth [Hz]."""
        return transit_bandwidth(self.depletion_width, self.saturation_velocity)


@dataclass(frozen=True, eq=False)
class GermaniumPhotodetector(Photodetector):
    """A vertical-junction waveguide germanium PIN on a silicon-photonics chip, for 1310 nm."""

    section = "photodiode"

    geometry: str = choice(
        "waveguide", options=("surface", "waveguide"),
        source=Source("silicon-photonics receivers use evanescently coupled waveguide Ge PDs", "literature"),
    )
    absorption_coefficient: float = param(  # > 0, as for the GaAs detector
        7.5e3 / CM, unit="1/m", bounds=(1.0 / CM, 1e8), display=("1/cm", 1 / CM),
        source=Source("tensile-strained epitaxial Ge on Si: alpha(1310 nm) ~7-9e3 1/cm (Ishikawa & Wada, "
                      "Appl. Phys. Lett. 82, 2044 (2003))", "literature"),
    )
    depletion_width: float = param(
        0.5e-6, unit="m", bounds=(1e-8, 1e-3), display=("um", 1e-6),
        source=Source("vertical p-i-n Ge junction", "assumption", "0.5 um"),
    )
    relative_permittivity: float = param(
        16.0, unit="1", bounds=(1.0, 30.0), source=Source("Ge static permittivity 16.0 (Ioffe)", "literature"),
    )
    saturation_velocity: float = param(
        0.6e5, unit="m/s", bounds=(1e3, 1e6),
        source=Source("carrier saturation velocity in Ge ~6e4 m/s", "literature"),
    )
    pad_capacitance: float = param(
        10e-15, unit="F", bounds=(0.0, 1e-11), display=("fF", 1e-15),
        source=Source("hybrid-bonded or monolithic PD-to-TIA connection in a photonic engine", "assumption",
                      "10 fF"),
    )
    dark_current: float = param(
        50e-9, unit="A", bounds=(0.0, 1e-3), display=("nA", 1e-9),
        source=Source("waveguide Ge PDs: 10-100 nA at -1 V and elevated temperature", "literature"),
    )
