"""People's words (names, places, notes) in widgets: shown as typed, never read as HTML or as an
'&' shortcut."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import Qt


def plain(label):
    """A label that shows its text as typed (a QLabel's AutoText reads '<b>' as HTML)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def tooltip(text: str) -> str:
    """A tooltip that shows text as typed: Qt reads one that looks like HTML as HTML."""
    if not Qt.mightBeRichText(text):
        return text
    return "<p style='white-space:pre-wrap'>" + escape(text) + "</p>"


def menu_text(text: str) -> str:
    """Text for a button or menu item: '&' is Qt's shortcut mark, '&&' shows one '&'."""
    return text.replace("&", "&&")
