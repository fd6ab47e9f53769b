"""Two laptops through their sync folders: what one writes shows on the other, once."""

from __future__ import annotations

from binder.journal.journal import verify_chain
from binder.journal.state import JournalState
from binder.sync.segment import decode
from tests.sync.conftest import STEP, carry


def test_a_tick_on_one_laptop_shows_on_the_other_with_its_person_and_laptop(pair):
    ann, bob = pair
    incident = ann.journal.start_incident("School").incident_id
    ann.journal.tick_step(incident, **STEP)
    assert ann.sync.export() == 1
    carry(ann, bob)
    report = bob.sync.import_all()
    assert (report.imported, report.entries, report.refused, report.waiting) == (1, 2, [], [])
    step = JournalState(bob.journal).incident(incident).step_states("active-assailant")["s1"]
    assert (step.status, step.operator, step.position, step.device) == (
        "done", "Ann Lee", "IC", ann.device)


def test_importing_twice_and_exporting_with_nothing_new_change_nothing(pair):
    ann, bob = pair
    incident = ann.journal.start_incident("School").incident_id
    ann.sync.export()
    carry(ann, bob)
    bob.sync.import_all()
    count = len(bob.journal.events())
    assert bob.sync.import_all().imported == 0
    assert ann.sync.export() == 0 and len(ann.segments()) == 1
    fresh = bob.reopen()  # a restart: what is stored is known again from journal.db
    assert fresh.sync.import_all().imported == 0 and len(fresh.journal.events()) == count
    assert fresh.sync.export() == 0  # Bob's laptop wrote nothing of the incident itself
    ann.journal.add_note(incident, "Perimeter on Elm Street")
    assert ann.sync.export() == 1
    assert [p.name for p in ann.segments()] == ["000001.seg", "000002.seg"]


def test_each_laptop_sends_only_its_own_entries_and_both_verify_to_one_digest(pair):
    ann, bob = pair
    incident = ann.journal.start_incident("School").incident_id
    ann.sync.export()
    carry(ann, bob)
    bob.sync.import_all()
    bob.journal.add_note(incident, "Operations set the perimeter")
    assert bob.sync.export() == 1
    [own] = [path for path in bob.segments() if path.parent.name == bob.device]
    header = decode(own.read_bytes())
    assert header.header["device"] == bob.device and len(header.events) == 1
    assert header.header["name"] == "bob-laptop" and header.header["position"] == "Operations"
    carry(bob, ann)
    assert ann.sync.import_all().imported == 1
    reports = [verify_chain(laptop.journal, incident) for laptop in (ann, bob)]
    assert all(report.intact for report in reports)
    assert reports[0].combined and reports[0].combined == reports[1].combined


def test_the_same_entries_make_the_same_bytes(pair, tmp_path):
    ann, _ = pair
    incident = ann.journal.start_incident("School").incident_id
    ann.sync.export()
    first = ann.segments()[0].read_bytes()
    row = ann.journal.conn.execute("SELECT bytes FROM segments").fetchone()[0]
    assert bytes(row) == first
    from binder.sync.segment import encode
    again = decode(first)
    header = {k: v for k, v in again.header.items() if k not in ("format", "events")}
    assert encode(header, again.events, ann.sync.key) == first
    assert again.header["incident_id"] == incident
