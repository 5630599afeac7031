"""A pure delay of the channel must not change what the equaliser achieves.

Delaying a channel by a fraction of a sample moves its pulse between the samples of the equaliser's window;
a receiver whose CDR places the sampler anywhere achieves the same slicer SNR. The equaliser chooses its
sampling phase on the window's grid (``PHASE_OFFSETS`` samples around the peak, ``1/sps`` UI apart) jointly
with its CTLE setting, so its answer moves with the delay: 0.02-0.09 dB of slicer SNR on random 200G-lane
copper channels. Through a whole chain the CTLE choice can jump with it (``examples/numerics_checks.py
serdes``: the 50G PAM4 VCSEL link's margin at 2 m spans ~1 dB).

What removing it takes, measured: each setting's grid phase found by climbing from the window around its
pulse's peak until the best has both neighbours (the SNR-best phase of a boosted setting can lie two samples
before the peak), then every setting whose grid parabola comes within 0.2 dB of the best placed on its SNR
maximum by successive parabolic interpolation (to 1e-4 sample), on the pulse advanced by the fraction. That
makes every catalog chain's margin at 2 m invariant to 0.008 dB (the 50G VCSEL's 1 dB spread gone) but halves
the equalised chains' throughput (DAC 1,400 -> 650 points/s) and takes ``compare`` from 1.4 to 2.7 s, so it is
not the default. Its margin against length is not monotone either, as the grid's is not: a margin counts power
with the receiver adapted at the operating point, and where that adaptation switches setting the margin
steps (README, "Numerics the answers rest on"). Near its reach a long channel's CTLE output also has two nearly
equal largest samples, and the decision delay (the main cursor) follows the larger, so there the reach still
moves with the delay whatever the phase search (100G AEC: 5.02-5.13 m).
"""

import numpy as np
import pytest

from microlink.devices.serdes import DEFAULT_SAMPLES_PER_SYMBOL, SerDes, equalize, normalised_grid
from microlink.signals import minimum_phase_response

#: Far above the solvers' tolerance (1e-4 relative, ~4e-4 dB) and far below any penalty the chains name.
ALIGNMENT_TOLERANCE_DB = 0.01


def channels(n=12, seed=3):
    rng = np.random.default_rng(seed)
    serdes = SerDes()
    nu = normalised_grid()
    skin = rng.uniform(5.0, 28.0, n)[:, None]
    diel = rng.uniform(2.0, 12.0, n)[:, None]
    h = minimum_phase_response(skin * np.sqrt(nu / 0.5) + diel * nu / 0.5) * serdes.transmit_response(nu)
    return serdes, nu, rng.uniform(50e9, 113e9, n), h


@pytest.mark.xfail(strict=True, reason="the sampling phase is chosen on the window's grid (1/8 UI) jointly with "
                   "the CTLE setting: a sub-sample delay moves the slicer SNR by 0.02-0.09 dB (module docstring)")
def test_slicer_snr_does_not_depend_on_a_sub_sample_delay():
    serdes, nu, rate, h = channels()
    sps = DEFAULT_SAMPLES_PER_SYMBOL
    snr = np.array([np.asarray(equalize(serdes, nu, rate, h * np.exp(-2j * np.pi * nu * frac / sps), 0.0).snr_db)
                    for frac in np.linspace(0.0, 1.0, 8, endpoint=False)])
    assert np.ptp(snr, axis=0).max() <= ALIGNMENT_TOLERANCE_DB

