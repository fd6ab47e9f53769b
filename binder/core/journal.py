"""journal.db: the append-only record of what people did; the state on screen is derived from it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from binder.core.anchor import Anchor, Mark, anchor_path
from binder.core.refusals import saving_message, step_conflict_text

SCHEMA_VERSION = 5
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
    # A step's current state is asked on every step event (a tick on a done step is refused).
    5: """
        CREATE INDEX events_by_step ON events (incident_id, step_id, seq);
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


class StepConflict(JournalError):
    """A tick on a step that is already done, or an untick of one that is open."""


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

    def __init__(self, path: Path, timeout: float = 5.0, *, read_only: bool = False):
        self.path = Path(path)
        self.timeout = timeout
        self._recovered = ""
        self.unreadable: dict[int, Unreadable] = {}  # entries that could not be read, by seq
        self._read_all = False
        self.read_only = read_only
        if read_only:
            self._open_read_only()
            self._attach_anchor()
            return
        self._refuse_read_only_folder()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalError(
                f"The activity journal at {self.path} cannot be created: {exc}") from None
        problem = self._damage()
        if problem:
            self._recover(problem)
        try:
            self._open()
        except sqlite3.OperationalError as exc:  # locked, unreadable, I/O: not damage
            self._close_quietly()
            raise JournalError(
                f"The activity journal at {self.path} cannot be opened: {exc}. "
                "Is Binder already running with it? It has not been changed.") from None
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            self._recover(str(exc))
            try:
                self._open()
            except sqlite3.DatabaseError as again:
                raise JournalError(
                    f"A new journal cannot be started at {self.path}: {again}") from None
        self._attach_anchor()

    def _refuse_read_only_folder(self) -> None:
        folder = self.path.parent
        if folder.is_dir() and not os.access(folder, os.W_OK):  # a read-only disk: EROFS, even
            raise JournalError(f"The folder {folder} cannot be written (a read-only disk?): "
                               "the activity journal there can only be opened read-only.")

    def _open_read_only(self) -> None:
        """Reading only (a full or read-only disk): nothing in the folder is created or changed."""
        if not self.path.is_file():
            raise JournalError(f"There is no activity journal at {self.path} to read.")
        try:
            version = self._connect_read_only("mode=ro")
        except sqlite3.Error as exc:
            self._close_quietly()
            # A WAL journal in a folder that cannot be written has no -shm to share: with no
            # -wal beside it, the file is the whole journal, and immutable reads it as it is.
            if Path(f"{self.path}-wal").exists():
                raise JournalError(
                    f"The activity journal at {self.path} cannot be read here ({exc}): part of "
                    f"it is still in {self.path.name}-wal. Copy the whole folder to a disk that "
                    "can be written and open it there. Nothing has been changed.") from None
            try:
                version = self._connect_read_only("mode=ro&immutable=1")
            except sqlite3.Error as again:
                self._close_quietly()
                raise JournalError(f"The activity journal at {self.path} cannot be read: "
                                   f"{again}. It has not been changed.") from None
        if not 2 <= version <= SCHEMA_VERSION:
            self.conn.close()
            raise JournalError(f"The activity journal at {self.path} is version {version}; "
                               f"this Binder reads 2 to {SCHEMA_VERSION} without changing it.")

    def _connect_read_only(self, mode: str) -> int:
        self.conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?{mode}", uri=True,
                                    isolation_level=None, timeout=self.timeout)
        self.conn.text_factory = _text
        self.conn.execute("SELECT count(*) FROM events").fetchone()
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _attach_anchor(self) -> None:
        """The anchor file beside the journal, started (with every chain's head) if it has none."""
        self.anchor = Anchor(anchor_path(self.path))
        self.anchor_problem = ""
        self.journal_id = self.setting("journal_id")
        self._anchoring = False
        if self.read_only:
            return
        try:
            if not self.journal_id:
                self.journal_id = str(uuid.uuid4())
                self.set_setting("journal_id", self.journal_id)
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
            "SELECT incident_id, MAX(seq), hash FROM events GROUP BY incident_id").fetchall()
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
        text_columns = (*EVENT_FIELDS, "prev_hash", "hash")
        joined = " || ".join(f"ifnull({name}, '')" for name in text_columns)
        suspects = set()
        self.conn.text_factory = bytes
        try:
            for seq, raw in self.conn.execute(f"SELECT seq, {joined} FROM events"):
                try:
                    raw.decode("utf-8")
                except (UnicodeDecodeError, AttributeError):
                    suspects.add(seq)
        finally:
            self.conn.text_factory = _text
        wrong_type = " OR ".join(f"typeof({name}) NOT IN ('text', 'null')"
                                 for name in text_columns)
        kinds = ", ".join(f"'{kind}'" for kind in EVENT_KINDS)
        suspects.update(row[0] for row in self.conn.execute(
            f"SELECT seq FROM events WHERE {wrong_type} OR kind NOT IN ({kinds}) "
            "OR NOT json_valid(ifnull(data, '{}')) OR json_type(ifnull(data, '{}')) != 'object'"))
        columns = ", ".join(text_columns)
        for seq in sorted(suspects):
            row = self.conn.execute(f"SELECT seq, {columns} FROM events WHERE seq = ?",
                                    (seq,)).fetchone()
            try:
                _event(row)
            except UnreadableRow as exc:
                self.unreadable[seq] = exc.entry
        self._read_all = True
        return self.unreadable

    def _damage(self) -> str:
        """What is wrong with journal.db and its -wal as files, read before SQLite opens them;
        asked twice, so that a WAL another Binder is writing to is not taken for damage."""
        from binder.core.wal import pair_problem

        try:
            problem = pair_problem(self.path)
            if problem:
                time.sleep(0.05)
                problem = pair_problem(self.path) and problem
        except OSError as exc:
            raise JournalError(
                f"The activity journal at {self.path} cannot be read: {exc}. "
                "It has not been changed.") from None
        return problem

    def _recover(self, reason: str) -> None:
        """Copy the damaged journal aside, then start a new one with every event that can be
        read from the copy."""
        from binder.core.recovery import recover_journal

        try:
            self._recovered = recover_journal(self.path, reason, self.timeout)
        except OSError as exc:
            raise JournalError(
                f"The activity journal at {self.path} is damaged ({reason}), and it could not "
                f"be copied aside to recover it: {exc}. Free some disk space and start again; "
                "it has not been changed.") from None

    def _open(self) -> None:
        self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=self.timeout)
        self.conn.text_factory = _text
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
        return Operator(**json.loads(raw)) if raw else None

    def set_operator(self, operator: Operator, incident_id: str = "") -> Event:
        """Remember who is at the keyboard on this machine, and record the change: both, or
        (as far as the disk allows) neither."""
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
                if kind in STEP_KINDS:
                    self._refuse_step_conflict(kind, values)
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
            raise JournalError(saving_message(self.path, exc)) from None
        self._anchor(Mark(cursor.lastrowid, values["incident_id"], digest, utc_now()))
        return Event(cursor.lastrowid, **{**values, "data": data or {}},
                     prev_hash=prev_hash, hash=digest)

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

    def _refuse_step_conflict(self, kind: str, values: dict) -> None:
        """A tick, N/A or done-earlier needs an open step; an untick needs one that is not."""
        last = self.conn.execute(
            "SELECT kind, operator, position, entered_at, occurred_at FROM events "
            "WHERE incident_id = ? AND step_id = ? AND doc_id = ? "
            "AND kind IN ('tick', 'untick', 'na', 'done_before') ORDER BY seq DESC LIMIT 1",
            (values["incident_id"], values["step_id"], values["doc_id"])).fetchone()
        is_open = last is None or last[0] == "untick"
        if is_open == (kind == "untick"):
            raise StepConflict(step_conflict_text(kind, last))

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
            "SELECT seq FROM events WHERE incident_id != '' AND incident_id NOT IN "
            "(SELECT incident_id FROM events WHERE kind = 'start') ORDER BY seq")]

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


class DamagedText(str):
    """Stored text whose bytes are not UTF-8, read with replacement characters so that it is
    never mistaken for what was written."""


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return DamagedText(raw.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Unreadable:
    seq: int
    incident_id: str | None  # None when the incident itself cannot be read
    reason: str


class UnreadableRow(Exception):
    def __init__(self, entry: Unreadable):
        super().__init__(entry.reason)
        self.entry = entry


def row_problem(values: dict) -> str:
    """Why a stored event row cannot be read as an event ("" if it can)."""
    for name in ("seq", *EVENT_FIELDS, "prev_hash", "hash"):
        value = values[name]
        if isinstance(value, DamagedText):
            return f"its {name} is damaged"
        if not isinstance(value, int if name == "seq" else (str, type(None))):
            return f"its {name} is stored as the wrong type"
    if values["kind"] not in EVENT_KINDS:
        return "its kind is damaged"
    try:
        if not isinstance(json.loads(values["data"] or "{}"), dict):
            return "its data is damaged"
    except ValueError:
        return "its data is damaged"
    return ""


def _event(row) -> Event:
    values = dict(zip(("seq", *EVENT_FIELDS, "prev_hash", "hash"), row, strict=True))
    problem = row_problem(values)
    if problem:
        incident = values["incident_id"]
        readable = isinstance(incident, str) and not isinstance(incident, DamagedText)
        raise UnreadableRow(Unreadable(values["seq"], incident if readable else None, problem))
    values = {k: ("" if v is None else v) for k, v in values.items()}
    values["data"] = json.loads(values["data"] or "{}")
    return Event(**values)


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    count: int
    head: str  # hash of the newest event: what every export prints
    problem: str = ""  # where the chain breaks, for a person
    proves: str = ""  # what this check proves, in words
    cannot_prove: str = ""  # and what it cannot
    notes: tuple[str, ...] = ()  # explained, not alarming: e.g. entries not yet anchored


def verify_chain(journal: Journal, incident_id: str) -> ChainReport:
    """One incident's chain (and that of operator changes) against itself and journal.anchor."""
    from binder.core.verify import verify_incident

    return verify_incident(journal, incident_id)
