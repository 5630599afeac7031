"""A LinkResult prints as one line that carries its verdict, margin, reach and energy (not a field dump)."""

import microlink as ml


def test_scalar_repr_is_one_line_with_the_answer():
    r = ml.evaluate_link("dac-200g", reach=1.0)
    text = repr(r)
    assert "\n" not in text and len(text) < 400
    for part in ("dac-200g", "PAM4", "kp4", "margin +", "max reach 1.31 m", "pJ/bit", "feasible"):
        assert part in text
    assert "before FEC" in text and "after" in text
    assert "NOT feasible" in repr(ml.evaluate_link("lightbundle"))


def test_array_repr_counts_feasible_points():
    r = ml.evaluate_link("dac-200g", reach=[0.5, 1.0, 3.0])
    assert "3 points" in repr(r) and "feasible 2/3" in repr(r)


def test_unsolved_reach_says_so():
    assert "max reach not solved" in repr(ml.evaluate_link("dac-200g", reach=1.0, solve_reach=False))


def test_notebook_view_leads_with_the_verdict():
    import re

    html = ml.evaluate_link("dac-200g", reach=1.0)._repr_html_()
    assert html.startswith("<p><code>&lt;LinkResult dac-200g")
    rows = re.findall(r"<th>([a-z_.]+)</th>", html)
    assert rows[:4] == ["value", "parameter_set", "feasible", "reach_m"]
    batch = ml.evaluate_link("dac-200g", reach=[1.0, 2.0])._repr_html_()
    assert batch.index("feasible") < batch.index("energy_breakdown_pj")


def test_an_infeasible_floor_names_its_cause():
    from microlink.catalog import get_parameter_set

    # a 100 ohm feedback resistor: thermal noise swamps any micro-LED signal
    noisy = get_parameter_set("lightbundle").parameters.replace(receiver={"feedback_resistance": 100.0})
    reason = ml.evaluate_link(noisy, reach=1.0).infeasible_reason
    assert "noise-limited" in reason and "rms noise (thermal largest)" in reason and "needed" in reason
    slow = get_parameter_set("lightbundle").parameters.replace(driver={"bias_current": 20e-6})
    assert "eye shut by large signal" in ml.evaluate_link(slow, reach=1.0).infeasible_reason
    copper = ml.evaluate_link("dac-200g", aggregate_rate=400e9, lane_rate=400e9, reach=0.3)
    if not bool(copper.feasible):
        assert any(word in copper.infeasible_reason for word in ("eye-limited", "noise-limited", "eye shut by"))
