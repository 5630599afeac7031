"""Micro-LED link parameter sets built from the published record (reference data sheet links.md, section 1).

Each set starts from the cited field defaults and overrides what the named system publishes; every
override carries its own :class:`~microlink.parameters.Source`. Values that no source gives stay labelled
as assumptions with the reason for the value chosen.
"""

from __future__ import annotations

from microlink.catalog import ParameterSet, register
from microlink.link.microled import MicroLEDLink
from microlink.parameters import Source

@register("generic-microled")
def generic() -> ParameterSet:
    """A plain planar blue micro-LED (no cavity) at the field defaults."""
    p = MicroLEDLink().replace(driver={"bias_current": 300e-6, "pre_emphasis": 0.2}, lanes={"lane_rate": 1.5e9})
    sources = {
        "driver.bias_current": Source("plain 6 um LED needs ~1 kA/cm^2 for ~0.4 GHz (links.md 2.1 take-away)",
                                      "assumption", "300 uA = 1.06 kA/cm^2 on a 6 um mesa"),
        "driver.pre_emphasis": Source("two-tap transmit FFE", "assumption", "0.2"),
        "lanes.lane_rate": Source("CEA-Leti ~1 Gb/s per micro-LED (2023 demo); Strathclyde 1.7 Gb/s OOK "
                                  "(Watson et al., IEEE PTL 2016), links.md 1.3-1.4", "assumption",
                                  "1.5 Gb/s, between the two demonstrations"),
    }
    return ParameterSet(
        name="generic-microled",
        title="Plain 6 um planar blue micro-LED (no cavity), Lambertian, 300 uA bias, 1.5 Gb/s lanes",
        citation="Field defaults: ABC coefficients (Sci. Rep. 7 44814 (2017); Green et al. APL 102 091103 (2013); "
                 "Lee et al. Opt. Express 30 18552 (2022)), "
                 "CEA-Leti and Strathclyde micro-LED links (links.md 1.3-1.4)",
        parameters=p,
        sources=sources,
        defaults={"aggregate_rate": 800e9, "reach": 10.0, "target_ber": 1e-12},
    )


@register("lightbundle")
def lightbundle() -> ParameterSet:
    """Avicena LightBundle-like link: small blue emitters at 100 uA, 3.3 Gb/s lanes, lensed multicore cable.

    The cavity ("CROME") emitter's Purcell factor, extraction and far field are not published, so the LED
    keeps the cited field defaults (one coefficient set for every preset); only published or geometric
    choices are overridden.
    """
    p = MicroLEDLink().replace(
        led={"diameter": 3e-6},
        driver={"bias_current": 100e-6, "pre_emphasis": 0.35},
        photodiode={"diameter": 10e-6},
        lanes={"lane_rate": 3.3e9},
    )
    sources = {
        "led.diameter": Source("Avicena SC23: LED < 10 um diameter (gazettabyte 2024-01-24)", "measured",
                               "3 um inside the published < 10 um: 100 uA then gives 1.4 kA/cm^2, the fastest "
                               "carrier lifetime the published drive current allows"),
        "driver.bias_current": Source("Avicena SC25: 80 fJ/bit per LED at 100 uA (links.md 1.2, 2nd-hand)",
                                      "measured"),
        "driver.pre_emphasis": Source("transmit FFE for a ~0.5 GHz emitter at 3.3 Gb/s", "assumption",
                                      "0.35, near the value that cancels the LED's single-pole tail"),
        "photodiode.diameter": Source("Avicena Kyoto: Si PD array on a 50 um grid with microlenses (links.md 1.2)",
                                      "assumption", "10 um (8 fF): the microlens images the 15 um core down"),
        "lanes.lane_rate": Source("Avicena SC23 demo: 304 channels x 3.3 Gb/s (gazettabyte 2024-01-24)",
                                  "measured"),
    }
    return ParameterSet(
        name="lightbundle",
        title="Avicena LightBundle-like: 3 um blue micro-LEDs at 100 uA, 3.3 Gb/s NRZ lanes, 25 % spares, lensed "
              "multicore cable",
        citation="Avicena OCP 2023 (Kyoto IC), SC23 demo, SC25 80 fJ/bit, eKit 2026 (links.md section 1.2)",
        parameters=p,
        sources=sources,
        defaults={"aggregate_rate": 800e9, "reach": 10.0, "target_ber": 1e-12},
    )


@register("mosaic")
def mosaic() -> ParameterSet:
    """MOSAIC-like link: 2 Gb/s lanes over imaging fiber, module with long-reach host SerDes."""
    p = MicroLEDLink().replace(
        led={"diameter": 5e-6},
        driver={"bias_current": 150e-6, "pre_emphasis": 0.3},
        fiber={"core_diameter": 10e-6, "core_pitch": 15e-6},
        photodiode={"diameter": 10e-6},
        host={"kind": "lr"},
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
        "led.diameter": Source("Strathclyde/CEA-Leti micro-LEDs 5-10 um (links.md 1.3-1.4)", "assumption", "5 um"),
        "driver.bias_current": Source("2 Gb/s lanes need ~0.4 GHz: 150 uA on 5 um (760 A/cm^2)", "assumption",
                                      "150 uA"),
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
