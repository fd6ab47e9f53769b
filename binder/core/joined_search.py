"""The shipped content and the agency packs searched as one: the databases attached to one
connection, each tier asked once over all of them, snippets made for the hits returned only."""

from __future__ import annotations

import heapq
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

from binder.core.query import Query, parse_query
from binder.core.search import (
    BODY_HITS,
    HEADS_WEIGHTS,
    TIER_CAP,
    Hit,
    Results,
    correct,
    rank_key,
)
from binder.core.snippets import passage, short

ATTACHED = 10  # SQLite attaches at most ten databases to a connection (SQLITE_MAX_ATTACHED)


class JoinedIndex:
    """Every store's indexes read through as few connections as SQLite allows (one for up to
    eleven databases), each tier one statement over all of them. Stores are numbered in the
    order given: 0 is the shipped content.db."""

    def __init__(self, paths: list[Path], names: list[str]):
        self.names = names  # each store's name on its hits ("" for the shipped binder)
        self.groups: list[tuple[sqlite3.Connection, list[tuple[int, str]]]] = []
        self.synonyms: dict[str, list[str]] = {}
        try:
            for first in range(0, len(paths), ATTACHED + 1):
                self.groups.append(attached(list(enumerate(paths))[first:first + ATTACHED + 1]))
            for conn, schemas in self.groups:
                sql = union(schemas, "SELECT term, alternative FROM {s}.synonyms")
                for term, alternative in conn.execute(sql):
                    if alternative not in self.synonyms.setdefault(term, []):
                        self.synonyms[term].append(alternative)
        except sqlite3.Error:
            self.close()
            raise
        self._body_cache: dict[tuple, list[tuple[int, int, float]]] = {}

    def close(self) -> None:
        for conn, _ in self.groups:
            conn.close()

    def search(self, text: str, owner_of, limit: int = 20, exact: bool = False) -> Results:
        """Ranked hits over every store; `owner_of(doc_id)` is the number of the store whose
        page a doc id is (a pack page with a shipped page's id replaces it). A correction
        (unless `exact`) only when the words as typed find nothing in any store."""
        query = parse_query(text[:1000], self.synonyms)
        if query.empty:
            return Results()
        hits = self.ranked_hits(query, owner_of, limit)
        if not hits and not exact:  # from content.db's vocabulary only (see the docs)
            corrected = correct(self.groups[0][0], query)
            if corrected is not None:
                better = self.ranked_hits(corrected, owner_of, limit)
                if len(better) > len(hits):
                    return Results(better, corrected.text)
        return Results(hits)

    def ranked_hits(self, query: Query, owner_of, limit: int) -> list[Hit]:
        """Tier by tier over every store at once; a tier is not asked once the list is full;
        snippets only for the hits returned."""
        seen: set[str] = set()
        found: list[tuple[int, Hit, str]] = []
        match = query.fts()
        for tier, finder in enumerate((self.exact_title, self.heads, self.steps, self.body)):
            if len(found) >= limit:
                break
            for store, hit, text in finder(query, match, tier):
                if len(found) >= limit:
                    break
                key = hit.step_id or hit.doc_id
                if owner_of(hit.doc_id) != store or key in seen:
                    continue
                if hit.kind == "step" or hit.doc_id not in seen:
                    seen.add(key)
                    found.append((store, hit, text))
        return [replace(hit, snippet_html=snippet(hit, text, query), pack=self.names[store])
                for store, hit, text in found[:limit]]

    def rows(self, select: str, params, cap: int | None = None) -> list[tuple]:
        """`select` over every store ({s}: its schema, {i}: its number), capped in all."""
        found = []
        for conn, schemas in self.groups:
            sql = union(schemas, select) + (" LIMIT ?" if cap else "")
            try:
                found += conn.execute(sql, [*params, cap] if cap else params).fetchall()
            except sqlite3.OperationalError:  # a query FTS5 cannot read: nothing, no error
                return []
            if cap and len(found) >= cap:
                return found[:cap]
        return found

    def details(self, select: str, rows, key: str = "rowid") -> dict[tuple[int, int], tuple]:
        """Rows of a content table for (store, rowid) pairs: one statement per connection."""
        wanted: dict[int, list[int]] = {}
        for store, rowid, *_ in rows:
            wanted.setdefault(store, []).append(rowid)
        found = {}
        for conn, schemas in self.groups:
            mine = [(i, s) for i, s in schemas if i in wanted]
            if not mine:
                continue
            sql = " UNION ALL ".join(
                f"{select.format(s=s, i=i)} WHERE {key} IN ({', '.join('?' * len(wanted[i]))})"
                for i, s in mine)
            for row in conn.execute(sql, [rowid for i, _ in mine for rowid in wanted[i]]):
                found[(row[0], row[1])] = row
        return found

    def exact_title(self, query: Query, match: str, tier: int):
        keys = [query.normal, *self.synonyms.get(query.normal, [])]
        marks = ", ".join(f"?{n}" for n in range(1, len(keys) + 1))
        rows = self.rows("SELECT {i}, rowid, id, title, section, kind, summary FROM "
                         f"{{s}}.documents WHERE title_key IN ({marks})", keys)
        return [(r[0], Hit("page", r[2], "", r[3], r[4], r[5], "", "", tier, 0.0), r[6])
                for r in rows]

    def heads(self, query: Query, match: str, tier: int):
        weights = ", ".join(str(w) for w in HEADS_WEIGHTS)
        rows = self.rows(f"SELECT {{i}}, rowid, bm25(heads_fts, {weights}) FROM "
                         "{s}.heads_fts WHERE heads_fts MATCH ?1", [match], TIER_CAP)
        details = self.details("SELECT {i}, rowid, id, title, section, kind, summary, tags "
                               "FROM {s}.documents", rows)
        hits = []
        for store, rowid, score in rows:
            _, _, doc_id, title, section, kind, summary, tags = details[(store, rowid)]
            hit = Hit("page", doc_id, "", title, section, kind, "", "", tier, score)
            hits.append((rank_key(query, f"{title} {tags}", score), (title, tags, summary),
                         store, hit, summary))
        return merged(query, hits, HEADS_WEIGHTS)

    def steps(self, query: Query, match: str, tier: int):
        rows = self.rows("SELECT {i}, rowid, bm25(steps_fts) FROM {s}.steps_fts "
                         "WHERE steps_fts MATCH ?1", [match], TIER_CAP)
        details = self.details(
            "SELECT {i}, s.rowid, s.id, s.doc_id, s.phase, s.plain, d.title, d.section, d.kind "
            "FROM {s}.steps AS s JOIN {s}.documents AS d ON d.id = s.doc_id", rows, "s.rowid")
        hits = []
        for store, rowid, score in rows:
            _, _, step_id, doc_id, phase, plain, title, section, kind = details[(store, rowid)]
            hit = Hit("step", doc_id, step_id, title, section, kind, phase, "", tier, score)
            hits.append((rank_key(query, plain, score), (plain,), store, hit, plain))
        return merged(query, hits, (1.0,))

    def body(self, query: Query, match: str, tier: int):
        match = query.fts(min_prefix=3)
        if not match:
            return []
        rows = self.body_rows(query.fts_near(), match)
        details = self.details("SELECT {i}, rowid, id, title, section, kind, blocks_json "
                               "FROM {s}.documents", rows)
        hits = []
        for store, rowid, score in rows:
            _, _, doc_id, title, section, kind, blocks = details[(store, rowid)]
            hit = Hit("page", doc_id, "", title, section, kind, "", "", tier, score)
            hits.append((store, hit, blocks))  # the page's text is read only if it is shown
        return hits

    def body_rows(self, near: str | None, match: str) -> list[tuple[int, int, float]]:
        """Pages with the words within ten of each other first, then the rest (see search.py's
        body_rows); remembered, as a word being typed often asks the same of this tier."""
        key = (near, match)
        if key in self._body_cache:
            return self._body_cache[key]
        select = "SELECT {i}, rowid, %d FROM {s}.body_fts WHERE body_fts MATCH ?1"
        rows = self.rows(select % 0, [near], BODY_HITS) if near else []
        if len(rows) < BODY_HITS:
            found = {(store, rowid) for store, rowid, _ in rows}
            more = self.rows(select % 1, [match], BODY_HITS + len(rows))
            rows += [row for row in more if (row[0], row[1]) not in found]
        self._body_cache[key] = rows = rows[:BODY_HITS]
        if len(self._body_cache) > 64:
            self._body_cache.pop(next(iter(self._body_cache)))
        return rows


def joined_key(query: Query, fields: tuple[str, ...], weights) -> tuple:
    """How two stores' hits compare: search.py's rank_key without bm25, then the words found
    in each field, weighted as bm25's columns, per word of the field. (bm25's word weights,
    IDF, are each database's own: a small pack's scores are all near zero.)"""
    pattern = query.pattern()
    found = sum(weight * len(pattern.findall(text)) / max(1, len(text.split()))
                for weight, text in zip(weights, fields, strict=False) if text)
    return (*rank_key(query, " ".join(fields[:2]), 0.0)[:-1], -found)


def merged(query: Query, hits: list[tuple], weights):
    """(rank key, fields, store, hit, text) -> (store, hit, text): each store's hits in its
    own order (as if searched alone), the stores interleaved by the joined key (the shipped
    binder first on a tie). Lazy: only the hits taken are compared."""
    stores: dict[int, list[tuple]] = {}
    for item in sorted(hits, key=lambda item: item[0]):
        stores.setdefault(item[2], []).append(item)
    runs = [stores[number] for number in sorted(stores)]
    if len(runs) > 1:
        runs = [heapq.merge(*runs, key=lambda item: joined_key(query, item[1], weights))]
    return (item[2:] for run in runs for item in run)


def attached(stores: list[tuple[int, Path]]) -> tuple[sqlite3.Connection, list]:
    """One read-only connection to the first store with the others attached to it."""
    conn = sqlite3.connect(read_only_uri(stores[0][1]), uri=True)
    schemas = [(stores[0][0], "main")]
    try:
        for number, path in stores[1:]:
            conn.execute(f"ATTACH DATABASE ? AS store{number}", (read_only_uri(path),))
            schemas.append((number, f"store{number}"))
    except sqlite3.Error:
        conn.close()
        raise
    return conn, schemas


def union(schemas: list[tuple[int, str]], select: str) -> str:
    """One statement over several schemas: `select` with {s} for the schema (our own names,
    never typed by a person) and {i} for the store's number."""
    return " UNION ALL ".join(select.format(s=schema, i=number) for number, schema in schemas)


def read_only_uri(path: Path) -> str:
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def snippet(hit: Hit, text: str, query: Query) -> str:
    """The highlighted snippet of a hit that is shown; a page's text is decoded only here."""
    if hit.tier == 3:
        text = "\n".join(block["md"] for block in json.loads(text) if block["md"])
        return passage(text, query)
    return short(text, query)
