"""Contacts in and out of the window: CSV import and export (the ICS 205A PDF: contacts_pdf)."""

from __future__ import annotations

import csv
from pathlib import Path

from binder.journal.contacts import FIELDS, Contact, ContactBook, ContactsImportError, validate
from binder.paper.contacts_pdf import export_205a_pdf as export_205a_pdf  # the window's import
from binder.paper.csv_cells import cell_value, safe_row
from binder.paper.export import write_whole


def import_csv(book: ContactBook, path: Path | str) -> int:
    """Add or update the contacts of a CSV file with a header row of FIELDS, all or nothing.
    A row with a role and name already in the list updates it; otherwise it fills the role's
    empty row, or is added. Returns the number of rows imported."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            rows, problems = read_rows(file, path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ContactsImportError([f"{path}: cannot be read: {reason}"]) from None
    contacts, more = checked_rows(rows, path)
    if problems or more:
        raise ContactsImportError(problems + more)
    with book.writing():
        for contact in contacts:
            book._put(contact, merge=True)
    return len(contacts)


def read_rows(file, path: Path) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """(first line of each row, its cells); stops at a line the CSV reader cannot read."""
    reader, rows, start = csv.reader(file), [], 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        return rows, [f"{path}:{start}: this line cannot be read as CSV: {exc}"]
    return rows, []


def checked_rows(rows: list, path: Path) -> tuple[list[Contact], list[str]]:
    header = [cell.strip().casefold() for cell in rows[0][1]] if rows else []
    if sorted(header) != sorted(FIELDS):
        missing = [name for name in FIELDS if name not in header]
        extra = [name for name in header if name not in FIELDS or header.count(name) > 1]
        why = "; ".join([f"missing: {', '.join(missing)}"] * bool(missing)
                        + [f"unknown or repeated: {', '.join(extra)}"] * bool(extra))
        return [], [f"{path}:1: the first row must be the header {','.join(FIELDS)} ({why})"]
    contacts, problems, seen = [], [], {}
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{path}:{line}: {len(row)} columns, the header has {len(header)}")
            continue
        contact = Contact(**{name: cell_value(row[header.index(name)].strip())
                             for name in FIELDS})
        problems += [f"{path}:{line}: {message}" for message in validate(contact)]
        key = (contact.role.casefold(), contact.name.casefold())
        if key in seen:
            problems.append(f"{path}:{line}: the same role and name as line {seen[key]}")
        seen.setdefault(key, line)
        contacts.append(contact)
    return contacts, problems


def export_csv(book: ContactBook, path: Path | str) -> None:
    """Every contact, with the header row of FIELDS; UTF-8; no cell a spreadsheet runs as a
    formula (import_csv reads them back exactly); raises ExportError."""
    rows = [safe_row(getattr(contact, name) for name in FIELDS) for contact in book.contacts()]

    def write(temp: Path) -> None:
        with open(temp, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(FIELDS)
            writer.writerows(rows)

    write_whole(path, write)
