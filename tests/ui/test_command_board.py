"""Incident > Command board: every laptop's entries of the incident, by keyboard alone."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest

from binder.journal import hlc
from binder.journal.journal import Journal, Operator, event_hash
from binder.ui.command_board import CommandBoard
from binder.ui.view_actions import shortcut_text

STEP = ("tourniquet", "tourniquet/cover", "Move to cover if you can")


@pytest.fixture
def window(tourniquet_in_incident):
    return tourniquet_in_incident


def bob_laptop(window, tmp_path) -> Journal:
    here, incident = window.session.journal, window.session.incident.id
    bob = Journal(tmp_path / "bob" / "journal.db")
    bob.set_operator(Operator("Bob Lee", "Operations"))
    bob.insert_foreign([e.row() for e in here.chain_events(incident, here.device_id)])
    return bob


def arrive(window, rows: list[dict]) -> None:
    """What the sync does: another laptop's entries inserted through a connection of its own,
    with the segment that brought them (one per laptop and call)."""
    importer = Journal(window.session.journal.path)
    for device in dict.fromkeys(row["device"] for row in rows):
        number = importer.conn.execute(
            "SELECT count(*) FROM segments WHERE device = ?", (device,)).fetchone()[0] + 1
        importer.insert_foreign([row for row in rows if row["device"] == device], segment=dict(
            incident_id=rows[0]["incident_id"], device=device, number=number, hash="0" * 64,
            bytes=b""))
    importer.close()


def rows_of(board: CommandBoard) -> dict[str, list[list[str]]]:
    """Each group's title and its rows' three columns, as on screen."""
    tree, found = board.tree, {}
    for top in range(tree.topLevelItemCount()):
        head = tree.topLevelItem(top)
        found[head.text(0)] = [[head.child(n).text(c) for c in range(3)]
                               for n in range(head.childCount())]
    return found


def open_board(window, qtbot) -> CommandBoard:
    QTest.keyClick(window, Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    board = window.pages.currentWidget()
    assert isinstance(board, CommandBoard)
    qtbot.waitUntil(lambda: board.tree.hasFocus())
    return board


def test_the_board_opens_by_its_shortcut_and_shows_every_laptop_and_checklist(
        window, qtbot, tmp_path):
    bob = bob_laptop(window, tmp_path)
    window.session.step_event("tick", "tourniquet", "tourniquet/time", "Write the time")
    na = bob.step_event("na", window.session.incident.id, *STEP)
    arrive(window, [na.row()])
    board = open_board(window, qtbot)
    assert board.title.text() == "Command board: Mall shooting"
    groups = rows_of(board)
    assert groups["Checklists (1)"][0][:2] == ["Tourniquet", "1 of 3 done · 1 N/A · 1 open"]
    assert set(groups["Checklists (1)"][0][2].removeprefix("by ").split(", ")) == {
        "Ann Lee (Incident Commander)", "Bob Lee (Operations)"}
    laptops = groups["Laptops (2)"]
    assert [row[0] for row in laptops] == ["Ann Lee (Incident Commander) · this laptop",
                                           "Bob Lee (Operations)"]
    assert laptops[1][1] == "1 entry" and laptops[1][2].startswith("last entry ")
    assert bob.device_id not in str(groups)  # the laptop's id only in a tooltip
    assert board.tree.topLevelItem(1).child(1).toolTip(0) == f"Laptop {bob.device_id}"


def test_enter_on_a_checklist_opens_it(window, qtbot, tmp_path):
    window.session.step_event("tick", *STEP)
    assert window.open_document("casualty-guide")  # another page on screen
    board = open_board(window, qtbot)
    assert board.tree.currentItem().text(0) == "Tourniquet"  # the keyboard starts on it
    QTest.keyClick(board.tree, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.checklist_view
    assert window.checklist_view.doc.id == "tourniquet"


def test_a_step_changed_at_once_is_listed_unresolved_and_enter_opens_the_step(
        window, qtbot, tmp_path):
    bob = bob_laptop(window, tmp_path)
    mine = window.session.step_event("tick", *STEP)
    na = bob.step_event("na", window.session.incident.id, *STEP).row()
    na["hlc"] = hlc.make(hlc.parse(mine.hlc)[0] + 1000)
    na["hash"] = event_hash(na["prev_hash"], na)
    arrive(window, [na])
    window.session.follow()
    board = open_board(window, qtbot)
    group = "Steps changed at once on two laptops (1 unresolved, 0 settled)"
    [pair] = rows_of(board)[group]
    assert pair[0] == "Move to cover if you can" and pair[1] == "UNRESOLVED: both still stand"
    assert pair[2].startswith("Done by Ann Lee (Incident Commander) ")
    assert "\nN/A by Bob Lee (Operations) on another laptop " in pair[2]
    assert board.tree.topLevelItem(0).text(0) == group  # what needs the eye comes first
    assert board.tree.currentItem().text(0) == "Move to cover if you can"  # the keyboard too
    QTest.keyClick(board.tree, Qt.Key.Key_Down)  # to the checklists' heading, and back
    QTest.keyClick(board.tree, Qt.Key.Key_Up)
    QTest.keyClick(board.tree, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.checklist_view
    assert window.checklist_view.focused_step() == "tourniquet/cover"


def test_the_board_repaints_when_another_laptops_entries_arrive(window, qtbot, tmp_path):
    bob = bob_laptop(window, tmp_path)
    board = open_board(window, qtbot)
    assert "Laptops (1)" in rows_of(board)
    arrive(window, [bob.tick_step(window.session.incident.id, *STEP).row()])
    qtbot.waitUntil(lambda: "Laptops (2)" in rows_of(board), timeout=3000)
    assert rows_of(board)["Checklists (1)"][0][1] == "1 of 3 done · 0 N/A · 2 open"
    assert board.tree.hasFocus()


def test_entries_after_the_close_and_with_a_clock_far_ahead_are_flagged(window, qtbot, tmp_path):
    bob = bob_laptop(window, tmp_path)
    incident = window.session.incident.id
    ahead = bob.add_note(incident, "Radio check").row()
    ahead["hlc"] = hlc.make(hlc.wall_ms() + 2 * 3_600_000)
    ahead["hash"] = event_hash(ahead["prev_hash"], ahead)
    window.session.close_incident()
    arrive(window, [ahead])
    window.session.follow()
    board = open_board(window, qtbot)
    groups = rows_of(board)
    assert board.title.text() == "Command board: Mall shooting (closed)"
    [row] = groups["Entries with a clock far ahead (1)"]
    assert row[:2] == ["Radio check", "CLOCK 2 H 00 MIN AHEAD"]
    [late] = groups["Entries after the incident closed (1)"]
    assert late[0] == "Radio check" and late[1] == "AFTER CLOSE"
    assert late[2].startswith("Bob Lee (Operations) on another laptop ")


def test_the_shortcut_is_on_the_shortcut_sheet_and_used_once(window):
    assert ("Ctrl+Shift+C", "Command board") in window.view_actions.shortcut_rows()
    using = [action.text() for action in window.findChildren(QAction)
             if "Ctrl+Shift+C" in shortcut_text(action).split(", ")]
    assert using == ["Command &board"]
