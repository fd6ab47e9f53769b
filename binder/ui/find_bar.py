"""Find in the open page, like a browser's Ctrl+F: type to search, Enter for next, Esc to close."""

from __future__ import annotations

from functools import lru_cache

import shiboken6
from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QWidget,
)

TARGET = 44  # px: the smallest button a gloved or shaking hand should have to hit
MATCH_COLOUR = "#fff0a0"
CURRENT_COLOUR = "#ffb347"
# Installed on a checklist page so the marks show without any rule in the window's style sheet.
MARK_STYLE = (f'*[found="match"] {{ background-color: {MATCH_COLOUR}; }}\n'
              '*[found="current"] { background-color: #ffd978; border: 2px solid #a35a00; }')


@lru_cache(maxsize=4096)
def plain_text(text: str, markdown: bool = False) -> str:
    """What a person reads of a label's rich text (or Markdown)."""
    document = QTextDocument()
    if markdown:
        document.setMarkdown(text)
    else:
        document.setHtml(text)
    return document.toPlainText()


def label_text(label: QLabel) -> str:
    text, kind = label.text(), label.textFormat()
    if kind == Qt.TextFormat.MarkdownText:
        return plain_text(text, markdown=True)
    if kind == Qt.TextFormat.RichText or (
            kind == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)):
        return plain_text(text)
    return text


def page_labels(widget: QWidget) -> list[QLabel]:
    """Every label in widget that is not hidden, in layout order (labels inside rows too)."""
    if isinstance(widget, QLabel):
        return [widget]
    layout = widget.layout()
    return layout_labels(layout) if layout is not None else []


def layout_labels(layout: QLayout) -> list[QLabel]:
    labels: list[QLabel] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        child = item.widget()
        if child is not None:
            labels += [] if child.isHidden() else page_labels(child)
        elif item.layout() is not None:
            labels += layout_labels(item.layout())
    return labels


def set_mark(widget: QWidget, state: str | None) -> None:
    """found="match" / "current" on a label or row (None removes it), then re-polish."""
    widget.setProperty("found", state)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def find_cursors(document: QTextDocument, text: str) -> list[QTextCursor]:
    """Every occurrence of text, case-insensitive and literal, as selecting cursors."""
    cursors = []
    cursor = document.find(text, 0)
    while not cursor.isNull():
        cursors.append(cursor)
        cursor = document.find(text, cursor)
    return cursors


def highlight(cursor: QTextCursor, current: bool) -> QTextEdit.ExtraSelection:
    char_format = QTextCharFormat()
    char_format.setBackground(QColor(CURRENT_COLOUR if current else MATCH_COLOUR))
    if current:
        char_format.setForeground(QColor("#000000"))
    selection = QTextEdit.ExtraSelection()
    selection.cursor = cursor
    selection.format = char_format
    return selection


def target_button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setToolTip(tip)
    button.setMinimumSize(TARGET, TARGET)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the typing in the field
    return button


class FindBar(QWidget):
    """Finds text in the attached page: a DocumentView (QTextEdit) or a ChecklistView
    (QScrollArea of labels and step rows). Starts hidden; start() shows it."""

    closed = Signal()  # Esc or Close: the window gives the focus back to the page

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("find-bar")
        self.view: QTextEdit | QScrollArea | None = None
        self._page: QWidget | None = None
        self._hits: list = []  # QTextCursor (document) or (label, marked widget) (checklist)
        self._index = -1
        self._marked: dict[QWidget, str] = {}
        self.field = QLineEdit()
        self.field.setObjectName("find-field")
        self.field.setAccessibleName("Find in this page")
        self.field.setPlaceholderText("Find in this page")
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumHeight(TARGET)
        self.status = QLabel()
        self.status.setObjectName("find-status")
        self.status.setMinimumWidth(self.status.fontMetrics().horizontalAdvance("888 of 888 "))
        self.previous_button = target_button("Previous", "Previous match",
                                             "Previous match (Shift+Enter)")
        self.next_button = target_button("Next", "Next match", "Next match (Enter)")
        self.close_button = target_button("Close", "Close find bar", "Close (Esc)")
        self._lay_out()
        self.field.textChanged.connect(self.search_text)
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.close_bar)
        for child in (self.field, self.previous_button, self.next_button, self.close_button):
            child.installEventFilter(self)
        self._show_status()
        self.hide()

    def _lay_out(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.status)
        for button in (self.previous_button, self.next_button, self.close_button):
            layout.addWidget(button)

    # Public

    def attach(self, view: QTextEdit | QScrollArea | None) -> None:
        """Search this view from now on; the same view again means its content changed."""
        if view is not self.view:
            self._clear_marks()
            self._connect(False)
            self.view = view
            self._connect(True)
        self.refresh()

    def refresh(self) -> None:
        """Count again (all matches highlighted, none chosen yet); nothing while hidden."""
        self._search(self.field.text() if not self.isHidden() else "", jump=False)

    def start(self) -> None:
        """Show the bar with its text selected, ready to type over, and search again."""
        if self.isHidden():
            self.show()
            self.refresh()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        """Clear the highlights and marks, hide, and emit closed."""
        self._clear_marks()
        self._hits, self._index = [], -1
        self.hide()
        self._show_status()
        self.closed.emit()

    def search_text(self, text: str) -> None:
        """Search as the person types and go to the first match."""
        self._search(text, jump=True)

    def next(self) -> None:
        self._step(1)

    def previous(self) -> None:
        self._step(-1)

    def count(self) -> int:
        return len(self._hits)

    def current(self) -> int:
        """1-based number of the chosen match; 0 when none is chosen or there is none."""
        return self._index + 1

    # Searching

    def _connect(self, on: bool) -> None:
        if isinstance(self.view, QTextEdit) and shiboken6.isValid(self.view):
            if on:
                self.view.textChanged.connect(self.refresh)
            else:
                self.view.textChanged.disconnect(self.refresh)

    def _alive(self) -> bool:
        return self.view is not None and shiboken6.isValid(self.view)

    def _search(self, text: str, jump: bool) -> None:
        self._clear_marks()
        self._page = self.view.widget() if isinstance(self.view, QScrollArea) else None
        self._hits = self._find(text) if text and self._alive() else []
        self._index = -1
        if jump and self._hits:
            self._go(0)
        else:
            self._paint()

    def _find(self, text: str) -> list:
        if isinstance(self.view, QTextEdit):
            return find_cursors(self.view.document(), text)
        if self._page is None:
            return []
        needle, hits = text.lower(), []
        for label in page_labels(self._page):
            marked = label if label.parentWidget() is self._page else label.parentWidget()
            hits += [(label, marked)] * label_text(label).lower().count(needle)
        return hits

    def _step(self, delta: int) -> None:
        if isinstance(self.view, QScrollArea) and self.view.widget() is not self._page:
            self.refresh()  # the page was replaced without a re-attach
        if self._hits:
            start = self._index if self._index >= 0 else (-1 if delta > 0 else 0)
            self._go(start + delta)

    def _go(self, index: int) -> None:
        self._index = index % len(self._hits)
        self._paint()
        hit = self._hits[self._index]
        if isinstance(hit, QTextCursor):
            self.view.setTextCursor(hit)
            self.view.ensureCursorVisible()
        else:
            label, marked = hit
            self.view.ensureWidgetVisible(label)
            self.view.ensureWidgetVisible(marked)  # last: a tall row shows from its top

    # Showing

    def _paint(self) -> None:
        if self._hits and isinstance(self.view, QTextEdit):
            self.view.setExtraSelections(
                [highlight(cursor, i == self._index) for i, cursor in enumerate(self._hits)])
        elif self._hits:
            self._mark_page()
        self._show_status()

    def _mark_page(self) -> None:
        if MARK_STYLE not in self._page.styleSheet():
            self._page.setStyleSheet(f"{self._page.styleSheet()}\n{MARK_STYLE}")
        wanted: dict[QWidget, str] = {}
        for i, (_label, marked) in enumerate(self._hits):
            if i == self._index or wanted.get(marked) != "current":
                wanted[marked] = "current" if i == self._index else "match"
        for widget in [w for w in self._marked if w not in wanted]:
            self._unmark(widget)
        for widget, state in wanted.items():
            if self._marked.get(widget) != state:
                set_mark(widget, state)
                self._marked[widget] = state

    def _unmark(self, widget: QWidget) -> None:
        if shiboken6.isValid(widget):
            set_mark(widget, None)
        del self._marked[widget]

    def _clear_marks(self) -> None:
        if isinstance(self.view, QTextEdit) and self._alive():
            self.view.setExtraSelections([])
        for widget in list(self._marked):
            self._unmark(widget)

    def _show_status(self) -> None:
        count = len(self._hits)
        if count and self._index >= 0:
            text = f"{self._index + 1} of {count}"
        elif count:
            text = "1 match" if count == 1 else f"{count} matches"
        else:
            text = "No matches" if self.field.text() and self._alive() else ""
        self.status.setText(text)
        self.status.setAccessibleName(text or "Find")
        self.previous_button.setEnabled(bool(count))
        self.next_button.setEnabled(bool(count))

    # Keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Enter/Shift+Enter in the field, Esc anywhere in the bar; they win over the window's
        shortcuts (its Esc goes to the search box)."""
        kinds = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
        if event.type() in kinds and isinstance(event, QKeyEvent):
            action = self._key_action(watched, event)
            if action is not None:
                if event.type() == QEvent.Type.KeyPress:
                    action()
                event.accept()
                return True
        return super().eventFilter(watched, event)

    def _key_action(self, watched: QObject, event: QKeyEvent):
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() == Qt.Key.Key_Escape and modifiers == Qt.KeyboardModifier.NoModifier:
            return self.close_bar
        if watched is not self.field or event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return None
        if modifiers == Qt.KeyboardModifier.ShiftModifier:
            return self.previous
        return self.next if modifiers == Qt.KeyboardModifier.NoModifier else None
