"""Incident > After-action draft… and the note dialog's "This is a decision", driven by keys."""

import shutil
import subprocess
import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from binder.journal.journal import Journal
from tests.ui.test_notes import when_dialog_shows


@pytest.fixture
def window(make_window, start_on_ask):
    window = make_window()
    window.open_document("tourniquet")
    window.session.start_incident("Mall shooting")
    return window


def notes(data):
    journal = Journal(data / "journal.db")
    try:
        return [(e.data.get("text"), e.data.get("decision")) for e in journal.events()
                if e.kind == "note"]
    finally:
        journal.close()


def settle(dialog) -> None:
    """Until the dialog has the keyboard, as it has for a person once it is on screen."""
    deadline = time.monotonic() + 5
    while not dialog.isActiveWindow() and time.monotonic() < deadline:
        QApplication.processEvents()


def write_note(qtbot, window, text: str, decision: bool) -> None:
    """Incident > Add a note (Ctrl+Shift+M): the text, Tab past "It happened earlier" to
    "This is a decision", Space to tick it, Ctrl+Enter to save."""
    focused = []

    def act(dialog):
        settle(dialog)
        QTest.keyClicks(QApplication.focusWidget(), text)
        if decision:
            for _ in range(2):
                QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
                focused.append(QApplication.focusWidget())
            if focused[-1] is not getattr(dialog, "decision", None):
                dialog.reject()  # (an assertion here would leave the dialog open)
                return
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)

    shown = when_dialog_shows(qtbot, act)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_M,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert shown
    if decision:
        assert focused[-1] is getattr(shown[0], "decision", ()), focused


def test_a_note_flagged_as_a_decision_is_stored_as_one(window, qtbot, tmp_path):
    write_note(qtbot, window, "Evacuate the east wing", decision=True)
    write_note(qtbot, window, "Ambulance 3 on scene", decision=False)
    assert notes(tmp_path / "data") == [("Evacuate the east wing", True),
                                        ("Ambulance 3 on scene", None)]


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_menu_saves_the_draft_where_the_person_types(window, qtbot, tmp_path):
    window.checklist_view.rows["tourniquet/cover"].checkbox.click()
    write_note(qtbot, window, "Evacuate the east wing", decision=True)
    target = tmp_path / "out" / "mall-aar.pdf"
    target.parent.mkdir()

    def type_the_path(dialog):
        settle(dialog)
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # Qt's own "File name:" field
        QTest.mouseClick(name, Qt.MouseButton.LeftButton)
        QTest.keyClick(name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(name, str(target))
        QTest.keyClick(name, Qt.Key.Key_Return)

    shown = when_dialog_shows(qtbot, type_the_path)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Incident")
    menu.popup(window.mapToGlobal(QPoint(0, 0)))  # as a click on "Incident" opens it
    qtbot.waitUntil(menu.isVisible)
    QTest.keyClick(menu, Qt.Key.Key_A)  # &After-action draft…
    qtbot.waitUntil(target.exists)
    assert shown
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                          text=True, check=True).stdout
    words = " ".join(text.split())
    assert "After-action draft" in words and "Mall shooting" in words
    assert "Done: Move to cover if you can" in words
    assert "Decision: Evacuate the east wing" in words
    assert window.statusBar().currentMessage() == f"After-action draft saved to {target}"
