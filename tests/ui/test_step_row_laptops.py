"""A step another laptop changed says so under the step; one two laptops changed at the same time
shows both entries, in plain words."""

from binder.journal import hlc
from binder.journal.journal import Journal, Operator, event_hash

STEP = ("tourniquet", "tourniquet/cover", "Move to cover")


def row(window):
    return window.checklist_view.rows[STEP[1]]


def bob_laptop(window, tmp_path) -> Journal:
    """Bob's laptop, which has the incident's start from this one."""
    here, incident = window.session.journal, window.session.incident.id
    bob = Journal(tmp_path / "bob" / "journal.db")
    bob.set_operator(Operator("Bob Lee", "Operations"))
    bob.insert_foreign([e.row() for e in here.chain_events(incident, here.device_id)])
    return bob


def arrive(window, rows: list[dict]) -> None:
    """What the sync does: Bob's entries inserted through a connection of its own."""
    importer = Journal(window.session.journal.path)
    importer.insert_foreign(rows)
    importer.close()


def test_a_tick_from_another_laptop_says_so_and_names_the_laptop_only_in_the_tooltip(
        tourniquet_in_incident, tmp_path, qtbot):
    window = tourniquet_in_incident
    bob = bob_laptop(window, tmp_path)
    tick = bob.tick_step(window.session.incident.id, *STEP)
    arrive(window, [tick.row()])
    qtbot.waitUntil(lambda: row(window).checkbox.isChecked(), timeout=3000)
    text = row(window).status.text()
    assert text.startswith("Done by Bob Lee (Operations) at ") and text.endswith(
        ", on another laptop")
    assert bob.device_id not in text and f"laptop {bob.device_id}" in row(window).toolTip()


def test_a_tick_on_this_laptop_does_not_mention_laptops(tourniquet_in_incident):
    window = tourniquet_in_incident
    window.session.step_event("tick", *STEP)
    window.checklist_view.refresh()
    assert "laptop" not in row(window).status.text() + row(window).toolTip()


def test_a_step_changed_at_once_on_two_laptops_shows_both_under_the_step(
        tourniquet_in_incident, tmp_path, qtbot):
    window = tourniquet_in_incident
    bob = bob_laptop(window, tmp_path)
    mine = window.session.step_event("tick", *STEP)  # Ann ticks it …
    na = bob.step_event("na", window.session.incident.id, *STEP).row()  # … as Bob marks it N/A
    na["hlc"] = hlc.make(hlc.parse(mine.hlc)[0] + 1000)  # a second later by Bob's clock
    na["hash"] = event_hash(na["prev_hash"], na)
    arrive(window, [na])
    qtbot.waitUntil(lambda: "at the same time" in row(window).status.text(), timeout=3000)
    first, second = row(window).status.text().splitlines()
    assert first.startswith("Marked N/A by Bob Lee (Operations) at ")
    assert first.endswith(", on another laptop")
    assert second.startswith("Also changed at the same time on this laptop: Done by Ann Lee "
                             "(Incident Commander) ")
    assert row(window).checkbox.checkState().name == "PartiallyChecked"  # N/A: the newest
