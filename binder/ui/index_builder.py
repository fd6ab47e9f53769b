"""The packs' search index built off the UI thread at start, then taken up by the window."""

from __future__ import annotations

import sqlite3
import threading

from PySide6.QtCore import QObject, Signal


class IndexBuilder(QObject):
    """Builds a Library's missing search index on a worker thread (its own connections: the
    library's stay on the UI thread); `done` is delivered on the UI thread, where the window
    adopts the index if it still shows that library. Meanwhile search merges the stores."""

    done = Signal(object, str)  # the library, "" or why the index could not be written

    def __init__(self, parent=None):
        super().__init__(parent)
        self.thread: threading.Thread | None = None

    def start(self, library) -> None:
        from binder.search.search_index import build_index

        sources, folder = library.index_sources(), library.index_dir
        key, marker = library.index_key, library.marker

        def work() -> None:
            try:
                # it may finish after a pack made a newer index: removing others is left to
                # the library that adopts one
                build_index(sources, folder, key, marker, remove_others=False)
            except (OSError, sqlite3.Error) as exc:
                self.tell(library, str(exc))
            else:
                self.tell(library, "")

        self.thread = threading.Thread(target=work, name="search index", daemon=True)
        self.thread.start()

    def tell(self, library, problem: str) -> None:
        try:
            self.done.emit(library, problem)
        except RuntimeError:  # the window was closed meanwhile: the file is there for next time
            pass
