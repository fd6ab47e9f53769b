"""Two Binder laptops and two real Syncthing daemons on 127.0.0.1, configured only by
`binder sync syncthing`: a tick and a note typed on one show on the other, both ways, and both
laptops verify the incident to the same combined digest."""

from __future__ import annotations

import time

from binder.journal.journal import Journal, Operator, verify_chain
from binder.journal.state import JournalState
from binder.sync.engine import Sync
from tests.sync import conftest
from tests.sync.test_syncthing import laptops, needs_syncthing, pair, start_both, wait_for

__all__ = ["laptops"]  # the fixture, used by name

NOTE = "Perimeter set at Elm and 5th, staging on the north lot"


def binder_on(laptop, name: str, position: str) -> conftest.Laptop:
    journal = Journal(laptop.data / "journal.db")
    journal.set_operator(Operator(name, position))
    return conftest.Laptop(laptop.data, journal, Sync(laptop.data, journal))


def arrived(receiver: conftest.Laptop, incident: str, wanted) -> bool:
    """What the window's timer does every second: export, then import what has come."""
    receiver.sync.export()
    receiver.sync.import_all()
    return wanted(receiver.journal.events(incident))


@needs_syncthing
def test_a_tick_and_a_note_cross_both_ways_through_syncthing(tmp_path, laptops, capsys):
    a, b = laptops
    pair(a, b, capsys)
    ann = binder_on(a, "Ann Lee", "Incident Commander")
    bob = binder_on(b, "Bob Roe", "Operations")
    conftest.put_on_roster(tmp_path, [ann, bob])
    start_both(a, b)

    incident = ann.journal.start_incident("Mall shooting").incident_id
    ann.journal.tick_step(incident, **conftest.STEP)
    ann.journal.add_note(incident, NOTE)
    sent = time.monotonic()
    ann.sync.export()
    wait_for("Ann's tick and note reach Bob's journal", lambda: arrived(
        bob, incident, lambda events: NOTE in [e.data.get("text") for e in events]), laptops)
    crossed = time.monotonic() - sent
    state = JournalState(bob.journal).incident(incident).step_states("active-assailant")["s1"]
    assert (state.status, state.operator, state.device) == (
        "done", "Ann Lee", ann.journal.device_id)

    bob.journal.untick_step(incident, "active-assailant", "s1", "Establish command")
    bob.sync.export()
    wait_for("Bob's untick reaches Ann's journal", lambda: arrived(
        ann, incident, lambda events: any(e.kind == "untick" for e in events)), laptops)
    state = JournalState(ann.journal).incident(incident).step_states("active-assailant")["s1"]
    assert (state.status, state.operator) == ("open", "Bob Roe")

    reports = [verify_chain(laptop.journal, incident) for laptop in (ann, bob)]
    assert all(report.intact for report in reports)
    assert reports[0].combined and reports[0].combined == reports[1].combined
    assert crossed < 60, f"took {crossed:.1f} s"
