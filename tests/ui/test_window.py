"""The window driven as a person would: search, open, follow links, tick, restart."""

from PySide6.QtCore import Qt, QUrl

from binder.content.content import SECTIONS
from binder.journal.incidents import step_states
from binder.journal.journal import Journal
from binder.ui.sidebar import DOC_ID, STEP_ID


def test_search_box_has_focus_on_start(make_window, qtbot):
    window = make_window()
    qtbot.waitUntil(lambda: window.search_box.hasFocus())


def test_sections_list_every_section_and_its_pages(make_window):
    window = make_window()
    tree = window.sections
    names = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert names == list(SECTIONS)
    casualty = tree.topLevelItem(SECTIONS.index("Casualty care"))
    assert [casualty.child(i).text(0) for i in range(casualty.childCount())] == ["Tourniquet"]


def test_typing_shows_hits_with_highlight_and_enter_opens_the_best(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.search_box, "overt")
    assert window.left.currentWidget() is window.results
    first = window.results.item(0)
    assert "EFLEA" in first.text() and "<b>overtime</b>" in first.text()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.current.doc_id == "eflea"
    assert window.pages.currentWidget() is window.checklist_view


def test_a_screen_reader_hears_snippets_as_plain_words(make_window, qtbot, shipped_db):
    window = make_window(db=shipped_db)
    qtbot.keyClicks(window.search_box, "suspect's description")
    spoken = [window.results.item(i).data(Qt.ItemDataRole.AccessibleTextRole)
              for i in range(window.results.count())]
    step = next(s for s in spoken if s.startswith("Step:"))
    assert "Relay the suspect's description" in step
    assert not any("&#" in s or "&amp;" in s or "<b>" in s for s in spoken)
    assert "<b>description</b>" in window.results.item(spoken.index(step)).text()


def test_a_screen_reader_hears_nothing_found_without_markup(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.search_box, "zq<x>")
    spoken = window.results.item(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "Nothing found for “zq<x>”."


def test_arrow_keys_choose_a_result_and_a_click_opens_it(make_window, qtbot):
    window = make_window()
    window.search_box.setText("tourniquet")  # the page, two of its steps, the guide
    assert [window.results.item(i).data(STEP_ID) or window.results.item(i).data(DOC_ID)
            for i in range(window.results.count())] == [
        "tourniquet", "tourniquet/time", "tourniquet/apply-high", "casualty-guide"]
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    assert window.results.current_target() == ("tourniquet", "tourniquet/time")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert (window.current.doc_id, window.current.anchor) == ("tourniquet", "time")
    item = window.results.item(3)
    rect = window.results.visualItemRect(item)
    qtbot.mouseClick(window.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current.doc_id == "casualty-guide"


def test_a_step_hit_opens_its_checklist_at_the_step_marked(make_window, qtbot):
    window = make_window()
    window.search_box.setText("write the ti")
    first = window.results.item(0)
    assert first.data(STEP_ID) == "tourniquet/time"
    assert "Step in <b>Tourniquet › Field care</b>" in first.text()
    assert "<b>Write</b>" in first.text()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert (window.current.doc_id, window.current.anchor) == ("tourniquet", "time")
    rows = window.checklist_view.rows
    assert rows["tourniquet/time"].property("target") == "true"
    assert rows["tourniquet/cover"].property("target") == "false"
    qtbot.waitUntil(rows["tourniquet/time"].checkbox.hasFocus)


def test_a_misspelling_shows_what_was_searched_instead(make_window):
    window = make_window()
    window.search_box.setText("tourniqet")
    assert window.correction.isVisible()
    assert window.correction.text() == "Showing results for “tourniquet”"
    assert window.results.item(0).data(DOC_ID) == "tourniquet"
    window.search_box.setText("tourniquet")
    assert not window.correction.isVisible()


def test_a_sentence_no_page_holds_whole_says_it_matches_some_of_the_words(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.search_box, "how do I apply a tourniquet to a zebra")
    assert window.correction.isVisible()
    assert window.correction.text() == "Matching some of your words"
    assert window.results.item(0).data(DOC_ID) == "tourniquet"
    window.search_box.setText("how do I apply a tourniquet")
    assert not window.correction.isVisible()


def test_enter_on_a_result_moves_the_focus_into_the_page(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.search_box, "casualty guide")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(window.document_view.hasFocus)
    qtbot.keyClick(window.document_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    assert window.search_box.text() == "casualty guide"


def test_ctrl_f_finds_in_the_open_page_and_elsewhere_goes_to_search(make_window, qtbot):
    window = make_window()
    qtbot.keyClick(window.sections, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus() and not window.find_bar.isVisible()
    window.open_document("casualty-guide")
    window.document_view.setFocus()
    qtbot.waitUntil(window.document_view.hasFocus)
    qtbot.keyClick(window.document_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.field, "casualt")
    assert window.find_bar.count() >= 2 and window.find_bar.current() == 1
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    qtbot.waitUntil(window.document_view.hasFocus)
    qtbot.keyClick(window.document_view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()


def test_nothing_found_says_so(make_window):
    window = make_window()
    window.search_box.setText("zzzzqqq")
    assert "Nothing found" in window.results.item(0).text()
    window.open_best_result()
    assert window.current is None


def test_esc_returns_to_the_search_box(make_window, qtbot):
    window = make_window()
    window.search_box.setText("tq")
    window.open_best_result()
    window.checklist_view.rows["tourniquet/cover"].checkbox.setFocus()
    qtbot.waitUntil(lambda: not window.search_box.hasFocus())
    qtbot.keyClick(window.checklist_view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.search_box.hasFocus())
    assert window.search_box.selectedText() == "tq"


def test_guide_renders_headings_tables_and_sources(make_window):
    window = make_window()
    assert window.open_document("casualty-guide")
    text = window.document_view.toPlainText()
    assert "Casualty guide" in text and "Timing" in text and "Rescue task force" in text
    assert "last reviewed 2026-11-01" in text
    assert "Hartford Consensus" in text
    assert window.document_view.document().toHtml().count("<table") == 1


def test_links_open_pages_in_the_same_view_with_back_and_forward(make_window, qtbot):
    window = make_window()
    window.open_document("casualty-guide")
    window.document_view.anchorClicked.emit(QUrl("binder:tourniquet"))
    assert window.current.doc_id == "tourniquet"
    qtbot.keyClick(window.checklist_view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current.doc_id == "casualty-guide"
    assert window.pages.currentWidget() is window.document_view
    qtbot.keyClick(window.document_view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.current.doc_id == "tourniquet"
    assert not window.forward_action.isEnabled()


def test_a_step_link_opens_the_guide_at_its_heading(make_window):
    window = make_window()
    window.open_document("tourniquet")
    label = window.checklist_view.rows["tourniquet/time"].text
    label.linkActivated.emit("binder:casualty-guide#timing")
    assert window.current.doc_id == "casualty-guide"
    assert window.current.anchor == "timing"


def test_outside_links_are_never_fetched_and_open_only_on_click(make_window, monkeypatch):
    opened = []
    monkeypatch.setattr(type(make_window()), "open_external", staticmethod(opened.append))
    window = make_window()
    window.open_document("casualty-guide")
    window.document_view.highlighted.emit(QUrl("https://example.org/guide"))
    assert "https://example.org/guide" in window.statusBar().currentMessage()
    assert opened == []
    window.document_view.anchorClicked.emit(QUrl("https://example.org/guide"))
    assert opened == [QUrl("https://example.org/guide")]
    assert window.current.doc_id == "casualty-guide"


def test_tick_is_saved_at_once_and_survives_a_restart(make_window, tmp_path, qtbot,
                                                      start_on_ask):
    data = tmp_path / "data"
    window = make_window(data=data)
    window.open_document("tourniquet")
    view = window.checklist_view
    qtbot.mouseClick(view.rows["tourniquet/apply-high"].checkbox, Qt.MouseButton.LeftButton)
    assert len(start_on_ask) == 1  # no incident was open: it asked to start one
    assert view.progress.text() == "1 done · 0 N/A · 2 open"
    assert view.rows["tourniquet/apply-high"].status.text().startswith(
        "Done by Ann Lee (Incident Commander) at ")
    other = Journal(data / "journal.db")  # on disk before anything else happens
    assert step_states(other.events())["tourniquet/apply-high"].done
    other.close()
    window.close()
    window.journal.close()
    window.journal = None

    again = make_window(data=data)
    again.open_document("tourniquet")
    rows = again.checklist_view.rows
    assert rows["tourniquet/apply-high"].checkbox.isChecked()
    assert not rows["tourniquet/cover"].checkbox.isChecked()
    assert again.checklist_view.progress.text() == "1 done · 0 N/A · 2 open"
    assert again.banner.text() == "Mall shooting · North Mall"


def test_a_tap_on_the_step_text_ticks_it_and_a_second_does_not_untick(make_window, qtbot,
                                                                       start_on_ask):
    window = make_window()
    window.open_document("tourniquet")
    row = window.checklist_view.rows["tourniquet/cover"]
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    assert row.checkbox.isChecked()
    qtbot.mouseClick(row.checkbox, Qt.MouseButton.LeftButton)
    assert row.checkbox.isChecked()  # undoing is deliberate: ⋯ > Undo, the bar, Ctrl+Z
    assert [e.kind for e in window.journal.events()][-1] == "tick"


def test_missing_content_db_shows_a_message_not_a_traceback(make_window, tmp_path):
    window = make_window(db=tmp_path / "missing.db")
    assert "cannot be opened" in window.document_view.toPlainText()
    assert "not found at" in window.document_view.toPlainText()
    assert not window.search_box.isEnabled()


def test_damaged_journal_is_moved_aside_and_the_window_says_where(make_window, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "journal.db").write_bytes(b"not a database " * 100)
    window = make_window(data=data, operator=None)
    [aside] = [p for p in data.iterdir() if ".damaged-" in p.name]
    assert aside.read_bytes() == b"not a database " * 100
    text = window.document_view.toPlainText()
    assert "The activity journal was damaged" in text and str(aside) in text
    window.operator_prompt.reject()


def test_a_journal_from_a_newer_binder_disables_ticking(make_window, tmp_path):
    import sqlite3

    data = tmp_path / "data"
    data.mkdir()
    conn = sqlite3.connect(data / "journal.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    window = make_window(data=data, operator=None)
    assert window.journal is None
    assert "newer Binder" in window.document_view.toPlainText()
    window.open_document("tourniquet")
    assert not window.checklist_view.rows["tourniquet/cover"].isEnabled()
    assert "ticks cannot be saved" in window.checklist_view.progress.text()
