"""`--uncertainty N` of `microlink link`, `compare` and `rack` end to end: bands, seeds, ranges, P(feasible)."""

import json

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def doc_of(*args):
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _ordered(d, metric):
    return d[f"{metric}_p10"] <= d[f"{metric}_p50"] <= d[f"{metric}_p90"]


def _without_timing(d):
    """A JSON document less its wall-clock fields (the only part a seed does not fix)."""
    if isinstance(d, dict):
        return {k: _without_timing(v) for k, v in d.items() if k != "seconds"}
    if isinstance(d, list):
        return [_without_timing(v) for v in d]
    return d


# ------------------------------------------------------------------------------------------------ link


@pytest.mark.slow
def test_link_uncertainty_256_with_tornado_has_the_bands_seed_and_tornado():
    d = doc_of("link", "--uncertainty", 256, "--tornado", "--seed", 11)
    for key in ("max_reach_m_p10", "max_reach_m_p50", "max_reach_m_p90", "p_feasible", "seed"):
        assert key in d, key
    assert _ordered(d, "max_reach_m") and _ordered(d, "energy_per_bit_pj") and _ordered(d, "margin_db")
    assert d["seed"] == 11 and d["samples"] == 256 and 0.0 <= d["p_feasible"] <= 1.0
    assert d["ranges"] and d["tornado"]
    for entry in d["tornado"]:
        assert entry["field"] in d["ranges"]
        assert entry["low"] <= entry["point"] <= entry["high"]
        for side in ("at_low", "at_high"):
            assert set(entry[side]) == {"max_reach_m", "margin_db", "energy_per_bit_pj"}


def test_link_bands_repeat_for_one_seed_and_move_with_another():
    a = doc_of("link", "--uncertainty", 16, "--seed", 3)
    b = doc_of("link", "--uncertainty", 16, "--seed", 3)
    c = doc_of("link", "--uncertainty", 16, "--seed", 4)
    assert _without_timing(a) == _without_timing(b)
    assert a["seed"] == 3 and c["seed"] == 4
    keys = [k for k in a if k.endswith(("_p10", "_p90"))]
    assert any(a[k] != c[k] for k in keys)


# ------------------------------------------------------------------------------------------------ compare

COMPARE = ("compare", "--reach", "0.5,1,2 m", "--tech", "dac-200g", "--tech", "aec-100g")


@pytest.fixture(scope="module")
def compare_doc():
    return doc_of(*COMPARE, "--uncertainty", 8, "--seed", 5)


def test_compare_json_carries_bands_seed_and_ranges(compare_doc):
    d = compare_doc
    assert d["meta"]["seed"] == 5 and d["meta"]["inputs"]["uncertainty"] == 8
    u = d["uncertainty"]
    assert u["seed"] == 5 and u["samples"] == 8 and u["sampling"] == "latin-hypercube"
    assert u["without_ranges"] == ["aec-100g"]  # no recorded ranges: named, not banded
    (dac,) = u["sets"]
    assert dac["parameter_set"] == "dac-200g" and dac["seed"] == 5 and dac["samples"] == 8
    assert dac["ranges"] and all("." in k for k in dac["ranges"])
    for metric in ("max_reach_m", "energy_per_bit_pj", "power_per_end_w", "cost_usd"):
        assert _ordered(dac, metric), metric
    p = dac["p_feasible_by_reach_m"]
    assert list(p) == ["0.5", "1", "2"]
    assert all(0.0 <= v <= 1.0 for v in p.values())
    assert p["0.5"] >= p["1"] >= p["2"]  # a longer link is never more likely to close


def test_compare_rows_carry_p_feasible_at_their_length(compare_doc):
    p = compare_doc["uncertainty"]["sets"][0]["p_feasible_by_reach_m"]
    rows = compare_doc["rows"]
    assert len(rows) == 6
    for row in rows:
        if row["parameter_set"] == "dac-200g":
            assert row["p_feasible"] == p[f"{row['reach_m']:g}"]
        else:
            assert row["p_feasible"] is None


def test_compare_bands_repeat_for_one_seed(compare_doc):
    again = doc_of(*COMPARE, "--uncertainty", 8, "--seed", 5)
    assert _without_timing(again["uncertainty"]) == _without_timing(compare_doc["uncertainty"])


def test_compare_table_and_figure_with_bands(tmp_path):
    plot = tmp_path / "compare.png"
    result = invoke(*COMPARE, "--uncertainty", 4, "--seed", 5, "--plot", plot)
    assert result.exit_code == 0, result.output
    for needle in ("P(feasible)", "P 0.5 m", "P 2 m", "seed 5", "No recorded ranges", "aec-100g"):
        assert needle in result.output, needle
    assert plot.exists() and plot.stat().st_size > 5000


def test_compare_without_uncertainty_has_no_bands():
    d = doc_of(*COMPARE)
    assert "uncertainty" not in d and d["meta"]["seed"] is None
    assert all("p_feasible" not in r for r in d["rows"])


@pytest.mark.parametrize("args, field", [
    (("--uncertainty", "-1"), "--uncertainty"),
    (("--uncertainty", "4", "--attach", "xsr"), "--attach"),
])
def test_compare_uncertainty_bad_input_exits_2(args, field):
    result = invoke(*COMPARE, *args)
    assert result.exit_code == 2
    assert field in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------------------------------------ rack

RACK = ("rack", "--system", "nvl72", "--tech", "dac-200g,vcsel-npo", "--policy", "none", "--baseline", "dac-200g")


@pytest.fixture(scope="module")
def rack_doc():
    return doc_of(*RACK, "--uncertainty", 3, "--seed", 9)


def test_rack_json_carries_delta_bands_and_p_beats_baseline(rack_doc):
    u = rack_doc["uncertainty"]
    assert u["seed"] == 9 and u["samples"] == 3 and u["sampling"] == "latin-hypercube"
    assert {r["technology"] for r in u["rows"]} == {"dac-200g", "vcsel-npo"}
    assert set(u["ranges"]) >= {"dac-200g", "vcsel-npo"} and u["ranges"]["vcsel-npo"]
    for row in u["rows"]:
        for metric in ("delta_power_w", "delta_cost_usd", "delta_failures_per_day"):
            assert _ordered(row, metric), (row["technology"], metric)
        p = row["p_beats_baseline"]
        assert 0.0 <= p <= 1.0
        # P(beats) counts samples with a negative power delta: it agrees with the delta band's quantiles
        if row["delta_power_w_p90"] < 0:
            assert p >= 0.9
        if row["delta_power_w_p10"] >= 0:
            assert p < 0.1


def test_rack_row_of_the_baseline_set_has_zero_deltas(rack_doc):
    """The baseline is drawn with the same sample as every row, so its own set never differs from it."""
    (row,) = [r for r in rack_doc["uncertainty"]["rows"] if r["technology"] == "dac-200g"]
    for metric in ("delta_power_w", "delta_cost_usd", "delta_failures_per_day"):
        assert row[f"{metric}_p10"] == row[f"{metric}_p90"] == 0.0
    assert row["p_beats_baseline"] == 0.0


def test_rack_table_with_bands():
    result = invoke(*RACK, "--uncertainty", 2, "--seed", 9)
    assert result.exit_code == 0, result.output
    for needle in ("P(beats baseline)", "P10 / P50 / P90 over 2 samples", "seed 9", "vcsel-npo"):
        assert needle in result.output, needle


def test_rack_uncertainty_bad_input_exits_2():
    result = invoke(*RACK, "--uncertainty", "-2")
    assert result.exit_code == 2
    assert "--uncertainty" in result.output and "Traceback" not in result.output


def test_compare_answer_table_carries_the_winners_p_feasible(compare_doc, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    result = invoke(*COMPARE, "--uncertainty", 8, "--seed", 5)
    assert result.exit_code == 0, result.output
    p = compare_doc["uncertainty"]["sets"][0]["p_feasible_by_reach_m"]
    answer = result.output.split("Each technology")[0]
    header = next(line for line in answer.splitlines() if line.lstrip().startswith("reach"))
    assert "margin" in header and "P(feasible)" in header
    row = next(line for line in answer.splitlines() if line.lstrip().startswith("0.5 m"))
    assert row.split()[2] == "dac-200g"  # the sets of COMPARE: the DAC wins at 0.5 m
    assert f"{p['0.5']:.2f}" in row
    assert "share of 8 Latin-hypercube draws" in " ".join(answer.split())
