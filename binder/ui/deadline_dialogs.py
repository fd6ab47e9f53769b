"""Record a date for the funding deadlines (a typed date or the calendar), and the question
before one is taken back."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
)

from binder.journal.journal_errors import JournalError
from binder.ui.dialogs import FormDialog
from binder.ui.plain import plain

SEPARATORS = ("-", "/", ".")
WHOLE = re.compile(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$")
PASSING_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Tab,
                Qt.Key.Key_Backtab, Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt)


DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def spelled(day: dt.date) -> str:
    """'Friday 25 February 2028': the date in words, to check before it is recorded (in
    English whatever the system's locale, which Qt gives the C library and strftime follows)."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


class DateField(QDateEdit):
    """A date as YYYY-MM-DD, typed or picked from the calendar (Alt+Down). A year or month
    that fills itself moves on to the next part; the '-' typed after it is then not taken as
    a second move (a plain QDateEdit turns a typed 2028-02-25 into 2028-11-02). '/' and '.'
    move on like '-'. A whole date typed from the start is kept as typed, so that one the
    field would quietly change (2028-02-30 shown as 2028-02-03) is refused instead."""

    def __init__(self, day: dt.date):
        super().__init__(QDate(day.year, day.month, day.day))
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setDateRange(QDate(1900, 1, 1), QDate(2999, 12, 31))
        self.example = day.isoformat()
        self.moved_on = False
        self.typed: str | None = ""  # None once the person edits part by part
        for picked in (self.calendarWidget().clicked, self.calendarWidget().activated):
            picked.connect(lambda _: self.edited_by_parts())

    def start_over(self) -> None:
        """The keyboard in the year, for a date typed whole."""
        self.typed, self.moved_on = "", False
        self.setSelectedSection(QDateEdit.Section.YearSection)

    def edited_by_parts(self) -> None:
        self.typed = None

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.typed, self.moved_on = "", False

    def mousePressEvent(self, event) -> None:
        self.edited_by_parts()
        super().mousePressEvent(event)

    def open_calendar(self) -> None:
        """The calendar, as a click on the field's arrow opens it (QDateEdit has no key for it)."""
        option = QStyleOptionComboBox()
        option.initFrom(self)
        option.editable, option.frame = True, True
        option.subControls = QStyle.SubControl.SC_All
        arrow = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxArrow, self)
        at = QPointF(arrow.center())
        self.mousePressEvent(QMouseEvent(
            QEvent.Type.MouseButtonPress, at, self.mapToGlobal(at), Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F4 or (event.key() == Qt.Key.Key_Down and event.modifiers()
                                            & Qt.KeyboardModifier.AltModifier):
            self.open_calendar()  # as a combo box's list opens
            return
        text = event.text()
        if text and (text.isdigit() or text in SEPARATORS):
            if self.typed is not None:
                self.typed += text
        elif event.key() not in PASSING_KEYS:
            self.edited_by_parts()  # arrows, Backspace: the person edits what is shown
        if text in SEPARATORS:
            if self.moved_on:  # already at the next part
                self.moved_on = False
                event.accept()
                return
            if text != "-":
                event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Minus, event.modifiers(),
                                  "-")
        before = self.currentSection()
        super().keyPressEvent(event)
        self.moved_on = text.isdigit() and self.currentSection() != before

    def typed_problem(self) -> str:
        """Why the date typed whole is not the one the field shows, or ''."""
        typed = self.typed
        if not typed:
            return ""
        match = WHOLE.match(typed.rstrip("".join(SEPARATORS)))
        if match is None:
            return (f"{typed} is not a whole date: type it as YYYY-MM-DD, e.g. "
                    f"{self.example}.")
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return f"{typed} is not a date: check the day and the month."
        shown = self.date().toPython()
        return "" if day == shown else f"{typed} was read as {shown.isoformat()}: type it again."


class RecordDateDialog(FormDialog):
    """What the date is, a date field (today unless changed), a button for the incident's day,
    then the `lines` about it (what counts from it, the date recorded now). Enter records it
    through `record` (given 'YYYY-MM-DD'); a refusal is said here in words, nothing is written
    and the dialog stays; Esc writes nothing."""

    def __init__(self, what: str, lines: list[str], today: dt.date, incident_day: dt.date,
                 record: Callable[[str], None], parent=None):
        super().__init__("Record a date", parent)
        self.record, self.recorded = record, False
        self.what = plain(QLabel(f"Record {what}."))
        self.what.setWordWrap(True)
        self.form.addRow(self.what)
        self.date = self.add_row("Date:", DateField(today))
        self.date.setToolTip("Type it as YYYY-MM-DD, or F4 or Alt+Down for the calendar")
        self.spelled = plain(QLabel())
        self.form.addRow("", self.spelled)
        self.incident_day = incident_day
        self.day_button = QPushButton(f"The &incident's day ({incident_day.isoformat()})")
        self.day_button.setAutoDefault(False)
        self.day_button.clicked.connect(self.use_incident_day)
        self.form.addRow("", self.day_button)
        self.about = plain(QLabel("\n".join(lines)))
        self.about.setWordWrap(True)
        self.form.addRow(self.about)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Record")
        self.date.dateChanged.connect(self.show_spelled)
        self.show_spelled()
        self.setMinimumWidth(480)

    def show_spelled(self) -> None:
        self.spelled.setText(spelled(self.date.date().toPython()))

    def use_incident_day(self) -> None:
        day = self.incident_day
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.date.setFocus(Qt.FocusReason.OtherFocusReason)
        self.date.start_over()

    def accept(self) -> None:
        if self.recorded:  # a second Enter that came too late: recorded once is enough
            return
        problem = self.date.typed_problem()
        if problem:
            self.refuse_date(problem)
            return
        try:
            self.record(self.date.date().toPython().isoformat())
        except JournalError as exc:
            self.refuse_date(str(exc))
            return
        self.recorded = True
        super().accept()

    def refuse_date(self, why: str) -> None:
        """Said under the field, which keeps the keyboard, ready for the date typed again."""
        self.refusal.setText(why)
        self.refusal.show()
        self.date.setFocus(Qt.FocusReason.OtherFocusReason)
        self.date.start_over()


def confirm_take_back(parent, what: str, date: str, counts_for: list[str]) -> bool:
    """Asked before a date is taken back; Enter and Esc keep it."""
    box = QMessageBox(
        QMessageBox.Icon.Question, "Take back a date",
        f"Take back {what} ({date})? What is counted from it will have no date until it is "
        "recorded again: " + "; ".join(counts_for) + ". The journal keeps both entries.",
        parent=parent)
    take = box.addButton("&Take back the date", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("&Keep it", QMessageBox.ButtonRole.RejectRole)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is take
