"""Paper from the window: this page, the whole binder, and the incident's handover sheets.

Each goes through the system's print dialog, which also offers printing to a PDF file. When the
printer is a PDF file, the file is written by the core's PDF functions instead, so it is written
whole and the whole binder gets its bookmarks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit

from binder.journal.journal_errors import JournalError

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QMenu, QWidget

    from binder.search.library import Library
    from binder.ui.session import Session
    from binder.ui.status_bar import StatusBar

AGENCY_KEY = "agency_name"
LEFT_OUT_KEY = "paper_packs_left_out"  # the agency packs the printed binder leaves out (JSON)


def file_name(title: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in title).strip("-") or "binder"


class PrintActions:
    """File and Incident menu entries that make paper: the page `current_page()` names, the
    whole `library()`, the `session`'s incident; `window` is the dialogs' parent."""

    def __init__(self, window: QWidget, file_menu: QMenu, incident_menu: QMenu, session: Session,
                 library: Callable[[], Library | None], current_page: Callable[[], str | None],
                 status: StatusBar):
        self.window, self.session, self.status = window, session, status
        self.library, self.current_page = library, current_page
        file_menu.addSeparator()
        self.actions = {}
        for key, label, keys, handler, menu in (
            ("page", "&Print this page…", "Ctrl+P", self.print_page, file_menu),
            ("binder", "Print the &whole binder…", "Ctrl+Shift+B", self.print_binder, file_menu),
            ("agency", "Agency &name on the printed binder…", "", self.ask_agency, file_menu),
            ("handover", "Print &handover sheets…", "Ctrl+Shift+H", self.print_handover,
             incident_menu),
        ):
            action = QAction(label, window)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _=False, h=handler: h())
            menu.addAction(action)
            self.actions[key] = action
            if key == "binder":
                self.packs_menu = file_menu.addMenu("Agency packs in the printed &binder")
                self.packs_menu.aboutToShow.connect(self.pack_choices)
        self.actions["binder"].setEnabled(library() is not None)
        self.actions["page"].setEnabled(False)  # until a page is open
        session.changed.connect(self.update_actions)
        self.update_actions()

    def update_actions(self) -> None:
        incident = self.session.incident
        self.actions["handover"].setEnabled(self.library() is not None and incident is not None)
        self.actions["agency"].setEnabled(self.session.journal is not None)

    @property
    def left_out(self) -> set[str]:
        """The names of the agency packs the printed binder leaves out (kept per machine)."""
        journal = self.session.journal
        try:
            names = json.loads(journal.setting(LEFT_OUT_KEY, "[]")) if journal else []
        except ValueError:
            names = []
        return {name for name in names if isinstance(name, str)}

    def pack_choices(self) -> dict[str, QAction]:
        """The menu of agency packs, each ticked when the printed binder includes it."""
        self.packs_menu.clear()
        library = self.library()
        names = [name for name, _ in library.packs] if library is not None else []
        left_out, choices = self.left_out, {}
        for name in names:
            action = self.packs_menu.addAction(f"Print “{name}”")
            action.setCheckable(True)
            action.setChecked(name not in left_out)
            action.toggled.connect(lambda on, n=name: self.print_pack(n, on))
            choices[name] = action
        if not names:
            self.packs_menu.addAction("No agency packs added").setEnabled(False)
        return choices

    def print_pack(self, name: str, printed: bool) -> None:
        left_out = self.left_out - {name} if printed else self.left_out | {name}
        if self.session.journal is None:
            self.status.showMessage("The choice of packs to print needs the journal.")
            return
        try:
            self.session.journal.set_setting(LEFT_OUT_KEY, json.dumps(sorted(left_out)))
        except JournalError as exc:  # a full disk, a read-only journal
            self.status.showMessage(f"The choice of packs to print was not kept: {exc}")

    @property
    def agency(self) -> str:
        journal = self.session.journal
        return journal.setting(AGENCY_KEY, "") if journal is not None else ""

    def ask_agency(self) -> bool:
        name, ok = QInputDialog.getText(
            self.window, "Agency name", "The agency's name, for the cover of the printed binder:",
            QLineEdit.EchoMode.Normal, self.agency)
        if not ok:
            return False
        try:
            self.session.journal.set_setting(AGENCY_KEY, name.strip())
        except JournalError as exc:
            self.status.showMessage(str(exc))
            return False
        return True

    def ask_printer(self, title: str, pdf_name: str) -> QPrinter | None:
        """The print dialog, with a PDF file in the home folder offered as one printer."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from binder.paper import printing
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        printer.setOutputFileName(str(Path.home() / f"{file_name(pdf_name)}.pdf"))
        printing.setup_paper(printer)  # Letter or A4 and our margins, unless changed here
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle(title)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    def print_page(self) -> None:
        from binder.paper import printing  # the paper code: only when printing

        library, page = self.library(), self.current_page()
        if page is None or library is None:
            return
        doc = library.document(page)
        if doc is None:
            return
        printer = self.ask_printer(f"Print “{doc.title}”", doc.title)
        if printer is not None:
            self.print_to(printer, doc.title, lambda p: printing.page_pdf(
                doc, p, revision=library.revision), lambda d: printing.paint_page(
                d, doc, revision=library.revision))

    def print_binder(self) -> None:
        from binder.paper import printing  # the paper code: only when printing

        library = self.library()
        if library is None:
            return
        left_out = self.left_out
        library = printing.binder_with(library, [n for n, _ in library.packs
                                                 if n not in left_out])
        printer = self.ask_printer("Print the whole binder", f"{self.agency} binder")
        if printer is not None:
            args = {"agency": self.agency, "revision": library.revision}
            self.print_to(printer, "The whole binder",
                          lambda p: printing.binder_pdf(library, p, **args),
                          lambda d: printing.paint_binder(d, library, **args))

    def print_handover(self) -> None:
        from binder.paper import printing  # the paper code: only when printing

        incident, library = self.session.incident, self.library()
        if incident is None or library is None:
            return
        printer = self.ask_printer("Print the handover sheets", f"{incident.name} handover")
        if printer is not None:
            args = (library, self.session.journal, incident.id)
            revision = incident.content_revision or library.revision
            self.print_to(printer, f"Handover for “{incident.name}”",
                          lambda p: printing.handover_pdf(*args, p, revision=revision),
                          lambda d: printing.paint_handover(*args, d, revision=revision))

    def print_to(self, printer: QPrinter, what: str, to_pdf, to_device) -> bool:
        """A PDF file through the core (written whole, with bookmarks), else the printer."""
        from PySide6.QtPrintSupport import QPrinter

        from binder.paper.export import ExportError
        path = printer.outputFileName()
        QGuiApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and path:
                sheets = to_pdf(Path(path))
                done = f"{what}: {sheets} pages saved to {path}"
            else:
                sheets = to_device(printer)
                done = f"{what}: {sheets} pages sent to {printer.printerName() or 'the printer'}"
        except ExportError as exc:
            self.status.showMessage(str(exc))
            return False
        except OSError as exc:  # the printer would not start: nothing was printed
            self.status.showMessage(f"{what} could not be printed: {exc.strerror or exc}.")
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and path:
            self.status.show_saved(done, Path(path))
        else:
            self.status.showMessage(done, 15000)
        return True
