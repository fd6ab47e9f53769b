"""The judged relevance set scored on the shipped content, and the scorer itself."""

import pytest

from binder.search.library import Library
from binder.search.query import STOP_WORDS, WORD
from binder.search.spelling import unknown_words
from tests.conftest import write_pages
from tests.relevance.scoring import (
    SetError,
    load,
    misses,
    score,
    score_content,
    score_library,
    table,
)

# The goal of issue 12: the right page in the top three for 95% of the queries, first for 85%,
# and "no query with a content word that the binder has finds nothing". A query whose every
# word is one no page has in any form ("roadblocks") may find nothing: it still counts as a
# miss in the top-1 and top-3 rates, and the bench lists it.
TOP3, TOP1, NOTHING = 0.95, 0.85, 0.0


@pytest.fixture(scope="module")
def library(shipped_db):
    library = Library.open(shipped_db)
    yield library
    library.close()


@pytest.fixture(scope="module")
def outcomes(library):
    return score_library(library)


def holds_a_binder_word(conn, text: str) -> bool:
    """Some word of the query (a stop word aside) is a word some page has, in some form."""
    words = [word for word in WORD.findall(text.lower()) if word not in STOP_WORDS]
    return len(unknown_words(conn, words)) < len(words)


def report(outcomes) -> str:
    return f"\n{table(outcomes)}\n\nNot first:\n{misses(outcomes)}"


@pytest.mark.parametrize("split", ["all", "heldout"])
def test_the_right_page_comes_first_or_in_the_top_three(library, outcomes, split):
    chosen = [o for o in outcomes if split == "all" or o.judged.split == split]
    s = score(chosen)
    assert s.count >= 120
    empty = [o for o in chosen if not o.pages and holds_a_binder_word(library.conn, o.judged.query)]
    nothing = len(empty) / s.count
    assert (s.top3 >= TOP3 and s.top1 >= TOP1 and nothing <= NOTHING), (
        f"{split}: top-3 {s.top3:.2f} (goal {TOP3}), top-1 {s.top1:.2f} (goal {TOP1}), "
        f"nothing found with a word the binder has {nothing:.2f} (goal {NOTHING}): "
        f"{[o.judged.query for o in empty]}{report(outcomes)}")


def test_the_set_is_big_enough_and_split_in_halves(outcomes):
    by_split = {split: [o for o in outcomes if o.judged.split == split]
                for split in ("dev", "heldout")}
    assert len(outcomes) >= 240
    assert abs(len(by_split["dev"]) - len(by_split["heldout"])) <= 10
    for style in {o.judged.style for o in outcomes}:
        assert all(any(o.judged.style == style for o in half) for half in by_split.values())


PAGE = """\
---
title: {title}
kind: guide
section: Response
summary: {summary}
tags: [{tag}]
sources:
  - name: Test source
    url: https://example.org/
reviewed: 2026-11-01
---
{body}
"""


def page(title: str, body: str, tag: str = "marker") -> str:
    return PAGE.format(title=title, summary=f"About {title.lower()}.", tag=tag, body=body)


def small_binder(tmp_path):
    """Three pages with "zebra" in the title, and one with it only in its body."""
    pages = {f"response/zebra-{n}.md": page(f"Zebra {n}", "Stripes.") for n in ("a", "b", "c")}
    pages["response/plains.md"] = page("Plains", "A zebra crosses the plains.")
    return write_pages(tmp_path / "content", pages)


def judged_file(tmp_path, rows: list[str]):
    path = tmp_path / "set.tsv"
    path.write_text("# a comment\nrole\tstyle\tquery\tright_pages\n" + "\n".join(rows) + "\n")
    return {"dev": path}


def test_the_scorer_counts_a_fourth_place_as_outside_the_top_three(tmp_path):
    splits = judged_file(tmp_path, [
        "medic\tshort\tzebra\tplains",  # only in a body: fourth
        "medic\tshort\tzebra b\tzebra-b zebra-a",  # its own title: first
        "medic\tshort\tqqqxxj\tplains",  # nothing has it
    ])
    outcomes, revision = score_content(small_binder(tmp_path), splits)
    assert revision
    assert [o.rank for o in outcomes] == [4, 1, None]
    assert outcomes[0].pages[3] == "plains" and not outcomes[2].pages
    s = score(outcomes)
    assert (s.count, s.top1, s.top3, s.nothing) == (3, 1 / 3, 1 / 3, 1 / 3)
    assert s.mrr == pytest.approx((1 / 4 + 1) / 3)
    assert "| dev | short | zebra | 4 |" in misses(outcomes)
    assert "| dev | short | qqqxxj | nothing found |" in misses(outcomes)
    assert "zebra b" not in misses(outcomes)


def test_a_bad_line_or_an_unknown_page_is_named_with_its_line(tmp_path):
    splits = judged_file(tmp_path, ["medic\tshort\tzebra"])
    with pytest.raises(SetError, match=r"set.tsv:3: a query needs four"):
        load(splits["dev"], "dev")
    splits = judged_file(tmp_path, ["medic\tshort\tzebra\tplains", "ops\tshort\tx\tno-such"])
    with pytest.raises(SetError, match=r"set.tsv:4: no page no-such in the binder"):
        score_content(small_binder(tmp_path), splits)
