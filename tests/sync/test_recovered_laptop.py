"""A laptop whose journal was damaged and recovered goes on numbering its segments where it was:
the other laptops would otherwise refuse its next segment as a second history."""

from __future__ import annotations

import shutil
from pathlib import Path

from binder.journal import wal
from binder.journal.journal import Journal
from binder.sync.engine import Sync
from tests.sync.conftest import STEP, carry, make_laptop, put_on_roster


def test_a_recovered_journal_keeps_its_segments_and_numbers_on(tmp_path):
    ann, bob = make_laptop(tmp_path, "ann", "IC"), make_laptop(tmp_path, "bob", "Operations")
    put_on_roster(tmp_path, [ann, bob])
    incident = ann.journal.start_incident("School").incident_id
    ann.sync.export()
    ann.journal.tick_step(incident, **STEP)
    ann.sync.export()
    carry(ann, bob)
    assert bob.sync.import_all().imported == 2
    # Ann's laptop is killed with her entries still in the -wal, and a byte of it is damaged
    path = ann.journal.path
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{path}{suffix}", crashed / f"journal.db{suffix}")
    ann.journal.close()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(crashed / f"journal.db{suffix}", f"{path}{suffix}")
    log = Path(f"{path}-wal")
    data = bytearray(log.read_bytes())
    data[wal.WAL_HEADER + wal.FRAME_HEADER + 40] ^= 1
    log.write_bytes(bytes(data))
    journal = Journal(path)
    assert journal.recovered
    assert journal.conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 2
    sync = Sync(ann.data, journal)
    journal.add_note(incident, "Back after the laptop was restarted")
    assert sync.export() == 1
    names = sorted(p.name for p in (ann.data / "sync" / "segments").rglob("*.seg"))
    assert len(names) == 3
    carry(type(ann)(ann.data, journal, sync), bob)
    report = bob.sync.import_all()
    assert report.imported == 1 and not report.refused, report
    assert "Back after the laptop was restarted" in [
        e.data.get("text") for e in bob.journal.events(incident)]
