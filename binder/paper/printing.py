"""Paper: one page, the whole binder or a shift handover, laid out for a printer or a PDF.

Every part (the cover, the contents, each page of the binder) is laid out first as its own
QTextDocument to count its sheets, and the document is let go (only its sheet count, header and
footer are kept); when its sheets are painted, with a header and a "Page n of N" footer on each,
the part is laid out again. So memory stays bounded however many pages the binder has. Tick
boxes are painted squares, not a font's glyph. The window prints to a QPrinter through the
paint_* functions; QtPrintSupport is never imported here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt

from binder.content.pages import KIND_NAMES
from binder.content.store import DocRecord
from binder.journal.deadline_dates import date_notes
from binder.journal.incidents import incidents_from, progress, step_states
from binder.journal.journal import INCIDENT_KINDS, verify_chain
from binder.paper.deadline_words import deadlines_html
from binder.paper.deadlines import deadline_rows, zone_text
from binder.paper.export import ExportError, ensure_gui_app, form_font, page_size, write_whole
from binder.paper.laptops import printed_states
from binder.paper.paper_html import (
    BOX_ANCHOR,
    CONTENT_TABLE,
    PRINT_STYLE,
    HandoverFacts,
    TocEntry,
    cover_html,
    handover_html,
    page_body,
    progress_text,
    toc_html,
)
from binder.paper.pdf_outline import append_outline

MARGINS_MM = QMarginsF(15, 12, 15, 12)  # left, top, right, bottom
BOX_MM = 3.6  # the side of a tick box
BINDER_TITLE = "Incident Response Binder"


@dataclass(frozen=True)
class Sheet:
    """The geometry of one sheet on a device, in its own units."""
    width: float
    height: float
    header: float  # the band at the top for the running header
    footer: float  # the band at the foot for "Page n of N"
    mm: float  # device units per millimetre

    @property
    def body(self) -> float:
        return self.height - self.header - self.footer


@dataclass
class Part:
    """Something that starts on a new sheet: laid out, with its sheet count known."""
    doc: QtGui.QTextDocument | None
    header: tuple[str, str, str, str] | None  # title, right, the line under: left, right
    footer: str
    boxes: list[tuple[QRectF, str]] = field(default_factory=list)  # document coordinates
    pages: int = 0
    again: Callable[[], Part] | None = None  # lays the part out again, once its doc is let go

    def light(self, again: Callable[[], Part]) -> Part:
        """This part without its document: its sheet count, header and footer kept."""
        return replace(self, doc=None, boxes=[], again=again)

    def laid_out(self) -> Part:
        return self if self.doc is not None else self.again()


def setup_paper(device: QtGui.QPagedPaintDevice) -> None:
    """Letter or A4 (from export.page_size) with Binder's margins: call before painting."""
    device.setPageSize(page_size())
    device.setPageMargins(MARGINS_MM, QtGui.QPageLayout.Unit.Millimeter)


def sheet_of(device: QtGui.QPagedPaintDevice) -> Sheet:
    mm = device.logicalDpiY() / 25.4
    small = QtGui.QFontMetricsF(form_font(8.5), device).height()
    return Sheet(device.width(), device.height(), header=small * 2 + 3 * mm,
                 footer=small + 3 * mm, mm=mm)


def lay_out(html: str, device, sheet: Sheet, header=None, footer: str = "",
            boxes: list[str] = ()) -> Part:
    """Rich text laid out on sheets of this device, no step row split between two sheets; the
    tick boxes found by their anchors."""
    doc = QtGui.QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(form_font(10.5))
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(PRINT_STYLE)
    doc.setHtml(html)
    doc.setPageSize(QSizeF(sheet.width, sheet.body))
    cells = box_cells(doc, len(boxes))
    keep_rows_whole(doc, sheet, cells)
    part = Part(doc, header, footer, pages=doc.pageCount())
    part.boxes = [(box_rect(doc, cell, sheet), status) for cell, status in zip(cells, boxes,
                                                                               strict=True)]
    return part


def box_cells(doc: QtGui.QTextDocument, count: int) -> list[QtGui.QTextBlock]:
    """The empty cell of each step row, in order, found by its anchor (paper-box-<n>)."""
    cells: dict[int, QtGui.QTextBlock] = {}
    block = doc.begin()
    while block.isValid() and len(cells) < count:
        it = block.begin()
        while not it.atEnd():
            for name in it.fragment().charFormat().anchorNames():
                if name.startswith(BOX_ANCHOR):
                    cells.setdefault(int(name[len(BOX_ANCHOR):]), block)
            it += 1
        block = block.next()
    if sorted(cells) != list(range(count)):
        raise ExportError("A checklist could not be laid out for paper (a step row is missing).")
    return [cells[number] for number in range(count)]


def keep_rows_whole(doc: QtGui.QTextDocument, sheet: Sheet, cells) -> None:
    """QTextDocument splits a table row across sheets; a step row that would be split starts
    a new sheet instead (unless it is taller than a sheet)."""
    layout = doc.documentLayout()
    tables = [QtGui.QTextCursor(cell).currentTable() for cell in cells]
    for table in tables:
        rect = layout.frameBoundingRect(table)
        if (rect.height() < sheet.body
                and int(rect.top() // sheet.body) != int((rect.bottom() - 1) // sheet.body)):
            fmt = table.format()
            fmt.setPageBreakPolicy(QtGui.QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            table.setFormat(fmt)


def box_rect(doc: QtGui.QTextDocument, cell: QtGui.QTextBlock, sheet: Sheet) -> QRectF:
    """Where a step's box goes: at the left of its cell, centred on the first line."""
    side = BOX_MM * sheet.mm
    rect, line = doc.documentLayout().blockBoundingRect(cell), cell.layout().lineAt(0)
    top = max(rect.top(), rect.top() + line.y() + (line.height() - side) / 2)
    return QRectF(rect.left() + 0.5 * sheet.mm, top, side, side)


def page_part(doc: DocRecord, device, sheet: Sheet, revision: str, states=None,
              footer: str = "") -> Part:
    line = ""
    if states is not None:
        line = progress_text(progress([s.id for s in doc.steps], states))
    body = page_body(doc, states, line)
    kind = KIND_NAMES.get(doc.kind, doc.kind) + (f" · agency pack “{doc.pack}”" if doc.pack else "")
    header = (doc.title, doc.section,
              f"Content revision {revision or 'not recorded'} · "
              f"{'last reviewed ' + doc.reviewed if doc.reviewed else 'not reviewed'}", kind)
    return lay_out(body.html, device, sheet, header, footer, body.boxes)


def paint_parts(device: QtGui.QPagedPaintDevice, parts: list[Part], sheet: Sheet) -> int:
    """Paint every part, each from a new sheet; returns the number of sheets."""
    total = sum(part.pages for part in parts)
    painter = QtGui.QPainter()
    if not painter.begin(device):
        raise OSError(0, "the printer or PDF file cannot be opened for writing")
    try:
        number = 0
        for light in parts:
            part = light.laid_out()
            for page in range(part.pages):
                if number:
                    device.newPage()
                number += 1
                paint_sheet(painter, sheet, part, page, f"Page {number} of {total}")
            del part  # its document goes before the next part is laid out
    finally:
        painter.end()
    return total


def paint_sheet(painter: QtGui.QPainter, sheet: Sheet, part: Part, page: int, number: str):
    top = page * sheet.body
    painter.save()
    painter.translate(0, sheet.header - top)
    part.doc.drawContents(painter, QRectF(0, top, sheet.width, sheet.body))
    for rect, status in part.boxes:
        if top <= rect.top() < top + sheet.body:
            paint_box(painter, rect, status, sheet.mm)
    painter.restore()
    if part.header:
        paint_header(painter, sheet, part.header)
    paint_footer(painter, sheet, part.footer, number)


def paint_box(painter: QtGui.QPainter, box: QRectF, status: str, mm: float) -> None:
    """An empty square; a tick in it when done; a stroke across it when not applicable."""
    painter.save()
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QtGui.QPen(Qt.GlobalColor.black, 0.3 * mm))
    painter.drawRect(box)
    x, y, w, h = box.left(), box.top(), box.width(), box.height()
    painter.setPen(QtGui.QPen(Qt.GlobalColor.black, 0.55 * mm, Qt.PenStyle.SolidLine,
                              Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    if status == "N/A":
        inset = 0.15 * w  # inside the square, so the square stays a square
        painter.drawLine(QPointF(x + inset, y + h - inset), QPointF(x + w - inset, y + inset))
    elif status != "open":
        tick = ((0.18, 0.52), (0.42, 0.8), (0.86, 0.16))  # a pen's tick, in the square's terms
        painter.drawPolyline([QPointF(x + a * w, y + b * h) for a, b in tick])
    painter.restore()


def paint_header(painter: QtGui.QPainter, sheet: Sheet, header) -> None:
    title, right, below_left, below_right = header
    bold = form_font(8.5)
    bold.setBold(True)
    plain = form_font(8.5)
    line = QtGui.QFontMetricsF(plain, painter.device()).height()
    left, align_right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
    painter.save()
    painter.setPen(Qt.GlobalColor.black)
    painter.setFont(plain)
    right_width = painter.fontMetrics().horizontalAdvance(right) + 4 * sheet.mm
    painter.drawText(QRectF(0, 0, sheet.width, line), align_right, right)
    painter.setFont(bold)
    shown = QtGui.QFontMetricsF(bold, painter.device()).elidedText(
        title, Qt.TextElideMode.ElideRight, sheet.width - right_width)
    painter.drawText(QRectF(0, 0, sheet.width, line), left, shown)
    painter.setFont(plain)
    painter.drawText(QRectF(0, line, sheet.width, line), left, below_left)
    painter.drawText(QRectF(0, line, sheet.width, line), align_right, below_right)
    painter.setPen(QtGui.QPen(Qt.GlobalColor.black, 0.2 * sheet.mm))
    rule = 2 * line + 1 * sheet.mm
    painter.drawLine(QPointF(0, rule), QPointF(sheet.width, rule))
    painter.restore()


def paint_footer(painter: QtGui.QPainter, sheet: Sheet, left: str, number: str) -> None:
    area = QRectF(0, sheet.height - sheet.footer, sheet.width, sheet.footer)
    bottom = Qt.AlignmentFlag.AlignBottom
    painter.save()
    painter.setPen(Qt.GlobalColor.black)
    painter.setFont(form_font(8.5))
    painter.drawText(area, bottom | Qt.AlignmentFlag.AlignLeft, left)
    painter.drawText(area, bottom | Qt.AlignmentFlag.AlignRight, number)
    painter.restore()


def today_text() -> str:
    return dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")


# One page

def paint_page(device: QtGui.QPagedPaintDevice, doc: DocRecord, *, revision: str,
               states=None) -> int:
    """One open page onto any paged device (a QPdfWriter, the window's QPrinter); its sheets."""
    ensure_gui_app()
    sheet = sheet_of(device)
    part = page_part(doc, device, sheet, revision, states,
                     f"{doc.title} · printed {today_text()}")
    return paint_parts(device, [part], sheet)


def page_pdf(doc: DocRecord, path, *, revision: str, states=None) -> int:
    """One open page as a PDF, written whole; the number of sheets."""
    return write_pdf(path, doc.title, lambda writer: (paint_page(
        writer, doc, revision=revision, states=states), []))


# The whole binder

def binder_parts(device, library, agency: str, revision: str, printed: dt.date | None):
    """The cover, the contents and every page, laid out; and the outline (sections and pages)."""
    sheet = sheet_of(device)
    date = (printed or dt.date.today()).isoformat()
    footer = " · ".join(p for p in (agency, BINDER_TITLE, f"revision {revision}",
                                    f"printed {date}") if p)
    packs = [name for name, _ in getattr(library, "packs", [])]
    cover = lay_out(cover_html(agency, revision, date, packs), device, sheet, None, footer)
    sections: list[tuple[str, list[Part]]] = []
    for section, summaries in library.sections():
        parts = [part for s in summaries
                 if (part := light_page(library, s.id, device, sheet, revision, footer))]
        if parts:
            sections.append((section, parts))
    toc_header = ("Contents", agency or BINDER_TITLE, f"Content revision {revision}",
                  f"printed {date}")
    toc_pages, toc = 1, None
    for _ in range(5):  # the contents' own length moves every number after it: settle it
        entries, outline = contents(sections, cover.pages + toc_pages + 1)
        toc = lay_out(toc_html(entries), device, sheet, toc_header, footer)
        if toc.pages == toc_pages:
            break
        toc_pages = toc.pages
    cover = cover.light(lambda: lay_out(cover_html(agency, revision, date, packs), device, sheet,
                                        None, footer))
    toc_text = toc_html(entries)
    toc = toc.light(lambda: lay_out(toc_text, device, sheet, toc_header, footer))
    parts = [cover, toc] + [part for _, parts in sections for part in parts]
    return parts, outline, sheet


def binder_with(library, packs=None):
    """The library as printed with only the agency packs named in `packs` (all when None): the
    shipped page is printed again where a pack left out had replaced it, and the cover names
    the packs kept."""
    every = list(getattr(library, "packs", []))
    kept = [(name, store) for name, store in every if packs is None or name in set(packs)]
    return library if len(kept) == len(every) else type(library)(library.shipped, kept)


def light_page(library, doc_id: str, device, sheet: Sheet, revision: str, footer: str,
               states=None, doc: DocRecord | None = None):
    """A page counted and let go, laid out again from the library to be painted; None when
    the page is not there."""
    def again() -> Part:
        again_doc = library.document(doc_id)
        if again_doc is None:
            raise ExportError(f"The page {doc_id} went from the binder while it was printed.")
        return page_part(again_doc, device, sheet, revision, states, footer)

    doc = doc or library.document(doc_id)
    if doc is None:
        return None
    return page_part(doc, device, sheet, revision, states, footer).light(again)


def contents(sections, first: int):
    """TOC entries and the PDF outline ((title, page index, children)), from the first sheet
    number of the first page."""
    entries, outline, number = [], [], first
    for section, parts in sections:
        entries.append(TocEntry(section, number, section=True))
        children = []
        for part in parts:
            entries.append(TocEntry(part.header[0], number))
            children.append((part.header[0], number - 1, []))
            number += part.pages
        outline.append((section, children[0][1], children))
    return entries, outline


def paint_binder(device: QtGui.QPagedPaintDevice, library, *, agency: str, revision: str,
                 printed: dt.date | None = None) -> int:
    """The whole binder onto any paged device; the number of sheets."""
    return _paint_binder(device, library, agency, revision, printed)[0]


def _paint_binder(device, library, agency, revision, printed):
    ensure_gui_app()
    parts, outline, sheet = binder_parts(device, library, agency, revision, printed)
    return paint_parts(device, parts, sheet), outline


def binder_pdf(library, path, *, agency: str, revision: str,
               printed: dt.date | None = None) -> int:
    """The whole binder as one PDF with a contents page and bookmarks, written whole."""
    title = f"{agency}: {BINDER_TITLE}" if agency else BINDER_TITLE
    return write_pdf(path, title, lambda writer: _paint_binder(
        writer, library, agency, revision, printed))


# Shift handover

def handover_parts(device, library, journal, incident_id: str, revision: str):
    sheet = sheet_of(device)
    # One page's events at a time, never the whole incident's (100,000 events: 320 MiB).
    starts = journal.events(incident_id, kinds=INCIDENT_KINDS)
    incident = next((i for i in incidents_from(starts) if i.id == incident_id), None)
    if incident is None:
        raise ExportError(f"There is no incident {incident_id} in this journal.")
    printed = today_text()
    mark = "EXERCISE · " if incident.exercise else ""
    footer = f"{mark}Shift handover: {incident.name} · printed {printed}"
    pages, lines, missing = [], [], []
    for doc_id in journal.touched_docs(incident_id):
        doc = library.document(doc_id)
        if doc is None:
            missing.append(doc_id)
            continue
        states = printed_states(
            step_states(journal.events(incident_id, doc_id=doc_id), doc_id), journal.device_id)
        pages.append(light_page(library, doc_id, device, sheet, revision, footer, states, doc))
        lines.append((doc.title, progress_text(progress([s.id for s in doc.steps], states))))
    operator = journal.operator
    by = f"{operator.name} ({operator.position})" if operator and operator.position else (
        operator.name if operator else "")
    rows = deadline_rows(library, incident, date_notes(journal, incident_id))
    facts = HandoverFacts(incident, printed, by, revision, verify_chain(journal, incident_id),
                          lines, missing, deadlines_html(rows, zone_text(incident), dt.date.today(),
                                                         CONTENT_TABLE))
    header = (f"{mark}Shift handover", incident.name, f"Content revision {revision}",
              f"printed {printed}")
    first_text = handover_html(facts)
    first = lay_out(first_text, device, sheet, header, footer).light(
        lambda: lay_out(first_text, device, sheet, header, footer))
    outline = [("Shift handover", 0, [])]
    number = first.pages
    for part in pages:
        outline.append((part.header[0], number, []))
        number += part.pages
    return [first, *pages], outline, sheet


def paint_handover(device: QtGui.QPagedPaintDevice, library, journal, incident_id: str, *,
                   revision: str) -> int:
    """The handover onto any paged device; the number of sheets."""
    return _paint_handover(device, library, journal, incident_id, revision)[0]


def _paint_handover(device, library, journal, incident_id, revision):
    ensure_gui_app()
    parts, outline, sheet = handover_parts(device, library, journal, incident_id, revision)
    return paint_parts(device, parts, sheet), outline


def handover_pdf(library, journal, incident_id: str, path, *, revision: str) -> int:
    """The incident's checklists with their state, for the next shift, as a PDF."""
    return write_pdf(path, "Shift handover", lambda writer: _paint_handover(
        writer, library, journal, incident_id, revision))


# Writing a PDF

def write_pdf(path, title: str, paint) -> int:
    """A PDF written whole: paint(writer) -> (sheets, outline); the outline added after."""
    ensure_gui_app()
    sheets = []

    def write(temp: Path) -> None:
        writer = QtGui.QPdfWriter(str(temp))
        setup_paper(writer)
        writer.setTitle(title)
        writer.setCreator("Binder")
        count, outline = paint(writer)
        del writer  # the PDF is finished when the writer goes
        if os.path.getsize(temp) == 0:
            raise OSError(0, "the PDF file came out empty")
        if outline:
            add_outline(temp, outline)
        sheets.append(count)

    write_whole(path, write)
    return sheets[0]


def add_outline(path: Path, outline) -> None:
    """Bookmarks (QPdfWriter has none): (title, page index, children), appended to the PDF."""
    from pypdf.errors import PyPdfError

    try:
        append_outline(path, outline)
    except (PyPdfError, ValueError, IndexError, KeyError) as exc:
        raise ExportError(f"The PDF's bookmarks cannot be added: {exc}") from None
