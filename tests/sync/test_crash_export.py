"""A laptop killed mid-export writes the missing segment again, byte for byte, on restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from binder.sync.segment import decode
from tests.conftest import REPO
from tests.sync.conftest import carry

# The exporter in a child process, stopped for good after the segment is stored and its temp
# file written, before the rename: the parent SIGKILLs it there.
CHILD = """
import os, sys, time
from pathlib import Path
from binder.journal.journal import Journal
from binder.sync.engine import Sync
data = Path(sys.argv[1])
journal = Journal(data / "journal.db")
sync = Sync(data, journal)
journal.add_note(journal.incident_ids()[0], "Written just before the power went")
def stall(source, target):
    print("stored", flush=True)
    time.sleep(120)
os.replace = stall
sync.export()
"""


def test_a_laptop_killed_between_storing_and_writing_writes_the_same_bytes_on_restart(pair):
    ann, bob = pair
    incident = ann.journal.start_incident("School").incident_id
    ann.sync.export()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(ann.data)], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "stored"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
    folder = ann.data / "sync" / "segments" / incident / ann.device
    assert sorted(p.name for p in folder.iterdir()) == [".000002.seg.tmp", "000001.seg"]
    stored = bytes(ann.journal.conn.execute(
        "SELECT bytes FROM segments WHERE number = 2").fetchone()[0])
    restarted = ann.reopen()
    assert (folder / "000002.seg").read_bytes() == stored  # written again at start, the same
    assert decode(stored).events[0]["data"]["text"] == "Written just before the power went"
    assert restarted.sync.export() == 0  # that note is not exported a second time
    carry(restarted, bob)
    report = bob.sync.import_all()
    assert (report.imported, report.refused) == (2, [])


def test_a_segment_file_removed_after_it_was_stored_is_written_again_at_the_next_export(pair):
    ann, _ = pair
    ann.journal.start_incident("School")
    ann.sync.export()
    [path] = ann.segments()
    raw = path.read_bytes()
    path.unlink()
    assert ann.sync.export() == 0
    assert path.read_bytes() == raw
