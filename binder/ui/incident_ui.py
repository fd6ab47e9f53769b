"""The incident on screen: the banner, the status bar, and the list of what is left to do."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from binder.core.incidents import Progress, elapsed, progress, step_states, touched_docs
from binder.core.store import ContentStore
from binder.ui.session import Session


class IncidentBanner(QLabel):
    """A band over the page: the live incident, an exercise (another colour), or none."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("incident-banner")
        self.setWordWrap(True)
        session.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        incident = self.session.incident
        if not self.session.writable:
            kind, text = "none", "Ticks cannot be saved: the activity journal is not available."
        elif incident is None:
            kind, text = "none", "No incident open. Ticking a step starts one."
        else:
            kind = "exercise" if incident.exercise else "live"
            label = "EXERCISE — " if incident.exercise else ""
            text = f"{label}{incident.name}"
            if incident.location:
                text += f" · {incident.location}"
            if not incident.is_open:
                kind, text = "closed", f"{text} · closed, read only"
        self.setText(text)
        self.setAccessibleName(f"Incident: {text}")
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)


class IncidentStatus(QWidget):
    """Status bar: who is logging (click to change), the incident's time, the last entry."""

    change_operator = Signal()

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.operator_button = QPushButton()
        self.operator_button.setObjectName("operator")
        self.operator_button.setFlat(True)
        self.operator_button.setToolTip("Change who is logging")
        self.operator_button.clicked.connect(self.change_operator)
        self.clock = QLabel()
        self.clock.setObjectName("incident-clock")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.clock)
        layout.addWidget(self.operator_button)
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self.refresh_shown)
        self.timer.start()
        session.changed.connect(self.refresh)
        self.refresh()

    def refresh_shown(self) -> None:
        """The clock's tick: nothing to do for a window that is closed (its journal may be)."""
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        operator = self.session.operator
        who = f"{operator.name}, {operator.position}" if operator else "nobody: click to set"
        self.operator_button.setText(f"Logging as {who}")
        self.operator_button.setAccessibleName(self.operator_button.text())
        self.operator_button.setVisible(self.session.writable)
        incident = self.session.incident
        if incident is None:
            self.clock.setText("")
            return
        last = self.session.last_entry()  # kept in memory: no journal read every 15 s
        text = f"{incident.name}: running {elapsed(incident.started_at)}"
        if not incident.is_open:
            text = f"{incident.name}: closed"
        if last:
            text += f" · last entry {elapsed(last)} ago".replace("just now ago", "just now")
        self.clock.setText(text)


def unfinished(session: Session, store: ContentStore) -> list[tuple[str, str, Progress]]:
    """The checklists the current incident has touched and not finished: (doc id, title, done)."""
    events = session.events()
    states = step_states(events)
    left = []
    for doc_id in touched_docs(events):
        doc = store.document(doc_id)
        if doc is None:  # the page is gone from this content; its events still read right
            continue
        done = progress([s.id for s in doc.steps], states)
        if done.open:
            left.append((doc_id, doc.title, done))
    return left


class WhatsLeftDialog(QDialog):
    """Coming back after an interruption: the unfinished checklists of this incident."""

    open_document = Signal(str)

    def __init__(self, session: Session, store: ContentStore, parent=None):
        super().__init__(parent)
        self.setWindowTitle("What is left")
        self.list = QListWidget()
        self.list.setAccessibleName("Unfinished checklists")
        for doc_id, title, done in unfinished(session, store):
            item = QListWidgetItem(
                f"{title}: {done.open} open, {done.done} done, {done.not_applicable} N/A")
            item.setData(Qt.ItemDataRole.UserRole, doc_id)
            self.list.addItem(item)
        if not self.list.count():
            self.list.addItem("Nothing left open in the checklists this incident has used.")
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(self._open)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Checklists with steps still open (Enter opens one):"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(520, 360)

    def _open(self, item: QListWidgetItem) -> None:
        doc_id = item.data(Qt.ItemDataRole.UserRole)
        if doc_id:
            self.open_document.emit(doc_id)
            self.accept()
