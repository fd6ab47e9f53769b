"""Signed pack files: exported on the agency's laptop, added on another, refused with a reason."""

import sqlite3

import pytest

from binder.content.packs import list_packs, pack_path
from binder.sync import packfile
from binder.sync.keys import new_agency_key, trust_agency
from binder.sync.packfile import PackFileError, add_pack_file, export_pack, find_updates
from tests.content.test_packs import AGENCY_CHECKLIST, add, agency_folder

FIRST, LATER = "2026-11-20T10:00:00Z", "2026-11-26T10:00:00Z"


@pytest.fixture
def agency(tmp_path):
    """The agency's laptop with its pack 'County Sheriff', its key, and a laptop that trusts it."""
    key = tmp_path / "agency.key"
    new_agency_key(key)
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    add(agency_folder(tmp_path), office)
    trust_agency(laptop, tmp_path / "agency.key.pub")
    return key, office, laptop


def installed_bytes(data):
    path = pack_path(data, "county-sheriff")
    return path.read_bytes() if path.exists() else None


def test_a_pack_exported_on_one_laptop_is_added_on_another(agency, tmp_path):
    key, office, laptop = agency
    out = tmp_path / "sheriff.binderpack"
    made = export_pack(office, "County Sheriff", key, out, made_at=FIRST)
    pack, changes = add_pack_file(laptop, out)
    assert (pack.name, pack.made_at, pack.revision) == ("County Sheriff", FIRST, made.revision)
    assert sorted(changes.added) == sorted(p["title"] for p in made.pages)
    assert [(i.name, i.pages) for i in list_packs(laptop)] == [("County Sheriff", 4)]
    assert installed_bytes(laptop) == made.database


def refuse(laptop, path, reason, **kwargs):
    before = installed_bytes(laptop)
    with pytest.raises(PackFileError, match=reason):
        add_pack_file(laptop, path, **kwargs)
    assert installed_bytes(laptop) == before


@pytest.fixture
def exported(agency, tmp_path):
    key, office, laptop = agency
    first = tmp_path / "first.binderpack"
    export_pack(office, "County Sheriff", key, first, made_at=FIRST)
    add_pack_file(laptop, first)
    add(agency_folder(tmp_path / "v2", **{"response/lockdown.md": AGENCY_CHECKLIST.replace(
        "Announce the lockdown", "Announce the county lockdown")}), office,
        name="County Sheriff")
    later = tmp_path / "later.binderpack"
    export_pack(office, "County Sheriff", key, later, made_at=LATER)
    return key, office, laptop, first, later


@pytest.mark.parametrize("where", ["header", "database", "signature"])
def test_a_flipped_byte_is_refused_and_the_installed_pack_kept(exported, tmp_path, where):
    _, _, laptop, _, later = exported
    raw = bytearray(later.read_bytes())
    spot = {"header": len(packfile.MAGIC) + 20, "database": len(raw) // 2,
            "signature": len(raw) - 10}[where]
    raw[spot] ^= 0x01
    (tmp_path / "bad.binderpack").write_bytes(bytes(raw))
    refuse(laptop, tmp_path / "bad.binderpack", "signature|header|damaged")


@pytest.mark.parametrize("keep", [5, 400, -1, -130])
def test_a_truncated_file_is_refused(exported, tmp_path, keep):
    _, _, laptop, _, later = exported
    (tmp_path / "cut.binderpack").write_bytes(later.read_bytes()[:keep])
    refuse(laptop, tmp_path / "cut.binderpack", "cut short|not a Binder pack|damaged")


def test_a_file_re_signed_with_another_key_is_refused(exported, tmp_path):
    _, _, laptop, _, later = exported
    other = tmp_path / "other.key"
    new_agency_key(other)
    from binder.sync.keys import agency_key

    pack = packfile.decode(later.read_bytes())
    forged = packfile.encode(pack.database, pack.name, agency_key(other), pack.made_at,
                             pack.pages, pack.revision)
    (tmp_path / "forged.binderpack").write_bytes(forged)
    refuse(laptop, tmp_path / "forged.binderpack", "does not trust")
    # the same bytes with the agency's key named in the header: the signature does not match
    header_key = pack.header["public_key"].encode()
    swapped = forged.replace(forged.split(b'"public_key":"')[1][:64], header_key, 1)
    (tmp_path / "swapped.binderpack").write_bytes(swapped)
    refuse(laptop, tmp_path / "swapped.binderpack", "does not match its contents")


def test_a_pack_signed_by_a_key_this_laptop_does_not_trust_is_refused(agency, tmp_path):
    key, office, _ = agency
    out = tmp_path / "sheriff.binderpack"
    export_pack(office, "County Sheriff", key, out, made_at=FIRST)
    stranger = tmp_path / "stranger"
    refuse(stranger, out, "which this laptop does not trust")
    assert list_packs(stranger) == []


def test_an_older_revision_is_refused_as_a_downgrade_unless_forced(exported):
    _, _, laptop, first, later = exported
    add_pack_file(laptop, later)
    refuse(laptop, first, "downgrade")
    refuse(laptop, later, "already installed")
    add_pack_file(laptop, first, force=True)
    assert installed_bytes(laptop) == packfile.decode(first.read_bytes()).database


def test_a_file_that_is_not_a_pack_is_refused(exported, tmp_path):
    _, _, laptop, _, _ = exported
    (tmp_path / "notes.binderpack").write_text("shopping list\n")
    refuse(laptop, tmp_path / "notes.binderpack", "not a Binder pack file")


@pytest.mark.parametrize("damage", ["half", "not sqlite", "page list"])
def test_a_signed_file_whose_database_is_damaged_is_refused(exported, tmp_path, damage):
    key, _, laptop, _, later = exported
    from binder.sync.keys import agency_key

    pack = packfile.decode(later.read_bytes())
    database, pages = pack.database, pack.pages
    if damage == "half":
        database = database[:len(database) // 2]
    elif damage == "not sqlite":
        database = b"shopping list " * 500
    else:
        pages = [{**page, "digest": "0" * 16} for page in pages]
    signed = packfile.encode(database, pack.name, agency_key(key), "2026-11-27T00:00:00Z",
                             pages, pack.revision)
    (tmp_path / "signed-damage.binderpack").write_bytes(signed)
    refuse(laptop, tmp_path / "signed-damage.binderpack", "cannot be used")
    assert not list(pack_path(laptop, "county-sheriff").parent.glob(".*"))


def test_the_update_in_the_sync_folder_says_what_changed(exported):
    _, office, laptop, _, later = exported
    packfile.publish(laptop, later)
    [update] = find_updates(laptop)
    assert (update.pack.made_at, update.changes.changed) == (LATER, ["Lockdown"])
    assert update.changes.added == update.changes.removed == []
    add_pack_file(laptop, update.path)
    assert find_updates(laptop) == []
    assert find_updates(office) == []  # the agency's own pack: added after it was signed


def test_the_exported_pack_records_when_it_was_made(exported):
    _, _, laptop, _, later = exported
    add_pack_file(laptop, later)
    conn = sqlite3.connect(pack_path(laptop, "county-sheriff"))
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    conn.close()
    assert meta["pack_made_at"] == LATER


def test_the_command_line_exports_publishes_lists_and_adds(agency, tmp_path):
    from binder.journal.journal import Journal, Operator
    from tests.sync.test_cli_sync import binder

    key, office, laptop = agency
    journal = Journal(laptop / "journal.db")
    journal.set_operator(Operator("Ann Lee", "IC"))
    incident = journal.start_incident("School").incident_id
    journal.close()
    out = tmp_path / "sheriff.binderpack"
    made = binder("--data-dir", office, "pack", "export", "County Sheriff", "-o", out,
                  "--key", key)
    assert made.returncode == 0 and "4 pages" in made.stdout, made.stderr
    added = binder("--data-dir", laptop, "pack", "add", out)
    assert added.returncode == 0 and "4 added, 0 changed, 0 removed" in added.stdout, added.stderr
    assert "noted in 1 open incident" in added.stdout
    assert binder("--data-dir", laptop, "pack", "updates").stdout == "no agency content updates\n"
    add(agency_folder(tmp_path / "v2", **{"notes/radio.md": None}), office, name="County Sheriff")
    later = tmp_path / "later.binderpack"
    assert binder("--data-dir", office, "pack", "export", "County Sheriff", "-o", later, "--key",
                  key).returncode == 0
    assert binder("--data-dir", laptop, "pack", "publish", later).returncode == 0
    (laptop / "sync" / "packs" / "forged.binderpack").write_bytes(later.read_bytes()[:-40])
    listed = binder("--data-dir", laptop, "pack", "updates")
    assert "0 added, 0 changed, 1 removed" in listed.stdout and "removed: Radio" in listed.stdout
    assert "forged.binderpack: it is cut short" in listed.stderr
    refused = binder("--data-dir", laptop, "pack", "add", out)
    assert refused.returncode == 1 and "already installed" in refused.stderr
    again = binder("--data-dir", laptop, "pack", "add", later)
    assert again.returncode == 0 and "removed: Radio" in again.stdout
    down = binder("--data-dir", laptop, "pack", "add", out)
    assert down.returncode == 1 and "downgrade" in down.stderr and "Traceback" not in down.stderr
    notes = [e.data for e in Journal(laptop / "journal.db").events(incident) if e.kind == "note"]
    assert [n["pack_update"]["removed"] for n in notes] == [[], ["Radio"]]
    assert notes[1]["text"].startswith("Agency content update applied: County Sheriff revision")
    folder = binder("--data-dir", laptop, "pack", "add", agency_folder(tmp_path / "v3"),
                    "--name", "Fire")
    assert folder.returncode == 0 and "added pack fire" in folder.stdout


def test_a_pack_signed_by_another_trusted_agency_does_not_replace_it(exported, tmp_path):
    _, office, laptop, first, later = exported
    other = tmp_path / "fire.key"
    new_agency_key(other)
    trust_agency(laptop, tmp_path / "fire.key.pub")
    export_pack(office, "County Sheriff", other, tmp_path / "fire.binderpack", made_at=LATER)
    refuse(laptop, tmp_path / "fire.binderpack", "the installed pack by")
    packfile.publish(laptop, tmp_path / "fire.binderpack")
    refused = []
    assert find_updates(laptop, refused=refused) == []
    assert [reason for _, reason in refused] == [
        "signed by another agency key than the installed pack"]


def test_an_add_cut_off_before_its_rename_leaves_the_old_pack(exported):
    _, _, laptop, _, later = exported
    before = installed_bytes(laptop)
    pack = packfile.decode(later.read_bytes())
    left = pack_path(laptop, "county-sheriff").with_name(".county-sheriff.db.incoming")
    left.write_bytes(pack.database[:5000])  # what a crash mid-write leaves
    assert [(i.name, i.pages) for i in list_packs(laptop)] == [("County Sheriff", 4)]
    assert installed_bytes(laptop) == before
    add_pack_file(laptop, later)
    assert installed_bytes(laptop) == pack.database and not left.exists()
