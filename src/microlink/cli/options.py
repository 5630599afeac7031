"""Options shared by several commands, each defined once."""

from __future__ import annotations

import enum
import json
import sys
from typing import Any

import typer


class OutputFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = typer.Option(OutputFormat.table, "--format", "-f",
                            help="Output: a table for people, JSON or CSV for scripts (both with a meta record).")
PlotOption = typer.Option(None, "--plot", help="Save a figure to this file (.png, .svg or .pdf).")
#: Root seed of random methods; fixed by default so that repeated runs print the same numbers.
DEFAULT_SEED = 20261127
SeedOption = typer.Option(DEFAULT_SEED, "--seed", help="Root seed of the random methods (recorded in the output).")
SetOption = typer.Option([], "--set", help="Override one parameter: section.field=value, e.g. "
                                           "driver.bias_current='1 mA'. Repeatable.")


def print_json(obj: Any) -> None:
    """Print one JSON document to stdout (NaN/inf are never emitted: they become null)."""
    text = json.dumps(_clean(obj), indent=2)
    sys.stdout.write(text + "\n")


def run_meta(*, inputs: dict, seed: int | None = None, boundary: str = "") -> dict:
    """The ``meta`` record of a machine-readable output: version, inputs, seed, accounting boundary and the
    kernel engine that ran (:mod:`microlink.kernels`)."""
    from microlink import __version__, kernels

    return {"microlink_version": __version__, "inputs": inputs, "seed": seed, "boundary": boundary,
            "engine": kernels.engine()}


def print_document(payload: Any, fmt: "OutputFormat", meta: dict) -> None:
    """Print ``payload`` as JSON (``{"meta": ..., "rows" | keys: ...}``) or CSV (``# meta`` lines, then rows).

    ``payload`` is a list of row dicts or a dict; for CSV a dict's ``rows`` entry (or the dict itself, as one
    row) is written, nested dicts flattened with ``.``.
    """
    if fmt == OutputFormat.json:
        doc = {"meta": meta, **payload} if isinstance(payload, dict) else {"meta": meta, "rows": payload}
        print_json(doc)
        return
    import csv

    rows = payload if isinstance(payload, list) else payload.get("rows", [payload])
    flat = [_flatten(_clean(r)) for r in rows]
    for key, value in meta.items():
        sys.stdout.write(f"# {key}: {json.dumps(_clean(value))}\n")
    columns: list[str] = []
    for row in flat:
        columns.extend(k for k in row if k not in columns)
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in flat:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})


def _flatten(d: Any, prefix: str = "") -> dict:
    if not isinstance(d, dict):
        return {prefix.rstrip(".") or "value": d}
    out: dict = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        elif isinstance(v, list):
            out[f"{prefix}{k}"] = json.dumps(v)
        else:
            out[f"{prefix}{k}"] = v
    return out


def _clean(obj: Any) -> Any:
    import math

    import numpy as np

    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _clean(obj.tolist())
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return f if math.isfinite(f) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def apply_set_options(data: dict, items) -> dict:
    """Merge repeatable ``--set section.field=value`` options into a link mapping (in place, returned).

    Values stay strings: the link-file reader parses their units once, with the rest of the file."""
    from microlink.errors import ConfigError

    for item in items:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            raise ConfigError(f"--set: got {item!r}; allowed: section.field=value, e.g. led.diameter=4um")
        key, value = item.split("=", 1)
        sec, fld = key.split(".", 1)
        data.setdefault(sec, {})
        if not isinstance(data[sec], dict):
            raise ConfigError(f"--set: {sec} is not a parameter section")
        data[sec][fld] = value
    return data
