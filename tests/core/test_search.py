"""Search: ranking a person would agree with, prefixes while typing, and no crash on any input."""

import pytest

from binder.core.search import match_expression, search
from binder.core.store import ContentStore


@pytest.fixture
def conn(content_db):
    return ContentStore(content_db).conn


def test_exact_title_comes_first(conn):
    hits = search(conn, "tourniquet")
    assert [h.doc_id for h in hits] == ["tourniquet", "casualty-guide"]


def test_a_prefix_finds_the_page_while_typing(conn):
    assert search(conn, "tourn")[0].doc_id == "tourniquet"
    assert search(conn, "t")  # one letter already shows something


def test_acronym_in_tags_finds_its_page(conn):
    assert search(conn, "TQ")[0].doc_id == "tourniquet"
    assert search(conn, "CCP")[0].doc_id == "casualty-guide"


def test_snippet_marks_the_matched_words(conn):
    hit = search(conn, "overtime")[0]
    assert hit.doc_id == "eflea"
    assert "<b>overtime</b>" in hit.snippet_html


def test_all_words_must_match_before_any_word_does(conn):
    assert [h.doc_id for h in search(conn, "tourniquet cover")] == ["tourniquet"]
    assert {h.doc_id for h in search(conn, "tourniquet overtime ")} == {
        "tourniquet", "casualty-guide", "eflea"}


def test_markup_in_a_title_is_escaped_in_snippets(conn):
    assert all("<script" not in h.snippet_html for h in search(conn, "casualty"))


def test_every_word_is_quoted_so_fts_syntax_is_plain_text():
    assert match_expression('NOT "tq" *') == '"NOT" AND "tq"*'
    assert match_expression("tq ") == '"tq"'
    assert match_expression("* ( ) ") is None


@pytest.mark.parametrize("query", [
    "", " ", "*", '"', '""', "NOT", "AND OR NOT", "tq AND", "NEAR(a b)", "(", ")", "a:b",
    "col:tq", "^tq", "🚑 bleeding 🩸", "x" * 10_000, "word " * 2_000, "\x00\x02\x03",
])
def test_no_input_breaks_search(conn, query):
    assert isinstance(search(conn, query), list)


SHIPPED_EXPECTATIONS = [
    ("tourniquet", "tourniquet"),
    ("TQ", "tourniquet"),
    ("bleeding", "stop-the-bleed"),
    ("reunification", "reunification-center"),
    ("family assistance", "family-assistance-center"),
    ("death notification", "death-notification"),
    ("EFLEA", "eflea"),
    ("overtime reimbursement", "eflea"),
    ("AEAP", "aeap"),
    ("PSOB", "psob"),
    ("vicarious trauma", "vicarious-trauma"),
    ("ICS 214", "ics-forms"),
    ("rescue task force", "active-assailant-first-minutes"),
    ("casualty collection point", "active-assailant-first-minutes"),
    ("hot wash", "demobilization-after-action"),
    ("tabletop exercise", "plan-an-exercise"),
    ("media staging", "perimeter-staging-media"),
]


@pytest.mark.parametrize("query, expected", SHIPPED_EXPECTATIONS)
def test_shipped_content_puts_the_right_page_in_the_top_three(shipped_db, query, expected):
    hits = search(ContentStore(shipped_db).conn, query, limit=3)
    assert expected in [h.doc_id for h in hits], [h.doc_id for h in hits]
