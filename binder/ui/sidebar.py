"""The left side of the window: the search box, the results and the section list."""

from __future__ import annotations

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
    """Paints an item's text as rich text, so a snippet's matched words show in bold."""

    def _document(self, option, index) -> QTextDocument:
        doc = QTextDocument()
        doc.setHtml(index.data(Qt.ItemDataRole.DisplayRole) or "")
        doc.setTextWidth(max(option.rect.width(), 200) - 8)
        doc.setDefaultFont(option.font)
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
        painter.translate(option.rect.left() + 4, option.rect.top() + 2)
        doc.drawContents(painter, QRectF(0, 0, option.rect.width() - 8, option.rect.height()))
        painter.restore()

    def sizeHint(self, option, index):  # noqa: N802 (Qt's name)
        self.initStyleOption(option, index)
        option.rect.setWidth(option.widget.viewport().width() if option.widget else 300)
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 6)


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
        self.setWordWrap(True)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)

    def show_hits(self, results: Results, query: str) -> None:
        self.clear()
        for hit in results.hits:
            if hit.kind == "step":
                where = f"{hit.title} › {hit.phase}" if hit.phase else hit.title
                item = QListWidgetItem(
                    f"&#9744; {hit.snippet_html}<br><span style='color:#5a5a5a; "
                    f"font-size:small'>Step in <b>{escape(where)}</b></span>")
                spoken = f"Step: {hit.snippet_html}, in {where}"
            else:
                item = QListWidgetItem(
                    f"<b>{escape(hit.title)}</b> "
                    f"<span style='color:#5a5a5a'>· {escape(hit.section)}</span>"
                    f"<br><span style='font-size:small'>{hit.snippet_html}</span>")
                spoken = f"{hit.title}, {hit.section}"
            item.setData(DOC_ID, hit.doc_id)
            item.setData(STEP_ID, hit.step_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         spoken.replace("<b>", "").replace("</b>", ""))
            self.addItem(item)
        if not results.hits:
            item = QListWidgetItem(f"<i>Nothing found for “{escape(query)}”.</i>")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
        else:
            self.setCurrentRow(0)

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
                child = QTreeWidgetItem([doc.title])
                child.setData(0, DOC_ID, doc.id)
                child.setToolTip(0, doc.summary)
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
