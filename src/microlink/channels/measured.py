"""An electrical channel given as measured (or exported) differential S-parameters instead of a cable model.

:class:`TabulatedChannel` holds the differential insertion loss of the whole host-to-host path, optionally its
return loss at both ends and crosstalk couplings, on the frequency points of a file (Touchstone files are read
by :func:`microlink.io.touchstone.read_channel`). It answers the same questions the analytic cable answers —
loss in dB at any frequency — so the equaliser and statistical-eye path run unchanged on it.

Between the file's points losses are interpolated linearly in dB against frequency. Below the first point the
loss falls linearly to 0 dB at DC. Above the last point it is extended along the slope of the last tenth of the
band (loss grows roughly linearly with frequency above the skin-effect corner); ``coverage`` says how much of
a request lies beyond the data, and the link reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from microlink.errors import ParameterError


def _positive_increasing(name: str, f: np.ndarray):
    if f.ndim != 1 or f.size < 2 or not np.all(np.isfinite(f)) or np.any(f < 0) or np.any(np.diff(f) <= 0):
        raise ParameterError(name, f"{f.size} points", "two or more finite, non-negative, increasing frequencies [Hz]")


@dataclass(frozen=True, eq=False)
class TabulatedChannel:
    """Differential channel on tabulated frequencies.

    Attributes
    ----------
    frequency : ndarray
        Frequencies of the data [Hz], increasing.
    insertion_loss_db : ndarray
        Differential insertion loss -20 log10 |SDD21| [dB], >= 0 for a passive channel.
    return_loss_near_db, return_loss_far_db : ndarray, optional
        -20 log10 |SDD11| and |SDD22| [dB]; give the triple-transit echo when both are present.
    next_db, fext_db : ndarray, optional
        Summed near- and far-end crosstalk coupling into the victim, 20 log10 |S| (negative) [dB].
    name : str
        Where the data came from (a file name), for results.
    """

    frequency: np.ndarray
    insertion_loss_db: np.ndarray
    return_loss_near_db: Optional[np.ndarray] = None
    return_loss_far_db: Optional[np.ndarray] = None
    next_db: Optional[np.ndarray] = None
    fext_db: Optional[np.ndarray] = None
    name: str = "tabulated channel"

    def __post_init__(self):
        f = np.asarray(self.frequency, dtype=float)
        _positive_increasing("channel.frequency", f)
        object.__setattr__(self, "frequency", f)
        for key in ("insertion_loss_db", "return_loss_near_db", "return_loss_far_db", "next_db", "fext_db"):
            value = getattr(self, key)
            if value is None:
                continue
            arr = np.asarray(value, dtype=float)
            if arr.shape != f.shape or not np.all(np.isfinite(arr)):
                raise ParameterError(f"channel.{key}", f"{arr.shape} values", f"{f.size} finite values [dB]")
            object.__setattr__(self, key, arr)
        if np.any(self.insertion_loss_db < -0.1):
            worst = float(np.min(self.insertion_loss_db))
            raise ParameterError("channel.insertion_loss_db", f"{worst:.3g} dB", ">= 0 dB (a passive channel has no gain)")

    def __repr__(self) -> str:
        return f"TabulatedChannel({self.name!r}, {self.frequency.size} points to {self.max_frequency / 1e9:g} GHz)"

    @property
    def max_frequency(self) -> float:
        """Highest frequency in the data [Hz]."""
        return float(self.frequency[-1])

    def _table(self, values: np.ndarray, f, to_zero_at_dc: bool) -> np.ndarray:
        f = np.asarray(f, dtype=float)
        x, y = self.frequency, values
        if to_zero_at_dc and x[0] > 0:
            x, y = np.concatenate([[0.0], x]), np.concatenate([[0.0], y])
        out = np.interp(f, x, y)
        tail = max(2, x.size // 10)
        slope = (y[-1] - y[-tail]) / (x[-1] - x[-tail])
        return np.where(f > x[-1], y[-1] + slope * (f - x[-1]), out)

    def loss_db(self, f) -> np.ndarray:
        """Differential insertion loss at ``f`` [Hz -> dB] (see the module docstring for outside the data)."""
        return np.maximum(self._table(self.insertion_loss_db, f, True), 0.0)

    def echo_power(self, f) -> np.ndarray:
        """Triple-transit echo power relative to the through signal, |SDD11 SDD22 SDD21^2|^2 [1] (0 if absent)."""
        if self.return_loss_near_db is None or self.return_loss_far_db is None:
            return np.zeros(np.shape(f))
        rl = self._table(self.return_loss_near_db, f, False) + self._table(self.return_loss_far_db, f, False)
        return 10.0 ** (-(rl + 2.0 * self.loss_db(f)) / 10.0)

    def crosstalk_power(self, kind: str, f) -> Optional[np.ndarray]:
        """Summed ``"next"`` or ``"fext"`` coupling power at ``f`` [1], None when the data has none."""
        values = {"next": self.next_db, "fext": self.fext_db}[kind]
        if values is None:
            return None
        return 10.0 ** (np.minimum(self._table(values, f, False), 0.0) / 10.0)

    def coverage(self, f) -> float:
        """Share of the frequencies ``f`` [Hz] that lie within the data [1]."""
        f = np.asarray(f, dtype=float)
        return float(np.mean(f <= self.max_frequency)) if f.size else 1.0


__all__ = ["TabulatedChannel"]
