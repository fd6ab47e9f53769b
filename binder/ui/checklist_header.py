"""The strip at the top of a checklist that stays put: its title and how far it has got."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from binder.content.pages import KIND_NAMES, origin_note, review_note, summary_html
from binder.content.store import DocRecord


def intro_html(doc: DocRecord) -> str:
    """What the header of a page says besides its title: kind, section, review and summary
    (these scroll with the page; the title and progress stay)."""
    kind = KIND_NAMES.get(doc.kind, doc.kind)
    return (f'<p class="meta">{escape(kind)} · {escape(doc.section)} · '
            f"{escape(review_note(doc.reviewed))}{escape(origin_note(doc))}</p>"
            f"{summary_html(doc)}")


class ChecklistHeader(QFrame):
    """Title, then '3 done · 1 N/A · 13 open': two short lines, so that on a 1024x600 screen
    the first step is in view as the page opens, and scrolling never hides where one is."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("checklist-header")
        self.title = QLabel()
        self.title.setObjectName("checklist-title")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QLabel()
        self.progress.setObjectName("progress")
        self.progress.setWordWrap(True)  # never wider than a small screen
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.progress)

    def show_title(self, title: str) -> None:
        self.title.setText(title)
        self.title.setAccessibleName(title)
