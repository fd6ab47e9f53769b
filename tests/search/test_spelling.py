"""Corrections: only a word no page has, by sound and spelling, never to a common word."""

import sqlite3

import pytest

from binder.search.search import search
from binder.search.spelling import correct, edit_distance, unknown_words


@pytest.fixture(scope="module")
def shipped(shipped_db):
    conn = sqlite3.connect(shipped_db)
    yield conn
    conn.close()


def ids(results, n=3):
    return [hit.doc_id for hit in results.hits[:n]]


@pytest.mark.parametrize("typed, meant, page", [
    ("turniket", "tourniquet", "tourniquet"),
    ("turnicate", "tourniquet", "tourniquet"),
    ("efela", "eflea", "eflea"),
    ("psbo", "psob", "psob"),
    ("atorney", "attorney", "eflea"),  # a word only in a page's prose
    ("bleedimg", "bleeding", "stop-the-bleed"),  # one letter wrong in a long word
    ("vicitm", "victim", "victim-compensation"),  # two letters swapped
    ("trama", "trauma", "vicarious-trauma"),  # a letter left out of a short word
    ("acive", "active", "active-assailant-first-minutes"),  # left out, and it sounds different
    ("perimiter", "perimeter", "perimeter-staging-media"),
])
def test_a_misspelling_is_searched_as_the_word_it_sounds_like(shipped, typed, meant, page):
    results = search(shipped, typed + " ")
    assert results.corrected.strip() == meant
    assert page in [hit.doc_id for hit in results.hits]


def test_the_words_a_page_has_stay_as_typed_beside_a_corrected_one(shipped):
    results = search(shipped, "turniket time ")
    assert results.corrected.split() == ["tourniquet", "time"]
    assert "tourniquet" in ids(results)


@pytest.mark.parametrize("typed, never", [
    ("mall", "all"),
    ("mall", "mile"),
    ("active shooter mall", "all"),
    ("hotline", "online"),
    ("drone", "done"),
    ("thier", "their"),  # a stop word is never what a person meant
    # real words the binder does not have, one letter or one sound from a word it has
    ("kids", "kits"), ("truck", "track"), ("litter", "letter"), ("killer", "killed"),
    ("dental", "mental"), ("father", "gather"), ("concert", "concern"), ("charger", "charge"),
    ("daughter", "deter"), ("litter", "later"), ("plane", "plan"),
])
def test_a_word_is_never_corrected_to_a_word_it_is_no_typo_of(shipped, typed, never):
    corrected = search(shipped, typed + " ").corrected.split()
    assert never not in corrected


@pytest.mark.parametrize("typed", ["donations", "tourniquets", "attorneys", "tourniquet overtime"])
def test_a_word_some_page_has_is_never_corrected(shipped, typed):
    assert search(shipped, typed + " ").corrected == ""


def test_a_word_still_being_typed_is_never_cut_short(shipped):
    assert search(shipped, "turni").corrected == ""  # not "turn": "turniquet" is on its way
    assert search(shipped, "turniket").corrected == "tourniquet "


def test_a_very_short_word_is_not_corrected(shipped):
    assert search(shipped, "tqq ").corrected == ""
    assert search(shipped, "psb ").corrected == ""


def test_only_unknown_words_are_looked_up_and_the_lookup_is_bounded(shipped):
    statements = []
    shipped.set_trace_callback(lambda sql: sql.startswith("--") or statements.append(sql))
    try:
        search(shipped, "tourniquet overtime ")  # words pages have, together on none
        known = list(statements)
        statements.clear()
        search(shipped, "turniket ")
        unknown = list(statements)
    finally:
        shipped.set_trace_callback(None)
    assert not [s for s in known if "terms_trigram" in s or "sound" in s]
    lookups = [s for s in unknown if "terms" in s]
    assert 1 <= len(lookups) <= 4


def test_unknown_words_are_the_ones_no_tier_has(shipped):
    query_words = ["tourniquets", "turniket", "attorney", "donations", "zzzq"]
    assert unknown_words(shipped, query_words) == ["turniket", "zzzq"]


def test_correct_returns_none_when_every_word_is_known(shipped):
    from binder.search.query import parse_query

    assert correct(shipped, parse_query("tourniquet "), {}) is None


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("tourniquet", "tourniqeut") == 1
    assert edit_distance("psbo", "psob") == 1
    assert edit_distance("abc", "xyz") == 3
