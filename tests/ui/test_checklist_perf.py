"""A tick through the window does the least work: one page layout, one row re-polished."""

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from binder.ui.step_row import NOTES_SHOWN, SizedLabel


@pytest.fixture
def window(tourniquet_in_incident):
    # Roomy enough that no tick brings the page's scrollbar in or out, which lays the page out
    # a second time, rightly. (The hidden Contacts page used to hold every window this wide.)
    tourniquet_in_incident.resize(1200, 900)
    QApplication.processEvents()
    return tourniquet_in_incident


class PageLayouts(QObject):
    """Counts what makes the scroll area work out every step's height again: a layout request
    to it or its viewport, or a new viewport size."""

    def __init__(self, view):
        super().__init__()
        self.view, self.count = view, 0

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        kind = event.type()
        if (watched is self.view and kind == QEvent.Type.LayoutRequest) or (
                watched is self.view.viewport()
                and kind in (QEvent.Type.LayoutRequest, QEvent.Type.Resize)):
            self.count += 1
        return False


def tick(qtbot, row):
    """A tap on an open step's box; on a done one, ⋯ > Undo: back to open."""
    if row.state.done:
        row.menu_items["untick"].trigger()
    else:
        qtbot.mouseClick(row.checkbox, Qt.MouseButton.LeftButton)
    QApplication.processEvents()


def test_a_tick_lays_the_page_out_once(window, qtbot):
    view = window.checklist_view
    rows = list(view.rows.values())
    tick(qtbot, rows[0])  # the Undo bar appears: the page makes room for it, once
    layouts = PageLayouts(view)
    QApplication.instance().installEventFilter(layouts)
    try:
        per_tick = []
        for row in rows[1:] + rows:  # ticks, then unticks: messages long and short
            was_done, before = row.state.done, layouts.count
            tick(qtbot, row)
            assert row.state.done != was_done and view.undo_bar.isVisible()
            per_tick.append(layouts.count - before)
    finally:
        QApplication.instance().removeEventFilter(layouts)
    # the row's new line under it: at most once; the progress and the Undo bar's message: not
    # at all (they lay out their own strip)
    assert max(per_tick) <= 1, per_tick


def test_a_tick_re_polishes_only_the_row_ticked(window, qtbot):
    rows = list(window.checklist_view.rows.values())
    rows[0].checkbox.click()  # a click() moves no focus (the focus outline is a mark too)
    before = [row.repolished for row in rows]
    rows[2].checkbox.click()
    QApplication.processEvents()
    assert [row.repolished - was for row, was in zip(rows, before, strict=True)] == [
        1 if n == 2 else 0 for n in range(len(rows))]
    assert rows[2].property("done") == "true" and rows[0].property("done") == "true"
    assert rows[1].property("done") == "false"


def test_a_step_shows_its_newest_notes_and_how_many_came_before(window):
    session = window.session
    notes = [f"Casualty {n} moved to the CCP" for n in range(1, 8)]
    for note in notes:
        session.add_note(note, "tourniquet", "tourniquet/cover", "Move to cover")
    row = window.checklist_view.rows["tourniquet/cover"]
    earlier = len(notes) - NOTES_SHOWN
    assert row.status.isVisible()
    assert row.status.text().splitlines() == [
        f"{earlier} earlier notes: in the tooltip, the handover sheets and the ICS 214 log",
        *(f"Note: {note}" for note in notes[earlier:])]
    assert row.toolTip().splitlines() == [f"Note: {note}" for note in notes]


def test_a_step_with_few_notes_shows_them_all(window):
    session = window.session
    notes = [f"Note {n}" for n in range(NOTES_SHOWN)]
    for note in notes:
        session.add_note(note, "tourniquet", "tourniquet/cover", "Move to cover")
    row = window.checklist_view.rows["tourniquet/cover"]
    assert row.status.text().splitlines() == [f"Note: {note}" for note in notes]
    assert row.toolTip() == row.status.text()


def test_a_tick_works_out_the_size_of_its_own_row_only(window, qtbot):
    view = window.checklist_view
    rows = list(view.rows.values())
    tick(qtbot, rows[0])
    labels = view.widget().findChildren(SizedLabel)
    before = {label: label.worked_out for label in labels}
    tick(qtbot, rows[1])
    worked = {label for label in labels if label.worked_out != before[label]}
    assert worked and worked <= {rows[1].text, rows[1].status}
    assert rows[1].status.isVisible() and rows[1].status.text().startswith("Done by Ann Lee")


def test_a_row_grows_with_its_notes_and_the_text_size(window, qtbot):
    view = window.checklist_view
    cover = view.rows["tourniquet/cover"]
    QApplication.processEvents()
    bare = cover.height()
    for n in range(3):
        window.session.add_note(f"Casualty {n} moved", "tourniquet", "tourniquet/cover",
                                "Move to cover")
        QApplication.processEvents()
        assert cover.status.height() >= cover.status.heightForWidth(cover.status.width())
    noted = cover.height()
    assert noted > bare
    window.view_actions.set_zoom(200)
    QApplication.processEvents()
    cover = view.rows["tourniquet/cover"]
    assert cover.status.text().count("Casualty") == 3
    assert cover.height() > noted
    assert cover.status.height() >= cover.status.heightForWidth(cover.status.width())
