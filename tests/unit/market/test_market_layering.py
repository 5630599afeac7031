"""market/ stays independent of the link physics: it never imports devices, channels, ber or link."""

import ast
from pathlib import Path

import microlink.market

FORBIDDEN = ("microlink.devices", "microlink.channels", "microlink.ber", "microlink.link")


def test_market_imports_point_down_only():
    root = Path(microlink.market.__file__).parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
