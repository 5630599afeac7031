"""Reproduce the figures of the README's "Numerics the answers rest on".

    python examples/numerics_checks.py            # all three checks (~10 s on one core)
    python examples/numerics_checks.py pulses     # the rectangle transforms only (seconds)
    python examples/numerics_checks.py serdes     # the SerDes's sub-sample alignment only
    python examples/numerics_checks.py margins    # margin against length near the reach, and BER floors

1. Pulses: the centred (jitter-tolerant) eye of three cascades, built from the continuous one-UI rectangle
   and from the transform of its samples, at 8-256 samples per UI, with each one's error against the
   256-sample continuous value.
2. SerDes: each equalised chain's margin at 2 m (or at half its reach where that is shorter) with the symbol
   (hence every pulse) delayed by eighths of a sample, and the spread of its maximum reach.
3. Margins: each equalised chain's margin on 400 lengths from 30 % to 110 % of its reach, its largest step up
   (the margin should only fall with length) and the BER floor there, against the pre-FEC threshold.

The pulse check uses the general phase search (grid and golden section) for both rectangles, so that only the
rectangle differs.
"""

import sys

import numpy as np

from microlink.ber.pulse import PulseSampler, eye_opening, nrz_spectrum, window_symbols

#: (name, poles, Butterworth corners, Gaussian rms) of the pulse cascades [1/UI, 1/UI, UI].
CASCADES = (("typical micro-LED lane", [0.3, 2.0, 3.0], [0.7], 0.05),
            ("fast LED, weakly filtered", [5.0, 8.0, 3.0], [0.7], 0.01),
            ("slow lane near closure", [0.15, 1.0, 2.0], [0.6], 0.2))
OFFSET_UI = 0.12  # jitter + skew allocation the sampler is centred for


def centred_eye(spectrum, sps):
    _, cur = PulseSampler(spectrum, sps).centred_phase(np.array([OFFSET_UI]))
    return float(eye_opening(cur).ravel()[0])


def sampled_rectangle(spectrum, sps, n_ui):
    """The same pulse from the transform of the rectangle's ``sps`` samples (half a sample early)."""
    f = np.fft.rfftfreq(n_ui * sps, d=1.0 / sps)
    ones = np.zeros(n_ui * sps)
    ones[:sps] = 1.0
    continuous = sps * np.sinc(f) * np.exp(-1j * np.pi * f)
    return spectrum * np.fft.rfft(ones) / np.where(continuous == 0, 1.0, continuous)


def pulses():
    print("centred eye (offset %.2f UI); relative error against the continuous rectangle at 256 samples/UI" % OFFSET_UI)
    for name, poles, butter, g in CASCADES:
        p = [np.array([x]) for x in poles]
        b = [np.array([x]) for x in butter]
        n_ui = int(np.max(window_symbols(p, b, np.array([g]))))
        ref = centred_eye(nrz_spectrum(p, b, np.array([g]), np.array([0.0]), 256, n_ui), 256)
        print(f"  {name} (eye {ref:.5f})")
        for sps in (8, 16, 32):
            spec = nrz_spectrum(p, b, np.array([g]), np.array([0.0]), sps, n_ui)
            cont = centred_eye(spec, sps)
            held = centred_eye(sampled_rectangle(spec, sps, n_ui), sps)
            print(f"    {sps:3d} samples/UI: continuous {(cont - ref) / abs(ref):+.1e}, "
                  f"sampled rectangle {(held - ref) / abs(ref):+.1e}")


def serdes():
    import microlink.devices.serdes as serdes_module
    from microlink.link.chain import evaluate_link

    original = serdes_module.nrz_symbol_spectrum
    print("margin [dB] and maximum reach [m] over eighths of a sample of delay")
    try:
        for name in ("dac-100g", "dac-200g", "dac-25g-nrz", "aec-100g", "aec-200g", "vcsel-npo", "vcsel-50g-pam4",
                     "vcsel-dsp", "siph-cpo", "lpo-800g", "dsp-pluggable-1.6t"):
            length = min(2.0, 0.5 * float(evaluate_link(name, reach=1.0).max_reach))
            rows = []
            for frac in np.linspace(0.0, 1.0, 8, endpoint=False):
                def delayed(n_symbols=serdes_module.DEFAULT_WINDOW_SYMBOLS,
                            samples_per_symbol=serdes_module.DEFAULT_SAMPLES_PER_SYMBOL, f=frac):
                    nu = serdes_module.normalised_grid(n_symbols, samples_per_symbol)
                    return original(n_symbols, samples_per_symbol) * np.exp(-2j * np.pi * nu * f / samples_per_symbol)

                serdes_module.nrz_symbol_spectrum = delayed
                serdes_module._bases.cache_clear()
                r = evaluate_link(name, reach=length)
                rows.append((float(r.margin_db), float(r.max_reach)))
            m = np.array(rows)
            print(f"  {name:20s} at {length:.2f} m: margin {m[:, 0].min():7.3f} .. {m[:, 0].max():7.3f} "
                  f"(spread {np.ptp(m[:, 0]):.3f}); reach {m[:, 1].min():.4g} .. {m[:, 1].max():.4g}")
    finally:
        serdes_module.nrz_symbol_spectrum = original
        serdes_module._bases.cache_clear()


def margins():
    from microlink.link.chain import evaluate_link

    print("margin [dB] against length from 30 % to 110 % of the reach (400 lengths): largest step up")
    for name in ("dac-100g", "dac-200g", "dac-25g-nrz", "aec-100g", "aec-200g", "vcsel-npo", "vcsel-50g-pam4"):
        reach = float(evaluate_link(name, reach=1.0).max_reach)
        lengths = np.linspace(0.3 * reach, 1.1 * reach, 400)
        r = evaluate_link(name, reach=lengths, solve_reach=False)
        m = np.asarray(r.margin_db)
        k = int(np.argmax(np.diff(m)))
        print(f"  {name:16s} reach {reach:.3g} m: step {m[k + 1] - m[k]:+.3f} dB at {lengths[k]:.3g} m "
              f"(margin {m[k]:.2f} -> {m[k + 1]:.2f} dB, BER {float(np.asarray(r.ber)[k]):.2e} -> "
              f"{float(np.asarray(r.ber)[k + 1]):.2e}, floor {float(np.asarray(r.ber_floor)[k]):.2e}, threshold "
              f"{float(np.asarray(r.pre_fec_threshold)[k]):.2e}); near a floor at {int(np.sum(r.near_ber_floor))} "
              "lengths")


if __name__ == "__main__":
    which = sys.argv[1:] or ["pulses", "serdes", "margins"]
    if "pulses" in which:
        pulses()
    if "serdes" in which:
        serdes()
    if "margins" in which:
        margins()
