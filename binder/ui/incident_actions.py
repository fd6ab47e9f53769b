"""The Incident menu: start, switch, close, note, what is left, export, verify, operator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from binder.journal.journal_errors import JournalError
from binder.ui.plain import menu_text
from binder.ui.report_actions import ReportActions

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

    from binder.search.library import Library
    from binder.ui.incident_ui import WhatsLeftDialog
    from binder.ui.session import Session
    from binder.ui.status_bar import StatusBar

# The dialogs and the chain's check are imported where they are used: the window's frame is on
# screen before they are loaded (see MainWindow.fill).


class IncidentActions:
    """The Incident menu's entries: they ask in dialogs over `window`, write through the
    `session`, say what went wrong on `status`, and open a step left with `open_hit`; What is
    left reads the `library()` in use."""

    def __init__(self, window: QWidget, menu: QMenu, session: Session,
                 library: Callable[[], Library | None],
                 open_hit: Callable[[str, str], None], status: StatusBar):
        self.window, self.session, self.status = window, session, status
        self.library, self.open_hit = library, open_hit
        self.actions = {}
        for key, label, shortcut, handler in (
            ("start", "&Start an incident…", "Ctrl+Shift+I", self.start_incident),
            ("left", "&What is left…", "Ctrl+Shift+L", self.show_whats_left),
            ("note", "Add a &note to the log…", "Ctrl+Shift+M", self.add_incident_note),
            ("export", "&Export activity log (ICS 214)…", "Ctrl+E", self.choose_export),
            ("verify", "&Verify the journal", "", self.show_chain_report),
            ("close", "&Close this incident…", "", self.confirm_close_incident),
            ("operator", "Change who is &logging…", "", self.change_operator),
        ):
            action = QAction(label, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, h=handler: h())
            menu.addAction(action)
            self.actions[key] = action
        self.report = ReportActions(window, menu, self.actions["verify"], session, library, status)
        self.switch_menu = menu.addMenu("S&witch to")
        self.switch_menu.aboutToShow.connect(self.fill_switch_menu)
        session.changed.connect(self.update_actions)
        self.update_actions()

    def checkin_actions(self, menu: QMenu):
        """Incident > Check-in (ICS 211), before the export (binder/ui/checkin_actions.py)."""
        from binder.ui.checkin_actions import CheckinActions

        return CheckinActions(self.window, menu, self.actions["export"], self.session,
                              self.status)

    def deadline_actions(self, menu: QMenu):
        """Incident > Deadlines, before the export (binder/ui/deadline_actions.py)."""
        from binder.ui.deadline_actions import DeadlineActions

        return DeadlineActions(self.window, menu, self.actions["export"], self.session,
                               self.library, self.status)

    def update_actions(self) -> None:
        writable, incident = self.session.writable, self.session.incident
        is_open = incident is not None and incident.is_open
        for key in ("start", "operator"):
            self.actions[key].setEnabled(writable)
        for key in ("note", "close"):
            self.actions[key].setEnabled(writable and is_open)
        for key in ("left", "export", "verify"):  # a read-only journal is still read
            self.actions[key].setEnabled(self.session.journal is not None
                                         and incident is not None)

    def fill_switch_menu(self) -> None:
        """Every incident, the current one ticked."""
        self.switch_menu.clear()
        group = QActionGroup(self.switch_menu)  # exclusive: one tick
        current = self.session.incident.id if self.session.incident else ""
        for incident in self.session.incidents():
            mark = " (exercise)" if incident.exercise else ""
            state = "" if incident.is_open else " (closed)"
            action = self.switch_menu.addAction(menu_text(f"{incident.name}{mark}{state}"))
            action.setCheckable(True)
            action.setChecked(incident.id == current)
            group.addAction(action)
            action.triggered.connect(lambda _=False, i=incident.id: self.switch_incident(i))
        if not self.switch_menu.actions():
            self.switch_menu.addAction("No incidents yet").setEnabled(False)

    def switch_incident(self, incident_id: str) -> None:
        """Shown at once; if it cannot be remembered for the next start, the status bar says so."""
        try:
            self.session.switch(incident_id)
        except JournalError as exc:  # the switch is on screen, only not remembered
            self.status.showMessage(f"Switched, but Binder will not remember it: {exc}")

    # Asking, then writing

    def ensure_operator(self) -> bool:
        if self.session.operator is not None:
            return True
        return self.change_operator()

    def change_operator(self) -> bool:
        from binder.ui.dialogs import OperatorDialog

        dialog = OperatorDialog(self.session.operator, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.write(lambda: self.session.set_operator(dialog.operator()))

    def ensure_incident(self) -> bool:
        """Before a step is logged: an open incident, starting one if there is none."""
        session = self.session
        if not session.writable or not self.ensure_operator():
            return False
        if session.incident is not None:
            if not session.incident.is_open:
                self.status.showMessage("This incident is closed: it is read only.", 8000)
            return session.incident.is_open
        return self.start_incident(
            "No incident is open. Start one to log this step (Enter accepts the name).")

    def start_incident(self, reason: str = "") -> bool:
        if not self.ensure_operator() or not self.confirm_another_incident():
            return False
        from binder.ui.dialogs import IncidentDialog

        values = IncidentDialog.ask(self.window, reason)
        if values is None:
            return False
        return self.write(lambda: self.session.start_incident(**values))

    def confirm_another_incident(self) -> bool:
        """With an incident still open, starting another is asked first (Enter keeps it)."""
        still_open = self.session.open_incidents()
        if not still_open:
            return True
        names = " and ".join(f"“{i.name}”" for i in still_open)
        verb = "is" if len(still_open) == 1 else "are"
        box = QMessageBox(
            QMessageBox.Icon.Question, "Start another incident",
            f"{names} {verb} still open. Start another incident as well? What is logged then "
            "goes to the new one; the open one stays open (Incident > Switch to goes back).",
            parent=self.window)
        start = box.addButton("Start another incident", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the names as typed
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is start

    def add_incident_note(self) -> None:
        from binder.ui.dialogs import NoteDialog, is_decision

        answer = NoteDialog.ask(self.window, self.session.incident.name)
        if answer:
            self.write(lambda: self.session.add_note(answer[0], occurred_at=answer[1],
                                                     decision=is_decision(answer)))

    def confirm_close_incident(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question, "Close the incident",
            f"Close “{self.session.incident.name}”? It can still be read and exported, "
            "but nothing more can be logged in it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name as typed
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.write(self.session.close_incident)

    def write(self, change) -> bool:
        """A change to the journal; if it cannot be saved, the status bar says why."""
        try:
            change()
        except JournalError as exc:
            self.status.showMessage(str(exc))
            return False
        return True

    # Reading

    def show_whats_left(self) -> WhatsLeftDialog:
        from binder.ui.incident_ui import WhatsLeftDialog

        dialog = self.whats_left = WhatsLeftDialog(self.session, self.library(), self.window)
        dialog.open_step.connect(self.open_left_step)
        dialog.open()
        return dialog

    def open_left_step(self, doc_id: str, step_id: str) -> None:
        """From What is left: the checklist, scrolled to the step, marked, with the keyboard."""
        self.open_hit(doc_id, step_id)
        self.window.activateWindow()  # the dialog has gone: the keys go to the step

    def chain_text(self) -> str:
        """The verdict, the head, and what the check proves and cannot prove."""
        from binder.journal.journal import verify_chain
        from binder.journal.verify import statement

        report = verify_chain(self.session.journal, self.session.incident.id)
        name = self.session.incident.name
        verdict = (f"The journal of “{name}” is intact: {report.count} entries, head "
                   f"{report.head}." if report.intact else
                   f"The journal of “{name}” is NOT intact: {report.problem}. Head now: "
                   f"{report.head or 'none'}.")
        return "\n\n".join([verdict, *statement(name, report)[1 + (not report.intact):]])

    def show_chain_report(self) -> None:
        QMessageBox.information(self.window, "Verify the journal", self.chain_text())

    def choose_export(self) -> None:
        name = "".join(c if c.isalnum() else "-" for c in self.session.incident.name)
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export the activity log (ICS 214)",
            str(Path.home() / f"{name}-ICS214.pdf"), "PDF (*.pdf);;CSV (*.csv)")
        if path:
            self.export_activity_log(Path(path))

    def export_activity_log(self, path: Path) -> bool:
        from binder.paper.export import ExportError, activity_log, export_csv, export_pdf

        try:
            log = activity_log(self.session.journal, self.session.incident.id)
            (export_csv if path.suffix.lower() == ".csv" else export_pdf)(log, path)
        except ExportError as exc:
            self.status.showMessage(str(exc))
            return False
        self.status.show_saved(f"Activity log saved to {path}", path)
        return True
