"""Reading a query: words, phrases, the word being typed, synonyms; always safe for FTS5."""

from hypothesis import given, settings
from hypothesis import strategies as st

from binder.search.query import parse_query

SYNONYMS = {
    "tq": ["tourniquet"],
    "tourniquet": ["tq"],
    "rtf": ["rescue task force"],
    "rescue task force": ["rtf"],
}


def test_the_last_word_is_a_prefix_while_it_is_typed():
    assert parse_query("tour").fts() == '"tour"*'
    assert parse_query("tour ").fts() == '"tour"'
    assert parse_query("hot zo").fts() == '"hot" AND "zo"*'


def test_every_word_is_quoted_so_typed_syntax_is_text():
    assert parse_query("NOT tq AND (x) NEAR").fts() == '"not" AND "tq" AND "x" AND "near"*'
    assert parse_query("AND OR").fts() == '"and" AND "or"*'  # stop words, but all there is
    assert parse_query("* ( ) ^ :").empty


def test_quoted_phrases_stay_together_and_an_unclosed_quote_is_ignored():
    assert parse_query('"hot zone" staging').fts() == '"hot zone" AND "staging"*'
    assert parse_query('"hot zone').fts() == '"hot" AND "zone"*'


def test_synonyms_are_searched_in_either_form():
    assert parse_query("tq ", SYNONYMS).fts() == '("tq" OR "tourniquet")'
    assert parse_query("tourniquet ", SYNONYMS).fts() == '("tourniquet" OR "tq")'
    assert parse_query("rescue task force ", SYNONYMS).fts() == ('("rescue task force" OR "rtf")')
    assert (
        parse_query("RTF staging", SYNONYMS).fts()
        == '("rtf" OR "rescue task force") AND "staging"*'
    )


def test_near_asks_for_the_words_close_together():
    assert parse_query("hot zone").fts_near() == 'NEAR("hot" "zone"*, 10)'
    assert parse_query("tq", SYNONYMS).fts_near() is None
    assert parse_query("hot z").fts_near() is None  # a one-letter prefix is left out


def test_whole_words_and_spread():
    query = parse_query("hot zo")
    assert not query.whole_word_in("the hot zone")
    assert parse_query("hot zone").whole_word_in("the hot zone")
    assert parse_query("hot zone ").spread_in("hot zone") == 1
    assert parse_query("hot zone ").spread_in("hot and then the warm zone") == 5


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_balanced_expression(text):
    expression = parse_query(text, SYNONYMS).fts()
    assert expression.count('"') % 2 == 0
    assert expression.count("(") == expression.count(")")


def test_stop_words_are_not_required():
    assert parse_query("how do I apply for EFLEA").fts() == '"apply" AND "eflea"*'
    assert parse_query("when can we release victim names ").fts() == (
        '"release" AND "victim" AND "names"'
    )


def test_stop_words_stay_inside_quoted_phrases_and_glossary_runs():
    assert parse_query('"how to" pack ').fts() == '"how to" AND "pack"'
    synonyms = {"next of kin": ["nok"], "nok": ["next of kin"]}
    assert parse_query("tell the next of kin ", synonyms).fts() == (
        '"tell" AND ("next of kin" OR "nok")'
    )


def test_a_query_of_only_stop_words_still_searches_them():
    assert parse_query("how do i ").fts() == '"how" AND "do" AND "i"'
    assert parse_query("i").fts() == '"i"*'


def test_ic_is_not_a_stop_word():
    assert parse_query("what does the IC do ").fts() == '"ic"'


def test_spread_is_the_closest_the_words_come_not_their_first_places():
    query = parse_query("active shooter ")
    assert query.spread_in("active assailant first minutes active shooter") == 1
    assert query.spread_in("shooter then active") == 2


def test_a_word_being_typed_can_also_be_asked_as_the_whole_words_it_begins():
    from dataclasses import replace

    query = parse_query("hot reunifi")
    last = replace(query.groups[-1], completions=("reunification", "reunified"))
    query = replace(query, groups=[query.groups[0], last])
    assert query.fts() == '"hot" AND ("reunifi"* OR "reunification" OR "reunified")'
    assert query.fts_near() == 'NEAR("hot" "reunifi"*, 10)'
