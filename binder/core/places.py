"""Pinned pages and recent pages: kept per machine, in journal.db's settings.

Both are lists of page ids stored as JSON. They are not part of the record (nothing here is an
event): a person's bookmarks, like the operator of this machine. An id whose page is gone (a pack
was removed) stays in the list and is simply not shown, so it comes back if the page does.
"""

from __future__ import annotations

import json
import sqlite3

from binder.core.journal import Journal, JournalError

PINNED_KEY = "pinned_pages"
RECENT_KEY = "recent_pages"
RECENT_LIMIT = 10


def parse_ids(raw: str) -> list[str]:
    """The page ids in a stored value, in order, without repeats; [] for anything damaged."""
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return []
    if not isinstance(value, list):
        return []
    ids: list[str] = []
    for item in value:
        if isinstance(item, str) and item and item not in ids:
            ids.append(item)
    return ids


class Places:
    """The pages this machine pinned (in the order they were pinned) and opened last (most
    recent first, at most RECENT_LIMIT). With no journal nothing is kept and nothing fails."""

    def __init__(self, journal: Journal | None):
        self.journal = journal

    def pinned(self) -> list[str]:
        return self._read(PINNED_KEY)

    def recent(self) -> list[str]:
        return self._read(RECENT_KEY)[:RECENT_LIMIT]

    def is_pinned(self, doc_id: str) -> bool:
        return doc_id in self.pinned()

    def pin(self, doc_id: str) -> None:
        ids = self.pinned()
        if doc_id and doc_id not in ids:
            self._write(PINNED_KEY, [*ids, doc_id])

    def unpin(self, doc_id: str) -> None:
        ids = self.pinned()
        if doc_id in ids:
            self._write(PINNED_KEY, [i for i in ids if i != doc_id])

    def set_pinned(self, doc_id: str, pinned: bool) -> None:
        if pinned:
            self.pin(doc_id)
        else:
            self.unpin(doc_id)

    def visit(self, doc_id: str) -> None:
        """A page was opened: it goes to the top of the recent pages."""
        if not doc_id:
            return
        ids = self._read(RECENT_KEY)
        if ids[:1] == [doc_id]:
            return  # already the most recent: nothing to write
        self._write(RECENT_KEY, [doc_id, *(i for i in ids if i != doc_id)][:RECENT_LIMIT])

    def _read(self, key: str) -> list[str]:
        if self.journal is None:
            return []
        try:
            return parse_ids(self.journal.setting(key))
        except sqlite3.Error:
            return []

    def _write(self, key: str, ids: list[str]) -> None:
        if self.journal is None:
            return
        try:
            self.journal.set_setting(key, json.dumps(ids, ensure_ascii=False))
        except (sqlite3.Error, JournalError) as exc:
            what = "Pinned pages" if key == PINNED_KEY else "Recent pages"
            raise JournalError(f"{what} cannot be saved in {self.journal.path}: {exc}") from None
