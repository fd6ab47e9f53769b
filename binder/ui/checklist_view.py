"""The checklist view: a page's prose and its steps as rows a person ticks."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from binder.content.pages import sources_html
from binder.content.store import DocRecord
from binder.journal.incidents import DONE_KINDS, StepState, progress
from binder.journal.journal import JournalError
from binder.ui.checklist_header import ChecklistHeader, intro_html
from binder.ui.dialogs import DoneEarlierDialog, NoteDialog, is_decision
from binder.ui.session import Session
from binder.ui.step_row import StepRow, describe, rich_label
from binder.ui.undo_bar import Change, UndoBar, inverse, recorded_text, short, undone_text


def same_entry(a: StepState, b: StepState) -> bool:
    """The same last tick, N/A, done-earlier or untick (notes added since do not count)."""
    return dataclasses.replace(a, notes=()) == dataclasses.replace(b, notes=())


def line_width(font: QFont) -> int:
    """How wide a page may grow on a big screen: about 110 characters of its text, so the eye
    finds the next line and the ⋯ button stays near its step."""
    return round(QFontMetricsF(font).averageCharWidth() * 110 * STEP_TEXT_SCALE)


STEP_TEXT_SCALE = 1.3  # the step text (12pt in binder.qss) against the page's font


class ChecklistView(QScrollArea):
    """A checklist (or funding) page; every change is written to the journal before it shows."""

    link_activated = Signal(str)
    link_hovered = Signal(str)
    problem = Signal(str)

    def __init__(self, session: Session, stylesheet: str, ensure_incident=None, parent=None):
        super().__init__(parent)
        self.session = session
        self.stylesheet = stylesheet
        self.ensure_incident = ensure_incident or (lambda: session.incident is not None)
        self.doc: DocRecord | None = None
        self.page_font: QFont | None = None
        self.rows: dict[str, StepRow] = {}
        self.setObjectName("checklist")
        self.setAccessibleName("Checklist")
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.header = ChecklistHeader(self)
        self.header.hide()
        self.progress = self.header.progress
        self.target_step = ""  # the step a search hit opened, which the focus goes to
        self.undo_bar = UndoBar(self)
        self.undo_bar.undo.connect(self.undo_last)
        self.undo_bar.installEventFilter(self)  # shown or hidden: the page makes room
        # Ctrl+Z anywhere in the window while an Undo is on offer (a text box keeps its own).
        self.undo_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        self.undo_key.setContext(Qt.ShortcutContext.WindowShortcut)
        self.undo_key.setEnabled(False)
        self.undo_key.activated.connect(self.undo_last)
        self.undo_bar.offering.connect(self.undo_key.setEnabled)
        session.changed.connect(self.refresh)

    def show_document(self, doc: DocRecord, anchor: str = "", relayout: bool = False) -> None:
        """Open a page (or lay it out again for a new look or text size, keeping the step
        searched for and the Undo on offer)."""
        if not relayout:
            self.undo_bar.withdraw()
            self.target_step = ""
        self.doc = doc
        self.rows = {}
        page = QWidget()
        page.setObjectName("checklist-page")
        if self.page_font is not None:
            page.setFont(self.page_font)  # headings in the labels follow the text zoom
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 4, 16, 16)
        layout.setSpacing(4)
        self.header.show_title(doc.title)
        if self.page_font is not None:
            self.header.setFont(self.page_font)
        self.header.show()
        layout.addWidget(self._label(intro_html(doc)))
        steps = {step.id: step for step in doc.steps}
        for block in doc.blocks:
            if block.get("step"):
                row = StepRow(steps[block["step"]], self.stylesheet, here=self.here)
                row.action.connect(self._on_action)
                row.move.connect(self._move)
                row.focused.connect(self._show_whole)
                row.text.linkActivated.connect(self.link_activated)
                row.text.linkHovered.connect(self.link_hovered)
                self.rows[row.step.id] = row
                layout.addWidget(row)
            else:
                layout.addWidget(self._label(block["html"]))
        layout.addWidget(self._label(sources_html(doc)))
        layout.addStretch(1)
        page.setMaximumWidth(line_width(page.font()))
        self.setWidget(page)
        page.show()
        if self.target_step in self.rows:
            self.rows[self.target_step].set_mark("target", True)
        self.refresh()
        self.scroll_to(anchor)

    @property
    def here(self) -> str:
        """This laptop's device id ("" with no journal)."""
        journal = self.session.journal
        return journal.device_id if journal is not None else ""

    def refresh(self) -> None:
        """Show every step as the journal's events for the current incident say it is."""
        if self.doc is None or not self.rows:
            return
        states = self.session.step_states(self.doc.id)
        for step_id, row in self.rows.items():
            row.show_state(states.get(step_id))
            row.setEnabled(self.session.can_tick)
        done = progress(list(self.rows), states)
        text = f"{done.done} done · {done.not_applicable} N/A · {done.open} open"
        if self.session.incident is not None and not self.session.incident.is_open:
            text += " · this incident is closed: read only"
        elif not self.session.writable:
            text += " · ticks cannot be saved (see the message above)"
        self.progress.setText(text)
        self.progress.setAccessibleName(text)
        self._place_bars()  # the progress may take another line

    def _label(self, html: str) -> QLabel:
        label = rich_label(f"<style>{self.stylesheet}</style>{html}")
        label.linkActivated.connect(self.link_activated)
        label.linkHovered.connect(self.link_hovered)
        return label

    def scroll_to(self, anchor: str) -> None:
        row = self.rows.get(f"{self.doc.id}/{anchor}") if self.doc and anchor else None
        if row is not None:
            self.ensureWidgetVisible(row)
            row.checkbox.setFocus()
        else:
            self.verticalScrollBar().setValue(0)

    def mark_step(self, step_id: str) -> None:
        """Scroll to a step and mark it, as opened from a search hit."""
        for key, row in self.rows.items():
            row.set_mark("target", key == step_id)
        row = self.rows.get(step_id)
        if row is not None:
            self.target_step = step_id
            self.ensureWidgetVisible(row, 0, 120)
            row.checkbox.setFocus()

    def focusInEvent(self, event):  # noqa: N802 (Qt's name)
        """Focus given to the view goes to the searched step, else the first open one (a
        click on the page's margin leaves it where it is)."""
        super().focusInEvent(event)
        row = self.first_row()
        if row is not None and event.reason() != Qt.FocusReason.MouseFocusReason:
            row.checkbox.setFocus(event.reason())

    def first_row(self) -> StepRow | None:
        """The searched step, else the first step still open, else the first."""
        rows = list(self.rows.values())
        if self.target_step in self.rows:
            return self.rows[self.target_step]
        return next((row for row in rows if not row.state.done), rows[0] if rows else None)

    def _show_whole(self, row: StepRow) -> None:
        """The row the keyboard is on is scrolled into view whole, outline and all."""
        room = self.viewport().height() - row.height()
        self.ensureWidgetVisible(row, 0, max(0, min(50, room // 2)))

    def _move(self, row: StepRow, key) -> None:
        rows = list(self.rows.values())
        at = rows.index(row)
        target = {Qt.Key.Key_Up: at - 1, Qt.Key.Key_Down: at + 1, Qt.Key.Key_Home: 0,
                  Qt.Key.Key_End: len(rows) - 1}[key]
        if 0 <= target < len(rows):
            self.ensureWidgetVisible(rows[target], 0, 60)
            rows[target].checkbox.setFocus(Qt.FocusReason.TabFocusReason)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt's name)
        """Tab as QScrollArea does it, then the whole row in view (it shows only the box)."""
        moved = super().focusNextPrevChild(forward)
        row = next((r for r in self.rows.values() if r.checkbox.hasFocus()), None)
        if row is not None:
            self._show_whole(row)
        return moved

    def focused_step(self) -> str:
        return next((key for key, row in self.rows.items() if row.checkbox.hasFocus()), "")

    def set_stylesheet(self, stylesheet: str, font: QFont | None = None) -> None:
        """A new look or text size: the page is laid out again, at the same place and step."""
        self.stylesheet = stylesheet
        self.page_font = font
        if self.doc is None:
            return
        bar = self.verticalScrollBar()
        where = bar.value() / bar.maximum() if bar.maximum() else 0.0
        focused = self.focused_step()
        self.show_document(self.doc, relayout=True)
        self.widget().adjustSize()
        bar.setValue(round(where * bar.maximum()))
        if focused in self.rows:
            self.rows[focused].checkbox.setFocus()

    def _on_action(self, row: StepRow, kind: str) -> None:
        """Write the event first; the row shows only what the journal holds. A tap on a step
        that is not open changes nothing: it says who did it, and how to reopen it."""
        if not self.ensure_incident():
            self.refresh()
            return
        step, text = row.step, row.plain  # the log keeps the words, not the Markdown
        self.session.follow()  # what another window or laptop wrote a moment ago counts too
        before = self.session.step_states(self.doc.id).get(step.id) or StepState("open")
        try:
            if kind == "toggle" and before.done:
                self.refresh()  # the box's own click changed it on screen, not in the journal
                line = describe(before).splitlines()[0]
                self.undo_bar.say(f"{line}. To reopen it: ⋯ > Undo.")
                return
            kind = "tick" if kind == "toggle" else kind
            if kind == "note":
                answer = NoteDialog.ask(self, text)
                if answer:
                    self.session.add_note(answer[0], self.doc.id, step.id, text, answer[1],
                                          decision=is_decision(answer))
            elif kind == "done_before":
                when = DoneEarlierDialog.ask(self, text)
                if when:
                    self._record(kind, row, before, when)
            else:
                self._record(kind, row, before)
        except JournalError as exc:
            self.problem.emit(str(exc))
            self.refresh()  # the box's own click may show what the journal refused

    def _record(self, kind: str, row: StepRow, before: StepState, when: str = "") -> None:
        event = self.session.step_event(kind, self.doc.id, row.step.id, row.plain, when)
        after = StepState(DONE_KINDS.get(kind, "open"), event.operator, event.position,
                          event.entered_at, event.occurred_at,
                          device=event.device)  # as step_states reads it
        change = Change(self.doc.id, row.step.id, row.plain, kind, before, after)
        self.undo_bar.offer(recorded_text(change), change)

    def undo_last(self) -> None:
        """Ctrl+Z or the bar's Undo: the inverse event of the change on offer, unless the
        step has changed since (on this laptop or another): then nothing is written."""
        change = self.undo_bar.take()
        if change is None or self.doc is None or change.doc_id != self.doc.id:
            return
        self.session.follow()
        now = self.session.step_states(change.doc_id).get(change.step_id) or StepState("open")
        if not same_entry(now, change.after):
            line = (describe(now).splitlines() or ["changed"])[0]
            message = f"‘{short(change.step_text)}’ has changed since ({line}), so nothing " \
                      "was undone."
            self.undo_bar.say(message)
            self.problem.emit(message)
            self.refresh()
            return
        kind, when = inverse(change)
        try:
            self.session.step_event(kind, change.doc_id, change.step_id, change.step_text, when)
            self.undo_bar.say(undone_text(change))
        except JournalError as exc:
            self.undo_bar.say(str(exc))
            self.problem.emit(str(exc))
        self.refresh()

    def _place_bars(self) -> None:
        """The header above the page and the undo bar under it sit in margins of their own:
        neither scrolls, and neither ever hides a step."""
        page = self.widget()
        width = page.width() if page is not None else self.viewport().width()
        top = 0 if self.header.isHidden() else self.header.heightForWidth(width)
        bottom = 0 if self.undo_bar.isHidden() else max(
            48, self.undo_bar.heightForWidth(self.viewport().width()),
            self.viewportMargins().bottom())  # while shown, a shorter message keeps its room
        if self.viewportMargins().bottom() != bottom or self.viewportMargins().top() != top:
            self.setViewportMargins(0, top, 0, bottom)
            focused = next((r for r in self.rows.values() if r.checkbox.hasFocus()), None)
            if focused is not None:
                self._show_whole(focused)  # the bar took room: the step stays whole in view
        area = self.viewport().geometry()
        left = area.left() + (page.x() if page is not None else 0)
        # A fixed size: a new progress or message lays out the bar alone, not the whole page
        # (a child that may grow asks the scroll area to work out every step's height again).
        self.header.setFixedSize(width, top)
        self.header.move(left, area.top() - top)
        self.undo_bar.setFixedSize(area.width(), bottom)
        self.undo_bar.move(area.left(), area.bottom() + 1)

    def resizeEvent(self, event):  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_bars()

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        if watched is self.undo_bar and event.type() in (
                QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.LayoutRequest):  # a new message
            self._place_bars()
        return super().eventFilter(watched, event)
