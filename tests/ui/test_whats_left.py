"""What is left: the open steps under each unfinished checklist, reached with the keyboard."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


@pytest.fixture
def window(make_window, qtbot):
    window = make_window()
    window.session.start_incident("North Mall")
    window.open_document("tourniquet")
    qtbot.mouseClick(window.checklist_view.rows["tourniquet/apply-high"].checkbox,
                     Qt.MouseButton.LeftButton)
    window.open_document("eflea")
    qtbot.mouseClick(window.checklist_view.rows["eflea/letter"].checkbox,
                     Qt.MouseButton.LeftButton)  # finished: not listed
    window.open_document("casualty-guide")
    return window


def open_whats_left(window, qtbot):
    qtbot.keyClick(window.search_box, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.incidents.whats_left
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.tree.hasFocus())
    return dialog


def rows(tree):
    top = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [(item.text(0), [item.child(i).text(0) for i in range(item.childCount())])
            for item in top]


def test_the_open_steps_are_listed_under_their_checklist(window, qtbot):
    dialog = open_whats_left(window, qtbot)
    assert rows(dialog.tree) == [("Tourniquet: 2 open, 1 done, 0 N/A",
                                  ["Move to cover if you can",
                                   "Write the time on the tourniquet (why)"])]
    assert dialog.tree.topLevelItem(0).isExpanded()


def test_down_down_enter_opens_the_checklist_at_that_step(window, qtbot):
    dialog = open_whats_left(window, qtbot)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Return):
        qtbot.keyClick(QApplication.focusWidget(), key)
    assert not dialog.isVisible()
    assert window.current.doc_id == "tourniquet"
    view = window.checklist_view
    qtbot.waitUntil(lambda: view.focused_step() == "tourniquet/time")
    assert view.rows["tourniquet/time"].property("target") == "true"
    assert window.history.can_step(-1)  # Back returns to the guide


def test_enter_on_a_checklist_opens_it_at_its_first_open_step(window, qtbot):
    dialog = open_whats_left(window, qtbot)
    assert dialog.tree.currentItem() is dialog.tree.topLevelItem(0)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert window.current.doc_id == "tourniquet"
    qtbot.waitUntil(lambda: window.checklist_view.focused_step() == "tourniquet/cover")


def test_a_double_click_on_a_step_opens_it(window, qtbot):
    dialog = open_whats_left(window, qtbot)
    tree = dialog.tree
    step = tree.topLevelItem(0).child(1)
    rect = tree.visualItemRect(step)
    # a person's double click: a click, then a second press that Qt reads as the double one
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.checklist_view.focused_step() == "tourniquet/time")


def test_nothing_left_says_so_and_enter_does_nothing(make_window, qtbot):
    window = make_window()
    window.session.start_incident("Quiet night")
    dialog = open_whats_left(window, qtbot)
    assert rows(dialog.tree) == [
        ("Nothing left open in the checklists this incident has used.", [])]
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert window.current is None
