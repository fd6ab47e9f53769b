"""Building content.db: a pure function of the folder, all or nothing, and readable errors."""

import sqlite3

import pytest

from binder.content.build import build_store
from binder.content.content import SECTIONS, ContentErrors
from binder.content.store import ContentStore, StoreError
from tests.conftest import write_pages


def test_build_stores_pages_steps_and_search_index(content_db):
    store = ContentStore(content_db)
    assert store.document_count() == 4
    doc = store.document("tourniquet")
    assert doc.title == "Tourniquet" and doc.kind == "checklist"
    assert [s.id for s in doc.steps] == ["tourniquet/cover", "tourniquet/apply-high",
                                         "tourniquet/time"]
    assert doc.sources == [{"name": "BJA VALOR Casualty Care Toolkit",
                            "url": "https://www.valorforblue.org/"}]
    assert [b["step"] for b in doc.blocks if b["step"]] == [s.id for s in doc.steps]
    assert "<h2" in doc.html and "&#9744; Move to cover if you can" in doc.html
    count = "SELECT count(*) FROM {0} WHERE {0} MATCH 'tourniquet'"
    assert store.conn.execute(count.format("heads_fts")).fetchone()[0] == 1  # its title
    assert store.conn.execute(count.format("steps_fts")).fetchone()[0] == 2
    assert store.conn.execute(count.format("body_fts")).fetchone()[0] == 2  # and the guide


def test_sections_come_in_binder_order_with_their_pages(content_db):
    sections = ContentStore(content_db).sections()
    assert [name for name, _ in sections] == list(SECTIONS)
    by_name = dict(sections)
    assert [d.id for d in by_name["Casualty care"]] == ["tourniquet"]
    assert by_name["Wellness"] == []


def test_same_folder_gives_the_same_database(tmp_path, content_dir):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    build_store(content_dir, first)
    build_store(content_dir, second)
    dump = [list(sqlite3.connect(p).iterdump()) for p in (first, second)]
    assert dump[0] == dump[1]
    (content_dir / "funding" / "eflea.md").write_text(
        (content_dir / "funding" / "eflea.md").read_text().replace("Director", "Director."))
    build_store(content_dir, second)
    assert ContentStore(first).revision != ContentStore(second).revision


def test_bad_page_leaves_the_previous_database_untouched(tmp_path, content_dir, content_db):
    before = content_db.read_bytes()
    write_pages(content_dir, {"response/broken.md": "---\ntitle: [oops\n---\n"})
    with pytest.raises(ContentErrors) as caught:
        build_store(content_dir, content_db)
    assert str(caught.value.errors[0]).startswith("response/broken.md:2: ")
    assert content_db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_missing_database_says_where_and_how_to_build(tmp_path):
    with pytest.raises(StoreError, match="not found at .*nothing.db.*binder build"):
        ContentStore(tmp_path / "nothing.db")


def test_damaged_database_says_so(tmp_path):
    damaged = tmp_path / "content.db"
    damaged.write_bytes(b"this is not a database" * 200)
    with pytest.raises(StoreError, match="is damaged"):
        ContentStore(damaged)


def test_database_of_another_version_is_refused(tmp_path, content_db):
    conn = sqlite3.connect(content_db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="version 99"):
        ContentStore(content_db)
