"""`binder deadlines`: the funding deadlines of an incident as dates, counted by hand, and the
dates people record from the command line (refused ones said in words, nothing written)."""

import datetime as dt
import os
import subprocess
import sys

import pytest

from binder.journal.deadline_dates import read_recorded_dates
from binder.journal.journal import Journal, Operator
from tests.conftest import REPO
from tests.paper.test_handover_deadlines import started_elsewhere

ANN = Operator("Ann Lee", "Finance/Administration Section Chief", "Springfield PD")
CARL = Operator("Carl Diaz", "Incident Commander", "Lakeside County SO")


def binder(data, content_db, *args, zone="America/New_York"):
    env = dict(os.environ, TZ=zone, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "binder", "--data-dir", str(data),
                           "--content-db", str(content_db), "deadlines", *args],
                          capture_output=True, text=True, cwd=REPO, timeout=120, env=env)


def journal_with(data, started_at: str, offset: str) -> str:
    """This laptop's journal (Ann logging) with an incident another laptop started at
    `started_at` (UTC) in a zone `offset` from UTC; the incident's id."""
    journal = Journal(data / "journal.db")
    journal.set_operator(ANN)
    field = Journal(data.parent / "field" / "journal.db")
    field.set_operator(CARL)
    incident = started_elsewhere(journal, field, started_at, offset)
    field.close()
    journal.close()
    return incident


def dates_in(data, incident: str) -> dict:
    journal = Journal(data / "journal.db")
    dates = {key: found.date for key, found in read_recorded_dates(journal, incident).items()}
    journal.close()
    return dates


def line_of(output: str, starts: str) -> str:
    return next(line.strip() for line in output.splitlines() if line.strip().startswith(starts))


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def test_dates_recorded_in_a_leap_year_count_as_by_hand(data, shipped_db):
    incident = journal_with(data, "2024-02-20T15:00:00.000+00:00", "-05:00")
    for key, day in (("psob:death", "2024-02-29"), ("psob:other-benefits", "2025-02-28"),
                     ("eflea:received", "2024-02-25")):
        result = binder(data, shipped_db, "Ice storm", "--record", key, day)
        assert result.returncode == 0, result.stderr
        assert f": {day}. (by Ann Lee, in Ice storm)" in result.stdout
    assert dates_in(data, incident) == {("psob", "death"): "2024-02-29",
                                        ("psob", "other-benefits"): "2025-02-28",
                                        ("eflea", "received"): "2024-02-25"}
    result = binder(data, shipped_db, "--today", "2026-11-27")  # the only open incident
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Funding deadlines of Ice storm (open), as of 2026-11-27\n"
                          "The incident started on 2024-02-20 where it happened (UTC-05:00).\n")
    # 25 February 2024 + 10 days: 2024 has a 29 February, so 6 March
    assert line_of(out, "BJA approves or refuses the request:").startswith(
        "BJA approves or refuses the request: 2024-03-06 (Wed), passed 996 days ago; 10 days "
        "after the date BJA received the written request (2024-02-25, recorded by Ann Lee).")
    # 29 February 2024 + 3 years: 2027 has no 29 February, so the 28th
    death = line_of(out, "File the death benefit claim, counting from the death:")
    assert "2027-02-28 (Sun), in 93 days; 3 years after the date of the officer's death " \
           "(2024-02-29, recorded by Ann Lee)." in death
    assert "Note: Or 1 year after the other benefits are decided, whichever is later." in death
    assert death.endswith("[28 CFR 32.12, in force in 2026]")
    # 28 February 2025 + 1 year: 28 February 2026, for the death and the disability claims;
    # for the death claim the later of its two dates (2027-02-28, from the death) applies
    assert out.count("2026-02-28 (Sat), passed 272 days ago; 1 year after the date the "
                     "officer's other line-of-duty benefits were granted or denied") == 1
    assert out.count("2026-02-28 (Sat); the later date, 2027-02-28 (Sun), applies; 1 year after "
                     "the date the officer's other line-of-duty benefits were granted or "
                     "denied") == 1
    assert out.count("set no time limit for the request") == 1  # the note is its reason
    assert "File the disability benefit claim, counting from the injury: no date until the " \
           "date of the officer's injury is recorded (psob:injury)" in out
    assert "Crisis response grant period: no date: up to 9 months; the source does not say " \
           "from when. Note: OVC gives the length (\"up to 9 months\") but not the date it " \
           "counts from" in out
    assert [line for line in out.splitlines() if line and not line.startswith(" ")][2:6] == [
        "AEAP (aeap)", "EFLEA (eflea)", "PSOB (psob)",
        "Victim compensation and other sources (victim-compensation)"]


def test_a_date_can_be_taken_back(data, shipped_db):
    incident = journal_with(data, "2024-02-20T15:00:00.000+00:00", "-05:00")
    assert binder(data, shipped_db, "Ice storm", "--record", "eflea:received",
                  "2024-02-25").returncode == 0
    result = binder(data, shipped_db, "Ice storm", "--take-back", "eflea:received")
    assert result.returncode == 0, result.stderr
    assert "Date taken back for the funding deadlines: the date BJA received the written " \
           "request (no date now)." in result.stdout
    assert "BJA approves or refuses the request: no date until the date BJA received the " \
           "written request is recorded (eflea:received)" in result.stdout
    assert dates_in(data, incident) == {("eflea", "received"): ""}


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo"])
def test_the_incident_day_is_where_it_happened_whatever_this_laptops_zone(
        data, shipped_db, zone):
    # 23:30 on New Year's Eve at UTC-06:00: 05:30 UTC on 1 January, 14:30 in Tokyo
    incident = journal_with(data, "2026-01-01T05:30:00.000+00:00", "-06:00")
    result = binder(data, shipped_db, "Ice storm", "--record", "eflea:received", "2025-12-31",
                    zone=zone)
    assert result.returncode == 0, result.stderr  # not "before the incident started"
    assert "The incident started on 2025-12-31 where it happened (UTC-06:00)." in result.stdout
    assert line_of(result.stdout, "BJA approves").startswith(
        "BJA approves or refuses the request: 2026-01-10 (Sat), passed")
    assert dates_in(data, incident) == {("eflea", "received"): "2025-12-31"}
    refused = binder(data, shipped_db, "Ice storm", "--record", "psob:death", "2025-12-30",
                     zone=zone)
    assert refused.returncode == 1
    assert "2025-12-30 is before the incident started (2025-12-31)." in refused.stderr


@pytest.mark.parametrize("args, words", [
    (["--record", "eflea:received", "2025-02-30"],
     "'2025-02-30' is not a date: write it as YYYY-MM-DD"),
    (["--record", "eflea:received", "next tuesday"], "'next tuesday' is not a date"),
    (["--record", "eflea:recieved", "2025-03-01"],
     "'eflea:recieved' is not a date any deadline counts from; the dates are:\n"
     "  eflea:received  (the date BJA received the written request)\n"),
    (["--record", "aeap:incident", "2025-03-01"], "  psob:denial-letter  (the date on the PSOB"),
    (["--record", "eflea:received", "2099-01-01"], "2099-01-01 is still to come"),
    (["--take-back", "psob:injury"], "no date is recorded for psob:injury (the date of the "
                                     "officer's injury): nothing to take back"),
    (["--today", "2025-13-01"], "--today '2025-13-01' is not a date"),
])
def test_bad_input_is_a_message_and_nothing_is_written(data, shipped_db, args, words):
    incident = journal_with(data, "2024-02-20T15:00:00.000+00:00", "-05:00")
    result = binder(data, shipped_db, "Ice storm", *args)
    assert result.returncode in (1, 2)
    assert words in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == "" and dates_in(data, incident) == {}


def test_a_closed_incident_is_read_not_changed(data, shipped_db):
    incident = journal_with(data, "2024-02-20T15:00:00.000+00:00", "-05:00")
    journal = Journal(data / "journal.db")
    journal.close_incident(incident)
    journal.close()
    result = binder(data, shipped_db, "Ice storm", "--record", "eflea:received", "2024-02-25")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "This incident is closed: it can be read and exported, not changed." in result.stderr
    assert dates_in(data, incident) == {}
    shown = binder(data, shipped_db, "Ice storm")
    assert shown.returncode == 0 and "Funding deadlines of Ice storm (closed)" in shown.stdout
    assert "Record a date" not in shown.stdout


def test_an_unknown_incident_or_none_named_is_a_message(data, shipped_db):
    journal = Journal(data / "journal.db")
    journal.set_operator(ANN)
    journal.start_incident("North Mall")
    journal.start_incident("South Mall")
    journal.close()
    for args, words in ((["East Mall"], "no single incident matches 'East Mall'"),
                        ([], "no incident is current on this laptop and more or fewer than one "
                             "is open"),
                        (["--record", "eflea:received", "2026-11-26"], "give INCIDENT")):
        result = binder(data, shipped_db, *args)
        assert result.returncode == 2 and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_recording_needs_someone_logging(data, shipped_db):
    journal = Journal(data / "journal.db")
    incident = journal.start_incident("North Mall").incident_id
    journal.close()
    result = binder(data, shipped_db, "North Mall", "--record", "eflea:received",
                    dt.date.today().isoformat())
    assert result.returncode == 1 and "no one is logging on this laptop" in result.stderr
    assert dates_in(data, incident) == {}


@pytest.mark.parametrize("today, shown", [
    ("2024-02-27", "2024-03-06 (Wed), in 8 days;"),
    ("2024-02-28", "SOON: 2024-03-06 (Wed), in 7 days;"),
    ("2024-03-05", "SOON: 2024-03-06 (Wed), tomorrow;"),
    ("2024-03-06", "SOON: 2024-03-06 (Wed), today;"),
    ("2024-03-07", "2024-03-06 (Wed), yesterday (passed);"),
])
def test_a_date_within_a_week_says_soon(data, shipped_db, today, shown):
    journal_with(data, "2024-02-20T15:00:00.000+00:00", "-05:00")
    assert binder(data, shipped_db, "Ice storm", "--record", "eflea:received",
                  "2024-02-25").returncode == 0
    result = binder(data, shipped_db, "Ice storm", "--today", today)
    assert result.returncode == 0, result.stderr
    assert line_of(result.stdout, "BJA approves").startswith(
        f"BJA approves or refuses the request: {shown}")
