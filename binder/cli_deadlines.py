"""`binder deadlines [INCIDENT] [--today DATE]`: an incident's funding deadlines as dates; with
`--record PAGE:NAME DATE` or `--take-back PAGE:NAME`, the date a deadline counts from."""

from __future__ import annotations

import datetime as dt
import shlex
import sys

from binder import paths


def add_parsers(commands) -> None:
    deadlines = commands.add_parser(
        "deadlines", help="an incident's funding deadlines as dates (EFLEA, AEAP, PSOB, ...), "
        "and the dates they count from")
    deadlines.add_argument("incident", nargs="?", help="the incident (id, start of id, or "
                           "name; default: the window's current incident, or the only open one)")
    deadlines.add_argument("--today", metavar="YYYY-MM-DD",
                           help="count 'in N days' from this day (default: today)")
    what = deadlines.add_mutually_exclusive_group()
    what.add_argument("--record", nargs=2, metavar=("PAGE:NAME", "DATE"),
                      help="record the date a deadline counts from, e.g. --record "
                      "eflea:received 2026-11-28")
    what.add_argument("--take-back", metavar="PAGE:NAME",
                      help="take back a date recorded for a deadline")
    deadlines.set_defaults(run=run)


def say(text: str) -> None:
    print(f"binder deadlines: {text}", file=sys.stderr)


def run(args) -> int:
    from binder.cli import content_marker, find_incident, open_journal, read_journal
    from binder.content.store import StoreError
    from binder.search.library import Library

    today = day_of(args.today) if args.today else dt.date.today()
    if today is None:
        return 2
    changing = bool(args.record or args.take_back)
    if changing and (args.today or not args.incident):
        say("a date is recorded for an incident named on the command line, against this "
            "laptop's own today: give INCIDENT, and no --today")
        return 2
    journal = open_journal(args) if changing else read_journal(args)
    if journal is None:
        return 2
    incident = find_incident(journal, args.incident) if args.incident else current(journal)
    if incident is None:
        wanted = f"no single incident matches '{args.incident}'" if args.incident else \
            "no incident is current on this laptop and more or fewer than one is open"
        say(f"{wanted} (see 'binder incidents')")
        return 2
    data = paths.data_dir(args.data_dir)
    try:
        library = Library.open(paths.content_db_path(args.content_db), paths.pack_paths(data),
                               marker=content_marker(data))
    except StoreError as exc:
        say(str(exc))
        return 1
    try:
        if changing and not change(journal, incident, library, args):
            return 1
        show(journal, incident, library, today)
    finally:
        library.close()
        journal.close()
    return 0


def day_of(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        say(f"--today '{text}' is not a date: write it as YYYY-MM-DD, e.g. "
            f"{dt.date.today().isoformat()}")
        return None


def current(journal):
    """The window's current incident on this laptop, else the only open one, else None."""
    from binder.cli import incidents_in

    incidents = incidents_in(journal)
    chosen = [i for i in incidents if i.id == journal.setting("current_incident")]
    if chosen:
        return chosen[0]
    open_ones = [i for i in incidents if i.is_open]
    return open_ones[0] if len(open_ones) == 1 else None


def date_names(library) -> dict[tuple[str, str], str]:
    """(page, name) -> what the date is, for every date a deadline in the binder counts from."""
    names = {}
    for page in library.deadline_pages():
        doc = library.deadline_page(page)
        for name, label in (doc.dates if doc is not None else {}).items():
            names[(page, name)] = label
    return names


def change(journal, incident, library, args) -> bool:
    """Record or take back a date; False (having said why) when it is refused."""
    from binder.journal.deadline_dates import DateRefused, read_recorded_dates, record_date
    from binder.journal.journal import JournalError

    wanted, value = args.record if args.record else (args.take_back, "")
    names = date_names(library)
    page, _, name = wanted.partition(":")
    if (page, name) not in names:
        valid = "\n".join(f"  {p}:{n}  ({label})" for (p, n), label in names.items())
        say(f"'{wanted}' is not a date any deadline counts from; the dates are:\n{valid}"
            if valid else f"'{wanted}': this binder's pages give no funding deadlines")
        return False
    if journal.operator is None or not journal.operator.name:
        say("no one is logging on this laptop: open Binder and say who you are (Incident > "
            "Change who is logging…), then record the date, so the record says who did")
        return False
    recorded = read_recorded_dates(journal, incident.id).get((page, name))
    if not value and (recorded is None or not recorded.date):
        say(f"no date is recorded for {wanted} ({names[(page, name)]}): nothing to take back")
        return False
    try:
        event = record_date(journal, incident, page, name, names[(page, name)], value)
    except (DateRefused, JournalError) as exc:
        say(str(exc))
        return False
    print(f"{event.data['text']} (by {journal.operator.name}, in {incident.name})")
    return True


def show(journal, incident, library, today: dt.date) -> None:
    from binder.journal.deadline_dates import date_notes
    from binder.paper.deadline_words import grouped, plain_lines
    from binder.paper.deadlines import deadline_rows, zone_text

    rows = deadline_rows(library, incident, date_notes(journal, incident.id))
    state = "open" if incident.is_open else "closed"
    print(f"Funding deadlines of {incident.name} ({state}), as of {today.isoformat()}")
    print(zone_text(incident))
    if not rows:
        print("This binder's pages give no funding deadlines.")
        return
    print()
    print("\n".join(plain_lines(rows, today)))
    if grouped(rows).waiting and incident.is_open:
        print(f"\nRecord a date: binder deadlines {shlex.quote(incident.name)} --record "
              "PAGE:NAME YYYY-MM-DD")
