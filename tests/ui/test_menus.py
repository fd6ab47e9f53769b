"""Menus and lists show where the pointer or keyboard is, in every look, at 44 px a row."""

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from binder.ui.dialogs import OperatorDialog
from binder.ui.theme import contrast

LOOKS = ["light", "night", "contrast"]
TARGET = 44


def assert_marked(widget, rect: QRect, current, elsewhere, what: str) -> None:
    """The item in `rect` looks different when it is the current one (after `current()`) from
    when it is not (after `elsewhere()`): a bar or fill of at least 3 px by the item's height
    whose colour changes at 3:1 or more (WCAG's contrast for the parts of a control)."""
    rect = rect.intersected(widget.rect())
    assert rect.width() > 20 and rect.height() > 8, (what, rect)
    elsewhere()
    plain = widget.grab().toImage()
    current()
    marked = widget.grab().toImage()
    ratio = marked.devicePixelRatio()
    changed = 0
    for x in range(round(rect.left() * ratio), round(rect.right() * ratio)):
        for y in range(round(rect.top() * ratio), round(rect.bottom() * ratio)):
            before, after = QColor(plain.pixel(x, y)).name(), QColor(marked.pixel(x, y)).name()
            changed += before != after and contrast(before, after) >= 3
    assert changed >= 3 * rect.height() * ratio * ratio, (
        f"{what}: the current item is hardly marked ({changed} pixels change at 3:1)")


@pytest.fixture
def window(make_window):
    window = make_window()
    window.session.start_incident("Mall shooting")
    window.open_document("tourniquet")
    return window


def shown_menu(qtbot, menu: QMenu, at: QPoint) -> QMenu:
    menu.popup(at)
    qtbot.waitUntil(menu.isVisible)
    return menu


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
@pytest.mark.parametrize("look", LOOKS)
def test_the_step_menu_shows_the_item_the_keyboard_is_on(window, qtbot, look):
    window.view_actions.set_theme(look)
    row = window.checklist_view.rows["tourniquet/cover"]
    menu = shown_menu(qtbot, row.more.menu(), row.more.mapToGlobal(QPoint(0, 0)))
    QTest.keyClick(menu, Qt.Key.Key_Down)
    actions = menu.actions()
    assert menu.activeAction() is actions[0]
    assert_marked(menu, menu.actionGeometry(actions[0]), lambda: menu.setActiveAction(actions[0]),
                  lambda: menu.setActiveAction(actions[1]), f"{look} step menu")
    menu.close()


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_the_pointer_on_a_menu_item_marks_it(window, qtbot):
    row = window.checklist_view.rows["tourniquet/cover"]
    menu = shown_menu(qtbot, row.more.menu(), row.more.mapToGlobal(QPoint(0, 0)))
    actions = menu.actions()
    QTest.mouseMove(menu, menu.actionGeometry(actions[2]).center())
    qtbot.waitUntil(lambda: menu.activeAction() is actions[2])
    marked = menu.grab().toImage()
    QTest.mouseMove(menu, menu.actionGeometry(actions[0]).center())
    qtbot.waitUntil(lambda: menu.activeAction() is actions[0])
    assert_marked(menu, menu.actionGeometry(actions[2]),
                  lambda: QTest.mouseMove(menu, menu.actionGeometry(actions[2]).center()),
                  lambda: QTest.mouseMove(menu, menu.actionGeometry(actions[0]).center()),
                  "pointer on the step menu")
    assert not marked.isNull()
    menu.close()


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_every_menu_item_is_44_px_high(window, qtbot):
    menus = [window.checklist_view.rows["tourniquet/cover"].more.menu()]
    menus += [action.menu() for action in window.menuBar().actions() if action.menu()]
    for menu in menus:
        shown_menu(qtbot, menu, QPoint(0, 0))
        for action in menu.actions():
            if not action.isSeparator() and action.isVisible():
                height = menu.actionGeometry(action).height()
                assert height >= TARGET, (menu.title(), action.text(), height)
        menu.close()


@pytest.mark.parametrize("look", LOOKS)
def test_the_sections_and_results_show_their_current_row(window, qtbot, look):
    window.view_actions.set_theme(look)
    window.resize(1024, 600)
    window.centralWidget().setSizes([360, 660])
    qtbot.waitUntil(lambda: window.sections.viewport().width() > 200)
    tree = window.sections
    item = tree.topLevelItem(0).child(0)
    other = tree.topLevelItem(0).child(1) or tree.topLevelItem(1).child(0)
    assert_marked(tree.viewport(), tree.visualItemRect(item), lambda: tree.setCurrentItem(item),
                  lambda: tree.setCurrentItem(other), f"{look} sections")
    qtbot.keyClicks(window.search_box, "tourniquet")
    results = window.results
    qtbot.waitUntil(lambda: results.count() >= 2)
    assert_marked(results.viewport(), results.visualItemRect(results.item(1)),
                  lambda: results.setCurrentRow(1), lambda: results.setCurrentRow(0),
                  f"{look} results")


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
@pytest.mark.parametrize("look", LOOKS)
def test_the_ics_position_list_has_44_px_rows_and_shows_its_current_one(window, qtbot, look):
    window.view_actions.set_theme(look)
    dialog = OperatorDialog(window.session.operator, window)
    qtbot.addWidget(dialog)
    dialog.show()
    combo = dialog.position
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    model = combo.model()
    heights = [view.visualRect(model.index(i, 0)).height() for i in range(3)]
    assert min(heights) >= TARGET, heights
    assert_marked(view.viewport(), view.visualRect(model.index(1, 0)),
                  lambda: view.setCurrentIndex(model.index(1, 0)),
                  lambda: view.setCurrentIndex(model.index(2, 0)), f"{look} ICS positions")
    combo.hidePopup()
    assert QApplication.font().pointSizeF() <= combo.font().pointSizeF()


def test_the_marked_item_is_readable_in_every_look():
    from binder.ui import theme

    for name, c in theme.COLOURS.items():
        assert contrast(c["menu_sel_fg"], c["menu_sel_bg"]) >= 4.5, name
        assert contrast(c["selected_fg"], c["selected_bg"]) >= 4.5, name
