"""The document view: a QTextBrowser that shows a rendered page and never fetches anything."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTextBrowser

from binder.ui.checklist_view import line_width


class DocumentView(QTextBrowser):
    """Shows one page; every link is handed to the window, nothing is loaded from outside."""

    link_activated = Signal(str)
    link_hovered = Signal(str)

    def __init__(self, stylesheet: str, parent=None):
        super().__init__(parent)
        self.setObjectName("document")
        self.setAccessibleName("Document")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(stylesheet)
        self.document().setDocumentMargin(16)
        self.html = ""
        self.widest = 0  # the longest a line may be, in pixels (0: the view's width)
        self.anchorClicked.connect(lambda url: self.link_activated.emit(url.toString()))
        self.highlighted.connect(lambda url: self.link_hovered.emit(url.toString()))

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 (Qt's name)
        """Refuse every outside resource: pages carry no images and nothing is fetched."""
        return None

    def show_html(self, html: str, anchor: str = "") -> None:
        self.html = html
        self.setHtml(html)
        if anchor:
            self.scrollToAnchor(anchor)
        else:
            self.verticalScrollBar().setValue(0)

    def set_stylesheet(self, stylesheet: str, font: QFont | None = None) -> None:
        """A new look or text size: the page is laid out again at the same place."""
        bar = self.verticalScrollBar()
        where = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self.document().setDefaultStyleSheet(stylesheet)
        if font is not None:
            self.document().setDefaultFont(font)
            self.widest = line_width(font)
            self.fit_lines()
        self.setHtml(self.html)
        bar.setValue(round(where * bar.maximum()))

    def resizeEvent(self, event):  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit_lines()

    def fit_lines(self) -> None:
        """Lines as wide as the view, but no wider than `widest` on a big screen."""
        modes = QTextBrowser.LineWrapMode
        if self.widest and self.viewport().width() > self.widest:
            if self.lineWrapMode() != modes.FixedPixelWidth or (
                    self.lineWrapColumnOrWidth() != self.widest):
                self.setLineWrapMode(modes.FixedPixelWidth)
                self.setLineWrapColumnOrWidth(self.widest)
        elif self.lineWrapMode() != modes.WidgetWidth:
            self.setLineWrapMode(modes.WidgetWidth)
