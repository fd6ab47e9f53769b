"""Export one incident's activity log in the ICS 214 layout, as CSV or as a PDF form to sign."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QLocale, QMarginsF, QRectF, Qt

from binder.journal.checkins import CHECKIN_KINDS, checkin_words
from binder.journal.incidents import Incident, incidents_from, packs_text
from binder.journal.journal import INCIDENT_KINDS, ChainReport, Event, Journal, verify_chain
from binder.paper.csv_cells import safe_row
from binder.paper.laptops import (
    combined_line,
    entry_flags,
    in_clock_order,
    laptops_of,
    marked,
)
from binder.paper.log_table import LogTable

CSV_FIELDS = (
    "incident", "exercise", "operational_period_from", "operational_period_to", "name",
    "ics_position", "home_agency_unit", "resources_assigned", "date_time", "time_zone",
    "notable_activity", "content_revision", "pack_revisions", "chain_intact", "chain_head",
    "chain_combined", "laptop", "flags",
)
EXERCISE_MARK = "EXERCISE — EXERCISE — EXERCISE"
RESOURCE_ROWS = 4
_app = None  # the QGuiApplication made here when there was none, kept alive


class ExportError(Exception):
    """An export cannot be made or written: a message for a person."""


@dataclass(frozen=True)
class Entry:
    date_time: str  # "2026-05-01 14:03", local, 24-hour; "(entered 14:20)" when back-dated
    activity: str  # with its laptop when several wrote, and its flags
    laptop: str = ""  # the laptop that wrote it, when more than one laptop wrote
    flags: tuple[str, ...] = ()  # clock far ahead, written after the close, changed at once


@dataclass(frozen=True)
class Block:
    name: str
    position: str
    agency: str
    resources: str
    entries: tuple[Entry, ...]
    time_zone: str  # "UTC-05:00 (EST)": the zone of this block's times


@dataclass(frozen=True)
class ActivityLog:
    incident: Incident
    blocks: tuple[Block, ...]
    content_revision: str
    exercise: bool
    period_from: str  # local, 24-hour, "" if not given
    period_to: str
    prepared_name: str
    prepared_position: str
    prepared_at: str  # local, 24-hour: when the export was made
    chain: ChainReport


def activity_log(journal: Journal, incident_id: str) -> ActivityLog:
    """The ICS 214 content of one incident: one block per operator and position."""
    starts = journal.events(kinds=INCIDENT_KINDS)  # a few index lookups, not every event
    incident = next((i for i in incidents_from(starts) if i.id == incident_id), None)
    if incident is None:
        raise ExportError(f"There is no incident {incident_id} in this journal.")
    own = in_clock_order(journal.events(incident_id))  # every laptop's
    agencies = latest_agencies(in_clock_order(journal.events(kinds=("operator",))))
    operator = journal.operator
    return ActivityLog(
        incident=incident, blocks=tuple(blocks_of(
            own, agencies, journal.device_id, journal.arrived_ahead(incident_id))),
        content_revision=incident.content_revision, exercise=incident.exercise,
        period_from=local_minutes(incident.period_from),
        period_to=local_minutes(incident.period_to),
        prepared_name=operator.name if operator else "",
        prepared_position=operator.position if operator else "",
        prepared_at=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        chain=verify_chain(journal, incident_id))


def latest_agencies(events: list[Event]) -> dict[tuple[str, str], str]:
    """The agency of each (name, position), from its latest operator event in the journal."""
    return {(e.operator, e.position): e.data.get("agency", "")
            for e in events if e.kind == "operator"}


def blocks_of(events: list[Event], agencies: dict[tuple[str, str], str],
              here: str = "", ahead: dict[str, int] | None = None) -> list[Block]:
    """One block per person and position, from every laptop, each entry with its laptop when
    more than one laptop wrote (`here` is this one) and what is odd about it."""
    grouped: dict[tuple[str, str], list[Event]] = {}
    for event in events:
        grouped.setdefault((event.operator, event.position), []).append(event)
    flags = entry_flags(events, ahead or {})
    several = len(laptops_of(events, here)) > 1
    return [Block(name, position, agencies.get((name, position), ""), "",
                  tuple(log_entry(e, (e.device or here) if several else "", flags.get(e.id, []))
                        for e in group),
                  zone_of(group))
            for (name, position), group in grouped.items()]


def log_entry(event: Event, laptop: str, flags: list[str]) -> Entry:
    return Entry(entry_time(event), marked(notable_activity(event), laptop, flags), laptop,
                 tuple(flags))


def local_minutes(stamp: str) -> str:
    """An ISO time as local, 24-hour 'YYYY-MM-DD HH:MM' ('' stays '')."""
    return _local_minute(to_the_minute(stamp), *here()) if stamp else ""


def to_the_minute(stamp: str) -> str:
    """'2026-05-01T06:00:01.234+00:00' -> '2026-05-01T06:00+00:00': the same local minute."""
    if len(stamp) == 29 and stamp[16] == ":" and stamp[19] == ".":
        return stamp[:16] + stamp[23:]
    return stamp


def here() -> tuple:
    """The machine's time zone as last set: part of every cached conversion's key."""
    return time.tzname, time.timezone, time.altzone


@functools.lru_cache(maxsize=4096)
def _local_minute(stamp: str, *_where) -> str:
    return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def entry_time(event: Event) -> str:
    """When it happened; for a back-dated entry, also when it was entered."""
    shown = local_minutes(event.when)
    if not event.occurred_at:
        return shown
    entered = local_minutes(event.entered_at)
    same_day = entered[:10] == shown[:10]
    return f"{shown} (entered {entered[11:] if same_day else entered})"


def zone_of(events: list[Event]) -> str:
    """The UTC offset (and zone name) of the local times shown for these events."""
    zones: dict[str, None] = {}
    for event in events:
        zones.setdefault(_zone(to_the_minute(event.when), *here()), None)
    return " / ".join(zones)


@functools.lru_cache(maxsize=4096)
def _zone(stamp: str, *_where) -> str:
    moment = dt.datetime.fromisoformat(stamp).astimezone()
    offset, name = moment.strftime("%z"), moment.strftime("%Z")
    label = f"UTC{offset[:3]}:{offset[3:]}"
    named = name.replace(" ", "").isalpha()
    return f"{label} ({name})" if named else label


def notable_activity(event: Event) -> str:
    """What the event says, in plain words, from what was stored with it."""
    data, step = event.data, event.step_text
    if event.kind == "start":
        where = ", ".join(part for part in (data.get("type"), data.get("location")) if part)
        return f"Incident started: {data.get('name', '')}" + (f" ({where})" if where else "")
    if event.kind == "note":
        return f"Note: {data.get('text', '')}" + (f" (on: {step})" if step else "")
    if event.kind == "operator":
        return f"Operator on duty: {event.operator}, {event.position}"
    if event.kind in CHECKIN_KINDS:
        return checkin_words(event)
    plain = {"close": "Incident closed", "tick": f"Done: {step}",
             "done_before": f"Done before it was logged: {step}",
             "na": f"Marked not applicable: {step}", "untick": f"Undone: {step}"}
    return plain.get(event.kind, event.kind)


def write_whole(path: Path | str, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside the target, then put it in place only when complete."""
    target, temp = Path(path), None
    try:
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(handle)
        os.chmod(temp, 0o644)  # like any other file the person saves, not private to them
        write(Path(temp))
        os.replace(temp, target)
    except OSError as exc:
        why = exc.strerror.lower() if exc.strerror else str(exc)
        raise ExportError(f"The export cannot be written to {target}: {why}") from None
    finally:
        if temp and os.path.exists(temp):
            os.unlink(temp)


def export_csv(log: ActivityLog, path: Path | str) -> None:
    """One row per entry, with the header blocks repeated on each row; UTF-8; no cell a
    spreadsheet runs as a formula (csv_cells)."""
    write_whole(path, lambda temp: write_csv(log, temp))


def write_csv(log: ActivityLog, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(CSV_FIELDS)
        writer.writerows(safe_row(csv_row(log, block, entry)) for block in log.blocks
                         for entry in block.entries)


def csv_row(log: ActivityLog, block: Block, entry: Entry) -> tuple[str, ...]:
    """The values in the order of CSV_FIELDS."""
    return (log.incident.name, yes_no(log.exercise), log.period_from, log.period_to, block.name,
            block.position, block.agency, block.resources, entry.date_time, block.time_zone,
            entry.activity, log.content_revision, packs_text(log.incident),
            yes_no(log.chain.intact), log.chain.head, log.chain.combined, entry.laptop,
            "; ".join(entry.flags))


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


STYLE = """
  table { border-collapse: collapse; margin-bottom: 10px; }
  td, th { border: 1px solid #000; padding: 5px; vertical-align: top; }
  th { background: #e6e6e6; text-align: left; font-weight: bold; }
  .exercise { border: 3px solid #b00000; color: #b00000; font-size: 16pt; font-weight: bold; }
  .title { font-size: 17pt; font-weight: bold; margin-bottom: 2px; }
  .zone { font-size: 9pt; margin-top: 4px; margin-bottom: 10px; }
  .label { font-size: 8pt; color: #333; }
  .value, .period { font-size: 11pt; }
  .value { font-weight: bold; }
  .foot { font-size: 8.5pt; }
  .hash { font-family: monospace; }
  .broken { font-size: 9pt; font-weight: bold; color: #b00000; }
"""


def export_pdf(log: ActivityLog, path: Path | str) -> None:
    """The ICS 214 form as a PDF, one block of pages per operator and position, ready to sign."""
    ensure_gui_app()
    write_whole(path, lambda temp: write_pdf(log, temp))


def ensure_gui_app() -> None:
    """Fonts need a QGuiApplication: make one (off-screen) when run from the command line."""
    global _app
    if QtGui.QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QtGui.QGuiApplication([])


def write_pdf(log: ActivityLog, path: Path) -> None:
    def paint(painter: QtGui.QPainter, writer: QtGui.QPdfWriter) -> None:
        for number, block in enumerate(log.blocks):
            if number:
                writer.newPage()
            paint_block(painter, writer, log, block)

    painted_pdf(path, f"Activity Log (ICS 214): {log.incident.name}", paint)


def painted_pdf(path: Path, title: str, paint) -> None:
    """A PDF at `path` on the machine's paper size with the forms' margins, painted by
    `paint(painter, writer)`: every painted PDF of binder/paper (ICS 214, after-action draft)."""
    writer = QtGui.QPdfWriter(str(path))
    writer.setPageSize(page_size())
    writer.setPageMargins(QMarginsF(15, 14, 15, 12), QtGui.QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setCreator("Binder")
    painter = QtGui.QPainter()
    if not painter.begin(writer):
        raise OSError(0, "the PDF file cannot be opened for writing")
    try:
        paint(painter, writer)
    finally:
        painter.end()
    if os.path.getsize(path) == 0:
        raise OSError(0, "the PDF file came out empty")


def page_size() -> QtGui.QPageSize:
    """Letter where the machine uses US measures, A4 elsewhere."""
    us = QLocale.system().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    sizes = QtGui.QPageSize.PageSizeId
    return QtGui.QPageSize(sizes.Letter if us else sizes.A4)


def paint_block(painter: QtGui.QPainter, writer: QtGui.QPdfWriter, log: ActivityLog,
                 block: Block) -> None:
    """Lay one block out on pages, each with a footer line saying which page of the block it is:
    the form's header, the activity table painted a page at a time, then "Prepared by"."""
    width, height = writer.width(), writer.height()
    painter.setFont(form_font(8))
    footer = painter.fontMetrics().height() * 2.5
    body = height - footer
    top = block_document(head_html(log, block), writer, width)
    bottom = block_document(tail_html(log, block), writer, width)
    table = LogTable(writer, width, form_font(10), form_font(8))
    pages = table.place(block.entries, top.size().height(), bottom.size().height(), body)
    for number, page in enumerate(pages):
        if number:
            writer.newPage()
        if page.top is not None:
            draw_document(painter, top, page.top)
        if page.head is not None:
            table.paint_head(painter, page.head)
        for piece in page.pieces:
            table.paint_piece(painter, piece, block.entries[piece.entry])
        if page.bottom is not None:
            draw_document(painter, bottom, page.bottom)
        paint_footer(painter, QRectF(0, body, width, footer), log, block,
                     f"{number + 1} of {len(pages)}")


def draw_document(painter: QtGui.QPainter, doc: QtGui.QTextDocument, y: float) -> None:
    painter.save()
    painter.translate(0, y)
    doc.drawContents(painter)
    painter.restore()


def paint_footer(painter: QtGui.QPainter, area: QRectF, log: ActivityLog, block: Block,
                 page: str) -> None:
    """Whose form it is on the left (EXERCISE first, on every page), the page on the right."""
    mark = "EXERCISE · " if log.exercise else ""
    bottom = Qt.AlignmentFlag.AlignBottom
    painter.drawText(area, bottom | Qt.AlignmentFlag.AlignLeft,
                     f"{mark}{log.incident.name} · {block.name}, {block.position}")
    painter.drawText(area, bottom | Qt.AlignmentFlag.AlignRight, f"ICS 214 · Page {page}")


def form_font(points: float) -> QtGui.QFont:
    """The system's plain font, without ligatures: copied text says "Officer", not "Oﬃcer"."""
    fonts = QtGui.QFontDatabase
    font = QtGui.QFont(fonts.systemFont(fonts.SystemFont.GeneralFont))
    font.setPointSizeF(points)
    font.setFeature(QtGui.QFont.Tag("liga"), 0)
    return font


def block_document(html: str, device, width: float) -> QtGui.QTextDocument:
    """Part of a block as rich text, laid out for the PDF's resolution and width."""
    doc = QtGui.QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(form_font(10))
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(STYLE)
    doc.setHtml(html)
    doc.setTextWidth(width)
    return doc


def head_html(log: ActivityLog, block: Block) -> str:
    """Blocks 1 to 6, above the activity table."""
    return "".join((title_html(log, block), header_html(log, block), resources_html(block)))


def tail_html(log: ActivityLog, block: Block) -> str:
    """Block 8 and the foot, below the activity table."""
    return prepared_html(log, block) + foot_html(log)


def cell(label: str, value: str = "", attrs: str = "") -> str:
    shown = f"<br><span class='value'>{escape(value)}</span>" if value else ""
    return f"<td{attrs}><span class='label'>{escape(label)}</span>{shown}</td>"


def keep(text: str) -> str:
    """A date and time that must not wrap between the two."""
    return text.replace(" ", "\u00a0")


def title_html(log: ActivityLog, block: Block) -> str:
    mark = word = ""
    if log.exercise:
        mark = (f"<table width='100%' class='exercise'><tr><td class='exercise' align='center'>"
                f"{EXERCISE_MARK}</td></tr></table>")
        word = " — EXERCISE"
    zone = f"All times are local, 24-hour: {block.time_zone}." if block.time_zone else ""
    return (f"{mark}<p align='center' class='title'>ACTIVITY LOG (ICS 214){word}</p>"
            f"<p align='center' class='zone'>{escape(zone)}</p>")


def header_html(log: ActivityLog, block: Block) -> str:
    period = (f"From:&nbsp;<b>{escape(keep(log.period_from))}</b><br>"
              f"To:&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;<b>{escape(keep(log.period_to))}</b>")
    return ("<table width='100%'><tr>"
            + cell("1. Incident Name:", log.incident.name, " colspan='2'")
            + "<td><span class='label'>2. Operational Period (24-hour):</span><br>"
            + f"<span class='period'>{period}</span></td>"
            + "</tr><tr>"
            + cell("3. Name:", block.name, " width='25%'")
            + cell("4. ICS Position:", block.position, " width='30%'")
            + cell("5. Home Agency (and Unit):", block.agency, " width='45%'")
            + "</tr></table>")


def resources_html(block: Block) -> str:
    rows = [f"<tr><td>{escape(block.resources)}</td><td></td><td></td></tr>"]
    rows += ["<tr><td></td><td></td><td></td></tr>"] * (RESOURCE_ROWS - 1)
    return ("<table width='100%'><thead><tr><th colspan='3'>6. Resources Assigned:</th></tr>"
            "<tr><td width='34%' class='label'>Name</td><td width='33%' class='label'>"
            "ICS Position</td><td width='33%' class='label'>Home Agency (and Unit)</td></tr>"
            "</thead>" + "".join(rows) + "</table>")


def prepared_html(log: ActivityLog, block: Block) -> str:
    """Each person prepares and signs their own log: the block's person, the export's time."""
    return ("<table width='100%'><tr><th colspan='3'>8. Prepared by:</th></tr><tr>"
            + cell("Name:", block.name, " width='30%'")
            + cell("Position/Title:", block.position, " width='40%'")
            + cell("Date/Time:", keep(log.prepared_at), " width='30%'")
            + "</tr><tr><td colspan='3'><span class='label'>Signature:</span>"
            + "<br>&nbsp;<br>&nbsp;</td></tr></table>")


def foot_html(log: ActivityLog) -> str:
    revision = (f"Content revision: {log.content_revision or 'not recorded'}; agency packs: "
                f"{packs_text(log.incident)}")
    chain = (f"Journal chain: intact, head <span class='hash'>{escape(log.chain.head)}</span>"
             if log.chain.intact else
             f"<span class='broken'>Journal chain: BROKEN: {escape(log.chain.problem)}</span>")
    combined = combined_line(log.chain)
    if combined:
        chain += f"<br>{escape(combined)}"
    exported = f"Exported by {log.prepared_name or 'unknown'}"
    if log.prepared_position:
        exported += f" ({log.prepared_position})"
    exported += f" at {log.prepared_at}"
    return f"<p class='foot'>{escape(revision)} · {escape(exported)}<br>{chain}</p>"
