"""Dates people record for the funding deadlines (journal notes), and the day an incident
started where it happened, whatever this laptop's time zone."""

import datetime as dt
import time
from dataclasses import replace

import pytest

from binder.journal.deadline_dates import (
    DateRefused,
    incident_day,
    read_recorded_dates,
    record_date,
)
from binder.journal.incidents import incidents_from
from binder.journal.journal import Journal, Operator

LABEL = "the date BJA received the written request"


def the_incident(journal, incident_id):
    return incidents_from(journal.events(incident_id, kinds=("start", "close")))[0]


def test_an_incident_records_the_utc_offset_where_it_started(tmp_path, laptop_zone):
    laptop_zone("America/Chicago")
    journal = Journal(tmp_path / "journal.db")
    journal.set_operator(Operator("Ann Lee", "IC"))
    incident = the_incident(journal, journal.start_incident("Mall shooting").incident_id)
    expected = "-06:00" if not time.localtime().tm_isdst else "-05:00"
    assert incident.utc_offset == expected
    journal.close()


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/Los_Angeles"])
def test_the_incident_day_is_where_it_started_on_any_laptop(journal, incident, laptop_zone,
                                                             zone):
    """23:30 on New Year's Eve in Chicago (CST, UTC-6) is 05:30 on 1 January in UTC."""
    laptop_zone(zone)
    started = replace(the_incident(journal, incident),
                      started_at="2027-01-01T05:30:00.000+00:00", utc_offset="-06:00")
    assert incident_day(started) == (dt.date(2026, 12, 31), True)


def test_an_incident_from_before_falls_back_on_this_laptops_zone(journal, incident,
                                                                   laptop_zone):
    old = replace(the_incident(journal, incident),
                  started_at="2027-01-01T05:30:00.000+00:00", utc_offset="")
    laptop_zone("America/Chicago")
    assert incident_day(old) == (dt.date(2026, 12, 31), False)
    laptop_zone("Asia/Tokyo")
    assert incident_day(old) == (dt.date(2027, 1, 1), False)


def test_a_half_hour_offset_is_counted(journal, incident):
    """India is UTC+05:30: 19:00 UTC on 31 December is 00:30 on 1 January there."""
    started = replace(the_incident(journal, incident),
                      started_at="2026-12-31T19:00:00.000+00:00", utc_offset="+05:30")
    assert incident_day(started) == (dt.date(2027, 1, 1), True)


def test_a_recorded_date_is_a_note_that_says_it_in_words(journal, incident):
    today = incident_day(the_incident(journal, incident))[0]
    event = record_date(journal, the_incident(journal, incident), "eflea", "received", LABEL,
                        today.isoformat())
    assert event.kind == "note" and event.doc_id == "" and event.step_id == ""
    assert event.data["text"] == (f"Date recorded for the funding deadlines: {LABEL}: "
                                  f"{today.isoformat()}.")
    recorded = read_recorded_dates(journal, incident)[("eflea", "received")]
    assert recorded.date == today.isoformat() and recorded.event.operator == "Ann Lee"


def test_the_newest_date_counts_and_the_earlier_ones_are_kept(journal, incident):
    started = the_incident(journal, incident)
    today = incident_day(started)[0]
    tomorrow = today + dt.timedelta(days=1)
    record_date(journal, started, "eflea", "received", LABEL, today.isoformat())
    record_date(journal, started, "eflea", "received", LABEL, tomorrow.isoformat(),
                today=today)
    recorded = read_recorded_dates(journal, incident)[("eflea", "received")]
    assert recorded.date == tomorrow.isoformat()
    assert [e.data["deadline_date"]["date"] for e in recorded.earlier] == [today.isoformat()]
    record_date(journal, started, "eflea", "received", LABEL, "")
    taken_back = read_recorded_dates(journal, incident)[("eflea", "received")]
    assert taken_back.date == "" and "taken back" in taken_back.event.data["text"]
    assert len(taken_back.earlier) == 2


@pytest.mark.parametrize("value, message", [
    ("28/11/2026", "'28/11/2026' is not a date: write it as YYYY-MM-DD"),
    ("2026-02-30", "'2026-02-30' is not a date"),
    ("yesterday", "'yesterday' is not a date"),
])
def test_what_is_not_a_date_is_refused_and_nothing_is_written(journal, incident, value,
                                                              message):
    before = len(journal.events(incident))
    with pytest.raises(DateRefused, match=message):
        record_date(journal, the_incident(journal, incident), "eflea", "received", LABEL, value)
    assert len(journal.events(incident)) == before


def test_a_date_before_the_incident_or_still_to_come_is_refused(journal, incident):
    started = the_incident(journal, incident)
    day = incident_day(started)[0]
    before = len(journal.events(incident))
    with pytest.raises(DateRefused, match=f"is before the incident started \\({day}\\)"):
        record_date(journal, started, "psob", "death", "the date of the death",
                    (day - dt.timedelta(days=1)).isoformat())
    with pytest.raises(DateRefused, match="is still to come"):
        record_date(journal, started, "psob", "death", "the date of the death",
                    (day + dt.timedelta(days=2)).isoformat(), today=day)
    assert len(journal.events(incident)) == before


def test_a_closed_incident_takes_no_date(journal, incident):
    from binder.journal.journal_errors import JournalError

    started = the_incident(journal, incident)
    journal.close_incident(incident)
    with pytest.raises(JournalError, match="closed"):
        record_date(journal, started, "eflea", "received", LABEL,
                    incident_day(started)[0].isoformat())


def test_another_laptops_later_date_counts_on_both(tmp_path, journal, incident):
    """Bob's laptop records the date after Ann's: both laptops count Bob's."""
    bob = Journal(tmp_path / "bob.db")
    bob.set_operator(Operator("Bob Roe", "Finance"))
    bob.insert_foreign([e.row() for e in journal.chain_events(incident, journal.device_id)])
    started = the_incident(journal, incident)
    day = incident_day(started)[0]
    record_date(journal, started, "eflea", "received", LABEL, day.isoformat())
    bob.insert_foreign([e.row() for e in journal.chain_events(incident, journal.device_id)])
    later = (day + dt.timedelta(days=1)).isoformat()
    record_date(bob, started, "eflea", "received", LABEL, later, today=day)
    journal.insert_foreign([e.row() for e in bob.chain_events(incident, bob.device_id)])
    for laptop in (journal, bob):
        recorded = read_recorded_dates(laptop, incident)[("eflea", "received")]
        assert (recorded.date, recorded.event.operator) == (later, "Bob Roe")
    bob.close()


def test_another_laptops_entry_with_no_real_date_counts_for_nothing(tmp_path, journal,
                                                                    incident):
    """A note from another laptop (another version, or damaged before it was signed) whose
    date is not a date stays a note and moves no deadline."""
    bob = Journal(tmp_path / "bob.db")
    bob.set_operator(Operator("Bob Roe", "Finance"))
    bob.insert_foreign([e.row() for e in journal.chain_events(incident, journal.device_id)])
    for value in ("2026-13-45", "soon", 20261128, None, "2026-11-28T10:00"):
        bob.append("note", incident, data={"text": "odd", "deadline_date": {
            "page": "eflea", "name": "received", "date": value}})
    journal.insert_foreign([e.row() for e in bob.chain_events(incident, bob.device_id)])
    assert read_recorded_dates(journal, incident) == {}
    bob.close()
