"""Sweep results as a labelled :class:`xarray.Dataset`.

* Grid sweeps: one dimension per swept input, named after it (``led_diameter``, ``lane_rate``), with the
  swept values as coordinates; every output is an array over those dimensions.
* List and Latin-hypercube sweeps: one dimension ``point`` (the point index); the swept inputs are
  coordinates along it.

Every variable and coordinate carries ``units`` (and ``parameter``, the dotted input name, for inputs) in
its attrs; the dataset's attrs carry the provenance: microlink version, evaluator, parameter set and its
citation, sampling, root seed, spec hash, run id. Points not yet computed (an interrupted run) are NaN,
and a boolean ``computed`` variable marks which points exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["dataset_attrs", "to_dataset"]


def dataset_attrs(run: dict) -> dict[str, Any]:
    """Flat, netCDF-friendly attrs of a run (strings and numbers only)."""
    prov = run.get("provenance") or {}
    attrs: dict[str, Any] = {
        "title": f"microlink sweep '{run.get('name')}'",
        "run_id": int(run["run_id"]) if run.get("run_id") is not None else -1,
        "status": str(run.get("status")),
        "sampling": str(run.get("sampling")),
        "seed": int(run["seed"]),
        "spec_hash": str(run.get("spec_hash")),
        "microlink_version": str(run.get("version")),
        "evaluator": str(run.get("evaluator")),
        "n_points": int(run["n_points"]),
        "chunk_size": int(run["chunk_size"]),
    }
    for key, value in (prov.get("evaluator_provenance") or {}).items():
        attrs[key] = str(value)
    for key in ("fixed", "constraints", "axes"):
        if key in prov:
            attrs[key] = json.dumps(prov[key], default=str)
    for key in ("numpy_version", "python_version", "started_at", "engine"):
        if key in prov:
            attrs[key] = str(prov[key])
    if run.get("spec_text"):
        attrs["spec"] = str(run["spec_text"])
    return attrs


def _missing_like(arr: np.ndarray, n: int) -> np.ndarray:
    if arr.dtype.kind == "f":
        return np.full(n, np.nan)
    if arr.dtype.kind == "b":
        return np.zeros(n, dtype=bool)
    if arr.dtype.kind in "iu":
        return np.full(n, np.nan)  # integers with holes become floats
    return np.full(n, None, dtype=object)


def to_dataset(run: dict, columns: Iterable, data: dict[str, np.ndarray]):
    """Build the dataset of a run from its columns (``data[name]`` ordered by ``point_id``)."""
    import xarray as xr

    columns = list(columns)
    prov = run.get("provenance") or {}
    n = int(run["n_points"])
    point_id = np.asarray(data["point_id"], dtype=np.int64)
    complete = len(point_id) == n
    full: dict[str, np.ndarray] = {}
    for c in columns:
        if c.role == "key":
            continue
        arr = np.asarray(data[c.name])
        if complete:
            full[c.name] = arr
        else:
            out = _missing_like(arr, n)
            out[point_id] = arr
            full[c.name] = out
    computed = np.zeros(n, dtype=bool)
    computed[point_id] = True

    def var_attrs(c):
        a = {"units": c.unit or "1", "long_name": c.description or c.name}
        if c.role == "input":
            a["parameter"] = c.source
        return a

    axes = prov.get("axes") or []
    attrs = dataset_attrs(run)
    if run.get("sampling") == "grid":
        dims = [ax["column"] for ax in axes]
        shape = tuple(len(ax["values"]) for ax in axes)
        coords = {}
        for ax in axes:
            col = next(c for c in columns if c.name == ax["column"])
            values = np.asarray(ax["values"], dtype=object if col.dtype == "str" else None)
            coords[ax["column"]] = xr.Variable(ax["column"], values, attrs=var_attrs(col))
        data_vars = {}
        for c in columns:
            if c.role == "output":
                data_vars[c.name] = xr.Variable(dims, full[c.name].reshape(shape), attrs=var_attrs(c))
        if not complete:
            data_vars["computed"] = xr.Variable(dims, computed.reshape(shape), attrs={"units": "1"})
        return xr.Dataset(data_vars, coords=coords, attrs=attrs)

    coords = {"point": xr.Variable("point", np.arange(n, dtype=np.int64), attrs={"units": "1"})}
    data_vars = {}
    for c in columns:
        if c.role == "input":
            coords[c.name] = xr.Variable("point", full[c.name], attrs=var_attrs(c))
        elif c.role == "output":
            data_vars[c.name] = xr.Variable("point", full[c.name], attrs=var_attrs(c))
    if not complete:
        data_vars["computed"] = xr.Variable("point", computed, attrs={"units": "1"})
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)
