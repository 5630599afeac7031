"""The one reader of user files: size and depth limits, encodings, non-regular files, strict YAML.

Every configuration, sweep spec, rack topology, workload or scenario file goes through :func:`read_text`
(and :func:`read_mapping` / :func:`load_yaml` for structured files), so that each failure is one
:class:`~microlink.errors.ConfigError` naming the file and the reason:

* missing files, directories, FIFOs, sockets and devices (``/dev/zero``) are refused before they are read
  (opening is non-blocking, so a FIFO swapped in after the check cannot hang the program);
* at most :data:`MAX_FILE_BYTES` are read; a larger file is refused;
* text must be UTF-8 (a byte-order mark is allowed); NUL bytes mark a binary file;
* YAML is parsed by a safe loader that refuses aliases (``*name``: the expansion behind "billion laughs"),
  duplicate keys (which would otherwise keep the last value silently), nesting deeper than
  :data:`MAX_DEPTH` and more than :data:`MAX_NODES` nodes.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

from microlink.errors import ConfigError

__all__ = ["MAX_FILE_BYTES", "MAX_DEPTH", "MAX_NODES", "read_text", "load_yaml", "load_toml", "read_mapping",
           "parse_mapping"]

#: Largest file read [bytes]; link, sweep, rack and scenario files are a few kB.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Deepest nesting of mappings and lists in a structured file [levels].
MAX_DEPTH = 32
#: Most nodes (scalars, mappings, lists) in one YAML document.
MAX_NODES = 200_000


def _name(path: Path) -> str:
    """A file name for messages: short, with odd characters escaped."""
    text = str(path)
    if len(text) > 120:
        text = "..." + text[-117:]
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def read_text(path: Any, *, what: str = "file", max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a user's text file as UTF-8 [str], refusing anything that is not a small regular text file.

    Parameters
    ----------
    path : str or Path
    what : str
        What the file is, for messages (``"config"``, ``"sweep spec"``, ``"--system"``).
    max_bytes : int
        Largest size accepted [bytes].
    """
    if isinstance(path, str) and not path.strip():
        raise ConfigError(f"{what}: empty file name")
    if isinstance(path, str) and "\x00" in path:
        raise ConfigError(f"{what}: file name contains a NUL character")
    path = Path(path)
    name = _name(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ConfigError(f"{what}: file not found: {name}") from None
    except OSError as exc:
        raise ConfigError(f"{what}: cannot read {name}: {_reason(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigError(f"{what}: {name} is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{what}: {name} is not a regular file (a FIFO, socket or device cannot be read)")
    if info.st_size > max_bytes:
        raise ConfigError(f"{what}: {name} is {info.st_size:,} bytes; allowed: at most {max_bytes:,} bytes")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise ConfigError(f"{what}: cannot read {name}: {_reason(exc)}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the check and the open
            raise ConfigError(f"{what}: {name} is not a regular file")
        chunks, size = [], 0
        while size <= max_bytes:
            block = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not block:
                break
            chunks.append(block)
            size += len(block)
    except OSError as exc:
        raise ConfigError(f"{what}: cannot read {name}: {_reason(exc)}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise ConfigError(f"{what}: {name} is larger than {max_bytes:,} bytes")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigError(f"{what}: {name} is UTF-16 text; allowed: UTF-8")
    if b"\x00" in data:
        raise ConfigError(f"{what}: {name} is a binary file (it contains NUL bytes); allowed: UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what}: {name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                          f"{exc.start}); save it as UTF-8") from None


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return exc.strerror or type(exc).__name__


# ------------------------------------------------------------------------------------------------ YAML
class _Refused(Exception):
    """A YAML construct the strict loader does not accept (message ready for the user)."""


def _strict_loader():
    import yaml

    class StrictLoader(yaml.SafeLoader):
        """Safe loader without aliases or duplicate keys, with depth and size limits."""

        def __init__(self, stream):
            super().__init__(stream)
            self._depth = 0
            self._nodes = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise _Refused(f"line {mark.line + 1}: aliases ('*name') are not allowed; write the value out")
            self._nodes += 1
            if self._nodes > MAX_NODES:
                raise _Refused(f"more than {MAX_NODES:,} values")
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    mark = self.peek_event().start_mark
                    raise _Refused(f"line {mark.line + 1}: nested deeper than {MAX_DEPTH} levels")
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                self.flatten_mapping(node)
                seen: dict[Any, int] = {}
                for key_node, _ in node.value:
                    key = self.construct_object(key_node, deep=True)
                    try:
                        hash(key)
                    except TypeError:
                        raise _Refused(f"line {key_node.start_mark.line + 1}: a key must be a plain value") from None
                    line = key_node.start_mark.line + 1
                    if key in seen:
                        raise _Refused(f"line {line}: duplicate key {key!r} (first given on line {seen[key]})")
                    seen[key] = line
            return super().construct_mapping(node, deep)

    return StrictLoader


_LOADER = None


def load_yaml(text: str, *, source: str = "<text>") -> Any:
    """Parse YAML text with the strict safe loader (see module docstring); errors name ``source``."""
    global _LOADER
    import yaml

    if _LOADER is None:
        _LOADER = _strict_loader()
    loader = None
    try:
        loader = _LOADER(text)  # the reader checks the characters here already
        return loader.get_single_data()
    except _Refused as exc:
        raise ConfigError(f"{source}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{source}: cannot parse YAML: {where}{problem}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. an int of 5,000 digits
        raise ConfigError(f"{source}: cannot parse YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    finally:
        if loader is not None:
            loader.dispose()


def load_toml(text: str, *, source: str = "<text>") -> dict:
    """Parse TOML text (duplicate keys are already an error in TOML); errors name ``source``."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        raise ConfigError(f"{source}: cannot parse TOML: {str(exc).splitlines()[0]}") from None
    _check_depth(data, source)
    return data


def _check_depth(obj: Any, source: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ConfigError(f"{source}: nested deeper than {MAX_DEPTH} levels")
    if isinstance(obj, dict):
        for v in obj.values():
            _check_depth(v, source, depth + 1)
    elif isinstance(obj, list):
        for v in obj:
            _check_depth(v, source, depth + 1)


def parse_mapping(text: str, *, source: str, toml: bool = False) -> dict:
    """YAML (default) or TOML text holding a mapping; an empty document is an empty mapping."""
    data = load_toml(text, source=source) if toml else load_yaml(text, source=source)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: must hold a mapping of keys to values (got {type(data).__name__})")
    for key in data:
        if not isinstance(key, str):
            raise ConfigError(f"{source}: key {key!r} must be text")
    return data


def read_mapping(path: Any, *, what: str = "config", max_bytes: int = MAX_FILE_BYTES) -> dict:
    """Read a YAML or TOML file (by suffix: ``.toml`` is TOML, anything else YAML) holding a mapping."""
    path = Path(path)
    text = read_text(path, what=what, max_bytes=max_bytes)
    return parse_mapping(text, source=f"{what}: {_name(Path(path.name))}", toml=path.suffix.lower() == ".toml")
