"""The stacked power figure renders a stored comparison."""

import json

import pytest

from microlink.errors import ParameterError
from microlink.rack.cluster import load_system
from microlink.rack.system import compare
from microlink.rack.testing import stub_catalog
from microlink.report.rack_plots import power_figure, save_power_figure


def test_figure_from_stored_json(tmp_path):
    with stub_catalog(only=True):
        doc = json.loads(json.dumps(compare(load_system("nvl576"), baseline="copper").to_dict(), default=str))
    fig = power_figure(doc)
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 5  # baseline + 3 technologies + mix
    path = save_power_figure(doc, tmp_path / "p.svg")
    assert path.exists() and path.stat().st_size > 1000
    with pytest.raises(ParameterError, match="--plot"):
        save_power_figure(doc, tmp_path / "p.txt")
