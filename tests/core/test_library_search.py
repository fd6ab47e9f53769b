"""The shipped content and the agency packs searched as one: ranked together, each page once,
snippets only for the hits returned, any number of packs."""

import pytest

from binder.core import snippets
from binder.core.build import write_database
from binder.core.content import load_content
from binder.core.library import Library
from binder.core.search import search
from tests.conftest import write_pages


def page(title: str, summary: str, step: str = "Call the desk", tags: str = "desk") -> str:
    return f"""\
---
title: {title}
kind: checklist
section: Response
summary: {summary}
tags: [{tags}]
roles: [Any officer]
sources:
  - name: County plan
    url: https://example.org/plan
reviewed: 2026-10-01
---
## Now
- [ ] {step} {{#first}}
"""


def make_pack(tmp_path, name: str, pages: dict[str, str]):
    folder = write_pages(tmp_path / "folders" / name, pages)
    out = tmp_path / "packs" / f"{name}.db"
    write_database(load_content(folder), name, out, {"pack_name": name})
    return out


@pytest.fixture
def open_library(content_db):
    opened = []

    def make(*packs):
        library = Library.open(content_db, list(packs))
        opened.append(library)
        return library

    yield make
    for library in opened:
        library.close()


def test_a_pack_title_ranks_above_a_shipped_summary_in_the_same_tier(tmp_path, open_library):
    pack = make_pack(tmp_path, "County", {"response/transport.md": page(
        "Patient transport", "Move the injured to the hospitals.")})
    hits = open_library(pack).search("transport ").hits
    assert [(h.doc_id, h.pack, h.tier) for h in hits[:2]] == [("transport", "County", 1),
                                                             ("casualty-guide", "", 1)]


def test_a_replaced_page_is_found_once_in_its_pack(tmp_path, open_library):
    pack = make_pack(tmp_path, "County", {"casualty-care/tourniquet.md": page(
        "Tourniquet", "The county's own tourniquet steps.", "Cinch it tight", "TQ")})
    hits = open_library(pack).search("tourniquet ").hits
    mine = [h for h in hits if h.doc_id == "tourniquet"]
    assert [(h.kind, h.pack) for h in mine] == [("page", "County")]
    assert "tourniquet/cover" not in [h.step_id for h in hits]  # the shipped page's step


def test_snippets_are_made_only_for_the_hits_returned(tmp_path, open_library, monkeypatch):
    packs = [make_pack(tmp_path, f"Pack {n}", {
        f"response/desk-{n}.md": page(f"Desk {n}", "Call the desk now."),
        f"response/line-{n}.md": page(f"Line {n}", "Another desk line.")}) for n in range(3)]
    library = open_library(*packs)
    made = []
    real = snippets.highlight
    monkeypatch.setattr(snippets, "highlight", lambda text, query: made.append(text)
                        or real(text, query))
    hits = library.search("desk ", limit=4).hits
    assert len(hits) == 4 and len(made) == 4


def test_more_packs_than_sqlite_attaches_to_one_connection_are_all_searched(
        tmp_path, open_library):
    packs = [make_pack(tmp_path, f"Pack {n:02}", {f"response/unit-{n}.md": page(
        f"Unit {n}", f"Word{n}x is this pack's own word.", "Call the zebra desk")})
        for n in range(14)]
    library = open_library(*packs)
    for n in (0, 9, 10, 13):
        [hit] = library.search(f"word{n}x ").hits
        assert (hit.doc_id, hit.pack) == (f"unit-{n}", f"Pack {n:02}")
    zebra = library.search("zebra ", limit=50).hits
    steps = {h.pack for h in zebra if h.kind == "step"}
    assert sorted(steps) == [f"Pack {n:02}" for n in range(14)]


def test_with_packs_the_shipped_pages_rank_as_they_do_alone(tmp_path, open_library,
                                                            content_db):
    pack = make_pack(tmp_path, "County", {"response/lockdown.md": page(
        "Lockdown", "Lock the building down.")})
    library = open_library(pack)
    for typed in ("tourniquet", "tourniquet ", "cover ", "overtime", "casualty collection",
                  "TQ ", "warm zone "):
        alone = search(library.conn, typed)
        joined = library.search(typed)
        assert [(h.doc_id, h.step_id, h.snippet_html) for h in joined.hits] == [
            (h.doc_id, h.step_id, h.snippet_html) for h in alone.hits], typed


def test_a_misspelling_is_corrected_when_nothing_is_found(tmp_path, open_library):
    pack = make_pack(tmp_path, "County", {"response/lockdown.md": page(
        "Lockdown", "Lock the building down.")})
    results = open_library(pack).search("tourniqet ")
    assert results.corrected.strip() == "tourniquet"
    assert results.hits[0].doc_id == "tourniquet"


def test_a_pack_gone_before_it_is_attached_is_a_problem_not_a_crash(tmp_path, content_db):
    from binder.core.store import ContentStore

    path = make_pack(tmp_path, "County", {"response/lockdown.md": page(
        "Lockdown", "Lock the building down.")})
    pack = ContentStore(path)
    path.unlink()  # removed by `binder pack remove` while this window was starting
    library = Library(ContentStore(content_db), [("County", pack)])
    [problem] = library.problems
    assert problem.startswith("The agency packs cannot be searched (unable to open")
    assert library.search("tourniquet ").hits[0].doc_id == "tourniquet"
    library.close()
