"""Paper: real PDFs of a page, the whole binder and a handover, read back as a person would
(poppler's pdftotext and pdftoppm, pixels through QImage, bookmarks through pypdf)."""

import datetime as dt
import re
import shutil
import subprocess

import pytest

from binder.content.store import ContentStore, html_to_text
from binder.journal.journal import Journal, Operator
from binder.paper.export import ExportError, local_minutes
from binder.paper.printing import BOX_MM, binder_pdf, handover_pdf, page_pdf
from binder.search.library import Library

AGENCY = "Springfield Police Department"
PRINTED = dt.date(2026, 5, 1)
ANN = Operator("Ann Lee", "Incident Commander", "Springfield PD")

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdfinfo")),
    reason="poppler-utils (pdftotext, pdftoppm, pdfinfo) is not installed")
pytestmark = needs_poppler


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def sheets_text(path, layout: bool = True) -> list[str]:
    """Each sheet's text, laid out as on paper (or in reading order, a column at a time)."""
    mode = ["-layout"] if layout else []
    return run("pdftotext", *mode, str(path), "-").split("\f")[:-1]


def sheet_count(path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(path)), re.M).group(1))


def words(text: str) -> str:
    return " ".join(text.split())


def squash(text: str) -> str:
    """Letters and digits only: line breaks, hyphens at a break and spacing do not count."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


@pytest.fixture(scope="module")
def library(shipped_db):
    library = Library(ContentStore(shipped_db))
    yield library
    library.close()


@pytest.fixture(scope="module")
def whole(library, tmp_path_factory):
    """The whole shipped binder as one PDF, made once: (path, its sheets' text)."""
    path = tmp_path_factory.mktemp("paper") / "binder.pdf"
    count = binder_pdf(library, path, agency=AGENCY, revision=library.revision, printed=PRINTED)
    texts = sheets_text(path)
    assert count == len(texts)
    return path, texts


def shipped_titles(library) -> list[tuple[str, list[str]]]:
    return [(section, [doc.title for doc in docs]) for section, docs in library.sections() if docs]


def test_every_shipped_page_is_in_the_binder_pdf(library, whole):
    _, texts = whole
    everything = words(" ".join(texts))
    titles = [title for _, docs in shipped_titles(library) for title in docs]
    assert len(titles) == library.document_count() > 20
    missing = [title for title in titles if words(title) not in everything]
    assert missing == []


def test_the_cover_names_the_agency_revision_and_date(library, whole):
    _, texts = whole
    cover = words(texts[0])
    assert AGENCY in cover
    assert "Incident Response Binder" in cover
    assert f"Content revision {library.revision}" in cover
    assert "Printed 2026-05-01" in cover


def test_every_sheet_has_page_n_of_n_and_n_is_the_pdf_page_count(whole):
    path, texts = whole
    total = sheet_count(path)
    assert total == len(texts) > 27
    for number, text in enumerate(texts, start=1):
        foot = text.rstrip().splitlines()[-1]
        assert foot.endswith(f"Page {number} of {total}"), (number, foot)


def toc_numbers(texts: list[str]) -> dict[str, int]:
    """Title -> sheet number, read from the contents sheet(s) as printed."""
    found = {}
    for text in texts[1:]:
        if not text.lstrip().startswith("Contents"):
            break
        for line in text.splitlines():
            match = re.match(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", line)
            if match and "Page" not in line:
                found[match.group(1)] = int(match.group(2))
    return found


def test_contents_numbers_point_to_the_sheet_where_each_page_starts(library, whole):
    path, texts = whole
    numbers = toc_numbers(texts)
    sections = shipped_titles(library)
    assert set(numbers) == {s for s, _ in sections} | {t for _, docs in sections for t in docs}
    previous = 0
    for section, docs in sections:
        assert numbers[section] == numbers[docs[0]]
        for title in docs:
            page = numbers[title]
            assert page > previous  # each page starts on a sheet of its own, in binder order
            previous = page
            sheet = run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-")
            header = sheet.lstrip().splitlines()[0]
            assert header.startswith(title[:40]), (title, page, header)
            before = texts[page - 2].lstrip().splitlines()[0]
            assert not before.startswith(title[:40])  # and it starts there, not earlier


def test_outline_has_each_section_with_its_pages_pointing_to_their_sheets(library, whole):
    from pypdf import PdfReader

    path, texts = whole
    reader = PdfReader(str(path))
    outline = reader.outline
    tops = [item for item in outline if not isinstance(item, list)]
    kids = [item for item in outline if isinstance(item, list)]
    sections = shipped_titles(library)
    assert [item.title for item in tops] == [section for section, _ in sections]
    assert [[child.title for child in group] for group in kids] == [docs for _, docs in sections]
    for top, group in zip(tops, kids, strict=True):
        assert reader.get_destination_page_number(top) == \
            reader.get_destination_page_number(group[0])
        for child in group:
            index = reader.get_destination_page_number(child)
            header = texts[index].lstrip().splitlines()[0]
            assert header.startswith(child.title[:40]), (child.title, index, header)
    assert reader.page_mode == "/UseOutlines"


def test_no_step_row_is_split_between_two_sheets(library, whole):
    path, _ = whole
    sheets = [squash(re.sub(r"Initials _+ Time _+", " ", text))
              for text in sheets_text(path, layout=False)]
    sheet, checked = 0, 0
    for _, docs in library.sections():
        for summary in docs:
            for step in library.document(summary.id).steps:
                text = squash(html_to_text(step.html))
                start, end = text[:25], text[-20:]
                while start not in sheets[sheet]:
                    sheet += 1  # IndexError: a step is missing, or out of binder order
                at = sheets[sheet].index(start)
                assert end in sheets[sheet][at:], (step.id, sheet + 1)
                checked += 1
    assert checked > 200


# Tick boxes, found in the pixels

DPI = 100


def render(path, tmp_path) -> list:
    """Each sheet as a QImage, at DPI."""
    from PySide6.QtGui import QImage

    run("pdftoppm", "-r", str(DPI), "-png", str(path), str(tmp_path / "sheet"))
    files = sorted(tmp_path.glob("sheet-*.png"))
    return [QImage(str(file)) for file in files]


def boxes_on(image) -> list[str]:
    """The tick boxes on a sheet, top to bottom: 'empty' or 'marked'. A box is a dark square
    outline of the expected size (every side a straight dark line) in the left column."""
    from PySide6.QtGui import QImage

    side = BOX_MM / 25.4 * DPI
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    bits, stride = bytes(gray.constBits()), gray.bytesPerLine()
    columns = int(gray.width() * 0.2)
    dark = [[value < 128 for value in bits[y * stride:y * stride + columns]]
            for y in range(gray.height())]
    found, seen = [], set()
    for y, row in enumerate(dark):
        for x, is_dark in enumerate(row):
            if not is_dark or (x, y) in seen:
                continue
            component, stack = [], [(x, y)]
            seen.add((x, y))
            while stack:
                cx, cy = stack.pop()
                component.append((cx, cy))
                for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    if (0 <= ny < len(dark) and 0 <= nx < len(row) and dark[ny][nx]
                            and (nx, ny) not in seen):
                        seen.add((nx, ny))
                        stack.append((nx, ny))
            xs, ys = [p[0] for p in component], [p[1] for p in component]
            left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
            width, height = right - left + 1, bottom - top + 1
            if not (0.8 * side <= width <= 1.25 * side and 0.8 * side <= height <= 1.25 * side):
                continue
            points = set(component)
            sides = [sum((i, j) in points for i in range(left, right + 1)) / width
                     for j in (top, bottom)]
            sides += [sum((i, j) in points for j in range(top, bottom + 1)) / height
                      for i in (left, right)]
            if min(sides) < 0.8:
                continue
            inside = [(i, j) for i in range(left + 3, right - 2)
                      for j in range(top + 3, bottom - 2)]
            filled = sum(dark[j][i] for i, j in inside)
            found.append((top, "marked" if filled > 2 else "empty"))
    return [state for _, state in sorted(found)]


def test_a_checklist_has_an_empty_box_and_an_initials_line_for_every_step(
        library, tmp_path):
    doc = library.document("tourniquet")
    path = tmp_path / "tourniquet.pdf"
    count = page_pdf(doc, path, revision=library.revision)
    texts = sheets_text(path)
    assert count == sheet_count(path) == len(texts)
    images = render(path, tmp_path)
    per_sheet = [boxes_on(image) for image in images]
    assert sum(len(boxes) for boxes in per_sheet) == len(doc.steps) > 10
    assert all(box == "empty" for boxes in per_sheet for box in boxes)
    # each box has its initials and time line on the same sheet: no row is split
    assert [len(b) for b in per_sheet] == [t.count("Initials ________") for t in texts]
    assert [len(re.findall(r"Time ________", t)) for t in texts] == [len(b) for b in per_sheet]
    header = words(texts[0].splitlines()[0] + " " + texts[0].splitlines()[1])
    assert header.startswith("Tourniquet Casualty care")
    assert f"Content revision {library.revision}" in header
    assert f"last reviewed {doc.reviewed}" in header
    assert "Sources" in texts[-1] and doc.sources[0]["name"] in words(texts[-1])


def test_prose_and_steps_print_in_reading_order(library, tmp_path):
    doc = library.document("tourniquet")
    path = tmp_path / "tourniquet.pdf"
    page_pdf(doc, path, revision=library.revision)
    text = words(" ".join(sheets_text(path, layout=False)))
    first_words = [html_to_text(step.html)[:25] for step in doc.steps]
    positions = [text.find(start) for start in first_words]
    assert -1 not in positions and positions == sorted(positions)
    assert text.find("Care under fire") < positions[0]  # the heading above the first step


def test_a_handover_shows_who_did_what_with_ticked_boxes(library, tmp_path):
    journal = Journal(tmp_path / "data" / "journal.db")
    journal.set_operator(ANN)
    incident_id = journal.start_incident("North Mall", exercise=True,
                                         content_revision=library.revision).incident_id
    doc = library.document("tourniquet")
    first, second = doc.steps[0], doc.steps[1]
    ticked = journal.tick_step(incident_id, doc.id, first.id, first.text)
    journal.step_event("na", incident_id, doc.id, second.id, second.text)
    journal.add_note(incident_id, "EMS took over at the CCP", doc_id=doc.id, step_id=first.id,
                     step_text=first.text)
    path = tmp_path / "handover.pdf"
    count = handover_pdf(library, journal, incident_id, path, revision=library.revision)
    journal.close()
    texts = sheets_text(path)
    assert count == sheet_count(path) == len(texts) >= 2
    front = words(texts[0])
    assert "Shift handover — North Mall" in front
    assert "EXERCISE" in front
    assert "Printed by Ann Lee (Incident Commander)" in front
    assert "Journal chain: intact, 4 entries" in front
    opened = len(doc.steps) - 2
    assert f"Tourniquet 1 done · 1 N/A · {opened} open" in front
    checklist = words(" ".join(sheets_text(path, layout=False)[1:]))
    at = local_minutes(ticked.entered_at)[11:]
    assert f"Done by Ann Lee (Incident Commander) at {at}" in checklist
    assert "N/A by Ann Lee (Incident Commander)" in checklist
    assert "Note: EMS took over at the CCP" in checklist
    assert checklist.count("Initials ________") == opened
    assert all("EXERCISE" in text.rstrip().splitlines()[-1] for text in texts)
    boxes = [box for image in render(path, tmp_path)[1:] for box in boxes_on(image)]
    assert boxes == ["marked", "marked"] + ["empty"] * opened


def test_an_unwritable_path_is_a_plain_export_error(library, tmp_path):
    with pytest.raises(ExportError, match="cannot be written"):
        page_pdf(library.document("tourniquet"), tmp_path / "missing" / "page.pdf",
                 revision=library.revision)
    assert not (tmp_path / "missing").exists()


def test_an_unknown_incident_is_a_plain_export_error(library, tmp_path):
    journal = Journal(tmp_path / "journal.db")
    with pytest.raises(ExportError, match="no incident"):
        handover_pdf(library, journal, "nope", tmp_path / "h.pdf", revision=library.revision)
    journal.close()
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob(".h.pdf*")) == []


FORMS = ["ICS 201 Incident Briefing", "ICS 205A Communications List",
         "ICS 211 Incident Check-In List", "ICS 213 General Message", "ICS 214 Activity Log"]


def test_each_blank_form_starts_on_a_sheet_of_its_own(library, tmp_path):
    doc = library.document("blank-ics-forms")
    path = tmp_path / "forms.pdf"
    count = page_pdf(doc, path, revision=library.revision)
    texts = sheets_text(path)
    assert count == len(texts)
    starts = []
    for title in FORMS:
        sheet = next(i for i, text in enumerate(texts) if title in words(text))
        body = [line for line in texts[sheet].splitlines()[2:] if line.strip()]  # under the header
        assert words(body[0]) == title, f"{title} does not open sheet {sheet + 1}"
        starts.append(sheet)
    assert starts == sorted(set(starts)) and starts[0] >= 1  # the how-to comes first
