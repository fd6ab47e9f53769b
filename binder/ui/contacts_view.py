"""The Contacts view: the agency's ICS 205A phone list, to filter, edit, copy and export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from binder.journal.contacts import (
    FIELDS,
    LABELS,
    STALE_MONTHS,
    Contact,
    ContactBook,
    ContactsError,
    ContactsImportError,
    field_problems,
    stale,
)
from binder.paper.contacts_export import export_205a_pdf, export_csv, import_csv
from binder.paper.export import ExportError
from binder.ui.plain import plain

# Who, how to reach them and whether it is current first; the rest after.
COLUMNS = ("role", "name", "phone", "alt_phone", "radio", "verified", "agency", "email", "notes")
MAX_WIDTH = 260  # a longer value is elided in the list (and shown whole in the dialog)
PHONES = ("phone", "alt_phone")
CONTACT_ID = Qt.ItemDataRole.UserRole
STALE_TINT, STALE_SHARE = QColor("#d89b00"), 0.22  # amber, over the look's own background
MUTED_SHARE = 0.75  # "(not filled in)": three quarters of the way from background to text


def mixed(a: QColor, b: QColor, share: float) -> QColor:
    """`a` moved `share` of the way towards `b`."""
    return QColor.fromRgbF(*(x + (y - x) * share
                             for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3], strict=True)))
ERROR_STYLE = "color: #b00000; font-weight: bold;"
HINTS = {"phone": "e.g. 555-010-0123 or +1 (555) 010-0123 ext 4",
         "email": "name@agency.gov", "verified": "YYYY-MM-DD, the day you confirmed it",
         "radio": "e.g. TAC 3 or Fire Dispatch 1"}


def tall(button: QPushButton) -> QPushButton:
    button.setMinimumHeight(44)
    return button


class ContactDialog(QDialog):
    """Add or edit one contact; a problem is shown under its field and OK waits until none."""

    def __init__(self, contact: Contact, roles: list[str] = (), parent=None):
        super().__init__(parent)
        self.original = contact
        self.setWindowTitle("Edit contact" if contact.id else "Add a contact")
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        form = QFormLayout()
        for name in FIELDS:
            edit = QPlainTextEdit(contact.notes) if name == "notes" else QLineEdit(
                getattr(contact, name))
            edit.setAccessibleName(LABELS[name])
            if name == "notes":
                edit.setFixedHeight(70)
                edit.textChanged.connect(self.check)
            else:
                edit.setPlaceholderText(HINTS.get(name.removeprefix("alt_"), ""))
                edit.textEdited.connect(lambda _, name=name: self.edited(name))
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addLayout(self.with_today(edit) if name == "verified" else self.row(edit))
            column.addWidget(error)
            form.addRow(f"{LABELS[name]}:", column)
            self.edits[name], self.errors[name] = edit, error
        self.edits["role"].setCompleter(QCompleter(list(roles), self))
        self.summary = QLabel()
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        if contact.id:  # a saved contact's problems (an old entry) are shown at once
            self.touched = set(FIELDS)
        self.check()
        self.resize(560, self.sizeHint().height())

    @staticmethod
    def row(edit) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(edit)
        return row

    def with_today(self, edit: QLineEdit) -> QHBoxLayout:
        row = self.row(edit)
        today = QPushButton("Today")
        today.setAccessibleName("Verified today")
        today.clicked.connect(lambda: (edit.setText(dt.date.today().isoformat()),
                                       self.edited("verified")))
        row.addWidget(today)
        return row

    def edited(self, name: str) -> None:
        self.touched.add(name)
        self.check()

    def contact(self) -> Contact:
        values = {name: (edit.toPlainText() if isinstance(edit, QPlainTextEdit)
                         else edit.text()).strip() for name, edit in self.edits.items()}
        return replace(self.original, **values)

    def check(self) -> bool:
        """Show each problem under its field once it has been typed in; OK only when none."""
        problems = field_problems(self.contact())
        for name, label in self.errors.items():
            label.setText(problems.get(name, ""))
            label.setVisible(name in problems and name in self.touched)
        first = next(iter(problems), None)
        self.summary.setText(f"To save: {LABELS[first]}: {problems[first]}." if first else "")
        self.summary.setVisible(bool(first))
        self.ok.setEnabled(not problems)
        return not problems

    def accept(self) -> None:
        if self.check():
            super().accept()

    @classmethod
    def ask(cls, parent, contact: Contact, roles: list[str] = ()) -> Contact | None:
        dialog = cls(contact, roles, parent)
        return dialog.contact() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ContactsView(QWidget):
    """The contacts grouped by role; stale rows marked; every action says what it did."""

    changed = Signal()  # a contact was added, edited, deleted, restored or imported

    def __init__(self, book: ContactBook, incident_name: Callable[[], str] = lambda: "",
                 parent=None):
        super().__init__(parent)
        self.book, self.incident_name = book, incident_name
        self.shown: dict[int, Contact] = {}
        self.deleted: list[Contact] = []  # most recent last: what Undo brings back
        title = QLabel("<b>Contacts</b> · ICS 205A communications list · not for public "
                       f"release · rows not verified for {STALE_MONTHS} months are marked")
        title.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter: type a role, name, agency, channel or number")
        self.filter.setAccessibleName("Filter contacts")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda: self.refill())
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Contacts")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels([LABELS[name] for name in COLUMNS])
        self.tree.setRootIsDecorated(False)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.itemActivated.connect(lambda item, _: self.edit())
        self.tree.itemClicked.connect(self.clicked)
        self.count = QLabel()
        self.message = plain(QLabel())  # names as typed
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Contacts message")
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Import problems")
        self.problems.setMaximumHeight(120)
        self.problems.hide()
        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("undoBar")
        self.undo_bar.setStyleSheet("#undoBar { background: #fff4d6; border: 1px solid #c8a24a; }")
        self.undo_label = plain(QLabel())
        self.undo_button = tall(QPushButton("Undo"))
        self.undo_button.clicked.connect(self.undo)
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(8, 2, 8, 2)
        bar.addWidget(self.undo_label, 1)
        bar.addWidget(self.undo_button)
        self.undo_bar.hide()
        self.buttons = {text: tall(QPushButton(text)) for text in (
            "Add…", "Edit…", "Delete", "Copy phone", "Import CSV…", "Export CSV…",
            "Export ICS 205A PDF…")}
        actions = (self.add, self.edit, self.delete, self.copy_phone, self.import_csv_dialog,
                   self.export_csv_dialog, self.export_pdf_dialog)
        for button, action in zip(self.buttons.values(), actions, strict=True):
            button.clicked.connect(lambda _=False, action=action: action())
        self.buttons["Copy phone"].setToolTip("Copy the selected contact's phone number "
                                              "(or click a number in the list)")
        row = QHBoxLayout()
        for text, button in self.buttons.items():
            row.addWidget(button)
            if text == "Copy phone":
                row.addStretch(1)
        layout = QVBoxLayout(self)
        for widget in (title, self.filter):
            layout.addWidget(widget)
        layout.addWidget(self.tree, 1)
        for widget in (self.count, self.undo_bar, self.message, self.problems):
            layout.addWidget(widget)
        layout.addLayout(row)
        for keys, action in ((QKeySequence.StandardKey.Delete, self.delete),
                             (QKeySequence.StandardKey.Copy, self.copy_phone)):
            QShortcut(QKeySequence(keys), self.tree, action,
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.refill()

    # The list

    def changeEvent(self, event):  # noqa: N802 (Qt's name)
        """A new look (night, high contrast): the rows' own colours are made again from it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "shown"):
            self.refill()

    def row_colours(self) -> tuple[QColor, QColor, QColor]:
        """A group's shade, a stale row's tint and the "not filled in" words, from the look in
        use, so each reads in light, night and high contrast alike."""
        palette = self.palette()  # the view's own: already the new look's on a PaletteChange
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        shade = palette.color(QPalette.ColorRole.AlternateBase)
        return shade, mixed(base, STALE_TINT, STALE_SHARE), mixed(base, text, MUTED_SHARE)

    def refill(self, select: int = 0) -> None:
        """Show the contacts that match the filter, grouped by role, keeping the selection."""
        select = select or self.selected_id()
        try:
            contacts = self.book.contacts(self.filter.text())
        except ContactsError as exc:
            return self.say(str(exc), error=True)
        self.tree.clear()
        self.colours = self.row_colours()
        self.shown = {contact.id: contact for contact in contacts}
        previous, shade = None, False
        for contact in contacts:
            first = contact.role.casefold() != previous
            previous, shade = contact.role.casefold(), shade ^ first
            item = self.item(contact, first, shade)
            self.tree.addTopLevelItem(item)
            if contact.id == select:
                self.tree.setCurrentItem(item)
        if not contacts:
            empty = QTreeWidgetItem([f"No contact matches “{self.filter.text()}”."
                                     if self.filter.text() else "No contacts yet: Add…"])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(empty)
        if not self.filter.text():  # sized to the whole list, so typing does not shift them
            for column in range(len(COLUMNS) - 1):
                self.tree.resizeColumnToContents(column)
                self.tree.setColumnWidth(column, min(self.tree.columnWidth(column), MAX_WIDTH))
        old = sum(stale(c) for c in contacts)
        self.count.setText(f"{len(contacts)} contacts" + (
            f" · {old} not verified for {STALE_MONTHS} months (marked)" if old else ""))

    def item(self, contact: Contact, first: bool, shade: bool) -> QTreeWidgetItem:
        values = [getattr(contact, name) for name in COLUMNS]
        values[0] = contact.role if first else ""
        if contact.empty:
            values[1] = "(not filled in)"
        tip = f"{contact.role}: {contact.name or 'nobody yet'}"
        if stale(contact):
            values[COLUMNS.index("verified")] = (
                f"{contact.verified} · over {STALE_MONTHS} months" if contact.verified
                else "never verified")
            tip += f"\nNot verified for more than {STALE_MONTHS} months: confirm it, then " \
                   "set Last verified."
        item = QTreeWidgetItem(values)
        item.setData(0, CONTACT_ID, contact.id)
        for column in range(len(COLUMNS)):
            item.setToolTip(column, tip)
            if stale(contact):
                item.setBackground(column, QBrush(self.colours[1]))
            elif shade:
                item.setBackground(column, QBrush(self.colours[0]))
        for name in PHONES:
            if getattr(contact, name):
                item.setToolTip(COLUMNS.index(name), f"Click to copy {getattr(contact, name)}")
        if first:
            font = QFont(item.font(0))
            font.setBold(True)
            item.setFont(0, font)
        if contact.empty:
            item.setForeground(1, QBrush(self.colours[2]))
        return item

    def selected_id(self) -> int:
        item = self.tree.currentItem()
        return (item.data(0, CONTACT_ID) or 0) if item is not None else 0

    def selected(self) -> Contact | None:
        contact = self.shown.get(self.selected_id())
        if contact is None:
            self.say("Select a contact in the list first.", error=True)
        return contact

    def select_contact(self, contact_id: int) -> None:
        """Show and select one contact (a main search hit), clearing a filter that hides it."""
        if contact_id not in self.shown:
            self.filter.clear()
        self.refill(select=contact_id)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")

    # Actions

    def add(self) -> None:
        contact = ContactDialog.ask(self, Contact(), self.book.roles())
        if contact is not None:
            self.save(lambda: self.book.add(contact), "Added")

    def edit(self) -> None:
        contact = self.selected()
        if contact is not None:
            changed = ContactDialog.ask(self, contact, self.book.roles())
            if changed is not None:
                self.save(lambda: self.book.update(changed), "Saved")

    def save(self, write: Callable[[], Contact], done: str) -> None:
        try:
            contact = write()
        except ContactsError as exc:
            return self.say(str(exc), error=True)
        self.refill(select=contact.id)
        self.say(f"{done}: {contact.name or contact.role}.")
        self.changed.emit()

    def delete(self) -> None:
        contact = self.selected()
        if contact is None:
            return
        try:
            self.book.delete(contact.id)
        except ContactsError as exc:
            return self.say(str(exc), error=True)
        self.deleted.append(contact)
        self.undo_label.setText(f"Deleted {contact.name or '(empty row)'}, {contact.role}.")
        self.undo_bar.show()
        self.say("")
        self.refill()
        self.changed.emit()

    def undo(self) -> None:
        """Bring back the contact deleted last, exactly as it was."""
        if not self.deleted:
            return
        contact = self.deleted.pop()
        try:
            self.book.restore(contact.id)
        except ContactsError as exc:
            self.deleted.append(contact)
            return self.say(str(exc), error=True)
        self.undo_bar.setVisible(bool(self.deleted))
        if self.deleted:
            last = self.deleted[-1]
            self.undo_label.setText(f"Deleted {last.name or '(empty row)'}, {last.role}.")
        self.select_contact(contact.id)
        self.say(f"Restored {contact.name or contact.role}.")
        self.changed.emit()

    def clicked(self, item: QTreeWidgetItem, column: int) -> None:
        """One click on a phone number copies it."""
        name = COLUMNS[column] if column < len(COLUMNS) else ""
        contact = self.shown.get(item.data(0, CONTACT_ID) or 0)
        if contact is not None and name in PHONES and getattr(contact, name):
            self.copy_phone(contact, name)

    def copy_phone(self, contact: Contact | None = None, field: str = "phone") -> None:
        contact = contact or self.selected()
        if contact is None:
            return
        number = getattr(contact, field) or contact.alt_phone
        if not number:
            return self.say(f"{contact.name or contact.role} has no phone number yet.",
                            error=True)
        QGuiApplication.clipboard().setText(number)
        self.say(f"Copied {number} ({contact.name or contact.role}) to the clipboard.")

    # Files: the dialogs are thin; the *_to / *_from methods do the work

    def import_csv_from(self, path: Path | str) -> int:
        self.problems.hide()
        try:
            count = import_csv(self.book, path)
        except ContactsImportError as exc:
            self.problems.setPlainText("\n".join(exc.problems))
            self.problems.show()
            self.say(f"Nothing was imported: fix the {len(exc.problems)} problem(s) below "
                     "(file:line) and import the file again.", error=True)
            return 0
        except ContactsError as exc:
            self.say(str(exc), error=True)
            return 0
        self.refill()
        self.say(f"Imported {count} contacts from {Path(path).name}.")
        self.changed.emit()
        return count

    def export_csv_to(self, path: Path | str) -> bool:
        return self.export(lambda: export_csv(self.book, path), path)

    def export_pdf_to(self, path: Path | str) -> bool:
        return self.export(lambda: export_205a_pdf(self.book, path, self.incident_name()), path)

    def export(self, write: Callable[[], None], path: Path | str) -> bool:
        try:
            write()
        except (ExportError, ContactsError) as exc:
            self.say(str(exc), error=True)
            return False
        self.say(f"Saved {path}. It holds personal contact details: not for public release.")
        return True

    def import_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import contacts", "",
                                              "CSV files (*.csv);;All files (*)")
        if path:
            self.import_csv_from(path)

    def export_csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export contacts as CSV", "contacts.csv",
                                              "CSV files (*.csv)")
        if path:
            self.export_csv_to(path)

    def export_pdf_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export ICS 205A PDF",
                                              "contacts-ics205a.pdf", "PDF files (*.pdf)")
        if path:
            self.export_pdf_to(path)
