"""The USB stick: every laptop's segments copied out byte for byte and imported on another
laptop; a stick pulled out mid-copy, a read-only stick and a full one."""

from __future__ import annotations

import pytest

from binder.sync.engine import SyncError
from binder.sync.segment import decode
from tests.journal.test_full_disk import read_only_view, small_disk
from tests.sync.conftest import carry, make_laptop, put_on_roster


@pytest.fixture
def three(tmp_path):
    laptops = [make_laptop(tmp_path, n, p) for n, p in
               (("ann", "IC"), ("bob", "Operations"), ("cara", "PIO"))]
    put_on_roster(tmp_path, laptops)
    ann, bob, _ = laptops
    incident = ann.journal.start_incident("School").incident_id
    ann.sync.export()
    carry(ann, bob)
    bob.sync.import_all()
    for text in ("Perimeter on Elm Street", "Staging at the church"):
        bob.journal.add_note(incident, text)
        bob.sync.export()
    carry(bob, ann)
    ann.sync.import_all()
    return (*laptops, incident)


def stick_files(stick):
    return sorted((stick / "binder-sync" / "segments").rglob("*.seg"))


def test_copy_to_stick_carries_every_laptops_segments_to_a_third_laptop(three, tmp_path):
    ann, bob, cara, incident = three
    stick = tmp_path / "stick"
    stick.mkdir()
    report = ann.sync.copy_to(stick)
    assert (report.copied, report.already, report.rosters) == (3, 0, 1)
    stored = {bytes(row[0]) for row in ann.journal.conn.execute("SELECT bytes FROM segments")}
    assert {path.read_bytes() for path in stick_files(stick)} == stored
    assert ann.sync.copy_to(stick).copied == 0  # already there, byte for byte
    report = cara.sync.import_from(stick)
    assert (report.imported, report.refused, report.waiting) == (3, [], [])
    notes = [e.data["text"] for e in cara.journal.events(incident, kinds=("note",))]
    assert notes == ["Perimeter on Elm Street", "Staging at the church"]
    assert len(cara.segments()) == 3  # kept in Cara's sync folder, to travel on from there
    assert cara.sync.import_from(stick).imported == 0


def test_a_stick_pulled_out_mid_copy_imports_nothing_half_done(three, tmp_path):
    ann, bob, cara, incident = three
    stick = tmp_path / "stick"
    stick.mkdir()
    ann.sync.copy_to(stick)
    first, second = [path for path in stick_files(stick) if path.parent.name == bob.device]
    raw = first.read_bytes()
    first.unlink()  # the copy of this one never got renamed: only a cut-short temp file
    first.with_name(f".{first.name}.tmp").write_bytes(raw[:40])
    report = cara.sync.import_from(stick)
    assert (report.imported, report.refused) == (1, [])
    assert report.waiting == [(str(second), f"it waits for segment 1 of laptop {bob.device}")]
    assert [e.kind for e in cara.journal.events(incident)] == ["start"]  # Ann's; Bob's wait
    ann.sync.copy_to(stick)  # copied again, whole
    report = cara.sync.import_from(stick)
    assert (report.imported, report.refused) == (2, [])


def test_a_read_only_stick_gives_a_message_and_still_imports(three, tmp_path):
    ann, bob, cara, incident = three
    stick = tmp_path / "stick"
    stick.mkdir()
    ann.sync.copy_to(stick)
    last = [path for path in stick_files(stick) if path.parent.name == bob.device][-1]
    last.write_bytes(last.read_bytes().replace(b"church", b"school"))
    ann.journal.add_note(incident, "One more")
    with read_only_view(stick, tmp_path) as view:
        with pytest.raises(SyncError, match=r"cannot be written \(it is read-only or locked\): "
                                            r"\d of 4 segments are on it"):
            ann.sync.copy_to(view)
        report = cara.sync.import_from(view)
        assert report.imported == 2
        assert [reason for _, reason in report.refused] == [
            "its signature does not match its contents: it was changed after it was signed, or "
            "signed by another key"]
        assert (view / last.relative_to(stick)).exists()  # copied aside, not moved
    assert len(list((cara.data / "sync" / "refused").glob("*.seg"))) == 1


def test_a_full_stick_gives_a_message_and_holds_only_whole_files(three, tmp_path):
    ann, _, _, incident = three
    big = "x" * 200_000
    ann.journal.add_note(incident, big)
    ann.sync.export()
    with small_disk(tmp_path, "100k") as stick:
        with pytest.raises(SyncError, match="it is full"):
            ann.sync.copy_to(stick)
        for path in stick_files(stick):
            decode(path.read_bytes())
        assert not list(stick.rglob("*.tmp"))


def test_a_folder_with_no_sync_folder_is_a_message(three, tmp_path):
    _, _, cara, _ = three
    with pytest.raises(SyncError, match="holds no Binder sync folder"):
        cara.sync.import_from(tmp_path)
