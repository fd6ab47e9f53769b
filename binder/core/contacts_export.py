"""Contacts in and out of the window: CSV import and export, and the ICS 205A PDF."""

from __future__ import annotations

import csv
import datetime as dt
import os
from html import escape
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt

from binder.core.contacts import (
    FIELDS,
    STALE_MONTHS,
    Contact,
    ContactBook,
    ContactsImportError,
    stale,
    validate,
)
from binder.core.export import ensure_gui_app, form_font, keep, page_size, write_whole
from binder.core.journal import Operator


def import_csv(book: ContactBook, path: Path | str) -> int:
    """Add or update the contacts of a CSV file with a header row of FIELDS, all or nothing.
    A row with a role and name already in the list updates it; otherwise it fills the role's
    empty row, or is added. Returns the number of rows imported."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            rows, problems = read_rows(file, path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ContactsImportError([f"{path}: cannot be read: {reason}"]) from None
    contacts, more = checked_rows(rows, path)
    if problems or more:
        raise ContactsImportError(problems + more)
    with book.writing():
        for contact in contacts:
            book._put(contact, merge=True)
    return len(contacts)


def read_rows(file, path: Path) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """(first line of each row, its cells); stops at a line the CSV reader cannot read."""
    reader, rows, start = csv.reader(file), [], 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        return rows, [f"{path}:{start}: this line cannot be read as CSV: {exc}"]
    return rows, []


def checked_rows(rows: list, path: Path) -> tuple[list[Contact], list[str]]:
    header = [cell.strip().casefold() for cell in rows[0][1]] if rows else []
    if sorted(header) != sorted(FIELDS):
        missing = [name for name in FIELDS if name not in header]
        extra = [name for name in header if name not in FIELDS or header.count(name) > 1]
        why = "; ".join([f"missing: {', '.join(missing)}"] * bool(missing)
                        + [f"unknown or repeated: {', '.join(extra)}"] * bool(extra))
        return [], [f"{path}:1: the first row must be the header {','.join(FIELDS)} ({why})"]
    contacts, problems, seen = [], [], {}
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{path}:{line}: {len(row)} columns, the header has {len(header)}")
            continue
        contact = Contact(**{name: row[header.index(name)].strip() for name in FIELDS})
        problems += [f"{path}:{line}: {message}" for message in validate(contact)]
        key = (contact.role.casefold(), contact.name.casefold())
        if key in seen:
            problems.append(f"{path}:{line}: the same role and name as line {seen[key]}")
        seen.setdefault(key, line)
        contacts.append(contact)
    return contacts, problems


def export_csv(book: ContactBook, path: Path | str) -> None:
    """Every contact, with the header row of FIELDS; UTF-8; raises ExportError."""
    rows = [[getattr(contact, name) for name in FIELDS] for contact in book.contacts()]

    def write(temp: Path) -> None:
        with open(temp, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(FIELDS)
            writer.writerows(rows)

    write_whole(path, write)


# The ICS 205A PDF

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


def export_205a_pdf(book: ContactBook, path: Path | str, incident_name: str = "") -> None:
    """The contacts as an ICS 205A Communications List, marked NOT FOR PUBLIC RELEASE on every
    page; raises ExportError."""
    ensure_gui_app()
    html = form_html(book.contacts(), incident_name, book.journal.operator,
                     dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"))
    write_whole(path, lambda temp: write_pdf(temp, html, incident_name))


def write_pdf(path: Path, html: str, incident_name: str) -> None:
    writer = QtGui.QPdfWriter(str(path))
    writer.setPageLayout(QtGui.QPageLayout(
        page_size(), QtGui.QPageLayout.Orientation.Landscape, QMarginsF(12, 10, 12, 10),
        QtGui.QPageLayout.Unit.Millimeter))
    writer.setTitle(f"Communications List (ICS 205A) — {MARK}")
    writer.setCreator("Binder")
    doc = QtGui.QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(form_font(9))
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(STYLE)
    doc.setHtml(html)
    painter = QtGui.QPainter()
    if not painter.begin(writer):
        raise OSError(0, "the PDF file cannot be opened for writing")
    try:
        paint_pages(painter, writer, doc, incident_name)
    finally:
        painter.end()
    if os.path.getsize(path) == 0:
        raise OSError(0, "the PDF file came out empty")


def paint_pages(painter: QtGui.QPainter, writer, doc: QtGui.QTextDocument, incident: str) -> None:
    """Each page: the mark in a red box at the top, the body, and a footer with the mark."""
    width, height = writer.width(), writer.height()
    painter.setFont(form_font(12))
    top = painter.fontMetrics().height() * 2.2
    painter.setFont(form_font(8))
    foot = painter.fontMetrics().height() * 2.5
    body = height - top - foot
    doc.setPageSize(QSizeF(width, body))
    pages = doc.pageCount()
    red, black = QtGui.QColor("#b00000"), QtGui.QColor("#000000")
    for page in range(pages):
        if page:
            writer.newPage()
        band = QRectF(0, 0, width, top * 0.8)
        painter.setPen(QtGui.QPen(red, max(2, width // 400)))
        painter.drawRect(band)
        bold = form_font(12)
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(band, Qt.AlignmentFlag.AlignCenter, f"{MARK} — contains personal "
                         "contact details")
        painter.save()
        painter.translate(0, top - page * body)
        doc.drawContents(painter, QRectF(0, page * body, width, body))
        painter.restore()
        area = QRectF(0, top + body, width, foot)
        footer = form_font(8)
        footer.setBold(True)
        painter.setFont(footer)
        painter.setPen(red)
        bottom = Qt.AlignmentFlag.AlignBottom
        painter.drawText(area, bottom | Qt.AlignmentFlag.AlignLeft,
                         MARK + (f" · {incident}" if incident else ""))
        painter.setPen(black)
        painter.setFont(form_font(8))
        painter.drawText(area, bottom | Qt.AlignmentFlag.AlignRight,
                         f"ICS 205A · Page {page + 1} of {pages}")


def form_html(contacts: list[Contact], incident: str, operator: Operator | None,
              prepared: str) -> str:
    def box(label: str, value: str = "", attrs: str = "") -> str:
        shown = f"<br><span class='value'>{escape(value)}</span>" if value else "<br>&nbsp;"
        return f"<td{attrs}><span class='label'>{escape(label)}</span>{shown}</td>"

    heads = ("Incident Assigned Position", "Name", "Agency and Unit", "Phone", "Alternate Phone",
             "Radio Channel / Talkgroup", "Email", "Notes", "Last Verified")
    head = "".join(f"<td width='{w}%' class='label'>{h}</td>"
                   for w, h in zip(WIDTHS, heads, strict=True))
    rows, previous = [], None
    for contact in contacts:
        kind = "role" if contact.role.casefold() != previous else "more"  # more: same role
        previous = contact.role.casefold()
        checked = escape(keep(contact.verified))
        if stale(contact):
            checked += "<br>" * bool(checked) + "<span class='stale'>" + (
                f"over {STALE_MONTHS} months" if checked else "not verified") + "</span>"
        cells = [f"<span class='{kind}'>{escape(contact.role)}</span>"]
        cells += [escape(getattr(contact, n)).replace("\n", "<br>") for n in FIELDS[1:-1]]
        cells.append(checked)
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    name, position = (operator.name, operator.position) if operator else ("", "")
    return (
        "<p align='center' class='title'>COMMUNICATIONS LIST (ICS 205A)</p>"
        "<table width='100%'><tr>" + box("1. Incident Name:", incident, " width='50%'")
        + box("2. Operational Period:  Date From / To,  Time From / To", "", " width='50%'")
        + "</tr></table>"
        f"<table width='100%'><thead><tr><th colspan='{len(heads)}'>3. Basic Local "
        "Communications Information:</th></tr><tr>" + head + "</tr></thead>"
        + "".join(rows) + "</table>"
        "<table width='100%'><tr><th colspan='4'>4. Prepared by:</th></tr><tr>"
        + box("Name:", name, " width='30%'") + box("Position/Title:", position, " width='30%'")
        + box("Signature:", "", " width='20%'") + box("Date/Time:", keep(prepared), " width='20%'")
        + "</tr></table>"
    )
