"""The checklist view: a page's prose and its steps as rows a person ticks."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from binder.core.journal import Journal, JournalError, StepState
from binder.core.pages import header_html, sources_html
from binder.core.store import DocRecord, StepRecord, html_to_text


def local_time(entered_at: str) -> str:
    """'14:03' today, or '21 Nov 14:03' for another day, in the machine's time zone."""
    moment = dt.datetime.fromisoformat(entered_at).astimezone()
    if moment.date() == dt.datetime.now().astimezone().date():
        return moment.strftime("%H:%M")
    return moment.strftime("%d %b %H:%M")


def rich_label(html: str, object_name: str = "") -> QLabel:
    label = QLabel(html)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    label.setOpenExternalLinks(False)
    if object_name:
        label.setObjectName(object_name)
    return label


class StepRow(QFrame):
    """One step: a tick box, its text (with links), and who ticked it when, under it."""

    toggled = Signal(object, bool)  # (StepRow, checked)

    def __init__(self, step: StepRecord, stylesheet: str, parent=None):
        super().__init__(parent)
        self.step = step
        self.setObjectName("step-row")
        self.checkbox = QCheckBox()
        self.checkbox.setObjectName("step-box")
        self.checkbox.setAccessibleName(html_to_text(step.html))
        self.checkbox.setCursor(Qt.CursorShape.PointingHandCursor)
        self.text = rich_label(f"<style>{stylesheet}</style>{step.html}", "step-text")
        self.status = QLabel("")
        self.status.setObjectName("step-status")
        self.status.hide()
        text_column = QVBoxLayout()
        text_column.setSpacing(2)
        text_column.addWidget(self.text)
        text_column.addWidget(self.status)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.checkbox, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text_column, 1)
        self.setMinimumHeight(44)
        self.checkbox.clicked.connect(lambda checked: self.toggled.emit(self, checked))

    def mouseReleaseEvent(self, event):  # noqa: N802 (Qt's name)
        """A tap anywhere on the row ticks it (links in the text still open)."""
        if event.button() == Qt.MouseButton.LeftButton and not self.text.hasSelectedText():
            self.checkbox.click()
        super().mouseReleaseEvent(event)

    def show_state(self, state: StepState | None) -> None:
        done = bool(state and state.done)
        self.checkbox.blockSignals(True)
        self.checkbox.setChecked(done)
        self.checkbox.blockSignals(False)
        self.setProperty("done", "true" if done else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        if state is None:
            self.status.hide()
            return
        verb = "Ticked" if state.done else "Unticked"
        self.status.setText(f"{verb} at {local_time(state.entered_at)}")
        self.status.show()


class ChecklistView(QScrollArea):
    """A checklist (or funding) page: ticking a step writes it to the journal first."""

    link_activated = Signal(str)
    link_hovered = Signal(str)
    problem = Signal(str)

    def __init__(self, journal: Journal | None, stylesheet: str, parent=None):
        super().__init__(parent)
        self.journal = journal
        self.stylesheet = stylesheet
        self.doc: DocRecord | None = None
        self.rows: dict[str, StepRow] = {}
        self.setObjectName("checklist")
        self.setAccessibleName("Checklist")
        self.setWidgetResizable(True)
        self.progress = QLabel()

    def show_document(self, doc: DocRecord, anchor: str = "") -> None:
        self.doc = doc
        self.rows = {}
        page = QWidget()
        page.setObjectName("checklist-page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(4)
        layout.addWidget(self._label(header_html(doc)))
        self.progress = QLabel()
        self.progress.setObjectName("progress")
        layout.addWidget(self.progress)
        steps = {step.id: step for step in doc.steps}
        states = self.journal.step_states(doc.id) if self.journal else {}
        for block in doc.blocks:
            if block.get("step"):
                row = StepRow(steps[block["step"]], self.stylesheet)
                row.show_state(states.get(row.step.id))
                row.toggled.connect(self._on_toggled)
                row.text.linkActivated.connect(self.link_activated)
                row.text.linkHovered.connect(self.link_hovered)
                row.setEnabled(self.journal is not None)
                self.rows[row.step.id] = row
                layout.addWidget(row)
            else:
                layout.addWidget(self._label(block["html"]))
        layout.addWidget(self._label(sources_html(doc)))
        layout.addStretch(1)
        self.setWidget(page)
        page.show()
        self._update_progress()
        self.scroll_to(anchor)

    def _label(self, html: str) -> QLabel:
        label = rich_label(f"<style>{self.stylesheet}</style>{html}")
        label.linkActivated.connect(self.link_activated)
        label.linkHovered.connect(self.link_hovered)
        return label

    def scroll_to(self, anchor: str) -> None:
        row = self.rows.get(f"{self.doc.id}/{anchor}") if self.doc and anchor else None
        if row is not None:
            self.ensureWidgetVisible(row)
            row.checkbox.setFocus()
        else:
            self.verticalScrollBar().setValue(0)

    def _on_toggled(self, row: StepRow, checked: bool) -> None:
        """Write the event first; only a saved tick stays on screen."""
        step = row.step
        try:
            if checked:
                self.journal.tick_step(self.doc.id, step.id, step.text)
            else:
                self.journal.untick_step(self.doc.id, step.id, step.text)
        except JournalError as exc:
            row.show_state(self.journal.step_states(self.doc.id).get(step.id))
            self.problem.emit(str(exc))
            return
        row.show_state(self.journal.step_states(self.doc.id).get(step.id))
        self._update_progress()

    def _update_progress(self) -> None:
        done = sum(row.checkbox.isChecked() for row in self.rows.values())
        self.progress.setText(f"{done} of {len(self.rows)} steps done")
        self.progress.setAccessibleName(self.progress.text())
