"""The window's look: the theme and text zoom chosen, and the palette and style sheet they give."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from binder.look_file import read_look, write_look
from binder.paths import assets_dir
from binder.ui import theme

if TYPE_CHECKING:
    from binder.journal.journal import Journal


class Look:
    """The saved theme and zoom, read before any widget is made (in the frame), so the style
    sheet goes on once, not on every widget again; kept beside the journal for the next frame."""

    def __init__(self, window_style: str, data_folder: Path | None):
        self.window_style, self.data_folder = window_style, data_folder
        self.theme_choice, self.zoom = "system", 100
        self.system_scheme = None
        self.frame_look: str | None = "light"

    def read(self, journal: Journal | None = None, settings: dict[str, str] | None = None) -> None:
        """The saved theme and zoom (from the journal, or `settings` read before it is open),
        and the desktop's colour scheme."""
        if settings is None:
            def setting(key: str, default: str) -> str:
                return journal.setting(key, default) if journal is not None else default
        else:
            setting = settings.get
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

    @property
    def look(self) -> str:
        """The theme on screen now: light, night or contrast."""
        if self.frame_look is not None and self.theme_choice == "system":
            return self.frame_look
        return theme.effective(self.theme_choice, self.system_scheme)

    def apply_to_window(self) -> None:
        """The palette and the window's style sheet for the theme and zoom. A new sheet makes Qt
        style every widget again, so it is set only when it is not the one in place."""
        app = QApplication.instance()
        app.setPalette(theme.palette(self.look, app.style().standardPalette()))
        sheet = theme.fill(self.window_style, self.look, self.zoom, str(assets_dir()))
        if app.styleSheet() != sheet:
            app.setStyleSheet(sheet)

    def keep_file(self) -> None:
        """The look also beside the journal, for the next start's first frame (look_file.py)."""
        if self.data_folder is None:
            return
        look = {"theme": self.theme_choice, "zoom": str(self.zoom), "look": self.look}
        if read_look(self.data_folder) != look:
            write_look(self.data_folder, look)
