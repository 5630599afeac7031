"""Exceptions raised for bad input.

Every error names the field, the value that was given and what is allowed, so that a command-line user
sees one clear line and a library user can catch one exception type.
"""

from __future__ import annotations


class MicrolinkError(Exception):
    """Base class of every error this package raises on purpose."""


class ParameterError(MicrolinkError, ValueError):
    """A parameter value is out of its allowed range or of the wrong kind.

    Parameters
    ----------
    field : str
        Dotted name of the parameter, e.g. ``"led.diameter"``.
    value : object
        The offending value as given.
    allowed : str
        Human-readable description of what is allowed, e.g. ``"0.5 um .. 200 um"``.
    """

    def __init__(self, field: str, value: object, allowed: str):
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: got {shown_value(value)}; allowed: {allowed}")


#: Longest rendering of an offending value in a message [characters].
MAX_VALUE_CHARS = 80


def shown_value(value: object) -> str:
    """``repr(value)`` cut to :data:`MAX_VALUE_CHARS` (a 100,000-digit number stays one readable line)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails is still reported
        text = f"<{type(value).__name__}>"
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 15] + "..." + text[-12:]
    return text


class ConfigError(MicrolinkError, ValueError):
    """A configuration file or option could not be read or validated."""
