"""The state kept in memory matches a full re-read of the journal, after any writes by anyone."""

import random

import pytest

from binder.journal.incidents import incidents_from, step_states
from binder.journal.journal import Journal, Operator, StepConflict
from binder.journal.state import JournalState

DOCS = {"tourniquet": ["tourniquet/cover", "tourniquet/apply-high", "tourniquet/time"],
        "eflea": ["eflea/letter"]}


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    journal.set_operator(Operator("Ann Lee", "Incident Commander", "Springfield PD"))
    yield journal
    journal.close()


def write_some(journal: Journal, incident_id: str, rng: random.Random, count: int) -> None:
    """Ticks, unticks, N/A, done-before, notes on steps and on the incident, operator changes."""
    for _ in range(count):
        doc_id = rng.choice(list(DOCS))
        step_id = rng.choice(DOCS[doc_id])
        kind = rng.choice(["tick", "untick", "na", "done_before", "note", "note", "operator"])
        if kind == "note":
            on_step = rng.random() < 0.7
            journal.add_note(incident_id, f"note {rng.random():.4f}",
                             doc_id=doc_id if on_step else "", step_id=step_id if on_step else "",
                             step_text="the step" if on_step else "")
        elif kind == "operator":
            journal.set_operator(Operator(rng.choice(["Bo", "Cy"]), "Scribe", "EMS"), incident_id)
        else:
            when = "2026-11-23T10:00:00.000+00:00" if kind == "done_before" else ""
            try:
                journal.step_event(kind, incident_id, doc_id, step_id, "the step", when)
            except StepConflict:  # a tick on a done step, an untick of an open one: refused
                pass


def assert_same_as_a_full_read(state: JournalState, journal: Journal, incident_id: str) -> None:
    events = journal.events(incident_id)
    assert list(state.incidents.values()) == incidents_from(journal.events())
    current = state.incident(incident_id)
    for doc_id in DOCS:
        assert current.step_states(doc_id) == step_states(events, doc_id)
    assert current.all_step_states() == step_states(events)
    assert current.events() == events
    assert current.last_entry == events[-1].entered_at


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_folding_new_events_gives_what_a_full_read_gives(journal, seed):
    rng = random.Random(seed)
    first = journal.start_incident("Mall shooting").incident_id
    write_some(journal, first, rng, 30)
    state = JournalState(journal)
    state.incident(first).step_states("tourniquet")  # one page read now, the other later
    for _ in range(5):
        write_some(journal, first, rng, 20)
        state.update()
        assert_same_as_a_full_read(state, journal, first)


def test_a_second_connection_is_seen_after_data_version_changes(journal, tmp_path):
    incident_id = journal.start_incident("Mall shooting").incident_id
    state = JournalState(journal)
    assert state.incident(incident_id).step_states("tourniquet") == {}
    journal.tick_step(incident_id, "tourniquet", "tourniquet/apply-high", "Apply high")
    assert state.follow() == []  # our own writes are not another connection's
    other = Journal(tmp_path / "journal.db")
    other.tick_step(incident_id, "tourniquet", "tourniquet/cover", "Move to cover")
    second = other.start_incident("Bus crash").incident_id
    other.close_incident(second)
    other.close()
    assert [e.kind for e in state.follow()] == ["tick", "tick", "start", "close"]
    assert state.incident(incident_id).step_states("tourniquet")["tourniquet/cover"].done
    assert not state.incidents[second].is_open
    assert state.follow() == []
    assert_same_as_a_full_read(state, journal, incident_id)


def test_an_incident_looked_at_later_reads_what_came_before(journal):
    first = journal.start_incident("Mall shooting").incident_id
    state = JournalState(journal)
    journal.tick_step(first, "tourniquet", "tourniquet/cover", "Move to cover")
    journal.add_note(first, "TQ on left leg", doc_id="tourniquet", step_id="tourniquet/cover",
                     step_text="Move to cover")
    state.update()
    states = state.incident(first).step_states("tourniquet")
    assert states["tourniquet/cover"].status == "done"
    assert states["tourniquet/cover"].notes == ("TQ on left leg",)
    state.update()  # nothing new: the note is not counted twice
    assert state.incident(first).step_states("tourniquet")["tourniquet/cover"].notes == (
        "TQ on left leg",)


def test_an_event_read_with_a_page_and_again_as_new_is_counted_once(journal):
    first = journal.start_incident("Mall shooting").incident_id
    state = JournalState(journal)
    journal.add_note(first, "left leg", doc_id="tourniquet", step_id="tourniquet/cover")
    # the page is read before update() has seen the note, which update() then brings again
    assert state.incident(first).step_states("tourniquet")["tourniquet/cover"].notes == (
        "left leg",)
    state.incident(first).events()
    state.update()
    assert_same_as_a_full_read(state, journal, first)
