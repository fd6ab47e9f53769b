"""The left side of the window: the search box, the results and the section list."""

from __future__ import annotations

import math
from collections import OrderedDict
from html import escape

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
)

from binder.content.sections import SUB_SECTION
from binder.content.store import DocSummary
from binder.search.search import Results
from binder.search.snippets import as_text

DOC_ID = Qt.ItemDataRole.UserRole
STEP_ID = Qt.ItemDataRole.UserRole + 1


class HtmlDelegate(QStyledItemDelegate):
    """Paints an item's text as rich text, so a snippet's matched words show in bold.

    Laying out HTML is the costly part of showing results; each (text, width) is laid out
    once and kept, since a keystroke usually shows many of the same rows again."""

    CACHE_SIZE = 200

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cache: OrderedDict[tuple[str, int], QTextDocument] = OrderedDict()

    def _document(self, option, index, width: int = 0) -> QTextDocument:
        html = index.data(Qt.ItemDataRole.DisplayRole) or ""
        width = max(width or option.rect.width(), 60) - 8  # never wider than the list
        key = (html, width)
        doc = self.cache.get(key)
        if doc is not None:
            self.cache.move_to_end(key)
            return doc
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(html)
        doc.setTextWidth(width)
        self.cache[key] = doc
        if len(self.cache) > self.CACHE_SIZE:
            self.cache.popitem(last=False)
        return doc

    def paint(self, painter, option, index):
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        text = option.text
        option.text = ""
        option.widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                                          option.widget)
        option.text = text
        painter.save()
        painter.setClipRect(option.rect)
        painter.translate(option.rect.left() + 4, option.rect.top() + 2)
        doc.drawContents(painter, QRectF(0, 0, option.rect.width() - 8, option.rect.height() - 4))
        painter.restore()

    def sizeHint(self, option, index):  # noqa: N802 (Qt's name)
        """As tall as the hit's words need at the list's width: they wrap, never clipped.
        (The same laid-out document is then painted, so this costs one layout per hit.)"""
        view = option.widget or self.parent()
        width = view.viewport().width() if view is not None else option.rect.width()
        doc = self._document(option, index, width)
        return QSize(width, max(44, math.ceil(doc.size().height()) + 6))


ROW_GAP = 10  # px between a wrapped page title and the next


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped titles, measured at the width a row really has: Qt's own
    size hint leaves the tree's indentation in, and the last line of a long title was cut."""

    def sizeHint(self, option, index):  # noqa: N802 (Qt's name)
        view, depth, parent = self.parent(), 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        indent = view.indentation() * (depth + (1 if view.rootIsDecorated() else 0))
        mine = QStyleOptionViewItem(option)
        mine.rect = QRect(0, 0, max(60, view.viewport().width() - indent), 1000)
        size = super().sizeHint(mine, index)
        return QSize(size.width(), size.height() + ROW_GAP)  # wrapped titles do not touch


class ResultsList(QListWidget):
    """Search hits, best first, each with its section and a highlighted snippet."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("results")
        self.setAccessibleName("Search results")
        self.setItemDelegate(HtmlDelegate(self))
        self.setWordWrap(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)  # rows fit the words again
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)

    def show_hits(self, results: Results, query: str) -> None:
        """Show the hits, reusing the rows already there (cheaper than clearing the list)."""
        rows = [self._row(hit) for hit in results.hits]
        if not rows:
            rows = [(f"<i>Nothing found for “{escape(query)}”.</i>", "", "",
                     f"Nothing found for “{query}”.")]
        self.setUpdatesEnabled(False)
        while self.count() > len(rows):
            self.takeItem(self.count() - 1)
        for index, (text, doc_id, step_id, spoken) in enumerate(rows):
            item = self.item(index)
            if item is None:
                item = QListWidgetItem()
                self.addItem(item)
            item.setText(text)
            item.setData(DOC_ID, doc_id)
            item.setData(STEP_ID, step_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken or text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          if doc_id else Qt.ItemFlag.NoItemFlags)
        self.setUpdatesEnabled(True)
        if results.hits:
            self.setCurrentRow(0)
        self.scrollToTop()

    @staticmethod
    def _row(hit) -> tuple[str, str, str, str]:
        """(HTML, page id, step id, what a screen reader says) for one hit."""
        if hit.kind == "step":
            where = f"{hit.title} › {hit.phase}" if hit.phase else hit.title
            text = (f"<span style='color:#5a5a5a'>Step in <b>{escape(where)}</b></span>"
                    f"<br><span style='font-size:small'>&#9744; {hit.snippet_html}</span>")
            spoken = f"Step: {as_text(hit.snippet_html)}, in {where}"
        else:
            own = hit.section.split(SUB_SECTION)[0] in (hit.pack, f"{hit.pack} (agency pack)")
            origin = f" · {escape(hit.pack)}" if hit.pack and not own else ""
            text = (f"<b>{escape(hit.title)}</b> "
                    f"<span style='color:#5a5a5a'>· {escape(hit.section)}{origin}</span>"
                    f"<br><span style='font-size:small'>{hit.snippet_html}</span>")
            spoken = ", ".join(part for part in (hit.title, hit.section, origin and hit.pack,
                                                 as_text(hit.snippet_html)) if part)
        return text, hit.doc_id, hit.step_id, spoken

    def current_doc_id(self) -> str:
        return self.current_target()[0]

    def current_target(self) -> tuple[str, str]:
        """(page id, step id) of the chosen hit, or of the best one."""
        item = self.currentItem() or self.item(0)
        if item is None:
            return "", ""
        return item.data(DOC_ID) or "", item.data(STEP_ID) or ""

    def move(self, delta: int) -> None:
        if self.count():
            self.setCurrentRow(max(0, min(self.count() - 1, self.currentRow() + delta)))


class SectionTree(QTreeWidget):
    """The binder's sections in order, each listing its pages; above them the pages this
    machine pinned and the ones opened last (each group shown only when it has a page)."""

    RECENT_SHOWN = 5

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sections")
        self.setAccessibleName("Sections")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)  # a long title takes two lines rather than losing its end
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegate(WrappingDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.docs: dict[str, DocSummary] = {}  # every page listed, by id
        self.pinned_group: QTreeWidgetItem | None = None
        self.recent_group: QTreeWidgetItem | None = None
        self._place_ids: tuple[list[str], list[str]] = ([], [])

    def show_sections(self, sections: list[tuple[str, list[DocSummary]]]) -> None:
        """List the sections; the pinned and recent pages last given are shown above them."""
        self.clear()
        self.pinned_group = self.recent_group = None
        self.docs = {doc.id: doc for _, docs in sections for doc in docs}
        for name, docs in sections:
            top = self._group_item(name)
            for doc in docs:
                child = QTreeWidgetItem()
                self._fill_page_item(child, doc)
                top.addChild(child)
            if not docs:
                empty = QTreeWidgetItem(["(no pages yet)"])
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                top.addChild(empty)
            self.addTopLevelItem(top)
        self.expandAll()
        self.show_places(*self._place_ids)

    def show_places(self, pinned: list[str], recent: list[str]) -> None:
        """The Pinned group (in the order pinned) and the Recent group (most recent first) at
        the top. Ids of pages not in the binder (a pack removed) are skipped, and kept here so
        that they show again if the page comes back. Rows are reused, not rebuilt: this runs
        while the row a person clicked is being handled."""
        self._place_ids = (list(pinned), list(recent))
        pinned_docs = [self.docs[i] for i in pinned if i in self.docs]
        recent_docs = [self.docs[i] for i in recent if i in self.docs][: self.RECENT_SHOWN]
        self.pinned_group = self._show_group(self.pinned_group, "Pinned", pinned_docs, 0)
        self.recent_group = self._show_group(
            self.recent_group, "Recent", recent_docs, 1 if self.pinned_group else 0)

    def place_ids(self, group: QTreeWidgetItem | None) -> list[str]:
        """The page ids a Pinned or Recent group shows, top to bottom ([] when not shown)."""
        if group is None:
            return []
        return [group.child(i).data(0, DOC_ID) for i in range(group.childCount())]

    def is_place(self, item: QTreeWidgetItem | None) -> bool:
        """Whether the row is a page in the Pinned or Recent group."""
        parent = item.parent() if item is not None else None
        return parent is not None and (parent is self.pinned_group or parent is self.recent_group)

    def select_doc(self, doc_id: str) -> None:
        """Highlight the page in its section. When it was picked from Pinned or Recent, the
        list does not scroll away from the row just picked."""
        item = self._section_item(doc_id)
        if item is None:
            return
        current = self.currentItem()
        picked_from_places = self.is_place(current) and current.data(0, DOC_ID) == doc_id
        scroll = self.hasAutoScroll()
        self.setAutoScroll(scroll and not picked_from_places)
        self.setCurrentItem(item)
        self.setAutoScroll(scroll)

    def _section_item(self, doc_id: str) -> QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            if top is self.pinned_group or top is self.recent_group:
                continue
            for j in range(top.childCount()):
                if top.child(j).data(0, DOC_ID) == doc_id:
                    return top.child(j)
        return None

    @staticmethod
    def _group_item(name: str) -> QTreeWidgetItem:
        top = QTreeWidgetItem([name])
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        top.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return top

    @staticmethod
    def _fill_page_item(item: QTreeWidgetItem, doc: DocSummary, where: str = "") -> None:
        label = doc.title
        tip = doc.summary
        if doc.pack:
            in_own_section = doc.section.split(SUB_SECTION)[0] in (
                doc.pack, f"{doc.pack} (agency pack)")
            if where or not in_own_section:  # under its pack's own name the pack goes unsaid
                label += f"  · {doc.pack}"
            tip += f"\nFrom the agency pack “{doc.pack}”"
            if doc.replaces:
                label += " (agency version)"
                tip += ", in place of the shipped page"
        if where:
            tip = f"{doc.section}. {tip}"
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{label}, {where}")
        item.setText(0, label)
        item.setData(0, DOC_ID, doc.id)
        item.setToolTip(0, tip)

    def _show_group(self, group: QTreeWidgetItem | None, name: str, docs: list[DocSummary],
                    index: int) -> QTreeWidgetItem | None:
        if not docs:
            if group is not None:
                self.takeTopLevelItem(self.indexOfTopLevelItem(group))
            return None
        if group is None:
            group = self._group_item(name)
            group.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{name} pages")
            self.insertTopLevelItem(index, group)
            group.setExpanded(True)
        where = name.lower()
        for i, doc in enumerate(docs):
            child = group.child(i)
            if child is None:
                child = QTreeWidgetItem()
                group.addChild(child)
            self._fill_page_item(child, doc, where)
        while group.childCount() > len(docs):
            group.takeChild(group.childCount() - 1)
        return group
