"""Snippets: plain text where text is wanted, only the words that matched marked, and the
words of a page as a person reads them (bold initials, source names) in the index."""

import pytest

from binder.content.plain_text import markdown_to_text
from binder.content.store import ContentStore
from binder.search.query import parse_query
from binder.search.search import search
from binder.search.snippets import as_text, highlight, passage, short


@pytest.fixture(scope="module")
def shipped(shipped_db):
    store = ContentStore(shipped_db)
    yield store.conn
    store.close()


def marked(html: str) -> list[str]:
    return [part.split("</b>")[0] for part in html.split("<b>")[1:]]


@pytest.mark.parametrize("typed, text, words", [
    ("control ", "Rumour control: contact the PIO, who controls the message.",
     ["control", "controls"]),
    ("tourniquet ", "Two tourniquets; a tourniquet's time.", ["tourniquets", "tourniquet"]),
    ("tourniquets ", "Apply the tourniquet high.", ["tourniquet"]),
    ("staging ", "Stage the units; staging area.", ["Stage", "staging"]),
    ("contr", "Rumour control: contact the PIO.", ["control"]),  # still being typed
    ('"hot zone" ', "The hot zone, not a hot drink in the zone.", ["hot zone"]),
])
def test_only_the_typed_words_their_plural_and_ing_are_marked(typed, text, words):
    assert marked(highlight(text, parse_query(typed))) == words


def test_an_acronym_marks_itself_and_its_meaning_never_a_longer_word():
    query = parse_query("FAC", {"fac": ["family assistance center"]})
    html = highlight("Face the press at the family assistance center (FAC).", query)
    assert marked(html) == ["family assistance center", "FAC"]


def test_a_meaning_is_marked_as_a_whole_phrase_not_word_by_word(shipped):
    from binder.search.search import synonyms_of

    query = parse_query("AEAP ", synonyms_of(shipped))
    html = highlight("Ask for overtime and meals under the Antiterrorism and Emergency "
                     "Assistance Program (AEAP) and keep receipts.", query)
    assert marked(html) == ["Antiterrorism and Emergency Assistance Program", "AEAP"]


def test_a_query_with_no_words_marks_nothing():
    assert highlight("Nothing to see.", parse_query("  ")) == "Nothing to see."


def test_snippets_are_html_for_the_list_and_plain_text_for_words():
    query = parse_query("agency ")
    html = short("Follow your agency's <policy> & training.", query)
    assert html == "Follow your <b>agency</b>&#x27;s &lt;policy&gt; &amp; training."
    assert as_text(html) == "Follow your agency's <policy> & training."
    assert as_text(html, "[", "]") == "Follow your [agency]'s <policy> & training."


def test_bold_initials_are_whole_words_in_the_text():
    text = "**T**hreat suppression, **H**emorrhage control, **R**apid **Ex**trication"
    assert markdown_to_text(text) == ("Threat suppression, Hemorrhage control, Rapid "
                                      "Extrication")
    assert "<b>Rapid</b> <b>Extrication</b>" in passage(text, parse_query("rapid extrication "))


def test_words_with_bold_initials_find_their_page(shipped):
    hits = search(shipped, "rapid extrication ").hits
    assert "active-assailant-first-minutes" in [hit.doc_id for hit in hits]
    hit = next(h for h in hits if h.doc_id == "active-assailant-first-minutes")
    assert "<b>Rapid</b> <b>Extrication</b>" in hit.snippet_html


@pytest.mark.parametrize("typed, page", [
    ("IACP model policy", "active-assailant-first-minutes"),
    ("american college of surgeons", "active-assailant-first-minutes"),
])
def test_source_names_are_searchable(shipped, typed, page):
    assert page in [hit.doc_id for hit in search(shipped, typed + " ").hits]

