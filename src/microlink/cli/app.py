"""The ``microlink`` command.

Each command lives in its own module exposing ``main``; the modules import only Typer at import time and
load the heavy physics inside ``main`` so that ``--help`` starts fast. Errors raised on purpose
(:class:`~microlink.errors.MicrolinkError`) end the program with exit code 2 and one line on stderr.
"""

from __future__ import annotations

import functools
import importlib
import sys
from typing import Optional

import typer

from microlink import __version__
from microlink.errors import MicrolinkError

app = typer.Typer(
    name="microlink",
    help="Short-reach interconnect models for AI data centers: micro-LED CPO vs copper and laser optics.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: (command name, module under microlink.cli) in the order shown by --help.
COMMANDS: list[tuple[str, str]] = [
    ("link", "link"),
    ("catalog", "catalog"),
    ("market", "market"),
    ("compare", "compare"),
    ("rack", "rack"),
    ("cluster", "cluster"),
    ("eye", "eye"),
    ("ber", "ber"),
    ("sweep", "sweep"),
    ("results", "results"),
]

EXIT_BAD_INPUT = 2


def _guard(func):
    """Turn deliberate errors into one red line and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except MicrolinkError as exc:
            from rich.console import Console

            Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except KeyboardInterrupt:
            from rich.console import Console

            Console(stderr=True).print("[yellow]interrupted[/]")
            raise typer.Exit(130) from None

    return wrapper


def _version_callback(value: bool):
    if value:
        typer.echo(f"microlink {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(
        None, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
    ),
):
    """Short-reach interconnect models for AI data centers."""


for _name, _module in COMMANDS:
    _mod = importlib.import_module(f"microlink.cli.{_module}")
    if isinstance(_mod.main, typer.Typer):  # a command with subcommands (e.g. `results list|show|...`)
        app.add_typer(_mod.main, name=_name)
        continue
    app.command(_name, help=_mod.main.__doc__)(_guard(_mod.main))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="microlink")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
