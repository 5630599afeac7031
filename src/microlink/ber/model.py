"""What a BER method needs to know about a link's decision point, independent of the technology.

Every technology can describe its receiver decision by a :class:`DecisionModel`: the oversampled pulse
response (normalised so that a settled run of ones gives 1), the signal amplitude, level-dependent Gaussian
noise and binary interferers (crosstalk aggressors). Closed forms, the statistical eye, Monte Carlo and
importance sampling all take this one object, so their answers can be compared on the same link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class DecisionModel:
    """Signal and noise at the decision point of one lane (scalar design point).

    Attributes
    ----------
    pulse : ndarray [N]
        Oversampled single-symbol response, settled level 1 [1].
    samples_per_symbol : int
        Oversampling of ``pulse``.
    symbol_rate : float
        Symbol rate [Bd].
    modulation : str
        ``"NRZ"`` or ``"PAM4"``.
    amplitude : float
        Half the settled swing between the outer levels [A or V].
    sigma_one, sigma_zero : float
        RMS Gaussian noise on the top and bottom levels [A or V]; intermediate PAM4 levels interpolate.
    aggressors : ndarray [M]
        Crosstalk aggressor amplitudes relative to ``amplitude`` (each a +-1 binary interferer) [1].
    residual_isi_rms : float
        RMS of ISI not represented in ``pulse`` (e.g. residual after equalisation) [1, relative].
    label : str
        Description for plots and tables.
    """

    pulse: np.ndarray
    samples_per_symbol: int
    symbol_rate: float
    modulation: str
    amplitude: float
    sigma_one: float
    sigma_zero: float
    aggressors: np.ndarray = field(default_factory=lambda: np.zeros(0))
    residual_isi_rms: float = 0.0
    label: str = ""

    @property
    def sigma_mean(self) -> float:
        """Mean of the two noise rms values [A or V]."""
        return 0.5 * (self.sigma_one + self.sigma_zero)

    @property
    def time(self) -> np.ndarray:
        """Time axis of ``pulse`` [UI]."""
        return np.arange(self.pulse.shape[-1]) / self.samples_per_symbol
