"""BER figures: they draw computed results and save them."""

import numpy as np
import pytest

from microlink.ber.model import DecisionModel
from microlink.ber.montecarlo import eye_density
from microlink.ber.statistical import statistical_eye
from microlink.errors import ParameterError
from microlink.report.ber_plots import ber_figure, display_scale, eye_figure, save_figure

MODEL = DecisionModel.from_cursors([0.05, 1.0, 0.2, -0.05], modulation="PAM4", amplitude=1e-6, sigma_one=3e-8)


def test_eye_figure_with_density(tmp_path):
    eye = statistical_eye(MODEL, phases_per_ui=16)
    dens = eye_density(MODEL, n_symbols=500, seed=1)
    path = save_figure(eye_figure(eye, dens, target_ber=1e-12, title="test"), tmp_path / "eye.png")
    assert path.stat().st_size > 10_000


def test_ber_vs_power_figure(tmp_path):
    p = np.linspace(-25, -15, 11)
    curves = {"statistical": 10.0 ** (-(p + 26)), "closed form": 10.0 ** (-(p + 26.1))}
    pts = [{"power_dbm": -20.0, "ber": 1e-6, "ci_low": 8e-7, "ci_high": 1.2e-6, "label": "monte carlo"}]
    path = save_figure(ber_figure(p, curves, pts, target_ber=1e-12), tmp_path / "ber.svg")
    assert path.exists()


def test_display_scale_and_bad_names(tmp_path):
    assert display_scale(np.array([2e-6]), "A") == (1e-6, "µA")
    eye = statistical_eye(MODEL, phases_per_ui=8)
    with pytest.raises(ParameterError, match="--plot"):
        save_figure(eye_figure(eye), tmp_path / "eye.bmp")
    with pytest.raises(ParameterError, match="--plot"):
        save_figure(eye_figure(eye), tmp_path / "missing" / "eye.png")
