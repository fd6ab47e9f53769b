"""The Big List of Naughty Strings as names, places and notes: each is saved exactly or refused
with a message, and no later tick is ever blocked."""

from binder.journal.contacts import Contact, ContactBook, ContactsError, validate
from binder.journal.journal import Journal, JournalError, Operator
from binder.journal.names import text_problem
from tests.hostile_pages import naughty_strings


def test_each_naughty_name_is_saved_exactly_or_refused_and_ticks_go_on(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    journal.set_operator(Operator("Ann Lee", "Incident Commander"))
    incident = journal.start_incident("Mall").incident_id
    refused = 0
    for number, text in enumerate(naughty_strings()):
        try:
            journal.set_operator(Operator(text, text, text), incident)
            started = journal.start_incident(text, location=text)
            note = journal.add_note(incident, text)
        except JournalError as exc:
            refused += 1
            assert text_problem(text) and str(exc).endswith(f"{text_problem(text)}.")
        else:
            assert not text_problem(text)
            assert journal.operator == Operator(text, text, text)
            assert started.data["name"] == text and note.data["text"] == text
        tick = journal.tick_step(incident, "tq", f"tq/s{number}", "A step")
        assert tick.operator == journal.operator.name
    assert 10 < refused < len(naughty_strings()) // 2
    journal.close()


def test_each_naughty_contact_is_saved_exactly_or_refused_with_a_message(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    book = ContactBook(journal)
    for number, text in enumerate(naughty_strings()):
        contact = Contact(role=f"Role {number}", name=text, agency=text, radio=text, notes=text)
        text = text.strip()  # as a contact is saved
        if validate(Contact(role="r", name=text, agency=text, radio=text, notes=text)):
            assert text_problem(text)
            try:
                book.add(contact)
            except ContactsError:
                continue
            raise AssertionError(f"saved a contact with {text!r}")
        saved = book.add(contact)
        assert (saved.name, saved.agency, saved.radio, saved.notes) == (text,) * 4, text
    journal.close()
