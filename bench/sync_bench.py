"""The sync benchmark (issue 15): the cost of the window's once-a-second export() + import_all()
with nothing new, with 10 laptops x 200 segments on disk; importing those 2,000 segments; and
laptops() for the command board.

Nine laptops' segments are made directly (their entries chained and hashed as a journal does,
each segment signed by its own key); the tenth laptop is real: its 200 segments come from its
journal through export(). Everything is real files and a real journal.db in a temporary folder.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

HEADING = "# Sync benchmark"
LAPTOPS = 10
SEGMENTS = 200
ENTRIES = 3  # per segment
ROUNDS = 300


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def made_laptop(folder: Path, incident_id: str, number: int) -> tuple:
    """A laptop's SEGMENTS segments of ENTRIES notes each, written into `folder`."""
    from binder.journal import hlc
    from binder.journal.journal import event_hash
    from binder.sync.keys import Card, public_hex
    from binder.sync.segment import encode, relative_path, write_file

    key = Ed25519PrivateKey.generate()
    device = uuid.uuid4().hex[:16]
    head, previous, clock = "", "", hlc.wall_ms() - 3_600_000
    for seg in range(1, SEGMENTS + 1):
        rows = []
        for _ in range(ENTRIES):
            clock += 1000
            data = {"text": f"note {seg} from laptop {number}"}
            row = dict(id=str(uuid.uuid4()), kind="note", incident_id=incident_id, doc_id="",
                       step_id="", step_text="", operator=f"Person {number}", position="Ops",
                       entered_at="2026-11-26T10:00:00.000+00:00", occurred_at="",
                       data=json.dumps(data, sort_keys=True, ensure_ascii=False), device=device,
                       hlc=hlc.make(clock))
            row["prev_hash"], row["hash"] = head, event_hash(head, row)
            head = row["hash"]
            rows.append({**row, "data": data})
        header = {"incident_id": incident_id, "device": device, "number": seg,
                  "previous": previous, "public_key": public_hex(key),
                  "name": f"laptop {number}", "position": "Ops"}
        raw = encode(header, rows, key)
        import hashlib

        previous = hashlib.sha256(raw).hexdigest()
        write_file(folder / relative_path(incident_id, device, seg), raw)
    return Card(device, public_hex(key), f"laptop {number}", "Ops")


def run() -> str:
    from binder.journal.journal import Journal, Operator
    from binder.sync.engine import Sync
    from binder.sync.keys import new_agency_key, trust_agency
    from binder.sync.roster import make_roster

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = root / "ic"
        journal = Journal(data / "journal.db")
        journal.set_operator(Operator("Ann Lee", "IC"))
        sync = Sync(data, journal)
        incident = journal.start_incident("Bench").incident_id
        started = time.perf_counter()
        for seg in range(SEGMENTS):
            journal.add_note(incident, f"own note {seg}")
            sync.export()
        own_s = time.perf_counter() - started
        folder = data / "sync" / "segments"
        cards = [made_laptop(folder, incident, n) for n in range(1, LAPTOPS)]
        new_agency_key(root / "agency.key")
        make_roster(root / "agency.key", [*cards, sync.card()], root / "roster.json")
        trust_agency(data, root / "agency.key.pub")
        sync.put_roster(root / "roster.json")
        started = time.perf_counter()
        first = sync.import_all()
        import_s = time.perf_counter() - started
        restart_started = time.perf_counter()
        journal.close()
        journal = Journal(data / "journal.db")
        sync = Sync(data, journal)
        restart_s = time.perf_counter() - restart_started
        started = time.perf_counter()
        sync.export()
        sync.import_all()  # reads every file once, to know it is the stored segment
        first_look_ms = (time.perf_counter() - started) * 1000
        idle, board = [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            sync.export()
            report = sync.import_all()
            idle.append((time.perf_counter() - started) * 1000)
            assert report.imported == 0
            started = time.perf_counter()
            sync.laptops(incident)
            board.append((time.perf_counter() - started) * 1000)
        tick = []
        for n in range(30):
            journal.add_note(incident, f"tick {n}")
            started = time.perf_counter()
            sync.export()
            sync.import_all()
            tick.append((time.perf_counter() - started) * 1000)
        count = journal.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        journal.close()
    files = LAPTOPS * SEGMENTS
    lines = [
        HEADING, "",
        f"{LAPTOPS} laptops x {SEGMENTS} segments ({files:,} files, {count:,} entries) in one "
        "incident's sync folder; times in ms on this machine (loaded by other work).", "",
        "| what | median | p99 | max |", "| --- | --- | --- | --- |",
        row("export() + import_all(), nothing new (the window's timer)", idle),
        row("laptops(incident) (the command board)", board),
        row("export() + import_all() after one new note here", tick), "",
        f"- import of {files - SEGMENTS:,} segments from 9 laptops (first time): "
        f"{import_s:.2f} s ({import_s / (files - SEGMENTS) * 1000:.2f} ms a segment; "
        f"{first.imported} imported, {len(first.refused)} refused)",
        f"- this laptop's own {SEGMENTS} segments, one note and one export() each: {own_s:.2f} s",
        f"- opening the journal and Sync again (keys, stored segments, restoring missing files): "
        f"{restart_s * 1000:.0f} ms; its first export() + import_all() (every file read once "
        f"and compared with the stored segment): {first_look_ms:.0f} ms", "",
    ]
    return "\n".join(lines)


def row(name: str, values: list[float]) -> str:
    return (f"| {name} | {statistics.median(values):.2f} | {percentile(values, 99):.2f} | "
            f"{max(values):.2f} |")


if __name__ == "__main__":
    print(run())
