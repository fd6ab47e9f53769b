"""The after-action draft (`binder report`): read back with pdftotext and as CSV, against the
events written, with times worked out by hand in two time zones across a leap day."""

import csv
import os
import subprocess
import sys

import pytest

import binder.journal.journal as journal_module
from binder.journal.journal import Journal, Operator, verify_chain
from binder.paper.aar import after_action
from binder.paper.aar_pdf import export_aar_pdf
from binder.search.library import Library
from tests.conftest import REPO
from tests.paper.test_export import needs_pdftotext, pdf_text
from tests.paper.test_laptops_paper import ANN, BOB, behind, laptop

COVER = "Move to cover if you can"
HIGH = "Apply the tourniquet over clothing, high on the limb"
TIME = "Write the time on the tourniquet ([why](../response/casualty-guide.md#timing))"
# Every time below is UTC; the local ones in the tests are worked out by hand.
START = "2028-02-28T23:30:00.000+00:00"


@pytest.fixture
def clock(monkeypatch):
    """The journal's clock, set by the test before each entry."""
    now = [START]
    monkeypatch.setattr(journal_module, "utc_now", lambda: now[0])
    return now


def leap_incident(data, clock, close: bool = True, exercise: bool = False) -> str:
    """An incident from the evening of 28 February 2028 into the leap day and past it."""
    journal = Journal(data / "journal.db")
    clock[0] = "2028-02-28T23:29:00.000+00:00"
    journal.set_operator(Operator("Ann Lee", "Incident Commander", "Springfield PD"))
    clock[0] = START
    incident = journal.start_incident("Leap Day Drill", content_revision="rev-leap",
                                      exercise=exercise).incident_id
    clock[0] = "2028-02-29T00:15:30.000+00:00"  # 45 min 30 s after the start
    journal.tick_step(incident, "tourniquet", "tourniquet/cover", COVER)
    clock[0] = "2028-02-29T01:00:00.000+00:00"
    journal.step_event("na", incident, "tourniquet", "tourniquet/apply-high", HIGH)
    clock[0] = "2028-02-29T01:02:00.000+00:00"
    journal.add_note(incident, "No limb wound", doc_id="tourniquet",
                     step_id="tourniquet/apply-high", step_text=HIGH)
    clock[0] = "2028-02-29T05:10:00.000+00:00"  # done at 04:59, 5 h 29 min after the start
    journal.step_event("done_before", incident, "tourniquet", "tourniquet/time", TIME,
                       occurred_at="2028-02-29T04:59:00.000+00:00")
    clock[0] = "2028-03-01T00:30:00.000+00:00"
    journal.append("note", incident, data={"text": "Evacuate the east wing", "decision": True})
    if close:
        clock[0] = "2028-03-01T02:00:00.000+00:00"
        journal.close_incident(incident)
    journal.close()
    return incident


def report(tmp_path, content_db, zone: str, target) -> subprocess.CompletedProcess:
    """`binder report` as a person runs it, on a laptop set to `zone`."""
    env = {**os.environ, "TZ": zone, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "binder", "--data-dir", str(tmp_path / "data"), "--content-db",
         str(content_db), "report", "Leap Day Drill", "-o", str(target)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def in_order(text: str, parts: list[str]) -> None:
    """Each part found in the text after the one before it."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not found after position {at}:\n{text[at:at + 2000]}"
        at = found + len(part)


ZONES = {
    "America/New_York": [  # UTC-05:00 in February: the start is still 28 February
        "2028-02-28 18:30", "Incident started: Leap Day Drill",
        "2028-02-28 19:15", f"Done: {COVER}",
        "2028-02-28 20:00", "Marked not applicable",
        "2028-02-28 20:02", "Note: No limb wound",
        "2028-02-28 23:59", "Done before it was logged", "(entered 2028-02-29 00:10)",
        "2028-02-29 19:30", "Decision: Evacuate the east wing",
        "2028-02-29 21:00", "Incident closed"],
    "Asia/Kolkata": [  # UTC+05:30: the whole incident is on the leap day and 1 March
        "2028-02-29 05:00", "Incident started: Leap Day Drill",
        "2028-02-29 05:45", f"Done: {COVER}",
        "2028-02-29 06:30", "Marked not applicable",
        "2028-02-29 06:32", "Note: No limb wound",
        "2028-02-29 10:29", "Done before it was logged", "(entered 10:40)",
        "2028-03-01 06:00", "Decision: Evacuate the east wing",
        "2028-03-01 07:30", "Incident closed"],
}


@needs_pdftotext
@pytest.mark.parametrize("zone", list(ZONES))
def test_the_timeline_is_every_entry_in_order_at_local_times(tmp_path, content_db, clock,
                                                             zone):
    leap_incident(tmp_path / "data", clock)
    target = tmp_path / "aar.pdf"
    done = report(tmp_path, content_db, zone, target)
    assert done.returncode == 0, done.stderr
    assert "after-action draft of Leap Day Drill, 7 entries" in done.stdout
    text = pdf_text(target)
    timeline = text[text.index("Timeline (every laptop"):]
    in_order(timeline, ZONES[zone])
    assert timeline.count("Incident Commander") == 7  # who logged each entry


def draft(tmp_path, content_db, incident: str):
    journal = Journal(tmp_path / "data" / "journal.db")
    library = Library.open(content_db)
    try:
        return after_action(journal, incident, library), verify_chain(journal, incident)
    finally:
        journal.close()


@pytest.fixture
def eastern(monkeypatch):
    """This process's local time at UTC-05:00 (New York's winter)."""
    monkeypatch.setenv("TZ", "America/New_York")
    import time
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_key_steps_are_the_first_of_each_phase_with_the_time_since_the_start(
        tmp_path, content_db, clock, eastern):
    incident = leap_incident(tmp_path / "data", clock)
    aar, _ = draft(tmp_path, content_db, incident)
    # 23:30 -> 00:15:30 is 45 min 30 s; 23:30 -> 04:59 (when it was done, not logged) 5 h 29 min
    assert [(k.phase, k.step, k.status, k.at, k.after) for k in aar.key_steps] == [
        ("Under fire", COVER, "done", "2028-02-28 19:15", "45 min"),
        ("Field care", "Write the time on the tourniquet (why)", "done before",
         "2028-02-28 23:59", "5 h 29 min")]
    assert [(f.step, f.notes) for f in aar.marked_na] == [(HIGH, ("No limb wound",))]
    assert aar.left_open == ()
    assert [(d.at, d.person, d.text) for d in aar.decisions] == [
        ("2028-02-29 19:30", "Ann Lee, Incident Commander", "Evacuate the east wing")]


@needs_pdftotext
def test_the_pdf_has_the_intervals_the_na_reason_decisions_and_chain_head(
        tmp_path, content_db, clock, eastern):
    incident = leap_incident(tmp_path / "data", clock)
    aar, chain = draft(tmp_path, content_db, incident)
    export_aar_pdf(aar, tmp_path / "aar.pdf")
    text = pdf_text(tmp_path / "aar.pdf")
    words = " ".join(text.split())
    assert "closed 2028-02-29 21:00" in words
    in_order(words, ["Key steps", "Move to cover if you can", "done 2028-02-28 19:15", "45 min",
                     "Write the time", "5 h 29 min", "Steps left open (at the close)", "None.",
                     "Steps marked N/A", HIGH, "No limb wound",
                     "Notes flagged as decisions", "2028-02-29 19:30", "Evacuate the east wing"])
    assert "(note on the step: No limb wound) — Ann Lee" in words
    assert chain.intact and chain.head in words
    assert "Strengths" not in words and "EXERCISE" not in words


@needs_pdftotext
def test_an_open_exercise_has_the_hseep_blanks_and_says_it_is_the_record_so_far(
        tmp_path, content_db, clock, eastern):
    incident = leap_incident(tmp_path / "data", clock, close=False, exercise=True)
    journal = Journal(tmp_path / "data" / "journal.db")
    clock[0] = "2028-03-01T03:00:00.000+00:00"
    journal.step_event("untick", incident, "tourniquet", "tourniquet/cover", COVER)
    journal.close()
    aar, _ = draft(tmp_path, content_db, incident)
    export_aar_pdf(aar, tmp_path / "aar.pdf")
    words = " ".join(pdf_text(tmp_path / "aar.pdf").split())
    assert "EXERCISE — EXERCISE — EXERCISE" in words
    assert "still open: the draft shows the record so far" in words
    in_order(words, ["After-Action Report / Improvement Plan (draft)", "Exercise overview",
                     "Strengths", "Areas for improvement", "Key steps",
                     "Steps left open (so far)", COVER, "Improvement plan: corrective actions",
                     "Area for improvement", "Corrective action", "Owner", "Start date",
                     "Due date", "Timeline", "Undone: Move to cover"])
    cover = next(k for k in aar.key_steps if k.step == COVER)
    assert (cover.status, cover.at, cover.after) == ("open", "", "")  # undone: not done now


def test_two_laptops_entries_are_in_clock_order_each_with_its_laptop(tmp_path, content_db):
    ann, bob = laptop(tmp_path, "ann", ANN), laptop(tmp_path, "bob", BOB)
    incident = ann.start_incident("Riverside Mall").incident_id
    bob.insert_foreign([e.row() for e in ann.chain_events(incident, ann.device_id)])
    ann.tick_step(incident, "tourniquet", "tourniquet/cover", COVER)
    bob.step_event("na", incident, "tourniquet", "tourniquet/apply-high", HIGH)
    ann.add_note(incident, "Ann's last word")
    # Bob's clock 5 s ahead: his N/A, written before Ann's note, comes after it in clock order
    ann.insert_foreign(behind([e.row() for e in bob.chain_events(incident, bob.device_id)],
                              -5_000))
    aar = after_action(ann, incident, Library.open(content_db))
    shown = [(line.laptop, line.activity.split(" — ")[0]) for line in aar.lines]
    assert shown == [
        (ann.device_id, "Incident started: Riverside Mall"),
        (ann.device_id, f"Done: {COVER}"),
        (ann.device_id, "Note: Ann's last word"),
        (bob.device_id, f"Marked not applicable: {HIGH} (no note on the step)")]
    assert f"[laptop {bob.device_id}]" in aar.lines[3].activity
    assert "Bob Lee, Operations" in aar.lines[3].activity
    assert aar.chain.combined and aar.marked_na[0].step == HIGH
    ann.close()
    bob.close()


def test_the_csv_is_the_timeline_with_the_revision_and_chain_head(
        tmp_path, content_db, clock):
    incident = leap_incident(tmp_path / "data", clock)
    target = tmp_path / "aar.csv"
    done = report(tmp_path, content_db, "America/New_York", target)
    assert done.returncode == 0, done.stderr
    with open(target, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    journal = Journal(tmp_path / "data" / "journal.db")
    events = journal.events(incident)
    head = verify_chain(journal, incident).head
    journal.close()
    assert [r["kind"] for r in rows] == [e.kind for e in events]
    assert [r["occurred_utc"] for r in rows] == [e.when for e in events]
    assert [r["occurred_local"] for r in rows] == [
        "2028-02-28 18:30", "2028-02-28 19:15", "2028-02-28 20:00", "2028-02-28 20:02",
        "2028-02-28 23:59", "2028-02-29 19:30", "2028-02-29 21:00"]
    assert rows[4]["entered_local"] == "2028-02-29 00:10"
    assert rows[4]["entered_utc"] == "2028-02-29T05:10:00.000+00:00"
    assert [r["decision"] for r in rows] == ["no"] * 5 + ["yes", "no"]
    assert rows[2]["what"].startswith(f"Marked not applicable: {HIGH} (note on the step: No")
    assert {r["content_revision"] for r in rows} == {"rev-leap"}
    assert {r["chain_head"] for r in rows} == {head} and {r["chain_intact"] for r in rows} == {
        "yes"}
    assert {r["time_zone"] for r in rows} == {"UTC-05:00 (EST)"}


def test_an_unknown_incident_is_a_message_not_a_traceback(tmp_path, content_db, clock):
    leap_incident(tmp_path / "data", clock)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "binder", "--data-dir", str(tmp_path / "data"), "--content-db",
         str(content_db), "report", "No such incident", "-o", str(tmp_path / "x.pdf")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "no single incident matches 'No such incident'" in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_checklist_that_names_its_key_steps_is_timed_by_those(tmp_path, clock, eastern):
    from binder.content.build import build_store
    from tests.conftest import write_pages
    from tests.content.test_key_steps import KEYED, pages

    build_store(write_pages(tmp_path / "content", pages(KEYED)), tmp_path / "keyed.db")
    incident = leap_incident(tmp_path / "data", clock)
    aar, _ = draft(tmp_path, tmp_path / "keyed.db", incident)
    assert [(k.step, k.after) for k in aar.key_steps] == [  # as the page orders them
        ("Write the time on the tourniquet (why)", "5 h 29 min"), (COVER, "45 min")]


def test_an_na_shows_the_notes_around_it_not_every_note_on_its_step(tmp_path, content_db):
    journal = laptop(tmp_path, "ann", ANN)
    incident = journal.start_incident("Mall").incident_id
    step = ("tourniquet", "tourniquet/apply-high", HIGH)
    journal.add_note(incident, "Bleeding stopped with pressure", doc_id=step[0],
                     step_id=step[1], step_text=HIGH)
    journal.step_event("na", incident, *step)
    journal.step_event("untick", incident, *step)
    journal.add_note(incident, "Second casualty: leg wound", doc_id=step[0], step_id=step[1],
                     step_text=HIGH)
    journal.tick_step(incident, *step)
    journal.step_event("untick", incident, *step)
    journal.step_event("na", incident, *step)
    aar = after_action(journal, incident, Library.open(content_db))
    journal.close()
    na = [line.activity.split(" — ")[0] for line in aar.lines if line.event.kind == "na"]
    assert na == [f"Marked not applicable: {HIGH} (note on the step: Bleeding stopped with "
                  "pressure)", f"Marked not applicable: {HIGH} (no note on the step)"]
    assert [(f.step, f.notes) for f in aar.marked_na] == [(HIGH, ())]
