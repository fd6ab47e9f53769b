"""The command post's laptops from the window: every second this laptop's new entries go out and
the others' come in (binder/sync, through files only); Copy to stick, Import from stick, Let a
laptop in."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

    from binder.sync.engine import Sync
    from binder.sync.importer import ImportReport
    from binder.ui.session import Session
    from binder.ui.status_bar import StatusBar

SYNC_MS = 1000  # export() + import_all() with nothing new: 0.2 ms median (bench/results.md)


class Arrivals(QObject):
    """Carries a finished round from the sync thread to the window's (a queued signal)."""

    came = Signal(object)


class SyncActions:
    """Incident menu entries for the stick and for letting a laptop in, and the timer that runs
    export() then import_all() every second on a thread of its own, over a journal connection
    made and used only there (so a segment's fsyncs never hold up a tick, and the window's
    session sees what came in as another writer's, within FOLLOW_MS)."""

    def __init__(self, window: QWidget, menu: QMenu, session: Session,
                 data_folder: Path | None, status: StatusBar):
        self.window, self.session, self.data_folder, self.status = (
            window, session, data_folder, status)
        self.sync: Sync | None = None
        self.problem = ""
        self.told = False  # whether the window has said why sharing is off
        self.closed = False
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
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="binder-sync")
        self.round: Future | None = None  # the round under way, if any
        self.arrivals = Arrivals()
        self.arrivals.came.connect(self._handle)
        from binder.ui.pack_updates import PackUpdates

        self.pack_updates = PackUpdates(window, menu, session, data_folder, status,
                                        lambda: window.store, lambda: window.packs.reload_library())
        self.timer = QTimer(window)
        self.timer.setInterval(SYNC_MS)
        self.timer.timeout.connect(self.start_round)
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
            except (JournalError, SyncError) as exc:  # said once, by the window's thread
                self.problem = f"Sharing with the other laptops is off: {exc}"
        return self.sync

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.timer.stop()
        try:
            self.pool.submit(self._close_journal)
        except RuntimeError:  # Python is exiting: its connection closes with it
            pass
        self.pool.shutdown(wait=True)

    def _close_journal(self) -> None:
        if self.sync is not None:
            self.sync.journal.close()
            self.sync = None

    def on_sync_thread(self, job):
        """Run `job(sync)` on the sync thread and wait for it (a person's own action: the stick,
        letting a laptop in); None if sharing is off."""
        return self.pool.submit(lambda: job(self._start()) if self._start() else None).result()

    def start_round(self) -> None:
        """The timer: a round on the sync thread, unless the last one is still going."""
        if self.round is None or self.round.done():
            self.round = self.pool.submit(self._round)
            self.round.add_done_callback(self._send_back)

    def _send_back(self, done: Future) -> None:
        """On the sync thread, when a round ends: its report (or what went wrong) to the
        window's thread. A fault never ends sharing silently: it is said, and the next round
        tries again."""
        problem = done.exception()
        self.arrivals.came.emit(done.result() if problem is None else
                                f"Sharing with the other laptops stopped for a moment: {problem}")

    def _round(self):
        """On the sync thread: export this laptop's new entries, import the others'."""
        from binder.journal.journal import JournalError
        from binder.sync.engine import SyncError

        sync = self._start()
        if sync is None:
            told, self.told = self.told, True
            return "" if told else self.problem
        try:
            sync.export()
            return sync.import_all()
        except (SyncError, JournalError) as exc:
            return f"Sharing with the other laptops: {exc}"

    def run_once(self) -> ImportReport | None:
        """One round now, waited for (the tests, and after letting a laptop in)."""
        report = self.pool.submit(self._round).result()
        self._handle(report)
        return report if not isinstance(report, str) else None

    def _handle(self, report) -> None:
        """Back on the window's thread: what a round brought."""
        if self.closed:
            return
        if isinstance(report, str):
            if report:
                self.status.showMessage(report, 10000)
            return
        self.unknown = report.unknown
        if report.imported:
            self.session.follow()
        if report.refused:
            self.status.showMessage(f"{len(report.refused)} segment(s) from another laptop "
                                    f"refused: {report.refused[0][1]} (Incident > Import from "
                                    "stick shows every reason)", 15000)

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
        if not folder:
            return
        try:
            report = self.on_sync_thread(lambda sync: sync.copy_to(Path(folder)))
            packs = self.pack_updates.to_stick(Path(folder))
        except SyncError as exc:
            self.tell(self.window, "Copy to stick", str(exc))
            return
        if report is None:
            self.tell(self.window, "Copy to stick", self.problem)
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
        if not folder:
            return
        packs = self.pack_updates.from_stick(Path(folder))
        taken = [f"{packs} agency content file(s) taken: {OFFER_HINT}"] if packs else []
        try:
            report = self.on_sync_thread(lambda sync: sync.import_from(Path(folder)))
        except SyncError as exc:
            self.tell(self.window, "Import from stick", "\n".join(taken or [str(exc)]))
            return
        if report is None:
            self.tell(self.window, "Import from stick", self.problem)
            return
        self.unknown = report.unknown
        self.session.follow()
        self.tell(self.window, "Import from stick", "\n".join(report_lines(report) + taken))

    def let_in(self) -> None:
        from binder.sync.engine import SyncError

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
            self.on_sync_thread(lambda sync: sync.admit(incident.id, device))
        except SyncError as exc:
            self.tell(self.window, "Let a laptop in", str(exc))
            return
        self.run_once()
