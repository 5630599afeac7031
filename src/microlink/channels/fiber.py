"""Fiber physics shared by all optical channels: silica dispersion, Rayleigh loss, modal delay, coupling.

* Fused-silica index from the Sellmeier fit of I. H. Malitson, J. Opt. Soc. Am. 55, 1205 (1965); the
  material dispersion ``D = -(lambda/c) d^2n/dlambda^2`` is evaluated analytically.
* Rayleigh scattering scales as ``lambda^-4`` from a reference loss at 1550 nm.
* Modal delay spread of a step-index core, ray bound ``NA^2 / (2 n_1 c)`` per metre; of an optimal graded
  core ``n_1 Delta^2 / (8 c)`` (Senior, *Optical Fiber Communications*, 3rd ed., sec. 3.10); beyond a
  mode-coupling length ``L_c`` the spread grows as ``sqrt(L L_c)`` (Gloge 1972).
* Source-to-fiber coupling bounded by etendue conservation through a lens of finite numerical aperture.
* Group index ``n_g = n - lambda dn/dlambda`` from the same Sellmeier fit.
"""

from __future__ import annotations

import numpy as np

from microlink.units import SPEED_OF_LIGHT

#: Malitson (1965) Sellmeier coefficients of fused silica: (B_i, lambda_i [um]).
SELLMEIER_SILICA = ((0.6961663, 0.0684043), (0.4079426, 0.1162414), (0.8974794, 9.896161))
#: Gaussian FWHM -> standard deviation.
FWHM_TO_SIGMA = 1.0 / (2.0 * np.sqrt(2.0 * np.log(2.0)))
#: rms of a uniform distribution of width 1.
UNIFORM_RMS = 1.0 / np.sqrt(12.0)


def silica_index(wavelength):
    """Refractive index of fused silica (Malitson 1965) [m -> 1]; valid 0.21-3.71 um."""
    return np.sqrt(_sellmeier_silica(np.asarray(wavelength, dtype=float) * 1e6)[0])


def _sellmeier_silica(lam_um):
    """``f = n^2`` of fused silica and its first two derivatives in wavelength [um -> 1, 1/um, 1/um^2]."""
    lam2 = lam_um**2
    f, f1, f2 = 1.0, 0.0, 0.0
    for b, l in SELLMEIER_SILICA:
        c = l * l
        d = lam2 - c
        f = f + b * lam2 / d
        f1 = f1 + b * (-2.0 * c * lam_um) / d**2
        f2 = f2 + b * 2.0 * c * (3.0 * lam2 + c) / d**3
    return f, f1, f2


def silica_group_index(wavelength):
    """Group index of fused silica ``n - lambda dn/dlambda`` (Malitson 1965) [m -> 1]."""
    lam_um = np.asarray(wavelength, dtype=float) * 1e6
    f, f1, _ = _sellmeier_silica(lam_um)
    n = np.sqrt(f)
    return n - lam_um * f1 / (2.0 * n)


def silica_dispersion(wavelength):
    """Material dispersion parameter ``D`` of fused silica [m -> s/m^2] (1 ps/(nm km) = 1e-6 s/m^2).

    Analytic second derivative of the Sellmeier form: with ``f = n^2``,
    ``n'' = (f'' - 2 n'^2) / (2 n)`` and ``n' = f' / (2 n)``.
    """
    lam_um = np.asarray(wavelength, dtype=float) * 1e6
    f, f1, f2 = _sellmeier_silica(lam_um)
    n = np.sqrt(f)
    n1 = f1 / (2.0 * n)
    n2 = (f2 - 2.0 * n1**2) / (2.0 * n)  # [1/um^2]
    return -(lam_um * 1e-6 / SPEED_OF_LIGHT) * n2 * 1e12  # 1/um^2 -> 1/m^2


def rayleigh_loss_db_per_m(wavelength, loss_at_1550_db_per_km=0.156):
    """Rayleigh-scattering loss scaled as ``lambda^-4`` [m, dB/km -> dB/m].

    The 0.156 dB/km default is the intrinsic silica figure at 1550 nm quoted in the reference data sheet
    (links.md 2.3).
    """
    return loss_at_1550_db_per_km * 1e-3 * (1550e-9 / np.asarray(wavelength, dtype=float)) ** 4


def chromatic_rms_spread(dispersion, spectral_width_fwhm, length):
    """RMS pulse spread from material dispersion, ``|D| sigma_lambda L`` [s/m^2, m, m -> s]."""
    return np.abs(dispersion) * np.asarray(spectral_width_fwhm, dtype=float) * FWHM_TO_SIGMA * np.asarray(length, dtype=float)


def relative_index_difference(numerical_aperture, core_index):
    """``Delta = NA^2 / (2 n_1^2)`` [1, 1 -> 1]."""
    return np.asarray(numerical_aperture, dtype=float) ** 2 / (2.0 * np.asarray(core_index, dtype=float) ** 2)


def modal_delay_per_length(numerical_aperture, core_index, profile_graded, profile_excess=1.0):
    """Total modal delay spread per metre [1, 1, bool, 1 -> s/m].

    Step index: ``NA^2/(2 n_1 c)``; optimal graded index: ``n_1 Delta^2/(8 c)`` times ``profile_excess``
    (>= 1, real profiles fall short of the optimum).
    """
    na = np.asarray(numerical_aperture, dtype=float)
    n1 = np.asarray(core_index, dtype=float)
    step = na**2 / (2.0 * n1 * SPEED_OF_LIGHT)
    delta = relative_index_difference(na, n1)
    graded = n1 * delta**2 / (8.0 * SPEED_OF_LIGHT) * profile_excess
    return np.where(profile_graded, graded, step)


def normalised_frequency(core_diameter, numerical_aperture, wavelength):
    """Fiber V number ``pi d NA / lambda`` [m, 1, m -> 1]; below 2.405 the core is single-mode."""
    return np.pi * np.asarray(core_diameter, dtype=float) * np.asarray(numerical_aperture, dtype=float) / np.asarray(
        wavelength, dtype=float
    )


def modal_rms_spread(delay_per_length, length, coupling_length, v_number):
    """RMS modal delay spread with mode coupling [s/m, m, m, 1 -> s].

    The total spread ``delta L_eff`` (``L_eff = L / sqrt(1 + L/L_c)``: linear below the coupling length,
    ``sqrt(L L_c)`` beyond) is taken as uniformly filled, rms = total/sqrt(12). A single-mode core
    (V < 2.405) has no modal spread.
    """
    length = np.asarray(length, dtype=float)
    l_eff = length / np.sqrt(1.0 + length / np.asarray(coupling_length, dtype=float))
    spread = np.asarray(delay_per_length, dtype=float) * l_eff * UNIFORM_RMS
    return np.where(np.asarray(v_number) < 2.405, 0.0, spread)


def angular_fraction(sin_theta, emission_exponent):
    """Fraction of a ``cos^m`` far field emitted within a cone, ``1 - cos^(m+1)(theta)`` [1, 1 -> 1].

    ``I(theta) ~ cos^m(theta)`` into the forward hemisphere; ``m = 1`` is Lambertian (fraction ``sin^2``).
    """
    s = np.minimum(np.asarray(sin_theta, dtype=float), 1.0)
    cos_t = np.sqrt(1.0 - s**2)
    return 1.0 - cos_t ** (np.asarray(emission_exponent, dtype=float) + 1.0)


def source_coupling_efficiency(source_diameter, core_diameter, numerical_aperture, emission_exponent,
                               lens_transmission, lensed, lens_numerical_aperture=1.0):
    """Fraction of an LED's power launched into a fiber core [m, m, 1, 1, 1, bool, 1 -> 1].

    * Butt coupling: the angular fraction within the core's acceptance (``sin theta_a = NA``) times the area
      overlap ``min(1, (d_core/d_source)^2)``.
    * Lensed: an imaging lens of magnification ``M`` maps the source onto the core face with angles divided
      by ``M``. The best magnification fills the core (``M = d_core/d_source``), so the accepted cone at the
      source is ``sin theta = min(NA_lens, NA d_core/d_source)``: the lens's own collection NA or the
      core's etendue ``(pi d_core NA / 2)^2``, whichever is smaller. Power inside that cone depends on the
      emission pattern (``cos^m``); times the lens transmission (Fresnel, fill factor, aberrations). The
      default ``lens_numerical_aperture = 1`` is an ideal, unbounded collector.
    """
    na = np.asarray(numerical_aperture, dtype=float)
    ratio = np.asarray(core_diameter, dtype=float) / np.asarray(source_diameter, dtype=float)
    butt = angular_fraction(na, emission_exponent) * np.minimum(1.0, ratio**2)
    accepted = np.minimum(np.asarray(lens_numerical_aperture, dtype=float), na * ratio)
    lens = np.asarray(lens_transmission, dtype=float) * angular_fraction(accepted, emission_exponent)
    return np.where(lensed, lens, butt)
