"""The glossary page's tables: short forms and everyday words, each with what the binder says."""

from __future__ import annotations

import re
from dataclasses import dataclass

from binder.content.content import Document

GLOSSARY_ID = "glossary"
WORD = re.compile(r"\w+", re.UNICODE)
SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")
LINK = re.compile(r"\]\(")


@dataclass(frozen=True)
class Row:
    """One row of a glossary table: what a person types, and what the binder calls it."""

    words: tuple[str, ...]  # the first column: short forms, or the words people use
    meanings: tuple[str, ...]  # the second column: what the binder says
    linked: bool  # the row says where in the binder (a link)
    line: int


def normal_words(text: str) -> str:
    """Lowercase words joined by single spaces: how titles and synonyms are compared."""
    return " ".join(WORD.findall(text.lower()))


def split_cell(cell: str) -> tuple[str, ...]:
    """A cell's entries: separated by semicolons or "or", without any (remark)."""
    entries = (normal_words(part) for part in re.split(r";| or ", re.sub(r"\(.*?\)", "", cell)))
    return tuple(entry for entry in entries if entry)


def glossary_rows(doc: Document | None) -> list[Row]:
    """Every row of every table on the glossary page (a table: a header row, a |---| line,
    then its rows), with its line in the file."""
    rows: list[Row] = []
    for block in doc.blocks if doc else []:
        in_table = False
        for number, line in enumerate(block.md.splitlines(), start=block.line):
            text = line.strip()
            if not text.startswith("|"):
                in_table = False
            elif SEPARATOR.match(text):
                in_table = True
            elif in_table:
                cells = [c.strip() for c in text.strip("|").split("|")]
                cells += [""] * (3 - len(cells))
                rows.append(Row(split_cell(cells[0]), split_cell(cells[1]),
                                bool(LINK.search(" ".join(cells[2:]))), number))
    return rows


def synonym_pairs(docs: list[Document]) -> list[tuple[str, str]]:
    """Both directions of every row of the glossary's tables: each word in the first column
    and each meaning in the second."""
    glossary = next((d for d in docs if d.id == GLOSSARY_ID), None)
    pairs: set[tuple[str, str]] = set()
    for row in glossary_rows(glossary):
        for word in row.words:
            for meaning in row.meanings:
                if word != meaning:
                    pairs.update({(word, meaning), (meaning, word)})
    return sorted(pairs)


def glossary_problems(docs: list[Document], page_text) -> list[tuple[str, int, str]]:
    """(path, line, message) for each glossary row that cannot help a search: no words, no
    meaning, no link to its page, or no page of the binder that has either side of it."""
    glossary = next((d for d in docs if d.id == GLOSSARY_ID), None)
    if glossary is None:
        return []
    pages = [f" {normal_words(page_text(d))} " for d in docs if d.id != GLOSSARY_ID]
    problems = []
    for row in glossary_rows(glossary):
        if not row.words or not row.meanings:
            problems.append((row.line, "a glossary row needs the words people use (first "
                                       "column) and what the binder calls it (second)"))
            continue
        if not row.linked:
            problems.append((row.line, "say where in the binder: link the page in the last "
                                       "column"))
        if not any(f" {entry} " in page for entry in row.words + row.meanings for page in pages):
            problems.append((row.line, f"'{row.meanings[0]}' is on no page of the binder, so "
                                       f"searching for '{row.words[0]}' finds nothing more: "
                                       "use the binder's words"))
    return [(glossary.path, line, message) for line, message in problems]
