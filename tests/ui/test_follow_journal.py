"""The window follows the journal: what another connection or process writes shows in a second."""

import subprocess
import sys
from pathlib import Path

import pytest

from binder.journal.journal import Journal, Operator

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from pathlib import Path
from binder.journal.journal import Journal, Operator
journal = Journal(Path(sys.argv[1]))
journal.set_operator(Operator("Cy Ruiz", "Safety Officer", "Fire District 4"), sys.argv[2])
journal.tick_step(sys.argv[2], "tourniquet", "tourniquet/time", "Write the time")
journal.close()
"""


@pytest.fixture
def window(tourniquet_in_incident):
    return tourniquet_in_incident


def row(window, step):
    return window.checklist_view.rows[f"tourniquet/{step}"]


def test_a_tick_by_another_connection_shows_in_the_window(window, tmp_path, qtbot):
    other = Journal(tmp_path / "data" / "journal.db")
    other.set_operator(Operator("Bo Chan", "Liaison Officer", "County EMS"))
    other.tick_step(window.session.incident.id, "tourniquet", "tourniquet/cover", "Move to cover")
    other.add_note(window.session.incident.id, "Left leg", doc_id="tourniquet",
                   step_id="tourniquet/apply-high", step_text="Apply high")
    other.close()
    qtbot.waitUntil(lambda: row(window, "cover").checkbox.isChecked(), timeout=2000)
    assert row(window, "cover").status.text().startswith("Done by Bo Chan (Liaison Officer)")
    assert row(window, "apply-high").status.text() == "Note: Left leg"
    assert window.checklist_view.progress.text() == "1 done · 0 N/A · 2 open"
    assert "last entry just now" in window.incident_status.clock.text()


def test_a_close_by_another_connection_makes_the_window_read_only(window, tmp_path, qtbot):
    other = Journal(tmp_path / "data" / "journal.db")
    other.close_incident(window.session.incident.id)
    other.close()
    qtbot.waitUntil(lambda: not window.session.incident.is_open, timeout=2000)
    assert window.banner.text() == "Mall shooting · closed, read only"
    assert not row(window, "cover").isEnabled()
    assert window.checklist_view.progress.text().endswith("this incident is closed: read only")


def test_an_incident_started_elsewhere_can_be_switched_to(window, tmp_path, qtbot):
    other = Journal(tmp_path / "data" / "journal.db")
    started = other.start_incident("Bus crash").incident_id
    other.close()
    qtbot.waitUntil(lambda: any(i.id == started for i in window.session.incidents()),
                    timeout=2000)
    window.session.switch(started)
    assert window.banner.text() == "Bus crash"


def test_a_tick_written_by_a_child_process_shows_in_the_window(window, tmp_path, qtbot):
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "data" / "journal.db"),
         window.session.incident.id], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert child.returncode == 0, child.stderr
    qtbot.waitUntil(lambda: row(window, "time").checkbox.isChecked(), timeout=2000)
    assert row(window, "time").status.text().startswith("Done by Cy Ruiz (Safety Officer)")


def test_our_own_tick_is_shown_once_and_the_follow_finds_nothing_more(window, qtbot):
    row(window, "cover").checkbox.click()
    assert row(window, "cover").checkbox.isChecked()
    assert not window.session.follow()  # our own commit does not count as someone else's
    assert [e.kind for e in window.session.events()] == ["start", "tick"]


def test_a_closed_window_reads_nothing_when_its_clocks_tick(window, qtbot):
    window.close()
    window.journal.close()
    window.incident_status.timer.timeout.emit()  # the 15 s status refresh
    assert not window.session.follow()  # the 500 ms look for other writers


def sqlite_steps_of_a_click(window, step: str) -> int:
    """How much SQLite work (virtual machine steps, in hundreds) one click on a box costs."""
    steps = [0]

    def count():
        steps[0] += 1
        return 0

    window.journal.conn.set_progress_handler(count, 100)
    try:
        row(window, step).checkbox.click()
    finally:
        window.journal.conn.set_progress_handler(None, 100)
    return steps[0]


def add_events(window, tmp_path, count: int) -> None:
    """Another connection writes `count` ticks and notes (not synced: only setting up)."""
    other = Journal(tmp_path / "data" / "journal.db")
    other.conn.execute("PRAGMA synchronous = OFF")
    incident = window.session.incident.id
    done = "tourniquet/time" in window.session.step_states("tourniquet")
    done = done and window.session.step_states("tourniquet")["tourniquet/time"].done
    for n in range(count):
        if n % 5:  # tick and untick in turn: the journal refuses a tick on a ticked step
            kind = "untick" if done else "tick"
            other.step_event(kind, incident, "tourniquet", "tourniquet/time", "Time")
            done = not done
        else:
            other.add_note(window.session.incident.id, f"note {n}")
    other.close()
    assert window.session.follow()


def test_a_tick_reads_as_much_of_the_journal_at_3000_events_as_at_50(window, tmp_path):
    add_events(window, tmp_path, 50)
    sqlite_steps_of_a_click(window, "cover")  # the page's states are read once, here
    reopen(window, "cover")
    few = sqlite_steps_of_a_click(window, "cover")
    reopen(window, "cover")
    add_events(window, tmp_path, 3000)
    many = sqlite_steps_of_a_click(window, "cover")
    assert many < 2 * few + 50, (few, many)
    assert row(window, "cover").checkbox.isChecked()  # ticked, reopened, ticked again
    cover = [e.kind for e in window.session.events() if e.step_id == "tourniquet/cover"]
    assert cover == ["tick", "untick", "tick", "untick", "tick"]


def reopen(window, step: str) -> None:
    """Undo a tick (a tap on a done row no longer unticks it)."""
    window.session.step_event("untick", "tourniquet", f"tourniquet/{step}", step)
