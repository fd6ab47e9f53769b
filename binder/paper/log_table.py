"""Block 7 of the ICS 214, the activity table, painted row by row: time grows with the entries.

QTextDocument lays a table out and paints a page of it in time that grows with the whole
table, so one document of 90,000 rows took minutes. Here each row is measured once, the rows
are placed on pages (the table's two header rows again at the top of each page, a row taller
than a page split between its lines), and each page paints only its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QTextLayout, QTextOption

TIME_SHARE = 0.24  # the Date/Time column, as in the form's HTML ("24%")
LAYOUTS_KEPT = 20_000  # laid-out texts kept for reuse (ticks of the same step read the same)
HEADER_GREY = QColor("#e6e6e6")
LABEL_GREY = QColor("#333333")


@dataclass
class Piece:
    """A row of the table, or the lines first..last of a row too tall for one page."""

    entry: int
    y: float
    height: float
    first: int = 0
    last: int | None = None  # the activity's lines [first, last); None: all


@dataclass
class Page:
    top: float | None = None  # where the block's header goes (first page only)
    head: float | None = None  # where the table's two header rows go
    pieces: list[Piece] = field(default_factory=list)
    bottom: float | None = None  # where "8. Prepared by" and the foot go (last page)


class LogTable:
    """Measures, places and paints the rows (date/time, notable activity) on a paint device."""

    def __init__(self, device, width: float, text_font: QFont, label_font: QFont):
        self.device = device
        self.width = width
        px = device.logicalDpiY() / 96  # a CSS pixel, as QTextDocument scales it
        self.pad, self.line = 5 * px, 1 * px
        self.time_width = width * TIME_SHARE
        self.text_font, self.label_font = text_font, label_font
        self.option = QTextOption()
        self.option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.layouts: dict[tuple, QTextLayout] = {}
        self.bold = QFont(text_font)
        self.bold.setBold(True)
        self.title_height = self._height("7. Activity Log:", self.bold, width) + 2 * self.pad
        self.labels_height = self._height("Date/Time", label_font, width) + 2 * self.pad

    @property
    def head_height(self) -> float:
        return self.title_height + self.labels_height

    # Measuring

    def lay_out(self, text: str, font: QFont, width: float) -> QTextLayout:
        """The text broken into lines `width` wide; the same words are laid out once."""
        key = (text, font.pointSizeF(), font.bold(), width)
        layout = self.layouts.get(key)
        if layout is None:
            if len(self.layouts) >= LAYOUTS_KEPT:
                self.layouts.clear()
            layout = self.layouts[key] = self._new_layout(text, font, width)
        return layout

    def _new_layout(self, text: str, font: QFont, width: float) -> QTextLayout:
        layout = QTextLayout(text, font, self.device)
        layout.setTextOption(self.option)
        layout.beginLayout()
        y = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1.0, width))
            line.setPosition(QPointF(0, y))
            y += line.height()
        layout.endLayout()
        return layout

    def _height(self, text: str, font: QFont, width: float) -> float:
        return self.lay_out(text, font, width).boundingRect().height()

    def time_parts(self, date_time: str) -> tuple[str, str]:
        shown, _, entered = date_time.partition(" (entered ")
        return shown.replace(" ", "\u00a0"), f"(entered {entered}" if entered else ""

    def time_height(self, date_time: str) -> float:
        shown, entered = self.time_parts(date_time)
        inner = self.time_width - 2 * self.pad
        height = self._height(shown, self.text_font, inner)
        return height + (self._height(entered, self.label_font, inner) if entered else 0)

    def activity(self, text: str) -> QTextLayout:
        return self.lay_out(text, self.text_font, self.width - self.time_width - 2 * self.pad)

    # Placing

    def place(self, entries, top: float, bottom: float, body: float) -> list[Page]:
        """Pages for the block: its header (height `top`) and the table on the first, the
        rows in order, "Prepared by" (height `bottom`) after the last row."""
        page = Page(top=0.0, head=top)
        pages, y = [page], top + self.head_height

        def next_page() -> None:
            nonlocal page, y
            page = Page(head=0.0)
            pages.append(page)
            y = self.head_height

        for number, entry in enumerate(entries):
            layout = self.activity(entry.activity)
            inner = max(self.time_height(entry.date_time), layout.boundingRect().height())
            height = inner + 2 * self.pad
            if y + height > body and y > self.head_height and height <= body - self.head_height:
                next_page()
            if y + height <= body:
                page.pieces.append(Piece(number, y, height))
                y += height
                continue
            if body - y < self.pad * 2 + layout.lineAt(0).height():
                next_page()  # not even one line of the tall row fits here
            first = 0
            while first < layout.lineCount():  # taller than what is left: split at lines
                last, used = first, 2 * self.pad
                while last < layout.lineCount() and y + used + layout.lineAt(last).height() <= body:
                    used += layout.lineAt(last).height()
                    last += 1
                last = max(last, first + 1)
                used = max(used, 2 * self.pad + layout.lineAt(first).height())
                page.pieces.append(Piece(number, y, used, first, last))
                y += used
                first = last
                if first < layout.lineCount():
                    next_page()
        gap = self.pad * 2  # the table's bottom margin (10px)
        if y + gap + bottom > body:
            page = Page()
            pages.append(page)
            y, gap = 0.0, 0.0
        page.bottom = y + gap
        return pages

    # Painting

    def paint_head(self, painter: QPainter, y: float) -> None:
        title = QRectF(0, y, self.width, self.title_height)
        painter.fillRect(title, HEADER_GREY)
        self._text(painter, "7. Activity Log:", self.bold, title, Qt.GlobalColor.black)
        labels = QRectF(0, title.bottom(), self.width, self.labels_height)
        self._text(painter, "Date/Time", self.label_font, labels, LABEL_GREY)
        self._text(painter, "Notable Activities", self.label_font,
                   labels.adjusted(self.time_width, 0, 0, 0), LABEL_GREY)
        self._borders(painter, title, split=False)
        self._borders(painter, labels)

    def paint_piece(self, painter: QPainter, piece: Piece, entry) -> None:
        cell = QRectF(0, piece.y, self.width, piece.height)
        if piece.first == 0:
            shown, entered = self.time_parts(entry.date_time)
            inner = self.time_width - 2 * self.pad
            layout = self.lay_out(shown, self.text_font, inner)
            layout.draw(painter, QPointF(self.pad, piece.y + self.pad))
            if entered:
                below = piece.y + self.pad + layout.boundingRect().height()
                painter.save()
                painter.setPen(LABEL_GREY)
                self.lay_out(entered, self.label_font, inner).draw(
                    painter, QPointF(self.pad, below))
                painter.restore()
        layout = self.activity(entry.activity)
        last = layout.lineCount() if piece.last is None else piece.last
        if last > piece.first:
            shift = layout.lineAt(piece.first).position().y()
            origin = QPointF(self.time_width + self.pad, piece.y + self.pad - shift)
            for number in range(piece.first, last):
                layout.lineAt(number).draw(painter, origin)
        self._borders(painter, cell)

    def _text(self, painter: QPainter, text: str, font: QFont, rect: QRectF, color) -> None:
        painter.save()
        painter.setPen(color)
        self.lay_out(text, font, rect.width() - 2 * self.pad).draw(
            painter, QPointF(rect.left() + self.pad, rect.top() + self.pad))
        painter.restore()

    def _borders(self, painter: QPainter, rect: QRectF, split: bool = True) -> None:
        painter.save()
        painter.setPen(QPen(Qt.GlobalColor.black, self.line))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        if split:
            x = rect.left() + self.time_width
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        painter.restore()
