"""The technologies on the same footing: which link classes exist and which catalog sets ``compare`` runs.

Every class here returns a :class:`~microlink.link.result.LinkResult` from ``evaluate(aggregate_rate, reach,
target_ber, lane_rate=, solve_reach=, parameter_set=)`` and offers ``decision_model(reach)``, so
:func:`microlink.link.chain.evaluate_link` and everything downstream treat them alike.

FEC convention: ``target_ber`` is the post-FEC target; reach and margin are solved at the code's pre-FEC
threshold (see :mod:`microlink.link.composite`). Micro-LED lanes carry no FEC, so their threshold is the
target itself.
"""

from __future__ import annotations

from microlink.link.copper import AECLink, DACLink
from microlink.link.microled import MicroLEDLink
from microlink.link.pluggable import PluggableLink
from microlink.link.siph_cpo import SiPhCPOLink
from microlink.link.vcsel import VCSELLink

#: Link classes by technology family.
TECHNOLOGY_CLASSES = {
    "microled": MicroLEDLink,
    "dac": DACLink,
    "aec": AECLink,
    "vcsel": VCSELLink,
    "siph_cpo": SiPhCPOLink,
    "pluggable": PluggableLink,
}

#: Catalog sets compared by default: one per technology (two micro-LED presets, DSP and linear pluggables).
DEFAULT_COMPARE_SETS = (
    "lightbundle",
    "mosaic",
    "dac-200g",
    "aec-200g",
    "vcsel-npo",
    "vcsel-dsp",
    "siph-cpo",
    "dsp-pluggable-1.6t",
    "lpo-800g",
)

#: Default compare request: 1.6 Tb/s per direction at these lengths [m].
DEFAULT_COMPARE_RATE = 1.6e12
DEFAULT_COMPARE_REACHES = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


def result_points(result):
    """Split a 1-D batch :class:`~microlink.link.result.LinkResult` into one scalar result per point.

    Array fields (and arrays inside dict fields) are indexed; scalars and strings are kept.
    """
    import dataclasses

    import numpy as np

    n = int(np.prod(result.shape)) if result.shape else 1
    if len(result.shape) > 1:
        from microlink.errors import ParameterError

        raise ParameterError("result", result.shape, "a scalar or 1-D batch of design points")

    def pick(value, i):
        if isinstance(value, dict):
            return {k: pick(v, i) for k, v in value.items()}
        if isinstance(value, str) or value is None:
            return value
        arr = np.asarray(value)
        if arr.ndim == 0 or not result.shape:
            return value
        if arr.shape[0] == n:
            return arr[i]
        return value

    out = []
    for i in range(n):
        changes = {f.name: pick(getattr(result, f.name), i) for f in dataclasses.fields(result)
                   if f.name not in ("technology", "parameter_set", "modulation", "fec")}
        out.append(dataclasses.replace(result, **changes))
    return out


def media_per_end(result) -> tuple[float, str]:
    """Physical media of one end: ``(count, "pairs" | "fibers" | "cores")`` (scalar result)."""
    import numpy as np

    if "pairs_per_end" in result.extras:
        return float(np.asarray(result.extras["pairs_per_end"])), "pairs"
    if "fibers_per_end" in result.extras:
        return float(np.asarray(result.extras["fibers_per_end"])), "fibers"
    return float(2.0 * (np.asarray(result.lanes_active) + np.asarray(result.lanes_spare))), "cores"
