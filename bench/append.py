"""How long one tick takes to save (COMMIT, step check, anchor) at 1,000 and 100,000 events.

    .venv/bin/python -m bench.append [--ticks 300] [--folder DIR]

A measurement, not a test. The journal is filled with real events through SQL in one
transaction (hashes chained as `event_hash` does), then ticks and unticks are timed one by one
through `Journal.tick_step` / `untick_step`, with the anchor fsync'd and without.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from binder.journal.journal import EVENT_FIELDS, Journal, Operator, event_hash, utc_now


def fill(journal: Journal, incident: str, events: int) -> None:
    """`events` step events over 500 steps of 25 pages, chained, in one transaction."""
    row = journal.conn.execute("SELECT hash FROM events WHERE incident_id = ? "
                               "ORDER BY seq DESC LIMIT 1", (incident,)).fetchone()
    prev, rows = row[0], []
    for n in range(events):
        step = n % 500
        values = {"id": str(uuid.uuid4()), "kind": "tick" if (n // 500) % 2 == 0 else "untick",
                  "incident_id": incident, "doc_id": f"page{step % 25}",
                  "step_id": f"page{step % 25}/s{step}", "step_text": "A step of a checklist",
                  "operator": "Ann Lee", "position": "Operations", "entered_at": utc_now(),
                  "occurred_at": "", "data": "{}"}
        digest = event_hash(prev, values)
        rows.append((*(values[name] for name in EVENT_FIELDS), prev, digest))
        prev = digest
    journal.conn.execute("BEGIN IMMEDIATE")
    journal.conn.executemany(
        f"INSERT INTO events ({', '.join(EVENT_FIELDS)}, prev_hash, hash) "
        f"VALUES ({', '.join('?' * (len(EVENT_FIELDS) + 2))})", rows)
    journal.conn.execute("COMMIT")


def time_ticks(journal: Journal, incident: str, ticks: int) -> list[float]:
    times = []
    for n in range(ticks):
        step = f"bench/s{n % 50}"
        start = time.perf_counter()
        if (n // 50) % 2 == 0:
            journal.tick_step(incident, "bench", step, "Timed step")
        else:
            journal.untick_step(incident, "bench", step, "Timed step")
        times.append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ticks", type=int, default=300)
    parser.add_argument("--folder", help="where to write the journals (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        print("| events | anchor | median ms | p99 ms |\n| --- | --- | --- | --- |")
        for size in (1_000, 100_000):
            journal = Journal(Path(folder) / f"journal-{size}.db")
            journal.set_operator(Operator("Ann Lee", "Operations"))
            incident = journal.start_incident("Bench").incident_id
            fill(journal, incident, size)
            for sync in (True, False):
                journal.anchor.sync = sync
                times = time_ticks(journal, incident, args.ticks)
                print(f"| {size:,} | {'fsync' if sync else 'no fsync'} | "
                      f"{statistics.median(times):.2f} | {percentile(times, 99):.2f} |")
            journal.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
