"""The keyboard on a checklist: where the focus lands, one Tab stop per step, Shift+F10."""

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


@pytest.fixture
def window(make_window):
    window = make_window()
    window.session.start_incident("Mall shooting")
    return window


@pytest.fixture
def long_window(make_window, shipped_db, tmp_path):
    """The shipped binder, with its long active-assailant checklist open."""
    window = make_window(db=shipped_db, data=tmp_path / "shipped-data")
    window.session.start_incident("Mall shooting")
    window.open_hit("active-assailant-first-minutes")
    return window


def rows(window):
    return list(window.checklist_view.rows.values())


def test_opening_a_checklist_focuses_its_first_open_step(window, qtbot):
    window.session.step_event("tick", "tourniquet", "tourniquet/cover", "Move to cover")
    window.open_hit("tourniquet")
    qtbot.waitUntil(lambda: rows(window)[1].checkbox.hasFocus())
    window.open_hit("tourniquet", "tourniquet/time")
    qtbot.waitUntil(lambda: rows(window)[2].checkbox.hasFocus())


def test_tab_stops_once_per_step(long_window, qtbot):
    window = long_window
    steps = rows(window)
    qtbot.waitUntil(steps[0].checkbox.hasFocus)
    for expected in steps[1:6]:
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected.checkbox, QApplication.focusWidget()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab,
                   Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is steps[4].checkbox


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_shift_f10_opens_the_steps_menu(window, qtbot):
    window.open_hit("tourniquet", "tourniquet/cover")
    row = rows(window)[0]
    qtbot.waitUntil(row.checkbox.hasFocus)
    QTest.keyClick(row.checkbox, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = row.more.menu()
    qtbot.waitUntil(menu.isVisible)
    assert menu.activeAction() is menu.actions()[0]  # the keyboard is on its first item
    QTest.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())


def test_the_focused_step_is_scrolled_whole_into_view(long_window, qtbot):
    window = long_window
    window.resize(1024, 600)
    view = window.checklist_view
    steps = rows(window)
    qtbot.waitUntil(steps[0].checkbox.hasFocus)
    viewport = view.viewport()
    for _ in range(len(steps) - 1):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = next(r for r in steps if r.checkbox.hasFocus())
        where = QRect(focused.mapTo(viewport, QPoint(0, 0)), focused.size())
        assert viewport.rect().contains(where), (focused.step.id, where, viewport.rect())
    assert focused is steps[-1]
