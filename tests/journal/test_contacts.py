"""Contacts: kept in journal.db, seeded from the shipped page, validated, searched, CSV and PDF."""

import datetime as dt
import shutil
import subprocess

import pytest

from binder.content.store import ContentStore
from binder.journal.contacts import (
    FIELDS,
    SEEDED,
    Contact,
    ContactBook,
    ContactsError,
    ContactsImportError,
    stale,
    summary,
    table_contacts,
    validate,
)
from binder.journal.journal import Journal, Operator
from binder.paper.contacts_export import export_205a_pdf, export_csv, import_csv
from binder.search.library import Library

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")

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
    assert book.seed_from(shipped) == 21
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
    assert len(book.contacts()) == 20


def test_seeding_reads_a_library_and_the_contacts_survive_reopening(tmp_path, shipped_db):
    library = Library.open(shipped_db)
    journal = Journal(tmp_path / "journal.db")
    book = ContactBook(journal)
    assert book.seed_from(library) == 21
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
    assert len(contacts) == 21 and contacts[0] == ann and ann.name == "Ann Lee"
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


def test_csv_round_trip_merges_into_the_list(tmp_path, seeded):
    seeded.add(ANN)
    seeded.add(BO)
    out = tmp_path / "contacts.csv"
    export_csv(seeded, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(FIELDS) and len(lines) == 22
    before = seeded.contacts()
    assert import_csv(seeded, out) == 21
    assert seeded.contacts() == before  # the same rows again: nothing added, nothing changed

    other = ContactBook(Journal(tmp_path / "other.db"))
    assert import_csv(other, out) == 21
    assert [c.__dict__ | {"id": 0} for c in other.contacts()] == [
        c.__dict__ | {"id": 0} for c in before]
    other.journal.close()


def test_an_import_updates_by_role_and_name_and_fills_empty_rows(tmp_path, seeded):
    seeded.add(ANN)
    path = tmp_path / "in.csv"
    path.write_text("\ufeffRole,Name,Agency,Phone,Alt_Phone,Radio,Email,Notes,Verified\n"
                    "Incident Commander,Ann Lee,,555-010-0000,,,,,\n"
                    "Fire,Chief Ray,Station 1,555-010-7777,,,,\"two\nlines\",\n"
                    "Interpreter,Eva,,555-010-8888,,,,,\n", encoding="utf-8")
    assert import_csv(seeded, path) == 3
    assert seeded.contacts("Ann Lee")[0].phone == "555-010-0000"
    assert [c.name for c in seeded.contacts("fire")] == ["Chief Ray"]
    assert seeded.contacts("fire")[0].notes == "two\nlines"
    assert seeded.contacts()[-1].name == "Eva" and len(seeded.contacts()) == 22


def test_a_csv_with_bad_rows_names_every_line_and_imports_nothing(tmp_path, book):
    path = tmp_path / "bad.csv"
    path.write_text(
        ",".join(FIELDS) + "\n"
        "EMS,Bo Chan,,555-010-0456,,,,,\n"        # 2: fine
        ",No Role,,555-010-1111,,,,,\n"           # 3: no role
        "Fire,Ray,,12,,,ray@,,\n"                 # 4: phone and email
        "\n"                                      # 5: blank, skipped
        "Fire,\"Ray\n2\",,,,,,,3000-01-01\n"      # 6-7: a date in the future
        "EMS,bo chan,,,,,,,\n"                    # 8: the same as line 2
        "EMS,too,few\n", encoding="utf-8")        # 9: short
    with pytest.raises(ContactsImportError) as caught:
        import_csv(book, path)
    lines = [problem.removeprefix(f"{path}:") for problem in caught.value.problems]
    assert lines == [
        "3: ICS position or role: required (the ICS position or role this person fills)",
        "4: Phone: at least 7 digits are needed",
        "4: Email: not an email address (name@agency.gov)",
        "6: Last verified: this date is in the future",
        "8: the same role and name as line 2",
        "9: 3 columns, the header has 9",
    ]
    assert book.contacts() == []


@pytest.mark.parametrize("text, problem", [
    ("", ":1: the first row must be the header role,name,agency"),
    ("EMS,Bo,,,,,,,\n", "(missing: role, name, agency"),
    (",".join(FIELDS) + ",fax\n", "(unknown or repeated: fax)"),
])
def test_a_csv_without_its_header_is_refused(tmp_path, book, text, problem):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContactsImportError) as caught:
        import_csv(book, path)
    assert len(caught.value.problems) == 1 and problem in caught.value.problems[0]


def test_a_csv_that_cannot_be_read_is_reported(tmp_path, book):
    with pytest.raises(ContactsImportError, match="Nothing was imported") as caught:
        import_csv(book, tmp_path / "missing.csv")
    assert "cannot be read" in caught.value.problems[0]
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(FIELDS).encode() + b"\nEMS,Jos\xe9,,,,,,,\n")
    with pytest.raises(ContactsImportError, match="Nothing was imported"):
        import_csv(book, latin)


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@needs_pdftotext
def test_the_205a_pdf_is_marked_on_every_page_and_lists_every_role(tmp_path, seeded, qapp):
    seeded.add(ANN)
    seeded.add(Contact(role="EMS", name="Bo Chan", phone="555-010-0456", verified="2020-01-01"))
    for n in range(60):  # enough for a second page
        seeded.add(Contact(role="Mutual aid", name=f"Unit {n:02}", phone=f"555-010-{n:04}"))
    out = tmp_path / "205a.pdf"
    export_205a_pdf(seeded, out, incident_name="Mall shooting")
    text = pdf_text(out)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    for page in pages:
        assert page.count("NOT FOR PUBLIC RELEASE") == 2  # the box at the top and the footer
    assert "COMMUNICATIONS LIST (ICS 205A)" in text and "Mall shooting" in text
    for role in ("Incident Commander", "Safety Officer", "PSOB Office", "Mutual aid"):
        assert role in text
    assert "Ann Lee" in text and "(555) 010-0123" in text and "Unit 59" in text
    assert "2020-01-01" in text and "over 6 months" in text  # Bo's row is marked
    assert f"Page 1 of {len(pages)}" in text
    assert "Prepared by" in text and dt.date.today().isoformat() in text
    assert not list(tmp_path.glob(".205a.pdf.*"))  # the temporary file was renamed
