"""Hours checked in, against hand-computed values: midnight, clocks changing, a leap day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from binder.journal.checkins import check_in, check_out, read_stints
from binder.journal.hours import AT_ONCE, count_hours, whole_time
from binder.journal.journal import Journal, Operator

NY = ZoneInfo("America/New_York")
ANN = Operator("Ann Lee", "Finance/Administration Section Chief", "Springfield PD")
CARL = {"name": "Carl Diaz", "agency": "County Fire", "position": "Safety Officer"}
DANA = {"name": "Dana Park", "agency": "County Fire", "position": "Scribe"}
EVE = {"name": "Eve Moss", "agency": "Springfield PD", "position": "Liaison Officer"}


def ny(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=NY)


def iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds")


@pytest.fixture
def operator():
    return ANN  # the journal and incident fixtures are tests/journal/conftest.py's


def stay(journal, incident, person, start, end=None):
    event = check_in(journal, incident, person, iso(start))
    if end is not None:
        check_out(journal, incident, event.id, iso(end))
    return event


def hours_of(journal, incident, start, end, now=None):
    stints, orphans = read_stints(journal, incident)
    return count_hours(stints, orphans, start.astimezone(dt.UTC), end.astimezone(dt.UTC), now)


def test_a_stay_across_midnight(journal, incident):
    stay(journal, incident, CARL, ny(2024, 5, 1, 22, 30), ny(2024, 5, 2, 3, 15))
    hours = hours_of(journal, incident, ny(2024, 5, 1, 0, 0), ny(2024, 5, 3, 0, 0))
    assert [p.seconds / 3600 for p in hours.people] == [4.75]  # 1:30 + 3:15


def test_the_night_clocks_go_back_counts_the_hour_lived_twice(journal, incident):
    # 3 Nov 2024, 02:00 EDT became 01:00 EST: 22:00 EDT to 06:00 EST is 9 hours, not 8.
    stay(journal, incident, CARL, ny(2024, 11, 2, 22, 0), ny(2024, 11, 3, 6, 0))
    whole = hours_of(journal, incident, ny(2024, 11, 2, 0, 0), ny(2024, 11, 4, 0, 0))
    assert whole.seconds == 9 * 3600
    # clipped to 00:00 EDT .. 05:00 EST: 2 h of EDT to 02:00, then 01:00 to 05:00 EST: 6 h
    part = hours_of(journal, incident, ny(2024, 11, 3, 0, 0), ny(2024, 11, 3, 5, 0))
    assert part.seconds == 6 * 3600
    assert [s.seconds for s in part.people[0].stints] == [6 * 3600]


def test_the_night_clocks_go_forward_counts_an_hour_less(journal, incident):
    # 10 Mar 2024, 02:00 EST became 03:00 EDT: 20:00 to 08:00 is 11 hours.
    stay(journal, incident, CARL, ny(2024, 3, 9, 20, 0), ny(2024, 3, 10, 8, 0))
    assert hours_of(journal, incident, ny(2024, 3, 9), ny(2024, 3, 11)).seconds == 11 * 3600


def test_a_stay_over_a_leap_day(journal, incident):
    stay(journal, incident, CARL, ny(2024, 2, 28, 20, 0), ny(2024, 3, 1, 8, 0))
    hours = hours_of(journal, incident, ny(2024, 2, 28, 0, 0), ny(2024, 3, 2, 0, 0))
    assert hours.seconds == 36 * 3600  # 4 h of 28 Feb, 24 h of 29 Feb, 8 h of 1 Mar
    leap_day = hours_of(journal, incident, ny(2024, 2, 29, 0, 0), ny(2024, 3, 1, 0, 0))
    assert leap_day.seconds == 24 * 3600


def test_hours_per_person_and_agency_clipped_to_the_period(journal, incident):
    stay(journal, incident, CARL, ny(2024, 5, 1, 6, 0), ny(2024, 5, 1, 14, 0))
    stay(journal, incident, DANA, ny(2024, 5, 1, 10, 0), ny(2024, 5, 1, 20, 0))
    stay(journal, incident, EVE, ny(2024, 5, 1, 7, 0), ny(2024, 5, 1, 9, 30))
    stay(journal, incident, CARL, ny(2024, 5, 1, 15, 0), ny(2024, 5, 1, 19, 0))
    hours = hours_of(journal, incident, ny(2024, 5, 1, 8, 0), ny(2024, 5, 1, 18, 0))
    people = {p.name: p.seconds / 3600 for p in hours.people}
    assert people == {"Carl Diaz": 6 + 3, "Dana Park": 8, "Eve Moss": 1.5}
    assert dict(hours.agencies) == {"County Fire": 17 * 3600, "Springfield PD": 1.5 * 3600}
    assert hours.seconds == 18.5 * 3600


def test_a_person_still_checked_in_counts_to_the_end_or_now(journal, incident):
    stay(journal, incident, CARL, ny(2024, 5, 1, 6, 0))
    now = ny(2024, 5, 1, 9, 0).astimezone(dt.UTC)
    before_now = hours_of(journal, incident, ny(2024, 5, 1, 0, 0), ny(2024, 5, 1, 8, 0), now)
    assert before_now.seconds == 2 * 3600
    assert "counted to the end of the period" in before_now.people[0].stints[0].flags[0]
    after_now = hours_of(journal, incident, ny(2024, 5, 1, 0, 0), ny(2024, 5, 1, 12, 0), now)
    assert after_now.seconds == 3 * 3600
    assert "counted to the time these hours" in after_now.people[0].stints[0].flags[0]


def test_the_whole_time_starts_at_an_earlier_late_check_in(journal, incident):
    stay(journal, incident, CARL, ny(2024, 5, 1, 6, 0), ny(2024, 5, 1, 7, 0))
    stints, _ = read_stints(journal, incident)
    start = next(e for e in journal.events(incident) if e.kind == "start")
    first, last = whole_time(start.entered_at, "", stints, ny(2030, 1, 1))
    assert first == ny(2024, 5, 1, 6, 0) and last == ny(2030, 1, 1)


def test_two_laptops_checking_one_person_in_count_the_time_once(journal, incident, tmp_path):
    other = Journal(tmp_path / "other.db")
    other.set_operator(Operator("Bo Chan", "Scribe", "County EMS"))
    other.insert_foreign([e.row() for e in journal.events(incident)])
    stay(journal, incident, CARL, ny(2024, 5, 1, 6, 0), ny(2024, 5, 1, 10, 0))
    theirs = check_in(other, incident, CARL, iso(ny(2024, 5, 1, 8, 0)))
    out = check_out(other, incident, theirs.id, iso(ny(2024, 5, 1, 12, 0)))
    journal.insert_foreign([theirs.row(), out.row()])
    hours = hours_of(journal, incident, ny(2024, 5, 1), ny(2024, 5, 2))
    (carl,) = hours.people
    assert carl.seconds == 6 * 3600  # 06:00-12:00, not 4 h + 4 h
    assert [AT_ONCE in s.flags for s in carl.stints] == [True, True]
    other.close()
