"""Search over content.db: a person's words -> safe FTS5 queries, in ranked tiers -> hits.

Tiers, best first (see docs/architecture.md): a title equal to the query; titles, tags and
summaries; checklist steps; page bodies. Each tier ranks at most TIER_CAP rows, so a keystroke
costs the same on a large binder as on a small one.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field, replace

from binder.core.query import Query, parse_query
from binder.core.snippets import passage, short
from binder.core.spelling import correct

# The ranking, in one place. Weights are bm25's per column of the heads index.
HEADS_WEIGHTS = (10.0, 6.0, 2.0)  # title, tags, summary
TIERS = ("exact title", "title or tags", "step", "body")
TIER_CAP = 100  # rows ranked per tier at most: beyond it, binder order decides
BODY_HITS = 20


@dataclass(frozen=True)
class Hit:
    kind: str  # "page" or "step"
    doc_id: str
    step_id: str
    title: str  # the page's title (for a step, the checklist's)
    section: str
    doc_kind: str
    phase: str  # for a step: the heading it is under
    snippet_html: str
    tier: int
    score: float
    pack: str = ""  # the agency pack the page comes from ("" for the shipped binder)


@dataclass
class Results:
    hits: list[Hit] = field(default_factory=list)
    corrected: str = ""  # what was searched instead, when the words as typed found too little

    def __iter__(self):
        return iter(self.hits)

    def __len__(self):
        return len(self.hits)

    def __getitem__(self, index):
        return self.hits[index]


def search(conn: sqlite3.Connection, text: str, limit: int = 20, exact: bool = False) -> Results:
    """Ranked hits for what a person typed; never raises on odd input. A word that no page
    has is searched as the word it most likely misspells, unless `exact`."""
    query = parse_query(text[:1000], synonyms_of(conn))
    if query.empty:
        return Results()
    corrected = None if exact else correct(conn, query, synonyms_of(conn))
    if corrected is not None:  # a word no page has: the words as typed cannot all be found
        hits = ranked_hits(conn, corrected, limit)
        if hits:
            return Results(hits, corrected.text)
    return Results(ranked_hits(conn, query, limit))


def synonyms_of(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The glossary's short forms and meanings, both ways (cached per connection)."""
    cache = _synonym_cache.get(id(conn))
    if cache is None or cache[0] is not conn:
        mapping: dict[str, list[str]] = {}
        for term, alternative in conn.execute("SELECT term, alternative FROM synonyms"):
            mapping.setdefault(term, []).append(alternative)
        cache = _synonym_cache[id(conn)] = (conn, mapping)
    return cache[1]


_synonym_cache: dict[int, tuple[sqlite3.Connection, dict[str, list[str]]]] = {}


def ranked_hits(conn: sqlite3.Connection, query: Query, limit: int) -> list[Hit]:
    """Tier by tier; a tier is not even asked once the better ones have filled the list."""
    match = query.fts()
    seen: set[str] = set()
    found: list[tuple[Hit, str]] = []
    for tier, finder in enumerate((exact_title, heads, steps, body)):
        if len(found) >= limit:
            break
        for hit, text in finder(conn, query, match, tier):
            key = hit.step_id or hit.doc_id
            if key not in seen and (hit.kind == "step" or hit.doc_id not in seen):
                seen.add(key)
                found.append((hit, text))
    return [replace(hit, snippet_html=(passage if hit.tier == 3 else short)(text, query))
            for hit, text in found[:limit]]


def exact_title(conn, query: Query, match: str, tier: int) -> list[Hit]:
    """A title equal to the query, or to what the query stands for ("TQ": Tourniquet)."""
    keys = [query.normal, *synonyms_of(conn).get(query.normal, [])]
    marks = ", ".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT id, title, section, kind, summary FROM documents WHERE title_key IN ({marks}) "
        "ORDER BY rowid", keys).fetchall()
    return [(Hit("page", r[0], "", r[1], r[2], r[3], "", "", tier, 0.0), r[4]) for r in rows]


def heads(conn, query: Query, match: str, tier: int) -> list[Hit]:
    weights = ", ".join(str(w) for w in HEADS_WEIGHTS)
    rows = capped(conn, f"SELECT rowid, bm25(heads_fts, {weights}) FROM heads_fts "
                        "WHERE heads_fts MATCH ? LIMIT ?", match)
    details = fetch(conn, "SELECT rowid, id, title, section, kind, summary, tags FROM documents",
                    rows)
    hits = []
    for rowid, score in rows:
        _, doc_id, title, section, kind, summary, tags = details[rowid]
        key = rank_key(query, f"{title} {tags}", score)
        hits.append((key, Hit("page", doc_id, "", title, section, kind, "", "", tier, score),
                     summary))
    return [(hit, text) for _, hit, text in sorted(hits, key=lambda item: item[0])]


def steps(conn, query: Query, match: str, tier: int) -> list[Hit]:
    rows = capped(conn, "SELECT rowid, bm25(steps_fts) FROM steps_fts "
                        "WHERE steps_fts MATCH ? LIMIT ?", match)
    details = fetch(conn, "SELECT s.rowid, s.id, s.doc_id, s.phase, s.plain, d.title, "
                          "d.section, d.kind FROM steps AS s JOIN documents AS d "
                          "ON d.id = s.doc_id", rows, "s.rowid")
    hits = []
    for rowid, score in rows:
        _, step_id, doc_id, phase, plain, title, section, kind = details[rowid]
        key = rank_key(query, plain, score)
        hits.append((key, Hit("step", doc_id, step_id, title, section, kind, phase, "", tier,
                              score), plain))
    return [(hit, text) for _, hit, text in sorted(hits, key=lambda item: item[0])]


def body(conn, query: Query, match: str, tier: int) -> list[Hit]:
    match = query.fts(min_prefix=3)
    if not match:
        return []
    # Pages with the words within ten of each other first, then the rest, each in binder
    # order. No bm25 here: on long pages it costs more than the rest of a keystroke together.
    rows = body_rows(conn, query.fts_near(), match)
    details = fetch(conn, "SELECT rowid, id, title, section, kind, blocks_json FROM documents",
                    rows)
    hits = []
    for rowid, score in rows:
        _, doc_id, title, section, kind, blocks = details[rowid]
        text = "\n".join(block["md"] for block in json.loads(blocks) if block["md"])
        hits.append((Hit("page", doc_id, "", title, section, kind, "", "", tier, score), text))
    return hits


def body_rows(conn, near: str | None, match: str) -> list[tuple[int, float]]:
    """The page tier's rows. While a word is typed after whole words, its first letters are
    left out of this tier's query, so keystrokes in a row often ask the same: remember it."""
    key = (id(conn), near, match)
    if key in _body_cache:
        return _body_cache[key]
    rows = []
    if near:
        rows = capped(conn, "SELECT rowid, 0 FROM body_fts WHERE body_fts MATCH ? LIMIT ?",
                      near, BODY_HITS)
    if len(rows) < BODY_HITS:
        found = {rowid for rowid, _ in rows}
        more = capped(conn, "SELECT rowid, 1 FROM body_fts WHERE body_fts MATCH ? LIMIT ?",
                      match, BODY_HITS + len(rows))
        rows += [row for row in more if row[0] not in found]
    _body_cache[key] = rows = rows[:BODY_HITS]
    if len(_body_cache) > 64:
        _body_cache.pop(next(iter(_body_cache)))
    return rows


_body_cache: dict[tuple, list[tuple[int, float]]] = {}


def capped(conn, sql: str, match: str, cap: int = TIER_CAP) -> list[tuple[int, float]]:
    try:
        return conn.execute(sql, (match, cap)).fetchall()
    except sqlite3.OperationalError:  # a query FTS5 cannot read: nothing, never an error
        return []


def fetch(conn, sql: str, rows, key: str = "rowid") -> dict[int, tuple]:
    if not rows:
        return {}
    marks = ", ".join("?" * len(rows))
    found = conn.execute(f"{sql} WHERE {key} IN ({marks})", [r[0] for r in rows]).fetchall()
    return {row[0]: row for row in found}


def rank_key(query: Query, text: str, score: float) -> tuple:
    """Whole words before prefixes, words close together before far apart, then bm25."""
    return (not query.whole_word_in(text), query.spread_in(text), score)
