"""Tampering by hand with sqlite3, as someone with the file would: verify must say so."""

import contextlib
import sqlite3

import pytest

from binder.journal.anchor import anchor_path
from binder.journal.incidents import incidents_from
from binder.journal.journal import EVENT_FIELDS, Journal, Operator, event_hash, verify_chain
from binder.journal.verify import statement, verify_all
from binder.paper.paper_html import chain_html

ANN = Operator("Ann Lee", "Incident Commander", "Springfield PD")


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "journal.db"


@pytest.fixture
def incident(path):
    """An incident with five ticks, written and closed like any other; the journal is shut."""
    journal = Journal(path)
    journal.set_operator(ANN)
    incident = journal.start_incident("Mall shooting").incident_id
    for n in range(5):
        journal.tick_step(incident, "tq", f"tq/{n}", f"Step {n}")
    journal.close()
    return incident


def tamper(path, *statements):
    """Drop the append-only triggers in the file and run SQL on it, outside Binder."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("DROP TRIGGER IF EXISTS events_are_never_updated")
        db.execute("DROP TRIGGER IF EXISTS events_are_never_deleted")
        for sql, args in statements:
            db.execute(sql, args)
        db.commit()


def rechain(path, chain):
    """Recompute every hash of a chain with plain SHA-256, exactly as `event_hash` does."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        rows = db.execute(f"SELECT seq, {', '.join(EVENT_FIELDS)} FROM events "
                          "WHERE incident_id = ? ORDER BY seq", (chain,)).fetchall()
        prev = ""
        for row in rows:
            values = dict(zip(("seq", *EVENT_FIELDS), row, strict=True))
            values = {k: ("" if v is None else v) for k, v in values.items()}
            digest = event_hash(prev, values)
            db.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?",
                       (prev, digest, values["seq"]))
            prev = digest
        db.commit()


def verify(path, incident, **kwargs):
    with contextlib.closing(Journal(path, **kwargs)) as journal:
        return verify_chain(journal, incident)


def test_an_untouched_journal_is_intact_and_says_what_it_proves(path, incident):
    report = verify(path, incident)
    assert report.intact and report.count == 6
    assert "6 entries unchanged since they were written, and none removed" in report.proves
    assert "journal.anchor" in report.proves
    assert "rewrite both" in report.cannot_prove and report.notes == ()


def test_every_append_records_the_head_in_the_anchor_after_commit(path, incident):
    journal = Journal(path)
    event = journal.tick_step(incident, "tq", "tq/9", "Step 9")
    last = anchor_path(path).read_text().splitlines()[-1].split("\t")
    assert last[:3] == [str(event.seq), incident, event.hash]
    journal.close()


def test_removing_the_last_events_is_detected(path, incident):
    tamper(path, ("DELETE FROM events WHERE seq IN "
                  "(SELECT seq FROM events ORDER BY seq DESC LIMIT 2)", ()))
    report = verify(path, incident)
    assert not report.intact
    assert "is no longer in the journal: entries were removed" in report.problem


def test_removing_the_close_event_is_detected(path, incident):
    journal = Journal(path)
    journal.close_incident(incident)
    journal.close()
    tamper(path, ("DELETE FROM events WHERE kind = 'close'", ()))
    with contextlib.closing(Journal(path)) as journal:
        assert incidents_from(journal.events())[0].is_open  # it looks open again...
        report = verify_chain(journal, incident)
    assert not report.intact and "entries were removed" in report.problem  # ...and verify says


def test_an_edit_rechained_with_plain_sha256_is_detected(path, incident):
    tamper(path, ("UPDATE events SET step_text = 'Step two, done' WHERE step_id = 'tq/2'", ()))
    rechain(path, incident)
    report = verify(path, incident)
    assert not report.intact
    assert "were rewritten after" in report.problem and "journal.anchor" in report.problem


def test_an_operator_change_outside_an_incident_is_checked_too(path, incident):
    tamper(path, ("UPDATE events SET data = ? WHERE kind = 'operator' AND incident_id = ''",
                  ('{"agency": "Shelbyville PD"}',)))
    report = verify(path, incident)
    assert not report.intact
    assert "changes of operator" in report.problem and "was changed" in report.problem
    rechain(path, "")
    report = verify(path, incident)
    assert not report.intact and "were rewritten after" in report.problem


def test_a_journal_one_event_ahead_of_its_anchor_is_explained_not_alarmed(path, incident):
    anchor = anchor_path(path)
    lines = anchor.read_text().splitlines(keepends=True)
    anchor.write_text("".join(lines[:-1]))  # as if Binder stopped between COMMIT and the anchor
    report = verify(path, incident)
    assert report.intact
    assert any("newest 1 entry was saved after the last head" in n for n in report.notes)


def test_a_torn_anchor_line_is_ended_before_the_next_one(path, incident):
    anchor = anchor_path(path)
    anchor.write_text(anchor.read_text()[:-20])  # a crash in the middle of the last line
    journal = Journal(path)
    journal.tick_step(incident, "tq", "tq/7", "Step 7")
    report = verify_chain(journal, incident)
    journal.close()
    assert report.intact and report.notes == ()


def test_a_missing_anchor_cannot_prove_nothing_was_removed(path, incident):
    anchor_path(path).unlink()
    tamper(path, ("DELETE FROM events WHERE seq = (SELECT MAX(seq) FROM events)", ()))
    report = verify(path, incident, read_only=True)
    assert report.intact and report.count == 5  # the hashes still agree with each other
    assert report.cannot_prove.startswith(
        "that no entries were removed (there is no journal.anchor beside the journal)")
    again = verify(path, incident)  # opened for writing: a new anchor is started, and says so
    assert "that no entries were removed before journal.anchor was started" in again.cannot_prove


def test_verify_prints_the_head_what_it_proves_and_what_it_cannot(path, incident):
    with contextlib.closing(Journal(path)) as journal:
        report = verify_chain(journal, incident)
        head = journal.events(incident)[-1].hash
    lines = statement("Mall shooting", report)
    assert lines[0] == f"intact: Mall shooting, 6 entries, head {head}"
    assert lines[1].startswith("proves: 6 entries unchanged")
    assert lines[2].startswith("cannot prove: that someone able to write both")


def test_a_handover_of_a_broken_chain_still_prints_the_head(path, incident):
    tamper(path, ("UPDATE events SET step_text = 'Changed' WHERE step_id = 'tq/1'", ()))
    report = verify(path, incident)
    html = chain_html(report)
    assert "BROKEN" in html and f"head now <span class='hash'>{report.head}</span>" in html


def test_a_whole_incident_removed_is_found_by_verifying_the_whole_journal(path, incident):
    journal = Journal(path)
    other = journal.start_incident("Flood").incident_id
    journal.close()
    tamper(path, ("DELETE FROM events WHERE incident_id = ?", (incident,)))
    with contextlib.closing(Journal(path)) as journal:
        assert [i.name for i in incidents_from(journal.events())] == ["Flood"]
        reports = dict(verify_all(journal))
    assert reports[other].intact and reports[""].intact
    assert not reports[incident].intact and "entries were removed" in reports[incident].problem


def test_an_anchor_removed_while_binder_runs_is_started_again_and_says_when(path, incident):
    journal = Journal(path)
    anchor_path(path).unlink()
    journal.tick_step(incident, "tq", "tq/8", "Step 8")
    report = verify_chain(journal, incident)
    journal.close()
    assert report.intact and report.count == 7
    assert "that no entries were removed before journal.anchor was started" in report.cannot_prove
