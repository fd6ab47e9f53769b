"""Incident > Deadlines: the current incident's funding deadlines as dates, grouped by
programme, and the dates people record for them."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from binder.journal.journal_errors import JournalError
from binder.ui.plain import plain, tooltip

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

    from binder.paper.deadlines import DeadlineRow
    from binder.search.library import Library
    from binder.ui.session import Session
    from binder.ui.status_bar import StatusBar

COLUMNS = ("Deadline", "Date", "Counted", "Source")
WIDTHS = (300, 250, 330)  # the source takes the rest
ROW = Qt.ItemDataRole.UserRole  # the row's index in DeadlineList.rows; -1 on a programme
DAY_CHECK_MS = 60_000  # the list open past midnight counts from the new day


class DeadlineActions:
    """The menu entry (before `before` in `menu`) and the list it opens over `window`; it reads
    the `library()` in use, writes through the `session`'s journal, and says on `status` what
    could not be saved. `today` gives the date the distances count from."""

    def __init__(self, window: QWidget, menu: QMenu, before: QAction, session: Session,
                 library: Callable[[], Library | None], status: StatusBar):
        self.window, self.session, self.library, self.status = window, session, library, status
        self.today: Callable[[], dt.date] = dt.date.today
        self.list: DeadlineList | None = None
        self.action = QAction("&Deadlines…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.action.setToolTip("This incident's funding deadlines as dates (Ctrl+Shift+D)")
        self.action.triggered.connect(lambda: self.open_list())
        menu.insertAction(before, self.action)
        session.changed.connect(self.update_action)
        self.update_action()

    def update_action(self) -> None:  # a read-only journal is still read
        self.action.setEnabled(self.session.journal is not None
                               and self.session.incident is not None)

    def open_list(self) -> DeadlineList:
        if self.list is None:
            self.list = DeadlineList(self.session, self.library, self.status, self.window)
        self.list.today = self.today
        self.list.refresh()
        self.list.show()
        self.list.activateWindow()
        self.list.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return self.list


class FundingPages:
    """The funding pages of a library (title, dates, deadlines; unrendered), each read once:
    what `paper.deadlines.deadline_rows` reads, kept while the list is open."""

    def __init__(self, library: Library):
        self.library = library
        self.pages = library.deadline_pages()
        self.docs = {page: library.deadline_page(page) for page in self.pages}

    def deadline_pages(self) -> list[str]:
        return self.pages

    def deadline_page(self, page: str):
        return self.docs.get(page)

    document = deadline_page  # the title of a programme's row


class DeadlineList(QDialog):
    """Every funding deadline of the current incident, the selected one's note, source and who
    recorded its date below, and the buttons that record a date or take it back."""

    def __init__(self, session: Session, library: Callable[[], Library | None],
                 status: StatusBar, parent=None):
        super().__init__(parent)
        self.session, self.library, self.status = session, library, status
        self.today: Callable[[], dt.date] = dt.date.today
        self.pages: FundingPages | None = None
        self.rows: list[DeadlineRow] = []
        self.shown_day: dt.date | None = None
        self.setWindowTitle("Deadlines")
        self.heading = plain(QLabel())
        self.heading.setWordWrap(True)
        self.tree = self.make_tree()
        self.details = plain(QLabel())
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details.setAccessibleName("The selected deadline")
        self.details.setMinimumHeight(150)
        self.buttons = {}
        row = QHBoxLayout()
        for key, label, handler in (
                ("record", "&Record date…", self.record),
                ("take_back", "&Take back date…", self.take_back),
                ("close", "Close", self.close)):
            button = self.buttons[key] = QPushButton(label)
            button.setAutoDefault(False)  # Enter in the list presses nothing
            button.clicked.connect(lambda _=False, h=handler: h())
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 3)
        layout.addWidget(self.details, 1)
        layout.addLayout(row)
        screen = self.screen().availableGeometry()
        self.resize(min(1180, screen.width() - 40), min(700, screen.height() - 60))
        self.tree.currentItemChanged.connect(lambda *_: self.show_current())
        session.changed.connect(lambda: self.refresh() if self.isVisible() else None)
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(DAY_CHECK_MS)
        self.day_timer.timeout.connect(
            lambda: self.refresh() if self.isVisible() and self.today() != self.shown_day
            else None)
        self.day_timer.start()

    def make_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setColumnCount(len(COLUMNS))
        tree.setHeaderLabels(COLUMNS)
        tree.setAccessibleName("Funding deadlines")
        tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        tree.setWordWrap(True)  # two lines fit in a row's 44 px
        tree.setIndentation(14)
        for column, width in enumerate(WIDTHS):
            tree.setColumnWidth(column, width)
        tree.header().setStretchLastSection(True)
        tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        return tree

    # Reading

    def refresh(self) -> None:
        """The rows counted again from the incident's events (kept in memory by the session)
        and today's date; the same deadline stays selected."""
        from binder.content.store import StoreError
        from binder.paper.deadlines import deadline_rows

        incident, library = self.session.incident, self.library()
        problem = ""
        if library is not None and (self.pages is None or self.pages.library is not library):
            try:
                self.pages = FundingPages(library)
            except (StoreError, sqlite3.Error) as exc:  # a damaged content.db: said, not raised
                self.pages, problem = None, f"The binder's pages could not be read: {exc}"
        kept = self.current_key()
        notes = [e for e in self.session.events() if e.kind == "note"]
        self.rows = deadline_rows(self.pages, incident, notes) if incident and self.pages else []
        self.shown_day = self.today()
        self.fill_tree(kept)
        self.heading.setText(problem or self.heading_text())
        self.show_current()

    def fill_tree(self, kept: tuple | None) -> None:
        from binder.ui.deadline_text import cells, near_word

        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        chosen = first = None
        for index, row in enumerate(self.rows):
            group = groups.get(row.programme)
            if group is None:
                doc = self.pages.document(row.page)
                group = groups[row.programme] = QTreeWidgetItem([doc.title if doc else
                                                                 row.programme])
                group.setData(0, ROW, -1)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                self.tree.addTopLevelItem(group)
                group.setFirstColumnSpanned(True)
                group.setExpanded(True)
                if kept == ("programme", group.text(0)):
                    chosen = group
            item = QTreeWidgetItem(cells(row, self.shown_day))
            item.setData(0, ROW, index)
            for column in range(len(COLUMNS)):
                item.setToolTip(column, tooltip(item.text(column)))
            if near_word(row, self.shown_day):
                font = item.font(0)
                font.setBold(True)
                for column in range(len(COLUMNS)):
                    item.setFont(column, font)
            group.addChild(item)
            first = first or item
            if chosen is None and self.key(row) == kept:
                chosen = item
        if chosen or first:
            self.tree.setCurrentItem(chosen or first)

    def heading_text(self) -> str:
        from binder.paper.deadlines import day_text, zone_text

        incident = self.session.incident
        if incident is None:
            return "No incident is open."
        if self.pages is None:
            return "The binder's content could not be read: no deadlines to show."
        lines = [f"{incident.name}. {zone_text(incident)} Today: {day_text(self.shown_day)}."]
        if not incident.is_open:
            lines.append("This incident is closed: read only.")
        elif not self.session.writable:
            lines.append("The journal is read only here: dates cannot be recorded.")
        return "\n".join(lines)

    @staticmethod
    def key(row: DeadlineRow | None) -> tuple | None:
        return None if row is None else (row.page, row.deadline.what, row.date_name)

    def current_key(self) -> tuple | None:
        """What is selected, to select again once the list is filled anew."""
        item = self.tree.currentItem()
        if item is not None and item.data(0, ROW) == -1:
            return ("programme", item.text(0))
        return self.key(self.current_row())

    def current_row(self) -> DeadlineRow | None:
        item = self.tree.currentItem()
        index = item.data(0, ROW) if item is not None else -1
        return self.rows[index] if index is not None and 0 <= index < len(self.rows) else None

    def show_current(self) -> None:
        from binder.ui.deadline_text import details

        row = self.current_row()
        here = self.session.journal.device_id if self.session.journal else ""
        item = self.tree.currentItem()
        if row is not None:
            self.details.setText(details(row, self.rows, self.shown_day, here))
        elif item is not None:
            self.details.setText(f"{item.text(0)}: {item.childCount()} deadlines. Move down to "
                                 "one to see how it is counted.")
        else:
            self.details.setText("")
        writable = self.writable()
        self.buttons["record"].setEnabled(writable and bool(row and row.date_name))
        self.buttons["take_back"].setEnabled(writable and bool(row and row.start
                                                               and row.recorded))

    def writable(self) -> bool:
        incident = self.session.incident
        return bool(incident and incident.is_open and self.session.writable)

    # Writing

    def counts_for(self, row: DeadlineRow) -> list[str]:
        """Every deadline counted from the same date as `row`."""
        return [r.deadline.what for r in self.rows
                if r.page == row.page and r.date_name == row.date_name]

    def record(self) -> bool:
        """Record date…: the dialog writes the note itself, so that a refusal stays in it."""
        from binder.journal.deadline_dates import incident_day, record_date
        from binder.ui.deadline_dialogs import RecordDateDialog

        row, incident = self.current_row(), self.session.incident
        if row is None or not row.date_name or not self.writable():
            return False
        today = self.today()
        lines = ["Counts for: " + "; ".join(self.counts_for(row)) + "."]
        if row.start is not None:
            lines.append(f"Recorded now: {row.start.isoformat()}. A date recorded here takes its "
                         "place; the journal keeps both.")
        dialog = RecordDateDialog(
            row.date_label, lines, today, incident_day(incident)[0],
            lambda value: record_date(self.session.journal, incident, row.page, row.date_name,
                                      row.date_label, value, today=today), self)
        done = dialog.exec() == QDialog.DialogCode.Accepted
        if done:
            self.written()
        self.back_to_list()
        return done

    def take_back(self) -> bool:
        from binder.journal.deadline_dates import record_date
        from binder.ui.deadline_dialogs import confirm_take_back

        row, incident = self.current_row(), self.session.incident
        if row is None or row.start is None or row.recorded is None or not self.writable():
            return False
        if not confirm_take_back(self, row.date_label, row.start.isoformat(),
                                 self.counts_for(row)):
            self.back_to_list()
            return False
        try:
            record_date(self.session.journal, incident, row.page, row.date_name,
                        row.date_label, "")
        except JournalError as exc:
            self.session.follow()
            self.refresh()
            self.heading.setText(str(exc))
            self.status.showMessage(str(exc))
            return False
        self.written()
        self.back_to_list()
        return True

    def written(self) -> None:
        self.session.state.update()  # the window's own write: fold it in now
        self.session.changed.emit()

    def back_to_list(self) -> None:
        """After a dialog over the list: the keyboard back on the deadline it was on."""
        self.activateWindow()
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
