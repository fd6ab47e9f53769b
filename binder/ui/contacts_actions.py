"""The agency's contacts in the window: a page of their own, and hits in the main search."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget, QToolBar, QWidget

    from binder.journal.journal import Journal
    from binder.search.library import Library
    from binder.search.search import Results
    from binder.ui.session import Session
    from binder.ui.status_bar import StatusBar

CONTACT_HITS = 3


class ContactActions:
    """The toolbar's Contacts: the book kept in `journal` (seeded once from `library`), shown
    among the `pages` of `window`, named for the `session`'s incident on paper; `on_changed`
    after an edit (the search shows contacts too)."""

    def __init__(self, window: QWidget, toolbar: QToolBar, journal: Journal | None,
                 library: Library | None, session: Session, pages: QStackedWidget,
                 on_changed: Callable[[], None], status: StatusBar):
        from binder.journal.contacts import ContactBook, ContactsError

        self.window, self.session, self.pages, self.on_changed = window, session, pages, on_changed
        self.contacts = self._contacts_view = None
        if journal is not None:
            self.contacts = ContactBook(journal)
            if library is not None:
                try:
                    self.contacts.seed_from(library)  # once per journal
                except ContactsError as exc:
                    status.showMessage(str(exc))
        self.contacts_action = QAction("Contacts", window)
        self.contacts_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.contacts_action.setToolTip("The agency's contacts (Ctrl+Shift+O)")
        self.contacts_action.setEnabled(self.contacts is not None)
        self.contacts_action.triggered.connect(lambda: self.open_contacts())
        toolbar.addAction(self.contacts_action)

    @property
    def contacts_view(self):
        """The Contacts page, built the first time it is wanted rather than at start-up."""
        if self._contacts_view is None and self.contacts is not None:
            from binder.ui.contacts_view import ContactsView  # with the CSV and 205A code

            self._contacts_view = ContactsView(
                self.contacts,
                lambda: self.session.incident.name if self.session.incident else "")
            self.pages.addWidget(self._contacts_view)
            self._contacts_view.changed.connect(self.on_changed)
        return self._contacts_view

    def open_contacts(self, contact_id: int = 0) -> None:
        self.contacts_view.refill()
        self.pages.setCurrentWidget(self.contacts_view)
        if contact_id:
            self.contacts_view.select_contact(contact_id)
        else:
            self.contacts_view.filter.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        self.window.setWindowTitle("Contacts — Binder")

    def with_contact_hits(self, text: str, results: Results) -> Results:
        """The contacts that match, first: a phone number is what a person at 3 a.m. wants."""
        from html import escape

        from binder.journal.contacts import summary
        from binder.search.search import Hit, Results

        if self.contacts is None:
            return results
        found = [Hit(kind="contact", doc_id=f"contact:{c.id}", step_id="",
                     title=c.name or c.role, section="Contacts", doc_kind="contact",
                     phase=c.role, snippet_html=escape(summary(c)), tier=0, score=0.0)
                 for c in self.contacts.search(text, limit=CONTACT_HITS)]
        return Results(found + results.hits, results.corrected)
