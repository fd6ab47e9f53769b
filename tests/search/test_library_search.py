"""The shipped content and the agency packs searched as one index: ranked together, each page
once, snippets only for the hits returned, any number of packs; the index made again whenever
what it is made of changes, and a damaged one made again."""

import sqlite3

import pytest

from binder.content.build import build_store, write_database
from binder.content.content import load_content
from binder.content.store import ContentStore
from binder.search import snippets
from binder.search.library import Library
from binder.search.search import search
from tests.conftest import write_pages
from tests.content.test_content_damage import scramble_index


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
def index_dir(tmp_path):
    return tmp_path / "data" / "search"


@pytest.fixture
def open_library(content_db, index_dir):
    """The binder over these packs with its search index, built if it is missing (as the
    window and the CLI do)."""
    opened = []

    def make(*packs, build=True):
        library = Library.open(content_db, list(packs), index_dir=index_dir)
        opened.append(library)
        if build and library.needs_index:
            library.build_index()
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
    assert library.index is not None
    for typed in ("tourniquet", "tourniquet ", "cover ", "overtime", "casualty collection",
                  "TQ ", "warm zone "):
        alone = search(library.conn, typed)
        joined = library.search(typed)
        assert [(h.doc_id, h.step_id, h.snippet_html) for h in joined.hits] == [
            (h.doc_id, h.step_id, h.snippet_html) for h in alone.hits], typed


def test_the_index_holds_what_one_build_of_every_page_would(tmp_path, open_library,
                                                           content_dir, index_dir):
    """The index, copied from the stores, is the database that building the shipped pages and
    the pack's together would make (the pack's page in place of the shipped one): same rows in
    the same order, same words in every full-text index."""
    county = {"casualty-care/tourniquet.md": page("Tourniquet", "The county's steps.",
                                                 "Cinch it **tight**", "TQ"),
              "response/lockdown.md": page("Lockdown", "Lock the [building](https://x.org).")}
    library = open_library(make_pack(tmp_path, "County", county))
    docs = [d for d in load_content(content_dir) if d.id != "tourniquet"]
    docs += load_content(write_pages(tmp_path / "folders" / "County", {}))
    together = tmp_path / "together.db"
    write_database(docs, "x", together)
    one, index = sqlite3.connect(together), sqlite3.connect(library.index_path)
    for sql in ("SELECT rowid, * FROM documents", "SELECT rowid, * FROM steps",
                "SELECT * FROM synonyms ORDER BY 1, 2"):
        assert one.execute(sql).fetchall() == index.execute(sql).fetchall(), sql
    for fts in ("heads_fts", "steps_fts", "body_fts"):
        sql = f"CREATE VIRTUAL TABLE temp.{fts}_words USING fts5vocab(main, {fts}, 'instance')"
        one.execute(sql)
        index.execute(sql)
        sql = f"SELECT * FROM temp.{fts}_words"
        assert one.execute(sql).fetchall() == index.execute(sql).fetchall(), fts
    assert index.execute("SELECT doc_id, pack FROM doc_pack WHERE pack != ''").fetchall() == [
        ("lockdown", "County"), ("tourniquet", "County")]
    one.close()
    index.close()


def test_the_index_is_made_again_when_a_pack_comes_or_goes_or_the_content_changes(
        tmp_path, open_library, content_dir, content_db, index_dir):
    first = make_pack(tmp_path, "County", {"response/lockdown.md": page(
        "Lockdown", "Lock the building down.")})
    library = open_library(first)
    before = library.index_path
    assert [p.name for p in index_dir.glob("*.db")] == [before.name]
    second = make_pack(tmp_path, "City", {"response/curfew.md": page(
        "Curfew", "Nobody out after dark.")})
    assert open_library(first, second, build=False).needs_index  # another pack: another index
    library = open_library(first, second)
    assert library.search("curfew ").hits[0].pack == "City"
    assert [p.name for p in index_dir.glob("*.db")] == [library.index_path.name]  # old gone
    assert open_library(first, build=False).needs_index  # its file was removed as out of date
    write_pages(content_dir, {"response/new.md": page("Shelter", "Open the gym.")})
    build_store(content_dir, content_db)  # a new Binder's content, same packs
    library = open_library(first, second, build=False)
    assert library.needs_index and library.search("shelter ").hits[0].doc_id == "new"
    library.build_index()
    assert library.search("shelter ").hits[0].doc_id == "new"
    assert open_library(build=False).index is None  # no packs: no index, and no file
    assert list(index_dir.glob("*.db")) == []


@pytest.mark.parametrize("damage", ["garbage", "cut short", "search index"])
def test_a_damaged_index_file_is_made_again(tmp_path, open_library, index_dir, damage):
    pack = make_pack(tmp_path, "County", {"response/lockdown.md": page(
        "Lockdown", "Lock the building down.")})
    path = open_library(pack).index_path
    if damage == "garbage":
        path.write_bytes(b"not a database at all" * 100)
    elif damage == "cut short":
        path.write_bytes(path.read_bytes()[:4096])
    else:
        scramble_index(path, "heads_fts")
    library = open_library(pack, build=False)
    assert library.needs_index and library.problems == []
    assert library.search("lockdown ").hits[0].pack == "County"  # meanwhile: each store
    library.build_index()
    assert library.index is not None
    assert library.search("lockdown ").hits[0].pack == "County"


def test_a_misspelling_is_corrected_when_nothing_is_found(tmp_path, open_library):
    pack = make_pack(tmp_path, "County", {"response/lockdown.md": page(
        "Lockdown", "Lock the building down.")})
    results = open_library(pack).search("tourniqet ")
    assert results.corrected.strip() == "tourniquet"
    assert results.hits[0].doc_id == "tourniquet"


def test_a_pack_gone_before_it_is_indexed_is_a_failure_to_say_not_a_crash(
        tmp_path, content_db, index_dir):
    path = make_pack(tmp_path, "County", {"response/lockdown.md": page(
        "Lockdown", "Lock the building down.")})
    pack = ContentStore(path)
    path.unlink()  # removed by `binder pack remove` while this window was starting
    library = Library(ContentStore(content_db), [("County", pack)], index_dir)
    with pytest.raises(sqlite3.Error, match="unable to open"):
        library.build_index()
    assert library.needs_index and list(index_dir.iterdir()) == []  # nothing half-written
    assert library.search("tourniquet ").hits[0].doc_id == "tourniquet"
    library.close()


def test_the_vocabulary_is_every_stores_summed_with_every_column_they_have(
        tmp_path, open_library, content_db):
    """Corrections read `terms`: a column a store's build adds (how a word sounds) is kept,
    with its index, and a word's page count is the sum of the stores'."""
    pack = make_pack(tmp_path, "County", {"response/lockdown.md": page(
        "Lockdown", "Lock the building down.")})
    for path in (content_db, pack):  # a build without that column: given one here
        conn = sqlite3.connect(path)
        if "sound" not in [row[1] for row in conn.execute("PRAGMA table_info(terms)")]:
            conn.execute("ALTER TABLE terms ADD COLUMN sound TEXT")
            conn.execute("UPDATE terms SET sound = upper(term)")
            conn.execute("CREATE INDEX terms_sound ON terms (sound)")
            conn.commit()
        conn.close()
    stores = [dict((t, (d, s)) for t, d, s in sqlite3.connect(path).execute(
        "SELECT term, docs, sound FROM terms")) for path in (content_db, pack)]
    word = sorted(set(stores[0]) & set(stores[1]))[0]  # a word of both
    only = sorted(set(stores[1]) - set(stores[0]))[0]  # a word of the pack's only
    index = sqlite3.connect(open_library(pack).index_path)
    assert index.execute("SELECT docs, sound FROM terms WHERE term = ?", (word,)).fetchone() == (
        stores[0][word][0] + stores[1][word][0], stores[0][word][1])
    assert index.execute("SELECT docs, sound FROM terms WHERE term = ?", (only,)).fetchone() == (
        stores[1][only])
    assert index.execute("SELECT 1 FROM sqlite_master WHERE name = 'terms_sound'").fetchone()
    index.close()


def test_a_crashed_build_s_temporary_file_is_swept_but_not_one_being_written(
        tmp_path, open_library, index_dir):
    """A build killed half-way leaves its temporary file: once a day old it is removed when an
    index is made; a fresh one may be another process's build in progress, and stays."""
    import os
    import time

    index_dir.mkdir(parents=True, exist_ok=True)
    crashed, busy = index_dir / ".old.111.1.tmp", index_dir / ".new.222.2.tmp"
    for path in (crashed, busy):
        path.write_bytes(b"half an index")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(crashed, (two_days_ago, two_days_ago))
    library = open_library(make_pack(tmp_path, "County", {"response/a.md": page(
        "Lockdown", "Secure the building")}))
    assert library.index is not None
    assert not crashed.exists() and busy.exists()
