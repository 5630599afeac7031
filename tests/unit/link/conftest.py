"""Helpers shared by the link tests."""

import dataclasses

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
