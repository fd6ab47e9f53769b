"""The funding-deadlines benchmark (issue 18 part 2): what Incident > Deadlines and the handover
pay to count an incident's deadlines (its date notes read, the pages' deadlines read, the dates
counted) and to record a date, in the generated journals of 1,000 to 100,000 events.

    .venv/bin/python -m bench.run --deadlines-only   # this part alone, into bench/results.md
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

HEADING = "# Deadlines benchmark"
SIZES = (1_000, 10_000, 100_000)
DATES = 40  # recorded dates (notes) added to each journal before measuring
READS = 100
WRITES = 40


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(journal_path: Path, content_db: Path) -> dict[str, list[float] | int]:
    from binder.journal.deadline_dates import date_notes, incident_day, record_date
    from binder.journal.incidents import incidents_from
    from binder.journal.journal import Journal, Operator
    from binder.paper.deadlines import deadline_rows
    from binder.search.library import Library

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "journal.db"
        shutil.copy(journal_path, copy)
        journal = Journal(copy)
        journal.set_operator(Operator("Fay Finance", "Finance/Administration"))
        current = journal.setting("current_incident")
        incident = incidents_from(journal.events(current, kinds=("start", "close")))[0]
        day = incident_day(incident)[0].isoformat()
        library = Library.open(content_db)
        names = [("eflea", "received"), ("psob", "death"), ("psob", "other-benefits"),
                 ("psob", "denial-letter")]
        for n in range(DATES):
            page, name = names[n % len(names)]
            record_date(journal, incident, page, name, name, day)
        reads = []
        for _ in range(READS):
            started = time.perf_counter()
            rows = deadline_rows(library, incident, date_notes(journal, current))
            reads.append((time.perf_counter() - started) * 1000)
        writes = []
        for n in range(WRITES):
            page, name = names[n % len(names)]
            started = time.perf_counter()
            record_date(journal, incident, page, name, name, day)
            writes.append((time.perf_counter() - started) * 1000)
        notes = journal.conn.execute("SELECT count(*) FROM events WHERE incident_id = ? AND "
                                     "kind = 'note'", (current,)).fetchone()[0]
        dated = sum(1 for row in rows if row.due)
        library.close()
        journal.close()
    return {"reads": reads, "writes": writes, "notes": notes, "rows": len(rows), "dated": dated}


def run() -> str:
    from bench.journal_bench import cached_journal, say, shipped_content
    from bench.run import machine

    content_db = shipped_content()
    lines = [HEADING, "", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine()]
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines += [f"| Load average at the start (1/5/15 min) | {load} |", ""]
    lines += ["## Counting an incident's deadlines, and recording a date", "",
              f"The current incident of each generated journal, with {DATES} recorded dates "
              "added; the shipped content's deadline pages. \"Count\" is `date_notes` + "
              f"`deadline_rows` (what the Deadlines window and the handover do), {READS} times; "
              f"\"record\" is `record_date` (a journal note, fsynced), {WRITES} times.", "",
              "| Events | Notes in the incident | Rows (dated) | Count p50 (ms) | Count p99 (ms) "
              "| Record p50 (ms) | Record p99 (ms) |", "|---|---|---|---|---|---|---|"]
    for count in SIZES:
        say(f"Deadlines: {count:,} events …")
        found = measure(cached_journal(count, content_db), content_db)
        reads, writes = found["reads"], found["writes"]
        lines.append(f"| {count:,} | {found['notes']:,} | {found['rows']} ({found['dated']}) | "
                     f"{statistics.median(reads):.2f} | {percentile(reads, 99):.2f} | "
                     f"{statistics.median(writes):.2f} | {percentile(writes, 99):.2f} |")
    return "\n".join(lines)
