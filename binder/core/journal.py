"""journal.db: the append-only record of what people did; the state on screen is derived from it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1
EVENT_KINDS = ("tick", "untick")

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
}


class JournalError(Exception):
    """journal.db cannot be opened or written: a message for a person."""


@dataclass(frozen=True)
class Event:
    id: str
    kind: str
    doc_id: str
    step_id: str
    step_text: str
    entered_at: str


@dataclass(frozen=True)
class StepState:
    done: bool
    entered_at: str  # when the last tick or untick was entered (UTC, ISO 8601 with ms)


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class Journal:
    """One journal.db, opened for appending events: one transaction per event, on disk at once."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, isolation_level=None)
            self._refuse_newer()  # before anything is written to the file
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise JournalError(
                f"The activity journal at {self.path} cannot be opened ({exc}). "
                "It has not been changed; keep a copy of it before doing anything else."
            ) from None
        except OSError as exc:
            raise JournalError(
                f"The activity journal at {self.path} cannot be created: {exc}"
            ) from None

    def _refuse_newer(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            self.conn.close()
            raise JournalError(
                f"The activity journal at {self.path} was written by a newer Binder "
                f"(version {version}); this one reads up to {SCHEMA_VERSION}. Use the newer Binder."
            )

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for target in range(version + 1, SCHEMA_VERSION + 1):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(MIGRATIONS[target]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {target}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self.conn.close()

    def append(self, kind: str, *, doc_id: str = "", step_id: str = "", step_text: str = "",
               data: dict | None = None) -> Event:
        """Write one event in its own transaction; it is on disk when this returns."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        event = Event(str(uuid.uuid4()), kind, doc_id, step_id, step_text, utc_now())
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(
                "INSERT INTO events (id, kind, doc_id, step_id, step_text, entered_at, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (event.id, kind, doc_id, step_id, step_text, event.entered_at,
                 json.dumps(data or {})),
            )
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise JournalError(f"The step could not be saved to {self.path}: {exc}") from None
        return event

    def tick_step(self, doc_id: str, step_id: str, step_text: str) -> Event:
        return self.append("tick", doc_id=doc_id, step_id=step_id, step_text=step_text)

    def untick_step(self, doc_id: str, step_id: str, step_text: str) -> Event:
        return self.append("untick", doc_id=doc_id, step_id=step_id, step_text=step_text)

    def step_states(self, doc_id: str) -> dict[str, StepState]:
        """The state of each step of a document that has events, derived from them in order."""
        states: dict[str, StepState] = {}
        for step_id, kind, entered_at in self.conn.execute(
            "SELECT step_id, kind, entered_at FROM events WHERE doc_id = ? ORDER BY seq",
            (doc_id,),
        ):
            states[step_id] = StepState(kind == "tick", entered_at)
        return states

    def events(self) -> list[Event]:
        return [
            Event(*row)
            for row in self.conn.execute(
                "SELECT id, kind, doc_id, step_id, step_text, entered_at FROM events ORDER BY seq"
            )
        ]


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements
