"""An incident's funding deadlines as dates: each funding page's deadlines (its front matter,
content/deadlines.py) counted from the incident's start or from a date people recorded
(journal/deadline_dates.py). For Incident > Deadlines, `binder deadlines` and the handover."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from binder.content.deadlines import INCIDENT, NOT_GIVEN, Deadline, count
from binder.journal.deadline_dates import RecordedDate, incident_day, recorded_dates
from binder.journal.incidents import Incident


@dataclass(frozen=True)
class DeadlineRow:
    page: str  # the funding page's id
    programme: str  # its short name ("EFLEA")
    deadline: Deadline
    date_name: str  # the page's date it counts from ('' for the incident's start, or none)
    date_label: str  # what that date is, in words
    start: dt.date | None  # the date it counts from, when known
    due: dt.date | None
    recorded: RecordedDate | None = None
    later: dt.date | None = None  # the later date of its `whichever_later` group, which applies

    @property
    def superseded(self) -> bool:
        """Its `whichever_later` partner falls later, so that date applies, not this one."""
        return bool(self.due and self.later and self.later > self.due)

    @property
    def counted_from(self) -> str:
        """'the incident's start (2026-11-26)', 'BJA received the request (2026-11-28)',
        'BJA received the request: not recorded yet', 'the source does not say'."""
        if self.deadline.start == NOT_GIVEN:
            return "the source does not say"
        when = f" ({self.start.isoformat()})" if self.start else ": not recorded yet"
        return f"{self.date_label}{when}"

    def when_text(self, today: dt.date) -> str:
        """The date and how far off it is, or why there is none."""
        if self.due is None:
            if self.deadline.start == NOT_GIVEN and self.deadline.length:
                return f"no date: up to {self.deadline.length}, from a date the source does " \
                       "not give"
            if self.deadline.start == NOT_GIVEN:
                return "no date in this binder"
            return f"no date until {self.date_label} is recorded"
        if self.superseded:
            return f"{day_text(self.due)}; the later date, {day_text(self.later)}, applies"
        return f"{day_text(self.due)}, {distance(self.due, today)}"


def short_name(title: str) -> str:
    """'EFLEA' of 'EFLEA (Emergency Federal Law Enforcement Assistance)'."""
    return title.split(" (", 1)[0].strip() or title


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # %a follows the locale Qt sets


def day_text(day: dt.date) -> str:
    return f"{day.isoformat()} ({WEEKDAYS[day.weekday()]})"


def distance(due: dt.date, today: dt.date) -> str:
    days = (due - today).days
    if days == 0:
        return "today"
    if days > 0:
        return "tomorrow" if days == 1 else f"in {days} days"
    return "yesterday (passed)" if days == -1 else f"passed {-days} days ago"


def zone_text(incident: Incident) -> str:
    """How the incident's start date is told, for the reader."""
    day, recorded = incident_day(incident)
    if recorded:
        return (f"The incident started on {day.isoformat()} where it happened "
                f"(UTC{incident.utc_offset}).")
    return (f"The incident started on {day.isoformat()} in this laptop's time zone (its start "
            "did not record its own).")


def deadline_rows(library, incident: Incident, events) -> list[DeadlineRow]:
    """Every funding deadline in the binder (shipped pages, then packs), counted for the
    incident from its start and the dates recorded in its `events` (its notes suffice)."""
    started, _ = incident_day(incident)
    dates = recorded_dates(events)
    rows = []
    for page in library.deadline_pages():
        doc = library.deadline_page(page)
        if doc is None:
            continue
        for deadline in doc.deadlines:
            rows.append(row_for(page, short_name(doc.title), doc.dates, deadline, started,
                                dates))
    return with_later_dates(rows)


def with_later_dates(rows: list[DeadlineRow]) -> list[DeadlineRow]:
    """Each row of a `whichever_later` group that has more than one date knows the latest."""
    latest: dict[tuple[str, str], dt.date] = {}
    for row in rows:
        group = (row.page, row.deadline.whichever_later)
        if row.deadline.whichever_later and row.due:
            latest[group] = max(latest.get(group, row.due), row.due)
    return [replace(row, later=latest[(row.page, row.deadline.whichever_later)])
            if row.due and row.deadline.whichever_later else row for row in rows]


def row_for(page: str, programme: str, page_dates: dict, deadline: Deadline,
            started: dt.date, dates: dict) -> DeadlineRow:
    name, label, start, recorded = "", "", None, None
    if deadline.start == INCIDENT:
        label, start = "the incident's start", started
    elif deadline.start != NOT_GIVEN:
        name, label = deadline.start, page_dates.get(deadline.start, deadline.start)
        recorded = dates.get((page, name))
        if recorded is not None and recorded.date:
            start = dt.date.fromisoformat(recorded.date)
    due = count(start, deadline.after, deadline.unit) if start and deadline.unit else None
    return DeadlineRow(page, programme, deadline, name, label, start, due, recorded)
