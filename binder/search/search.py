"""Search over content.db: a person's words -> safe FTS5 queries, in ranked tiers -> hits.

Tiers, best first (see docs/architecture.md): a title equal to the query; titles, tags and
summaries; checklist steps; page bodies; and, only when no page holds all the words, the pages
holding the most of them. Each tier ranks at most TIER_CAP rows, so a keystroke costs the same
on a large binder as on a small one.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass, field, replace

from binder.search.query import Query, parse_query
from binder.search.snippets import passage, short
from binder.search.spelling import correct

# The ranking, in one place. Weights are bm25's per column of the heads index.
HEADS_WEIGHTS = (10.0, 6.0, 2.0)  # title, tags, summary
TIERS = ("exact title", "title or tags", "step", "body", "some words")
SOME_WORDS = TIERS.index("some words")
TIER_CAP = 100  # rows ranked per tier at most: beyond it, binder order decides
FEW_RESULTS = 3  # fewer hits than this with every word: pages with some words added
BODY_HITS = 20
LIST = 20  # the hits a list shows (the window's); a smaller limit takes its first ones
STEP_SHARE = 0.25  # how much a page's best step adds to its title-and-tags bm25
COMPLETIONS = 5  # whole words asked for the word being typed, besides its prefix
SOME_WORDS_CAP = 100  # pages asked per word when no page holds them all


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

    @property
    def partial(self) -> bool:
        """No page holds all the words: the hits hold some of them (contacts aside)."""
        pages = [hit for hit in self.hits if hit.kind != "contact"]
        return bool(pages) and all(hit.tier == SOME_WORDS for hit in pages)


def search(conn: sqlite3.Connection, text: str, limit: int = 20, exact: bool = False) -> Results:
    """Ranked hits for what a person typed; never raises on odd input. A word that no page
    has is searched as the word it most likely misspells, unless `exact`."""
    query = parse_query(text[:1000], synonyms_of(conn))
    if query.empty:
        return Results()
    corrected = None if exact else correct(conn, query, synonyms_of(conn))
    if corrected is not None:  # a word no page has: the words as typed cannot all be found
        query = corrected
    query = with_completions(conn, query)
    hits = ranked_hits(conn, query, limit)
    if len(hits) < FEW_RESULTS:  # then the pages that hold some of the words, after them
        shown = {hit.doc_id for hit in hits}
        hits += [hit for hit in some_words(conn, query, limit) if hit.doc_id not in shown]
    return Results(hits[:limit], corrected.text if corrected is not None and hits else "")


def with_completions(conn, query: Query) -> Query:
    """The word being typed, when it is not a whole word yet, also as the binder's whole words
    that it begins, the most common first: the indexes hold stems, and "reunifi" begins none
    ("reunification" is "reunif")."""
    last = query.groups[-1] if query.groups else None
    if last is None or not last.prefix or len(last.words) > 1 or len(last.words[0]) < 3:
        return query
    typed = last.words[0]
    words = [row[0] for row in conn.execute(
        "SELECT term FROM terms WHERE term >= ? AND term < ? ORDER BY term = ? DESC, docs DESC "
        "LIMIT ?", (typed, typed + "\U0010ffff", typed, COMPLETIONS))]
    if not words or typed in words:  # a whole word already: its prefix finds its stem
        return query
    return replace(query, groups=[*query.groups[:-1], replace(last, completions=tuple(words))])


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
    """Tier by tier; a tier is not even asked once the better ones have filled the list. When
    the steps will be asked, they are asked first: a page's best step counts towards its rank
    among titles and tags."""
    match = query.fts()
    asked: dict[str, list] = {}

    def step_hits() -> list[tuple[Hit, str]]:
        if "steps" not in asked:
            asked["steps"] = steps(conn, query, match)
        return asked["steps"]

    tiers = (lambda: exact_title(conn, query),
             # the room as if a full list were asked: the first hits never depend on the limit
             lambda: heads(conn, query, match, step_hits, max(limit, LIST) - len(found)),
             step_hits,
             lambda: body(conn, query))
    seen: set[str] = set()
    found: list[tuple[Hit, str]] = []
    for finder in tiers:
        if len(found) >= limit:
            break
        for hit, text in finder():
            key = hit.step_id or hit.doc_id
            if key not in seen and (hit.kind == "step" or hit.doc_id not in seen):
                seen.add(key)
                found.append((hit, text))
    return [replace(hit, snippet_html=(passage if hit.tier == 3 else short)(text, query))
            for hit, text in found[:limit]]


def exact_title(conn, query: Query, tier: int = 0) -> list[tuple[Hit, str]]:
    """A title equal to the query, or to what the query stands for ("TQ": Tourniquet)."""
    said = " ".join(query.words)  # without the stop words: "the tourniquet"
    keys = list(dict.fromkeys([query.normal, said, *synonyms_of(conn).get(said, [])]))
    marks = ", ".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT id, title, section, kind, summary FROM documents WHERE title_key IN ({marks}) "
        "ORDER BY rowid", keys).fetchall()
    return [(Hit("page", r[0], "", r[1], r[2], r[3], "", "", tier, 0.0), r[4]) for r in rows]


def heads(conn, query: Query, match: str, step_hits, room: int) -> list[tuple[Hit, str]]:
    """Titles, tags and summaries. When these do not fill the room left (so the steps will be
    asked anyway), a page whose steps hold the words too ranks higher, by its best step."""
    weights = ", ".join(str(w) for w in HEADS_WEIGHTS)
    rows = capped(conn, f"SELECT rowid, bm25(heads_fts, {weights}) FROM heads_fts "
                        "WHERE heads_fts MATCH ? LIMIT ?", match)
    best_step: dict[str, float] = {}
    for hit, _ in step_hits() if len(rows) < room else []:
        best_step[hit.doc_id] = min(best_step.get(hit.doc_id, 0.0), hit.score)
    details = fetch(conn, "SELECT rowid, id, title, section, kind, summary, tags FROM documents",
                    rows)
    hits = []
    for rowid, score in rows:
        _, doc_id, title, section, kind, summary, tags = details[rowid]
        key = rank_key(query, f"{title} {tags}", score + STEP_SHARE * best_step.get(doc_id, 0.0))
        hits.append((key, Hit("page", doc_id, "", title, section, kind, "", "", 1, score),
                     summary))
    return [(hit, text) for _, hit, text in sorted(hits, key=lambda item: item[0])]


def steps(conn, query: Query, match: str, tier: int = 2) -> list[tuple[Hit, str]]:
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


def body(conn, query: Query, tier: int = 3) -> list[tuple[Hit, str]]:
    match = query.fts(min_prefix=3)
    if not match:
        return []
    # Pages with the words within ten of each other first, then the rest; among those, pages
    # whose title, tags and summary hold more of the words, then binder order. No bm25 here:
    # on long pages it costs more than the rest of a keystroke together.
    rows = body_rows(conn, query.fts_near(), match)
    details = fetch(conn, "SELECT rowid, id, title, section, kind, blocks_json, "
                          "title || ' ' || tags || ' ' || summary FROM documents", rows)
    hits = []
    for rowid, score in rows:
        _, doc_id, title, section, kind, blocks, head = details[rowid]
        text = "\n".join(block["md"] for block in json.loads(blocks) if block["md"])
        hits.append((score, -query.held_in(head),
                     Hit("page", doc_id, "", title, section, kind, "", "", tier, score), text))
    return [(hit, text) for _, _, hit, text in sorted(hits, key=lambda item: item[:2])]


def some_words(conn, query: Query, limit: int) -> list[Hit]:
    """When no page holds all the words: the pages that hold the most of them, each word
    weighed by how rare it is (bm25's idf), plus their titles' and tags' bm25 for the words.
    Pages only (a step rarely holds several words); each word's matches are capped
    (SOME_WORDS_CAP) as a tier's are, so a word's rarity is counted up to that cap."""
    groups = query.groups
    if len(groups) < 2:
        return []
    weights = ", ".join(str(w) for w in HEADS_WEIGHTS)
    # the body index keeps no prefix shorter than three letters: such a word is asked of the
    # titles and tags only
    in_body = [n for n, g in enumerate(groups) if not (g.prefix and len(g.words[-1]) < 3)]
    body_rows = dict(zip(in_body, rows_per_word(conn, "body_fts", "0",
                                                [groups[n] for n in in_body]), strict=True))
    heads_rows = rows_per_word(conn, "heads_fts", f"bm25(heads_fts, {weights})", groups)
    pages = page_count(conn)
    rarity = [math.log(1 + (pages - len(rows) + 0.5) / (len(rows) + 0.5))
              for rows in (body_rows.get(n, heads_rows[n]) for n in range(len(groups)))]
    words: dict[int, set[int]] = {}
    bm25: dict[int, float] = {}
    for n, rows in body_rows.items():
        for rowid, _ in rows:
            words.setdefault(rowid, set()).add(n)
    for n, rows in enumerate(heads_rows):
        for rowid, score in rows:
            words.setdefault(rowid, set()).add(n)
            bm25[rowid] = bm25.get(rowid, 0.0) + score

    def weight(rowid: int) -> float:
        return sum(rarity[n] for n in words[rowid]) - bm25.get(rowid, 0.0)

    best = sorted(words, key=lambda rowid: (-weight(rowid), rowid))[:limit]
    # the summary as the snippet: the words are spread over the page, and a passage of each of
    # twenty long pages would cost more than the rest of the keystroke
    details = fetch(conn, "SELECT rowid, id, title, section, kind, summary FROM documents",
                    [(rowid,) for rowid in best])
    hits = []
    for rowid in best:
        _, doc_id, title, section, kind, summary = details[rowid]
        hits.append(Hit("page", doc_id, "", title, section, kind, "", short(summary, query),
                        SOME_WORDS, -weight(rowid)))
    return hits


def page_count(conn) -> int:
    cached = _page_counts.get(id(conn))
    if cached is None or cached[0] is not conn:
        count = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        cached = _page_counts[id(conn)] = (conn, count)
    return cached[1]


_page_counts: dict[int, tuple[sqlite3.Connection, int]] = {}


def rows_per_word(conn, table: str, score: str, groups) -> list[list[tuple[int, float]]]:
    """Each word's first SOME_WORDS_CAP matches (rowid, score). The words not asked before are
    asked in one statement; while a sentence is typed, that is only the word being typed."""
    keys = [(id(conn), table, group.fts()) for group in groups]
    new = [key for key in dict.fromkeys(keys) if _word_rows.get(key, (None,))[0] is not conn]
    if new:
        one = (f"SELECT * FROM (SELECT {{n}}, rowid, {score} FROM {table} "
               f"WHERE {table} MATCH ? LIMIT {SOME_WORDS_CAP})")
        sql = " UNION ALL ".join(one.format(n=n) for n in range(len(new)))
        try:
            rows = conn.execute(sql, [key[2] for key in new]).fetchall()
        except sqlite3.OperationalError:  # a query FTS5 cannot read: nothing, never an error
            rows = []
        found: dict[tuple, list[tuple[int, float]]] = {key: [] for key in new}
        for n, rowid, value in rows:
            found[new[n]].append((rowid, value))
        for key, value in found.items():
            _word_rows[key] = (conn, value)
        while len(_word_rows) > 256:
            _word_rows.pop(next(iter(_word_rows)))
    return [_word_rows[key][1] if key in _word_rows else [] for key in keys]


_word_rows: dict[tuple, tuple[sqlite3.Connection, list[tuple[int, float]]]] = {}


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
