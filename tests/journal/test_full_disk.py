"""A full disk, a read-only folder, an unreadable data folder: a message, and nothing lost."""

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from binder.journal.anchor import anchor_path
from binder.journal.journal import Journal, JournalError, Operator, verify_chain
from binder.paper.export import activity_log, export_csv
from tests.conftest import REPO

ANN = Operator("Ann Lee", "Operations", "Springfield PD")
FULL = "The disk is full: this could not be saved to .*, and nothing was saved"
ZOOM_FULL = "The disk is full: the text size could not be remembered in .*Free some space"


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "data" / "journal.db")
    journal.set_operator(ANN)
    yield journal
    journal.close()


@pytest.fixture
def incident(journal):
    incident = journal.start_incident("Mall shooting").incident_id
    journal.tick_step(incident, "tq", "tq/a", "Apply")
    return incident


def fill_the_file(journal):
    """SQLite's own limit on the file's size: the next write that needs a page gets SQLITE_FULL."""
    pages = journal.conn.execute("PRAGMA page_count").fetchone()[0]
    journal.conn.execute(f"PRAGMA max_page_count = {pages}")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mount(*args) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here ({result.stderr.strip() or 'not root'})")


@contextlib.contextmanager
def small_disk(tmp_path, size="400k"):
    """A real tmpfs of a few hundred kB (needs root and mount: skipped where it cannot be)."""
    where = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    where.mkdir()
    mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where))
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@contextlib.contextmanager
def read_only_view(folder: Path, tmp_path):
    """The same folder through a read-only bind mount: every write gets EROFS, even as root."""
    where = tmp_path / f"ro-{uuid.uuid4().hex[:6]}"
    where.mkdir()
    mount("--bind", str(folder), str(where))
    try:
        mount("-o", "remount,bind,ro", str(where))
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill_disk(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def binder(*args):
    return subprocess.run([sys.executable, "-m", "binder", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120)


def test_a_setting_on_a_full_file_is_refused_with_a_message_and_the_old_value_kept(journal):
    journal.set_setting("zoom", "120")
    fill_the_file(journal)
    with pytest.raises(JournalError, match=ZOOM_FULL):
        journal.set_setting("zoom", "1" * 20000)
    assert journal.setting("zoom") == "120"


def test_an_event_on_a_full_file_is_refused_and_nothing_is_half_written(journal, incident):
    before = journal.events(incident)
    fill_the_file(journal)
    with pytest.raises(JournalError, match=FULL):
        journal.add_note(incident, "x" * 20000)
    assert journal.events(incident) == before
    journal.conn.execute("PRAGMA max_page_count = 1073741823")  # space again: it goes on
    journal.add_note(incident, "after the disk was cleared")
    assert verify_chain(journal, incident).intact


def test_a_real_full_disk_refuses_ticks_and_settings_then_goes_on(tmp_path):
    with small_disk(tmp_path) as disk:
        journal = Journal(disk / "journal.db")
        journal.set_operator(ANN)
        incident = journal.start_incident("Flood").incident_id
        fill_disk(disk)
        with pytest.raises(JournalError, match=FULL):
            journal.tick_step(incident, "tq", "tq/a", "Apply")
        with pytest.raises(JournalError, match=ZOOM_FULL):
            journal.set_setting("zoom", "1" * 20000)
        (disk / "filler").unlink()
        journal.tick_step(incident, "tq", "tq/a", "Apply")
        report = verify_chain(journal, incident)
        journal.close()
    assert report.intact and report.count == 2 and report.notes == ()


def test_a_read_only_journal_reads_verifies_exports_and_refuses_writes(journal, incident,
                                                                      tmp_path):
    journal.close()
    path, anchor = journal.path, anchor_path(journal.path)
    before = digest(path), digest(anchor)
    reader = Journal(path, read_only=True)
    (tmp_path / "elsewhere").mkdir()
    assert [e.kind for e in reader.events(incident)] == ["start", "tick"]
    assert verify_chain(reader, incident).intact
    export_csv(activity_log(reader, incident), tmp_path / "elsewhere" / "log.csv")
    with pytest.raises(JournalError, match="read-only here: this could not be saved to .*, "
                                           "and nothing was saved"):
        reader.tick_step(incident, "tq", "tq/b", "Pack")
    with pytest.raises(JournalError, match="read-only here: the text size could not be "
                                           "remembered"):
        reader.set_setting("zoom", "150")
    reader.close()
    assert (digest(path), digest(anchor)) == before
    assert "Done: Apply" in (tmp_path / "elsewhere" / "log.csv").read_text()


def test_a_read_only_folder_is_opened_read_only_for_verify_and_export(journal, incident,
                                                                      tmp_path):
    journal.add_note(incident, "still in the -wal file")
    crashed = tmp_path / "crashed"  # as a crash leaves it: journal.db, -wal and -shm
    shutil.copytree(journal.path.parent, crashed)
    journal.close()
    for folder in (journal.path.parent, crashed):
        with read_only_view(folder, tmp_path) as view:
            with pytest.raises(JournalError, match="cannot be written .a read-only disk"):
                Journal(view / "journal.db")
            with contextlib.closing(Journal(view / "journal.db", read_only=True)) as reader:
                assert reader.events(incident)[-1].data == {"text": "still in the -wal file"}
            listing = binder("--data-dir", str(view), "incidents")
            assert listing.returncode == 0 and "Mall shooting (open)" in listing.stdout
            verify = binder("--data-dir", str(view), "verify", incident)
            assert verify.returncode == 0 and verify.stdout.startswith("intact: Mall shooting")
            assert "opened read-only" in verify.stderr and "Traceback" not in verify.stderr
            out = tmp_path / f"{folder.name}.csv"
            export = binder("--data-dir", str(view), "export", incident, "-o", str(out))
            assert export.returncode == 0, export.stderr
            assert "still in the -wal file" in out.read_text()


def test_an_anchor_that_cannot_be_written_loses_no_tick(journal, incident):
    anchor = anchor_path(journal.path)
    anchor.unlink()
    anchor.mkdir()  # opening it to append now fails, after the event's COMMIT
    event = journal.tick_step(incident, "tq", "tq/b", "Pack")
    assert journal.events(incident)[-1] == event
    report = verify_chain(journal, incident)
    assert report.intact and "journal.anchor cannot be written" in " ".join(report.notes)


@pytest.mark.parametrize("under", ["a-file", "a-file/data"])
def test_a_data_folder_that_is_a_file_is_a_message(tmp_path, under):
    (tmp_path / "a-file").write_text("not a folder")
    path = tmp_path / under / "journal.db"
    with pytest.raises(JournalError, match="cannot be created"):
        Journal(path)
    with pytest.raises(JournalError, match="There is no activity journal"):
        Journal(path, read_only=True)
    for command in (["incidents"], ["verify", "x"], ["export", "x", "-o", str(tmp_path / "x")]):
        result = binder("--data-dir", str(tmp_path / under), *command)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "cannot be created" in result.stderr


def test_contacts_seeding_on_a_journal_that_refuses_writes_is_a_contacts_message(
        journal, shipped_db):
    from binder.content.store import ContentStore
    from binder.journal.contacts import SEEDED, ContactBook, ContactsError

    store = ContentStore(shipped_db)
    book = ContactBook(journal)
    book.seed_from(store)
    journal.conn.execute("DELETE FROM settings WHERE key = ?", (SEEDED,))
    fill_the_file(journal)
    with pytest.raises(JournalError, match="The disk is full: a setting could not be"):
        for n in range(100_000):
            journal.set_setting(f"{n}", "")
    with pytest.raises(ContactsError, match="could not be saved.*The disk is full"):
        book.seed_from(store)  # every role is there already: only the setting is written
    store.close()


def test_an_operator_change_that_cannot_be_recorded_is_not_half_made(journal, incident):
    # A refusal of the event only, on this connection alone (a TEMP trigger changes no file).
    journal.conn.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.events "
                         "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    with pytest.raises(JournalError, match="nothing was saved .database or disk is full"):
        journal.set_operator(Operator("Bo Chan", "Liaison Officer"))
    assert journal.operator == ANN
