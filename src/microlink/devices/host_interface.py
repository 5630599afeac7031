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

#: Energy per bit of one crossing of each host interface kind (both its transmit and receive halves)
#: [J/bit] and its one-way latency [s]. A link crosses the interface twice (host -> engine at the
#: transmitting end, engine -> host at the receiving end); half of each crossing is on the host die.
HOST_INTERFACES = {
    "d2d": (0.5e-12, 2e-9, Source(
        "UCIe 1.0 die-to-die PHY ~0.5 pJ/bit (UCIe specification overview, Das Sharma et al., Hot Chips 2023 "
        "tutorial); Avicena Kyoto uses an OpenHBI D2D interface (links.md 1.2)", "standard",
        "latency ~2 ns for PHY + adapter")),
    "xsr_serdes": (1.3e-12, 5e-9, Source(
        "NVLink-C2C class short-reach link, 1.3 pJ/bit, < 5 ns (links.md section 3, 2nd-hand)", "claim")),
    "lr_serdes": (None, 20e-9, Source(
        "long-reach 200G PAM4 SerDes: energy from the SerDes block model (devices.serdes.SerDes at 106.25 GBd "
        "PAM4: transmitter, receiver with ADC/FFE/DFE, clocking; ~3.3 pJ/bit, below the 5.5 pJ/bit "
        "second-hand claim of links.md section 3); PAM4+FEC SerDes latency ~20 ns (links.md section 4)",
        "derived")),
}

#: Symbol rate at which the long-reach host SerDes is charged [Bd] (224G-class electrical lane).
LR_SERDES_SYMBOL_RATE = 106.25e9


def lr_serdes_energy_per_bit() -> float:
    """Energy of one crossing of a 200G PAM4 long-reach SerDes, tx + rx + clock [J/bit]."""
    from microlink.devices.serdes import SerDes

    parts = SerDes().energy_per_bit(LR_SERDES_SYMBOL_RATE, 2)
    return float(sum(np.asarray(v, dtype=float) for v in parts.values()))


def gearbox_energy_per_bit(logic_energy, host_interface_energy):
    """Energy of one end's gearbox logic plus its host-interface crossing [J, J -> J]."""
    return np.asarray(logic_energy, dtype=float) + np.asarray(host_interface_energy, dtype=float)


@dataclass(frozen=True, eq=False)
class HostInterface(Parameters):
    """Host-side electrical interface and gearbox of one link end."""

    section = "host"

    kind: str = choice(
        "d2d", options=tuple(HOST_INTERFACES),
        source=Source("co-packaged optics attach to the host over a die-to-die interface", "assumption",
                      "d2d for CPO; lr_serdes for a pluggable-style module"),
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

    @property
    def interface_energy(self) -> float:
        """Energy per bit of one crossing of the host interface [J]."""
        energy = HOST_INTERFACES[self.kind][0]
        return lr_serdes_energy_per_bit() if energy is None else energy

    @property
    def interface_latency(self) -> float:
        """One-way latency of the host interface [s]."""
        return HOST_INTERFACES[self.kind][1]

    @property
    def interface_source(self) -> Source:
        """Citation of the host-interface figures."""
        return HOST_INTERFACES[self.kind][2]
