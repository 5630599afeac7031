"""The ``microlink`` command.

Each command lives in its own module exposing ``main``; the modules import only Typer at import time and
load the heavy physics inside ``main`` so that ``--help`` starts fast (help is plain text: no Rich on that path).
Every command runs inside one guard:

* errors raised on purpose (:class:`~microlink.errors.MicrolinkError`) and operating-system errors on the
  user's files end the program with exit code 2 and one line on stderr naming the field or file;
* anything else is a fault of the program: exit code 1 and one line asking for a report, with the
  traceback only under ``--debug`` (or ``MICROLINK_DEBUG=1``);
* the line is printed as plain text (user text can never be taken for Rich markup), control characters
  escaped, so it stays one line;
* a closed or full stdout ends the program with one line on stderr, not a traceback at exit.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from typing import Optional

import typer

from microlink import __version__
from microlink.errors import MicrolinkError

app = typer.Typer(
    name="microlink",
    help="Short-reach interconnect models for AI data centers: micro-LED CPO vs copper and laser optics.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
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
    ("report", "report"),
    ("calibrate", "calibrate"),
]

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1
EXIT_INTERRUPTED = 130
#: Longest error line printed [characters]; the rest is cut with an ellipsis.
MAX_ERROR_CHARS = 2000

_DEBUG = {"on": os.environ.get("MICROLINK_DEBUG", "") not in ("", "0")}


def one_line(text: str) -> str:
    """``text`` as one printable line: control, format and bidi characters escaped, length bounded."""
    out = "".join(c if (c.isprintable() or c == " ") else c.encode("unicode_escape").decode("ascii")
                  for c in str(text))
    return out if len(out) <= MAX_ERROR_CHARS else out[: MAX_ERROR_CHARS - 3] + "..."


def print_error(message: str, *, label: str = "error") -> None:
    """Write ``label: message`` as one plain line to stderr, whatever its encoding (never raises)."""
    line = f"{label}: {one_line(message)}\n"
    stream = sys.stderr
    try:
        if stream is None:
            return
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(line.encode(encoding, "backslashreplace").decode(encoding, "replace"))
        stream.flush()
    except (OSError, ValueError, LookupError):
        pass


def _os_error_message(exc: OSError) -> str:
    import errno

    what = exc.filename if exc.filename is not None else "output"
    reason = exc.strerror or type(exc).__name__
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT if hasattr(errno, "EDQUOT") else -1):
        reason += " (the disk is full or the file is over its size limit)"
    return f"{what}: {reason}"


def _stdout_closed() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _handle(exc: BaseException) -> int:
    """Exit code for an exception escaping a command, after printing its one line."""
    import errno

    if isinstance(exc, MicrolinkError):
        print_error(str(exc))
        return EXIT_BAD_INPUT
    if isinstance(exc, KeyboardInterrupt):
        print_error("stopped by the user", label="interrupted")
        return EXIT_INTERRUPTED
    if isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE):
        _stdout_closed()
        return EXIT_INTERNAL
    if isinstance(exc, OSError) and exc.errno is not None:
        if exc.filename is None:
            _stdout_closed()
        print_error(_os_error_message(exc))
        return EXIT_BAD_INPUT
    if isinstance(exc, MemoryError):
        print_error("out of memory; reduce the size of the request (points, bits, symbols)")
        return EXIT_BAD_INPUT
    if _DEBUG["on"]:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    print_error(f"{type(exc).__name__}: {exc}" + ("" if _DEBUG["on"] else " (run with --debug for the traceback)"),
                label="internal error, please report")
    return EXIT_INTERNAL


@functools.lru_cache(maxsize=1)
def _command_line_exceptions() -> tuple[type[BaseException], ...]:
    """Exceptions the command-line framework turns into its own exit (usage errors, Exit, Abort)."""
    try:
        from typer._click.exceptions import ClickException
    except ImportError:  # typer versions that use click itself
        from click import ClickException
    return (typer.Exit, typer.Abort, ClickException, SystemExit)


#: Commands that evaluate a handful of design points: they run the NumPy engine (:mod:`microlink.kernels`),
#: whose kernels cost nothing to load, unless asked for uncertainty bands (hundreds of evaluations) or
#: ``MICROLINK_ENGINE`` names an engine. The others (sweeps, Monte Carlo BER, and the statistical eye, whose
#: interferer distribution is compiled either way) run the compiled kernels.
SINGLE_SHOT_COMMANDS = frozenset({"link", "compare", "rack", "cluster", "market", "report"})


def _engine_for(command: str, kwargs: dict) -> str:
    from microlink import kernels

    chosen = kernels.environment_engine()
    if chosen is not None:
        return chosen
    if command in SINGLE_SHOT_COMMANDS and not kwargs.get("uncertainty"):
        return "numpy"
    return "compiled"


def _guard(func, command: str = ""):
    """Run a command: every exception becomes one line and an exit code (see module docstring)."""
    passed = _command_line_exceptions()

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            from microlink import kernels

            with kernels.use_engine(_engine_for(command, kwargs)):
                return func(*args, **kwargs)
        except passed:
            raise
        except BaseException as exc:  # noqa: BLE001 - the one boundary where every failure becomes a line
            raise typer.Exit(_handle(exc)) from None

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
    debug: bool = typer.Option(False, "--debug", help="Print the traceback of an internal error."),
):
    """Short-reach interconnect models for AI data centers."""
    if debug:
        _DEBUG["on"] = True


for _name, _module in COMMANDS:
    _mod = importlib.import_module(f"microlink.cli.{_module}")
    if isinstance(_mod.main, typer.Typer):  # a command with subcommands (e.g. `results list|show|...`)
        for _info in _mod.main.registered_commands:
            _info.callback = _guard(_info.callback)
        app.add_typer(_mod.main, name=_name)
        continue
    app.command(_name, help=_mod.main.__doc__)(_guard(_mod.main, _name))


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="microlink")
    except SystemExit as done:
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            _stdout_closed()
            if done.code in (0, None):
                print_error("output: cannot write to stdout (closed or full)")
                raise SystemExit(EXIT_BAD_INPUT) from None
        raise
    except BaseException as exc:  # noqa: BLE001 - failures outside a command (option parsing, start-up)
        raise SystemExit(_handle(exc)) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
