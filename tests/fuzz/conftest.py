"""Makes the fuzz suite's shared strategies and checks importable as ``fuzz_support``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import fuzz_support  # noqa: E402,F401  (loads the Hypothesis profile for every fuzz test: derandomized in CI)
