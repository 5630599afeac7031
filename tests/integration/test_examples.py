"""Examples are run as part of the tests so that they cannot rot."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_example_script_runs(script, tmp_path):
    # run a copy: the scripts that write files (a Touchstone channel, a fitted LED) write beside themselves,
    # and the tests must not rewrite the repository's examples
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    out = subprocess.run([sys.executable, str(copy / script.name)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip()


def test_measured_led_config_runs():
    out = subprocess.run([sys.executable, "-m", "microlink.cli.app", "link", "--config",
                          str(EXAMPLES / "measured_led.yaml"), "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["bandwidth_hz"]["led_carrier"] == pytest.approx(1.1e9)
