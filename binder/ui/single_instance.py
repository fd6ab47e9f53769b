"""One window per data folder: a lock file, and a request file that brings the first forward.

No socket is opened. The first Binder on a data folder holds `binder.lock` (QLockFile: the
process id and host inside; a lock left by a process that is gone is taken over). A second start
on the same folder writes `binder.raise` and exits; the first window sees the file appear (a
QFileSystemWatcher on the folder, and a slow timer in case the folder cannot be watched),
removes it and comes to the front; the second start waits a moment to see it taken, so what
it says is true.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QLockFile, QObject, QSysInfo, QTimer, Signal

LOCK_NAME = "binder.lock"
REQUEST_NAME = "binder.raise"
POLL_MS = 1000  # the fallback when the watcher says nothing (some network or USB folders)
ANSWER_SECONDS = 3  # how long a second start waits for the first window to take its request


class FolderLock:
    """The data folder's lock, held for as long as a window is open on it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.lock = QLockFile(str(self.folder / LOCK_NAME))
        self.lock.setStaleLockTime(0)  # stale only when its process is gone, never by age

    def acquire(self) -> bool:
        """True unless another running Binder holds the folder. A folder where no lock can be
        made (read only, missing drive) is not refused here: opening the journal says why."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return True
        if self.lock.tryLock(0):
            return True
        return self.lock.error() != QLockFile.LockError.LockFailedError

    def holder(self) -> tuple[int, str]:
        """(process id, host name) of the Binder that holds the folder; (0, "") if unknown."""
        info = self.lock.getLockInfo()
        return (info[0], info[1]) if info and info[0] else (0, "")

    def held_here(self) -> bool:
        """Whether the holder runs on this computer (then it can be brought forward)."""
        host = self.holder()[1]
        return not host or host == QSysInfo.machineHostName()

    def release(self) -> None:
        self.lock.unlock()


def ask_to_come_forward(folder: Path) -> bool:
    """Ask the window open on `folder` to come to the front; False if the folder is read only."""
    folder = Path(folder)
    partial = folder / f".{REQUEST_NAME}.{os.getpid()}"
    try:
        partial.write_text(str(os.getpid()), encoding="ascii")
        os.replace(partial, folder / REQUEST_NAME)  # appears whole: a rename
    except OSError:
        return False
    return True


def came_forward(folder: Path, seconds: float = ANSWER_SECONDS) -> bool:
    """Whether the window on `folder` took the request (removed the file) within `seconds`."""
    request = Path(folder) / REQUEST_NAME
    deadline = time.monotonic() + seconds
    while request.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def refusal(folder: Path, lock: FolderLock, answered: bool) -> str:
    """What a second start says on stderr."""
    pid, host = lock.holder()
    who = f" (process {pid} on {host})" if pid else ""
    if not lock.held_here():
        return (f"Binder is open on {folder} on another computer{who}. Close it there first, "
                "or use another data folder.")
    if answered:
        return (f"Binder is already open on {folder}{who}: that window came to the front. "
                "One window per data folder, so every tick is seen by everybody.")
    return (f"Binder is already open on {folder}{who}, but it did not answer within "
            f"{ANSWER_SECONDS} seconds: it may be busy or stuck. Nothing was opened; use that "
            "window, or close that process, then start Binder again.")


class ForwardRequests(QObject):
    """Watches the data folder for a second start's request; `requested` when one comes."""

    requested = Signal()

    def __init__(self, folder: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.request = Path(folder) / REQUEST_NAME
        self.take()  # one left over from before this window: nobody is waiting for it
        self.watcher = QFileSystemWatcher([str(folder)], self)
        self.watcher.directoryChanged.connect(lambda _path: self.check())
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def take(self) -> bool:
        try:
            self.request.unlink()
        except OSError:
            return False
        return True

    def check(self) -> None:
        if self.take():
            self.requested.emit()
