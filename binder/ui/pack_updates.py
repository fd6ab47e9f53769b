"""Agency content updates in the window: a newer signed pack in the sync folder or on a stick is
offered with what it changes, and applied only when a person accepts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

    from binder.search.library import Library
    from binder.sync.packfile import Update
    from binder.ui.session import Session
    from binder.ui.status_bar import StatusBar

LOOK_MS = 3000  # a look costs three stat() calls unless a folder changed
OFFER = "Agency content update available"
OFFER_HINT = "a newer revision is offered in the status bar (Agency content update available)"


class PackUpdates:
    """The status bar's "Agency content update available" button and the Incident menu's entry
    for it; `look()` (every LOOK_MS) finds updates when the sync folder, the packs or the
    trusted keys changed; `reload_library` takes up an applied pack."""

    def __init__(self, window: QWidget, menu: QMenu, session: Session, data_folder: Path | None,
                 status: StatusBar, library: Callable[[], Library | None],
                 reload_library: Callable[[], None]):
        self.window, self.session, self.data_folder, self.status = (
            window, session, data_folder, status)
        self.library, self.reload_library = library, reload_library
        self.updates: list[Update] = []
        self.stamp: tuple | None = None
        self.dialog: UpdateDialog | None = None
        session.pack_revisions = self.pack_revisions
        self.button = QPushButton(OFFER)
        self.button.setObjectName("pack-update")
        self.button.clicked.connect(self.offer)
        self.button.hide()
        status.addPermanentWidget(self.button)
        self.action = QAction("Agency content &update…", window)
        self.action.triggered.connect(self.offer)
        self.action.setEnabled(False)
        menu.addAction(self.action)
        self.timer = QTimer(window)
        self.timer.setInterval(LOOK_MS)
        self.timer.timeout.connect(self.look)
        if data_folder is not None and library() is not None:
            self.timer.start()  # the first look after LOOK_MS: not while the window opens

    def pack_revisions(self) -> dict[str, str]:
        """Each agency pack in use and its revision: what a new incident records."""
        library = self.library()
        return {name: store.revision for name, store in library.packs} if library else {}

    def folders_stamp(self) -> tuple:
        data = Path(self.data_folder)
        stamp = []
        for folder in (data / "sync" / "packs", data / "packs", data / "keys" / "agency"):
            try:
                stamp.append(folder.stat().st_mtime_ns)
            except OSError:
                stamp.append(None)
        return tuple(stamp)

    def look(self) -> list[Update]:
        """Find the updates again if a folder changed since the last look."""
        stamp = self.folders_stamp()
        if stamp != self.stamp:
            self.stamp = stamp
            self.updates = []
            if stamp[0] is not None:  # the sync folder's packs/ is there
                from binder.sync.packfile import find_updates

                self.updates = find_updates(self.data_folder)
            self.button.setVisible(bool(self.updates))
            self.action.setEnabled(bool(self.updates))
        return self.updates

    def offer(self) -> None:
        """The dialog of the first update waiting (one at a time)."""
        if not self.look():
            self.status.showMessage("No agency content update is waiting.", 8000)
            return
        self.dialog = UpdateDialog(self.updates[0], self.window)
        self.dialog.accepted.connect(lambda update=self.updates[0]: self.apply(update))
        self.dialog.open()

    def apply(self, update: Update) -> bool:
        """Install the update (checked again), note it in every open incident, take it up."""
        from binder.journal.journal import JournalError
        from binder.sync.keys import trusted_agency_keys
        from binder.sync.packfile import PackFileError, install, read_pack_file, record_update

        try:
            pack = read_pack_file(update.path, trusted_agency_keys(self.data_folder))
            changes = install(self.data_folder, pack)
        except PackFileError as exc:
            self.status.showMessage(f"The agency content update was not applied: {exc}", 20000)
            self.stamp = None
            return False
        self.stamp = None
        self.reload_library()
        said = f"{pack.name} is now revision {pack.revision}: {changes.summary()}."
        try:
            if self.session.journal is not None and self.session.writable:
                record_update(self.session.journal, pack, changes)
                self.session.follow()
        except JournalError as exc:
            said += f" It could not be noted in the incident log: {exc}"
        self.status.showMessage(said, 20000)
        self.look()
        return True

    def from_stick(self, folder: Path) -> int:
        """Pack files on a stick (binder-sync/packs/) put in the sync folder, then offered."""
        from binder.sync.keys import trusted_agency_keys
        from binder.sync.packfile import copy_files, packs_sync_dir
        from binder.sync.stick import stick_root

        count = copy_files(stick_root(folder) / "packs", packs_sync_dir(self.data_folder),
                           trusted_agency_keys(self.data_folder))
        self.look()
        return count

    def to_stick(self, folder: Path) -> int:
        """The sync folder's pack files copied to a stick, for laptops off the network."""
        from binder.sync.keys import trusted_agency_keys
        from binder.sync.packfile import copy_files, packs_sync_dir
        from binder.sync.stick import stick_root

        return copy_files(packs_sync_dir(self.data_folder), stick_root(folder) / "packs",
                          trusted_agency_keys(self.data_folder))


class UpdateDialog(QDialog):
    """What an update changes, page by page; Apply (Alt+A, or Tab then Space) or Not now (Esc,
    and Enter: it is the default button, so a stray Enter never applies an update)."""

    def __init__(self, update: Update, parent=None):
        super().__init__(parent)
        pack, changes = update.pack, update.changes
        self.setWindowTitle(OFFER)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"“{pack.name}”, revision {pack.revision}, signed by the agency on "
            f"{pack.made_at[:16].replace('T', ' ')} UTC, replaces revision "
            f"{changes.replaced or '(none)'} on this laptop: {changes.summary()}.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.changes = QListWidget()
        self.changes.addItems(changes.lines() or ["no page changed"])
        self.changes.setAccessibleName("What the update changes")
        layout.addWidget(self.changes)
        buttons, role = QDialogButtonBox(), QDialogButtonBox.ButtonRole
        self.apply_button = buttons.addButton("&Apply update", role.AcceptRole)
        self.later_button = buttons.addButton("&Not now", role.RejectRole)
        self.apply_button.setAutoDefault(False)
        self.later_button.setDefault(True)  # else the button box makes Apply the default
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.changes.setFocus()
