"""A checklist's `key_steps` front matter: checked by `binder check` (file and line), built into
content.db and read back in order."""

import pytest

from binder.content.build import build_store
from binder.content.check import check_content
from binder.content.content import ContentErrors
from binder.content.store import ContentStore
from tests.conftest import CHECKLIST, REPO, SAMPLE_PAGES, write_pages

KEYED = CHECKLIST.replace("roles: [Any officer, EMS]\n",
                          "roles: [Any officer, EMS]\nkey_steps: [time, cover]\n")


def pages(tourniquet: str) -> dict[str, str]:
    return {**SAMPLE_PAGES, "casualty-care/tourniquet.md": tourniquet}


def test_key_steps_are_stored_in_the_order_the_page_gives(tmp_path):
    folder = write_pages(tmp_path / "content", pages(KEYED))
    build_store(folder, tmp_path / "content.db")
    store = ContentStore(tmp_path / "content.db")
    assert store.document("tourniquet").key_steps == ("tourniquet/time", "tourniquet/cover")
    assert store.document("casualty-guide").key_steps == ()
    store.close()


@pytest.mark.parametrize("value, message", [
    ("[time, radio-in]", "key step 'radio-in' is not a step of this page (its step ids: "
                         "cover, apply-high, time)"),
    ("time", "'key_steps' must be a list of this page's step ids, e.g. [assume-command, "
             "set-objectives]"),
])
def test_an_unknown_key_step_is_an_error_at_its_line(tmp_path, value, message):
    page = CHECKLIST.replace("roles: [Any officer, EMS]\n",
                             f"roles: [Any officer, EMS]\nkey_steps: {value}\n")
    folder = write_pages(tmp_path / "content", pages(page))
    found = [str(f) for f in check_content(folder) if not f.warning]
    assert found == [f"casualty-care/tourniquet.md:8: {message}"]
    with pytest.raises(ContentErrors) as refused:
        build_store(folder, tmp_path / "content.db")
    assert str(refused.value) == f"casualty-care/tourniquet.md:8: {message}"
    assert not (tmp_path / "content.db").exists()


def test_the_shipped_checklists_name_their_key_steps(shipped_db):
    store = ContentStore(shipped_db)
    try:
        assert store.document("command-post").key_steps == (
            "command-post/assume-command", "command-post/place-command-post",
            "command-post/form-unified-command", "command-post/set-objectives")
        assert "active-assailant-first-minutes/designate-ccp" in store.document(
            "active-assailant-first-minutes").key_steps
        assert "perimeter-staging-media/announce-first-briefing" in store.document(
            "perimeter-staging-media").key_steps
        assert "reunification-checklist/refer-to-fac" in store.document(
            "reunification-checklist").key_steps
    finally:
        store.close()
    assert REPO.joinpath("content/response/command-post.md").is_file()


def test_content_built_before_key_steps_is_still_read(tmp_path):
    """An agency pack built by the Binder before (content version 2: no key_steps table) stays
    readable after an update, instead of leaving the binder until it is added again."""
    import sqlite3

    from binder.content.packs import add_pack, list_packs

    folder = write_pages(tmp_path / "county", pages(KEYED))
    add_pack(folder, tmp_path / "data", "County")
    [pack] = list_packs(tmp_path / "data")
    with sqlite3.connect(pack.path) as db:  # as the Binder before wrote it
        db.execute("DROP TABLE key_steps")
        db.execute("PRAGMA user_version = 2")
    db.close()
    store = ContentStore(pack.path)
    assert store.document("tourniquet").title == "Tourniquet"
    assert store.document("tourniquet").key_steps == ()
    store.close()
