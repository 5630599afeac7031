"""FEC: post-FEC BER and frame error rate from exact binomial tails, bursts, latency, energy."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import gammaln

from microlink.ber import fec
from microlink.ber.fec import FEC_CODES, FecCode, frame_error_rate, post_fec_ber, pre_fec_threshold
from microlink.errors import ParameterError


def log_binom_pmf(i, n, p):
    return gammaln(n + 1) - gammaln(i + 1) - gammaln(n - i + 1) + i * np.log(p) + (n - i) * np.log1p(-p)


def reference_post_ber(code: FecCode, p):
    """Direct sum in log space: BER = p/q sum_{i>t} (i/n) C(n,i) q^i (1-q)^(n-i), q = 1-(1-p)^m."""
    q = -np.expm1(code.symbol_bits * np.log1p(-p))
    i = np.arange(code.t + 1, code.n + 1)
    terms = np.exp(log_binom_pmf(i, code.n, q)) * i / code.n
    return p / q * np.sum(terms), np.sum(np.exp(log_binom_pmf(i, code.n, q)))


def test_public_codes_and_fields():
    for name in ("none", "kp4", "kr4", "bch-light", "hamming"):
        code = FEC_CODES[name]
        assert code.name == name
        assert code.energy_per_bit >= 0 and code.decoder_latency >= 0
        assert str(code.source) and str(code.latency_source) and str(code.energy_source)
    assert FEC_CODES["none"].overhead == 0.0
    assert FEC_CODES["bch-light"].overhead < FEC_CODES["kp4"].overhead


@pytest.mark.parametrize("name", ["kp4", "kr4", "bch-light", "hamming"])
@pytest.mark.parametrize("p", [1e-2, 1e-3, 2.4e-4, 1e-5, 1e-7])
def test_exact_tails_match_direct_sum(name, p):
    code = FEC_CODES[name]
    ber_ref, fer_ref = reference_post_ber(code, p)
    assert post_fec_ber(name, p) == pytest.approx(ber_ref, rel=1e-9, abs=0.0)
    assert frame_error_rate(name, p) == pytest.approx(fer_ref, rel=1e-9, abs=0.0)


def test_tiny_values_stay_exact():
    # KP4 at 1e-6: the leading term C(n,16) q^16 dominates; values near 1e-53 must not collapse to 0
    p = 1e-6
    code = FEC_CODES["kp4"]
    q = -np.expm1(10 * np.log1p(-p))
    lead = np.exp(log_binom_pmf(16, 544, q)) * 16 / 544 * p / q
    assert post_fec_ber("kp4", p) == pytest.approx(lead, rel=1e-3, abs=0.0)
    assert post_fec_ber("kp4", 1e-12) > 0  # far below 1e-30, still a positive number
    assert frame_error_rate(code, 1e-9) < 1e-80


def test_vectorised_and_none_is_identity():
    p = np.array([[1e-3, 1e-6], [1e-9, 0.0]])
    out = post_fec_ber("kr4", p)
    assert out.shape == p.shape and out[1, 1] == 0.0
    np.testing.assert_array_equal(post_fec_ber("none", p), p)
    np.testing.assert_array_equal(frame_error_rate("none", p), p)


@settings(max_examples=60, deadline=None)
@given(st.floats(1e-15, 0.5), st.sampled_from(["kp4", "kr4", "bch-light", "hamming"]))
def test_post_fec_never_above_pre_fec(p, name):
    assert post_fec_ber(name, p) <= p * (1 + 1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(1e-12, 1e-3), st.floats(1.01, 3.0))
def test_monotone_in_pre_fec_ber(p, factor):
    for name in ("kp4", "kr4"):
        assert post_fec_ber(name, p * factor) >= post_fec_ber(name, p)


def test_bursts_from_dfe_error_propagation_are_worse():
    p = np.array([1e-4, 1e-5, 1e-6])
    random = post_fec_ber("kp4", p)
    burst = post_fec_ber("kp4", p, burst_length=4.0)
    assert np.all(burst > random)
    # error_propagation e gives a mean burst 1/(1-e)
    np.testing.assert_allclose(post_fec_ber("kp4", p, error_propagation=0.75), burst, rtol=1e-12)
    assert np.all(frame_error_rate("kp4", p, burst_length=4.0) > frame_error_rate("kp4", p))
    # longer bursts hurt more, and never push the post-FEC BER above the pre-FEC BER
    assert np.all(post_fec_ber("kp4", p, burst_length=8.0) > burst)
    assert np.all(post_fec_ber("kp4", p, burst_length=8.0) <= p)
    # a burst length of 1 is the random-error model
    np.testing.assert_allclose(post_fec_ber("kp4", p, burst_length=1.0), random)


def test_burst_model_in_short_bursts_to_second_order():
    # Bursts of mean 1 + eps bits: an event is two bits long with probability e = 1 - 1/L ~ eps and then spans
    # two 10-bit symbols with probability 1/m, so t = 15 events touch t + 1 symbols with probability ~ t e / m.
    # Deep in the tail that matters: P(N = t) is ~280x P(N > t) at p = 1e-5, so L = 1.001 already adds ~48 %
    # to the post-FEC BER. The added term is p t/(n q) P(N = t) t e / m to first order in e; the next order
    # is t - 1 events of which two span, relative to it P(N=t-1)/P(N=t) (t-1)^2 (t-2) / (2 t^2) e / m (~160 e).
    from scipy import special

    from microlink.ber.fec import FEC_CODES, symbol_error_probability

    code, p = FEC_CODES["kp4"], 1e-5
    n, t, m = code.n, code.t, code.symbol_bits
    for eps in (1e-6, 1e-5, 1e-4):
        big_l = 1.0 + eps
        e = 1.0 - 1.0 / big_l
        q = float(symbol_error_probability(p, m, burst_length=big_l))
        pmf_t = special.binom(n, t) * q**t * (1.0 - q) ** (n - t)
        base = p * special.bdtrc(t - 1, n - 1, q)
        first = p * t / (n * q) * pmf_t * t * e / m
        second = t * (1.0 - q) / ((n - t + 1) * q) * (t - 1) ** 2 * (t - 2) / (2.0 * t**2) * e / m
        got = float(post_fec_ber("kp4", p, burst_length=big_l))
        assert (got - base) / first - 1.0 == pytest.approx(second, rel=0.05, abs=0.0)
    random = post_fec_ber("kp4", p)
    assert post_fec_ber("kp4", p, burst_length=1.0 + 1e-6) == pytest.approx(random, rel=1e-3, abs=0.0)
    assert post_fec_ber("kp4", p, burst_length=1.001) > 1.4 * random


def test_latency_and_overhead():
    kp4 = FEC_CODES["kp4"]
    assert kp4.overhead == pytest.approx(30 / 514)
    rate = 106.25e9
    assert kp4.latency(rate) == pytest.approx(5440 / rate + kp4.decoder_latency, rel=1e-6, abs=0.0)
    np.testing.assert_allclose(kp4.latency(np.array([53.125e9, 106.25e9])),
                               5440 / np.array([53.125e9, 106.25e9]) + kp4.decoder_latency)
    assert FEC_CODES["none"].latency(1e9) == 0.0
    with pytest.raises(ParameterError):
        kp4.latency(0.0)


def test_threshold_inversion():
    th = pre_fec_threshold("kp4", 1e-15)
    assert post_fec_ber("kp4", th) == pytest.approx(1e-15, rel=1e-4, abs=0.0)
    both = pre_fec_threshold("kr4", np.array([1e-12, 1e-15]))
    assert both[0] > both[1]


def test_bad_inputs():
    with pytest.raises(ParameterError, match="fec"):
        post_fec_ber("turbo", 1e-3)
    with pytest.raises(ParameterError, match="pre_fec_ber"):
        post_fec_ber("kp4", 0.7)
    with pytest.raises(ParameterError, match="burst_length"):
        post_fec_ber("kp4", 1e-3, burst_length=0.5)
    with pytest.raises(ParameterError, match="error_propagation"):
        post_fec_ber("kp4", 1e-3, error_propagation=1.0)
    with pytest.raises(ParameterError):
        FecCode("bad", n=10, k=8, t=3, symbol_bits=1, decoder_latency=0, energy_per_bit=0,
                source=fec._IEEE_CL91, latency_source=fec._IEEE_CL91, energy_source=fec._IEEE_CL91)
