"""The agency's contacts in the window: a page of their own, and hits in the main search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from binder.search.search import Results

CONTACT_HITS = 3


class ContactActions:
    """Mixed into the main window, which has `journal`, `store`, `session`, `pages`."""

    def make_contacts(self, toolbar) -> None:
        from binder.journal.contacts import ContactBook, ContactsError

        self.contacts = self._contacts_view = None
        if self.journal is not None:
            self.contacts = ContactBook(self.journal)
            if self.store is not None:
                try:
                    self.contacts.seed_from(self.store)  # once per journal
                except ContactsError as exc:
                    self.show_problem_bar(str(exc))
        self.contacts_action = QAction("Contacts", self)
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
            self._contacts_view.changed.connect(
                lambda: self.on_search_text(self.search_box.text()))
        return self._contacts_view

    def open_contacts(self, contact_id: int = 0) -> None:
        self.contacts_view.refill()
        self.pages.setCurrentWidget(self.contacts_view)
        if contact_id:
            self.contacts_view.select_contact(contact_id)
        else:
            self.contacts_view.filter.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        self.setWindowTitle("Contacts — Binder")

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
