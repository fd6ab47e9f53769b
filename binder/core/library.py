"""The binder a person reads: the shipped content and the agency's packs, as one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from binder.core.search import FEW_RESULTS, SOME_WORDS, Results, search
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
        for name, store in self.packs:  # a later pack wins over an earlier one
            for _, docs in store.sections():
                for doc in docs:
                    self._owner[doc.id] = (name, store)
        self._shipped_ids = {d.id for _, docs in shipped.sections() for d in docs}
        self.problems: list[str] = []

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
        library.problems = problems
        return library

    def close(self) -> None:
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

    def search(self, text: str, limit: int = 20, exact: bool = False) -> Results:
        """Every store searched, merged tier by tier; a page that is replaced is not found
        in the shipped binder, only in its pack."""
        if not self.packs:
            return search(self.conn, text, limit, exact)
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
