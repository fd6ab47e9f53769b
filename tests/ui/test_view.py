"""The screen at 3 a.m.: night and high-contrast looks, text zoom, keys, touch sizes, names."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible, QAction, QContextMenuEvent, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QToolButton

from binder.ui import theme
from binder.ui.checklist_view import StepRow
from binder.ui.dialogs import NoteDialog


def colours(window):
    palette = QApplication.instance().palette()
    return (palette.color(QPalette.ColorRole.Text).name(),
            palette.color(QPalette.ColorRole.Base).name())


def press(qtbot, widget, keys):
    qtbot.keySequence(widget, keys)


def test_night_mode_is_dim_readable_and_remembered(make_window, qtbot, tmp_path):
    window = make_window()
    assert window.appearance.look == "light"  # the offscreen platform has no dark setting to follow
    light_text, light_base = colours(window)
    press(qtbot, window, "Ctrl+Shift+N")
    assert window.appearance.look == "night" and window.view_actions.night_action.isChecked()
    text, base = colours(window)
    assert theme.luminance(base) < 0.02 < theme.luminance(text) < 0.8  # dim: no white, no glare
    assert theme.contrast(text, base) >= 7  # and still easy to read
    assert (text, base) != (light_text, light_base)
    assert "#eef6ee" not in QApplication.instance().styleSheet()  # the light "done" colour
    window.close()
    again = make_window()
    assert again.appearance.look == "night"  # kept per machine
    press(qtbot, again, "Ctrl+Shift+N")
    assert again.appearance.look == "light"
    assert colours(again) == (light_text, light_base)


def test_every_theme_colour_is_readable_on_its_background():
    for name in ("night", "contrast"):
        roles = theme.PALETTES[name]
        assert theme.contrast(roles["Text"], roles["Base"]) >= 7, name
        assert theme.contrast(roles["WindowText"], roles["Window"]) >= 7, name
    for name, c in theme.COLOURS.items():
        base = {"light": "#ffffff", **{k: v["Base"] for k, v in theme.PALETTES.items()}}[name]
        for fg in ("muted", "link", "external", "broken", "correction", "error"):
            assert theme.contrast(c[fg], base) >= 4.5, (name, fg)
        for edge in ("box_border", "box_on", "focus"):
            assert theme.contrast(c[edge], base) >= 3, (name, edge)  # a box one can see
        for kind in ("live", "exercise", "closed"):
            assert theme.contrast(c[f"{kind}_fg"], c[f"{kind}_bg"]) >= 4.5, (name, kind)


def test_high_contrast_is_black_on_white_and_the_style_sheets_are_filled(make_window):
    window = make_window()
    window.view_actions.theme_actions["contrast"].trigger()
    assert window.appearance.look == "contrast"
    assert colours(window) == ("#000000", "#ffffff")
    style = QApplication.instance().styleSheet()
    assert "@" not in style and "zpt" not in style
    assert "@" not in window.document_view.document().defaultStyleSheet()


def test_follows_the_system_until_a_look_is_chosen(make_window):
    window = make_window()
    assert window.appearance.theme_choice == "system"
    hints = QApplication.instance().styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.appearance.look == "night"
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window.appearance.look == "light"
    window.view_actions.set_theme("contrast")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.appearance.look == "contrast"
    assert theme.effective("system", Qt.ColorScheme.Dark) == "night"


def test_text_zoom_grows_pages_and_steps_and_is_remembered(make_window, qtbot):
    window = make_window()
    window.open_document("casualty-guide")
    width = window.document_view.viewport().width()
    window.document_view.document().setTextWidth(width)
    before = window.document_view.document().size().height()
    press(qtbot, window, "Ctrl+=")
    press(qtbot, window, "Ctrl++")
    assert window.appearance.zoom == 125
    window.document_view.document().setTextWidth(width)
    assert window.document_view.document().size().height() > before * 1.1
    window.open_document("tourniquet")
    step = window.checklist_view.rows["tourniquet/cover"].text
    assert step.font().pointSizeF() == pytest.approx(12 * 1.25)
    window.close()
    again = make_window()
    assert again.appearance.zoom == 125
    press(qtbot, again, "Ctrl+0")
    assert again.appearance.zoom == 100
    press(qtbot, again, "Ctrl+-")
    assert again.appearance.zoom == 90


def test_zoom_keeps_the_focused_step(make_window, qtbot):
    window = make_window()
    window.open_hit("tourniquet", "tourniquet/time")
    press(qtbot, window, "Ctrl+=")
    qtbot.waitUntil(lambda: window.checklist_view.rows["tourniquet/time"].checkbox.hasFocus())


def test_arrows_move_between_steps_space_ticks_n_adds_a_note(
        make_window, qtbot, start_on_ask, monkeypatch):
    notes = []
    monkeypatch.setattr(NoteDialog, "ask", staticmethod(
        lambda parent=None, about="": notes.append(about) or ("Left leg", "")))
    window = make_window()
    window.open_hit("tourniquet", "tourniquet/cover")
    rows = window.checklist_view.rows
    first = rows["tourniquet/cover"]
    qtbot.waitUntil(first.checkbox.hasFocus)
    assert first.property("focused") == "true"  # the row the keys act on is outlined
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert rows["tourniquet/apply-high"].checkbox.hasFocus()
    assert first.property("focused") == "false"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert rows["tourniquet/apply-high"].state.done
    assert [e.step_id for e in window.journal.events() if e.kind == "tick"] == [
        "tourniquet/apply-high"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_End)
    assert rows["tourniquet/time"].checkbox.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N)
    assert notes == ["Write the time on the tourniquet (why)"]
    assert rows["tourniquet/time"].state.notes == ("Left leg",)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Home)
    assert first.checkbox.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)  # no step above: stays
    assert first.checkbox.hasFocus()


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_the_menu_key_opens_a_steps_other_actions(make_window, qtbot):
    window = make_window()
    window.open_hit("tourniquet", "tourniquet/cover")
    row = window.checklist_view.rows["tourniquet/cover"]
    qtbot.waitUntil(row.checkbox.hasFocus)
    menu = row.more.menu()
    shown = []
    menu.aboutToShow.connect(lambda: (shown.append(True), QTimer.singleShot(0, menu.close)))
    centre = row.checkbox.rect().center()
    QApplication.sendEvent(row.checkbox, QContextMenuEvent(  # what the Menu key sends
        QContextMenuEvent.Reason.Keyboard, centre, row.checkbox.mapToGlobal(centre)))
    assert shown


@pytest.mark.parametrize("keys", ["F1", "Ctrl+/"])
def test_the_shortcut_sheet_lists_every_shortcut(make_window, qtbot, keys):
    window = make_window()
    press(qtbot, window, keys)
    sheet = window.view_actions.shortcut_sheet
    qtbot.waitUntil(sheet.isVisible)
    text = sheet.text.toPlainText()
    shortcuts = {key.toString(QKeySequence.SequenceFormat.NativeText)
                 for action in window.findChildren(QAction) for key in action.shortcuts()}
    assert len(shortcuts) >= 10
    for keys_text in shortcuts:
        assert keys_text in text
    for words in ("Space", "Tick the step (on a done step", "Ctrl+Z", "Add a note to the step",
                  "Ctrl+K", "Night mode"):
        assert words in text
    sheet.close()


def test_touch_targets_are_at_least_44_px_high(make_window, qtbot):
    window = make_window()
    window.open_document("tourniquet")
    qtbot.waitUntil(lambda: window.checklist_view.rows["tourniquet/cover"].height() > 0)
    for row in window.checklist_view.findChildren(StepRow):
        assert row.height() >= 44
        assert row.more.height() >= 44 and row.more.width() >= 44
    buttons = [b for b in window.findChildren(QToolButton) if b.isVisible()
               and b.objectName() != "qt_toolbar_ext_button" and b.defaultAction() is not None]
    assert len(buttons) >= 3
    for button in buttons:
        assert button.height() >= 44, button.text()
    assert window.search_box.height() >= 44


INTERACTIVE = {QAccessible.Role.PushButton, QAccessible.Role.CheckBox,
               QAccessible.Role.EditableText, QAccessible.Role.ComboBox,
               QAccessible.Role.List, QAccessible.Role.Tree, QAccessible.Role.ButtonMenu,
               QAccessible.Role.ButtonDropDown, QAccessible.Role.RadioButton,
               QAccessible.Role.Table, QAccessible.Role.Slider, QAccessible.Role.SpinBox}


def walk(interface, seen, depth=0):
    if interface is None or not interface.isValid() or depth > 40:
        return
    yield interface
    for i in range(interface.childCount()):
        child = interface.child(i)
        if child is not None and child.isValid():
            key = (id(child.object()), child.role(), child.text(QAccessible.Text.Name))
            if child.object() is not None and key in seen:
                continue
            seen.add(key)
            yield from walk(child, seen, depth + 1)


@pytest.mark.parametrize("doc_id", ["tourniquet", "casualty-guide"])
def test_every_control_in_the_accessible_tree_has_a_name(make_window, doc_id):
    window = make_window()
    window.open_document(doc_id)
    root = QAccessible.queryAccessibleInterface(window)
    nodes = list(walk(root, set()))
    interactive = [node for node in nodes if node.role() in INTERACTIVE
                   and not node.state().invisible]
    assert len(interactive) >= 5
    unnamed = [(node.role(), node.object().objectName() if node.object() else "")
               for node in interactive if not node.text(QAccessible.Text.Name).strip()]
    assert unnamed == []
    names = {node.text(QAccessible.Text.Name) for node in nodes}
    assert "Search the binder" in names or any("Search" in name for name in names)
