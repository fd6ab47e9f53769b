"""The command board's data: checklists across laptops, who logs where, changes made at once,
clocks far ahead and entries after the close, read from real journals of two laptops."""

from __future__ import annotations

import sqlite3

from binder.journal import hlc
from binder.journal.journal import Journal, Operator, event_hash
from binder.sync.board import BoardReader, command_board

DOC = "active-assailant"
PAGES = {DOC: ("Active assailant", ["s1", "s2", "s3", "s4"]),
         "evacuation": ("Evacuation", ["e1", "e2"])}


def laptop(tmp_path, name: str, position: str) -> Journal:
    journal = Journal(tmp_path / name / "journal.db")
    journal.set_operator(Operator(f"{name.title()} Lee", position))
    return journal


def send(source: Journal, target: Journal, incident_id: str) -> int:
    return target.insert_foreign(
        [event.row() for event in source.chain_events(incident_id, source.device_id)])


def tick(journal: Journal, incident: str, step: str, doc: str = DOC, kind: str = "tick"):
    return journal.step_event(kind, incident, doc, step, f"Step {step}")


def two_laptops(tmp_path):
    ann, bob = laptop(tmp_path, "ann", "IC"), laptop(tmp_path, "bob", "Operations")
    incident = ann.start_incident("School").incident_id
    send(ann, bob, incident)
    return ann, bob, incident


def test_each_checklist_counts_done_na_and_open_steps_from_every_laptop(tmp_path):
    ann, bob, incident = two_laptops(tmp_path)
    tick(ann, incident, "s1")
    tick(bob, incident, "s2", kind="na")
    tick(bob, incident, "s3")
    tick(bob, incident, "s3", kind="untick")
    tick(bob, incident, "e1", doc="evacuation", kind="done_before")
    send(bob, ann, incident)
    board = command_board(ann, incident, PAGES)
    rows = [(c.doc_id, c.title, c.done, c.not_applicable, c.open, c.total)
            for c in board.checklists]
    assert rows == [(DOC, "Active assailant", 1, 1, 2, 4), ("evacuation", "Evacuation", 1, 0, 1, 2)]
    assert set(board.checklists[0].laptops) == {ann.device_id, bob.device_id}
    assert board.checklists[1].laptops == (bob.device_id,)


def test_a_checklist_no_longer_in_the_content_is_still_listed_by_its_id(tmp_path):
    ann, _bob, incident = two_laptops(tmp_path)
    tick(ann, incident, "x1", doc="old-page")
    board = command_board(ann, incident, PAGES)
    assert [(c.title, c.done, c.total) for c in board.checklists] == [("old-page", 1, 1)]


def test_who_is_logging_where_and_each_laptops_last_contact(tmp_path):
    ann, bob, incident = two_laptops(tmp_path)
    tick(ann, incident, "s1")
    bob.set_operator(Operator("Cy Park", "Safety"), incident)
    note = bob.add_note(incident, "Perimeter set")
    send(bob, ann, incident)
    board = command_board(ann, incident, PAGES, last_segments={bob.device_id: "2026-11-26T14:00"})
    mine, other = board.laptops
    assert (mine.device, mine.this_one, mine.entries, mine.label) == (
        ann.device_id, True, 2, "Ann Lee (IC)")
    assert (other.device, other.this_one, other.entries, other.label) == (
        bob.device_id, False, 2, "Cy Park (Safety)")
    assert other.last_entry == note.entered_at and other.last_segment == "2026-11-26T14:00"
    assert mine.last_segment == ""


def test_entries_from_before_laptops_count_as_this_laptops(tmp_path):
    ann = laptop(tmp_path, "ann", "IC")
    incident = ann.start_incident("Old").incident_id
    with sqlite3.connect(ann.path) as db:
        db.execute("DROP TRIGGER events_are_never_updated")
        db.execute("UPDATE events SET device = '', hlc = ''")
    ann = Journal(ann.path)
    tick(ann, incident, "s1")
    board = command_board(ann, incident, PAGES)
    assert [(laptop.device, laptop.entries) for laptop in board.laptops] == [(ann.device_id, 2)]
    assert board.checklists[0].laptops == (ann.device_id,)


def test_a_step_changed_at_once_on_two_laptops_is_shown_until_someone_settles_it(tmp_path):
    ann, bob, incident = two_laptops(tmp_path)
    first = tick(ann, incident, "s1")
    second = tick(bob, incident, "s1", kind="na")
    send(ann, bob, incident)
    send(bob, ann, incident)
    board = command_board(ann, incident, PAGES)
    [pair] = board.at_once
    assert {pair.first.id, pair.second.id} == {first.id, second.id}
    assert {(e.operator, e.position, e.status, e.device) for e in (pair.first, pair.second)} == {
        ("Ann Lee", "IC", "done", ann.device_id), ("Bob Lee", "Operations", "N/A", bob.device_id)}
    assert pair.unresolved and pair.step_text == "Step s1"
    shown = ann.step_history(incident, DOC, "s1").current().kind  # the newer (hlc, then seq)
    assert (board.checklists[0].done, board.checklists[0].not_applicable) == (
        (1, 0) if shown == "tick" else (0, 1))
    tick(ann, incident, "s1", kind="untick")
    [pair] = command_board(ann, incident, PAGES).at_once
    assert not pair.unresolved  # still listed: the record shows it
    assert command_board(ann, incident, PAGES).checklists[0].open == 4


def test_steps_one_laptop_changed_after_another_are_not_at_once(tmp_path):
    ann, bob, incident = two_laptops(tmp_path)
    tick(ann, incident, "s1")
    send(ann, bob, incident)
    tick(bob, incident, "s1", kind="untick")
    tick(bob, incident, "s1", kind="na")
    send(bob, ann, incident)
    board = command_board(ann, incident, PAGES)
    assert board.at_once == []
    assert (board.checklists[0].not_applicable, board.checklists[0].done) == (1, 0)


def foreign_note(source: Journal, incident: str, text: str, clock: str) -> dict:
    """A note as another laptop wrote it, with its clock set (and hashed) as given."""
    row = source.add_note(incident, text).row()
    row["hlc"] = clock
    row["hash"] = event_hash(row["prev_hash"], row)
    return row


def test_an_entry_with_a_clock_far_ahead_is_flagged_and_one_a_little_ahead_is_not(tmp_path):
    ann, bob, incident = two_laptops(tmp_path)
    now = hlc.wall_ms()
    far = foreign_note(bob, incident, "clock set to tomorrow", hlc.make(now + 86_400_000))
    cy = laptop(tmp_path, "cy", "PIO")
    send(ann, cy, incident)
    near = foreign_note(cy, incident, "a bit fast", hlc.make(now + 30_000))
    for row, laptop_ in ((far, bob), (near, cy)):  # each as a segment of its laptop brings it
        ann.insert_foreign([row], segment=dict(incident_id=incident, device=laptop_.device_id,
                                               number=1, hash="0" * 64, bytes=b""))
    board = command_board(ann, incident, PAGES, now_ms=now)
    assert [(e.id, e.text, e.device) for e in board.clock_ahead] == [
        (far["id"], "clock set to tomorrow", bob.device_id)]
    assert 86_390_000 < board.clock_ahead[0].ahead_ms <= 86_400_000
    # still flagged a day later, when this laptop's clock has passed the entry's
    assert command_board(ann, incident, PAGES, now_ms=now + 2 * 86_400_000).clock_ahead


def test_entries_from_a_cut_off_laptop_after_the_close_are_kept_and_flagged(tmp_path):
    ann, bob, incident = two_laptops(tmp_path)
    before = tick(ann, incident, "s1")
    close = ann.close_incident(incident)
    late = foreign_note(bob, incident, "Still at the perimeter",
                        hlc.make(hlc.parse(close.hlc)[0] + 5_000))
    ann.insert_foreign([late])
    board = command_board(ann, incident, PAGES)
    assert [(e.id, e.operator, e.text) for e in board.after_close] == [
        (late["id"], "Bob Lee", "Still at the perimeter")]
    assert before.id not in {e.id for e in board.after_close}
    assert command_board(bob, incident, PAGES).after_close == []  # Bob never saw a close


def test_an_open_incident_has_nothing_after_its_close(tmp_path):
    ann, bob, incident = two_laptops(tmp_path)
    tick(bob, incident, "s1")
    send(bob, ann, incident)
    assert command_board(ann, incident, PAGES).after_close == []


def test_a_step_whose_entries_arrived_out_of_order_shows_its_newest_current_entry(tmp_path):
    ann, bob, incident = two_laptops(tmp_path)
    cy = laptop(tmp_path, "cy", "PIO")
    tick(ann, incident, "s1")
    send(ann, bob, incident)
    tick(bob, incident, "s1", kind="untick")  # after Bob saw Ann's tick
    send(bob, cy, incident)  # Cy gets Bob's untick before Ann's tick
    send(ann, cy, incident)
    board = command_board(cy, incident, PAGES)
    assert (board.checklists[0].done, board.checklists[0].open) == (0, 4)
    assert board.at_once == []


def sqlite_steps(journal: Journal, read) -> int:
    """How much SQLite works (virtual machine steps, in hundreds) while `read` runs."""
    steps = [0]

    def count():
        steps[0] += 1
        return 0

    journal.conn.set_progress_handler(count, 100)
    try:
        read()
    finally:
        journal.conn.set_progress_handler(None, 100)
    return steps[0]


def test_a_board_kept_up_to_date_reads_only_what_is_new(tmp_path):
    ann, bob, incident = two_laptops(tmp_path)
    ann.conn.execute("PRAGMA synchronous = OFF")  # setting up only
    for n in range(600):
        tick(ann, incident, f"s{n % 4 + 1}", kind="untick" if n // 4 % 2 else "tick")
    reader = BoardReader(ann, incident)
    first = sqlite_steps(ann, lambda: reader.read(PAGES))
    tick(bob, incident, "e1", doc="evacuation")
    send(bob, ann, incident)
    again = sqlite_steps(ann, lambda: reader.read(PAGES))
    assert again * 10 < first, (first, again)
    board = reader.read(PAGES)
    assert [(laptop.device, laptop.entries) for laptop in board.laptops] == [
        (ann.device_id, 601), (bob.device_id, 1)]
    assert board == command_board(ann, incident, PAGES)  # the same as read afresh


def test_each_laptops_last_contact_is_when_its_newest_segment_came(tmp_path):
    ann, bob, incident = two_laptops(tmp_path)
    row = bob.add_note(incident, "Perimeter set").row()
    ann.insert_foreign([row], segment=dict(incident_id=incident, device=bob.device_id, number=1,
                                           hash="0" * 64, bytes=b""))
    stored = ann.conn.execute("SELECT stored_at FROM segments").fetchone()[0]
    board = command_board(ann, incident, PAGES)
    assert board.laptop(bob.device_id).last_segment == stored
    assert board.laptop(ann.device_id).last_segment == ""
