"""Incident > Check-in (ICS 211): who is checked in, Check in, Check out, Hours for the claim."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from binder.journal.journal_errors import JournalError
from binder.ui.plain import plain

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

    from binder.ui.session import Session
    from binder.ui.status_bar import StatusBar

COLUMNS = ("Name", "Agency", "Position", "Since", "Laptop")
CHECKIN_ID = Qt.ItemDataRole.UserRole


class CheckinActions:
    """The menu entry (before `before` in `menu`) and the list it opens over `window`; writes
    go through the `session`'s journal, messages to `status`."""

    def __init__(self, window: QWidget, menu: QMenu, before: QAction, session: Session,
                 status: StatusBar):
        self.window, self.session, self.status = window, session, status
        self.list: CheckinList | None = None
        self.action = QAction("Check-&in (ICS 211)…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.action.setToolTip("Who is checked in; check people in and out; hours (Ctrl+Shift+K)")
        self.action.triggered.connect(lambda: self.open_list())
        menu.insertAction(before, self.action)
        session.changed.connect(self.update_action)
        self.update_action()

    def update_action(self) -> None:
        self.action.setEnabled(self.session.journal is not None
                               and self.session.incident is not None)

    def open_list(self) -> CheckinList:
        if self.list is None:
            self.list = CheckinList(self.session, self.status, self.window)
        self.list.refresh()
        self.list.show()
        self.list.activateWindow()
        self.list.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return self.list


class CheckinList(QDialog):
    """Who is checked in now (every laptop's entries), with the buttons that change it."""

    def __init__(self, session: Session, status: StatusBar, parent=None):
        super().__init__(parent)
        self.session, self.status = session, status
        self.setWindowTitle("Check-in (ICS 211)")
        self.heading = plain(QLabel())
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName("Checked in")
        self.buttons = {}
        row = QHBoxLayout()
        for key, label, handler in (
                ("in", "&Check in…", self.check_in), ("out", "Check &out…", self.check_out),
                ("hours", "&Hours for the claim (CSV)…", self.choose_hours),
                ("close", "Close", self.close)):
            button = self.buttons[key] = QPushButton(label)
            button.setAutoDefault(False)  # Enter in the list presses nothing
            button.clicked.connect(lambda _=False, h=handler: h())
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree)
        layout.addLayout(row)
        self.resize(760, 420)
        session.changed.connect(lambda: self.refresh() if self.isVisible() else None)

    def refresh(self) -> None:
        """The open check-ins, from the journal (an index lookup per look)."""
        from binder.journal.checkins import at_once, read_stints, stamp

        incident = self.session.incident
        stints = read_stints(self.session.journal, incident.id)[0] if incident else []
        doubles = at_once(stints)
        current = self.selected()
        self.tree.clear()
        here = self.session.journal.device_id if self.session.journal else ""
        for stint in (s for s in stints if s.is_open):
            device = stint.checkin.device
            laptop = "" if device in ("", here) else f"another laptop ({device})"
            if stint.checkin.id in doubles:
                laptop = "; ".join(filter(None, (laptop, "also checked in on another laptop")))
            item = QTreeWidgetItem([stint.name, stint.agency, stint.position,
                                    stamp(stint.start), laptop])
            item.setData(0, CHECKIN_ID, stint.checkin.id)
            self.tree.addTopLevelItem(item)
            if stint.checkin.id == current:
                self.tree.setCurrentItem(item)
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        count = self.tree.topLevelItemCount()
        name = incident.name if incident else "no incident"
        self.heading.setText(f"{count} checked in — {name}")
        writable = bool(incident and incident.is_open and self.session.writable)
        self.buttons["in"].setEnabled(writable)
        self.buttons["out"].setEnabled(writable and count > 0)

    def selected(self) -> str:
        item = self.tree.currentItem()
        return item.data(0, CHECKIN_ID) if item is not None else ""

    def check_in(self) -> bool:
        from binder.journal.checkins import check_in
        from binder.ui.checkin_dialogs import CheckinDialog

        answer = CheckinDialog.ask(self)
        if answer is None:
            return False
        fields, occurred = answer
        return self.write(lambda: check_in(self.session.journal, self.session.incident.id,
                                           fields, occurred))

    def check_out(self) -> bool:
        from binder.journal.checkins import check_out
        from binder.ui.checkin_dialogs import CheckoutDialog

        item = self.tree.currentItem()
        if item is None:
            return False
        person = item.text(0) + (f" ({item.text(1)})" if item.text(1) else "")
        occurred = CheckoutDialog.ask(self, person)
        if occurred is None:
            return False
        return self.write(lambda: check_out(self.session.journal, self.session.incident.id,
                                            item.data(0, CHECKIN_ID), occurred))

    def write(self, change) -> bool:
        """A check-in or check-out; a refusal is said in the list's heading and status bar."""
        try:
            change()
        except JournalError as exc:
            self.session.follow()
            self.refresh()
            self.heading.setText(str(exc))
            self.status.showMessage(str(exc))
            return False
        self.session.state.update()  # the window's own write: fold it in now
        self.session.changed.emit()
        self.tree.setFocus()
        return True

    def whole_time(self) -> tuple[dt.datetime, dt.datetime]:
        from binder.journal.checkins import read_stints
        from binder.journal.hours import whole_time

        incident = self.session.incident
        stints = read_stints(self.session.journal, incident.id)[0]
        return whole_time(incident.started_at, incident.closed_at, stints)

    def choose_hours(self) -> Path | None:
        from binder.ui.checkin_dialogs import PeriodDialog

        start, end = (QDateTime.fromSecsSinceEpoch(int(t.timestamp()))
                      for t in self.whole_time())
        dialog = PeriodDialog(start, end, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        name = "".join(c if c.isalnum() else "-" for c in self.session.incident.name)
        path, _ = QFileDialog.getSaveFileName(self, "Save the hours for the claim",
                                              str(Path.home() / f"{name}-hours.csv"),
                                              "CSV (*.csv)")
        if not path:
            return None
        period = [dt.datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), dt.UTC)
                  for edit in (dialog.start, dialog.end)]
        return Path(path) if self.export_hours(Path(path), *period) else None

    def export_hours(self, path: Path, start: dt.datetime | None = None,
                     end: dt.datetime | None = None) -> bool:
        from binder.paper.hours import HoursError, export_hours_csv, hours_report

        try:
            report = hours_report(self.session.journal, self.session.incident.id, start, end)
            export_hours_csv(report, path)
        except HoursError as exc:
            self.status.showMessage(str(exc))
            self.heading.setText(str(exc))
            return False
        self.status.show_saved(f"Hours for the claim saved to {path}", path)
        return True
