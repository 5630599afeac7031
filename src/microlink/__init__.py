"""microlink: short-reach interconnect models for AI data centers.

Micro-LED co-packaged optics against copper, VCSEL and laser optics, from device physics to BER,
energy per bit, reach, rack power, cost, failures and market size.

Quick start::

    import microlink as ml
    result = ml.evaluate_link("lightbundle", reach=10.0)
    result.to_series()
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "evaluate_link", "get_parameter_set", "list_parameter_sets"]


def __getattr__(name):  # lazy top-level API keeps `import microlink` (and the CLI's --help) fast
    if name == "evaluate_link":
        from microlink.link.chain import evaluate_link

        return evaluate_link
    if name in ("get_parameter_set", "list_parameter_sets"):
        from microlink import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module 'microlink' has no attribute {name!r}")
