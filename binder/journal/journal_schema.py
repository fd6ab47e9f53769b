"""journal.db's schema: its version, the migrations in order, and one write transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

SCHEMA_VERSION = 6

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
    # The agency's phone list (journal/contacts.py), kept here so it survives content updates. It is
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
    # A step's current state is asked on every step event (a tick on a done step is refused).
    5: """
        CREATE INDEX events_by_step ON events (incident_id, step_id, seq);
    """,
    # One incident across laptops (binder/sync): each event says which laptop wrote it and carries
    # a hybrid logical clock; each laptop's events of an incident form their own chain. `segments`
    # keeps the signed segment files exactly as written here or received (verified), so they can
    # be checked again and copied out byte for byte; a received one also says which entries it
    # brought (first_seq..last_seq here), so that a clock found ahead when they arrived stays
    # flagged (journal/hlc.py).
    6: """
        ALTER TABLE events ADD COLUMN device TEXT NOT NULL DEFAULT '';
        ALTER TABLE events ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
        CREATE INDEX events_by_device ON events (incident_id, device, seq);
        CREATE INDEX events_by_hlc ON events (hlc);
        CREATE TABLE segments (
            incident_id TEXT NOT NULL,
            device TEXT NOT NULL,
            number INTEGER NOT NULL,
            hash TEXT NOT NULL,
            bytes BLOB NOT NULL,
            stored_at TEXT NOT NULL,
            first_seq INTEGER NOT NULL DEFAULT 0,
            last_seq INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (incident_id, device, number)
        );
        CREATE TRIGGER segments_are_never_updated BEFORE UPDATE ON segments
            BEGIN SELECT RAISE(ABORT, 'segments are write-once'); END;
        CREATE TRIGGER segments_are_never_deleted BEFORE DELETE ON segments
            BEGIN SELECT RAISE(ABORT, 'segments are write-once'); END;
    """,
}


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


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring a journal at `version` to SCHEMA_VERSION, each step in its own transaction."""
    for target in range(version + 1, SCHEMA_VERSION + 1):
        with transaction(conn):
            for statement in _split_sql(MIGRATIONS[target]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
