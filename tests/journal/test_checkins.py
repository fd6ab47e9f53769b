"""ICS 211 check-in and check-out as journal events: refused twice, shown when laptops differ."""

import pytest

from binder.journal.checkins import at_once, check_in, check_out, read_stints, stints_from
from binder.journal.journal import Journal, JournalError, Operator, verify_chain
from binder.journal.journal_errors import CheckinConflict

ANN = Operator("Ann Lee", "Finance/Administration Section Chief", "Springfield PD")
CARL = {"name": "Carl Diaz", "agency": "County Fire", "position": "Safety Officer",
        "assignment": "ICP", "travel": "Agency vehicle"}


@pytest.fixture
def operator():
    return ANN  # the journal and incident fixtures are tests/journal/conftest.py's


def count(journal) -> int:
    return journal.conn.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_check_in_keeps_the_ics_211_fields_and_a_check_out_closes_it(journal, incident):
    event = check_in(journal, incident, CARL, "2024-05-01T12:00:00.000+00:00")
    assert event.kind == "checkin" and event.data["position"] == "Safety Officer"
    assert event.data["travel"] == "Agency vehicle" and event.occurred_at.startswith("2024")
    out = check_out(journal, incident, event.id, "2024-05-01T20:30:00.000+00:00")
    assert out.data == {"checkin": event.id, "name": "Carl Diaz", "agency": "County Fire"}
    (stint,), orphans = read_stints(journal, incident)
    assert orphans == [] and not stint.is_open
    assert (stint.start, stint.end) == (event.when, out.when)
    assert verify_chain(journal, incident).intact


def test_a_person_checked_in_twice_is_refused_and_nothing_is_written(journal, incident):
    check_in(journal, incident, CARL)
    before = count(journal)
    with pytest.raises(CheckinConflict, match=r"Carl Diaz \(County Fire\) is already checked "
                       r"in, since \d\d:\d\d \(by Ann Lee\)"):
        check_in(journal, incident, {**CARL, "name": " carl  DIAZ", "position": "Scribe"})
    assert count(journal) == before


def test_a_check_out_without_a_check_in_or_twice_is_refused(journal, incident):
    with pytest.raises(CheckinConflict, match="no such check-in"):
        check_out(journal, incident, "not-a-check-in")
    event = check_in(journal, incident, CARL)
    check_out(journal, incident, event.id)
    before = count(journal)
    with pytest.raises(CheckinConflict, match=r"Carl Diaz \(County Fire\) was already checked "
                       "out at"):
        check_out(journal, incident, event.id)
    assert count(journal) == before


def test_a_check_out_before_its_check_in_or_still_to_come_is_refused(journal, incident):
    event = check_in(journal, incident, CARL, "2024-05-01T12:00:00.000+00:00")
    with pytest.raises(CheckinConflict, match="is before Carl Diaz"):
        check_out(journal, incident, event.id, "2024-05-01T11:59:00.000+00:00")
    with pytest.raises(CheckinConflict, match="still to come"):
        check_out(journal, incident, event.id, "2099-01-01T00:00:00.000+00:00")
    with pytest.raises(CheckinConflict, match="not a date and time"):
        check_out(journal, incident, event.id, "yesterday")


def test_a_late_check_in_over_an_earlier_stay_is_refused(journal, incident):
    event = check_in(journal, incident, CARL, "2024-05-01T12:00:00.000+00:00")
    check_out(journal, incident, event.id, "2024-05-01T16:00:00.000+00:00")
    with pytest.raises(CheckinConflict, match="would count that time twice"):
        check_in(journal, incident, CARL, "2024-05-01T15:00:00.000+00:00")
    again = check_in(journal, incident, CARL, "2024-05-01T17:00:00.000+00:00")
    assert again.kind == "checkin"


def test_names_are_checked_like_operator_names(journal, incident):
    with pytest.raises(JournalError, match="Name has a control character"):
        check_in(journal, incident, {**CARL, "name": "Carl\x07 Diaz"})
    with pytest.raises(JournalError, match="Agency / home unit has a character that turns"):
        check_in(journal, incident, {**CARL, "agency": "County \u202eFire"})
    with pytest.raises(CheckinConflict, match="name first"):
        check_in(journal, incident, {**CARL, "name": "   "})


def test_a_closed_incident_refuses_check_ins(journal, incident):
    event = check_in(journal, incident, CARL)
    journal.close_incident(incident)
    with pytest.raises(JournalError, match="closed"):
        check_out(journal, incident, event.id)


def test_two_laptops_checking_one_person_in_at_once_keep_both(tmp_path, incident, journal):
    other = Journal(tmp_path / "other.db")
    other.set_operator(Operator("Bo Chan", "Scribe", "County EMS"))
    start = next(e for e in journal.events(incident) if e.kind == "start")
    other.insert_foreign([start.row()])
    mine = check_in(journal, incident, CARL)
    theirs = check_in(other, incident, CARL)  # before either laptop saw the other's
    assert journal.insert_foreign([theirs.row()]) == 1
    stints, _ = read_stints(journal, incident)
    assert [s.checkin.id for s in stints] == [e.id for e in sorted(
        [mine, theirs], key=lambda e: (e.hlc, e.device))]  # clock order, as on every laptop
    overlapping = at_once(stints)
    assert [s.checkin.id for s in overlapping[mine.id]] == [theirs.id]
    assert [s.checkin.id for s in overlapping[theirs.id]] == [mine.id]
    other.close()


def test_a_check_out_whose_check_in_has_not_arrived_is_kept_aside(journal, incident):
    event = check_in(journal, incident, CARL)
    out = check_out(journal, incident, event.id)
    stints, orphans = stints_from([out])
    assert stints == [] and orphans == [out]


def test_the_activity_log_says_who_checked_in_and_out(journal, incident):
    from binder.paper.export import notable_activity

    event = check_in(journal, incident, CARL)
    out = check_out(journal, incident, event.id)
    assert notable_activity(event) == ("Checked in (ICS 211): Carl Diaz (County Fire), Safety "
                                       "Officer, assignment ICP")
    assert notable_activity(out) == "Checked out (ICS 211): Carl Diaz (County Fire)"
