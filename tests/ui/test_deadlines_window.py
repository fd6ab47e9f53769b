"""Incident > Deadlines, by keyboard alone: the incident's funding deadlines as dates, a date
recorded, refused, cancelled, taken back, and another laptop's date arriving."""

import datetime as dt
import json
import shutil
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from binder.journal.deadline_dates import incident_day, read_recorded_dates, record_date
from binder.journal.journal import event_hash
from binder.ui.deadline_dialogs import DateField, RecordDateDialog
from tests.ui.test_checkin import in_dialog, press
from tests.ui.test_notes import show, when_dialog_shows
from tests.ui.test_step_row_laptops import arrive, bob_laptop

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
LATER = dt.date(2028, 3, 1)  # "today" for these tests: a leap year's 1 March
DECISION = "BJA approves or refuses the request"
RECEIVED = "the date BJA received the written request"
OTHER_BENEFITS = "the date the officer's other line-of-duty benefits were granted or denied"


@pytest.fixture
def window(make_window, shipped_db, tmp_path):
    window = make_window(db=shipped_db, data=tmp_path / "data")
    window.session.start_incident("Mall shooting")
    window.deadlines.today = lambda: LATER
    return window


def opened(window, qtbot):
    QTest.keyClick(window, Qt.Key.Key_D, CTRL_SHIFT)
    listing = window.deadlines.list
    assert listing is not None and listing.isVisible()
    qtbot.waitUntil(listing.isActiveWindow)
    assert QApplication.focusWidget() is listing.tree
    return listing


def go_down_to(listing, what: str, programme: str = ""):
    """Down from the top until the current row is the deadline `what`."""
    QTest.keyClick(listing.tree, Qt.Key.Key_Home)
    for _ in range(40):
        row = listing.current_row()
        if row is not None and row.deadline.what == what and programme in row.programme:
            return row
        QTest.keyClick(listing.tree, Qt.Key.Key_Down)
    raise AssertionError(f"no row {what!r} reached with the arrows")


def cells(listing, what: str) -> list[list[str]]:
    """The cells of every row of the deadline `what` (a date can count for several)."""
    found = []
    for group in range(listing.tree.topLevelItemCount()):
        parent = listing.tree.topLevelItem(group)
        for i in range(parent.childCount()):
            item = parent.child(i)
            if what in item.text(0):
                found.append([item.text(c) for c in range(listing.tree.columnCount())])
    return found


def dated_notes(window):
    return [e.data["deadline_date"] for e in window.journal.events(window.session.incident.id)
            if e.kind == "note" and "deadline_date" in e.data]


def typed_date(text, *finishing_keys):
    def act(dialog):
        assert QApplication.focusWidget() is dialog.date
        QTest.keyClicks(dialog.date, text)
        for key in finishing_keys:
            QTest.keyClick(dialog.date, key)
    return in_dialog(act)


def test_record_the_date_bja_received_the_request_and_see_the_decision_date(window, qtbot):
    listing = opened(window, qtbot)
    go_down_to(listing, DECISION)
    assert listing.buttons["record"].isEnabled() and not listing.buttons["take_back"].isEnabled()
    assert listing.current_row().when_text(LATER) == f"no date until {RECEIVED} is recorded"
    shown = when_dialog_shows(qtbot, typed_date("2028-02-25", Qt.Key.Key_Return))
    press(qtbot, listing, Qt.Key.Key_R, shown)
    assert shown and isinstance(shown[0], RecordDateDialog)
    assert dated_notes(window) == [{"page": "eflea", "name": "received", "date": "2028-02-25"}]
    # 25 February 2028 + 10 days, across the leap day: Monday 6 March
    [row] = cells(listing, DECISION)
    assert row[0] == f"Soon: {DECISION}"
    assert row[1] == "2028-03-06 (Mon), in 5 days"
    assert row[2] == f"10 days after {RECEIVED} (2028-02-25)"
    item = listing.tree.currentItem()
    assert item.text(0) == row[0] and item.font(0).bold()
    assert "Date 2028-02-25 recorded by Ann Lee (Incident Commander) on " in listing.details.text()
    assert "another laptop" not in listing.details.text()
    assert listing.buttons["take_back"].isEnabled()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is listing.tree)


def test_a_date_before_the_incident_is_said_in_the_dialog_and_nothing_is_written(window, qtbot):
    day = incident_day(window.session.incident)[0]
    listing = opened(window, qtbot)
    go_down_to(listing, DECISION)
    seen = []

    def act(dialog):
        QTest.keyClicks(dialog.date, "2020-01-01")
        QTest.keyClick(dialog.date, Qt.Key.Key_Return)
        seen.append((dialog.isVisible(), dialog.refusal.isVisible(), dialog.refusal.text(),
                     QApplication.focusWidget() is dialog.date, dated_notes(window)))
        QTest.keyClick(dialog.date, Qt.Key.Key_Escape)

    shown = when_dialog_shows(qtbot, in_dialog(act))
    press(qtbot, listing, Qt.Key.Key_R, shown)
    assert seen == [(True, True, f"2020-01-01 is before the incident started "
                                 f"({day.isoformat()}).", True, [])]
    assert dated_notes(window) == []
    assert cells(listing, DECISION)[0][1] == f"no date until {RECEIVED} is recorded"


@pytest.mark.parametrize(("typed", "refusal"), [
    ("2028-02-30", "2028-02-30 is not a date: check the day and the month."),
    ("2027-02-29", "2027-02-29 is not a date: check the day and the month."),
    ("28-02-25", "28-02-25 is not a whole date: type it as YYYY-MM-DD, e.g. 2028-03-01."),
    ("2028-13-01", "2028-13-01 is not a date: check the day and the month."),
])
def test_a_typed_date_the_field_would_change_is_refused_not_recorded(
        window, qtbot, typed, refusal):
    listing = opened(window, qtbot)
    go_down_to(listing, DECISION)
    seen = []

    def act(dialog):
        QTest.keyClicks(dialog.date, typed)
        QTest.keyClick(dialog.date, Qt.Key.Key_Return)
        seen.append((dialog.isVisible(), dialog.refusal.text(), dated_notes(window)))
        QTest.keyClicks(dialog.date, "2028-02-25")  # typed again, whole
        QTest.keyClick(dialog.date, Qt.Key.Key_Return)

    shown = when_dialog_shows(qtbot, in_dialog(act))
    press(qtbot, listing, Qt.Key.Key_R, shown)
    assert seen == [(True, refusal, [])]
    assert dated_notes(window) == [{"page": "eflea", "name": "received", "date": "2028-02-25"}]


def test_esc_writes_nothing(window, qtbot):
    listing = opened(window, qtbot)
    go_down_to(listing, DECISION)
    shown = when_dialog_shows(qtbot, typed_date("2028-02-25", Qt.Key.Key_Escape))
    press(qtbot, listing, Qt.Key.Key_R, shown)
    assert shown and dated_notes(window) == []


def test_a_stray_double_enter_records_once(window, qtbot):
    listing = opened(window, qtbot)
    go_down_to(listing, DECISION)
    shown = when_dialog_shows(qtbot, typed_date("2028-02-25", Qt.Key.Key_Return,
                                                Qt.Key.Key_Return))
    press(qtbot, listing, Qt.Key.Key_R, shown)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is listing.tree)
    QTest.keyClick(listing.tree, Qt.Key.Key_Return)  # and one more on the list
    assert len(shown) == 1 and QApplication.activeModalWidget() is None
    assert dated_notes(window) == [{"page": "eflea", "name": "received", "date": "2028-02-25"}]


def test_the_incidents_day_button_puts_its_date_in_the_field(window, qtbot):
    day = incident_day(window.session.incident)[0]
    listing = opened(window, qtbot)
    go_down_to(listing, DECISION)

    def act(dialog):
        QTest.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: dialog.date.date().toPython() == day)
        assert QApplication.focusWidget() is dialog.date
        assert dialog.spelled.text() == f"{day:%A} {day.day} {day:%B %Y}"
        QTest.keyClick(dialog.date, Qt.Key.Key_Return)

    shown = when_dialog_shows(qtbot, in_dialog(act))
    press(qtbot, listing, Qt.Key.Key_R, shown)
    assert dated_notes(window) == [{"page": "eflea", "name": "received",
                                    "date": day.isoformat()}]


@pytest.mark.parametrize("typed", ["2028-02-25", "20280225", "2028/02/25", "2028-2-25",
                                   "2028.02.25"])
def test_a_date_typed_the_usual_ways_is_that_date(qtbot, typed):
    field = DateField(dt.date(2026, 11, 26))
    qtbot.addWidget(field)
    show(qtbot, field)
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    QTest.keyClicks(field, typed)
    assert field.date().toPython() == dt.date(2028, 2, 25)


def test_another_laptops_date_says_so_and_every_row_counted_from_it_changes(
        window, qtbot, tmp_path):
    incident = window.session.incident
    listing = opened(window, qtbot)
    go_down_to(listing, "File the death benefit claim, counting from the other benefits' "
                        "decision")
    bob = bob_laptop(window, tmp_path)
    theirs = record_date(bob, incident, "psob", "other-benefits", OTHER_BENEFITS, "2028-02-29",
                         today=LATER)
    arrive(window, [theirs.row()])
    # 29 February 2028 + 1 year: 2029 has no 29 February, so 28 February (never late)
    qtbot.waitUntil(lambda: cells(listing, "other benefits' decision")[0][1].startswith(
        "2029-02-28"), timeout=3000)
    both = cells(listing, "other benefits' decision")
    assert [row[1] for row in both] == ["2029-02-28 (Wed), in 364 days"] * 2
    text = listing.details.text()
    assert ("Date 2028-02-29 recorded by Bob Lee (Operations) on " in text
            and text.count("on another laptop") == 1)
    assert bob.device_id not in text
    assert listing.details.textFormat() == Qt.TextFormat.PlainText  # names as typed
    # then this laptop corrects it: the earlier value is still shown, and whose it was
    mine = record_date(window.journal, incident, "psob", "other-benefits", OTHER_BENEFITS,
                       "2028-02-28", today=LATER)
    window.session.state.update()
    window.session.changed.emit()
    assert [row[1] for row in cells(listing, "other benefits' decision")] == [
        "2029-02-28 (Wed), in 364 days"] * 2  # 28 Feb + 1 year
    text = listing.details.text()
    assert "Date 2028-02-28 recorded by Ann Lee (Incident Commander) on " in text
    assert "Earlier: 2028-02-29 recorded by Bob Lee (Operations) on " in text
    assert read_recorded_dates(window.journal, incident.id)[
        ("psob", "other-benefits")].event.id == mine.id
    bob.close()


def test_take_back_asks_first_and_then_the_row_has_no_date(window, qtbot):
    incident = window.session.incident
    record_date(window.journal, incident, "eflea", "received", RECEIVED, "2028-02-25",
                today=LATER)
    window.session.state.update()
    listing = opened(window, qtbot)
    go_down_to(listing, DECISION)
    assert cells(listing, DECISION)[0][1] == "2028-03-06 (Mon), in 5 days"
    asked = []

    def answer(key):
        def act(box):
            asked.append((box.text(), box.defaultButton() is box.escapeButton()))
            QTest.keyClick(box, key, *([Qt.KeyboardModifier.AltModifier]
                                       if key == Qt.Key.Key_T else []))
            qtbot.waitUntil(lambda: not box.isVisible())  # a mnemonic clicks a moment later
        return in_dialog(act)

    about = []
    shown = when_dialog_shows(qtbot, in_dialog(lambda dialog: (
        about.append(dialog.about.text()), QTest.keyClick(dialog.date, Qt.Key.Key_Escape))))
    press(qtbot, listing, Qt.Key.Key_R, shown)  # Record date… says what is recorded now
    assert about == [f"Counts for: {DECISION}.\nRecorded now: 2028-02-25. A date recorded here "
                     "takes its place; the journal keeps both."]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is listing.tree)
    shown = when_dialog_shows(qtbot, answer(Qt.Key.Key_Return))  # Enter keeps the date
    press(qtbot, listing, Qt.Key.Key_T, shown)
    assert isinstance(shown[0], QMessageBox) and asked[0][1]
    assert RECEIVED in asked[0][0] and "2028-02-25" in asked[0][0]
    assert len(dated_notes(window)) == 1
    qtbot.waitUntil(lambda: QApplication.focusWidget() is listing.tree)
    shown = when_dialog_shows(qtbot, answer(Qt.Key.Key_T))
    press(qtbot, listing, Qt.Key.Key_T, shown)
    assert dated_notes(window)[-1] == {"page": "eflea", "name": "received", "date": ""}
    assert cells(listing, DECISION)[0][1] == f"no date until {RECEIVED} is recorded"
    assert "Date taken back by Ann Lee (Incident Commander) on " in listing.details.text()
    assert "Earlier: 2028-02-25 recorded by Ann Lee" in listing.details.text()
    assert not listing.buttons["take_back"].isEnabled()


def test_a_deadline_passed_stands_out_in_words(window, qtbot):
    record_date(window.journal, window.session.incident, "psob", "denial-letter",
                "the date on the PSOB Office's denial letter", "2028-01-01", today=LATER)
    window.session.state.update()
    listing = opened(window, qtbot)
    # 1 January 2028 + 33 days = 3 February; 1 March is 27 days later (February has 29)
    [row] = cells(listing, "Appeal a denied claim")
    assert row[:2] == ["Passed: Appeal a denied claim", "2028-02-03 (Thu), passed 27 days ago"]
    [far] = cells(listing, "File the death benefit claim, counting from the death")
    assert not far[0].startswith(("Passed", "Soon"))


def test_the_list_groups_by_programme_and_says_the_incidents_day_and_today(window, qtbot):
    listing = opened(window, qtbot)
    groups = [listing.tree.topLevelItem(i).text(0)
              for i in range(listing.tree.topLevelItemCount())]
    assert [group.split(" (")[0] for group in groups] == [
        "AEAP", "EFLEA", "PSOB", "Victim compensation and other sources"]
    assert groups[1] == "EFLEA (Emergency Federal Law Enforcement Assistance)"
    day = incident_day(window.session.incident)[0]
    heading = listing.heading.text()
    assert f"The incident started on {day.isoformat()} where it happened (UTC" in heading
    assert "Today: 2028-03-01 (Wed)." in heading
    [crisis] = cells(listing, "Crisis response grant period")
    assert crisis[1] == "no date: up to 9 months, from a date the source does not give"
    assert crisis[2] == "the source does not say"
    assert crisis[3] == "OVC, Types of assistance available through AEAP (2026)"


def test_a_closed_incident_is_read_only(window, qtbot):
    window.session.close_incident()
    listing = opened(window, qtbot)
    go_down_to(listing, DECISION)
    assert not listing.buttons["record"].isEnabled()
    assert not listing.buttons["take_back"].isEnabled()
    assert "closed: read only" in listing.heading.text()


def test_the_menu_entry_needs_an_incident(make_window, shipped_db, tmp_path):
    window = make_window(db=shipped_db, data=tmp_path / "data")
    assert not window.deadlines.action.isEnabled()
    window.session.start_incident("Mall shooting")
    assert window.deadlines.action.isEnabled()
    assert window.deadlines.action.shortcut().toString() == "Ctrl+Shift+D"


def started_in_hawaii(window, tmp_path, at: str) -> str:
    """An incident another laptop started at `at` (UTC) in Hawaii (UTC-10:00), arrived here as
    the sync brings it: its start entry as that laptop wrote it."""
    bob = bob_laptop(window, tmp_path)
    start = bob.start_incident("Harbour fire").row()
    start["entered_at"] = at
    start["data"] = {**start["data"], "utc_offset": "-10:00"}
    start["hash"] = event_hash(start["prev_hash"], {
        **start, "data": json.dumps(start["data"], sort_keys=True, ensure_ascii=False)})
    bob.close()
    arrive(window, [start])
    window.session.follow()
    window.session.switch(start["incident_id"])
    return start["incident_id"]


def test_the_incidents_day_is_the_day_where_it_happened(window, qtbot, tmp_path):
    # 05:00 UTC on 26 November is 19:00 on 25 November in Hawaii: the incident's day is the 25th
    started_in_hawaii(window, tmp_path, "2026-11-26T05:00:00.000+00:00")
    listing = opened(window, qtbot)
    assert listing.heading.text().startswith(
        "Harbour fire. The incident started on 2026-11-25 where it happened (UTC-10:00).")
    go_down_to(listing, DECISION)
    refusals = []

    def act(dialog):
        assert dialog.day_button.text() == "The &incident's day (2026-11-25)"
        QTest.keyClicks(dialog.date, "2026-11-24")
        QTest.keyClick(dialog.date, Qt.Key.Key_Return)
        refusals.append(dialog.refusal.text())
        dialog.date.setSelectedSection(DateField.Section.YearSection)
        QTest.keyClicks(dialog.date, "2026-11-25")
        QTest.keyClick(dialog.date, Qt.Key.Key_Return)

    shown = when_dialog_shows(qtbot, in_dialog(act))
    press(qtbot, listing, Qt.Key.Key_R, shown)
    assert refusals == ["2026-11-24 is before the incident started (2026-11-25)."]
    assert dated_notes(window) == [{"page": "eflea", "name": "received", "date": "2026-11-25"}]
    assert cells(listing, DECISION)[0][1] == "2026-12-05 (Sat), passed 452 days ago"


def test_the_list_left_open_past_midnight_counts_from_the_new_day(window, qtbot):
    record_date(window.journal, window.session.incident, "eflea", "received", RECEIVED,
                "2028-02-25", today=LATER)
    window.session.state.update()
    listing = opened(window, qtbot)
    assert cells(listing, DECISION)[0][1] == "2028-03-06 (Mon), in 5 days"
    listing.today = lambda: dt.date(2028, 3, 6)
    listing.day_timer.timeout.emit()  # as the timer does once a minute
    assert cells(listing, DECISION)[0][:2] == [f"Today: {DECISION}", "2028-03-06 (Mon), today"]
    assert "Today: 2028-03-06 (Mon)." in listing.heading.text()


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_a_date_picked_in_the_calendar_by_keyboard_is_recorded(window, qtbot):
    listing = opened(window, qtbot)
    go_down_to(listing, DECISION)

    def act(dialog):
        QTest.keyClicks(dialog.date, "2028")  # begun, then picked in the calendar instead
        QTest.keyClick(dialog.date, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
        calendar = dialog.date.calendarWidget()
        qtbot.waitUntil(calendar.isVisible)
        QTest.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Left)  # a day earlier
        QTest.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not calendar.isVisible())
        assert dialog.spelled.text() == "Tuesday 29 February 2028"
        QTest.keyClick(dialog.date, Qt.Key.Key_Return)

    shown = when_dialog_shows(qtbot, in_dialog(act))
    press(qtbot, listing, Qt.Key.Key_R, shown)
    assert dated_notes(window) == [{"page": "eflea", "name": "received", "date": "2028-02-29"}]


def test_funding_pages_that_cannot_be_read_are_said_in_the_list(make_window, shipped_db,
                                                                 tmp_path, qtbot):
    db = tmp_path / "content.db"
    shutil.copy(shipped_db, db)
    window = make_window(db=db, data=tmp_path / "data")
    window.session.start_incident("Mall shooting")
    with sqlite3.connect(db) as conn:  # damaged after the window opened it
        conn.execute("DROP TABLE deadlines")
    listing = opened(window, qtbot)
    assert listing.heading.text().startswith("The binder's pages could not be read: ")
    assert listing.tree.topLevelItemCount() == 0
    assert not listing.buttons["record"].isEnabled()


def test_the_row_the_keyboard_is_on_stays_when_the_list_is_counted_again(window, qtbot):
    listing = opened(window, qtbot)
    assert listing.current_row().deadline.what == "Crisis response grant period"  # the first
    go_down_to(listing, DECISION)
    QTest.keyClick(listing.tree, Qt.Key.Key_Up)
    QTest.keyClick(listing.tree, Qt.Key.Key_Up)  # EFLEA's own row
    assert listing.current_row() is None
    window.session.changed.emit()
    assert listing.tree.currentItem().text(0).startswith("EFLEA (")
    assert listing.details.text().startswith("EFLEA (Emergency Federal Law Enforcement "
                                             "Assistance): 3 deadlines.")
    QTest.keyClick(listing.tree, Qt.Key.Key_Down)
    QTest.keyClick(listing.tree, Qt.Key.Key_Down)
    window.session.changed.emit()
    assert listing.current_row().deadline.what == DECISION


def test_a_passed_date_replaced_by_its_later_partner_is_not_marked(window, qtbot):
    """PSOB's death claim: 3 years after the death (passed) or 1 year after the other
    benefits are decided (still to come), whichever is later: nothing is 'Passed'."""
    incident = window.session.incident
    record_date(window.journal, incident, "psob", "death", "the death", "2028-02-29",
                today=LATER)
    record_date(window.journal, incident, "psob", "other-benefits", OTHER_BENEFITS,
                "2030-12-01", today=dt.date(2030, 12, 1))
    window.session.state.update()
    window.deadlines.today = lambda: dt.date(2031, 6, 1)
    listing = opened(window, qtbot)
    by_death = cells(listing, "File the death benefit claim, counting from the death")[0]
    assert by_death[0] == "File the death benefit claim, counting from the death"  # no word
    assert by_death[1] == "2031-02-28 (Fri); the later date, 2031-12-01 (Mon), applies"
    by_benefits = cells(listing, "File the death benefit claim, counting from the other")[0]
    assert by_benefits[1] == "2031-12-01 (Mon), in 183 days"
