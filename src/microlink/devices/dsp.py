"""The DSP of a retimed optical module: host-side SerDes, line-side DAC/ADC transceiver, digital core.

A pluggable DSP terminates the host's electrical lanes (chip-to-module SerDes RX and TX) and regenerates the
line signal (a DAC-based transmitter with FFE and an ADC-based receiver with a long FFE), so its energy per
bit is that of two SerDes per lane and direction plus a digital core (PLLs, gearbox, optional FEC
monitoring, management) (Sun et al., "800G DSP ASIC design", OFC 2022 tutorial material; the block energies
come from :mod:`microlink.devices.serdes`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.devices.serdes import SerDes
from microlink.parameters import Parameters, Source, param


@dataclass(frozen=True, eq=False)
class DSPCore(Parameters):
    """The digital core of a module DSP (per module end)."""

    section = "dsp_core"

    static_power: float = param(
        1.0, unit="W", bounds=(0.0, 100.0),
        source=Source("PLLs, management, PRBS/FEC monitors and leakage of a 5 nm 800G DSP die; anchored on "
                      "'the DSP is > 60 % of pluggable module power' (SemiAnalysis, systems_and_market.md 1.6)",
                      "assumption", "1.0 W per module DSP (no source gives the split)"),
    )
    logic_energy: float = param(
        0.5e-12, unit="J/bit", bounds=(0.0, 1e-9), display=("pJ/bit", 1e-12),
        source=Source("lane mapping, gearbox, alignment markers and FEC monitoring per payload bit and "
                      "direction; anchored as static_power", "assumption", "0.5 pJ/bit"),
    )
    latency: float = param(
        40e-9, unit="s", bounds=(0.0, 1e-5), display=("ns", 1e-9),
        source=Source("SemiAnalysis: the DSP is > 90 % of a pluggable's latency (systems_and_market.md 1.6); "
                      "DSP retimer pipelines are tens of ns", "assumption", "40 ns per module DSP"),
    )


def dsp_energy_per_bit(host_side: SerDes, line_side: SerDes, core: DSPCore, host_symbol_rate, line_symbol_rate,
                       bits_per_symbol, line_overhead=1.0):
    """Energy per payload bit of one direction, both ends' DSPs, by block [Bd, Bd, bit, 1 -> J].

    The transmitting end spends host-side RX + line-side TX, the receiving end line-side RX + host-side TX;
    together that is one full host-side and one full line-side SerDes (``tx + rx + clock``) per lane
    direction, plus the core logic at both ends. ``line_overhead`` converts line to payload bits.
    """
    host = host_side.energy_per_bit(host_symbol_rate, bits_per_symbol)
    line = line_side.energy_per_bit(line_symbol_rate, bits_per_symbol)
    o = np.asarray(line_overhead, dtype=float)
    return {
        "dsp_host_side": (host["tx"] + host["rx"] + host["clock"]) * o,
        "dsp_line_side": (line["tx"] + line["rx"] + line["clock"]) * o,
        "dsp_core": np.asarray(core.logic_energy, dtype=float) * 2.0,
    }
