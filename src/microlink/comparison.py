"""Technologies on one footing as a labelled table: :func:`compare_links` -> :class:`xarray.Dataset`.

The main question microlink answers — which link should carry the bits at a given reach — as one call::

    import microlink as ml
    ds = ml.compare_links(["lightbundle", "dac-200g", "siph-cpo"], reach=[0.5, 1, 2, 5, 10])
    ds.energy_per_bit.sel(attach="native").to_pandas()      # technology x reach [J/bit]

Each catalog set is evaluated through :func:`microlink.evaluate_link` over the reach vector, once per
attach (host interface). Nothing is computed here beyond collecting the results into arrays: the physics is
in :mod:`microlink.link`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import numpy as np

from microlink.errors import ParameterError

__all__ = ["ATTACHES", "attach_supported", "compare_links", "comparison_points", "boundary_of"]

#: Host attaches a comparison can ask for: what each product ships with, then die-to-die parallel, XSR, VSR
#: (chip-to-module) and long-reach SerDes (the axis of :func:`microlink.evaluate_link`'s ``attach``).
ATTACHES = ("native", "d2d", "xsr", "vsr", "lr")

#: Boundary of every figure when the link chain does not state its own [text].
DEFAULT_BOUNDARY = ("one direction, both ends, host logic to host logic (host SerDes or die-to-die interface and "
                    "FEC included)")

# Variables collected per (technology, reach, attach) point: name -> (LinkResult attribute, unit, description).
_POINT_VARIABLES = {
    "energy_per_bit": ("energy_per_bit", "J/bit", "energy per payload bit, one direction, both ends"),
    "feasible": ("feasible", "1", "post-FEC BER meets the target at this reach"),
    "ber": ("ber", "1", "bit error ratio before FEC"),
    "ber_post_fec": ("ber_post_fec", "1", "bit error ratio after FEC"),
    "margin_db": ("margin_db", "dB", "power margin to the pre-FEC threshold"),
    "power_per_end": ("power_per_end", "W", "power of one duplex end incl. the host's half of the interface"),
    "latency": ("latency", "s", "one-way latency excluding queueing"),
    "cost_per_end": ("cost_per_end", "USD", "cost of one link end incl. its share of cable"),
    "fit_per_end": ("fit_per_end", "FIT", "failure rate of one end over its service life (1e-9 per hour)"),
    "lanes_active": ("lanes_active", "1", "lanes carrying data per direction"),
    "lane_rate": ("lane_rate", "b/s", "line rate of one lane"),
}


def attach_supported() -> bool:
    """True when the link chain takes an ``attach`` argument and reports it on :class:`LinkResult`."""
    from microlink.link.result import LinkResult

    return "attach" in {f.name for f in dataclasses.fields(LinkResult)}


def boundary_of(result) -> str:
    """One-line accounting boundary of a link result [text] (the chain's own when it states one)."""
    names = {f.name for f in dataclasses.fields(result)}
    if "boundary" in names:
        return str(result.boundary)
    return DEFAULT_BOUNDARY


def _parse_attaches(attach) -> tuple[str, ...]:
    values = (attach,) if isinstance(attach, str) else tuple(attach)
    if not values:
        raise ParameterError("attach", attach, "at least one of " + ", ".join(ATTACHES))
    for value in values:
        if value not in ATTACHES:
            raise ParameterError("attach", value, "one of " + ", ".join(ATTACHES))
    if len(set(values)) != len(values):
        raise ParameterError("attach", list(values), "each attach at most once")
    if values != ("native",) and not attach_supported():
        raise ParameterError("attach", list(values), "'native' only: this version of the link chain does not "
                                                     "model other host attaches")
    return values


def _evaluate(name: str, *, aggregate_rate, reach, target_ber, attach: str, earlier=()):
    """One batch result, or the reason why this attach is impossible for this technology.

    ``earlier`` holds results of the same request at other attaches: one that already ran at ``attach``
    (a set whose native attach it is) is the same computation, and is returned instead of recomputed.
    """
    from microlink.link.chain import evaluate_link

    same = next((r for r in earlier if _same_attach(r, attach)), None)
    if same is not None:
        return same, ""

    kwargs = {"aggregate_rate": aggregate_rate, "reach": reach, "target_ber": target_ber}
    if attach_supported():
        kwargs["attach"] = attach
    try:
        return evaluate_link(name, **kwargs), ""
    except ParameterError as exc:
        if attach == "native":
            raise
        return None, str(exc)


def _same_attach(result, attach: str) -> bool:
    """True when ``result`` (a LinkResult or a reason string) already ran at host attach ``attach`` everywhere:
    a run asking for that attach is the same computation, so the result is reused."""
    if isinstance(result, str) or result is None or attach == "native":
        return False
    kinds = np.unique(np.asarray(getattr(result, "attach", ""), dtype=object).astype(str))
    return kinds.size == 1 and str(kinds[0]) == attach


def comparison_points(names: Sequence[str], *, aggregate_rate: float, reach: Sequence[float],
                      target_ber: float = 1e-12, attach: str = "native", reuse: dict | None = None
                      ) -> dict[str, object]:
    """Evaluate each catalog set over ``reach`` at one attach: ``{name: LinkResult batch or reason str}``.

    Parameters
    ----------
    names : sequence of str
        Catalog parameter sets.
    aggregate_rate : float
        Payload per direction [b/s].
    reach : sequence of float
        Link lengths [m].
    target_ber : float
        Required BER after FEC [1].
    attach : str
        One of :data:`ATTACHES`.
    reuse : dict, optional
        Results of the same request at another attach (``{name: LinkResult or reason}``); a set whose result
        there already ran at ``attach`` (its native attach is ``attach``) is taken from it, not recomputed.
    """
    (attach,) = _parse_attaches(attach)
    lengths = np.asarray(reach, dtype=float)
    out: dict[str, object] = {}
    for name in names:
        result, reason = _evaluate(name, aggregate_rate=aggregate_rate, reach=lengths, target_ber=target_ber,
                                   attach=attach, earlier=[reuse[name]] if reuse and name in reuse else ())
        out[name] = result if result is not None else reason
    return out


def compare_links(technologies: Iterable[str] | None = None, *, aggregate_rate: float | None = None,
                  reach: Sequence[float] | float | None = None, target_ber: float = 1e-12,
                  attach: str | Sequence[str] = "native"):
    """Every technology at the same aggregate rate, reaches and attach, as an :class:`xarray.Dataset`.

    Parameters
    ----------
    technologies : iterable of str, optional
        Catalog parameter sets (``microlink catalog`` lists them) [default: one per technology, as
        ``microlink compare``].
    aggregate_rate : float, optional
        Payload per direction [b/s] [default: 1.6e12].
    reach : float or sequence of float, optional
        Link lengths [m] [default: 0.5, 1, 2, 5, 10, 30].
    target_ber : float
        Required BER after FEC [1].
    attach : str or sequence of str
        Host attach(es), from :data:`ATTACHES`; ``"native"`` is what each product ships with.

    Returns
    -------
    xarray.Dataset
        Dimensions ``technology`` x ``reach`` x ``attach`` (and ``block`` for ``energy_breakdown``);
        ``max_reach`` [m] is ``technology`` x ``attach``. Every variable carries ``units`` and
        ``description`` in its attrs; the dataset's attrs record the request, the boundary and the version.
        Where an attach is impossible for a technology its values are NaN / False and ``attach_note`` says why.
    """
    import xarray as xr

    import microlink
    from microlink.catalog import get_parameter_set, is_file_reference, list_parameter_sets
    from microlink.link.technologies import DEFAULT_COMPARE_RATE, DEFAULT_COMPARE_REACHES, DEFAULT_COMPARE_SETS
    from microlink.parameters import check_range

    names = list(DEFAULT_COMPARE_SETS if technologies is None else technologies)
    if isinstance(technologies, str):
        names = [technologies]
    if not names:
        raise ParameterError("technologies", names, "at least one catalog set")
    known = set(list_parameter_sets())
    for name in names:
        if is_file_reference(name):
            get_parameter_set(name)  # a link file: read and checked here
        elif name not in known:
            raise ParameterError("technologies", name, "one of " + ", ".join(sorted(known)) + " or a link file")
    if len(set(names)) != len(names):
        raise ParameterError("technologies", names, "each catalog set at most once")
    rate = float(DEFAULT_COMPARE_RATE if aggregate_rate is None else aggregate_rate)
    check_range("aggregate_rate", rate, 1e6, 1e15, "b/s")
    check_range("target_ber", target_ber, 1e-30, 0.5)
    lengths = np.atleast_1d(np.asarray(DEFAULT_COMPARE_REACHES if reach is None else reach, dtype=float))
    if lengths.ndim != 1 or lengths.size == 0 or not np.all(np.isfinite(lengths)) or np.any(lengths <= 0):
        raise ParameterError("reach", lengths.tolist(), "one or more positive finite lengths [m]")
    attaches = _parse_attaches(attach)

    shape = (len(names), lengths.size, len(attaches))
    data = {key: np.full(shape, np.nan) for key in _POINT_VARIABLES}
    data["feasible"] = np.zeros(shape, dtype=bool)
    max_reach = np.full(shape[::2], np.nan)
    notes = np.full(shape[::2], "", dtype=object)
    boundaries = np.full(shape[::2], "", dtype=object)
    fec = np.full(shape[::2], "", dtype=object)
    breakdown: dict[str, np.ndarray] = {}
    families = []
    for i, name in enumerate(names):
        families.append(get_parameter_set(name).parameters.technology)
        done: list = []
        for k, mode in enumerate(attaches):
            result, reason = _evaluate(name, aggregate_rate=rate, reach=lengths, target_ber=target_ber, attach=mode,
                                       earlier=done)
            done.append(result)
            if result is None:
                notes[i, k] = reason
                continue
            for key, (attr, _unit, _desc) in _POINT_VARIABLES.items():
                value = np.broadcast_to(np.asarray(getattr(result, attr)), lengths.shape)
                data[key][i, :, k] = value
            if result.max_reach is not None:
                max_reach[i, k] = float(np.max(np.asarray(result.max_reach, dtype=float)))
            boundaries[i, k] = boundary_of(result)
            fec[i, k] = result.fec
            for block, value in result.energy_breakdown.items():
                arr = breakdown.setdefault(block, np.zeros(shape))
                arr[i, :, k] = np.broadcast_to(np.asarray(value, dtype=float), lengths.shape)
    dims = ("technology", "reach", "attach")
    variables = {key: (dims, data[key], {"units": unit, "description": desc})
                 for key, (_attr, unit, desc) in _POINT_VARIABLES.items()}
    blocks = sorted(breakdown)
    if blocks:
        variables["energy_breakdown"] = (
            dims + ("block",), np.stack([breakdown[b] for b in blocks], axis=-1),
            {"units": "J/bit", "description": "energy per payload bit by block; sums to energy_per_bit"})
    variables["max_reach"] = (("technology", "attach"), max_reach,
                              {"units": "m", "description": "longest length at which the target BER is met"})
    variables["fec"] = (("technology", "attach"), fec.astype(str), {"units": "", "description": "FEC applied"})
    variables["boundary"] = (("technology", "attach"), boundaries.astype(str),
                             {"units": "", "description": "accounting boundary of the energy figures"})
    variables["attach_note"] = (("technology", "attach"), notes.astype(str),
                                {"units": "", "description": "why an attach is impossible (empty when possible)"})
    coords = {
        "technology": ("technology", names, {"description": "catalog parameter set"}),
        "family": ("technology", families, {"description": "technology family"}),
        "reach": ("reach", lengths, {"units": "m", "description": "link length"}),
        "attach": ("attach", list(attaches), {"description": "host attach (native: what the product ships with)"}),
    }
    if blocks:
        coords["block"] = ("block", blocks, {"description": "energy block"})
    distinct = {str(b) for b in boundaries.ravel() if b}
    common = distinct.pop() if len(distinct) == 1 else (
        DEFAULT_BOUNDARY + "; each technology's own boundary, with its attach and FEC, is the boundary variable")
    return xr.Dataset(variables, coords=coords, attrs={
        "aggregate_rate": rate, "aggregate_rate_units": "b/s", "target_ber": float(target_ber),
        "boundary": common, "microlink_version": microlink.__version__,
        "attach_modelled": int(attach_supported()),
    })
