"""The contacts fixtures of tests/journal/test_contacts.py, for the CSV and PDF tests here."""

from tests.journal.test_contacts import book, journal, seeded, shipped  # noqa: F401
