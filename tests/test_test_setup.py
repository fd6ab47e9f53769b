"""`make test` sets up what the tests drive, or says which tests will skip and why."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "build" / "test_setup.py"


def run_without_programs(tmp_path, *args):
    """As on a machine with none of the programs and no apt-get to install them."""
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          env=env)


def test_missing_programs_are_named_with_the_tests_that_will_skip(tmp_path):
    result = run_without_programs(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Xvfb is not installed (apt-get install xvfb): the screen tests" in result.stderr
    assert "pdftotext is not installed (apt-get install poppler-utils)" in result.stderr
    assert "Traceback" not in result.stderr


def test_ci_requires_them(tmp_path):
    assert run_without_programs(tmp_path, "--require").returncode == 1
