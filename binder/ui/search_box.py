"""The search box: the first thing the window shows, so it imports nothing but Qt's basics."""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QLineEdit


class SearchBox(QLineEdit):
    """The search box; Up and Down move through the results while typing goes on."""

    move_selection = Signal(int)
    painted = Signal()  # once, the first time it is on screen (the start-up's "there")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("search")
        self.setPlaceholderText("Search: tourniquet, EFLEA…")
        self.setAccessibleName("Search the binder")
        self.setClearButtonEnabled(True)
        self.was_painted = False

    def event(self, event):
        if event.type() == QEvent.Type.KeyPress:
            keys = QtCore.Qt.Key
            if event.key() in (keys.Key_Down, keys.Key_Up):
                self.move_selection.emit(1 if event.key() == keys.Key_Down else -1)
                return True
        return super().event(event)

    def paintEvent(self, event):  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if not self.was_painted:
            self.was_painted = True
            self.painted.emit()
