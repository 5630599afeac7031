"""Market figures render a computed result to a file."""

import pytest

from microlink.errors import ParameterError
from microlink.market import MarketAssumptions, forecast, run_scenario
from microlink.report.market_plots import fan_chart, market_figure, save_market_figure, tornado_chart


@pytest.fixture(scope="module")
def result():
    return run_scenario("base", samples=200, seed=3)


def test_save_png(result, tmp_path):
    path = save_market_figure(result, tmp_path / "market.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_figure_has_fan_and_tornado(result):
    fig = market_figure(result)
    assert len(fig.axes) == 2
    assert "2030" in fig.axes[1].get_title()


def test_without_bands_or_tornado(tmp_path):
    plain = forecast(MarketAssumptions())
    assert len(market_figure(plain).axes) == 1
    with pytest.raises(ParameterError, match="sensitivity"):
        tornado_chart(plain)
    fan_chart(plain)


def test_bad_file_name(result, tmp_path):
    with pytest.raises(ParameterError, match="--plot"):
        save_market_figure(result, tmp_path / "market.txt")
    with pytest.raises(ParameterError, match="existing directory"):
        save_market_figure(result, tmp_path / "missing" / "market.png")
