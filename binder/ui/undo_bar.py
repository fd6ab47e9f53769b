"""The strip under a checklist that says what was just recorded and offers Undo for a while."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from binder.journal.incidents import StepState


@dataclass(frozen=True)
class Change:
    """One step event written from this view: enough to write its inverse, and to see that
    nobody changed the step since."""

    doc_id: str
    step_id: str
    step_text: str
    kind: str  # the event written: tick, na, done_before or untick
    before: StepState  # the step's state before it
    after: StepState  # the step's state right after it


class UndoBar(QFrame):
    """'Ticked ‘…’  [Undo]' for a few seconds; a plain message (no Undo) for hints."""

    undo = Signal()
    offering = Signal(bool)  # an Undo is on offer now, or no longer

    seconds = 8.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("undo-bar")
        self.change: Change | None = None
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # step words and names as typed
        self.message.setObjectName("undo-message")
        self.message.setWordWrap(True)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undo-button")
        self.undo_button.setAccessibleName("Undo the last change")
        self.undo_button.setToolTip("Undo the last change (Ctrl+Z)")
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the focus stays on the step
        self.undo_button.clicked.connect(self.undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 0, 6, 0)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.undo_button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.withdraw)
        self.hide()

    def offer(self, text: str, change: Change) -> None:
        """Say what was recorded, with an Undo button, for `seconds`."""
        self.change = change
        self._show(text, True)
        self.offering.emit(True)

    def say(self, text: str) -> None:
        """A message with nothing to undo (and any earlier offer withdrawn)."""
        self.change = None
        self._show(text, False)
        self.offering.emit(False)

    def take(self) -> Change | None:
        """The change on offer, once: the offer is withdrawn."""
        change, self.change = self.change, None
        self.undo_button.hide()
        self.offering.emit(False)
        return change

    def withdraw(self) -> None:
        self.change = None
        self.hide()
        self.offering.emit(False)

    def _show(self, text: str, can_undo: bool) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.undo_button.setVisible(can_undo)
        self.show()
        self.raise_()
        self.timer.start(round(self.seconds * 1000))


DONE_WORDS = {"tick": "Ticked", "na": "Marked N/A", "done_before": "Logged as done earlier",
              "untick": "Back to open:"}
AGAIN_WORDS = {"done": "done", "N/A": "N/A", "done before": "done earlier", "open": "open"}
KIND_OF_STATUS = {"done": "tick", "N/A": "na", "done before": "done_before", "open": "untick"}


def short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def recorded_text(change: Change) -> str:
    """'Ticked ‘Move to cover’', for the bar."""
    return f"{DONE_WORDS[change.kind]} ‘{short(change.step_text)}’"


def inverse(change: Change) -> tuple[str, str]:
    """(kind, occurred_at) of the event that undoes a change: an untick after a tick, N/A or
    done-earlier; after an untick, the state the step had, done-earlier with its time."""
    if change.kind != "untick":
        return "untick", ""
    before = change.before
    return KIND_OF_STATUS[before.status], before.occurred_at if before.status == "done before" \
        else ""


def undone_text(change: Change) -> str:
    status = "open" if change.kind != "untick" else change.before.status
    return f"Undone: ‘{short(change.step_text)}’ is {AGAIN_WORDS[status]} again"
