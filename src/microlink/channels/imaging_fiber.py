"""Imaging / multicore fiber bundle carrying micro-LED lanes: one core per lane, or one imaged pixel per lane.

* Loss: Rayleigh scattering of the Ge-doped core, ``(A_0 + 66 dn) / lambda^4`` dB/km (lambda in um; Ohashi,
  Shiraki, Tajima, J. Lightwave Technol. 10(5), 539 (1992)), which for an NA-0.4 core (dn ~ 0.055) is about
  five times the pure-silica bound, plus excess absorption of drawn high-Ge cores, plus connectors.
* Dispersion: silica material dispersion over the LED's spectral width, and the modal delay spread of the
  step-index cores (Gloge's ``(n_1 Delta / c)(1 - pi/V)``, which tends to the ray bound ``NA^2/(2 n_1 c)`` for
  many modes) for the NA actually launched by the lens, growing as ``sqrt(L L_c)`` beyond the mode-coupling
  length (Gloge 1972). Group index from the Sellmeier fit at the wavelength.
* Crosstalk from coupled-mode theory: the coupling coefficient of each guided mode between identical step-index
  cores (Marcuse's ``kappa = sqrt(2 Delta)/a U^2/V^3 K_0(W Lambda/a)/K_1(W)^2``), the power-coupling
  coefficient of a bent fiber ``h = 2 kappa^2 R_b / (beta Lambda)`` (Hayashi et al., Opt. Express 19(17) 16576
  (2011); Koshiba et al., IEEE Photon. J. 4(5) 1987 (2012)), averaged over the modes an LED fills (``U^2``
  uniform in ``(0, V^2)``), with the modes within bend-loss reach of cutoff stripped. The power coupled to an
  adjacent core after ``L`` is ``(1 - exp(-2 h L))/2`` plus a fixed part from the end optics.
* Layout ``core_per_lane`` (datacom multicore, each LED lensed into its own core) or ``pixel_to_cores``
  (MOSAIC-style imaging fiber: each LED spot imaged onto many small cores; the spot fills the cores of its
  patch, crosstalk only couples the boundary cores to the neighbouring patch).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import k0e, k1e

from microlink.channels.fiber import (
    angular_fraction,
    chromatic_rms_spread,
    normalised_frequency,
    silica_dispersion,
    silica_group_index,
    silica_index,
)
from microlink.parameters import Parameters, Source, choice, param
from microlink.rowcache import RowCache
from microlink.units import SPEED_OF_LIGHT, db_to_linear

#: Rayleigh coefficient increase per unit core index difference, dB/km um^4 (Ohashi et al. 1992).
GERMANIA_RAYLEIGH_PER_INDEX_DIFFERENCE = 66.0
#: Modes sampled for the mode average of the coupling coefficient.
MODE_SAMPLES = 256
#: Bend-loss exponent ``(2/3) W^3 R_b / (a V^2)`` below which a mode is stripped within metres (Marcuse's
#: bend-loss formula: exp(-10) per unit length is negligible, exp(-1) is not).
STRIP_EXPONENT = 10.0
#: Packing fraction of a hexagonal core lattice per (core area / pitch^2): pi / (2 sqrt 3) at touching cores.
HEX_CELL_AREA = np.sqrt(3.0) / 2.0
#: Cap on the exponent ``2 W - W Lambda/a`` of the scaled Bessel ratio of :func:`mode_averaged_coupling`. It is
#: <= 0 for cores that do not touch (``Lambda >= 2a``); only overlapping cores (a core wider than the pitch) give
#: positive exponents, thousands for the many modes of a large core, and at e^50 the coupling is already ~1e40/m:
#: the cores share their power equally within any length (crosstalk 1/2), so the cap changes no result.
OVERLAP_EXPONENT_CAP = 50.0


def crosstalk_ratio(end_crosstalk, coupling_per_length, length):
    """Power fraction coupled from one adjacent core, ``X_0 + (1 - exp(-2 h L))/2`` [1, 1/m, m -> 1]."""
    h = np.asarray(coupling_per_length, dtype=float)
    fiber = 0.5 * -np.expm1(-2.0 * h * np.asarray(length, dtype=float))
    return np.minimum(1.0, np.asarray(end_crosstalk, dtype=float) + fiber)


def coupled_length(length, coupling_length):
    """Length over which the launched modes have been redistributed into the full mode set [m, m -> m].

    With the high-order population filling as ``1 - exp(-z/L_c)``: ``L - L_c (1 - exp(-L/L_c))``.
    """
    length = np.asarray(length, dtype=float)
    lc = np.asarray(coupling_length, dtype=float)
    return np.clip(length + lc * np.expm1(-length / lc), 0.0, length)  # rounding at tiny L stays in [0, L]


def patch_crosstalk(coupling_per_length, length, pixel_diameter, pitch):
    """Power fraction reaching one neighbouring patch of cores (imaging layout) [1/m, m, m, m -> 1].

    Short lengths: the patch's boundary cores facing the neighbour (``pi d/6`` over the pitch, out of the
    patch's cores) hop once, ``~ h L``. Long lengths: light random-walks across the core lattice with per-axis
    spread ``sigma = pitch sqrt(3 h L)`` (six neighbours at rate ``h``); a disc of radius ``R`` loses
    ``2 sigma / (sqrt(2 pi) R)`` of its power across its rim, a sixth towards each neighbour. The smaller of
    the two, at most 1/6.
    """
    h = np.maximum(np.asarray(coupling_per_length, dtype=float), 0.0)  # a coupling rate is never negative
    length = np.maximum(np.asarray(length, dtype=float), 0.0)
    pitch = np.asarray(pitch, dtype=float)
    radius = 0.5 * np.asarray(pixel_diameter, dtype=float)
    cores = np.pi * radius**2 / (HEX_CELL_AREA * pitch**2)
    hop = np.minimum(1.0, (np.pi * 2.0 * radius / 6.0 / pitch) / np.maximum(cores, 1.0)) * h * length
    sigma = pitch * np.sqrt(3.0 * h * length)
    walk = 2.0 * sigma / (np.sqrt(2.0 * np.pi) * radius) / 6.0
    return np.minimum(np.minimum(hop, walk), 1.0 / 6.0)


def germania_rayleigh_loss_db_per_m(wavelength, index_difference, silica_loss_at_1550_db_per_km=0.156):
    """Rayleigh loss of a GeO2-doped core [m, 1, dB/km -> dB/m]: ``(A_0 + 66 dn)/lambda_um^4`` dB/km.

    ``A_0`` is the pure-silica coefficient, from the loss at 1550 nm.
    """
    a0 = np.asarray(silica_loss_at_1550_db_per_km, dtype=float) * 1.55**4
    lam_um = np.asarray(wavelength, dtype=float) * 1e6
    return (a0 + GERMANIA_RAYLEIGH_PER_INDEX_DIFFERENCE * np.asarray(index_difference, dtype=float)) / lam_um**4 * 1e-3


def step_index_modal_delay(numerical_aperture, core_index, v_number):
    """Modal delay spread per length of a step-index core, ``(n_1 Delta/c)(1 - pi/V)`` [1, 1, 1 -> s/m].

    ``n_1 Delta = NA^2/(2 n_1)``; zero for a single-mode core (``V < 2.405``).
    """
    na = np.asarray(numerical_aperture, dtype=float)
    n1 = np.asarray(core_index, dtype=float)
    v = np.asarray(v_number, dtype=float)
    spread = na**2 / (2.0 * n1 * SPEED_OF_LIGHT) * np.maximum(0.0, 1.0 - np.pi / np.maximum(v, 1e-12))
    return np.where(v < 2.405, 0.0, spread)


def graded_index_modal_delay(numerical_aperture, core_index, profile_excess):
    """Modal delay per length of a graded core, ``n_1 Delta^2 / (8 c)`` times the profile excess [1, 1, 1 -> s/m]."""
    n1 = np.asarray(core_index, dtype=float)
    delta = np.asarray(numerical_aperture, dtype=float) ** 2 / (2.0 * n1**2)
    return n1 * delta**2 / (8.0 * SPEED_OF_LIGHT) * np.asarray(profile_excess, dtype=float)


def coupled_modal_rms(delay_per_length, length, coupling_length):
    """RMS modal spread with mode coupling: ``delta L / sqrt(1 + L/L_c) / sqrt(12)`` [s/m, m, m -> s]."""
    length = np.asarray(length, dtype=float)
    l_eff = length / np.sqrt(1.0 + length / np.asarray(coupling_length, dtype=float))
    return np.asarray(delay_per_length, dtype=float) * l_eff / np.sqrt(12.0)


#: Mode-averaged coupling coefficients already computed, one per distinct fiber and launch (the reach and
#: margin solvers ask again for the same ones at every length they try).
_COUPLING_CACHE = RowCache(65536)  # ~10 MB of keys at most; a sweep chunk holds 4,096 rows


def mode_averaged_coupling(core_radius, pitch, numerical_aperture, core_index, wavelength, bend_radius,
                           filled_fraction=1.0, samples=MODE_SAMPLES):
    """Power-coupling coefficient between adjacent identical step-index cores, mode-averaged
    [m, m, 1, 1, m, m, 1 -> 1/m].

    See the module docstring. ``filled_fraction`` is the part of ``V^2`` the launch fills (``(NA_launch/NA)^2``):
    a restricted launch excites only the low-order, tightly bound modes. Scaled Bessel functions keep
    ``K_0(W Lambda/a)`` finite for strongly bound modes. Each distinct set of inputs is averaged once and kept
    (``_COUPLING_CACHE``): every row's arithmetic is its own, so the result does not depend on the batch or on
    what was asked before.
    """
    args = [np.asarray(x, dtype=float) for x in (core_radius, pitch, numerical_aperture, core_index, wavelength,
                                                 bend_radius, filled_fraction)]
    shape = np.broadcast_shapes(*(x.shape for x in args))
    rows = np.stack([np.broadcast_to(x, shape).reshape(-1) for x in args], axis=-1)
    # the tag holds what else the value depends on: the sample count and the two model constants
    values = _COUPLING_CACHE.lookup(rows, lambda new: _mode_averaged_coupling_rows(*new.T, samples=samples),
                                    tag=(samples, OVERLAP_EXPONENT_CAP, STRIP_EXPONENT))
    return values.reshape(shape)


def _mode_averaged_coupling_rows(core_radius, pitch, numerical_aperture, core_index, wavelength, bend_radius,
                                 filled_fraction, samples):
    """:func:`mode_averaged_coupling` of flat rows ``[N]`` each, computed [m, m, 1, 1, m, m, 1 -> 1/m]."""
    a = np.asarray(core_radius, dtype=float)[..., None]
    lam_pitch = np.asarray(pitch, dtype=float)[..., None]
    na = np.asarray(numerical_aperture, dtype=float)[..., None]
    n1 = np.asarray(core_index, dtype=float)[..., None]
    lam = np.asarray(wavelength, dtype=float)[..., None]
    rb = np.asarray(bend_radius, dtype=float)[..., None]
    v = 2.0 * np.pi * a * na / lam
    frac = (np.arange(samples) + 0.5) / samples * np.minimum(np.asarray(filled_fraction, dtype=float), 1.0)[..., None]
    u = v * np.sqrt(frac)
    w = np.sqrt(np.maximum(v * v - u * u, 1e-12))
    delta = na**2 / (2.0 * n1**2)
    ratio = lam_pitch / a
    # K0(x)/K1(w)^2 with x = w ratio, from exponentially scaled forms (overlapping cores: OVERLAP_EXPONENT_CAP)
    bessel = k0e(w * ratio) / k1e(w) ** 2 * np.exp(np.minimum(-w * ratio + 2.0 * w, OVERLAP_EXPONENT_CAP))
    kappa = np.sqrt(2.0 * delta) / a * u**2 / v**3 * bessel
    beta = 2.0 * np.pi * n1 / lam
    h = 2.0 * kappa**2 * rb / (beta * lam_pitch)
    guided = (2.0 / 3.0) * w**3 * rb / (a * v * v) > STRIP_EXPONENT
    return np.sum(np.where(guided, h, 0.0), axis=-1) / np.maximum(np.sum(guided, axis=-1), 1)


def gaussian_response(frequency, rms_spread):
    """Transfer function of a Gaussian impulse response of rms width ``sigma`` [Hz, s -> 1]."""
    s = np.asarray(rms_spread, dtype=float)
    return np.exp(-2.0 * (np.pi * np.asarray(frequency, dtype=float) * s) ** 2)


def gaussian_bandwidth(rms_spread):
    """-3 dB (optical power response |H| = 1/2 ... electrical 1/sqrt 2) bandwidth of a Gaussian
    impulse response: ``|H(f)|^2 = 1/2`` gives ``f = sqrt(ln 2 / 4) / (pi sigma)`` [s -> Hz]."""
    s = np.asarray(rms_spread, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(s > 0, np.sqrt(np.log(2.0) / 4.0) / (np.pi * np.where(s > 0, s, 1.0)), np.inf)


@dataclass(frozen=True, eq=False)
class ImagingFiber(Parameters):
    """A multicore / imaging fiber bundle with one core (or one imaged patch of cores) per lane."""

    section = "fiber"

    layout: str = choice(
        "core_per_lane", options=("core_per_lane", "pixel_to_cores"),
        source=Source("Avicena: multimode multicore cable, one core per LED (links.md 1.2); MOSAIC: endoscope-type "
                      "imaging fiber, thousands of cores per strand (links.md 1.1)", "assumption",
                      "one core per lane by default (LightBundle); pixel_to_cores images each LED onto a patch"),
    )
    core_diameter: float = param(
        15e-6, unit="m", bounds=(0.5e-6, 1e-3), display=("um", 1e-6),
        source=Source("Avicena: multimode multi-core cable, 100s of cores in a 0.5 mm cable (links.md 1.2)",
                      "assumption", "15 um multimode cores on a ~25 um pitch fit 304 cores in 0.5 mm"),
    )
    core_pitch: float = param(
        25e-6, unit="m", bounds=(1e-6, 5e-3), display=("um", 1e-6),
        source=Source("304 cores hexagonally packed in a 0.5 mm cable (links.md 1.2)", "derived",
                      "sqrt(area per core) with 0.196 mm^2 / 304 cores"),
    )
    pixel_diameter: float = param(
        20e-6, unit="m", bounds=(1e-6, 1e-3), display=("um", 1e-6),
        source=Source("MOSAIC-style imaging: LED spot on the fiber face (links.md 1.1, geometry not published)",
                      "assumption", "20 um spot per lane, used only with layout pixel_to_cores"),
    )
    numerical_aperture: float = param(
        0.4, unit="1", bounds=(0.05, 1.0),
        source=Source("Fujikura image fibres: Ge-doped cores, NA ~0.35-0.4 (addendum 3, vendor article)",
                      "assumption", "NA 0.4, typical of image guides"),
    )
    index_profile: str = choice(
        "step", options=("step", "graded"),
        source=Source("image guides and multicore bundles are drawn from step-index preforms: Ge-doped cores in a "
                      "shared F-doped cladding (Walker & Bessant, Fujikura, photonics.com AID 21373)", "literature",
                      "graded is available for a bundle built from graded-index preforms"),
    )
    profile_excess: float = param(
        20.0, unit="1", bounds=(1.0, 1e4),
        source=Source("real graded profiles reach a few % of the ideal bandwidth", "assumption",
                      "graded profile only: modal spread 20x the optimal parabolic bound"),
    )
    mode_coupling_length: float = param(
        50.0, unit="m", bounds=(1e-3, 1e9),
        source=Source("Gloge, Bell Syst. Tech. J. 51, 1767 (1972): spread ~ sqrt(L L_c) beyond the coupling length",
                      "assumption", "50 m: a cabled, bent and twisted bundle couples its modes over tens of metres"),
    )
    bend_radius: float = param(
        0.1, unit="m", bounds=(1e-3, 1e3), display=("mm", 1e-3),
        source=Source("rack cabling; image fibres tolerate 20-200 mm (Fujikura, addendum 3)", "assumption",
                      "100 mm effective bend radius along the run"),
    )
    excess_loss_db_per_m: float = param(
        0.1, unit="dB/m", bounds=(0.0, 100.0),
        source=Source("image-fibre loss of order 0.1-1 dB/m in the visible, higher in the blue (addendum 3; "
                      "no measured blue figure found)", "assumption",
                      "0.1 dB/m of absorption and imperfection loss on top of the computed Ge-doped Rayleigh "
                      "loss (~0.11 dB/m at 450 nm for NA 0.4)"),
    )
    rayleigh_loss_at_1550_db_per_km: float = param(
        0.156, unit="dB/km", bounds=(0.0, 100.0),
        source=Source("intrinsic silica loss at 1550 nm (links.md 2.3)", "literature"),
    )
    connector_loss_db: float = param(
        0.5, unit="dB", bounds=(0.0, 20.0),
        source=Source("lensed multicore connector", "assumption", "0.5 dB per mated pair"),
    )
    connectors: float = param(
        2, unit="1", bounds=(0, 10),
        source=Source("a detachable cable mates at each end", "assumption", "2 mated pairs"),
    )
    lensed_coupling: bool = choice(
        True, options=(True, False),
        source=Source("Avicena: microlens arrays on LED and PD arrays (links.md 1.2)", "measured"),
    )
    lens_numerical_aperture: float = param(
        0.5, unit="1", bounds=(0.01, 1.0),
        source=Source("Avicena Kyoto: microlens arrays on a 50 um grid (links.md 1.2)", "assumption",
                      "a 50 um lenslet ~40 um above the emitter collects sin(atan(25/40)) ~ 0.5"),
    )
    lens_transmission: float = param(
        0.73, unit="1", bounds=(0.0, 1.0),
        source=Source("Dietrich et al. (KIT), Opt. Express 2017: printed lens arrays couple up to 73 % (1.4 dB) into "
                      "each multicore-fiber core", "measured",
                      "Fresnel, fill factor and aberrations of the collected cone"),
    )
    receive_coupling: float = param(
        0.8, unit="1", bounds=(0.0, 1.0),
        source=Source("core image onto a larger photodiode through a microlens", "assumption", "80 %"),
    )
    end_crosstalk_db: float = param(
        -30.0, unit="dB", bounds=(-200.0, 0.0),
        source=Source("Avicena OCP 2023: adjacent-core crosstalk better than -27 dB (links.md 1.2)", "assumption",
                      "-30 dB from the lens arrays at both ends"),
    )
    adjacent_cores: float = param(
        6, unit="1", bounds=(0, 12),
        source=Source("hexagonal core packing (links.md 1.2)", "measured"),
    )

    # ----------------------------------------------------------------------------------------------
    def cladding_index(self, wavelength):
        """Cladding index, taken as fused silica (Malitson) [m -> 1]."""
        return silica_index(wavelength)

    def core_index(self, wavelength):
        """Core index ``sqrt(n_clad^2 + NA^2)`` [m -> 1]."""
        return np.sqrt(self.cladding_index(wavelength) ** 2 + np.asarray(self.numerical_aperture, dtype=float) ** 2)

    def group_index(self, wavelength):
        """Group index of the core: silica's Sellmeier group index plus the doping step [m -> 1]."""
        return silica_group_index(wavelength) + self.core_index(wavelength) - silica_index(wavelength)

    def attenuation_db_per_m(self, wavelength):
        """Propagation loss: Ge-doped Rayleigh + excess [m -> dB/m]."""
        dn = self.core_index(wavelength) - self.cladding_index(wavelength)
        return (germania_rayleigh_loss_db_per_m(wavelength, dn, self.rayleigh_loss_at_1550_db_per_km)
                + self.excess_loss_db_per_m)

    def loss_db(self, length, wavelength):
        """Propagation plus connector loss [m, m -> dB]."""
        return self.attenuation_db_per_m(wavelength) * np.asarray(length, dtype=float) + self.connector_loss_db * self.connectors

    def transmission(self, length, wavelength):
        """Power transmission of the cable (no end coupling) [m, m -> 1]."""
        return db_to_linear(-self.loss_db(length, wavelength))

    @property
    def fill_factor(self):
        """Fraction of the fiber face that is core, hexagonal lattice [1] (1 for one core per lane)."""
        ff = np.pi * np.asarray(self.core_diameter, dtype=float) ** 2 / 4.0 / (
            HEX_CELL_AREA * np.asarray(self.core_pitch, dtype=float) ** 2)
        return np.where(self.layout == "pixel_to_cores", np.minimum(ff, 1.0), 1.0)

    @property
    def cores_per_lane(self):
        """Cores under one lane's spot [1] (1 for one core per lane)."""
        n = np.pi * np.asarray(self.pixel_diameter, dtype=float) ** 2 / 4.0 / (
            HEX_CELL_AREA * np.asarray(self.core_pitch, dtype=float) ** 2)
        return np.where(self.layout == "pixel_to_cores", np.maximum(n, 1.0), 1.0)

    @property
    def spot_diameter(self):
        """Diameter the LED is imaged onto: the core, or the pixel patch [m]."""
        return np.where(self.layout == "pixel_to_cores", self.pixel_diameter, self.core_diameter)

    def launch_numerical_aperture(self, source_diameter):
        """NA of the cone launched into the fiber: lens NA divided by the magnification, capped at the fiber's [m -> 1]."""
        ratio = np.asarray(source_diameter, dtype=float) / self.spot_diameter
        na = np.asarray(self.numerical_aperture, dtype=float)
        return np.where(self.lensed_coupling, np.minimum(na, self.lens_numerical_aperture * ratio), na)

    def launch_efficiency(self, source_diameter, emission_exponent):
        """LED -> core(s) coupling through the lens, etendue-limited, times the core fill factor [m, 1 -> 1]."""
        ratio = self.spot_diameter / np.asarray(source_diameter, dtype=float)
        na = np.asarray(self.numerical_aperture, dtype=float)
        lens = self.lens_transmission * angular_fraction(np.minimum(self.lens_numerical_aperture, na * ratio),
                                                         emission_exponent)
        butt = angular_fraction(na, emission_exponent) * np.minimum(1.0, ratio**2)
        return np.where(self.lensed_coupling, lens, butt) * self.fill_factor

    def modal_delay_per_length(self, wavelength, launch_numerical_aperture=None):
        """Modal delay spread per length for the launched NA [m, 1 -> s/m]."""
        na_fill = self.numerical_aperture if launch_numerical_aperture is None else launch_numerical_aperture
        n1 = self.core_index(wavelength)
        v = normalised_frequency(self.core_diameter, self.numerical_aperture, wavelength)
        step = step_index_modal_delay(na_fill, n1, v)
        graded = graded_index_modal_delay(na_fill, n1, self.profile_excess)
        return np.where(self.index_profile == "graded", graded, step)

    def rms_spread(self, length, wavelength, spectral_width, launch_numerical_aperture=None):
        """Total rms impulse-response width (chromatic and modal in quadrature) [m, m, m, 1 -> s]."""
        chrom = chromatic_rms_spread(silica_dispersion(wavelength), spectral_width, length)
        modal = coupled_modal_rms(self.modal_delay_per_length(wavelength, launch_numerical_aperture), length,
                                  self.mode_coupling_length)
        return np.sqrt(chrom**2 + modal**2)

    def coupling_per_length(self, wavelength, launch_numerical_aperture=None):
        """Mode-averaged power-coupling coefficient between adjacent cores [m, 1 -> 1/m].

        All guided modes filled by default; with the launched NA only the modes it excites.
        """
        na = np.asarray(self.numerical_aperture, dtype=float)
        filled = 1.0 if launch_numerical_aperture is None else (np.asarray(launch_numerical_aperture) / na) ** 2
        return mode_averaged_coupling(0.5 * np.asarray(self.core_diameter, dtype=float), self.core_pitch,
                                      na, self.core_index(wavelength), wavelength, self.bend_radius, filled)

    def crosstalk(self, length, wavelength=450e-9, launch_numerical_aperture=None):
        """Power fraction coupled from each adjacent lane [m, m, 1 -> 1].

        The launched modes couple with their own coefficient; mode coupling fills the rest of the mode set
        over ``mode_coupling_length`` (:func:`coupled_length`), which then couples with the full-set
        coefficient. One core per lane: core-to-core (:func:`crosstalk_ratio`); pixel patches:
        :func:`patch_crosstalk`. Plus the end optics' fixed part.
        """
        length = np.asarray(length, dtype=float)
        h_full = self.coupling_per_length(wavelength)
        h_launch = h_full if launch_numerical_aperture is None else self.coupling_per_length(
            wavelength, launch_numerical_aperture)
        l_full = coupled_length(length, self.mode_coupling_length)
        hl = h_full * l_full + h_launch * (length - l_full)  # integral of h(z) dz (coupled_length <= length)
        with np.errstate(divide="ignore", invalid="ignore"):
            h_eff = np.where(length > 0, hl / np.where(length > 0, length, 1.0), h_full)
        patch = np.asarray(db_to_linear(self.end_crosstalk_db)) + patch_crosstalk(
            h_eff, length, self.pixel_diameter, self.core_pitch)
        core = crosstalk_ratio(db_to_linear(self.end_crosstalk_db), h_eff, length)
        return np.where(self.layout == "pixel_to_cores", np.minimum(patch, 1.0), core)

    def propagation_delay(self, length, wavelength=450e-9):
        """Group delay [m, m -> s]."""
        return self.group_index(wavelength) * np.asarray(length, dtype=float) / SPEED_OF_LIGHT
