"""A pure delay of the channel must not change what the equaliser achieves.

Delaying a channel by a fraction of a sample moves its pulse between the samples of the equaliser's window;
a receiver whose CDR places the sampler anywhere achieves the same slicer SNR. The equaliser chooses its
sampling phase on the window's grid (``PHASE_OFFSETS`` samples around the peak, ``1/sps`` UI apart) jointly
with its CTLE setting, so its answer moves with the delay. Measured on random 200G-lane copper channels:
0.02-0.09 dB of slicer SNR. Through a whole chain the CTLE choice can jump with it: the 50G PAM4 VCSEL link's
margin at 2 m spans 2.60-3.57 dB (reach 105-152 m) over eighth-of-a-sample delays, the AEC's 0.26 dB, the
DAC's and the 1.6T DSP module's ~0.1 dB.

What removing it takes, measured: a parabolic phase refinement at the chosen CTLE setting alone leaves
0.1-0.18 dB (the setting still follows the grid). Scoring every setting at every grid phase of the UI (the
SNR-best phase of a boosted setting can lie two samples before its pulse's peak) and then placing each
contending setting's phase on its SNR maximum by successive parabolic interpolation makes the slicer SNR
invariant (<= 0.003 dB) and every equalised chain's margin at 0.5-2 m invariant to 0.01 dB, at ~3.5x the
equaliser's cost. It is not in: the SNR-best candidate is not the margin-best one. For the 100G AEC's cable
segment at 4.8 m the SNR-best (0 dB CTLE, 0.4 dB more SNR) has a 2.1 dB smaller margin than the peak-side
candidate, and the margin against length turns non-monotone near the reach (a 2.8 dB drop at 5.0 m and a
partial recovery at 5.06 m). The candidates must first be ranked by what the chain reports (the margin at the
target BER, with the residual-ISI distribution), not by the SNR. Near its reach a long channel's CTLE
output also has two nearly equal largest samples, and the decision delay (the main cursor) follows the
larger: there the margin jumps with the delay whatever the phase search (~1 dB for the 25G NRZ DAC at 9.6 m).
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

