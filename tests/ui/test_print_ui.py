"""Paper from the window: Ctrl+P on a page, the whole binder and the handover, as PDF files."""

import shutil
import subprocess

import pytest
from PySide6.QtPrintSupport import QPrinter

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture
def to_pdf(monkeypatch, tmp_path):
    """The print dialog answered with 'Print to file (PDF)' and a file name, as a person would."""
    asked = []

    def ask_printer(actions, title, pdf_name):
        asked.append(title)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / f"{len(asked)}.pdf"))
        return printer

    from binder.ui.print_actions import PrintActions
    monkeypatch.setattr(PrintActions, "ask_printer", ask_printer)
    return asked


@needs_poppler
def test_ctrl_p_prints_the_open_page_with_empty_boxes(make_window, qtbot, to_pdf, tmp_path):
    window = make_window()
    assert not window.printing.actions["page"].isEnabled()  # nothing open yet
    window.open_document("tourniquet")
    qtbot.keySequence(window, "Ctrl+P")
    assert to_pdf == ["Print “Tourniquet”"]
    text = pdf_text(tmp_path / "1.pdf")
    assert "Tourniquet" in text and "Initials" in text and "Page 1 of 1" in text
    assert "pages saved to" in window.statusBar().currentMessage()


@needs_poppler
def test_the_whole_binder_has_the_agency_on_its_cover(make_window, qtbot, to_pdf, tmp_path,
                                                       monkeypatch):
    from PySide6.QtWidgets import QInputDialog
    window = make_window()
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *args: ("Springfield Police Department", True)))
    window.printing.actions["agency"].trigger()
    assert window.journal.setting("agency_name") == "Springfield Police Department"
    qtbot.keySequence(window, "Ctrl+Shift+B")
    text = pdf_text(tmp_path / "1.pdf")
    assert "Springfield Police Department" in text
    assert "Casualty guide" in text and "Tourniquet" in text


@needs_poppler
def test_handover_sheets_show_who_ticked_what(make_window, qtbot, to_pdf, tmp_path, start_on_ask):
    window = make_window()
    assert not window.printing.actions["handover"].isEnabled()  # no incident yet
    window.open_document("tourniquet")
    window.checklist_view.rows["tourniquet/cover"].checkbox.click()
    assert window.printing.actions["handover"].isEnabled()
    qtbot.keySequence(window, "Ctrl+Shift+H")
    text = pdf_text(tmp_path / "1.pdf")
    assert "Mall shooting" in text and "Done by Ann Lee" in text


def test_an_unwritable_file_is_a_message_not_a_crash(make_window, qtbot, monkeypatch, tmp_path):
    from binder.ui.print_actions import PrintActions

    def ask_printer(actions, title, pdf_name):
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "no-such-folder" / "x.pdf"))
        return printer

    monkeypatch.setattr(PrintActions, "ask_printer", ask_printer)
    window = make_window()
    window.open_document("casualty-guide")
    qtbot.keySequence(window, "Ctrl+P")
    assert "cannot be written" in window.statusBar().currentMessage()


@pytest.mark.qt_log_ignore("QPainter::begin")  # Qt's own word for the failure we report
def test_a_printer_that_will_not_start_is_a_message_not_a_crash(make_window, qtbot, monkeypatch):
    from binder.ui.print_actions import PrintActions

    # With no printer installed, Qt's default printer is a PDF file with no name: it cannot start.
    monkeypatch.setattr(PrintActions, "ask_printer", lambda actions, title, pdf_name: QPrinter())
    window = make_window()
    window.open_document("tourniquet")
    qtbot.keySequence(window, "Ctrl+P")
    assert window.statusBar().currentMessage() == (
        "Tourniquet could not be printed: the printer or PDF file cannot be opened for writing.")
