"""The words of Incident > Deadlines: a deadline's cells, the word that makes a near one stand
out, and what is said below the list about the selected one."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from binder.content.deadlines import NOT_GIVEN

if TYPE_CHECKING:
    from binder.journal.journal import Event
    from binder.paper.deadlines import DeadlineRow

NEAR_DAYS = 7  # a deadline this close, or passed, stands out


def near_word(row: DeadlineRow, today: dt.date) -> str:
    """'Passed', 'Today' or 'Soon' (within NEAR_DAYS) for a deadline to look at now; '' (also
    for the earlier of two dates of which the later applies)."""
    if row.due is None or row.superseded:
        return ""
    days = (row.due - today).days
    if days < 0:
        return "Passed"
    return "Today" if days == 0 else "Soon" if days <= NEAR_DAYS else ""


def counted(row: DeadlineRow) -> str:
    """'10 days after the date BJA received the written request (2028-02-25)'."""
    if row.deadline.start == NOT_GIVEN or not row.deadline.length:
        return row.counted_from
    return f"{row.deadline.length} after {row.counted_from}"


def cells(row: DeadlineRow, today: dt.date) -> list[str]:
    """The row's columns: what (with its near word), date, how counted, source."""
    word = near_word(row, today)
    what = f"{word}: {row.deadline.what}" if word else row.deadline.what
    return [what, row.when_text(today), counted(row), row.deadline.source]


def entry_text(event: Event, here: str) -> str:
    """'2028-02-25 recorded by Ann Lee (Incident Commander) on 26 Nov 2026 at 14:03', with
    ', on another laptop' when a laptop other than `here` wrote it."""
    date = event.data.get("deadline_date", {}).get("date", "")
    who = (f"{event.operator} ({event.position})" if event.position else event.operator) \
        or "someone"
    moment = dt.datetime.fromisoformat(event.entered_at).astimezone()
    text = f"{f'{date} recorded' if date else 'taken back'} by {who} on " \
           f"{moment.day} {moment:%b %Y} at {moment:%H:%M}"
    if here and event.device not in ("", here):
        text += ", on another laptop"
    return text


def details(row: DeadlineRow, rows: list[DeadlineRow], today: dt.date, here: str) -> str:
    """Below the list: the deadline, its date, how it is counted, its note and source, and who
    recorded the date it counts from (and any earlier values)."""
    deadline = row.deadline
    lines = [f"{deadline.what} ({row.programme})", f"Date: {row.when_text(today)}"]
    if deadline.start == NOT_GIVEN:
        lines.append("Counted from: the source does not say, so Binder gives no date.")
    else:
        lines.append(f"Counted: {counted(row)}")
    if deadline.note:
        lines.append(f"Note: {deadline.note}")
    lines.append(f"Source: {deadline.source}")
    if row.recorded is not None:
        lines.append("Date " + entry_text(row.recorded.event, here) + ".")
        if row.recorded.earlier:
            lines.append("Earlier: " + "; ".join(entry_text(e, here)
                                                 for e in reversed(row.recorded.earlier)) + ".")
    elif row.date_name:
        lines.append(f"Nobody has recorded {row.date_label} yet: Record date… (Alt+R).")
    others = [r.deadline.what for r in rows if r.page == row.page and r.date_name
              and r.date_name == row.date_name and r is not row]
    if others:
        lines.append("The same date also counts for: " + "; ".join(others) + ".")
    return "\n".join(lines)
