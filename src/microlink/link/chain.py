"""One entry point for every technology: ``evaluate_link(preset_or_parameters, ...)`` -> LinkResult.

Technologies register the class of their parameter object here; anything downstream (compare, rack,
sweeps) calls :func:`evaluate_link` and treats all technologies alike.
"""

from __future__ import annotations

from typing import Any

from microlink.errors import ParameterError
from microlink.link.result import LinkResult

#: Default request when the caller gives none: the brief's 800 Gb/s over 10 m at BER 1e-12.
DEFAULT_AGGREGATE_RATE = 800e9  # [b/s]
DEFAULT_REACH = 10.0  # [m]
DEFAULT_TARGET_BER = 1e-12  # [1], raw micro-LED lanes run without FEC (links.md section 4)


def evaluate_link(link: Any = "lightbundle", *, aggregate_rate=None, reach=None, target_ber=None, lane_rate=None,
                  solve_reach: bool = True, **options) -> LinkResult:
    """Evaluate a link from a catalog name or a parameter object.

    Parameters
    ----------
    link : str or link parameter object
        Name of a catalog parameter set (``microlink catalog`` lists them) or e.g. a
        :class:`~microlink.link.microled.MicroLEDLink`.
    aggregate_rate : array_like, optional
        Payload per direction [b/s]; default: the parameter set's, else 800 Gb/s.
    reach : array_like, optional
        Length [m]; default: the parameter set's, else 10 m.
    target_ber : array_like, optional
        Required BER [1]; default: the parameter set's, else 1e-12.
    lane_rate : array_like, optional
        Override the lane rate [b/s].
    solve_reach : bool
        Solve for the maximum reach at the target BER.

    Returns
    -------
    LinkResult
    """
    from microlink.catalog import ParameterSet, get_parameter_set

    name = "custom"
    defaults: dict[str, float] = {}
    if isinstance(link, str):
        link = get_parameter_set(link)
    if isinstance(link, ParameterSet):
        name = link.name
        defaults = link.defaults
        link = link.parameters
    if not hasattr(link, "evaluate"):
        raise ParameterError("link", type(link).__name__, "a catalog name or a link parameter object")
    return link.evaluate(
        aggregate_rate=defaults.get("aggregate_rate", DEFAULT_AGGREGATE_RATE) if aggregate_rate is None else aggregate_rate,
        reach=defaults.get("reach", DEFAULT_REACH) if reach is None else reach,
        target_ber=defaults.get("target_ber", DEFAULT_TARGET_BER) if target_ber is None else target_ber,
        lane_rate=lane_rate,
        solve_reach=solve_reach,
        parameter_set=name,
        **options,
    )
