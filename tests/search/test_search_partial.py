"""Search that forgives: stop words, plurals in every tier, and pages holding some words."""

import sqlite3

import pytest

from binder.search.query import STOP_WORDS
from binder.search.search import search


def pages_of(results, n=3):
    return [hit.doc_id for hit in results.hits if hit.kind == "page"][:n]


def test_a_question_finds_its_page_with_all_its_words(shipped):
    results = search(shipped, "how do I apply for EFLEA")
    assert pages_of(results, 1) == ["eflea"]
    assert not results.partial


def test_an_extra_word_no_page_has_keeps_the_good_results(shipped):
    results = search(shipped, "active shooter mall")
    assert results.partial
    assert pages_of(results, 1) == ["active-assailant-first-minutes"]


def test_pages_with_more_of_the_words_come_first(shipped):
    # no page has all four; the tourniquet page has three of them
    results = search(shipped, "tourniquet limb record zebra ")
    assert results.partial
    assert pages_of(results, 1) == ["tourniquet"]
    assert results.hits[0].snippet_html == (  # the page's summary, the words it holds marked
        "Stop life-threatening arm or leg bleeding with a <b>tourniquet</b>, reassess it, "
        "and <b>record</b> the time.")


def test_a_full_match_is_not_partial(shipped):
    assert not search(shipped, "tourniquet").partial


@pytest.mark.parametrize("word", ["tourniquets", "tourniquets ", "families", "exercises "])
def test_a_plural_finds_the_page_titled_with_the_word(shipped, word):
    expected = {"tourniquets": "tourniquet", "families": "family-assistance-center",
                "exercises": "plan-an-exercise"}[word.strip()]
    results = search(shipped, word)
    assert results.hits[0].tier == 1 and expected in pages_of(results)


def test_tourniquets_puts_the_tourniquet_page_first(shipped):
    assert pages_of(search(shipped, "tourniquets"), 1) == ["tourniquet"]


def test_active_shooter_puts_the_checklist_above_the_exercise(shipped):
    assert pages_of(search(shipped, "active shooter"), 1) == ["active-assailant-first-minutes"]


def test_one_content_word_among_unknown_words_never_finds_nothing(shipped):
    words = [row[0] for row in shipped.execute("SELECT term FROM terms ORDER BY term")
             if row[0] not in STOP_WORDS][::25]
    assert len(words) > 20
    for word in words:
        assert search(shipped, f"qqxv {word} zzkw ").hits, word


def test_a_pack_holding_all_the_words_comes_before_pages_holding_some(tmp_path):
    from binder.content.build import build_store
    from binder.content.packs import add_pack
    from binder.paths import pack_paths
    from binder.search.library import Library
    from tests.conftest import SAMPLE_PAGES, write_pages
    from tests.test_survival import AGENCY_PAGE

    shipped, data = tmp_path / "content.db", tmp_path / "data"
    build_store(write_pages(tmp_path / "v1", SAMPLE_PAGES), shipped)
    page = AGENCY_PAGE.replace("county channel", "county channel; carry a tourniquet")
    add_pack(write_pages(tmp_path / "pack", {"sop/lockdown.md": page}), data, name="County")
    library = Library.open(shipped, pack_paths(data))
    results = library.search("lockdown tourniquet ")
    library.close()
    assert [hit.doc_id for hit in results if hit.tier < 4] == ["lockdown", "lockdown"]
    assert not results.partial


def test_a_rare_word_in_a_title_outweighs_two_common_words(tmp_path):
    # "how long can a tourniquet stay on": six guides say "long" and "stay", only the
    # Tourniquet page says "tourniquet" (and in its title); no page has all three
    from binder.content.build import build_store
    from tests.conftest import CHECKLIST, GUIDE, write_pages

    pages = {"casualty-care/tourniquet.md": CHECKLIST}
    for n in range(6):
        pages[f"response/guide-{n}.md"] = GUIDE.replace(
            "title: Casualty guide", f"title: Guide {n}").replace(
            "Casualties go to", "Casualties stay a long time at").split("See the")[0]
    build_store(write_pages(tmp_path / "c", pages), tmp_path / "c.db")
    conn = sqlite3.connect(tmp_path / "c.db")
    results = search(conn, "how long can a tourniquet stay on")
    conn.close()
    assert results.partial
    assert pages_of(results, 1) == ["tourniquet"]


def test_in_the_page_tier_a_page_titled_with_a_word_comes_first(tmp_path):
    # both pages hold both words far apart; the second in binder order has "media" in its
    # title: it comes first
    from binder.content.build import build_store
    from tests.conftest import GUIDE, write_pages

    filler = " ".join(["and then the rest"] * 5)
    pages = {}
    for n, title in enumerate(["A page about staging", "Media and staging"]):
        pages[f"response/g{n}.md"] = GUIDE.replace("title: Casualty guide", f"title: {title}") \
            .replace("Casualties go to", f"The media {filler} stand near").split("See the")[0]
    build_store(write_pages(tmp_path / "c", pages), tmp_path / "c.db")
    conn = sqlite3.connect(tmp_path / "c.db")
    results = search(conn, "media stand")
    conn.close()
    assert [(hit.doc_id, hit.tier) for hit in results] == [("g1", 3), ("g0", 3)]


def test_a_short_form_still_being_typed_after_an_unknown_word_finds_its_pages(shipped):
    results = search(shipped, "qqxv IC")
    assert results.partial and "command-post" in pages_of(results, 5)


def test_the_third_keystroke_of_a_word_whose_stem_is_shorter_finds_the_word(shipped):
    # "using" is indexed as its stem "us": "usi" begins no stem, so it must be completed to the
    # binder's whole words it begins, as "reunifi" is
    assert "using" in {row[0] for row in shipped.execute("SELECT term FROM terms")}
    assert search(shipped, "usi").hits


def test_every_keystroke_of_a_word_the_binder_has_finds_something(shipped):
    # the indexes hold stems ("reunif", "stage"): "reunifi" and "stagi" begin none of them
    # Every word of the binder is in `terms`, some only in page bodies, whose index keeps no
    # prefix shorter than three letters (a one- or two-letter word being typed is asked of
    # titles, tags, summaries and steps): those are checked from their third letter.
    words = ["reunification", "staging", "notifiers", "families", "tourniquets", "evacuees"]
    sampled = [row[0] for row in shipped.execute("SELECT term FROM terms ORDER BY term")][::40]
    for word in words + sampled:
        for end in range(1 if word in words else 3, len(word) + 1):
            assert search(shipped, word[:end]).hits, word[:end]


@pytest.mark.parametrize("words", ["PIO", "peer support", "tourniquets", "active shooter",
                                   "how do I apply for EFLEA", "media"])
def test_the_first_hits_are_the_same_however_many_are_asked_for(shipped, words):
    """`binder search -n 2` lists the window's first two hits, in the window's order."""
    def firsts(limit: int) -> list[str]:
        return [hit.step_id or hit.doc_id for hit in search(shipped, words, limit=limit)]

    assert firsts(2) == firsts(20)[:2]
    assert firsts(5) == firsts(20)[:5]
