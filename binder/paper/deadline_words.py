"""An incident's funding deadlines in words, for the handover sheet, the after-action draft and
`binder deadlines`: those with a date (soonest first), those waiting for a date people record,
and those the binder gives no date for, each with its reason and a short source."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from itertools import groupby

from binder.content.deadlines import NOT_GIVEN
from binder.paper.deadlines import WEEKDAYS, DeadlineRow, distance

NEAR_DAYS = 7  # a date this close, or passed, is printed in bold
LIST = "style='margin-top: 0; -qt-list-indent: 1'"  # a tight list: the first sheet is full
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


@dataclass(frozen=True)
class Grouped:
    dated: list[DeadlineRow]  # soonest first
    waiting: list[DeadlineRow]  # counted from a date no one has recorded (or taken back)
    undated: list[DeadlineRow]  # the source gives no starting date: the binder has none


def grouped(rows: list[DeadlineRow]) -> Grouped:
    dated = sorted((r for r in rows if r.due is not None), key=lambda r: r.due)
    waiting = [r for r in rows if r.due is None and r.deadline.start != NOT_GIVEN]
    undated = [r for r in rows if r.due is None and r.deadline.start == NOT_GIVEN]
    return Grouped(dated, waiting, undated)


def short_source(source: str) -> str:
    """The first of the sources a deadline names ('28 CFR 32.12, in force in 2026')."""
    return source.split(";", 1)[0].strip()


def first_sentence(text: str) -> str:
    return SENTENCE_END.split(text.strip(), 1)[0]


def reason(row: DeadlineRow) -> str:
    """Why a deadline of the source's has no date here: how long it is and that the source
    gives no start, or (with no length either) the first sentence of the page's note."""
    if row.deadline.length:
        return f"up to {row.deadline.length}; the source does not say from when"
    return first_sentence(row.deadline.note).rstrip(".") or "the source does not say from when"


def counting(row: DeadlineRow) -> str:
    """'10 days after the date BJA received the written request'."""
    return f"{row.deadline.length} after {row.date_label}"


def recorded_by(row: DeadlineRow) -> str:
    """'recorded by Ann Lee' for a date people recorded; '' otherwise."""
    event = row.recorded.event if row.recorded is not None and row.start else None
    if event is None:
        return ""
    return f"recorded by {event.operator}" if event.operator else "recorded (no name logged)"


def near(row: DeadlineRow, today: dt.date) -> bool:
    """Passed, or due within a week (and not replaced by a later date that applies)."""
    return row.due is not None and not row.superseded and (row.due - today).days <= NEAR_DAYS


def soon(row: DeadlineRow, today: dt.date) -> str:
    """'SOON: ' for a date from today to a week on; '' otherwise (a passed one says so)."""
    return "SOON: " if near(row, today) and (row.due - today).days >= 0 else ""


def key(row: DeadlineRow) -> str:
    """'eflea:received': what `binder deadlines --record` takes."""
    return f"{row.page}:{row.date_name}"


def plain_lines(rows: list[DeadlineRow], today: dt.date) -> list[str]:
    """One line per deadline, grouped by programme in binder order (`binder deadlines`)."""
    lines: list[str] = []
    page = None
    for row in rows:
        if row.page != page:
            page = row.page
            lines += [""] if lines else []
            lines.append(f"{row.programme} ({row.page})")
        lines.append(f"  {plain_line(row, today)}")
    return lines


def plain_line(row: DeadlineRow, today: dt.date, notes: bool = True) -> str:
    what, source = row.deadline.what, short_source(row.deadline.source)
    note = f" Note: {row.deadline.note}" if row.deadline.note and notes else ""
    if row.deadline.start == NOT_GIVEN and not row.deadline.length and notes:
        return f"{what}: no date: {row.deadline.note} [{source}]"  # the note is the reason
    if row.deadline.start == NOT_GIVEN:
        return f"{what}: no date: {reason(row)}.{note} [{source}]"
    if row.due is None:
        return f"{what}: no date until {row.date_label} is recorded ({key(row)}) [{source}]"
    who = f", {recorded_by(row)}" if recorded_by(row) else ""
    return (f"{what}: {soon(row, today)}{row.when_text(today)}; {counting(row)} "
            f"({row.start.isoformat()}{who}).{note} [{source}]")


def deadlines_html(rows: list[DeadlineRow], zone: str, today: dt.date, table: str) -> str:
    """The handover's "Funding deadlines" section; `table` opens a ruled table."""
    if not rows:
        return ("<h2>Funding deadlines</h2><p>This binder's pages give no funding "
                "deadlines.</p>")
    parts = grouped(rows)
    head = (f"<h2>Funding deadlines</h2><p class='meta'>{escape(zone)} Counted in calendar "
            "days as each source counts them; \"in N days\" is from "
            f"{today.isoformat()}, the day this was printed.</p>")
    if parts.dated:
        body = "".join(dated_row(row, today) for row in parts.dated)
        dated = (f"{table}<tr><th width='13%'>Funding</th><th width='37%'>Deadline</th>"
                 f"<th width='22%'>Date</th><th>Counts from</th></tr>{body}</table>")
    else:
        dated = "<p>No deadline has a date yet.</p>"
    return head + dated + waiting_html(parts.waiting) + undated_html(parts.undated)


def dated_row(row: DeadlineRow, today: dt.date) -> str:
    note = (f"<br><span class='small'><i>{escape(row.deadline.note)}</i></span>"
            if row.deadline.note else "")
    source = f"<br><span class='small'>{escape(short_source(row.deadline.source))}</span>"
    how_far = escape(distance(row.due, today))
    if row.superseded:
        how_far = f"the later date, {escape(row.later.isoformat())}, applies"
    if near(row, today):
        how_far = f"<b>{soon(row, today)}{how_far}</b>"
    who = f"<br><span class='small'>{escape(recorded_by(row))}</span>" if recorded_by(row) \
        else ""
    return (f"<tr><td>{escape(row.programme)}</td><td>{escape(row.deadline.what)}{note}"
            f"{source}</td><td><b>{escape(row.due.isoformat())}</b>&nbsp;"
            f"({WEEKDAYS[row.due.weekday()]})<br>{how_far}</td>"
            f"<td>{escape(counting(row))}: {escape(row.start.isoformat())}{who}</td></tr>")


def waiting_html(rows: list[DeadlineRow]) -> str:
    if not rows:
        return ""
    lines = "".join(
        f"<li class='small'>{escape(row.programme)}: {escape(row.deadline.what)}: "
        f"{escape(counting(row))} ({escape(short_source(row.deadline.source))})</li>"
        for row in rows)
    return ("<p><b>Waiting for a date to be recorded</b> (Incident &gt; Deadlines, or "
            f"<i>binder deadlines</i>):</p><ul {LIST}>{lines}</ul>")


def undated_html(rows: list[DeadlineRow]) -> str:
    """One line per programme and source: AEAP's three periods share a line, so the section
    stays on the first sheet."""
    if not rows:
        return ""
    lines = []
    for (programme, source), same in groupby(
            rows, key=lambda r: (r.programme, short_source(r.deadline.source))):
        same = list(same)
        if len(same) > 1 and all(r.deadline.length for r in same):
            what = "; ".join(f"{r.deadline.what} (up to {r.deadline.length})" for r in same)
            why = "the source does not say from when"
        else:
            what = "; ".join(r.deadline.what for r in same)
            why = "; ".join(reason(r) for r in same)
        lines.append(f"<li class='small'>{escape(programme)}: {escape(what)}: {escape(why)} "
                     f"({escape(source)})</li>")
    lines = "".join(lines)
    return f"<p><b>No date in this binder:</b></p><ul {LIST}>{lines}</ul>"
