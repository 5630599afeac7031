"""Optical receiver front end: shunt-feedback TIA designed for the lane rate, decision and clocking.

The TIA is *designed*, not looked up: for a target bandwidth ``f_0 = k_bw R_b`` and a total input
capacitance ``C_T`` (photodiode + amplifier input), a shunt-feedback TIA with feedback resistor ``R_F``
and a single-pole voltage amplifier reaches a second-order Butterworth response only if its
gain-bandwidth product is ``GBW = 2 pi R_F C_T f_0^2`` (the "transimpedance limit", Saeckinger,
*Broadband Circuits for Optical Fiber Communication*, 2005, sec. 6.2). The amplifier is a
transconductance ``g_m = 2 pi GBW C_L`` driving its load ``C_L``, biased at ``I_D = g_m / (g_m/I_D)``, so
the TIA power ``V_dd I_D`` scales with ``R_F C_T f_0^2``: small photodiodes make cheap receivers.

Input-referred noise (white, then ``f^2`` from the amplifier's voltage noise on ``C_T``), integrated through
the Butterworth response (noise-bandwidth integrals ``I_2 = I_f2 = pi/(2 sqrt 2) = 1.1107``):

``i_n^2 = (4 k T / R_F) I_2 f_0 + (2 pi C_T)^2 (4 k T gamma / g_m) I_f2 f_0^3``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microlink.parameters import Parameters, Source, choice, param
from microlink.units import BOLTZMANN

#: Noise-bandwidth integrals of a 2nd-order Butterworth response (|H|^2 = 1/(1 + x^4)):
#: int_0^inf dx/(1+x^4) = int_0^inf x^2 dx/(1+x^4) = pi / (2 sqrt 2).
BUTTERWORTH2_NOISE_INTEGRAL = np.pi / (2.0 * np.sqrt(2.0))


def required_gain_bandwidth(feedback_resistance, input_capacitance, bandwidth):
    """GBW a shunt-feedback TIA needs for a Butterworth response at ``bandwidth`` [ohm, F, Hz -> Hz]."""
    return 2.0 * np.pi * feedback_resistance * np.asarray(input_capacitance, dtype=float) * np.asarray(bandwidth, dtype=float) ** 2


def amplifier_transconductance(gain_bandwidth, load_capacitance):
    """Transconductance that sets a gain-bandwidth product into a load, ``2 pi GBW C_L`` [Hz, F -> S]."""
    return 2.0 * np.pi * np.asarray(gain_bandwidth, dtype=float) * load_capacitance


def tia_input_noise_current(feedback_resistance, input_capacitance, bandwidth, transconductance,
                            temperature, noise_factor):
    """RMS input-referred noise current of the TIA over its Butterworth response [ohm, F, Hz, S, K, 1 -> A].

    See the module docstring for the two terms (feedback-resistor thermal noise and amplifier channel noise
    converted by the input capacitance).
    """
    kt4 = 4.0 * BOLTZMANN * np.asarray(temperature, dtype=float)
    f0 = np.asarray(bandwidth, dtype=float)
    white = kt4 / feedback_resistance * BUTTERWORTH2_NOISE_INTEGRAL * f0
    en2 = kt4 * noise_factor / np.asarray(transconductance, dtype=float)
    f2 = (2.0 * np.pi * np.asarray(input_capacitance, dtype=float)) ** 2 * en2 * BUTTERWORTH2_NOISE_INTEGRAL * f0**3
    return np.sqrt(white + f2)


def butterworth2_response(frequency, bandwidth):
    """Complex response of a 2nd-order Butterworth low-pass [Hz, Hz -> 1]."""
    x = np.asarray(frequency, dtype=float) / np.asarray(bandwidth, dtype=float)
    return 1.0 / (1.0 - x * x + 1j * np.sqrt(2.0) * x)


@dataclass(frozen=True, eq=False)
class Receiver(Parameters):
    """TIA, decision circuit and clocking of one optical lane."""

    section = "receiver"

    feedback_resistance: float = param(
        10e3, unit="ohm", bounds=(10.0, 10e6), display=("kohm", 1e3),
        source=Source("feedback-resistor noise table, 1.3 pA/rtHz at 10 kohm (links.md 2.4)", "assumption",
                      "10 kohm: low noise while keeping the required GBW modest for small-C photodiodes"),
    )
    amplifier_input_capacitance: float = param(
        15e-15, unit="F", bounds=(0.0, 10e-12), display=("fF", 1e-15),
        source=Source("gate capacitance of a 16 nm input device sized for ~1 mS", "assumption",
                      "15 fF"),
    )
    load_capacitance: float = param(
        15e-15, unit="F", bounds=(1e-18, 10e-12), display=("fF", 1e-15),
        source=Source("next-stage input plus wiring in 16 nm CMOS", "assumption", "15 fF"),
    )
    gm_over_id: float = param(
        15.0, unit="1/V", bounds=(1.0, 40.0),
        source=Source("moderate-inversion MOSFET efficiency (gm/ID design methodology)", "literature",
                      "10-20 1/V in moderate inversion"),
    )
    transconductance_excess: float = param(
        2.0, unit="1", bounds=(1.0, 100.0),
        source=Source("noise/power trade-off of the TIA core", "assumption",
                      "bias at 2x the transconductance the bandwidth alone needs, lowering the f^2 noise"),
    )
    noise_factor: float = param(
        1.0, unit="1", bounds=(0.3, 5.0),
        source=Source("channel thermal-noise factor gamma of short-channel MOSFETs", "literature",
                      "gamma ~ 2/3 long channel, ~1 at 16 nm"),
    )
    supply_voltage: float = param(
        0.8, unit="V", bounds=(0.1, 5.0),
        source=Source("TSMC N16 core supply (Avicena Kyoto IC in N16, links.md 1.2)", "literature"),
    )
    bandwidth_ratio: float = param(
        0.6, unit="1", bounds=(0.2, 2.0),
        source=Source("NRZ receiver bandwidth ~0.5-0.7 of the bit rate (Saeckinger 2005, sec. 4.8)", "literature"),
    )
    post_amplifier_energy: float = param(
        20e-15, unit="J/bit", bounds=(0.0, 1e-9), display=("fJ/bit", 1e-15),
        source=Source("limiting/post amplifier after the TIA", "assumption",
                      "20 fJ/bit: ~two CML-free inverter stages at 0.8 V"),
    )
    decision_energy: float = param(
        10e-15, unit="J/bit", bounds=(0.0, 1e-9), display=("fJ/bit", 1e-15),
        source=Source("StrongARM comparator in 16 nm switches ~10 fF at 0.8 V", "assumption", "10 fJ/bit"),
    )
    clocking: str = choice(
        "forwarded", options=("forwarded", "cdr"),
        source=Source("micro-LED bundles forward a clock on a spare lane; pluggables recover it per lane",
                      "assumption", "forwarded clock with per-lane deskew by default; either way the deskew or CDR "
                      "is trained to centre each lane's sampler in the eye that jitter and skew leave open"),
    )
    forwarded_clock_energy: float = param(
        30e-15, unit="J/bit", bounds=(0.0, 1e-9), display=("fJ/bit", 1e-15),
        source=Source("clock distribution + per-lane DLL deskew", "assumption", "30 fJ/bit per lane"),
    )
    cdr_energy: float = param(
        200e-15, unit="J/bit", bounds=(0.0, 1e-9), display=("fJ/bit", 1e-15),
        source=Source("phase-interpolator CDR of a few-Gb/s lane, ~0.5-1 mW in 16 nm", "assumption",
                      "200 fJ/bit per lane"),
    )
    ffe_taps: float = param(
        0, unit="1", bounds=(0, 15),
        source=Source("short receive FFE of optical NRZ links: 3-5 taps (e.g. 802.3 short-reach receivers)",
                      "assumption", "off (0) by default: the micro-LED receiver is a bare TIA and slicer; "
                      "1-15 taps turns on an MMSE FFE at the TIA output (a whole number; arrays of it are decided "
                                    "one value at a time)"),
    )
    ffe_pre_taps: float = param(
        1, unit="1", bounds=(0, 7),
        source=Source("one precursor tap covers the rise of an LED pulse", "assumption",
                      "1 precursor tap when the FFE is on"),
    )
    ffe_tap_energy: float = param(
        15e-15, unit="J/bit", bounds=(0.0, 1e-9), display=("fJ/bit", 1e-15),
        source=Source("analog current-summing FIR tap with its delay cell at a few Gb/s in 16-28 nm CMOS",
                      "assumption", "15 fJ/bit per tap (~50 uW per tap at 3.3 Gb/s), no published micro-LED "
                      "receiver FFE figure"),
    )
    temperature: float = param(
        343.0, unit="K", bounds=(200.0, 450.0),
        source=Source("co-packaged receiver beside a hot ASIC", "assumption", "70 C, as for the LED"),
    )

    def design(self, bit_rate, photodiode_capacitance):
        """Size the TIA for a lane rate [b/s, F -> dict of bandwidth Hz, gbw Hz, gm S, power W, noise A]."""
        f0 = self.bandwidth_ratio * np.asarray(bit_rate, dtype=float)
        c_t = np.asarray(photodiode_capacitance, dtype=float) + self.amplifier_input_capacitance
        gbw = required_gain_bandwidth(self.feedback_resistance, c_t, f0)
        gm = self.transconductance_excess * amplifier_transconductance(gbw, self.load_capacitance)
        power = self.supply_voltage * gm / self.gm_over_id
        noise = tia_input_noise_current(self.feedback_resistance, c_t, f0, gm, self.temperature, self.noise_factor)
        return {"bandwidth": f0, "gain_bandwidth": gbw, "transconductance": gm, "power": power,
                "noise_current": noise, "input_capacitance": c_t}

    def clock_energy(self):
        """Clocking energy per bit for the chosen scheme [J]."""
        return self.forwarded_clock_energy if self.clocking == "forwarded" else self.cdr_energy

    @property
    def noise_bandwidth_factor(self):
        """Noise bandwidth of the Butterworth response in units of its -3 dB bandwidth [1]."""
        return BUTTERWORTH2_NOISE_INTEGRAL
