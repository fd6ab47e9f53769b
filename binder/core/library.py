"""The binder a person reads: the shipped content and the agency's packs, as one."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from binder.core.search import Results, search
from binder.core.sections import SECTIONS
from binder.core.store import ContentStore, DocRecord, DocSummary, StoreError


class Library:
    """Shipped pages and pack pages; a pack page with a shipped page's id takes its place."""

    def __init__(self, shipped: ContentStore, packs: list[tuple[str, ContentStore]] = ()):
        self.shipped = shipped
        self.packs = list(packs)  # (pack name, store), in the order they are read
        self.conn = shipped.conn
        self.revision = shipped.revision
        self._owner: dict[str, tuple[str, ContentStore]] = {}
        self._number: dict[str, int] = {}
        for number, (name, store) in enumerate(self.packs, start=1):  # a later pack wins
            for _, docs in store.sections():
                for doc in docs:
                    self._owner[doc.id] = (name, store)
                    self._number[doc.id] = number
        self._joined = None  # every store's indexes as one (core/joined_search.py)
        self.problems: list[str] = []
        if self.packs:
            from binder.core.joined_search import JoinedIndex

            try:
                self._joined = JoinedIndex([shipped.path, *(s.path for _, s in self.packs)],
                                           ["", *(name for name, _ in self.packs)])
            except sqlite3.Error as exc:
                self.problems.append(f"The agency packs cannot be searched ({exc}); search "
                                     "finds the shipped pages only. Restart Binder.")
        self._shipped_ids = {d.id for _, docs in shipped.sections() for d in docs}

    @classmethod
    def open(cls, content_db: Path, pack_paths: list[Path] = (),
             marker: Path | None = None) -> Library:
        """The shipped content (StoreError if it cannot be read) and every pack that can be;
        a pack that cannot is left out and named in `problems`. `marker` remembers which
        files passed the full check (see ContentStore)."""
        library = cls(ContentStore(content_db, marker))
        packs, problems = [], []
        for path in pack_paths:
            try:
                store = ContentStore(path, marker)
            except StoreError as exc:
                problems.append(f"The agency pack {Path(path).name} was left out: {exc}")
                continue
            packs.append((store.meta("pack_name") or Path(path).stem, store))
        if packs:
            library = cls(library.shipped, packs)
        library.problems = problems + library.problems
        return library

    def close(self) -> None:
        if self._joined is not None:
            self._joined.close()
        self.shipped.close()
        for _, store in self.packs:
            store.close()

    def owner(self, doc_id: str) -> tuple[str, ContentStore]:
        return self._owner.get(doc_id, ("", self.shipped))

    def sections(self) -> list[tuple[str, list[DocSummary]]]:
        grouped: dict[str, list[DocSummary]] = {name: [] for name in SECTIONS}
        for section, docs in self.shipped.sections():
            grouped[section] += [d for d in docs if d.id not in self._owner]
        for name, store in self.packs:
            for section, docs in store.sections():
                grouped.setdefault(section, []).extend(
                    replace(d, pack=name, replaces=d.id in self._shipped_ids)
                    for d in docs if self._owner[d.id][1] is store)
        return [(section, sorted(docs, key=lambda d: d.title.lower()))
                for section, docs in grouped.items()]

    def document(self, doc_id: str) -> DocRecord | None:
        name, store = self.owner(doc_id)
        doc = store.document(doc_id)
        if doc is None or not name:
            return doc
        return replace(doc, pack=name, replaces=doc_id in self._shipped_ids)

    def document_count(self) -> int:
        return len({d.id for _, docs in self.sections() for d in docs})

    def search(self, text: str, limit: int = 20) -> Results:
        """Every store searched as one (core/joined_search.py); a page that is replaced is
        not found in the shipped binder, only in its pack."""
        if self._joined is None:
            return search(self.conn, text, limit)
        return self._joined.search(text, self._store_number, limit)

    def _store_number(self, doc_id: str) -> int:
        """0 for the shipped binder's page, n for the n-th pack's."""
        return self._number.get(doc_id, 0)
