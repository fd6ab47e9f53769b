"""What the journal's events add up to: incidents, the state of each step, what is left."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from binder.journal.journal import Event
from binder.journal.step_history import StepHistory

DONE_KINDS = {"tick": "done", "done_before": "done before", "na": "N/A"}


@dataclass(frozen=True)
class Incident:
    id: str
    name: str
    type: str
    location: str
    period_from: str
    period_to: str
    content_revision: str
    exercise: bool
    started_at: str
    started_by: str
    closed_at: str = ""
    packs: tuple[tuple[str, str], ...] | None = None  # (name, revision); None: not recorded
    utc_offset: str = ""  # '+HH:MM' where it started ('' before it was recorded)

    @property
    def is_open(self) -> bool:
        return not self.closed_at


@dataclass(frozen=True)
class StepState:
    status: str  # "open", "done", "done before" or "N/A"
    operator: str = ""
    position: str = ""
    entered_at: str = ""
    occurred_at: str = ""
    notes: tuple[str, ...] = ()
    # Other current entries when laptops changed the step at once (journal/step_history.py):
    # (status, operator, position, entered_at, device) each; the state shown is the newest.
    at_once: tuple[tuple[str, str, str, str, str], ...] = ()
    device: str = ""

    @property
    def done(self) -> bool:
        return self.status != "open"


@dataclass
class Progress:
    done: int = 0
    not_applicable: int = 0
    total: int = 0
    last_entry: str = ""
    open_steps: list[str] = field(default_factory=list)

    @property
    def open(self) -> int:
        return self.total - self.done - self.not_applicable


def incidents_from(events: list[Event]) -> list[Incident]:
    """Every incident, in the order started, as its start and close events describe it."""
    found: dict[str, Incident] = {}
    for event in events:
        if event.kind == "start":
            found[event.incident_id] = incident_from(event)
        elif event.kind == "close" and event.incident_id in found:
            found[event.incident_id] = replace(found[event.incident_id],
                                               closed_at=event.entered_at)
    return list(found.values())


def incident_from(start: Event) -> Incident:
    """The incident a start event describes (still open)."""
    data = start.data
    return Incident(
        id=start.incident_id, name=data.get("name", ""), type=data.get("type", ""),
        location=data.get("location", ""), period_from=data.get("period_from", ""),
        period_to=data.get("period_to", ""), content_revision=data.get("content_revision", ""),
        exercise=bool(data.get("exercise")), started_at=start.entered_at,
        started_by=start.operator, packs=pack_pairs(data.get("packs")),
        utc_offset=str(data.get("utc_offset") or ""))


def pack_pairs(value) -> tuple[tuple[str, str], ...] | None:
    """A start event's agency packs, by name (None when it did not record them)."""
    if not isinstance(value, dict):
        return None
    return tuple(sorted((str(name), str(revision)) for name, revision in value.items()))


def packs_text(incident: Incident) -> str:
    """The agency packs an incident ran under, in words for its exports."""
    if incident.packs is None:
        return "not recorded"
    return "; ".join(f"{name} revision {revision}" for name, revision in incident.packs) or "none"


def step_states(events: list[Event], doc_id: str | None = None) -> dict[str, StepState]:
    """The state of each step with events: its newest current tick, N/A, done-before or untick
    (whichever laptop wrote it), with its notes."""
    steps = StepStates()
    for event in events:
        if doc_id is None or event.doc_id == doc_id:
            steps.add(event)
    return steps.states()


class StepStates:
    """Step states built up one event at a time (in the order they were stored)."""

    def __init__(self):
        self.histories: dict[str, StepHistory] = {}
        self.notes: dict[str, tuple[str, ...]] = {}
        self._states: dict[str, StepState] = {}

    def add(self, event: Event) -> None:
        step_id = event.step_id
        if not step_id:
            return
        if event.kind == "note":
            self.notes[step_id] = (*self.notes.get(step_id, ()), event.data.get("text", ""))
        elif event.kind in DONE_KINDS or event.kind == "untick":
            follows = event.data.get("follows")
            if follows is not None and not (isinstance(follows, list)
                                            and all(isinstance(f, str) for f in follows)):
                follows = []
            self.histories.setdefault(step_id, StepHistory()).add(
                event.id, event.kind, hlc=event.hlc, seq=event.seq, follows=follows,
                device=event.device, payload=event)
        else:
            return
        self._states[step_id] = self._state(step_id)

    def _state(self, step_id: str) -> StepState:
        history = self.histories.get(step_id)
        heads = [entry.payload for entry in history.heads()] if history else []
        notes = self.notes.get(step_id, ())
        if not heads:
            return StepState("open", notes=notes)
        last = heads[-1]
        others = tuple((DONE_KINDS.get(e.kind, "open"), e.operator, e.position, e.entered_at,
                        e.device) for e in heads[:-1])
        return StepState(DONE_KINDS.get(last.kind, "open"), last.operator, last.position,
                         last.entered_at, last.occurred_at, notes, others, last.device)

    def states(self) -> dict[str, StepState]:
        return dict(self._states)


def progress(step_ids: list[str], states: dict[str, StepState]) -> Progress:
    result = Progress(total=len(step_ids))
    for step_id in step_ids:
        state = states.get(step_id)
        status = state.status if state else "open"
        if status == "N/A":
            result.not_applicable += 1
        elif status != "open":
            result.done += 1
        else:
            result.open_steps.append(step_id)
        if state and state.entered_at > result.last_entry:
            result.last_entry = state.entered_at
    return result


def touched_docs(events: list[Event]) -> list[str]:
    """The documents an incident has step events on, in the order first touched."""
    seen: dict[str, None] = {}
    for event in events:
        if event.doc_id and event.step_id:
            seen.setdefault(event.doc_id, None)
    return list(seen)


def parse_utc(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


def elapsed(since: str, now: dt.datetime | None = None) -> str:
    """'2 h 05 min', '7 min', 'just now': how long ago a UTC time was."""
    if not since:
        return ""
    now = now or dt.datetime.now(dt.UTC)
    minutes = max(0, int((now - parse_utc(since)).total_seconds() // 60))
    if minutes == 0:
        return "just now"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} days {hours % 24} h"
