"""`microlink --help` loads no heavy library (no timings: which modules are imported is what is checked)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("scipy", "scipy.stats", "pint", "pandas", "duckdb", "matplotlib", "numba", "xarray", "yaml")
PROBE = """
import json, sys
sys.argv = ["microlink", "--help"]
from microlink.cli.app import app
try:
    app(prog_name="microlink")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {names})))
"""


def _loaded(names):
    out = subprocess.run([sys.executable, "-c", PROBE.format(names=set(names))], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_help_imports_no_heavy_library():
    assert _loaded(HEAVY) == []


def test_help_imports_no_numpy():
    assert _loaded(("numpy",)) == []


def test_common_path_builds_no_unit_registry():
    code = ("import sys\nfrom microlink.units import parse_quantity\n"
            "parse_quantity('3.5 Gb/s', 'b/s', field='x'); parse_quantity('10 m', 'm', field='x')\n"
            "parse_quantity('85 degC', 'K', field='x'); parse_quantity('4 um', 'm', field='x')\n"
            "assert parse_quantity('7.2 TB/s', 'b/s', field='x') == 5.76e13\n"
            "assert parse_quantity('12 %/yr', '1/year', field='x') == 0.12\n"
            "try:\n    parse_quantity('3 kW', 'b/s', field='x')\nexcept Exception as e:\n"
            "    assert 'b/s' in str(e)\nelse:\n    raise AssertionError('kW taken for b/s')\n"
            "print('pint' in sys.modules, 'scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
