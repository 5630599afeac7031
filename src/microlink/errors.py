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
        super().__init__(f"{field}: got {value!r}; allowed: {allowed}")


class ConfigError(MicrolinkError, ValueError):
    """A configuration file or option could not be read or validated."""
