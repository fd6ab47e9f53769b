"""Agency content in the window: add a folder, see its problems, override a page, remove it."""

from tests.conftest import CHECKLIST, write_pages

AGENCY_TOURNIQUET = CHECKLIST.replace("title: Tourniquet", "title: Tourniquet (County)")


def tree_titles(window, section):
    tree = window.sections
    top = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(0) == section)
    return [top.child(i).text(0) for i in range(top.childCount())]


def test_a_pack_adds_pages_and_an_agency_version_replaces_the_shipped_page(make_window,
                                                                          tmp_path):
    window = make_window()
    folder = write_pages(tmp_path / "county", {"casualty-care/tourniquet.md": AGENCY_TOURNIQUET})
    assert window.packs.add_agency_content(folder, "County")
    assert tree_titles(window, "Casualty care") == [
        "Tourniquet (County)  · County (agency version)"]
    assert window.open_document("tourniquet")
    header = window.checklist_view.widget().findChildren(type(window.correction))[0].text()
    assert "from the agency pack “County”, in place of the shipped page" in header
    hits = window.store.search("tourniquet").hits
    assert hits[0].title == "Tourniquet (County)" and hits[0].pack == "County"
    assert "Added “County”: 1 pages" in window.statusBar().currentMessage()


def test_typing_finds_pack_and_shipped_pages_in_one_list(make_window, tmp_path, qtbot):
    from PySide6.QtCore import Qt

    window = make_window()
    page = CHECKLIST.replace("title: Tourniquet", "title: Patient transport").replace(
        "Move to cover if you can", "Drive the injured to the trauma centre")
    folder = write_pages(tmp_path / "county", {"response/transport.md": page})
    assert window.packs.add_agency_content(folder, "County")
    qtbot.keyClicks(window.search_box, "transport")
    rows = [window.results.item(i) for i in range(window.results.count())]
    assert "Patient transport" in rows[0].text() and "· County" in rows[0].text()
    assert rows[0].data(Qt.ItemDataRole.AccessibleTextRole).startswith(
        "Patient transport, Casualty care, County, ")
    assert any("Casualty guide" in row.text() for row in rows[1:])  # the shipped page too


def test_a_folder_with_problems_adds_nothing_and_lists_every_problem(make_window, tmp_path):
    window = make_window()
    folder = write_pages(tmp_path / "bad", {
        "a.md": CHECKLIST.replace("kind: checklist", "kind: memo"),
        "b.md": CHECKLIST.replace("{#apply-high}", "{#cover}"),
    })
    assert not window.packs.add_agency_content(folder, "Bad")
    problems = window.packs.last_problems.text.toPlainText().splitlines()
    assert problems[0].startswith("a.md:3: unknown kind 'memo'")
    assert any(p.startswith("b.md:17: step id 'cover' is used twice") for p in problems)
    assert not (window.data_folder / "packs").exists() or not list(
        (window.data_folder / "packs").glob("*.db"))
    assert tree_titles(window, "Casualty care") == ["Tourniquet"]
    window.packs.last_problems.close()


def test_outside_markdown_is_imported_as_guides_with_warnings(make_window, tmp_path):
    window = make_window()
    page = "# Call etiquette\n\nBe brief.\n"
    folder = write_pages(tmp_path / "notes", {"call/über-notes.md": page})
    assert window.packs.add_agency_content(folder, "Notes")
    assert tree_titles(window, "Notes") == ["Call etiquette"]  # the pack's own section
    assert "Call etiquette  · Notes" not in tree_titles(window, "Response")
    assert "no front matter" in window.packs.last_problems.text.toPlainText()
    window.packs.last_problems.close()


def test_removing_a_pack_brings_the_shipped_page_back(make_window, tmp_path):
    from binder.ui.packs_dialogs import PacksDialog

    window = make_window()
    folder = write_pages(tmp_path / "county", {"casualty-care/tourniquet.md": AGENCY_TOURNIQUET})
    window.packs.add_agency_content(folder, "County")
    dialog = PacksDialog(window.packs)
    assert dialog.list.item(0).text().startswith("County: 1 pages")
    dialog.remove_selected()
    assert tree_titles(window, "Casualty care") == ["Tourniquet"]
    assert dialog.list.item(0).text().startswith("No agency packs yet")
    dialog.close()


def test_the_window_starts_without_waiting_for_a_missing_index_and_takes_it_when_built(
        make_window, tmp_path, qtbot):
    from binder.content.packs import add_pack

    data = tmp_path / "data"
    page = CHECKLIST.replace("title: Tourniquet", "title: Patient transport")
    add_pack(write_pages(tmp_path / "county", {"response/transport.md": page}), data, "County",
             known_ids=["casualty-guide"])
    assert not (data / "search").exists()  # a pack added by an older Binder: no index yet
    window = make_window()
    assert window.store.needs_index  # the window is up; the index is being built meanwhile
    assert "County" in [h.pack for h in window.store.search("transport ")]  # each store meanwhile
    qtbot.waitUntil(lambda: window.store.index is not None, timeout=10000)
    assert window.store.index_path.is_file()
    qtbot.keyClicks(window.search_box, "transport")
    rows = [window.results.item(i).text() for i in range(window.results.count())]
    assert "Patient transport" in rows[0] and "· County" in rows[0]
    assert sum("Patient transport" in row for row in rows) == 1


def test_adding_a_pack_in_the_window_indexes_it_at_once(make_window, tmp_path):
    window = make_window()
    folder = write_pages(tmp_path / "county", {"casualty-care/tourniquet.md": AGENCY_TOURNIQUET})
    assert window.packs.add_agency_content(folder, "County")
    assert window.store.index is not None and not window.store.needs_index


def test_the_command_line_and_the_window_find_the_same_hits_with_packs(make_window, tmp_path,
                                                                        content_db, qtbot):
    from binder.ui.sidebar import DOC_ID
    from tests.test_cli import binder

    data = tmp_path / "data"
    common = ("--data-dir", str(data), "--content-db", str(content_db))
    page = CHECKLIST.replace("title: Tourniquet", "title: Patient transport").replace(
        "Move to cover if you can", "Drive the injured to the trauma centre")
    folder = write_pages(tmp_path / "County", {"response/transport.md": page,
                                               "casualty-care/tourniquet.md": AGENCY_TOURNIQUET})
    assert binder(*common, "pack", "add", str(folder)).returncode == 0
    assert len(list((data / "search").glob("*.db"))) == 1  # indexed by `pack add`
    window = make_window()
    assert window.store.index is not None
    for words in ("tourniquet", "injured", "transport", "trauma centre"):
        printed = binder(*common, "search", "-n", "20", *words.split()).stdout.splitlines()
        places = [line.rpartition("(")[2].rstrip(")").split(", ") for line in printed[::2]]
        window.search_box.clear()
        qtbot.keyClicks(window.search_box, words + " ")
        shown = [window.results.item(i).data(DOC_ID) for i in range(window.results.count())]
        assert [place[1] for place in places] == shown and ["County"] in [
            place[2:] for place in places], words


def test_a_start_up_index_finishing_late_never_removes_a_newer_one(shipped_db, tmp_path, qtbot):
    """A pack added while the start-up's index is still being built: the newer index the pack
    made stays, whichever build finishes last (the slow one used to remove it)."""
    from binder.content.packs import add_pack
    from binder.search.library import Library
    from binder.ui.index_builder import IndexBuilder

    data = tmp_path / "data"
    page = CHECKLIST.replace("title: Tourniquet", "title: Patient transport")
    add_pack(write_pages(tmp_path / "county", {"response/transport.md": page}), data, "County",
             known_ids=["casualty-guide"])
    marker, index_dir = data / "content-checked.json", data / "search"
    at_start = Library.open(shipped_db, [*sorted((data / "packs").glob("*.db"))], marker, index_dir)
    assert at_start.needs_index
    add_pack(write_pages(tmp_path / "city", {"response/shelter.md": page.replace(
        "Patient transport", "Shelter")}), data, "City", known_ids=["casualty-guide"])
    now = Library.open(shipped_db, [*sorted((data / "packs").glob("*.db"))], marker, index_dir)
    now.build_index()  # the pack's own, at once
    builder = IndexBuilder()
    with qtbot.waitSignal(builder.done, timeout=20000):
        builder.start(at_start)  # the start-up's, finishing after it
    assert now.index_path.is_file()
    now.close()
    again = Library.open(shipped_db, [*sorted((data / "packs").glob("*.db"))], marker, index_dir)
    assert not again.needs_index and "Shelter" in [h.title for h in again.search("shelter ")]
    again.close()
    at_start.close()


def test_a_hit_in_a_packs_own_section_names_the_pack_once(make_window, tmp_path, qtbot):
    window = make_window()
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "radio.md").write_text("# Radio check-in\n\nCheck in on channel 3 every half hour.\n")
    assert window.packs.add_agency_content(folder, "Springfield plan")
    qtbot.keyClicks(window.search_box, "radio check-in")
    text = window.results.item(0).text()
    assert "Radio check-in" in text and text.count("Springfield plan") == 1
