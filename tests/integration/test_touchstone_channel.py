"""Touchstone channels for copper links: files round-trip, the file path agrees with the analytic path on the
project's own exported channel, crosstalk from the file is used, and the CLI takes --channel."""

import dataclasses
import json

import numpy as np
import pytest
from typer.testing import CliRunner

pytest.importorskip("skrf")

import microlink as ml  # noqa: E402
from microlink.catalog import get_parameter_set  # noqa: E402
from microlink.channels.measured import TabulatedChannel  # noqa: E402
from microlink.cli.app import app  # noqa: E402
from microlink.errors import ConfigError  # noqa: E402
from microlink.io.touchstone import read_channel, write_channel  # noqa: E402
from microlink.link.copper import analytic_channel  # noqa: E402

runner = CliRunner()
FREQUENCY = np.concatenate([[10e6], np.arange(0.5e9, 120e9 + 1.0, 0.5e9)])
RATE = 1.6e12


def from_file(path, **kw):
    return TabulatedChannel(**dataclasses.asdict(read_channel(path, **kw)))


@pytest.mark.parametrize("suffix", [".s2p", ".s4p"])
def test_written_channel_reads_back(tmp_path, suffix):
    il = 0.4 * np.sqrt(FREQUENCY / 1e9) + 0.25 * FREQUENCY / 1e9
    rl = np.full(FREQUENCY.shape, 18.0)
    path = write_channel(tmp_path / f"c{suffix}", FREQUENCY, il, rl)
    data = read_channel(path)
    np.testing.assert_allclose(data.frequency, FREQUENCY)
    np.testing.assert_allclose(data.insertion_loss_db, il, atol=1e-6)
    np.testing.assert_allclose(data.return_loss_near_db, rl, atol=1e-6)
    assert data.next_db is None and data.fext_db is None


def test_port_order_matters_for_a_four_port(tmp_path):
    il = np.full(FREQUENCY.shape, 10.0)
    path = write_channel(tmp_path / "c.s4p", FREQUENCY, il)
    assert np.allclose(read_channel(path).insertion_loss_db, 10.0, atol=1e-6)
    assert np.all(read_channel(path, port_order="1-2,3-4").insertion_loss_db > 100.0)  # no through that way


def test_eight_port_crosstalk_is_read(tmp_path):
    import skrf

    n = FREQUENCY.size
    s = np.zeros((n, 8, 8), dtype=complex)  # mixed mode: d0 d1 victim near/far, d2 d3 aggressor near/far
    thru, nxt, fxt = 10 ** (-12 / 20), 10 ** (-35 / 20), 10 ** (-45 / 20)
    for a, b in ((0, 1), (2, 3), (4, 5), (6, 7)):
        s[:, a, b] = s[:, b, a] = thru
    s[:, 1, 3] = s[:, 3, 1] = nxt
    s[:, 1, 2] = s[:, 2, 1] = fxt
    net = skrf.Network(frequency=skrf.Frequency.from_f(FREQUENCY, unit="hz"), s=s,
                       z0=np.array([100.0] * 4 + [25.0] * 4))
    net.gmm2se(p=4, z0_se=50.0)
    net.write_touchstone(str(tmp_path / "xt"), skrf_comment=False)
    data = read_channel(tmp_path / "xt.s8p")
    np.testing.assert_allclose(data.insertion_loss_db, 12.0, atol=1e-6)
    np.testing.assert_allclose(data.next_db, -35.0, atol=1e-6)
    np.testing.assert_allclose(data.fext_db, -45.0, atol=1e-6)
    # strong NEXT from the file closes the eye more than the analytic allocation does
    link = get_parameter_set("dac-200g").parameters
    own = analytic_channel(link, 1.0, FREQUENCY)
    quiet = ml.evaluate_link(link, aggregate_rate=RATE, reach=1.0, solve_reach=False, channel=own)
    loud = ml.evaluate_link(link, aggregate_rate=RATE, reach=1.0, solve_reach=False,
                            channel=dataclasses.replace(own, next_db=np.full(FREQUENCY.shape, -25.0)))
    assert loud.extras["eye_height_at_der"] < quiet.extras["eye_height_at_der"]
    assert loud.ber > quiet.ber


@pytest.mark.parametrize("length", [0.5, 1.0])
def test_touchstone_path_agrees_with_the_analytic_path(tmp_path, length):
    """The project's own channel, exported and read back: eye height and margin within 0.5 dB."""
    link = get_parameter_set("dac-200g").parameters
    own = analytic_channel(link, length, FREQUENCY)
    path = write_channel(tmp_path / "own.s4p", FREQUENCY, own.insertion_loss_db, own.return_loss_near_db)
    analytic = ml.evaluate_link("dac-200g", aggregate_rate=RATE, reach=length, solve_reach=False)
    tabled = ml.evaluate_link("dac-200g", aggregate_rate=RATE, reach=length, solve_reach=False,
                              channel=from_file(path))
    a, b = analytic.extras, tabled.extras
    assert float(a["eye_height_at_der"]) > 0 and float(b["eye_height_at_der"]) > 0
    assert abs(20 * np.log10(float(b["eye_height_at_der"]) / float(a["eye_height_at_der"]))) < 0.5
    assert abs(float(b["com_db"]) - float(a["com_db"])) < 0.5
    assert float(b["channel_loss_at_nyquist_db"]) == pytest.approx(float(a["channel_loss_at_nyquist_db"]), abs=0.01)
    assert 0 < float(b["channel_data_coverage"]) < 1  # the file stops at 120 GHz, the grid goes further


def test_figure_of_merit_sign_follows_the_eye():
    for length in (0.5, 1.0, 1.5, 2.0):
        r = ml.evaluate_link("dac-200g", aggregate_rate=RATE, reach=length, solve_reach=False)
        assert (float(r.extras["com_db"]) > 0) == (float(r.extras["eye_height_at_der"]) > 0)
    longer = [float(ml.evaluate_link("dac-200g", aggregate_rate=RATE, reach=x, solve_reach=False).extras["com_db"])
              for x in (0.5, 1.0, 1.5)]
    assert longer[0] > longer[1] > longer[2]


def test_unreadable_files_are_config_errors(tmp_path):
    bad = tmp_path / "bad.s4p"
    bad.write_text("this is not touchstone\n")
    with pytest.raises(ConfigError, match="bad.s4p"):
        read_channel(bad)
    with pytest.raises(ConfigError, match="allowed"):
        read_channel(tmp_path / "c.txt")
    with pytest.raises(ConfigError, match="--channel-ports"):
        read_channel(bad, port_order="2-1")


def test_cli_link_with_channel(tmp_path):
    link = get_parameter_set("dac-200g").parameters
    own = analytic_channel(link, 1.0, FREQUENCY)
    path = write_channel(tmp_path / "own.s4p", FREQUENCY, own.insertion_loss_db, own.return_loss_near_db)
    result = runner.invoke(app, ["link", "--preset", "dac-200g", "--channel", str(path), "--reach", "1 m",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["meta"]["inputs"]["channel"] == str(path)
    analytic = ml.evaluate_link("dac-200g", aggregate_rate=doc["aggregate_rate_bps"], reach=1.0, solve_reach=False)
    assert doc["com_db"] == pytest.approx(float(analytic.extras["com_db"]), abs=0.5)
    for args in (["--preset", "lightbundle", "--channel", str(path)],
                 ["--preset", "dac-200g", "--channel", str(tmp_path / "absent.s4p")],
                 ["--preset", "dac-200g", "--channel", str(path), "--uncertainty", "8"]):
        result = runner.invoke(app, ["link", *args])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output


def test_example_touchstone_file_is_the_projects_own_channel():
    from pathlib import Path

    example = Path(__file__).parents[2] / "examples" / "dac-200g-1m.s4p"
    data = read_channel(example)
    own = analytic_channel(get_parameter_set("dac-200g").parameters, 1.0, data.frequency)
    np.testing.assert_allclose(data.insertion_loss_db, own.insertion_loss_db, atol=1e-4)
