"""Parameter sets of the technologies micro-LED links compete with (reference data sheet links.md sections 3-4,
systems_and_market.md section 2).

Each set starts from the cited field defaults of its link class and overrides what the named system or
standard publishes; every override carries its own :class:`~microlink.parameters.Source`. Values no source
gives stay labelled as assumptions with the reason.
"""

from __future__ import annotations

from microlink.catalog import ParameterSet, register
from microlink.devices.serdes import AnalogSerDes, SerDes
from microlink.link.copper import AECLink, DACLink
from microlink.link.pluggable import PluggableLink
from microlink.link.siph_cpo import SiPhCPOLink
from microlink.link.vcsel import VCSELLink
from microlink.parameters import Source
from microlink.units import INCH

_REQUEST = {"aggregate_rate": 1.6e12, "target_ber": 1e-12}
_FRONT_PANEL = Source("front-panel OSFP/QSFP-DD ports of 100G-lane switches sit 4-8 inch from the ASIC",
                      "assumption", "6 inch of host PCB")
_100G = Source("100 Gb/s per lane: 53.125 GBd PAM4, 106.25 Gb/s line with RS(544,514) (IEEE 802.3ck/db)",
               "standard")


@register("dac-200g")
def dac_200g() -> ParameterSet:
    """Passive 26 AWG DAC at 200 Gb/s per lane between near-ASIC connectors."""
    return ParameterSet(
        name="dac-200g",
        title="Passive DAC, 26 AWG twinax, 8 x 200G PAM4 (106.25 GBd), host SerDes CTLE+FFE+DFE, KP4",
        citation="IEEE 802.3ck/dj COM method and parameters; 802.3bj cable-assembly loss; NVIDIA DAC overview "
                 "(links.md section 3)",
        parameters=DACLink(),
        defaults=dict(_REQUEST, reach=1.0),
    )


@register("dac-100g")
def dac_100g() -> ParameterSet:
    """Passive 26 AWG DAC at 100 Gb/s per lane from front-panel ports."""
    p = DACLink().replace(lanes={"payload_rate": 100e9}, host_channel={"pcb_length": 6 * INCH})
    return ParameterSet(
        name="dac-100g",
        title="Passive DAC, 26 AWG twinax, 100G PAM4 lanes (53.125 GBd) from front-panel ports, KP4",
        citation="IEEE 802.3ck (100GBASE-CR1) COM method; NVIDIA 800G DAC: 26 AWG 2-3 m (links.md section 3)",
        parameters=p,
        sources={"lanes.payload_rate": _100G, "host_channel.pcb_length": _FRONT_PANEL},
        defaults=dict(_REQUEST, aggregate_rate=0.8e12, reach=2.0),
    )


@register("dac-25g-nrz")
def dac_25g() -> ParameterSet:
    """Passive 26 AWG DAC at 25 Gb/s NRZ per lane (the slower class)."""
    p = DACLink(serdes=AnalogSerDes()).replace(
        lanes={"payload_rate": 25e9, "modulation": "NRZ", "fec": "kr4", "fec_codeword_rate": 25.78125e9},
        host_channel={"pcb_length": 6 * INCH},
    )
    return ParameterSet(
        name="dac-25g-nrz",
        title="Passive DAC, 26 AWG twinax, 25G NRZ lanes (25.78 GBd) with RS(528,514), front-panel ports",
        citation="IEEE 802.3by 25GBASE-CR (RS-FEC, 5 m CA-25G-L); Marvell via gazettabyte: 7 m at 25G (links.md 3)",
        parameters=p,
        sources={
            "lanes.payload_rate": Source("25GBASE-CR: 25.78125 Gb/s NRZ with RS(528,514) (IEEE 802.3by)", "standard"),
            "lanes.modulation": Source("25GBASE-CR is NRZ", "standard"),
            "lanes.fec": Source("25GBASE-CR with RS(528,514) 'KR4' FEC for 5 m", "standard"),
            "lanes.fec_codeword_rate": Source("one codeword stream per 25G lane", "derived"),
            "host_channel.pcb_length": _FRONT_PANEL,
            "serdes.architecture": Source("25G-generation SerDes: CTLE + long analog DFE (802.3by COM reference "
                                          "receiver class)", "standard"),
        },
        defaults=dict(_REQUEST, aggregate_rate=0.1e12, reach=5.0),
    )


@register("aec-200g")
def aec_200g() -> ParameterSet:
    """Active electrical cable with DSP retimers at 200 Gb/s per lane."""
    return ParameterSet(
        name="aec-200g",
        title="AEC, 26 AWG twinax with a DSP retimer (C2M host side + LR line side) in each plug, 200G PAM4",
        citation="Credo Blue Heron 224G retimer (gazettabyte); AEC up to 7 m at 800G (Credo, connextion.news); "
                 "links.md section 3",
        parameters=AECLink(),
        defaults=dict(_REQUEST, reach=2.0),
    )


@register("aec-100g")
def aec_100g() -> ParameterSet:
    """Active electrical cable with mixed-signal retimers at 100 Gb/s per lane (800G class)."""
    p = AECLink(line_serdes=AnalogSerDes(), host_side_serdes=AnalogSerDes()).replace(
        lanes={"payload_rate": 100e9}, host_channel={"pcb_length": 6 * INCH})
    point2 = Source("Point2 P1B121 mixed-signal retimer: 3 W for 8 x 112G, 3 ns (electronicdesign.com 2024, "
                    "links.md section 3)", "claim", "CTLE + analog FFE + 12-tap DFE, no ADC")
    return ParameterSet(
        name="aec-100g",
        title="AEC, 26 AWG twinax, mixed-signal (no ADC) retimers in each plug, 100G PAM4 lanes (800G class)",
        citation="Point2 P1B121 (3 W / 8 x 112G, 3 ns); Credo AEC up to 7 m at 800G (links.md section 3)",
        parameters=p,
        sources={"line_serdes.architecture": point2, "host_side_serdes.architecture": point2,
                 "lanes.payload_rate": _100G, "host_channel.pcb_length": _FRONT_PANEL},
        defaults=dict(_REQUEST, aggregate_rate=0.8e12, reach=5.0),
    )


_NPO_HOST = Source("near-packaged optics sit ~2 inch from the ASIC on the same board", "assumption", "2 inch")


@register("vcsel-npo")
def vcsel_npo() -> ParameterSet:
    """Linear-drive 850 nm VCSEL near-packaged optics at 100 Gb/s per lane over OM4."""
    return ParameterSet(
        name="vcsel-npo",
        title="VCSEL NPO, 850 nm, 100G PAM4 (53.125 GBd) linear drive from the host SerDes, OM4, KP4",
        citation="IEEE 802.3db (100GBASE-SR1/VR1); Chalmers/TU Berlin high-speed VCSEL rate-equation data; "
                 "links.md section 3",
        parameters=VCSELLink(),
        sources={"host_channel.pcb_length": _NPO_HOST},
        defaults=dict(_REQUEST, reach=30.0),
    )


@register("vcsel-dsp")
def vcsel_dsp() -> ParameterSet:
    """DSP-retimed 850 nm VCSEL module at 100 Gb/s per lane over OM4."""
    p = VCSELLink().replace(drive={"architecture": "dsp"})
    return ParameterSet(
        name="vcsel-dsp",
        title="VCSEL module with DSP, 850 nm, 100G PAM4 (53.125 GBd), OM4, KP4",
        citation="IEEE 802.3db 100GBASE-SR1 (53.125 GBd PAM4, 100 m OM4); links.md section 3",
        parameters=p,
        sources={"drive.architecture": Source("SR1/SR8 modules retime with a DSP", "literature"),
                 "host_channel.pcb_length": _NPO_HOST},
        defaults=dict(_REQUEST, reach=50.0),
    )


@register("vcsel-200g-dsp")
def vcsel_200g() -> ParameterSet:
    """DSP-retimed VCSEL at 200 Gb/s per lane (106.25 GBd)."""
    p = VCSELLink().replace(lanes={"payload_rate": 200e9}, drive={"architecture": "dsp", "bias_current": 8e-3})
    return ParameterSet(
        name="vcsel-200g-dsp",
        title="VCSEL module with DSP, 850 nm, 200G PAM4 (106.25 GBd), OM4, KP4",
        citation="IEEE 802.3dj 200G/lane objectives; the same VCSEL physics pushed to 106 GBd",
        parameters=p,
        sources={"lanes.payload_rate": Source("200 Gb/s per lane (802.3dj)", "standard"),
                 "drive.architecture": Source("106 GBd VCSEL links need DSP equalisation", "literature"),
                 "drive.bias_current": Source("higher bias for the highest VCSEL bandwidth", "assumption", "8 mA"),
                 "host_channel.pcb_length": _NPO_HOST},
        defaults=dict(_REQUEST, reach=30.0),
    )


@register("vcsel-50g-pam4")
def vcsel_50g() -> ParameterSet:
    """The 51.56 Gb/s PAM4 OM4 experiment of JLT 2016 (no FEC, lab receiver with a short FFE)."""
    bert = SerDes(ffe_taps=5, ffe_pre_taps=1, dfe_taps=0, implementation_margin_db=0.0)
    p = VCSELLink(host_serdes=bert).replace(
        lanes={"payload_rate": 50e9, "fec": "none", "transcoding_overhead": 1.0 / 32.0},
        drive={"bias_current": 6e-3, "modulation_current": 8e-3},
    )
    lab = Source("laboratory receiver (BERT with a short FFE) measured directly: no implementation allowance",
                 "assumption", "5-tap FFE, no DFE, 0 dB implementation margin")
    return ParameterSet(
        name="vcsel-50g-pam4",
        title="50G PAM4 VCSEL link (25.78 GBd, 51.56 Gb/s), OM4, no FEC, lab receiver",
        citation="JLT 2016, DOI 10.1109/JLT.2016.2647203: BER < 1e-12 to 150 m, < 2e-4 to 300 m (links.md 3)",
        parameters=p,
        sources={
            "lanes.payload_rate": Source("51.5625 Gb/s = 50 Gb/s x 66/64 (links.md section 3)", "measured"),
            "lanes.fec": Source("error-free operation reported without FEC", "measured"),
            "lanes.transcoding_overhead": Source("64b/66b line code", "standard"),
            "drive.bias_current": Source("25 GBd needs less bandwidth: moderate bias", "assumption", "6 mA"),
            "drive.modulation_current": Source("PAM4 swing", "assumption", "8 mApp"),
            "host_serdes.ffe_taps": lab, "host_serdes.ffe_pre_taps": lab, "host_serdes.dfe_taps": lab,
            "host_serdes.implementation_margin_db": lab,
        },
        defaults={"aggregate_rate": 50e9, "reach": 150.0, "target_ber": 1e-12},
    )


@register("siph-cpo")
def siph_cpo() -> ParameterSet:
    """NVIDIA-style co-packaged silicon photonics: micro-rings, external lasers, 200G lanes."""
    return ParameterSet(
        name="siph-cpo",
        title="SiPh CPO, micro-ring modulators, ELS (1 laser : 4 lanes), 8 x 200G PAM4, SMF, linear engine",
        citation="NVIDIA Spectrum-X/Quantum-X Photonics (~9 W per 1.6T port, micro-rings, TSMC COUPE, 4x fewer "
                 "lasers, 22 -> 4 dB electrical loss), links.md section 3; systems_and_market.md 2.1-2.3",
        parameters=SiPhCPOLink(),
        defaults=dict(_REQUEST, reach=10.0),
    )


_LPO = Source("LPO MSA 100G-DR-LPO: linear module, host SerDes equalises, host RS(544,514) (links.md section 3)",
              "standard")


@register("dsp-pluggable-800g")
def dsp_800g() -> ParameterSet:
    """800G DR8 silicon-photonics pluggable with a 5 nm DSP."""
    p = PluggableLink().replace(lanes={"payload_rate": 100e9})
    return ParameterSet(
        name="dsp-pluggable-800g",
        title="800G DR8 pluggable, SiPh MZM, 8 x 100G PAM4, 5 nm DSP, front-panel host",
        citation="800G DSP pluggable 14-16 W (axiomupgrades; fibermall 5 nm 13-14 W; tarluz 13-18 W), "
                 "links.md section 3",
        parameters=p,
        sources={"lanes.payload_rate": _100G},
        defaults=dict(_REQUEST, aggregate_rate=0.8e12, reach=10.0),
    )


@register("dsp-pluggable-1.6t")
def dsp_1600g() -> ParameterSet:
    """1.6T DR8 pluggable with a DSP at 200 Gb/s per lane."""
    p = PluggableLink(dsp_host_side=SerDes())
    return ParameterSet(
        name="dsp-pluggable-1.6t",
        title="1.6T DR8 pluggable, SiPh MZM, 8 x 200G PAM4, DSP with long-reach host side",
        citation="1.6T DSP pluggable ~25-30 W (NVIDIA, Lambda, TrendForce; systems_and_market.md 2.1)",
        parameters=p,
        sources={"dsp_host_side.ffe_taps": Source("200G host lanes see ~22 dB (NVIDIA): long-reach class DSP "
                                                  "host side", "claim")},
        defaults=dict(_REQUEST, reach=10.0),
    )


_LPO_TIA = Source("LPO MSA linear receiver output drives the host channel directly: ~0.9 Vppd", "assumption",
                  "0.9 Vppd (a DSP module's TIA drives a short trace at ~0.5 Vppd)")
_LPO_DRV = Source("LPO drivers add CTLE/VGA gain for the host channel loss", "assumption", "60 mW of gain stages")
_LPO_FIT = Source("no DSP in a linear module: controller and regulators only", "assumption", "50 FIT")
_LPO_COST = Source("800G LPO $700-900 (luxoptx, systems_and_market.md 2.2, 3P)", "claim", "$800 / 800 Gb/s")


@register("lpo-800g")
def lpo_800g() -> ParameterSet:
    """800G linear-drive pluggable (LPO), SiPh MZM DR8."""
    p = PluggableLink().replace(module={"architecture": "linear"}, lanes={"payload_rate": 100e9},
                                tia_stages={"output_swing": 0.9}, driver={"gain_stage_power": 60e-3},
                                economics={"common_fit": 50.0, "module_cost_per_gbps": 1.0})
    return ParameterSet(
        name="lpo-800g",
        title="800G LPO, SiPh MZM DR8, 8 x 100G PAM4, no DSP (host SerDes equalises), front-panel host",
        citation="800G LPO 8-9 W, first-gen 5-8 W (axiomupgrades; gazettabyte/Adtran); LPO MSA (links.md 3)",
        parameters=p,
        sources={"module.architecture": _LPO, "lanes.payload_rate": _100G, "tia_stages.output_swing": _LPO_TIA,
                 "driver.gain_stage_power": _LPO_DRV, "economics.common_fit": _LPO_FIT,
                 "economics.module_cost_per_gbps": _LPO_COST},
        defaults=dict(_REQUEST, aggregate_rate=0.8e12, reach=10.0),
    )


@register("lpo-1.6t")
def lpo_1600g() -> ParameterSet:
    """1.6T linear-drive pluggable at 200 Gb/s per lane."""
    p = PluggableLink().replace(module={"architecture": "linear"}, tia_stages={"output_swing": 0.9},
                                driver={"gain_stage_power": 60e-3},
                                economics={"common_fit": 50.0, "module_cost_per_gbps": 1.0})
    return ParameterSet(
        name="lpo-1.6t",
        title="1.6T LPO, SiPh MZM DR8, 8 x 200G PAM4, no DSP, front-panel host",
        citation="LPO MSA extended to 200G lanes (links.md section 3)",
        parameters=p,
        sources={"module.architecture": _LPO, "tia_stages.output_swing": _LPO_TIA, "driver.gain_stage_power": _LPO_DRV,
                 "economics.common_fit": _LPO_FIT, "economics.module_cost_per_gbps": _LPO_COST},
        defaults=dict(_REQUEST, reach=10.0),
    )


@register("siph-cpo-mzm")
def siph_cpo_mzm() -> ParameterSet:
    """Broadcom-style co-packaged engine with travelling-wave MZMs at 100 Gb/s per lane."""
    from microlink.devices.modulator import MachZehnderModulator

    p = SiPhCPOLink(modulator=MachZehnderModulator()).replace(
        lanes={"payload_rate": 100e9}, laser={"output_power": 70e-3})
    return ParameterSet(
        name="siph-cpo-mzm",
        title="SiPh CPO with travelling-wave MZMs, ELS (1 laser : 4 lanes), 16 x 100G PAM4, SMF, linear engine",
        citation="Broadcom Bailly (TH5, 51.2T, 8 x 6.4T engines, 100G lanes): ~5.5 pJ/bit optical vs 15+ for "
                 "pluggables (chipcraft.tech, 2nd-hand; links.md section 3)",
        parameters=p,
        sources={
            "lanes.payload_rate": Source("Bailly: 512 x 106G SerDes of Tomahawk 5 (links.md section 3)", "claim"),
            "laser.output_power": Source("MZMs tolerate less optical power than they need per lane split 1:4; "
                                         "same class of DFB as the DR8 pluggable", "assumption", "70 mW"),
            "modulator.length": Source("Broadcom's engine modulators are not published", "assumption",
                                       "the field defaults of a 3 mm silicon TW-MZM"),
        },
        defaults=dict(_REQUEST, reach=10.0),
    )
