"""The View menu (night mode, high contrast, text zoom) and the keyboard shortcut sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from binder.journal.journal_errors import JournalError
from binder.ui import theme

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QMenu

    from binder.journal.journal import Journal
    from binder.ui.look import Look
    from binder.ui.status_bar import StatusBar

# Keys that are not menu actions, for the shortcut sheet (the menu actions are read from the menus).
KEYS = (
    ("Esc, Ctrl+K, Ctrl+L", "Go to the search box"),
    ("Up, Down (in the search box)", "Choose a result"),
    ("Enter", "Open the chosen result"),
    ("Ctrl+F", "Find in the open page (in the search box: search)"),
    ("Enter, Shift+Enter (in Find)", "Next and previous match in the page"),
    ("Up, Down (on a checklist)", "Previous and next step"),
    ("Home, End (on a checklist)", "First and last step"),
    ("Space", "Tick the step (on a done step: who did it, nothing changes)"),
    ("Ctrl+Z", "Undo the last tick, N/A or untick while Undo shows"),
    ("Ctrl+Enter (in a note)", "Save the note (Enter is a new line, Esc cancels)"),
    ("N", "Add a note to the step"),
    ("Menu key, Shift+F10", "More for the step: N/A, done earlier, note, undo"),
    ("Tab, Shift+Tab", "Next and previous control"),
    ("Alt+Left, Alt+Right", "Back and forward through the pages opened, each where it was"),
    ("Up, Down, Enter (in What is left)", "Choose an open step and go to it"),
)


def shortcut_text(action: QAction) -> str:
    return ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText)
                     for key in action.shortcuts())


class ViewActions(QObject):
    """The View menu and Help's shortcut sheet: they change `look` (remembered in `journal`),
    restyle the window and the `page_views` with `page_style`, and say so on `status`. A QObject
    of the window's, so the desktop's colour-scheme signal lets go of it with the window."""

    def __init__(self, window: QMainWindow, menus: dict[str, QMenu], look: Look,
                 journal: Journal | None, page_views: tuple, page_style: str,
                 status: StatusBar):
        super().__init__(window)
        self.window, self.look, self.journal = window, look, journal
        self.page_views, self.page_style, self.status = page_views, page_style, status
        menu = menus["view"]
        self.night_action = QAction("&Night mode", window)
        self.night_action.setCheckable(True)
        self.night_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.night_action.triggered.connect(self.toggle_night)
        menu.addAction(self.night_action)
        looks = menu.addMenu("&Look")
        group = QActionGroup(window)
        self.theme_actions = {}
        for choice in theme.CHOICES:
            action = QAction(theme.CHOICE_NAMES[choice], window)
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, c=choice: self.set_theme(c))
            group.addAction(action)
            looks.addAction(action)
            self.theme_actions[choice] = action
        menu.addSeparator()
        for label, keys, delta in (
            ("Zoom &in", (QKeySequence.StandardKey.ZoomIn, "Ctrl+="), 1),
            ("Zoom &out", (QKeySequence.StandardKey.ZoomOut,), -1),
            ("&Actual size", ("Ctrl+0",), 0),
        ):
            action = QAction(label, window)
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.triggered.connect(lambda _=False, d=delta: self.set_zoom(theme.zoom_step(
                self.look.zoom, d)))
            menu.addAction(action)
        self.shortcuts_action = QAction("&Keyboard shortcuts", window)
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        menus["help"].addAction(self.shortcuts_action)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.system_scheme_changed)

    def system_scheme_changed(self, scheme) -> None:
        """The desktop went light or dark: follow it, unless a look was chosen here."""
        self.look.system_scheme = scheme
        if self.look.theme_choice == "system":
            self.apply_look()

    def remember(self, key: str, value: str) -> None:
        """Kept per machine in journal.db; a look that cannot be saved still shows."""
        if self.journal is None:
            return
        try:
            self.journal.set_setting(key, value)
        except JournalError as exc:
            self.status.showMessage(str(exc), 8000)
        self.look.keep_file()

    def toggle_night(self) -> None:
        """Ctrl+Shift+N: night if it is not night now, else light; remembered."""
        self.set_theme("light" if self.look.look == "night" else "night")

    def set_theme(self, choice: str) -> None:
        self.look.theme_choice = choice
        self.remember("theme", choice)
        self.apply_look()

    def set_zoom(self, zoom: int) -> None:
        self.look.zoom = zoom
        self.remember("zoom", str(zoom))
        self.apply_look()
        self.status.showMessage(f"Text size {zoom}%", 3000)

    def apply_look(self) -> None:
        """Palette and style sheets for the theme and zoom; the open page is laid out again."""
        look = self.look.look
        self.look.apply_to_window()
        page_style = theme.fill(self.page_style, look, self.look.zoom)
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * self.look.zoom / 100)
        for view in self.page_views:
            view.set_stylesheet(page_style, font)
        self.night_action.setChecked(look == "night")
        self.theme_actions[self.look.theme_choice].setChecked(True)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        rows, seen = [], set()
        for menu_action in self.window.menuBar().actions():
            for action in menu_actions(menu_action.menu()):
                keys = shortcut_text(action)
                if keys and keys not in seen:
                    seen.add(keys)
                    rows.append((keys, action.text().replace("&", "").rstrip("…")))
        for action in self.window.findChildren(QAction):  # toolbar actions not in a menu
            keys = shortcut_text(action)
            if keys and keys not in seen:
                seen.add(keys)
                rows.append((keys, action.toolTip().split(" (")[0] or action.text()))
        return rows + list(KEYS)

    def show_shortcuts(self) -> None:
        from binder.ui.shortcut_sheet import ShortcutSheet

        self.shortcut_sheet = ShortcutSheet(self.shortcut_rows(), self.window)
        self.shortcut_sheet.open()


def menu_actions(menu) -> list[QAction]:
    """Every action of a menu and its submenus."""
    if menu is None:
        return []
    found = []
    for action in menu.actions():
        found += menu_actions(action.menu()) if action.menu() else [action]
    return found
