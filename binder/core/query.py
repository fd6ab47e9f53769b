"""What a person typed, read as search terms: words, quoted phrases, synonyms, a prefix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 16
MAX_SYNONYM_WORDS = 4


@dataclass(frozen=True)
class Group:
    """One thing that must match: a word or phrase, or any of its synonyms."""

    words: tuple[str, ...]  # as typed (a phrase has several)
    alternatives: tuple[str, ...] = ()  # synonyms, each a word or a phrase
    prefix: bool = False  # the last word is still being typed

    def fts(self) -> str:
        items = [f'"{" ".join(self.words)}"' + ("*" if self.prefix else "")]
        items += [f'"{alternative}"' for alternative in self.alternatives]
        return items[0] if len(items) == 1 else f"({' OR '.join(items)})"


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
        return f"NEAR({' '.join(group.fts() for group in groups)}, 10)"

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
        """The word being typed is already a whole word in the text (or none is being typed)."""
        last = self.groups[-1] if self.groups else None
        if last is None or not last.prefix:
            return True
        if self._whole is None:
            self._whole = re.compile(rf"\b{re.escape(last.words[-1])}\b", re.IGNORECASE)
        return self._whole.search(text) is not None

    def spread_in(self, text: str) -> int:
        """How many words apart the query's first words to appear in the text are (0: one)."""
        if len(self.groups) < 2:
            return 0
        tokens = [t.lower() for t in WORD.findall(text)]
        places = []
        for group in self.groups:
            first = group.words[0]
            where = [i for i, t in enumerate(tokens) if t.startswith(first)]
            if not where:
                return len(tokens)
            places.append(where[0])
        return max(places) - min(places)


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
    return Query(text, groups)
