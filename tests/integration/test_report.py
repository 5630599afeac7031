"""``microlink report``: one self-contained HTML file; loaded in headless Chromium without errors."""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import microlink
from microlink.cli.app import app

runner = CliRunner()
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = runner.invoke(app, ["report", "--out", str(out), "--tech", "lightbundle", "--tech", "dac-200g",
                                 "--tech", "siph-cpo", "--reach", "0.5,2,10 m", "--samples", "100"])
    assert result.exit_code == 0, result.output
    return out


def test_one_file_with_no_external_resources(report):
    text = report.read_text(encoding="utf-8")
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", text)
    assert tags, "the report has its scripts inline"
    for tag in tags:
        assert not re.search(r"\b(?:src|href)\s*=", tag), tag
    assert "Plotly.newPlot" in text


def test_every_section_and_provenance(report):
    text = report.read_text(encoding="utf-8")
    for sid in ("compare", "budget", "eye", "rack", "market", "sources"):
        assert f'<section id="{sid}">' in text
    assert text.count(f"microlink {microlink.__version__}") >= 6
    assert text.count('class="caption"') >= 6
    assert text.count("Boundary:") >= 5
    assert 'id="source-lightbundle"' in text and 'href="#source-dac-200g"' in text


@pytest.mark.parametrize("args, field", [
    (["--out", "report.pdf"], "--out"),
    (["--no-compare", "--no-link", "--no-rack", "--no-market"], "sections"),
    (["--out", "missing-dir/r.html"], "--out"),
])
def test_bad_input_exits_2(args, field, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 2
    assert field in result.output


def test_sweep_front_figure_draws_points_and_front():
    from microlink.report.html import ReportData, SweepFront, build_report, sweep_figure

    rng = np.random.default_rng(7)
    points = {"energy_per_bit_pj": rng.uniform(1, 5, 50), "cost_usd": rng.uniform(100, 900, 50)}
    front = SweepFront(run_id=3, objectives=(("energy_per_bit_pj", "min"), ("cost_usd", "min")), points=points,
                       front={k: v[:4] for k, v in points.items()}, units={"energy_per_bit_pj": "pJ/bit"})
    fig = sweep_figure(front)
    assert len(fig.data) == 2 and len(fig.data[0].x) == 50
    text = build_report(ReportData(sweep=front, version=microlink.__version__))
    assert '<section id="sweep">' in text and "stored run 3" in text


def _browser():
    """(sync_playwright, executable) or a reason to skip."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, "playwright is not installed (pip install -e '.[test]')"
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return (sync_playwright, path), ""
    return None, "no Chromium on this machine (Debian: apt-get install chromium; .ci/run installs it)"


@pytest.fixture(scope="module")
def loaded(report):
    found, reason = _browser()
    if found is None:
        pytest.skip(f"browser test skipped: {reason}")
    sync_playwright, executable = found
    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri())
        page.wait_for_function("document.querySelectorAll('[data-chart]').length > 0 && "
                               "Array.from(document.querySelectorAll('[data-chart]')).every(d => d._fullData)")
        charts = page.evaluate("""Array.from(document.querySelectorAll('[data-chart]')).map(d => ({
            id: d.id,
            traces: d._fullData.length,
            points: d._fullData.map(t => Math.max(t._length || 0, (t.z && t.z.length) || 0,
                                                  (t.x && t.x.length) || 0))
        }))""")
        browser.close()
    return charts, errors, requests


def test_browser_finds_no_console_errors_and_no_network(loaded):
    _, errors, requests = loaded
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []


def test_every_chart_has_data(loaded):
    charts, _, _ = loaded
    assert len(charts) >= 7  # energy vs reach, breakdown, budget, eye, bathtubs, rack, fan (+ tornado)
    for chart in charts:
        assert chart["traces"] > 0, chart["id"]
        assert max(chart["points"]) > 0, chart["id"]


def test_comparison_bands_are_drawn_when_the_dataset_has_them():
    import xarray as xr

    from microlink.report.html import comparison_figure

    shape = (2, 3, 1)
    ds = xr.Dataset(
        {"energy_per_bit": (("technology", "reach", "attach"), np.full(shape, 2e-12)),
         "feasible": (("technology", "reach", "attach"), np.ones(shape, dtype=bool)),
         "max_reach": (("technology", "attach"), np.full((2, 1), 10.0))},
        coords={"technology": ["a", "b"], "reach": [1.0, 2.0, 5.0], "attach": ["native"]})
    plain = comparison_figure(ds)
    low = np.full(shape, 1.5e-12)
    low[1] = np.nan  # set b has no ranges: no band
    banded = comparison_figure(ds.assign(energy_per_bit_low=(ds.energy_per_bit.dims, low),
                                         energy_per_bit_high=(ds.energy_per_bit.dims, np.full(shape, 3e-12))))
    fills = [t for t in banded.data if t.fill == "toself"]
    assert len(fills) == 1 and len(banded.data) == len(plain.data) + 1
    assert {t.name for t in plain.data if t.showlegend is not False} >= {"a (max 10 m)", "b (max 10 m)"}
