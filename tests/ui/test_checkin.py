"""Incident > Check-in (ICS 211), by keyboard alone: check in, check out, refusals, hours."""

import csv
import datetime as dt

import pytest
from PySide6.QtCore import QDeadlineTimer, QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from binder.journal.checkins import check_in
from binder.journal.journal import Journal, Operator
from binder.ui.checkin_dialogs import CheckinDialog, CheckoutDialog
from tests.ui.test_notes import show, when_dialog_shows

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(make_window):
    window = make_window()
    window.session.start_incident("Mall shooting")
    return window


def opened_list(window, qtbot):
    QTest.keyClick(window, Qt.Key.Key_K, CTRL_SHIFT)
    listing = window.checkins.list
    assert listing is not None and listing.isVisible()
    qtbot.waitUntil(listing.isActiveWindow)
    assert QApplication.focusWidget() is listing.tree
    return listing


def in_dialog(act):
    """`act(dialog)` once the dialog has the keyboard; the dialog never outlives it (a test that
    fails leaves no modal dialog waiting for ever)."""
    def run(dialog):
        try:
            deadline = QDeadlineTimer(5000)
            while not (dialog.isActiveWindow() and QApplication.focusWidget() is not None
                       and QApplication.focusWidget().window() is dialog):
                assert not deadline.hasExpired(), "the dialog never had the keyboard"
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()
    return run


def typed(words_per_field, finish):
    """Type into each field in turn, Enter moving on, then `finish(focus)`."""
    def act(dialog):
        for words in words_per_field:
            focus = QApplication.focusWidget()
            QTest.keyClicks(focus, words)
            QTest.keyClick(focus, Qt.Key.Key_Return)
        finish(QApplication.focusWidget() or dialog)
    return in_dialog(act)


def press(qtbot, listing, key, shown):
    """Alt+letter on a button of the list (the button clicks itself a moment later)."""
    QTest.keyClick(listing, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(shown) and QApplication.activeModalWidget() is None)


def ctrl_enter(widget):
    QTest.keyClick(widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def checkins(window):
    return [e for e in window.journal.events(window.session.incident.id)
            if e.kind in ("checkin", "checkout")]


def rows(listing):
    tree = listing.tree
    return [[tree.topLevelItem(i).text(c) for c in range(3)]
            for i in range(tree.topLevelItemCount())]


def test_check_in_by_keyboard_enter_moves_on_and_ctrl_enter_saves(window, qtbot):
    listing = opened_list(window, qtbot)
    shown = when_dialog_shows(qtbot, typed(["Carl Diaz", "County Fire", "Safety Officer"],
                                           ctrl_enter))
    press(qtbot, listing, Qt.Key.Key_C, shown)
    assert shown, "no dialog opened"
    (event,) = checkins(window)
    assert event.kind == "checkin" and event.occurred_at == ""
    assert (event.data["name"], event.data["agency"], event.data["position"]) == (
        "Carl Diaz", "County Fire", "Safety Officer")
    assert event.data["location"] == "ICP"
    assert rows(listing) == [["Carl Diaz", "County Fire", "Safety Officer"]]
    assert listing.tree.topLevelItem(0).text(3)  # since when


def test_esc_cancels_the_check_in_and_writes_nothing(window, qtbot):
    listing = opened_list(window, qtbot)
    shown = when_dialog_shows(qtbot, typed(["Carl Diaz"],
                                           lambda w: QTest.keyClick(w, Qt.Key.Key_Escape)))
    press(qtbot, listing, Qt.Key.Key_C, shown)
    assert shown and checkins(window) == []


def test_the_check_in_form_starts_in_the_name_and_refuses_an_empty_one(qtbot):
    dialog = CheckinDialog()
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.fields["name"]
    QTest.keyClick(dialog.fields["name"], Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.fields["agency"]
    ctrl_enter(QApplication.focusWidget())
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.refusal.text() == "Type the person's name first."
    assert QApplication.focusWidget() is dialog.fields["name"]


def test_check_out_a_late_entry_with_its_time(window, qtbot):
    two_hours_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    event = check_in(window.journal, window.session.incident.id,
                     {"name": "Carl Diaz", "agency": "County Fire"},
                     two_hours_ago.isoformat(timespec="milliseconds"))
    listing = opened_list(window, qtbot)
    assert rows(listing) == [["Carl Diaz", "County Fire", ""]]

    def earlier(dialog):
        assert QApplication.focusWidget() is dialog.when
        dialog.when.setDateTime(dialog.when.dateTime().addSecs(-20 * 60))
        QTest.keyClick(dialog.when, Qt.Key.Key_Return)

    shown = when_dialog_shows(qtbot, in_dialog(earlier))
    press(qtbot, listing, Qt.Key.Key_O, shown)
    assert shown and isinstance(shown[0], CheckoutDialog)
    out = checkins(window)[-1]
    assert out.kind == "checkout" and out.data["checkin"] == event.id and out.occurred_at
    assert rows(listing) == [] and listing.heading.text().startswith("0 checked in")


def test_checking_in_someone_already_in_says_so_and_writes_nothing(window, qtbot):
    check_in(window.journal, window.session.incident.id,
             {"name": "Carl Diaz", "agency": "County Fire"})
    listing = opened_list(window, qtbot)
    shown = when_dialog_shows(qtbot, typed(["carl diaz", "County Fire"], ctrl_enter))
    press(qtbot, listing, Qt.Key.Key_C, shown)
    assert shown and len(checkins(window)) == 1
    assert "Carl Diaz (County Fire) is already checked in" in listing.heading.text()


def test_another_laptops_check_in_shows_with_its_laptop(window, qtbot, tmp_path):
    incident = window.session.incident.id
    other = Journal(tmp_path / "other.db")
    other.set_operator(Operator("Bo Chan", "Scribe", "County EMS"))
    other.insert_foreign([e.row() for e in window.journal.events(incident)])
    theirs = check_in(other, incident, {"name": "Carl Diaz", "agency": "County Fire"})
    mine = check_in(window.journal, incident, {"name": "Carl Diaz", "agency": "County Fire"})
    listing = opened_list(window, qtbot)
    writer = Journal(window.journal.path)
    writer.insert_foreign([theirs.row()])  # as the sync timer would, on its own connection
    writer.close()
    qtbot.waitUntil(lambda: listing.tree.topLevelItemCount() == 2, timeout=3000)
    laptops = {listing.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole):
               listing.tree.topLevelItem(i).text(4) for i in range(2)}
    assert laptops[theirs.id] == (f"another laptop ({other.device_id}); also checked in on "
                                  "another laptop")
    assert laptops[mine.id] == "also checked in on another laptop"
    other.close()


def test_hours_for_the_claim_from_the_window(window, qtbot, tmp_path):
    incident = window.session.incident.id
    check_in(window.journal, incident, {"name": "Carl Diaz", "agency": "County Fire"},
             "2024-05-01T10:00:00.000+00:00")
    listing = opened_list(window, qtbot)
    start, end = listing.whole_time()
    assert start.isoformat() == "2024-05-01T10:00:00+00:00"
    path = tmp_path / "hours.csv"
    assert listing.export_hours(path, start, start.replace(hour=18, minute=30))
    with open(path, encoding="utf-8", newline="") as file:
        found = [(r["row"], r["name"], r["hours"]) for r in csv.DictReader(file)]
    assert found == [("check-in", "Carl Diaz", "8.50"), ("person", "Carl Diaz", "8.50"),
                     ("agency", "", "8.50"), ("total", "", "8.50")]
    assert "Hours for the claim saved to" in window.statusBar().currentMessage()
