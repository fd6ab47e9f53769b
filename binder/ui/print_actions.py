"""Paper from the window: this page, the whole binder, and the incident's handover sheets.

Each goes through the system's print dialog, which also offers printing to a PDF file. When the
printer is a PDF file, the file is written by the core's PDF functions instead, so it is written
whole and the whole binder gets its bookmarks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit

from binder.journal.journal_errors import JournalError

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

AGENCY_KEY = "agency_name"


def file_name(title: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in title).strip("-") or "binder"


class PrintActions:
    """Mixed into the main window: File and Incident menu entries that make paper."""

    def make_print_actions(self, file_menu, incident_menu) -> None:
        file_menu.addSeparator()
        self.print_actions = {}
        for key, label, keys, handler, menu in (
            ("page", "&Print this page…", "Ctrl+P", self.print_page, file_menu),
            ("binder", "Print the &whole binder…", "Ctrl+Shift+B", self.print_binder, file_menu),
            ("agency", "Agency &name on the printed binder…", "", self.ask_agency, file_menu),
            ("handover", "Print &handover sheets…", "Ctrl+Shift+H", self.print_handover,
             incident_menu),
        ):
            action = QAction(label, self)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _=False, h=handler: h())
            menu.addAction(action)
            self.print_actions[key] = action
        self.print_actions["binder"].setEnabled(self.store is not None)
        self.print_actions["page"].setEnabled(False)  # until a page is open
        self.session.changed.connect(self.update_print_actions)
        self.update_print_actions()

    def update_print_actions(self) -> None:
        incident = self.session.incident
        self.print_actions["handover"].setEnabled(self.store is not None and incident is not None)
        self.print_actions["agency"].setEnabled(self.journal is not None)

    @property
    def agency(self) -> str:
        return self.journal.setting(AGENCY_KEY, "") if self.journal is not None else ""

    def ask_agency(self) -> bool:
        name, ok = QInputDialog.getText(
            self, "Agency name", "The agency's name, for the cover of the printed binder:",
            QLineEdit.EchoMode.Normal, self.agency)
        if not ok:
            return False
        try:
            self.journal.set_setting(AGENCY_KEY, name.strip())
        except JournalError as exc:
            self.show_problem_bar(str(exc))
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
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(title)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    def print_page(self) -> None:
        from binder.paper import printing  # the paper code: only when printing

        if self.current is None or self.store is None:
            return
        doc = self.store.document(self.current.doc_id)
        if doc is None:
            return
        printer = self.ask_printer(f"Print “{doc.title}”", doc.title)
        if printer is not None:
            self.print_to(printer, doc.title, lambda p: printing.page_pdf(
                doc, p, revision=self.store.revision), lambda d: printing.paint_page(
                d, doc, revision=self.store.revision))

    def print_binder(self) -> None:
        from binder.paper import printing  # the paper code: only when printing

        if self.store is None:
            return
        printer = self.ask_printer("Print the whole binder", f"{self.agency} binder")
        if printer is not None:
            args = {"agency": self.agency, "revision": self.store.revision}
            self.print_to(printer, "The whole binder",
                          lambda p: printing.binder_pdf(self.store, p, **args),
                          lambda d: printing.paint_binder(d, self.store, **args))

    def print_handover(self) -> None:
        from binder.paper import printing  # the paper code: only when printing

        incident = self.session.incident
        if incident is None or self.store is None:
            return
        printer = self.ask_printer("Print the handover sheets", f"{incident.name} handover")
        if printer is not None:
            args = (self.store, self.journal, incident.id)
            revision = incident.content_revision or self.store.revision
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
            self.show_problem_bar(str(exc))
            return False
        except OSError as exc:  # the printer would not start: nothing was printed
            self.show_problem_bar(f"{what} could not be printed: {exc.strerror or exc}.")
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and path:
            self.statusBar().show_saved(done, Path(path))
        else:
            self.statusBar().showMessage(done, 15000)
        return True
