"""Host electrical interface and gearbox between the host's lanes and N slow optical lanes.

A co-packaged micro-LED engine talks to its host die over a die-to-die interface (UCIe/OpenHBI class);
a module-style product (QSFP/OSFP) talks over the host's long-reach SerDes. The gearbox re-maps and deskews
the host lanes onto the optical lanes and manages spare lanes. Both are charged per payload bit at each
end of the link.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, choice, param

#: Die-to-die attach: energy of one crossing, both halves [J/bit], one-way latency [s] and raw BER [1].
D2D_ENERGY_PER_BIT = 0.5e-12
D2D_LATENCY = 2e-9
D2D_SOURCE = Source(
    "UCIe 1.0 die-to-die PHY ~0.5 pJ/bit per crossing, both halves, and BER <= 1e-15 at 32 GT/s without FEC "
    "(UCIe 1.0 specification; Das Sharma et al., Hot Chips 2023 tutorial); Avicena's engine attaches over "
    "an OpenHBI D2D interface (docs/reference/links.md 1.2)", "standard",
    "latency ~2 ns for PHY + adapter")

#: What each attach kind is, for the one-line boundary of every result.
ATTACH_DESCRIPTIONS = {
    "d2d": "die-to-die parallel interface (UCIe/OpenHBI class)",
    "xsr": "extra-short-reach in-package SerDes (CEI-112G-XSR class)",
    "vsr": "chip-to-module SerDes over package and a short trace (C2M/VSR class)",
    "lr": "long-reach host SerDes over the host board (CR/KR class)",
}


@dataclass(frozen=True, eq=False)
class HostInterface(Parameters):
    """Host-side electrical interface and gearbox of one link end."""

    section = "host"

    kind: str = choice(
        "d2d", options=tuple(ATTACH_DESCRIPTIONS),
        source=Source("co-packaged optics attach to the host over a die-to-die interface", "assumption",
                      "d2d for CPO; lr for a pluggable-style module; the attach a product ships with "
                      "('native' in microlink.link.attach)"),
    )
    gearbox_logic_energy: float = param(
        0.05e-12, unit="J/bit", bounds=(0.0, 1e-10), display=("pJ/bit", 1e-12),
        source=Source("lane mapping, deskew FIFOs and spare-lane steering in 16 nm logic", "assumption",
                      "0.05 pJ/bit: a few hundred gate toggles per bit at 0.8 V"),
    )
    gearbox_latency: float = param(
        3e-9, unit="s", bounds=(0.0, 1e-6), display=("ns", 1e-9),
        source=Source("deskew buffer of a few slow-lane UIs plus mapping", "assumption", "3 ns per end"),
    )
    static_power: float = param(
        0.05, unit="W", bounds=(0.0, 100.0),
        source=Source("PLL, bias and management of a co-packaged engine", "assumption", "50 mW per end"),
    )
