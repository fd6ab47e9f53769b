"""What a person typed, read as search terms: words, quoted phrases, synonyms, a prefix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 16
MAX_SYNONYM_WORDS = 4
# Words a question is built from that no page is about: not required, unless they are all a
# person typed, and kept inside quoted phrases and glossary terms ("next of kin"). Not here:
# short forms that are content ("IC", "IP", "us" read as U.S.) and words that carry meaning in
# this binder ("after", "first", "not", "all", "one").
STOP_WORDS = frozenset("""
    a an the and or but if then so than of to in on at by for from with about into as
    is are was were be been being am do does did doing have has had
    i me my we our you your he she him his her they them their it its this that these those
    there here what which who whom whose when where why how
    can could should would shall may might must will please just
    """.split())


@dataclass(frozen=True)
class Group:
    """One thing that must match: a word or phrase, or any of its synonyms."""

    words: tuple[str, ...]  # as typed (a phrase has several)
    alternatives: tuple[str, ...] = ()  # synonyms, each a word or a phrase
    prefix: bool = False  # the last word is still being typed
    completions: tuple[str, ...] = ()  # for a word being typed: whole words it begins

    def phrase(self) -> str:
        """The words as typed, as one FTS5 phrase (a prefix while being typed)."""
        return f'"{" ".join(self.words)}"' + ("*" if self.prefix else "")

    def fts(self) -> str:
        items = [self.phrase()]
        items += [f'"{word}"' for word in self.completions]
        items += [f'"{alternative}"' for alternative in self.alternatives]
        return items[0] if len(items) == 1 else f"({' OR '.join(items)})"

    @property
    def stop(self) -> bool:
        """A lone stop word, typed outside quotes and not a glossary term."""
        return len(self.words) == 1 and not self.alternatives and self.words[0] in STOP_WORDS

    def starts(self) -> tuple[str, ...]:
        """How a word of this group begins: its first word (or that word's shorter form,
        "family" for "families"), or an alternative's."""
        firsts = (self.words[0], *(a.split()[0] for a in self.alternatives))
        return (*firsts, *map(rough_stem, firsts))


@dataclass
class Query:
    text: str
    groups: list[Group] = field(default_factory=list)
    _pattern: re.Pattern | None = field(default=None, repr=False, compare=False)
    _whole: re.Pattern | None = field(default=None, repr=False, compare=False)

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def words(self) -> list[str]:
        return [word for group in self.groups for word in group.words]

    @property
    def normal(self) -> str:
        return " ".join(WORD.findall(self.text.lower()))

    def fts(self, min_prefix: int = 1) -> str:
        """An FTS5 expression: every word quoted, so typed syntax is searched as text.

        With min_prefix, a word still being typed that is shorter than that is left out
        (the body index keeps no shorter prefixes); "" if nothing is left.
        """
        groups = [g for g in self.groups if not (g.prefix and len(g.words[-1]) < min_prefix)]
        return " AND ".join(group.fts() for group in groups)

    def fts_near(self) -> str | None:
        """The same words within ten words of each other, when that can be said in FTS5."""
        groups = [g for g in self.groups if not (g.prefix and len(g.words[-1]) < 3)]
        if len(groups) < 2 or any(g.alternatives for g in groups):
            return None
        return f"NEAR({' '.join(group.phrase() for group in groups)}, 10)"

    def pattern(self) -> re.Pattern:
        """What to mark in a snippet, as one regular expression (one scan of the text): each
        word as typed or as its plural or -ing form (a word still being typed: any word it
        begins), and each phrase and synonym as a whole, never word by word."""
        if self._pattern is None:
            parts = set()
            for group in self.groups:
                parts.add(phrase_pattern(group.words, group.prefix and not group.alternatives))
                parts.update(phrase_pattern(tuple(a.split())) for a in group.alternatives)
            ordered = sorted(parts, key=len, reverse=True)  # a phrase before its first word
            self._pattern = re.compile("|".join(ordered) or "(?!)", re.IGNORECASE)
        return self._pattern

    def whole_word_in(self, text: str) -> bool:
        """The word being typed is already a whole word in the text (or none is being typed):
        the word itself, or a shorter form of it ("tourniquet" for "tourniquets")."""
        last = self.groups[-1] if self.groups else None
        if last is None or not last.prefix:
            return True
        if self._whole is None:
            typed = last.words[-1]
            forms = sorted({typed, rough_stem(typed)}, key=len, reverse=True)
            self._whole = re.compile(rf"\b(?:{'|'.join(map(re.escape, forms))})\b",
                                     re.IGNORECASE)
        return self._whole.search(text) is not None

    def held_in(self, text: str) -> int:
        """How many of the query's words (or their synonyms) the text holds, roughly: a word
        of the text that begins with one, or with its shorter form."""
        tokens = WORD.findall(text.lower())
        return sum(any(token.startswith(group.starts()) for token in tokens)
                   for group in self.groups)

    def spread_in(self, text: str) -> int:
        """How few words apart the text holds one of each of the query's words (0: at one
        place); as many as the text has words when one is missing."""
        if len(self.groups) < 2:
            return 0
        tokens = WORD.findall(text.lower())
        starts = [group.starts() for group in self.groups]
        places = sorted((i, n) for n, start in enumerate(starts)
                        for i, token in enumerate(tokens) if token.startswith(start))
        return closest_window(places, len(self.groups), len(tokens))


def closest_window(places: list[tuple[int, int]], wanted: int, missing: int) -> int:
    """The shortest span of (place, group) pairs, sorted by place, that holds every group."""
    best, last_seen = missing, {}
    for place, group in places:
        last_seen[group] = place
        if len(last_seen) == wanted:
            best = min(best, place - min(last_seen.values()))
    return best


def rough_stem(word: str) -> str:
    """The word without a plural or -ing/-ed ending (a rough cut; the indexes use porter)."""
    for ending, instead in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(ending) and len(word) - len(ending) >= 3 and not word.endswith("ss"):
            return word[:len(word) - len(ending)] + instead
    return word


def word_forms(word: str) -> set[str]:
    """A word, its plural and its -ing form, from whichever of them was typed."""
    bases = {word}
    if word.endswith("ing") and len(word) > 6:
        bases |= {word[:-3], word[:-3] + "e"}
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        bases.add(word[:-1])
        if word[:-2].endswith(("s", "x", "z", "ch", "sh")):  # boxes, churches: "es" too
            bases.add(word[:-2])
    forms = set()
    for base in bases:
        forms |= {base, base + "s", base + "ing"}
        if base.endswith(("s", "x", "z", "ch", "sh")):
            forms.add(base + "es")
        if base.endswith("e"):
            forms.add(base[:-1] + "ing")
    return forms


def phrase_pattern(words: tuple[str, ...], prefix: bool = False) -> str:
    """A regular expression for these words in a row; the last one begun only, with prefix."""
    parts = ["(?:" + "|".join(sorted(map(re.escape, word_forms(w)), key=len, reverse=True))
             + ")" for w in words]
    if prefix:
        parts[-1] = re.escape(words[-1]) + r"\w*"
    return r"\b" + r"\W+".join(parts) + r"\b"


def tokens_of(text: str) -> list[tuple[tuple[str, ...], bool]]:
    """Words and quoted phrases, in order: (words, quoted). An unclosed quote is ignored."""
    parts = text.split('"')
    if len(parts) % 2 == 0:  # an odd number of quotes: read them as plain text
        parts = [text.replace('"', " ")]
    found = []
    for index, part in enumerate(parts):
        words = [w.lower() for w in WORD.findall(part)]
        if index % 2 and words:
            found.append((tuple(words), True))
        else:
            found += [((word,), False) for word in words]
    return found[:MAX_TERMS]


def parse_query(text: str, synonyms: dict[str, list[str]] | None = None) -> Query:
    """Read a query; the last word is a prefix while it is being typed (no space after it)."""
    synonyms = synonyms or {}
    tokens = tokens_of(text)
    typing = bool(text) and not text[-1].isspace() and not text.rstrip().endswith('"')
    groups: list[Group] = []
    index = 0
    while index < len(tokens):
        words, quoted = tokens[index]
        size = 1
        if not quoted:  # the longest run of plain words that the glossary knows
            for length in range(min(MAX_SYNONYM_WORDS, len(tokens) - index), 0, -1):
                run = tokens[index:index + length]
                if all(not q for _, q in run) and " ".join(w[0] for w, _ in run) in synonyms:
                    words, size = tuple(w[0] for w, _ in run), length
                    break
        alternatives = tuple(synonyms.get(" ".join(words), ()))
        last = index + size == len(tokens)
        groups.append(Group(words, alternatives, prefix=typing and last and not quoted))
        index += size
    return Query(text, without_stop_words(groups, tokens))


def without_stop_words(groups: list[Group], tokens) -> list[Group]:
    """The groups a page must hold: stop words out, unless nothing else was typed."""
    quoted = {words for words, q in tokens if q}
    kept = [g for g in groups if not g.stop or g.words in quoted]
    return kept or groups
