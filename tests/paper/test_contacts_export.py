"""Contacts in and out of journal.db: CSV import and export, and the ICS 205A PDF."""

import datetime as dt
import shutil
import subprocess

import pytest

from binder.journal.contacts import FIELDS, Contact, ContactBook, ContactsImportError
from binder.journal.journal import Journal
from binder.paper.contacts_export import export_205a_pdf, export_csv, import_csv
from tests.journal.test_contacts import ANN, BO

# The fixtures book and seeded (a contact book in a new journal, seeded from the shipped page) are
# tests/journal/test_contacts.py's, made available here by tests/paper/conftest.py.

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


def test_csv_round_trip_merges_into_the_list(tmp_path, seeded):
    seeded.add(ANN)
    seeded.add(BO)
    out = tmp_path / "contacts.csv"
    export_csv(seeded, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(FIELDS) and len(lines) == 23
    before = seeded.contacts()
    assert import_csv(seeded, out) == 22
    assert seeded.contacts() == before  # the same rows again: nothing added, nothing changed

    other = ContactBook(Journal(tmp_path / "other.db"))
    assert import_csv(other, out) == 22
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
    assert seeded.contacts()[-1].name == "Eva" and len(seeded.contacts()) == 23


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
        "6: Name: has a line break: write it on one line",
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
