"""Small dialogs: who is at the keyboard, a new incident, a note, a step done earlier."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from binder.journal.journal import Operator
from binder.journal.names import text_problem
from binder.ui.plain import plain

ICS_POSITIONS = [
    "Incident Commander", "Deputy Incident Commander", "Public Information Officer",
    "Safety Officer", "Liaison Officer", "Operations Section Chief", "Planning Section Chief",
    "Logistics Section Chief", "Finance/Administration Section Chief",
    "Intelligence/Investigations", "Staging Area Manager", "Documentation Unit Leader",
    "Victim Services", "Scribe",
]
INCIDENT_TYPES = ["Active assailant", "Mass casualty", "Planned event", "Exercise", "Other"]
TIME_FORMAT = "yyyy-MM-dd HH:mm"


def to_utc_iso(value: QDateTime) -> str:
    moment = dt.datetime.fromtimestamp(value.toSecsSinceEpoch(), dt.UTC)
    return moment.isoformat(timespec="milliseconds")


def to_local_iso(value: QDateTime) -> str:
    return dt.datetime.fromtimestamp(value.toSecsSinceEpoch()).astimezone().isoformat(
        timespec="minutes")


def time_edit(value: QDateTime) -> QDateTimeEdit:
    edit = QDateTimeEdit(value)
    edit.setDisplayFormat(TIME_FORMAT)
    edit.setCalendarPopup(True)
    return edit


class FormDialog(QDialog):
    """A form with OK (the default: Enter accepts) and Cancel. The first field has the focus,
    never a button, so a Space or a letter typed at once goes into the form."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.refusal = plain(QLabel())  # why OK did nothing: under the fields, in words
        self.refusal.setObjectName("refusal")
        self.refusal.setWordWrap(True)
        self.refusal.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.refusal)
        layout.addWidget(self.buttons)

    def refuse(self, fields: dict[str, tuple[str, QWidget]], lines: bool = False) -> bool:
        """Say which field has a character the journal does not take (a broken, control or
        direction character) and put the keyboard there; False when every field is fine."""
        for what, (text, widget) in fields.items():
            problem = text_problem(text, lines)
            if problem:
                self.refusal.setText(f"{what} {problem}.")
                self.refusal.show()
                widget.setFocus()
                return True
        self.refusal.hide()
        return False

    def add_row(self, label: str, widget):
        widget.setAccessibleName(label.rstrip(":"))
        self.form.addRow(label, widget)
        if self.focusWidget() is None and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            widget.setFocus()  # kept when the dialog shows (else its first button would have it)
        return widget


class OperatorDialog(FormDialog):
    """Who is at the keyboard: remembered on this machine, changeable from the status bar."""

    def __init__(self, current: Operator | None, parent=None):
        super().__init__("Who is logging?", parent)
        self.form.addRow(QLabel("Your name and ICS position go on every step you tick."))
        self.name = self.add_row("Name:", QLineEdit(current.name if current else ""))
        self.position = self.add_row("ICS position:", QComboBox())
        self.position.setEditable(True)
        self.position.addItems(ICS_POSITIONS)
        self.position.setCurrentText(current.position if current else ICS_POSITIONS[0])
        self.agency = self.add_row("Home agency and unit:",
                                   QLineEdit(current.agency if current else ""))
        self.name.textChanged.connect(self._check)
        self._check()
        self.name.setFocus()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()))

    def accept(self) -> None:
        operator = self.operator()
        if not self.refuse({"The name": (operator.name, self.name),
                            "The ICS position": (operator.position, self.position),
                            "The home agency": (operator.agency, self.agency)}):
            super().accept()

    def operator(self) -> Operator:
        return Operator(self.name.text().strip(), self.position.currentText().strip(),
                        self.agency.text().strip())


class IncidentDialog(FormDialog):
    """Start an incident: Enter alone accepts the default name and now as the start."""

    def __init__(self, parent=None, reason: str = ""):
        super().__init__("Start an incident", parent)
        if reason:
            self.form.addRow(plain(QLabel(reason)))
        now = QDateTime.currentDateTime()
        self.name = self.add_row("Incident name:",
                                 QLineEdit(f"Incident {now.toString(TIME_FORMAT)}"))
        self.name.selectAll()
        self.name.setFocus()
        self.type = self.add_row("Type:", QComboBox())
        self.type.setEditable(True)
        self.type.addItems(INCIDENT_TYPES)
        self.location = self.add_row("Location:", QLineEdit())
        self.period_from = self.add_row("Operational period from:", time_edit(now))
        self.period_to = self.add_row("Operational period to:", time_edit(now.addSecs(12 * 3600)))
        self.exercise = self.add_row("Exercise:", QCheckBox("This is a training exercise"))
        self.type.currentTextChanged.connect(self._type_changed)

    def accept(self) -> None:
        values = self.values()
        if not self.refuse({"The incident's name": (values["name"], self.name),
                            "The type": (values["incident_type"], self.type),
                            "The location": (values["location"], self.location)}):
            super().accept()

    def _type_changed(self, text: str) -> None:
        if text == "Exercise":
            self.exercise.setChecked(True)

    def values(self) -> dict:
        return {
            "name": self.name.text().strip() or self.name.placeholderText(),
            "incident_type": self.type.currentText().strip(),
            "location": self.location.text().strip(),
            "period_from": to_local_iso(self.period_from.dateTime()),
            "period_to": to_local_iso(self.period_to.dateTime()),
            "exercise": self.exercise.isChecked(),
        }

    @classmethod
    def ask(cls, parent=None, reason: str = "") -> dict | None:
        dialog = cls(parent, reason)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class NoteDialog(FormDialog):
    """A note for the log, on a step or the incident, optionally with when it happened.

    Typing goes into the note; Enter is a new line, Ctrl+Enter saves, Esc cancels. No button
    is the default, so no key presses OK by surprise; an empty note is refused, with a word."""

    def __init__(self, about: str = "", parent=None):
        super().__init__("Add a note", parent)
        if about:
            self.form.addRow(plain(QLabel(f"On: {about}")))
        self.text = self.add_row("Note:", QPlainTextEdit())
        self.text.setTabChangesFocus(True)
        self.earlier = self.add_row("", QCheckBox("It happened earlier, at:"))
        self.when = self.add_row("When:", time_edit(QDateTime.currentDateTime()))
        self.when.setEnabled(False)
        self.earlier.toggled.connect(self.when.setEnabled)
        self.decision = self.add_row("", QCheckBox("This is a decision"))
        self.decision.setToolTip("The after-action draft lists the notes flagged as decisions")
        for button in self.buttons.buttons():
            button.setAutoDefault(False)
            button.setDefault(False)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Save note (Ctrl+Enter)")
        ok.setToolTip("Save the note (Ctrl+Enter)")
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.text.textChanged.connect(lambda: self.refusal.hide())

    def accept(self) -> None:
        if not self.values()[0]:
            self.refusal.setText("Type the note first.")
            self.refusal.show()
            self.text.setFocus()
            return
        if not self.refuse({"The note": (self.values()[0], self.text)}, lines=True):
            super().accept()

    def values(self) -> tuple[str, str]:
        occurred = to_utc_iso(self.when.dateTime()) if self.earlier.isChecked() else ""
        return self.text.toPlainText().strip(), occurred

    @classmethod
    def ask(cls, parent=None, about: str = "") -> tuple[str, str, bool] | None:
        """(text, when it happened or "", whether it is a decision), or None if cancelled."""
        dialog = cls(about, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return (*dialog.values(), dialog.decision.isChecked())


def is_decision(answer: tuple) -> bool:
    """Whether a note dialog's answer is flagged as a decision."""
    return len(answer) > 2 and answer[2] is True


class DoneEarlierDialog(FormDialog):
    """Log a step that was done before it could be ticked, with the time it was done."""

    def __init__(self, step_text: str, parent=None):
        super().__init__("Done earlier", parent)
        self.form.addRow(plain(QLabel(step_text)))
        self.when = self.add_row("Done at:", time_edit(QDateTime.currentDateTime()))

    @classmethod
    def ask(cls, parent=None, step_text: str = "") -> str | None:
        dialog = cls(step_text, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return to_utc_iso(dialog.when.dateTime())
