"""Agency content packs in the window: add a folder, list, update and remove packs."""

from __future__ import annotations

from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from binder.paths import index_dir, pack_paths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

    from binder.search.library import Library
    from binder.ui.status_bar import StatusBar


class PackActions:
    """The File menu's agency packs, kept in `data_folder`: each change opens the `library()`
    again and hands the new one to `use_library`; dialogs over `window`, news on `status`."""

    def __init__(self, window: QWidget, menu: QMenu, data_folder: Path | None,
                 library: Callable[[], Library | None],
                 use_library: Callable[[Library], None], status: StatusBar):
        self.window, self.data_folder, self.status = window, data_folder, status
        self.library, self.use_library = library, use_library
        add = QAction("Add agency &content…", window)
        add.triggered.connect(self.choose_agency_folder)
        manage = QAction("Agency &packs…", window)
        manage.triggered.connect(lambda: self.manage_packs().open())
        available = find_spec("binder.content.packs") is not None
        for action in (add, manage):
            action.setEnabled(available and library() is not None and data_folder is not None)
            menu.addAction(action)
        self.actions = {"add": add, "manage": manage}

    def choose_agency_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Add agency content: a folder of pages")
        if folder:
            self.ask_name(Path(folder))

    def ask_name(self, folder: Path) -> None:
        """Ask what to call the pack (its section's name), then add it under that name."""
        from binder.content.packs import list_packs
        from binder.ui.packs_dialogs import PackNameDialog

        taken = [info.name for info in list_packs(self.data_folder)]
        self.name_dialog = dialog = PackNameDialog(folder, taken, self.window)
        dialog.accepted.connect(lambda: self.add_agency_content(folder, dialog.chosen()))
        dialog.open()

    def add_agency_content(self, folder: Path, name: str | None = None,
                           section: str | None = None) -> bool:
        """Check the folder, add it as a pack if it passes, and say what happened; `section`:
        a shipped section for its outside pages (by default, a section of the pack's own)."""
        from binder.content.packs import PackError, add_pack

        known = [d.id for _, docs in self.library().shipped.sections() for d in docs]
        QGuiApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            report = add_pack(folder, self.data_folder, name=name, known_ids=known,
                              default_section=section)
        except PackError as exc:
            findings = [str(f) for f in exc.findings]  # none for a full disk: then the why
            self.show_pack_problems(
                "Agency content not added", f"Nothing was added from {folder}"
                + (": fix these and add it again." if findings else "."),
                findings or [str(exc)])
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.reload_library()
        warnings = [str(f) for f in report.findings]
        self.status.showMessage(
            f"Added “{report.name}”: {len(report.docs)} pages"
            + (f", {report.unreviewed} not reviewed" if report.unreviewed else "")
            + (f", {len(warnings)} warnings" if warnings else ""), 10000)
        if warnings:
            self.show_pack_problems(
                "Agency content added", f"“{report.name}” was added, with these warnings:",
                warnings)
        return True

    def show_pack_problems(self, title: str, intro: str, problems: list[str]) -> None:
        from binder.ui.packs_dialogs import ProblemsDialog

        self.last_problems = ProblemsDialog(title, intro, problems, self.window)
        self.last_problems.open()

    def manage_packs(self):
        from binder.ui.packs_dialogs import PacksDialog

        return PacksDialog(self, self.window)

    def reload_library(self) -> None:
        """Open the shipped content and every pack again, after a pack came or went, and
        index them for search while the person still waits for the pack."""
        import sqlite3

        from binder.search.library import Library

        old = self.library()
        library = Library.open(old.shipped.path, pack_paths(self.data_folder),
                               Path(self.data_folder) / "content-checked.json",
                               index_dir(self.data_folder))
        old.close()
        if library.needs_index:
            QGuiApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
            try:
                library.build_index()
            except (OSError, sqlite3.Error) as exc:
                self.say_not_indexed(str(exc))
            finally:
                QGuiApplication.restoreOverrideCursor()
        self.use_library(library)

    def index_packs_in_background(self) -> None:
        """At start, a missing search index (new content or packs, a damaged file) is built
        off the UI thread; search merges the stores until it is taken up."""
        from binder.ui.index_builder import IndexBuilder

        library = self.library()
        if library is None or not library.needs_index:
            return
        self.index_builder = IndexBuilder(self.window)
        self.index_builder.done.connect(self.take_index)
        self.index_builder.start(library)

    def take_index(self, library, problem: str) -> None:
        """The index built in the background, used if the window still reads that library."""
        if library is not self.library():
            return  # a pack came or went meanwhile: that library built its own
        if problem or not library.adopt_index():
            self.say_not_indexed(problem or "it could not be opened")

    def say_not_indexed(self, problem: str) -> None:
        self.status.showMessage(
            f"The search index of the agency packs could not be written ({problem}); search "
            "reads each pack on its own until it can.", 15000)
