"""The left side of the window: the search box, the results and the section list."""

from __future__ import annotations

from collections import OrderedDict
from html import escape

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
)

from binder.core.search import Results
from binder.core.store import DocSummary

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

    def _document(self, option, index) -> QTextDocument:
        html = index.data(Qt.ItemDataRole.DisplayRole) or ""
        width = max(option.rect.width(), 200) - 8
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
        """Every row is as tall as five lines: up to two of title and three of snippet (the
        list has uniform rows, so the view asks this once, not once per row)."""
        lines = option.fontMetrics.lineSpacing()
        return QSize(option.rect.width(), lines * 5 + 8)


class SearchBox(QLineEdit):
    """The search box; Up and Down move through the results while typing goes on."""

    move_selection = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("search")
        self.setPlaceholderText("Search: tourniquet, EFLEA…")
        self.setAccessibleName("Search the binder")
        self.setClearButtonEnabled(True)

    def event(self, event):
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.move_selection.emit(1 if event.key() == Qt.Key.Key_Down else -1)
            return True
        return super().event(event)


class ResultsList(QListWidget):
    """Search hits, best first, each with its section and a highlighted snippet."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("results")
        self.setAccessibleName("Search results")
        self.setItemDelegate(HtmlDelegate(self))
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)

    def show_hits(self, results: Results, query: str) -> None:
        """Show the hits, reusing the rows already there (cheaper than clearing the list)."""
        rows = [self._row(hit) for hit in results.hits]
        if not rows:
            rows = [(f"<i>Nothing found for “{escape(query)}”.</i>", "", "", "")]
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
            spoken = f"Step: {hit.snippet_html}, in {where}"
        else:
            origin = f" · {escape(hit.pack)}" if hit.pack else ""
            text = (f"<b>{escape(hit.title)}</b> "
                    f"<span style='color:#5a5a5a'>· {escape(hit.section)}{origin}</span>"
                    f"<br><span style='font-size:small'>{hit.snippet_html}</span>")
            spoken = f"{hit.title}, {hit.section}"
        return text, hit.doc_id, hit.step_id, spoken.replace("<b>", "").replace("</b>", "")

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
    """The binder's sections in order, each listing its pages."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sections")
        self.setAccessibleName("Sections")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(False)

    def show_sections(self, sections: list[tuple[str, list[DocSummary]]]) -> None:
        self.clear()
        for name, docs in sections:
            top = QTreeWidgetItem([name])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for doc in docs:
                label = doc.title
                tip = doc.summary
                if doc.pack:
                    label += f"  · {doc.pack}"
                    tip += f"\nFrom the agency pack “{doc.pack}”"
                    if doc.replaces:
                        label += " (agency version)"
                        tip += ", in place of the shipped page"
                child = QTreeWidgetItem([label])
                child.setData(0, DOC_ID, doc.id)
                child.setToolTip(0, tip)
                top.addChild(child)
            if not docs:
                empty = QTreeWidgetItem(["(no pages yet)"])
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                top.addChild(empty)
            self.addTopLevelItem(top)
        self.expandAll()

    def select_doc(self, doc_id: str) -> None:
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, DOC_ID) == doc_id:
                    self.setCurrentItem(top.child(j))
                    return
