"""An incident's funding deadlines as dates, from the shipped pages and the dates recorded in
its journal: hand-computed dates, leap years, 'whichever is later', the time zone."""

import datetime as dt
from dataclasses import replace

import pytest

from binder.journal.deadline_dates import date_notes, record_date
from binder.journal.incidents import incidents_from
from binder.journal.journal import Journal, Operator
from binder.paper.deadlines import deadline_rows, zone_text
from binder.search.library import Library

D = dt.date


@pytest.fixture
def library(shipped_db):
    library = Library.open(shipped_db)
    yield library
    library.close()


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    journal.set_operator(Operator("Ann Lee", "Finance/Administration"))
    yield journal
    journal.close()


def leap_day_incident(journal):
    """An incident that started at 23:30 on 28 February 2028 in Denver (UTC-7), i.e. 06:30 UTC
    on 29 February: its day is the 28th where it happened."""
    started = journal.start_incident("Stadium shooting").incident_id
    incident = incidents_from(journal.events(started, kinds=("start",)))[0]
    return replace(incident, started_at="2028-02-29T06:30:00.000+00:00", utc_offset="-07:00")


def rows_by_what(library, journal, incident):
    rows = deadline_rows(library, incident, date_notes(journal, incident.id))
    return {(row.programme, row.deadline.what): row for row in rows}


def record(journal, incident, page, name, day):
    record_date(journal, incident, page, name, name, day, today=D(2031, 1, 1))


def test_nothing_recorded_yet(library, journal):
    incident = leap_day_incident(journal)
    rows = rows_by_what(library, journal, incident)
    decision = rows[("EFLEA", "BJA approves or refuses the request")]
    assert decision.due is None
    assert decision.when_text(D(2028, 3, 1)) == (
        "no date until the date BJA received the written request is recorded")
    crisis = rows[("AEAP", "Crisis response grant period")]
    assert crisis.counted_from == "the source does not say"
    assert crisis.when_text(D(2028, 3, 1)) == (
        "no date: up to 9 months, from a date the source does not give")
    assert zone_text(incident) == (
        "The incident started on 2028-02-28 where it happened (UTC-07:00).")


def test_recorded_dates_give_the_hand_computed_deadlines(library, journal):
    incident = leap_day_incident(journal)
    record(journal, incident, "eflea", "received", "2028-02-29")
    record(journal, incident, "psob", "death", "2028-02-29")
    record(journal, incident, "psob", "denial-letter", "2030-12-10")
    rows = rows_by_what(library, journal, incident)
    decision = rows[("EFLEA", "BJA approves or refuses the request")]
    assert (decision.start, decision.due) == (D(2028, 2, 29), D(2028, 3, 10))
    assert decision.when_text(D(2028, 3, 1)) == "2028-03-10 (Fri), in 9 days"
    assert decision.when_text(D(2028, 3, 10)) == "2028-03-10 (Fri), today"
    assert decision.when_text(D(2028, 3, 13)) == "2028-03-10 (Fri), passed 3 days ago"
    death = rows[("PSOB", "File the death benefit claim, counting from the death")]
    assert death.due == D(2031, 2, 28)  # no 29 February in 2031: the earlier date
    appeal = rows[("PSOB", "Appeal a denied claim")]
    assert appeal.due == D(2031, 1, 12)  # 33 days after 10 December, across the new year


def test_of_two_filing_dates_the_later_applies(library, journal):
    incident = leap_day_incident(journal)
    record(journal, incident, "psob", "death", "2028-02-29")
    record(journal, incident, "psob", "other-benefits", "2030-06-15")
    rows = rows_by_what(library, journal, incident)
    by_death = rows[("PSOB", "File the death benefit claim, counting from the death")]
    by_benefits = rows[("PSOB", "File the death benefit claim, counting from the other "
                                "benefits' decision")]
    assert (by_death.due, by_benefits.due) == (D(2031, 2, 28), D(2031, 6, 15))
    assert by_death.when_text(D(2030, 7, 1)) == (
        "2031-02-28 (Fri); the later date, 2031-06-15 (Sun), applies")
    assert by_benefits.when_text(D(2030, 7, 1)) == "2031-06-15 (Sun), in 349 days"
    disability = rows[("PSOB", "File the disability benefit claim, counting from the other "
                               "benefits' decision")]
    assert disability.due == D(2031, 6, 15)  # the same recorded date serves both claims
    assert disability.when_text(D(2030, 7, 1)) == "2031-06-15 (Sun), in 349 days"


STATE_GRANT = """\
---
title: State overtime grant (county)
kind: funding
section: Funding
summary: The state's own overtime reimbursement, as the county applies for it.
tags: [state grant, overtime]
sources:
  - name: County finance office, state overtime grant procedure
    url: https://county.example.gov/grants
dates:
  request-sent: the date the county sent its request
deadlines:
  - what: The state answers the request
    after: 30 days
    from: request-sent
    source: County finance office procedure (2026)
  - what: Claim the incident's overtime
    after: 60 days
    from: incident
    source: County finance office procedure (2026)
reviewed: 2026-11-20
---
## Apply
- [ ] Send the request to the state grants office {#send}
"""


def test_an_agency_pack_adds_its_own_deadlines(tmp_path, shipped_db, journal):
    from binder.content.packs import add_pack, pack_paths
    from tests.conftest import write_pages

    folder = write_pages(tmp_path / "County", {"funding/state-grant.md": STATE_GRANT})
    add_pack(folder, tmp_path / "data", known_ids=("eflea",), today=D(2026, 11, 23))
    library = Library.open(shipped_db, pack_paths(tmp_path / "data"))
    try:
        incident = leap_day_incident(journal)
        record(journal, incident, "state-grant", "request-sent", "2028-03-01")
        rows = rows_by_what(library, journal, incident)
        answer = rows[("State overtime grant", "The state answers the request")]
        assert answer.due == D(2028, 3, 31)
        claim = rows[("State overtime grant", "Claim the incident's overtime")]
        assert (claim.start, claim.due) == (D(2028, 2, 28), D(2028, 4, 28))
        assert claim.counted_from == "the incident's start (2028-02-28)"
        assert library.deadline_pages()[-1] == "state-grant"  # after the shipped ones
    finally:
        library.close()
