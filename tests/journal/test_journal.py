"""The journal: append-only events on disk at once; incidents and step states derive from them."""

import sqlite3

import pytest

from binder.journal.incidents import elapsed, incidents_from, progress, step_states, touched_docs
from binder.journal.journal import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Journal,
    JournalError,
    Operator,
    verify_chain,
)

ANN = Operator("Ann Lee", "Incident Commander", "Springfield PD")
BO = Operator("Bo Chan", "Liaison Officer", "County EMS")


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "data" / "journal.db")
    journal.set_operator(ANN)
    yield journal
    journal.close()


@pytest.fixture
def incident(journal):
    return journal.start_incident("Mall shooting", incident_type="Active assailant",
                                  location="North Mall", content_revision="abc123").incident_id


def test_an_incident_is_what_its_start_and_close_events_say(journal, incident):
    [found] = incidents_from(journal.events())
    assert (found.name, found.type, found.location, found.content_revision) == (
        "Mall shooting", "Active assailant", "North Mall", "abc123")
    assert found.is_open and not found.exercise and found.started_by == "Ann Lee"
    journal.close_incident(incident)
    [closed] = incidents_from(journal.events())
    assert not closed.is_open


def test_a_closed_incident_is_read_only(journal, incident):
    journal.close_incident(incident)
    with pytest.raises(JournalError, match="closed"):
        journal.tick_step(incident, "tq", "tq/a", "Apply")
    with pytest.raises(JournalError, match="closed"):
        journal.add_note(incident, "late note")


def test_every_step_event_kind_and_the_state_it_leaves(journal, incident):
    journal.tick_step(incident, "tq", "tq/a", "Apply the tourniquet")
    journal.step_event("na", incident, "tq", "tq/b", "Pack the wound")
    journal.step_event("done_before", incident, "tq", "tq/c", "Call for EMS",
                       occurred_at="2026-11-23T10:00:00.000+00:00")
    journal.tick_step(incident, "tq", "tq/d", "Write the time")
    journal.untick_step(incident, "tq", "tq/d", "Write the time")
    journal.add_note(incident, "Second TQ applied", doc_id="tq", step_id="tq/a",
                     step_text="Apply the tourniquet")
    states = step_states(journal.events(incident), "tq")
    assert {k: v.status for k, v in states.items()} == {
        "tq/a": "done", "tq/b": "N/A", "tq/c": "done before", "tq/d": "open"}
    assert states["tq/a"].notes == ("Second TQ applied",)
    assert states["tq/a"].operator == "Ann Lee"
    assert states["tq/a"].position == "Incident Commander"
    assert states["tq/c"].occurred_at == "2026-11-23T10:00:00.000+00:00"
    done = progress(["tq/a", "tq/b", "tq/c", "tq/d", "tq/e"], states)
    assert (done.done, done.not_applicable, done.open) == (2, 1, 2)
    assert done.open_steps == ["tq/d", "tq/e"]
    assert touched_docs(journal.events(incident)) == ["tq"]


def test_incidents_keep_their_own_state(journal, incident):
    other = journal.start_incident("Drill", exercise=True).incident_id
    journal.tick_step(incident, "tq", "tq/a", "Apply")
    assert step_states(journal.events(other), "tq") == {}
    assert [i.exercise for i in incidents_from(journal.events())] == [False, True]


def test_each_event_records_who_and_when(journal, incident):
    journal.set_operator(BO, incident)
    event = journal.tick_step(incident, "tq", "tq/a", "Apply the tourniquet")
    stored = journal.events(incident)[-1]
    assert stored == event
    assert (stored.operator, stored.position) == ("Bo Chan", "Liaison Officer")
    assert stored.step_text == "Apply the tourniquet"
    assert stored.entered_at.endswith("+00:00") and len(stored.entered_at.split(".")[1]) == 9
    assert len(stored.id) == 36 and stored.occurred_at == ""
    assert [e.kind for e in journal.events(incident)] == ["start", "operator", "tick"]
    assert journal.events(incident)[1].data == {"agency": "County EMS"}
    assert journal.operator == BO


def test_a_tick_survives_closing_and_reopening(tmp_path):
    path = tmp_path / "journal.db"
    first = Journal(path)
    incident = first.start_incident("A").incident_id
    first.tick_step(incident, "tq", "tq/a", "Apply")
    first.close()
    second = Journal(path)
    assert step_states(second.events(incident))["tq/a"].done
    assert second.recovered == ""
    second.close()


def test_a_tick_is_visible_to_another_connection_at_once(journal, incident):
    journal.tick_step(incident, "tq", "tq/a", "Apply")
    other = sqlite3.connect(journal.path)
    assert other.execute("SELECT count(*) FROM events WHERE kind = 'tick'").fetchone()[0] == 1
    other.close()


def test_events_can_never_be_changed_or_deleted(journal, incident):
    journal.tick_step(incident, "tq", "tq/a", "Apply")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        journal.conn.execute("UPDATE events SET kind = 'untick'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        journal.conn.execute("DELETE FROM events")
    assert step_states(journal.events(incident))["tq/a"].done


def test_the_chain_is_intact_and_a_changed_row_is_detected(journal, incident):
    for n in range(5):
        journal.tick_step(incident, "tq", f"tq/{n}", f"Step {n}")
    report = verify_chain(journal, incident)
    assert report.intact and report.count == 6
    assert report.head == journal.events(incident)[-1].hash
    journal.conn.execute("DROP TRIGGER events_are_never_updated")
    journal.conn.execute("UPDATE events SET step_text = 'Step two' WHERE step_id = 'tq/2'")
    broken = verify_chain(journal, incident)
    assert not broken.intact
    assert "was changed after it was written" in broken.problem
    assert f"event {journal.events(incident)[3].seq} (tick" in broken.problem


def test_a_removed_row_breaks_the_chain(journal, incident):
    for n in range(3):
        journal.tick_step(incident, "tq", f"tq/{n}", f"Step {n}")
    journal.conn.execute("DROP TRIGGER events_are_never_deleted")
    journal.conn.execute("DELETE FROM events WHERE step_id = 'tq/1'")
    report = verify_chain(journal, incident)
    assert not report.intact and "does not follow" in report.problem


def test_journal_is_durable_wal_with_full_sync(journal):
    assert journal.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert journal.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert journal.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_version_1_journal_is_migrated_and_keeps_its_events(tmp_path):
    path = tmp_path / "journal.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[1] + "PRAGMA user_version = 1;")
    conn.execute("INSERT INTO events (id, kind, doc_id, step_id, step_text, entered_at) "
                 "VALUES ('old', 'tick', 'tq', 'tq/a', 'Apply', '2026-11-20T10:00:00.000+00:00')")
    conn.commit()
    conn.close()
    journal = Journal(path)
    assert journal.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [e.id for e in journal.events()] == ["old"]
    journal.close()


def test_a_newer_journal_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "journal.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(JournalError, match="newer Binder"):
        Journal(path)
    assert path.read_bytes() == before


def test_a_journal_that_is_not_a_database_is_copied_aside_and_a_new_one_started(tmp_path):
    path = tmp_path / "journal.db"
    garbage = b"garbage, not sqlite " * 100
    path.write_bytes(garbage)
    journal = Journal(path)
    [aside] = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert aside.read_bytes() == garbage
    assert str(aside) in journal.recovered and "A copy of it as it was" in journal.recovered
    assert not path.read_bytes().startswith(garbage[:20])
    incident = journal.start_incident("After").incident_id
    journal.tick_step(incident, "tq", "tq/a", "Apply")
    assert len(journal.events()) == 2
    journal.close()


def test_bad_events_are_bugs(journal, incident):
    with pytest.raises(ValueError):
        journal.append("explode")
    with pytest.raises(ValueError, match="needs an incident"):
        journal.append("tick", step_id="tq/a")
    with pytest.raises(JournalError, match="no incident"):
        journal.tick_step("not-an-incident", "tq", "tq/a", "Apply")


def test_elapsed_reads_like_a_person_would_say_it():
    import datetime as dt

    now = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    assert elapsed("2026-11-23T11:59:30.000+00:00", now) == "just now"
    assert elapsed("2026-11-23T11:53:00.000+00:00", now) == "7 min"
    assert elapsed("2026-11-23T09:55:00.000+00:00", now) == "2 h 05 min"
    assert elapsed("2026-11-20T09:00:00.000+00:00", now) == "3 days 3 h"


def test_a_locked_journal_is_refused_not_moved_aside(tmp_path):
    path = tmp_path / "journal.db"
    first = Journal(path)
    first.start_incident("A")
    first.close()
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(JournalError, match="cannot be opened.*has not been changed"):
        Journal(path, timeout=0.1)
    holder.rollback()
    holder.close()
    assert [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name] == []
    again = Journal(path)
    assert [e.kind for e in again.events()] == ["start"]
    again.close()


def test_checking_for_a_closed_incident_uses_an_index(journal, incident):
    plan = journal.conn.execute(
        "EXPLAIN QUERY PLAN SELECT kind FROM events WHERE incident_id = ? "
        "AND kind IN ('start', 'close')", (incident,)).fetchall()
    assert "COVERING INDEX events_by_incident_kind" in " ".join(str(row) for row in plan)
