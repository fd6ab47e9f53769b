"""Pinned and recent pages in the window: the ☆ Pin button and the groups above the sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from binder.journal.journal_errors import JournalError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget, QToolBar, QWidget

    from binder.journal.journal import Journal
    from binder.ui.sidebar import SectionTree
    from binder.ui.status_bar import StatusBar

PIN = ("☆ Pin", "Pin this page (Ctrl+D)")
UNPIN = ("★ Pinned", "Unpin this page (Ctrl+D)")


class PinActions:
    """The toolbar's ☆ Pin for the page `page_on_screen()` names, and the pinned and recent
    pages (kept in `journal`) shown above the `sections`; re-read when the `pages` change."""

    def __init__(self, window: QWidget, toolbar: QToolBar, journal: Journal | None,
                 sections: SectionTree, pages: QStackedWidget,
                 page_on_screen: Callable[[], str], status: StatusBar):
        from binder.journal.places import Places

        self.journal, self.sections, self.status = journal, sections, status
        self.page_on_screen = page_on_screen
        self.places = Places(journal)
        self.pin_action = QAction(PIN[0], window)
        self.pin_action.setCheckable(True)
        self.pin_action.setShortcut(QKeySequence("Ctrl+D"))
        # `triggered`, not `toggled`: only a person's click or Ctrl+D pins; setChecked from
        # update_pin_action does not.
        self.pin_action.triggered.connect(self.set_page_pinned)
        toolbar.addAction(self.pin_action)
        self.pin_button = toolbar.widgetForAction(self.pin_action)
        self.pin_button.setObjectName("pin")
        # Contacts take the page's place without closing it: no star for them.
        pages.currentChanged.connect(lambda _: self.update_pin_action())
        self.update_pin_action()
        self.show_places()  # remembered by the section list until its sections are shown

    def page_opened(self, doc_id: str) -> None:
        """A page was opened: it heads the recent pages, and the star says if it is pinned."""
        try:
            self.places.visit(doc_id)
        except JournalError as exc:
            self.status.showMessage(str(exc))
        self.update_pin_action()
        self.show_places()

    def set_page_pinned(self, pinned: bool) -> None:
        page = self.pinnable_page()
        if not page:
            self.update_pin_action()
            return
        try:
            self.places.set_pinned(page, pinned)
        except JournalError as exc:
            self.status.showMessage(str(exc))
        else:
            doc = self.sections.docs.get(page)
            title = doc.title if doc else page
            self.status.showMessage(
                f"Pinned “{title}”: it is listed under Pinned, above the sections." if pinned
                else f"“{title}” is no longer pinned.", 6000)
        self.update_pin_action()
        self.show_places()

    def pinnable_page(self) -> str:
        """The id of the page on screen, if it can be pinned ("" otherwise)."""
        return self.page_on_screen() if self.journal is not None else ""

    def update_pin_action(self) -> None:
        page = self.pinnable_page()
        pinned = bool(page) and self.places.is_pinned(page)
        text, tip = UNPIN if pinned else PIN
        self.pin_action.setEnabled(bool(page))
        self.pin_action.setChecked(pinned)
        self.pin_action.setText(text)
        self.pin_action.setToolTip(tip)
        self.pin_button.setAccessibleName(tip)

    def show_places(self) -> None:
        self.sections.show_places(self.places.pinned(), self.places.recent())
