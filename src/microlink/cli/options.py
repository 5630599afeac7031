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


FormatOption = typer.Option(OutputFormat.table, "--format", "-f", help="Output: a Rich table for people, or JSON for scripts.")
PlotOption = typer.Option(None, "--plot", help="Save a figure to this file (.png, .svg or .pdf).")
#: Root seed of random methods; fixed by default so that repeated runs print the same numbers.
DEFAULT_SEED = 20261127
SeedOption = typer.Option(DEFAULT_SEED, "--seed", help="Root seed of the random methods (recorded in the output).")


def print_json(obj: Any) -> None:
    """Print one JSON document to stdout (NaN/inf are never emitted: they become null)."""
    text = json.dumps(_clean(obj), indent=2)
    sys.stdout.write(text + "\n")


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
