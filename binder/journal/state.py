"""The journal's state kept in memory and brought up to date by reading only the new events."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from binder.journal.incidents import Incident, StepState, StepStates, incident_from
from binder.journal.journal import INCIDENT_KINDS, Event, Journal


@dataclass
class PageState:
    """The steps of one page in one incident, as of event `seq`."""

    seq: int = 0
    folded: StepStates = field(default_factory=StepStates)

    @property
    def steps(self) -> dict[str, StepState]:
        return self.folded.states()

    def fold(self, event: Event) -> None:
        if event.seq <= self.seq:
            return  # already read when the page was loaded
        self.seq = event.seq
        self.folded.add(event)


class IncidentState:
    """One incident's step states (a page at a time, read when first asked), last entry and
    events (read when first asked), each kept up to date by `fold`."""

    def __init__(self, journal: Journal, incident_id: str):
        self.journal = journal
        self.incident_id = incident_id
        self.pages: dict[str, PageState] = {}
        self._events: list[Event] | None = None
        newest = journal.newest_seq(incident_id)
        last = journal.events(incident_id, max(0, newest - 1)) if newest else []
        self.last_entry = last[-1].entered_at if last else ""
        self.last_seq = newest

    def step_states(self, doc_id: str) -> dict[str, StepState]:
        page = self.pages.get(doc_id)
        if page is None:
            page = self.pages[doc_id] = PageState()
            for event in self.journal.events(self.incident_id, doc_id=doc_id):
                page.fold(event)
        return page.steps

    def events(self) -> list[Event]:
        if self._events is None:
            self._events = self.journal.events(self.incident_id)
        return list(self._events)

    def all_step_states(self) -> dict[str, StepState]:
        """Every step with events, in every page the incident touched."""
        merged: dict[str, StepState] = {}
        for doc_id in self.touched_docs():
            merged.update(self.step_states(doc_id))
        return merged

    def touched_docs(self) -> list[str]:
        """The pages with step events, in the order first touched."""
        return list(dict.fromkeys(e.doc_id for e in self.events() if e.doc_id and e.step_id))

    def fold(self, event: Event) -> None:
        if event.seq > self.last_seq:
            self.last_seq = event.seq
            self.last_entry = event.entered_at
        if self._events is not None and (not self._events or event.seq > self._events[-1].seq):
            self._events.append(event)
        page = self.pages.get(event.doc_id)
        if page is not None:
            page.fold(event)


class JournalState:
    """Every incident (from the start and close events) and the state of those looked at;
    `update` folds in the events written since the last one read, by anyone."""

    def __init__(self, journal: Journal):
        self.journal = journal
        self.seq = journal.newest_seq()
        self.incidents: dict[str, Incident] = {}
        for event in journal.events(kinds=INCIDENT_KINDS):
            if event.seq <= self.seq:
                self._fold_incident(event)
        self._states: dict[str, IncidentState] = {}
        self._version = journal.data_version()

    def incident(self, incident_id: str) -> IncidentState:
        state = self._states.get(incident_id)
        if state is None:
            state = self._states[incident_id] = IncidentState(self.journal, incident_id)
        return state

    def follow(self) -> list[Event]:
        """What another connection committed since the last look, folded in ([] if nothing):
        a cheap pragma first. A failed read is tried again at the next look."""
        version = self.journal.data_version()
        if version == self._version:
            return []
        new = self.update()
        self._version = version
        return new

    def update(self) -> list[Event]:
        """Fold in every event written after the last one read; returns them."""
        new = self.journal.events(after=self.seq)
        for event in new:
            self.seq = event.seq
            if event.kind in INCIDENT_KINDS:
                self._fold_incident(event)
            state = self._states.get(event.incident_id)
            if state is not None:
                state.fold(event)
        return new

    def _fold_incident(self, event: Event) -> None:
        if event.kind == "start":
            self.incidents[event.incident_id] = incident_from(event)
        elif event.incident_id in self.incidents:
            self.incidents[event.incident_id] = replace(
                self.incidents[event.incident_id], closed_at=event.entered_at)
