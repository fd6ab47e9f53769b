"""The journal: append-only events on disk at once; the state is derived from them."""

import shutil
import sqlite3

import pytest

from binder.core.journal import SCHEMA_VERSION, Journal, JournalError


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "data" / "journal.db")
    yield journal
    journal.close()


def test_tick_then_untick_is_derived_from_events(journal):
    journal.tick_step("tq", "tq/cover", "Move to cover")
    journal.tick_step("tq", "tq/apply", "Apply it")
    journal.untick_step("tq", "tq/cover", "Move to cover")
    states = journal.step_states("tq")
    assert states["tq/cover"].done is False
    assert states["tq/apply"].done is True
    assert [e.kind for e in journal.events()] == ["tick", "tick", "untick"]
    assert journal.step_states("other") == {}


def test_events_keep_the_step_text_and_a_utc_time_in_milliseconds(journal):
    event = journal.tick_step("tq", "tq/cover", "Move to cover if you can")
    stored = journal.events()[0]
    assert stored == event
    assert stored.step_text == "Move to cover if you can"
    assert stored.entered_at.endswith("+00:00") and len(stored.entered_at.split(".")[1]) == 9


def test_a_tick_survives_closing_and_reopening(tmp_path):
    path = tmp_path / "journal.db"
    first = Journal(path)
    first.tick_step("tq", "tq/cover", "Move to cover")
    first.close()
    second = Journal(path)
    assert second.step_states("tq")["tq/cover"].done is True
    second.close()


def test_a_tick_is_visible_to_another_connection_at_once(tmp_path, journal):
    journal.tick_step("tq", "tq/cover", "Move to cover")
    other = sqlite3.connect(journal.path)
    assert other.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_events_can_never_be_changed_or_deleted(journal):
    journal.tick_step("tq", "tq/cover", "Move to cover")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        journal.conn.execute("UPDATE events SET kind = 'untick'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        journal.conn.execute("DELETE FROM events")
    assert journal.step_states("tq")["tq/cover"].done is True


def test_journal_is_durable_wal_with_full_sync(journal):
    assert journal.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert journal.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert journal.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_journal_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "journal.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(JournalError, match="newer Binder"):
        Journal(path)
    assert path.read_bytes() == before


def test_a_damaged_journal_gives_a_message_and_is_not_overwritten(tmp_path):
    path = tmp_path / "journal.db"
    path.write_bytes(b"garbage, not sqlite " * 100)
    keep = tmp_path / "copy"
    shutil.copy(path, keep)
    with pytest.raises(JournalError, match="cannot be opened.*has not been changed"):
        Journal(path)
    assert path.read_bytes() == keep.read_bytes()


def test_unknown_event_kind_is_a_bug(journal):
    with pytest.raises(ValueError):
        journal.append("explode")
