"""VCSEL rate equations, photodetectors, lasers, modulators and fibers."""

import numpy as np
import pytest

from microlink.channels.multimode import (
    MultimodeFiber,
    effective_modal_bandwidth,
    standard_dispersion,
)
from microlink.channels.single_mode import SingleModeFiber
from microlink.devices.laser import CWLaser, LaserDistribution
from microlink.devices.modulator import (
    MachZehnderModulator,
    MicroRingModulator,
    ring_transmission,
)
from microlink.devices.photodetector import GermaniumPhotodetector, Photodetector
from microlink.devices.vcsel import (
    GHZ_PER_SQRT_MA,
    VCSEL,
    intrinsic_response,
    relaxation_frequency,
    rin_spectrum,
)
from microlink.errors import ParameterError


def test_relaxation_frequency_follows_the_d_factor():
    fr = relaxation_frequency(np.array([1.5e-3, 4.5e-3]), 0.5e-3, 10 * GHZ_PER_SQRT_MA)
    assert fr[0] == pytest.approx(10e9, rel=1e-9)
    assert fr[1] / fr[0] == pytest.approx(2.0, rel=1e-9)


def test_vcsel_bandwidth_rises_then_saturates_with_damping():
    v = VCSEL()
    i = np.array([2e-3, 5e-3, 8e-3, 14e-3])
    bw = v.bandwidth(i)
    assert 15e9 < bw[0] < bw[1]
    assert 20e9 < bw[2] < 35e9  # 850 nm high-speed VCSELs: 25-30 GHz class
    assert bw[3] < bw[2] * 1.05  # damping (K f_r^2) and heating stop the growth
    # intrinsic response is 1 at DC and peaks near f_r for light damping
    assert abs(intrinsic_response(0.0, 20e9, 1e10)) == pytest.approx(1.0)
    assert abs(intrinsic_response(19e9, 20e9, 1e10)) > 1.0


def test_vcsel_light_current_and_rin():
    v = VCSEL()
    p = v.optical_power(np.array([3e-3, 7e-3, 11e-3]))
    assert np.all(np.diff(p) > 0)
    assert (p[2] - p[1]) < (p[1] - p[0])  # self-heating compresses the upper levels
    assert 1e-3 < p[1] < 5e-3
    rin = rin_spectrum(np.array([0.0, 1e8]), 20e9, 5e10, 1e-15)
    assert rin[0] == pytest.approx(1e-15, rel=1e-6, abs=0.0)


def test_photodetector_responsivities():
    assert 0.45 < Photodetector().responsivity(850e-9) < 0.65  # GaAs PIN at 850 nm
    ge = GermaniumPhotodetector()
    assert 0.8 < ge.responsivity(1310e-9) < 1.06  # waveguide Ge, ideal 1.057 A/W
    assert ge.capacitance < Photodetector().capacitance


def test_laser_and_distribution():
    laser = CWLaser()
    wpe = laser.wall_plug_efficiency()
    assert 0.03 < wpe < 0.3
    assert CWLaser(cooled=False).wall_plug_efficiency() > wpe
    d = LaserDistribution()
    assert d.per_modulator(0.1) == pytest.approx(0.1 * 10 ** (-0.45) / 4, rel=1e-9)


def test_modulators():
    # ring: notch of depth T_min at zero detuning, half transmission loss point at the half width
    assert ring_transmission(0.0, 1.0, 0.01) == pytest.approx(0.01)
    assert ring_transmission(1.0, 1.0, 0.0) == pytest.approx(0.5)
    lv = np.array([-1.0, -1 / 3, 1 / 3, 1.0])
    t = MicroRingModulator().transmission_levels(lv)
    assert np.all(np.diff(t) > 0)
    mzm = MachZehnderModulator()
    tm = mzm.transmission_levels(lv)
    assert np.all(np.diff(tm) > 0)
    assert (tm[1] - tm[0]) < (tm[2] - tm[1])  # sine transfer compresses the outer levels
    assert mzm.v_pi == pytest.approx(6.67, rel=0.01)
    assert 0.3 < float(mzm.electrode_response(26.5625e9)) < 1.0


def test_fibers():
    assert effective_modal_bandwidth("OM4", 850e-9) == pytest.approx(4.7e12)
    assert effective_modal_bandwidth("OM5", 953e-9) == pytest.approx(2.47e12)
    d850 = standard_dispersion(850e-9, 1316e-9, MultimodeFiber().dispersion_slope)
    assert d850 * 1e6 == pytest.approx(-100.8, rel=0.01)  # ps/(nm km)
    mmf = MultimodeFiber()
    sigma = mmf.rms_spread(100.0, 850e-9, 0.35e-9)
    assert 0.187 / sigma == pytest.approx(35e9, rel=0.05)
    smf = SingleModeFiber()
    assert smf.rms_spread(1000.0, 1310e-9, 0.1e-9) < 1e-12
    with pytest.raises(ParameterError, match="fiber.grade"):
        MultimodeFiber(grade="OM9")


def test_vcsel_bandwidth_root_agrees_with_a_fine_frequency_scan():
    """Two methods: the cubic's largest root against the last point of a 0.001 f_r scan still at -3 dB or above.
    The scan can only fall short of the crossing, by less than one step."""
    from microlink.devices.vcsel import modulation_bandwidth

    rng = np.random.default_rng(5)
    fr, gamma, fp = rng.uniform(5e9, 40e9, 300), rng.uniform(1e9, 3e11, 300), rng.uniform(1e9, 1e11, 300)
    grid = np.linspace(0.0, 4.0, 4001)
    f = fr[:, None] * grid
    h2 = np.abs(intrinsic_response(f, fr[:, None], gamma[:, None]) / (1.0 + 1j * f / fp[:, None])) ** 2
    last = grid.size - 1 - np.argmax((h2 >= 0.5)[:, ::-1], axis=-1)
    scan = fr * grid[last]
    root = modulation_bandwidth(fr, gamma, fp)
    step = fr * (grid[1] - grid[0])
    assert np.all(root >= scan) and np.all(root - scan < step)
    # at the root the response is -3 dB
    h_root = np.abs(intrinsic_response(root, fr, gamma) / (1.0 + 1j * root / fp)) ** 2
    np.testing.assert_allclose(h_root, 0.5, rtol=1e-9)
