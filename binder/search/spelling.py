"""Corrections: a word that no page has, searched as the binder's word that it sounds like."""

from __future__ import annotations

import math
import sqlite3

import jellyfish

from binder.content.sounds import sound_of
from binder.search.query import STOP_WORDS, Query, parse_query

MIN_LENGTH = 4  # a shorter word is never corrected, nor corrected to
LONG_WORD = 8  # from this length, one wrong letter is a typo rather than another word
CANDIDATES = 40  # terms weighed per unknown word, from each of the trigram and sound lookups
# Never corrected, nor corrected to: the query's stop words, and other words too common to be
# what a person meant by a misspelling ("drone" is not "done", "mall" not "all").
NEVER_CORRECTED = STOP_WORDS | frozenset("""
above after again against all also any because before below between both done down during
each few further having hers itself more most no nor not now off once only other ours out over
own same some such theirs through too under until up very while yours
""".split())


def correct(conn, query: Query, synonyms: dict[str, list[str]]) -> Query | None:
    """The query with each word that no page has replaced by the binder's word it most likely
    means, the other words as typed; None if no word needs it or none is close enough."""
    typing = query.groups[-1].words[-1] if query.groups[-1].prefix else None
    asked = [w for w in query.words
             if len(w) >= MIN_LENGTH and w not in NEVER_CORRECTED and w not in synonyms
             and not (w == typing and begins_a_term(conn, w))]  # only not finished yet
    unknown = set(unknown_words(conn, asked))
    better = {word: closest_term(conn, word) for word in unknown}
    better = {word: term for word, term in better.items()
              if term and not (word == typing and len(term) < len(word))}  # "turni": not "turn"
    if not better:
        return None
    words = [better.get(word, word) for word in query.words]
    still_typing = typing is not None and typing not in better
    return parse_query(" ".join(words) + ("" if still_typing else " "), synonyms)


def unknown_words(conn, words: list[str]) -> list[str]:
    """The words, in order, that no page has in any form: not in the vocabulary, and not
    found by the page index (which also finds plurals and other endings)."""
    if not words:
        return []
    marks = ", ".join("?" * len(set(words)))
    known = {row[0] for row in conn.execute(
        f"SELECT term FROM terms WHERE term IN ({marks})", sorted(set(words)))}
    return [word for word in words if word not in known and not in_some_page(conn, word)]


def in_some_page(conn, word: str) -> bool:
    try:
        return conn.execute("SELECT 1 FROM body_fts WHERE body_fts MATCH ? LIMIT 1",
                            (f'"{word}"',)).fetchone() is not None
    except sqlite3.OperationalError:
        return False


def begins_a_term(conn, prefix: str) -> bool:
    row = conn.execute("SELECT 1 FROM terms WHERE term >= ? AND term < ? LIMIT 1",
                       (prefix, prefix + "\U0010ffff")).fetchone()
    return row is not None


def closest_term(conn, word: str) -> str | None:
    """The binder's word that the word most likely misspells: one that sounds the same and is
    a few letters away, or one letter away in a long word; the closer, the likelier, and a
    common word is likelier than a rare one. Never a stop word or a very short word."""
    weighed = [(likelihood(word, term, docs), term) for term, docs in candidates(conn, word)
               if len(term) >= MIN_LENGTH and term not in NEVER_CORRECTED and term != word]
    weighed = [(score, term) for score, term in weighed if score is not None]
    return max(weighed)[1] if weighed else None


def likelihood(word: str, term: str, docs: int) -> float | None:
    """How likely a person who typed `word` meant `term`, or None if it is not a typo of it.

    A typo keeps the first letter (or swaps the first two). One edit away: in a short word a
    changed or added letter more likely makes another word (kids, kits; plane, plan), so only
    two letters swapped, or a letter left out (from five letters on, or leaving the same
    sound), count. Two edits or more: only a word of seven letters or more, that sounds the
    same, and never for a shorter term."""
    if word[0] != term[0] and word[:2] != term[1::-1]:
        return None
    distance = jellyfish.damerau_levenshtein_distance(word, term)
    same_sound = sound_of(word) == sound_of(term)
    swapped = sorted(word) == sorted(term)
    left_out = len(term) == len(word) + 1 and (len(word) >= 5 or same_sound)  # acive, wond
    if distance == 1:
        if len(word) < LONG_WORD and not swapped and not left_out:
            return None
    elif (not same_sound or len(word) < 7 or distance > len(word) // 2
          or len(term) < len(word) - 1):
        return None
    return (jellyfish.jaro_winkler_similarity(word, term) - 0.2 * distance
            + (0.5 if same_sound else 0.0) + 0.05 * math.log10(1 + docs))


def candidates(conn, word: str) -> list[tuple[str, int]]:
    """Terms that share three-letter runs with the word, and terms with its sound: two
    bounded lookups."""
    found: dict[str, int] = {}
    grams = sorted({word[i:i + 3] for i in range(len(word) - 2)})
    match = " OR ".join(f'"{gram}"' for gram in grams if '"' not in gram)
    for sql, value in (
        ("SELECT t.term, t.docs FROM terms_trigram JOIN terms AS t "
         "ON t.rowid = terms_trigram.rowid WHERE terms_trigram MATCH ? "
         "ORDER BY bm25(terms_trigram) LIMIT ?", match),
        ("SELECT term, docs FROM terms WHERE sound = ? LIMIT ?", sound_of(word)),
    ):
        if not value:
            continue
        try:
            found.update(conn.execute(sql, (value, CANDIDATES)).fetchall())
        except sqlite3.OperationalError:  # an older database with no sound column
            continue
    return list(found.items())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, with a swap of two neighbours counted as one edit."""
    return jellyfish.damerau_levenshtein_distance(a, b)
