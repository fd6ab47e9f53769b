"""Names in the journal: a broken or control character is refused at the door, and one saved
before that was checked never blocks a tick."""

import json
import sqlite3

import pytest

from binder.journal.contacts import Contact, validate
from binder.journal.journal import Journal, JournalError, Operator
from binder.journal.names import readable, text_problem

ANN = Operator("Ann Lee", "Incident Commander", "Springfield PD")


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    yield journal
    journal.close()


def test_a_lone_surrogate_in_the_operator_name_is_refused_and_ticks_still_save(journal):
    journal.set_operator(ANN)
    incident = journal.start_incident("Mall").incident_id
    with pytest.raises(JournalError, match="The operator's name has a broken character"):
        journal.set_operator(Operator("Ann \ud800", "Incident Commander"), incident)
    assert journal.operator == ANN
    event = journal.tick_step(incident, "tq", "tq/cover", "Move to cover")
    assert event.operator == "Ann Lee"


@pytest.mark.parametrize("field, value", [
    ("name", "Mall\x07"), ("name", "Mall \x1b[31m"), ("name", "Mall \u202ella"),
    ("incident_type", "Fire\x00"), ("location", "North\nMall"), ("name", "Mall \udcff"),
])
def test_control_direction_and_broken_characters_are_refused_in_an_incident(journal, field,
                                                                             value):
    journal.set_operator(ANN)
    values = {"name": "Mall", field: value}
    with pytest.raises(JournalError, match=r"has a (control|broken) character|turns the text|"
                                           "has a line break"):
        journal.start_incident(**values)
    assert journal.events() == [e for e in journal.events() if e.kind != "start"]


def test_a_note_keeps_its_lines_and_refuses_control_characters(journal):
    journal.set_operator(ANN)
    incident = journal.start_incident("Mall").incident_id
    assert journal.add_note(incident, "two\nlines\tand a tab").data["text"] == \
        "two\nlines\tand a tab"
    with pytest.raises(JournalError, match="has a control character"):
        journal.add_note(incident, "bell\x07")
    with pytest.raises(JournalError, match="has a broken character"):
        journal.add_note(incident, "half \ud83d")


def test_an_operator_saved_with_a_lone_surrogate_blocks_no_tick(tmp_path):
    path = tmp_path / "journal.db"
    Journal(path).close()
    conn = sqlite3.connect(path)  # as an older Binder left it: escaped JSON holds it fine
    with conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('operator', ?)",
                     (json.dumps({"name": "Ann \ud800", "position": "IC\x07",
                                  "agency": "PD"}),))
    conn.close()
    journal = Journal(path)
    assert journal.operator == Operator("Ann \ufffd", "IC\ufffd", "PD")
    incident = journal.start_incident("Mall").incident_id
    tick = journal.tick_step(incident, "tq", "tq/cover", "Move to cover")
    assert tick.operator == "Ann \ufffd"
    journal.close()


def test_contact_fields_refuse_control_characters_and_notes_keep_lines():
    contact = Contact(role="Fire\x07", name="Ray \u202e", notes="two\nlines", phone="555-0101-7")
    assert validate(contact) == [
        "ICS position or role: has a control character (U+0007): type it without it",
        "Name: has a character that turns the text around (U+202E): type it without it",
    ]


def test_readable_replaces_only_what_is_refused():
    assert readable("Ann Lee") == "Ann Lee"
    assert readable("Ann \ud800\x07 Lee \u00e9") == "Ann \ufffd\ufffd Lee \u00e9"
    assert text_problem("Zoë Ngữ 李 👩‍🚒") == ""
