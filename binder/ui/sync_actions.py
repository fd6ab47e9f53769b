"""The command post's laptops from the window: every second this laptop's new entries go out and
the others' come in (binder/sync, through files only); Copy to stick, Import from stick, Let a
laptop in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

    from binder.sync.engine import Sync
    from binder.sync.importer import ImportReport
    from binder.ui.session import Session
    from binder.ui.status_bar import StatusBar

SYNC_MS = 1000  # export() + import_all() with nothing new: 0.2 ms median (bench/results.md)


class SyncActions:
    """Incident menu entries for the stick and for letting a laptop in, and the timer that runs
    export() then import_all() on the GUI thread over a connection of its own (so the window's
    session sees what came in as another writer's, within FOLLOW_MS)."""

    def __init__(self, window: QWidget, menu: QMenu, session: Session,
                 data_folder: Path | None, status: StatusBar):
        self.window, self.session, self.data_folder, self.status = (
            window, session, data_folder, status)
        self.sync: Sync | None = None
        self.problem = ""
        self.unknown: list[tuple[str, str, str, str]] = []  # from the newest import
        menu.addSeparator()
        self.actions = {}
        for key, label, handler in (("copy", "&Copy to stick…", self.copy_to_stick),
                                    ("import", "&Import from stick…", self.import_from_stick),
                                    ("admit", "&Let a laptop in…", self.let_in)):
            action = QAction(label, window)
            action.triggered.connect(lambda _=False, h=handler: h())
            action.setEnabled(session.writable and data_folder is not None)
            menu.addAction(action)
            self.actions[key] = action
        from binder.ui.pack_updates import PackUpdates

        self.pack_updates = PackUpdates(window, menu, session, data_folder, status,
                                        lambda: window.store, lambda: window.packs.reload_library())
        self.timer = QTimer(window)
        self.timer.setInterval(SYNC_MS)
        self.timer.timeout.connect(self.run_once)
        if session.writable and data_folder is not None:
            self.timer.start()
        window.destroyed.connect(self.close)

    def _start(self) -> Sync | None:
        """The sync engine over a journal connection of its own, made at the first tick (not
        while the window opens: the keys and cryptography are not needed for the first frame)."""
        if self.sync is None and not self.problem:
            from binder.journal.journal import Journal, JournalError
            from binder.paths import journal_path
            from binder.sync.engine import Sync, SyncError

            try:
                journal = Journal(journal_path(self.data_folder), checked=True)
                self.sync = Sync(self.data_folder, journal)
            except (JournalError, SyncError) as exc:
                self.problem = f"Sharing with the other laptops is off: {exc}"
                self.status.showMessage(self.problem, 15000)
        return self.sync

    def close(self) -> None:
        self.timer.stop()
        if self.sync is not None:
            self.sync.journal.close()
            self.sync = None

    def run_once(self) -> ImportReport | None:
        """Export this laptop's new entries, import the others' from the sync folder."""
        from binder.sync.engine import SyncError

        sync = self._start()
        if sync is None:
            return None
        try:
            sync.export()
            report = sync.import_all()
        except SyncError as exc:
            self.status.showMessage(f"Sharing with the other laptops: {exc}", 10000)
            return None
        self.unknown = report.unknown
        if report.imported:
            self.session.follow()
        if report.refused:
            self.status.showMessage(f"{len(report.refused)} segment(s) from another laptop "
                                    f"refused: {report.refused[0][1]} (Incident > Import from "
                                    "stick shows every reason)", 15000)
        return report

    # The menu

    @staticmethod
    def ask_folder(parent: QWidget, title: str) -> str:
        return QFileDialog.getExistingDirectory(parent, title)

    @staticmethod
    def tell(parent: QWidget, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    @staticmethod
    def choose(parent: QWidget, title: str, label: str, items: list[str]) -> str:
        item, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return item if ok else ""

    def copy_to_stick(self) -> None:
        from binder.sync.engine import SyncError

        folder = self.ask_folder(self.window, "Copy to stick: choose the stick")
        if not folder or self._start() is None:
            return
        try:
            report = self.sync.copy_to(Path(folder))
            packs = self.pack_updates.to_stick(Path(folder))
        except SyncError as exc:
            self.tell(self.window, "Copy to stick", str(exc))
            return
        self.tell(self.window, "Copy to stick",
                  f"{report.copied} segment(s) copied to {folder}, {report.already} already "
                  "there. Every laptop's entries known here are on it."
                  + (f" {packs} agency content file(s) too." if packs else ""))

    def import_from_stick(self) -> None:
        from binder.cli_sync import report_lines
        from binder.sync.engine import SyncError
        from binder.ui.pack_updates import OFFER_HINT

        folder = self.ask_folder(self.window, "Import from stick: choose the stick")
        if not folder or self._start() is None:
            return
        packs = self.pack_updates.from_stick(Path(folder))
        taken = [f"{packs} agency content file(s) taken: {OFFER_HINT}"] if packs else []
        try:
            report = self.sync.import_from(Path(folder))
        except SyncError as exc:
            self.tell(self.window, "Import from stick", "\n".join(taken or [str(exc)]))
            return
        self.unknown = report.unknown
        self.session.follow()
        self.tell(self.window, "Import from stick", "\n".join(report_lines(report) + taken))

    def let_in(self) -> None:
        from binder.sync.engine import SyncError

        if self._start() is None:
            return
        incident = self.session.incident
        waiting = [entry for entry in self.unknown if incident and entry[3] == incident.id]
        if not waiting:
            self.tell(self.window, "Let a laptop in", "No laptop outside the roster has sent "
                      "entries for this incident.")
            return
        items = [f"{name or 'no name'} ({position or 'no position'}), laptop {device}"
                 for device, name, position, _ in waiting]
        chosen = self.choose(self.window, "Let a laptop in",
                             "Let this laptop's entries into the incident:", items)
        if not chosen:
            return
        device = waiting[items.index(chosen)][0]
        try:
            self.sync.admit(incident.id, device)
        except SyncError as exc:
            self.tell(self.window, "Let a laptop in", str(exc))
            return
        self.run_once()
