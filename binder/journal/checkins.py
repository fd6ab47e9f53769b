"""People checked in and out at the command post (ICS 211), as journal events, and who is in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from binder.journal.journal import Event, Journal, refuse_text
from binder.journal.journal_errors import CheckinConflict
from binder.journal.journal_rows import CHECKIN_KINDS, events_where

# The ICS 211 blocks a command post fills in by hand for one person: (key, label, block).
FIELDS = (
    ("name", "Name", "5"),
    ("agency", "Agency / home unit", "5, 11"),
    ("position", "ICS position or kind/type", "5"),
    ("assignment", "Incident assignment", "14"),
    ("contact", "Incident contact (phone, radio)", "10"),
    ("departure", "Home base / departure point", "12"),
    ("travel", "Method of travel", "13"),
    ("qualifications", "Other qualifications", "15"),
    ("order", "Order request #", "6"),
    ("location", "Check-in location", "3"),
)
FIELD_NAMES = tuple(key for key, _, _ in FIELDS)
AHEAD = dt.timedelta(minutes=5)  # a time further ahead of this laptop's clock is a mistake


@dataclass(frozen=True)
class Stint:
    """One check-in and the check-outs that close it (two when laptops did so at once)."""

    checkin: Event
    checkouts: tuple[Event, ...] = ()

    @property
    def name(self) -> str:
        return self.checkin.data.get("name", "")

    @property
    def agency(self) -> str:
        return self.checkin.data.get("agency", "")

    @property
    def position(self) -> str:
        return self.checkin.data.get("position", "")

    @property
    def key(self) -> tuple[str, str]:
        return person_key(self.name, self.agency)

    @property
    def start(self) -> str:
        return self.checkin.when

    @property
    def end(self) -> str:
        """The earliest check-out's time ("" while checked in): never more time than recorded."""
        if not self.checkouts:
            return ""
        return min(self.checkouts, key=lambda event: moment(event.when)).when

    @property
    def is_open(self) -> bool:
        return not self.checkouts


def person_key(name: str, agency: str) -> tuple[str, str]:
    """One person: name and agency, whatever their case and spacing."""
    return tuple(" ".join(part.split()).casefold() for part in (name, agency))


def who(name: str, agency: str) -> str:
    return f"{name} ({agency})" if agency else name


def moment(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


def stamp(value: str) -> str:
    """'14:03' today, else '01 May 2026 14:03', local."""
    when = moment(value).astimezone()
    today = dt.datetime.now().astimezone().date()
    return when.strftime("%H:%M") if when.date() == today else when.strftime("%d %b %Y %H:%M")


def stints_from(events: list[Event]) -> tuple[list[Stint], list[Event]]:
    """Every check-in with its check-outs, in clock order, and the check-outs whose check-in is
    not in the journal (not arrived yet from its laptop): shown, never dropped."""
    ordered = sorted((e for e in events if e.kind in CHECKIN_KINDS),
                     key=lambda e: (e.hlc, e.device, e.seq))
    found: dict[str, Stint] = {}
    orphans = []
    for event in ordered:
        if event.kind == "checkin":
            found.setdefault(event.id, Stint(event))
            continue
        stint = found.get(event.data.get("checkin", ""))
        if stint is None:
            orphans.append(event)
        else:
            found[stint.checkin.id] = Stint(stint.checkin, (*stint.checkouts, event))
    return list(found.values()), orphans


def at_once(stints: list[Stint]) -> dict[str, list[Stint]]:
    """For each check-in, the same person's check-ins from another laptop over the same time:
    checked in on two laptops at once. Both are kept and shown."""
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    people: dict[tuple[str, str], list[tuple[Stint, dt.datetime, dt.datetime]]] = {}
    for s in stints:  # only one person's stays are compared with each other
        people.setdefault(s.key, []).append((s, moment(s.start), moment(s.end) if s.end else far))
    found: dict[str, list[Stint]] = {}
    for stays in people.values():
        for stint, start, end in stays:
            for other, o_start, o_end in stays:
                if other.checkin.device != stint.checkin.device and o_start < end and start < o_end:
                    found.setdefault(stint.checkin.id, []).append(other)
    return found


def read_stints(journal: Journal, incident_id: str) -> tuple[list[Stint], list[Event]]:
    """One incident's check-ins (every laptop's), through the (incident, kind) index."""
    return stints_from(journal.events(incident_id, kinds=CHECKIN_KINDS))


def _stints_in(conn, incident_id: str) -> list[Stint]:
    return stints_from(events_where(
        conn, "incident_id = ? AND kind IN ('checkin', 'checkout')", (incident_id,)))[0]


def _time(occurred_at: str) -> str:
    """The time given (UTC ISO), or now; refused when not a time or well ahead of the clock."""
    now = dt.datetime.now(dt.UTC)
    if not occurred_at:
        return now.isoformat(timespec="milliseconds")
    try:
        when = moment(occurred_at)
    except ValueError:
        raise CheckinConflict(f"'{occurred_at}' is not a date and time.") from None
    if when.tzinfo is None:
        raise CheckinConflict(f"'{occurred_at}' has no time zone.")
    if when > now + AHEAD:
        raise CheckinConflict(f"{stamp(occurred_at)} is still to come: give the time it "
                              "happened.")
    return occurred_at


def check_in(journal: Journal, incident_id: str, fields: dict, occurred_at: str = "") -> Event:
    """Check a person in (the ICS 211 fields; occurred_at for a late entry). Refused, with
    nothing written, when they are checked in already or the time overlaps their last stay."""
    values = {key: " ".join(str(fields.get(key, "")).split()) for key in FIELD_NAMES}
    if not values["name"]:
        raise CheckinConflict("Type the person's name first.")
    refuse_text({label: values[key] for key, label, _ in FIELDS})
    when = _time(occurred_at)
    key = person_key(values["name"], values["agency"])

    def refuse(conn) -> None:
        for stint in _stints_in(conn, incident_id):
            if stint.key != key:
                continue
            person = who(stint.name, stint.agency)
            if stint.is_open:
                raise CheckinConflict(
                    f"{person} is already checked in, since {stamp(stint.start)} (by "
                    f"{stint.checkin.operator or 'someone unnamed'}). Check them out first.")
            if moment(when) < moment(stint.end):  # the new stay, still open, overlaps it
                raise CheckinConflict(
                    f"{person} was checked in from {stamp(stint.start)} to "
                    f"{stamp(stint.end)}: a check-in at {stamp(when)} would count that time "
                    "twice.")

    return journal.append("checkin", incident_id, occurred_at=occurred_at, data=values,
                          refuse=refuse)


def check_out(journal: Journal, incident_id: str, checkin_id: str,
              occurred_at: str = "") -> Event:
    """Check out the person of one check-in (by its id). Refused when that check-in is not
    open here, or the time is before it."""
    when = _time(occurred_at)

    def refuse(conn) -> None:
        stint = next((s for s in _stints_in(conn, incident_id) if s.checkin.id == checkin_id),
                     None)
        if stint is None:
            raise CheckinConflict("There is no such check-in in this incident: nobody to check "
                                  "out.")
        person = who(stint.name, stint.agency)
        if not stint.is_open:
            out = stint.checkouts[0]
            raise CheckinConflict(f"{person} was already checked out at {stamp(out.when)} (by "
                                  f"{out.operator or 'someone unnamed'}).")
        if moment(when) < moment(stint.start):
            raise CheckinConflict(f"The check-out time {stamp(when)} is before {person}'s "
                                  f"check-in at {stamp(stint.start)}.")

    known = {s.checkin.id: s for s in _stints_in(journal.conn, incident_id)}.get(checkin_id)
    data = {"checkin": checkin_id}
    if known is not None:  # the ICS 214 and a reader of the record see whom it checked out
        data.update(name=known.name, agency=known.agency)
    return journal.append("checkout", incident_id, occurred_at=occurred_at, data=data,
                          refuse=refuse)


def checkin_words(event: Event) -> str:
    """A check-in or check-out in the activity log's words."""
    data = event.data
    person = who(data.get("name", ""), data.get("agency", ""))
    if event.kind == "checkout":
        return f"Checked out (ICS 211): {person or 'check-in ' + data.get('checkin', '')}"
    details = [data.get("position", "")]
    if data.get("assignment"):
        details.append(f"assignment {data['assignment']}")
    return ", ".join(filter(None, [f"Checked in (ICS 211): {person}", *details]))
