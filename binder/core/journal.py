"""journal.db: the append-only record of what people did; the state on screen is derived from it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA_VERSION = 4
INCIDENT_KINDS = ("start", "close")
STEP_KINDS = ("tick", "untick", "na", "done_before")
EVENT_KINDS = (*INCIDENT_KINDS, *STEP_KINDS, "note", "operator")
EVENT_FIELDS = (
    "id", "kind", "incident_id", "doc_id", "step_id", "step_text", "operator", "position",
    "entered_at", "occurred_at", "data",
)

MIGRATIONS = {
    1: """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            incident_id TEXT,
            doc_id TEXT,
            step_id TEXT,
            step_text TEXT,
            operator TEXT,
            position TEXT,
            entered_at TEXT NOT NULL,
            occurred_at TEXT,
            data TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX events_by_doc ON events (doc_id, seq);
        CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
        CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    2: """
        ALTER TABLE events ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
        ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
        CREATE INDEX events_by_incident ON events (incident_id, seq);
    """,
    # Whether an incident is started or closed is asked on every append: keep it one lookup.
    3: """
        CREATE INDEX events_by_incident_kind ON events (incident_id, kind);
    """,
    # The agency's phone list (core/contacts.py), kept here so it survives content updates. It is
    # not part of the record: rows are updated in place, and a delete only sets `deleted` so that
    # undo restores the row exactly.
    4: """
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            role TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            agency TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            alt_phone TEXT NOT NULL DEFAULT '',
            radio TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            verified TEXT NOT NULL DEFAULT '',
            sort_order INTEGER NOT NULL DEFAULT 0,
            deleted INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL DEFAULT ''
        );
    """,
}


# Every incident id, one index seek each (a loose index scan of events_by_incident).
EACH_INCIDENT = """
    WITH RECURSIVE each(incident_id) AS (
        SELECT min(incident_id) FROM events
        UNION ALL
        SELECT (SELECT min(incident_id) FROM events WHERE incident_id > each.incident_id)
        FROM each WHERE each.incident_id IS NOT NULL)
"""


class JournalError(Exception):
    """journal.db cannot be opened or written: a message for a person."""


@dataclass(frozen=True)
class Event:
    seq: int
    id: str
    kind: str
    incident_id: str
    doc_id: str
    step_id: str
    step_text: str
    operator: str
    position: str
    entered_at: str  # UTC, ISO 8601 with milliseconds
    occurred_at: str  # when it happened, if the person said so ("" otherwise)
    data: dict = field(default_factory=dict)
    prev_hash: str = ""
    hash: str = ""

    @property
    def when(self) -> str:
        """The time that counts for the log: when it happened, else when it was entered."""
        return self.occurred_at or self.entered_at


@dataclass(frozen=True)
class Operator:
    name: str
    position: str
    agency: str = ""


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def event_hash(prev_hash: str, values: dict) -> str:
    """SHA-256 of an event's content, chained to the hash of the event before it."""
    content = json.dumps([values[name] for name in EVENT_FIELDS], sort_keys=True,
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction on an autocommit connection: committed whole or rolled back."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


class Journal:
    """One journal.db, opened for appending events: one transaction per event, on disk at once.

    A journal that cannot be read is moved aside unchanged and a new one is started;
    `recovered` then says where the old one went. A journal from a newer Binder is refused.
    """

    def __init__(self, path: Path, timeout: float = 5.0):
        self.path = Path(path)
        self.timeout = timeout
        self.recovered = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalError(
                f"The activity journal at {self.path} cannot be created: {exc}") from None
        try:
            self._open()
        except sqlite3.OperationalError as exc:  # locked, unreadable, I/O: not damage
            self._close_quietly()
            raise JournalError(
                f"The activity journal at {self.path} cannot be opened: {exc}. "
                "Is Binder already running with it? It has not been changed.") from None
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            aside = self._move_aside()
            self.recovered = (
                f"The activity journal could not be read ({exc}). It was moved aside, unchanged, "
                f"to {aside}, and a new journal was started. Keep that copy."
            )
            try:
                self._open()
            except sqlite3.DatabaseError as again:
                raise JournalError(
                    f"A new journal cannot be started at {self.path}: {again}") from None

    def _open(self) -> None:
        self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=self.timeout)
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:  # checked before anything is written to the file
            self.conn.close()
            raise JournalError(
                f"The activity journal at {self.path} was written by a newer Binder "
                f"(version {version}); this one reads up to {SCHEMA_VERSION}. Use the newer Binder."
            )
        check = self.conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"integrity check: {check}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self._migrate(version)

    def _close_quietly(self) -> None:
        try:
            self.conn.close()
        except (AttributeError, sqlite3.Error):
            pass

    def _move_aside(self) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{self.path.suffix}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                os.replace(source, f"{aside}{suffix}")
        return aside

    def _migrate(self, version: int) -> None:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with transaction(self.conn):
                for statement in _split_sql(MIGRATIONS[target]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {target}")

    def close(self) -> None:
        self.conn.close()

    # Settings of this machine (not part of the record)

    def setting(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    @property
    def operator(self) -> Operator | None:
        raw = self.setting("operator")
        return Operator(**json.loads(raw)) if raw else None

    def set_operator(self, operator: Operator, incident_id: str = "") -> Event:
        """Remember who is at the keyboard on this machine, and record the change."""
        self.set_setting("operator", json.dumps(operator.__dict__))
        return self.append("operator", incident_id, data={"agency": operator.agency})

    # Appending

    def append(self, kind: str, incident_id: str = "", *, doc_id: str = "", step_id: str = "",
               step_text: str = "", occurred_at: str = "", data: dict | None = None) -> Event:
        """Write one event in its own transaction; it is on disk when this returns."""
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
            "data": json.dumps(data or {}, sort_keys=True, ensure_ascii=False),
        }
        try:
            with transaction(self.conn):
                if incident_id and kind != "start":
                    self._refuse_closed(incident_id)
                row = self.conn.execute(
                    "SELECT hash FROM events WHERE incident_id = ? ORDER BY seq DESC LIMIT 1",
                    (values["incident_id"],)).fetchone()
                prev_hash = row[0] if row else ""
                digest = event_hash(prev_hash, values)
                cursor = self.conn.execute(
                    f"INSERT INTO events ({', '.join(EVENT_FIELDS)}, prev_hash, hash) "
                    f"VALUES ({', '.join('?' * len(EVENT_FIELDS))}, ?, ?)",
                    (*(values[name] for name in EVENT_FIELDS), prev_hash, digest))
        except sqlite3.Error as exc:
            raise JournalError(f"This could not be saved to {self.path}: {exc}") from None
        return Event(cursor.lastrowid, **{**values, "data": data or {}},
                     prev_hash=prev_hash, hash=digest)

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
                       exercise: bool = False) -> Event:
        incident_id = str(uuid.uuid4())
        return self.append("start", incident_id, data={
            "name": name, "type": incident_type, "location": location,
            "period_from": period_from, "period_to": period_to,
            "content_revision": content_revision, "exercise": exercise,
        })

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
        return self.append("note", incident_id, doc_id=doc_id, step_id=step_id,
                           step_text=step_text, occurred_at=occurred_at, data={"text": text})

    # Reading

    def events(self, incident_id: str | None = None, after: int = 0, *,
               doc_id: str | None = None, kinds: tuple[str, ...] = ()) -> list[Event]:
        """Events in the order they were written: all of them, or one incident's (one page's,
        some kinds'), only those after seq `after` when given."""
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
        return [_event(row) for row in rows]

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

    def incident_ids(self) -> list[str]:
        return [row[0] for row in self.conn.execute(
            "SELECT incident_id FROM events WHERE kind = 'start' ORDER BY seq")]


def _event(row) -> Event:
    values = dict(zip(("seq", *EVENT_FIELDS, "prev_hash", "hash"), row, strict=True))
    values = {k: ("" if v is None else v) for k, v in values.items()}
    values["data"] = json.loads(values["data"] or "{}")
    return Event(**values)


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    count: int
    head: str  # hash of the newest event: what every export prints
    problem: str = ""  # where the chain breaks, for a person


def verify_chain(journal: Journal, incident_id: str) -> ChainReport:
    """Recompute every event's hash from its stored content, in order, for one incident."""
    rows = journal.conn.execute(
        f"SELECT seq, {', '.join(EVENT_FIELDS)}, prev_hash, hash FROM events "
        "WHERE incident_id = ? ORDER BY seq", (incident_id,)).fetchall()
    prev = ""
    for row in rows:
        values = dict(zip(("seq", *EVENT_FIELDS, "prev_hash", "hash"), row, strict=True))
        values = {k: ("" if v is None else v) for k, v in values.items()}
        if values["prev_hash"] != prev:
            return ChainReport(False, len(rows), prev,
                               f"event {values['seq']} does not follow the event before it")
        if event_hash(prev, values) != values["hash"]:
            return ChainReport(False, len(rows), values["hash"],
                               f"event {values['seq']} ({values['kind']}, entered "
                               f"{values['entered_at']}) was changed after it was written")
        prev = values["hash"]
    return ChainReport(True, len(rows), prev)
