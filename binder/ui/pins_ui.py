"""Pinned and recent pages in the window: the ☆ Pin button and the groups above the sections."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from binder.journal.journal_errors import JournalError

PIN = ("☆ Pin", "Pin this page (Ctrl+D)")
UNPIN = ("★ Pinned", "Unpin this page (Ctrl+D)")


class PinActions:
    """Mixed into the main window, which has `journal`, `store`, `sections`, `pages`, `current`,
    `checklist_view`, `document_view` and `show_problem_bar`."""

    def make_pins(self, toolbar) -> None:
        from binder.journal.places import Places

        self.places = Places(self.journal)
        self.pin_action = QAction(PIN[0], self)
        self.pin_action.setCheckable(True)
        self.pin_action.setShortcut(QKeySequence("Ctrl+D"))
        # `triggered`, not `toggled`: only a person's click or Ctrl+D pins; setChecked from
        # update_pin_action does not.
        self.pin_action.triggered.connect(self.set_page_pinned)
        toolbar.addAction(self.pin_action)
        self.pin_button = toolbar.widgetForAction(self.pin_action)
        self.pin_button.setObjectName("pin")
        # Contacts take the page's place without closing it: no star for them.
        self.pages.currentChanged.connect(lambda _: self.update_pin_action())
        self.update_pin_action()
        self.show_places()  # remembered by the section list until its sections are shown

    def page_opened(self, doc_id: str) -> None:
        """A page was opened: it heads the recent pages, and the star says if it is pinned."""
        try:
            self.places.visit(doc_id)
        except JournalError as exc:
            self.show_problem_bar(str(exc))
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
            self.show_problem_bar(str(exc))
        else:
            doc = self.sections.docs.get(page)
            title = doc.title if doc else page
            self.statusBar().showMessage(
                f"Pinned “{title}”: it is listed under Pinned, above the sections." if pinned
                else f"“{title}” is no longer pinned.", 6000)
        self.update_pin_action()
        self.show_places()

    def pinnable_page(self) -> str:
        """The id of the page on screen, if it can be pinned ("" otherwise)."""
        if self.journal is None or self.current is None:
            return ""
        if self.pages.currentWidget() not in (self.document_view, self.checklist_view):
            return ""
        return self.current.doc_id

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
