"""FEC codes against the standards and published conversions.

Sources
-------
* IEEE Std 802.3-2022 clause 91 (RS-FEC, 100GBASE-R): RS(528,514) "KR4", t = 7, and RS(544,514) "KP4",
  t = 15, both over GF(2^10); clause 119 uses RS(544,514) for 200G/400GBASE-R.
* links.md section 4: KP4 overhead 5.8 %; design pre-FEC BER ~2.4e-4 (post-FEC ~1e-15 class);
  IEEE 802.3ch reflector (Zimmerman): 1e-12 BER ~ 2e-10 RS-frame error rate for RS(360,326), t = 17.
"""

import pytest

from microlink.ber.fec import FEC_CODES, FecCode, frame_error_rate, post_fec_ber, pre_fec_threshold


def test_kp4_parameters_clause_91_119():
    kp4 = FEC_CODES["kp4"]
    assert (kp4.n, kp4.k, kp4.t, kp4.symbol_bits) == (544, 514, 15, 10)
    assert kp4.overhead == pytest.approx(0.058, abs=0.001)  # links.md: 5.8 %
    assert kp4.codeword_bits == 5440


def test_kr4_parameters_clause_91():
    kr4 = FEC_CODES["kr4"]
    assert (kr4.n, kr4.k, kr4.t, kr4.symbol_bits) == (528, 514, 7, 10)
    assert kr4.overhead == pytest.approx(14 / 514)


def test_kp4_design_point_reaches_about_1e_15():
    # links.md: KP4 design pre-FEC BER ~2.4e-4 with a post-FEC target of 1e-15 (random errors)
    post = post_fec_ber("kp4", 2.4e-4)
    assert 1e-16 < post < 1e-14
    assert pre_fec_threshold("kp4", 1e-15) == pytest.approx(2.4e-4, rel=0.15)


def test_kr4_corrects_far_less_than_kp4():
    assert pre_fec_threshold("kr4", 1e-15) < pre_fec_threshold("kp4", 1e-15) / 5


def test_frame_error_to_ber_conversion_802_3ch():
    # RS(360,326) over GF(2^10), t = 17 (IEEE 802.3ch): at a post-FEC BER of 1e-12 the frame error rate is
    # ~2e-10 (a failed codeword carries ~t + 1 wrong 10-bit symbols out of 3600 bits)
    code = FecCode(name="rs360", n=360, k=326, t=17, symbol_bits=10, decoder_latency=0.0, energy_per_bit=0.0,
                   source=FEC_CODES["kp4"].source, latency_source=FEC_CODES["kp4"].latency_source,
                   energy_source=FEC_CODES["kp4"].energy_source)
    pre = pre_fec_threshold(code, 1e-12)
    fer = frame_error_rate(code, pre)
    assert fer == pytest.approx(2e-10, rel=0.15)
