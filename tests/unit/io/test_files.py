"""The one file reader: every unreadable file is one ConfigError naming it; strict YAML."""

from __future__ import annotations

import os
import threading

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from microlink.errors import ConfigError
from microlink.io.files import MAX_DEPTH, load_yaml, parse_mapping, read_mapping, read_text


def test_regular_utf8_file(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("\ufeffreach: 10 m\nled: {diameter: 4 µm}\n", encoding="utf-8")
    assert read_mapping(f) == {"reach": "10 m", "led": {"diameter": "4 µm"}}


@pytest.mark.parametrize(("content", "match"), [
    (b"\xff\xfer\x00e\x00", "UTF-16"),
    ("reach: 10 \xb5m\n".encode("latin-1"), "not UTF-8 text"),
    (b"\x7fELF\x02\x01\x00\x00", "binary"),
    (b"a: [1, 2\n", "cannot parse YAML"),
    (b"- 1\n- 2\n", "must hold a mapping"),
    (b"a: 1\nb: 2\na: 3\n", "line 3: duplicate key 'a'"),
    (b"a: &x [1, 2]\nb: *x\n", "aliases"),
    (b"a: " + b"[" * (MAX_DEPTH + 5) + b"]" * (MAX_DEPTH + 5) + b"\n", "nested deeper"),
    (b"a: " + b"9" * 5000 + b"\n", "cannot parse YAML"),
])
def test_bad_files_are_one_line(tmp_path, content, match):
    f = tmp_path / "bad.yaml"
    f.write_bytes(content)
    with pytest.raises(ConfigError, match=match) as info:
        read_mapping(f)
    assert "\n" not in str(info.value)


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    f = tmp_path / "bomb.yaml"
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(ConfigError, match="aliases"):
        read_mapping(f)


def test_not_regular_files(tmp_path):
    with pytest.raises(ConfigError, match="directory"):
        read_text(tmp_path)
    with pytest.raises(ConfigError, match="file not found"):
        read_text(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match="too long"):
        read_text(tmp_path / ("x" * 300 + ".yaml"))
    with pytest.raises(ConfigError, match="NUL"):
        read_text("a\x00b.yaml")
    if os.path.exists("/dev/zero"):
        with pytest.raises(ConfigError, match="not a regular file"):
            read_text("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    outcome = {}

    def attempt():
        try:
            read_text(fifo)
        except ConfigError as exc:
            outcome["error"] = str(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive() and "not a regular file" in outcome["error"]


def test_size_limit(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_bytes(b"a: 1\n" + b"#" * 2000)
    with pytest.raises(ConfigError, match="at most 1,000 bytes"):
        read_text(f, max_bytes=1000)


def test_toml(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text('reach = "10 m"\n[led]\ndiameter = "4 um"\n')
    assert read_mapping(f) == {"reach": "10 m", "led": {"diameter": "4 um"}}
    f.write_text('a = 1\na = 2\n')
    with pytest.raises(ConfigError, match="cannot parse TOML"):
        read_mapping(f)


keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
                    st.floats(allow_nan=False, allow_infinity=False))
documents = st.dictionaries(keys, st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                                               | st.dictionaries(keys, inner, max_size=4), max_leaves=12),
                            max_size=6)


@settings(max_examples=200, deadline=500)
@given(documents)
def test_what_is_written_is_what_is_read(doc):
    # written as microlink writes YAML (calibrate.led): PyYAML's default escapes non-ASCII text. With
    # allow_unicode=True its emitter puts a NEL (U+0085) raw into a single-quoted scalar, where any YAML reader
    # folds it to a space, so that writer cannot round-trip such text at all.
    assert parse_mapping(yaml.safe_dump(doc), source="t") == doc


@settings(max_examples=300, deadline=500)
@given(st.binary(max_size=300))
def test_any_bytes_are_a_mapping_or_one_config_error(tmp_path_factory, data):
    f = tmp_path_factory.mktemp("fuzz") / "x.yaml"
    f.write_bytes(data)
    try:
        out = read_mapping(f)
    except ConfigError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(out, dict)


def test_load_yaml_names_its_source():
    with pytest.raises(ConfigError, match="^spec: s.yaml: line 2: duplicate key"):
        load_yaml("a: 1\na: 2\n", source="spec: s.yaml")
