"""Corrections: a word that no page has, searched as the closest word the binder does have."""

from __future__ import annotations

import sqlite3

from binder.core.query import Query, parse_query


def correct(conn, query: Query, synonyms: dict[str, list[str]]) -> Query | None:
    """The query with each word that is not in the binder's vocabulary replaced by the
    closest one that is (by trigrams, then edit distance), or None if nothing changes."""
    words, changed = [], False
    typing = query.groups[-1].words[-1] if query.groups[-1].prefix else None
    for word in query.words:
        if word == typing and begins_a_term(conn, word):
            words.append(word)  # only not finished yet: not a misspelling
            continue
        better = closest_term(conn, word) if len(word) >= 4 else None
        if better and better != word:
            words.append(better)
            changed = True
        else:
            words.append(word)
    if not changed:
        return None
    return parse_query(" ".join(words) + " ", synonyms)


def begins_a_term(conn, prefix: str) -> bool:
    row = conn.execute("SELECT 1 FROM terms WHERE term >= ? AND term < ? LIMIT 1",
                       (prefix, prefix + "\U0010ffff")).fetchone()
    return row is not None


def closest_term(conn, word: str) -> str | None:
    if conn.execute("SELECT 1 FROM terms WHERE term = ?", (word,)).fetchone():
        return None
    grams = {word[i:i + 3] for i in range(len(word) - 2)}
    if not grams:
        return None
    match = " OR ".join(f'"{gram}"' for gram in sorted(grams) if '"' not in gram)
    try:
        candidates = conn.execute(
            "SELECT t.term, t.docs FROM terms_trigram JOIN terms AS t "
            "ON t.rowid = terms_trigram.rowid WHERE terms_trigram MATCH ? "
            "ORDER BY bm25(terms_trigram) LIMIT 40", (match,)).fetchall()
    except sqlite3.OperationalError:
        return None
    allowed = 1 if len(word) < 7 else 2
    scored = [(edit_distance(word, term), -docs, term) for term, docs in candidates]
    scored = [s for s in scored if s[0] <= allowed]
    return min(scored)[2] if scored else None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, with a swap of two neighbours counted as one edit."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]

