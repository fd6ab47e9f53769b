"""The after-action draft as a PDF: what the record shows, then (for an exercise) the HSEEP
improvement plan's blank fields, then the timeline painted row by row (paper/log_table.py)."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt

from binder.journal.incidents import packs_text
from binder.paper.aar import AfterAction, Finding
from binder.paper.deadline_words import plain_line
from binder.paper.deadlines import zone_text
from binder.paper.export import (
    EXERCISE_MARK,
    block_document,
    draw_document,
    ensure_gui_app,
    form_font,
    local_minutes,
    painted_pdf,
    write_whole,
)
from binder.paper.laptops import combined_line
from binder.paper.log_table import LogTable

BLANK_ROWS = 4  # rows of each hand-filled table of an exercise's improvement plan
PLAN_COLUMNS = ("Area for improvement", "Corrective action", "Owner (organization, POC)",
                "Start date", "Due date")


class TimelineTable(LogTable):
    """The ICS 214's activity table, headed as the draft's timeline."""

    heading = "Timeline (every laptop's entries in clock order)"

    def paint_head(self, painter: QtGui.QPainter, y: float) -> None:
        title = QRectF(0, y, self.width, self.title_height)
        painter.fillRect(title, QtGui.QColor("#e6e6e6"))
        self._text(painter, self.heading, self.bold, title, Qt.GlobalColor.black)
        labels = QRectF(0, title.bottom(), self.width, self.labels_height)
        self._text(painter, "Date/Time", self.label_font, labels, QtGui.QColor("#333333"))
        self._text(painter, "What the record shows, and who logged it", self.label_font,
                   labels.adjusted(self.time_width, 0, 0, 0), QtGui.QColor("#333333"))
        self._borders(painter, title, split=False)
        self._borders(painter, labels)


def export_aar_pdf(aar: AfterAction, path: Path | str) -> None:
    """The draft as a PDF, written whole."""
    ensure_gui_app()
    write_whole(path, lambda temp: write_pdf(aar, temp))


def write_pdf(aar: AfterAction, path: Path) -> None:
    painted_pdf(path, f"After-action draft: {aar.incident.name}",
                lambda painter, writer: paint(painter, writer, aar))


def paint(painter: QtGui.QPainter, writer: QtGui.QPdfWriter, aar: AfterAction) -> None:
    """The summary's pages, then the timeline's, each with "Page n of N" at its foot."""
    width, height = writer.width(), writer.height()
    painter.setFont(form_font(8))
    footer = painter.fontMetrics().height() * 2.5
    body = height - footer
    summary = block_document(summary_html(aar), writer, width)
    summary.setPageSize(QSizeF(width, body))
    table = TimelineTable(writer, width, form_font(10), form_font(8))
    pages = table.place(aar.lines, 0.0, 0.0, body)
    total = summary.pageCount() + len(pages)
    for number in range(summary.pageCount()):
        if number:
            writer.newPage()
        painter.save()
        painter.translate(0, -number * body)
        summary.drawContents(painter, QRectF(0, number * body, width, body))
        painter.restore()
        paint_footer(painter, QRectF(0, body, width, footer), aar, number + 1, total)
    for number, page in enumerate(pages, start=summary.pageCount() + 1):
        writer.newPage()
        if page.head is not None:
            table.paint_head(painter, page.head)
        for piece in page.pieces:
            table.paint_piece(painter, piece, aar.lines[piece.entry])
        if not aar.lines and page.bottom is not None:
            draw_document(painter, block_document(
                "<p>The incident has no entries.</p>", writer, width), table.head_height)
        paint_footer(painter, QRectF(0, body, width, footer), aar, number, total)


def paint_footer(painter: QtGui.QPainter, area: QRectF, aar: AfterAction, number: int,
                 total: int) -> None:
    mark = "EXERCISE · " if aar.incident.exercise else ""
    bottom = Qt.AlignmentFlag.AlignBottom
    painter.drawText(area, bottom | Qt.AlignmentFlag.AlignLeft,
                     f"{mark}DRAFT · {aar.incident.name}")
    painter.drawText(area, bottom | Qt.AlignmentFlag.AlignRight,
                     f"After-action draft · Page {number} of {total}")
    painter.drawLine(QPointF(area.left(), area.top()), QPointF(area.right(), area.top()))


def summary_html(aar: AfterAction) -> str:
    parts = [title_html(aar), record_html(aar)]
    if aar.incident.exercise:
        parts.append(hseep_html())
    parts += [key_steps_html(aar), findings_html("Steps left open", aar.left_open, aar),
              findings_html("Steps marked N/A, with the notes on them", aar.marked_na, aar),
              decisions_html(aar), deadlines_list_html(aar)]
    if aar.incident.exercise:
        parts.append(plan_html())
    return "".join(parts)


def title_html(aar: AfterAction) -> str:
    incident = aar.incident
    mark = (f"<table width='100%' class='exercise'><tr><td class='exercise' align='center'>"
            f"{EXERCISE_MARK}</td></tr></table>" if incident.exercise else "")
    name = ("After-Action Report / Improvement Plan (draft)" if incident.exercise
            else "After-action draft")
    state = (f"closed {local_minutes(incident.closed_at)}" if incident.closed_at
             else "still open: the draft shows the record so far")
    where = ", ".join(part for part in (incident.type, incident.location) if part)
    return (f"{mark}<p align='center' class='title'>{escape(name)}</p>"
            f"<p align='center'><b>{escape(incident.name)}</b>"
            f"{' (' + escape(where) + ')' if where else ''}</p>"
            f"<p>Started {escape(local_minutes(incident.started_at))} by "
            f"{escape(incident.started_by or 'unknown')}; {escape(state)}. All times are local, "
            f"24-hour: {escape(aar.time_zone or 'no entries')}.</p>"
            "<p><i>This draft states what the journal records and nothing else: no finding is "
            "made here. The judgement is left to the people who review it.</i></p>")


def record_html(aar: AfterAction) -> str:
    chain = aar.chain
    verdict = (f"intact, head <span class='hash'>{escape(chain.head)}</span>" if chain.intact
               else f"<span class='broken'>BROKEN: {escape(chain.problem)}</span>")
    combined = combined_line(chain)
    revision = aar.incident.content_revision or "not recorded"
    return (f"<p class='foot'>Content revision: {escape(revision)}; agency packs: "
            f"{escape(packs_text(aar.incident))}. Journal chain: "
            f"{verdict}{'<br>' + escape(combined) if combined else ''}<br>"
            f"Drafted {escape(aar.prepared_at)} from {len(aar.lines)} entries.</p>")


def hseep_html() -> str:
    """The HSEEP AAR's analysis headings, left blank for the people who review the exercise."""
    lines = "".join("<tr><td>&nbsp;<br>&nbsp;</td></tr>" for _ in range(BLANK_ROWS))
    return ("<h3>Exercise overview</h3><table width='100%'>"
            + "".join(f"<tr><td width='30%' class='label'>{escape(label)}</td><td>&nbsp;</td>"
                      "</tr>" for label in ("Scope", "Mission area(s)", "Core capabilities",
                                            "Objectives", "Scenario"))
            + "</table><h3>Strengths</h3><table width='100%'>" + lines + "</table>"
            "<h3>Areas for improvement</h3><table width='100%'>" + lines + "</table>")


def plan_html() -> str:
    head = "".join(f"<th>{escape(column)}</th>" for column in PLAN_COLUMNS)
    row = "<tr>" + "<td>&nbsp;<br>&nbsp;</td>" * len(PLAN_COLUMNS) + "</tr>"
    return ("<h3>Improvement plan: corrective actions</h3><table width='100%'><tr>" + head
            + "</tr>" + row * BLANK_ROWS + "</table>")


def key_steps_html(aar: AfterAction) -> str:
    if not aar.key_steps:
        return "<h3>Key steps</h3><p>No checklist of this binder has entries.</p>"
    rows = "".join(
        f"<tr><td>{escape(k.checklist)}</td><td>{escape(k.phase or '—')}</td>"
        f"<td>{escape(k.step)}</td><td>{escape(shown_status(k.status, k.at))}</td>"
        f"<td>{escape(k.after or '—')}</td></tr>" for k in aar.key_steps)
    unknown = (f"<p>Not in this binder, so their steps are not listed: "
               f"{escape(', '.join(aar.unknown_pages))}.</p>" if aar.unknown_pages else "")
    return ("<h3>Key steps: time from the incident's start</h3><p class='foot'>The steps each "
            "checklist with entries names as key (where it names none, the first step of each "
            "of its phases).</p><table width='100%'><tr>"
            "<th>Checklist</th><th>Phase</th><th>Step</th><th>Status</th>"
            "<th>After the start</th></tr>" + rows + "</table>" + unknown)


def shown_status(status: str, at: str) -> str:
    return f"{status} {at}" if at else ("not done" if status == "open" else status)


def findings_html(heading: str, found: tuple[Finding, ...], aar: AfterAction) -> str:
    when = "at the close" if aar.incident.closed_at else "so far"
    if not found:
        return f"<h3>{escape(heading)} ({when})</h3><p>None.</p>"
    rows = "".join(
        f"<tr><td>{escape(f.checklist)}</td><td>{escape(f.step)}</td>"
        f"<td>{escape(' / '.join(f.notes) or 'no note')}</td></tr>" for f in found)
    return (f"<h3>{escape(heading)} ({when})</h3><table width='100%'><tr><th>Checklist</th>"
            f"<th>Step</th><th>Notes on the step</th></tr>{rows}</table>")


def decisions_html(aar: AfterAction) -> str:
    if not aar.decisions:
        return "<h3>Notes flagged as decisions</h3><p>None.</p>"
    rows = "".join(
        f"<tr><td>{escape(d.at)}</td><td>{escape(d.person)}</td><td>{escape(d.text)}"
        f"{' (on: ' + escape(d.step) + ')' if d.step else ''}</td></tr>" for d in aar.decisions)
    return ("<h3>Notes flagged as decisions</h3><table width='100%'><tr><th>Time</th>"
            f"<th>Who</th><th>Decision</th></tr>{rows}</table>")


def deadlines_list_html(aar: AfterAction) -> str:
    """The funding deadlines as the record stands, one line each (the handover's rows)."""
    if aar.deadlines is None:
        return ""
    if not aar.deadlines:
        return "<h3>Funding deadlines</h3><p>None in this binder's pages.</p>"
    today = dt.date.fromisoformat(aar.prepared_at[:10])
    rows = "".join(f"<li>{escape(row.programme)}: {escape(plain_line(row, today, notes=False))}"
                   "</li>" for row in aar.deadlines)
    return (f"<h3>Funding deadlines</h3><p class='foot'>{escape(zone_text(aar.incident))} "
            f"\"In N days\" is from {today.isoformat()}, the day this was drafted.</p>"
            f"<ul>{rows}</ul>")
