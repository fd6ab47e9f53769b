"""The View menu (night mode, high contrast, text zoom) and the keyboard shortcut sheet."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from binder.journal.journal_errors import JournalError
from binder.look_file import read_look, write_look
from binder.paths import assets_dir
from binder.ui import theme

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


class ViewActions:
    """Mixed into the main window, which has `journal`, the page views and `menuBar()`."""

    def read_look(self, settings: dict[str, str] | None = None) -> None:
        """The saved theme and zoom (from the journal, or `settings` read before it is open),
        and the desktop's colour scheme: before any widget is made, so the style sheet goes on
        once, not on every widget again."""
        setting = self._setting if settings is None else (
            lambda key, default: settings.get(key, default))
        self.theme_choice = setting("theme", "system")
        if self.theme_choice not in theme.CHOICES:
            self.theme_choice = "system"
        try:
            self.zoom = int(setting("zoom", "100"))
        except ValueError:
            self.zoom = 100
        if self.zoom not in theme.ZOOM_STEPS:
            self.zoom = 100
        if settings is None:
            self.system_scheme = QGuiApplication.styleHints().colorScheme()
            self.frame_look = None
        else:  # the frame: the look shown last time, not the desktop's scheme, whose reading
            # makes PySide6 create the ~90 enums of Qt's namespace (15 ms) before the first paint
            self.system_scheme = None
            shown = settings.get("look", "light")
            self.frame_look = shown if shown in theme.COLOURS else "light"

    def make_view_menu(self) -> None:
        menu = self.menus["view"]
        self.night_action = QAction("&Night mode", self)
        self.night_action.setCheckable(True)
        self.night_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.night_action.triggered.connect(self.toggle_night)
        menu.addAction(self.night_action)
        looks = menu.addMenu("&Look")
        group = QActionGroup(self)
        self.theme_actions = {}
        for choice in theme.CHOICES:
            action = QAction(theme.CHOICE_NAMES[choice], self)
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
            action = QAction(label, self)
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.triggered.connect(lambda _=False, d=delta: self.set_zoom(theme.zoom_step(
                self.zoom, d)))
            menu.addAction(action)
        help_menu = self.menus["help"]
        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        help_menu.addAction(self.shortcuts_action)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.system_scheme_changed)

    def system_scheme_changed(self, scheme) -> None:
        """The desktop went light or dark: follow it, unless a look was chosen here."""
        self.system_scheme = scheme
        if self.theme_choice == "system":
            self.apply_look()

    def _setting(self, key: str, default: str) -> str:
        return self.journal.setting(key, default) if self.journal is not None else default

    def _remember(self, key: str, value: str) -> None:
        """Kept per machine in journal.db; a look that cannot be saved still shows."""
        if self.journal is None:
            return
        try:
            self.journal.set_setting(key, value)
        except JournalError as exc:
            self.statusBar().showMessage(str(exc), 8000)
        self.keep_look_file()

    def keep_look_file(self) -> None:
        """The look also beside the journal, for the next start's first frame (look_file.py)."""
        if self.data_folder is None:
            return
        look = {"theme": self.theme_choice, "zoom": str(self.zoom), "look": self.look}
        if read_look(self.data_folder) != look:
            write_look(self.data_folder, look)

    @property
    def look(self) -> str:
        """The theme on screen now: light, night or contrast."""
        if self.frame_look is not None and self.theme_choice == "system":
            return self.frame_look
        return theme.effective(self.theme_choice, self.system_scheme)

    def toggle_night(self) -> None:
        """Ctrl+Shift+N: night if it is not night now, else light; remembered."""
        self.set_theme("light" if self.look == "night" else "night")

    def set_theme(self, choice: str) -> None:
        self.theme_choice = choice
        self._remember("theme", choice)
        self.apply_look()

    def set_zoom(self, zoom: int) -> None:
        self.zoom = zoom
        self._remember("zoom", str(zoom))
        self.apply_look()
        self.statusBar().showMessage(f"Text size {zoom}%", 3000)

    def apply_look(self) -> None:
        """Palette and style sheets for the theme and zoom; the open page is laid out again."""
        look = self.look
        self.apply_window_look()
        page_style = theme.fill(self.page_style, look, self.zoom)
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * self.zoom / 100)
        self.document_view.set_stylesheet(page_style, font)
        self.checklist_view.set_stylesheet(page_style, font)
        self.night_action.setChecked(look == "night")
        self.theme_actions[self.theme_choice].setChecked(True)

    def apply_window_look(self) -> None:
        """The palette and the window's style sheet for the theme and zoom. A new sheet makes Qt
        style every widget again, so it is set only when it is not the one in place."""
        app = QApplication.instance()
        app.setPalette(theme.palette(self.look, app.style().standardPalette()))
        sheet = theme.fill(self.window_style, self.look, self.zoom, str(assets_dir()))
        if app.styleSheet() != sheet:
            app.setStyleSheet(sheet)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        rows, seen = [], set()
        for menu_action in self.menuBar().actions():
            for action in self._menu_actions(menu_action.menu()):
                keys = shortcut_text(action)
                if keys and keys not in seen:
                    seen.add(keys)
                    rows.append((keys, action.text().replace("&", "").rstrip("…")))
        for action in self.findChildren(QAction):  # toolbar actions not in a menu
            keys = shortcut_text(action)
            if keys and keys not in seen:
                seen.add(keys)
                rows.append((keys, action.toolTip().split(" (")[0] or action.text()))
        return rows + list(KEYS)

    def _menu_actions(self, menu) -> list[QAction]:
        if menu is None:
            return []
        found = []
        for action in menu.actions():
            found += self._menu_actions(action.menu()) if action.menu() else [action]
        return found

    def show_shortcuts(self) -> None:
        from binder.ui.shortcut_sheet import ShortcutSheet

        self.shortcut_sheet = ShortcutSheet(self.shortcut_rows(), self)
        self.shortcut_sheet.open()
