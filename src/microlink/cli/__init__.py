"""Command-line interface (Typer + Rich): one module per command, shared options in :mod:`.options`."""
