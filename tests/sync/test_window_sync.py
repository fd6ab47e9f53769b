"""The window shares an incident with another laptop every second, and through a stick."""

from __future__ import annotations

from binder.journal.journal import Journal
from binder.sync.engine import Sync
from binder.sync.keys import trust_agency
from binder.ui.sync_actions import SyncActions
from tests.sync.conftest import STEP, Laptop, carry, make_laptop, put_on_roster
from tests.ui import conftest as ui_fixtures

make_window = ui_fixtures.make_window  # the window tests' fixture: a real window in tmp_path


def two_laptops(tmp_path):
    ann, bob = make_laptop(tmp_path, "ann", "IC"), make_laptop(tmp_path, "bob", "Operations")
    put_on_roster(tmp_path, [ann, bob])
    ann.journal.close()
    return ann.data, bob


def test_a_tick_on_another_laptop_shows_in_the_window_and_one_here_goes_back(
        make_window, tmp_path, qtbot):
    ann_data, bob = two_laptops(tmp_path)
    window = make_window(data=ann_data)
    incident = bob.journal.start_incident("School").incident_id
    bob.journal.tick_step(incident, **STEP)
    bob.sync.export()
    carry(Laptop(bob.data, bob.journal, bob.sync), Laptop(ann_data, None, None))
    qtbot.waitUntil(lambda: incident in window.session.state.incidents, timeout=5000)
    window.session.switch(incident)
    state = window.session.step_states("active-assailant")["s1"]
    assert (state.status, state.operator, state.device) == ("done", "Bob Lee", bob.device)
    window.session.add_note("Ann here: command post at the school gym")

    def arrived():
        carry(Laptop(ann_data, None, None), bob)
        bob.sync.import_all()
        return [e.data.get("text") for e in bob.journal.events(incident, kinds=("note",))]
    qtbot.waitUntil(lambda: arrived() == ["Ann here: command post at the school gym"],
                    timeout=5000)


def test_copy_to_stick_and_import_from_stick_from_the_incident_menu(
        make_window, tmp_path, qtbot, monkeypatch):
    ann_data, bob = two_laptops(tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    incident = bob.journal.start_incident("School").incident_id
    bob.journal.add_note(incident, "Buses at the depot")
    bob.sync.copy_to(stick)
    told = []
    monkeypatch.setattr(SyncActions, "ask_folder", staticmethod(lambda parent, title: str(stick)))
    monkeypatch.setattr(SyncActions, "tell", staticmethod(lambda p, title, text:
                                                           told.append((title, text))))
    window = make_window(data=ann_data)
    window.sharing.actions["import"].trigger()
    assert told[-1][0] == "Import from stick"
    assert told[-1][1].splitlines()[0] == "imported 1 segment (2 new entries)"
    qtbot.waitUntil(lambda: incident in window.session.state.incidents, timeout=5000)
    window.session.switch(incident)
    window.session.add_note("Ann's note, for the stick")
    window.sharing.actions["copy"].trigger()
    assert told[-1][1].startswith("1 segment(s) copied")
    report = bob.sync.import_from(stick)
    assert report.imported == 1
    notes = [e.data["text"] for e in bob.journal.events(incident, kinds=("note",))]
    assert notes == ["Buses at the depot", "Ann's note, for the stick"]


def test_a_laptop_outside_the_roster_is_let_in_from_the_menu(make_window, tmp_path, qtbot,
                                                              monkeypatch):
    ann_data, bob = two_laptops(tmp_path)
    dan = make_laptop(tmp_path, "dan", "Logistics")
    window = make_window(data=ann_data)
    incident = window.session.start_incident("School").id
    qtbot.waitUntil(lambda: any((ann_data / "sync" / "segments").rglob("*.seg")), timeout=5000)
    carry(Laptop(ann_data, None, None), dan)
    trust_agency(dan.data, tmp_path / "agency.key.pub")
    dan.sync.put_roster(tmp_path / "roster.json")
    assert dan.sync.import_all().imported == 1
    dan.journal.add_note(incident, "Buses at the depot")
    dan.sync.export()
    carry(dan, Laptop(ann_data, None, None))
    qtbot.waitUntil(lambda: bool(window.sharing.unknown), timeout=5000)
    monkeypatch.setattr(SyncActions, "choose",
                        staticmethod(lambda parent, title, label, items: items[0]))
    window.sharing.actions["admit"].trigger()
    qtbot.waitUntil(lambda: [e.data.get("text") for e in window.session.events()
                             if e.kind == "note"] == ["Buses at the depot"], timeout=5000)
    assert isinstance(window.sharing.sync, Sync) and isinstance(bob.journal, Journal)


def test_a_long_import_runs_beside_the_window_and_a_tick_goes_in_meanwhile(
        make_window, tmp_path, qtbot):
    ann_data, bob = two_laptops(tmp_path)
    incident = bob.journal.start_incident("School").incident_id
    for number in range(120):  # 120 segments from Bob's laptop waiting in the sync folder
        bob.journal.add_note(incident, f"Radio check {number}: all units on scene")
        bob.sync.export()
    window = make_window(data=ann_data)
    window.sharing.timer.stop()
    carry(Laptop(bob.data, bob.journal, bob.sync), Laptop(ann_data, None, None))
    window.sharing.start_round()
    assert not window.sharing.round.done()  # the window's thread did not wait for it
    note = window.journal.start_incident("Ann's own incident").incident_id
    window.journal.add_note(note, "written while the other laptop's entries came in")
    qtbot.waitUntil(window.sharing.round.done, timeout=30000)
    report = window.sharing.round.result()
    assert report.imported == 120 and not report.refused
    qtbot.waitUntil(lambda: incident in window.session.state.incidents, timeout=5000)
