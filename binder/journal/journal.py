"""journal.db: the append-only record of what people did; the state on screen is derived from it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from binder.journal import hlc
from binder.journal.anchor import Anchor, Mark, anchor_path
from binder.journal.journal_errors import JournalError, StepConflict
from binder.journal.journal_open import open_for_writing, open_read_only
from binder.journal.journal_rows import (
    EVENT_FIELDS,
    EVENT_KINDS,
    INCIDENT_KINDS,
    STEP_KINDS,
    DamagedText,
    Event,
    Unreadable,
    UnreadableRow,
    _event,
    event_hash,
    row_problem,
    scan_unreadable,
    utc_now,
)
from binder.journal.journal_schema import MIGRATIONS, SCHEMA_VERSION, transaction
from binder.journal.names import readable, text_problem
from binder.journal.refusals import saving_message, step_conflict_text
from binder.journal.step_history import StepHistory, local_head, read_history

# Names that other modules, tests and bench import from here, whose homes are the modules above.
__all__ = [
    "EVENT_FIELDS", "EVENT_KINDS", "INCIDENT_KINDS", "MIGRATIONS", "SCHEMA_VERSION", "STEP_KINDS",
    "ChainReport", "DamagedText", "Event", "Journal", "JournalError", "Operator", "StepConflict",
    "Unreadable", "event_hash", "row_problem", "transaction", "utc_now", "verify_chain",
]


# Every incident id, one index seek each (a loose index scan of events_by_incident).
EACH_INCIDENT = """
    WITH RECURSIVE each(incident_id) AS (
        SELECT min(incident_id) FROM events
        UNION ALL
        SELECT (SELECT min(incident_id) FROM events WHERE incident_id > each.incident_id)
        FROM each WHERE each.incident_id IS NOT NULL)
"""


@dataclass(frozen=True)
class Operator:
    name: str
    position: str
    agency: str = ""


def refuse_text(fields: dict[str, str], lines: bool = False) -> None:
    """JournalError naming the first field holding a character the journal does not take."""
    for what, text in fields.items():
        problem = text_problem(text or "", lines)
        if problem:
            raise JournalError(f"{what} {problem}.")


class Journal:
    """One journal.db, opened for appending events: one transaction per event, on disk at once.

    A journal that cannot be read is moved aside unchanged and a new one is started;
    `recovered` then says where the old one went. A journal from a newer Binder is refused.
    """

    def __init__(self, path: Path, timeout: float = 5.0, *, read_only: bool = False,
                 checked: bool = False):
        self.path = Path(path)
        self.timeout = timeout
        self._recovered = ""
        self.unreadable: dict[int, Unreadable] = {}  # entries that could not be read, by seq
        self._read_all = False
        self.read_only = read_only
        if read_only:
            self.conn = open_read_only(self.path, timeout)
        else:
            self.conn, self._recovered = open_for_writing(self.path, timeout, checked)
        self._attach_anchor()

    def _attach_anchor(self) -> None:
        """The anchor file beside the journal, started (with every chain's head) if it has none."""
        self.anchor = Anchor(anchor_path(self.path))
        self.anchor_problem = ""
        self.journal_id = self.setting("journal_id")
        self.device_id = self.setting("device_id")
        self._anchoring = False
        if self.read_only:
            return
        try:
            if not self.journal_id:
                self.journal_id = str(uuid.uuid4())
                self.set_setting("journal_id", self.journal_id)
            if not self.device_id:  # this laptop, in the events it writes (binder/sync)
                self.device_id = uuid.uuid4().hex[:16]
                self.set_setting("device_id", self.device_id)
            header = self.anchor.header()
            if header is None or header[0] != self.journal_id:
                self.anchor.start(self.journal_id, utc_now(), *self._heads())
            else:
                self.anchor.end_torn_line()
            self._anchoring = True
        except (JournalError, OSError) as exc:
            self.anchor_problem = f"{self.anchor.path} cannot be written: {exc}"

    def _heads(self) -> tuple[int, list[Mark]]:
        """The newest seq, and the newest event of every chain (SQLite's bare-column MAX)."""
        now = utc_now()
        rows = self.conn.execute(
            "SELECT incident_id, MAX(seq), hash FROM events WHERE device IN ('', ?) "
            "GROUP BY incident_id", (self.device_id,)).fetchall()
        marks = sorted((Mark(seq, chain or "", digest, now) for chain, seq, digest in rows),
                       key=lambda mark: mark.seq)
        return (marks[-1].seq if marks else 0), marks

    @property
    def recovered(self) -> str:
        """What a person must be told about damage found in this journal so far ("" if none):
        what the opening recovered, and the entries found unreadable (`find_unreadable`)."""
        lost = sorted(self.unreadable)
        if not lost:
            return self._recovered
        shown = ", ".join(str(seq) for seq in lost[:10]) + (" and more" if len(lost) > 10 else "")
        note = (f"{len(lost)} entr{'y' if len(lost) == 1 else 'ies'} in the activity journal "
                f"could not be read (seq {shown}); the rest can. Verify and export say so.")
        return f"{self._recovered} {note}".strip()

    def find_unreadable(self) -> dict[int, Unreadable]:
        """Look once at every entry for a value that cannot be read, without building events
        (about 0.2 s at 100,000 entries): the bytes of each row must be UTF-8, its types and
        kind right, its data a JSON object. Those that fail are read again to say why."""
        if self._read_all:
            return self.unreadable
        self.unreadable.update(scan_unreadable(self.conn))
        self._read_all = True
        return self.unreadable

    def add_unreadable(self, found: dict[int, Unreadable]) -> bool:
        """What a look at every entry from another connection found (`scan_unreadable`);
        True if it found something not known before."""
        new = set(found) - set(self.unreadable)
        self.unreadable.update(found)
        self._read_all = True
        return bool(new)

    def close(self) -> None:
        self.conn.close()

    # Settings of this machine (not part of the record)

    def setting(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        """Raises JournalError (disk full, read-only) with the setting unchanged."""
        try:
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))
        except sqlite3.Error as exc:
            raise JournalError(saving_message(self.path, exc, key)) from None

    @property
    def operator(self) -> Operator | None:
        raw = self.setting("operator")
        if not raw:
            return None
        fields = json.loads(raw)  # one saved before names were checked is shown, not refused
        return Operator(**{key: readable(str(value)) for key, value in fields.items()})

    def set_operator(self, operator: Operator, incident_id: str = "") -> Event:
        """Remember who is at the keyboard on this machine, and record the change: both, or
        (as far as the disk allows) neither."""
        refuse_text({"The operator's name": operator.name, "The ICS position": operator.position,
                     "The home agency": operator.agency})
        before = self.setting("operator")
        self.set_setting("operator", json.dumps(operator.__dict__))
        try:
            return self.append("operator", incident_id, data={"agency": operator.agency})
        except JournalError:
            with suppress(JournalError):  # the same size as before: fits where it was
                self.set_setting("operator", before)
            raise

    # Appending

    def append(self, kind: str, incident_id: str = "", *, doc_id: str = "", step_id: str = "",
               step_text: str = "", occurred_at: str = "", data: dict | None = None,
               refuse=None) -> Event:
        """Write one event in its own transaction; it is on disk when this returns. `refuse`
        (given the connection, inside the transaction) raises a JournalError to refuse it."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        if kind in STEP_KINDS and not (incident_id and step_id):
            raise ValueError(f"a {kind} event needs an incident and a step")
        operator = self.operator or Operator("", "")
        values = {
            "id": str(uuid.uuid4()), "kind": kind, "incident_id": incident_id or "",
            "doc_id": doc_id, "step_id": step_id, "step_text": step_text,
            "operator": operator.name, "position": operator.position,
            "entered_at": utc_now(), "occurred_at": occurred_at or "",
            "device": self.device_id,
        }
        data = dict(data or {})
        try:
            with transaction(self.conn):
                if incident_id and kind != "start":
                    self._refuse_closed(incident_id)
                if refuse is not None:
                    refuse(self.conn)
                if kind in STEP_KINDS:
                    data["follows"] = self._refuse_step_conflict(kind, values)
                values["data"] = json.dumps(data, sort_keys=True, ensure_ascii=False)
                values["hlc"] = hlc.next_in(self.conn)
                row = self.conn.execute(
                    "SELECT hash FROM events WHERE incident_id = ? AND device IN ('', ?) "
                    "ORDER BY seq DESC LIMIT 1", (values["incident_id"], self.device_id)).fetchone()
                prev_hash = row[0] if row else ""
                digest = event_hash(prev_hash, values)
                cursor = self.conn.execute(
                    f"INSERT INTO events ({', '.join(EVENT_FIELDS)}, prev_hash, hash) "
                    f"VALUES ({', '.join('?' * len(EVENT_FIELDS))}, ?, ?)",
                    (*(values[name] for name in EVENT_FIELDS), prev_hash, digest))
        except sqlite3.Error as exc:
            raise JournalError(saving_message(self.path, exc)) from None
        except UnicodeEncodeError:  # a broken character that came by another way: nothing saved
            raise JournalError("This entry has a broken character and was not saved: type it "
                               "again.") from None
        self._anchor(Mark(cursor.lastrowid, values["incident_id"], digest, utc_now()))
        return Event(cursor.lastrowid, **{**values, "data": data},
                     prev_hash=prev_hash, hash=digest)

    def insert_foreign(self, events: list[dict], segment: dict | None = None) -> int:
        """Events another laptop wrote (checked by binder/sync before they come here), in one
        transaction with the segment that brought them (incident_id, device, number, hash,
        bytes; kept once), as they were written: an id already here is skipped. Returns how
        many were new. Nothing is refused for its content: the other laptop's record is kept as
        it is."""
        names = (*EVENT_FIELDS, "prev_hash", "hash")
        seqs = []
        try:
            with transaction(self.conn):
                for event in events:
                    values = {**event, "data": json.dumps(
                        event.get("data") or {}, sort_keys=True, ensure_ascii=False)}
                    cursor = self.conn.execute(
                        f"INSERT OR IGNORE INTO events ({', '.join(names)}) "
                        f"VALUES ({', '.join('?' * len(names))})",
                        tuple(values.get(name, "") for name in names))
                    if cursor.rowcount:
                        seqs.append(cursor.lastrowid)
                if segment is not None:
                    self._store_segment({**segment, "first_seq": min(seqs, default=0),
                                         "last_seq": max(seqs, default=0)})
        except sqlite3.Error as exc:
            raise JournalError(saving_message(self.path, exc)) from None
        inserted = len(seqs)
        return inserted

    def store_segment(self, segment: dict) -> None:
        """Keep a segment this laptop wrote (binder/sync), once, before its file is written."""
        try:
            with transaction(self.conn):
                self._store_segment(segment)
        except sqlite3.Error as exc:
            raise JournalError(saving_message(self.path, exc)) from None

    def _store_segment(self, segment: dict) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO segments (incident_id, device, number, hash, bytes, stored_at, "
            "first_seq, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (segment["incident_id"], segment["device"], segment["number"], segment["hash"],
             sqlite3.Binary(segment["bytes"]), utc_now(), segment.get("first_seq", 0),
             segment.get("last_seq", 0)))

    def arrived_ahead(self, incident_id: str) -> dict[str, int]:
        """Other laptops' entries whose clock was more than hlc.FLAG_MS ahead of this laptop's
        when they arrived here (by the segment that brought them): event id -> ms ahead. Kept
        for good, unlike a comparison with the clock now, which time would make vanish."""
        rows = self.conn.execute(
            "SELECT e.id, CAST(substr(e.hlc, 1, 13) AS INTEGER) - CAST(1000 * (julianday("
            "s.stored_at) - 2440587.5) * 86400 AS INTEGER) FROM segments AS s JOIN events AS e "
            "ON e.seq BETWEEN s.first_seq AND s.last_seq WHERE s.incident_id = ? "
            "AND s.last_seq > 0 AND e.device = s.device", (incident_id,))
        return {event_id: ahead for event_id, ahead in rows if ahead and ahead > hlc.FLAG_MS}

    def chain_events(self, incident_id: str, device: str) -> list[Event]:
        """One laptop's chain of an incident in the order it was written (this laptop's chain
        includes the entries made before schema 6, whose device is '')."""
        devices = ("", device) if device == self.device_id else (device,)
        sql = (f"SELECT seq, {', '.join(EVENT_FIELDS)}, prev_hash, hash FROM events "
               f"WHERE incident_id = ? AND device IN ({', '.join('?' * len(devices))}) "
               "ORDER BY seq")
        return [_event(row) for row in self.conn.execute(sql, (incident_id, *devices))]

    def _anchor(self, mark: Mark) -> None:
        """After COMMIT: the event is saved whatever happens here; verify reports a gap."""
        if not self._anchoring:
            return
        try:
            if self.anchor.path.exists():
                self.anchor.record(mark)
            else:  # removed while Binder ran: a new one, which says when it started
                self.anchor.start(self.journal_id, mark.at, *self._heads())
        except OSError as exc:
            self.anchor_problem = f"{self.anchor.path} cannot be written: {exc.strerror}"

    def _refuse_step_conflict(self, kind: str, values: dict) -> list[str]:
        """A tick, N/A or done-earlier needs an open step; an untick needs one that is not. The
        step's state is its newest current entry, whichever laptop wrote it. Returns the ids of
        its current entries, which the new one is written over."""
        step = (values["incident_id"], values["step_id"], values["doc_id"])
        heads = local_head(self.conn, self.device_id, *step)
        if heads is None:  # another laptop has changed this step: its whole history decides
            heads = self.step_history(step[0], step[2], step[1]).heads()
        last = heads[-1] if heads else None
        is_open = last is None or last.kind == "untick"
        if is_open == (kind == "untick"):
            raise StepConflict(step_conflict_text(kind, last and last.payload))
        return sorted(entry.id for entry in heads)

    def step_history(self, incident_id: str, doc_id: str, step_id: str) -> StepHistory:
        """Every tick, untick, N/A and done-earlier on one step, from every laptop."""
        return read_history(self.conn, incident_id, doc_id, step_id)

    def _refuse_closed(self, incident_id: str) -> None:
        kinds = {row[0] for row in self.conn.execute(
            "SELECT kind FROM events WHERE incident_id = ? AND kind IN ('start', 'close')",
            (incident_id,))}
        if "start" not in kinds:
            raise JournalError(f"There is no incident {incident_id} in this journal.")
        if "close" in kinds:
            raise JournalError("This incident is closed: it can be read and exported, not changed.")

    def start_incident(self, name: str, *, incident_type: str = "", location: str = "",
                       period_from: str = "", period_to: str = "", content_revision: str = "",
                       exercise: bool = False, packs: dict[str, str] | None = None) -> Event:
        """packs: each agency pack's name and revision, when the caller knows them."""
        refuse_text({"The incident's name": name, "The incident type": incident_type,
                     "The location": location})
        incident_id = str(uuid.uuid4())
        data = {"name": name, "type": incident_type, "location": location,
                "period_from": period_from, "period_to": period_to,
                "content_revision": content_revision, "exercise": exercise,
                "utc_offset": dt.datetime.now().astimezone().isoformat()[-6:]}
        return self.append("start", incident_id, data=data if packs is None else {
            **data, "packs": dict(packs)})

    def close_incident(self, incident_id: str) -> Event:
        return self.append("close", incident_id)

    def step_event(self, kind: str, incident_id: str, doc_id: str, step_id: str, step_text: str,
                   occurred_at: str = "") -> Event:
        """Tick, untick (also the undo of N/A), mark N/A, or mark done before it was logged."""
        if kind not in STEP_KINDS:
            raise ValueError(f"{kind!r} is not a step event")
        return self.append(kind, incident_id, doc_id=doc_id, step_id=step_id,
                           step_text=step_text, occurred_at=occurred_at)

    def tick_step(self, incident_id: str, doc_id: str, step_id: str, step_text: str,
                  occurred_at: str = "") -> Event:
        return self.step_event("tick", incident_id, doc_id, step_id, step_text, occurred_at)

    def untick_step(self, incident_id: str, doc_id: str, step_id: str, step_text: str) -> Event:
        return self.step_event("untick", incident_id, doc_id, step_id, step_text)

    def add_note(self, incident_id: str, text: str, *, doc_id: str = "", step_id: str = "",
                 step_text: str = "", occurred_at: str = "") -> Event:
        refuse_text({"The note": text}, lines=True)
        return self.append("note", incident_id, doc_id=doc_id, step_id=step_id,
                           step_text=step_text, occurred_at=occurred_at, data={"text": text})

    # Reading

    def events(self, incident_id: str | None = None, after: int = 0, *,
               doc_id: str | None = None, kinds: tuple[str, ...] = ()) -> list[Event]:
        """Events in the order they were written: all of them, or one incident's (one page's,
        some kinds'), only those after seq `after` when given. An entry that cannot be read is
        left out and kept in `unreadable`."""
        sql = f"SELECT seq, {', '.join(EVENT_FIELDS)}, prev_hash, hash FROM events WHERE seq > ?"
        args: tuple = (after,)
        if incident_id is not None:
            sql += " AND incident_id = ?"
            args += (incident_id,)
        if doc_id is not None:
            sql += " AND doc_id = ?"
            args += (doc_id,)
        if kinds:
            sql += f" AND kind IN ({', '.join('?' * len(kinds))})"
            args += tuple(kinds)
            if incident_id is None:  # a few lookups in (incident_id, kind), not a whole scan
                sql = (f"{EACH_INCIDENT} {sql} AND incident_id IN (SELECT incident_id FROM each)")
        rows = self.conn.execute(sql + " ORDER BY seq", args).fetchall()
        events = []
        for row in rows:
            try:
                events.append(_event(row))
            except UnreadableRow as exc:
                self.unreadable[row[0]] = exc.entry
        whole = incident_id is None and doc_id is None and not kinds and not after
        self._read_all = self._read_all or whole
        return events

    def unplaced(self) -> list[int]:
        """Entries whose incident cannot be told (its id or its start is damaged)."""
        return [row[0] for row in self.conn.execute(
            "SELECT seq FROM events WHERE incident_id != '' AND device IN ('', ?) AND incident_id "
            "NOT IN (SELECT incident_id FROM events WHERE kind = 'start') ORDER BY seq",
            (self.device_id,))]

    def newest_seq(self, incident_id: str | None = None) -> int:
        """The seq of the newest event (of one incident), 0 if none: an index lookup."""
        if incident_id is None:
            row = self.conn.execute("SELECT max(seq) FROM events").fetchone()
        else:
            row = self.conn.execute("SELECT max(seq) FROM events WHERE incident_id = ?",
                                    (incident_id,)).fetchone()
        return row[0] or 0

    def data_version(self) -> int:
        """Changes whenever another connection (process, CLI) has committed to this journal."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def touched_docs(self, incident_id: str) -> list[str]:
        """The pages an incident has step events on, in the order first touched (one query,
        without reading the events)."""
        return [row[0] for row in self.conn.execute(
            "SELECT doc_id FROM events WHERE incident_id = ? AND step_id != '' AND doc_id != '' "
            "GROUP BY doc_id ORDER BY MIN(seq)", (incident_id,))]

    def incident_ids(self) -> list[str]:
        return [row[0] for row in self.conn.execute(
            "SELECT incident_id FROM events WHERE kind = 'start' ORDER BY seq")]


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    count: int
    head: str  # hash of the newest event: what every export prints
    problem: str = ""  # where the chain breaks, for a person
    proves: str = ""  # what this check proves, in words
    cannot_prove: str = ""  # and what it cannot
    notes: tuple[str, ...] = ()  # explained, not alarming: e.g. entries not yet anchored
    laptops: dict = field(default_factory=dict)  # each laptop's head (this one's included)
    combined: str = ""  # one digest over every laptop's head, when more than one wrote


def verify_chain(journal: Journal, incident_id: str) -> ChainReport:
    """One incident's chain (and that of operator changes) against itself and journal.anchor."""
    from binder.journal.verify import verify_incident

    return verify_incident(journal, incident_id)
