"""Keeping the person's place: the status bar, Back/Forward, a restart, incidents to switch."""

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer, QUrl
from PySide6.QtWidgets import QApplication

from binder.ui.main_window import MainWindow
from tests.conftest import write_pages

LONG_FOLDER = ("Springfield Police Department", "Incident command", "2026-11-26 North Mall",
               "ICS 214 activity logs for the funding claim")


def start_incident(window, name="North Mall"):
    window.session.start_incident(name, location="North Mall")


def test_a_saved_file_keeps_its_whole_path_readable_beside_the_incident_status(
        make_window, tmp_path, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(MainWindow, "open_external", staticmethod(opened.append))
    window = make_window()
    window.resize(1024, 600)
    start_incident(window)
    folder = tmp_path.joinpath(*LONG_FOLDER)
    folder.mkdir(parents=True)
    target = folder / "North-Mall-active-assailant-ICS214.csv"
    assert window.incidents.export_activity_log(target)
    bar = window.statusBar()
    full = f"Activity log saved to {target}"
    assert bar.currentMessage() == full
    label = bar.message
    status = window.incident_status
    qtbot.waitUntil(lambda: label.isVisible() and label.width() > 0
                    and status.clock.width() >= status.clock.sizeHint().width())  # laid out

    # The message and the incident status each have their own room: they never overlap.
    def on_window(widget):
        return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())

    for widget in (label, bar.open_folder):
        assert not on_window(widget).intersects(on_window(status))
        assert not on_window(widget).intersects(on_window(window.revision_label))
    assert status.clock.text().startswith("North Mall: running")
    assert window.width() <= 1024

    # The whole path is there to read, on the line above the incident status.
    assert label.shown_text() == full and label.toolTip() == full
    assert on_window(label).bottom() < on_window(status).top()

    # Passing over a link of the page does not wipe it.
    window.open_document("casualty-guide")
    window.document_view.highlighted.emit(QUrl("binder:tourniquet"))
    window.document_view.highlighted.emit(QUrl(""))
    assert bar.currentMessage() == full

    assert bar.open_folder.isVisible()
    qtbot.mouseClick(bar.open_folder, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(folder))]


def test_a_plain_message_goes_after_its_time_and_takes_the_folder_button_with_it(
        make_window, tmp_path, qtbot):
    window = make_window()
    start_incident(window, "Short")
    bar = window.statusBar()
    assert window.incidents.export_activity_log(tmp_path / "log.csv")
    assert bar.open_folder.isVisible()
    bar.showMessage("Text size 110%", 50)
    assert bar.currentMessage() == "Text size 110%" and not bar.open_folder.isVisible()
    qtbot.waitUntil(lambda: bar.currentMessage() == "")


LONG_CHECKLIST = "\n".join(
    ["---", "title: Evacuation", "kind: checklist", "section: Response",
     "summary: Clear the building floor by floor.", "tags: [evacuate]", "roles: [Any officer]",
     "sources:", "  - name: Agency SOP", "    url: https://example.org/sop",
     "reviewed: 2026-11-01", "---", "## Floors"]
    + [f"- [ ] Clear floor {n} and report it to the command post {{#floor-{n}}}"
       for n in range(1, 41)]) + "\n"

LONG_GUIDE = "\n".join(
    ["---", "title: Evacuation guide", "kind: guide", "section: Response",
     "summary: Why the floors are cleared in this order.", "tags: [evacuate]",
     "sources:", "  - name: Agency SOP", "    url: https://example.org/sop",
     "reviewed: 2026-11-01", "---"]
    + [f"Paragraph {n}: the stairs nearest the fire are cleared last.\n" for n in range(1, 81)]
    + ["See the [evacuation checklist](evacuation.md)."]) + "\n"


@pytest.fixture
def long_db(tmp_path, content_dir):
    from binder.content.build import build_store

    write_pages(content_dir, {"response/evacuation.md": LONG_CHECKLIST,
                              "response/evacuation-guide.md": LONG_GUIDE})
    out = tmp_path / "long-content.db"
    build_store(content_dir, out)
    return out


def press(qtbot, key, times=1, modifier=Qt.KeyboardModifier.NoModifier):
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def go_down_the_checklist(window, qtbot, steps):
    """Open the checklist and walk down it with the keyboard, as a person would."""
    window.open_hit("evacuation", "evacuation/floor-1")
    view = window.checklist_view
    qtbot.waitUntil(lambda: view.focused_step() == "evacuation/floor-1")
    press(qtbot, Qt.Key.Key_Down, steps)
    assert view.focused_step() == f"evacuation/floor-{steps + 1}"
    assert view.verticalScrollBar().value() > 0
    return view.verticalScrollBar().value()


def test_back_and_forward_come_back_to_the_same_scroll_and_step(make_window, long_db, qtbot):
    window = make_window(db=long_db)
    window.resize(1024, 600)
    checklist, guide = window.checklist_view, window.document_view
    checklist_scroll = go_down_the_checklist(window, qtbot, 24)

    window.open_document("evacuation-guide")
    guide.setFocus()
    press(qtbot, Qt.Key.Key_PageDown, 3)
    guide_scroll = guide.verticalScrollBar().value()
    assert guide_scroll > 0

    press(qtbot, Qt.Key.Key_Left, modifier=Qt.KeyboardModifier.AltModifier)
    assert window.current.doc_id == "evacuation"
    assert window.pages.currentWidget() is checklist
    qtbot.waitUntil(lambda: checklist.focused_step() == "evacuation/floor-25")
    assert checklist.verticalScrollBar().value() == checklist_scroll

    press(qtbot, Qt.Key.Key_Right, modifier=Qt.KeyboardModifier.AltModifier)
    assert window.current.doc_id == "evacuation-guide"
    assert guide.verticalScrollBar().value() == guide_scroll

    # Opening the checklist again from a link is a new visit: it starts at the top.
    window.follow_link("binder:evacuation")
    assert checklist.verticalScrollBar().value() == 0


def test_a_restart_reopens_the_last_page_at_its_place_and_the_incident(
        make_window, long_db, tmp_path, qtbot):
    data = tmp_path / "data"
    window = make_window(db=long_db, data=data)
    window.resize(1024, 600)
    window.session.start_incident("North Mall")
    incident = window.session.incident.id
    scroll = go_down_the_checklist(window, qtbot, 30)
    window.close()
    window.journal.close()
    window.journal = None

    again = make_window(db=long_db, data=data)
    again.resize(1024, 600)
    assert again.session.incident.id == incident
    assert again.current.doc_id == "evacuation"
    assert again.pages.currentWidget() is again.checklist_view
    qtbot.waitUntil(lambda: again.checklist_view.focused_step() == "evacuation/floor-31")
    assert again.checklist_view.verticalScrollBar().value() == scroll
    assert again.windowTitle() == "Evacuation — Binder"


def test_a_first_start_shows_the_welcome_and_a_page_that_is_gone_is_skipped(
        make_window, tmp_path, content_db, long_db, qtbot):
    data = tmp_path / "data"
    window = make_window(db=long_db, data=data)
    assert window.current is None and window.search_box.hasFocus()
    window.open_document("evacuation")
    window.close()
    window.journal.close()
    window.journal = None

    again = make_window(db=content_db, data=data)  # a binder without that page
    assert again.current is None
    assert again.pages.currentWidget() is again.document_view
    assert again.statusBar().currentMessage() == ""


def answer_question(qtbot, seen, press):
    """When the next modal question shows, note its words and answer it with `press`."""
    def answer():
        box = QApplication.activeModalWidget()
        seen.append(box.text())
        press(box)
    QTimer.singleShot(0, answer)


def test_starting_a_second_incident_asks_first_and_enter_keeps_the_open_one(
        make_window, start_on_ask, qtbot):
    window = make_window()
    window.session.start_incident("North Mall")
    first = window.session.incident.id
    seen = []
    answer_question(qtbot, seen, lambda box: qtbot.keyClick(box, Qt.Key.Key_Return))
    qtbot.keyClick(window.search_box, Qt.Key.Key_I,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(seen) == 1 and "“North Mall” is still open" in seen[0]
    assert start_on_ask == []  # the new incident's form never came up
    assert window.session.incident.id == first
    assert [i.name for i in window.session.incidents()] == ["North Mall"]

    def start_another(box):
        button = next(b for b in box.buttons() if b.text() == "Start another incident")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    window.activateWindow()  # as the window manager does when the question goes
    qtbot.waitUntil(window.isActiveWindow)
    answer_question(qtbot, seen, start_another)
    qtbot.keyClick(window.search_box, Qt.Key.Key_I,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(seen) == 2 and len(start_on_ask) == 1
    assert [i.name for i in window.session.open_incidents()] == ["North Mall", "Mall shooting"]
    assert window.session.incident.name == "Mall shooting"


def test_the_first_incident_starts_without_a_question(make_window, start_on_ask, qtbot):
    window = make_window()
    qtbot.keyClick(window.search_box, Qt.Key.Key_I,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(start_on_ask) == 1 and window.session.incident.name == "Mall shooting"


def switch_menu_marks(window, qtbot):
    menu = window.incidents.switch_menu
    menu.popup(window.mapToGlobal(QPoint(40, 40)))
    qtbot.waitExposed(menu)
    marks = [(a.text(), a.isChecked()) for a in menu.actions()]
    return menu, marks


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_the_switch_menu_marks_the_current_incident_and_switches_by_keyboard(
        make_window, qtbot):
    window = make_window()
    first = window.session.start_incident("First")
    window.session.start_incident("Second")
    menu, marks = switch_menu_marks(window, qtbot)
    assert marks == [("First", False), ("Second", True)]
    assert all(a.isCheckable() for a in menu.actions())
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert window.session.incident.id == first.id
    menu, marks = switch_menu_marks(window, qtbot)
    assert marks == [("First", True), ("Second", False)]
    menu.close()


def test_a_path_too_long_even_for_its_own_line_is_shortened_in_the_middle(
        make_window, tmp_path, qtbot):
    window = make_window()
    window.resize(1024, 600)
    start_incident(window)
    folder = tmp_path.joinpath(*(LONG_FOLDER * 4))
    folder.mkdir(parents=True)
    target = folder / "North-Mall-active-assailant-ICS214.csv"
    assert window.incidents.export_activity_log(target)
    label = window.statusBar().message
    qtbot.waitUntil(lambda: label.isVisible() and label.width() > 300)
    shown = label.shown_text()
    assert "…" in shown
    assert shown.startswith("Activity log saved to")
    assert shown.endswith("North-Mall-active-assailant-ICS214.csv")
    assert label.toolTip() == f"Activity log saved to {target}"


def test_a_short_message_on_a_wide_window_sits_beside_the_incident_status(make_window, qtbot):
    window = make_window()
    window.resize(1600, 900)
    start_incident(window)
    bar, status = window.statusBar(), window.incident_status
    bar.showMessage("Text size 110%")
    label = bar.message
    qtbot.waitUntil(lambda: label.isVisible() and label.width() > 0)
    left = QRect(label.mapTo(window, QPoint(0, 0)), label.size())
    right = QRect(status.mapTo(window, QPoint(0, 0)), status.size())
    assert left.right() < right.left() and left.center().y() == right.center().y()
    assert label.shown_text() == "Text size 110%"
    height = bar.height()
    bar.clearMessage()
    assert not label.isVisible() and bar.height() == height  # nothing jumps


def test_a_long_problem_message_is_shortened_to_what_fits_with_all_of_it_as_tooltip(
        make_window, qtbot):
    window = make_window()
    window.resize(1024, 600)
    words = "The activity journal could not be written: the disk is full. " * 6
    window.show_problem_bar(words.strip())
    label = window.statusBar().message
    qtbot.waitUntil(lambda: label.isVisible() and label.width() > 300)
    shown = label.shown_text()
    assert shown.startswith("The activity journal could not be written")
    assert shown.endswith("…") and label.fits(shown)
    assert label.toolTip() == words.strip()
