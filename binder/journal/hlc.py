"""The hybrid logical clock on every event (Kulkarni et al. 2014), bounded against a far clock.

An hlc is "LLLLLLLLLLLLL.CCCC": the largest wall-clock time seen, in ms since the epoch, and a
counter for events within the same ms. Strings of this shape sort as the clocks do. A laptop takes
the newest hlc in its journal (its own and every imported one) and goes past it, so an event
written after seeing another always sorts after it, whatever the laptops' clocks say. An hlc more
than BOUND_MS ahead of this laptop's clock is not adopted: one laptop set to the wrong day cannot
drag every other laptop's entries into its future (its entries are flagged instead).
"""

from __future__ import annotations

import sqlite3
import time

BOUND_MS = 5 * 60 * 1000  # an hlc further ahead of this laptop's clock than this is not adopted
COUNTER_MAX = 9999
FLAG_MS = 60_000  # another laptop's entry further ahead than this when it arrives is flagged


def make(physical_ms: int, counter: int = 0) -> str:
    return f"{physical_ms:013d}.{counter:04d}"


def parse(hlc: str) -> tuple[int, int] | None:
    """(ms, counter), or None for a string that is not an hlc."""
    head, dot, tail = hlc.partition(".")
    if not (dot and len(head) == 13 and len(tail) == 4 and head.isdigit() and tail.isdigit()):
        return None
    return int(head), int(tail)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def after(newest: str, now_ms: int) -> str:
    """The hlc of an event written now, after `newest` (the newest adoptable hlc seen)."""
    seen = parse(newest) if newest else None
    if seen is None or seen[0] < now_ms:
        return make(now_ms)
    if seen[1] < COUNTER_MAX:
        return make(seen[0], seen[1] + 1)
    return make(seen[0] + 1)


def next_in(conn: sqlite3.Connection, now_ms: int | None = None) -> str:
    """The next hlc for an event written through `conn` (inside its write transaction): past the
    newest hlc in the journal that is not beyond the bound (one seek in events_by_hlc)."""
    now_ms = wall_ms() if now_ms is None else now_ms
    row = conn.execute("SELECT max(hlc) FROM events WHERE hlc <= ?",
                       (make(now_ms + BOUND_MS, COUNTER_MAX),)).fetchone()
    return after(row[0] or "", now_ms)


def ahead_ms(hlc: str, now_ms: int | None = None) -> int:
    """How far an hlc is ahead of this laptop's clock (0 if it is not, or is not an hlc)."""
    parsed = parse(hlc)
    now_ms = wall_ms() if now_ms is None else now_ms
    return max(0, parsed[0] - now_ms) if parsed else 0
