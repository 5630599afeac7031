"""The layering contract: imports point down (physics -> link -> rack -> market; infrastructure has no physics)."""

import ast
from pathlib import Path

import pytest

import microlink

ROOT = Path(microlink.__file__).parent
PHYSICS = {"devices", "channels", "ber"}

# package -> packages it must never import (at module level or inside functions)
FORBIDDEN = {
    "devices": {"link", "catalog", "rack", "market", "sweep", "io", "cli", "report"},
    "channels": {"link", "catalog", "rack", "market", "sweep", "io", "cli", "report"},
    "ber": {"link", "catalog", "rack", "market", "sweep", "io", "cli", "report"},
    "link": {"rack", "market", "sweep", "io", "cli", "report"},
    "rack": PHYSICS | {"market", "sweep", "cli", "report"},
    "market": PHYSICS | {"sweep", "cli", "report"},
    "sweep": {"devices", "channels", "cli", "report"},
    "io": {"devices", "channels", "cli", "report", "rack", "market"},
    "report": {"devices", "channels", "cli"},
}


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def _cases():
    for package, banned in FORBIDDEN.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            yield pytest.param(package, banned, path, id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize("package, banned, path", list(_cases()))
def test_imports_point_down(package, banned, path):
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "microlink" and len(parts) > 1:
            assert parts[1] not in banned, f"{path.relative_to(ROOT)} imports {name}"


def test_physics_never_prints_or_plots():
    for package in PHYSICS:
        for path in (ROOT / package).rglob("*.py"):
            for name in _imports(path):
                assert not name.startswith(("matplotlib", "rich", "typer")), f"{path} imports {name}"
