"""The check-in form (ICS 211), the check-out time and the period of the hours for the claim."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit

from binder.journal.checkins import FIELDS
from binder.ui.dialogs import ICS_POSITIONS, FormDialog, time_edit, to_utc_iso
from binder.ui.plain import plain

LOCATIONS = ["ICP", "Base", "Staging Area", "Helibase", "Other"]
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def when_given(edit, first: QDateTime) -> str:
    """The time in `edit` as UTC ISO, or "" (now) when the person left the time shown first."""
    return "" if edit.dateTime() == first else to_utc_iso(edit.dateTime())


class CheckinDialog(FormDialog):
    """Check a person in: the ICS 211 fields, then the time (now unless changed). The focus
    starts in the name; Enter moves on to the next field, Ctrl+Enter saves, Esc cancels."""

    def __init__(self, parent=None):
        super().__init__("Check in (ICS 211)", parent)
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        for key, label, block in FIELDS:
            widget = QComboBox() if key in ("position", "location") else QLineEdit()
            if isinstance(widget, QComboBox):
                widget.setEditable(True)
                widget.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                widget.addItems(ICS_POSITIONS if key == "position" else LOCATIONS)
                widget.setCurrentText("" if key == "position" else "ICP")
            widget.setToolTip(f"ICS 211 block {block}")
            self.fields[key] = self.add_row(f"{label}:", widget)
        self.first = QDateTime.currentDateTime()
        self.when = self.add_row("Checked in at:", time_edit(self.first))
        self.fields["name"].setFocus()
        saving_keys(self, "Check in (Ctrl+Enter)")
        self.moving_on = MoveOnEnter(self, [*self.fields.values(), self.when])

    def accept(self) -> None:
        values = self.values()[0]
        if not values["name"]:
            self.refusal.setText("Type the person's name first.")
            self.refusal.show()
            self.fields["name"].setFocus()
            return
        if not self.refuse({label: (values[key], self.fields[key]) for key, label, _ in FIELDS}):
            super().accept()

    def values(self) -> tuple[dict[str, str], str]:
        """The fields as typed, and the check-in time ("" for now)."""
        text = {key: (w.currentText() if isinstance(w, QComboBox) else w.text()).strip()
                for key, w in self.fields.items()}
        return text, when_given(self.when, self.first)

    @classmethod
    def ask(cls, parent=None) -> tuple[dict[str, str], str] | None:
        dialog = cls(parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class CheckoutDialog(FormDialog):
    """Check a person out at a time: now, or an earlier one for a late entry. Enter accepts."""

    def __init__(self, person: str, parent=None):
        super().__init__("Check out", parent)
        self.form.addRow(plain(QLabel(f"Check out {person}")))
        self.first = QDateTime.currentDateTime()
        self.when = self.add_row("Checked out at:", time_edit(self.first))

    @classmethod
    def ask(cls, parent=None, person: str = "") -> str | None:
        """"" for now, the UTC time given, or None when cancelled."""
        dialog = cls(person, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return when_given(dialog.when, dialog.first)


class PeriodDialog(FormDialog):
    """The period of the hours for the claim: the incident's whole time unless changed."""

    def __init__(self, start: QDateTime, end: QDateTime, parent=None):
        super().__init__("Hours for the claim", parent)
        self.form.addRow(plain(QLabel("Hours checked in, per person and agency, within:")))
        self.start = self.add_row("From:", time_edit(start))
        self.end = self.add_row("To:", time_edit(end))
        self.start.setFocus()

    def accept(self) -> None:
        if self.end.dateTime() <= self.start.dateTime():
            self.refusal.setText("The period ends before it starts: give a 'to' after the "
                                 "'from'.")
            self.refusal.show()
            self.end.setFocus()
            return
        super().accept()


def saving_keys(dialog: FormDialog, label: str) -> None:
    """No default button (Enter never presses one by surprise); Ctrl+Enter saves."""
    for button in dialog.buttons.buttons():
        button.setAutoDefault(False)
        button.setDefault(False)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(label)
    ok.setToolTip(label)
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(keys), dialog, dialog.accept)


class MoveOnEnter(QObject):
    """Enter in one of the fields moves the keyboard to the next one (Ctrl+Enter still saves);
    after the last, to the save button."""

    def __init__(self, dialog: FormDialog, fields: list):
        super().__init__(dialog)
        self.dialog, self.fields = dialog, fields
        for field in fields:
            field.installEventFilter(self)
            if isinstance(field, QComboBox) and field.lineEdit() is not None:
                field.lineEdit().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if (event.type() != QEvent.Type.KeyPress or event.key() not in ENTER
                or event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            return False
        field = watched if watched in self.fields else watched.parent()
        at = self.fields.index(field) if field in self.fields else len(self.fields) - 1
        following = self.fields[at + 1] if at + 1 < len(self.fields) else (
            self.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
        following.setFocus(Qt.FocusReason.TabFocusReason)
        return True
