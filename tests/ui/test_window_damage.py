"""The window over a damaged journal: it opens, says what was lost, and keeps taking ticks."""

from binder.journal.journal import Journal
from tests.journal.test_damage import bad_utf8_journal


def test_an_unreadable_entry_is_said_and_the_window_works(make_window, tmp_path, qtbot):
    data = tmp_path / "data"
    path, events = bad_utf8_journal(data)
    journal = Journal(path)
    journal.set_setting("current_incident", events[1].incident_id)
    journal.close()
    window = make_window(data=data, operator=None)
    qtbot.waitUntil(lambda: "could not be read" in window.document_view.toPlainText())
    text = window.document_view.toPlainText()
    assert "The activity journal was damaged" in text
    assert f"could not be read (seq {events[3].seq})" in text
    assert window.session.incident is not None and window.session.incident.name == "Mall shooting"
    window.open_document("tourniquet")
    window.checklist_view.rows["tourniquet/cover"].checkbox.click()
    assert [e.kind for e in window.journal.events()][-1] == "tick"


def test_a_damaged_content_db_is_refused_with_a_message(make_window, content_db):
    from tests.content.test_content_damage import scramble_index

    scramble_index(content_db, "body_fts")
    window = make_window(db=content_db)
    text = window.document_view.toPlainText()
    assert "The binder's content cannot be opened" in text and "is damaged" in text
    assert not window.search_box.isEnabled()
