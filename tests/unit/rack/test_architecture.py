"""The rack layer reads link results only: it never imports device, channel or BER modules."""

import ast
from pathlib import Path

import microlink.rack

FORBIDDEN = ("microlink.devices", "microlink.channels", "microlink.ber")


def test_rack_imports_point_down_to_link_results_only():
    root = Path(microlink.rack.__file__).parent
    offenders = []
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert not offenders
