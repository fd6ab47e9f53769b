"""Note dialogs take what is typed, and only that: focus in the text, Ctrl+Enter, Esc, empty."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit

from binder.journal.journal import Journal
from binder.ui.dialogs import DoneEarlierDialog, IncidentDialog, NoteDialog, OperatorDialog

SENTENCE = "Outer perimeter at Main and 5th"


@pytest.fixture
def window(make_window, start_on_ask):
    window = make_window()
    window.open_document("tourniquet")
    window.session.start_incident("Mall shooting")
    return window


def when_dialog_shows(qtbot, act):
    """Run `act(dialog)` once a modal dialog is up (exec() blocks the test until it closes).
    While it runs, a second dialog (the old bug: a typed N opening another) is turned away."""
    shown, acting = [], []

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.isVisible() and dialog not in shown:
            shown.append(dialog)
            if len(shown) > 1:
                dialog.reject()
                QTimer.singleShot(10, poll)
                return
            acting.append(True)
            QTimer.singleShot(10, poll)
            act(dialog)
            acting.clear()
            return
        if not shown or acting:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return shown


def type_sentence_then(keys_after):
    """Type the sentence key by key into whatever has the focus, as a person would, then
    `keys_after(focus)`."""
    def act(dialog):
        for char in SENTENCE:
            QApplication.processEvents()
            QTest.keyClicks(QApplication.focusWidget() or dialog, char)
        keys_after(QApplication.focusWidget() or dialog)
    return act


def show(qtbot, dialog):
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def step_entries(data):
    journal = Journal(data / "journal.db")
    try:
        return [(e.kind, e.step_id, e.data.get("text", "")) for e in journal.events()
                if e.kind not in ("operator", "start")]
    finally:
        journal.close()


def test_n_then_a_typed_sentence_and_ctrl_enter_is_one_note_and_nothing_else(
        window, qtbot, tmp_path):
    row = window.checklist_view.rows["tourniquet/cover"]
    row.checkbox.setFocus()
    shown = when_dialog_shows(qtbot, type_sentence_then(
        lambda widget: QTest.keyClick(widget, Qt.Key.Key_Return,
                                      Qt.KeyboardModifier.ControlModifier)))
    QTest.keyClick(row.checkbox, Qt.Key.Key_N)
    assert shown, "no dialog opened"
    assert step_entries(tmp_path / "data") == [("note", "tourniquet/cover", SENTENCE)]
    assert not row.state.done
    assert row.state.notes == (SENTENCE,)


@pytest.mark.parametrize("enter", [Qt.Key.Key_Enter, Qt.Key.Key_Return])
def test_ctrl_enter_on_the_keypad_or_main_keys_saves(qtbot, enter):
    dialog = NoteDialog("Cover")
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.text
    qtbot.keyClicks(QApplication.focusWidget(), "Two more with tourniquets")
    qtbot.keyClick(QApplication.focusWidget(), enter, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values() == ("Two more with tourniquets", "")


def test_esc_cancels_and_writes_nothing(window, qtbot, tmp_path):
    row = window.checklist_view.rows["tourniquet/cover"]
    row.checkbox.setFocus()
    shown = when_dialog_shows(qtbot, type_sentence_then(
        lambda widget: QTest.keyClick(widget, Qt.Key.Key_Escape)))
    QTest.keyClick(row.checkbox, Qt.Key.Key_N)
    assert shown
    assert step_entries(tmp_path / "data") == []
    assert row.state.notes == ()


def test_an_empty_note_is_refused_with_a_word(qtbot):
    dialog = NoteDialog("Cover")
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    qtbot.keyClicks(dialog.text, "   ")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.refusal.isVisible() and dialog.refusal.text() == "Type the note first."
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.text, "Ambulance 3 on scene")
    assert not dialog.refusal.isVisible()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values()[0] == "Ambulance 3 on scene"


def test_the_incident_note_takes_a_typed_sentence(window, qtbot, tmp_path):
    """Incident > Add a note is the same dialog, with no step."""
    when_dialog_shows(qtbot, type_sentence_then(
        lambda widget: QTest.keyClick(widget, Qt.Key.Key_Return,
                                      Qt.KeyboardModifier.ControlModifier)))
    window.incidents.actions["note"].trigger()
    assert step_entries(tmp_path / "data") == [("note", "", SENTENCE)]


@pytest.mark.parametrize("make", [
    lambda: DoneEarlierDialog("Move to cover"), lambda: NoteDialog("Cover"),
    lambda: IncidentDialog(), lambda: OperatorDialog(None)])
def test_space_never_presses_a_button_nobody_focused(qtbot, make):
    dialog = make()
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    focus = QApplication.focusWidget()
    assert focus is not None and dialog.isAncestorOf(focus)
    assert focus not in dialog.buttons.buttons(), type(focus).__name__
    qtbot.keyClick(focus, Qt.Key.Key_Space)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    if isinstance(focus, QPlainTextEdit):
        assert focus.toPlainText() == " "


def test_dialogs_follow_the_window_text_size_and_have_44_px_targets(window, qtbot):
    window.view_actions.set_zoom(150)
    dialog = NoteDialog("Cover", window)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    page_size = window.checklist_view.rows["tourniquet/cover"].text.font().pointSizeF()
    assert dialog.text.font().pointSizeF() >= 11 * 1.5 - 0.1
    assert dialog.text.font().pointSizeF() <= page_size
    for button in dialog.buttons.buttons():
        assert button.height() >= 44
    assert dialog.earlier.height() >= 44 and dialog.when.height() >= 44


def test_the_step_menus_add_a_note_takes_a_typed_sentence(window, qtbot, tmp_path):
    """⋯ > Add a note… is the same dialog as N."""
    row = window.checklist_view.rows["tourniquet/time"]
    when_dialog_shows(qtbot, type_sentence_then(
        lambda widget: QTest.keyClick(widget, Qt.Key.Key_Enter,
                                      Qt.KeyboardModifier.ControlModifier)))
    row.menu_items["note"].trigger()
    assert step_entries(tmp_path / "data") == [("note", "tourniquet/time", SENTENCE)]
