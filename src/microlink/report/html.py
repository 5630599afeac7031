"""One self-contained HTML report: interactive Plotly figures and tables that work offline.

The report renders results computed elsewhere (a :func:`microlink.compare_links` Dataset, a
:class:`~microlink.link.result.LinkResult`, a :class:`~microlink.ber.statistical.StatisticalEye`, a rack
comparison document, a :class:`~microlink.market.model.MarketForecast`, a sweep's Pareto front) and computes
nothing beyond unit scaling for display. The Plotly library is written into the file itself, so the report
opens without a network. Every figure carries a caption with its inputs, its accounting boundary and the
microlink version; every technology name and figure links to the source of its parameters.

    from microlink.report.html import ReportData, write_report
    write_report("report.html", ReportData(comparison=ds, sources=...))
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from microlink.errors import ParameterError

__all__ = ["EyeView", "ReportData", "SourceEntry", "SweepFront", "build_report", "write_report",
           "comparison_figure", "breakdown_figure", "budget_figure", "eye_figures", "rack_figures",
           "market_figures", "sweep_figure"]

_PJ = 1e12  # display: pJ/bit
_MUSD = 1e6  # display: US$ M
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
            "#17becf")


# ---------------------------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class SourceEntry:
    """Where the figures of one named input come from.

    Attributes
    ----------
    name : str
        Parameter set, topology or scenario name (also the anchor ``source-<name>``).
    title : str
        What it describes.
    citation : str
        The publication(s) it is built from.
    details : tuple[tuple[str, str], ...]
        ``(field, citation)`` of individual values, when recorded.
    """

    name: str
    title: str
    citation: str
    details: tuple = ()


@dataclass(frozen=True)
class EyeView:
    """A statistical eye to draw.

    Attributes
    ----------
    eye : StatisticalEye
        The computed eye (contour and bathtubs).
    unit : str
        Unit of the signal at the decision point: ``"A"`` (photocurrent) or ``"V"`` (electrical).
    target_ber : float
        BER at which height and width are read [1].
    label : str
        Lane described, e.g. ``"lightbundle, 3.3 Gb/s NRZ, 10 m"``.
    height : ndarray
        Eye height of each eye at ``target_ber`` [A or V] (0: closed).
    width : ndarray
        Eye width of each eye at ``target_ber`` [UI] (0: closed).
    """

    eye: Any
    unit: str
    target_ber: float
    label: str
    height: Any
    width: Any


@dataclass(frozen=True)
class SweepFront:
    """A stored sweep's design points and Pareto front over its objectives.

    Attributes
    ----------
    run_id : int
    objectives : tuple[tuple[str, str], ...]
        ``(column, "min" | "max")``; the first two are drawn.
    points : Mapping[str, ndarray]
        Candidate points by column.
    front : Mapping[str, ndarray]
        Front points by column.
    units : Mapping[str, str]
        Unit of each column.
    """

    run_id: int
    objectives: tuple
    points: Mapping[str, Any]
    front: Mapping[str, Any]
    units: Mapping[str, str]


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows; a section is drawn when its input is given.

    Attributes
    ----------
    comparison : xarray.Dataset or None
        :func:`microlink.compare_links` output (energy vs reach, feasibility, breakdown).
    link : LinkResult or None
        One optical link (scalar) for the budget waterfall.
    eye : EyeView or None
    rack : dict or None
        A rack comparison document (``microlink rack --format json`` without ``meta``).
    market : MarketForecast or None
        With bands and tornado when computed.
    sweep : SweepFront or None
    sources : tuple[SourceEntry, ...]
    inputs : Mapping[str, str]
        Section id -> one line naming the inputs of that section.
    title : str
    version : str
        microlink version that computed the results.
    """

    comparison: Any = None
    link: Any = None
    eye: EyeView | None = None
    rack: dict | None = None
    market: Any = None
    sweep: SweepFront | None = None
    sources: tuple = ()
    inputs: Mapping[str, str] = field(default_factory=dict)
    title: str = "microlink report"
    version: str = ""


# ---------------------------------------------------------------------------------------------- figures
def _fig():
    import plotly.graph_objects as go

    return go.Figure()


def _layout(fig, title: str, **kwargs):
    kwargs.setdefault("height", 460)
    kwargs.setdefault("margin", {"l": 70, "r": 20, "t": 60, "b": 60})
    fig.update_layout(title={"text": title, "x": 0.01, "font": {"size": 15}}, template="plotly_white",
                      legend={"font": {"size": 11}}, **kwargs)
    return fig


def comparison_figure(ds, attach: str = "native"):
    """Energy per bit [pJ/bit] against reach [m], log-log: solid where feasible, dotted where not.

    Variables ``energy_per_bit_low`` / ``energy_per_bit_high`` (same dims), when the Dataset has them, are drawn
    as a band around each line.
    """
    import plotly.graph_objects as go

    fig = _fig()
    sub = ds.sel(attach=attach)
    reach = sub.reach.values.astype(float)
    for k, tech in enumerate(sub.technology.values):
        colour = _PALETTE[k % len(_PALETTE)]
        energy = sub.energy_per_bit.sel(technology=tech).values * _PJ
        feasible = sub.feasible.sel(technology=tech).values.astype(bool)
        max_reach = float(sub.max_reach.sel(technology=tech))
        low = high = None
        if "energy_per_bit_low" in sub and "energy_per_bit_high" in sub:
            low = sub.energy_per_bit_low.sel(technology=tech).values * _PJ
            high = sub.energy_per_bit_high.sel(technology=tech).values * _PJ
        if low is not None and np.all(np.isfinite(low)) and np.all(np.isfinite(high)):
            fig.add_trace(go.Scatter(x=np.concatenate([reach, reach[::-1]]), y=np.concatenate([high, low[::-1]]),
                                     fill="toself", fillcolor=colour, opacity=0.15, line={"width": 0},
                                     hoverinfo="skip", name=f"{tech} P10-P90", showlegend=False,
                                     legendgroup=str(tech)))
        limit = f"max {max_reach:.3g} m" if math.isfinite(max_reach) else "not evaluated"
        fig.add_trace(go.Scatter(x=reach, y=energy, mode="lines", line={"color": colour, "dash": "dot", "width": 1},
                                 name=f"{tech} ({limit})", hoverinfo="skip", legendgroup=str(tech)))
        fig.add_trace(go.Scatter(
            x=reach[feasible], y=energy[feasible], mode="lines+markers", showlegend=False,
            line={"color": colour, "width": 2.5}, marker={"size": 8}, legendgroup=str(tech),
            hovertemplate=f"{tech}<br>%{{x:.3g}} m: %{{y:.3g}} pJ/bit (feasible)<extra></extra>"))
        if (~feasible).any():
            fig.add_trace(go.Scatter(
                x=reach[~feasible], y=energy[~feasible], mode="markers", showlegend=False, legendgroup=str(tech),
                marker={"symbol": "x", "size": 10, "color": colour},
                hovertemplate=f"{tech}<br>%{{x:.3g}} m: %{{y:.3g}} pJ/bit (not feasible)<extra></extra>"))
    # explicit ticks: the evaluated reaches on x, a 1-2-5 ladder on y (Plotly's log minor labels overlap)
    reaches = sorted({float(v) for v in np.asarray(sub.reach.values, dtype=float)})
    ladder = [v * 10.0**k for k in range(-2, 4) for v in (1.0, 2.0, 5.0)]
    _layout(fig, f"Energy per bit against reach ({attach} attach): line = feasible, x = not feasible",
            xaxis={"type": "log", "title": "reach [m]", "tickvals": reaches, "ticktext": [f"{v:g}" for v in reaches]},
            yaxis={"type": "log", "title": "energy per bit [pJ/bit]", "tickvals": ladder,
                   "ticktext": [f"{v:g}" for v in ladder]})
    return fig


def breakdown_figure(ds, attach: str = "native"):
    """Energy per bit by block [pJ/bit] of each technology at the shortest reach, stacked bars."""
    import plotly.graph_objects as go

    fig = _fig()
    sub = ds.sel(attach=attach).isel(reach=0)
    techs = [str(t) for t in sub.technology.values]
    if "energy_breakdown" not in sub:
        raise ParameterError("comparison", "no energy_breakdown", "a compare_links Dataset")
    values = sub.energy_breakdown.values * _PJ  # technology x block
    order = np.argsort(-values.sum(axis=0))
    from plotly.colors import qualitative

    palette = qualitative.Dark24 + qualitative.Light24
    for k, j in enumerate(order):
        block = str(sub.block.values[j])
        if not np.any(values[:, j] > 0):
            continue
        fig.add_trace(go.Bar(y=techs, x=values[:, j], name=block, orientation="h",
                             marker={"color": palette[k % len(palette)]},
                             hovertemplate=f"%{{y}}<br>{block}: %{{x:.3f}} pJ/bit<extra></extra>"))
    reach = float(sub.reach)
    _layout(fig, f"Where the energy goes at {reach:g} m ({attach} attach)", barmode="stack",
            xaxis={"title": "energy per bit [pJ/bit]"}, yaxis={"autorange": "reversed"},
            height=max(360, 40 * len(techs) + 160))
    return fig


def budget_figure(result):
    """Optical power budget of one lane as a waterfall [dB, dBm]: launch -> loss -> penalties -> margin."""
    import plotly.graph_objects as go

    from microlink.units import watt_to_dbm

    launched = float(watt_to_dbm(float(np.asarray(result.launched_power))))
    received = float(watt_to_dbm(float(np.asarray(result.received_power))))
    if not (math.isfinite(launched) and math.isfinite(received)):
        raise ParameterError("link", result.parameter_set, "an optical link (launched and received power > 0)")
    margin = float(np.asarray(result.margin_db))
    labels, measures, values = ["launched power"], ["absolute"], [launched]
    labels.append("channel and coupling loss")
    measures.append("relative")
    values.append(received - launched)
    penalties = dict(getattr(result, "penalties_db", None) or {}) if _has_field(result, "penalties_db") else {}
    for name, value in penalties.items():
        labels.append(f"penalty: {name.replace('_', ' ')}")
        measures.append("relative")
        values.append(-float(np.asarray(value)))
    if math.isfinite(margin):
        labels.append("margin to target BER")
        measures.append("relative")
        values.append(-margin)
    labels.append("required (sensitivity)" if not penalties else "sensitivity without penalties")
    measures.append("total")
    values.append(0.0)
    levels = np.cumsum(values[:-1])
    text = [f"{v:+.2f} dB" if m == "relative" else f"{v:.2f} dBm" for v, m in zip(values[:-1], measures[:-1])]
    text.append(f"{levels[-1]:.2f} dBm")
    fig = go.Figure(go.Waterfall(x=labels, y=values, measure=measures, textposition="outside", text=text,
                                 connector={"line": {"color": "#888"}}))
    span = [float(levels.min()) - 3.0, float(max(levels.max(), launched)) + 3.0]
    title = f"Optical budget of one lane, {result.parameter_set} at {float(np.asarray(result.reach)):g} m"
    if not math.isfinite(margin):
        title += " (BER floor: no power margin)"
    _layout(fig, title, yaxis={"title": "mean optical power [dBm]", "range": span}, showlegend=False)
    return fig


def _has_field(obj, name: str) -> bool:
    import dataclasses

    return dataclasses.is_dataclass(obj) and name in {f.name for f in dataclasses.fields(obj)}


def _scale(values, unit: str) -> tuple[float, str]:
    peak = float(np.nanmax(np.abs(values))) if np.size(values) else 1.0
    scale, prefix = 1.0, ""
    for s, p in ((1e-12, "p"), (1e-9, "n"), (1e-6, "µ"), (1e-3, "m"), (1.0, "")):
        if peak >= s:
            scale, prefix = s, p
    return scale, prefix + unit


def _log_floor(ber, lowest: float = -40.0) -> float:
    b = np.asarray(ber, dtype=float)
    pos = b[b > 0]
    return lowest if pos.size == 0 else float(max(np.floor(np.log10(pos.min())) - 1.0, lowest))


def eye_figures(view: EyeView):
    """Statistical eye as a log10 BER map over phase and threshold, and both bathtubs (two figures)."""
    import plotly.graph_objects as go

    eye = view.eye
    scale, label = _scale(eye.voltage, view.unit)
    floor = _log_floor(eye.ber)
    with np.errstate(divide="ignore"):
        logb = np.maximum(np.log10(np.maximum(eye.ber, 1e-300)), floor)
    closed = bool(np.all(np.asarray(view.height) <= 0))
    state = "closed at the target BER" if closed else "open"
    contour = go.Figure(go.Heatmap(x=eye.phase, y=eye.voltage / scale, z=logb.T, colorscale="Viridis", zmin=floor,
                                   zmax=0, colorbar={"title": "log10 BER"},
                                   hovertemplate="phase %{x:.3f} UI<br>threshold %{y:.3g} " + label +
                                                 "<br>log10 BER %{z:.1f}<extra></extra>"))
    for th in eye.thresholds:
        contour.add_hline(y=float(th) / scale, line={"color": "white", "dash": "dash", "width": 1})
    _layout(contour, f"Statistical eye, {view.label}: {state}", xaxis={"title": "sampling phase [UI]"},
            yaxis={"title": f"decision threshold [{label}]"})

    bath = go.Figure()
    v, b = eye.vertical_bathtub()
    floor_b = 10.0 ** min(_log_floor(b), _log_floor(eye.eye_ber))
    bath.add_trace(go.Scatter(x=v / scale, y=np.maximum(b, floor_b), mode="lines", name="vertical (best phase)",
                              xaxis="x2"))
    for e in range(eye.eye_ber.shape[0]):
        ph, be = eye.horizontal_bathtub(e)
        bath.add_trace(go.Scatter(x=ph, y=np.maximum(be, floor_b), mode="lines",
                                  name=f"horizontal, eye {e}" if eye.eye_ber.shape[0] > 1 else "horizontal"))
    bath.add_hline(y=view.target_ber, line={"color": "#d62728", "dash": "dash"},
                   annotation_text=f"target {view.target_ber:g}")
    _layout(bath, "Bathtubs: BER against sampling phase (bottom axis) and threshold (top axis)",
            yaxis={"type": "log", "title": "BER", "range": [math.log10(floor_b), 0], "exponentformat": "power"},
            xaxis={"title": "sampling phase [UI]"},
            xaxis2={"title": f"decision threshold [{label}]", "overlaying": "x", "side": "top"},
            margin={"l": 70, "r": 20, "t": 110, "b": 60})
    return contour, bath


def rack_figures(doc: Mapping[str, Any]):
    """Interconnect power [kW], cost [US$ M] and failures per day of each technology mix (one figure)."""
    from plotly.subplots import make_subplots
    import plotly.graph_objects as go

    rows = ([doc["baseline"]] if doc.get("baseline") else []) + list(doc["results"])
    if not rows:
        raise ParameterError("rack", [], "at least one technology row")
    labels = [f"{r['technology']}{'' if r['feasible'] else ' (short)'}" for r in rows]
    colours = ["#2ca02c" if r["feasible"] else "#d62728" for r in rows]
    fig = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=("interconnect power [kW]", "interconnect cost [US$ M]", "failures per day"))
    for col, (key, scale) in enumerate((("interconnect_power_w", 1e3), ("cost_usd", 1e6),
                                        ("failures_per_day", 1.0)), start=1):
        fig.add_trace(go.Bar(y=labels, x=[float(r[key]) / scale for r in rows], orientation="h",
                             marker={"color": colours}, showlegend=False,
                             hovertemplate="%{y}: %{x:.3g}<extra></extra>"), row=1, col=col)
    fig.update_yaxes(autorange="reversed")
    _layout(fig, f"{doc.get('title', doc.get('system', ''))}: green reaches every cable, red does not",
            height=max(400, 26 * len(rows) + 160))
    return fig


def market_figures(forecast):
    """Revenue fan chart [US$ M] and, when computed, the tornado of the tornado year (one or two figures)."""
    import plotly.graph_objects as go

    years = np.asarray(forecast.years)

    def shown(values):  # a log axis cannot show the years before first revenue
        v = np.asarray(values, dtype=float) / _MUSD
        return np.where(v > 0, v, np.nan)

    revenue = shown(forecast.revenue_usd)
    fan = go.Figure()
    bands = forecast.bands
    if bands is not None:
        fan.add_trace(go.Scatter(x=np.concatenate([years, years[::-1]]),
                                 y=np.concatenate([shown(bands.p90_usd), shown(bands.p10_usd)[::-1]]),
                                 fill="toself",
                                 line={"width": 0}, fillcolor="rgba(31,119,180,0.25)",
                                 name=f"P10-P90 ({bands.samples} samples, seed {bands.seed})"))
        fan.add_trace(go.Scatter(x=years, y=shown(bands.p50_usd), mode="lines", name="P50",
                                 line={"dash": "dash", "color": "#1f77b4"}))
    fan.add_trace(go.Scatter(x=years, y=revenue, mode="lines+markers", name=f"scenario '{forecast.scenario}'",
                             line={"color": "black"}))
    cal = forecast.calibration
    if cal is not None:
        fan.add_trace(go.Scatter(x=[cal.year], y=[cal.target_usd / _MUSD], mode="markers",
                                 marker={"symbol": "star", "size": 16, "color": "#d62728"},
                                 name=f"calibrated to US${cal.target_usd / _MUSD:,.0f} M in {cal.year}"))
    positive = revenue[np.isfinite(revenue)]
    _layout(fan, f"Revenue forecast, scenario '{forecast.scenario}'", xaxis={"title": "year"},
            yaxis={"title": "revenue [US$ M]", "type": "log" if positive.size else "linear"})
    out = [fan]
    sens = forecast.sensitivity
    if sens is not None and len(sens.rows):
        rows = list(sens.rows[:12])[::-1]
        base = sens.baseline_usd / _MUSD
        names = [f"{r['parameter']} ({r['low']:.3g} .. {r['high']:.3g})" for r in rows]
        tornado = go.Figure()
        tornado.add_trace(go.Bar(y=names, x=[r["revenue_low_usd"] / _MUSD - base for r in rows], base=base,
                                 orientation="h", name="assumption at its low end", marker={"color": "#ff7f0e"}))
        tornado.add_trace(go.Bar(y=names, x=[r["revenue_high_usd"] / _MUSD - base for r in rows], base=base,
                                 orientation="h", name="assumption at its high end", marker={"color": "#2ca02c"}))
        tornado.add_vline(x=base, line={"color": "black"})
        _layout(tornado, f"Sensitivity of {sens.year} revenue (baseline US${base:,.0f} M)", barmode="overlay",
                xaxis={"title": f"revenue in {sens.year} [US$ M]"}, height=max(400, 30 * len(rows) + 160))
        out.append(tornado)
    return out


def sweep_figure(front: SweepFront):
    """Design points and the Pareto front over the first two objectives."""
    import plotly.graph_objects as go

    if len(front.objectives) < 2:
        raise ParameterError("objectives", list(front.objectives), "at least two objectives to draw a front")
    (x, sx), (y, sy) = front.objectives[0], front.objectives[1]
    fig = _fig()
    fig.add_trace(go.Scattergl(x=np.asarray(front.points[x]), y=np.asarray(front.points[y]), mode="markers",
                               name="design points", marker={"size": 4, "color": "#aaaaaa"}))
    order = np.argsort(np.asarray(front.front[x]))
    fig.add_trace(go.Scatter(x=np.asarray(front.front[x])[order], y=np.asarray(front.front[y])[order],
                             mode="lines+markers", name="Pareto front", marker={"color": "#d62728"}))

    def unit(name):
        u = front.units.get(name, "")
        return f" [{u}]" if u else ""

    _layout(fig, f"Run {front.run_id}: Pareto front ({x} {sx}, {y} {sy})", xaxis={"title": f"{x}{unit(x)}"},
            yaxis={"title": f"{y}{unit(y)}"})
    return fig


# ---------------------------------------------------------------------------------------------- tables
def _anchor(name: str) -> str:
    return "source-" + "".join(c if c.isalnum() else "-" for c in name)


def _linked(name: str, text: str | None = None, known: set | None = None) -> str:
    body = html.escape(text if text is not None else name)
    if known is not None and name not in known:
        return body
    return f'<a href="#{_anchor(name)}" title="source of {html.escape(name)}">{body}</a>'


def _summary_table(ds, attach: str, known: set) -> str:
    sub = ds.sel(attach=attach)
    rows = []
    for length in sub.reach.values:
        at = sub.sel(reach=length)
        pairs = sorted((float(at.energy_per_bit.sel(technology=t)) * _PJ, str(t)) for t in at.technology.values
                       if bool(at.feasible.sel(technology=t)))
        bad = [str(t) for t in at.technology.values if not bool(at.feasible.sel(technology=t))]
        best = f"{_linked(pairs[0][1], known=known)}</td><td class=num>{_linked(pairs[0][1], f'{pairs[0][0]:.2f}', known)}" \
            if pairs else "none</td><td class=num>-"
        second = f"{_linked(pairs[1][1], known=known)}</td><td class=num>{_linked(pairs[1][1], f'{pairs[1][0]:.2f}', known)}" \
            if len(pairs) > 1 else "-</td><td class=num>-"
        rows.append(f"<tr><td class=num>{float(length):g} m</td><td>{best}</td><td>{second}</td>"
                    f"<td>{', '.join(_linked(b, known=known) for b in bad) or '-'}</td></tr>")
    head = ("<tr><th>reach</th><th>lowest energy</th><th>pJ/bit</th><th>runner-up</th><th>pJ/bit</th>"
            "<th>not feasible here</th></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _technology_table(ds, known: set) -> str:
    attaches = [str(a) for a in ds.attach.values]
    head = "<tr><th>set</th><th>family</th><th>FEC</th><th>max reach</th>" + "".join(
        f"<th>pJ/bit, {html.escape(a)}</th>" for a in attaches) + "<th>W/end</th><th>US$/end</th><th>FIT/end</th></tr>"
    rows = []
    first = ds.isel(reach=0)
    for tech in ds.technology.values:
        t = str(tech)
        native = first.sel(technology=tech, attach=attaches[0])
        cells = [f"<td>{_linked(t, known=known)}</td>", f"<td>{html.escape(str(ds.family.sel(technology=tech).values))}</td>",
                 f"<td>{html.escape(str(ds.fec.sel(technology=tech, attach=attaches[0]).values))}</td>",
                 f"<td class=num>{float(ds.max_reach.sel(technology=tech, attach=attaches[0])):.3g} m</td>"]
        for a in attaches:
            note = str(ds.attach_note.sel(technology=tech, attach=a).values)
            value = float(first.energy_per_bit.sel(technology=tech, attach=a)) * _PJ
            cells.append(f"<td class=num title='{html.escape(note)}'>n/a</td>" if note else
                         f"<td class=num>{_linked(t, f'{value:.2f}', known)}</td>")
        cells += [f"<td class=num>{float(native.power_per_end):.2f}</td>",
                  f"<td class=num>{float(native.cost_per_end):,.0f}</td>",
                  f"<td class=num>{float(native.fit_per_end):.3g}</td>"]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


# ---------------------------------------------------------------------------------------------- page
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
header p{margin:6px 0 0;color:#c8cdd6;font-size:14px}nav{padding:8px 28px;background:#e9ecf1;font-size:14px}
nav a{margin-right:16px;color:#1d4f91;text-decoration:none}main{padding:8px 28px 40px;max-width:1280px}
section{background:#fff;border-radius:8px;padding:12px 20px 16px;margin:18px 0;box-shadow:0 1px 3px #0002}
h2{font-size:19px;margin:8px 0}.answer{font-size:16px;margin:4px 0 10px}.caption{font-size:12px;color:#5a6372;
margin:2px 0 14px}table{border-collapse:collapse;font-size:13px;margin:8px 0 14px}th,td{padding:4px 10px;
border-bottom:1px solid #e3e6eb;text-align:left}th{background:#f0f2f5}td.num{text-align:right;
font-variant-numeric:tabular-nums}a{color:#1d4f91}.grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}
@media (max-width:1000px){.grid2{grid-template-columns:1fr}}.sources dt{font-weight:600;margin-top:8px}
.sources dd{margin:2px 0 0 16px;font-size:13px}
"""


def _caption(data: ReportData, section: str, boundary: str) -> str:
    parts = [f"Inputs: {html.escape(data.inputs.get(section, 'defaults'))}"]
    if boundary:
        parts.append(f"Boundary: {html.escape(boundary)}")
    parts.append(f"microlink {html.escape(data.version)}")
    return '<p class="caption">' + " · ".join(parts) + ' · <a href="#sources">sources</a></p>'


class _Page:
    def __init__(self):
        self.figures: list[tuple[str, str]] = []
        self.parts: list[str] = []

    def figure(self, fig) -> str:
        div = f"fig{len(self.figures)}"
        self.figures.append((div, fig.to_json()))
        return f'<div id="{div}" class="chart" data-chart="1"></div>'


def build_report(data: ReportData) -> str:
    """The report as one HTML document (Plotly inlined; no external script, style or font)."""
    import plotly.offline

    page = _Page()
    known = {s.name for s in data.sources}
    sections: list[tuple[str, str, str]] = []  # (id, title, body)

    ds = data.comparison
    if ds is not None:
        attach = str(ds.attach.values[0])
        boundary = str(ds.attrs.get("boundary", ""))
        sub = ds.sel(attach=attach)
        best = [(float(sub.energy_per_bit.sel(technology=t, reach=r)) * _PJ, str(t), float(r))
                for r in sub.reach.values for t in sub.technology.values
                if bool(sub.feasible.sel(technology=t, reach=r))]
        answer = ""
        if best:
            e, t, _ = min(best)
            reaches = [float(r) for r in sub.reach.values if bool(sub.feasible.sel(technology=t, reach=r))]
            answer = (f'<p class="answer">Lowest energy: <b>{_linked(t, known=known)}</b> at '
                      f"<b>{e:.2f} pJ/bit</b>, feasible from {min(reaches):g} m to {max(reaches):g} m "
                      f"(max reach {float(sub.max_reach.sel(technology=t)):.3g} m). Rate "
                      f"{float(ds.attrs['aggregate_rate']) / 1e12:.3g} Tb/s per direction, BER "
                      f"{float(ds.attrs['target_ber']):.0e} after FEC.</p>")
        body = (answer + _summary_table(ds, attach, known) + page.figure(comparison_figure(ds, attach))
                + _caption(data, "compare", boundary) + "<h3>Each technology</h3>" + _technology_table(ds, known)
                + page.figure(breakdown_figure(ds, attach)) + _caption(data, "compare", boundary))
        sections.append(("compare", "Which link at which reach", body))
    if data.link is not None:
        r = data.link
        sections.append(("budget", "Link budget", page.figure(budget_figure(r)) + _caption(
            data, "budget", "one lane, launch into the channel to the photodiode")))
    if data.eye is not None:
        contour, bath = eye_figures(data.eye)
        h = ", ".join(f"{x:.3g}" for x in np.asarray(data.eye.height) / _scale(data.eye.eye.voltage,
                                                                               data.eye.unit)[0])
        w = ", ".join(f"{x:.3f}" for x in np.asarray(data.eye.width))
        unit = _scale(data.eye.eye.voltage, data.eye.unit)[1]
        text = (f'<p class="answer">Eye height at BER {data.eye.target_ber:g}: {h} {unit}; width: {w} UI'
                f"{' (closed)' if np.all(np.asarray(data.eye.height) <= 0) else ''}.</p>")
        sections.append(("eye", "Eye and bathtubs", text + '<div class="grid2">' + page.figure(contour)
                         + page.figure(bath) + "</div>" + _caption(data, "eye", "decision point of one lane")))
    if data.rack is not None:
        sections.append(("rack", "Rack power, cost and failures", page.figure(rack_figures(data.rack)) + _caption(
            data, "rack", "interconnect of the system: switch cores and every link end incl. host SerDes")))
    if data.market is not None:
        figs = market_figures(data.market)
        body = "".join(page.figure(f) for f in figs)
        sections.append(("market", "Market", body + _caption(data, "market", "revenue of modules sold per year")))
    if data.sweep is not None:
        sections.append(("sweep", "Design-space sweep", page.figure(sweep_figure(data.sweep)) + _caption(
            data, "sweep", f"stored run {data.sweep.run_id}")))

    source_items = []
    for s in data.sources:
        details = "".join(f"<dd>{html.escape(k)}: {html.escape(v)}</dd>" for k, v in s.details)
        source_items.append(f'<dt id="{_anchor(s.name)}">{html.escape(s.name)}: {html.escape(s.title)}</dt>'
                            f"<dd>{html.escape(s.citation)}</dd>{details}")
    sections.append(("sources", "Sources", '<dl class="sources">' + "".join(source_items) + "</dl>"
                     + "<p class=caption>Every default value carries its own source: "
                       "<code>microlink catalog NAME</code> prints them all.</p>"))

    nav = "".join(f'<a href="#{sid}">{html.escape(title)}</a>' for sid, title, _ in sections)
    body = "".join(f'<section id="{sid}"><h2>{html.escape(title)}</h2>{content}</section>'
                   for sid, title, content in sections)
    specs = ",".join(f"[{json.dumps(div)},{spec}]" for div, spec in page.figures).replace("</", "<\\/")
    script = ("const FIGURES=[" + specs + "];"
              "for(const [id,f] of FIGURES){Plotly.newPlot(id,f.data,f.layout,"
              "{responsive:true,displaylogo:false});}")
    return ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            f"<meta name=viewport content='width=device-width,initial-scale=1'><title>{html.escape(data.title)}</title>"
            f"<style>{_CSS}</style><script>{plotly.offline.get_plotlyjs()}</script></head><body>"
            f"<header><h1>{html.escape(data.title)}</h1><p>Computed by microlink {html.escape(data.version)}; "
            "every figure states its inputs and accounting boundary; names link to their sources.</p></header>"
            f"<nav>{nav}</nav><main>{body}</main><script>{script}</script></body></html>")


def write_report(path: str | Path, data: ReportData) -> Path:
    """Write :func:`build_report` to ``path`` (``.html``). Returns the path."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ParameterError("--out", str(path), "a file name ending in .html")
    if not path.parent.exists():
        raise ParameterError("--out", str(path), "a file in an existing directory")
    path.write_text(build_report(data), encoding="utf-8")
    return path
