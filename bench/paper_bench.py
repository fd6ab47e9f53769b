"""The paper benchmark (issue 13 part 3): peak memory and time of the whole binder's PDF at 1k/5k
pages, the handover at 1k/10k/100k events and the ICS 205A at 1k/3k/10k contacts.

Each figure is one child process (so its peak, VmHWM from /proc/self/status, is its own) that
calls the same core functions as `binder print` and the window's 205A export.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = "# Paper benchmark"
BINDER_PAGES = (1_000, 5_000)
HANDOVER_EVENTS = (1_000, 10_000, 100_000)
CONTACTS = (1_000, 3_000, 10_000)
BUDGET_MIB = 300
NOTES = """\
How it is bounded: each page is laid out once to count its sheets and let go (its sheet count,
title and footer kept), and laid out again when painted, so one page's QTextDocument is alive at
a time; the PDF bookmarks are appended as an incremental update (binder/paper/pdf_outline.py)
instead of pypdf cloning every sheet. Measured on the way (same machine, loaded by other work):
the 1,000-page binder peaked at 253 MiB and the 5,000-page one at 843 MiB with the layout
bounded but the bookmarks still added by pypdf's clone (the issue's 903 MiB / 4.2 GiB before
either); time per sheet is flat (about 10 ms), so the binder is linear in pages.

The handover reads one touched page's events at a time (the incident itself from its start
and close events, the pages from one query) and verifies the chain row by row as the rows come:
at 100,000 events it peaked at 318 MiB while it held the whole incident's events, 107 MiB now.

The ICS 205A was one QTextDocument table, which Qt lays out and paints again, whole, for each
sheet: 1,484 contacts 6.7 s, 3,000 contacts 33 s (cProfile of 1,000 contacts: drawContents 2.5 s
for 89 sheets, setHtml 1.3 s, layout 1.3 s; at 3,000 painting was 31 s of it). Now
(binder/paper/contacts_pdf.py) the rows are cut into sheets: a document of a little more than
the next sheet's rows is laid out to see how many rows end on its first sheet, then each sheet
is its own document (blocks 1-2 on the first, the table's two header rows on each, "Prepared
by" after the last row) painted once; no row is split between sheets unless it is taller than
one. Each row is laid out about twice and painted once, so time grows with the contacts (about
28 ms of CPU a sheet at 1k, 3k and 10k) and memory only with the contacts' own text (about
1 KiB each). CPU seconds are given beside wall seconds: this machine is shared."""


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# In the child

def child_binder(db: str, out: str) -> int:
    from binder.content.store import ContentStore
    from binder.paper.printing import binder_pdf
    from binder.search.library import Library

    library = Library(ContentStore(Path(db)))
    return binder_pdf(library, Path(out), agency="Bench County", revision=library.revision)


def child_handover(db: str, journal_path: str, incident: str, out: str) -> int:
    from binder.content.store import ContentStore
    from binder.journal.journal import Journal
    from binder.paper.printing import handover_pdf
    from binder.search.library import Library

    library = Library(ContentStore(Path(db)))
    journal = Journal(Path(journal_path))
    try:
        return handover_pdf(library, journal, incident, Path(out), revision=library.revision)
    finally:
        journal.close()


def child_205a(journal_path: str, out: str) -> int:
    from binder.journal.contacts import ContactBook
    from binder.journal.journal import Journal
    from binder.paper.contacts_export import export_205a_pdf

    journal = Journal(Path(journal_path))
    try:
        export_205a_pdf(ContactBook(journal), Path(out), "Bench incident")
    finally:
        journal.close()
    return 0


def child(kind: str, *args: str) -> None:
    from binder.paper.export import ensure_gui_app

    ensure_gui_app()
    started, cpu = time.perf_counter(), time.process_time()
    sheets = {"binder": child_binder, "handover": child_handover, "205a": child_205a}[kind](*args)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if kind == "205a":
        sheets = pdf_pages(Path(args[-1]))
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak_mib(),
                      "sheets": sheets}))


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


# In the parent

def measure(kind: str, *args: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "bench.paper_bench", kind, *map(str, args)],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def binder_rows(work: Path) -> list[tuple[str, dict]]:
    from bench.run import build, corpus_folder

    rows = []
    for count in BINDER_PAGES:
        db, _, _ = build(corpus_folder(count, 1), count)
        say(f"Paper: the whole binder of {count} pages …")
        rows.append((f"`binder print --all`, {count:,} pages", measure(
            "binder", db, work / f"binder-{count}.pdf")))
        say(f"Paper: {rows[-1][1]}")
    return rows


def handover_rows(work: Path) -> list[tuple[str, dict]]:
    from bench.journal_data import checklist_steps, write_journal
    from binder.content.build import build_store

    db = work / "content.db"
    build_store(ROOT / "content", db)
    steps = checklist_steps(db)
    rows = []
    for count in HANDOVER_EVENTS:
        journal = work / f"journal-{count}.db"
        incident = write_journal(journal, count, steps)
        say(f"Paper: the handover of a journal of {count} events …")
        rows.append((f"handover, {count:,} events", measure(
            "handover", db, journal, incident, work / f"handover-{count}.pdf")))
        say(f"Paper: {rows[-1][1]}")
    return rows


def contacts_csv(path: Path, count: int) -> None:
    """`count` contacts: about four to a role, every field filled."""
    from binder.journal.contacts import FIELDS

    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(FIELDS)
        for n in range(count):
            writer.writerow([f"Role {n // 4:04d}", f"Person {n:05d}",
                             f"Agency {n % 37} Unit {n % 5}",
                             f"555-{n % 10000:04d}", f"555-{(n * 7) % 10000:04d}",
                             f"TAC {n % 12}", f"person{n}@example.org",
                             "Day shift; call the desk first" * (1 + n % 2), "2026-03-01"])


def contacts_rows(work: Path) -> list[tuple[str, dict]]:
    from binder.journal.contacts import ContactBook
    from binder.journal.journal import Journal
    from binder.paper.contacts_export import import_csv

    rows = []
    for count in CONTACTS:
        journal_path = work / f"contacts-journal-{count}.db"
        journal = Journal(journal_path)
        contacts_csv(work / "contacts.csv", count)
        import_csv(ContactBook(journal), work / "contacts.csv")
        total = len(ContactBook(journal).contacts())
        journal.close()
        say(f"Paper: the ICS 205A of {total} contacts …")
        rows.append((f"ICS 205A, {total:,} contacts",
                     measure("205a", journal_path, work / f"205a-{count}.pdf")))
        say(f"Paper: {rows[-1][1]}")
    return rows


def run() -> str:
    """The paper section of bench/results.md, measured now."""
    from bench.run import machine

    with tempfile.TemporaryDirectory(prefix="paper-bench-") as temp:
        work = Path(temp)
        rows = binder_rows(work) + handover_rows(work) + contacts_rows(work)
    lines = [HEADING, "", f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
             "(bench/paper_bench.py; `python -m bench.run --paper-only`).", ""]
    lines += [f"- {key}: {value}" for key, value in machine()]
    lines += ["", "| Paper | Sheets | Seconds | CPU seconds | s per sheet | Peak RSS (MiB) |",
              "|---|---:|---:|---:|---:|---:|"]
    for name, got in rows:
        per = got["seconds"] / max(1, got["sheets"])
        lines.append(f"| {name} | {got['sheets']:,} | {got['seconds']:.1f} | "
                     f"{got['cpu_seconds']:.1f} | {per:.3f} | {got['peak_mib']:.0f} |")
    binder = max(got["peak_mib"] for name, got in rows if name.startswith("`binder"))
    lines += ["", "Peak RSS is VmHWM of a child process doing only that print (Qt, the fonts and "
              "the interpreter included; a bare QGuiApplication is about 60 MiB). Budget: under "
              f"{BUDGET_MIB} MiB for the 5,000-page binder: {binder:.0f} MiB "
              f"({'met' if binder < BUDGET_MIB else 'NOT met'}).", "", NOTES, ""]
    return "\n".join(lines)


def write_part(out: Path) -> int:
    """Measure, and put the paper part in place of its old one in `out` (the rest kept)."""
    part = run()
    from bench.run import JOURNAL_HEADING

    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if HEADING not in old and JOURNAL_HEADING in old:  # before the journal part: --journal-only
        old = old.replace(JOURNAL_HEADING, HEADING + "\n\n# " + JOURNAL_HEADING[2:], 1)
    before, _, after = old.partition(HEADING)
    rest = after.split("\n# ", 1)[1] if "\n# " in after else ""
    text = before.rstrip("\n") + ("\n\n" if before.strip() else "") + part
    if rest:
        text += "\n# " + rest
    out.write_text(text, encoding="utf-8")
    print(part)
    print(f"Written to {out}")
    return 0


if __name__ == "__main__":
    child(*sys.argv[1:])
