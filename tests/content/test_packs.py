"""Agency content packs: added whole or not at all, listed, updated, removed, and searchable."""

import datetime as dt
import sqlite3

import pytest

from binder.content.limits import MAX_PAGE_BYTES
from binder.content.packs import (
    PackError,
    add_pack,
    list_packs,
    pack_id_for,
    pack_paths,
    remove_pack,
    update_pack,
)
from binder.content.store import ContentStore
from binder.search.search import search
from tests.conftest import write_pages
from tests.content.test_importer import AGENCY_CHECKLIST, AGENCY_GUIDE, PAGERDUTY, SHIPPED

TODAY = dt.date(2026, 11, 23)
TOURNIQUET = AGENCY_CHECKLIST.replace("title: Lockdown", "title: Tourniquet (county)").replace(
    "Announce the lockdown on the radio", "Cinch the county tourniquet")


def agency_folder(tmp_path, **changes):
    pages = {"response/lockdown.md": AGENCY_CHECKLIST, "guides/shelter.md": AGENCY_GUIDE,
             "response/tourniquet.md": TOURNIQUET, "notes/radio.md": "# Radio\n\nChannel 2.\n"}
    pages.update(changes)
    return write_pages(tmp_path / "County Sheriff", {k: v for k, v in pages.items() if v})


def add(folder, data, **kwargs):
    return add_pack(folder, data, known_ids=SHIPPED, today=TODAY, **kwargs)


def test_a_pack_is_built_into_its_own_database_that_opens_like_content_db(tmp_path):
    data = tmp_path / "data"
    report = add(agency_folder(tmp_path), data)
    assert (report.pack_id, report.name) == ("county-sheriff", "County Sheriff")
    assert report.overrides == ["tourniquet"]
    assert [str(f) for f in report.findings] == [
        "notes/radio.md:1: warning: no front matter: imported as a guide titled 'Radio'"]
    assert pack_paths(data) == [data / "packs" / "county-sheriff.db"]
    store = ContentStore(data / "packs" / "county-sheriff.db")
    assert store.meta("pack_name") == "County Sheriff"
    assert store.meta("pack_source") == str((tmp_path / "County Sheriff").resolve())
    assert dt.datetime.fromisoformat(store.meta("pack_added")).tzinfo is not None
    assert store.document_count() == 4
    lockdown = store.document("lockdown")
    assert [s.id for s in lockdown.steps] == ["lockdown/announce", "lockdown/guide",
                                              "lockdown/tq"]
    assert 'href="binder:shelter#rooms"' in lockdown.html
    hits = search(store.conn, "announce lockdown")
    assert hits[0].doc_id == "lockdown"
    assert any(h.kind == "step" and h.step_id == "lockdown/announce" for h in hits)
    step_hits = search(store.conn, "cinch")
    assert (step_hits[0].kind, step_hits[0].step_id) == ("step", "tourniquet/announce")
    assert store.document("radio").sources == [{"name": "County Sheriff (agency content)",
                                                "url": ""}]


def test_a_pack_with_errors_writes_nothing_and_lists_every_problem(tmp_path):
    data = tmp_path / "data"
    folder = agency_folder(tmp_path)
    add(folder, data)
    before = (data / "packs" / "county-sheriff.db").read_bytes()
    write_pages(folder, {
        "response/broken.md": "---\ntitle: [oops\n---\n",
        "guides/shelter.md": AGENCY_GUIDE + "See [the map](maps/county.md).\n",
    })
    with pytest.raises(PackError) as caught:
        add(folder, data)
    error = caught.value
    assert [str(f) for f in error.findings] == [
        "guides/shelter.md:14: link to a page that does not exist: 'county'",
        "response/broken.md:2: front matter is not valid YAML: expected ',' or ']', but got "
        "'<stream end>'",
    ]
    assert [f.path for f in error.warnings] == ["notes/radio.md"]
    assert str(error).startswith("'County Sheriff' was not added: 2 problems in ")
    assert (data / "packs" / "county-sheriff.db").read_bytes() == before
    assert [p.name for p in (data / "packs").iterdir()] == ["county-sheriff.db"]
    with pytest.raises(PackError):
        add(folder, data, name="Another")
    assert not (data / "packs" / "another.db").exists()


def test_list_update_and_remove(tmp_path):
    data = tmp_path / "data"
    assert list_packs(data) == [] and pack_paths(data) == []
    folder = agency_folder(tmp_path)
    add(folder, data)
    add(write_pages(tmp_path / "other", {"a.md": "# A\n"}), data, name="Ältere Seiten")
    infos = list_packs(data)
    assert [(i.pack_id, i.name, i.pages, i.problem) for i in infos] == [
        ("altere-seiten", "Ältere Seiten", 1, ""), ("county-sheriff", "County Sheriff", 4, "")]
    assert infos[1].source == str(folder.resolve()) and infos[1].path.is_file()
    # Updating: the folder again, under the same name; the pack is replaced whole.
    write_pages(folder, {"notes/radio.md": "# Radio\n\nChannel 3.\n", "new.md": "# New\n"})
    (folder / "guides" / "shelter.md").unlink()
    for rel, text in (("lockdown.md", AGENCY_CHECKLIST), ("tourniquet.md", TOURNIQUET)):
        (folder / "response" / rel).write_text(
            text.replace("../guides/shelter.md#rooms", "../new.md"))
    report = update_pack(data, "county-sheriff", known_ids=SHIPPED, today=TODAY)
    assert sorted(d.id for d in report.docs) == ["lockdown", "new", "radio", "tourniquet"]
    store = ContentStore(data / "packs" / "county-sheriff.db")
    assert store.document("shelter") is None and "Channel 3" in store.document("radio").html
    store.close()
    remove_pack(data, "county-sheriff")
    assert [i.pack_id for i in list_packs(data)] == ["altere-seiten"]
    with pytest.raises(PackError, match="no pack 'county-sheriff'"):
        remove_pack(data, "county-sheriff")
    with pytest.raises(PackError, match="not a pack id"):
        remove_pack(data, "../journal")
    with pytest.raises(PackError, match="no pack"):
        update_pack(data, "county-sheriff")


def test_a_damaged_pack_file_is_listed_with_its_problem(tmp_path):
    data = tmp_path / "data"
    (data / "packs").mkdir(parents=True)
    (data / "packs" / "junk.db").write_bytes(b"not a database at all" * 100)
    (data / "packs" / ".junk.db.123.tmp").write_bytes(b"")
    [info] = list_packs(data)
    assert info.pack_id == "junk" and info.pages == 0 and info.problem
    with pytest.raises(PackError, match="cannot be read"):
        update_pack(data, "junk")
    remove_pack(data, "junk")
    assert pack_paths(data) == []


@pytest.mark.skipif(not PAGERDUTY.is_dir(), reason="the shared fixtures are not here")
def test_the_pagerduty_docs_become_a_searchable_pack(tmp_path):
    report = add(PAGERDUTY, tmp_path / "data")
    assert report.pack_id == "pagerduty-incident-response-docs" and len(report.docs) == 36
    assert len(report.findings) == 36 and report.overrides == []
    store = ContentStore(tmp_path / "data" / "packs" / f"{report.pack_id}.db")
    sections = dict(store.sections())
    assert sections["Response"] == []  # its own sections, after the shipped ones
    assert sections["pagerduty-incident-response-docs › During"][0].kind == "guide"
    assert search(store.conn, "incident commander")[0].title == "Incident commander"
    glossary = store.document("training-glossary")
    assert glossary.title == "Glossary"
    severity = store.document("severity-levels")
    assert '<div class="admonition tip">' in severity.html and "!!!" not in severity.html


def test_a_page_just_under_the_size_limit_is_added_and_found(tmp_path):
    words = "The command post logs every call and every decision. " * 8
    part = "## Part {0}\n\n" + words + "\n\n"
    text = "# Manual\n\n" + "".join(part.format(i) for i in range(1_150)) + "zebrafinch\n"
    assert 400_000 < len(text.encode()) <= MAX_PAGE_BYTES  # 5 MB once: now past the limit
    folder = write_pages(tmp_path / "big", {"manual.md": text})
    add(folder, tmp_path / "data")
    conn = sqlite3.connect(tmp_path / "data" / "packs" / "big.db")
    assert [h.doc_id for h in search(conn, "zebrafinch")] == ["manual"]


def test_pack_ids_from_names():
    assert pack_id_for("County Sheriff") == "county-sheriff"
    assert pack_id_for("Page") == "page"
    assert pack_id_for("消防") != pack_id_for("警察")
    assert pack_id_for("消防").startswith("pack-")
