"""Dates people record for an incident's funding deadlines ("BJA received the request on ..."),
as journal notes, and the date an incident started where it happened.

A recorded date is a `note` event (no page, no step) whose data carries `deadline_date`: {page,
name, date}. A note, not a kind of its own, so that a laptop still on the release before reads
it from a sync segment and shows it as the note it is, instead of refusing the segment; its text
says the same thing in words for the activity log. The newest entry for a page's date (by clock,
then laptop) is the one that counts; an empty date takes a date back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from binder.journal.incidents import Incident
from binder.journal.journal import Event, Journal
from binder.journal.journal_errors import JournalError
from binder.journal.journal_rows import events_where

OFFSET = re.compile(r"^[+-]\d\d:\d\d$")


class DateRefused(JournalError):
    """A date that cannot be right (not a date, before the incident, still to come)."""


@dataclass(frozen=True)
class RecordedDate:
    date: str  # YYYY-MM-DD, "" when taken back
    event: Event
    earlier: tuple[Event, ...] = ()  # the entries before it for the same date, oldest first

def incident_day(incident: Incident) -> tuple[dt.date, bool]:
    """The date the incident started where it happened (by the UTC offset its start recorded),
    and whether that offset was recorded; if not, the date in this laptop's time zone."""
    moment = dt.datetime.fromisoformat(incident.started_at)
    if OFFSET.match(incident.utc_offset or ""):
        sign = -1 if incident.utc_offset[0] == "-" else 1
        hours, minutes = int(incident.utc_offset[1:3]), int(incident.utc_offset[4:6])
        zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
        return moment.astimezone(zone).date(), True
    return moment.astimezone().date(), False


def recorded_dates(events: list[Event]) -> dict[tuple[str, str], RecordedDate]:
    """(page, name) -> the date that counts, from an incident's events (any order)."""
    found: dict[tuple[str, str], list[Event]] = {}
    for event in events:
        value = event.data.get("deadline_date") if event.kind == "note" else None
        if isinstance(value, dict) and isinstance(value.get("page"), str) \
                and isinstance(value.get("name"), str) and is_date(value.get("date")):
            found.setdefault((value["page"], value["name"]), []).append(event)
    result = {}
    for key, entries in found.items():
        entries.sort(key=lambda e: (e.hlc or e.entered_at, e.device, e.seq))
        newest = entries[-1]
        result[key] = RecordedDate(newest.data["deadline_date"]["date"], newest,
                                   tuple(entries[:-1]))
    return result


def is_date(value) -> bool:
    """'' or a YYYY-MM-DD date: what a recorded date may hold (another laptop's entry that holds
    anything else is shown as the note it is, and counts for no deadline)."""
    if value == "":
        return True
    try:
        return isinstance(value, str) and len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def read_recorded_dates(journal: Journal, incident_id: str) -> dict[tuple[str, str], RecordedDate]:
    """One incident's recorded dates: only its notes that carry one are read (an incident of
    100,000 events has thousands of notes; reading them all took 140 ms)."""
    return recorded_dates(date_notes(journal, incident_id))


def date_notes(journal: Journal, incident_id: str) -> list[Event]:
    """The incident's notes that carry a recorded date, through the (incident, kind) index."""
    return events_where(journal.conn, "incident_id = ? AND kind = 'note' AND "
                        "instr(data, '\"deadline_date\"') > 0", (incident_id,))


def record_date(journal: Journal, incident: Incident, page: str, name: str, label: str,
                value: str, today: dt.date | None = None) -> Event:
    """Record (or with value '' take back) the date `name` of `page` for the incident: a note
    in the journal. Refused, with nothing written, when it is not a date (YYYY-MM-DD), is
    before the day the incident started, or is after today."""
    value = value.strip()
    if value:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise DateRefused(f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. "
                              f"{(today or dt.date.today()).isoformat()}.") from None
        started, _ = incident_day(incident)
        if day < started:
            raise DateRefused(f"{day.isoformat()} is before the incident started "
                              f"({started.isoformat()}).")
        latest = (today or dt.date.today()) + dt.timedelta(days=1)  # a day for time zones
        if day > latest:
            raise DateRefused(f"{day.isoformat()} is still to come: record a date once it "
                              "has happened.")
        text = f"Date recorded for the funding deadlines: {label}: {day.isoformat()}."
        value = day.isoformat()
    else:
        text = f"Date taken back for the funding deadlines: {label} (no date now)."
    return journal.append("note", incident.id, data={
        "text": text, "deadline_date": {"page": page, "name": name, "date": value}})
