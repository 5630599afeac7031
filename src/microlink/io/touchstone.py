"""Touchstone (.s2p, .s4p, .s8p) files for electrical channels, through scikit-rf (the ``touchstone`` extra).

Reading turns a file into :class:`DifferentialChannelData` — the differential insertion loss, return losses and
crosstalk of one victim lane on the file's frequencies — which
:class:`microlink.channels.measured.TabulatedChannel` takes field for field. Port conventions:

* ``.s2p``: already one differential (or single-ended) path; S21 is the insertion loss, S11/S22 the return
  losses. No crosstalk.
* ``.s4p``: one differential pair, single-ended ports converted to mixed mode (``Network.se2gmm``). Port order
  ``"1-3,2-4"`` (scikit-rf's: ports 1 and 2 are the + and - of the near end, 1 runs to 3 and 2 to 4) or
  ``"1-2,3-4"`` (ports 1 and 3 are the near end, 1 runs to 2 and 3 to 4).
* ``.s8p``: a victim pair and one aggressor pair, each laid out as a ``.s4p`` (ports 1-4 the victim, 5-8 the
  aggressor). NEXT is the aggressor sending from the victim receiver's end, FEXT from the other end.

Writing (:func:`write_channel`) stores a differential channel as a balanced ``.s4p`` or ``.s2p`` (no mode
conversion, common mode as lossy as the differential mode): how the project exports its own analytic cable.
Every failure is one :class:`~microlink.errors.ConfigError` naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from microlink.errors import ConfigError

PORT_ORDERS = ("1-3,2-4", "1-2,3-4")
_EPS = 1e-30


@dataclass(frozen=True)
class DifferentialChannelData:
    """A victim lane's differential S-parameters as losses on the file's frequencies.

    Attributes
    ----------
    frequency : ndarray [Hz]
    insertion_loss_db : ndarray, -20 log10 |SDD21| [dB]
    return_loss_near_db, return_loss_far_db : ndarray, -20 log10 |SDD11|, |SDD22| [dB]
    next_db, fext_db : ndarray or None, 20 log10 |S| of the crosstalk into the victim's receiver [dB]
    name : str, the file name
    """

    frequency: np.ndarray
    insertion_loss_db: np.ndarray
    return_loss_near_db: Optional[np.ndarray]
    return_loss_far_db: Optional[np.ndarray]
    next_db: Optional[np.ndarray]
    fext_db: Optional[np.ndarray]
    name: str


def _skrf():
    try:
        import skrf
    except ImportError:  # pragma: no cover - depends on the environment
        raise ConfigError("--channel: Touchstone files need scikit-rf; install it with "
                          "pip install 'microlink[touchstone]'") from None
    return skrf


def _db(s) -> np.ndarray:
    return -20.0 * np.log10(np.maximum(np.abs(s), _EPS))


def read_channel(path, port_order: str = "1-3,2-4") -> DifferentialChannelData:
    """Read a ``.s2p``/``.s4p``/``.s8p`` file into the victim lane's losses (see the module docstring)."""
    from microlink.io.files import read_text

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".s2p", ".s4p", ".s8p"):
        raise ConfigError(f"--channel: got {path.name!r}; allowed: a .s2p, .s4p or .s8p Touchstone file")
    if port_order not in PORT_ORDERS:
        raise ConfigError(f"--channel-ports: got {port_order!r}; allowed: {' | '.join(PORT_ORDERS)}")
    text = read_text(path, what="--channel")  # size, encoding and file-kind checks of every user file
    skrf = _skrf()
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net = _from_text(skrf, text, suffix)
    except ConfigError:
        raise
    except Exception as exc:  # scikit-rf raises many kinds on malformed files
        raise ConfigError(f"--channel: {path.name}: not a readable Touchstone file ({type(exc).__name__}: "
                          f"{str(exc)[:120]})") from None
    f = np.asarray(net.f, dtype=float)
    if f.size < 2 or np.any(np.diff(f) <= 0) or f[0] < 0:
        raise ConfigError(f"--channel: {path.name}: needs two or more increasing frequencies; got {f.size}")
    if net.nports != int(suffix[2]):
        raise ConfigError(f"--channel: {path.name}: {net.nports} ports in a {suffix} file")
    next_db = fext_db = None
    if net.nports == 2:
        s = net.s
        il, rl1, rl2 = _db(s[:, 1, 0]), _db(s[:, 0, 0]), _db(s[:, 1, 1])
    else:
        if port_order == "1-2,3-4":
            order = [0, 2, 1, 3] if net.nports == 4 else [0, 2, 1, 3, 4, 6, 5, 7]
            net.renumber(list(range(net.nports)), order)
        pairs = net.nports // 2
        net.se2gmm(p=pairs)
        s = net.s
        il, rl1, rl2 = _db(s[:, 1, 0]), _db(s[:, 0, 0]), _db(s[:, 1, 1])
        if pairs == 4:  # d0/d1 victim near/far, d2/d3 aggressor near/far; the victim receives at d1
            next_db, fext_db = -_db(s[:, 1, 3]), -_db(s[:, 1, 2])
    if not np.all(np.isfinite(il)):
        raise ConfigError(f"--channel: {path.name}: non-finite S-parameters")
    return DifferentialChannelData(f, il, rl1, rl2, next_db, fext_db, path.name)


def _from_text(skrf, text: str, suffix: str):
    """A scikit-rf Network from Touchstone text (written to a private temporary file of the right suffix)."""
    import os
    import tempfile

    fd, name = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return skrf.Network(name)
    finally:
        os.unlink(name)


def write_channel(path, frequency, insertion_loss_db, return_loss_db=None, *, phase=None,
                  comment: str = "") -> Path:
    """Write a differential channel as a balanced ``.s4p`` (or ``.s2p``) Touchstone file; returns the path.

    Parameters
    ----------
    frequency : array_like [Hz], increasing
    insertion_loss_db : array_like [dB], -20 log10 |SDD21|
    return_loss_db : array_like [dB], optional; -20 log10 |SDD11| = |SDD22| (default: none, 300 dB)
    phase : array_like [rad], optional; phase of SDD21 (default: 0)
    comment : str, written at the top of the file
    """
    skrf = _skrf()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".s2p", ".s4p"):
        raise ConfigError(f"write_channel: got {path.name!r}; allowed: a .s2p or .s4p file name")
    f = np.asarray(frequency, dtype=float)
    il = np.asarray(insertion_loss_db, dtype=float)
    rl = np.full_like(f, 300.0) if return_loss_db is None else np.asarray(return_loss_db, dtype=float)
    ph = np.zeros_like(f) if phase is None else np.asarray(phase, dtype=float)
    s21 = 10.0 ** (-il / 20.0) * np.exp(1j * ph)
    s11 = 10.0 ** (-rl / 20.0) + 0j
    freq = skrf.Frequency.from_f(f, unit="hz")
    if suffix == ".s2p":
        s = np.zeros((f.size, 2, 2), dtype=complex)
        s[:, 0, 0] = s[:, 1, 1] = s11
        s[:, 1, 0] = s[:, 0, 1] = s21
        net = skrf.Network(frequency=freq, s=s, z0=100.0)
    else:
        s = np.zeros((f.size, 4, 4), dtype=complex)
        for base in (0, 2):  # differential (d0, d1) and common (c0, c1) modes alike
            s[:, base, base] = s[:, base + 1, base + 1] = s11
            s[:, base + 1, base] = s[:, base, base + 1] = s21
        net = skrf.Network(frequency=freq, s=s, z0=np.array([100.0, 100.0, 25.0, 25.0]))
        net.gmm2se(p=2, z0_se=50.0)
    net.comments = comment
    net.write_touchstone(str(path.with_suffix("")), skrf_comment=False)
    return path


__all__ = ["DifferentialChannelData", "PORT_ORDERS", "read_channel", "write_channel"]
