"""The command board of one incident, read from the journal: every checklist's progress across
laptops, who is logging where, each laptop's last contact, the steps changed at once on two
laptops, and the entries whose clock is far ahead or that came after the incident closed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from binder.journal import hlc
from binder.journal.incidents import DONE_KINDS
from binder.journal.journal import Journal

STEP_KINDS_SQL = "('tick', 'untick', 'na', 'done_before')"
ENTRY_COLUMNS = ("id", "kind", "doc_id", "step_id", "step_text", "operator", "position",
                 "entered_at", "device", "hlc", "data")


@dataclass(frozen=True)
class Entry:
    """One journal entry as the board shows it."""

    id: str
    kind: str
    doc_id: str
    step_id: str
    step_text: str
    operator: str
    position: str
    entered_at: str
    device: str
    hlc: str
    text: str = ""  # a note's words
    ahead_ms: int = 0  # how far its clock is ahead of this laptop's (for "clock ahead")

    @property
    def status(self) -> str:
        return DONE_KINDS.get(self.kind, "open" if self.kind == "untick" else self.kind)


@dataclass(frozen=True)
class Checklist:
    doc_id: str
    title: str
    done: int
    not_applicable: int
    open: int
    laptops: tuple[str, ...]  # the laptops (device ids) that changed its steps

    @property
    def total(self) -> int:
        return self.done + self.not_applicable + self.open


@dataclass(frozen=True)
class Laptop:
    device: str
    name: str  # the person and position of its newest entry
    position: str
    last_entry: str  # its newest entry's entered time (UTC): its last contact in the journal
    entries: int
    last_segment: str = ""  # when its last segment was received (binder/sync), "" if not known
    this_one: bool = False

    @property
    def label(self) -> str:
        who = f"{self.name} ({self.position})" if self.position else self.name
        return who or "someone"


@dataclass(frozen=True)
class AtOnce:
    """Two entries on one step made on two laptops, neither after seeing the other."""

    doc_id: str
    step_id: str
    step_text: str
    first: Entry
    second: Entry
    unresolved: bool  # both are still current: nobody has written over them


@dataclass
class Board:
    incident_id: str
    device: str  # this laptop
    checklists: list[Checklist] = field(default_factory=list)
    laptops: list[Laptop] = field(default_factory=list)
    at_once: list[AtOnce] = field(default_factory=list)
    clock_ahead: list[Entry] = field(default_factory=list)
    after_close: list[Entry] = field(default_factory=list)

    def laptop(self, device: str) -> Laptop | None:
        device = device or self.device  # '' is this laptop, before schema 6
        return next((laptop for laptop in self.laptops if laptop.device == device), None)


def command_board(journal: Journal, incident_id: str,
                  checklists: dict[str, tuple[str, list[str]]],
                  last_segments: dict[str, str] | None = None,
                  now_ms: int | None = None) -> Board:
    """The board of `incident_id`, read once (BoardReader keeps it up to date)."""
    return BoardReader(journal, incident_id).read(checklists, last_segments, now_ms)


class BoardReader:
    """One incident's board, brought up to date by reading only the step entries written since
    the last read: the steps and their entries are the board's costly part (about 80,000 entries
    in an incident of 100,000); laptops, clocks and the close are a few index lookups each."""

    def __init__(self, journal: Journal, incident_id: str):
        self.journal, self.incident_id = journal, incident_id
        self.seq = 0  # the newest step entry folded in
        self.counted: dict[str, tuple[int, int]] = {}  # device -> (entries, newest seq)
        self.counted_to = 0  # the newest entry counted
        self.steps: dict[tuple[str, str], StepRow] = {}
        self.forked: dict[tuple[str, str], tuple[int, str, list[AtOnce]]] = {}

    def read(self, checklists: dict[str, tuple[str, list[str]]],
             last_segments: dict[str, str] | None = None, now_ms: int | None = None) -> Board:
        """The board now. `checklists` gives each page's title and step ids (from the content);
        `last_segments` when each laptop's last segment came (from binder/sync)."""
        journal, incident_id = self.journal, self.incident_id
        board = Board(incident_id, journal.device_id)
        received = {**segments_received(journal, incident_id), **(last_segments or {})}
        board.laptops = laptops_of(journal, incident_id, received, self.counted,
                                   self.counted_to)
        self.counted_to = max((seq for _count, seq in self.counted.values()), default=0)
        self.fold_new()
        statuses, board.at_once = self.statuses()
        board.checklists = checklists_of(list(self.steps.values()), statuses, checklists)
        board.clock_ahead = clock_ahead_of(journal, incident_id)
        board.after_close = after_close_of(journal, incident_id)
        return board

    def fold_new(self) -> None:
        """Every step entry written since the last read, in the order stored."""
        rows = self.journal.conn.execute(
            "SELECT seq, id, doc_id, step_id, step_text, kind, device, "
            "json_extract(data, '$.follows') FROM events WHERE incident_id = ? AND seq > ? "
            f"AND step_id != '' AND kind IN {STEP_KINDS_SQL} ORDER BY seq",
            (self.incident_id, self.seq))
        this_one = self.journal.device_id
        for seq, event_id, doc_id, step_id, text, kind, device, follows in rows:
            self.seq = seq
            key = (doc_id, step_id)
            step = self.steps.get(key)
            before = f'["{step.last_id}"]' if step else "[]"
            # linked: it was written over the entry stored before it (one from before schema 6
            # has no `follows` and was)
            linked = device == "" if follows is None else follows == before
            self.steps[key] = StepRow(
                doc_id, step_id, text, kind,
                (step.devices if step else frozenset()) | {device_key(device, this_one)},
                linked and (step.linear if step else True), seq, event_id)

    def statuses(self) -> tuple[dict[str, dict[str, str]], list[AtOnce]]:
        """Each step's status ('done', 'N/A' or 'open') by page, and every pair of entries two
        laptops made on one step at once (oldest first). A step whose entries each follow the
        one before is its newest entry; any other is read whole (journal/step_history.py), once
        per new entry on it."""
        statuses: dict[str, dict[str, str]] = {}
        pairs = []
        for key, step in self.steps.items():
            kind = step.kind
            if not step.linear:
                kept = self.forked.get(key)
                if kept is None or kept[0] != step.newest:
                    kept = self.forked[key] = (step.newest, *self.history(step))
                kind = kept[1]
                pairs += kept[2]
            status = DONE_KINDS.get(kind, "open")
            statuses.setdefault(step.doc_id, {})[step.step_id] = (
                "done" if status == "done before" else status)
        return statuses, sorted(pairs, key=lambda pair: pair.first.hlc)

    def history(self, step: StepRow) -> tuple[str, list[AtOnce]]:
        history = self.journal.step_history(self.incident_id, step.doc_id, step.step_id)
        current = history.current()
        heads = {entry.id for entry in history.heads()}
        return (current.kind if current else "untick",
                [AtOnce(step.doc_id, step.step_id, step.step_text, history_entry(first, step),
                        history_entry(second, step), first.id in heads and second.id in heads)
                 for first, second in history.forks()])


def device_key(device: str, this_one: str) -> str:
    return device or this_one  # entries from before schema 6 were written on this laptop


def laptops_of(journal: Journal, incident_id: str, last_segments: dict[str, str],
               counted: dict[str, tuple[int, int]] | None = None, after: int = 0
               ) -> list[Laptop]:
    """Each laptop with entries in the incident: its newest entry's person, position and time,
    how many entries; this laptop first, then the others by their newest entry. `counted`
    (device -> entries, newest seq) holds what was counted up to seq `after`, and is brought up
    to date here."""
    counted = {} if counted is None else counted
    # All of the incident at first (one covering index), then only the rows after `after`.
    where = "+incident_id = ? AND seq > ?" if after else "incident_id = ? AND seq > ?"
    for device, count, seq in journal.conn.execute(
            f"SELECT device, count(*), max(seq) FROM events WHERE {where} GROUP BY device",
            (incident_id, after)):
        key = device_key(device, journal.device_id)
        before = counted.get(key, (0, 0))
        counted[key] = (before[0] + count, max(before[1], seq))
    found = []
    for device, (count, seq) in counted.items():
        name, position, entered = journal.conn.execute(
            "SELECT operator, position, entered_at FROM events WHERE seq = ?", (seq,)).fetchone()
        found.append(Laptop(device, name, position, entered, count,
                            last_segments.get(device, ""), device == journal.device_id))
    found.sort(key=lambda laptop: laptop.last_entry, reverse=True)
    return sorted(found, key=lambda laptop: not laptop.this_one)


@dataclass(frozen=True)
class StepRow:
    """A step with entries in the incident, as read so far."""

    doc_id: str
    step_id: str
    step_text: str
    kind: str  # the kind of its newest entry here
    devices: frozenset[str]
    linear: bool  # each entry written over the one stored before it: none made at once
    newest: int  # the seq of its newest entry
    last_id: str


def checklists_of(steps: list[StepRow], statuses: dict[str, dict[str, str]],
                  pages: dict[str, tuple[str, list[str]]]) -> list[Checklist]:
    """Every checklist with a step changed in the incident, in the order first touched, with
    its done, N/A and open steps (out of the page's steps; a step the page no longer has is
    left out, one never touched is open)."""
    laptops: dict[str, set[str]] = {}
    for step in steps:
        laptops.setdefault(step.doc_id, set()).update(step.devices)
    found = []
    for doc_id, states in statuses.items():
        title, step_ids = pages.get(doc_id, (doc_id, list(states)))
        counted = [states.get(step_id, "open") for step_id in step_ids]
        done, na = counted.count("done"), counted.count("N/A")
        found.append(Checklist(doc_id, title, done, na, len(counted) - done - na,
                               tuple(sorted(laptops[doc_id]))))
    return found


def history_entry(entry, step: StepRow) -> Entry:
    kind, operator, position, entered, _occurred = entry.payload
    return Entry(entry.id, kind, step.doc_id, step.step_id, step.step_text, operator, position,
                 entered, entry.device, entry.order[0])


def read_entries(journal: Journal, where: str, args: tuple) -> list[Entry]:
    """Entries matching `where`, in clock order. (`+incident_id` in it keeps SQLite on the hlc
    index: entries past a clock are few, an incident's are many.)"""
    rows = journal.conn.execute(
        f"SELECT {', '.join(ENTRY_COLUMNS)} FROM events WHERE {where} ORDER BY hlc, seq", args)
    found = []
    for *values, data in rows:
        try:
            text = json.loads(data).get("text", "")
        except (ValueError, AttributeError):
            text = ""
        found.append(Entry(*values, text=text if isinstance(text, str) else ""))
    return found


def segments_received(journal: Journal, incident_id: str) -> dict[str, str]:
    """When the newest segment of each other laptop came here (its last contact): one look at
    the segments' primary key."""
    return dict(journal.conn.execute(
        "SELECT device, max(stored_at) FROM segments WHERE incident_id = ? AND device != ? "
        "GROUP BY device", (incident_id, journal.device_id)))


def clock_ahead_of(journal: Journal, incident_id: str) -> list[Entry]:
    """Other laptops' entries whose clock was more than hlc.FLAG_MS ahead of this laptop's when
    they arrived (`Journal.arrived_ahead`): flagged for good, not only while in the future."""
    ahead = journal.arrived_ahead(incident_id)
    if not ahead:
        return []
    marks = ", ".join("?" * len(ahead))
    return [Entry(**{**entry.__dict__, "ahead_ms": ahead[entry.id]})
            for entry in read_entries(journal, f"id IN ({marks}) AND +incident_id = ?",
                                      (*ahead, incident_id))]


def close_clock(journal: Journal, incident_id: str) -> str:
    """The hlc of the incident's first close ('' if it is open); a close written before schema 6
    has no hlc, and its entered time stands in."""
    row = journal.conn.execute(
        "SELECT hlc, entered_at FROM events WHERE incident_id = ? AND kind = 'close' "
        "ORDER BY hlc, seq LIMIT 1", (incident_id,)).fetchone()
    if row is None:
        return ""
    if row[0]:
        return row[0]
    return hlc.make(int(datetime.fromisoformat(row[1]).timestamp() * 1000), hlc.COUNTER_MAX)


def after_close_of(journal: Journal, incident_id: str) -> list[Entry]:
    """Entries written after the incident closed, by a laptop that had not yet seen the close:
    kept, and flagged."""
    closed = close_clock(journal, incident_id)
    if not closed:
        return []
    return read_entries(journal, "hlc > ? AND +incident_id = ? AND kind != 'close'",
                        (closed, incident_id))
