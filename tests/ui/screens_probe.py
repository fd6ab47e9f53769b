"""Open the real window on a real X server, as a person would see it; measure it; screenshot it.

Run by tests/ui/test_screens.py in a subprocess (pytest itself runs Qt offscreen), with
QT_QPA_PLATFORM=xcb and DISPLAY set to an Xvfb it started:

    python tests/ui/screens_probe.py CONTENT_DB DATA_FOLDER LOOK SHOT.png

It fills the screen with the window (Xvfb has no window manager to maximise it), sets the look,
opens a long checklist, starts an exercise incident and ticks the first step through the journal,
clicks the text of the second step with a real X pointer (xdotool) when it is installed, then
grabs the whole screen into SHOT.png and prints one JSON object of measurements on stdout.
Sizes are in logical pixels (device-independent: at QT_SCALE_FACTOR=2 the screen has twice
as many).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QPoint, QRect
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QPushButton,
    QToolBar,
    QToolButton,
    QWidget,
)

CHECKLIST = "active-assailant-first-minutes"  # a long shipped checklist, with prose and phases
GUIDES = ("glossary", "ics-forms", "tccc-march-paws")  # pages with tables, in the document view


def wait(ms: int) -> None:
    """Let Qt lay out and paint, and the X server answer, for `ms` milliseconds."""
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < ms:
        QApplication.processEvents()
        time.sleep(0.01)


def describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, (QLabel, QAbstractButton)):
        text = " ".join(widget.text().split())[:40]
    name = f"#{widget.objectName()}" if widget.objectName() else ""
    return f"{type(widget).__name__}{name}" + (f" '{text}'" if text else "")


def rect_in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def scrolls(widget: QWidget, window: QWidget) -> QAbstractScrollArea | None:
    """The scroll area (or item view) whose viewport holds the widget: it may be scrolled away,
    which is not cut off."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            return area
        parent = area
    return None


def showing(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def cut_off(window: QWidget) -> list[str]:
    """Every visible widget outside the window, or outside its own parent (so clipped by it),
    except those that live in a scroll area's viewport (they scroll)."""
    found = []
    whole = window.rect()
    for widget in window.findChildren(QWidget):
        if not showing(widget) or widget.isWindow() or scrolls(widget, window) is not None:
            continue
        rect = rect_in_window(widget, window)
        if not whole.contains(rect):
            found.append(f"{describe(widget)} at {rect.getRect()} outside the window "
                         f"{whole.getRect()}")
            continue
        parent = widget.parentWidget()
        if parent is not None and parent is not window and not parent.rect().contains(
                widget.geometry()):
            found.append(f"{describe(widget)} at {widget.geometry().getRect()} clipped by its "
                         f"parent {describe(parent)} of size {parent.width()}x{parent.height()}")
    return found


def squeezed_text(window: QWidget) -> list[str]:
    """Labels and buttons outside scroll areas given less width than their text needs."""
    found = []
    for widget in window.findChildren(QWidget):
        if not showing(widget) or scrolls(widget, window) is not None:
            continue
        if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
            need = widget.sizeHint().width()
        elif isinstance(widget, QAbstractButton) and widget.text():
            need = widget.minimumSizeHint().width()
        else:
            continue
        if need > widget.width():
            found.append(f"{describe(widget)} is {widget.width()} px wide, needs {need}")
    return found


def horizontal_scroll(area: QAbstractScrollArea) -> dict:
    bar = area.horizontalScrollBar()
    return {"visible": area.isVisible(), "bar_visible": bar.isVisible(), "maximum": bar.maximum(),
            "viewport_width": area.viewport().width()}


def wider_than_viewport(area: QAbstractScrollArea) -> list[str]:
    """Children of the checklist's page that stick out past the viewport on the right."""
    found = []
    inner = getattr(area, "widget", lambda: None)()
    if inner is None:
        return found
    width = area.viewport().width()
    for widget in [inner, *inner.findChildren(QWidget)]:
        if not showing(widget):
            continue
        right = widget.mapTo(inner, QPoint(0, 0)).x() + widget.width()
        if right > width:
            found.append(f"{describe(widget)} reaches x={right}, viewport is {width} wide")
    return found


def click_text(row, window) -> dict:
    """A person's tap on the words of a step (not the box), through the X server."""
    xdotool = shutil.which("xdotool")
    if xdotool is None:
        return {"tried": False, "why": "xdotool is not installed"}
    window.checklist_view.ensureWidgetVisible(row, 0, 60)
    wait(150)
    target = row.text.mapToGlobal(QPoint(min(40, row.text.width() // 2), row.text.height() // 2))
    ratio = window.devicePixelRatioF()  # xdotool speaks in the X server's (physical) pixels
    x, y = round(target.x() * ratio), round(target.y() * ratio)
    before = row.state.done
    subprocess.run([xdotool, "mousemove", str(x), str(y), "click", "1"], check=False,
                   capture_output=True, timeout=10)
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < 2000 and row.state.done == before:
        wait(20)
    subprocess.run([xdotool, "mousemove", "0", "0"], check=False, capture_output=True,
                   timeout=10)
    return {"tried": True, "at": [x, y], "ticked": row.state.done and not before}


def whole_in_view(widget: QWidget, area: QAbstractScrollArea) -> bool:
    viewport = area.viewport()
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def title_shown(window) -> bool:
    """The page's title is on screen: in the header that stays put (or, with none, at the top
    of the page, not scrolled away)."""
    view = window.checklist_view
    header = getattr(view, "header", None)
    if header is None:
        return view.verticalScrollBar().value() == 0
    title = window.store.document(CHECKLIST).title
    return header.isVisible() and header.height() > 0 and header.title.text() == title


def opened_at_first_step(window, first, screen, shot: Path) -> dict:
    """As the checklist opens: is its first step on screen whole, with the keyboard on it?
    (A screenshot of it too.)"""
    path = shot.with_name(shot.stem + "-open.png")
    path.parent.mkdir(parents=True, exist_ok=True)
    image = screen.grabWindow(0).toImage()
    view = window.checklist_view
    return {"first_step_whole": whole_in_view(first, view),
            "first_step_focused": window.focusWidget() is first.checkbox,
            "focus": describe(window.focusWidget()) if window.focusWidget() else "",
            "active": window.isActiveWindow(),
            "scrolled": view.verticalScrollBar().value(),
            "title_shown": title_shown(window),
            "first_step_bottom": first.mapTo(view.viewport(), QPoint(0, first.height())).y(),
            "viewport_height": view.viewport().height(),
            "shot": {"path": str(path), "saved": image.save(str(path))}}


def common_colour(image, rect: QRect, ratio: float) -> str:
    """The commonest colour of a rectangle (logical pixels) of a screenshot."""
    counts: dict[str, int] = {}
    for x in range(round(rect.left() * ratio), round((rect.right() + 1) * ratio)):
        for y in range(round(rect.top() * ratio), round((rect.bottom() + 1) * ratio)):
            name = QColor(image.pixel(x, y)).name()
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else ""


def left_strip(rect: QRect) -> QRect:
    """A strip at the left of an item, inside its mark, clear of its words."""
    return QRect(rect.left() + 1, rect.top() + 4, 3, max(1, rect.height() - 8))


def step_menu_by_keyboard(window, row, screen, shot: Path) -> dict:
    """Shift+F10 and Down through the X server on a step; the menu as it is seen then."""
    from binder.ui.theme import contrast

    xdotool = shutil.which("xdotool")
    if xdotool is None:
        return {"tried": False, "why": "xdotool is not installed"}
    row.checkbox.setFocus()
    wait(100)
    menu = row.more.menu()
    subprocess.run([xdotool, "key", "shift+F10"], check=False, capture_output=True, timeout=10)
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < 2000 and not menu.isVisible():
        wait(20)
    opened = menu.isVisible()
    subprocess.run([xdotool, "key", "Down"], check=False, capture_output=True, timeout=10)
    wait(200)
    actions = [a for a in menu.actions() if not a.isSeparator()]
    path = shot.with_name(shot.stem + "-menu.png")
    image = screen.grabWindow(0).toImage()
    ratio = image.devicePixelRatio()
    origin = menu.geometry().topLeft() - screen.geometry().topLeft()
    active = menu.activeAction()
    geometries = {a: menu.actionGeometry(a).translated(origin) for a in actions}
    other = next((a for a in actions if a is not active), None)
    marked = common_colour(image, geometries[active], ratio) if active in geometries else ""
    plain = common_colour(image, geometries[other], ratio) if other else ""
    result = {"tried": True, "opened": opened, "saved": image.save(str(path)),
              "path": str(path), "active": actions.index(active) if active in actions else -1,
              "heights": [g.height() for g in geometries.values()],
              "marked": marked, "plain": plain,
              "contrast": round(contrast(marked, plain), 2) if marked and plain else 0}
    menu.close()
    wait(100)
    return result


def current_rows(window) -> dict:
    """The sections list as seen: its current row's left edge against another row's."""
    from binder.ui.theme import contrast

    tree = window.sections
    current = tree.currentItem()
    if current is None or current.parent() is None:
        return {"current": False}
    siblings = [current.parent().child(i) for i in range(current.parent().childCount())]
    other = next((item for item in siblings if item is not current), None)
    image = tree.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    marked = common_colour(image, left_strip(tree.visualItemRect(current)), ratio)
    plain = common_colour(image, left_strip(tree.visualItemRect(other)), ratio)
    heights = [tree.visualItemRect(item).height() for item in siblings]
    return {"current": True, "marked": marked, "plain": plain,
            "contrast": round(contrast(marked, plain), 2), "min_height": min(heights)}


def main() -> int:
    content_db, data, look, shot = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    started = time.monotonic()
    from binder.ui.app import application, create_window
    from binder.ui.view_actions import menu_actions as all_menu_actions

    app = application()
    if app.platformName() != "xcb":
        print(json.dumps({"error": f"platform is {app.platformName()}, not xcb"}))
        return 2
    window = create_window(content_db, data)
    screen = QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    window.showMaximized()
    # No window manager under Xvfb: place the window over the whole screen ourselves.
    window.setGeometry(available)
    window.activateWindow()  # no window manager to do it: the keyboard comes to this window
    wait(100)
    window.view_actions.set_theme(look)
    window.session.start_incident("Screenshot drill", incident_type="Active assailant",
                                  location="North Mall", exercise=True)
    window.open_hit(CHECKLIST)  # as from a search hit: the focus goes to the first open step
    wait(200)
    rows = window.checklist_view.rows
    first, second = list(rows.values())[:2]
    on_open = opened_at_first_step(window, first, screen, Path(shot))
    first.checkbox.click()  # the first step, ticked through the real journal
    wait(300)
    tap = click_text(second, window)
    window.checklist_view.verticalScrollBar().setValue(0)
    window.checklist_view.setFocus()
    wait(200)

    frame = window.frameGeometry()
    toolbars = [bar for bar in window.findChildren(QToolBar) if showing(bar)]
    extension = [bar.objectName() or bar.windowTitle() for bar in toolbars
                 for button in bar.findChildren(QToolButton)
                 if button.objectName() == "qt_toolbar_ext_button" and showing(button)]
    menubar_ext = [button for button in window.menuBar().findChildren(QToolButton)
                   if showing(button)]
    menu_actions = {id(action) for menu in window.menuBar().actions() if menu.menu()
                    for action in all_menu_actions(menu.menu())}
    toolbar_buttons = []
    for bar in toolbars:
        for button in bar.findChildren(QToolButton):
            action = button.defaultAction()
            if not showing(button) or action is None:
                continue
            toolbar_buttons.append({
                "text": action.text(), "width": button.width(), "height": button.height(),
                "in_menu": id(action) in menu_actions,
                "inside_bar": bar.rect().contains(button.geometry())})
    hidden_actions = [{"text": action.text(), "in_menu": id(action) in menu_actions}
                      for bar in toolbars for action in bar.actions()
                      if action.isVisible() and not action.isSeparator()
                      and not (bar.widgetForAction(action) and showing(
                          bar.widgetForAction(action)))]
    push_buttons = [{"text": b.text(), "width": b.width(), "height": b.height()}
                    for b in window.findChildren(QPushButton) if showing(b)]
    step_rows = [{"id": key, "height": row.height(), "checkbox": row.checkbox.height(),
                  "checkbox_width": row.checkbox.width(), "more": row.more.height(),
                  "more_width": row.more.width(), "done": row.state.done}
                 for key, row in rows.items() if row.isVisible()]
    item_views = {describe(view): horizontal_scroll(view)
                  for view in window.findChildren(QAbstractItemView) if showing(view)}
    result = {
        "platform": app.platformName(),
        "look": window.appearance.look,
        "device_pixel_ratio": window.devicePixelRatioF(),
        "screen": list(screen.geometry().getRect()),
        "available": list(available.getRect()),
        "frame": list(frame.getRect()),
        "frame_fits_screen": available.contains(frame),
        "minimum_size": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
        "page": window.current.doc_id if window.current else "",
        "on_open": on_open,
        "steps": step_rows,
        "tap_on_text": tap,
        "toolbar_buttons": toolbar_buttons,
        "toolbar_extension": extension,
        "toolbar_hidden_actions": hidden_actions,
        "menubar_extension": bool(menubar_ext),
        "menu_titles": [a.text() for a in window.menuBar().actions()],
        "menubar_height": window.menuBar().height(),
        "push_buttons": push_buttons,
        "search_box_height": window.search_box.height(),
        "sections_width": window.sections.viewport().width(),
        "cut_off": cut_off(window),
        "squeezed_text": squeezed_text(window),
        "checklist_scroll": horizontal_scroll(window.checklist_view),
        "checklist_too_wide": wider_than_viewport(window.checklist_view),
        "document_scroll": horizontal_scroll(window.document_view),
        "item_views": item_views,
    }
    viewport = window.checklist_view.viewport()
    result["steps_in_view_on_open"] = sum(
        viewport.rect().contains(QRect(row.mapTo(viewport, QPoint(0, 0)), row.size()))
        for row in rows.values())
    # What a person sees: the X server's root window, not Qt's idea of the widget. First the
    # page as it opens, then scrolled to its first steps.
    shots = {"top": Path(shot).with_name(Path(shot).stem + "-top.png"), "steps": Path(shot)}
    shots["top"].parent.mkdir(parents=True, exist_ok=True)
    result["shots"] = {}
    for name, path in shots.items():
        if name == "steps":
            bar = window.checklist_view.verticalScrollBar()
            bar.setValue(first.mapTo(window.checklist_view.widget(), QPoint(0, 0)).y() - 56)
            wait(200)
        image = screen.grabWindow(0).toImage()
        result["shots"][name] = {"path": str(path), "saved": image.save(str(path)),
                                 "size": [image.width(), image.height()]}
    open_step = next((r for r in rows.values() if not r.state.done), first)
    result["step_menu"] = step_menu_by_keyboard(window, open_step, screen, Path(shot))
    result["sections_current"] = current_rows(window)
    # The document view too: guide pages with tables, laid out at this size, must not need a
    # side scroll.
    result["guide_scroll"] = {}
    for guide in GUIDES:
        assert window.open_document(guide), guide
        wait(100)
        result["guide_scroll"][guide] = horizontal_scroll(window.document_view)
    result["seconds"] = round(time.monotonic() - started, 2)
    print(json.dumps(result))
    sys.stdout.flush()
    window.journal.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
