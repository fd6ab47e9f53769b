"""The ICS 214 PDF of a long incident: work in proportion to the entries, every entry on paper."""

import shutil
import subprocess

import pytest

from binder.journal.incidents import Incident
from binder.journal.journal import ChainReport
from binder.paper.export import ActivityLog, Block, Entry, export_pdf
from binder.paper.log_table import LogTable

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")

INCIDENT = Incident("i-1", "Riverside Mall", "Active shooter", "400 Main St", "", "", "rev-1",
                    False, "2026-05-01T13:00:00.000+00:00", "Ann Lee")


def log_of(entries: list[Entry]) -> ActivityLog:
    block = Block("Ann Lee", "Incident Commander", "Springfield PD", "", tuple(entries),
                  "UTC+00:00 (UTC)")
    return ActivityLog(INCIDENT, (block,), "rev-1", False, "", "", "Ann Lee",
                       "Incident Commander", "2026-05-01 20:00", ChainReport(True, 1, "ab" * 32))


def entries(count: int) -> list[Entry]:
    """Every activity different (nothing laid out once serves twice), some of them long."""
    return [Entry(f"2026-05-01 {8 + n // 600:02d}:{n // 10 % 60:02d}",
                  f"Note: radio check {n:05d}, units on scene"
                  + (", all well, the perimeter holds, nobody hurt" * (n % 3)))
            for n in range(count)]


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_each_entry_is_laid_out_and_painted_once_however_long_the_log(tmp_path, qapp,
                                                                      monkeypatch):
    """What keeps the PDF linear, counted rather than timed: every row is measured once and
    painted once, on its own page (one QTextDocument for the whole table, which Qt paints in
    time that grows with the whole table, made it quadratic: 203 s at 100,000 entries)."""
    counts = {"layouts": 0, "pieces": 0}
    new_layout, paint_piece = LogTable._new_layout, LogTable.paint_piece

    def counting_layout(self, *args):
        counts["layouts"] += 1
        return new_layout(self, *args)

    def counting_piece(self, *args):
        counts["pieces"] += 1
        return paint_piece(self, *args)

    monkeypatch.setattr(LogTable, "_new_layout", counting_layout)
    monkeypatch.setattr(LogTable, "paint_piece", counting_piece)
    per_entry = {}
    for count in (250, 5000):
        counts.update(layouts=0, pieces=0)
        export_pdf(log_of(entries(count)), tmp_path / f"log-{count}.pdf")
        per_entry[count] = (counts["layouts"] / count, counts["pieces"] / count)
        assert count <= counts["pieces"] <= 1.05 * count, counts  # a few rows split in two
        assert counts["layouts"] <= 3 * count + 20, counts  # the activity and its time, once
    assert per_entry[5000][0] <= per_entry[250][0] * 1.1, per_entry


@needs_pdftotext
def test_every_entry_is_on_paper_in_order_under_the_table_header_of_each_page(tmp_path, qapp):
    export_pdf(log_of(entries(400)), tmp_path / "log.pdf")
    pages = pdf_text(tmp_path / "log.pdf").split("\f")[:-1]
    assert len(pages) > 5
    for number, page in enumerate(pages, 1):
        assert f"ICS 214 · Page {number} of {len(pages)}" in page
        if number < len(pages):  # the last page may hold only "Prepared by"
            assert "7. Activity Log:" in page and "Notable Activities" in page, number
    text = "".join(pages)
    found = [int(part[:5]) for part in text.split("radio check ")[1:]]
    assert found == list(range(400))
    assert "8. Prepared by" in pages[-1] and "Signature" in pages[-1]


@needs_pdftotext
def test_a_note_longer_than_a_page_is_split_between_pages_and_nothing_is_lost(tmp_path, qapp):
    words = [f"word{n:04d}" for n in range(2500)]
    log = log_of([Entry("2026-05-01 08:00", "Incident started: Riverside Mall"),
                  Entry("2026-05-01 08:01", "Note: " + " ".join(words)),
                  Entry("2026-05-01 08:02", "Done: Move to cover")])
    export_pdf(log, tmp_path / "log.pdf")
    text = pdf_text(tmp_path / "log.pdf")
    assert text.count("\f") >= 3
    assert [w for w in text.split() if w.startswith("word")] == words
    assert text.index("Incident started") < text.index("word0000")
    assert text.index("word2499") < text.index("Done: Move to cover")
