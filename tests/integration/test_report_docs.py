"""The documentation: every example file in docs/formats.md runs as written; citations resolve to shipped sheets."""

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"```yaml\n# file: (?P<file>\S+)\n# run: (?P<run>[^\n]+)\n(?P<body>.*?)```", re.S)


def _examples():
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    return [pytest.param(m["file"], m["run"], m.group(0)[len("```yaml\n"):-3], id=m["file"])
            for m in BLOCK.finditer(text)]


def test_every_format_has_an_example():
    names = {p.id for p in _examples()}
    assert {"my_link.yaml", "my_sweep.yaml", "my_rack.yaml", "my_workload.yaml", "my_scenario.yaml"} <= names


@pytest.mark.parametrize("name, command, body", _examples())
def test_documented_example_runs(name, command, body, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(body, encoding="utf-8")
    args = shlex.split(command)
    assert args[0] == "microlink"
    result = CliRunner().invoke(app, args[1:])
    assert result.exit_code == 0, f"{command}\n{result.output}"


def test_catalog_citations_resolve_to_shipped_reference_sheets():
    import microlink

    src = Path(microlink.__file__).parent
    cited = set()
    for path in src.rglob("*"):
        if path.suffix in (".py", ".yaml"):
            cited |= set(re.findall(r"\b(links|systems_and_market)\.md (?:section )?(\d+(?:\.\d+)?)",
                                    path.read_text(encoding="utf-8")))
    assert cited
    for sheet, section in cited:
        text = (DOCS / "reference" / f"{sheet}.md").read_text(encoding="utf-8")
        major, _, minor = section.partition(".")
        heading = rf"^#+ {re.escape(section)}[ .]" if minor else rf"^## {major}\."
        numbered = rf"^{minor}\. " if minor and major == "6" else None  # links.md 6.N: item N of section 6
        assert re.search(heading, text, re.M) or (numbered and re.search(numbered, text, re.M)), (sheet, section)
