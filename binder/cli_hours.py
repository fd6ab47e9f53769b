"""`binder hours INCIDENT [--from ISO --to ISO] -o hours.csv`: checked-in hours for the claim."""

from __future__ import annotations

import sys


def add_parsers(commands) -> None:
    hours = commands.add_parser(
        "hours", help="hours checked in per person and agency (ICS 211), as CSV for the claim")
    hours.add_argument("incident", help="the incident (id, start of id, or name)")
    hours.add_argument("--from", dest="start", help="the period's start, e.g. 2026-05-01T06:00 "
                       "(no zone: this machine's; default: the incident's start)")
    hours.add_argument("--to", dest="end", help="the period's end (default: the incident's "
                       "close, or now)")
    hours.add_argument("-o", "--output", required=True, help="the CSV file to write")


def run(args) -> int:
    from binder.cli import journal_and_incident
    from binder.paper.hours import (
        HoursError,
        amount,
        export_hours_csv,
        hours_report,
        local,
        parse_time,
    )

    try:
        start = parse_time(args.start) if args.start else None
        end = parse_time(args.end) if args.end else None
    except HoursError as exc:
        print(f"binder hours: {exc}", file=sys.stderr)
        return 2
    journal, incident = journal_and_incident(args)
    if incident is None:
        return 2
    try:
        report = hours_report(journal, incident.id, start, end)
        export_hours_csv(report, args.output)
    except HoursError as exc:
        print(f"binder hours: {exc}", file=sys.stderr)
        return 1
    hours = report.hours
    print(f"{incident.name}: {local(hours.start, None)} to {local(hours.end, None)}, "
          f"{len(hours.people)} people, {amount(hours.seconds)[0]} hours")
    for agency, seconds in hours.agencies:
        print(f"  {agency or '(no agency)'}: {amount(seconds)[0]} hours")
    if not report.chain.intact:
        print(f"binder hours: the journal is NOT intact: {report.chain.problem}", file=sys.stderr)
    print(f"saved {args.output}")
    return 0
