"""A connection to content.db built from the binder's real content/ folder, for search tests."""

import sqlite3

import pytest


@pytest.fixture(scope="module")
def shipped(shipped_db):
    conn = sqlite3.connect(shipped_db)
    yield conn
    conn.close()
