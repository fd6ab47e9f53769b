"""Search: the tiers a person would agree with, step hits, synonyms, typos, and any input."""

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binder.content.store import ContentStore
from binder.search.search import Results, search
from binder.search.spelling import edit_distance


@pytest.fixture
def conn(content_db):
    return ContentStore(content_db).conn


def ids(results: Results, n: int = 20) -> list[str]:
    return [hit.step_id or hit.doc_id for hit in results.hits[:n]]


def test_an_exact_title_comes_first(conn):
    hits = search(conn, "tourniquet").hits
    assert (hits[0].doc_id, hits[0].tier) == ("tourniquet", 0)
    assert (hits[-1].doc_id, hits[-1].tier) == ("casualty-guide", 3)  # only in its text


def test_a_title_with_a_stop_word_before_it_is_still_the_exact_title(conn):
    hits = search(conn, "the tourniquet ").hits
    assert (hits[0].doc_id, hits[0].tier) == ("tourniquet", 0)


def test_titles_and_tags_before_steps_before_bodies(conn):
    tiers = [hit.tier for hit in search(conn, "tourniquet").hits]
    assert tiers == sorted(tiers)
    hits = search(conn, "cover").hits
    assert [(h.kind, h.step_id or h.doc_id) for h in hits] == [
        ("step", "tourniquet/cover"),
        ("page", "tourniquet"),
    ]


def test_a_step_hit_names_its_checklist_and_phase_and_marks_the_words(conn):
    [hit, page] = search(conn, "cover").hits
    assert (page.kind, page.doc_id) == ("page", "tourniquet")
    assert (hit.kind, hit.doc_id, hit.title, hit.phase) == (
        "step",
        "tourniquet",
        "Tourniquet",
        "Under fire",
    )
    assert hit.snippet_html == "Move to <b>cover</b> if you can"


def test_a_prefix_finds_the_page_while_typing(conn):
    assert ids(search(conn, "tourn"))[0] == "tourniquet"
    assert search(conn, "t").hits  # one letter already shows something


def ranking_db(tmp_path, steps: list[str]):
    """A one-checklist binder whose steps are the given lines, in that order."""
    from binder.content.build import build_store
    from tests.conftest import CHECKLIST, write_pages

    body = "\n".join(f"- [ ] {text} {{#s{n}}}" for n, text in enumerate(steps))
    page = CHECKLIST.split("## Under fire")[0] + "## Steps\n" + body + "\n"
    build_store(write_pages(tmp_path / "c", {"casualty-care/tourniquet.md": page}),
                tmp_path / "r.db")
    return sqlite3.connect(tmp_path / "r.db")


def test_a_whole_word_ranks_above_a_longer_word_it_begins(tmp_path):
    # the longer word comes first in binder order and in a shorter step (bm25 prefers it):
    # only the whole-word rule puts "stage" itself first while it is being typed
    conn = ranking_db(tmp_path, ["Open stages", "Brief each unit at the stage door now"])
    assert ids(search(conn, "stage"))[:2] == ["tourniquet/s1", "tourniquet/s0"]


def test_words_close_together_rank_above_words_far_apart(tmp_path):
    # the far-apart step is shorter and comes first: only proximity puts the other first
    conn = ranking_db(tmp_path, ["Media go to the outer staging",
                                 "Set media staging well away from the scene and families"])
    assert ids(search(conn, "media staging "))[:2] == ["tourniquet/s1", "tourniquet/s0"]


def test_shipped_phrases_find_their_pages(shipped):
    assert search(shipped, "media staging").hits[0].doc_id == "perimeter-staging-media"
    assert search(shipped, '"hot zone"').hits[0].doc_id == "active-assailant-first-minutes"


def test_all_words_must_match_in_one_step_or_one_page(conn):
    # the page (its summary says "record the time"), the step, the guide ("Timing")
    assert ids(search(conn, "tourniquet time")) == [
        "tourniquet",
        "tourniquet/time",
        "casualty-guide",
    ]
    cover = search(conn, "tourniquet cover")  # title and a step; after it, pages with one word
    assert [(h.doc_id, h.tier) for h in cover] == [("tourniquet", 3), ("casualty-guide", 4)]
    assert not cover.partial
    some = search(conn, "tourniquet overtime")  # no page has both: pages with one of them
    assert some.partial and all(hit.tier == 4 for hit in some.hits)


def test_a_short_form_and_its_meaning_find_the_same_pages(shipped):
    for short, meaning in (
        ("TQ", "tourniquet"),
        ("NOK", "next of kin"),
        ("RTF", "rescue task force"),
        ("CCP", "casualty collection point"),
        ("FAC", "family assistance center"),
        ("PIO", "public information officer"),
    ):
        assert ids(search(shipped, short + " "), 3) and set(
            ids(search(shipped, short + " "), 3)
        ) & set(ids(search(shipped, meaning + " "), 3)), (short, meaning)
    assert ids(search(shipped, "TQ"))[0] == "tourniquet"  # the title it stands for comes first


@pytest.mark.parametrize(
    "typed, meant, page",
    [
        ("tourniqet", "tourniquet", "tourniquet"),
        ("reunfication", "reunification", "reunification-center"),
        ("hypothremia", "hypothermia", "hypothermia-prevention"),
        ("notifcation", "notification", "death-notification"),
    ],
)
def test_a_misspelling_is_searched_as_the_closest_word_and_said_so(shipped, typed, meant, page):
    results = search(shipped, typed)
    assert results.corrected.strip() == meant
    assert page in ids(results, 3)


def test_a_correct_word_is_never_corrected(shipped):
    assert search(shipped, "tourniquet").corrected == ""
    assert search(shipped, "tourniq").corrected == ""  # still being typed: not a misspelling


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("tourniquet", "tourniqeut") == 1
    assert edit_distance("reunfication", "reunification") == 1
    assert edit_distance("abc", "xyz") == 3


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "*",
        '"',
        '""',
        "NOT",
        "AND OR NOT",
        "tq AND",
        "NEAR(a b)",
        "(",
        ")",
        "a:b",
        "col:tq",
        "^tq",
        "🚑 bleeding 🩸",
        "x" * 10_000,
        "word " * 2_000,
        "\x00\x02\x03",
        "{#x}",
    ],
)
def test_no_input_breaks_search(conn, query):
    assert isinstance(search(conn, query).hits, list)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_string_returns_a_list_and_never_raises(conn, text):
    assert isinstance(search(conn, text).hits, list)


# The issue-3 list: a search a person would type puts the right page in the top three.
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
def test_shipped_content_puts_the_right_page_in_the_top_three(shipped, query, expected):
    top = [hit.doc_id for hit in search(shipped, query).hits if hit.kind == "page"][:3]
    assert expected in top, top


# The issue-5 ranking table: the first hit for what a person types at a command post.
FIRST_HIT = [
    ("Tourniquet", "tourniquet"),
    ("tq", "tourniquet"),
    ("EFLEA", "eflea"),
    ("psob", "psob"),
    ("death notification", "death-notification"),
    ("Reunification center", "reunification-center"),
    ("glossary", "glossary"),
    ("media staging", "perimeter-staging-media"),
    # issue 12: the public information officer's page is the media page, whose steps assign
    # the PIO (the command post page lists the PIO in its tags too)
    ("PIO", "perimeter-staging-media"),
    ("active shooter", "active-assailant-first-minutes"),
    ("tourniquets", "tourniquet"),
]


@pytest.mark.parametrize("query, expected", FIRST_HIT)
def test_the_first_hit_is_the_one_a_person_means(shipped, query, expected):
    assert search(shipped, query).hits[0].doc_id == expected
