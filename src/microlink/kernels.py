"""Which implementation of the hot loops a process runs: compiled (Numba) or NumPy.

Every hot loop of the physics has a compiled kernel (:mod:`microlink.ber._compiled`,
:mod:`microlink.devices._equalizer_kernels`, :mod:`microlink.devices._led_kernels`), 5-50x faster per point
than NumPy, but loading them costs a fixed ~0.8 s per process (importing Numba and initialising its
target, even from the on-disk cache): more than a single-shot command (``microlink link``, ``compare``,
``rack``, ``cluster``) spends on the physics. Those kernels also have a NumPy implementation of the same
arithmetic, used when the engine is ``"numpy"``; the two agree to rounding (about 1e-12 relative; the
tests hold every technology's results of the two engines to 1e-9), and the micro-LED rate equation is the
same source interpreted, so it is bitwise identical.

The engine is chosen per process (or per ``with use_engine(...)`` block), never per batch: within one
engine a design point's result does not depend on the batch, chunk or executor it is evaluated in. The
default is ``"compiled"``; the single-shot commands run ``"numpy"``; the environment variable
``MICROLINK_ENGINE`` (``compiled`` | ``numpy``) overrides both, and results' metadata record which ran.

Kernels without a NumPy implementation (the Monte Carlo, the statistical eye's interferer distribution)
are compiled whatever the engine.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from microlink.errors import ParameterError

#: The engines.
ENGINES = ("compiled", "numpy")
#: Environment variable naming the engine of a process (overrides the commands' choice).
ENGINE_VARIABLE = "MICROLINK_ENGINE"

_STATE: dict[str, str | None] = {"engine": None}  # resolved from the environment on first use


def environment_engine() -> str | None:
    """The engine named by :data:`ENGINE_VARIABLE`, or None when it is unset or empty.

    Raises :class:`~microlink.errors.ParameterError` naming the variable when it holds anything else.
    """
    value = os.environ.get(ENGINE_VARIABLE, "").strip()
    return _checked(value, ENGINE_VARIABLE) if value else None


def _checked(name: str, field: str) -> str:
    if name not in ENGINES:
        raise ParameterError(field, name, " | ".join(ENGINES))
    return name


def engine() -> str:
    """The engine in force: ``"compiled"`` or ``"numpy"`` (:data:`ENGINE_VARIABLE`, else compiled, until a
    :func:`use_engine` block says otherwise). Sweeps, uncertainty bands and rack pools hand the client's
    engine to their worker processes."""
    if _STATE["engine"] is None:
        _STATE["engine"] = environment_engine() or "compiled"
    return _STATE["engine"]


def compiled() -> bool:
    """True when the compiled kernels run (the engine is ``"compiled"``)."""
    return engine() == "compiled"


@contextmanager
def use_engine(name: str):
    """Run a block with engine ``name`` (``"compiled"`` | ``"numpy"``); the previous engine is restored."""
    _checked(name, "engine")
    before = engine()
    _STATE["engine"] = name
    try:
        yield name
    finally:
        _STATE["engine"] = before


def usable_cpus() -> int:
    """CPUs this process may run on: its affinity mask where the platform has one, else the CPU count [1]."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
