"""The checklist view: a page's prose and its steps as rows a person ticks."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetricsF, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from binder.core.incidents import StepState, progress
from binder.core.journal import JournalError
from binder.core.pages import sources_html
from binder.core.store import DocRecord, StepRecord, html_to_text
from binder.ui.checklist_header import ChecklistHeader, intro_html
from binder.ui.dialogs import DoneEarlierDialog, NoteDialog
from binder.ui.session import Session
from binder.ui.undo_bar import Change, UndoBar, inverse, recorded_text, short, undone_text


def local_time(stamp: str) -> str:
    """'14:03' today, or '21 Nov 14:03' for another day, in the machine's time zone."""
    moment = dt.datetime.fromisoformat(stamp).astimezone()
    if moment.date() == dt.datetime.now().astimezone().date():
        return moment.strftime("%H:%M")
    return moment.strftime("%d %b %H:%M")


def describe(state: StepState) -> str:
    """'Done by Ann Lee (Incident Commander) at 14:03', with notes, for the line under a step."""
    who = f"{state.operator} ({state.position})" if state.position else state.operator
    who = who or "someone"
    if state.status == "done before":
        text = (f"Done at {local_time(state.occurred_at)}, logged by {who} at "
                f"{local_time(state.entered_at)}")
    elif state.status == "open":
        text = f"Undone by {who} at {local_time(state.entered_at)}" if state.entered_at else ""
    else:
        label = "Done" if state.status == "done" else "Marked N/A"
        text = f"{label} by {who} at {local_time(state.entered_at)}"
    lines = [text] if text else []
    lines += [f"Note: {note}" for note in state.notes]
    return "\n".join(lines)


def same_entry(a: StepState, b: StepState) -> bool:
    """The same last tick, N/A, done-earlier or untick (notes added since do not count)."""
    return dataclasses.replace(a, notes=()) == dataclasses.replace(b, notes=())


def line_width(font: QFont) -> int:
    """How wide a page may grow on a big screen: about 110 characters of its text, so the eye
    finds the next line and the ⋯ button stays near its step."""
    return round(QFontMetricsF(font).averageCharWidth() * 110 * STEP_TEXT_SCALE)


STEP_TEXT_SCALE = 1.3  # the step text (12pt in binder.qss) against the page's font


def rich_label(html: str, object_name: str = "") -> QLabel:
    label = QLabel(html)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    # Links and selection by mouse only: the keyboard's stops on a checklist are its steps.
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.LinksAccessibleByMouse)
    label.setOpenExternalLinks(False)
    if object_name:
        label.setObjectName(object_name)
    return label


MOVE_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End)


class StepRow(QFrame):
    """One step: a tick box, its text (with links), who did what when, and its other actions."""

    action = Signal(object, str)  # (StepRow, "toggle" | "na" | "done_before" | "note" | "untick")
    move = Signal(object, object)  # (StepRow, Qt.Key): Up, Down, Home or End pressed on the row
    focused = Signal(object)  # (StepRow): the keyboard came to this row

    def __init__(self, step: StepRecord, stylesheet: str, parent=None):
        super().__init__(parent)
        self.step = step
        self.state = StepState("open")
        self.setObjectName("step-row")
        plain = self.plain = html_to_text(step.html)  # as read: links are their words
        self.checkbox = QCheckBox()
        self.checkbox.setObjectName("step-box")
        self.checkbox.setAccessibleName(plain)
        self.checkbox.setCursor(Qt.CursorShape.PointingHandCursor)
        self.checkbox.installEventFilter(self)
        self.text = rich_label(f"<style>{stylesheet}</style>{step.html}", "step-text")
        self.status = QLabel("")
        self.status.setObjectName("step-status")
        self.status.setWordWrap(True)
        self.status.hide()
        self.more = QToolButton()
        self.more.setObjectName("step-more")
        self.more.setText("⋯")
        self.more.setAccessibleName(f"More for: {plain}")
        self.more.setToolTip("Mark N/A, done earlier, add a note, undo")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # on the keyboard: Shift+F10, Menu key
        menu = QMenu(self.more)
        self.menu_items: dict[str, QAction] = {}
        for label, kind in (("Mark not applicable (N/A)", "na"), ("Done earlier…", "done_before"),
                            ("Add a note…", "note"), ("Undo: back to open", "untick")):
            item = QAction(label, menu)
            item.triggered.connect(lambda _=False, k=kind: self.action.emit(self, k))
            menu.addAction(item)
            self.menu_items[kind] = item
        self.more.setMenu(menu)
        text_column = QVBoxLayout()
        text_column.setSpacing(2)
        text_column.addWidget(self.text)
        text_column.addWidget(self.status)
        text_column.addStretch(1)  # the words start level with the box, not centred in the row
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.checkbox, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text_column, 1)
        layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignTop)
        self.setMinimumHeight(44)
        self.checkbox.clicked.connect(lambda _checked: self.action.emit(self, "toggle"))

    def mouseReleaseEvent(self, event):  # noqa: N802 (Qt's name)
        """A tap anywhere on the row acts as a tap on its box (links in the text still open);
        the keyboard then carries on from this row."""
        if event.button() == Qt.MouseButton.LeftButton and not self.text.hasSelectedText():
            self.checkbox.setFocus(Qt.FocusReason.MouseFocusReason)
            self.checkbox.click()
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event):  # noqa: N802 (Qt's name)
        """The Menu key (and a right-click) open the same menu as the ⋯ button."""
        self.open_menu()

    def open_menu(self) -> None:
        """The step's menu under its ⋯ button, with the keyboard on its first item."""
        menu = self.more.menu()
        menu.popup(self.more.mapToGlobal(QPoint(0, self.more.height())))
        menu.setActiveAction(next(a for a in menu.actions() if a.isEnabled()))

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        """On the tick box: Up/Down/Home/End move between steps (the view does it), N adds a
        note (Space is the box's own), Shift+F10 opens the step's menu; the row the keyboard
        is on is outlined."""
        kind = event.type()
        if watched is self.checkbox and kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.set_mark("focused", kind == QEvent.Type.FocusIn)
            if kind == QEvent.Type.FocusIn:
                self.focused.emit(self)
        elif watched is self.checkbox and kind == QEvent.Type.KeyPress:
            key, modifiers = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if not modifiers and key in MOVE_KEYS:
                self.move.emit(self, key)
                return True
            if not modifiers and key == Qt.Key.Key_N:
                self.action.emit(self, "note")
                return True
            if modifiers == Qt.KeyboardModifier.ShiftModifier and key == Qt.Key.Key_F10:
                self.open_menu()
                return True
        return super().eventFilter(watched, event)

    def set_mark(self, name: str, on: bool) -> None:
        self.setProperty(name, "true" if on else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def show_state(self, state: StepState | None) -> None:
        self.state = state or StepState("open")
        self.checkbox.blockSignals(True)
        self.checkbox.setTristate(self.state.status == "N/A")
        self.checkbox.setCheckState(
            Qt.CheckState.PartiallyChecked if self.state.status == "N/A"
            else Qt.CheckState.Checked if self.state.done else Qt.CheckState.Unchecked)
        self.checkbox.blockSignals(False)
        self.set_mark("done", self.state.done)
        for kind in ("na", "done_before"):  # a step that is not open is reopened first
            self.menu_items[kind].setEnabled(not self.state.done)
        self.menu_items["untick"].setEnabled(self.state.done)
        text = describe(self.state) if state else ""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.setToolTip(text)


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
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.undo_last,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
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
                row = StepRow(steps[block["step"]], self.stylesheet)
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
                    self.session.add_note(answer[0], self.doc.id, step.id, text, answer[1])
            elif kind == "done_before":
                when = DoneEarlierDialog.ask(self, text)
                if when:
                    self._record(kind, row, before, when)
            else:
                self._record(kind, row, before)
        except JournalError as exc:
            self.problem.emit(str(exc))
        self.refresh()

    def _record(self, kind: str, row: StepRow, before: StepState, when: str = "") -> None:
        self.session.step_event(kind, self.doc.id, row.step.id, row.plain, when)
        after = self.session.step_states(self.doc.id).get(row.step.id) or StepState("open")
        change = Change(self.doc.id, row.step.id, row.plain, kind, before, after)
        self.undo_bar.offer(recorded_text(change), change)

    def undo_last(self) -> None:
        """Ctrl+Z or the bar's Undo: the inverse event of the change on offer, unless the
        step has changed since (on this laptop or another): then nothing is written."""
        change = self.undo_bar.take()
        if change is None or self.doc is None or change.doc_id != self.doc.id:
            return
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
        bottom = 0 if self.undo_bar.isHidden() else max(48, self.undo_bar.sizeHint().height())
        if self.viewportMargins().bottom() != bottom or self.viewportMargins().top() != top:
            self.setViewportMargins(0, top, 0, bottom)
            focused = next((r for r in self.rows.values() if r.checkbox.hasFocus()), None)
            if focused is not None:
                self._show_whole(focused)  # the bar took room: the step stays whole in view
        area = self.viewport().geometry()
        left = area.left() + (page.x() if page is not None else 0)
        self.header.setGeometry(left, area.top() - top, width, top)
        self.undo_bar.setGeometry(area.left(), area.bottom() + 1, area.width(), bottom)

    def resizeEvent(self, event):  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_bars()

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        if watched is self.undo_bar and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._place_bars()
        return super().eventFilter(watched, event)
