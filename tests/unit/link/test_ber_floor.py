"""The BER floor a result reports: the BER left with unlimited signal power, and the flag that a power margin
rests on it.

Near its reach the 100G AEC's cable segment sits a few dB of margin above a floor of residual ISI, crosstalk
and transmitter noise: at 4.78 m its BER 7.4e-5 lies over a floor of 4.5e-5, a decade under KP4's threshold
(3.6e-4), while the power margin reads 7.2 dB. 10 mm further the receiver samples one grid phase later (same
CTLE setting, slicer SNR within 0.04 dB): the floor is 3.0e-5 and the margin 8.4 dB. A margin over a near floor
moves by dB with small changes of the eye, which is what the flag says.
"""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from microlink.cli.app import app
from microlink.link.chain import evaluate_link
from microlink.link.technologies import DEFAULT_COMPARE_SETS


@pytest.mark.parametrize("name", sorted(set(DEFAULT_COMPARE_SETS) | {"aec-100g", "dac-25g-nrz", "vcsel-50g-pam4"}))
def test_the_floor_lies_under_the_ber_and_follows_the_flag(name):
    lengths = np.array([0.5, 2.0, 5.0, 30.0])
    r = evaluate_link(name, reach=lengths, solve_reach=False)
    floor, ber = np.asarray(r.ber_floor), np.asarray(r.ber)
    assert np.all(np.isfinite(floor)) and np.all(floor >= 0.0)
    assert np.all(floor <= ber * (1.0 + 1e-12))  # more power never raises the BER
    threshold = np.asarray(r.pre_fec_threshold)
    # a floor above the threshold is the one no power crosses
    np.testing.assert_array_equal(np.asarray(r.ber_floor_above_target), floor > threshold)
    # one point alone reports what it reports in the batch
    alone = evaluate_link(name, reach=float(lengths[1]), solve_reach=False)
    assert float(alone.ber_floor) == pytest.approx(float(floor[1]), rel=1e-9, abs=0.0)


def test_a_margin_of_many_db_over_a_near_floor_is_flagged():
    r = evaluate_link("aec-100g", reach=np.array([2.0, 4.78]), solve_reach=False)
    near = np.asarray(r.near_ber_floor)
    assert not near[0] and near[1]
    assert float(np.asarray(r.margin_db)[1]) > 5.0  # the power margin alone would call it robust
    point = evaluate_link("aec-100g", reach=4.78)
    assert "BER floor of 4.5e-05, within a decade of the threshold" in repr(point)
    d = point.to_dict()
    assert d["near_ber_floor"] is True and d["ber_floor"] == pytest.approx(4.487e-5, rel=1e-3, abs=0.0)
    assert "within a decade" not in repr(evaluate_link("aec-100g", reach=2.0))


def test_the_commands_say_when_the_margin_rests_on_a_floor():
    runner = CliRunner()
    out = runner.invoke(app, ["link", "--preset", "aec-100g", "--reach", "4.78 m"])
    assert out.exit_code == 0, out.output
    assert "BER floor" in out.output and "the margin rests" in " ".join(out.output.split())
    out = runner.invoke(app, ["compare", "--tech", "aec-100g", "--reach", "4.78 m"])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "Near a cliff" in text and "BER floor 4.5e-05 within a decade of the threshold" in text
    doc = json.loads(runner.invoke(app, ["link", "--preset", "aec-100g", "--reach", "4.78 m", "--format",
                                         "json"]).stdout)
    assert doc["near_ber_floor"] is True and doc["ber_floor"] == pytest.approx(4.487e-5, rel=1e-3, abs=0.0)
