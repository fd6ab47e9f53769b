"""Incident > After-action draft…: the current incident's draft, saved where the person chooses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

    from binder.search.library import Library
    from binder.ui.session import Session
    from binder.ui.status_bar import StatusBar


class ReportActions:
    """The after-action draft's menu entry, put in `menu` before `before`; it reads the
    `session`'s journal and the `library()` in use and says on `status` where it saved."""

    def __init__(self, window: QWidget, menu: QMenu, before: QAction, session: Session,
                 library: Callable[[], Library | None], status: StatusBar):
        self.window, self.session, self.library, self.status = window, session, library, status
        self.action = QAction("&After-action draft…", window)
        self.action.triggered.connect(lambda _=False: self.choose_file())
        menu.insertAction(before, self.action)
        session.changed.connect(self.update_action)
        self.update_action()

    def update_action(self) -> None:  # a read-only journal is still read
        self.action.setEnabled(self.session.journal is not None
                               and self.session.incident is not None)

    def choose_file(self) -> None:
        name = "".join(c if c.isalnum() else "-" for c in self.session.incident.name)
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save the after-action draft",
            str(Path.home() / f"{name}-after-action.pdf"), "PDF (*.pdf);;CSV (*.csv)")
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> bool:
        from binder.paper.aar import after_action, export_aar_csv
        from binder.paper.aar_pdf import export_aar_pdf
        from binder.paper.export import ExportError

        try:
            aar = after_action(self.session.journal, self.session.incident.id, self.library())
            (export_aar_csv if path.suffix.lower() == ".csv" else export_aar_pdf)(aar, path)
        except ExportError as exc:
            self.status.showMessage(str(exc))
            return False
        self.status.show_saved(f"After-action draft saved to {path}", path)
        return True
