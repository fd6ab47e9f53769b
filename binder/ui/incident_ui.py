"""The incident on screen: the banner, the status bar, and the list of what is left to do."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from binder.content.store import ContentStore, html_to_text
from binder.journal.incidents import Progress, elapsed, progress, step_states, touched_docs
from binder.ui.plain import menu_text, plain, tooltip
from binder.ui.session import Session


class IncidentBanner(QLabel):
    """A band over the page: the live incident, an exercise (another colour), or none."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("incident-banner")
        plain(self).setWordWrap(True)
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


NAME_WIDTH = 220  # px of the incident's name in the status bar; the rest is in the tooltip


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
        self.clock = plain(QLabel())
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
        self.operator_button.setText(menu_text(f"Logging as {who}"))
        self.operator_button.setAccessibleName(f"Logging as {who}")
        self.operator_button.setVisible(self.session.writable)
        incident = self.session.incident
        if incident is None:
            self.clock.setText("")
            return
        last = self.session.last_entry()  # kept in memory: no journal read every 15 s
        state = f"running {elapsed(incident.started_at)}" if incident.is_open else "closed"
        if last:
            state += f" · last entry {elapsed(last)} ago".replace("just now ago", "just now")
        # A long name must not widen the window past a small screen: it is shortened here and
        # whole in the tooltip (and in the banner above the page, which wraps).
        name = self.clock.fontMetrics().elidedText(incident.name, Qt.TextElideMode.ElideRight,
                                                   NAME_WIDTH)
        self.clock.setText(f"{name}: {state}")
        self.clock.setToolTip(tooltip(f"{incident.name}: {state}"))
        self.clock.setAccessibleName(f"{incident.name}: {state}")


class Unfinished(NamedTuple):
    """A checklist the incident has touched and not finished, with its open steps."""

    doc_id: str
    title: str
    done: Progress
    steps: list[tuple[str, str]]  # (step id, its words), in the checklist's order


def unfinished(session: Session, store: ContentStore) -> list[Unfinished]:
    """The checklists the current incident has touched and not finished, in the order touched."""
    events = session.events()
    states = step_states(events)
    left = []
    for doc_id in touched_docs(events):
        doc = store.document(doc_id)
        if doc is None:  # the page is gone from this content; its events still read right
            continue
        done = progress([s.id for s in doc.steps], states)
        if done.open:
            words = {step.id: html_to_text(step.html) for step in doc.steps}
            steps = [(step_id, words[step_id]) for step_id in done.open_steps]
            left.append(Unfinished(doc_id, doc.title, done, steps))
    return left


DOC_ROLE, STEP_ROLE = Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 1


class WhatsLeftDialog(QDialog):
    """Coming back after an interruption: each unfinished checklist of this incident with its
    open steps under it. Enter on a step opens its checklist at that step; on a checklist, at
    its first open step."""

    open_step = Signal(str, str)  # doc id, step id

    def __init__(self, session: Session, store: ContentStore, parent=None):
        super().__init__(parent)
        self.setWindowTitle("What is left")
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setAccessibleName("Open steps of the unfinished checklists")
        for left in unfinished(session, store):
            done = left.done
            item = QTreeWidgetItem(
                [f"{left.title}: {done.open} open, {done.done} done, {done.not_applicable} N/A"])
            item.setData(0, DOC_ROLE, left.doc_id)
            item.setData(0, STEP_ROLE, left.steps[0][0])
            for step_id, words in left.steps:
                child = QTreeWidgetItem([words])
                child.setToolTip(0, tooltip(words))
                child.setData(0, DOC_ROLE, left.doc_id)
                child.setData(0, STEP_ROLE, step_id)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
        if not self.tree.topLevelItemCount():
            self.tree.addTopLevelItem(
                QTreeWidgetItem(["Nothing left open in the checklists this incident has used."]))
        self.tree.expandAll()
        self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.tree.itemActivated.connect(self._open)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Steps still open, under their checklists "
                                "(Up and Down choose, Enter opens):"))
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.tree.setFocus()
        self.resize(560, 420)

    def _open(self, item: QTreeWidgetItem) -> None:
        doc_id = item.data(0, DOC_ROLE)
        if doc_id:
            self.accept()
            self.open_step.emit(doc_id, item.data(0, STEP_ROLE))
