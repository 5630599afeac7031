"""The reference ladder of links.md sections 3 and 6 / systems_and_market.md headline 12-14, reproduced from
the physics models. Each check names its source and states its tolerance; where the model disagrees with a
published figure beyond it, the test pins the model's side of the gap and the comment says why.

Reach checks use a post-FEC target of 1e-15, for which KP4's pre-FEC threshold is 2.3e-4 (the '2.4e-4'
design point of IEEE 802.3; links.md section 4).
"""

import numpy as np
import pytest

from microlink.ber.fec import pre_fec_threshold
from microlink.link.chain import evaluate_link

KP4_TARGET = 1e-15


def _eval(name, rate, reach=1.0, target=KP4_TARGET):
    return evaluate_link(name, aggregate_rate=rate, reach=reach, target_ber=target)


def test_kp4_threshold_is_the_802_3_design_point():
    # links.md section 4: KP4 design pre-FEC BER ~2.4e-4. Tolerance 10 %.
    assert pre_fec_threshold("kp4", KP4_TARGET) == pytest.approx(2.4e-4, rel=0.10)


def test_passive_copper_about_1_m_at_200g_per_lane():
    # links.md 3 (Marvell via gazettabyte): 1 m at 200G/lane; SemiAnalysis ~2 m for NVL72-style cabling.
    # Tolerance: 0.7-1.6 m (+-40 % around 1 m, not reaching the 2 m cabled-backplane figure).
    r = _eval("dac-200g", 1.6e12)
    assert 0.7 <= float(r.max_reach) <= 1.6


def _worst_case_cable(name):
    """The set with its cable at the IEEE 802.3bj/ck worst-case insertion-loss limit (conductor excess 1.35)."""
    from microlink.catalog import get_parameter_set

    return get_parameter_set(name).parameters.replace(cable={"conductor_excess": 1.35})


@pytest.mark.parametrize("name,rate,low,high", [("dac-100g", 0.8e12, 2.0, 3.0), ("dac-25g-nrz", 0.1e12, 5.0, 7.0)])
def test_published_dac_reach_lies_between_typical_and_worst_case_cable(name, rate, low, high):
    # Published reach: 100G/lane 2 m (Marvell, links.md 3) to 2-3 m (NVIDIA, 26 AWG); 25G NRZ 5 m (802.3by
    # 25GBASE-CR) to 7 m (Marvell). Vendors quote lengths that must work with worst-case cable, so the quotes
    # must lie between the model's worst-case (limit-line) cable and its typical (physics) cable, each within
    # 30 % of the quoted spread's ends.
    typical = float(_eval(name, rate).max_reach)
    worst = float(evaluate_link(_worst_case_cable(name), aggregate_rate=rate, reach=1.0,
                                target_ber=1e-12).max_reach)
    assert worst < typical
    assert worst <= 1.3 * high and typical >= 0.7 * low


@pytest.mark.xfail(strict=True, reason="typical (physics-loss) 26 AWG cable reaches ~3.3 m at 100G and ~9.6 m at "
                   "25G NRZ, beyond the 2 m / 7 m vendors quote: quoted lengths carry margin for worst-case cable "
                   "and assemblies (the limit-line cable gives 2.6 m / 7.7 m)")
@pytest.mark.parametrize("name,rate,published", [("dac-100g", 0.8e12, 2.0), ("dac-25g-nrz", 0.1e12, 7.0)])
def test_typical_dac_reach_matches_vendor_lengths(name, rate, published):
    assert float(_eval(name, rate).max_reach) == pytest.approx(published, rel=0.30)


def test_passive_dac_draws_only_plug_power():
    # links.md 6.7: passive DAC ~0.1 W per end (module power). Tolerance: exact to 1 %.
    r = _eval("dac-200g", 1.6e12)
    assert float(r.module_power_per_end) == pytest.approx(0.1, rel=0.01)


def test_aec_energy_per_end_and_reach():
    # links.md 3 / 6.7: AEC ~3.75 pJ/bit per end (Point2 mixed-signal retimer, 3 W for 8 x 112G) to ~7 m
    # (Credo, 800G). Energy tolerance: 3.0-4.5 pJ/bit per end (module power over 800 Gb/s).
    r = _eval("aec-100g", 0.8e12, reach=2.0)
    per_end = float(r.module_power_per_end) / 0.8e12
    assert 3.0e-12 <= per_end <= 4.5e-12
    # Reach: the model gives ~4 m with 26 AWG cable at the 802.3bj limit-line loss and a COM-style receiver
    # with the 3 dB implementation allowance; the vendor's 'up to 7 m' needs lower-loss cable. Tolerance
    # 4-8 m (-43 % / +15 % around 7 m), and the AEC must reach well beyond the passive cable.
    assert 4.0 <= float(r.max_reach) <= 8.0
    dac = _eval("dac-100g", 0.8e12)
    assert float(r.max_reach) > 1.4 * float(dac.max_reach)


def test_800g_dsp_pluggable_14_to_16_w():
    # links.md 3: 800G DSP pluggable 14-16 W (13-18 W range, tarluz; 5 nm 13-14 W, fibermall).
    # Tolerance: 12-18 W module power per end.
    r = _eval("dsp-pluggable-800g", 0.8e12, reach=10.0)
    assert 12.0 <= float(r.module_power_per_end) <= 18.0
    assert bool(r.feasible)


def test_800g_lpo_8_to_9_w():
    # links.md 3: 800G LPO 8-9 W (axiomupgrades), first generation 5-8 W (gazettabyte/Adtran), ~50 % below
    # DSP. Tolerance: the spread of the published figures, 5-9 W. The model (~6.3 W: linear drivers, TIAs,
    # lasers, management, no DSP) sits with the first-generation figures, below the 8-9 W of shipping modules;
    # see test_800g_lpo_against_shipping_modules.
    lpo = _eval("lpo-800g", 0.8e12, reach=10.0)
    dsp = _eval("dsp-pluggable-800g", 0.8e12, reach=10.0)
    p_lpo = float(lpo.module_power_per_end)
    assert 5.0 <= p_lpo <= 9.0
    assert 0.35 <= p_lpo / float(dsp.module_power_per_end) <= 0.6
    assert bool(lpo.feasible)


@pytest.mark.xfail(strict=True, reason="model ~6.3 W against 8-9 W for shipping 800G LPO modules: the model has "
                   "no module-level margin for higher swing, CDR-less jitter clean-up or thermal control; it agrees "
                   "with the 5-8 W first-generation figures instead")
def test_800g_lpo_against_shipping_modules():
    # links.md 3: 800G LPO 8-9 W (axiomupgrades). Tolerance: the quoted 8-9 W.
    p_lpo = float(_eval("lpo-800g", 0.8e12, reach=10.0).module_power_per_end)
    assert 8.0 <= p_lpo <= 9.0


def test_siph_cpo_near_9_w_per_1_6t_port():
    # links.md 3 / 6.6: NVIDIA CPO ~9 W per 1.6T port (vs ~30 W pluggable). The model's engine + external
    # lasers draw ~3.8 W; with the switch SerDes lanes that drive the linear engine and the KP4 FEC, the port
    # draws ~9 W. Tolerance: 9 W +-25 % for the port; the engine alone below 6 W.
    r = _eval("siph-cpo", 1.6e12, reach=10.0)
    assert float(r.power_per_end) == pytest.approx(9.0, rel=0.25)
    assert float(r.module_power_per_end) < 6.0
    assert bool(r.feasible)


def test_mzm_cpo_engine_near_broadcom_5_5_pj_per_bit():
    # links.md 3: Broadcom Bailly (TH5 CPO, MZM engines, 100G lanes) ~5.5 pJ/bit optical (2nd-hand).
    # Engine + lasers per end over the aggregate; tolerance +-25 %.
    r = _eval("siph-cpo-mzm", 1.6e12, reach=10.0)
    per_bit = float(r.module_power_per_end) / 1.6e12
    assert per_bit == pytest.approx(5.5e-12, rel=0.25)
    assert bool(r.feasible)


def test_50g_pam4_vcsel_error_free_to_about_150_m_om4():
    # links.md 3: JLT 2016 (DOI 10.1109/JLT.2016.2647203): 51.56 Gb/s PAM4, BER < 1e-12 to 150 m and
    # < 2e-4 to 300 m on OM4. Tolerances: 100-220 m at 1e-12; 200-450 m at 2e-4.
    r = evaluate_link("vcsel-50g-pam4", aggregate_rate=50e9, reach=150.0, target_ber=1e-12)
    assert 100.0 <= float(r.max_reach) <= 220.0
    r4 = evaluate_link("vcsel-50g-pam4", aggregate_rate=50e9, reach=300.0, target_ber=2e-4)
    assert 200.0 <= float(r4.max_reach) <= 450.0


def test_100g_vcsel_reaches_the_802_3db_class():
    # IEEE 802.3db 100GBASE-SR1: 100 m on OM4 (links.md 3). The standard's reach is a guaranteed minimum over
    # worst-case fiber and transceivers, so a link built from typical parts must reach at least 100 m.
    r = _eval("vcsel-npo", 1.6e12, reach=50.0)
    assert float(r.max_reach) >= 100.0


@pytest.mark.xfail(strict=True, reason="the model's typical VCSEL, fiber and receiver reach ~190 m against the "
                   "standard's 100 m: 802.3db budgets worst-case modal bandwidth, spectral width and RIN plus "
                   "penalties (MPN, modal noise, TDECQ allowance) that the model does not carry")
def test_100g_vcsel_reach_close_to_the_802_3db_budget():
    # Tolerance: the standard's 100 m within the 30 % that typical-vs-worst-case parts can explain.
    r = _eval("vcsel-npo", 1.6e12, reach=50.0)
    assert 70.0 <= float(r.max_reach) <= 130.0


def test_energy_cost_and_reliability_ladder():
    # systems_and_market.md headline 12-14: pluggable DSP > LPO > SiPh CPO > micro-LED in energy per bit;
    # optics > 100x copper in failure rate; CPO ~40 % cheaper per bit than pluggables.
    names = ["dsp-pluggable-1.6t", "lpo-800g", "siph-cpo", "lightbundle", "dac-200g"]
    res = {n: evaluate_link(n, aggregate_rate=1.6e12, reach=np.array([1.0]), target_ber=1e-12) for n in names}
    e = {n: float(r.energy_per_bit[0]) for n, r in res.items()}
    assert e["dsp-pluggable-1.6t"] > e["lpo-800g"] > e["siph-cpo"] > e["lightbundle"]
    fit = {n: float(r.fit_per_end[0]) for n, r in res.items()}
    assert fit["dsp-pluggable-1.6t"] > 100 * fit["dac-200g"]
    cost = {n: float(r.cost_per_end[0]) for n, r in res.items()}
    assert cost["siph-cpo"] == pytest.approx(0.6 * cost["dsp-pluggable-1.6t"], rel=0.1)



@pytest.mark.xfail(strict=True, reason="model 1.6T DSP module ~21.7 W against the published 25-30 W: DSP blocks "
                   "come from 5 nm figures of merit; vendor modules add MLSE, inner FEC and higher swing that the "
                   "model does not carry")
def test_1_6t_dsp_module_25_to_30_w():
    # systems_and_market.md 2.1: 1.6T pluggable 25-30 W (16-19 pJ/bit per end). Tolerance: the quoted 25-30 W.
    r = _eval("dsp-pluggable-1.6t", 1.6e12, reach=10.0)
    assert 25.0 <= float(r.module_power_per_end) <= 30.0
