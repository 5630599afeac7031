"""Pulse responses of cascaded filters and the cursors seen by a symbol-rate sampler.

Frequencies are normalised to the symbol rate (``nu = f / R_s``, cycles per unit interval) so that one
frequency grid serves design points with different lane rates. The transmitted symbol is a rectangular
NRZ pulse of one unit interval; the cascade is a product of

* real poles (``bandwidth / R_s``): ``1 / (1 + j nu / b)``,
* 2nd-order Butterworth sections: ``1 / (1 - x^2 + j sqrt2 x)``, ``x = nu / b``,
* a Gaussian of rms width ``sigma`` (in UI): ``exp(-2 (pi nu sigma)^2)`` (fiber dispersion),

each normalised to unity at DC, so the settled response to a long run of ones is 1.

The sampling phase maximises the worst-case eye opening ``h0 - sum |h_k|`` (or, given a sampling-time
offset, the worse of the eyes that offset early and late of it: :meth:`PulseSampler.centred_phase`). :func:`cursors_from_pulse` picks it
on the oversampling grid of a given pulse; the chain's batches (:func:`pulse_batches`) refine it between grid
samples on the band-limited pulse itself (:func:`cursors_at_phase`: the pulse at any instant from its
spectrum), so neither the chosen eye nor the eyes read at offsets from it depend on where the peak falls
between two samples (which moves with the fiber's spread and would otherwise make them jump by ~1 dB).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from microlink import kernels
from microlink.errors import ParameterError
from microlink.signals import rectangular_symbol_spectrum

#: Upper bound on the number of oversampled pulse samples of one batch of :func:`pulse_batches` (256 pulses of
#: 64 UI at 16 samples per UI). The batch's spectra, pulses and the sampler's table (~2 MiB each) then
#: stay in the processor's caches from one step to the next: measured on a micro-LED sweep, 2^18 ran ~10 %
#: faster than 2^23 (whose batches of ~130 MiB streamed through memory at every step), 2^16 slower again
#: (Python's cost per batch).
MAX_SAMPLES_IN_FLIGHT = 1 << 18
#: Width of the bracket left around the best sampling phase by its golden-section refinement [UI]. The jitter
#: and skew penalties read the eye at offsets from that phase, on slopes of a few per UI: the margin moves by
#: ~20 dB per UI of phase error, so 2e-5 UI keeps it within ~0.0004 dB (the margin solver's own tolerance).
PHASE_TOLERANCE_UI = 2e-5
#: Intervals of the sign scan that opens :meth:`PulseSampler._root`: the late-minus-early eye difference is read
#: at ``ROOT_SCAN + 1`` phases across the bracket, and only a bracket where it changes sign once is searched.
#: The scan sees ripple no finer than a quarter of the bracket; see ``ROOT_FLAT_FRACTION`` for the rest.
ROOT_SCAN = 4
#: Most Illinois steps of :meth:`PulseSampler._root` within the scan's interval. From a quarter of a bracket of
#: up to ~0.4 UI they usually bring the equal-eye phase to the early-stop width (on flat eyes they can end
#: ~1e-3 UI short, costing <= 5e-5 of the eye): with the scan, 10 + 2 x (at most 12) eye evaluations per pulse
#: at 16 samples per UI, against 32 on the grid and 42 for the golden section to ``PHASE_TOLERANCE_UI``.
ROOT_STEPS = 12
#: Where the root's jittered eye keeps more than this fraction of the widest un-jittered eye, the eye's top is
#: flat enough for ripple finer than the scan to decide where the best equal-eye phase lies (measured: eyes of
#: ~0.98-1.0 lost up to 1.7e-3 of the eye to a nearer crossing): those points take the general search.
ROOT_FLAT_FRACTION = 0.98
#: Bracket width at which a point's root search stops early [UI]: its eyes no longer change at any precision
#: the chain reports.
ROOT_BRACKET_UI = 1e-10
#: Largest sampling-time offset plus grid step [UI] for which the equal-eye root is the centred phase. The
#: objective reads the eye at two instants, and the eye repeats every UI: at offset ``o`` it equals the
#: objective at ``o' = 1/2 - o`` half a UI away, so above a quarter UI its maximum can sit at the eye
#: crossing, which only the general search looks at.
ROOT_MAX_OFFSET_UI = 0.25


@dataclass(frozen=True)
class Cursors:
    """Cursors of a batch of pulse responses, compact enough for a million design points.

    Attributes
    ----------
    main : ndarray [...]
        Main cursor [1].
    largest : ndarray [..., K]
        The K largest-magnitude ISI cursors (signed) [1].
    rest_sum_squares : ndarray [...]
        Sum of squares of the other ISI cursors [1].
    rest_sum_abs : ndarray [...]
        Sum of magnitudes of the other ISI cursors [1].
    phase : ndarray [...]
        Chosen sampling phase within the unit interval [UI].
    """

    main: np.ndarray
    largest: np.ndarray
    rest_sum_squares: np.ndarray
    rest_sum_abs: np.ndarray
    phase: np.ndarray

    @property
    def isi_abs_sum(self):
        """Sum of all ISI cursor magnitudes [1]."""
        return np.abs(self.largest).sum(axis=-1) + self.rest_sum_abs


#: Gaussian widths beyond this many UI are not resolved exactly: the response is folded into the window
#: (circular aliasing). Such a pulse has a main cursor below ~0.08 and an eye closed many times over, so
#: the BER stays ~0.5 either way; capping keeps a 1e5 m reach probe as cheap as a 1 m one.
GAUSSIAN_SPAN_CAP_UI = 64.0


def window_symbols(pole_bandwidths, butterworth_bandwidths, gaussian_rms, minimum=16, maximum=2048):
    """Unit intervals needed to hold each pulse response until it has decayed [1 -> int array].

    Each real pole needs ~14 time constants (decay to 1e-6), each Butterworth section ~10 periods of its
    corner, the Gaussian +-6 sigma plus the delay we give it (capped, see ``GAUSSIAN_SPAN_CAP_UI``).
    Rounded up to a power of two per design point, so a point's result never depends on which other points
    share its batch.
    """
    span = 8.0 + np.minimum(12.0 * np.asarray(gaussian_rms, dtype=float), GAUSSIAN_SPAN_CAP_UI)
    for b in pole_bandwidths:
        span = span + 14.0 / (2.0 * np.pi * np.asarray(b, dtype=float))
    for b in butterworth_bandwidths:
        span = span + 10.0 / np.asarray(b, dtype=float)
    n = np.exp2(np.ceil(np.log2(np.maximum(span, minimum))))
    return np.clip(n, minimum, maximum).astype(np.int64)


def cascade_response(nu, pole_bandwidths=(), butterworth_bandwidths=(), gaussian_rms=None, delay=0.0):
    """Complex transfer function of the cascade on normalised frequencies ``nu`` [cycles/UI -> 1].

    Parameter arrays have shape ``[...]``; the result has shape ``[..., len(nu)]``. The denominators are
    multiplied first so that only one complex division and one complex exponential are evaluated.
    """
    nu = np.asarray(nu, dtype=float)
    den = np.ones(np.broadcast_shapes(*[np.shape(b) for b in (*pole_bandwidths, *butterworth_bandwidths)], ())
                  + nu.shape, dtype=complex)
    for b in pole_bandwidths:
        den = den * (1.0 + 1j * (nu / np.asarray(b, dtype=float)[..., None]))
    for b in butterworth_bandwidths:
        x = nu / np.asarray(b, dtype=float)[..., None]
        den = den * ((1.0 - x * x) + 1j * (np.sqrt(2.0) * x))
    d = np.asarray(delay, dtype=float)
    phase = -2.0 * np.pi * nu * (d[..., None] if d.ndim else float(d))
    if gaussian_rms is not None:
        s = np.asarray(gaussian_rms, dtype=float)[..., None]
        mag = np.exp(-2.0 * (np.pi * nu * s) ** 2)
    else:
        mag = 1.0
    return mag * (np.cos(phase) + 1j * np.sin(phase)) / den


def nrz_pulse(pole_bandwidths=(), butterworth_bandwidths=(), gaussian_rms=0.0, pre_emphasis=0.0,
              samples_per_symbol=16, n_symbols=None):
    """Oversampled NRZ pulse response of the cascade.

    Parameters
    ----------
    pole_bandwidths, butterworth_bandwidths : sequence of array_like [...]
        Corner frequencies normalised to the symbol rate [1].
    gaussian_rms : array_like [...]
        Gaussian impulse-response rms width [UI].
    pre_emphasis : array_like [...]
        Two-tap transmit de-emphasis coefficient ``alpha``; the pulse becomes
        ``(p(t) - alpha p(t - T)) / (1 - alpha)`` (settled level unchanged).
    samples_per_symbol : int
        Oversampling factor.
    n_symbols : int, optional
        Window length [UI]; chosen from the slowest element when omitted.

    Returns
    -------
    t : ndarray [N]
        Time [UI].
    pulse : ndarray [..., N]
        Pulse response (settled response to a run of ones is 1).
    """
    g = np.asarray(gaussian_rms, dtype=float)
    if n_symbols is None:
        n_symbols = int(np.max(window_symbols(pole_bandwidths, butterworth_bandwidths, g)))
    n = n_symbols * samples_per_symbol
    spec = nrz_spectrum(pole_bandwidths, butterworth_bandwidths, g, pre_emphasis, samples_per_symbol, n_symbols)
    pulse = np.fft.irfft(spec, n=n, axis=-1)
    t = np.arange(n) / samples_per_symbol
    return t, pulse


def nrz_spectrum(pole_bandwidths, butterworth_bandwidths, gaussian_rms, pre_emphasis, samples_per_symbol, n_symbols):
    """Discrete spectrum (``rfft``) of the pulse :func:`nrz_pulse` returns, ``[..., N/2 + 1]``, ``N`` samples.

    The pulse is its inverse ``rfft``; :func:`cursors_at_phase` reads it between the samples. The symbol is the
    continuous one-UI rectangle (:func:`~microlink.signals.rectangular_symbol_spectrum`, not the transform of
    its samples, whose folded-in images would leave the eye ~2e-3 of its opening too open at 16 samples per UI;
    ``tests/unit/ber/test_pulse_sampler.py`` checks the convergence). The de-emphasis ``p(t) - alpha p(t - T)``
    is the factor ``1 - alpha exp(-2 pi i nu)`` (a circular delay of one UI).
    """
    g = np.asarray(gaussian_rms, dtype=float)
    n = int(n_symbols) * samples_per_symbol
    nu = np.fft.rfftfreq(n, d=1.0 / samples_per_symbol)
    # Delay keeps the acausal Gaussian (and pre-cursors) inside the window. It only translates the pulse:
    # the band-limited pulse of cursors_at_phase moves with it exactly, and so does the refined best phase.
    delay = 2.0 + np.minimum(6.0 * g, GAUSSIAN_SPAN_CAP_UI / 2)
    r = rectangular_symbol_spectrum(nu, samples_per_symbol)
    fast = _nrz_spectrum_fast(nu, pole_bandwidths, butterworth_bandwidths, g, delay, r, pre_emphasis)
    if fast is not None:
        return fast
    h = cascade_response(nu, pole_bandwidths, butterworth_bandwidths, g, delay)
    a = np.asarray(pre_emphasis, dtype=float)
    if np.any(a != 0):  # (p(t) - a p(t - T)) / (1 - a)
        a = a[..., None]
        r = r / (1.0 - a) - (a / (1.0 - a)) * (r * np.exp(-2j * np.pi * nu))
    if np.shape(r) == h.shape:
        h *= r
        return h
    return h * r


def _nrz_spectrum_fast(nu, pole_bandwidths, butterworth_bandwidths, gaussian_rms, delay, symbol, pre_emphasis):
    """:func:`nrz_spectrum` through the compiled kernel for 1-D batches (the sweep hot path); None under the
    ``numpy`` engine (:mod:`microlink.kernels`) or for batches of more dimensions, which take NumPy."""
    if not kernels.compiled():
        return None
    from microlink.ber._compiled import nrz_spectrum_kernel

    arrays = [np.asarray(b, dtype=float) for b in (*pole_bandwidths, *butterworth_bandwidths)]
    shape = np.broadcast_shapes(*[a.shape for a in arrays], np.shape(gaussian_rms), np.shape(delay),
                                np.shape(pre_emphasis))
    if len(shape) > 1:
        return None
    n = shape[0] if shape else 1

    def column(x):
        return np.broadcast_to(np.asarray(x, dtype=float), (n,))

    poles = np.array([column(b) for b in pole_bandwidths]).reshape(-1, n)
    butter = np.array([column(b) for b in butterworth_bandwidths]).reshape(-1, n)
    h = nrz_spectrum_kernel(np.asarray(nu, dtype=float), poles, butter, column(gaussian_rms).copy(),
                            column(delay).copy(), np.asarray(symbol, dtype=complex), column(pre_emphasis).copy(),
                            np.exp(-2j * np.pi * np.asarray(nu, dtype=float)))
    return h if shape else h[0]


def cursors_at_phase(spectrum, samples_per_symbol, phase):
    """The pulse of a spectrum sampled once per UI at ``(m + phase)`` UI, ``m = 0 .. n_ui - 1`` [..., n_ui].

    The pulse between its samples is the band-limited (trigonometric) interpolant of the samples, i.e. the
    inverse transform of ``spectrum`` evaluated at any instant: exact at the grid, and no interpolation error
    between. The window is periodic, so any real ``phase`` is allowed; a phase outside ``[0, 1)`` relabels
    the same cursors. See :class:`PulseSampler` (which this builds) for the method.
    """
    return PulseSampler(spectrum, samples_per_symbol).cursors(phase)


def eye_opening(cursor_samples):
    """Worst-case eye opening ``h0 - sum |h_k|`` of cursors sampled once per UI [..., n_ui -> ...].

    ``h0`` is the largest sample and the sum runs over the others (``Cursors.main - Cursors.isi_abs_sum``).
    """
    top = cursor_samples.max(axis=-1)
    return top + np.abs(top) - np.abs(cursor_samples).sum(axis=-1)


@functools.lru_cache(maxsize=16)
def _fft_tables(n_ui):
    """Bit reversal and twiddles ``exp(2 pi i k / n_ui)`` of the compiled radix-2 inverse FFT (``n_ui`` a power
    of two), built once per window length and shared (the kernels only read them)."""
    bits = n_ui.bit_length() - 1
    rev = np.array([int(format(i, f"0{bits}b")[::-1], 2) for i in range(n_ui)], dtype=np.int64)
    twiddle = np.exp(2j * np.pi * np.arange(n_ui // 2) / n_ui)
    return rev, twiddle


class PulseSampler:
    """A batch of band-limited pulses, sampled once per UI at any phase from their spectra.

    With ``nu = rho / n_ui + j`` (``rho < n_ui``, ``j`` whole cycles per UI), ``exp(2 pi i nu (m + phase))`` is
    ``exp(2 pi i rho (m + phase) / n_ui) exp(2 pi i j phase)``: the one-sided spectrum (bins between DC and
    Nyquist counted twice, for their conjugates) is folded once onto ``[sps/2 + 1, n_ui]`` bins; a phase
    then costs one pass over them with the per-``j`` phasors and one ``n_ui``-point inverse FFT, against a
    full inverse FFT of the oversampled pulse (and it is exact where linear interpolation between samples
    errs by ~1e-3 of the main cursor at 16 samples per UI).

    Parameters
    ----------
    spectrum : ndarray [..., N/2 + 1]
        ``rfft`` of pulses of ``N = n_ui * samples_per_symbol`` samples, ``N`` even (:func:`nrz_spectrum`).
    samples_per_symbol : int
        Oversampling factor of those pulses.
    """

    def __init__(self, spectrum, samples_per_symbol):
        spec = np.asarray(spectrum)
        self.shape = spec.shape[:-1]
        f = spec.shape[-1]
        n = 2 * (f - 1)
        self.samples_per_symbol = sps = int(samples_per_symbol)
        if n % sps:
            raise ParameterError("samples_per_symbol", samples_per_symbol,
                                 f"a divisor of the {n} samples of the pulses (an even number)")
        self.n_ui = n_ui = n // sps
        self.n_fold = n_fold = sps // 2 + 1
        self._n_last = f - (n_fold - 1) * n_ui  # bins in the last folded row
        #: Compiled path (radix-2 FFT) where ``n_ui`` is a power of two, as every window of
        #: :func:`window_symbols` is, and the engine is compiled (:mod:`microlink.kernels`); NumPy otherwise.
        self.compiled = n_ui > 1 and n_ui & (n_ui - 1) == 0 and kernels.compiled()
        if self.compiled:
            from microlink.ber._compiled import fold_spectrum_planes

            self._rev, self._twiddle = _fft_tables(n_ui)
            #: the kernels' table: real and imaginary planes of the folded spectra [points, 2, n_fold, n_ui]
            self._flat = fold_spectrum_planes(np.ascontiguousarray(spec.reshape((-1, f))), n_fold, n_ui)
            self._folded = None
        else:
            y = np.zeros(self.shape + (n_fold * n_ui,), dtype=complex)
            np.multiply(spec, 2.0 / n, out=y[..., :f])
            y[..., 0] *= 0.5
            y[..., f - 1] *= 0.5
            self._folded = y.reshape(self.shape + (n_fold, n_ui))

    @property
    def folded(self):
        """The one-sided spectra (bins between DC and Nyquist doubled, scaled by ``1/N``) folded onto
        ``n_ui`` bins per whole cycle per UI ``[..., n_fold, n_ui]`` (complex)."""
        if self._folded is None:
            planes = self._flat.reshape(self.shape + (2, self.n_fold, self.n_ui))
            self._folded = planes[..., 0, :, :] + 1j * planes[..., 1, :, :]
        return self._folded

    def cursors(self, phase, compiled=None):
        """Pulse samples at ``(m + phase)`` UI [..., n_ui] (``phase`` broadcasting to the batch shape) [UI -> 1].

        ``compiled=False`` takes the NumPy path (the two agree to rounding).
        """
        n_fold, n_ui = self.n_fold, self.n_ui
        ph = np.broadcast_to(np.asarray(phase, dtype=float), self.shape)
        if self.compiled if compiled is None else (compiled and self.compiled):
            from microlink.ber._compiled import folded_cursors_kernel

            out = folded_cursors_kernel(self._flat, self._n_last, ph.reshape(-1).copy(), self._rev, self._twiddle)
            return out.reshape(self.shape + (n_ui,))
        ph = ph[..., None]
        whole = np.exp(2j * np.pi * ph * np.arange(n_fold))  # [..., n_fold]
        z = np.matmul(whole[..., None, :], self.folded)[..., 0, :]
        z = z * np.exp(2j * np.pi * ph * (np.arange(n_ui) / n_ui))
        return np.fft.ifft(z, axis=-1).real * n_ui

    def eye_pair(self, phase_a, phase_b, compiled=None):
        """The eyes ``h0 - sum |h_k|`` of the pulses sampled at ``(m + phase_a)`` and at ``(m + phase_b)`` UI
        (phases broadcasting to the batch shape) [UI, UI -> 1, 1]; compiled, the two by one FFT per point."""
        a = np.broadcast_to(np.asarray(phase_a, dtype=float), self.shape)
        b = np.broadcast_to(np.asarray(phase_b, dtype=float), self.shape)
        if self.compiled if compiled is None else (compiled and self.compiled):
            from microlink.ber._compiled import folded_eyes_kernel

            ea, eb = folded_eyes_kernel(self._flat, self._n_last, a.reshape(-1).copy(), b.reshape(-1).copy(),
                                        self._rev, self._twiddle)
            return ea.reshape(self.shape), eb.reshape(self.shape)
        return (eye_opening(self.cursors(a, compiled=False)), eye_opening(self.cursors(b, compiled=False)))

    def refine(self, phase, grid=None, tolerance=PHASE_TOLERANCE_UI, compiled=None):
        """Sampling phase that maximises the eye ``h0 - sum |h_k|`` near a grid phase [UI, in [0, 1)].

        ``phase`` is the best phase on the oversampling grid (:func:`grid_phase`) and ``grid`` the pulse
        sampled there ``[..., n_ui]`` (sampled here when omitted); the maximum lies within one grid step of
        it, where a golden-section search on the band-limited pulse narrows the bracket to ``tolerance``
        (:meth:`_golden` with no offset). The grid phase is kept where it opens the eye
        more (a maximum off the bracket's interior). Every point takes the same steps, so its result does not
        depend on its batch. ``compiled=False`` takes the NumPy path.

        Returns ``(phase, cursors)``: the phase and the cursors sampled at it ``[..., n_ui]``.
        """
        p0 = np.broadcast_to(np.asarray(phase, dtype=float), self.shape)
        best, _, cur = self._golden(p0, np.zeros(self.shape), tolerance, compiled)
        if grid is None:
            grid = self.cursors(p0, compiled=compiled)
        keep = eye_opening(grid) >= eye_opening(cur)
        cur = np.where(keep[..., None], grid, cur)
        best = np.where(keep, p0, best)
        return self._wrap(best, cur)

    def _golden(self, p0, offset, tolerance, compiled):
        """Golden-section search of the :meth:`centred_eye` objective within one grid step of ``p0`` [...]
        down to ``tolerance`` (:func:`~microlink.ber._compiled.refine_centred_phase_kernel`, or the same search
        in NumPy under the ``numpy`` engine or for windows that are not a power of two).

        Returns the better of the two last inner points (unwrapped) [UI], its objective and the cursors there.
        """
        sps = self.samples_per_symbol
        inv = 0.5 * (np.sqrt(5.0) - 1.0)
        steps = max(int(np.ceil(np.log(tolerance * sps / 2.0) / np.log(inv))), 0)
        if self.compiled if compiled is None else (compiled and self.compiled):
            from microlink.ber._compiled import refine_centred_phase_kernel

            best, fb, cur = refine_centred_phase_kernel(self._flat, self._n_last, p0.reshape(-1).copy(),
                                                        offset.reshape(-1).copy(), 1.0 / sps, steps, self._rev,
                                                        self._twiddle)
            return best.reshape(self.shape), fb.reshape(self.shape), cur.reshape(self.shape + (self.n_ui,))
        a, b = p0 - 1.0 / sps, p0 + 1.0 / sps
        c, d = b - inv * (b - a), a + inv * (b - a)
        fc, fd = self.centred_eye(c, offset, compiled=False), self.centred_eye(d, offset, compiled=False)
        for _ in range(steps):
            left = fc >= fd  # the maximum is in [a, d]
            b, a = np.where(left, d, b), np.where(left, a, c)
            x = np.where(left, b - inv * (b - a), a + inv * (b - a))
            fx = self.centred_eye(x, offset, compiled=False)
            c, d, fc, fd = (np.where(left, x, d), np.where(left, c, x), np.where(left, fx, fd),
                            np.where(left, fc, fx))
        best = np.where(fc >= fd, c, d)
        return best, np.maximum(fc, fd), self.cursors(best, compiled=False)

    def centred_eye(self, phase, offset, compiled=None):
        """The worse of the eyes ``h0 - sum |h_k|`` sampled ``offset`` UI early and late of ``phase`` [UI, UI -> 1].

        The eye a sampler at ``phase`` keeps open when its instant moves by up to ``offset`` either way (the
        jitter and skew allocation); the eye at ``phase`` where ``offset`` is 0.
        """
        off = np.broadcast_to(np.asarray(offset, dtype=float), self.shape)
        ph = np.broadcast_to(np.asarray(phase, dtype=float), self.shape)
        if not np.any(off):  # the eye at the phase itself
            return eye_opening(self.cursors(ph, compiled=compiled))
        late = eye_opening(self.cursors(ph + off, compiled=compiled))
        early = eye_opening(self.cursors(ph - off, compiled=compiled))
        return np.minimum(late, early)

    def centred_phase(self, offset, *, widest=None, tolerance=PHASE_TOLERANCE_UI, compiled=None):
        """Sampling phase that maximises the eye left open by a sampling-time offset [UI -> UI, in [0, 1)].

        The objective is :meth:`centred_eye`: the worse of the eyes ``offset`` UI early and late of the phase
        (``offset [...]``, per point, below half a UI). It is what a receiver that trains its sampling phase on
        the eye its jitter and skew leave (a forwarded clock with per-lane deskew, centring the sampler in the
        jitter-tolerant eye) picks; at ``offset`` 0 it is the widest un-jittered eye.

        Where the pulse's eye has one maximum and the offset plus the grid step is below a quarter UI
        (``ROOT_MAX_OFFSET_UI``), the objective is largest where the late and early eyes are equal, within
        ``offset`` of the widest un-jittered eye. Given that eye's grid phase and cursors, ``widest = (phase
        [...], cursors [..., n_ui])`` as :func:`grid_phase` returns them, the root of late minus early is
        sought in ``phase -+ (offset + 1/sps)``
        (:meth:`_root`: a sign scan, then Illinois steps). The general search answers instead where the scan
        finds no single change from late-ahead to late-behind, where the best phase found is at the
        bracket's end, where the jittered eye keeps more than ``ROOT_FLAT_FRACTION`` of the un-jittered one (a
        flat top, whose ripple decides), for larger offsets, and everywhere when ``widest`` is not given: the
        best of the ``samples_per_symbol`` grid phases refined by the golden section of :meth:`_golden` to
        ``tolerance`` (the grid phase kept where its objective is larger). A point's steps depend on itself
        alone, so its result does not depend on its batch.

        Returns ``(phase, cursors)``: the phase and the cursors sampled at it ``[..., n_ui]``.
        """
        sps = self.samples_per_symbol
        off = np.broadcast_to(np.asarray(offset, dtype=float), self.shape)
        ok = np.zeros(self.shape, dtype=bool)
        if widest is not None:
            w = np.broadcast_to(np.asarray(widest[0], dtype=float), self.shape)
            widest_eye = eye_opening(np.asarray(widest[1], dtype=float))
            half = off + 1.0 / sps
            near = np.where(half < ROOT_MAX_OFFSET_UI, off, 0.0)  # offset 0: no root, the general search
            best, jittered, cur, ok = self._root(w - half, w + half, near, compiled)
            # a best phase at the bracket's end, or a flat-topped eye, takes the general search too
            inside = (best > w - half) & (best < w + half)
            flat = jittered > ROOT_FLAT_FRACTION * widest_eye
            ok = ok & inside & ~flat
            if np.all(ok):
                return self._wrap(best, cur)
            # the general search for the points without a clear-cut root only (each point's steps are its own)
            rest = np.flatnonzero(~ok.reshape(-1))
            sub = self._take(rest)
            gbest, gcur = sub._general(off.reshape(-1)[rest], tolerance, compiled)
            best, cur = best.reshape(-1), cur.reshape((-1, self.n_ui))
            best[rest], cur[rest] = gbest, gcur
            return self._wrap(best.reshape(self.shape), cur.reshape(self.shape + (self.n_ui,)))
        return self._wrap(*self._general(off, tolerance, compiled))

    def _general(self, off, tolerance, compiled):
        """The general search of :meth:`centred_phase`: the best of the ``samples_per_symbol`` grid phases,
        refined by the golden section of :meth:`_golden` (the grid phase kept where its objective is larger).
        Returns the phase (unwrapped) [UI] and the cursors there ``[..., n_ui]``."""
        sps = self.samples_per_symbol
        grid = np.stack([self.centred_eye(k / sps, off, compiled=compiled) for k in range(sps)], axis=-1)
        p0 = np.argmax(grid, axis=-1) / sps
        f0 = np.max(grid, axis=-1)
        gbest, fb, gcur = self._golden(p0, off, tolerance, compiled)
        keep = f0 >= fb
        gbest = np.where(keep, p0, gbest)
        gcur = np.where(keep[..., None], self.cursors(p0, compiled=compiled), gcur)
        return gbest, gcur

    def _take(self, index):
        """A sampler of the flat batch's points ``index`` (1-D), sharing this one's tables."""
        sub = object.__new__(PulseSampler)
        sub.__dict__.update(self.__dict__)
        sub.shape = (len(index),)
        if self.compiled:
            sub._flat = self._flat[index]
            sub._folded = None
        else:
            sub._folded = self.folded.reshape((-1, self.n_fold, self.n_ui))[index]
        return sub

    def _root(self, low, high, offset, compiled):
        """Phase in ``[low, high]`` [UI] where the eyes ``offset`` UI late and early are equal
        (:func:`~microlink.ber._compiled.centred_root_kernel`, or the same steps in NumPy): their difference read
        at ``ROOT_SCAN + 1`` phases across the bracket; where it goes from positive to negative with one change
        of sign (``offset > 0``), at most ``ROOT_STEPS`` Illinois steps in that interval, none once it is
        narrower than ``ROOT_BRACKET_UI``. Returns the phase with the largest jittered eye evaluated, that
        eye, the cursors there and whether the scan found its one sign change (elsewhere the phase and eye are
        NaN and the cursors 0)."""
        if self.compiled if compiled is None else (compiled and self.compiled):
            from microlink.ber._compiled import centred_root_kernel

            best, eye, ok, cur = centred_root_kernel(self._flat, self._n_last, low.reshape(-1).copy(),
                                                     high.reshape(-1).copy(), offset.reshape(-1).copy(), ROOT_SCAN,
                                                     ROOT_STEPS, ROOT_BRACKET_UI, self._rev, self._twiddle)
            return (best.reshape(self.shape), eye.reshape(self.shape), cur.reshape(self.shape + (self.n_ui,)),
                    ok.reshape(self.shape))

        def sides(x):
            late = eye_opening(self.cursors(x + offset, compiled=False))
            early = eye_opening(self.cursors(x - offset, compiled=False))
            return late - early, np.minimum(late, early)

        xs, gs = [], []
        bx, bf = low.copy(), np.full(self.shape, -np.inf)
        for j in range(ROOT_SCAN + 1):
            x = low + (high - low) * j / ROOT_SCAN
            g, f = sides(x)
            better = f > bf
            bx, bf = np.where(better, x, bx), np.where(better, f, bf)
            xs.append(x)
            gs.append(g)
        xs, gs = np.stack(xs, axis=-1), np.stack(gs, axis=-1)
        flips = (gs[..., :-1] > 0) != (gs[..., 1:] > 0)
        ok = (offset > 0) & (np.sum(flips, axis=-1) == 1) & (gs[..., 0] > 0) & (gs[..., -1] < 0)
        k = np.argmax(flips, axis=-1)[..., None]
        a, b = np.take_along_axis(xs, k, -1)[..., 0], np.take_along_axis(xs, k + 1, -1)[..., 0]
        ga, gb = np.take_along_axis(gs, k, -1)[..., 0], np.take_along_axis(gs, k + 1, -1)[..., 0]
        side = np.zeros(self.shape)
        for _ in range(ROOT_STEPS):
            live = ok & (b - a > ROOT_BRACKET_UI)
            if not np.any(live):
                break
            with np.errstate(divide="ignore", invalid="ignore"):
                t = b - gb * (b - a) / (gb - ga)
            c = np.where((gb != ga) & (t > a) & (t < b), t, 0.5 * (a + b))
            gc, fc = sides(c)
            gc = np.where(live, gc, 0.0)  # a finished bracket stays as it is
            c = np.where(live, c, a)
            better = live & (fc > bf)
            bx, bf = np.where(better, c, bx), np.where(better, fc, bf)
            up, down = gc > 0, gc < 0
            gb = np.where(up & (side == 1), 0.5 * gb, gb)
            ga = np.where(down & (side == -1), 0.5 * ga, ga)
            a, ga = np.where(up | ~down, c, a), np.where(up, gc, ga)
            b, gb = np.where(down | ~up, c, b), np.where(down, gc, gb)
            side = np.where(up, 1.0, np.where(down, -1.0, side))
        cur = np.where(ok[..., None], self.cursors(np.where(ok, bx, 0.0), compiled=False), 0.0)
        return np.where(ok, bx, np.nan), np.where(ok, bf, np.nan), cur, ok

    def _wrap(self, best, cur):
        """Phases into [0, 1): the cursors at ``best - shift`` are those at ``best``, relabelled by ``shift``."""
        shift = np.floor(best)
        wrapped = best - shift
        shift = np.where(wrapped < 1.0, shift, shift + 1.0)
        wrapped = np.where(wrapped < 1.0, wrapped, 0.0)
        m = (np.arange(self.n_ui) - shift[..., None].astype(np.int64)) % self.n_ui
        return wrapped, np.take_along_axis(cur, m, axis=-1)


def grid_phase(pulse, samples_per_symbol):
    """Best sampling phase of each pulse on its oversampling grid and the pulse sampled there.

    Maximises the worst-case eye ``h0 - sum |h_k|`` over the ``samples_per_symbol`` grid phases. Returns
    ``(phase, cursors)``: the phase [UI, in [0, 1)] ``[...]`` and the samples at it ``[..., n_ui]``.
    """
    shape = pulse.shape[:-1]
    n_ui = pulse.shape[-1] // samples_per_symbol
    if kernels.compiled() and pulse.ndim == 2 and pulse.shape[-1] == n_ui * samples_per_symbol:
        from microlink.ber._compiled import grid_phase_kernel

        index, cur = grid_phase_kernel(np.ascontiguousarray(pulse, dtype=float), int(samples_per_symbol))
        return index / samples_per_symbol, cur
    c = pulse.reshape(shape + (n_ui, samples_per_symbol))  # [..., ui, phase]
    metric = 2.0 * c.max(axis=-2) - np.abs(c).sum(axis=-2)
    phase_index = np.argmax(metric, axis=-1)  # [...]
    cur = np.take_along_axis(c, phase_index[..., None, None], axis=-1)[..., 0]  # [..., ui]
    return phase_index / samples_per_symbol, cur


def cursors_from_pulse(pulse, samples_per_symbol, n_largest=8, *, phase=None):
    """Sample a batch of pulses once per UI at the phase that opens the eye most (or at a given phase).

    Parameters
    ----------
    pulse : ndarray [..., N]
        Oversampled pulse responses (N a multiple of ``samples_per_symbol``).
    samples_per_symbol : int
        Oversampling factor.
    n_largest : int
        How many ISI cursors to keep individually.
    phase : array_like [...], optional
        Sampling phase within the unit interval [UI], in [0, 1). When given, the pulse is sampled at
        ``(n + phase)`` UI by linear interpolation between its samples instead of at the phase that
        maximises the worst-case eye ``h0 - sum |h_k|``.

    Returns
    -------
    Cursors
    """
    shape = pulse.shape[:-1]
    n_ui = pulse.shape[-1] // samples_per_symbol
    if phase is None:
        phase_ui, cur = grid_phase(pulse, samples_per_symbol)
    else:
        phase_ui = np.broadcast_to(np.asarray(phase, dtype=float), shape)
        if np.any(~((phase_ui >= 0.0) & (phase_ui < 1.0))):
            raise ParameterError("phase", phase, "0 <= phase < 1 UI")
        pos = (np.arange(n_ui) + phase_ui[..., None]) * samples_per_symbol  # [..., ui] in samples
        i0 = np.floor(pos).astype(np.int64)
        w = pos - i0
        padded = np.concatenate([pulse, np.zeros(shape + (1,))], axis=-1)
        cur = (1.0 - w) * np.take_along_axis(padded, i0, axis=-1) + w * np.take_along_axis(padded, i0 + 1, axis=-1)
    return summarise_cursors(cur, phase_ui, n_largest)


def summarise_cursors(cur, phase, n_largest=8):
    """:class:`Cursors` of pulses sampled once per UI ``[..., n_ui]`` (the largest sample is the main cursor)."""
    shape = cur.shape[:-1]
    n_ui = cur.shape[-1]
    phase_ui = np.broadcast_to(np.asarray(phase, dtype=float), shape)
    main_idx = np.argmax(cur, axis=-1)
    main = np.take_along_axis(cur, main_idx[..., None], axis=-1)[..., 0]
    isi = cur.copy()
    np.put_along_axis(isi, main_idx[..., None], 0.0, axis=-1)
    k = min(n_largest, n_ui - 1)
    idx = np.argpartition(-np.abs(isi), k - 1, axis=-1)[..., :k] if k > 0 else np.zeros(shape + (0,), int)
    largest = np.take_along_axis(isi, idx, axis=-1)
    total_sq = np.sum(isi * isi, axis=-1)
    total_abs = np.sum(np.abs(isi), axis=-1)
    rest_sq = np.maximum(total_sq - np.sum(largest * largest, axis=-1), 0.0)
    rest_abs = np.maximum(total_abs - np.sum(np.abs(largest), axis=-1), 0.0)
    return Cursors(main, largest, rest_sq, rest_abs, np.asarray(phase_ui, dtype=float))


def flat_cascade(pole_bandwidths=(), butterworth_bandwidths=(), gaussian_rms=0.0, pre_emphasis=0.0, extra=()):
    """Broadcast a cascade's parameters (and ``extra`` arrays) to one flat batch.

    Returns ``(shape, flat, flat_extra, windows)``: the common shape ``[...]``, the flat cascade arrays in the
    order poles, Butterworths, Gaussian rms, pre-emphasis, the flat extra arrays, and each point's window
    length from :func:`window_symbols` [UI].
    """
    arrays = [np.asarray(b, dtype=float) for b in pole_bandwidths] + [
        np.asarray(b, dtype=float) for b in butterworth_bandwidths
    ] + [np.asarray(gaussian_rms, dtype=float), np.asarray(pre_emphasis, dtype=float)]
    more = [np.asarray(e, dtype=float) for e in extra]
    shape = np.broadcast_shapes(*[a.shape for a in arrays], *[e.shape for e in more])
    flat = [np.broadcast_to(a, shape).reshape(-1) for a in arrays]
    flat_extra = [np.broadcast_to(e, shape).reshape(-1) for e in more]
    n_p, n_b = len(pole_bandwidths), len(butterworth_bandwidths)
    total = int(np.prod(shape, dtype=np.int64))
    windows = window_symbols(flat[:n_p], flat[n_p:n_p + n_b], flat[n_p + n_b]) * np.ones(total, np.int64)
    return shape, flat, flat_extra, windows


def pulse_batches(flat, n_poles, n_butterworths, windows, samples_per_symbol, n_largest, centre=None):
    """Spectra and best-phase cursors of a flat batch in memory-bounded chunks of equal window length.

    Yields ``(sel, n_symbols, sampler, cursors, samples)`` for each chunk: the flat indices, the window [UI],
    a :class:`PulseSampler` of the chunk's pulses (:func:`nrz_spectrum`; their cursors at any phase), their
    :class:`Cursors` at the best phase, found on the oversampling grid and refined between its samples
    (:meth:`PulseSampler.refine`), and the pulses sampled there ``[sel, n_symbols]``.

    ``centre`` (flat, [UI]), when given, is each point's sampling-time offset (jitter and skew allocation):
    the best phase is then the one whose worse eye at that offset early and late is widest
    (:meth:`PulseSampler.centred_phase`, from the widest un-jittered eye on the grid), a sampler centred in the
    jitter-tolerant eye. An offset of half a
    UI or more leaves no eye at any phase; such points take the widest un-jittered eye.
    """
    n_p, n_b = n_poles, n_butterworths
    for n_symbols in np.unique(windows):  # points sharing a window length are batched together
        idx = np.flatnonzero(windows == n_symbols)
        chunk = max(1, MAX_SAMPLES_IN_FLIGHT // (int(n_symbols) * samples_per_symbol))
        for start in range(0, idx.size, chunk):
            sel = idx[start:start + chunk]
            spec = nrz_spectrum([f[sel] for f in flat[:n_p]], [f[sel] for f in flat[n_p:n_p + n_b]],
                                flat[n_p + n_b][sel], flat[n_p + n_b + 1][sel], samples_per_symbol, int(n_symbols))
            sampler = PulseSampler(spec, samples_per_symbol)
            if centre is None:
                p = np.fft.irfft(spec, n=int(n_symbols) * samples_per_symbol, axis=-1)
                phase, cur = sampler.refine(*grid_phase(p, samples_per_symbol))
            else:
                off = np.asarray(centre, dtype=float)[sel]
                widest = grid_phase(np.fft.irfft(spec, n=int(n_symbols) * samples_per_symbol, axis=-1),
                                    samples_per_symbol)
                phase, cur = sampler.centred_phase(np.where(off < 0.5, off, 0.0), widest=widest)
            yield sel, int(n_symbols), sampler, summarise_cursors(cur, phase, n_largest), cur


def nrz_cursors(pole_bandwidths=(), butterworth_bandwidths=(), gaussian_rms=0.0, pre_emphasis=0.0,
                samples_per_symbol=16, n_largest=8):
    """Cursors of the cascade for a batch of design points, computed in memory-bounded chunks.

    All parameter arrays broadcast to a common shape ``[...]``; see :func:`nrz_pulse` for their meaning.
    """
    shape, flat, _, windows = flat_cascade(pole_bandwidths, butterworth_bandwidths, gaussian_rms, pre_emphasis)
    total = windows.size
    k = min(n_largest, int(windows.min()) - 1)
    main, largest, rest_sq, rest_abs, phase = (np.empty(total), np.empty((total, k)), np.empty(total),
                                               np.empty(total), np.empty(total))
    for sel, _, _, c, _ in pulse_batches(flat, len(pole_bandwidths), len(butterworth_bandwidths), windows,
                                      samples_per_symbol, k):
        main[sel], largest[sel], rest_sq[sel], rest_abs[sel], phase[sel] = (
            c.main, c.largest, c.rest_sum_squares, c.rest_sum_abs, c.phase)
    return Cursors(main.reshape(shape), largest.reshape(shape + (k,)), rest_sq.reshape(shape),
                   rest_abs.reshape(shape), phase.reshape(shape))
