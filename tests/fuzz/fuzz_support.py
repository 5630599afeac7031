"""Shared strategies and checks of the fuzz suite (imported by the tests as ``fuzz_support``).

Every example runs a real command in-process (``typer.testing.CliRunner``) or a public function, and must
end in exit code 0 (a result) or 2 (one line naming the field or file): never a traceback, never NaN or
inf in JSON. The default profile keeps the whole directory to a few thousand examples; ``-m fuzz`` runs
the tests marked ``fuzz`` and ``HYPOTHESIS_PROFILE=fuzz`` raises the example counts.
"""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("fuzz", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: Longest a single command may take in the fuzz suite [s] (a hang is a failure, not a slow test).
DEADLINE_S = 60.0

_runner = CliRunner()


def _reject_constant(token):
    raise AssertionError(f"non-finite number {token} in JSON output")


def run_cli(*args, allowed=(0, 2)):
    """Run ``microlink ARGS``; assert a clean exit; return ``(exit code, stdout, stderr, JSON or None)``."""
    from microlink.cli.app import app

    result = _runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
    out, err = result.stdout, getattr(result, "stderr", "") or ""
    shown = f"args={args!r}\nexit={result.exit_code}\nstdout={out[-2000:]}\nstderr={err[-2000:]}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {type(result.exception).__name__}: {result.exception}\n{shown}")
    assert result.exit_code in allowed, shown
    assert "Traceback" not in out + err, shown
    doc = None
    if result.exit_code == 2:
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert lines, shown
        assert lines[-1].startswith(("error:", "Error:", "Try ")) or "Usage:" in err, shown
    elif "--format" in args and "json" in args and out.strip():
        doc = json.loads(out, parse_constant=_reject_constant)
    return result.exit_code, out, err, doc


# ------------------------------------------------------------------------------------------ strategies
UNITS_BY_KIND = {"m": ["m", "mm", "cm", "km", "um", ""], "b/s": ["Gb/s", "Mb/s", "Tb/s", "b/s", "Gbps", "GBd"]}

_hostile = st.sampled_from([
    "💥", "(1/0) Gb/s", "2**10000 m", "9**9**9 m", "1" * 5000, "\u202e10 m", "2**2**2**2 m", "inf", "nan",
    "-1 m", "0", "1e308 m", "1e-320 m", "1;2 m", "1,,2 m", "[bold]1[/] m", "10 m\n", "\x1b[31m10 m", "10 s",
    "", " ", "1e999", "-0", "NaN m", "1 m ", "0x1p3 m", "1_0 m",
])


def quantities(kind: str):
    """Quantity strings of one kind: valid numbers with units, edge numbers, and hostile text."""
    numbers = st.one_of(st.floats(min_value=-1e3, max_value=1e3, allow_nan=False),
                        st.sampled_from([0.0, 1e-300, 1e300, 0.5, 1.0, 3.0, 10.0, 12.0, 30.0]),
                        st.integers(-5, 10**6).map(float))
    valid = st.builds(lambda x, u: f"{x:g} {u}".strip(), numbers, st.sampled_from(UNITS_BY_KIND[kind]))
    return st.one_of(valid, _hostile, st.text(max_size=30))


plain_numbers = st.one_of(st.floats(), st.sampled_from(["inf", "-inf", "nan", "1e999", "abc", "", "0", "-1"]))

