"""Multimode fiber (OM3/OM4/OM5) for 850 nm VCSEL links: attenuation, modal and chromatic bandwidth.

* Effective modal bandwidth (EMB) of laser-optimised 50 um fibers: OM3 2000, OM4 4700 MHz km at 850 nm;
  OM5 4700 MHz km at 850 nm and 2470 MHz km at 953 nm (TIA-492AAAD/AAAE, IEC 60793-2-10). OM5 is
  interpolated linearly in wavelength between its two specified points; OM3/OM4 are specified at 850 nm
  only and are taken flat over 840-860 nm.
* Modal response: Gaussian whose -3 dB *optical* bandwidth is ``EMB / L``; its rms width is
  ``sigma = sqrt(ln 2 / 2) / (pi B) = 0.1874 / B`` (the IEEE 802.3 link-model convention).
* Chromatic dispersion of the standard MMF: ``D(lambda) = (S_0/4)(lambda - lambda_0^4/lambda^3)`` with
  ``S_0 <= 0.1 ps/(nm^2 km)`` and ``1295 <= lambda_0 <= 1340 nm`` (IEEE 802.3 cl. 52/95 fiber model);
  the rms spread ``|D| sigma_lambda L`` of the VCSEL's rms spectral width.
* Attenuation 3.0 dB/km at 850 nm (IEEE 802.3 SR cabled fiber allows 3.5 dB/km) plus connectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, choice, param
from microlink.signals import gaussian_response  # noqa: F401  (re-exported: the modal response is Gaussian)
from microlink.units import SPEED_OF_LIGHT, db_to_linear

#: Gaussian rms width x -3 dB optical bandwidth: sqrt(ln2 / 2) / pi.
GAUSSIAN_SIGMA_BANDWIDTH = np.sqrt(np.log(2.0) / 2.0) / np.pi
#: EMB [Hz m] at (850 nm, 953 nm) by grade.
EFFECTIVE_MODAL_BANDWIDTH = {
    "OM3": (2000e6 * 1e3, 2000e6 * 1e3),
    "OM4": (4700e6 * 1e3, 4700e6 * 1e3),
    "OM5": (4700e6 * 1e3, 2470e6 * 1e3),
}


def effective_modal_bandwidth(grade: str, wavelength):
    """EMB-length product of a fiber grade at a wavelength [-, m -> Hz m]."""
    b850, b953 = EFFECTIVE_MODAL_BANDWIDTH[grade]
    x = np.clip((np.asarray(wavelength, dtype=float) - 850e-9) / (953e-9 - 850e-9), 0.0, 1.0)
    return b850 + (b953 - b850) * x


def standard_dispersion(wavelength, zero_dispersion_wavelength, dispersion_slope):
    """``(S_0/4)(lambda - lambda_0^4/lambda^3)`` [m, m, s/m^3 -> s/m^2]."""
    lam = np.asarray(wavelength, dtype=float)
    return 0.25 * np.asarray(dispersion_slope, dtype=float) * (lam - np.asarray(zero_dispersion_wavelength) ** 4 / lam**3)


def gaussian_rms_from_bandwidth(bandwidth):
    """rms width of a Gaussian impulse response with -3 dB optical bandwidth ``B`` [Hz -> s]."""
    return GAUSSIAN_SIGMA_BANDWIDTH / np.asarray(bandwidth, dtype=float)


#: 1 ps/(nm km) in SI (s/m^2) and 1 ps/(nm^2 km) in SI (s/m^3).
PS_PER_NM_KM = 1e-12 / (1e-9 * 1e3)
PS_PER_NM2_KM = 1e-12 / (1e-9 * 1e-9 * 1e3)


@dataclass(frozen=True, eq=False)
class MultimodeFiber(Parameters):
    """A laser-optimised 50 um multimode fiber link with its connectors."""

    section = "fiber"

    grade: str = choice(
        "OM4", options=tuple(EFFECTIVE_MODAL_BANDWIDTH),
        source=Source("TIA-492AAAD (OM4), IEEE 802.3db reach tables", "standard"),
    )
    attenuation_db_per_m: float = param(
        3.0e-3, unit="dB/m", bounds=(0.0, 1.0), display=("dB/km", 1e-3),
        source=Source("OM3/OM4 attenuation at 850 nm <= 3.0 dB/km (TIA-492AAAD)", "standard"),
    )
    zero_dispersion_wavelength: float = param(
        1316e-9, unit="m", bounds=(1200e-9, 1400e-9), display=("nm", 1e-9),
        source=Source("IEEE 802.3 MMF model: lambda_0 1295-1340 nm; 1316 nm worst case at 850 nm", "standard"),
    )
    dispersion_slope: float = param(
        0.10 * PS_PER_NM2_KM, unit="s/m^3", bounds=(0.0, 1e3), display=("ps/(nm^2 km)", PS_PER_NM2_KM),
        source=Source("IEEE 802.3 MMF model: S_0 = 0.10 ps/(nm^2 km)", "standard"),
    )
    connector_loss_db: float = param(
        0.75, unit="dB", bounds=(0.0, 10.0),
        source=Source("IEEE 802.3 SR link budgets allocate 1.5 dB for connections (two 0.75 dB MPO pairs)",
                      "standard"),
    )
    connectors: float = param(
        2, unit="1", bounds=(0, 10), source=Source("patch at each end", "assumption", "2 mated pairs"),
    )
    launch_coupling_db: float = param(
        1.0, unit="dB", bounds=(0.0, 20.0),
        source=Source("VCSEL-to-fiber lens coupling into 50 um cores", "assumption", "1.0 dB"),
    )
    group_index: float = param(
        1.48, unit="1", bounds=(1.0, 3.0), source=Source("silica group index at 850 nm", "literature"),
    )

    def transmission(self, length):
        """Launch coupling + fiber + connector power transmission [m -> 1]."""
        loss = self.launch_coupling_db + self.connector_loss_db * self.connectors + \
            self.attenuation_db_per_m * np.asarray(length, dtype=float)
        return db_to_linear(-loss)

    def rms_spread(self, length, wavelength, spectral_width_rms):
        """Modal and chromatic rms spread in quadrature [m, m, m -> s]."""
        length = np.asarray(length, dtype=float)
        emb = effective_modal_bandwidth(self.grade, wavelength)
        modal = GAUSSIAN_SIGMA_BANDWIDTH * length / emb
        chrom = np.abs(standard_dispersion(wavelength, self.zero_dispersion_wavelength, self.dispersion_slope)) \
            * np.asarray(spectral_width_rms, dtype=float) * length
        return np.sqrt(modal**2 + chrom**2)

    def propagation_delay(self, length):
        """Group delay [m -> s]."""
        return self.group_index * np.asarray(length, dtype=float) / SPEED_OF_LIGHT
