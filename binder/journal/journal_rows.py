"""What an event is, its hash, and how a stored row becomes one (or is found unreadable)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field

INCIDENT_KINDS = ("start", "close")
STEP_KINDS = ("tick", "untick", "na", "done_before")
# "roster": a laptop let into an incident during it (binder/sync), data: device, public_key,
# name, position. "checkin"/"checkout": a person at the command post (journal/checkins.py).
CHECKIN_KINDS = ("checkin", "checkout")
EVENT_KINDS = (*INCIDENT_KINDS, *STEP_KINDS, "note", "operator", "roster", *CHECKIN_KINDS)
EVENT_FIELDS = (
    "id", "kind", "incident_id", "doc_id", "step_id", "step_text", "operator", "position",
    "entered_at", "occurred_at", "data", "device", "hlc",
)
# What the hash covered before schema 6 (an event with no hlc is hashed over these alone).
HASHED_BEFORE_SYNC = EVENT_FIELDS[:-2]


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
    device: str = ""  # the laptop that wrote it ('' = this one, before schema 6)
    hlc: str = ""  # hybrid logical clock (journal/hlc.py); '' before schema 6
    prev_hash: str = ""
    hash: str = ""

    def row(self) -> dict:
        """The event as written (every field but seq, which is this journal's own), data as a
        dict: what another laptop's `Journal.insert_foreign` takes."""
        return {name: getattr(self, name) for name in (*EVENT_FIELDS, "prev_hash", "hash")}

    @property
    def when(self) -> str:
        """The time that counts for the log: when it happened, else when it was entered."""
        return self.occurred_at or self.entered_at


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def event_hash(prev_hash: str, values: dict) -> str:
    """SHA-256 of an event's content, chained to the hash of the event before it. The laptop and
    clock are covered when the event has a clock (every event written since schema 6)."""
    names = EVENT_FIELDS if values.get("hlc") else HASHED_BEFORE_SYNC
    content = json.dumps([values[name] for name in names], sort_keys=True,
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


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


def events_where(conn: sqlite3.Connection, condition: str, args: tuple) -> list[Event]:
    """The events matching an SQL condition, in the order written; one that cannot be read is
    left out (verify and export report it)."""
    events = []
    for row in conn.execute(
            f"SELECT seq, {', '.join(EVENT_FIELDS)}, prev_hash, hash FROM events "
            f"WHERE {condition} ORDER BY seq", args):
        try:
            events.append(_event(row))
        except UnreadableRow:
            continue
    return events


def scan_unreadable(conn: sqlite3.Connection) -> dict[int, Unreadable]:
    """Look once at every entry for a value that cannot be read, without building events
    (about 0.2 s at 100,000 entries): the bytes of each row must be UTF-8, its types and
    kind right, its data a JSON object. Those that fail are read again to say why."""
    text_columns = (*EVENT_FIELDS, "prev_hash", "hash")
    joined = " || ".join(f"ifnull({name}, '')" for name in text_columns)
    suspects = set()
    conn.text_factory = bytes
    try:
        for seq, raw in conn.execute(f"SELECT seq, {joined} FROM events"):
            try:
                raw.decode("utf-8")
            except (UnicodeDecodeError, AttributeError):
                suspects.add(seq)
    finally:
        conn.text_factory = _text
    wrong_type = " OR ".join(f"typeof({name}) NOT IN ('text', 'null')"
                             for name in text_columns)
    kinds = ", ".join(f"'{kind}'" for kind in EVENT_KINDS)
    suspects.update(row[0] for row in conn.execute(
        f"SELECT seq FROM events WHERE {wrong_type} OR kind NOT IN ({kinds}) "
        "OR NOT json_valid(ifnull(data, '{}')) OR json_type(ifnull(data, '{}')) != 'object'"))
    columns = ", ".join(text_columns)
    unreadable = {}
    for seq in sorted(suspects):
        row = conn.execute(f"SELECT seq, {columns} FROM events WHERE seq = ?", (seq,)).fetchone()
        try:
            _event(row)
        except UnreadableRow as exc:
            unreadable[seq] = exc.entry
    return unreadable
