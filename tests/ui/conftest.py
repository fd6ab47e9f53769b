"""Fixtures for the window tests: a real window over real databases in tmp_path."""

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from binder.journal.journal import Journal, Operator
from binder.ui.app import create_window
from binder.ui.dialogs import IncidentDialog

ANN = Operator("Ann Lee", "Incident Commander", "Springfield PD")


def set_operator(data, operator=ANN):
    journal = Journal(data / "journal.db")
    journal.set_operator(operator)
    journal.close()


@pytest.fixture
def start_on_ask(monkeypatch):
    """Answer the 'start an incident?' question as a person pressing Enter would."""
    asked = []

    def ask(parent=None, reason=""):
        asked.append(reason)
        return {"name": "Mall shooting", "incident_type": "Active assailant",
                "location": "North Mall", "period_from": "", "period_to": "",
                "exercise": False}

    monkeypatch.setattr(IncidentDialog, "ask", staticmethod(ask))
    return asked


@pytest.fixture
def make_window(qtbot, tmp_path, content_db):
    windows = []

    def make(db=content_db, data=tmp_path / "data", operator=ANN):
        if operator is not None and db.exists():
            set_operator(data, operator)
        window = create_window(db, data)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        if window.session.operator is not None:  # else the operator prompt is active
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow)
        windows.append(window)
        return window

    yield make
    # qtbot has closed the windows and asked Qt to delete them: do it now, so that no timer of
    # theirs (the incident clock) fires on a closed journal during a later, long test.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for window in windows:
        if window.journal:
            window.journal.close()


@pytest.fixture
def tourniquet_in_incident(make_window):
    """The tourniquet checklist open in a window, with an incident just started."""
    window = make_window()
    window.open_document("tourniquet")
    window.session.start_incident("Mall shooting")
    return window
