"""The Qt binding must not corrupt Python: PySide6 6.12.0 drops a reference to None on every
call that returns nothing (under Python 3.11), and the interpreter aborts after a few thousand."""

import subprocess
import sys

CODE = """
import sys
from PySide6.QtCore import QRect
rect = QRect()
before = sys.getrefcount(None)
for _ in range(1000):
    rect.setWidth(5)
print(before - sys.getrefcount(None))
"""


def test_void_calls_keep_none_alive():
    # in a child process: if the bug is there, the child may abort, not this test run
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True)
    lost = result.stdout.strip()
    assert lost and abs(int(lost)) < 10, (lost, result.stderr[-300:])
