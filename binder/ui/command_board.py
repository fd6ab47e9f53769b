"""Incident > Command board: the incident across every laptop, for the incident commander."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from binder.journal.incidents import elapsed
from binder.sync.board import AtOnce, Board, BoardReader, Entry
from binder.ui.step_row import STATUS_WORDS, local_time

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QStackedWidget

    from binder.search.library import Library
    from binder.ui.session import Session

DOC_ROLE, STEP_ROLE = Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 1
AGE_EVERY_MS = 30_000  # "last entry 5 min ago" is redone this often while the board shows
HINT = ("Every laptop's entries in this incident. Up and Down move, Enter on a checklist or a "
        "step opens it, Tab leaves the list.")


class PageSteps:
    """Each page's title and step ids from the binder, read when the board first asks."""

    def __init__(self, library: Callable[[], Library | None]):
        self.library = library
        self.known: dict[str, tuple[str, list[str]] | None] = {}

    def get(self, doc_id: str, default=None):
        if doc_id not in self.known:
            store = self.library()
            doc = store.document(doc_id) if store is not None else None
            self.known[doc_id] = (doc.title, [s.id for s in doc.steps]) if doc else None
        return self.known[doc_id] or default


class ColumnDelegate(QStyledItemDelegate):
    """Rows as tall as their longest cell wrapped at its column's width (Qt's own measure
    leaves a third line out, cut short with "…")."""

    def sizeHint(self, option, index):  # noqa: N802 (Qt's name)
        view = self.parent()
        mine = QStyleOptionViewItem(option)
        indent = view.indentation() if index.column() == 0 and index.parent().isValid() else 0
        mine.rect = QRect(0, 0, max(60, view.columnWidth(index.column()) - indent - 8), 1000)
        size = super().sizeHint(mine, index)
        return QSize(size.width(), size.height() + 6)


class CommandBoard(QWidget):
    """The board as one list of five groups: checklists, laptops, steps changed at once,
    clocks far ahead, entries after the close (those of the last three that hold something
    unresolved come first, with the keyboard on their first row). Repainted whenever the
    session follows new entries (its own, another window's or another laptop's)."""

    open_step = Signal(str, str)  # doc id, step id ("": the checklist's top)

    def __init__(self, session: Session, pages: PageSteps,
                 last_segments: Callable[[], dict[str, str]] = dict, parent=None):
        super().__init__(parent)
        self.session, self.pages, self.last_segments = session, pages, last_segments
        self.reader: BoardReader | None = None
        self.board: Board | None = None
        self.stale = True
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Command board")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["What", "State", "Who and when"])
        self.tree.setWordWrap(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrapped, never cut short
        self.tree.setItemDelegate(ColumnDelegate(self.tree))
        self.tree.header().sectionResized.connect(lambda *_: self.tree.doItemsLayout())
        for column, width in ((0, 360), (1, 220)):  # before any row: rows are measured once
            self.tree.setColumnWidth(column, width)
        self.tree.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(hint)
        layout.addWidget(self.tree, 1)
        self.setFocusProxy(self.tree)
        self.age_timer = QTimer(self)
        self.age_timer.setInterval(AGE_EVERY_MS)
        self.age_timer.timeout.connect(self.refresh)
        session.changed.connect(self.refresh)

    # Keeping up

    def showEvent(self, event):  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.age_timer.start()
        if self.stale:
            self.refresh()

    def hideEvent(self, event):  # noqa: N802 (Qt's name)
        super().hideEvent(event)
        self.age_timer.stop()

    def changeEvent(self, event):  # noqa: N802 (Qt's name)
        """A new look (night, high contrast): the groups' shade is made again from it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.board is not None:
            self.fill(self.board)

    def refresh(self) -> None:
        """Read what is new (only when the board is on screen; else when it next shows)."""
        if not self.isVisible():
            self.stale = True
            return
        self.stale = False
        incident, journal = self.session.incident, self.session.journal
        if incident is None or journal is None:
            self.board = self.reader = None
            self.title.setText("Command board: no incident")
            self.tree.clear()
            self.tree.addTopLevelItem(QTreeWidgetItem(
                ["No incident is current: start one, or switch to one, in the Incident menu."]))
            return
        if self.reader is None or self.reader.incident_id != incident.id:
            self.reader = BoardReader(journal, incident.id)
        self.title.setText(f"Command board: {incident.name}"
                           + ("" if incident.is_open else " (closed)"))
        self.fill(self.reader.read(self.pages, self.last_segments()))

    # Painting

    def fill(self, board: Board) -> None:
        """The five groups, keeping the row the keyboard is on where it can."""
        self.board = board
        current = self.tree.currentItem()
        keep = (current.data(0, DOC_ROLE), current.data(0, STEP_ROLE), current.text(0)) \
            if current else None
        self.tree.clear()
        unresolved = sum(pair.unresolved for pair in board.at_once)
        groups = [  # (title, rows, said when empty, needs the commander's eye)
            (f"Checklists ({len(board.checklists)})",
             [self.checklist_item(c) for c in board.checklists],
             "No checklist has been used yet.", False),
            (f"Laptops ({len(board.laptops)})",
             [self.laptop_item(laptop) for laptop in board.laptops], "", False),
            (f"Steps changed at once on two laptops ({unresolved} unresolved, "
             f"{len(board.at_once) - unresolved} settled)",
             [self.at_once_item(pair) for pair in board.at_once], "None.", unresolved > 0),
            (f"Entries with a clock far ahead ({len(board.clock_ahead)})",
             [self.flagged_item(e, f"clock {ahead(e.ahead_ms)} ahead")
              for e in board.clock_ahead], "None.", bool(board.clock_ahead)),
            (f"Entries after the incident closed ({len(board.after_close)})",
             [self.flagged_item(e, "after close") for e in board.after_close], "None.",
             bool(board.after_close)),
        ]
        # What needs the commander's eye first; the rest in their usual order.
        for title, items, empty, _alarm in sorted(groups, key=lambda group: not group[3]):
            self.group(title, items, empty)
        self.tree.expandAll()
        self.tree.setCurrentItem(self.find(keep) or self.first_row())

    def group(self, title: str, items: list[QTreeWidgetItem], empty: str) -> None:
        head = QTreeWidgetItem([title])
        font = QFont(self.tree.font())
        font.setBold(True)
        head.setFont(0, font)
        head.setFirstColumnSpanned(True)
        head.setBackground(0, self.palette().color(QPalette.ColorRole.AlternateBase))
        self.tree.addTopLevelItem(head)
        head.setFirstColumnSpanned(True)
        if not items and empty:
            items = [QTreeWidgetItem([empty])]
        head.addChildren(items)

    def checklist_item(self, checklist) -> QTreeWidgetItem:
        where = ", ".join(sorted(self.laptop_label(device) for device in checklist.laptops))
        item = QTreeWidgetItem([
            checklist.title,
            f"{checklist.done} of {checklist.total} done · {checklist.not_applicable} N/A · "
            f"{checklist.open} open",
            f"by {where}" if where else ""])
        item.setData(0, DOC_ROLE, checklist.doc_id)
        item.setData(0, STEP_ROLE, "")
        item.setToolTip(0, f"{checklist.title}: Enter opens it")
        return item

    def laptop_item(self, laptop) -> QTreeWidgetItem:
        contact = (f"last entry {local_time(laptop.last_entry)} ({elapsed(laptop.last_entry)}"
                   f"{'' if elapsed(laptop.last_entry) == 'just now' else ' ago'})"
                   if laptop.last_entry else "no entry yet")
        if not laptop.this_one:
            contact += (f" · last segment {local_time(laptop.last_segment)}"
                        if laptop.last_segment else "")
        entries = f"{laptop.entries} entr{'y' if laptop.entries == 1 else 'ies'}"
        item = QTreeWidgetItem([
            laptop.label + (" · this laptop" if laptop.this_one else ""), entries, contact])
        for column in range(3):
            item.setToolTip(column, f"Laptop {laptop.device}")
        return item

    def at_once_item(self, pair: AtOnce) -> QTreeWidgetItem:
        both = "\n".join(f"{STATUS_WORDS.get(e.status, e.status)} by {self.who(e)} "
                          f"{local_time(e.entered_at)}" for e in (pair.first, pair.second))
        item = QTreeWidgetItem([
            pair.step_text, "UNRESOLVED: both still stand" if pair.unresolved else "settled since",
            both])
        item.setData(0, DOC_ROLE, pair.doc_id)
        item.setData(0, STEP_ROLE, pair.step_id)
        if pair.unresolved:
            self.bold(item)
        item.setToolTip(0, "Enter opens the step")
        return item

    def flagged_item(self, entry: Entry, flag: str) -> QTreeWidgetItem:
        what = entry.text or entry.step_text or entry.kind
        item = QTreeWidgetItem([what, flag.upper(),
                                f"{self.who(entry)} {local_time(entry.entered_at)}"])
        if entry.doc_id and entry.step_id:
            item.setData(0, DOC_ROLE, entry.doc_id)
            item.setData(0, STEP_ROLE, entry.step_id)
        self.bold(item)
        item.setToolTip(2, f"Laptop {entry.device or self.board.device}")
        return item

    def laptop_label(self, device: str) -> str:
        laptop = self.board.laptop(device) if self.board else None
        return laptop.label if laptop else "another laptop"

    def who(self, entry: Entry) -> str:
        who = f"{entry.operator} ({entry.position})" if entry.position else entry.operator
        mine = entry.device in ("", self.board.device)
        return (who or "someone") + ("" if mine else " on another laptop")

    @staticmethod
    def bold(item: QTreeWidgetItem) -> None:
        font = QFont(item.font(0))
        font.setBold(True)
        for column in range(3):
            item.setFont(column, font)

    # The keyboard

    def first_row(self) -> QTreeWidgetItem | None:
        head = self.tree.topLevelItem(0)
        return head.child(0) if head is not None and head.childCount() else head

    def find(self, keep) -> QTreeWidgetItem | None:
        if not keep:
            return None
        for top in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(top)
            for number in range(head.childCount()):
                item = head.child(number)
                if (item.data(0, DOC_ROLE), item.data(0, STEP_ROLE), item.text(0)) == keep:
                    return item
        return None

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        doc_id = item.data(0, DOC_ROLE)
        if doc_id:
            self.open_step.emit(doc_id, item.data(0, STEP_ROLE) or "")


def ahead(ms: int) -> str:
    minutes = (ms + 30_000) // 60_000
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h {minutes % 60:02d} min" if hours < 48 else f"{hours // 24} days"


class BoardActions:
    """Incident > Command board (Ctrl+Shift+C): the board among the `pages` of `window`, built
    when first wanted; Enter on a checklist or step opens it with `open_hit`."""

    def __init__(self, window: QWidget, menu: QMenu, before: QAction, session: Session,
                 library: Callable[[], Library | None], pages: QStackedWidget,
                 open_hit: Callable[[str, str], None],
                 last_segments: Callable[[], dict[str, str]] = dict):
        self.window, self.session, self.pages = window, session, pages
        self.library, self.open_hit, self.last_segments = library, open_hit, last_segments
        self._view: CommandBoard | None = None
        self.action = QAction("Command &board", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.action.setToolTip("Every laptop's entries in this incident (Ctrl+Shift+C)")
        self.action.triggered.connect(lambda: self.open_board())
        menu.insertAction(before, self.action)
        session.changed.connect(self.update_action)
        self.update_action()

    def update_action(self) -> None:
        self.action.setEnabled(self.session.journal is not None
                               and self.session.incident is not None)

    @property
    def view(self) -> CommandBoard:
        if self._view is None:
            self._view = CommandBoard(self.session, PageSteps(self.library), self.last_segments)
            self._view.open_step.connect(self.open_hit)
            self.pages.addWidget(self._view)
        return self._view

    def open_board(self) -> CommandBoard:
        view = self.view
        self.pages.setCurrentWidget(view)
        view.refresh()
        view.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.window.setWindowTitle("Command board — Binder")
        return view
