"""``microlink catalog``: list parameter sets, or show one with the source of every value."""

from __future__ import annotations

from typing import Optional

import typer

from microlink.cli.options import FormatOption, OutputFormat


def main(
    name: Optional[str] = typer.Argument(None, help="Show this parameter set in full."),
    assumptions: bool = typer.Option(False, "--assumptions", help="Only the values that rest on assumptions."),
    fmt: OutputFormat = FormatOption,
):
    """List the named parameter sets with their citations, or trace every value of one to its source."""
    from rich.console import Console
    from rich.table import Table

    from microlink.catalog import get_parameter_set, list_parameter_sets
    from microlink.cli.options import print_document, run_meta
    from microlink.cli.render import table_style

    console = Console()
    meta = run_meta(inputs={"name": name, "assumptions": assumptions})
    if name is None:
        sets = [get_parameter_set(n) for n in list_parameter_sets()]
        if fmt != OutputFormat.table:
            print_document([{"name": s.name, "technology": s.technology, "title": s.title, "citation": s.citation}
                            for s in sets], fmt, meta)
            return
        t = Table(title="microlink parameter sets", **table_style(console))
        for col in ("name", "technology", "title", "built from"):
            t.add_column(col, overflow="fold")
        for s in sets:
            t.add_row(s.name, s.technology, s.title, s.citation)
        console.print(t)
        return
    s = get_parameter_set(name)
    rows = [(k, v, src) for k, v, src in s.rows() if not assumptions or src.kind == "assumption"]
    if fmt != OutputFormat.table:
        parameters = [{"field": k, "value": v, "source": src.citation, "kind": src.kind, "note": src.note}
                      for k, v, src in rows]
        doc = {"name": s.name, "technology": s.technology, "title": s.title, "citation": s.citation,
               "parameters": parameters}
        print_document(doc if fmt == OutputFormat.json else {"rows": parameters}, fmt, meta)
        return
    t = Table(title=f"{s.name}: {s.title}", caption=s.citation, **table_style(console))
    t.add_column("field", style="cyan", no_wrap=True)
    t.add_column("value", justify="right", no_wrap=True)
    t.add_column("kind")
    t.add_column("source", overflow="fold")
    for k, v, src in rows:
        style = "yellow" if src.kind == "assumption" else ""
        t.add_row(k, v, f"[{style}]{src.kind}[/]" if style else src.kind,
                  src.citation + (f" -- {src.note}" if src.note else ""))
    console.print(t)
