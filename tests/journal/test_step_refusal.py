"""A tick on a done step, or an untick of an open one, is refused inside the write transaction."""

import contextlib
import datetime as dt
import sqlite3

import pytest

from binder.journal.journal import MIGRATIONS, Journal, Operator, StepConflict, verify_chain

ANN = Operator("Ann Lee", "Operations", "Springfield PD")
BO = Operator("Bo Chan", "Liaison Officer", "County EMS")


@pytest.fixture
def operator():
    return ANN  # the journal and incident fixtures are tests/journal/conftest.py's


def local_hhmm(stamp: str) -> str:
    return dt.datetime.fromisoformat(stamp).astimezone().strftime("%H:%M")


def count(journal) -> int:
    return journal.conn.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_second_tick_is_refused_saying_who_did_it_and_when(journal, incident):
    first = journal.tick_step(incident, "tq", "tq/a", "Apply")
    journal.set_operator(BO)
    before = count(journal)
    with pytest.raises(StepConflict) as refused:
        journal.tick_step(incident, "tq", "tq/a", "Apply")
    assert str(refused.value) == (f"Already done by Ann Lee (Operations) at "
                                  f"{local_hhmm(first.entered_at)}. Undo it first to change it.")
    assert count(journal) == before and verify_chain(journal, incident).intact


@pytest.mark.parametrize("first, then, words", [
    ("tick", "na", "Already done by"),
    ("tick", "done_before", "Already done by"),
    ("na", "tick", "Already marked N/A by"),
    ("done_before", "na", "Already marked done earlier by"),
])
def test_a_step_that_is_not_open_refuses_every_way_of_closing_it(journal, incident, first, then,
                                                                   words):
    journal.step_event(first, incident, "tq", "tq/a", "Apply")
    with pytest.raises(StepConflict, match=words):
        journal.step_event(then, incident, "tq", "tq/a", "Apply")


def test_done_earlier_gives_the_time_it_was_done(journal, incident):
    journal.step_event("done_before", incident, "tq", "tq/a", "Apply",
                       occurred_at="2026-11-25T13:03:00.000+00:00")
    with pytest.raises(StepConflict) as refused:
        journal.tick_step(incident, "tq", "tq/a", "Apply")
    when = dt.datetime(2026, 11, 25, 13, 3, tzinfo=dt.UTC).astimezone()
    assert f"at {when.strftime('%d %b %Y %H:%M')}." in str(refused.value)


def test_an_untick_of_an_open_step_is_refused(journal, incident):
    with pytest.raises(StepConflict, match="This step is open: there is nothing to undo"):
        journal.untick_step(incident, "tq", "tq/a", "Apply")
    journal.tick_step(incident, "tq", "tq/a", "Apply")
    journal.untick_step(incident, "tq", "tq/a", "Apply")
    with pytest.raises(StepConflict, match="Already put back to open by Ann Lee"):
        journal.untick_step(incident, "tq", "tq/a", "Apply")


def test_after_an_undo_the_step_can_be_logged_again(journal, incident):
    for kind in ("tick", "untick", "na", "untick", "done_before", "untick", "tick"):
        journal.step_event(kind, incident, "tq", "tq/a", "Apply")
    journal.add_note(incident, "still bleeding", doc_id="tq", step_id="tq/a", step_text="Apply")
    with pytest.raises(StepConflict, match="Already done"):  # a note does not reopen it
        journal.tick_step(incident, "tq", "tq/a", "Apply")


def test_the_same_step_in_another_incident_or_page_is_its_own(journal, incident):
    other = journal.start_incident("Flood").incident_id
    journal.tick_step(incident, "tq", "tq/a", "Apply")
    journal.tick_step(other, "tq", "tq/a", "Apply")
    journal.tick_step(incident, "pack-tq", "tq/a", "Apply")


def test_a_second_window_with_a_stale_screen_is_refused_by_the_file(journal, incident, tmp_path):
    journal.tick_step(incident, "tq", "tq/a", "Apply")
    with contextlib.closing(Journal(tmp_path / "journal.db")) as second:
        second.set_operator(BO)
        with pytest.raises(StepConflict, match="Already done by Ann Lee"):
            second.tick_step(incident, "tq", "tq/a", "Apply")


def test_the_step_lookup_uses_an_index(journal):
    plan = " ".join(str(row) for row in journal.conn.execute(
        "EXPLAIN QUERY PLAN SELECT kind FROM events WHERE incident_id = ? AND step_id = ? "
        "AND doc_id = ? AND kind IN ('tick', 'untick', 'na', 'done_before') "
        "ORDER BY seq DESC LIMIT 1", ("i", "s", "d")))
    assert "events_by_step" in plan


def test_a_schema_4_journal_gains_the_index_and_keeps_its_events(tmp_path):
    path = tmp_path / "journal.db"
    with contextlib.closing(sqlite3.connect(path)) as db:
        for version in range(1, 5):
            db.executescript(MIGRATIONS[version])
        db.execute("INSERT INTO events (id, kind, incident_id, entered_at) "
                   "VALUES ('e1', 'start', 'i1', '2026-11-26T10:00:00.000+00:00')")
        db.execute("PRAGMA user_version = 4")
        db.commit()
    with contextlib.closing(Journal(path)) as journal:
        names = {row[0] for row in journal.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "events_by_step" in names and [e.id for e in journal.events()] == ["e1"]
