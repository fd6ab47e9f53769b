"""Incidents in the window: start, attribute, N/A, operators, exercises, closing, what is left."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from binder.journal.journal import Operator
from binder.ui.dialogs import IncidentDialog, OperatorDialog
from binder.ui.incident_ui import WhatsLeftDialog

BO = Operator("Bo Chan", "Liaison Officer", "County EMS")


@pytest.fixture
def window(make_window):
    window = make_window()
    window.open_document("tourniquet")
    return window


def row(window, step):
    return window.checklist_view.rows[f"tourniquet/{step}"]


def test_enter_alone_starts_an_incident_with_the_default_name(qtbot):
    dialog = IncidentDialog(reason="No incident is open.")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    values = dialog.values()
    assert values["name"].startswith("Incident 20")
    assert values["exercise"] is False
    assert values["period_from"] < values["period_to"]


def test_cancelling_the_question_leaves_the_step_unticked(window, monkeypatch):
    monkeypatch.setattr(IncidentDialog, "ask", staticmethod(lambda parent=None, reason="": None))
    row(window, "cover").checkbox.click()
    assert not row(window, "cover").checkbox.isChecked()
    assert [e.kind for e in window.journal.events()] == ["operator"]
    assert window.banner.text() == "No incident open. Ticking a step starts one."


def test_the_incident_records_the_content_revision(window, start_on_ask):
    row(window, "cover").checkbox.click()
    assert window.session.incident.content_revision == window.store.revision


def test_na_done_earlier_note_and_undo_are_each_a_new_event(window, start_on_ask, monkeypatch):
    from binder.ui.dialogs import DoneEarlierDialog, NoteDialog

    monkeypatch.setattr(DoneEarlierDialog, "ask", staticmethod(
        lambda parent=None, step_text="": "2026-11-23T10:00:00.000+00:00"))
    monkeypatch.setattr(NoteDialog, "ask", staticmethod(
        lambda parent=None, about="": ("Second TQ on the left leg", "")))
    cover, high, time = row(window, "cover"), row(window, "apply-high"), row(window, "time")
    cover.action.emit(cover, "na")
    high.action.emit(high, "done_before")
    time.action.emit(time, "note")
    assert window.checklist_view.progress.text() == "1 done · 1 N/A · 1 open"
    assert cover.status.text().startswith("Marked N/A by Ann Lee (Incident Commander) at ")
    assert cover.checkbox.checkState() == Qt.CheckState.PartiallyChecked
    assert high.status.text().startswith("Done at ") and "logged by Ann Lee" in high.status.text()
    assert time.status.text() == "Note: Second TQ on the left leg"
    assert time.toolTip() == time.status.text()
    cover.action.emit(cover, "untick")
    assert window.checklist_view.progress.text() == "1 done · 0 N/A · 2 open"
    kinds = [e.kind for e in window.journal.events(window.session.incident.id)]
    assert kinds == ["start", "na", "done_before", "note", "untick"]


def test_a_second_operator_is_named_on_the_steps_they_tick(window, start_on_ask, qtbot):
    row(window, "cover").checkbox.click()
    window.session.set_operator(BO)
    assert window.incident_status.operator_button.text() == "Logging as Bo Chan, Liaison Officer"
    row(window, "apply-high").checkbox.click()
    assert "by Ann Lee (Incident Commander)" in row(window, "cover").status.text()
    assert "by Bo Chan (Liaison Officer)" in row(window, "apply-high").status.text()


def test_typing_goes_into_the_name_field_of_both_dialogs(qtbot):
    for dialog in (OperatorDialog(None), IncidentDialog()):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(dialog.isActiveWindow)
        assert dialog.focusWidget() is dialog.name


def test_the_operator_dialog_needs_a_name(qtbot):
    dialog = OperatorDialog(None)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    dialog.name.setText("Cy Diaz")
    dialog.position.setCurrentText("Safety Officer")
    assert ok.isEnabled()
    assert dialog.operator() == Operator("Cy Diaz", "Safety Officer", "")


def test_without_an_operator_the_window_asks_at_start(make_window, qtbot):
    window = make_window(operator=None)
    qtbot.waitUntil(window.operator_prompt.isVisible)
    window.operator_prompt.name.setText("Dee Fox")
    window.operator_prompt.accept()
    assert window.session.operator.name == "Dee Fox"


def test_an_exercise_looks_different_from_a_live_incident(window):
    window.session.start_incident("Live one")
    assert window.banner.property("kind") == "live"
    window.session.start_incident("Drill", exercise=True)
    assert window.banner.property("kind") == "exercise"
    assert window.banner.text().startswith("EXERCISE — Drill")


def test_a_closed_incident_can_be_read_but_not_ticked(window, start_on_ask):
    row(window, "cover").checkbox.click()
    window.session.close_incident()
    assert not row(window, "apply-high").isEnabled()
    assert row(window, "cover").checkbox.isChecked()
    assert "closed: read only" in window.checklist_view.progress.text()
    assert window.banner.property("kind") == "closed"
    assert not window.incidents.actions["note"].isEnabled()
    assert window.incidents.actions["export"].isEnabled()


def test_switching_incidents_shows_each_ones_ticks(window):
    first = window.session.start_incident("First")
    row(window, "cover").checkbox.click()
    window.session.start_incident("Second")
    assert not row(window, "cover").checkbox.isChecked()
    window.session.switch(first.id)
    assert row(window, "cover").checkbox.isChecked()
    window.incidents.fill_switch_menu()
    assert [a.text() for a in window.incidents.switch_menu.actions()] == ["First", "Second"]


def test_status_bar_shows_the_incident_clock(window, start_on_ask):
    row(window, "cover").checkbox.click()
    assert window.incident_status.clock.text() == (
        "Mall shooting: running just now · last entry just now")


def test_what_is_left_lists_unfinished_checklists_and_opens_one(window, start_on_ask, qtbot):
    row(window, "cover").checkbox.click()
    window.open_document("casualty-guide")
    dialog = window.incidents.show_whats_left()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, WhatsLeftDialog)
    assert dialog.tree.topLevelItem(0).text(0) == "Tourniquet: 2 open, 1 done, 0 N/A"
    dialog.tree.itemActivated.emit(dialog.tree.topLevelItem(0), 0)
    assert window.current.doc_id == "tourniquet"


def test_verify_reports_an_intact_journal(window, start_on_ask):
    row(window, "cover").checkbox.click()
    text = window.incidents.chain_text()
    assert text.startswith("The journal of “Mall shooting” is intact: 2 entries, head ")
    assert window.journal.events()[-1].hash in text
    assert "\n\nproves: 2 entries unchanged since they were written, and none removed" in text
    assert "\n\ncannot prove: that someone able to write both journal.db and journal.anchor" in text


def test_start_tick_change_operator_tick_and_export(make_window, tmp_path, monkeypatch, qtbot):
    """The whole flow a command post runs, through the window."""
    import csv

    from binder.ui.dialogs import OperatorDialog

    window = make_window()
    monkeypatch.setattr(IncidentDialog, "ask", staticmethod(lambda parent=None, reason="": {
        "name": "North Mall", "incident_type": "Active assailant", "location": "",
        "period_from": "", "period_to": "", "exercise": True}))
    assert window.incidents.start_incident()
    window.open_document("tourniquet")
    row(window, "cover").checkbox.click()
    monkeypatch.setattr(OperatorDialog, "exec", lambda self: (
        self.name.setText("Bo Chan"), self.position.setCurrentText("Liaison Officer"),
        QDialog.DialogCode.Accepted)[-1])
    assert window.incidents.change_operator()
    row(window, "apply-high").checkbox.click()
    target = tmp_path / "north-mall.csv"
    assert window.incidents.export_activity_log(target)
    with open(target, encoding="utf-8", newline="") as file:
        rows = [(r["name"], r["ics_position"], r["notable_activity"], r["exercise"])
                for r in csv.DictReader(file)]
    assert rows == [
        ("Ann Lee", "Incident Commander", "Incident started: North Mall (Active assailant)",
         "yes"),
        ("Ann Lee", "Incident Commander", "Done: Move to cover if you can", "yes"),
        ("Bo Chan", "Liaison Officer", "Operator on duty: Bo Chan, Liaison Officer", "yes"),
        ("Bo Chan", "Liaison Officer",
         "Done: Apply the tourniquet over clothing, high on the limb", "yes"),
    ]
    assert f"saved to {target}" in window.statusBar().currentMessage()


def test_a_long_incident_name_never_widens_the_window_past_a_small_screen(window):
    name = ("North Mall active assailant, all units to the east entrance, "
            "staging at the fire station on Main Street")
    window.session.start_incident(name)
    clock = window.incident_status.clock
    assert clock.text().endswith(": running just now · last entry just now")
    assert "…" in clock.text() and name not in clock.text()
    assert clock.toolTip().startswith(name)
    assert window.minimumSizeHint().width() <= 1024
