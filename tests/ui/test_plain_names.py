"""Names in the window: shown as typed everywhere (never as HTML), and refused at entry when
they hold a character the journal does not take."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QLabel, QWidget

from binder.journal.journal import Operator
from binder.ui.dialogs import IncidentDialog, NoteDialog, OperatorDialog

MARKUP = '<b>Ann</b> & <img src="/etc/passwd">'
HOSTILE_OPERATOR = Operator(MARKUP, "<i>Safety</i> Officer", "<h1>R&D</h1>")
INCIDENT = "<font color=red>Mall</font> & <a href='https://evil.example'>Co</a>"


def read_as_html(widget: QWidget, raw: str) -> list[str]:
    """Where the window would read `raw` as HTML: a label's text, a tooltip, or a button whose
    '&' would become a shortcut."""
    found = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if isinstance(child, QLabel) and raw in child.text() and (
                child.textFormat() != Qt.TextFormat.PlainText):
            found.append(f"label {child.objectName() or child.text()[:30]}")
        if raw in child.toolTip():
            found.append(f"tooltip of {child.objectName() or type(child).__name__}")
        if isinstance(child, QAbstractButton) and "&" in raw and raw in child.text():
            found.append(f"button {child.objectName() or child.text()[:30]}")
    return found


def test_names_with_markup_are_shown_as_typed(make_window, monkeypatch, qtbot):
    window = make_window(operator=HOSTILE_OPERATOR)
    monkeypatch.setattr(IncidentDialog, "ask", staticmethod(lambda parent=None, reason="": {
        "name": INCIDENT, "incident_type": "Active assailant", "location": "<b>North</b>",
        "period_from": "", "period_to": "", "exercise": False}))
    window.open_document("tourniquet")
    row = window.checklist_view.rows["tourniquet/cover"]
    qtbot.mouseClick(row.checkbox, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.state.done)
    assert INCIDENT in window.banner.text() and MARKUP in row.status.text()
    for raw in (MARKUP, INCIDENT, "<b>North</b>", "<i>Safety</i> Officer"):
        assert read_as_html(window, raw) == [], raw
    button = window.incident_status.operator_button
    assert button.accessibleName() == f"Logging as {MARKUP}, <i>Safety</i> Officer"
    assert button.text() == f"Logging as {MARKUP.replace('&', '&&')}, <i>Safety</i> Officer"
    clock = window.incident_status.clock
    assert clock.toolTip().startswith("<p style='white-space:pre-wrap'>&lt;font color=red&gt;")


@pytest.mark.parametrize("field, text, message", [
    ("name", "Ann\x07 Lee", "The name has a control character (U+0007)"),
    ("agency", "PD \u202edrawkcab", "The home agency has a character that turns the text around"),
])
def test_the_operator_dialog_refuses_control_characters(qtbot, field, text, message):
    dialog = OperatorDialog(Operator("Ann Lee", "Safety Officer"))
    qtbot.addWidget(dialog)
    dialog.show()
    getattr(dialog, field).setText(text)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    assert dialog.refusal.isVisible() and dialog.refusal.text().startswith(message)
    assert dialog.focusWidget() is getattr(dialog, field)
    getattr(dialog, field).setText("Fixed")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_the_incident_and_note_dialogs_refuse_them_too(qtbot):
    dialog = IncidentDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.location.setText("North\x1b[31m Mall")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.refusal.text() == ("The location has a control character (U+001B): type it "
                                     "without it.")
    note = NoteDialog()
    qtbot.addWidget(note)
    note.show()
    note.text.setPlainText("two\nlines\x00")
    note.accept()
    assert note.result() != note.DialogCode.Accepted
    assert note.refusal.text().startswith("The note has a control character (U+0000)")
    note.text.setPlainText("two\nlines")
    note.accept()
    assert note.result() == note.DialogCode.Accepted
