"""A journal in tmp_path with its operator, and an incident in it: what most journal tests need.
A test file names its own operator by defining the `operator` fixture."""

import pytest

from binder.journal.journal import Journal, Operator


@pytest.fixture
def operator():
    return Operator("Ann Lee", "Operations", "Springfield PD")


@pytest.fixture
def journal(tmp_path, operator):
    journal = Journal(tmp_path / "journal.db")
    journal.set_operator(operator)
    yield journal
    journal.close()


@pytest.fixture
def incident(journal):
    return journal.start_incident("Mall shooting").incident_id
