"""The technologies on the same footing: which link classes exist and which catalog sets ``compare`` runs.

Every class here derives from :class:`~microlink.link.base.SectionedLink` and runs through the one chain
(:func:`microlink.link.chain.run`), so everything downstream treats them alike.
"""

from __future__ import annotations

from microlink.link.copper import AECLink, DACLink
from microlink.link.microled import MicroLEDLink
from microlink.link.pluggable import PluggableLink
from microlink.link.result import result_points
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

#: Attach at which co-packaged technologies are also shown, so that a reader sees how much of an advantage
#: is the attach: the in-package SerDes both micro-LED and SiPh CPO engines can use.
COMMON_ATTACH = "xsr"


def media_per_end(result) -> tuple[float, str]:
    """Physical media of one end: ``(count, "pairs" | "fibers" | "cores")`` (scalar result)."""
    import numpy as np

    return float(np.asarray(result.media_per_end)), result.media_kind


__all__ = ["COMMON_ATTACH", "DEFAULT_COMPARE_RATE", "DEFAULT_COMPARE_REACHES", "DEFAULT_COMPARE_SETS",
           "TECHNOLOGY_CLASSES", "media_per_end", "result_points"]
