"""Band-limited sampling of pulse spectra at any phase and the refined best sampling phase."""

import numpy as np
import pytest

from microlink.ber.pulse import (PulseSampler, cursors_at_phase, eye_opening, grid_phase, nrz_cursors, nrz_pulse,
                                 nrz_spectrum)

SPS = 16
#: A small batch of cascades: slow and fast poles, Butterworth corners, fiber spreads, de-emphasis.
POLES = [np.array([0.3, 0.6, 1.2, 0.45]), np.array([0.9, 2.3, 1.5, 0.7])]
BUTTER = [np.array([0.55, 0.8, 0.6, 0.7])]
GAUSS = np.array([0.05, 0.2, 0.12, 0.31])
PRE = np.array([0.0, 0.35, 0.2, 0.1])


def spectrum(n_symbols=32, gauss=GAUSS):
    return nrz_spectrum(POLES, BUTTER, gauss, PRE, SPS, n_symbols)


def test_spectrum_is_the_pulse():
    _, p = nrz_pulse(POLES, BUTTER, GAUSS, PRE, SPS, 32)
    np.testing.assert_allclose(np.fft.irfft(spectrum(), n=32 * SPS, axis=-1), p, atol=1e-15)


def test_samples_exact_on_the_grid_and_band_limited_between():
    spec = spectrum()
    _, p = nrz_pulse(POLES, BUTTER, GAUSS, PRE, SPS, 32)
    for k in (0, 5, 11):
        np.testing.assert_allclose(cursors_at_phase(spec, SPS, k / SPS), p[:, k::SPS], atol=1e-14)
    # between samples: the same spectrum zero-padded to 8x the samples is the band-limited pulse on a finer grid
    # (its Nyquist bin is exactly zero: a one-UI rectangle of 16 samples has no component there)
    assert np.abs(spec[:, -1]).max() < 1e-12
    fine_n = 32 * SPS * 8
    fine = np.fft.irfft(np.concatenate([spec, np.zeros((4, fine_n // 2 + 1 - spec.shape[-1]))], axis=-1) * 8,
                        n=fine_n, axis=-1)
    for k in (3, 37, 101):
        np.testing.assert_allclose(cursors_at_phase(spec, SPS, k / (8 * SPS)), fine[:, k::8 * SPS], atol=1e-13)


def test_compiled_and_numpy_paths_agree():
    s = PulseSampler(spectrum(), SPS)
    assert s.compiled
    ph = np.array([0.013, 0.5, 0.97, -0.2])
    np.testing.assert_allclose(s.cursors(ph), s.cursors(ph, compiled=False), atol=1e-14)
    p0, grid = grid_phase(np.fft.irfft(spectrum(), n=32 * SPS, axis=-1), SPS)
    a_ph, a_cur = s.refine(p0, grid)
    b_ph, b_cur = s.refine(p0, grid, compiled=False)
    np.testing.assert_allclose(a_ph, b_ph, atol=1e-12)
    np.testing.assert_allclose(a_cur, b_cur, atol=1e-12)


@pytest.mark.parametrize("sps", [SPS, 5])
def test_compiled_kernels_match_the_numpy_expressions(sps):
    """The fused spectrum (cascade x symbol x de-emphasis), the sampler's split table, the grid phase and the
    eyes read two phases per FFT give what the NumPy expressions give, to rounding; at an odd oversampling
    too, whose Nyquist bin is not ~0 (the table halves it)."""
    from microlink import kernels

    def make():
        return nrz_spectrum(POLES, BUTTER, GAUSS, PRE, sps, 32)

    with kernels.use_engine("numpy"):
        ref_spec = make()
        ref_phase, ref_grid = grid_phase(np.fft.irfft(ref_spec, n=32 * sps, axis=-1), sps)
        ref = PulseSampler(ref_spec, sps)
        assert not ref.compiled
        ref_cursors = ref.cursors(np.array([0.013, 0.5, 0.97, -0.2]))
    assert np.abs(ref_spec[:, -1]).max() > 1e-4 or sps % 2 == 0
    spec = make()
    np.testing.assert_allclose(spec, ref_spec, rtol=0, atol=1e-13 * np.abs(ref_spec).max())
    phase, grid = grid_phase(np.fft.irfft(spec, n=32 * sps, axis=-1), sps)
    np.testing.assert_array_equal(phase, ref_phase)
    np.testing.assert_allclose(grid, ref_grid, atol=1e-13)
    s = PulseSampler(spec, sps)
    assert s.compiled
    np.testing.assert_allclose(s.folded, ref.folded, atol=1e-15)
    np.testing.assert_allclose(s.cursors(np.array([0.013, 0.5, 0.97, -0.2])), ref_cursors, atol=1e-14)
    late, early = s.eye_pair(phase + 0.11, phase - 0.07)
    np.testing.assert_allclose(late, eye_opening(s.cursors(phase + 0.11, compiled=False)), atol=1e-13)
    np.testing.assert_allclose(early, eye_opening(s.cursors(phase - 0.07, compiled=False)), atol=1e-13)
    a, b = s.eye_pair(phase + 0.11, phase - 0.07, compiled=False)
    np.testing.assert_allclose(a, late, atol=1e-13)
    np.testing.assert_allclose(b, early, atol=1e-13)


def test_grid_phase_propagates_nan_like_numpy():
    """A NaN sample makes its phase the choice and its cursors NaN on both engines (never hidden)."""
    from microlink import kernels

    p = np.fft.irfft(spectrum(), n=32 * SPS, axis=-1)
    p[1, 7 * SPS + 5] = np.nan
    p[2, 3 * SPS + 2] = np.nan
    p[2, 9 * SPS + 11] = np.nan
    with kernels.use_engine("numpy"):
        ref_phase, ref_cur = grid_phase(p, SPS)
    phase, cur = grid_phase(p, SPS)
    np.testing.assert_array_equal(phase, ref_phase)
    np.testing.assert_array_equal(cur, ref_cur)  # NaN where NaN
    assert np.isnan(cur[1]).any() and np.isnan(cur[2]).any() and not np.isnan(cur[[0, 3]]).any()


def test_general_search_on_a_subset_gives_each_point_its_own_answer():
    """Points without a clear-cut root take the general search alone, each as it would by itself: one with
    no offset (no root) beside points with one, against each point's search in a batch of one."""
    spec = spectrum()
    s = PulseSampler(spec, SPS)
    widest = grid_phase(np.fft.irfft(spec, n=32 * SPS, axis=-1), SPS)
    off = np.array([0.08, 0.0, 0.12, 0.05])
    phase, cur = s.centred_phase(off, widest=widest)
    for i in range(4):
        one = PulseSampler(spec[i:i + 1], SPS)
        p1, c1 = one.centred_phase(off[i:i + 1], widest=(widest[0][i:i + 1], widest[1][i:i + 1]))
        assert float(p1[0]) == float(phase[i])
        np.testing.assert_array_equal(c1[0], cur[i])


def test_a_phase_outside_the_unit_interval_relabels_the_same_cursors():
    s = PulseSampler(spectrum(), SPS)
    a, b = s.cursors(0.3), s.cursors(1.3)
    np.testing.assert_allclose(np.roll(a, -1, axis=-1), b, atol=1e-14)


def test_refined_phase_opens_the_eye_as_far_as_a_fine_search():
    spec = spectrum()
    s = PulseSampler(spec, SPS)
    p0, grid = grid_phase(np.fft.irfft(spec, n=32 * SPS, axis=-1), SPS)
    ph, cur = s.refine(p0, grid)
    eye = eye_opening(cur)
    assert np.all(eye >= eye_opening(grid))
    fine = np.arange(0.0, 1.0, 1.0 / 4096)
    best_fine = np.max([eye_opening(s.cursors(x)) for x in fine], axis=0)
    assert np.all(eye >= best_fine - 1e-6)
    np.testing.assert_allclose(cur, s.cursors(ph), atol=1e-14)


@pytest.mark.parametrize("shift", [0.3, 1.7, 5.51])
def test_translating_the_pulse_between_samples_moves_only_the_phase(shift):
    """The chosen eye must not depend on where the pulse's peak falls between two grid samples."""
    spec = spectrum()
    nu = np.fft.rfftfreq(32 * SPS, d=1.0 / SPS)
    moved = spec * np.exp(-2j * np.pi * nu * shift / SPS)  # delayed by a fraction of a sample
    out = []
    for sp in (spec, moved):
        s = PulseSampler(sp, SPS)
        ph, cur = s.refine(*grid_phase(np.fft.irfft(sp, n=32 * SPS, axis=-1), SPS))
        out.append((ph, np.sort(cur, axis=-1)))
    # to the search's tolerance (2e-5 UI): the eye on its flanks' slopes (< 0.5 per UI), cursors and phase
    np.testing.assert_allclose(eye_opening(out[0][1]), eye_opening(out[1][1]), atol=1e-5)
    np.testing.assert_allclose(out[0][1], out[1][1], atol=1e-4)
    dphase = np.mod(out[1][0] - out[0][0] - shift / SPS + 0.5, 1.0) - 0.5
    np.testing.assert_allclose(dphase, 0.0, atol=2e-5)


def test_cursors_do_not_depend_on_the_batch():
    alone = [nrz_cursors([p[i:i + 1] for p in POLES], [b[i:i + 1] for b in BUTTER], GAUSS[i:i + 1], PRE[i:i + 1])
             for i in range(4)]
    together = nrz_cursors(POLES, BUTTER, GAUSS, PRE)
    for i, c in enumerate(alone):
        assert float(c.main[0]) == float(together.main[i]) and float(c.phase[0]) == float(together.phase[i])


def test_centred_phase_maximises_the_eye_left_by_an_offset():
    """The centred phase: compiled and NumPy searches agree, and it opens the worse of the eyes at +-offset as
    far as a fine search does; at offset 0 it is the widest un-jittered eye."""
    spec = spectrum()
    s = PulseSampler(spec, SPS)
    off = np.array([0.1, 0.05, 0.2, 0.0])
    a_ph, a_cur = s.centred_phase(off)
    b_ph, b_cur = s.centred_phase(off, compiled=False)
    np.testing.assert_allclose(a_ph, b_ph, atol=1e-12)
    np.testing.assert_allclose(a_cur, b_cur, atol=1e-12)
    np.testing.assert_allclose(a_cur, s.cursors(a_ph), atol=1e-14)
    got = s.centred_eye(a_ph, off)
    fine = np.arange(0.0, 1.0, 1.0 / 4096)
    best_fine = np.max([s.centred_eye(x, off) for x in fine], axis=0)
    assert np.all(got >= best_fine - 1e-5)
    p0, grid = grid_phase(np.fft.irfft(spec, n=32 * SPS, axis=-1), SPS)
    ph, _ = s.refine(p0, grid)
    assert eye_opening(a_cur)[3] >= eye_opening(s.cursors(ph))[3] - 1e-9


def test_equal_eye_root_finds_the_centred_maximum():
    """From the widest un-jittered eye, the root of late minus early (both engines alike) reaches the
    jittered eye's maximum: at least the golden section's (which stops within PHASE_TOLERANCE_UI) and the
    fine search's, to rounding; where the offset is 0 there is no root and the general search answers."""
    spec = spectrum()
    s = PulseSampler(spec, SPS)
    off = np.array([0.1, 0.05, 0.15, 0.0])
    grid = grid_phase(np.fft.irfft(spec, n=32 * SPS, axis=-1), SPS)
    widest = grid[0]
    a_ph, a_cur = s.centred_phase(off, widest=grid)
    b_ph, b_cur = s.centred_phase(off, widest=grid, compiled=False)
    # the engines' phases agree to where the objective stops resolving them; the eyes to rounding
    np.testing.assert_allclose(a_ph, b_ph, atol=1e-9)
    np.testing.assert_allclose(s.centred_eye(a_ph, off), s.centred_eye(b_ph, off), rtol=0, atol=1e-14)
    np.testing.assert_allclose(a_cur, s.cursors(a_ph), atol=1e-14)
    root_ph, _, _, ok = s._root(widest - off - 1 / SPS, widest + off + 1 / SPS, off, None)
    assert ok[:3].all() and not ok[3]
    # the points whose answer is the root (the others' eyes are flat-topped: ROOT_FLAT_FRACTION)
    used = ok & np.isclose(np.mod(np.where(ok, root_ph, 0.0), 1.0), a_ph, rtol=0, atol=1e-12)
    assert used.any()
    golden_ph, golden_cur = s.centred_phase(off)
    got, golden = s.centred_eye(a_ph, off), s.centred_eye(golden_ph, off)
    assert np.all(got >= golden - 1e-12)
    fine = np.arange(0.0, 1.0, 1.0 / 4096)
    best_fine = np.max([s.centred_eye(x, off) for x in fine], axis=0)
    assert np.all(got >= best_fine - 1e-12)
    np.testing.assert_array_equal(a_ph[3], golden_ph[3])  # no root: the general search
    # at the root the late and early eyes are equal
    late = eye_opening(s.cursors(a_ph + off))[used]
    early = eye_opening(s.cursors(a_ph - off))[used]
    np.testing.assert_allclose(late, early, rtol=0, atol=1e-9)


@pytest.mark.parametrize("offset", [0.2, 0.26, 0.3, 0.45])
def test_offsets_from_a_quarter_ui_take_the_general_search(offset):
    """The two-instant objective at offset o equals the one at 1/2 - o half a UI away, so from a quarter UI
    (less the grid step) its maximum can sit at the eye crossing: there the answer is the general search's,
    on both engines, and never below the fine search's."""
    spec = spectrum()
    s = PulseSampler(spec, SPS)
    off = np.full(4, offset)
    grid = grid_phase(np.fft.irfft(spec, n=32 * SPS, axis=-1), SPS)
    fine = np.arange(0.0, 1.0, 1.0 / 4096)
    best_fine = np.max([s.centred_eye(x, off) for x in fine], axis=0)
    for compiled in (None, False):
        ph, _ = s.centred_phase(off, widest=grid, compiled=compiled)
        gph, _ = s.centred_phase(off, compiled=compiled)
        np.testing.assert_array_equal(ph, gph)
        assert np.all(s.centred_eye(ph, off) >= best_fine - 1e-6)


def _single(poles, butter, gauss, pre, n_ui=32):
    spec = nrz_spectrum([np.array([x]) for x in poles], [np.array([x]) for x in butter], np.array([gauss]),
                        np.array([pre]), SPS, n_ui)
    return PulseSampler(spec, SPS), grid_phase(np.fft.irfft(spec, n=n_ui * SPS, axis=-1), SPS)


def test_a_scan_with_several_crossings_takes_the_general_search():
    """Late minus early reads +, -, +, -, - across this pulse's bracket (g ~1e-7 to 3e-3, clear of rounding):
    no single root, so both engines report none and the answer is the general search's."""
    s, grid = _single([3.41523, 6.08910, 6.27119], [1.51603], 0.069004, 0.0)
    widest = grid[0]
    off = np.array([0.040826])
    half = off + 1.0 / SPS
    for compiled in (None, False):
        assert not s._root(widest - half, widest + half, off, compiled)[3][0]
        ph, _ = s.centred_phase(off, widest=grid, compiled=compiled)
        np.testing.assert_array_equal(ph, s.centred_phase(off, compiled=compiled)[0])


def test_a_flat_topped_eye_takes_the_general_search():
    """A fast, lightly filtered lane: its jittered eye keeps ~99.8 % of the un-jittered one, and ripple finer
    than the scan puts three equal-eye phases in the bracket, of which the scan sees one (a nearer, worse one).
    ROOT_FLAT_FRACTION sends it to the general search, which finds the fine search's maximum."""
    s, grid = _single([2.542239584946663, 2.9664043010343475, 4.631368146124599], [0.9595058977851367],
                        0.044976342833918305, 0.018663938400851832)
    off = np.array([0.11328765361331375])
    fine = np.arange(0.0, 1.0, 1.0 / 8192)
    best_fine = max(float(s.centred_eye(x, off)[0]) for x in fine)
    for compiled in (None, False):
        ph, _ = s.centred_phase(off, widest=grid, compiled=compiled)
        np.testing.assert_array_equal(ph, s.centred_phase(off, compiled=compiled)[0])
        assert float(s.centred_eye(ph, off)[0]) >= best_fine - 1e-9


def test_root_flags_agree_between_engines_on_a_mixed_batch():
    """Which points have a single root, and where, is the same on both engines (random cascades and offsets)."""
    rng = np.random.default_rng(20261202)
    n = 200
    poles = [rng.uniform(0.2, 3.0, n), rng.uniform(1.0, 8.0, n), rng.uniform(2.0, 8.0, n)]
    butter = [rng.uniform(0.5, 1.5, n)]
    gauss = rng.uniform(0.0, 0.2, n)
    spec = nrz_spectrum(poles, butter, gauss, np.zeros(n), SPS, 32)
    s = PulseSampler(spec, SPS)
    widest, _ = grid_phase(np.fft.irfft(spec, n=32 * SPS, axis=-1), SPS)
    off = rng.uniform(0.0, 0.15, n)
    half = off + 1.0 / SPS
    a_ph, a_eye, _, a_ok = s._root(widest - half, widest + half, off, None)
    b_ph, b_eye, _, b_ok = s._root(widest - half, widest + half, off, False)
    np.testing.assert_array_equal(a_ok, b_ok)
    assert 0 < a_ok.sum() < n
    np.testing.assert_allclose(a_ph[a_ok], b_ph[b_ok], atol=1e-9)
    # each eye sums 32 cursors from a different inverse FFT per engine: ~32 x 5 x 2.2e-16 = 3.5e-14 of rounding
    np.testing.assert_allclose(a_eye[a_ok], b_eye[b_ok], rtol=0, atol=1e-13)
    assert np.all(np.isnan(a_ph[~a_ok])) and np.all(np.isnan(b_ph[~b_ok]))


def test_pulse_converges_to_the_continuous_pulse_within_its_discarded_spectrum():
    """The pulse is the filtered continuous rectangle, band-limited to the window's Nyquist frequency: at any
    instant it is off the continuous pulse by at most the L1 norm of the discarded two-sided spectrum,
    ``2 int_{sps/2}^inf |sinc(nu) H(nu)| dnu`` (times the de-emphasis gain), plus rounding. The reference is
    the same pulse at 256 samples per UI. The transform of the *sampled* rectangle (``sps`` ones: the
    rectangle's spectrum with its images above the Nyquist frequency folded in, ``1 / sinc(nu / sps)`` times
    it, and half a sample early) misses that reference by far more than the bound: the check can fail."""
    from microlink.ber.pulse import cascade_response

    n_ui, sps, phase = 32, 16, 0.37
    ref = cursors_at_phase(nrz_spectrum(POLES, BUTTER, GAUSS, PRE, 256, n_ui), 256, phase)
    nu = np.linspace(sps / 2, 400.0, 400_001)
    h = np.abs(cascade_response(nu, POLES, BUTTER, GAUSS) * np.sinc(nu))  # [4, F]
    tail = 2.0 * np.sum(0.5 * (h[:, 1:] + h[:, :-1]) * np.diff(nu), axis=-1) * (1.0 + np.abs(PRE)) / (1.0 - PRE)
    bound = tail[:, None] + 1e-12
    spec = nrz_spectrum(POLES, BUTTER, GAUSS, PRE, sps, n_ui)
    assert np.all(np.abs(cursors_at_phase(spec, sps, phase) - ref) <= bound)
    # the sampled rectangle's own transform in place of the continuous one, its half sample removed
    f = np.fft.rfftfreq(n_ui * sps, d=1.0 / sps)
    ones = np.zeros(n_ui * sps)
    ones[:sps] = 1.0
    held = spec * np.fft.rfft(ones) * np.exp(-1j * np.pi * f / sps) / (sps * np.sinc(f) * np.exp(-1j * np.pi * f)
                                                                       + (np.sinc(f) == 0))
    assert np.all(np.max(np.abs(cursors_at_phase(held, sps, phase) - ref), axis=-1) > 100 * bound[:, 0])
