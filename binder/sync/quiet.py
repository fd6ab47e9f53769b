"""The window's thread asks the sync thread to keep out of its way for a moment (a tick's write
and repaint): `hold()` on the window's thread, `breathe(n)` in the sync thread's loops over a
segment's entries. Standard library only, so the window can import it at start for nothing."""

from __future__ import annotations

import threading
import time

HOLD_S = 0.1  # a tick writes, folds, refreshes and repaints in well under this
LONGEST_WAIT_S = 0.5  # the sync thread never waits longer than this in one breath
_quiet_until = 0.0  # time.monotonic() until which the window's thread wants the interpreter


def hold(seconds: float = HOLD_S) -> None:
    """On the window's thread, before a write it will repaint: worker threads making or
    reading a segment pause (in `breathe`) until `seconds` from now."""
    global _quiet_until
    _quiet_until = time.monotonic() + seconds


def breathe(count: int) -> None:
    """In a worker's loop, every 50 entries: wait while the window's thread holds the
    interpreter (a tick waits at most 50 entries' work, about a millisecond, instead of a
    whole segment's 40 ms). Never on the main thread (the command line), never longer than
    LONGEST_WAIT_S, and not at all when nobody holds."""
    if count % 50 != 49 or threading.current_thread() is threading.main_thread():
        return
    until = min(_quiet_until, time.monotonic() + LONGEST_WAIT_S)
    while time.monotonic() < until:
        time.sleep(0.002)
