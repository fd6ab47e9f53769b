"""Pinned and recent pages in the window: the star, the groups above the sections, a restart."""

from PySide6.QtCore import Qt

from binder.content.content import SECTIONS
from binder.journal.places import Places
from tests.conftest import write_pages


def click_item(qtbot, tree, item):
    window = tree.window()
    if tree.viewport().width() < 300:  # the offscreen screen is small; the page side has a
        window.resize(1280, 800)       # wide minimum, which leaves the sections a sliver
        window.centralWidget().setSizes([400, 880])
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    assert tree.viewport().rect().contains(rect.center())
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def section_item(tree, section, title):
    top = tree.topLevelItem(tree.topLevelItemCount() - len(SECTIONS) + SECTIONS.index(section))
    assert top.text(0) == section
    return next(top.child(i) for i in range(top.childCount()) if top.child(i).text(0) == title)


def group_names(tree):
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def press_ctrl_d(qtbot, window):
    qtbot.keyClick(window.pages.currentWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)


def restart(window, make_window, data):
    window.close()
    window.journal.close()
    window.journal = None
    return make_window(data=data)


def test_ctrl_d_pins_the_open_page_and_a_click_on_it_opens_it(make_window, qtbot):
    window = make_window()
    tree, action = window.sections, window.pins.pin_action
    assert not action.isEnabled()  # no page open yet
    assert window.pins.pin_button.accessibleName() == "Pin this page (Ctrl+D)"

    click_item(qtbot, tree, section_item(tree, "Response", "Casualty guide"))
    assert window.current.doc_id == "casualty-guide"
    assert action.isEnabled() and not action.isChecked() and action.text() == "☆ Pin"
    press_ctrl_d(qtbot, window)
    assert tree.place_ids(tree.pinned_group) == ["casualty-guide"]
    assert group_names(tree) == ["Pinned", "Recent", *SECTIONS]
    assert action.isChecked() and action.text() == "★ Pinned"
    assert action.toolTip() == "Unpin this page (Ctrl+D)"
    assert window.pins.pin_button.accessibleName() == "Unpin this page (Ctrl+D)"
    assert window.pins.pin_button.isVisible() and window.pins.pin_button.isEnabled()

    click_item(qtbot, tree, section_item(tree, "Funding", "EFLEA"))
    assert window.current.doc_id == "eflea" and action.text() == "☆ Pin"
    click_item(qtbot, tree, tree.pinned_group.child(0))
    assert window.current.doc_id == "casualty-guide"
    assert window.pages.currentWidget() is window.document_view
    assert action.isChecked()
    # The highlight is on the page in its section, not on the row that moves about.
    assert tree.currentItem() is section_item(tree, "Response", "Casualty guide")


def test_pins_and_recent_pages_survive_a_restart_and_unpin_removes(make_window, tmp_path,
                                                                   qtbot):
    data = tmp_path / "data"
    window = make_window(data=data)
    for doc_id in ("tourniquet", "casualty-guide", "eflea"):
        assert window.open_document(doc_id)
    window.open_document("tourniquet")
    press_ctrl_d(qtbot, window)
    window.open_document("eflea")
    press_ctrl_d(qtbot, window)
    assert window.sections.place_ids(window.sections.pinned_group) == ["tourniquet", "eflea"]

    again = restart(window, make_window, data)
    tree = again.sections
    assert group_names(tree) == ["Pinned", "Recent", *SECTIONS]
    assert tree.place_ids(tree.pinned_group) == ["tourniquet", "eflea"]
    assert tree.place_ids(tree.recent_group) == ["eflea", "tourniquet", "casualty-guide"]
    assert [tree.recent_group.child(i).text(0) for i in range(3)] == [
        "EFLEA", "Tourniquet", "Casualty guide"]

    click_item(qtbot, tree, tree.recent_group.child(2))  # a recent page opens like any other
    assert again.current.doc_id == "casualty-guide"
    assert tree.place_ids(tree.recent_group) == ["casualty-guide", "eflea", "tourniquet"]

    again.open_document("tourniquet")
    assert again.pins.pin_action.isChecked()
    press_ctrl_d(qtbot, again)  # unpin
    assert not again.pins.pin_action.isChecked() and again.pins.pin_action.text() == "☆ Pin"
    assert tree.place_ids(tree.pinned_group) == ["eflea"]
    again.open_document("eflea")
    again.pins.pin_action.trigger()  # the toolbar button does the same
    assert tree.pinned_group is None
    assert group_names(tree) == ["Recent", *SECTIONS]
    assert Places(again.journal).pinned() == []


def test_recent_shows_the_last_five_pages(make_window, qtbot):
    window = make_window()
    for doc_id in ("tourniquet", "casualty-guide", "eflea", "command-post-contacts",
                   "tourniquet", "eflea"):
        window.open_document(doc_id)
    tree = window.sections
    assert tree.place_ids(tree.recent_group) == [
        "eflea", "tourniquet", "command-post-contacts", "casualty-guide"]
    window.sections.RECENT_SHOWN = 2
    window.pins.show_places()
    assert tree.place_ids(tree.recent_group) == ["eflea", "tourniquet"]


def test_the_star_is_off_on_the_contacts_and_with_no_journal(make_window, tmp_path):
    import sqlite3

    window = make_window()
    window.open_document("tourniquet")
    assert window.pins.pin_action.isEnabled()
    window.contacts_actions.open_contacts()
    assert not window.pins.pin_action.isEnabled()
    window.pins.pin_action.trigger()  # Ctrl+D there pins nothing
    assert window.sections.pinned_group is None

    data = tmp_path / "newer"
    data.mkdir()
    conn = sqlite3.connect(data / "journal.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    readonly = make_window(data=data, operator=None)
    assert readonly.journal is None
    readonly.open_document("tourniquet")
    assert readonly.current.doc_id == "tourniquet"
    assert not readonly.pins.pin_action.isEnabled()
    assert group_names(readonly.sections) == list(SECTIONS)


def test_a_pinned_page_whose_pack_is_removed_is_hidden_not_forgotten(make_window, tmp_path,
                                                                      qtbot):
    from binder.content.packs import remove_pack

    window = make_window()
    page = "# Call etiquette\n\nBe brief.\n"
    folder = write_pages(tmp_path / "notes", {"call/etiquette.md": page})
    assert window.packs.add_agency_content(folder, "Notes")
    window.packs.last_problems.close()
    window.open_document("etiquette")
    press_ctrl_d(qtbot, window)
    window.open_document("tourniquet")
    assert window.sections.place_ids(window.sections.pinned_group) == ["etiquette"]
    assert window.sections.place_ids(window.sections.recent_group) == ["tourniquet", "etiquette"]

    remove_pack(window.data_folder, "notes")
    window.packs.reload_library()
    tree = window.sections
    assert tree.pinned_group is None
    assert tree.place_ids(tree.recent_group) == ["tourniquet"]
    assert Places(window.journal).pinned() == ["etiquette"]  # comes back with the pack
    assert window.packs.add_agency_content(folder, "Notes")
    window.packs.last_problems.close()
    assert window.sections.place_ids(window.sections.pinned_group) == ["etiquette"]
