"""``microlink calibrate``: fit device models to measured curves and write a link file every command accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from microlink.cli.options import FormatOption, OutputFormat

main = typer.Typer(help="Fit device models to measurements; the written link file works wherever a preset does.",
                   no_args_is_help=True)


@main.command("led")
def led(
    data: Path = typer.Argument(..., help="CSV: current [unit], bandwidth [unit] and/or eqe, optionally "
                                          "diameter [unit], temperature [unit] (several sizes/temperatures)."),
    preset: str = typer.Option("lightbundle", "--preset", "-p", help="Preset (or link file) whose LED is fitted."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Link file to write [default: DATA stem + '_fit.yaml']."),
    fit: Optional[str] = typer.Option(None, "--fit", help="Fields to fit, comma-separated [default: srh, radiative, "
                                                          "auger, extraction; + sidewall velocity with several sizes]."),
    response: str = typer.Option("carrier", "--response", help="What the bandwidth column is: carrier (drive network "
                                                               "de-embedded) or device (LED with its own RC, from --source-resistance)."),
    source_resistance: float = typer.Option(0.0, "--source-resistance", help="Source resistance of the bandwidth "
                                                                             "measurement with --response device [ohm]."),
    fmt: OutputFormat = FormatOption,
):
    """Fit the micro-LED ABC model to bandwidth and EQE vs current; write the fitted LED as a link file."""
    from rich.console import Console
    from rich.table import Table

    from microlink.calibrate.led import fit_led, read_led_data, write_led_file
    from microlink.catalog import get_parameter_set
    from microlink.cli.options import print_document, run_meta
    from microlink.errors import ParameterError

    base = get_parameter_set(preset)
    sections = base.parameters.sections()
    if "led" not in sections:
        raise ParameterError("--preset", preset, "a micro-LED preset (it has no led section)")
    led0 = sections["led"]
    rows = read_led_data(data, diameter=float(led0.diameter), temperature=float(led0.temperature))
    names = [n.strip() for n in fit.split(",") if n.strip()] if fit else None
    result = fit_led(rows, led0, fit=names, response=response, source_resistance=source_resistance)
    target = out or data.with_name(data.stem + "_fit.yaml")
    if target.suffix.lower() not in (".yaml", ".yml") or not target.parent.exists():
        raise ParameterError("--out", str(target), "a .yaml file in an existing directory")
    write_led_file(result, target, preset=preset)
    info = type(led0).field_info()
    if fmt != OutputFormat.table:
        doc = {"file": str(target), "points": result.points, "rms_relative": result.rms_relative,
               "fit": [{"field": f"led.{n}", "value": float(v), "low": float(lo), "high": float(hi),
                        "unit": info[n]["unit"], "at_bound": b}
                       for n, v, lo, hi, b in zip(result.names, result.values, result.low, result.high, result.at_bound)]}
        print_document(doc, fmt, run_meta(inputs={"data": str(data), "preset": preset, "fit": names,
                                                  "response": response, "source_resistance": source_resistance},
                                          boundary=""))
        return
    table = Table(title=f"LED fit to {data.name} ({result.points} points, {result.response} response)")
    for col, just in (("field", "left"), ("value", "right"), ("95% interval", "right"), ("unit", "left"), ("", "left")):
        table.add_column(col, justify=just)
    for n, v, lo, hi, b in zip(result.names, result.values, result.low, result.high, result.at_bound):
        table.add_row(f"led.{n}", f"{v:.4g}", f"{lo:.4g} .. {hi:.4g}", info[n]["unit"], "on a bound" if b else "")
    console = Console()
    console.print(table)
    console.print("residuals: " + ", ".join(f"{k} rms {v:.1%}" for k, v in result.rms_relative.items()))
    console.print(f"wrote {target}: use it as  microlink link --preset {target}")
