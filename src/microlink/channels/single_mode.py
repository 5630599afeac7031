"""Single-mode fiber (G.652) for O-band silicon-photonics links: attenuation, dispersion, connectors.

* Attenuation <= 0.4 dB/km at 1310 nm (ITU-T G.652.D; IEEE 802.3 DR budgets use 0.5 dB/km cabled).
* Chromatic dispersion ``D = (S_0/4)(lambda - lambda_0^4/lambda^3)`` with ``S_0 <= 0.092 ps/(nm^2 km)`` and
  ``1300 <= lambda_0 <= 1324 nm`` (G.652); the rms spread is ``|D| sigma_lambda L`` for the source's rms
  spectral width (a modulated DFB: ~ the modulation bandwidth).
* No modal dispersion. Fiber-to-chip couplers and connectors as fixed losses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.channels.multimode import PS_PER_NM2_KM, standard_dispersion
from microlink.parameters import Parameters, Source, param
from microlink.units import SPEED_OF_LIGHT, db_to_linear


@dataclass(frozen=True, eq=False)
class SingleModeFiber(Parameters):
    """A G.652 single-mode fiber path between two photonic chips or modules."""

    section = "fiber"

    attenuation_db_per_m: float = param(
        0.4e-3, unit="dB/m", bounds=(0.0, 1.0), display=("dB/km", 1e-3),
        source=Source("ITU-T G.652.D: <= 0.4 dB/km at 1310 nm", "standard"),
    )
    zero_dispersion_wavelength: float = param(
        1324e-9, unit="m", bounds=(1200e-9, 1400e-9), display=("nm", 1e-9),
        source=Source("G.652 lambda_0 1300-1324 nm; 1324 nm worst case below 1310 nm", "standard"),
    )
    dispersion_slope: float = param(
        0.092 * PS_PER_NM2_KM, unit="s/m^3", bounds=(0.0, 1e3), display=("ps/(nm^2 km)", PS_PER_NM2_KM),
        source=Source("G.652: S_0 <= 0.092 ps/(nm^2 km)", "standard"),
    )
    connector_loss_db: float = param(
        0.5, unit="dB", bounds=(0.0, 10.0),
        source=Source("single-mode MPO/LC mated pair ~0.35-0.5 dB", "literature", "0.5 dB"),
    )
    connectors: float = param(
        2, unit="1", bounds=(0, 10), source=Source("one patch per end", "assumption", "2 mated pairs"),
    )
    coupler_loss_db: float = param(
        1.5, unit="dB", bounds=(0.0, 20.0),
        source=Source("edge/grating couplers between fiber and photonic chip 1-2 dB each (transmit side; the "
                      "receive side is counted with the detector)", "literature", "1.5 dB"),
    )
    receive_coupler_loss_db: float = param(
        1.5, unit="dB", bounds=(0.0, 20.0),
        source=Source("fiber-to-chip coupler at the receiver", "literature", "1.5 dB"),
    )
    group_index: float = param(
        1.468, unit="1", bounds=(1.0, 3.0), source=Source("G.652 group index at 1310 nm", "literature"),
    )

    def transmission(self, length):
        """Chip-to-chip power transmission (couplers, connectors, fiber) [m -> 1]."""
        loss = self.coupler_loss_db + self.receive_coupler_loss_db + self.connector_loss_db * self.connectors + \
            self.attenuation_db_per_m * np.asarray(length, dtype=float)
        return db_to_linear(-loss)

    def rms_spread(self, length, wavelength, spectral_width_rms):
        """Chromatic rms spread [m, m, m -> s]."""
        d = standard_dispersion(wavelength, self.zero_dispersion_wavelength, self.dispersion_slope)
        return np.abs(d) * np.asarray(spectral_width_rms, dtype=float) * np.asarray(length, dtype=float)

    def propagation_delay(self, length):
        """Group delay [m -> s]."""
        return self.group_index * np.asarray(length, dtype=float) / SPEED_OF_LIGHT
