"""The large-signal penalty cache never loses a point of the batch being evaluated when it overflows."""

import numpy as np

import microlink.link.microled as mled
from microlink.catalog import get_parameter_set
from microlink.rowcache import RowCache


def test_overflowing_cache_keeps_every_point_of_the_batch(monkeypatch):
    monkeypatch.setattr(mled, "_LARGE_SIGNAL_CACHE", RowCache(8))
    p = get_parameter_set("lightbundle").parameters
    first = p.replace(driver={"bias_current": np.linspace(80e-6, 120e-6, 5)})
    alone = mled.large_signal_penalty(first, 3.3e9, 5)
    # the next batch shares those five devices and adds six new ones: more than the cache holds
    both = p.replace(driver={"bias_current": np.concatenate([np.linspace(80e-6, 120e-6, 5),
                                                            np.linspace(150e-6, 300e-6, 6)])})
    pen = mled.large_signal_penalty(both, 3.3e9, 11)
    assert pen.shape == (11,) and np.all(np.isfinite(pen))
    np.testing.assert_array_equal(pen[:5], alone)
