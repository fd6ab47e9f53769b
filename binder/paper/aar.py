"""The after-action draft of one incident, from its record: timeline, key steps, what was left."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from binder.content.plain_text import markdown_to_text
from binder.journal.incidents import Incident, incidents_from, packs_text, step_states
from binder.journal.journal import (
    INCIDENT_KINDS,
    STEP_KINDS,
    ChainReport,
    Event,
    Journal,
    verify_chain,
)
from binder.paper.csv_cells import safe_row
from binder.paper.deadlines import DeadlineRow, deadline_rows
from binder.paper.export import (
    ExportError,
    entry_time,
    local_minutes,
    notable_activity,
    write_whole,
    yes_no,
    zone_of,
)
from binder.paper.laptops import entry_flags, in_clock_order, laptops_of, marked

CSV_FIELDS = (
    "incident", "exercise", "occurred_local", "entered_local", "time_zone", "occurred_utc",
    "entered_utc", "kind", "checklist", "step_id", "step", "what", "decision", "name",
    "ics_position", "laptop", "flags", "content_revision", "pack_revisions", "chain_intact",
    "chain_head", "chain_combined",
)


@dataclass(frozen=True)
class Line:
    """One entry of the timeline, as the ICS 214 table shows it (date_time, activity)."""

    date_time: str  # local "YYYY-MM-DD HH:MM", with "(entered …)" when logged after the fact
    activity: str  # what, by whom, on which laptop (when several), with its flags
    event: Event
    laptop: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class KeyStep:
    checklist: str
    phase: str
    step: str
    status: str  # "done", "done before", "N/A" or "open"
    at: str  # local, when it was done ("" if not)
    after: str  # time from the incident's start: "1 h 05 min"; "" if not done


@dataclass(frozen=True)
class Finding:
    checklist: str
    step: str
    notes: tuple[str, ...]  # the notes around the step's last entry (see notes_around)


@dataclass(frozen=True)
class Decision:
    at: str  # local
    person: str
    text: str
    step: str


@dataclass(frozen=True)
class AfterAction:
    incident: Incident
    lines: tuple[Line, ...]
    time_zone: str
    key_steps: tuple[KeyStep, ...]
    left_open: tuple[Finding, ...]
    marked_na: tuple[Finding, ...]
    decisions: tuple[Decision, ...]
    unknown_pages: tuple[str, ...]  # checklists with entries that this binder no longer has
    chain: ChainReport
    prepared_at: str
    deadlines: tuple[DeadlineRow, ...] | None = None  # None without a binder to count from


def after_action(journal: Journal, incident_id: str, library=None) -> AfterAction:
    """What the record of one incident shows; `library` gives each checklist's steps."""
    starts = journal.events(kinds=INCIDENT_KINDS)
    incident = next((i for i in incidents_from(starts) if i.id == incident_id), None)
    if incident is None:
        raise ExportError(f"There is no incident {incident_id} in this journal.")
    events = in_clock_order(journal.events(incident_id))
    states = step_states(events)
    around, last = notes_around(events)
    pages, unknown = checklists(events, library)
    left, na = findings(pages, states, last)
    return AfterAction(
        incident=incident, lines=tuple(timeline(events, around, journal)),
        time_zone=zone_of(events), key_steps=tuple(key_steps(pages, states, incident)),
        left_open=tuple(left), marked_na=tuple(na), decisions=tuple(decisions(events)),
        unknown_pages=tuple(unknown), chain=verify_chain(journal, incident_id),
        prepared_at=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        deadlines=None if library is None else tuple(deadline_rows(library, incident, events)))


def notes_around(events: list[Event]) -> tuple[dict, dict]:
    """The notes written on a step between the step's entry before an entry and its entry after
    it: by event id for each tick, N/A, done-earlier or untick; and by step id for the step's
    last entry (all its notes when it has none)."""
    by_step: dict[str, list[Event]] = {}
    for event in events:
        if event.step_id and (event.kind == "note" or event.kind in STEP_KINDS):
            by_step.setdefault(event.step_id, []).append(event)
    around: dict[str, tuple[str, ...]] = {}
    last: dict[str, tuple[str, ...]] = {}
    for step_id, entries in by_step.items():
        marks = [n for n, event in enumerate(entries) if event.kind != "note"]
        for k, at in enumerate(marks):
            low = marks[k - 1] if k else -1
            high = marks[k + 1] if k + 1 < len(marks) else len(entries)
            around[entries[at].id] = tuple(e.data.get("text", "") for e in entries[low + 1:high]
                                           if e.kind == "note")
        last[step_id] = (around[entries[marks[-1]].id] if marks
                         else tuple(e.data.get("text", "") for e in entries))
    return around, last


def timeline(events: list[Event], around: dict[str, tuple[str, ...]], journal: Journal):
    """Every entry of every laptop in clock order, in words, with who wrote it."""
    here = journal.device_id
    flags = entry_flags(events, journal.arrived_ahead(events[0].incident_id) if events else {})
    several = len(laptops_of(events, here)) > 1
    for event in events:
        laptop = (event.device or here) if several else ""
        own = flags.get(event.id, [])
        yield Line(entry_time(event), marked(activity(event, around), laptop, own), event,
                   laptop, tuple(own))


def activity(event: Event, around: dict[str, tuple[str, ...]]) -> str:
    """What the entry says, by whom; an N/A with the notes around it on its step (its reason,
    if any: see notes_around)."""
    words = notable_activity(replace(event, step_text=markdown_to_text(event.step_text)))
    if event.kind == "note" and event.data.get("decision") is True:
        words = "Decision: " + words.removeprefix("Note: ")
    elif event.kind == "na":
        said = around.get(event.id, ())
        words += (f" (note on the step: {' / '.join(said)})" if said
                  else " (no note on the step)")
    elif event.kind == "roster":
        words = "A laptop was let into the incident"
    who = ", ".join(part for part in (event.operator, event.position) if part)
    return f"{words} — {who}" if who and event.kind != "operator" else words


def checklists(events: list[Event], library) -> tuple[list, list[str]]:
    """The pages the incident has step entries on (in the order first touched), as the library
    has them; and the ids of those it no longer has."""
    seen: dict[str, None] = {}
    for event in events:
        if event.doc_id and event.step_id:
            seen.setdefault(event.doc_id, None)
    pages, unknown = [], []
    for doc_id in seen:
        doc = library.document(doc_id) if library is not None else None
        (pages.append(doc) if doc is not None else unknown.append(doc_id))
    return pages, unknown


def key_steps(pages, states, incident: Incident):
    """Each checklist's key steps (its front matter's `key_steps`; for a page without them, the
    first step of each phase), and how long after the incident's start each was done."""
    start = incident.started_at
    for doc in pages:
        for step in chosen_steps(doc):
            state = states.get(step.id)
            status = state.status if state else "open"
            when = (state.occurred_at or state.entered_at) if state else ""
            done = status in ("done", "done before")
            yield KeyStep(doc.title, step.phase, markdown_to_text(step.text), status,
                          local_minutes(when) if done else "",
                          interval(start, when) if done else "")


def chosen_steps(doc) -> list:
    """The steps the page names as key, else the first step of each of its phases."""
    if doc.key_steps:
        by_id = {step.id: step for step in doc.steps}
        return [by_id[step_id] for step_id in doc.key_steps if step_id in by_id]
    phases: dict[str, object] = {}
    for step in doc.steps:
        phases.setdefault(step.phase, step)
    return list(phases.values())


def interval(start: str, end: str) -> str:
    """'2 h 05 min' from start to end (UTC ISO times), to the whole minute below; a step done
    before the start says so."""
    seconds = (dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)).total_seconds()
    minutes = int(abs(seconds) // 60)
    words = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
    return f"{words} before the start" if seconds < 0 else words


def findings(pages, states, notes) -> tuple[list[Finding], list[Finding]]:
    """The steps still open, and those marked N/A (with the notes on them), of every checklist
    the incident touched."""
    left, na = [], []
    for doc in pages:
        for step in doc.steps:
            state = states.get(step.id)
            status = state.status if state else "open"
            if status == "open":
                left.append(Finding(doc.title, markdown_to_text(step.text), notes.get(step.id, ())))
            elif status == "N/A":
                na.append(Finding(doc.title, markdown_to_text(step.text), notes.get(step.id, ())))
    return left, na


def decisions(events: list[Event]):
    for event in events:
        if event.kind == "note" and event.data.get("decision") is True:
            who = ", ".join(part for part in (event.operator, event.position) if part)
            yield Decision(local_minutes(event.when), who, event.data.get("text", ""),
                           event.step_text)


def export_aar_csv(aar: AfterAction, path: Path | str) -> None:
    """The timeline, one row per entry, for the agency's own tools; written whole."""
    write_whole(path, lambda temp: write_csv(aar, temp))


def write_csv(aar: AfterAction, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(CSV_FIELDS)
        writer.writerows(safe_row(csv_row(aar, line)) for line in aar.lines)


def csv_row(aar: AfterAction, line: Line) -> tuple[str, ...]:
    event, incident, chain = line.event, aar.incident, aar.chain
    entered = local_minutes(event.entered_at) if event.occurred_at else ""
    return (incident.name, yes_no(incident.exercise), local_minutes(event.when), entered,
            aar.time_zone, event.when, event.entered_at, event.kind, event.doc_id,
            event.step_id, event.step_text, line.activity,
            yes_no(event.kind == "note" and event.data.get("decision") is True),
            event.operator, event.position, line.laptop, "; ".join(line.flags),
            incident.content_revision, packs_text(incident), yes_no(chain.intact), chain.head,
            chain.combined)
