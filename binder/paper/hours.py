"""Hours per person and agency within a period, as CSV for the finance section's claim."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from binder.journal.checkins import read_stints
from binder.journal.hours import NO_CHECKIN, Hours, StintHours, count_hours, whole_time
from binder.journal.incidents import Incident, incidents_from, packs_text
from binder.journal.journal import INCIDENT_KINDS, ChainReport, Journal, verify_chain
from binder.paper.csv_cells import safe_row

CSV_FIELDS = (
    "incident", "exercise", "period_from", "period_to", "row", "name", "agency", "ics_position",
    "assignment", "order_request", "checked_in", "checked_out", "time_zone", "hours", "hh_mm",
    "laptop", "flags", "content_revision", "pack_revisions", "chain_intact", "chain_head",
    "chain_combined",
)


class HoursError(Exception):
    """The hours cannot be counted or written: a message for a person."""


@dataclass(frozen=True)
class HoursReport:
    incident: Incident
    hours: Hours
    chain: ChainReport
    here: str  # this laptop's id: its own entries name no laptop


def parse_time(text: str, tz: dt.tzinfo | None = None) -> dt.datetime:
    """An ISO date and time; one without a zone is in `tz` (default: this machine's zone)."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise HoursError(f"'{text}' is not a date and time (for example "
                         "2026-05-01T06:00 or 2026-05-01T06:00-04:00)") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz) if tz else value.astimezone()
    return value.astimezone(dt.UTC)


def hours_report(journal: Journal, incident_id: str, start: dt.datetime | None = None,
                 end: dt.datetime | None = None, now: dt.datetime | None = None) -> HoursReport:
    """The hours of one incident within [start, end] (default: its whole time)."""
    incident = next((i for i in incidents_from(journal.events(kinds=INCIDENT_KINDS))
                     if i.id == incident_id), None)
    if incident is None:
        raise HoursError(f"There is no incident {incident_id} in this journal.")
    stints, orphans = read_stints(journal, incident_id)
    first, last = whole_time(incident.started_at, incident.closed_at, stints, now)
    start, end = start or first, end or last
    if end <= start:
        raise HoursError("The period ends before it starts: give a 'to' after the 'from'.")
    return HoursReport(incident, count_hours(stints, orphans, start, end, now),
                       verify_chain(journal, incident_id), journal.device_id)


def local(value: dt.datetime, tz: dt.tzinfo | None) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def zone(values: list[dt.datetime], tz: dt.tzinfo | None) -> str:
    """'UTC-04:00 (EDT) / UTC-05:00 (EST)': the offsets of the local times in a row."""
    found: dict[str, None] = {}
    for value in values:
        moment = value.astimezone(tz)
        offset, name = moment.strftime("%z"), moment.strftime("%Z")
        label = f"UTC{offset[:3]}:{offset[3:]}"
        found.setdefault(f"{label} ({name})" if name.isalpha() else label, None)
    return " / ".join(found)


def amount(seconds: float) -> tuple[str, str]:
    """'7.75', '7:45': decimal hours to the hundredth, and hours and minutes."""
    minutes = round(seconds / 60)
    return f"{seconds / 3600:.2f}", f"{minutes // 60}:{minutes % 60:02d}"


def rows(report: HoursReport, tz: dt.tzinfo | None = None) -> list[tuple]:
    """Each stay, then each person's total; each agency's; the total; any check-out whose
    check-in has not arrived. Every row carries the incident, its revision and chain."""
    hours = report.hours
    span = [hours.start, hours.end]
    lines = []
    for person in hours.people:
        lines += [stay_row(stay, report.here, tz) for stay in person.stints]
        lines.append(("person", person.name, person.agency, "; ".join(person.positions), "", "",
                      "", "", zone(span, tz), *amount(person.seconds), "", ""))
    lines += [("agency", "", agency, "", "", "", "", "", zone(span, tz), *amount(seconds), "", "")
              for agency, seconds in hours.agencies]
    lines.append(("total", "", "", "", "", "", "", "", zone(span, tz), *amount(hours.seconds),
                  "", ""))
    for event in hours.orphans:
        out = dt.datetime.fromisoformat(event.when)
        lines.append(("check-out without check-in", event.data.get("name", ""),
                      event.data.get("agency", ""), "", "", "", "", local(out, tz), zone([out], tz),
                      "", "", laptop(event.device, report.here), NO_CHECKIN))
    return [head(report, tz) + line + tail(report) for line in lines]


def stay_row(stay: StintHours, here: str, tz: dt.tzinfo | None) -> tuple:
    data = stay.stint.checkin.data
    return ("check-in", stay.stint.name, stay.stint.agency, stay.stint.position,
            data.get("assignment", ""), data.get("order", ""), local(stay.start, tz),
            local(stay.end, tz), zone([stay.start, stay.end], tz), *amount(stay.seconds),
            laptop(stay.stint.checkin.device, here), "; ".join(stay.flags))


def laptop(device: str, here: str) -> str:
    return "" if device in ("", here) else device


def head(report: HoursReport, tz: dt.tzinfo | None) -> tuple:
    return (report.incident.name, "yes" if report.incident.exercise else "no",
            local(report.hours.start, tz), local(report.hours.end, tz))


def tail(report: HoursReport) -> tuple:
    chain = report.chain
    return (report.incident.content_revision, packs_text(report.incident),
            "yes" if chain.intact else "no", chain.head, chain.combined)


def export_hours_csv(report: HoursReport, path: Path | str, tz: dt.tzinfo | None = None) -> None:
    """The rows as UTF-8 CSV, written whole (no cell a spreadsheet runs as a formula)."""
    from binder.paper.export import ExportError, write_whole

    def write(temp: Path) -> None:
        with open(temp, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(CSV_FIELDS)
            writer.writerows(safe_row(row) for row in rows(report, tz))

    try:
        write_whole(path, write)
    except ExportError as exc:
        raise HoursError(str(exc)) from None
