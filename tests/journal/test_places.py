"""Pinned and recent pages, kept in a real journal.db's settings."""

import json

import pytest

from binder.journal.journal import Journal, JournalError
from binder.journal.places import PINNED_KEY, RECENT_KEY, RECENT_LIMIT, Places, parse_ids


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    yield journal
    journal.close()


def test_pins_keep_the_order_they_were_pinned_in(journal):
    places = Places(journal)
    for doc_id in ("tourniquet", "eflea", "casualty-guide"):
        places.pin(doc_id)
    places.pin("tourniquet")  # already pinned: stays where it was
    assert places.pinned() == ["tourniquet", "eflea", "casualty-guide"]
    places.unpin("eflea")
    places.unpin("never-pinned")
    assert places.pinned() == ["tourniquet", "casualty-guide"]
    assert places.is_pinned("tourniquet") and not places.is_pinned("eflea")
    places.set_pinned("eflea", True)
    places.set_pinned("tourniquet", False)
    assert places.pinned() == ["casualty-guide", "eflea"]


def test_recent_is_most_recent_first_without_repeats_and_capped(journal):
    places = Places(journal)
    for doc_id in ("a", "b", "b", "c", "a"):
        places.visit(doc_id)
    assert places.recent() == ["a", "c", "b"]
    assert json.loads(journal.setting(RECENT_KEY)) == ["a", "c", "b"]  # stored without repeats
    for n in range(RECENT_LIMIT + 5):
        places.visit(f"page-{n}")
    recent = places.recent()
    assert len(recent) == RECENT_LIMIT == 10
    assert recent[0] == f"page-{RECENT_LIMIT + 4}" and recent[-1] == "page-5"
    assert len(json.loads(journal.setting(RECENT_KEY))) == RECENT_LIMIT  # not kept growing


def test_places_are_kept_across_reopening_the_journal(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    places = Places(journal)
    places.pin("eflea")
    places.pin("tourniquet")
    places.visit("tourniquet")
    places.visit("casualty-guide")
    journal.close()

    again = Journal(tmp_path / "journal.db")
    places = Places(again)
    assert places.pinned() == ["eflea", "tourniquet"]
    assert places.recent() == ["casualty-guide", "tourniquet"]
    assert json.loads(again.setting(PINNED_KEY)) == ["eflea", "tourniquet"]
    again.close()


@pytest.mark.parametrize("raw", ["{not json", '{"a": 1}', '"tourniquet"', "42", "null"])
def test_a_damaged_value_starts_empty_and_is_written_over(journal, raw):
    journal.set_setting(PINNED_KEY, raw)
    journal.set_setting(RECENT_KEY, raw)
    places = Places(journal)
    assert places.pinned() == [] and places.recent() == []
    places.pin("eflea")
    places.visit("tourniquet")
    assert places.pinned() == ["eflea"] and places.recent() == ["tourniquet"]


def test_odd_entries_in_a_list_are_skipped():
    assert parse_ids('["a", 3, null, "", "b", "a", ["c"]]') == ["a", "b"]
    assert parse_ids("") == []


def test_no_journal_keeps_nothing_and_fails_nothing():
    places = Places(None)
    places.pin("eflea")
    places.visit("tourniquet")
    places.unpin("eflea")
    assert places.pinned() == [] and places.recent() == [] and not places.is_pinned("eflea")


def test_a_journal_that_cannot_be_written_says_so(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    places = Places(journal)
    places.pin("eflea")
    journal.conn.execute("PRAGMA query_only = ON")  # as a read-only or full disk would refuse
    with pytest.raises(JournalError, match="Pinned pages cannot be saved"):
        places.pin("tourniquet")
    assert places.pinned() == ["eflea"]
    journal.close()


def test_the_last_place_is_the_page_open_at_closing_with_its_scroll_and_step(journal):
    from binder.journal.places import LAST_PLACE_KEY, Place

    places = Places(journal)
    assert places.last_place() is None  # a first start
    places.visit("tourniquet")
    places.set_last_place(Place("tourniquet", "", 420, "tourniquet/time"))
    assert Places(journal).last_place() == Place("tourniquet", "", 420, "tourniquet/time")

    places.visit("eflea")  # opened, then the machine lost power before the window closed
    assert places.last_place() == Place("eflea")

    for damaged in ("{", "[]", '{"doc_id": 3}', '{"doc_id": "eflea", "scroll": -5}'):
        journal.set_setting(LAST_PLACE_KEY, damaged)
        assert places.last_place() == Place("eflea")
