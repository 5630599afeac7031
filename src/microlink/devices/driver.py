"""Current-mode micro-LED driver: drive levels, pre-emphasis and energy per bit.

The LED is biased at a mean current ``I_b`` and modulated by NRZ data. The peak excursion is limited to
``m I_b`` (``m <= 1`` keeps the LED forward biased). A two-tap transmit pre-emphasis with coefficient
``alpha`` boosts transitions: under the peak limit the settled excursion is ``m I_b (1 - alpha)/(1 + alpha)``
while the first bit after a transition reaches the full ``m I_b``.

Energy per bit (random NRZ, transition density 1/2):

* LED: ``<V_F(I) I> / R_b`` averaged over the two settled levels,
* driver: current-source headroom ``V_h <I> / R_b`` plus switched capacitance ``a C_sw V_dd^2`` with
  ``a = 1/2`` transitions per bit, plus static bias ``P_static / R_b``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, param
from microlink.signals import complex_from_parts, complex_product

TRANSITION_DENSITY_NRZ = 0.5  # [transitions/bit] of random (scrambled) NRZ data


def settled_excursion(bias_current, modulation_depth, pre_emphasis):
    """Settled current excursion ``m I_b (1 - alpha)/(1 + alpha)`` [A, 1, 1 -> A]."""
    a = np.asarray(pre_emphasis, dtype=float)
    return np.asarray(bias_current, dtype=float) * np.asarray(modulation_depth, dtype=float) * (1.0 - a) / (1.0 + a)


def drive_levels(bias_current, modulation_depth, pre_emphasis):
    """Settled ``(I_one, I_zero)`` drive currents [A, 1, 1 -> (A, A)]."""
    d = settled_excursion(bias_current, modulation_depth, pre_emphasis)
    b = np.asarray(bias_current, dtype=float)
    return b + d, b - d


def prbs(order=7):
    """One period of a maximal-length pseudo-random bit sequence [int -> int8 array of 2^order - 1 bits].

    Fibonacci LFSR with the ITU-T O.150 polynomials (PRBS7: x^7 + x^6 + 1; PRBS9: x^9 + x^5 + 1;
    PRBS11: x^11 + x^9 + 1), all-ones seed, so the pattern is fixed (no randomness to record).
    """
    taps = {7: (7, 6), 9: (9, 5), 11: (11, 9)}
    if order not in taps:
        from microlink.errors import ParameterError

        raise ParameterError("prbs order", order, "7, 9 or 11")
    t1, t2 = taps[order]
    state = [1] * order
    out = np.empty(2**order - 1, dtype=np.int8)
    for k in range(out.size):
        bit = state[t1 - 1] ^ state[t2 - 1]
        out[k] = state[-1]
        state = [bit] + state[:-1]
    return out


def drive_waveform(bits, bias_current, modulation_depth, pre_emphasis, samples_per_symbol):
    """Drive current of a periodic NRZ pattern with two-tap transmit pre-emphasis [-, A, 1, 1, int -> A].

    Symbol ``s_k = 2 b_k - 1``; current ``I_b + m I_b (s_k - alpha s_(k-1)) / (1 + alpha)``, held for one unit
    interval (``samples_per_symbol`` samples). The first bit after a transition reaches the full ``m I_b``,
    settled bits ``m I_b (1 - alpha)/(1 + alpha)`` (:func:`settled_excursion`). Returns ``[..., N sps]``.
    """
    s = 2.0 * np.asarray(bits, dtype=float) - 1.0
    a = np.asarray(pre_emphasis, dtype=float)[..., None]
    ib = np.asarray(bias_current, dtype=float)[..., None]
    m = np.asarray(modulation_depth, dtype=float)[..., None]
    x = ib + m * ib * (s - a * np.roll(s, 1)) / (1.0 + a)
    return np.repeat(x, int(samples_per_symbol), axis=-1)


def pattern_spectrum(bits, samples_per_symbol):
    """``rfft`` of the held symbols ``2 b - 1`` of a periodic pattern, and each bin's one-symbol delay angle
    ``2 pi k / n_bits`` (``exp(-i angle)``: one symbol late) [-, int -> 1, rad]."""
    s = np.repeat(2.0 * np.asarray(bits, dtype=float) - 1.0, int(samples_per_symbol))
    spec = np.fft.rfft(s)
    return spec, 2.0 * np.pi * np.arange(spec.size) / np.asarray(bits).size


def drive_spectrum(bits, bias_current, modulation_depth, pre_emphasis, samples_per_symbol):
    """``rfft`` of :func:`drive_waveform` along its last axis, from the pattern's own transform [-, A, 1, 1, int -> A].

    The waveform is ``I_b + K (S(t) - alpha S(t - T))`` with ``K = m I_b / (1 + alpha)`` and ``S`` the held
    symbols: its transform is ``I_b N`` at DC plus ``K S_k (1 - alpha exp(-2 pi i k / n_bits))``, so one
    transform of the pattern serves every design point. Returns ``[..., N sps / 2 + 1]``.
    """
    spec, angle = pattern_spectrum(bits, samples_per_symbol)
    n = np.asarray(bits).size * int(samples_per_symbol)
    a = np.asarray(pre_emphasis, dtype=float)[..., None]
    ib = np.asarray(bias_current, dtype=float)[..., None]
    k = np.asarray(modulation_depth, dtype=float)[..., None] * ib / (1.0 + a)
    # k spec (1 - a exp(-i angle)) in real operations: a point's value never depends on its batch
    qr, qi = 1.0 - a * np.cos(angle), a * np.sin(angle)
    out = complex_product(spec, complex_from_parts(qr, qi))
    out = complex_from_parts(k * out.real, k * out.imag)
    out.real[..., 0] += ib[..., 0] * n
    return out


def switching_energy_per_bit(switched_capacitance, supply_voltage, transition_density=TRANSITION_DENSITY_NRZ):
    """Dynamic energy ``a C V^2`` per bit [F, V, 1 -> J]."""
    return transition_density * np.asarray(switched_capacitance, dtype=float) * np.asarray(supply_voltage, dtype=float) ** 2


@dataclass(frozen=True, eq=False)
class LEDDriver(Parameters):
    """CMOS current-mode driver of one micro-LED lane."""

    section = "driver"

    bias_current: float = param(
        100e-6, unit="A", bounds=(1e-7, 0.1), display=("uA", 1e-6),
        source=Source("Avicena SC25: 80 fJ/bit per LED at 100 uA drive (links.md 1.2)", "measured"),
    )
    modulation_depth: float = param(
        0.9, unit="1", bounds=(0.01, 1.0),
        source=Source("NRZ OOK on a forward-biased LED", "assumption",
                      "the zero level is kept at 10 % of bias so the junction never turns off (no turn-on delay)"),
    )
    pre_emphasis: float = param(
        0.0, unit="1", bounds=(0.0, 0.9),
        source=Source("two-tap transmit FFE, standard practice for bandwidth-limited LEDs", "assumption",
                      "off by default; presets set it where the LED is slow for its lane rate"),
    )
    output_resistance: float = param(
        200.0, unit="ohm", bounds=(0.0, 1e8),
        source=Source("on-die current driver output stage", "assumption",
                      "a few hundred ohms of switch on-resistance in series with the LED (the source resistance "
                      "of the LED's drive network; a cascoded current source would be several kohm)"),
    )
    headroom_voltage: float = param(
        0.2, unit="V", bounds=(0.0, 5.0),
        source=Source("compliance of a cascoded current source in 16 nm CMOS", "assumption",
                      "~0.2 V above the LED forward voltage"),
    )
    switched_capacitance: float = param(
        20e-15, unit="F", bounds=(0.0, 10e-12), display=("fF", 1e-15),
        source=Source("links.md 5: charging a node CV^2, 10-50 fF at 1 V", "assumption",
                      "20 fF of pre-driver and output-switch gates per lane"),
    )
    supply_voltage: float = param(
        0.8, unit="V", bounds=(0.1, 5.0),
        source=Source("TSMC N16 core supply (Avicena Kyoto IC in N16, links.md 1.2)", "literature"),
    )
    static_power: float = param(
        10e-6, unit="W", bounds=(0.0, 1.0), display=("uW", 1e-6),
        source=Source("bias network of a current DAC", "assumption", "10 uW per lane of reference currents"),
    )

    def levels(self):
        """Settled one/zero currents [A]."""
        return drive_levels(self.bias_current, self.modulation_depth, self.pre_emphasis)

    def energy_per_bit(self, bit_rate, mean_current=None):
        """Driver energy per bit (headroom + switching + static) [b/s, A -> J]."""
        i = self.bias_current if mean_current is None else mean_current
        r = np.asarray(bit_rate, dtype=float)
        return (
            self.headroom_voltage * i / r
            + switching_energy_per_bit(self.switched_capacitance, self.supply_voltage)
            + self.static_power / r
        )
