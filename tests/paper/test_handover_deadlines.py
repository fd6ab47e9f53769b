"""The handover's "Funding deadlines" section, read back from the PDF as the next shift reads
it: dates counted by hand (leap years, month ends) and the incident's own day whatever the
printing laptop's time zone."""

import datetime as dt
import json

import pytest

from binder.content.build import build_store
from binder.content.store import ContentStore
from binder.journal import hlc
from binder.journal.deadline_dates import record_date
from binder.journal.incidents import incidents_from
from binder.journal.journal import INCIDENT_KINDS, Journal, Operator, event_hash, verify_chain
from binder.paper.printing import handover_pdf
from binder.search.library import Library
from tests.conftest import write_pages
from tests.paper.test_printing import needs_poppler, sheets_text, words

pytestmark = needs_poppler
ANN = Operator("Ann Lee", "Finance/Administration Section Chief", "Springfield PD")
CARL = Operator("Carl Diaz", "Incident Commander", "Lakeside County SO")

# A page with deadlines counted from the incident's day: the time zone decides that day.
STORM = """\
---
title: Storm aid (State storm assistance)
kind: funding
section: Funding
summary: A state programme with deadlines counted from the incident's day.
tags: [storm]
sources:
  - name: State storm rules
    url: https://example.org/storm
dates:
  letter: the date of the state's award letter
deadlines:
  - what: Send the notice of the incident
    after: 10 days
    from: incident
    source: State storm rules 4.1, in force in 2026
  - what: Send the damage estimate
    after: 2 months
    from: incident
    source: State storm rules 4.2, in force in 2026
  - what: Send the first claim
    after: 3 months
    from: incident
    source: State storm rules 4.3, in force in 2026
  - what: Accept the award
    after: 30 days
    from: letter
    source: State storm rules 5.1, in force in 2026
reviewed: 2026-11-26
---
What the state pays for after a storm.
"""


def first_sheet(path) -> str:
    return words(sheets_text(path, layout=False)[0])


def handover_text(path) -> str:
    """Every sheet's words in reading order (a table a cell at a time); the deadlines start on
    the first sheet."""
    sheets = sheets_text(path, layout=False)
    assert "Funding deadlines" in sheets[0]
    return words(" ".join(sheets))


@pytest.fixture
def shipped(shipped_db):
    library = Library(ContentStore(shipped_db))
    yield library
    library.close()


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "data" / "journal.db")
    journal.set_operator(ANN)
    yield journal
    journal.close()


def incident_of(journal, incident_id):
    return next(i for i in incidents_from(journal.events(incident_id, kinds=INCIDENT_KINDS)))


def test_the_handover_lists_the_deadlines_counted_by_hand(shipped, journal, tmp_path):
    incident_id = journal.start_incident("North Mall").incident_id
    incident = incident_of(journal, incident_id)
    record_date(journal, incident, "eflea", "received", "the date BJA received the written "
                "request", "2028-02-25", today=dt.date(2028, 3, 1))
    record_date(journal, incident, "psob", "death", "the date of the officer's death",
                "2028-02-29", today=dt.date(2028, 3, 1))
    record_date(journal, incident, "psob", "other-benefits", "the date the officer's other "
                "line-of-duty benefits were granted or denied", "2029-02-28",
                today=dt.date(2029, 3, 1))
    path = tmp_path / "handover.pdf"
    handover_pdf(shipped, journal, incident_id, path, revision=shipped.revision)
    front = handover_text(path)
    section = front[front.index("Funding deadlines"):]
    today = dt.date.today()
    # 10 calendar days after 25 February 2028 (a leap year): 6 March
    assert "BJA approves or refuses the request" in section
    assert f"2028-03-06 (Mon) in {(dt.date(2028, 3, 6) - today).days} days" in section
    assert "10 days after the date BJA received the written request: 2028-02-25" in section
    # 3 years after 29 February 2028: 2031 has no 29 February, so the 28th (never shown late)
    assert "2031-02-28 (Fri)" in section
    assert "3 years after the date of the officer's death: 2028-02-29" in section
    # 1 year after 28 February 2029: 28 February 2030, for both claims that count from it
    assert section.count("2030-02-28 (Thu)") == 2
    assert "recorded by Ann Lee" in section
    assert "34 U.S.C. 50101(b), in force in 2026" in section  # sources, short
    assert "28 CFR 32.12, in force in 2026" in section
    # soonest first
    assert section.index("2028-03-06") < section.index("2030-02-28") < section.index("2031-02")
    waiting = section[section.index("Waiting for a date to be recorded"):]
    assert "PSOB: File the disability benefit claim, counting from the injury: 3 years after " \
           "the date of the officer's injury" in waiting
    assert "EFLEA: Keep the award's records at least until: 3 years after the date the " \
           "award's final financial report was filed" in waiting
    assert "Appeal a denied claim: 33 days after the date on the PSOB Office's denial letter" \
        in waiting
    undated = section[section.index("No date in this binder"):]
    assert "AEAP: Crisis response grant period (up to 9 months); Consequence management grant " \
           "period (up to 18 months); Criminal justice support grant period (up to 36 months): " \
           "the source does not say from when (OVC, Types of assistance available through " \
           "AEAP (2026))" in undated  # one line for the three periods of one source
    assert "EFLEA: Send the written request to BJA: The law and BJA's overview set no time " \
           "limit for the request (34 U.S.C. 50101 and BJA" in undated
    assert "Each state sets its own filing deadline" in undated
    assert "the day this was printed" in section and today.isoformat() in section


def test_a_date_taken_back_waits_again(shipped, journal, tmp_path):
    incident_id = journal.start_incident("North Mall").incident_id
    incident = incident_of(journal, incident_id)
    label = "the date BJA received the written request"
    record_date(journal, incident, "eflea", "received", label, "2028-02-25",
                today=dt.date(2028, 3, 1))
    record_date(journal, incident, "eflea", "received", label, "")
    path = tmp_path / "handover.pdf"
    handover_pdf(shipped, journal, incident_id, path, revision=shipped.revision)
    front = first_sheet(path)
    assert "2028-03-06" not in front and "No deadline has a date yet." in front
    assert "EFLEA: BJA approves or refuses the request: 10 days after " + label in front


def started_elsewhere(journal: Journal, field: Journal, entered_at: str, offset: str) -> str:
    """An incident started on another laptop (`field`) whose clock read `entered_at` (UTC) in a
    zone `offset` from UTC: its start as that laptop wrote it, brought here as sync brings it."""
    start = field.start_incident("Ice storm")
    moment = dt.datetime.fromisoformat(entered_at)
    row = {**start.row(), "entered_at": entered_at,
           "hlc": hlc.make(int(moment.timestamp() * 1000)),
           "data": {**start.data, "utc_offset": offset}}
    stored = json.dumps(row["data"], sort_keys=True, ensure_ascii=False)
    row["hash"] = event_hash(row["prev_hash"], {**row, "data": stored})
    journal.insert_foreign([row])
    return start.incident_id


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo"])
def test_the_incident_day_is_where_it_happened_not_where_it_is_printed(
        tmp_path, journal, laptop_zone, zone):
    build_store(write_pages(tmp_path / "content", {"funding/storm.md": STORM}),
                tmp_path / "content.db")
    library = Library(ContentStore(tmp_path / "content.db"))
    field = Journal(tmp_path / "field" / "journal.db")
    field.set_operator(CARL)
    # 23:30 on New Year's Eve at UTC-06:00 is 05:30 UTC on 1 January, 14:30 in Tokyo
    incident_id = started_elsewhere(journal, field, "2027-01-01T05:30:00.000+00:00", "-06:00")
    laptop_zone(zone)
    incident = incident_of(journal, incident_id)
    record_date(journal, incident, "storm", "letter", "the date of the state's award letter",
                "2026-12-31", today=dt.date(2027, 1, 2))  # the incident's own day is not refused
    path = tmp_path / "handover.pdf"
    handover_pdf(library, journal, incident_id, path, revision=library.revision)
    front = first_sheet(path)
    assert "The incident started on 2026-12-31 where it happened (UTC-06:00)." in front
    here = {"UTC": "2027-01-01 05:30", "Asia/Tokyo": "2027-01-01 14:30"}[zone]
    assert f"{here} (2026-12-31 23:30 where it happened, UTC-06:00) by Carl Diaz" in front
    assert "2027-01-10 (Sun)" in front  # 10 days after 31 December
    assert "2027-02-28 (Sun)" in front  # 2 months after 31 December: February's last day
    assert "2027-03-31 (Wed)" in front  # 3 months after 31 December
    assert "30 days after the date of the state's award letter: 2026-12-31" in front
    assert "2027-01-30 (Sat)" in front
    assert front.count("10 days after the incident's start: 2026-12-31") == 1
    assert "2027-03-01" not in front and "2027-01-11" not in front  # as if it began on 1 Jan
    assert verify_chain(journal, incident_id).intact
    library.close()
    field.close()


def test_a_binder_without_deadlines_says_so(tmp_path, journal):
    from binder.content.build import build_store
    from tests.conftest import FUNDING, SAMPLE_PAGES, write_pages

    no_deadlines = FUNDING.split("dates:\n", 1)[0] + "reviewed:" + FUNDING.split("reviewed:")[1]
    folder = write_pages(tmp_path / "content", {**SAMPLE_PAGES, "funding/eflea.md": no_deadlines})
    build_store(folder, tmp_path / "content.db")
    library = Library(ContentStore(tmp_path / "content.db"))
    incident_id = journal.start_incident("North Mall").incident_id
    path = tmp_path / "handover.pdf"
    handover_pdf(library, journal, incident_id, path, revision=library.revision)
    assert "This binder's pages give no funding deadlines." in first_sheet(path)
    library.close()


def test_a_deadline_within_a_week_says_soon(shipped, journal, tmp_path):
    field = Journal(tmp_path / "field" / "journal.db")
    field.set_operator(CARL)
    incident_id = started_elsewhere(journal, field, "2024-02-20T15:00:00.000+00:00", "-05:00")
    received = dt.date.today() - dt.timedelta(days=5)
    record_date(journal, incident_of(journal, incident_id), "eflea", "received",
                "the date BJA received the written request", received.isoformat())
    path = tmp_path / "handover.pdf"
    handover_pdf(shipped, journal, incident_id, path, revision=shipped.revision)
    due = received + dt.timedelta(days=10)
    assert f"{due.isoformat()} ({due.strftime('%a')}) SOON: in 5 days" in handover_text(path)
    field.close()


def test_of_two_filing_dates_the_handover_says_the_later_applies(shipped, journal, tmp_path):
    """PSOB's death claim: 3 years after the death or 1 year after the other benefits are
    decided, whichever is later. A passed earlier date is not printed as urgent."""
    from dataclasses import replace

    from binder.journal.deadline_dates import record_date
    from binder.journal.incidents import incidents_from

    incident_id = journal.start_incident("North Mall").incident_id
    incident = incidents_from(journal.events(incident_id, kinds=("start",)))[0]
    past = replace(incident, started_at="2022-01-10T15:00:00.000+00:00", utc_offset="-05:00")
    record_date(journal, past, "psob", "death", "the death", "2022-01-10")
    record_date(journal, past, "psob", "other-benefits", "benefits", "2025-03-03")
    path = tmp_path / "handover.pdf"
    handover_pdf(shipped, journal, incident_id, path, revision=shipped.revision)
    front = " ".join(first_sheet(path).split())
    # 10 January 2022 + 3 years = 10 January 2025 (passed); 3 March 2025 + 1 year = 3 March 2026
    assert "2025-01-10 (Fri) the later date, 2026-03-03, applies" in front
    assert "passed" not in front.split("2025-01-10 (Fri)")[1][:40]
