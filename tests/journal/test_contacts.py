"""Contacts: kept in journal.db, seeded from the shipped page, validated, searched (CSV and
the 205A PDF: tests/paper/test_contacts_export.py)."""

import datetime as dt

import pytest

from binder.content.store import ContentStore
from binder.journal.contacts import (
    SEEDED,
    Contact,
    ContactBook,
    ContactsError,
    stale,
    summary,
    table_contacts,
    validate,
)
from binder.journal.journal import Journal, Operator
from binder.search.library import Library

ANN = Contact(role="Incident Commander", name="Ann Lee", agency="Springfield PD Patrol",
              phone="(555) 010-0123", alt_phone="555.010.9999 ext 12", radio="TAC 3",
              email="ann.lee@springfield.gov", notes="Day shift", verified="2026-01-10")
BO = Contact(role="EMS", name="Bo Chan", agency="County EMS", phone="+1 555 020 0456",
             verified="2026-01-10")
TODAY = dt.date(2026, 3, 1)
FIRST_ROLES = ["Incident Commander", "Deputy Incident Commander",
               "Public Information Officer (PIO)", "Safety Officer"]


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "data" / "journal.db")
    journal.set_operator(Operator("Ann Lee", "Incident Commander", "Springfield PD"))
    yield journal
    journal.close()


@pytest.fixture
def book(journal):
    return ContactBook(journal)


@pytest.fixture
def shipped(shipped_db):
    store = ContentStore(shipped_db)
    yield store
    store.close()


@pytest.fixture
def seeded(book, shipped):
    book.seed_from(shipped)
    return book


def test_seeding_copies_every_role_of_the_shipped_page_once(book, shipped, journal):
    assert book.seed_from(shipped) == 22
    contacts = book.contacts()
    assert [c.role for c in contacts[:4]] == FIRST_ROLES
    assert contacts[-1].role == "PSOB Office"
    assert all(c.empty and not c.name for c in contacts)
    assert [c.order for c in contacts] == sorted(c.order for c in contacts)
    # The MVAI page is of kind contacts too, but its table has no role column.
    assert not any("MVAI" in c.role for c in contacts)
    assert journal.setting(SEEDED)
    book.delete(contacts[0].id)
    assert book.seed_from(shipped) == 0  # once per journal: a deleted role stays deleted
    assert len(book.contacts()) == 21


def test_seeding_reads_a_library_and_the_contacts_survive_reopening(tmp_path, shipped_db):
    library = Library.open(shipped_db)
    journal = Journal(tmp_path / "journal.db")
    book = ContactBook(journal)
    assert book.seed_from(library) == 22
    book.add(ANN)
    journal.close()
    library.close()
    again = ContactBook(Journal(tmp_path / "journal.db"))
    assert again.contacts("ann")[0].phone == ANN.phone
    again.journal.close()


def test_a_pages_filled_in_table_seeds_its_values_and_other_tables_none():
    markdown = ("| Role | Name | Phone | Last verified |\n|---|---|---|---|\n"
                "| **Fire** | [Chief Ray](x.md) | 555-010-7777 | not a date |\n\n"
                "| Resource | Phone |\n|---|---|\n| MVAI | 555-010-1111 |\n")
    assert list(table_contacts(markdown)) == [
        Contact(role="Fire", name="Chief Ray", phone="555-010-7777")]


def test_add_fills_the_roles_empty_row_and_update_keeps_its_place(seeded):
    ann = seeded.add(ANN)
    contacts = seeded.contacts()
    assert len(contacts) == 22 and contacts[0] == ann and ann.name == "Ann Lee"
    second = seeded.add(Contact(role="incident commander", name="Cy Dee", phone="555-010-3333"))
    assert [c.name for c in seeded.contacts()[:3]] == ["Ann Lee", "Cy Dee", ""]
    new_role = seeded.add(Contact(role="Red Cross", name="Dee", phone="555-010-4444"))
    assert seeded.contacts()[-1] == new_role
    moved = seeded.update(Contact(**{**second.__dict__, "role": "EMS", "name": "Cy D."}))
    assert moved.order == seeded.contacts("EMS")[0].order
    assert [c.name for c in seeded.contacts("EMS")] == ["", "Cy D."]


def test_delete_is_soft_and_restore_brings_it_back_exactly(book):
    ann = book.add(ANN)
    book.delete(ann.id)
    assert book.contacts() == [] and book.contact(ann.id) is None
    assert book.conn.execute("SELECT deleted FROM contacts WHERE id = ?",
                             (ann.id,)).fetchone() == (1,)
    book.restore(ann.id)
    assert book.contacts() == [ann]
    book.delete(ann.id)
    bo = book.add(BO)
    book.restore(ann.id)
    assert book.contacts() == [ann, bo]  # each keeps its own place


def test_an_invalid_contact_is_refused_and_nothing_saved(book):
    with pytest.raises(ContactsError, match="Phone: at least 7 digits"):
        book.add(Contact(role="EMS", phone="911"))
    with pytest.raises(ContactsError, match="no longer in the list"):
        book.update(Contact(id=999, role="EMS"))
    assert book.contacts() == []


@pytest.mark.parametrize("text, count", [
    ("ann", 1), ("ANN springfield", 1), ("tac 3", 1), ("ann ems", 0), ("county", 1),
    ("5550100123", 1), ("555-010-0123", 1), ("010 0123", 1), ("0100123", 1),
    ("5550109999", 1), ("020 0456", 1), ("555", 2), ("nobody", 0), ("", 2),
])
def test_filter_is_every_word_in_some_field_and_numbers_by_digits(book, text, count):
    book.add(ANN)
    book.add(BO)
    assert len(book.contacts(text)) == count


def test_search_finds_filled_contacts_only_and_has_a_limit(seeded):
    seeded.add(Contact(role="Hospital 2", name="Mercy ER desk", phone="555-010-2222"))
    hits = seeded.search("hospital")
    assert [h.role for h in hits] == ["Hospital 2"]
    assert summary(hits[0]) == "Hospital 2 · 555-010-2222"
    for index in range(7):
        seeded.add(Contact(role=f"Desk {index}", name="Eve", phone=f"555-010-300{index}"))
    assert len(seeded.search("e", limit=5)) == 5
    assert seeded.search("  ") == []


def test_roles_not_filled_in_are_not_search_hits(seeded):
    assert seeded.search("incident commander") == []
    seeded.add(ANN)
    assert [c.name for c in seeded.search("incident commander")] == ["Ann Lee"]
    assert "Deputy Incident Commander" in seeded.roles()  # still listed on the Contacts page


@pytest.mark.parametrize("field, value, problem", [
    ("phone", "555-010-0123", None),
    ("phone", "+1 (555) 010-0123", None),
    ("phone", "555.010.0123 x12", None),
    ("phone", "555 010 0123 ext. 4", None),
    ("phone", "", None),
    ("alt_phone", "5550100", None),
    ("phone", "555-010", "Phone: at least 7 digits"),
    ("phone", "call dispatch", "Phone: use digits"),
    ("alt_phone", "555-010-0123 #4", "Alternate phone: use digits"),
    ("email", "ann.lee@springfield.gov", None),
    ("email", "", None),
    ("email", "ann.lee", "Email: not an email address"),
    ("email", "ann@springfield", "Email: not an email address"),
    ("email", "ann@@x.gov", "Email: not an email address"),
    ("email", "Ann <ann@x.gov>", "Email: not an email address"),
    ("email", "ann lee@x.gov", "Email: not an email address"),
    ("email", "ann@.gov", "Email: not an email address"),
    ("verified", "2026-02-28", None),
    ("verified", "2026-03-01", None),
    ("verified", "", None),
    ("verified", "2026-03-02", "Last verified: this date is in the future"),
    ("verified", "2026-02-30", "Last verified: a date as YYYY-MM-DD"),
    ("verified", "1/2/2026", "Last verified: a date as YYYY-MM-DD"),
    ("role", "", "ICS position or role: required"),
])
def test_validation(field, value, problem):
    problems = validate(Contact(**{"role": "EMS", field: value}), today=TODAY)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith(problem)


@pytest.mark.parametrize("contact, expected", [
    (Contact(role="EMS"), False),  # an empty role row: nothing to verify
    (Contact(role="EMS", name="Bo", verified="2025-09-01"), False),
    (Contact(role="EMS", name="Bo", verified="2025-08-31"), True),
    (Contact(role="EMS", phone="555-010-0456", verified="2026-02-01"), False),
    (Contact(role="EMS", name="Bo"), True),  # filled in and never verified
])
def test_a_contact_is_stale_after_six_months(contact, expected):
    assert stale(contact, today=TODAY) is expected
