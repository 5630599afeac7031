"""Twinax, PCB and package loss physics; minimum-phase reconstruction."""

import numpy as np
import pytest

from microlink.channels.copper import (
    HostChannel,
    TwinaxCable,
    awg_diameter,
    dielectric_attenuation,
    minimum_phase_response,
    skin_depth,
    twinax_conductor_attenuation,
)


def test_wire_gauge_and_skin_depth():
    assert awg_diameter(26) == pytest.approx(0.4049e-3, rel=2e-3)  # ASTM B258: 0.405 mm
    assert awg_diameter(30) == pytest.approx(0.2546e-3, rel=2e-3)
    assert skin_depth(1e9) == pytest.approx(2.09e-6, rel=0.02)  # copper at 1 GHz


def test_loss_scaling_with_frequency():
    f = np.array([10e9, 40e9])
    cond = twinax_conductor_attenuation(f, awg_diameter(26), 100.0, 1.8)
    assert cond[1] / cond[0] == pytest.approx(2.0, rel=0.01)  # sqrt(f) above the skin transition
    diel = dielectric_attenuation(f, 1.8, 5e-4)
    assert diel[1] / diel[0] == pytest.approx(4.0, rel=1e-9)  # proportional to f
    thin = twinax_conductor_attenuation(f, awg_diameter(30), 100.0, 1.8)
    assert np.all(thin > cond)


def test_cable_assembly_against_ieee_802_3bj_limit():
    # IEEE 802.3bj 92.10.7: a compliant 5 m 26 AWG cable assembly has <= 22.48 dB at 12.89 GHz. The limit is a
    # worst-case bound, not a typical cable: the physical model (skin + proximity + wire roughness + dielectric)
    # must stay below it and above the smooth-wire bound of the same cable.
    f = 12.890625e9
    loss = float(TwinaxCable().loss_db(f, 5.0))
    smooth = float(TwinaxCable(conductor_roughness=0.0).loss_db(f, 5.0))
    assert smooth < loss <= 22.48

def test_host_channel_order_of_magnitude():
    # a 3 inch low-loss host path at 53 GHz: ~10-14 dB (NVIDIA quotes ~22 dB for front-panel 200G ports)
    assert 8.0 < float(HostChannel().loss_db(53.125e9)) < 16.0
    longer = HostChannel(pcb_length=6 * 0.0254).loss_db(53.125e9)
    assert 16.0 < float(longer) < 26.0


def test_minimum_phase_keeps_magnitude_and_is_causal():
    nu = np.fft.rfftfreq(512, d=1 / 8)
    loss = 20.0 * np.sqrt(nu / 0.5) + 2.0 * nu
    h = minimum_phase_response(loss)
    assert np.allclose(-20 * np.log10(np.abs(h)), loss, atol=1e-9)
    impulse = np.fft.irfft(h)
    zero_phase = np.fft.irfft(np.abs(h))
    late = slice(-128, None)  # the wrapped end of the window: negative times for an acausal response
    assert np.sum(impulse[late] ** 2) < 0.01 * np.sum(impulse**2)
    assert np.sum(zero_phase[late] ** 2) > 0.1 * np.sum(zero_phase**2)
