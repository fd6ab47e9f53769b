"""Agency content packs in the window: add a folder, list, update and remove packs."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from binder.core.library import Library
from binder.core.paths import pack_paths


class ProblemsDialog(QDialog):
    """Every problem of a folder that was not added, each with its file and line."""

    def __init__(self, title: str, intro: str, problems: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QPlainTextEdit("\n".join(problems))
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Problems")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(intro))
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(720, 420)


class PacksDialog(QDialog):
    """The agency packs installed on this machine: update one from its folder, or remove it."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.setWindowTitle("Agency packs")
        self.list = QListWidget()
        self.list.setAccessibleName("Agency packs")
        self.update_button = QPushButton("Update from its folder")
        self.remove_button = QPushButton("Remove")
        for button in (self.update_button, self.remove_button):
            button.setMinimumHeight(44)
        self.update_button.clicked.connect(self.update_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.update_button)
        layout.addWidget(self.remove_button)
        layout.addWidget(close)
        self.refill()
        self.resize(560, 360)

    def refill(self) -> None:
        from binder.core.packs import list_packs

        self.list.clear()
        for info in list_packs(self.window_.data_folder):
            self.list.addItem(f"{info.name}: {info.pages} pages, from {info.source}")
            self.list.item(self.list.count() - 1).setData(Qt.ItemDataRole.UserRole, info)
        if not self.list.count():
            self.list.addItem("No agency packs yet: File > Add agency content…")
        self.list.setCurrentRow(0)

    def selected(self):
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def update_selected(self) -> None:
        info = self.selected()
        if info is not None:
            self.window_.add_agency_content(Path(info.source), info.name)
            self.refill()

    def remove_selected(self) -> None:
        from binder.core.packs import PackError, remove_pack

        info = self.selected()
        if info is None:
            return
        try:
            remove_pack(self.window_.data_folder, info.pack_id)
        except PackError as exc:
            self.window_.show_problem_bar(str(exc))
        self.window_.reload_library()
        self.refill()


class PackActions:
    """Mixed into the main window, which has `data_folder`, `store`, `sections`."""

    def make_file_menu(self) -> None:
        menu = self.file_menu = self.menuBar().addMenu("&File")
        add = QAction("Add agency &content…", self)
        add.triggered.connect(self.choose_agency_folder)
        manage = QAction("Agency &packs…", self)
        manage.triggered.connect(lambda: PacksDialog(self, self).open())
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
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = add_pack(folder, self.data_folder, name=name, known_ids=known)
        except PackError as exc:
            findings = [str(f) for f in exc.findings]  # none for a full disk: then the why
            self.last_problems = ProblemsDialog(
                "Agency content not added", f"Nothing was added from {folder}"
                + (": fix these and add it again." if findings else "."),
                findings or [str(exc)], self)
            self.last_problems.open()
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.reload_library()
        warnings = [str(f) for f in report.findings]
        self.statusBar().showMessage(
            f"Added “{report.name}”: {len(report.docs)} pages"
            + (f", {len(warnings)} warnings" if warnings else ""), 10000)
        if warnings:
            self.last_problems = ProblemsDialog(
                "Agency content added", f"“{report.name}” was added, with these warnings:",
                warnings, self)
            self.last_problems.open()
        return True

    def reload_library(self) -> None:
        """Open the shipped content and every pack again, after a pack came or went."""
        old = self.store
        self.store = Library.open(old.shipped.path, pack_paths(self.data_folder))
        old.close()
        self.sections.show_sections(self.store.sections())
        if self.current is not None:
            self.open_document(self.current.doc_id, self.current.anchor, remember=False)
