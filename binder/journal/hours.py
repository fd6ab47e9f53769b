"""Hours at the command post, from the check-ins: per person and per agency within a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from binder.journal.checkins import Stint, at_once, moment
from binder.journal.journal import Event

STILL_IN = "still checked in: counted to {}"
TO_END, TO_NOW = "the end of the period", "the time these hours were counted"
AT_ONCE = "checked in on another laptop at the same time: the person's hours count it once"
TWICE_OUT = "checked out on two laptops ({}): counted to the earlier"
NO_CHECKIN = "a check-out whose check-in is not in this journal: no hours counted"


@dataclass(frozen=True)
class StintHours:
    stint: Stint
    start: dt.datetime  # clipped to the period
    end: dt.datetime
    flags: tuple[str, ...] = ()

    @property
    def seconds(self) -> float:
        return max(0.0, (self.end - self.start).total_seconds())


@dataclass(frozen=True)
class PersonHours:
    name: str
    agency: str
    positions: tuple[str, ...]
    stints: tuple[StintHours, ...]
    seconds: float  # the union of the stints: a time checked in on two laptops counts once


@dataclass(frozen=True)
class Hours:
    start: dt.datetime
    end: dt.datetime
    people: tuple[PersonHours, ...]
    agencies: tuple[tuple[str, float], ...]  # (agency, seconds), in the order first seen
    orphans: tuple[Event, ...] = ()

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.agencies)


def whole_time(started_at: str, closed_at: str, stints: list[Stint],
               now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The incident's whole time: from its start (or an earlier check-in entered late) to its
    close, or now while it is open."""
    now = now or dt.datetime.now(dt.UTC)
    start = min([moment(started_at), *(moment(s.start) for s in stints)])
    return start, moment(closed_at) if closed_at else now


def count_hours(stints: list[Stint], orphans: list[Event], start: dt.datetime,
                end: dt.datetime, now: dt.datetime | None = None) -> Hours:
    """Checked-in time within [start, end]; a person still checked in counts to the end or
    now, whichever is first."""
    now = now or dt.datetime.now(dt.UTC)
    doubles = at_once(stints)
    people: dict[tuple[str, str], list[StintHours]] = {}
    for stint in stints:
        clipped = clip(stint, start, end, now, stint.checkin.id in doubles)
        if clipped is not None:
            people.setdefault(stint.key, []).append(clipped)
    persons = tuple(person_hours(found) for found in people.values())
    agencies: dict[str, list] = {}
    for person in persons:
        entry = agencies.setdefault(" ".join(person.agency.split()).casefold(),
                                    [person.agency, 0.0])
        entry[1] += person.seconds
    inside = tuple(e for e in orphans if start <= moment(e.when) <= end)
    return Hours(start, end, persons, tuple((a, s) for a, s in agencies.values()), inside)


def clip(stint: Stint, start: dt.datetime, end: dt.datetime, now: dt.datetime,
         doubled: bool) -> StintHours | None:
    """The part of a stay inside the period, with what a reader must know about it (None when
    it lies outside)."""
    until = min(end, now)
    left, right = moment(stint.start), moment(stint.end) if stint.end else until
    if right < start or left > end:
        return None
    flags = []
    if not stint.end:
        flags.append(STILL_IN.format(TO_END if until == end else TO_NOW))
    if len(stint.checkouts) > 1:
        times = ", ".join(sorted(e.when[:16] for e in stint.checkouts))
        flags.append(TWICE_OUT.format(times))
    if doubled:
        flags.append(AT_ONCE)
    return StintHours(stint, max(left, start), min(right, end, until), tuple(flags))


def person_hours(stays: list[StintHours]) -> PersonHours:
    """One person's stays and their time, a time covered twice counted once."""
    seconds, reach = 0.0, None
    for stay in sorted(stays, key=lambda s: s.start):
        begin = stay.start if reach is None else max(stay.start, reach)
        if stay.end > begin:
            seconds += (stay.end - begin).total_seconds()
        reach = max(reach, stay.end) if reach else stay.end
    first = stays[0].stint
    positions = tuple(dict.fromkeys(s.stint.position for s in stays if s.stint.position))
    return PersonHours(first.name, first.agency, positions, tuple(stays), seconds)
