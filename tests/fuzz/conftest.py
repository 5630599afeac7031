"""Makes the fuzz suite's shared strategies and checks importable as ``fuzz_support``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
