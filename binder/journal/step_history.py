"""One step's history across laptops: which entries are current, and which were made at once.

Every step event written since schema 6 names in `data["follows"]` the step's current entries
(its heads) when it was written. An entry no later entry follows is a head. One laptop always
writes over every head, so a single laptop never forks; two laptops that change the same step
before either has seen the other's change make two heads, which is a fork. Both entries are kept;
the step's state is the head with the newest hlc, until someone writes over both. An entry from
before schema 6 has no `follows` and follows the entry before it on this laptop.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

STEP_EVENTS = ("WHERE incident_id = ? AND step_id = ? AND doc_id = ? "
               "AND kind IN ('tick', 'untick', 'na', 'done_before')")


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    order: tuple  # (hlc, device, seq): the newest head is the state, the same on every laptop
    follows: tuple[str, ...]
    device: str = ""
    payload: object = None


@dataclass
class StepHistory:
    entries: dict[str, Entry] = field(default_factory=dict)
    followed: set[str] = field(default_factory=set)
    _heads: set[str] = field(default_factory=set)  # kept as entries come: no rescan per entry
    _last_local: str = ""

    def add(self, event_id: str, kind: str, *, hlc: str, seq: int, follows: list | None,
            device: str = "", payload: object = None) -> None:
        if event_id in self.entries:
            return
        if follows is None:  # written before schema 6: after this laptop's previous entry
            follows = [self._last_local] if self._last_local else []
            self._last_local = event_id
        entry = Entry(event_id, kind, (hlc, device, seq), tuple(follows), device, payload)
        self.entries[event_id] = entry
        self.followed.update(entry.follows)
        self._heads.difference_update(entry.follows)
        if event_id not in self.followed:  # an entry written over it may have come first
            self._heads.add(event_id)

    def heads(self) -> list[Entry]:
        """The current entries, oldest first: one, or more when laptops changed it at once."""
        return sorted((self.entries[i] for i in self._heads), key=lambda entry: entry.order)

    def current(self) -> Entry | None:
        heads = self.heads()
        return heads[-1] if heads else None

    def forks(self) -> list[tuple[Entry, Entry]]:
        """Each pair of entries from different laptops neither of which was written after seeing
        the other: changes made at once. Ones written over since are still listed: the record
        shows them."""
        ancestors = self._ancestors()
        ordered = sorted(self.entries.values(), key=lambda entry: entry.order)
        return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]
                if a.device != b.device
                and a.id not in ancestors[b.id] and b.id not in ancestors[a.id]]

    def _ancestors(self) -> dict[str, set[str]]:
        """Every entry's ancestors, worked out without recursion (a step may have thousands)."""
        found: dict[str, set[str]] = {}
        for start in self.entries:
            if start in found:
                continue
            stack = [start]
            while stack:
                event_id = stack[-1]
                parents = [p for p in self.entries[event_id].follows if p in self.entries]
                waiting = [p for p in parents if p not in found and p not in stack]
                if waiting:
                    stack.extend(waiting)
                    continue
                stack.pop()
                found[event_id] = set(parents).union(*(found.get(p, ()) for p in parents))
        return found


def read_history(conn: sqlite3.Connection, incident_id: str, doc_id: str,
                 step_id: str) -> StepHistory:
    """Every tick, untick, N/A and done-earlier on one step in a journal, from every laptop."""
    history = StepHistory()
    for row in conn.execute(
            "SELECT seq, id, kind, operator, position, entered_at, occurred_at, data, device, "
            f"hlc FROM events {STEP_EVENTS} ORDER BY seq", (incident_id, step_id, doc_id)):
        seq, event_id, kind, operator, position, entered, occurred, data, device, clock = row
        try:
            follows = json.loads(data).get("follows")
        except (ValueError, AttributeError):
            follows = None
        history.add(event_id, kind, hlc=clock, seq=seq, follows=follows, device=device,
                    payload=(kind, operator, position, entered, occurred))
    return history


def local_head(conn: sqlite3.Connection, device_id: str, incident_id: str, step_id: str,
               doc_id: str) -> list[Entry] | None:
    """A step only this laptop has changed has one current entry, its newest (two index
    lookups, not its whole history); None when another laptop's entry is among them."""
    args = (incident_id, step_id, doc_id)
    if conn.execute(f"SELECT 1 FROM events {STEP_EVENTS} AND device NOT IN ('', ?) LIMIT 1",
                    (*args, device_id)).fetchone():
        return None
    row = conn.execute(
        f"SELECT id, kind, operator, position, entered_at, occurred_at FROM events {STEP_EVENTS} "
        "ORDER BY seq DESC LIMIT 1", args).fetchone()
    if row is None:
        return []
    return [Entry(row[0], row[1], (), (), payload=(row[1], *row[2:]))]
