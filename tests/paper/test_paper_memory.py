"""Paper in bounded memory: a part's QTextDocument is let go once its sheets are counted and
laid out again to be painted, so at most one page's document is alive while the binder is painted,
and no page is laid out more than twice (counted, not timed)."""

import gc
from collections import Counter

import pytest
from PySide6 import QtGui

from binder.content.store import ContentStore
from binder.paper import printing
from binder.search.library import Library


@pytest.fixture()
def library(shipped_db):
    library = Library(ContentStore(shipped_db))
    yield library
    library.close()


def alive_documents() -> int:
    gc.collect()
    return sum(isinstance(thing, QtGui.QTextDocument) for thing in gc.get_objects())


def test_painting_the_binder_keeps_one_page_document_alive_and_lays_each_out_at_most_twice(
        library, tmp_path, monkeypatch):
    laid_out: Counter[str] = Counter()
    alive: list[int] = []
    lay_out, paint_sheet = printing.lay_out, printing.paint_sheet

    def counting_lay_out(html, device, sheet, header=None, footer="", boxes=()):
        laid_out[header[0] if header else "cover"] += 1
        return lay_out(html, device, sheet, header, footer, boxes)

    def watching_paint_sheet(painter, sheet, part, page, number):
        alive.append(alive_documents())
        paint_sheet(painter, sheet, part, page, number)

    monkeypatch.setattr(printing, "lay_out", counting_lay_out)
    monkeypatch.setattr(printing, "paint_sheet", watching_paint_sheet)
    before = alive_documents()
    count = printing.binder_pdf(library, tmp_path / "binder.pdf", agency="Springfield PD",
                                revision=library.revision)
    titles = [s.title for _, docs in library.sections() for s in docs]
    assert count == len(alive) >= len(titles) + 2
    assert max(alive) - before == 1  # the part being painted, not the whole binder
    assert all(laid_out[title] <= 2 for title in titles)
    assert laid_out["cover"] <= 2 and laid_out["Contents"] <= 6
    assert set(titles) <= set(laid_out)


def test_bookmarks_are_appended_so_the_sheets_already_written_are_not_read_again(
        library, tmp_path):
    from pypdf import PdfReader

    path = tmp_path / "page.pdf"
    sheets = printing.page_pdf(library.document("tourniquet"), path, revision=library.revision)
    written = path.read_bytes()
    printing.add_outline(path, [("Médical", 0, [("Tourniquet ✓", sheets - 1, [])])])
    assert path.read_bytes().startswith(written)  # an incremental update, the sheets as they were
    reader = PdfReader(str(path))
    (top, children) = reader.outline
    assert top.title == "Médical" and reader.get_destination_page_number(top) == 0
    assert [child.title for child in children] == ["Tourniquet ✓"]
    assert reader.get_destination_page_number(children[0]) == sheets - 1
    assert reader.page_mode == "/UseOutlines" and len(reader.pages) == sheets


def test_the_handover_reads_one_page_of_events_at_a_time(library, tmp_path, monkeypatch):
    """Never the whole incident's events at once (at 100,000 events that held 320 MiB): the
    incident from its start and close, then each touched page's own events (the funding
    deadlines' dates come from the notes that carry one, journal/deadline_dates.date_notes)."""
    from binder.journal.journal import Journal, Operator

    journal = Journal(tmp_path / "journal.db")
    journal.set_operator(Operator("Ann Lee", "Incident Commander"))
    incident = journal.start_incident("North Mall").incident_id
    for doc_id in ("tourniquet", "active-assailant-first-minutes"):
        for step in library.document(doc_id).steps[:3]:
            journal.tick_step(incident, doc_id, step.id, step.text)
            journal.add_note(incident, "noted", doc_id=doc_id, step_id=step.id,
                             step_text=step.text)
    reads = []
    events = Journal.events

    def recording_events(self, incident_id=None, after=0, *, doc_id=None, kinds=()):
        found = events(self, incident_id, after, doc_id=doc_id, kinds=kinds)
        reads.append((doc_id, kinds, len(found)))
        return found

    monkeypatch.setattr(Journal, "events", recording_events)
    sheets = printing.handover_pdf(library, journal, incident, tmp_path / "handover.pdf",
                                   revision=library.revision)
    journal.close()
    assert sheets >= 3
    assert reads[0] == (None, ("start", "close"), 1)
    assert sorted(doc for doc, _, _ in reads[1:]) == ["active-assailant-first-minutes",
                                                      "tourniquet"]
    assert all(count == 6 for _, _, count in reads[1:])  # three ticks and three notes a page
