"""The agency packs' dialogs: a new pack's name, what a folder that was not added got wrong, and
the installed packs. Made when first opened (the window's start does not load them)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from binder.ui.plain import plain


class PackNameDialog(QDialog):
    """The name a folder is added under (its own name to start with), which is also the name of
    the section its pages are listed in; `taken`: the names of the packs already there."""

    def __init__(self, folder: Path, taken: list[str], parent=None):
        super().__init__(parent)
        self.taken = {name.casefold(): name for name in taken}
        self.setWindowTitle("Add agency content")
        self.name = QLineEdit(folder.name)
        self.name.setAccessibleName("Pack name")
        self.name.selectAll()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        intro = QLabel(f"A name for the pages from {folder}. Pages that do not say which "
                       "section they belong in are listed under it, after the binder's own "
                       "sections.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (intro, self.name, self.note, self.buttons):
            layout.addWidget(widget)
        self.name.textChanged.connect(self.check_name)
        self.check_name(self.name.text())
        self.resize(560, 200)

    def chosen(self) -> str:
        return " ".join(self.name.text().split())

    def check_name(self, text: str) -> None:
        name = " ".join(text.split())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(name))
        same = self.taken.get(name.casefold())
        self.note.setText(f"“{same}” is already added: adding this folder replaces it."
                          if same else "" if name else "The pack needs a name.")


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
        layout.addWidget(plain(QLabel(intro)))  # the pack's name as typed
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(720, 420)


class PacksDialog(QDialog):
    """The agency packs installed on this machine: update one from its folder, or remove it."""

    def __init__(self, packs, parent=None):
        """`packs`: the window's PackActions, which add, update and remove them."""
        super().__init__(parent)
        self.packs = packs
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
        from binder.content.packs import list_packs

        self.list.clear()
        for info in list_packs(self.packs.data_folder):
            self.list.addItem(f"{info.name}: {info.pages} pages ({info.unreviewed} not "
                              f"reviewed), from {info.source}")
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
            self.packs.add_agency_content(Path(info.source), info.name, info.section or None)
            self.refill()

    def remove_selected(self) -> None:
        from binder.content.packs import PackError, remove_pack

        info = self.selected()
        if info is None:
            return
        try:
            remove_pack(self.packs.data_folder, info.pack_id)
        except PackError as exc:
            self.packs.status.showMessage(str(exc))
        self.packs.reload_library()
        self.refill()
