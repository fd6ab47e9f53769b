"""The window's correction line: what was searched instead, and a way back to the words typed."""

from PySide6.QtCore import Qt

from binder.ui.sidebar import DOC_ID


def test_a_misspelling_shows_the_correction_and_a_button_to_search_as_typed(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.search_box, "turniket")
    assert window.correction.isVisible()
    assert window.correction.text() == "Showing results for “tourniquet”"
    assert window.search_exact.isVisible()
    assert window.search_exact.text() == "Search instead for “turniket”"
    assert window.results.item(0).data(DOC_ID) == "tourniquet"


def test_the_words_as_typed_are_one_tab_and_one_key_away(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.search_box, "turniket")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Tab)
    assert window.search_exact.hasFocus()
    qtbot.keyClick(window.search_exact, Qt.Key.Key_Space)
    assert window.search_box.text() == "turniket"
    assert not window.correction.isVisible() and not window.search_exact.isVisible()
    assert window.results.item(0).data(DOC_ID) in (None, "")  # nothing has "turniket"
    assert "Nothing found for “turniket”" in window.results.item(0).text()
    assert window.search_box.hasFocus()  # typing goes on where it was


def test_typing_on_after_searching_as_typed_corrects_again(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.search_box, "turniket")
    window.search_exact.click()
    assert not window.correction.isVisible()
    qtbot.keyClicks(window.search_box, " ")
    assert window.correction.text() == "Showing results for “tourniquet”"
    assert window.correction.isVisible() and window.search_exact.isVisible()


def test_a_word_the_binder_has_shows_no_correction(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.search_box, "tourniquet")
    assert not window.correction.isVisible() and not window.search_exact.isVisible()


def test_a_long_query_does_not_widen_the_sidebar(make_window, qtbot):
    window = make_window()
    width = window.search_box.width()
    typed = "apply the turniket over clothing, high on the limb"
    window.search_box.setText(typed)
    qtbot.wait(50)  # one layout pass
    assert window.search_exact.isVisible()
    assert window.search_box.width() == width
    assert window.search_exact.accessibleName() == f"Search instead for “{typed}”"
    assert window.search_exact.text().endswith("…”")
