"""Search over content.db: a person's words -> a safe FTS5 query -> ranked hits with snippets."""

from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import dataclass

# How much a match in each column counts (bm25 weights), in the FTS column order of store.py.
WEIGHTS = {"title": 10.0, "tags": 6.0, "summary": 4.0, "steps_text": 2.0, "body_text": 1.0}
MAX_TERMS = 16
MARK_START, MARK_END = "\x02", "\x03"
TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    doc_id: str
    title: str
    section: str
    kind: str
    snippet_html: str
    score: float


def match_expression(query: str, any_term: bool = False) -> str | None:
    """An FTS5 MATCH expression for what a person typed, or None if it has no words.

    Every word is quoted, so FTS5 syntax typed by a person (NOT, *, quotes, parentheses) is
    searched for as text and can never break the query. The last word is a prefix while the
    person is still typing it.
    """
    words = TOKEN.findall(query)[:MAX_TERMS]
    if not words:
        return None
    terms = [f'"{word}"' for word in words]
    if not query[-1:].isspace():
        terms[-1] += "*"
    return (" OR " if any_term else " AND ").join(terms)


def search_sql() -> str:
    weights = ", ".join(str(w) for w in WEIGHTS.values())
    return f"""
        SELECT d.id, d.title, d.section, d.kind,
               snippet(documents_fts, 3, char(2), char(3), '…', 14) AS steps_snip,
               snippet(documents_fts, 4, char(2), char(3), '…', 14) AS body_snip,
               snippet(documents_fts, 2, char(2), char(3), '…', 14) AS summary_snip,
               bm25(documents_fts, {weights}) AS score
        FROM documents_fts JOIN documents AS d ON d.rowid = documents_fts.rowid
        WHERE documents_fts MATCH :match
        ORDER BY lower(d.title) = lower(:query) DESC, score
        LIMIT :limit
    """


def best_snippet(steps: str, body: str, summary: str) -> str:
    """The snippet a person reads best: a step or body text that matched, else the summary."""
    return next((s for s in (steps, body) if MARK_START in s), summary)


def snippet_to_html(snippet: str) -> str:
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(MARK_START, "<b>").replace(MARK_END, "</b>")


def search(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[Hit]:
    """Ranked hits for a query: all words first; if none match, any of them."""
    query = query[:1000]
    for any_term in (False, True):
        match = match_expression(query, any_term)
        if match is None:
            return []
        rows = conn.execute(
            search_sql(), {"match": match, "query": query.strip(), "limit": limit}
        ).fetchall()
        if rows:
            return [
                Hit(r[0], r[1], r[2], r[3], snippet_to_html(best_snippet(r[4], r[5], r[6])), r[7])
                for r in rows
            ]
        if " AND " not in match:
            break
    return []
