"""Figures: signal units from the lane kind, closed eyes drawn as results, BER axes limited to the data."""

import numpy as np
import pytest
from typer.testing import CliRunner

from microlink.report.ber_plots import eye_figure, plot_ber_vs_power, signal_unit


def _eye(noise):
    """A statistical eye of a plain NRZ lane: single-pole pulse, 1 uA half swing, Gaussian noise [A]."""
    from microlink.ber.model import DecisionModel, decision_point
    from microlink.ber.statistical import statistical_eye

    sps = 16
    t = np.arange(6 * sps) / sps
    pulse = np.clip(t, 0, 1) - np.clip(t - 1, 0, 1)  # one symbol, linear edges [1]
    model = DecisionModel(pulse=pulse, samples_per_symbol=sps, symbol_rate=2e9, modulation="NRZ", amplitude=1e-6,
                          sigma_one=noise, sigma_zero=noise)
    return statistical_eye(decision_point(model))


@pytest.fixture(scope="module")
def eyes():
    return {"open": _eye(0.05e-6), "closed": _eye(0.6e-6)}


def test_signal_unit_follows_the_lane_kind():
    assert signal_unit("dac") == signal_unit("aec") == "V"
    assert signal_unit("microled") == signal_unit("vcsel") == signal_unit("siph_cpo") == "A"


def test_electrical_eye_is_labelled_in_volts(eyes):
    fig = eye_figure(eyes["open"], unit=signal_unit("dac"), target_ber=1e-12)
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert any("V]" in label for label in labels) and not any("A]" in label for label in labels)


def test_closed_eye_is_a_result_drawn_as_such(eyes):
    assert np.all(eyes["closed"].eye_height(1e-12) == 0) and np.all(eyes["open"].eye_height(1e-12) > 0)
    closed = eye_figure(eyes["closed"], unit="A", target_ber=1e-12, title="noisy lane")
    assert "closed" in closed._suptitle.get_text()
    bathtub = closed.axes[-1]  # the horizontal bathtub still spans the target line
    assert bathtub.get_ylim()[0] < 1e-12
    opened = eye_figure(eyes["open"], unit="A", target_ber=1e-12)
    assert "open" in opened._suptitle.get_text()


def test_eye_figure_is_a_legible_grid(eyes):
    fig = eye_figure(eyes["open"], unit="A", target_ber=1e-12)
    width, height = fig.get_size_inches()
    assert width >= 10 and height >= 7 and width / height < 2  # not a thin strip
    assert len([ax for ax in fig.axes if ax.get_label() != "<colorbar>"]) >= 3


def test_ber_axis_is_limited_to_the_data_and_zero_errors_are_upper_bounds():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    power = np.linspace(-30, 0, 61)
    ber = np.maximum(0.5 * np.exp(-(power + 30) ** 2 / 2.0), 1e-15)  # falls, then a floor from -21.7 dBm on
    fig, ax = plt.subplots()
    point = {"power_dbm": -22.0, "ber": 0.0, "ci_low": 0.0, "ci_high": 3.7e-6, "errors": 0, "label": "MC"}
    plot_ber_vs_power(ax, power, {"closed form": ber}, [point], target_ber=1e-12)
    low, _ = ax.get_ylim()
    assert low >= 1e-40
    x_lo, x_hi = ax.get_xlim()
    assert x_hi - x_lo < 0.6 * (power.max() - power.min())  # not spent on the flat tail
    ys = [y for line in ax.get_lines() for y in np.atleast_1d(line.get_ydata())]
    assert min(y for y in ys if y > 0) >= low
    assert any("0 errors" in t.get_text() for t in ax.get_legend().get_texts())
    plt.close(fig)


def test_link_plot_optical_and_electrical(tmp_path):
    from microlink.cli.app import app
    from microlink.link.chain import evaluate_link
    from microlink.report.link_plots import link_figure

    assert len(link_figure(evaluate_link("lightbundle")).axes) == 2
    assert len(link_figure(evaluate_link("dac-200g", reach=1.0)).axes) == 1
    runner = CliRunner()
    out = tmp_path / "link.png"
    result = runner.invoke(app, ["link", "--plot", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000
    bad = runner.invoke(app, ["link", "--plot", str(tmp_path / "link.gif")])
    assert bad.exit_code == 2 and "--plot" in bad.output
