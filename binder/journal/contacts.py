"""The agency's contacts (ICS 205A) in journal.db: edit, filter, search, CSV and a 205A PDF."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, replace

from binder.journal.journal import Journal, JournalError, transaction, utc_now
from binder.journal.names import text_problem

FIELDS = ("role", "name", "agency", "phone", "alt_phone", "radio", "email", "notes", "verified")
LABELS = {
    "role": "ICS position or role", "name": "Name", "agency": "Agency and unit",
    "phone": "Phone", "alt_phone": "Alternate phone", "radio": "Radio channel or talkgroup",
    "email": "Email", "notes": "Notes", "verified": "Last verified",
}
# A contacts page's table headers -> fields (a page is seeded from only if it has a role column).
HEADERS = {"role": "role", "ics position": "role", "name": "name", "agency and unit": "agency",
           "agency": "agency", "phone": "phone", "alternate phone": "alt_phone",
           "radio channel": "radio", "radio": "radio", "email": "email", "notes": "notes",
           "last verified": "verified"}
REACHED_BY = ("name", "phone", "alt_phone", "radio", "email")  # all empty: a role still to fill
SEEDED = "contacts_seeded"  # the settings key set once the shipped roles have been copied in
STALE_MONTHS = 6
MIN_DIGITS = 7
PHONE = re.compile(r"(?P<main>[0-9 +\-.()]+?)\s*(?:(?:x|ext\.?)\s*[0-9]+)?", re.IGNORECASE)
NUMBER = re.compile(r"[0-9 +\-.()]*[0-9]{3}[0-9 +\-.()]*")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ContactsError(Exception):
    """The contacts cannot be read or saved: a message for a person."""


class ContactsImportError(ContactsError):
    """A CSV file that was not imported; `problems` has every bad line as 'path:line: message'."""

    def __init__(self, problems: list[str]):
        super().__init__(f"Nothing was imported: {len(problems)} problem(s) in the file.")
        self.problems = problems


@dataclass(frozen=True)
class Contact:
    id: int = 0  # 0 for a contact not saved yet
    role: str = ""
    name: str = ""
    agency: str = ""
    phone: str = ""
    alt_phone: str = ""
    radio: str = ""
    email: str = ""
    notes: str = ""
    verified: str = ""  # "YYYY-MM-DD" or ""
    order: int = 0  # the role's place in the list (the shipped page's order, new roles after)

    @property
    def empty(self) -> bool:
        """A role row with nobody in it yet (as seeded from the shipped page)."""
        return not any(getattr(self, name).strip() for name in REACHED_BY)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def field_problems(contact: Contact, today: dt.date | None = None) -> dict[str, str]:
    """What is wrong with each field of a contact, for a person; {} when it can be saved."""
    problems = {name: problem for name in FIELDS
                if (problem := text_problem(getattr(contact, name), lines=name == "notes"))}
    if not contact.role.strip():
        problems.setdefault("role", "required (the ICS position or role this person fills)")
    for name in ("phone", "alt_phone"):
        number = getattr(contact, name).strip()
        match = PHONE.fullmatch(number)
        if name in problems:
            continue
        if number and not match:
            problems[name] = "use digits and + - . ( ) only, and x or ext for an extension"
        elif number and len(digits(match["main"])) < MIN_DIGITS:
            problems[name] = f"at least {MIN_DIGITS} digits are needed"
    email = contact.email.strip()
    if email and not email_ok(email) and "email" not in problems:
        problems["email"] = "not an email address (name@agency.gov)"
    verified = contact.verified.strip()
    if verified and "verified" not in problems:
        try:
            day = dt.date.fromisoformat(verified) if DATE.fullmatch(verified) else None
        except ValueError:
            day = None
        if day is None:
            problems["verified"] = "a date as YYYY-MM-DD, e.g. 2026-05-01"
        elif day > (today or dt.date.today()):
            problems["verified"] = "this date is in the future"
    return problems


def email_ok(text: str) -> bool:
    from email.utils import parseaddr  # with sockets and more: only when an address is checked

    _, address = parseaddr(text)
    if address != text or address.count("@") != 1 or any(c.isspace() for c in address):
        return False
    local, domain = address.split("@")
    return bool(local) and "." in domain.strip(".") and not domain.startswith(".") \
        and not domain.endswith(".") and ".." not in domain


def validate(contact: Contact, today: dt.date | None = None) -> list[str]:
    """Every problem of a contact as 'Field: message', in the order of FIELDS."""
    problems = field_problems(contact, today)
    return [f"{LABELS[name]}: {problems[name]}" for name in FIELDS if name in problems]


def stale(contact: Contact, today: dt.date | None = None) -> bool:
    """Filled in and not verified within STALE_MONTHS (never verified counts as stale).
    An empty role row is not stale: there is nothing in it to verify."""
    if contact.empty:
        return False
    try:
        verified = dt.date.fromisoformat(contact.verified)
    except ValueError:
        return True
    return (today or dt.date.today()) > add_months(verified, STALE_MONTHS)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def matches(contact: Contact, text: str) -> bool:
    """Every word is in some field (any case); a number matches the phones' digits alone."""
    text = text.strip().casefold()
    if not text:
        return True
    phones = f"{digits(contact.phone)} {digits(contact.alt_phone)}"
    if NUMBER.fullmatch(text) and digits(text) in phones:
        return True
    haystack = " ".join(getattr(contact, name) for name in FIELDS).casefold()
    return all(word in haystack or (NUMBER.fullmatch(word) and digits(word) in phones)
               for word in text.split())


def summary(contact: Contact) -> str:
    """One line for a search hit: role, then how to reach the person."""
    parts = (contact.role, contact.agency, contact.phone, contact.radio, contact.email)
    return " · ".join(part for part in parts if part) + (" · not filled in" * contact.empty)


COLUMNS = ", ".join((*FIELDS, "sort_order"))


class ContactBook:
    """The contacts table of one journal: one transaction per change, on disk when it returns."""

    validate = staticmethod(validate)
    stale = staticmethod(stale)

    def __init__(self, journal: Journal):
        self.journal = journal
        self.conn = journal.conn

    @contextmanager
    def writing(self) -> Iterator[None]:
        try:
            with transaction(self.conn):
                yield
        except (sqlite3.Error, JournalError) as exc:  # set_setting raises JournalError
            raise ContactsError(
                f"The contacts could not be saved to {self.journal.path}: {exc}") from None

    def contacts(self, filter_text: str = "") -> list[Contact]:
        """The contacts not deleted, in role order, that match the filter."""
        rows = self.conn.execute(
            f"SELECT id, {COLUMNS} FROM contacts WHERE deleted = 0 "
            "ORDER BY sort_order, role COLLATE NOCASE, name COLLATE NOCASE, id").fetchall()
        return [c for c in (Contact(*row) for row in rows) if matches(c, filter_text)]

    def contact(self, contact_id: int) -> Contact | None:
        row = self.conn.execute(f"SELECT id, {COLUMNS} FROM contacts WHERE id = ? AND deleted = 0",
                                (contact_id,)).fetchone()
        return Contact(*row) if row else None

    def roles(self) -> list[str]:
        return list(dict.fromkeys(c.role for c in self.contacts()))

    def search(self, text: str, limit: int = 10) -> list[Contact]:
        """Contacts for the main search: only filled-in ones (a role nobody fills yet is no
        one to call; it is still listed on the Contacts page)."""
        if not text.strip():
            return []
        return [c for c in self.contacts(text) if not c.empty][:limit]

    def add(self, contact: Contact) -> Contact:
        """Save a new contact. An empty row of the same role (one seeded from the shipped page)
        is filled in rather than left empty beside it."""
        contact = self.checked(contact)
        with self.writing():
            return self._put(contact)

    def update(self, contact: Contact) -> Contact:
        contact = self.checked(contact)
        with self.writing():
            if not self._update(contact):
                raise ContactsError("That contact is no longer in the list.")
        return self.contact(contact.id)

    def delete(self, contact_id: int) -> None:
        """Mark it deleted (nothing else changes), so that restore() brings it back as it was."""
        self._set_deleted(contact_id, 1)

    def restore(self, contact_id: int) -> None:
        self._set_deleted(contact_id, 0)

    def seed_from(self, store) -> int:
        """Copy in one row per role of the shipped contacts pages, once per journal.
        `store` is a ContentStore or a Library (whose pack pages count too)."""
        if self.journal.setting(SEEDED):
            return 0
        have = {c.role.casefold() for c in self.contacts()}
        added = 0
        with self.writing():
            for contact in shipped_contacts(store):
                if contact.role.casefold() not in have:
                    have.add(contact.role.casefold())
                    self._insert(contact)
                    added += 1
            self.journal.set_setting(SEEDED, utc_now())
        return added

    def checked(self, contact: Contact) -> Contact:
        contact = replace(contact, **{name: getattr(contact, name).strip() for name in FIELDS})
        problems = validate(contact)
        if problems:
            raise ContactsError("This contact cannot be saved: " + "; ".join(problems))
        return contact

    # Inside a transaction (writing())

    def _put(self, contact: Contact, merge: bool = False) -> Contact:
        """Fill the role's empty row, else add. With `merge` (an import), a row with the same
        role and name is updated instead. An empty row of a role already listed adds nothing."""
        role = "deleted = 0 AND role = ? COLLATE NOCASE"
        if contact.empty:
            found = self._find(role, contact.role)
            if found:
                return self.contact(found)
        else:
            found = merge and contact.name and self._find(
                f"{role} AND name = ? COLLATE NOCASE", contact.role, contact.name)
            found = found or self._find(
                f"{role} AND " + " AND ".join(f"{n} = ''" for n in REACHED_BY), contact.role)
        if found:
            self._update(replace(contact, id=found))
            return self.contact(found)
        return self._insert(contact)

    def _find(self, where: str, *args) -> int:
        row = self.conn.execute(f"SELECT id FROM contacts WHERE {where} ORDER BY id LIMIT 1",
                                args).fetchone()
        return row[0] if row else 0

    def _insert(self, contact: Contact) -> Contact:
        contact = replace(contact, order=self._order_for(contact.role))
        cursor = self.conn.execute(
            f"INSERT INTO contacts ({COLUMNS}, updated_at) VALUES ({', '.join('?' * 11)})",
            (*astuple(contact)[1:], utc_now()))
        return replace(contact, id=cursor.lastrowid)

    def _update(self, contact: Contact) -> bool:
        row = self.conn.execute("SELECT role, sort_order FROM contacts WHERE id = ? AND "
                                "deleted = 0", (contact.id,)).fetchone()
        if row is None:
            return False
        same = row[0].casefold() == contact.role.casefold()
        order = row[1] if same else self._order_for(contact.role, contact.id)
        self.conn.execute(
            f"UPDATE contacts SET {', '.join(f'{n} = ?' for n in FIELDS)}, sort_order = ?, "
            "updated_at = ? WHERE id = ?",
            (*(getattr(contact, n) for n in FIELDS), order, utc_now(), contact.id))
        return True

    def _order_for(self, role: str, not_id: int = 0) -> int:
        """The order of the role's other rows, or after every role for a new one."""
        row = self.conn.execute(
            "SELECT sort_order FROM contacts WHERE deleted = 0 AND role = ? COLLATE NOCASE "
            "AND id != ? LIMIT 1", (role, not_id)).fetchone()
        if row is None:
            # deleted rows count too: one restored later keeps a place of its own
            row = self.conn.execute(
                "SELECT coalesce(max(sort_order), 0) + 1 FROM contacts").fetchone()
        return row[0]

    def _set_deleted(self, contact_id: int, deleted: int) -> None:
        with self.writing():
            self.conn.execute("UPDATE contacts SET deleted = ? WHERE id = ?",
                              (deleted, contact_id))


def shipped_contacts(store) -> Iterator[Contact]:
    """The rows of every 'contacts' page's table that has a role column, in binder order."""
    for _, docs in store.sections():
        for doc in docs:
            if doc.kind != "contacts":
                continue
            owner = getattr(store, "owner", None)  # a Library: the store the page is in
            conn = owner(doc.id)[1].conn if owner else store.conn
            row = conn.execute("SELECT blocks_json FROM documents WHERE id = ?",
                               (doc.id,)).fetchone()
            for block in json.loads(row[0]) if row else []:
                yield from table_contacts(block.get("md") or "")


def table_contacts(markdown: str) -> Iterator[Contact]:
    """Contacts from the Markdown tables of a page whose header has a Role column."""
    columns: list | None = None
    for line in markdown.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            columns = None
            continue
        cells = [plain(cell) for cell in re.split(r"(?<!\\)\|", line)[1:]]
        if line.endswith("|") and not line.endswith("\\|"):
            cells = cells[:-1]
        if columns is None:
            columns = [HEADERS.get(cell.casefold()) for cell in cells]
            columns = columns if "role" in columns else []
        elif columns and not set(line) <= set("|-: "):
            values: dict[str, str] = {}
            for name, cell in zip(columns, cells, strict=False):
                if name and name not in values:
                    values[name] = cell
            if DATE.fullmatch(values.get("verified", "")) is None:
                values["verified"] = ""
            if values.get("role"):
                yield Contact(**values)


def plain(cell: str) -> str:
    """A Markdown table cell as text: links to their words, emphasis and escapes dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell.replace("\\|", "|"))
    return re.sub(r"[*_`]{1,2}(\S(?:.*?\S)?)[*_`]{1,2}", r"\1", text).strip()


# CSV
