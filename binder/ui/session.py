"""The window's hold on the journal: who is at the keyboard and which incident is current."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from binder.core.incidents import Incident, StepState, incidents_from, step_states
from binder.core.journal import Event, Journal, Operator


class Session(QObject):
    """Current incident and operator for one window; every change goes through the journal."""

    changed = Signal()  # the incident, its state or the operator changed

    def __init__(self, journal: Journal | None, content_revision: str = ""):
        super().__init__()
        self.journal = journal
        self.content_revision = content_revision
        self.incident: Incident | None = None
        if journal is not None:
            current = journal.setting("current_incident")
            self.incident = next((i for i in self.incidents() if i.id == current), None)

    @property
    def writable(self) -> bool:
        return self.journal is not None and not self.journal.read_only

    @property
    def operator(self) -> Operator | None:
        return self.journal.operator if self.journal else None

    def incidents(self) -> list[Incident]:
        return incidents_from(self.journal.events()) if self.journal else []

    def open_incidents(self) -> list[Incident]:
        return [i for i in self.incidents() if i.is_open]

    def set_operator(self, operator: Operator) -> None:
        self.journal.set_operator(operator, self.incident.id if self._open() else "")
        self.changed.emit()

    def start_incident(self, name: str, **fields) -> Incident:
        event = self.journal.start_incident(name, content_revision=self.content_revision,
                                            **fields)
        self.switch(event.incident_id)
        return self.incident

    def switch(self, incident_id: str) -> None:
        self.incident = next((i for i in self.incidents() if i.id == incident_id), None)
        try:
            self.journal.set_setting("current_incident", incident_id if self.incident else "")
        finally:  # shown even when it cannot be remembered (a full disk): the message says so
            self.changed.emit()

    def close_incident(self) -> None:
        if self._open():
            self.journal.close_incident(self.incident.id)
            self.switch(self.incident.id)  # stays current, now read-only

    def _open(self) -> bool:
        return self.incident is not None and self.incident.is_open

    @property
    def can_tick(self) -> bool:
        """Ticking is possible now (an open incident), or after starting one."""
        return self.writable and (self.incident is None or self.incident.is_open)

    def events(self) -> list[Event]:
        if not self.journal or not self.incident:
            return []
        return self.journal.events(self.incident.id)

    def step_states(self, doc_id: str) -> dict[str, StepState]:
        return step_states(self.events(), doc_id)

    def step_event(self, kind: str, doc_id: str, step_id: str, step_text: str,
                   occurred_at: str = "") -> Event:
        event = self.journal.step_event(kind, self.incident.id, doc_id, step_id, step_text,
                                        occurred_at)
        self.changed.emit()
        return event

    def add_note(self, text: str, doc_id: str = "", step_id: str = "", step_text: str = "",
                 occurred_at: str = "") -> Event:
        event = self.journal.add_note(self.incident.id, text, doc_id=doc_id, step_id=step_id,
                                      step_text=step_text, occurred_at=occurred_at)
        self.changed.emit()
        return event
