"""Starting the window: its frame on screen at once, then the two databases opened and the window
filled over them, saying plainly what went wrong."""

from __future__ import annotations

import gc
import locale
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from binder.look_file import read_look
from binder.paths import APP_NAME, assets_dir, index_dir, journal_path, pack_paths
from binder.ui import theme
from binder.ui.main_window import MainWindow
from binder.ui.single_instance import FolderLock, ForwardRequests

if TYPE_CHECKING:
    from binder.journal.journal import Journal

FILL_AT_THE_LATEST_MS = 200  # fill the window then even if its frame was never painted


def read_asset(name: str) -> str:
    try:
        return (assets_dir() / name).read_text(encoding="utf-8")
    except OSError:
        return ""


def use_utf8_locale() -> None:
    """Qt needs a UTF-8 locale: choose C.UTF-8 quietly where the machine's is not (as Qt would,
    with a warning on every start)."""
    try:
        locale.setlocale(locale.LC_CTYPE, "")
    except locale.Error:
        pass
    if locale.nl_langinfo(locale.CODESET).upper().replace("-", "") != "UTF8":
        os.environ["LC_CTYPE"] = "C.UTF-8"


def application() -> QApplication:
    use_utf8_locale()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setStyle("Fusion")  # the same look everywhere, and one that follows our palettes
    app.setStyleSheet(theme.fill(read_asset("binder.qss"), "light", assets=str(assets_dir())))
    return app


def create_window(content_db: Path, data_folder: Path) -> MainWindow:
    """The whole window over the two databases at once; a problem with either is shown in it,
    not raised. (Start-up shows the frame first: see run_window.)"""
    window = frame(data_folder)
    fill_window(window, content_db, data_folder)
    return window


def frame(data_folder: Path) -> MainWindow:
    """The window's frame in the saved look: the search box taking keys, the panes empty."""
    return MainWindow(None, None, data_folder=Path(data_folder),
                      window_style=read_asset("binder.qss"), settings=read_look(data_folder),
                      fill=False)


def fill_window(window: MainWindow, content_db: Path, data_folder: Path) -> None:
    """Open the content and the journal, and fill the window's frame over them."""
    # Imported here: the frame is on screen before these are loaded.
    from concurrent.futures import ThreadPoolExecutor

    from binder.content.store import StoreError
    from binder.journal.journal import Journal, JournalError
    from binder.journal.journal_open import full_check
    from binder.search.library import Library
    from binder.ui.session import Session

    store = journal = None
    problems = []
    # The journal's full check runs beside the content's (each mostly waiting on SQLite or a
    # child process), so a large journal adds little to start-up.
    with ThreadPoolExecutor(max_workers=1) as pool:
        sound = pool.submit(full_check, journal_path(data_folder))
        try:
            store = Library.open(content_db, pack_paths(data_folder),
                                 marker=Path(data_folder) / "content-checked.json",
                                 index_dir=index_dir(data_folder))
            problems += store.problems
        except StoreError as exc:
            problems.append(str(exc))
        checked = sound.result()
    try:
        journal = Journal(journal_path(data_folder), checked=checked)
    except JournalError as exc:
        problems.append(str(exc))
        journal = open_read_only(journal_path(data_folder))
    session = Session(journal, store.revision if store else "")
    window.page_style = read_asset("document.css")
    window.fill(store, session, " ".join(problems))
    window.packs.index_packs_in_background()  # only when the packs' search index is missing
    if journal is not None and journal.read_only and store is not None:
        window.show_problem("The activity journal is read-only", " ".join(problems) + (
            " It is open read-only: every incident can be read, verified and exported (to "
            "another disk), but nothing new can be logged until it can be written again."))
    # What start-up made lives as long as the window: keep it out of the garbage collector's
    # full passes, which would otherwise land on a keystroke now and then. No gc.collect()
    # first: start-up leaves no cycles to free (it found none, for 15 ms).
    gc.freeze()


def fill_once_on_screen(window: MainWindow, content_db: Path, data_folder: Path) -> None:
    """Fill the frame as soon as its search box has been painted (so a person sees the window
    and can type while the rest is made: what is typed is searched once it is), or after
    FILL_AT_THE_LATEST_MS if it never is (a minimized window)."""
    def fill() -> None:
        if not window.filled and not getattr(window, "filling", False):
            window.filling = True
            fill_window(window, content_db, data_folder)

    window.search_box.painted.connect(lambda: QTimer.singleShot(0, fill))
    QTimer.singleShot(FILL_AT_THE_LATEST_MS, fill)


def probe_until_ready(app: QApplication, window: MainWindow, give_up_s: float = 20) -> None:
    """For the start-up benchmark: print "ready" once the search box takes keys (on screen, the
    window active, the box focused), then "built" once the window is filled, and close (exit
    0); if it never does, say so (exit 1)."""
    box, timer = window.search_box, QTimer(window)
    deadline = time.monotonic() + give_up_s
    said = []

    def look() -> None:
        if not said and window.isActiveWindow() and box.isEnabled() and box.hasFocus() \
                and box.was_painted:
            said.append(print("ready", flush=True))
        done = bool(said) and window.filled
        if done or time.monotonic() > deadline:
            timer.stop()
            print("built" if done else "not ready: the search box does not take keys",
                  flush=True)
            window.close()
            app.exit(0 if done else 1)

    box.painted.connect(look)  # connected before the fill: said as the box first shows
    timer.timeout.connect(look)
    timer.start(1)


def open_read_only(path: Path) -> Journal | None:
    """The journal for reading only, when it exists but cannot be opened for writing."""
    from binder.journal.journal import Journal, JournalError

    try:
        return Journal(path, read_only=True)
    except JournalError:
        return None


def watch_forward_requests(window: MainWindow, data_folder: Path) -> None:
    """A second start on the same data folder brings this window to the front."""
    window.forward_requests = ForwardRequests(data_folder, window)
    window.forward_requests.requested.connect(window.bring_forward)


def run_window(content_db: Path, data_folder: Path, lock: FolderLock | None = None,
               probe: bool = False) -> int:
    """The window on the data folder whose lock the caller holds; the lock goes when it closes.
    With `probe` (the start-up benchmark), it closes as soon as it is up and says so."""
    app = application()
    window = frame(data_folder)
    if probe:
        probe_until_ready(app, window)
    fill_once_on_screen(window, content_db, data_folder)
    watch_forward_requests(window, data_folder)
    window.show()
    try:
        return app.exec()
    finally:
        if lock is not None:
            lock.release()
