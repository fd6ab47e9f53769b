"""The Contacts view and its dialog, over a real journal.db seeded from the shipped content."""

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from binder.content.store import ContentStore
from binder.journal.contacts import FIELDS, Contact, ContactBook
from binder.journal.journal import Journal
from binder.ui.contacts_view import COLUMNS, ContactDialog, ContactsView

ANN = Contact(role="Incident Commander", name="Ann Lee", agency="Springfield PD",
              phone="(555) 010-0123", alt_phone="555-010-9999", radio="TAC 3",
              email="ann.lee@springfield.gov", verified=dt.date.today().isoformat())
OLD = dt.date.today() - dt.timedelta(days=400)


@pytest.fixture
def book(tmp_path, shipped_db):
    journal = Journal(tmp_path / "journal.db")
    store = ContentStore(shipped_db)
    book = ContactBook(journal)
    book.seed_from(store)
    store.close()
    book.add(ANN)
    book.add(Contact(role="EMS", name="Bo Chan", phone="555-010-0456",
                     verified=OLD.isoformat()))
    yield book
    journal.close()


@pytest.fixture
def view(qtbot, book):
    view = ContactsView(book, incident_name=lambda: "Mall shooting")
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def answer(monkeypatch):
    """What the patched dialog is asked and what it answers."""
    asked = []

    def use(reply):
        def ask(parent, contact, roles=()):
            asked.append(contact)
            return reply(contact) if callable(reply) else reply
        monkeypatch.setattr(ContactDialog, "ask", staticmethod(ask))
        return asked
    return use


def rows(view):
    return [[view.tree.topLevelItem(i).text(c) for c in range(len(COLUMNS))]
            for i in range(view.tree.topLevelItemCount())]


def select(view, name):
    for i in range(view.tree.topLevelItemCount()):
        if view.tree.topLevelItem(i).text(1) == name:
            view.tree.setCurrentItem(view.tree.topLevelItem(i))
            return view.tree.topLevelItem(i)
    raise AssertionError(f"{name} is not shown")


def test_the_list_is_grouped_by_role_and_marks_stale_rows(view):
    shown = rows(view)
    assert len(shown) == 22
    assert shown[0][:4] == ["Incident Commander", "Ann Lee", "(555) 010-0123", "555-010-9999"]
    assert shown[1][:2] == ["Deputy Incident Commander", "(not filled in)"]
    bo = select(view, "Bo Chan")
    assert bo.text(COLUMNS.index("verified")) == f"{OLD.isoformat()} · over 6 months"
    assert "more than 6 months" in bo.toolTip(0)
    assert bo.background(0).color() == view.colours[1]  # the look's background, tinted amber
    assert select(view, "Ann Lee").background(0).color() != view.colours[1]
    assert "1 not verified for 6 months" in view.count.text()
    for button in view.buttons.values():
        assert button.height() >= 44


def test_typing_in_the_filter_narrows_the_list_at_once(view, qtbot):
    assert view.filter.accessibleName() == "Filter contacts"
    qtbot.keyClicks(view.filter, "0456")
    assert [r[1] for r in rows(view)] == ["Bo Chan"]
    view.filter.clear()
    qtbot.keyClicks(view.filter, "springfield tac")
    assert [r[1] for r in rows(view)] == ["Ann Lee"]
    qtbot.keyClicks(view.filter, " nothing")
    assert rows(view)[0][0] == "No contact matches “springfield tac nothing”."
    view.filter.clear()
    assert len(rows(view)) == 22


def test_add_through_the_dialog_fills_the_empty_role_row(view, answer, book):
    asked = answer(Contact(role="Safety Officer", name="Cy Dee", phone="555-010-3333"))
    view.buttons["Add…"].click()
    assert asked == [Contact()]
    safety = [r for r in rows(view) if r[0] == "Safety Officer"]
    assert [r[1] for r in safety] == ["Cy Dee"] and len(rows(view)) == 22
    assert view.tree.currentItem().text(1) == "Cy Dee"
    assert view.message.text() == "Added: Cy Dee."
    assert book.contacts("Cy Dee")[0].phone == "555-010-3333"


def test_edit_saves_and_cancel_changes_nothing(view, answer, book):
    select(view, "Ann Lee")
    answer(lambda contact: Contact(**{**contact.__dict__, "radio": "TAC 5"}))
    view.buttons["Edit…"].click()
    assert book.contacts("Ann Lee")[0].radio == "TAC 5"
    select(view, "Ann Lee")
    answer(None)
    view.buttons["Edit…"].click()
    assert book.contacts("Ann Lee")[0].radio == "TAC 5"


def test_delete_then_undo_restores_the_contact(view, book, qtbot):
    select(view, "Ann Lee")
    view.buttons["Delete"].click()
    assert "Ann Lee" not in [r[1] for r in rows(view)]
    assert view.undo_bar.isVisible() and "Deleted Ann Lee" in view.undo_label.text()
    assert book.contacts("Ann Lee") == []
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert not view.undo_bar.isVisible()
    assert book.contacts("Ann Lee")[0].email == ANN.email
    assert view.tree.currentItem().text(1) == "Ann Lee"
    assert view.message.text() == "Restored Ann Lee."


def test_one_click_copies_a_number(view, qtbot):
    ann = select(view, "Ann Lee")
    view.buttons["Copy phone"].click()
    assert QGuiApplication.clipboard().text() == "(555) 010-0123"
    assert "Copied (555) 010-0123" in view.message.text()
    view.tree.setCurrentItem(None)
    rect = view.tree.visualItemRect(ann)
    x = view.tree.header().sectionPosition(COLUMNS.index("alt_phone")) + 5
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, rect.center().y()))
    assert QGuiApplication.clipboard().text() == "555-010-9999"
    select(view, "(not filled in)")
    view.buttons["Copy phone"].click()
    assert "has no phone number yet" in view.message.text()


def test_csv_export_then_import_and_a_bad_file_is_reported(view, tmp_path, book):
    out = tmp_path / "contacts.csv"
    assert view.export_csv_to(out)
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(FIELDS)
    assert view.import_csv_from(out) == 22
    assert "Imported 22 contacts" in view.message.text() and not view.problems.isVisible()
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(FIELDS) + "\nEMS,Dee,,12,,,,,\nFire,Ray,,,,,x@,,\n",
                   encoding="utf-8")
    assert view.import_csv_from(bad) == 0
    assert view.problems.isVisible()
    assert view.problems.toPlainText().splitlines() == [
        f"{bad}:2: Phone: at least 7 digits are needed",
        f"{bad}:3: Email: not an email address (name@agency.gov)"]
    assert "Nothing was imported" in view.message.text()
    assert book.contacts("Dee") == []


def test_pdf_export_and_a_failed_export_says_why(view, tmp_path):
    out = tmp_path / "205a.pdf"
    assert view.export_pdf_to(out)
    assert out.read_bytes().startswith(b"%PDF") and "not for public release" in view.message.text()
    assert not view.export_csv_to(tmp_path / "missing" / "contacts.csv")
    assert "cannot be written" in view.message.text()


def test_a_main_search_hit_is_shown_even_when_filtered_out(view, book):
    view.filter.setText("EMS")
    ann = book.contacts("Ann Lee")[0]
    view.select_contact(ann.id)
    assert view.filter.text() == "" and view.tree.currentItem().text(1) == "Ann Lee"


def test_the_dialog_shows_problems_inline_and_waits_for_a_valid_contact(qtbot):
    dialog = ContactDialog(Contact(), ["Incident Commander", "Fire"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.edits["role"].completer().model().rowCount() == 2  # (no popup for "EMS")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "ICS position or role: required" in dialog.summary.text()
    assert not dialog.errors["role"].isVisible()  # not shouted at before typing
    qtbot.keyClicks(dialog.edits["role"], "EMS")
    qtbot.keyClicks(dialog.edits["phone"], "555-01")
    assert dialog.errors["phone"].isVisible()
    assert dialog.errors["phone"].text() == "at least 7 digits are needed"
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.edits["phone"], "0-0456")
    qtbot.keyClicks(dialog.edits["email"], "bo@county")
    assert dialog.errors["email"].isVisible() and not ok.isEnabled()
    qtbot.keyClicks(dialog.edits["email"], ".gov")
    today = [b for b in dialog.findChildren(QPushButton) if b.text() == "Today"][0]
    today.click()
    assert ok.isEnabled() and not dialog.summary.isVisible()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.contact() == Contact(role="EMS", phone="555-010-0456", email="bo@county.gov",
                                       verified=dt.date.today().isoformat())


def test_the_dialog_shows_an_old_entrys_problems_at_once(qtbot):
    dialog = ContactDialog(Contact(id=3, role="EMS", phone="911"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.errors["phone"].isVisible()
    assert dialog.windowTitle() == "Edit contact"


def test_the_keyboard_deletes_and_copies_in_the_list(view, qtbot, book):
    view.tree.setFocus()
    select(view, "Bo Chan")
    qtbot.keyClick(view.tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "555-010-0456"
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    assert book.contacts("Bo Chan") == [] and view.undo_bar.isVisible()


def test_the_main_search_finds_a_contact_and_opens_it(make_window, qtbot):
    from binder.journal.contacts import Contact

    window = make_window()
    window.contacts_actions.contacts.add(Contact(0, "Incident Commander", "Dana Ruiz", "County SO",
                                "555 010 2000", "", "TAC 3", "", "", "", 0))
    window.search_box.setText("ruiz")
    first = window.results.item(0)
    assert "Dana Ruiz" in first.text() and "555 010 2000" in first.text()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.contacts_actions.contacts_view
    assert window.windowTitle() == "Contacts — Binder"


def test_roles_not_filled_in_are_not_hits_of_the_main_search(make_window, qtbot):
    from binder.ui.sidebar import DOC_ID

    window = make_window()
    qtbot.keyClicks(window.search_box, "incident commander")
    shown = [window.results.item(i) for i in range(window.results.count())]
    assert shown and all(not item.data(DOC_ID).startswith("contact:") for item in shown)
    assert not any("not filled in" in item.text() for item in shown)


def test_the_contacts_page_starts_from_the_shipped_roles(make_window):
    window = make_window()
    window.contacts_actions.contacts_action.trigger()
    roles = {c.role for c in window.contacts_actions.contacts.contacts()}
    assert "Incident Commander" in roles


@pytest.mark.parametrize("look", ["light", "night", "contrast"])
def test_every_row_reads_in_every_look_even_when_the_look_changes_while_it_is_open(
        make_window, look):
    """A grouped, stale or not-filled-in row keeps its words readable (WCAG 4.5:1) in night and
    high contrast too, including when the look is changed with the Contacts page open."""
    from binder.ui.theme import contrast

    window = make_window()
    window.contacts_actions.open_contacts()
    view = window.contacts_actions.contacts_view
    view.book.add(Contact(role="EMS", name="Bo Chan", phone="555-010-0456",
                          verified=OLD.isoformat()))
    view.refill()
    window.view_actions.set_theme(look)  # while the page is open
    text = view.tree.palette().color(view.tree.palette().ColorRole.Text).name()
    base = view.tree.palette().color(view.tree.palette().ColorRole.Base).name()
    for index in range(view.tree.topLevelItemCount()):
        item = view.tree.topLevelItem(index)
        for column in range(len(COLUMNS)):
            background = item.background(column).color().name() \
                if item.background(column).style() != Qt.BrushStyle.NoBrush else base
            foreground = item.foreground(column).color().name() \
                if item.foreground(column).style() != Qt.BrushStyle.NoBrush else text
            assert contrast(foreground, background) >= 4.5, (
                look, item.text(0), item.text(1), column, foreground, background)
