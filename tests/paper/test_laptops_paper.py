"""The ICS 214, the handover sheets and `binder verify` across two laptops' entries: every
laptop's entries in clock order, each with its laptop, odd ones flagged, one combined digest."""

import csv
import json
import sqlite3
import subprocess
import sys

import pytest

from binder.content.store import ContentStore
from binder.journal import hlc
from binder.journal.journal import Journal, Operator, event_hash, verify_chain
from binder.paper.export import activity_log, export_csv, export_pdf
from binder.paper.printing import handover_pdf
from binder.search.library import Library
from tests.conftest import REPO
from tests.paper.test_export import needs_pdftotext
from tests.paper.test_printing import sheets_text, words

ANN = Operator("Ann Lee", "Incident Commander", "Springfield PD")
BOB = Operator("Bob Lee", "Operations", "Springfield FD")


def laptop(tmp_path, name: str, operator: Operator) -> Journal:
    journal = Journal(tmp_path / name / "journal.db")
    journal.set_operator(operator)
    return journal


def rehashed(row: dict) -> dict:
    """The row's hash worked out as its laptop did when writing it (data as stored JSON)."""
    data = json.dumps(row["data"], sort_keys=True, ensure_ascii=False)
    return {**row, "hash": event_hash(row["prev_hash"], {**row, "data": data})}


def clocked(row: dict, clock: str) -> dict:
    """A row as another laptop wrote it, with its clock set as given (and hashed so)."""
    return rehashed({**row, "hlc": clock})


def behind(rows: list[dict], ms: int) -> list[dict]:
    """One laptop's chain as it would be with its clock `ms` behind: clocks moved, re-chained."""
    moved, prev = [], rows[0]["prev_hash"]
    for row in rows:
        clock = hlc.parse(row["hlc"])
        row = rehashed({**row, "hlc": hlc.make(clock[0] - ms, clock[1]), "prev_hash": prev})
        prev = row["hash"]
        moved.append(row)
    return moved


@pytest.fixture
def two(tmp_path):
    """Ann's laptop (the one printing) and Bob's, with one incident: Ann on both laptops in
    turn, Bob on his; Bob's entries arrive on Ann's laptop after they were written, and Bob's
    clock is 30 s behind Ann's."""
    ann, bob = laptop(tmp_path, "ann", ANN), laptop(tmp_path, "bob", BOB)
    incident = ann.start_incident("Riverside Mall").incident_id
    bob.insert_foreign([e.row() for e in ann.chain_events(incident, ann.device_id)])
    first = ann.add_note(incident, "first on Ann's laptop")
    bob.set_operator(ANN, incident)  # Ann walks to Bob's laptop
    between = bob.add_note(incident, "Ann on Bob's laptop")
    bob.set_operator(BOB, incident)
    last = ann.add_note(incident, "last on Ann's laptop")
    ann.insert_foreign(behind([e.row() for e in bob.chain_events(incident, bob.device_id)],
                              30_000))
    yield ann, bob, incident, (first, between, last)
    ann.close()
    bob.close()


def csv_rows(journal, incident, tmp_path) -> list[dict]:
    target = tmp_path / "ics214.csv"
    export_csv(activity_log(journal, incident), target)
    with open(target, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_ics_214_lists_every_laptops_entries_in_clock_order_with_their_laptop(
        two, tmp_path):
    ann, bob, incident, (first, between, last) = two
    rows = csv_rows(ann, incident, tmp_path)
    notes = [(r["name"], r["laptop"], r["notable_activity"]) for r in rows
             if "Note:" in r["notable_activity"]]
    assert notes == [  # by their clocks: the one from Bob's laptop, 30 s behind, first
        ("Ann Lee", bob.device_id, f"Note: Ann on Bob's laptop [laptop {bob.device_id}]"),
        ("Ann Lee", ann.device_id, f"Note: first on Ann's laptop [laptop {ann.device_id}]"),
        ("Ann Lee", ann.device_id, f"Note: last on Ann's laptop [laptop {ann.device_id}]")]
    assert verify_chain(ann, incident).intact
    assert {(r["name"], r["ics_position"]) for r in rows} == {
        ("Ann Lee", "Incident Commander"), ("Bob Lee", "Operations")}
    combined = verify_chain(ann, incident).combined
    assert combined and {r["chain_combined"] for r in rows} == {combined}
    assert {r["flags"] for r in rows} == {""}


def test_one_laptop_alone_prints_no_laptop_and_no_combined_digest(tmp_path):
    ann = laptop(tmp_path, "ann", ANN)
    incident = ann.start_incident("Riverside Mall").incident_id
    ann.add_note(incident, "alone")
    rows = csv_rows(ann, incident, tmp_path)
    assert [r["notable_activity"] for r in rows][-1] == "Note: alone"
    assert {(r["laptop"], r["chain_combined"]) for r in rows} == {("", "")}


def test_an_entry_written_before_laptops_is_placed_by_its_entered_time(two, tmp_path):
    ann, _bob, incident, (first, _between, last) = two
    with sqlite3.connect(ann.path) as db:  # as schema 5 wrote it: no laptop, no clock
        db.execute("DROP TRIGGER events_are_never_updated")
        db.execute("UPDATE events SET hlc = '', device = '' WHERE id = ?", (last.id,))
        db.execute("UPDATE events SET entered_at = '2000-01-01T00:00:00.000+00:00' "
                   "WHERE id = ?", (last.id,))
    rows = csv_rows(Journal(ann.path), incident, tmp_path)
    assert "last on Ann's laptop" in rows[0]["notable_activity"]  # the oldest, by its time


def test_odd_entries_are_flagged_on_the_log(two, tmp_path):
    ann, bob, incident, _notes = two
    now = hlc.wall_ms()
    ahead = clocked(bob.add_note(incident, "clock set wrong").row(), hlc.make(now + 7_200_000))
    close = ann.close_incident(incident)
    late = clocked(bob.add_note(incident, "still on the perimeter").row(),
                   hlc.make(hlc.parse(close.hlc)[0] + 5000))
    ann.insert_foreign([ahead, late], segment=dict(  # as a segment brings them
        incident_id=incident, device=bob.device_id, number=1, hash="0" * 64, bytes=b""))
    flags = {r["notable_activity"].split(" [")[0]: r["flags"]
             for r in csv_rows(ann, incident, tmp_path)}
    assert flags["Note: clock set wrong"] == (
        "its laptop's clock was 2 h 00 min ahead of this one's; "
        "written after the incident closed")
    assert flags["Note: still on the perimeter"] == "written after the incident closed"
    assert flags["Incident closed"] == ""


def test_a_step_changed_at_once_is_flagged_on_the_log(two, tmp_path):
    ann, bob, incident, _notes = two
    mine = ann.tick_step(incident, "tq", "tq/cover", "Move to cover")
    theirs = bob.step_event("na", incident, "tq", "tq/cover", "Move to cover")
    ann.insert_foreign([theirs.row()])
    rows = csv_rows(ann, incident, tmp_path)
    flagged = {r["notable_activity"].split(" [")[0]: r["flags"] for r in rows if r["flags"]}
    assert flagged == {"Done: Move to cover": "changed at the same time on another laptop",
                       "Marked not applicable: Move to cover":
                           "changed at the same time on another laptop"}
    assert mine.id != theirs.id


@needs_pdftotext
def test_the_ics_214_pdf_names_each_laptop_and_prints_the_combined_digest(two, tmp_path):
    ann, bob, incident, _notes = two
    target = tmp_path / "ics214.pdf"
    export_pdf(activity_log(ann, incident), target)
    text = words(" ".join(sheets_text(target, layout=False)))
    assert f"Note: Ann on Bob's laptop [laptop {bob.device_id}]" in text
    combined = verify_chain(ann, incident).combined
    assert f"Combined digest of 2 laptops' chains: {combined}" in text


@needs_pdftotext
def test_the_handover_names_the_other_laptop_and_a_step_changed_at_once(
        two, tmp_path, shipped_db):
    ann, bob, incident, _notes = two
    library = Library(ContentStore(shipped_db))
    doc = library.document("tourniquet")
    step, other = doc.steps[0], doc.steps[1]
    bob_tick = bob.tick_step(incident, doc.id, other.id, other.text)
    mine = ann.tick_step(incident, doc.id, step.id, step.text)
    theirs = clocked(bob.step_event("na", incident, doc.id, step.id, step.text).row(),
                     hlc.make(hlc.parse(mine.hlc)[0] + 1000))
    ann.insert_foreign([bob_tick.row(), theirs])
    path = tmp_path / "handover.pdf"
    handover_pdf(library, ann, incident, path, revision=library.revision)
    library.close()
    texts = sheets_text(path, layout=False)
    front, sheets = words(texts[0]), words(" ".join(texts[1:]))
    combined = verify_chain(ann, incident).combined
    assert f"Combined digest of 2 laptops' chains: {combined}" in front
    assert "Done by Bob Lee (Operations) at" in sheets
    assert f", on laptop {bob.device_id}" in sheets
    assert ("N/A by Bob Lee (Operations) at" in sheets
            and "CHANGED AT THE SAME TIME on this laptop: done by Ann Lee (Incident Commander)"
            in sheets)


def test_binder_verify_prints_the_combined_digest(two):
    ann, _bob, incident, _notes = two
    combined = verify_chain(ann, incident).combined
    result = subprocess.run(
        [sys.executable, "-m", "binder", "--data-dir", str(ann.path.parent), "verify", incident],
        capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert f"combined digest of 2 laptops' chains: {combined}" in result.stdout


def test_binder_export_prints_the_combined_digest_next_to_the_head(two, tmp_path):
    ann, _bob, incident, _notes = two
    chain = verify_chain(ann, incident)
    result = subprocess.run(
        [sys.executable, "-m", "binder", "--data-dir", str(ann.path.parent), "export", incident,
         "-o", str(tmp_path / "log.csv")], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert f"head {chain.head}, combined digest {chain.combined} (intact)" in result.stdout
