"""Helpers shared by the link tests."""

import dataclasses

import numpy as np

import pytest


def _leaves(name, value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(f"{name}.{k}", v)
    else:
        yield name, value


def _result_fields(result):
    """``{name: value}`` of every leaf of a LinkResult (nested dicts flattened with ``.``)."""
    out = {}
    for f in dataclasses.fields(result):
        out.update(_leaves(f.name, getattr(result, f.name)))
    return out


@pytest.fixture
def result_fields():
    """:func:`_result_fields`, to compare results field by field."""
    return _result_fields


def _assert_batch_point(single, batch, i, label, reach_rtol=1e-9):
    """Every leaf of a single-point result equals point ``i`` of a batch result: to rounding (1e-9), the
    maximum reach to ``reach_rtol`` (two root solves, each within the solver's tolerance of the root)."""
    one, fields = _result_fields(single), _result_fields(batch)
    assert one.keys() == fields.keys(), label
    for key, a in one.items():
        b = fields[key]
        if a is None or isinstance(a, str):
            assert a == b, (label, key)
            continue
        b = np.asarray(b)
        b = b[i] if b.ndim else b
        if np.asarray(a).dtype.kind == "b":
            assert bool(a) == bool(b), (label, key)
        else:
            rtol = reach_rtol if key == "max_reach" else 1e-9
            assert float(a) == pytest.approx(float(b), rel=rtol, abs=1e-300), (label, key)


@pytest.fixture
def assert_batch_point():
    """:func:`_assert_batch_point`: a batch's point ``i`` is the single-point result, every field."""
    return _assert_batch_point


@pytest.fixture
def run_flat_sizes(monkeypatch):
    """The sizes of the flat requests ``chain._run_flat`` runs during the test (a spy that still runs them)."""
    from microlink.link import chain

    sizes = []
    run_flat = chain._run_flat

    def spy(link, request, *args):
        sizes.append(request.size)
        return run_flat(link, request, *args)

    monkeypatch.setattr(chain, "_run_flat", spy)
    return sizes
