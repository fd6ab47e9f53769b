"""The binder a person reads: the shipped content and the agency's packs, as one."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from binder.content.sections import SECTIONS
from binder.content.store import ContentStore, DocRecord, DocSummary, StoreError
from binder.search.search import FEW_RESULTS, SOME_WORDS, Results, search
from binder.search.search_index import (
    build_index,
    index_key,
    open_index,
    remove_other_indexes,
)


class Library:
    """Shipped pages and pack pages; a pack page with a shipped page's id takes its place.
    With packs, search runs on one index of them all (search/search_index.py) once it is there."""

    def __init__(self, shipped: ContentStore, packs: list[tuple[str, ContentStore]] = (),
                 index_dir: Path | None = None, marker: Path | None = None):
        self.shipped = shipped
        self.packs = list(packs)  # (pack name, store), in the order they are read
        self.conn = shipped.conn
        self.revision = shipped.revision
        self.index_dir = Path(index_dir) if index_dir and self.packs else None
        self.index: sqlite3.Connection | None = None  # the one index, once opened
        self.marker = marker  # remembers the files found sound (see content_check)
        self._owner: dict[str, tuple[str, ContentStore]] = {}
        for name, store in self.packs:  # a later pack wins over an earlier one
            for _, docs in store.sections():
                for doc in docs:
                    self._owner[doc.id] = (name, store)
        self._shipped_ids = {d.id for _, docs in shipped.sections() for d in docs}
        self.problems: list[str] = []
        self.index_key = ""
        if self.index_dir is not None:
            self.index_key = index_key([("", self.conn), *((n, s.conn) for n, s in self.packs)])
            self.adopt_index()

    @classmethod
    def open(cls, content_db: Path, pack_paths: list[Path] = (),
             marker: Path | None = None, index_dir: Path | None = None) -> Library:
        """The shipped content (StoreError if it cannot be read) and every pack that can be;
        a pack that cannot is left out and named in `problems`. `marker` remembers which
        files passed the full check (see ContentStore). `index_dir`: where the packs' search
        index is kept (the data folder's search/); it is used if it is there (see
        needs_index)."""
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
            library = cls(library.shipped, packs, index_dir, marker)
        elif index_dir:
            remove_other_indexes(index_dir)  # the last pack was removed: no index
        library.problems = problems + library.problems
        return library

    @property
    def index_path(self) -> Path | None:
        """Where this binder's search index is (or will be); None without packs."""
        return self.index_dir / f"{self.index_key}.db" if self.index_dir else None

    @property
    def needs_index(self) -> bool:
        """There are packs and their index is not open (missing, of other packs, damaged)."""
        return self.index_dir is not None and self.index is None

    def index_sources(self) -> list[tuple[str, Path]]:
        """(name, file) of the shipped content and each pack, for build_index."""
        return [("", self.shipped.path), *((name, store.path) for name, store in self.packs)]

    def build_index(self) -> None:
        """Build the index now (OSError or sqlite3.Error if it cannot be written) and use it."""
        build_index(self.index_sources(), self.index_dir, self.index_key, self.marker)
        self.adopt_index()

    def adopt_index(self) -> bool:
        """Search the index from now on if its file is there and sound (built meanwhile, e.g.
        on another thread); True if it is used."""
        if self.index is None and self.index_path is not None:
            self.index = open_index(self.index_path, self.index_key, self.marker)
            if self.index is not None:  # in use: older ones (and any built too late) go
                remove_other_indexes(self.index_dir, keep=self.index_path)
        return self.index is not None

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
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

    def deadline_pages(self) -> list[str]:
        """The pages with funding deadlines (content/deadlines.py): the shipped ones, then each
        pack's; a page another takes the place of is left out."""
        ids = [doc_id for doc_id in self.shipped.deadline_pages() if doc_id not in self._owner]
        for _, store in self.packs:
            ids += [doc_id for doc_id in store.deadline_pages() if self.owner(doc_id)[1] is store]
        return ids

    def deadline_page(self, doc_id: str):
        """The title, dates and deadlines of a page (ContentStore.deadline_page), unrendered."""
        return self.owner(doc_id)[1].deadline_page(doc_id)

    def document_count(self) -> int:
        return len({d.id for _, docs in self.sections() for d in docs})

    def search(self, text: str, limit: int = 20, exact: bool = False) -> Results:
        """One search over every page: the shipped content alone, or the one index of it and
        the packs. Until that index is there, each store is searched and the hits merged."""
        if not self.packs:
            return search(self.conn, text, limit, exact)
        if self.index is not None:
            try:
                results = search(self.index, text, limit, exact)
            except sqlite3.DatabaseError:  # damaged since it was opened: rebuilt next time
                self.index.close()
                self.index = None
            else:
                results.hits = [replace(hit, pack=self.owner(hit.doc_id)[0])
                                for hit in results.hits]
                return results
        return self.merged_search(text, limit, exact)

    def merged_search(self, text: str, limit: int, exact: bool = False) -> Results:
        """Each store searched on its own, merged tier by tier; a page that is replaced is not
        found in the shipped binder, only in its pack."""
        merged, corrected = [], ""
        for name, store in [("", self.shipped), *self.packs]:
            results = search(store.conn, text, limit, exact)
            corrected = corrected or results.corrected
            for rank, hit in enumerate(results.hits):
                if self.owner(hit.doc_id)[1] is store:
                    merged.append((hit.tier, rank, replace(hit, pack=name)))
        full = [item for item in merged if item[0] != SOME_WORDS]
        if len(full) >= FEW_RESULTS:  # enough hits with all the words: only those
            merged = full
        merged.sort(key=lambda item: (item[0], item[1]))
        return Results([hit for _, _, hit in merged[:limit]], corrected)
