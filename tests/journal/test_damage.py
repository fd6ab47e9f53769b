"""Damage to journal.db and its -wal never costs an acknowledged event without a message."""

import random
import shutil
import sqlite3
import struct
from pathlib import Path

import pytest

from binder.journal import wal
from binder.journal.journal import Journal, JournalError, Operator, verify_chain

ANN = Operator("Ann Lee", "Incident Commander", "Springfield PD")
SUFFIXES = ("", "-wal", "-shm")


def write_and_crash(folder: Path, count: int = 30, note: str = "checked") -> tuple[Path, list]:
    """A journal with `count` acknowledged events still in its -wal, as a kill leaves it: the
    files are copied while the writer still has them open, then it is closed elsewhere."""
    live = Journal(folder / "live" / "journal.db")
    live.set_operator(ANN)
    incident = live.start_incident("Mall shooting").incident_id
    for number in range(count - 2):
        if number % 3:
            live.tick_step(incident, "tq", f"tq/{number}", f"Step {number}")
        else:
            live.add_note(incident, f"{note} {number}")
    acknowledged = live.events()
    crashed = folder / "crashed"
    crashed.mkdir()
    for suffix in SUFFIXES:
        shutil.copyfile(f"{live.path}{suffix}", crashed / f"journal.db{suffix}")
    live.close()
    return crashed / "journal.db", acknowledged


def files(path: Path) -> dict[str, bytes]:
    return {s: Path(f"{path}{s}").read_bytes() for s in SUFFIXES if Path(f"{path}{s}").exists()}


def aside_files(path: Path) -> dict[str, dict[str, bytes]]:
    copies = {}
    for copy in path.parent.glob(f"{path.stem}.damaged-*{path.suffix}"):
        copies[str(copy)] = files(copy)
    return copies


def assert_nothing_lost_silently(path: Path, acknowledged: list, damaged: dict[str, bytes]):
    """Every acknowledged event is there unchanged, or verify says it changed, or the person
    was told, by a message that names a byte-for-byte copy of the damaged files."""
    journal = Journal(path)
    try:
        told = journal.recovered
        now = {event.seq: event for event in journal.events()}
        if told:
            copies = aside_files(path)
            assert [name for name in copies if name in told], told
            named = next(name for name in copies if name in told)
            assert copies[named] == damaged
        else:
            assert not aside_files(path)
        for event in acknowledged:
            if now.get(event.seq) == event:
                continue
            if told:
                continue
            report = verify_chain(journal, event.incident_id)
            assert not report.intact, f"event {event.seq} was lost silently"
        journal.append("note", data={"text": "and it still takes new entries"})
    finally:
        journal.close()
    return told


def flip(path: Path, offset: int, bit: int = 0) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 1 << bit
    path.write_bytes(bytes(data))


def frame_offset(index: int, page_size: int = 4096) -> int:
    return wal.WAL_HEADER + index * (wal.FRAME_HEADER + page_size)


def test_a_crash_leftover_opens_with_every_event_and_no_alarm(tmp_path):
    path, acknowledged = write_and_crash(tmp_path)
    assert Path(f"{path}-wal").stat().st_size > 0
    journal = Journal(path)
    assert journal.recovered == ""
    assert journal.events() == acknowledged
    assert not aside_files(path)
    journal.close()


def test_a_torn_uncommitted_last_transaction_is_not_damage(tmp_path):
    path, acknowledged = write_and_crash(tmp_path)
    wal_path = Path(f"{path}-wal")
    data = wal_path.read_bytes()
    last = wal.scan_wal(data).frames[-1]
    torn = bytearray(data[last.offset:last.offset + wal.FRAME_HEADER + 4096])
    torn[4:8] = bytes(4)  # not a commit frame
    torn[100] ^= 0xFF  # and its checksum does not follow
    wal_path.write_bytes(data + bytes(torn) + bytes(torn[:3000]))
    assert wal.pair_problem(path) == ""
    journal = Journal(path)
    assert journal.recovered == "" and journal.events() == acknowledged
    journal.close()


def test_frames_of_an_older_wal_generation_are_not_damage(tmp_path):
    live = Journal(tmp_path / "live" / "journal.db")
    incident = live.start_incident("A").incident_id
    for number in range(40):
        live.tick_step(incident, "tq", f"tq/{number}", "Step")
    live.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    for number in range(3):  # the next write starts the WAL over, older frames stay after it
        live.tick_step(incident, "tq", f"tq/again-{number}", "Step")
    acknowledged = live.events()
    (tmp_path / "crashed").mkdir()
    for suffix in SUFFIXES:
        shutil.copyfile(f"{live.path}{suffix}", tmp_path / "crashed" / f"journal.db{suffix}")
    live.close()
    path = tmp_path / "crashed" / "journal.db"
    scan = wal.scan_wal(Path(f"{path}-wal").read_bytes())
    assert any(f.salts != scan.salts for f in scan.frames)  # really an older generation
    journal = Journal(path)
    assert journal.recovered == "" and journal.events() == acknowledged
    journal.close()


def test_a_flipped_byte_in_an_early_wal_frame_loses_nothing_and_is_said(tmp_path):
    path, acknowledged = write_and_crash(tmp_path)
    flip(Path(f"{path}-wal"), frame_offset(3) + wal.FRAME_HEADER + 2000)
    damaged = files(path)
    journal = Journal(path)
    told = journal.recovered
    assert "was damaged" in told and f"{len(acknowledged)} entries were recovered" in told
    [(copy, copied)] = aside_files(path).items()
    assert copy in told and copied == damaged
    assert journal.events() == acknowledged  # the events after the damage too
    assert verify_chain(journal, acknowledged[1].incident_id).intact
    journal.close()


def test_a_flipped_checksum_in_a_wal_frame_loses_nothing(tmp_path):
    path, acknowledged = write_and_crash(tmp_path)
    flip(Path(f"{path}-wal"), frame_offset(5) + 20)
    journal = Journal(path)
    assert "was damaged" in journal.recovered
    assert journal.events() == acknowledged
    journal.close()


def test_a_zero_length_journal_beside_its_wal_is_recovered_not_started_over(tmp_path):
    path, acknowledged = write_and_crash(tmp_path)
    path.write_bytes(b"")
    damaged = files(path)
    journal = Journal(path)
    assert "journal.db is empty" in journal.recovered
    assert list(aside_files(path).values()) == [damaged]
    assert journal.events() == acknowledged
    journal.close()


def test_a_cut_short_wal_is_said(tmp_path):
    path, acknowledged = write_and_crash(tmp_path)
    wal_path = Path(f"{path}-wal")
    frames = wal.scan_wal(wal_path.read_bytes()).frames
    wal_path.write_bytes(wal_path.read_bytes()[:frames[len(frames) // 2].offset])
    journal = Journal(path)
    assert "cut short" in journal.recovered
    last = journal.events()[-1]
    assert f"The last entry recovered is seq {last.seq}" in journal.recovered
    assert "may be missing" in journal.recovered
    journal.close()


def test_a_recovered_journal_keeps_the_operator_and_settings(tmp_path):
    path, acknowledged = write_and_crash(tmp_path)
    flip(Path(f"{path}-wal"), frame_offset(2) + wal.FRAME_HEADER + 10)
    journal = Journal(path)
    assert journal.recovered and journal.operator == ANN
    journal.close()


def test_a_damaged_journal_that_another_program_has_open_is_left_alone(tmp_path):
    path, _ = write_and_crash(tmp_path)
    flip(Path(f"{path}-wal"), frame_offset(3) + wal.FRAME_HEADER + 2000)
    before = files(path)
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(Exception, match="another program has it open"):
        Journal(path, timeout=0.1)
    holder.rollback()
    holder.close()
    assert not aside_files(path)
    assert files(path)[""] == before[""]


def offsets(size: int, count: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    return sorted({rng.randrange(size) for _ in range(count)} | {0, 10, 31, 32, size - 1})


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_flipped_bits_anywhere_never_lose_an_event_silently(tmp_path, suffix):
    source, acknowledged = write_and_crash(tmp_path / "source")
    original = files(source)
    size = len(original[suffix])
    for number, offset in enumerate(offsets(size, 24, seed=len(suffix))):
        folder = tmp_path / f"case-{number}"
        folder.mkdir()
        path = folder / "journal.db"
        for name, data in original.items():
            Path(f"{path}{name}").write_bytes(data)
        flip(Path(f"{path}{suffix}"), offset, bit=number % 8)
        assert_nothing_lost_silently(path, acknowledged, files(path))


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_cutting_a_file_short_anywhere_never_loses_an_event_silently(tmp_path, suffix):
    source, acknowledged = write_and_crash(tmp_path / "source")
    original = files(source)
    size = len(original[suffix])
    for number, offset in enumerate(offsets(size, 16, seed=7 + len(suffix))):
        folder = tmp_path / f"case-{number}"
        folder.mkdir()
        path = folder / "journal.db"
        for name, data in original.items():
            Path(f"{path}{name}").write_bytes(data)
        Path(f"{path}{suffix}").write_bytes(original[suffix][:offset])
        assert_nothing_lost_silently(path, acknowledged, files(path))


def bad_utf8_journal(tmp_path: Path) -> tuple[Path, list]:
    """A closed journal in which one note's stored text is no longer UTF-8."""
    path = tmp_path / "journal.db"
    journal = Journal(path)
    journal.set_operator(ANN)
    incident = journal.start_incident("Mall shooting").incident_id
    journal.add_note(incident, "before")
    journal.add_note(incident, "MARKER-one-bad-value")
    journal.add_note(incident, "after")
    events = journal.events()
    journal.close()
    data = path.read_bytes()
    at = data.index(b"MARKER-one-bad-value")
    path.write_bytes(data[:at] + b"\xff" + data[at + 1:])
    return path, events


def test_a_bad_value_costs_that_event_only_and_is_reported(tmp_path):
    path, events = bad_utf8_journal(tmp_path)
    journal = Journal(path)
    read = journal.events()
    assert [e.seq for e in read] == [e.seq for e in events if e.seq != events[3].seq]
    assert list(journal.unreadable) == [events[3].seq]
    assert f"could not be read (seq {events[3].seq})" in journal.recovered
    report = verify_chain(journal, events[1].incident_id)
    assert not report.intact and f"entry {events[3].seq} could not be read" in report.problem
    journal.close()


def test_wal_checksums_follow_the_file_format():
    data = struct.pack(">8I", 0x377F0682, 3007000, 4096, 0, 1, 2, 0, 0)
    assert wal.checksum(data[:8], True) == (0x377F0682, 3007000 + 0x377F0682)
    little = struct.unpack("<2I", data[:8])
    assert wal.checksum(data[:8], False) == (little[0], (little[1] + little[0]) & 0xFFFFFFFF)


def test_a_deleted_wal_is_said(tmp_path):
    path, acknowledged = write_and_crash(tmp_path)
    Path(f"{path}-wal").unlink()
    journal = Journal(path)
    assert "the -wal file is missing where" in journal.recovered
    assert "check your paper log" in journal.recovered
    journal.close()


def test_a_journal_another_binder_is_writing_is_not_taken_for_damage(tmp_path):
    path = tmp_path / "journal.db"
    live = Journal(path)
    incident = live.start_incident("A").incident_id
    for number in range(20):
        live.tick_step(incident, "tq", f"tq/{number}", "Step")
    other = Journal(path)  # the command line while the window is open
    assert other.recovered == "" and other.events() == live.events()
    live.tick_step(incident, "tq", "tq/late", "Step")
    assert other.events()[-1].step_id == "tq/late"
    other.close()
    live.close()
    assert not aside_files(path)


def test_a_recovery_that_fails_puts_the_damaged_files_back_and_says_where_the_copy_is(tmp_path):
    path, _ = write_and_crash(tmp_path)
    data = bytearray(path.read_bytes())
    data[60:64] = struct.pack(">I", 99)  # journal.db alone reads as a newer Binder's
    path.write_bytes(bytes(data))
    flip(Path(f"{path}-wal"), frame_offset(3) + wal.FRAME_HEADER + 2000)
    damaged = files(path)
    with pytest.raises(JournalError, match="could not be recovered.*newer Binder") as raised:
        Journal(path)
    [(copy, copied)] = aside_files(path).items()
    assert copy in str(raised.value) and copied == damaged
    assert files(path) == damaged


def test_opening_beside_a_busy_writer_never_raises_an_alarm(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "journal.db"
    first = Journal(path)
    incident = first.start_incident("Busy").incident_id
    first.close()
    writer = Path(__file__).with_name("crash_writer.py")
    child = subprocess.Popen([sys.executable, str(writer), str(path), incident],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for _ in range(20):
            child.stdout.readline()  # it is writing
        alarms = [problem for problem in (wal.pair_problem(path) for _ in range(20)) if problem]
        assert alarms == []
        for _ in range(2):
            other = Journal(path)
            assert other.recovered == ""
            other.close()
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    assert not aside_files(path)


def test_an_entry_with_damaged_text_is_carried_over_as_it_is_and_named(tmp_path):
    path, events = bad_utf8_journal(tmp_path)
    with open(path, "ab") as handle:
        handle.write(b"\0" * 100)  # and the file is no longer whole pages
    journal = Journal(path)
    seq = events[3].seq
    assert f"1 recovered entry has damaged text (seq {seq})" in journal.recovered
    assert [e.seq for e in journal.events()] == [e.seq for e in events if e.seq != seq]
    assert list(journal.unreadable) == [seq]
    journal.close()
