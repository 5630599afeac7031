"""Forward error correction: post-FEC BER, frame error rate, latency and energy of block codes.

A t-error-correcting block code ``(n, k)`` over symbols of ``m`` bits (Reed-Solomon over GF(2^m), or a
binary BCH/Hamming code with ``m = 1``) fails when more than ``t`` of the ``n`` symbols of a codeword are
wrong. The decoder is modelled as a bounded-distance decoder that leaves a failed codeword as received
(mis-correction, which adds at most ``t`` wrong symbols with probability ~1/t!, is neglected).

Error model
-----------
Bit errors arrive in *events*. An event starts at each bit with probability ``lambda = p / L`` and corrupts
a burst of consecutive bits whose length is geometric with mean ``L`` (``L = 1``: independent random bit
errors; ``L > 1``: decision-feedback-equaliser error propagation, where an error feeds a wrong value back
and the next decision fails with probability ``e = 1 - 1/L``). ``p`` is the pre-FEC BER.

* Each symbol starts at least one event with probability ``q = 1 - (1 - lambda)^m``; for random errors
  ``q = 1 - (1 - p)^m`` is the symbol error probability.
* A burst starting at a uniform bit offset inside a symbol touches ``c = 1 + floor((offset + len - 1)/m)``
  symbols; its distribution is computed exactly (sum over offsets and the geometric length).
* The number of symbols that start events is ``N ~ Binomial(n, q)``; the codeword fails when
  ``S = c_1 + ... + c_N > t``. Then::

      FER = P(N >= t+1) + sum_{j=1..t} P(N=j) P(S_j > t)
      BER_post = p [ P(Binomial(n-1, q) >= t) + sum_{j=1..t} j/(n q) P(N=j) P(S_j > t) ]

  using ``E[N 1{N > t}] = n q P(Binomial(n-1, q) >= t)``. For random errors this is the classic
  ``BER_post = p sum_{i>t} (i/n) C(n,i) q^i (1-q)^(n-i) / q``. Post-FEC BER never exceeds the pre-FEC BER.

Binomial tails come from :func:`scipy.special.bdtrc` (regularised incomplete beta), never from ``1 - cdf``, so values down to 1e-30 and below are exact to floating-point accuracy. Bursts are assumed to
stay inside one codeword (no interleaving); overlapping events are counted separately (exact for ``p`` << 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special

from microlink.errors import ParameterError
from microlink.parameters import Source
from microlink.units import NANO, PICO

__all__ = [
    "FecCode",
    "FEC_CODES",
    "get_fec_code",
    "post_fec_ber",
    "frame_error_rate",
    "symbol_error_probability",
    "burst_length_from_error_propagation",
    "pre_fec_threshold",
]

_IEEE_CL91 = Source(
    "IEEE Std 802.3-2022, clause 91 (RS-FEC for 100GBASE-R): RS(528,514) and RS(544,514) over GF(2^10)",
    "standard",
)
_IEEE_CL119 = Source(
    "IEEE Std 802.3-2022, clause 119 (200GBASE-R/400GBASE-R PCS): RS(544,514), t = 15 ('KP4')", "standard"
)


@dataclass(frozen=True)
class FecCode:
    """A t-error-correcting block code and its implementation cost.

    Attributes
    ----------
    name : str
        Key in :data:`FEC_CODES`.
    n, k : int
        Codeword and message length [symbols].
    t : int
        Correctable symbol errors per codeword [symbols].
    symbol_bits : int
        Bits per symbol ``m`` (10 for the IEEE 802.3 Reed-Solomon codes, 1 for binary codes) [bit].
    decoder_latency : float
        Fixed encoder + decoder pipeline latency added to the codeword accumulation time [s].
    energy_per_bit : float
        Encoder + decoder energy per payload bit, both ends of a link [J/bit].
    source : Source
        Where the code parameters come from.
    latency_source, energy_source : Source
        Where ``decoder_latency`` and ``energy_per_bit`` come from.
    description : str
        One line for tables.
    """

    name: str
    n: int
    k: int
    t: int
    symbol_bits: int
    decoder_latency: float
    energy_per_bit: float
    source: Source
    latency_source: Source
    energy_source: Source
    description: str = ""

    def __post_init__(self):
        if not (isinstance(self.n, int) and isinstance(self.k, int) and 1 <= self.k <= self.n):
            raise ParameterError(f"{self.name}.k", self.k, f"an integer 1 .. n = {self.n}")
        if not (isinstance(self.t, int) and 0 <= 2 * self.t <= self.n - self.k):
            raise ParameterError(f"{self.name}.t", self.t, f"an integer 0 .. (n - k)/2 = {(self.n - self.k) // 2}")
        if not (isinstance(self.symbol_bits, int) and self.symbol_bits >= 1):
            raise ParameterError(f"{self.name}.symbol_bits", self.symbol_bits, "an integer >= 1")
        if self.decoder_latency < 0 or self.energy_per_bit < 0:
            raise ParameterError(f"{self.name}.decoder_latency/energy_per_bit",
                                 (self.decoder_latency, self.energy_per_bit), ">= 0")

    @property
    def overhead(self) -> float:
        """Line-rate overhead ``n/k - 1`` [1] (KP4: 5.84 %)."""
        return self.n / self.k - 1.0

    @property
    def rate(self) -> float:
        """Code rate ``k/n`` [1]."""
        return self.k / self.n

    @property
    def codeword_bits(self) -> int:
        """Bits per codeword ``n m`` [bit]."""
        return self.n * self.symbol_bits

    def latency(self, bit_rate):
        """Added latency at a line rate: codeword accumulation ``n m / R`` plus the decoder pipeline [b/s -> s].

        ``bit_rate`` is the rate at which one codeword's bits arrive (for KP4 on 400GBASE-R with two
        interleaved codewords, half the aggregate line rate). A code with ``n = k`` adds nothing.
        """
        r = np.asarray(bit_rate, dtype=float)
        if np.any(~(r > 0)):
            raise ParameterError("bit_rate", bit_rate, "> 0 b/s")
        if self.n == self.k and self.t == 0:
            return np.zeros_like(r)
        return self.codeword_bits / r + self.decoder_latency

    def post_fec_ber(self, pre_ber, *, burst_length=1.0, error_propagation=None):
        """Post-FEC BER for a pre-FEC BER [1 -> 1]; see :func:`post_fec_ber`."""
        return _post_fec(self, pre_ber, burst_length, error_propagation)[0]

    def frame_error_rate(self, pre_ber, *, burst_length=1.0, error_propagation=None):
        """Probability that a codeword is not corrected [1 -> 1]; see :func:`frame_error_rate`."""
        return _post_fec(self, pre_ber, burst_length, error_propagation)[1]


_ASSUMED_RS_LATENCY = Source(
    "decoder pipeline latency", "assumption",
    "syndrome + key-equation + Chien search pipeline of a 10-bit RS decoder at ~1 GHz clock in 7 nm class "
    "CMOS, order 50-100 clock cycles; same order as the '~20 ns class' FEC latency quoted in links.md "
    "section 4 (which excludes codeword accumulation)",
)
_ASSUMED_RS_ENERGY = Source(
    "RS decoder energy", "assumption",
    "order of magnitude of published 7-16 nm RS(544,514) encoder+decoder implementations (0.3-1 pJ/bit); "
    "no single primary source; KR4 (t = 7) scaled down with t",
)

#: Named codes. Keys are stable API.
FEC_CODES: dict[str, FecCode] = {
    "none": FecCode(
        name="none", n=1, k=1, t=0, symbol_bits=1, decoder_latency=0.0, energy_per_bit=0.0,
        source=Source("no FEC: micro-LED NRZ lanes run without FEC at Q >= 7 (links.md section 4)", "claim"),
        latency_source=Source("no FEC", "derived"), energy_source=Source("no FEC", "derived"),
        description="no forward error correction",
    ),
    "kp4": FecCode(
        name="kp4", n=544, k=514, t=15, symbol_bits=10, decoder_latency=50.0 * NANO, energy_per_bit=0.5 * PICO,
        source=_IEEE_CL119, latency_source=_ASSUMED_RS_LATENCY, energy_source=_ASSUMED_RS_ENERGY,
        description="RS(544,514) 'KP4', IEEE 802.3 cl. 91/119, t = 15 10-bit symbols",
    ),
    "kr4": FecCode(
        name="kr4", n=528, k=514, t=7, symbol_bits=10, decoder_latency=30.0 * NANO, energy_per_bit=0.25 * PICO,
        source=_IEEE_CL91, latency_source=_ASSUMED_RS_LATENCY, energy_source=_ASSUMED_RS_ENERGY,
        description="RS(528,514) 'KR4', IEEE 802.3 cl. 91, t = 7 10-bit symbols",
    ),
    "bch-light": FecCode(
        name="bch-light", n=1023, k=993, t=3, symbol_bits=1, decoder_latency=5.0 * NANO,
        energy_per_bit=0.05 * PICO,
        source=Source("binary BCH code of length 2^10 - 1 correcting t = 3 bits (n - k = m t = 30); "
                      "Lin & Costello, Error Control Coding, 2nd ed., ch. 6", "literature"),
        latency_source=Source("BCH t = 3 decoder latency", "assumption",
                              "closed-form (Peterson) error locator for t <= 3 plus Chien search, a few clock "
                              "cycles; chosen for slow (2-4 Gb/s) micro-LED lanes"),
        energy_source=Source("BCH t = 3 decoder energy", "assumption",
                             "a t = 3 binary decoder is ~10x smaller than an RS(544,514) decoder"),
        description="BCH(1023,993), t = 3 bits, 3 % overhead: light code for slow micro-LED lanes",
    ),
    "hamming": FecCode(
        name="hamming", n=72, k=64, t=1, symbol_bits=1, decoder_latency=1.0 * NANO, energy_per_bit=0.01 * PICO,
        source=Source("extended Hamming (72,64) SEC-DED code as used for DRAM ECC; Hsiao, IBM J. Res. Dev. 14, "
                      "395 (1970)", "literature"),
        latency_source=Source("SEC-DED decoder latency", "assumption", "one XOR tree + one decode, ~1 ns"),
        energy_source=Source("SEC-DED decoder energy", "assumption", "a few hundred XOR gates per 64 bits"),
        description="Hamming (72,64) SEC-DED, t = 1 bit, 12.5 % overhead",
    ),
}


def get_fec_code(code) -> FecCode:
    """The :class:`FecCode` named ``code`` (or ``code`` itself when it is a FecCode)."""
    if isinstance(code, FecCode):
        return code
    if code not in FEC_CODES:
        raise ParameterError("fec", code, " | ".join(FEC_CODES))
    return FEC_CODES[code]


def burst_length_from_error_propagation(error_propagation):
    """Mean error-burst length of a DFE whose errors propagate with probability ``e``: ``1/(1-e)`` [1 -> bit]."""
    e = np.asarray(error_propagation, dtype=float)
    if np.any(~((e >= 0) & (e < 1))):
        raise ParameterError("error_propagation", error_propagation, "0 <= e < 1")
    return 1.0 / (1.0 - e)


def symbol_error_probability(pre_ber, symbol_bits, *, burst_length=1.0):
    """Probability that a symbol of ``m`` bits starts at least one error event [1, bit, bit -> 1].

    For random errors (``burst_length = 1``) this is the symbol error probability ``1 - (1 - p)^m``,
    computed as ``-expm1(m log1p(-p))`` so it stays exact for tiny ``p``.
    """
    p = np.asarray(pre_ber, dtype=float)
    lam = p / float(burst_length)
    return -np.expm1(symbol_bits * np.log1p(-lam))


@lru_cache(maxsize=64)
def _burst_fail_table(m: int, t: int, burst_length: float) -> np.ndarray:
    """``P(S_j > t)`` for ``j = 1..t`` events, each touching a random number of symbols [1].

    The burst length is geometric with mean ``burst_length`` and the start offset uniform over the symbol.
    Symbol counts above ``t`` are lumped into one bin (they fail the codeword whatever else happens).
    """
    if t == 0:
        return np.zeros(0)
    e = 1.0 - 1.0 / burst_length
    # symbols touched by one burst: pmf over c = 1 .. t+1 (t+1 means "> t")
    cmax = t + 1
    pmf_c = np.zeros(cmax + 1)
    if e == 0.0:
        pmf_c[1] = 1.0
    else:
        lmax = int(np.ceil(np.log(1e-300) / np.log(e))) if e > 0 else 1
        lmax = min(max(lmax, 1), m * (cmax + 1) + 1)  # longer bursts always touch > t symbols
        lengths = np.arange(1, lmax + 1)
        p_len = (1.0 - e) * e ** (lengths - 1)
        p_len[-1] = e ** (lmax - 1)  # tail mass: all longer bursts (touch > t symbols anyway)
        for off in range(m):
            c = np.minimum(1 + (off + lengths - 1) // m, cmax)
            np.add.at(pmf_c, c, p_len / m)
    fail = np.zeros(t)
    dist = np.zeros(cmax + 1)
    dist[0] = 1.0
    for j in range(1, t + 1):
        new = np.convolve(dist, pmf_c)
        over = new[cmax:].sum()
        dist = new[: cmax + 1].copy()
        dist[cmax] = over  # lump "> t" (index t+1 and above)
        fail[j - 1] = dist[cmax]
    return fail


def _check_pre(pre_ber):
    p = np.asarray(pre_ber, dtype=float)
    if np.any(~((p >= 0) & (p <= 0.5))):
        bad = p[~((p >= 0) & (p <= 0.5))].flat[0]
        raise ParameterError("pre_fec_ber", float(bad), "0 <= BER <= 0.5")
    return p


def _resolve_burst(burst_length, error_propagation) -> float:
    if error_propagation is not None:
        if burst_length != 1.0:
            raise ParameterError("burst_length", burst_length, "1 when error_propagation is given (give one of them)")
        if np.ndim(error_propagation):
            raise ParameterError("error_propagation", error_propagation, "a scalar 0 <= e < 1")
        return float(burst_length_from_error_propagation(error_propagation))
    if np.ndim(burst_length) or not float(burst_length) >= 1.0 or not np.isfinite(float(burst_length)):
        raise ParameterError("burst_length", burst_length, "a finite scalar >= 1 bit")
    return float(burst_length)


def _binomial_pmf(k, n, q):
    """``C(n, k) q^k (1-q)^(n-k)`` in logarithms (exact 0 at q = 0 for k > 0) [1]."""
    log_c = special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)
    return np.exp(log_c + special.xlogy(k, q) + special.xlog1py(n - k, -q))


def _post_fec(code: FecCode, pre_ber, burst_length, error_propagation):
    """(post-FEC BER, frame error rate) arrays [1]."""
    p = _check_pre(pre_ber)
    big_l = _resolve_burst(burst_length, error_propagation)
    n, t, m = code.n, code.t, code.symbol_bits
    if code.t == 0:  # no correction: every error passes; a "frame" is one codeword
        q = symbol_error_probability(p, m * n, burst_length=big_l) if n > 1 else p
        return p.copy(), np.asarray(q, dtype=float)
    q = symbol_error_probability(p, m, burst_length=big_l)
    with np.errstate(divide="ignore", invalid="ignore"):
        fer = special.bdtrc(t, n, q)  # P(Binomial(n, q) > t)
        ber_factor = special.bdtrc(t - 1, n - 1, q)
        if big_l > 1.0:
            fail = _burst_fail_table(m, t, big_l)  # [t]
            j = np.arange(1, t + 1)
            pmf = _binomial_pmf(j, n, q[..., None])  # [..., t]
            fer = fer + np.sum(pmf * fail, axis=-1)
            ratio = np.where(q[..., None] > 0, j / (n * np.where(q[..., None] > 0, q[..., None], 1.0)), 0.0)
            ber_factor = ber_factor + np.sum(ratio * pmf * fail, axis=-1)
    post = p * np.minimum(ber_factor, 1.0)
    return np.asarray(post, dtype=float), np.asarray(np.minimum(fer, 1.0), dtype=float)


def post_fec_ber(code_name, pre_fec_ber, *, burst_length=1.0, error_propagation=None):
    """Post-FEC bit error ratio of a code (vectorised over ``pre_fec_ber``).

    Parameters
    ----------
    code_name : str or FecCode
        A key of :data:`FEC_CODES` (``"none"``, ``"kp4"``, ``"kr4"``, ``"bch-light"``, ``"hamming"``).
    pre_fec_ber : array_like [...]
        BER at the decision point, before FEC [1], in [0, 0.5].
    burst_length : float
        Mean length of an error burst [bit]; 1 for independent errors, > 1 for DFE error propagation.
    error_propagation : float, optional
        Alternatively, the probability that a DFE decision error causes the next one (``L = 1/(1 - e)``).

    Returns
    -------
    numpy.ndarray [...]
        Post-FEC BER [1], never above ``pre_fec_ber``. KP4 at 2.4e-4 random gives ~1e-15 region.
    """
    return _post_fec(get_fec_code(code_name), pre_fec_ber, burst_length, error_propagation)[0]


def frame_error_rate(code_name, pre_fec_ber, *, burst_length=1.0, error_propagation=None):
    """Probability that a codeword holds more errors than the code corrects (vectorised) [1 -> 1].

    See :func:`post_fec_ber` for the arguments. For ``"none"`` a frame is one bit, so the FER is the BER.
    """
    return _post_fec(get_fec_code(code_name), pre_fec_ber, burst_length, error_propagation)[1]


def pre_fec_threshold(code_name, target_post_ber=1e-15, *, burst_length=1.0, error_propagation=None):
    """Largest pre-FEC BER whose post-FEC BER meets ``target_post_ber`` (vectorised bisection in log BER).

    Parameters
    ----------
    code_name : str or FecCode
    target_post_ber : array_like [...]
        Required post-FEC BER [1], in (0, 0.5).

    Returns
    -------
    numpy.ndarray [...]
        Pre-FEC BER threshold [1] (relative accuracy 1e-6).
    """
    code = get_fec_code(code_name)
    target = np.asarray(target_post_ber, dtype=float)
    if np.any(~((target > 0) & (target < 0.5))):
        raise ParameterError("target_post_ber", target_post_ber, "0 < BER < 0.5")
    lo = np.full(target.shape, np.log(1e-300))
    hi = np.full(target.shape, np.log(0.5))
    log_t = np.log(target)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        val = _post_fec(code, np.exp(mid), burst_length, error_propagation)[0]
        with np.errstate(divide="ignore"):
            ok = np.log(val) <= log_t
        lo = np.where(ok, mid, lo)
        hi = np.where(ok, hi, mid)
    return np.exp(lo)
