"""Imaging / multicore fiber bundle carrying one micro-LED lane per core (or core group).

Loss: Rayleigh (``lambda^-4``) + excess absorption/scattering of the doped cores + connectors.
Dispersion: silica material dispersion over the LED's spectral width and modal delay (step or graded
cores, with mode coupling). Crosstalk: incoherent power coupling to each adjacent core, a fixed part from
the end optics plus a part growing linearly with length (weak coupled-mode regime).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.channels.fiber import (
    chromatic_rms_spread,
    modal_delay_per_length,
    modal_rms_spread,
    normalised_frequency,
    rayleigh_loss_db_per_m,
    silica_dispersion,
    source_coupling_efficiency,
)
from microlink.parameters import Parameters, Source, choice, param
from microlink.units import SPEED_OF_LIGHT, db_to_linear


def crosstalk_ratio(end_crosstalk, crosstalk_per_length, length):
    """Power fraction coupled from one adjacent core, ``X_0 + h L`` [1, 1/m, m -> 1], capped at 1."""
    return np.minimum(1.0, np.asarray(end_crosstalk, dtype=float) + np.asarray(crosstalk_per_length, dtype=float) * np.asarray(length, dtype=float))


def gaussian_response(frequency, rms_spread):
    """Transfer function of a Gaussian impulse response of rms width ``sigma`` [Hz, s -> 1]."""
    s = np.asarray(rms_spread, dtype=float)
    return np.exp(-2.0 * (np.pi * np.asarray(frequency, dtype=float) * s) ** 2)


def gaussian_bandwidth(rms_spread):
    """-3 dB (optical power response |H| = 1/2 ... electrical 1/sqrt 2) bandwidth of a Gaussian
    impulse response: ``|H(f)|^2 = 1/2`` gives ``f = sqrt(ln 2 / 4) / (pi sigma)`` [s -> Hz]."""
    s = np.asarray(rms_spread, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(s > 0, np.sqrt(np.log(2.0) / 4.0) / (np.pi * np.where(s > 0, s, 1.0)), np.inf)


@dataclass(frozen=True, eq=False)
class ImagingFiber(Parameters):
    """A multicore / imaging fiber bundle with one core per lane."""

    section = "fiber"

    core_diameter: float = param(
        15e-6, unit="m", bounds=(0.5e-6, 1e-3), display=("um", 1e-6),
        source=Source("Avicena: multimode multi-core cable, 100s of cores in a 0.5 mm cable (links.md 1.2)",
                      "assumption", "15 um multimode cores on a ~25 um pitch fit 304 cores in 0.5 mm"),
    )
    core_pitch: float = param(
        25e-6, unit="m", bounds=(1e-6, 5e-3), display=("um", 1e-6),
        source=Source("304 cores hexagonally packed in a 0.5 mm cable (links.md 1.2)", "derived",
                      "sqrt(area per core) with 0.196 mm^2 / 304 cores"),
    )
    numerical_aperture: float = param(
        0.4, unit="1", bounds=(0.05, 1.0),
        source=Source("high-NA imaging fibers (links.md 2.2-2.3)", "assumption", "NA 0.4, typical of image guides"),
    )
    core_index: float = param(
        1.47, unit="1", bounds=(1.0, 4.0),
        source=Source("Ge-doped silica core at 450 nm (Malitson silica 1.466 plus doping)", "derived"),
    )
    index_profile: str = choice(
        "graded", options=("step", "graded"),
        source=Source("datacom multicore bundle (Avicena 10 m at 3.3 Gb/s)", "assumption",
                      "a fully filled NA-0.4 step-index core spreads 1.8 ns over 10 m, which would forbid the "
                      "demonstrated 10 m at 3.3 Gb/s; a graded profile is the physical way to reach it"),
    )
    profile_excess: float = param(
        20.0, unit="1", bounds=(1.0, 1e4),
        source=Source("real graded profiles reach a few % of the ideal bandwidth", "assumption",
                      "modal spread 20x the optimal parabolic bound"),
    )
    mode_coupling_length: float = param(
        1e3, unit="m", bounds=(1e-3, 1e9),
        source=Source("Gloge 1972: spread ~ sqrt(L L_c) beyond the coupling length", "assumption",
                      "1 km: no mode coupling at rack scale unless set"),
    )
    excess_loss_db_per_m: float = param(
        0.1, unit="dB/m", bounds=(0.0, 100.0),
        source=Source("imaging-fiber loss in the blue not published; 0.1-1 dB/m plausible (links.md 2.3)",
                      "assumption", "0.1 dB/m, the low end: datacom bundles use low-doped cores"),
    )
    rayleigh_loss_at_1550_db_per_km: float = param(
        0.156, unit="dB/km", bounds=(0.0, 100.0),
        source=Source("intrinsic silica loss at 1550 nm (links.md 2.3)", "literature"),
    )
    connector_loss_db: float = param(
        0.5, unit="dB", bounds=(0.0, 20.0),
        source=Source("lensed multicore connector", "assumption", "0.5 dB per mated pair"),
    )
    connectors: float = param(
        2, unit="1", bounds=(0, 10),
        source=Source("a detachable cable mates at each end", "assumption", "2 mated pairs"),
    )
    lensed_coupling: bool = choice(
        True, options=(True, False),
        source=Source("Avicena: microlens arrays on LED and PD arrays (links.md 1.2)", "measured"),
    )
    lens_transmission: float = param(
        0.6, unit="1", bounds=(0.0, 1.0),
        source=Source("microlens array: Fresnel, fill factor and aberrations", "assumption",
                      "60 % of the etendue-limited power reaches the core"),
    )
    receive_coupling: float = param(
        0.8, unit="1", bounds=(0.0, 1.0),
        source=Source("core image onto a larger photodiode through a microlens", "assumption", "80 %"),
    )
    end_crosstalk_db: float = param(
        -30.0, unit="dB", bounds=(-200.0, 0.0),
        source=Source("Avicena OCP 2023: adjacent-core crosstalk better than -27 dB (links.md 1.2)", "assumption",
                      "-30 dB from the lens arrays at both ends; the fiber adds the rest of the -27 dB at 10 m"),
    )
    crosstalk_per_length: float = param(
        1e-4, unit="1/m", bounds=(0.0, 1.0),
        source=Source("Avicena OCP 2023: better than -27 dB adjacent (links.md 1.2)", "derived",
                      "(10^-2.7 - 10^-3)/10 m: reaches the measured -27 dB at 10 m"),
    )
    adjacent_cores: float = param(
        6, unit="1", bounds=(0, 12),
        source=Source("hexagonal core packing (links.md 1.2)", "measured"),
    )
    group_index: float = param(
        1.48, unit="1", bounds=(1.0, 4.0),
        source=Source("silica group index in the blue (Malitson)", "derived"),
    )

    # ----------------------------------------------------------------------------------------------
    def attenuation_db_per_m(self, wavelength):
        """Propagation loss [m -> dB/m]."""
        return rayleigh_loss_db_per_m(wavelength, self.rayleigh_loss_at_1550_db_per_km) + self.excess_loss_db_per_m

    def loss_db(self, length, wavelength):
        """Propagation plus connector loss [m, m -> dB]."""
        return self.attenuation_db_per_m(wavelength) * np.asarray(length, dtype=float) + self.connector_loss_db * self.connectors

    def transmission(self, length, wavelength):
        """Power transmission of the cable (no end coupling) [m, m -> 1]."""
        return db_to_linear(-self.loss_db(length, wavelength))

    def launch_efficiency(self, source_diameter, emission_exponent):
        """LED -> core coupling [m, 1 -> 1]."""
        return source_coupling_efficiency(
            source_diameter, self.core_diameter, self.numerical_aperture, emission_exponent,
            self.lens_transmission, self.lensed_coupling,
        )

    def rms_spread(self, length, wavelength, spectral_width):
        """Total rms impulse-response width (chromatic and modal in quadrature) [m, m, m -> s]."""
        chrom = chromatic_rms_spread(silica_dispersion(wavelength), spectral_width, length)
        v = normalised_frequency(self.core_diameter, self.numerical_aperture, wavelength)
        modal = modal_rms_spread(
            modal_delay_per_length(self.numerical_aperture, self.core_index, self.index_profile == "graded",
                                   self.profile_excess),
            length, self.mode_coupling_length, v,
        )
        return np.sqrt(chrom**2 + modal**2)

    def crosstalk(self, length):
        """Power fraction coupled from each adjacent core [m -> 1]."""
        return crosstalk_ratio(db_to_linear(self.end_crosstalk_db), self.crosstalk_per_length, length)

    def propagation_delay(self, length):
        """Group delay [m -> s]."""
        return self.group_index * np.asarray(length, dtype=float) / SPEED_OF_LIGHT
