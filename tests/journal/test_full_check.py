"""The journal's full check can run before the opening (beside start-up's other work) and
spare the opening its own; a file it does not find sound is opened the usual careful way."""

import os
from pathlib import Path

from binder.journal.journal import Journal, Operator
from binder.journal.journal_open import full_check


def closed_journal(folder: Path) -> Path:
    path = folder / "journal.db"
    journal = Journal(path)
    journal.set_operator(Operator("Ann Lee", "Incident Commander"))
    incident = journal.start_incident("Mall shooting").incident_id
    for n in range(300):
        journal.add_note(incident, f"note {n} " + "x" * 200)
    journal.close()
    return path


def damage_page(path: Path, page: int = 5) -> None:
    """Garbage over a b-tree page's cell pointers; the file's size and time stay as they were."""
    stat = path.stat()
    data = bytearray(path.read_bytes())
    start = (page - 1) * 4096
    data[start + 8:start + 40] = b"\xff" * 32
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_sound_journal_is_found_sound_and_left_as_it_was(tmp_path):
    path = closed_journal(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert full_check(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -wal or -shm left behind


def test_a_damaged_page_is_not_found_sound_and_the_opening_recovers_it(tmp_path):
    path = closed_journal(tmp_path)
    damage_page(path)
    assert not full_check(path)
    journal = Journal(path, checked=False)
    assert "A copy of it as it was" in journal.recovered
    journal.close()


def test_the_opening_trusts_a_check_just_made(tmp_path):
    """What `checked` spares is real: told the file was just found sound, the opening does
    not check it again (so it must only ever be told so by full_check)."""
    path = closed_journal(tmp_path)
    damage_page(path)
    journal = Journal(path, checked=True)
    assert journal.recovered == ""
    journal.close()


def test_no_journal_yet_is_not_found_sound(tmp_path):
    assert not full_check(tmp_path / "journal.db")
    assert not (tmp_path / "journal.db").exists()
