"""Micro-LED link parameter sets built from the published record (reference data sheet links.md, section 1).

Each set starts from the cited field defaults and overrides what the named system publishes; every
override carries its own :class:`~microlink.parameters.Source`. Values that no source gives stay labelled
as assumptions with the reason for the value chosen.
"""

from __future__ import annotations

from microlink.catalog import ParameterSet, register
from microlink.link.microled import MicroLEDLink
from microlink.parameters import Source
from microlink.units import CM

_SHEN = Source("Shen et al., APL 91, 141101 (2007): C = 1.4e-30..2.0e-30 cm^6/s by photoluminescence; "
               "Kioupakis et al. (2009) first-principles ~2e-30", "measured",
               "1e-30 cm^6/s for an optimised cavity emitter with low carrier density")


@register("generic-microled")
def generic() -> ParameterSet:
    """A plain planar blue micro-LED (no cavity) at the field defaults."""
    p = MicroLEDLink().replace(driver={"bias_current": 300e-6, "pre_emphasis": 0.2}, lanes={"lane_rate": 1.5e9})
    sources = {
        "driver.bias_current": Source("plain 6 um LED needs ~1 kA/cm^2 for ~0.5 GHz (links.md 2.1 take-away)",
                                      "assumption", "300 uA = 1.06 kA/cm^2 on a 6 um mesa"),
        "driver.pre_emphasis": Source("two-tap transmit FFE", "assumption", "0.2"),
        "lanes.lane_rate": Source("CEA-Leti ~1 Gb/s per micro-LED (2023 demo); Strathclyde 1.7 Gb/s OOK "
                                  "(Watson et al., IEEE PTL 2016), links.md 1.3-1.4", "assumption",
                                  "1.5 Gb/s, between the two demonstrations"),
    }
    return ParameterSet(
        name="generic-microled",
        title="Plain 6 um planar blue micro-LED (no cavity), Lambertian, 300 uA bias, 1.5 Gb/s lanes",
        citation="Field defaults: ABC coefficients (Sci. Rep. 7 44814 (2017); Green et al. APL 102 091103 (2013)), "
                 "CEA-Leti and Strathclyde micro-LED links (links.md 1.3-1.4)",
        parameters=p,
        sources=sources,
        defaults={"aggregate_rate": 800e9, "reach": 10.0, "target_ber": 1e-12},
    )


@register("lightbundle")
def lightbundle() -> ParameterSet:
    """Avicena LightBundle-like link: cavity-reinforced blue emitters, 3.3 Gb/s lanes, 10 m multicore cable."""
    p = MicroLEDLink().replace(
        led={
            "diameter": 3e-6,
            "active_thickness": 2.5e-9,
            "auger_coefficient": 1e-30 * CM**6,
            "radiative_enhancement": 3.0,
            "light_extraction_efficiency": 0.3,
            "emission_exponent": 3.0,
        },
        driver={"bias_current": 100e-6, "pre_emphasis": 0.35},
        photodiode={"diameter": 10e-6},
        lanes={"lane_rate": 3.3e9},
    )
    cavity = ("Avicena 'CROME' cavity-reinforced GaN micro-emitter (avicena.tech; links.md 1.2); "
              "cavity figures are not published")
    sources = {
        "led.diameter": Source("Avicena SC23: LED < 10 um diameter (gazettabyte 2024-01-24)", "measured",
                               "3 um: a cavity emitter driven at 100 uA needs ~1.4 kA/cm^2 for GHz-class speed"),
        "led.active_thickness": Source("single effective quantum well (hole-limited injection in InGaN MQWs)",
                                       "assumption", "2.5 nm"),
        "led.auger_coefficient": _SHEN,
        "led.radiative_enhancement": Source(cavity, "assumption",
                                            "3x Purcell enhancement, modest for a resonant micro-cavity"),
        "led.light_extraction_efficiency": Source(cavity, "assumption",
                                                  "0.3: a resonant cavity roughly doubles planar extraction"),
        "led.emission_exponent": Source(cavity, "assumption", "cos^3 far field: cavity-narrowed emission"),
        "driver.bias_current": Source("Avicena SC25: 80 fJ/bit per LED at 100 uA (links.md 1.2, 2nd-hand)",
                                      "measured"),
        "driver.pre_emphasis": Source("transmit FFE for a ~0.6 GHz emitter at 3.3 Gb/s", "assumption",
                                      "0.35, near the value that cancels the LED's single-pole tail"),
        "photodiode.diameter": Source("Avicena Kyoto: Si PD array on a 50 um grid with microlenses (links.md 1.2)",
                                      "assumption", "10 um (8 fF): the microlens images the 15 um core down"),
        "lanes.lane_rate": Source("Avicena SC23 demo: 304 channels x 3.3 Gb/s (gazettabyte 2024-01-24)",
                                  "measured"),
    }
    return ParameterSet(
        name="lightbundle",
        title="Avicena LightBundle-like: 3 um cavity blue micro-LEDs, 3.3 Gb/s NRZ lanes, 25 % spares, 10 m bundle",
        citation="Avicena OCP 2023 (Kyoto IC), SC23 demo, SC25 80 fJ/bit, eKit 2026 (links.md section 1.2)",
        parameters=p,
        sources=sources,
        defaults={"aggregate_rate": 800e9, "reach": 10.0, "target_ber": 1e-12},
    )


@register("mosaic")
def mosaic() -> ParameterSet:
    """MOSAIC-like link: 2 Gb/s lanes over imaging fiber, module with long-reach host SerDes."""
    p = MicroLEDLink().replace(
        led={
            "diameter": 5e-6,
            "active_thickness": 2.5e-9,
            "auger_coefficient": 1e-30 * CM**6,
            "light_extraction_efficiency": 0.25,
            "emission_exponent": 2.0,
        },
        driver={"bias_current": 150e-6, "pre_emphasis": 0.3},
        fiber={"core_diameter": 10e-6, "core_pitch": 15e-6, "excess_loss_db_per_m": 0.05,
               "crosstalk_per_length": 2e-5},
        photodiode={"diameter": 10e-6},
        host={"kind": "lr_serdes"},
        lanes={"lane_rate": 2e9, "spare_fraction": 0.1},
    )
    mosaic_paper = ("Costa et al., 'Mosaic: Breaking the Optics versus Copper Trade-off with a Wide-and-Slow "
                    "Architecture and MicroLEDs', ACM SIGCOMM 2025 (links.md 1.1)")
    sources = {
        "lanes.lane_rate": Source(mosaic_paper + ": prototype 100 channels x 2 Gb/s", "measured"),
        "lanes.spare_fraction": Source(mosaic_paper + ": 400 channels + spares for 800G", "assumption",
                                       "10 % spares; the count is not in public summaries"),
        "host.kind": Source("MOSAIC productised as QSFP/OSFP modules with a host-side gearbox (eeherald 2026-03-20)",
                            "claim", "module attaches over the host's long-reach SerDes"),
        "fiber.core_diameter": Source(mosaic_paper + ": multicore imaging fiber", "assumption",
                                      "10 um cores on 15 um pitch; core specs not in public summaries"),
        "fiber.core_pitch": Source(mosaic_paper, "assumption", "15 um"),
        "fiber.excess_loss_db_per_m": Source(mosaic_paper + ": reach target up to 50 m", "assumption",
                                             "0.05 dB/m so that tens of metres stay within budget"),
        "fiber.crosstalk_per_length": Source(mosaic_paper, "assumption",
                                             "-47 dB/m coupling: imaging fibers built for long lengths"),
        "led.diameter": Source("Strathclyde/CEA-Leti micro-LEDs 5-10 um (links.md 1.3-1.4)", "assumption", "5 um"),
        "led.active_thickness": Source("single effective quantum well", "assumption", "2.5 nm"),
        "led.auger_coefficient": _SHEN,
        "led.light_extraction_efficiency": Source("passivated micro-LED with a backside reflector", "assumption",
                                                  "0.25"),
        "led.emission_exponent": Source("reflector-narrowed emission", "assumption", "cos^2 far field"),
        "driver.bias_current": Source("2 Gb/s lanes need ~0.4 GHz: 150 uA on 5 um", "assumption", "150 uA"),
        "driver.pre_emphasis": Source("transmit FFE", "assumption", "0.3"),
        "photodiode.diameter": Source("Si camera-sensor-style PD array (MS Build 2026 note, links.md 1.1)",
                                      "assumption", "10 um"),
    }
    return ParameterSet(
        name="mosaic",
        title="MOSAIC-like: 2 Gb/s NRZ micro-LED lanes over imaging fiber, pluggable module on host SerDes",
        citation=mosaic_paper,
        parameters=p,
        sources=sources,
        defaults={"aggregate_rate": 800e9, "reach": 10.0, "target_ber": 1e-12},
    )
