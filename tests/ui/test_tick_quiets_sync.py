"""A tick asks the sync thread to keep out of its way while it is written and repainted
(binder/sync/quiet.py): a Space on a step's box holds, for a moment only."""

import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from binder.sync import quiet


def test_a_tick_by_keyboard_holds_the_sync_thread_for_a_moment(make_window, qtbot):
    window = make_window()
    window.session.start_incident("Mall shooting")
    window.open_hit("tourniquet")
    row = list(window.checklist_view.rows.values())[0]
    qtbot.waitUntil(lambda: row.checkbox.hasFocus())
    quiet.hold(0)
    QTest.keyClick(row.checkbox, Qt.Key.Key_Space)
    assert window.session.step_states("tourniquet")["tourniquet/cover"].done
    left = quiet._quiet_until - time.monotonic()
    assert 0 < left <= quiet.HOLD_S
