"""microlink: short-reach interconnect models for AI data centers.

Micro-LED co-packaged optics against copper, VCSEL and laser optics, from device physics to BER,
energy per bit, reach, rack power, cost, failures and market size.

Quick start::

    import microlink as ml
    result = ml.evaluate_link("lightbundle", reach=10.0)
    result.to_series()
    ml.compare_links(["lightbundle", "dac-200g"], reach=[1, 5, 10])   # xarray.Dataset
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "compare_links", "evaluate_link", "get_parameter_set", "list_parameter_sets"]

#: Subpackages reachable as attributes (``ml.devices.MicroLED``), imported on first use.
_SUBPACKAGES = ("ber", "catalog", "channels", "comparison", "devices", "io", "kernels", "link", "market", "rack",
                "report", "sweep", "units")


def __getattr__(name):  # lazy top-level API keeps `import microlink` (and the CLI's --help) fast
    if name == "evaluate_link":
        from microlink.link.chain import evaluate_link

        return evaluate_link
    if name == "compare_links":
        from microlink.comparison import compare_links

        return compare_links
    if name in _SUBPACKAGES:
        import importlib

        return importlib.import_module(f"microlink.{name}")
    if name in ("get_parameter_set", "list_parameter_sets"):
        from microlink import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module 'microlink' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | set(_SUBPACKAGES))
