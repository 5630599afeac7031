"""Intensity-modulated, directly detected (IM/DD) PAM lane shared by the laser-based links.

Chain for one lane (everything after the transmitter's optical levels is linear)::

    optical levels P_i (VCSEL L-I or modulator transfer curve at the PAM4 drive levels)
      x transmitter response (host TX FFE, host electrical channel, driver pole, E/O response)
      x channel transmission and Gaussian fiber response (modal + chromatic)
      x responsivity, photodiode transit pole, TIA (2nd-order Butterworth), AGC gain to a fixed swing
      x receive-side electrical channel (linear links: the host channel back to the host SerDes)
      -> equaliser (host SerDes for linear links, module DSP for retimed ones): CTLE + MMSE FFE + DFE
    noise at the equaliser input: TIA input noise (feedback resistor + amplifier), shot noise, laser RIN
      (rate-equation or flat spectrum), the equaliser's own eta_0, transmitter noise of the sending SerDes,
      jitter
    BER: PAM4 with unequal levels and per-level noise (shot ~ P_i, RIN ~ P_i^2) -> FEC

Optical power margin scales the received power: the signal falls as ``1/s``; relative to it, receiver and
electrical noise grow as ``s``, shot noise as ``sqrt(s)``, RIN and ISI stay.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from microlink.ber.closed_form import pam_ber, pam_levels, symbol_variance
from microlink.channels.copper import minimum_phase_response
from microlink.channels.multimode import gaussian_response
from microlink.devices.receiver import Receiver, butterworth2_response
from microlink.channels.multimode import GAUSSIAN_SIGMA_BANDWIDTH
from microlink.devices.serdes import FRONT_END_ORDER, SerDes, butterworth_response, normalised_grid, \
    slicer_noise_variance
from microlink.errors import ParameterError
from microlink.link.base import Decision, LanePlan, Request
from microlink.link.composite import CompositeLink
from microlink.units import BOLTZMANN, ELEMENTARY_CHARGE, SPEED_OF_LIGHT, watt_to_dbm


def trailing_axis(x):
    """A per-point array given a trailing axis to broadcast against frequencies or levels; a scalar as it is."""
    x = np.asarray(x, dtype=float)
    return x[..., None] if x.ndim else x


def per_frequency(x, frequency):
    """A scalar or per-point value [...] spread over a frequency grid ``frequency [F]`` -> ``[..., F]``."""
    return trailing_axis(x) * np.ones(np.shape(frequency))


def loss_db_of(response):
    """Insertion loss of a magnitude response, for minimum-phase reconstruction [1 -> dB]."""
    return -20.0 * np.log10(np.maximum(np.abs(response), 1e-300))


def tia_noise_psd(frequency, tia: Receiver, design):
    """Input-referred current noise PSD of a shunt-feedback TIA, one-sided [Hz -> A^2/Hz].

    ``4kT/R_F + (2 pi f C_T)^2 4kT gamma / g_m`` (the integrand of
    :func:`microlink.devices.receiver.tia_input_noise_current`).
    """
    kt4 = 4.0 * BOLTZMANN * tia.temperature
    f = np.asarray(frequency, dtype=float)
    return kt4 / tia.feedback_resistance + (2.0 * np.pi * f * design["input_capacitance"]) ** 2 * kt4 * \
        tia.noise_factor / design["transconductance"]


def level_noise(penalty, split, scale=1.0):
    """Per-level slicer noise ``[..., M]`` with the received power divided by ``scale`` [1].

    Receiver and electrical noise (``fixed``) grow as ``scale`` relative to the signal, shot noise as
    ``sqrt(scale)`` in proportion to each level's photocurrent (``ratio``), RIN with the level squared, and the
    transmitter/jitter part (``proportional``) stays; ``penalty`` is the equaliser's implementation penalty.
    """
    s = np.asarray(scale, dtype=float)[..., None]
    var = (split["fixed"][..., None] * s * s + split["shot"][..., None] * split["ratio"] * s
           + split["rin"][..., None] * split["ratio"] ** 2 + split["proportional"][..., None])
    pen = np.asarray(penalty, dtype=float)
    return (pen[..., None] if pen.ndim else pen) * np.sqrt(var)


@dataclass(frozen=True, eq=False)
class IMDDLane:
    """Everything one IM/DD lane needs, with the reach-dependent parts as callables.

    A lane built from per-point parameters holds per-point values: ``[...]`` below is ``()`` for one design
    point and ``[N]`` for a batch (decided at ``N`` lengths, point by point); the symbol rate and the
    equaliser's structure are one value.

    Attributes
    ----------
    symbol_rate : float
        [Bd].
    modulation : str
        ``"NRZ"`` or ``"PAM4"``.
    level_powers : ndarray [..., M]
        Optical power of each level at the launch point [W], increasing.
    tx_response : callable f [F] [Hz] -> complex [..., F]
        Electrical + E/O response of the transmitter, normalised to the settled level [1].
    tx_noise : array_like [...]
        Transmitter electrical noise variance relative to a unit symbol [1].
    rin : callable f [F] -> [..., F]
        One-sided RIN spectrum of the source [1/Hz].
    transmission : callable length [m] [...] -> [...]
        Launch point to photodiode power transmission [1].
    fiber_rms : callable length [m] [...] -> [...]
        Gaussian rms impulse width of the fiber [s].
    responsivity : array_like [...]
        [A/W].
    pd_bandwidth : array_like [...]
        Photodiode transit-time pole [Hz].
    dark_current : array_like [...]
        [A].
    tia : Receiver
        TIA core parameters; ``tia_design`` its design at this symbol rate (values [...]).
    output_swing : array_like [...]
        AGC target: differential peak-to-peak swing between the outer levels at the TIA output [V].
    max_transimpedance : array_like [...]
        Largest TIA + AGC gain [ohm].
    rx_response : callable f [F] -> complex [..., F]
        Electrical path from the TIA output to the equaliser input [1].
    equalizer : SerDes
        The receiver that equalises and decides (its :data:`~microlink.devices.serdes.RECEIVER_STRUCTURE`
        fields one value).
    """

    symbol_rate: float
    modulation: str
    level_powers: Any
    tx_response: Callable
    tx_noise: Any
    rin: Callable
    transmission: Callable
    fiber_rms: Callable
    responsivity: Any
    pd_bandwidth: Any
    dark_current: Any
    tia: Receiver
    tia_design: dict
    output_swing: Any
    max_transimpedance: Any
    rx_response: Callable
    equalizer: SerDes

    @property
    def levels_ordered(self):
        """True where the launched levels are finite and strictly increase in drive order, so a PAM eye can open
        (a bool, or an array over the points of a lane with per-point parameters).

        False for no light (a laser switched off, a VCSEL below threshold at every level), no modulation (no
        drive swing, a ring without a notch) and a transfer curve that folds the levels (an over-driven MZM, a
        ring swept through its resonance, a VCSEL past thermal roll-over): the slicer then decides between
        levels that are not distinct or not in order, the eye is closed and the lane is a coin toss.
        """
        p = np.asarray(self.level_powers, dtype=float)
        ordered = np.all(np.isfinite(p), axis=-1) & np.all(np.diff(p, axis=-1) > 0.0, axis=-1)
        return bool(ordered) if p.ndim == 1 else ordered

    @property
    def normalised_levels(self):
        """Levels mapped so the outer ones are -1 and +1, ``[..., M]`` [1] (defined where
        :attr:`levels_ordered`; raises naming the levels where any point's are not)."""
        p = np.asarray(self.level_powers, dtype=float)
        ordered = np.asarray(self.levels_ordered)
        if not np.all(ordered):
            bad = p if p.ndim == 1 else p[np.flatnonzero(~ordered.reshape(-1))[0]]
            raise ParameterError("transmitter levels", [float(x) for x in bad * 1e3],
                                 "distinct optical levels [mW] in drive order (this lane's eye is closed: no light, "
                                 "no modulation, or a transfer curve that folds the levels)")
        return self._levels_where(ordered)

    def _levels_where(self, ordered):
        """Normalised levels where ``ordered``, the ideal PAM levels elsewhere (a placeholder for points whose
        eye is closed at the source and whose BER is 0.5) ``[..., M]`` [1]."""
        p = np.asarray(self.level_powers, dtype=float)
        ok = np.asarray(ordered)[..., None]
        half = np.where(ok, 0.5 * (p[..., -1:] - p[..., :1]), 1.0)
        mid = np.where(ok, 0.5 * (p[..., -1:] + p[..., :1]), 0.0)
        return np.where(ok, (np.where(ok, p, 0.0) - mid) / half, pam_levels(self.modulation))

    def input_noise(self, psds, transimpedance):
        """RMS noise currents at the photodiode of the unequalised receiver [V^2/Hz at the equaliser input -> A].

        Each PSD ``[..., F]`` passes the equaliser's front-end filter and is referred back through the TIA and
        AGC gain: the noise of a lane with no signal for the equaliser to normalise to.
        """
        nu = normalised_grid()
        front = np.abs(butterworth_response(nu, float(self.equalizer.rx_bandwidth_ratio), FRONT_END_ORDER)) ** 2
        df = (nu[1] - nu[0]) * float(self.symbol_rate)
        z_t = np.asarray(transimpedance, dtype=float)
        return {k: np.sqrt(np.sum(np.asarray(v, dtype=float) * front, axis=-1) * df) / z_t for k, v in psds.items()}

    @functools.cached_property
    def _fixed_responses(self):
        """What a decision needs that does not depend on the length, computed once per lane: the frequency
        grid [Hz], the photodiode, TIA and receive-path responses, the transmitter's, and the TIA's input
        noise PSD [A^2/Hz]."""
        f = normalised_grid() * float(self.symbol_rate)
        h_pd = 1.0 / (1.0 + 1j * f / trailing_axis(self.pd_bandwidth))
        h_tia = butterworth2_response(f, trailing_axis(self.tia_design["bandwidth"]))
        h_rx = self.rx_response(f)
        design = {k: trailing_axis(v) for k, v in self.tia_design.items()}
        return {"f": f, "h_pd": h_pd, "h_tia": h_tia, "h_rx": h_rx, "h_after_pd": h_pd * h_tia * h_rx,
                "h_tx": self.tx_response(f), "tia_psd": tia_noise_psd(f, self.tia.columns(), design)}

    def decide(self, length):
        """Equalised decision at a fiber length (array) -> dict of results (see module docstring).

        ``open`` [...] says where the eye can open (levels in order, a swing and a main cursor at the slicer);
        elsewhere the BER is 0.5. ``levels`` [..., M] are the normalised launched levels; a point whose levels
        are not in order has the ideal PAM levels in their place, and a lane of one design point None.
        """
        length = np.asarray(length, dtype=float)
        rs = float(self.symbol_rate)
        nu = normalised_grid()
        fixed = self._fixed_responses
        f = fixed["f"]
        ordered = self.levels_ordered
        per_point = np.ndim(ordered) > 0
        levels = self._levels_where(ordered) if (per_point or ordered) else None
        lv_ideal = pam_levels(self.modulation)
        sd2 = symbol_variance(lv_ideal)
        gain = np.asarray(self.transmission(length), dtype=float)  # [...]
        i_levels = trailing_axis(self.responsivity) * gain[..., None] * np.asarray(self.level_powers, dtype=float)  # [..., M]
        i_avg = np.mean(i_levels, axis=-1)
        i_amp = 0.5 * (i_levels[..., -1] - i_levels[..., 0])  # half the outer swing [A]
        z_t = np.minimum(self.max_transimpedance, self.output_swing / np.maximum(2.0 * np.abs(i_amp), 1e-300))
        h_fiber = gaussian_response(f, np.asarray(self.fiber_rms(length), dtype=float)[..., None])
        h_pd, h_tia, h_rx = fixed["h_pd"], fixed["h_tia"], fixed["h_rx"]
        h_signal = (i_amp * z_t)[..., None] * fixed["h_tx"] * h_fiber * fixed["h_after_pd"]
        out = np.abs(h_tia * h_rx) ** 2 * (z_t**2)[..., None]
        psd_tia = fixed["tia_psd"] * out
        psd_shot = 2.0 * ELEMENTARY_CHARGE * (i_avg + self.dark_current)[..., None] * np.abs(h_pd) ** 2 * out
        psd_rin = self.rin(f) * (i_avg**2)[..., None] * np.abs(h_fiber * h_pd) ** 2 * out
        eq = self.equalizer.equalize(nu, np.full(length.shape, rs), h_signal, psd_tia + psd_shot + psd_rin,
                                     symbol_variance_=sd2, tx_noise=self.tx_noise)
        eta0 = per_frequency(self.equalizer.rx_noise_density, f)
        # slicer variance of each noise through the chosen equaliser, in one pass: shot, RIN, TIA and the
        # equaliser's own eta_0 (taken directly: as the fixed noise less the TIA's it would be a difference of
        # nearly equal numbers where RIN or shot noise dominate)
        psds = np.broadcast_arrays(psd_shot, psd_rin, psd_tia, eta0)
        v_shot, v_rin, v_tia, v_electrical = slicer_noise_variance(self.equalizer, eq, nu, np.full(length.shape, rs),
                                                                   np.stack(psds))
        v_fixed = np.maximum(eq.sigma_noise**2 - v_shot - v_rin, 0.0)
        v_prop = eq.sigma_tx**2 + eq.sigma_jitter**2
        ratio = i_levels / np.maximum(i_avg, 1e-300)[..., None]  # [..., M]
        split = {"fixed": v_fixed, "shot": v_shot, "rin": v_rin, "proportional": v_prop, "ratio": ratio}
        # a swing at the photodiode and a main cursor at the slicer: the slicer noise can be referred to amps
        referable = (i_amp > 0.0) & (np.asarray(eq.main, dtype=float) > 0.0)
        is_open = referable & ordered
        ber = self.ber(eq, split, levels, 1.0, is_open)
        return {"eq": eq, "ber": ber, "split": split, "levels": levels, "i_levels": i_levels, "i_avg": i_avg,
                "i_amp": i_amp, "transimpedance": z_t, "gain": gain, "v_tia": v_tia, "v_electrical": v_electrical,
                "open": is_open, "referable": referable,
                "input_noise": self.input_noise({"tia": psd_tia, "shot": psd_shot, "rin": psd_rin,
                                                 "electrical": eta0}, z_t)}

    @staticmethod
    def level_sigma(eq, split, scale=1.0):
        """Per-level slicer noise with the received power divided by ``scale`` [1]."""
        return level_noise(eq.penalty, split, scale)

    def ber(self, eq, split, levels, scale=1.0, is_open=True):
        """PAM BER at a received-power scale-down ``scale`` [1 -> 1]; 0.5 where the eye is not ``is_open``."""
        return lane_ber(eq.main, eq.residual_isi, levels, self.level_sigma(eq, split, scale), is_open)


def lane_ber(main, isi, levels, level_sigma, is_open, method="average"):
    """PAM BER of an IM-DD slicer, 0.5 (a coin toss) where the eye is closed [1].

    ``levels`` None (launched levels not in order) closes every point; elsewhere ``is_open`` [...] says which
    points have a swing and a main cursor to decide on.
    """
    shape = np.broadcast_shapes(np.shape(main), np.shape(is_open))
    if levels is None or not np.any(is_open):
        return np.full(shape, 0.5)
    is_open = np.broadcast_to(is_open, shape)
    # closed points are evaluated at a unit main cursor and their BER then replaced by 0.5
    h0 = np.where(is_open, np.broadcast_to(np.asarray(main, dtype=float), shape), 1.0)
    ber = pam_ber(h0, isi, 1.0, None, levels=levels, level_sigma=level_sigma, method=method)
    return np.where(is_open, ber, 0.5)


def modulated_spectral_width(symbol_rate, wavelength):
    """Spectral width of a narrow-linewidth laser modulated at ``symbol_rate``: ``lambda^2 (R_s/2) / c``
    [Bd, m -> m] (the modulation sidebands, not the laser linewidth, set it)."""
    return 0.5 * np.asarray(symbol_rate, dtype=float) * np.asarray(wavelength, dtype=float) ** 2 / SPEED_OF_LIGHT


def laser_imdd_lane(link, lanes, level_powers, tx_response, tx_noise_variance, rx_response, equalizer) -> IMDDLane:
    """The IM-DD lane of a laser-based single-mode link (SiPh CPO, pluggables): the parts that only depend
    on the laser, fiber, photodiode, TIA and TIA stages of ``link`` are assembled here once."""
    rs = float(lanes.symbol_rate())
    design = link.tia.design(rs, link.photodiode.capacitance)
    rin = 10.0 ** (np.asarray(link.laser.rin_db_per_hz, dtype=float) / 10.0)
    width = modulated_spectral_width(rs, link.laser.wavelength)

    return IMDDLane(
        symbol_rate=rs, modulation=lanes.modulation, level_powers=level_powers, tx_response=tx_response,
        tx_noise=np.asarray(tx_noise_variance, dtype=float) * (1.0 if lanes.modulation == "PAM4" else 9.0 / 5.0),
        rin=lambda f: per_frequency(rin, f),
        transmission=link.fiber.transmission,
        fiber_rms=lambda length: link.fiber.rms_spread(length, link.laser.wavelength, width),
        responsivity=np.asarray(link.photodiode.responsivity(link.laser.wavelength), dtype=float),
        pd_bandwidth=np.asarray(link.photodiode.transit_bandwidth, dtype=float),
        dark_current=np.asarray(link.photodiode.dark_current, dtype=float),
        tia=link.tia, tia_design=design, output_swing=link.tia_stages.output_swing,
        max_transimpedance=link.tia_stages.transimpedance, rx_response=rx_response, equalizer=equalizer,
    )


def electrical_response(loss_db_function):
    """A callable f -> minimum-phase response of an electrical path given its loss function [dB]."""
    def response(f):
        loss = loss_db_function(f)
        return minimum_phase_response(np.broadcast_to(loss, np.broadcast_shapes(np.shape(loss), np.shape(f))))
    return response


def unity(f):
    """Flat response [1]."""
    return np.ones(np.shape(f), dtype=complex)


# --------------------------------------------------------------------------------------------------------
# The stages the laser-based technologies share

#: Lanes of recent decisions, keyed by the link, the host SerDes and the lane configuration's values: the margin
#: and reach solvers decide one lane at many lengths, and all but the fiber's part is the same each time. The
#: entries hold the link and SerDes they were built from, so those objects' ids stay theirs while cached.
_LANES: "OrderedDict[tuple, tuple]" = OrderedDict()
#: Lanes kept (a run needs one per lane configuration and attach).
LANES_HELD = 16
_LANES_LOCK = threading.Lock()


def _lane_and_constants(link, lanes, host_serdes):
    """``(IMDDLane, bandwidths, extras)`` of a lane configuration (:meth:`IMDDLink.imdd_lane`,
    ``bandwidths`` and ``extra_outputs``), built once and reused while cached (:data:`LANES_HELD`)."""
    values = tuple((f.name, getattr(lanes, f.name)) for f in dataclasses.fields(lanes))
    # a link with per-point parameters is flattened anew for every subset the solvers decide, and its lane
    # holds [points, F] responses: it is built each time, not held
    cacheable = all(np.ndim(v) == 0 for _, v in values) and not link.parameter_shape()
    key = (id(link), id(host_serdes), tuple((k, repr(v)) for k, v in values)) if cacheable else None
    if key is not None:
        with _LANES_LOCK:
            hit = _LANES.get(key)
            if hit is not None:
                _LANES.move_to_end(key)
                return hit[2:]
    built = (link.imdd_lane(lanes, host_serdes), dict(link.bandwidths(lanes, host_serdes)),
             dict(link.extra_outputs(lanes)))
    if key is not None:
        with _LANES_LOCK:
            _LANES[key] = (link, host_serdes) + built
            while len(_LANES) > LANES_HELD:
                _LANES.popitem(last=False)
    return built


class IMDDLink(CompositeLink):
    """Base of the laser-based technologies (VCSEL, SiPh CPO, pluggables): the chain stages of an
    :class:`IMDDLane`. Subclasses provide ``imdd_lane(lanes, host_serdes)``, ``module_energy(lanes, n_lanes,
    aggregate_rate)``, ``module_latency(lanes, reach)``, ``bandwidths(lanes, host_serdes)``,
    ``extra_outputs(lanes)``, ``lasers_per_end`` and ``fibers_per_end``."""

    #: Sections only a retimed module decides with (its DSP): a linear module (``retimed`` False) does not
    #: group its points by their structure.
    dsp_sections: ClassVar[tuple[str, ...]] = ()

    def grouped_keys(self):
        keys = super().grouped_keys()
        if not self.dsp_sections or getattr(self, "retimed", False):
            return keys
        return tuple(k for k in keys if k[0] not in self.dsp_sections)

    def decide(self, request: Request, plan: LanePlan, attach, length) -> Decision:
        """Equalised IM-DD decision at the lengths (see module docstring)."""
        lanes = self.lanes_for(request)
        n = request.size
        lane, lane_bandwidths, lane_extras = _lane_and_constants(self, lanes, attach.host_serdes)
        length = np.broadcast_to(np.asarray(length, dtype=float), (n,))
        dec = lane.decide(length)
        eq, split, levels = dec["eq"], dec["split"], dec["levels"]
        main = np.broadcast_to(np.asarray(eq.main, dtype=float), (n,))
        isi = np.broadcast_to(np.asarray(eq.residual_isi, dtype=float), (n,) + np.shape(eq.residual_isi)[-1:])
        penalty = np.broadcast_to(np.asarray(eq.penalty, dtype=float), (n,))
        parts = {k: np.broadcast_to(np.asarray(split[k], dtype=float), (n,))
                 for k in ("fixed", "shot", "rin", "proportional")}
        parts["ratio"] = np.broadcast_to(np.asarray(split["ratio"], dtype=float),
                                         (n,) + np.shape(split["ratio"])[-1:])

        is_open = np.broadcast_to(dec["open"], (n,))

        per_point_levels = levels is not None and np.ndim(levels) > 1

        def ber_at_scale(scale, idx):
            sub = {k: v[idx] for k, v in parts.items()}
            return lane_ber(main[idx], isi[idx], levels[idx] if per_point_levels else levels,
                            level_noise(penalty[idx], sub, scale), is_open[idx])

        sig_w = lane.level_sigma(eq, split)
        ber_w = lane_ber(eq.main, eq.residual_isi, levels, sig_w, dec["open"], method="worst")
        resp = lane.responsivity
        amp = np.abs(dec["i_amp"])
        referable = dec["referable"]
        to_amps = np.where(referable, amp, 0.0) / np.where(referable, eq.main, 1.0)  # slicer units -> [A]
        raw = dec["input_noise"]  # where there is no swing or main cursor to refer the slicer noise to

        def noise_amps(slicer_sigma, key=None):
            return np.where(referable, slicer_sigma * to_amps, 0.0 if key is None else raw[key])

        pw = np.asarray(lane.level_powers, dtype=float)
        bw = dict(lane_bandwidths)
        bw["fiber"] = np.minimum(GAUSSIAN_SIGMA_BANDWIDTH / np.maximum(np.asarray(lane.fiber_rms(length)), 1e-300),
                                 1e15)
        # the decision levels are an affine map of the launched ones, so their spacing ratio is that of ``pw``;
        # closed at the source: no light (0 dB, -inf dBm), no modulation, or folded levels (spacing <= 0)
        steps = np.diff(pw, axis=-1)
        top, bottom = pw[..., -1], pw[..., 0]
        er_db = np.where(np.max(pw, axis=-1) > 0,
                         10.0 * np.log10(np.maximum(top, 1e-300) / np.maximum(bottom, 1e-300)), 0.0)
        oma_dbm = watt_to_dbm(np.abs(top - bottom))
        widest = np.max(steps, axis=-1)
        spacing = np.where(widest > 0, np.min(steps, axis=-1) / np.where(widest > 0, widest, 1.0), 0.0)
        extras = {
            "extinction_ratio_db": er_db,
            "launched_oma_dbm": oma_dbm,
            "responsivity_a_per_w": resp,
            "level_spacing_ratio": spacing,
            "slicer_snr_db": eq.snr_db,
            "noise_enhancement_db": eq.noise_enhancement_db,
            "lasers_per_end": self.lasers_per_end(plan.lanes_active),
            **lane_extras,
        }
        return Decision(
            ber=np.minimum(dec["ber"], 0.5), ber_worst_case=np.minimum(ber_w, 0.5), ber_at_scale=ber_at_scale,
            main_cursor=eq.main, isi_closure=eq.isi_abs_sum, signal_amplitude=amp,
            noise={
                "tia": noise_amps(np.sqrt(dec["v_tia"]), "tia"),
                "shot": noise_amps(np.sqrt(split["shot"]), "shot"),
                "rin": noise_amps(np.sqrt(split["rin"]), "rin"),
                "electrical": noise_amps(np.sqrt(dec["v_electrical"]), "electrical"),
                "transmitter": noise_amps(eq.sigma_tx),
                "jitter": noise_amps(eq.sigma_jitter),
            },
            crosstalk=0.0, bandwidth=bw, launched_power=np.mean(pw, axis=-1), received_power=dec["i_avg"] / resp,
            received_oma=2.0 * amp / resp, extras=extras,
        )

    def energy(self, request: Request, plan: LanePlan, attach) -> dict:
        lanes = self.lanes_for(request)
        return self.module_energy(lanes, plan.lanes_active, request.aggregate_rate)

    def latency(self, request: Request, plan: LanePlan, attach, length) -> dict:
        return self.module_latency(self.lanes_for(request), length)

    def media_per_end(self, plan: LanePlan):
        return self.fibers_per_end(plan.lanes_active), "fibers"

    def decision_model(self, reach=10.0, *, lane_rate=None):
        """Equalised decision model of one lane (scalar reach), with the native host SerDes."""
        return optical_decision_model(self, reach, lane_rate=lane_rate)


def optical_decision_model(p, reach, *, lane_rate=None):
    """:class:`~microlink.ber.model.DecisionModel` of one equalised lane at a scalar reach.

    The model is the equalised lane: equalised pulse (DFE feedback subtracted), the lane's own (possibly
    unequal) level positions and the noise of every level from the per-level split.
    """
    from microlink.ber.model import DecisionModel
    from microlink.errors import ParameterError
    from microlink.link.copper import with_dfe_feedback

    p.require_one_point()
    if np.ndim(reach):
        raise ParameterError("reach", reach, "a scalar length for a decision model")
    lanes = p.lanes if lane_rate is None else p.lanes.replace(payload_rate=float(lane_rate))
    lane = p.imdd_lane(lanes, p.own_host_serdes())
    lane.normalised_levels  # noqa: B018 - raises, naming the levels, where the eye is closed at the source
    dec = lane.decide(np.asarray(float(reach)))
    if not bool(dec["open"]):
        raise ParameterError("reach", float(reach), "a length at which a swing and a main cursor reach this "
                             "lane's slicer (its eye is closed here)")
    eq = dec["eq"]
    amp = float(dec["i_amp"])
    sig = lane.level_sigma(eq, dec["split"]) / float(eq.main) * amp
    return DecisionModel(
        pulse=with_dfe_feedback(eq) / float(eq.main), samples_per_symbol=eq.samples_per_symbol,
        symbol_rate=lane.symbol_rate, modulation=lanes.modulation, amplitude=amp,
        sigma_one=float(sig[..., -1]), sigma_zero=float(sig[..., 0]),
        level_positions=np.asarray(dec["levels"], dtype=float).reshape(-1), sigma_levels=np.asarray(sig).reshape(-1),
        label=f"{p.technology} lane, {lanes.payload_rate / 1e9:g}G {lanes.modulation}, {float(reach):g} m, equalised",
    )
