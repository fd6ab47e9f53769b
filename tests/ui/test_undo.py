"""Undoing is deliberate: a tap on a done row changes nothing; every change offers Undo."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from binder.journal.journal import Journal, Operator

BO = Operator("Bo Chan", "Liaison Officer", "County EMS")


@pytest.fixture
def window(tourniquet_in_incident):
    return tourniquet_in_incident


def row(window, step):
    return window.checklist_view.rows[f"tourniquet/{step}"]


def kinds(window):
    return [(e.kind, e.step_id.split("/")[-1]) for e in window.journal.events()
            if e.kind not in ("operator", "start")]


def tick_as_bo(tmp_path, step="cover"):
    """Bo ticks on another laptop sharing the journal (another connection to the same file)."""
    other = Journal(tmp_path / "data" / "journal.db")
    other.set_operator(BO)
    incident = other.setting("current_incident")
    other.step_event("tick", incident, "tourniquet", f"tourniquet/{step}", "Move to cover")
    other.close()


@pytest.mark.parametrize("how", ["row", "box", "space"])
def test_a_tap_or_space_on_a_done_row_changes_nothing_and_says_who(window, qtbot, tmp_path,
                                                                  how):
    tick_as_bo(tmp_path)
    window.session.follow()  # what the window's 500 ms look does
    cover = row(window, "cover")
    assert cover.state.done
    if how == "row":
        qtbot.mouseClick(cover, Qt.MouseButton.LeftButton)
    elif how == "box":
        qtbot.mouseClick(cover.checkbox, Qt.MouseButton.LeftButton)
    else:
        cover.checkbox.setFocus()
        QTest.keyClick(cover.checkbox, Qt.Key.Key_Space)
    assert kinds(window) == [("tick", "cover")]
    assert cover.state.done and cover.checkbox.isChecked()
    bar = window.checklist_view.undo_bar
    assert bar.isVisible()
    assert bar.message.text().startswith("Done by Bo Chan (Liaison Officer) at ")
    assert "⋯ > Undo" in bar.message.text()
    assert not bar.undo_button.isVisible()


def test_a_tap_on_an_na_row_does_not_tick_it(window, qtbot):
    cover = row(window, "cover")
    cover.action.emit(cover, "na")
    qtbot.mouseClick(cover, Qt.MouseButton.LeftButton)
    assert kinds(window) == [("na", "cover")]
    assert cover.state.status == "N/A"


def test_a_tick_shows_undo_and_undo_writes_an_untick(window, qtbot):
    cover = row(window, "cover")
    qtbot.mouseClick(cover, Qt.MouseButton.LeftButton)
    bar = window.checklist_view.undo_bar
    assert bar.isVisible() and bar.undo_button.isVisible()
    assert bar.message.text() == "Ticked ‘Move to cover if you can’"
    qtbot.mouseClick(bar.undo_button, Qt.MouseButton.LeftButton)
    assert kinds(window) == [("tick", "cover"), ("untick", "cover")]
    assert not cover.state.done
    assert bar.message.text() == "Undone: ‘Move to cover if you can’ is open again"
    assert not bar.undo_button.isVisible()


@pytest.mark.parametrize("kind, word", [("tick", "Ticked"), ("na", "Marked N/A"),
                                         ("done_before", "Logged as done earlier")])
def test_ctrl_z_undoes_a_tick_na_or_done_earlier(window, qtbot, monkeypatch, kind, word):
    from binder.ui.dialogs import DoneEarlierDialog

    monkeypatch.setattr(DoneEarlierDialog, "ask", staticmethod(
        lambda parent=None, step_text="": "2026-11-23T10:00:00.000+00:00"))
    cover = row(window, "cover")
    cover.checkbox.setFocus()
    cover.action.emit(cover, "toggle" if kind == "tick" else kind)
    assert window.checklist_view.undo_bar.message.text().startswith(word)
    QTest.keyClick(cover.checkbox, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert kinds(window) == [(kind, "cover"), ("untick", "cover")]
    assert not cover.state.done


@pytest.mark.parametrize("kind", ["tick", "na", "done_before"])
def test_undoing_an_untick_records_the_state_it_had(window, qtbot, kind):
    when = "2026-11-23T10:00:00.000+00:00" if kind == "done_before" else ""
    window.session.step_event(kind, "tourniquet", "tourniquet/cover", "Move to cover", when)
    cover = row(window, "cover")
    cover.checkbox.setFocus()
    cover.action.emit(cover, "untick")
    assert window.checklist_view.undo_bar.message.text() == (
        "Back to open: ‘Move to cover if you can’")
    QTest.keyClick(cover.checkbox, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    events = [e for e in window.journal.events() if e.step_id == "tourniquet/cover"]
    assert [e.kind for e in events] == [kind, "untick", kind]
    assert events[-1].occurred_at == when
    assert cover.state.done


def test_undo_after_someone_else_changed_the_step_writes_nothing(window, qtbot, tmp_path):
    cover = row(window, "cover")
    cover.checkbox.setFocus()
    cover.action.emit(cover, "toggle")
    other = Journal(tmp_path / "data" / "journal.db")
    other.set_operator(BO)
    incident = other.setting("current_incident")
    other.step_event("untick", incident, "tourniquet", "tourniquet/cover", "Move to cover")
    other.step_event("na", incident, "tourniquet", "tourniquet/cover", "Move to cover")
    other.close()
    before = kinds(window)
    problems = []
    window.checklist_view.problem.connect(problems.append)
    QTest.keyClick(cover.checkbox, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert kinds(window) == before
    assert problems and "Bo Chan" in problems[0] and "nothing was undone" in problems[0]
    assert cover.state.status == "N/A"


def test_the_undo_offer_goes_after_a_few_seconds(window, qtbot):
    view = window.checklist_view
    view.undo_bar.seconds = 0.2
    cover = row(window, "cover")
    cover.action.emit(cover, "toggle")
    assert view.undo_bar.isVisible()
    qtbot.waitUntil(lambda: not view.undo_bar.isVisible(), timeout=3000)
    cover.checkbox.setFocus()
    QTest.keyClick(cover.checkbox, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert kinds(window) == [("tick", "cover")]  # nothing to undo once the offer is gone


def test_undo_is_also_in_the_steps_menu_and_never_hidden_behind_the_bar(window, qtbot):
    view = window.checklist_view
    cover = row(window, "cover")
    cover.action.emit(cover, "toggle")
    last = list(view.rows.values())[-1]
    view.ensureWidgetVisible(last)
    bottom = last.mapTo(view.viewport(), last.rect().bottomLeft()).y()
    assert bottom <= view.viewport().height()
    assert view.undo_bar.geometry().top() >= view.viewport().geometry().bottom()


def test_the_steps_menu_offers_only_what_makes_sense_for_its_state(window):
    cover = row(window, "cover")
    enabled = {a.text(): a.isEnabled() for a in cover.more.menu().actions()}
    assert enabled == {"Mark not applicable (N/A)": True, "Done earlier…": True,
                       "Add a note…": True, "Undo: back to open": False}
    cover.action.emit(cover, "toggle")
    enabled = {a.text(): a.isEnabled() for a in cover.more.menu().actions()}
    assert enabled == {"Mark not applicable (N/A)": False, "Done earlier…": False,
                       "Add a note…": True, "Undo: back to open": True}


def test_night_mode_keeps_the_undo_offer_and_another_page_withdraws_it(window, qtbot):
    view = window.checklist_view
    cover = row(window, "cover")
    cover.action.emit(cover, "toggle")
    window.view_actions.toggle_night()
    assert view.undo_bar.isVisible() and view.undo_bar.change is not None
    window.open_document("casualty-guide")
    window.open_document("tourniquet")
    assert not view.undo_bar.isVisible() and view.undo_bar.change is None


def test_ctrl_z_works_from_the_sidebar_while_the_undo_shows(window, qtbot):
    cover = row(window, "cover")
    qtbot.mouseClick(cover, Qt.MouseButton.LeftButton)
    window.sections.setFocus()
    qtbot.waitUntil(window.sections.hasFocus)
    QTest.keyClick(window.sections, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert kinds(window) == [("tick", "cover"), ("untick", "cover")]
    QTest.keyClick(window.sections, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert kinds(window) == [("tick", "cover"), ("untick", "cover")]  # one undo, not a redo


def test_with_nothing_on_offer_ctrl_z_is_left_to_others(window, qtbot):
    view = window.checklist_view
    assert not view.undo_key.isEnabled()
    cover = row(window, "cover")
    cover.action.emit(cover, "toggle")
    assert view.undo_key.isEnabled()
    view.undo_bar.withdraw()
    assert not view.undo_key.isEnabled()
