"""The glossary's everyday words: read from the content both ways, searched, and checked."""

import sqlite3

import pytest

from binder.content.build import build_store
from binder.content.check import check_content
from binder.search.search import search
from tests.conftest import write_pages

GLOSSARY = """\
---
title: Glossary
kind: guide
section: Forms
summary: Short forms and everyday words.
tags: [glossary]
sources:
  - name: FEMA NIMS
    url: https://www.fema.gov/
reviewed: 2026-11-20
---
## Short forms

| Short form | Meaning | Where in the binder |
|---|---|---|
| TQ | tourniquet | [Tourniquet](../casualty-care/tourniquet.md) |

## Everyday words

| People say | In the binder | Where in the binder |
|---|---|---|
| bleeding out; blood loss | hemorrhage | [Tourniquet](../casualty-care/tourniquet.md) |
| paid back or pay back | reimbursement; overtime | [EFLEA](../funding/eflea.md) |
"""


@pytest.fixture
def glossary_dir(content_dir):
    return write_pages(content_dir, {"forms/glossary.md": GLOSSARY})


def synonyms(db):
    conn = sqlite3.connect(db)
    try:
        return set(conn.execute("SELECT term, alternative FROM synonyms"))
    finally:
        conn.close()


def test_every_everyday_word_means_every_binder_word_of_its_row_both_ways(glossary_dir, tmp_path):
    build_store(glossary_dir, tmp_path / "c.db")
    pairs = synonyms(tmp_path / "c.db")
    for word, meaning in [("bleeding out", "hemorrhage"), ("blood loss", "hemorrhage"),
                          ("paid back", "reimbursement"), ("pay back", "overtime"),
                          ("tq", "tourniquet")]:
        assert (word, meaning) in pairs and (meaning, word) in pairs
    headers = {"people say", "in the binder", "short form", "meaning"}
    assert not {term for pair in pairs for term in pair} & headers


def test_an_everyday_word_finds_the_page_that_uses_the_binder_word(glossary_dir, tmp_path):
    build_store(glossary_dir, tmp_path / "c.db")
    conn = sqlite3.connect(tmp_path / "c.db")
    assert search(conn, "blood loss ").hits[0].doc_id == "tourniquet"
    assert search(conn, "paid back ").hits[0].doc_id == "eflea"


@pytest.mark.parametrize("query, page", [
    ("gunman", "active-assailant-first-minutes"),
    ("shooter", "active-assailant-first-minutes"),
    ("journalists", "perimeter-staging-media"),
    ("reporters", "perimeter-staging-media"),
    ("press conference", "perimeter-staging-media"),
    ("hotwash", "demobilization-after-action"),
    ("counselling", "after-the-incident"),
    ("parents picking up", "reunification-center"),
    ("gunmen", "active-assailant-first-minutes"),
    ("counselors", "after-the-incident"),
    ("bomb", "active-assailant-first-minutes"),
    ("police escort", "active-assailant-first-minutes"),
    ("waiting area", "perimeter-staging-media"),
    ("missing loved one", "family-assistance-center"),
    ("federal disaster", "victim-compensation"),
])
def test_the_shipped_everyday_words_find_their_pages(shipped_db, query, page):
    conn = sqlite3.connect(shipped_db)
    top = [hit.doc_id for hit in search(conn, query + " ").hits if hit.kind == "page"][:3]
    assert page in top, top


def test_check_finds_glossary_rows_that_cannot_help_a_search(glossary_dir):
    text = (glossary_dir / "forms/glossary.md").read_text()
    text += ("| gunman | active assailant | [Tourniquet](../casualty-care/tourniquet.md) |\n"
             "| shooter | tourniquet | |\n"
             "|  | tourniquet | [Tourniquet](../casualty-care/tourniquet.md) |\n")
    (glossary_dir / "forms/glossary.md").write_text(text)
    lines = text.splitlines()
    found = [(f.line, f.message) for f in check_content(glossary_dir)
             if f.path == "forms/glossary.md"]
    assert found == [
        (len(lines) - 2, "'active assailant' is on no page of the binder, so searching for "
                         "'gunman' finds nothing more: use the binder's words"),
        (len(lines) - 1, "say where in the binder: link the page in the last column"),
        (len(lines), "a glossary row needs the words people use (first column) and what the "
                     "binder calls it (second)"),
    ]
