"""One incident in the journals of two laptops: chains per laptop, clocks, changes made at once."""

from __future__ import annotations

import json
import sqlite3

from binder.journal import hlc
from binder.journal.journal import Journal, Operator, event_hash, verify_chain
from binder.journal.state import JournalState

STEP = dict(doc_id="active-assailant", step_id="s1", step_text="Establish command")


def laptop(tmp_path, name: str, position: str) -> Journal:
    journal = Journal(tmp_path / name / "journal.db")
    journal.set_operator(Operator(f"{name.title()} Lee", position))
    return journal


def stored(data: dict) -> str:
    """`data` as the journal stores (and hashes) it."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def send(source: Journal, target: Journal, incident_id: str) -> int:
    """What a segment carries: the source laptop's own chain of the incident, as written."""
    return target.insert_foreign(
        [event.row() for event in source.chain_events(incident_id, source.device_id)])


def test_each_laptop_has_its_own_id_and_its_events_say_so(tmp_path):
    ann, bob = laptop(tmp_path, "ann", "IC"), laptop(tmp_path, "bob", "Operations")
    assert len(ann.device_id) == 16 and ann.device_id != bob.device_id
    event = ann.start_incident("School")
    assert event.device == ann.device_id and hlc.parse(event.hlc)
    reopened = Journal(ann.path)
    assert reopened.device_id == ann.device_id


def test_a_tick_from_another_laptop_shows_with_its_person_and_laptop(tmp_path):
    ann, bob = laptop(tmp_path, "ann", "IC"), laptop(tmp_path, "bob", "Operations")
    incident = ann.start_incident("School").incident_id
    ann.tick_step(incident, **STEP)
    assert send(ann, bob, incident) == 2  # the start and the tick
    state = JournalState(bob)
    assert incident in state.incidents
    step = state.incident(incident).step_states("active-assailant")["s1"]
    assert (step.status, step.operator, step.position, step.device) == (
        "done", "Ann Lee", "IC", ann.device_id)
    assert send(ann, bob, incident) == 0  # importing twice changes nothing


def test_a_laptop_writes_after_what_it_has_seen_and_refuses_what_is_already_done(tmp_path):
    ann, bob = laptop(tmp_path, "ann", "IC"), laptop(tmp_path, "bob", "Operations")
    incident = ann.start_incident("School").incident_id
    tick = ann.tick_step(incident, **STEP)
    send(ann, bob, incident)
    refused = None
    try:
        bob.tick_step(incident, **STEP)
    except Exception as exc:  # StepConflict: already done by Ann
        refused = str(exc)
    assert refused and "Ann Lee (IC)" in refused
    untick = bob.untick_step(incident, "active-assailant", "s1", "Establish command")
    assert untick.data["follows"] == [tick.id]
    assert untick.hlc > tick.hlc
    assert untick.prev_hash == ""  # Bob's own chain of this incident starts here


def test_two_laptops_ticking_one_step_at_once_keep_both_and_show_it(tmp_path):
    ann, bob = laptop(tmp_path, "ann", "IC"), laptop(tmp_path, "bob", "Operations")
    incident = ann.start_incident("School").incident_id
    start = [e.row() for e in ann.chain_events(incident, ann.device_id)]
    bob.insert_foreign(start)
    first = ann.tick_step(incident, **STEP)
    second = bob.tick_step(incident, **STEP)  # before either has seen the other's
    send(ann, bob, incident)
    send(bob, ann, incident)
    for journal in (ann, bob):
        history = journal.step_history(incident, "active-assailant", "s1")
        assert {e.id for e in history.heads()} == {first.id, second.id}
        assert [{a.id, b.id} for a, b in history.forks()] == [{first.id, second.id}]
        state = JournalState(journal).incident(incident).step_states("active-assailant")["s1"]
        newest = max((first, second), key=lambda e: (e.hlc, e.device))
        older = second if newest is first else first
        assert (state.status, state.operator) == ("done", newest.operator)
        assert [(o[1], o[4]) for o in state.at_once] == [(older.operator, older.device)]
    settle = ann.untick_step(incident, "active-assailant", "s1", "Establish command")
    assert sorted(settle.data["follows"]) == sorted([first.id, second.id])
    send(ann, bob, incident)
    state = JournalState(bob).incident(incident).step_states("active-assailant")["s1"]
    assert state.status == "open" and state.at_once == ()
    assert len(bob.step_history(incident, "active-assailant", "s1").forks()) == 1  # still shown


def test_verify_checks_every_laptops_chain_and_prints_one_combined_digest(tmp_path):
    ann, bob = laptop(tmp_path, "ann", "IC"), laptop(tmp_path, "bob", "Operations")
    incident = ann.start_incident("School").incident_id
    send(ann, bob, incident)
    bob.add_note(incident, "Perimeter set on Elm Street")
    send(bob, ann, incident)
    reports = [verify_chain(j, incident) for j in (ann, bob)]
    assert all(r.intact for r in reports)
    assert set(reports[0].laptops) == {ann.device_id, bob.device_id}
    assert reports[0].combined and reports[0].combined == reports[1].combined
    # Bob's note changed on Ann's laptop after it arrived: found, and named by laptop
    with sqlite3.connect(ann.path) as db:
        db.execute("DROP TRIGGER events_are_never_updated")
        db.execute("UPDATE events SET data = '{\"text\": \"Perimeter set on Oak Street\"}' "
                   "WHERE device = ? AND kind = 'note'", (bob.device_id,))
    report = verify_chain(Journal(ann.path), incident)
    assert not report.intact and f"laptop {bob.device_id}" in report.problem
    assert "changed after it was written" in report.problem


def test_a_clock_far_ahead_is_not_adopted_and_one_a_little_ahead_is(tmp_path):
    ann, bob = laptop(tmp_path, "ann", "IC"), laptop(tmp_path, "bob", "Operations")
    incident = ann.start_incident("School").incident_id
    rows = [e.row() for e in ann.chain_events(incident, ann.device_id)]
    now = hlc.wall_ms()
    near, far = hlc.make(now + 60_000, 3), hlc.make(now + 3_600_000)
    for row, clock in ((rows[0], near),):
        row["hlc"] = clock
        row["hash"] = event_hash(row["prev_hash"], {**row, "data": stored(row["data"])})
    bob.insert_foreign(rows)
    assert verify_chain(bob, incident).intact  # the start re-clocked and re-hashed as written
    written = bob.add_note(incident, "after the start")
    assert written.hlc > near  # it was written after Bob saw the start
    stray = {**rows[0], "id": "stray", "kind": "note", "hlc": far, "data": {"text": "x"}}
    bob.insert_foreign([stray])
    later = bob.add_note(incident, "an hour-ahead clock does not drag this one")
    assert later.hlc < far and hlc.parse(later.hlc)[0] - now < hlc.BOUND_MS
    assert hlc.ahead_ms(far) > 3_500_000


def test_a_journal_written_before_laptops_keeps_its_chain_and_goes_on(tmp_path):
    ann = laptop(tmp_path, "ann", "IC")
    incident = ann.start_incident("Old").incident_id
    with sqlite3.connect(ann.path) as db:  # an entry as schema 5 wrote it: no laptop, no clock
        head = db.execute("SELECT hash FROM events WHERE incident_id = ? ORDER BY seq DESC",
                          (incident,)).fetchone()[0]
        values = dict(id="legacy-1", kind="note", incident_id=incident, doc_id="", step_id="",
                      step_text="", operator="Ann Lee", position="IC",
                      entered_at="2026-11-01T10:00:00.000+00:00", occurred_at="",
                      data='{"text": "old"}', device="", hlc="")
        db.execute("DROP TRIGGER IF EXISTS none_such")
        db.execute(f"INSERT INTO events ({', '.join(values)}, prev_hash, hash) VALUES "
                   f"({', '.join('?' * (len(values) + 2))})",
                   (*values.values(), head, event_hash(head, values)))
    ann = Journal(ann.path)
    note = ann.add_note(incident, "new")
    assert note.prev_hash == event_hash(head, values)
    assert verify_chain(ann, incident).intact
