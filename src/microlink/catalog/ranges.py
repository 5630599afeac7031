"""Ranges of the values the catalog presets rest on: the spread of published values, or a stated assumption.

Each preset's point values are its best estimates; the :class:`~microlink.parameters.Range` beside a value
says how far the credible values spread and why. They are keyed by preset name and ``"section.field"``
(SI values, as the fields store them) and attached to :class:`~microlink.catalog.ParameterSet` as
``ranges`` when a set is built, after checking that every key names a numeric field of the set, that the
range lies inside the field's bounds and that it contains the preset's value (any failure raises
:class:`~microlink.errors.ParameterError`, so a bad range stops at definition, not inside a Monte Carlo).

Field-level ranges declared with ``param(range=...)`` apply too, where the preset keeps the field default.

Where a value is measured or set by a standard (Avicena's 3.3 Gb/s lanes, the 802.3 RS-FEC), no range is
given: the uncertainty that matters is in what nobody has published.
"""

from __future__ import annotations

import dataclasses

from microlink.errors import ParameterError
from microlink.parameters import Range, Source, field_ranges

CM = 1e-2  # [m]
NM = 1e-9  # [m]
PJ = 1e-12  # [J]
FF = 1e-15  # [F]
INCH = 0.0254  # [m]
MW = 1e-3  # [W]


def _r(low, high, source: Source, distribution: str = "uniform", **kw) -> Range:
    return Range(float(low), float(high), distribution, source, **kw)


def _a(citation: str, why: str) -> Source:
    return Source(citation, "assumption", why)


# ------------------------------------------------------------------------------------------------ micro-LED

_ABC = "abc-fit"  # one wafer's ABC fit: B and C are fitted together and rise together along the fitted peak


def _microled(lee: float, exponent: float, xt: float) -> dict[str, Range]:
    """Ranges shared by the micro-LED presets, centred on a preset's extraction, far field and crosstalk."""
    return {
        "led.spectral_width": _r(15 * NM, 25 * NM, Source(
            "blue InGaN LED emission FWHM 15-25 nm (E. F. Schubert, Light-Emitting Diodes, 2nd ed., 2006, ch. 12)",
            "literature", "symmetric about the 20 nm default")),
        "led.radiative_coefficient": _r(1e-11 * CM**3, 2e-11 * CM**3, _a(
            "InGaN ABC modelling values 1e-11..2e-11 cm^3/s (Sci. Rep. 7, 44814 (2017) and the ABC literature)",
            "the spread of modelling values; B and C of one fit move together"), group=_ABC),
        "led.auger_coefficient": _r(0.7e-29 * CM**6, 1.3e-29 * CM**6, Source(
            "Green, McKendry et al., APL 102, 091103 (2013): C = (1 +- 0.3)e-29 cm^6/s at 450 nm from micro-LED "
            "modulation-bandwidth data", "measured"), group=_ABC),
        "led.srh_coefficient": _r(0.95e7, 2.2e7, Source(
            "Sci. Rep. 7, 44814 (2017): tau_SRH 45-105 ns, A = 1/tau", "literature")),
        "led.surface_recombination_velocity": _r(551 * CM, 1026 * CM, Source(
            "Lee T.-Y. et al., Opt. Express 30(11) 18552 (2022): 551 cm/s with ALD sidewall passivation, "
            "1026 cm/s without", "measured")),
        "led.light_extraction_efficiency": _r(lee - 0.1, lee + 0.1, _a(
            "micro-LED extraction with reflectors or cavities is not published for these emitters",
            "+-0.1 about the preset value")),
        "led.emission_exponent": _r(max(1.0, exponent - 1.0), exponent + 1.0, _a(
            "far-field narrowing of cavity/reflector emitters is not published", "+-1 in the cos^m exponent")),
        "led.ideality_factor": _r(2.0, 4.0, _a(
            "InGaN LEDs show ideality 2-7 (tunnelling, non-uniform injection)",
            "2-4 for good blue micro-LEDs; the high values belong to poor material")),
        "led.temperature": _r(318.0, 358.0, _a("co-packaged optics beside an accelerator ASIC",
                                              "45-85 C case temperature")),
        "fiber.excess_loss_db_per_m": _r(0.022, 1.0, _a(
            "imaging/multicore fiber loss in the blue is not published; Rayleigh bound of silica at 450 nm "
            "~0.022 dB/m (lambda^-4 from 0.156 dB/km at 1550 nm); 0.1-1 dB/m plausible for high-Ge cores",
            "from the intrinsic bound to 1 dB/m, log-uniform"), "loguniform"),
        "fiber.mode_coupling_length": _r(10.0, 300.0, _a(
            "mode coupling in cabled step-index fibre (Gloge, Bell Syst. Tech. J. 51, 1767 (1972))",
            "tens to hundreds of metres, log-uniform"), "loguniform"),
        "fiber.profile_excess": _r(5.0, 50.0, _a("graded-index bundles reach a few % of the ideal bandwidth",
                                                 "5-50x the optimal parabolic modal spread"), "loguniform"),
        "fiber.lens_transmission": _r(0.5, 0.8, _a("Dietrich et al., Opt. Express 2017: printed lens arrays up to "
                                                   "73 % into multicore-fiber cores", "0.5 to a little above the "
                                                   "best measured 0.73")),
        "fiber.lens_numerical_aperture": _r(0.3, 0.6, _a("microlens arrays on a 50 um grid (Avicena OCP 2023)",
                                                         "working distance 20-80 um under a 50 um lenslet")),
        "fiber.receive_coupling": _r(0.6, 0.95, _a("core image onto a larger photodiode", "0.6-0.95 about 0.8")),
        "fiber.connector_loss_db": _r(0.2, 1.0, _a("lensed multicore connectors", "0.2-1.0 dB per mated pair")),
        "receiver.gm_over_id": _r(10.0, 20.0, Source("gm/ID design methodology: 10-20 1/V in moderate inversion",
                                                     "literature")),
        "receiver.bandwidth_ratio": _r(0.5, 0.7, Source(
            "NRZ receiver bandwidth 0.5-0.7 of the bit rate (Saeckinger, Broadband Circuits for Optical Fiber "
            "Communication, 2005)", "literature")),
        "photodiode.surface_reflectance": _r(0.03, 0.2, _a("single-layer AR coat on Si in the blue",
                                                           "3-20 % residual reflectance")),
        "host.gearbox_logic_energy": _r(0.02 * PJ, 0.1 * PJ, _a("lane mapping and deskew logic in 16 nm",
                                                              "half to twice 0.05 pJ/bit"), "loguniform"),
        "economics.cost_per_gbps": _r(0.16, 0.8, _a(
            "micro-LED CPO at USD 848 M in 2030 implies ~0.16-0.25 USD/(Gb/s) at volume",
            "from the 2030 volume level to twice the early-volume value"), "loguniform"),
        "economics.common_fit": _r(20.0, 500.0, Source(
            "PD/TIA/driver/DSP FIT 20-500 (luxoptx reliability blog, second-hand)", "claim"), "loguniform"),
        "economics.tx_lane_fit": _r(1.0, 50.0, _a("no primary GaN micro-LED FIT published",
                                                  "1-50 FIT per LED + driver lane, log-uniform"), "loguniform"),
        "economics.cable_cost_per_m": _r(3.0, 30.0, _a("multicore fiber bundle prices are not published",
                                                      "3-30 USD/m"), "loguniform"),
    }


_LIGHTBUNDLE = dict(_microled(0.27, 1.0, 0.0))
_MOSAIC = dict(_microled(0.27, 1.0, 0.0))
_MOSAIC.update({
    "driver.bias_current": _r(100e-6, 250e-6, _a("2 Gb/s lanes need ~0.4 GHz of LED bandwidth",
                                                 "100-250 uA on a 5 um mesa")),
})
_GENERIC = dict(_microled(0.27, 1.0, 0.0))

# ------------------------------------------------------------------------------------------------ electrical


def _serdes(section: str) -> dict[str, Range]:
    why = "half again either way about the preset: no SerDes vendor publishes the split by block"
    return {
        f"{section}.rx_frontend_energy": _r(0.5 * PJ, 1.2 * PJ, _a("ADC-DSP receiver front ends at ~106 GBd", why)),
        f"{section}.clock_energy": _r(0.3 * PJ, 0.8 * PJ, _a("per-lane PLL and clock distribution", why)),
        f"{section}.dfe_energy": _r(0.2 * PJ, 0.5 * PJ, _a("DFE/slicer, adaptation and CDR logic", why)),
    }


def _host_channel(pcb_inch: float) -> dict[str, Range]:
    return {
        "host_channel.pcb_length": _r((pcb_inch - 1) * INCH, (pcb_inch + 1) * INCH, _a(
            "host traces to the connector or optics", "+-1 inch of board routing")),
        "host_channel.transition_loss_db": _r(1.0, 2.5, _a("BGA, vias and host connector at Nyquist",
                                                           "1.0-2.5 dB")),
    }


_COPPER = {
    "cable.conductor_excess": _r(1.0, 1.35, _a(
        "smooth-wire skin/proximity bound (1.0) up to the factor that puts 26 AWG at the IEEE Std 802.3bj-2014 "
        "92.10.7 worst-case insertion-loss limit (1.35)", "1.0-1.35x: shield return and drain wire vary by vendor")),
    "cable.conductor_roughness": _r(0.05e-6, 0.2e-6, _a("drawn silver-plated wire surface roughness",
                                                        "0.05-0.2 um rms")),
    "cable.paddle_card_loss_db": _r(0.5, 1.5, _a("plug paddle card and wire termination", "0.5-1.5 dB per plug")),
    "cable.end_reflection": _r(0.05, 0.18, _a("connector/paddle-card return loss 15-26 dB at Nyquist (802.3ck)",
                                              "reflection coefficient 0.05-0.18")),
    "host_channel.next_coupling_db": _r(-50.0, -40.0, _a("pair-to-pair NEXT of connector + paddle card",
                                                         "+-5 dB")),
    "economics.cable_cost_per_m": _r(20.0, 80.0, _a("800G/1.6T passive DAC street prices USD 100-250 for 1-3 m",
                                                   "20-80 USD/m")),
}
_DAC = {**_serdes("serdes"), **_host_channel(3.0), **_COPPER,
        "economics.cable_fixed_cost": _r(50.0, 120.0, _a("two OSFP/QSFP-DD plugs", "USD 25-60 per plug")),
        "economics.common_fit": _r(2.0, 20.0, _a("plug contacts and EEPROM", "2-20 FIT"), "loguniform")}
_AEC = {**_serdes("serdes"), **_serdes("line_serdes"), **_host_channel(3.0), **_COPPER,
        "retimer.static_power": _r(0.15, 0.6, _a("retimer PLLs, microcontroller and regulators", "0.15-0.6 W")),
        "economics.cable_fixed_cost": _r(450.0, 600.0, Source("AEC 800G USD 450-600 per cable (2025 channel check)",
                                                              "claim")),
        "economics.common_fit": _r(25.0, 505.0, Source("DSP 100-500 FIT (luxoptx reliability blog, second-hand)",
                                                       "claim", "low end 20 for a retimer without lasers, +5 contacts"),
                                   "loguniform")}

# ------------------------------------------------------------------------------------------------ optical

_FIT_LASER = Source("DFB lasers 50-200 FIT at 70 C junction (luxoptx reliability blog, second-hand)", "claim")

_VCSEL = {
    **_serdes("host_serdes"), **_host_channel(2.0),
    "vcsel.slope_efficiency": _r(0.5, 0.8, Source("datacom 850 nm VCSEL slope efficiency 0.5-0.8 W/A",
                                                  "literature")),
    "vcsel.threshold_current": _r(0.4e-3, 0.7e-3, Source("~7 um oxide-aperture 850 nm VCSELs: I_th 0.4-0.7 mA",
                                                         "literature")),
    "vcsel.d_factor": _r(10e9 / 0.001**0.5, 14e9 / 0.001**0.5, Source(
        "Westbergh et al., JSTQE 15, 694 (2009): D = 10-14 GHz/sqrt(mA) class", "literature")),
    "vcsel.k_factor": _r(0.1e-9, 0.4e-9, Source("Haglund et al., JLT 33, 795 (2015): K = 0.1-0.4 ns studied",
                                                "literature")),
    "vcsel.parasitic_bandwidth": _r(20e9, 30e9, Source("Mutig et al.: parasitic frequency ~20-30 GHz",
                                                       "literature")),
    "vcsel.rin_low_frequency_db": _r(-155.0, -140.0, _a(
        "IEEE 802.3 SR PMDs allow RIN12OMA up to -128..-132 dB/Hz; good multimode VCSELs are far better",
        "-155..-140 dB/Hz")),
    "vcsel.spectral_width_rms": _r(0.2 * NM, 0.6 * NM, Source(
        "IEEE 802.3db 100GBASE-SR1: RMS spectral width <= 0.6 nm", "standard", "typical devices 0.2-0.45 nm")),
    "fiber.launch_coupling_db": _r(0.5, 2.0, _a("VCSEL-to-fiber lens coupling into 50 um cores", "0.5-2 dB")),
    "economics.module_cost_per_gbps": _r(0.5, 0.9, _a("800G SR8/VR8 multimode modules ~USD 500-700",
                                                      "0.5-0.9 USD/(Gb/s)")),
    "economics.tx_lane_fit": _r(10.0, 60.0, Source("VCSEL and driver FIT 50-200 per chip, shared by 4 lanes "
                                                   "(luxoptx reliability blog, second-hand)", "claim"), "loguniform"),
}
_LASER = {
    "laser.slope_efficiency": _r(0.3, 0.45, Source("high-power 1310 nm DFB slope 0.3-0.45 W/A at 25 C",
                                                   "literature")),
    "laser.cooler_cop": _r(0.5, 1.5, Source("TEC coefficient of performance ~0.5-1.5 at 10-30 K lift",
                                            "literature")),
    "laser.driver_efficiency": _r(0.7, 0.9, _a("bias current source and regulator", "0.7-0.9")),
    "distribution.laser_to_fiber_db": _r(1.0, 2.5, _a("lensed DFB-to-fiber coupling", "1.0-2.5 dB")),
    "economics.laser_fit": _r(50.0, 200.0, _FIT_LASER, "loguniform"),
}
_SIPH = {
    **_LASER,
    "laser.output_power": _r(50 * MW, 100 * MW, Source("high-power CW DFBs for silicon photonics deliver 50-100 mW",
                                                       "literature")),
    "distribution.connector_loss_db": _r(0.6, 2.0, _a("ELS blind-mate connector + fiber shuffle", "0.6-2.0 dB")),
    "modulator.quality_factor": _r(2000.0, 5000.0, Source(
        ">100 Gb/s PAM4 micro-ring modulators use loaded Q ~2000-5000", "literature")),
    "modulator.resonance_shift": _r(20e-12, 60e-12, Source(
        "depletion micro-rings 20-60 pm/V in reverse bias (Kim et al., Photonics Res.)", "literature")),
    "modulator.tuning_efficiency": _r(0.1e-9 / MW, 0.4e-9 / MW, Source(
        "integrated heaters 0.1 nm/mW (TiN, Photonics Res. 10, 1127 (2022)) and more with undercut", "literature")),
    "modulator.fabrication_offset": _r(0.3 * NM, 1.0 * NM, Source(
        "ring resonance scatter across a wafer ~0.3-1 nm after trimming", "literature")),
    "modulator.excess_loss_db": _r(0.3, 1.0, _a("bus waveguide and ring coupling", "0.3-1.0 dB")),
    "economics.module_cost_per_gbps": _r(0.6, 1.3, _a(
        "CPO ~40 % lower cost per bit than pluggables (CIR via Lightwave); first volumes cost more",
        "0.6-1.3 USD/(Gb/s)")),
}
_PLUGGABLE = {
    **_LASER,
    "laser.output_power": _r(50 * MW, 100 * MW, Source("high-power CW DFBs for silicon photonics deliver 50-100 mW",
                                                       "literature")),
    "modulator.v_pi_length": _r(1.5 * CM, 2.5 * CM, Source(
        "depletion PN phase shifters V_pi L 1.5-2.5 V cm (Reed et al., Nat. Photonics 4, 518 (2010))",
        "literature")),
    "modulator.optical_loss_db_per_m": _r(500.0, 1500.0, Source("doped phase-shifter loss ~0.5-1.5 dB/mm",
                                                               "literature")),
    "modulator.rf_loss_db_per_m": _r(600.0, 800.0, Source(
        "silicon TW electrode RF loss ~0.6-0.8 dB/mm at ~27 GHz (Witzens 2018)", "literature")),
    "modulator.drive_swing": _r(2.0, 3.0, Source("linear SiGe MZM drivers 2-3 Vppd", "literature")),
    "overhead.management_power": _r(0.15, 0.4, _a("module microcontroller, monitors and CMIS management",
                                                  "0.15-0.4 W")),
}
_DSP_PLUGGABLE = {
    **_PLUGGABLE, **_serdes("dsp_line_side"),
    "dsp_core.static_power": _r(0.6, 1.5, _a("PLLs, management and leakage of a 5 nm 800G DSP die",
                                             "0.6-1.5 W: no source gives the split")),
    "dsp_core.logic_energy": _r(0.3 * PJ, 0.8 * PJ, _a("gearbox, alignment markers and FEC monitors", "0.3-0.8 pJ/bit")),
    "economics.module_cost_per_gbps": _r(1.37, 1.75, Source("800G OSFP DR8 USD 1,100-1,400 in volume (luxoptx)",
                                                            "claim")),
    "economics.common_fit": _r(100.0, 500.0, Source("DSP 100-500 FIT (luxoptx reliability blog, second-hand)",
                                                    "claim"), "loguniform"),
}
_LPO = {
    **_PLUGGABLE,
    "economics.module_cost_per_gbps": _r(0.7, 1.3, _a("LPO modules priced below DSP modules by ~25-50 %",
                                                      "0.7-1.3 USD/(Gb/s)")),
}

#: Ranges by preset name, then ``"section.field"``.
PRESET_RANGES: dict[str, dict[str, Range]] = {
    "lightbundle": _LIGHTBUNDLE,
    "mosaic": _MOSAIC,
    "generic-microled": _GENERIC,
    "dac-200g": _DAC,
    "aec-200g": _AEC,
    "vcsel-npo": _VCSEL,
    "vcsel-dsp": {**_VCSEL, **_serdes("dsp_line_side")},
    "siph-cpo": _SIPH,
    "dsp-pluggable-1.6t": _DSP_PLUGGABLE,
    "lpo-800g": _LPO,
}


def resolve_field(parameters, key: str):
    """``(section object, field name, metadata)`` of ``"section.field"`` in a link parameter object."""
    if key.count(".") != 1:
        raise ParameterError("field", key, "section.field, e.g. led.spectral_width")
    sec_name, fname = key.split(".")
    sections = parameters.sections()
    if sec_name not in sections:
        raise ParameterError("field", key, "a section of " + ", ".join(sections))
    sec = sections[sec_name]
    info = type(sec).field_info()
    if fname not in info:
        raise ParameterError("field", key, f"a field of {sec_name}: " + ", ".join(info))
    if "bounds" not in info[fname]:
        raise ParameterError("field", key, "a numeric field (categorical fields have no range)")
    return sec, fname, info[fname]


def check_ranges(parameters, ranges: dict[str, Range], where: str = "") -> dict[str, Range]:
    """Check every range against its field (bounds, and contains the value); returns ``ranges``."""
    for key, spread in ranges.items():
        sec, fname, meta = resolve_field(parameters, key)
        label = f"{where}: {key}" if where else key
        spread.check_within(label, meta["bounds"], meta["unit"], meta["display"])
        value = getattr(sec, fname)
        if not spread.contains(value):
            raise ParameterError(f"{label} range", f"({spread.low:g}, {spread.high:g}) {meta['unit']}",
                                 f"a range containing the set's value {float(value):g} {meta['unit']}")
    return ranges


def ranges_for(name: str, parameters, drop_known: bool = False) -> dict[str, Range]:
    """Ranges of a preset: field-level ranges where the value is the field default, then the preset's own.

    With ``drop_known``, a range that no longer contains the field's value (the user set the value: a config
    file or ``--set``) is left out instead of raising; ``name`` may carry a ``+suffix`` (``lightbundle+config``).
    """
    from microlink.link.base import SectionedLink

    name = name.split("+", 1)[0]
    out: dict[str, Range] = {}
    if not isinstance(parameters, SectionedLink):  # an external link model has no cited fields to range over
        return out
    for sec_name, sec in parameters.sections().items():
        defaults = {f.name: f.default for f in dataclasses.fields(sec)}
        for fname, spread in field_ranges(type(sec)).items():
            value = getattr(sec, fname)
            if value is defaults.get(fname) or value == defaults.get(fname):
                out[f"{sec_name}.{fname}"] = spread
    out.update(PRESET_RANGES.get(name, {}))
    if drop_known:
        out = {k: r for k, r in out.items() if r.contains(getattr(parameters.sections()[k.split(".")[0]],
                                                                  k.split(".")[1]))}
    return check_ranges(parameters, out, name)


def attach_ranges(parameter_set):
    """The parameter set with its ``ranges`` filled in (a set's own ranges win over the tables here)."""
    ranges = ranges_for(parameter_set.name, parameter_set.parameters)
    ranges.update(check_ranges(parameter_set.parameters, dict(parameter_set.ranges), parameter_set.name))
    return dataclasses.replace(parameter_set, ranges=ranges)
