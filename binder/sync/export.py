"""This laptop's new events of each incident out as its next signed segment: kept in journal.db
first, then written as a file; a kept segment whose file is missing is written again."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from binder.journal.journal import EACH_INCIDENT, EVENT_FIELDS, Journal
from binder.journal.journal_rows import UnreadableRow, _event
from binder.sync.keys import public_hex
from binder.sync.quiet import breathe
from binder.sync.segment import (
    INCIDENT,
    Segment,
    decode,
    encode,
    relative_path,
    write_file,
)

# A segment's entries at most; the rest go in the next export. Small enough that one round on
# the sync thread holds Python's lock for a few ms, not seconds: a long incident recorded before
# this laptop shared anything goes out over many rounds while ticks go on (bench/results.md).
MAX_ENTRIES = 1_000


class Exporter:
    """What this laptop has exported is what its stored segments hold: the newest one's last
    entry, read once at start and then followed in memory."""

    def __init__(self, journal: Journal, folder: Path, key: Ed25519PrivateKey,
                 profile: Callable[[], tuple[str, str]],
                 on_stored: Callable[[Segment], None] = lambda segment: None):
        self.journal = journal
        self.folder = Path(folder)  # <data>/sync/segments
        self.key = key
        self.profile = profile  # this laptop's (name, position) for the header
        self.on_stored = on_stored  # told of each segment stored (the importer's stored set)
        self.me = journal.device_id
        self.exported: dict[str, tuple[int, str, int]] = {}  # incident: (number, hash, last seq)
        self.own: dict[str, list[int]] = {}  # every stored segment of this laptop, by incident
        self._checked: dict[str, int] = {}  # a folder of this laptop's segments: its mtime when
        # every file in it was found there
        self._newest = -1
        for incident_id, number, digest in journal.conn.execute(
                "SELECT incident_id, number, hash FROM segments WHERE device = ? "
                "ORDER BY incident_id, number", (self.me,)):
            self.own.setdefault(incident_id, []).append(number)
            self.exported[incident_id] = (number, digest, 0)
        for incident_id, (number, digest, _) in list(self.exported.items()):
            self.exported[incident_id] = (number, digest, self._last_seq(incident_id, number))

    def _last_seq(self, incident_id: str, number: int) -> int:
        raw = self.journal.conn.execute(
            "SELECT bytes FROM segments WHERE incident_id = ? AND device = ? AND number = ?",
            (incident_id, self.me, number)).fetchone()[0]
        last_id = decode(bytes(raw)).events[-1]["id"]
        row = self.journal.conn.execute("SELECT seq FROM events WHERE id = ?",
                                        (last_id,)).fetchone()
        return row[0] if row else 0

    def path(self, incident_id: str, number: int) -> Path:
        return self.folder / relative_path(incident_id, self.me, number)

    def restore_missing(self) -> int:
        """Write again, from the stored bytes, every segment of this laptop whose file is gone
        (a crash between storing and writing, or a file removed)."""
        written = 0
        settled = (time.time() - 2.0) * 1e9
        for incident_id, numbers in self.own.items():
            folder = str(self.folder / incident_id / self.me)
            try:
                mtime = os.stat(folder).st_mtime_ns
            except OSError:
                mtime = None
            if mtime is not None and self._checked.get(folder) == mtime:
                continue  # unchanged since every file in it was found there
            written += self._restore(incident_id, numbers)
            if mtime is not None and mtime < settled:
                self._checked[folder] = os.stat(folder).st_mtime_ns
        return written

    def _restore(self, incident_id: str, numbers: list[int]) -> int:
        written = 0
        for number in numbers:
            path = self.path(incident_id, number)
            if os.path.exists(path):
                continue
            raw = self.journal.conn.execute(
                "SELECT bytes FROM segments WHERE incident_id = ? AND device = ? AND number = ?",
                (incident_id, self.me, number)).fetchone()[0]
            write_file(path, bytes(raw))
            written += 1
        return written

    def export(self) -> int:
        """One segment per incident with entries of this laptop not yet in one; returns how many
        were written. Nothing new since the last call costs one index lookup."""
        self.restore_missing()
        newest = self.journal.newest_seq()
        if newest == self._newest:
            return 0
        written = 0
        for incident_id, last_seq in self._local_heads():
            number, previous, done = self.exported.get(incident_id, (0, "", 0))
            if last_seq > done and INCIDENT.fullmatch(incident_id):
                written += self._export_incident(incident_id, number + 1, previous, done)
        if not any(self._left(incident_id, seq) for incident_id, seq in self._local_heads()):
            self._newest = newest
        return written

    def _left(self, incident_id: str, last_seq: int) -> bool:
        """Entries of this laptop in the incident not yet in a segment (more than MAX_ENTRIES)."""
        return INCIDENT.fullmatch(incident_id) is not None and last_seq > self.exported.get(
            incident_id, (0, "", 0))[2]

    def _local_heads(self) -> list[tuple[str, int]]:
        return [(incident_id, seq) for incident_id, seq in self.journal.conn.execute(
            f"{EACH_INCIDENT} SELECT incident_id, (SELECT max(seq) FROM events e WHERE "
            "e.incident_id = each.incident_id AND e.device IN ('', ?)) FROM each "
            "WHERE incident_id IS NOT NULL AND incident_id != ''", (self.me,)) if seq]

    def _next_entries(self, incident_id: str, done: int) -> list:
        """This laptop's next entries of the incident after seq `done`, MAX_ENTRIES at most (read
        as far as needed: never the whole incident). One that cannot be read is left out, as
        `Journal.events` leaves it out (verify names it)."""
        found = []
        for row in self.journal.conn.execute(
                f"SELECT seq, {', '.join(EVENT_FIELDS)}, prev_hash, hash FROM events "
                "WHERE incident_id = ? AND seq > ? AND device IN ('', ?) ORDER BY seq LIMIT ?",
                (incident_id, done, self.me, MAX_ENTRIES)):
            try:
                found.append(_event(row))
            except UnreadableRow:
                continue
            breathe(len(found))
        return found

    def _export_incident(self, incident_id: str, number: int, previous: str, done: int) -> int:
        events = self._next_entries(incident_id, done)
        if not events:
            return 0
        rows = [{**event.row(), "device": self.me} for event in events]
        name, position = self.profile()
        header = {"incident_id": incident_id, "device": self.me, "number": number,
                  "previous": previous, "public_key": public_hex(self.key), "name": name,
                  "position": position}
        segment = decode(encode(header, rows, self.key))
        self.journal.store_segment(segment.stored())
        self.on_stored(segment)
        self.own.setdefault(incident_id, []).append(number)
        self.exported[incident_id] = (number, segment.hash, events[-1].seq)
        write_file(self.path(incident_id, number), segment.raw)
        return 1
