"""The ICS 205A Communications List as a PDF, laid out a sheet at a time (linear in contacts).

One QTextDocument holding the whole table made Qt lay out and paint the whole table again for
each sheet (1,484 contacts 6.7 s, 3,000 contacts 33 s). Here the rows are cut into sheets: a
trial document of a little more than a sheet's rows is laid out to see how many rows end on its
first sheet, then each sheet is its own document, with the table's two header rows at its top,
painted once. The columns keep the form's shares on every sheet: a word too long for its column
is broken in it (QTextDocument's default wrap, WrapAtWordBoundaryOrAnywhere), as in the one table.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt

from binder.journal.contacts import FIELDS, STALE_MONTHS, Contact, ContactBook, stale
from binder.journal.journal import Operator
from binder.paper.export import ensure_gui_app, form_font, keep, page_size, write_whole

MARK = "NOT FOR PUBLIC RELEASE"
STYLE = """
  table { border-collapse: collapse; margin-bottom: 8px; }
  td, th { border: 1px solid #000; padding: 4px; vertical-align: top; }
  th { background: #e6e6e6; text-align: left; font-weight: bold; }
  .title { font-size: 16pt; font-weight: bold; margin-bottom: 6px; }
  .label { font-size: 7.5pt; color: #333; }
  .value { font-size: 11pt; font-weight: bold; }
  .role { font-weight: bold; }
  .more { color: #666; }
  .stale { color: #8a4b00; font-style: italic; }
"""
WIDTHS = (13, 11, 11, 10, 10, 8, 16, 11, 10)
HEADS = ("Incident Assigned Position", "Name", "Agency and Unit", "Phone", "Alternate Phone",
         "Radio Channel / Talkgroup", "Email", "Notes", "Last Verified")
HEAD_ROWS = 2  # "3. Basic Local Communications Information" and the column labels
CELL_BELOW_PX = 14  # under a last row's text: padding 4px, border 1px, table margin 8px, 1 spare
FIRST_GUESS = 24  # rows tried for the first sheet; then a little more than the last held


@dataclass(frozen=True)
class Form:
    """The form as HTML pieces: blocks 1-2 (first sheet), a <tr> per contact, block 4 (last)."""
    title: str
    rows: list[str]
    prepared: str


@dataclass(frozen=True)
class Area:
    """Where things go on a sheet, in the PDF's units: the mark's band, the body, the footer."""
    width: float
    top: float
    body: float
    foot: float


@dataclass(frozen=True)
class Cut:
    """Rows [start, end) on one document; with "Prepared by" or not; the sheets it takes."""
    start: int
    end: int
    prepared: bool
    pages: int = 1


def export_205a_pdf(book: ContactBook, path: Path | str, incident_name: str = "") -> None:
    """The contacts as an ICS 205A Communications List, marked NOT FOR PUBLIC RELEASE on every
    page; raises ExportError."""
    ensure_gui_app()
    form = form_of(book.contacts(), incident_name, book.journal.operator,
                   dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"))
    write_whole(path, lambda temp: write_pdf(temp, form, incident_name))


class Miscounted(Exception):
    """A sheet's document took more sheets than counted: cut again, each cut laid out."""


def write_pdf(path: Path, form: Form, incident_name: str) -> None:
    """Cut from the trial documents; in the unlikely case that was off by a row, again with
    each sheet's own document checked."""
    try:
        write_sheets(path, form, incident_name, checked=False)
    except Miscounted:
        write_sheets(path, form, incident_name, checked=True)
    if os.path.getsize(path) == 0:
        raise OSError(0, "the PDF file came out empty")


def write_sheets(path: Path, form: Form, incident_name: str, checked: bool) -> None:
    writer = QtGui.QPdfWriter(str(path))
    writer.setPageLayout(page_layout())
    writer.setTitle(f"Communications List (ICS 205A) — {MARK}")
    writer.setCreator("Binder")
    painter = QtGui.QPainter()
    if not painter.begin(writer):
        raise OSError(0, "the PDF file cannot be opened for writing")
    try:
        paint_sheets(painter, writer, form, incident_name, checked)
    finally:
        painter.end()


def page_layout() -> QtGui.QPageLayout:
    """Letter or A4 (export.page_size), landscape."""
    return QtGui.QPageLayout(page_size(), QtGui.QPageLayout.Orientation.Landscape,
                             QMarginsF(12, 10, 12, 10), QtGui.QPageLayout.Unit.Millimeter)


def area_of(writer: QtGui.QPdfWriter) -> Area:
    top = QtGui.QFontMetricsF(form_font(12), writer).height() * 2.2
    foot = QtGui.QFontMetricsF(form_font(8), writer).height() * 2.5
    return Area(writer.width(), top, writer.height() - top - foot, foot)


def paint_sheets(painter: QtGui.QPainter, writer, form: Form, incident: str,
                 checked: bool = False) -> None:
    """The sheets cut first (so that each footer can say "Page n of N"), then each painted
    from its own document."""
    area = area_of(writer)
    cuts = cut_sheets(form, writer, area, checked)
    total, number = sum(cut.pages for cut in cuts), 0
    for cut in cuts:
        doc = sheet_document(writer, area, form, cut)
        if doc.pageCount() != cut.pages:
            raise Miscounted(cut)
        for page in range(doc.pageCount()):
            if number:
                writer.newPage()
            number += 1
            paint_sheet(painter, area, doc, page, f"Page {number} of {total}", incident)


# Cutting the rows into sheets

def cut_sheets(form: Form, device, area: Area, checked: bool = False) -> list[Cut]:
    """The documents to paint, in order: each one sheet, but a row taller than a sheet.
    Checked: each cut's own document laid out to count its sheets."""
    cuts: list[Cut] = []
    start, guess, total = 0, FIRST_GUESS, len(form.rows)
    while True:
        end = min(total, start + guess)
        trial = Cut(start, end, prepared=end == total)
        doc = sheet_document(device, area, form, trial)
        if doc.pageCount() == 1:
            if trial.prepared:
                return cuts + [trial]
            guess *= 2
            continue
        fit = rows_on_first_sheet(doc, area.body)
        alone = trial.prepared and end - start == 1  # the last row, taller than a sheet
        cut = Cut(start, start + max(fit, 1), alone and not fit)
        if checked or not fit:
            cut = settled(form, device, area, cut)
        cuts.append(cut)
        if cut.prepared:
            return cuts
        if cut.end == total:  # every row fits, "Prepared by" does not
            return cuts + [Cut(total, total, True)]
        start, guess = cut.end, fit + 2 + fit // 4  # a little over a sheet


def settled(form: Form, device, area: Area, cut: Cut) -> Cut:
    """The cut with the sheets its own document takes, a row fewer while it takes more than
    one."""
    while True:
        pages = sheet_document(device, area, form, cut).pageCount()
        if pages == 1 or cut.end - cut.start <= 1:
            return replace(cut, pages=pages)
        cut = replace(cut, end=cut.end - 1)


def rows_on_first_sheet(doc: QtGui.QTextDocument, body: float) -> int:
    """How many contact rows end on the document's first sheet, their padding and border
    included."""
    table = next(frame for frame in doc.rootFrame().childFrames()
                 if isinstance(frame, QtGui.QTextTable)
                 and frame.format().headerRowCount() == HEAD_ROWS)
    layout = doc.documentLayout()
    below = CELL_BELOW_PX * layout.paintDevice().logicalDpiY() / 96
    fit = 0
    for row in range(HEAD_ROWS, table.rows()):
        bottom = max(layout.blockBoundingRect(
            table.cellAt(row, column).lastCursorPosition().block()).bottom()
            for column in range(table.columns()))
        if bottom + below > body:
            break
        fit += 1
    return fit


def sheet_document(device, area: Area, form: Form, cut: Cut) -> QtGui.QTextDocument:
    """The rows of one cut under the table's header rows; the title above them on the first
    sheet; "Prepared by" after them if the cut has it."""
    parts = [form.title] if cut.start == 0 else []
    if cut.end > cut.start or cut.start == 0:
        parts.append(table_html(form.rows[cut.start:cut.end]))
    if cut.prepared:
        parts.append(form.prepared)
    doc = QtGui.QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(form_font(9))
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(STYLE)
    doc.setPageSize(QSizeF(area.width, area.body))
    doc.setHtml("".join(parts))
    return doc


# Painting

def paint_sheet(painter: QtGui.QPainter, area: Area, doc: QtGui.QTextDocument, page: int,
                number: str, incident: str) -> None:
    """One sheet: the mark in a red box at the top, the body, and a footer with the mark."""
    red, black = QtGui.QColor("#b00000"), QtGui.QColor("#000000")
    band = QRectF(0, 0, area.width, area.top * 0.8)
    painter.setPen(QtGui.QPen(red, max(2, area.width // 400)))
    painter.drawRect(band)
    bold = form_font(12)
    bold.setBold(True)
    painter.setFont(bold)
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, f"{MARK} — contains personal "
                     "contact details")
    painter.save()
    painter.translate(0, area.top - page * area.body)
    doc.drawContents(painter, QRectF(0, page * area.body, area.width, area.body))
    painter.restore()
    footer_area = QRectF(0, area.top + area.body, area.width, area.foot)
    footer = form_font(8)
    footer.setBold(True)
    painter.setFont(footer)
    painter.setPen(red)
    bottom = Qt.AlignmentFlag.AlignBottom
    painter.drawText(footer_area, bottom | Qt.AlignmentFlag.AlignLeft,
                     MARK + (f" · {incident}" if incident else ""))
    painter.setPen(black)
    painter.setFont(form_font(8))
    painter.drawText(footer_area, bottom | Qt.AlignmentFlag.AlignRight, f"ICS 205A · {number}")


# The form as HTML

def form_of(contacts: list[Contact], incident: str, operator: Operator | None,
            prepared: str) -> Form:
    name, position = (operator.name, operator.position) if operator else ("", "")
    title = (
        "<p align='center' class='title'>COMMUNICATIONS LIST (ICS 205A)</p>"
        "<table width='100%'><tr>" + box("1. Incident Name:", incident, " width='50%'")
        + box("2. Operational Period:  Date From / To,  Time From / To", "", " width='50%'")
        + "</tr></table>")
    signed = (
        "<table width='100%'><tr><th colspan='4'>4. Prepared by:</th></tr><tr>"
        + box("Name:", name, " width='30%'") + box("Position/Title:", position, " width='30%'")
        + box("Signature:", "", " width='20%'") + box("Date/Time:", keep(prepared), " width='20%'")
        + "</tr></table>")
    return Form(title, rows_html(contacts), signed)


def box(label: str, value: str = "", attrs: str = "") -> str:
    shown = f"<br><span class='value'>{escape(value)}</span>" if value else "<br>&nbsp;"
    return f"<td{attrs}><span class='label'>{escape(label)}</span>{shown}</td>"


def rows_html(contacts: list[Contact]) -> list[str]:
    """A <tr> per contact; the role in bold where it starts, grey where it goes on."""
    rows, previous = [], None
    for contact in contacts:
        kind = "role" if contact.role.casefold() != previous else "more"
        previous = contact.role.casefold()
        checked = escape(keep(contact.verified))
        if stale(contact):
            checked += "<br>" * bool(checked) + "<span class='stale'>" + (
                f"over {STALE_MONTHS} months" if checked else "not verified") + "</span>"
        cells = [f"<span class='{kind}'>{escape(contact.role)}</span>"]
        cells += [escape(getattr(contact, n)).replace("\n", "<br>") for n in FIELDS[1:-1]]
        cells.append(checked)
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return rows


def table_html(rows: list[str]) -> str:
    """Block 3 with these rows, its two header rows repeated by Qt if the rows need a sheet
    more."""
    head = "".join(f"<td width='{w}%' class='label'>{h}</td>"
                   for w, h in zip(WIDTHS, HEADS, strict=True))
    return (f"<table width='100%'><thead><tr><th colspan='{len(HEADS)}'>3. Basic Local "
            "Communications Information:</th></tr><tr>" + head + "</tr></thead>"
            + "".join(rows) + "</table>")
