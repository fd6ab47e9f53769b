"""A damaged content.db or pack is refused at start with a message, never half-read."""

import sqlite3
from pathlib import Path

import pytest

from binder.content import content_check
from binder.content.store import ContentStore, StoreError
from binder.search.library import Library


def page_size(path: Path) -> int:
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return size


def zero_page_of(path: Path, table: str) -> None:
    """Overwrite the root page of a table with zeros, as a bad sector would."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    size = page_size(path)
    data = bytearray(path.read_bytes())
    data[(root - 1) * size:root * size] = bytes(size)
    path.write_bytes(bytes(data))


def scramble_index(path: Path, index: str) -> None:
    """Change some bytes inside a search index's data, leaving every SQLite page well formed."""
    conn = sqlite3.connect(path)
    conn.execute(f"UPDATE {index}_data SET block = substr(block, 1, length(block) - 6) "
                 "|| x'ffffffffffff' WHERE id = (SELECT max(id) FROM "
                 f"{index}_data WHERE id > 10)")
    conn.commit()
    conn.close()


def test_the_built_content_passes_the_check(content_db):
    store = ContentStore(content_db)
    assert store.document_count() == 4
    store.close()


def test_a_damaged_page_refuses_the_content_with_a_message(content_db):
    zero_page_of(content_db, "steps")
    with pytest.raises(StoreError, match="is damaged and cannot be read") as raised:
        ContentStore(content_db)
    assert str(content_db) in str(raised.value) and "Reinstall Binder" in str(raised.value)


@pytest.mark.parametrize("index", ["heads_fts", "steps_fts", "body_fts"])
def test_a_damaged_search_index_refuses_the_content(content_db, index):
    scramble_index(content_db, index)
    with pytest.raises(StoreError, match="is damaged.*search index"):
        ContentStore(content_db)


def test_a_search_index_that_misses_pages_refuses_the_content(content_db):
    conn = sqlite3.connect(content_db)
    conn.execute("DELETE FROM heads_fts_data WHERE id > 10")  # its pages no longer found
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="search index heads_fts"):
        ContentStore(content_db)


def test_a_damaged_pack_is_left_out_and_named(content_db, tmp_path):
    pack = tmp_path / "packs" / "county.db"
    pack.parent.mkdir()
    pack.write_bytes(content_db.read_bytes())
    scramble_index(pack, "steps_fts")
    library = Library.open(content_db, [pack])
    assert library.packs == []
    [problem] = library.problems
    assert problem.startswith("The agency pack county.db was left out") and "damaged" in problem
    library.close()


def test_a_sound_file_is_checked_once_and_again_when_it_changes(content_db, tmp_path):
    marker = tmp_path / "data" / "content-checked.json"
    marker.parent.mkdir()
    ContentStore(content_db, marker).close()
    assert str(content_db.resolve()) in marker.read_text()
    content_check._checked.clear()  # a new start of the program: only the marker remembers
    ContentStore(content_db, marker).close()
    scramble_index(content_db, "heads_fts")  # a different file now (size or time)
    with pytest.raises(StoreError, match="is damaged"):
        ContentStore(content_db, marker)


def test_the_bundle_checks_in_a_worker_process_that_may_crash(content_db, tmp_path):
    assert content_check._check_in_worker(content_db) == ""
    copy = tmp_path / "copy.db"
    copy.write_bytes(content_db.read_bytes())
    zero_page_of(content_db, "documents")
    assert "malformed" in content_check._check_in_worker(content_db)
    scramble_index(copy, "steps_fts")  # FTS5's own check crashes on this (SQLite 3.40)
    assert "search index is damaged" in content_check._check_in_worker(copy)
