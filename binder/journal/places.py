"""Pinned pages, recent pages and the last place: kept per machine, in journal.db's settings.

Pinned and recent pages are lists of page ids stored as JSON. They are not part of the record
(nothing here is an event): a person's bookmarks, like the operator of this machine. An id
whose page is gone (a pack was removed) stays in the list and is simply not shown, so it comes
back if the page does. The last place is the page open at closing, its scroll and its step.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass

from binder.journal.journal import Journal, JournalError

PINNED_KEY = "pinned_pages"
RECENT_KEY = "recent_pages"
LAST_PLACE_KEY = "last_place"
RECENT_LIMIT = 10


@dataclass(frozen=True)
class Place:
    """Where a person is in a page: the anchor it was opened at, how far it is scrolled (None
    until it is left) and the step the keyboard is on."""

    doc_id: str
    anchor: str = ""
    scroll: int | None = None
    step: str = ""

    def same_page(self, other: Place | None) -> bool:
        """The same page opened the same way, wherever it is scrolled to."""
        return other is not None and (self.doc_id, self.anchor) == (other.doc_id, other.anchor)


def parse_place(raw: str) -> Place | None:
    """The place in a stored value; None for anything missing or damaged."""
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("doc_id"), str):
        return None
    scroll = value.get("scroll")
    return Place(value["doc_id"], str(value.get("anchor") or ""),
                 scroll if isinstance(scroll, int) and scroll >= 0 else None,
                 str(value.get("step") or ""))


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

    def last_place(self) -> Place | None:
        """The page open when the window last closed, with its place; None at a first start.
        The most recent page wins if the window did not close (a crash or a power cut)."""
        recent = self.recent()
        if not recent:
            return None
        try:
            place = parse_place(self.journal.setting(LAST_PLACE_KEY))
        except sqlite3.Error:
            place = None
        return place if place is not None and place.doc_id == recent[0] else Place(recent[0])

    def set_last_place(self, place: Place) -> None:
        self._write(LAST_PLACE_KEY, asdict(place))

    def _read(self, key: str) -> list[str]:
        if self.journal is None:
            return []
        try:
            return parse_ids(self.journal.setting(key))
        except sqlite3.Error:
            return []

    def _write(self, key: str, ids: list[str] | dict) -> None:
        if self.journal is None:
            return
        try:
            self.journal.set_setting(key, json.dumps(ids, ensure_ascii=False))
        except (sqlite3.Error, JournalError) as exc:
            what = {PINNED_KEY: "Pinned pages", RECENT_KEY: "Recent pages"}.get(key, "The place")
            raise JournalError(f"{what} cannot be saved in {self.journal.path}: {exc}") from None
