"""The ICS 205A PDF of a long contact list: work in proportion to the contacts, every contact
whole on paper under the form's header rows, the sheets numbered."""

import csv
import gc
import re
import shutil
import subprocess

import pytest
from PySide6 import QtGui

from binder.journal.contacts import FIELDS, Contact, ContactBook
from binder.journal.journal import Journal
from binder.paper import contacts_pdf
from binder.paper.contacts_export import export_205a_pdf, import_csv

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


def notes(n: int) -> str:
    """Between one and five lines in the Notes column, marked where they start and end."""
    return " ".join([f"start{n:05d}"] + ["call the desk first"] * (n % 7) + [f"end{n:05d}"])


def contact(n: int, text: str = "") -> Contact:
    return Contact(role=f"Role {n // 3:04d}", name=f"Person {n:05d}", agency=f"Agency {n % 9}",
                   phone=f"555-01{n % 100:02d}-{n:04d}", radio=f"TAC {n % 12}",
                   email=f"person{n}@example.org", notes=text or notes(n), verified="2026-03-01")


def shift_contact(n: int) -> Contact:
    """As bench/paper_bench.py makes them: rows of two heights."""
    return Contact(role=f"Role {n // 4:04d}", name=f"Person {n:05d}",
                   agency=f"Agency {n % 37} Unit {n % 5}", phone=f"555-{n:04d}",
                   alt_phone=f"555-{n * 7 % 10000:04d}", radio=f"TAC {n % 12}",
                   email=f"person{n}@example.org",
                   notes="Day shift; call the desk first" * (1 + n % 2), verified="2026-03-01")


@pytest.fixture
def book_of(tmp_path, qapp):
    """A contact book in a real journal, filled from a CSV of `count` contacts."""
    journals = []

    def make(count: int, *extra: Contact) -> ContactBook:
        journal = Journal(tmp_path / f"journal-{len(journals)}.db")
        journals.append(journal)
        path = tmp_path / "contacts.csv"
        with open(path, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(FIELDS)
            for person in [contact(n) for n in range(count)] + list(extra):
                writer.writerow([getattr(person, name) for name in FIELDS])
        book = ContactBook(journal)
        if count or extra:
            import_csv(book, path)
        return book

    yield make
    for journal in journals:
        journal.close()


def pdf_pages(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_each_contact_is_laid_out_a_bounded_number_of_times_however_long_the_list(
        book_of, tmp_path, monkeypatch):
    """What keeps the PDF linear, counted rather than timed: no document holds more than
    about two sheets of rows, and each row is laid out about twice (one QTextDocument of the
    whole table, laid out and painted again for each sheet, made it superlinear: 1,484 contacts
    6.7 s, 3,000 contacts 33 s)."""
    sheet_document = contacts_pdf.sheet_document
    sizes: list[int] = []

    def counting(device, area, form, cut):
        sizes.append(cut.end - cut.start)
        return sheet_document(device, area, form, cut)

    monkeypatch.setattr(contacts_pdf, "sheet_document", counting)
    per_contact = {}
    for count in (60, 900):
        sizes.clear()
        export_205a_pdf(book_of(count), tmp_path / f"205a-{count}.pdf")
        per_contact[count] = sum(sizes) / count
        assert max(sizes) <= 40, sizes  # about 12 of these contacts fit on a sheet
        assert per_contact[count] <= 3, sizes
    assert per_contact[900] <= per_contact[60] * 1.2, per_contact


def test_one_sheet_document_is_alive_while_a_sheet_is_painted(book_of, tmp_path, monkeypatch):
    """Memory does not grow with the sheets: each sheet's document is let go once painted."""
    paint_sheet, alive = contacts_pdf.paint_sheet, []

    def watching(painter, area, doc, page, number, incident):
        gc.collect()
        alive.append(sum(isinstance(thing, QtGui.QTextDocument) for thing in gc.get_objects()))
        paint_sheet(painter, area, doc, page, number, incident)

    monkeypatch.setattr(contacts_pdf, "paint_sheet", watching)
    export_205a_pdf(book_of(120), tmp_path / "205a.pdf")
    assert len(alive) > 8 and max(alive) == 1, alive


@needs_pdftotext
def test_every_contact_is_whole_on_one_sheet_in_order_under_the_form_header(book_of,
                                                                            tmp_path):
    out = tmp_path / "205a.pdf"
    export_205a_pdf(book_of(150), out, incident_name="Mall shooting")
    pages = pdf_pages(out)
    assert len(pages) > 5
    for number, page in enumerate(pages, 1):
        assert page.count("NOT FOR PUBLIC RELEASE") == 2, number  # the top box and the footer
        assert f"ICS 205A · Page {number} of {len(pages)}" in page
        assert ("COMMUNICATIONS LIST (ICS 205A)" in page) == (number == 1)
        assert ("4. Prepared by" in page) == (number == len(pages))
        if re.search(r"Person \d{5}", page):
            assert "3. Basic Local Communications Information" in page, number
            assert "Incident Assigned" in page and "Last Verified" in page, number
        for start in re.findall(r"start(\d{5})", page):  # no row is split between sheets
            assert f"end{start}" in page, (number, start)
    text = "".join(pages)
    assert [int(n) for n in re.findall(r"Person (\d{5})", text)] == list(range(150))
    assert [int(n) for n in re.findall(r"end(\d{5})", text)] == list(range(150))


@needs_pdftotext
def test_a_contact_taller_than_a_sheet_is_split_between_sheets_and_nothing_is_lost(
        book_of, tmp_path):
    words = [f"word{n:04d}" for n in range(1500)]
    out = tmp_path / "205a.pdf"
    export_205a_pdf(book_of(20, contact(20, " ".join(words)), contact(21)), out)
    pages = pdf_pages(out)
    assert len(pages) >= 4
    for number, page in enumerate(pages, 1):
        assert f"ICS 205A · Page {number} of {len(pages)}" in page
    text = "".join(pages)
    found = [w for w in text.split() if w.startswith("word")]
    # Qt also paints the line just above a sheet's top, clipped out of sight (pdftotext reads
    # it): a word may come twice where the row goes on to the next sheet, never out of order.
    assert [w for n, w in enumerate(found) if not n or found[n - 1] != w] == words
    assert text.index("Person 00019") < text.index("word0000")
    assert text.index("word1499") < text.index("Person 00021")
    assert "4. Prepared by" in pages[-1]


@needs_pdftotext
def test_an_empty_list_prints_one_sheet_with_the_header_and_prepared_by(book_of, tmp_path):
    out = tmp_path / "205a.pdf"
    export_205a_pdf(book_of(0), out)
    [page] = pdf_pages(out)
    assert "COMMUNICATIONS LIST (ICS 205A)" in page and "Incident Assigned" in page
    assert "4. Prepared by" in page and "ICS 205A · Page 1 of 1" in page


def test_each_cut_takes_the_sheets_it_was_counted_for_whatever_the_count(tmp_path, qapp):
    """Around every sheet boundary ("Prepared by" alone on the last sheet included), the
    documents painted take exactly the sheets counted for "Page n of N"."""
    writer = QtGui.QPdfWriter(str(tmp_path / "geometry.pdf"))
    writer.setPageLayout(contacts_pdf.page_layout())
    area = contacts_pdf.area_of(writer)
    alone = 0
    for count, make in [(count, contact) for count in range(40)] + [
            (count, shift_contact) for count in range(8, 40)]:
        form = contacts_pdf.form_of([make(n) for n in range(count)], "Mall", None, "now")
        cuts = contacts_pdf.cut_sheets(form, writer, area)
        assert [cut.start for cut in cuts] == [0] + [cut.end for cut in cuts[:-1]], count
        assert cuts[-1].end == count and [cut.prepared for cut in cuts][-1], count
        assert not any(cut.prepared for cut in cuts[:-1]), count
        for cut in cuts:
            assert contacts_pdf.sheet_document(writer, area, form, cut).pageCount() == cut.pages
        alone += cuts[-1].start == cuts[-1].end and count > 0
    assert alone  # some count left "Prepared by" to a sheet of its own


@needs_pdftotext
def test_a_sheet_counted_short_is_caught_and_the_pdf_cut_again_sheet_by_sheet(
        book_of, tmp_path, monkeypatch):
    """A row too many counted on each sheet: the sheet's own document takes two sheets, which
    is seen before the PDF is finished, and the sheets are cut again, each checked."""
    rows_on_first_sheet = contacts_pdf.rows_on_first_sheet
    monkeypatch.setattr(contacts_pdf, "rows_on_first_sheet",
                        lambda doc, body: rows_on_first_sheet(doc, body) + 1)
    out = tmp_path / "205a.pdf"
    export_205a_pdf(book_of(60), out)
    pages = pdf_pages(out)
    for number, page in enumerate(pages, 1):
        assert f"ICS 205A · Page {number} of {len(pages)}" in page
        for start in re.findall(r"start(\d{5})", page):
            assert f"end{start}" in page, (number, start)
    assert [int(n) for n in re.findall(r"Person (\d{5})", "".join(pages))] == list(range(60))


@needs_pdftotext
def test_a_long_email_is_broken_in_its_column_alike_on_every_sheet(book_of, tmp_path):
    """As in the one table of every row before: the columns keep the form's widths, the same
    on every sheet, and a word too long for its column goes on over lines, nothing lost."""
    long = "incident.commander.springfield.county.office@example.org"
    out = tmp_path / "205a.pdf"
    export_205a_pdf(book_of(40, Contact(role="Role 0099", name="Person 00040", email=long)), out)
    raw = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert long not in raw and long in raw.replace("\n", "")  # broken over lines, in order
    boxes = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True,
                           text=True, check=True).stdout
    for label in ("Name", "Email", "Notes"):
        lefts = re.findall(rf'xMin="([\d.]+)"[^>]*>{label}<', boxes)
        assert len(lefts) == len(pdf_pages(out)) and len(set(lefts)) == 1, label
