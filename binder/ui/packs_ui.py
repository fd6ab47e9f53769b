"""Agency content packs in the window: add a folder, list, update and remove packs."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from binder.core.paths import pack_paths


class PackActions:
    """Mixed into the main window, which has `data_folder`, `store`, `sections`."""

    def make_file_menu(self) -> None:
        menu = self.file_menu = self.menus["file"]
        add = QAction("Add agency &content…", self)
        add.triggered.connect(self.choose_agency_folder)
        manage = QAction("Agency &packs…", self)
        manage.triggered.connect(lambda: self.manage_packs().open())
        available = find_spec("binder.core.packs") is not None
        for action in (add, manage):
            action.setEnabled(available and self.store is not None
                              and self.data_folder is not None)
            menu.addAction(action)
        self.pack_actions = {"add": add, "manage": manage}

    def choose_agency_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add agency content: a folder of pages")
        if folder:
            self.add_agency_content(Path(folder))

    def add_agency_content(self, folder: Path, name: str | None = None) -> bool:
        """Check the folder, add it as a pack if it passes, and say what happened."""
        from binder.core.packs import PackError, add_pack

        known = [d.id for _, docs in self.store.shipped.sections() for d in docs]
        QGuiApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            report = add_pack(folder, self.data_folder, name=name, known_ids=known)
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
        self.statusBar().showMessage(
            f"Added “{report.name}”: {len(report.docs)} pages"
            + (f", {len(warnings)} warnings" if warnings else ""), 10000)
        if warnings:
            self.show_pack_problems(
                "Agency content added", f"“{report.name}” was added, with these warnings:",
                warnings)
        return True

    def show_pack_problems(self, title: str, intro: str, problems: list[str]) -> None:
        from binder.ui.packs_dialogs import ProblemsDialog

        self.last_problems = ProblemsDialog(title, intro, problems, self)
        self.last_problems.open()

    def manage_packs(self):
        from binder.ui.packs_dialogs import PacksDialog

        return PacksDialog(self, self)

    def reload_library(self) -> None:
        """Open the shipped content and every pack again, after a pack came or went."""
        old = self.store
        from binder.core.library import Library

        self.store = Library.open(old.shipped.path, pack_paths(self.data_folder))
        old.close()
        self.sections.show_sections(self.store.sections())
        if self.current is not None:
            self.open_document(self.current.doc_id, self.current.anchor, remember=False)
