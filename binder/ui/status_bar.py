"""The status bar: a message on the left that never runs into the incident status on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStatusBar,
    QStyleOption,
    QVBoxLayout,
    QWidget,
)

from binder.ui.plain import tooltip


class ElidedLabel(QLabel):
    """Text in as many lines as its height holds (up to three beside the Open folder button),
    shortened with "…" when it is longer still; the whole text is its tooltip. A path is
    shortened in the middle, so the start of the message and the file name both stay."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.full = ""
        self.mode = Qt.TextElideMode.ElideRight
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_message(self, text: str, mode=Qt.TextElideMode.ElideRight) -> None:
        self.full, self.mode = text, mode
        self.setToolTip(tooltip(text))
        self.setAccessibleName(text)
        self.update()

    def lines(self) -> int:
        return max(1, self.contentsRect().height() // self.fontMetrics().lineSpacing())

    def flags(self) -> int:
        """Left, centred in its height; broken at words (a path: anywhere) if it has lines."""
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if self.lines() > 1:
            flags |= (Qt.TextFlag.TextWrapAnywhere if self.mode == Qt.TextElideMode.ElideMiddle
                      else Qt.TextFlag.TextWordWrap)
        return int(flags)

    def fits(self, text: str) -> bool:
        rect = self.contentsRect()
        bound = self.fontMetrics().boundingRect(rect, self.flags(), text)
        return bound.width() <= rect.width() and bound.height() <= rect.height()

    def shown_text(self) -> str:
        """The text as it fits in the label now: whole, or the longest shortening that fits."""
        if self.fits(self.full):
            return self.full
        metrics = self.fontMetrics()
        low, high = 0, self.lines() * self.contentsRect().width()
        while low < high:  # the widest room whose shortened text still fits
            middle = (low + high + 1) // 2
            if self.fits(metrics.elidedText(self.full, self.mode, middle)):
                low = middle
            else:
                high = middle - 1
        return metrics.elidedText(self.full, self.mode, low)

    def paintEvent(self, event):  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawItemText(painter, self.contentsRect(), self.flags(), option.palette,
                                  self.isEnabled(), self.shown_text(), self.foregroundRole())
        painter.end()

    def sizeHint(self):  # noqa: N802 (Qt's name)
        return QSize(0, self.fontMetrics().height())

    def minimumSizeHint(self):  # noqa: N802 (Qt's name)
        return self.sizeHint()


class StatusBar(QStatusBar):
    """The incident status and the other permanent widgets on the right; the message to their
    left when it fits there whole, else on its own line above them (shown only while there is
    a message), so it never runs into them. A saved file's message stays until the next one,
    with an "Open folder" button beside it."""

    def __init__(self, open_url, parent=None):
        super().__init__(parent)
        self.open_url = open_url  # how a folder is opened (the window's open_external)
        self.text, self.hint, self.mode = "", "", Qt.TextElideMode.ElideRight
        self.saved_folder: Path | None = None
        self.message = ElidedLabel()
        self.message.setObjectName("status-message")
        self.open_folder = QPushButton("Open folder")
        self.open_folder.setObjectName("open-folder")
        self.open_folder.clicked.connect(self.show_folder)
        self.open_folder.hide()
        self.message_row = QWidget()
        row = QHBoxLayout(self.message_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.message, 1)
        row.addWidget(self.open_folder)
        self.message_row.hide()
        self.permanent_row = QWidget()
        self.permanent = QHBoxLayout(self.permanent_row)
        self.permanent.setContentsMargins(0, 0, 0, 0)
        self.permanent.addStretch(1)
        box = QWidget()
        self.rows = QVBoxLayout(box)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(0)
        self.rows.addWidget(self.message_row)
        self.rows.addWidget(self.permanent_row)
        # Permanent: QStatusBar's own temporary messages (a menu's status tip) never hide it.
        super().addPermanentWidget(box, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.clearMessage)

    def addPermanentWidget(self, widget, stretch: int = 0) -> None:  # noqa: N802 (Qt's name)
        self.permanent.addWidget(widget, stretch)
        self.place_message()

    def inline(self) -> bool:
        """Whether the message fits whole to the left of the permanent widgets."""
        taken = sum(self.permanent.itemAt(i).widget().sizeHint().width() + self.permanent.spacing()
                    for i in range(self.permanent.count()) if self.permanent.itemAt(i).widget()
                    and self.permanent.itemAt(i).widget() is not self.message_row
                    and not self.permanent.itemAt(i).widget().isHidden())
        wanted = self.message.fontMetrics().horizontalAdvance(self.currentMessage()) + 16
        if not self.open_folder.isHidden():
            wanted += self.open_folder.sizeHint().width()
        return self.width() - 16 - taken >= wanted

    def place_message(self) -> None:
        """Beside the permanent widgets when it fits, else on the line above them."""
        inline = self.inline()
        if inline and self.permanent.indexOf(self.message_row) < 0:
            self.rows.removeWidget(self.message_row)
            self.permanent.insertWidget(0, self.message_row, 1)
        elif not inline and self.rows.indexOf(self.message_row) < 0:
            self.permanent.removeWidget(self.message_row)
            self.rows.insertWidget(0, self.message_row)
        self.message_row.setVisible(bool(self.currentMessage()))

    def resizeEvent(self, event):  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.place_message()

    # QStatusBar's own names, so every `statusBar().showMessage(...)` comes here
    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 (Qt's name)
        self._set(text, timeout, Qt.TextElideMode.ElideRight, None)

    def currentMessage(self) -> str:  # noqa: N802 (Qt's name)
        """What the message label shows: the hint while there is one, else the message."""
        return self.hint or self.text

    def clearMessage(self) -> None:  # noqa: N802 (Qt's name)
        self._set("", 0, Qt.TextElideMode.ElideRight, None)

    def show_saved(self, text: str, path: Path) -> None:
        """'… saved to /the/full/path': kept until the next message, with Open folder."""
        self._set(text, 0, Qt.TextElideMode.ElideMiddle, Path(path).parent)

    def show_hint(self, text: str) -> None:
        """A passing word (where a link goes) over the message; "" puts the message back."""
        self.hint = text
        self._show()

    def show_folder(self) -> None:
        if self.saved_folder is not None:
            self.open_url(QUrl.fromLocalFile(str(self.saved_folder)))

    def _set(self, text: str, timeout: int, mode, folder: Path | None) -> None:
        self.timer.stop()
        self.text, self.mode, self.saved_folder, self.hint = text, mode, folder, ""
        if timeout > 0:
            self.timer.start(timeout)
        self._show()

    def _show(self) -> None:
        if self.hint:
            self.message.set_message(self.hint)
        else:
            self.message.set_message(self.text, self.mode)
        folder = None if self.hint else self.saved_folder
        self.open_folder.setVisible(folder is not None)
        self.open_folder.setToolTip(f"Open {folder} in the file manager" if folder else "")
        self.place_message()
        self.messageChanged.emit(self.currentMessage())
