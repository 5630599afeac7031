"""Rich renderings of results shared by several commands (presentation only, no physics)."""

from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table


def _fmt(x, spec=".3g", unit=""):
    x = float(x)
    if math.isinf(x):
        return ("-inf" if x < 0 else "inf") + (f" {unit}" if unit else "")
    return f"{x:{spec}}" + (f" {unit}" if unit else "")


def _dbm(w):
    w = float(w)
    return "-inf dBm" if w <= 0 else f"{10 * math.log10(w / 1e-3):.2f} dBm"


def print_link_table(result, console: Console | None = None) -> None:
    """Print one link result as a Rich table grouped by stage."""
    import numpy as np

    console = console or Console()
    r = result
    t = Table(title=f"{r.technology} link - parameter set '{r.parameter_set}'", show_lines=False)
    t.add_column("quantity", style="cyan", no_wrap=True)
    t.add_column("value", justify="right")
    t.add_column("note", style="dim")

    def section(name):
        t.add_row(f"[bold]{name}[/]", "", "")

    section("Request")
    t.add_row("aggregate rate", _fmt(float(r.aggregate_rate) / 1e9, ".1f", "Gb/s"), "per direction")
    t.add_row("reach", _fmt(r.reach, ".3g", "m"), "")
    t.add_row("target BER", _fmt(r.target_ber, ".0e"), f"FEC: {r.fec}")
    section("Lanes")
    t.add_row("lane rate", _fmt(float(r.lane_rate) / 1e9, ".3g", "Gb/s"), r.modulation)
    t.add_row("lanes active + spare", f"{int(r.lanes_active)} + {int(r.lanes_spare)}", "per direction")
    section("Optical budget (per lane)")
    t.add_row("launched power", _dbm(r.launched_power), "mean, into the core")
    t.add_row("received power", _dbm(r.received_power), "mean, at the photodiode")
    t.add_row("received OMA", _dbm(r.received_oma), "")
    for k, v in r.extras.items():
        if k in ("extinction_ratio_db",):
            t.add_row("extinction ratio", _fmt(v, ".3g", "dB"), "settled levels")
    section("Bandwidths")
    for k, v in r.bandwidth.items():
        t.add_row(k.replace("_", " "), _fmt(float(v) / 1e9, ".3g", "GHz"), "-3 dB")
    section("Noise at the decision (rms)")
    unit = "nA" if r.technology not in ("dac", "aec") else "mV"
    for k, v in r.noise.items():
        t.add_row(k, _fmt(float(v) * 1e9 if unit == "nA" else float(v) * 1e3, ".3g", unit), "")
    t.add_row("signal (half swing)", _fmt(float(r.signal_amplitude) * (1e9 if unit == "nA" else 1e3), ".3g", unit), "")
    section("Decision")
    t.add_row("main cursor", _fmt(r.main_cursor, ".3f"), "normalised")
    t.add_row("worst-case ISI closure", _fmt(r.isi_closure, ".3f"), "sum |h_k|")
    t.add_row("crosstalk per neighbour", _fmt(10 * np.log10(max(float(r.crosstalk), 1e-300)), ".1f", "dB"), "")
    t.add_row("Q (average ISI)", _fmt(r.q_factor, ".2f"), "from the BER")
    t.add_row("Q (worst-case eye)", _fmt(r.q_worst_case, ".2f"), "")
    t.add_row("BER", _fmt(r.ber, ".2e"), f"worst case {float(r.ber_worst_case):.2e}")
    t.add_row("BER after FEC", _fmt(r.ber_post_fec, ".2e"), r.fec)
    t.add_row("margin to target", _fmt(r.margin_db, ".2f", "dB"), "signal power" if unit == "mV" else "optical power")
    from microlink.link.chain import MARGIN_SEARCH_DB

    near = bool(r.near_ber_floor) and not bool(r.ber_floor_above_target) and float(r.margin_db) > 0
    t.add_row("BER floor", _fmt(r.ber_floor, ".2e"), "[yellow]within a decade of the threshold: the margin rests on "
              "it[/]" if near else f"with {MARGIN_SEARCH_DB:g} dB more power")
    if r.max_reach is not None:
        capped = " (search limit)" if bool(r.max_reach_capped) else ""
        t.add_row("max reach at target", _fmt(r.max_reach, ".3g", "m") + capped, "")
    if r.penalties_db:
        section("Penalties (in the margin above)")
        for i, (k, v) in enumerate(sorted(r.penalties_db.items(), key=lambda kv: -float(kv[1]))):
            t.add_row(k.replace("_", " "), _fmt(v, ".2f", "dB"), "optical power held in hand" if i == 0 else "")
        t.add_row("total", _fmt(r.penalty_total_db, ".2f", "dB"), "margin without them: "
                  + _fmt(float(r.margin_db) + float(r.penalty_total_db), ".2f", "dB"))
    section("Energy per bit (one direction, both ends)")
    for k, v in r.energy_breakdown.items():
        t.add_row(k.replace("_", " "), _fmt(float(v) * 1e12, ".3f", "pJ/bit"), "")
    t.add_row("[bold]total[/]", f"[bold]{float(r.energy_per_bit_pj):.3f} pJ/bit[/]", "")
    t.add_row("power per end", _fmt(r.power_per_end, ".3g", "W"), "duplex end incl. host interface")
    t.add_row("module power per end", _fmt(r.module_power_per_end, ".3g", "W"), "without host attach and FEC")
    section("System")
    t.add_row("latency", _fmt(float(r.latency) * 1e9, ".3g", "ns"), "one way")
    t.add_row("failure rate per end", _fmt(r.fit_per_end, ".3g", "FIT"), "over service life, with spares")
    t.add_row("cost per end", _fmt(r.cost_per_end, ",.0f", "USD"), "")
    verdict = "[green]feasible[/]" if bool(r.feasible) else f"[red]infeasible[/]: {r.infeasible_reason}"
    console.print(t)
    console.print(verdict)


# ---------------------------------------------------------------------------------------------------------
# compare


def _short_reason(point) -> str:
    """A short why-not for one infeasible compare point."""
    if bool(point.feasible):
        return "[green]ok[/]"
    if float(point.reach) > float(point.max_reach) and float(point.max_reach) > 0:
        return f"[red]> max {float(point.max_reach):.3g} m[/]"
    return f"[red]BER floor {float(point.ber_post_fec):.1e}[/]"


def _media(point) -> str:
    from microlink.link.technologies import media_per_end

    count, kind = media_per_end(point)
    lanes = int(float(point.lanes_active))
    spare = int(float(point.lanes_spare))
    lane_txt = f"{lanes}+{spare}" if spare else f"{lanes}"
    return f"{lane_txt}x{float(point.lane_rate) / 1e9:.3g}G {point.modulation[0] if point.modulation == 'NRZ' else 'P4'}, " \
           f"{count:.0f} {kind}"


def table_style(console: Console) -> dict:
    """Table keywords for this console: boxed for a terminal, plain columns when piped to a file or program."""
    from rich import box

    if console.is_terminal:
        return {"box": box.SIMPLE_HEAD, "header_style": "bold"}
    return {"box": None, "header_style": "", "show_edge": False, "pad_edge": False, "title_justify": "left"}


def _points(results: dict) -> dict:
    """``{name: [scalar points]}`` for the evaluated batches (reasons for impossible attaches are skipped)."""
    from microlink.link.technologies import result_points

    return {name: result_points(res) for name, res in results.items() if not isinstance(res, str)}


#: A winner closer than this to its own limit is called out as near a cliff [dB of margin, share of max reach].
#: A reporting rule, not a model parameter: 1 dB is the size of one connector pair or of the end-of-life
#: allowance the optical chains already hold; 80 % of the max reach leaves room for a cable-length tolerance.
CLIFF_MARGIN_DB = 1.0
CLIFF_REACH_SHARE = 0.8
#: Terminal columns the technology table takes besides its energy-block column (set, attach, max reach,
#: pJ/bit, common-attach pJ/bit and module W columns with their padding), and the width of one
#: ``name 1.23, `` block entry [characters].
FIXED_COLUMNS_WIDTH = 70
BLOCK_WIDTH = 18


def print_compare_summary(results: dict, *, console: Console, p_feasible: dict | None = None,
                          samples: int = 0) -> None:
    """The answer: the lowest-energy feasible technology at each reach with its margin (and, with bands, the share
    of draws over the cited ranges in which it closes), the runner-up and who cannot; then the winners that sit
    near a cliff (small margin, close to their own max reach, a BER floor within a decade of the threshold, or
    feasible in fewer than half the draws).

    ``p_feasible`` maps a set to ``{reach [m]: P(feasible)}`` from ``--uncertainty``."""
    s = Table(title="Lowest-energy feasible technology at each reach", **table_style(console))
    columns = ["reach", "best", "pJ/bit", "margin"] + (["P(feasible)"] if p_feasible else []) + [
        "runner-up", "pJ/bit ", "not feasible here"]
    for name in columns:
        s.add_column(name, justify="right" if "pJ" in name or name in ("reach", "margin", "P(feasible)") else "left",
                     no_wrap=name != "not feasible here")
    by_reach: dict[float, list] = {}
    for name, points in _points(results).items():
        for p in points:
            by_reach.setdefault(float(p.reach), []).append((name, p))
    cliffs = []
    for length in sorted(by_reach):
        feasible = {n: p for n, p in by_reach[length] if bool(p.feasible)}
        ok = sorted((float(p.energy_per_bit_pj), n) for n, p in feasible.items())
        bad = [n for n, p in by_reach[length] if not bool(p.feasible)]
        best = ok[0] if ok else (float("nan"), "none")
        second = ok[1] if len(ok) > 1 else (float("nan"), "-")
        margin, pf_text = "-", "-"
        if ok:
            p = feasible[best[1]]
            margin = _fmt(p.margin_db, "+.1f", "dB")
            limit = None if p.max_reach is None else float(p.max_reach)
            pf = (p_feasible or {}).get(best[1], {}).get(length)
            pf_text = "-" if pf is None else f"{pf:.2f}"
            floored = bool(p.near_ber_floor)
            if (float(p.margin_db) < CLIFF_MARGIN_DB or (limit is not None and length > CLIFF_REACH_SHARE * limit)
                    or (pf is not None and pf < 0.5) or floored):
                where = f"max reach {limit:.3g} m" if limit is not None else "reach not solved"
                drawn = "" if pf is None else f", feasible in {pf:.0%} of draws"
                floor = f", BER floor {float(p.ber_floor):.1e} within a decade of the threshold" if floored else ""
                cliffs.append(f"{length:g} m: {best[1]} ({float(p.margin_db):+.1f} dB, {where}{drawn}{floor})")
        row = [_fmt(length, ".3g", "m"), best[1], _fmt(best[0], ".2f") if ok else "-", margin]
        row += [pf_text] if p_feasible else []
        s.add_row(*row, second[1], _fmt(second[0], ".2f") if len(ok) > 1 else "-", ", ".join(bad) or "-")
    console.print(s)
    if cliffs:
        rule = (f"margin under {CLIFF_MARGIN_DB:g} dB, beyond {CLIFF_REACH_SHARE:.0%} of its max reach"
                + (", a BER floor within a decade of the threshold or feasible in under half the draws" if p_feasible
                   else " or a BER floor within a decade of the threshold"))
        console.print(f"Near a cliff ({rule}): " + "; ".join(cliffs) + ".", highlight=False)
    if p_feasible:
        console.print(f"What the ranking rests on: point values rank; P(feasible) is the share of {samples} "
                      "Latin-hypercube draws of each set's cited ranges that close at that reach (bands below; "
                      "`microlink link --preset SET --uncertainty 256 --tornado` names the assumptions).",
                      highlight=False, style="dim")
    else:
        console.print("What the ranking rests on: each set's cited parameters at their point values; --uncertainty N "
                      "gives P(feasible) and P10-P90 energy per reach, `microlink link --preset SET --uncertainty 256 "
                      "--tornado` the assumptions that move one set.", highlight=False, style="dim")


def print_energy_split(results: dict, *, common: dict | None = None, common_attach: str = "",
                       console: Console) -> None:
    """One row per technology: attach, reach limit, pJ/bit (and at a common attach), where the energy goes."""
    from microlink.comparison import attach_supported

    t = Table(title="Each technology at the shortest reach: energy per bit and where it goes",
              **table_style(console))
    t.add_column("set", style="cyan", no_wrap=True)
    t.add_column("attach", no_wrap=True)
    t.add_column("max reach", justify="right", no_wrap=True)
    t.add_column("pJ/bit", justify="right", no_wrap=True)
    if common is not None:
        t.add_column(f"at {common_attach}", justify="right", no_wrap=True)
    t.add_column("module W/end", justify="right", no_wrap=True)
    t.add_column("largest blocks, pJ/bit")
    common_points = _points(common) if common is not None else {}
    evaluated = _points(results)
    for name, res in results.items():
        if isinstance(res, str):  # this attach is impossible for the technology: say so, never drop the row
            row = [name, "-", "-", "n/a"] + (["n/a"] if common is not None else []) + ["-", f"not possible: {res}"]
            t.add_row(*row)
            continue
        p = evaluated[name][0]
        blocks = sorted(((k, float(v) * 1e12) for k, v in p.energy_breakdown.items()), key=lambda kv: -kv[1])
        shown = max(1, min(4, (console.width - FIXED_COLUMNS_WIDTH) // BLOCK_WIDTH))  # as many as fit
        text = ", ".join(f"{k} {v:.2f}" for k, v in blocks[:shown] if v > 0.005)
        module = p.module_power_per_end
        attach = str(p.attach) if attach_supported() else "native"
        max_reach = (_fmt(p.max_reach, ".3g", "m") + ("+" if bool(p.max_reach_capped) else "")
                     if p.max_reach is not None else "-")
        row = [name, attach, max_reach, _fmt(p.energy_per_bit_pj, ".2f")]
        if common is not None:
            other = common.get(name)
            if isinstance(other, str) or other is None:
                row.append("n/a")
            elif attach_supported() and str(p.attach) == common_attach:
                row.append("same")
            else:
                row.append(_fmt(common_points[name][0].energy_per_bit_pj, ".2f"))
        row += [_fmt(module, ".2f", "W"), text]
        t.add_row(*row)
    console.print(t)
    impossible = {n: r for n, r in (common or {}).items() if isinstance(r, str)}
    for name, reason in impossible.items():
        console.print(f"[dim]{name} at {common_attach}: {reason}[/]", highlight=False)


def print_compare_detail(results: dict, *, console: Console) -> None:
    """The full technology x reach table (``compare --detail``)."""
    t = Table(title="Every technology at every reach", **table_style(console))
    right = {"justify": "right", "no_wrap": True}
    for name, kw in (("set", {"style": "cyan", "no_wrap": True}), ("reach", right), ("feasible", {}),
                     ("pJ/bit", right), ("W/end", right), ("BER pre", right), ("BER post", right),
                     ("FEC", {"no_wrap": True}), ("latency", right), ("lanes, media/end", {}),
                     ("$/end", right), ("FIT/end", right)):
        t.add_column(name, **kw)
    for name, points in _points(results).items():
        for i, p in enumerate(points):
            t.add_row(
                name if i == 0 else "",
                _fmt(p.reach, ".3g", "m"),
                _short_reason(p),
                _fmt(p.energy_per_bit_pj, ".2f"),
                _fmt(p.power_per_end, ".2f"),
                _fmt(p.ber, ".1e"),
                _fmt(p.ber_post_fec, ".1e"),
                p.fec,
                _fmt(float(p.latency) * 1e9, ".0f", "ns"),
                _media(p),
                _fmt(p.cost_per_end, ",.0f"),
                _fmt(p.fit_per_end, ".3g"),
                end_section=(i == len(points) - 1),
            )
    console.print(t)


def print_compare_table(results: dict, *, aggregate_rate: float, target_ber: float, detail: bool = False,
                        common: dict | None = None, common_attach: str = "", boundary: str = "",
                        console: Console | None = None, p_feasible: dict | None = None,
                        samples: int = 0) -> None:
    """Answer first: the summary, the energy split per technology, then (``detail``) every point."""
    console = console or Console()
    console.print(f"[bold]{aggregate_rate / 1e12:.3g} Tb/s per direction, target BER {target_ber:.0e} after "
                  "FEC[/]", highlight=False)
    print_compare_summary(results, console=console, p_feasible=p_feasible, samples=samples)
    print_energy_split(results, common=common, common_attach=common_attach, console=console)
    if detail:
        print_compare_detail(results, console=console)
    console.print(f"[dim]pJ/bit: {boundary}. module W/end leaves the host's half out. Reach is solved at the "
                  "FEC's pre-FEC threshold; max reach with + stopped at the search limit.[/]", highlight=False)
    if not detail:
        console.print("[dim]Every technology at every reach: --detail; for scripts: --format json|csv.[/]",
                      highlight=False)
