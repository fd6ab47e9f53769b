"""The window's look at every journal entry for damage, on a worker thread after it shows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from binder.journal.journal_rows import _text, scan_unreadable


def scan_file(path: Path) -> dict:
    """Every entry that cannot be read, through a read-only connection of its own."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.text_factory = _text
        return scan_unreadable(conn)
    finally:
        conn.close()


class JournalCheck(QObject):
    """Runs `scan_file` off the UI thread (about 0.3 s at 100,000 entries, which start-up would
    otherwise pay) and delivers what it found on the UI thread through `found`."""

    found = Signal(object)  # {seq: Unreadable}; nothing is emitted if the file cannot be read

    def __init__(self, path: Path):
        super().__init__()
        self.path = Path(path)

    def start(self) -> None:
        QThreadPool.globalInstance().start(self._run)

    def _run(self) -> None:
        try:
            found = scan_file(self.path)
        except (sqlite3.Error, OSError):
            return  # the journal's own reads say what is wrong with the file
        try:
            self.found.emit(found)
        except RuntimeError:  # the window closed meanwhile: nobody left to tell
            pass
