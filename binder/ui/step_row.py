"""One step of a checklist as a row: its tick box, its words, who did what when, its menu."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
)

from binder.content.store import StepRecord, html_to_text
from binder.journal.incidents import StepState
from binder.ui.plain import tooltip


def local_time(stamp: str) -> str:
    """'14:03' today, or '21 Nov 14:03' for another day, in the machine's time zone."""
    moment = dt.datetime.fromisoformat(stamp).astimezone()
    if moment.date() == dt.datetime.now().astimezone().date():
        return moment.strftime("%H:%M")
    return moment.strftime("%d %b %H:%M")


NOTES_SHOWN = 3  # under a step: the newest notes; the tooltip, handover and ICS 214 have all


STATUS_WORDS = {"done": "Done", "N/A": "N/A", "done before": "Done earlier", "open": "Undone"}


def describe(state: StepState, notes: int | None = None, here: str = "") -> str:
    """'Done by Ann Lee (Incident Commander) at 14:03', with ', on another laptop' when another
    laptop than `here` (this one's device id) wrote it, what another laptop did to the step at
    the same time, and the notes (the newest `notes` of them and how many earlier ones there
    are, if a number is given), for the line under a step."""
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
    if text and here and state.device not in ("", here):
        text += ", on another laptop"
    lines = [text] if text else []
    lines += [at_once_line(other, here) for other in state.at_once]
    shown = state.notes if notes is None else state.notes[len(state.notes) - notes:]
    if len(shown) < len(state.notes):
        earlier = len(state.notes) - len(shown)
        lines.append(f"{earlier} earlier note{'s' if earlier > 1 else ''}: in the tooltip, the "
                     "handover sheets and the ICS 214 log")
    lines += [f"Note: {note}" for note in shown]
    return "\n".join(lines)


def at_once_line(other: tuple[str, str, str, str, str], here: str = "") -> str:
    """'Also changed at the same time on another laptop: N/A by Bob Lee (Operations) 14:03'."""
    status, operator, position, entered_at, device = other
    who = (f"{operator} ({position})" if position else operator) or "someone"
    where = "this laptop" if here and device in ("", here) else "another laptop"
    when = f" {local_time(entered_at)}" if entered_at else ""
    return (f"Also changed at the same time on {where}: {STATUS_WORDS.get(status, status)} "
            f"by {who}{when}")


def laptops_tip(state: StepState, here: str = "") -> str:
    """The laptops' ids, for the tooltip only: people read the person and position."""
    devices = [state.device, *(other[4] for other in state.at_once)]
    shown = [f"laptop {device}" for device in devices if device and device != here]
    return f"Written on {', '.join(dict.fromkeys(shown))}" if shown else ""


class SizedLabel(QLabel):
    """A QLabel that remembers its sizes until anything about it changes. A tick lays the
    page out again, and Qt then asks every label of the page for its height anew (about
    6 ms on a page of two dozen steps); only the row ticked has changed."""

    def __init__(self, text: str = ""):
        super().__init__(text)
        self.sizes: dict = {}
        self.worked_out = 0  # sizes Qt had to work out (tests count them)

    def event(self, event):
        if event.type() != QEvent.Type.Paint:  # a font, style, show or hide: work them out again
            self.sizes.clear()
        return super().event(event)

    def _remember(self, key, work):
        if key not in self.sizes:
            if len(self.sizes) > 16:  # widths from a window being resized
                self.sizes.clear()
            self.sizes[key] = work()
            self.worked_out += 1
        return self.sizes[key]

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's names)
        return self._remember(width, lambda: super(SizedLabel, self).heightForWidth(width))

    def sizeHint(self):  # noqa: N802
        return self._remember("hint", super().sizeHint)

    def minimumSizeHint(self):  # noqa: N802
        return self._remember("minimum", super().minimumSizeHint)

    def setText(self, text: str) -> None:  # noqa: N802
        self.sizes.clear()
        super().setText(text)

    def setWordWrap(self, on: bool) -> None:  # noqa: N802
        self.sizes.clear()
        super().setWordWrap(on)

    def setTextFormat(self, text_format) -> None:  # noqa: N802
        self.sizes.clear()
        super().setTextFormat(text_format)


def rich_label(html: str, object_name: str = "") -> QLabel:
    label = SizedLabel(html)
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

    def __init__(self, step: StepRecord, stylesheet: str, parent=None, here: str = ""):
        super().__init__(parent)
        self.step = step
        self.here = here  # this laptop's device id: a step another laptop changed says so
        self.state = StepState("open")
        self.shown: tuple | None = None  # what show_state last showed, and on which day
        self.repolished = 0  # how many times set_mark re-polished the row (tests count them)
        self.setObjectName("step-row")
        plain = self.plain = html_to_text(step.html)  # as read: links are their words
        self.checkbox = QCheckBox()
        self.checkbox.setObjectName("step-box")
        self.checkbox.setAccessibleName(plain)
        self.checkbox.setCursor(Qt.CursorShape.PointingHandCursor)
        self.checkbox.installEventFilter(self)
        self.text = rich_label(f"<style>{stylesheet}</style>{step.html}", "step-text")
        self.status = SizedLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # who did it, their notes: as typed
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
        """Outline or shade the row by a style sheet property; the style is worked out again
        only when the property changes (that is what costs)."""
        value = "true" if on else "false"
        if self.property(name) == value:
            return
        self.setProperty(name, value)
        self.style().unpolish(self)
        self.style().polish(self)
        self.repolished += 1

    def show_state(self, state: StepState | None) -> None:
        """The step as its last event says (the box always: its own click may have changed it);
        the rest is redone only when the state has changed (re-polishing costs)."""
        self.state = state or StepState("open")
        self.checkbox.blockSignals(True)
        self.checkbox.setTristate(self.state.status == "N/A")
        self.checkbox.setCheckState(
            Qt.CheckState.PartiallyChecked if self.state.status == "N/A"
            else Qt.CheckState.Checked if self.state.done else Qt.CheckState.Unchecked)
        self.checkbox.blockSignals(False)
        shown = (state, dt.date.today())  # "14:03" becomes "25 Nov 14:03" after midnight
        if shown == self.shown:
            return
        self.shown = shown
        self.set_mark("done", self.state.done)
        for kind in ("na", "done_before"):  # a step that is not open is reopened first
            self.menu_items[kind].setEnabled(not self.state.done)
        self.menu_items["untick"].setEnabled(self.state.done)
        text = describe(self.state, NOTES_SHOWN, self.here) if state else ""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        tip = "\n".join(filter(None, (describe(self.state, here=self.here),
                                      laptops_tip(self.state, self.here)))) if state else ""
        self.setToolTip(tooltip(tip))
