"""Agency packs in the window, kept in their place: a name asked for, a section of their own,
'not reviewed' said and counted, and each pack in or out of the printed binder."""

import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from tests.conftest import write_pages

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext (poppler-utils) is not installed")
RADIO = "# Radio plan\n\nUse channel 2 for the perimeter teams.\n\n## Channels\nTwo and five.\n"


def section_names(window) -> list[str]:
    tree = window.sections
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def section_titles(window, name) -> list[str]:
    tree = window.sections
    top = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(0) == name)
    return [top.child(i).text(0) for i in range(top.childCount())]


def pdf_text(path) -> str:
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


def test_adding_a_folder_asks_its_name_and_lists_its_pages_under_it(make_window, tmp_path,
                                                                    qtbot, monkeypatch):
    window = make_window()
    folder = write_pages(tmp_path / "export-2026", {"radio.md": RADIO})
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *args: str(folder)))
    window.packs.actions["add"].trigger()
    dialog = window.packs.name_dialog
    assert dialog.isVisible() and dialog.name.text() == "export-2026"
    qtbot.keyClicks(dialog.name, "Springfield County plan")  # replaces the selected name
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert section_names(window)[-1] == "Springfield County plan"
    assert section_titles(window, "Springfield County plan") == ["Radio plan"]
    assert "Radio plan" not in str(section_titles(window, "Response"))
    window.open_document("radio")
    recent = window.sections.recent_group.child(0)  # away from its section: the pack is said
    assert recent.text(0) == "Radio plan  · Springfield County plan"
    message = window.statusBar().currentMessage()
    assert "Added “Springfield County plan”: 1 pages, 1 not reviewed" in message
    window.packs.last_problems.close()


def test_the_name_asked_for_must_be_there_and_says_when_it_replaces_a_pack(make_window,
                                                                           tmp_path, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    window = make_window()
    first = write_pages(tmp_path / "first", {"radio.md": RADIO})
    assert window.packs.add_agency_content(first, "County plan")
    window.packs.last_problems.close()
    window.packs.ask_name(write_pages(tmp_path / "second", {"radio.md": RADIO}))
    dialog = window.packs.name_dialog
    add = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Delete)
    assert not add.isEnabled() and dialog.note.text() == "The pack needs a name."
    qtbot.keyClicks(dialog.name, "county  PLAN")
    assert add.isEnabled()
    assert dialog.note.text() == "“County plan” is already added: adding this folder replaces it."
    dialog.reject()


def test_a_page_nobody_reviewed_says_so_and_the_pack_list_counts_them(make_window, tmp_path):
    from binder.ui.packs_dialogs import PacksDialog

    window = make_window()
    folder = write_pages(tmp_path / "County", {
        "radio.md": RADIO,
        "shelter.md": "---\nlast_reviewed: 2026-09-01\n---\n# Shelter\n\nInterior rooms.\n"})
    assert window.packs.add_agency_content(folder, "County")
    window.packs.last_problems.close()
    assert window.open_document("radio")
    shown = window.document_view.toPlainText()
    assert "not reviewed" in shown and "last reviewed" not in shown
    assert shown.count("Use channel 2 for the perimeter teams.") == 1  # the summary once
    assert window.open_document("shelter")
    assert "last reviewed 2026-09-01" in window.document_view.toPlainText()
    dialog = PacksDialog(window.packs)
    assert dialog.list.item(0).text().startswith("County: 2 pages (1 not reviewed), from ")
    dialog.close()


@needs_poppler
def test_the_printed_binder_leaves_out_a_pack_unticked_in_the_file_menu(make_window, tmp_path,
                                                                        qtbot, to_pdf):
    window = make_window()
    assert window.packs.add_agency_content(write_pages(tmp_path / "c", {"radio.md": RADIO}),
                                           "County")
    window.packs.last_problems.close()
    qtbot.keySequence(window, "Ctrl+Shift+B")
    choices = window.printing.pack_choices()
    assert list(choices) == ["County"] and choices["County"].isChecked()
    choices["County"].trigger()  # unticked: left out
    qtbot.keySequence(window, "Ctrl+Shift+B")
    with_pack, without = pdf_text(tmp_path / "1.pdf"), pdf_text(tmp_path / "2.pdf")
    assert "Radio plan" in with_pack and "Radio plan" not in without
    assert with_pack.count("\f") > without.count("\f")
    window.close()
    again = make_window()  # the choice is kept on this machine
    assert not again.printing.pack_choices()["County"].isChecked()
    again.printing.pack_choices()["County"].trigger()
    assert again.printing.pack_choices()["County"].isChecked()


@needs_poppler
def test_search_print_and_the_window_see_the_same_binder(make_window, tmp_path, qtbot,
                                                          content_db):
    from binder.ui.sidebar import DOC_ID
    from tests.test_cli import binder

    data = tmp_path / "data"
    common = ("--data-dir", str(data), "--content-db", str(content_db))
    folder = write_pages(tmp_path / "County plan", {"radio.md": RADIO})
    added = binder(*common, "pack", "add", str(folder))
    assert added.returncode == 0, added.stderr
    assert "(1 not reviewed)" in added.stdout
    found = binder(*common, "search", "perimeter", "channel").stdout.splitlines()
    assert found[0] == " 1. Radio plan  (County plan, radio, County plan)"
    page = binder(*common, "print", "radio", "-o", str(tmp_path / "radio.pdf"))
    assert page.returncode == 0, page.stderr
    assert "Use channel 2 for the perimeter teams." in pdf_text(tmp_path / "radio.pdf")
    whole = binder(*common, "print", "--all", "-o", str(tmp_path / "all.pdf"))
    assert whole.returncode == 0, whole.stderr
    assert "County plan" in pdf_text(tmp_path / "all.pdf").split("\f")[1]  # the contents
    window = make_window()
    assert section_titles(window, "County plan") == ["Radio plan"]
    qtbot.keyClicks(window.search_box, "perimeter channel ")
    assert window.results.item(0).data(DOC_ID) == "radio"
    assert window.open_document("radio")
    assert "Use channel 2" in window.document_view.toPlainText()
