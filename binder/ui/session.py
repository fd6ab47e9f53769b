"""The window's hold on the journal: who is at the keyboard and which incident is current."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from binder.journal.incidents import Incident, StepState
from binder.journal.journal import Event, Journal, JournalError, Operator, refuse_text
from binder.journal.state import IncidentState, JournalState
from binder.sync.quiet import hold

FOLLOW_MS = 500  # how often the window looks whether another process wrote the journal


class Session(QObject):
    """Current incident and operator for one window; every change goes through the journal.

    What the events add up to is kept in memory (`binder.journal.state`) and only the events
    written since the last look are read: after our own writes, and every FOLLOW_MS when
    another connection (a second window, the CLI, a child process) has committed.
    """

    changed = Signal()  # the incident, its state or the operator changed

    def __init__(self, journal: Journal | None, content_revision: str = ""):
        super().__init__()
        self.journal = journal
        self.content_revision = content_revision
        self.pack_revisions: Callable[[], dict[str, str]] | None = None  # set with the library
        self.incident: Incident | None = None
        self.state = JournalState(journal) if journal is not None else None
        self.follow_timer = QTimer(self)
        if journal is not None:
            self.incident = self.state.incidents.get(journal.setting("current_incident"))
            self.follow_timer.setInterval(FOLLOW_MS)
            self.follow_timer.timeout.connect(self.follow)
            self.follow_timer.start()

    @property
    def writable(self) -> bool:
        return self.journal is not None and not self.journal.read_only

    @property
    def operator(self) -> Operator | None:
        return self.journal.operator if self.journal else None

    def incidents(self) -> list[Incident]:
        return list(self.state.incidents.values()) if self.state else []

    def open_incidents(self) -> list[Incident]:
        return [i for i in self.incidents() if i.is_open]

    def set_operator(self, operator: Operator) -> None:
        self.journal.set_operator(operator, self.incident.id if self._open() else "")
        self._update()
        self.changed.emit()

    def start_incident(self, name: str, **fields) -> Incident:
        packs = self.pack_revisions() if self.pack_revisions else None
        event = self.journal.start_incident(name, content_revision=self.content_revision,
                                            packs=packs, **fields)
        self._update()
        self.switch(event.incident_id)
        return self.incident

    def switch(self, incident_id: str) -> None:
        self.incident = self.state.incidents.get(incident_id)
        try:
            self.journal.set_setting("current_incident", incident_id if self.incident else "")
        finally:  # shown even when it cannot be remembered (a full disk): the message says so
            self.changed.emit()

    def close_incident(self) -> None:
        if self._open():
            self.journal.close_incident(self.incident.id)
            self._update()
            self.switch(self.incident.id)  # stays current, now read-only

    def _open(self) -> bool:
        return self.incident is not None and self.incident.is_open

    @property
    def can_tick(self) -> bool:
        """Ticking is possible now (an open incident), or after starting one."""
        return self.writable and (self.incident is None or self.incident.is_open)

    def _current(self) -> IncidentState | None:
        if not self.state or not self.incident:
            return None
        return self.state.incident(self.incident.id)

    def events(self) -> list[Event]:
        """The current incident's events (kept in memory once read: a copy of the list)."""
        current = self._current()
        return current.events() if current else []

    def step_states(self, doc_id: str) -> dict[str, StepState]:
        current = self._current()
        return current.step_states(doc_id) if current else {}

    def all_step_states(self) -> dict[str, StepState]:
        """Every step with events in the current incident, in every page it touched."""
        current = self._current()
        return current.all_step_states() if current else {}

    def touched_docs(self) -> list[str]:
        """The pages the current incident has step events on, in the order first touched."""
        current = self._current()
        return current.touched_docs() if current else []

    def last_entry(self) -> str:
        """When the current incident's newest event was entered (UTC), "" if none."""
        current = self._current()
        return current.last_entry if current else ""

    def step_event(self, kind: str, doc_id: str, step_id: str, step_text: str,
                   occurred_at: str = "") -> Event:
        hold()  # the sync thread pauses while this tick is written and repainted
        try:
            event = self.journal.step_event(kind, self.incident.id, doc_id, step_id, step_text,
                                            occurred_at)
        except JournalError:
            self.follow()  # refused because another window changed the step: show that now
            raise
        self._update()
        self.changed.emit()
        return event

    def add_note(self, text: str, doc_id: str = "", step_id: str = "", step_text: str = "",
                 occurred_at: str = "", decision: bool = False) -> Event:
        """A note on the incident or a step; a decision is flagged in its data, for the
        after-action draft."""
        if decision:
            refuse_text({"The note": text}, lines=True)
            event = self.journal.append("note", self.incident.id, doc_id=doc_id,
                                        step_id=step_id, step_text=step_text,
                                        occurred_at=occurred_at,
                                        data={"text": text, "decision": True})
        else:
            event = self.journal.add_note(self.incident.id, text, doc_id=doc_id,
                                          step_id=step_id, step_text=step_text,
                                          occurred_at=occurred_at)
        self._update()
        self.changed.emit()
        return event

    def follow(self) -> bool:
        """Fold in what another connection wrote; True (and `changed`) if there was any."""
        if self.state is None:
            return False
        try:
            new = self.state.follow()
        except (JournalError, OSError, sqlite3.Error):
            return False  # a busy or vanished file: the next look tries again
        if not new:
            return False
        self._current_incident()
        self.changed.emit()
        return True

    def _update(self) -> list[Event]:
        new = self.state.update()
        self._current_incident()
        return new

    def _current_incident(self) -> None:
        """The current incident as the events now describe it (closed elsewhere, say)."""
        if self.incident is not None:
            self.incident = self.state.incidents.get(self.incident.id, self.incident)
