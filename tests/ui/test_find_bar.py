"""Find in the page, driven as a person would: type, Enter, Shift+Enter, Esc, on both page kinds."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from binder.content.store import DocRecord, StepRecord
from binder.ui.checklist_view import ChecklistView
from binder.ui.document_view import DocumentView
from binder.ui.find_bar import FindBar
from binder.ui.session import Session

FILLER = "<p>Nothing to see in this paragraph.</p>" * 40
GUIDE = (f"<h1>Radio plan</h1><p>Use the radio on channel 2.</p>{FILLER}"
         f"<p>A spare RADIO is in the box.</p>{FILLER}<p>Last: radio check, radio off.</p>")


def checklist_doc(prose: list[str], steps: list[str], doc_id: str = "drill") -> DocRecord:
    """The only place that knows how blocks are written (HTML under "html" today)."""
    records = [StepRecord(f"{doc_id}/s{i}", i, "", text, f"<p>{text}</p>")
               for i, text in enumerate(steps)]
    blocks = [{"html": f"<p>{text}</p>"} for text in prose]
    blocks += [{"step": step.id} for step in records]
    return DocRecord(id=doc_id, path=f"{doc_id}.md", title="Drill", kind="checklist",
                     section="Response", summary="A page to search.", tags=[], roles=[],
                     sources=[], reviewed="", html="", blocks=blocks, steps=records)


DRILL = checklist_doc(
    ["Check the radio before you start."],
    [f"Step {i}: nothing here" for i in range(30)]
    + ["Call dispatch on the radio", "Radio check with EMS, then radio off"])


def host(qtbot, view, bar: FindBar) -> QWidget:
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(bar)
    layout.addWidget(view, 1)
    qtbot.addWidget(window)
    window.resize(500, 300)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def document(qtbot):
    view, bar = DocumentView(""), FindBar()
    view.show_html(GUIDE)
    window = host(qtbot, view, bar)  # held here: the bar and view live in it
    bar.attach(view)
    bar.start()
    yield view, bar
    window.close()


@pytest.fixture
def checklist(qtbot):
    view, bar = ChecklistView(Session(None), ""), FindBar()
    view.show_document(DRILL)
    window = host(qtbot, view, bar)  # held here: the bar and view live in it
    bar.attach(view)
    bar.start()
    yield view, bar
    window.close()


def marked(view, state="current") -> list[QWidget]:
    return [w for w in view.widget().findChildren(QWidget) if w.property("found") == state]


def prose_label(view, text: str) -> QLabel:
    page = view.widget()
    return next(w for w in page.findChildren(QLabel) if w.parentWidget() is page
                and text in w.text())


def in_viewport(view, widget: QWidget) -> bool:
    top = widget.mapTo(view.viewport(), widget.rect().topLeft())
    return view.viewport().rect().contains(top)


def test_typing_counts_and_selects_the_first_match(document, qtbot):
    view, bar = document
    qtbot.keyClicks(bar.field, "radio")
    assert (bar.count(), bar.current()) == (5, 1)
    assert bar.status.text() == "1 of 5"
    assert view.textCursor().selectedText() == "Radio"
    assert len(view.extraSelections()) == 5


def test_next_and_previous_wrap_around(document):
    view, bar = document
    bar.field.setText("radio")
    bar.previous()
    assert bar.current() == 5 and bar.status.text() == "5 of 5"
    bar.next()
    assert bar.current() == 1
    for _ in range(4):
        bar.next()
    assert bar.current() == 5 and view.textCursor().selectedText() == "radio"


def test_enter_shift_enter_and_esc(document, qtbot):
    view, bar = document
    bar.field.setText("radio")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.current() == 2
    qtbot.keyClick(bar.field, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert bar.current() == 3
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.current() == 2
    with qtbot.waitSignal(bar.closed, timeout=1000):
        qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert bar.isHidden()
    assert view.extraSelections() == []
    assert (bar.count(), bar.current()) == (0, 0)


def test_the_current_match_is_scrolled_into_view(document):
    view, bar = document
    bar.field.setText("spare radio")
    assert bar.count() == 1
    assert view.verticalScrollBar().value() > 0
    assert view.viewport().rect().contains(view.cursorRect())
    assert view.textCursor().selectedText() == "spare RADIO"


def test_no_matches_and_empty_text(document):
    view, bar = document
    bar.field.setText("helicopter")
    assert (bar.count(), bar.current(), bar.status.text()) == (0, 0, "No matches")
    assert not bar.next_button.isEnabled()
    bar.next()
    assert bar.current() == 0
    bar.field.setText("radio")
    assert view.extraSelections()
    bar.field.setText("")
    assert (bar.count(), bar.status.text(), view.extraSelections()) == (0, "", [])


def test_plain_text_not_a_pattern(document):
    view, bar = document
    view.show_html("<p>a.b a+b axb (a.b)</p>")
    bar.field.setText("a.b")
    assert bar.count() == 2


def test_new_content_is_counted_again_without_jumping(document):
    view, bar = document
    bar.field.setText("radio")
    view.show_html("<p>radio one</p><p>radio two</p>")
    assert (bar.count(), bar.current(), bar.status.text()) == (2, 0, "2 matches")
    bar.next()
    assert bar.current() == 1 and view.textCursor().selectedText() == "radio"


def test_checklist_counts_every_label_and_marks_the_row(checklist):
    view, bar = checklist
    bar.field.setText("radio")
    assert bar.count() == 4  # prose once, one step once, one step twice
    prose = prose_label(view, "Check the radio")
    assert marked(view) == [prose]
    bar.next()
    assert marked(view) == [view.rows["drill/s30"]]
    assert in_viewport(view, view.rows["drill/s30"])
    assert view.verticalScrollBar().value() > 0
    bar.next()
    assert marked(view) == [view.rows["drill/s31"]] and bar.status.text() == "3 of 4"
    bar.next()
    assert marked(view) == [view.rows["drill/s31"]] and bar.current() == 4
    assert set(marked(view, "match")) == {prose, view.rows["drill/s30"]}
    bar.next()
    assert marked(view) == [prose] and bar.current() == 1
    assert in_viewport(view, prose)


def test_checklist_keys_and_closing_clear_the_marks(checklist, qtbot):
    view, bar = checklist
    qtbot.keyClicks(bar.field, "radio off")
    assert bar.count() == 1 and marked(view) == [view.rows["drill/s31"]]
    bar.field.setText("radio")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.current() == 4
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.current() == 1
    bar.field.setText("helicopter")
    assert bar.status.text() == "No matches"
    assert marked(view) == [] and marked(view, "match") == []
    bar.field.setText("radio")
    with qtbot.waitSignal(bar.closed, timeout=1000):
        qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert marked(view) == [] and marked(view, "match") == []


def test_a_new_page_or_another_view_starts_over(checklist, qtbot):
    view, bar = checklist
    bar.field.setText("radio")
    bar.next()
    view.show_document(checklist_doc(["radio"], ["radio", "not this"], doc_id="other"))
    bar.attach(view)
    assert (bar.count(), bar.current(), marked(view)) == (2, 0, [])
    bar.next()
    assert marked(view) == [prose_label(view, "<p>radio</p>")]
    document = DocumentView("")
    document.show_html("<p>radio</p>")
    qtbot.addWidget(document)
    bar.attach(document)
    assert marked(view) == [] and marked(view, "match") == []
    assert (bar.count(), bar.current(), bar.status.text()) == (1, 0, "1 match")


def test_a_replaced_page_is_searched_again_on_next(checklist):
    view, bar = checklist
    bar.field.setText("radio")
    view.show_document(checklist_doc([], ["radio"], doc_id="other"))
    bar.next()
    assert bar.count() == 1 and marked(view) == [view.rows["other/s0"]]


def test_esc_in_the_bar_wins_over_the_window_esc(checklist, qtbot):
    view, bar = checklist
    window = bar.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    elsewhere = []
    QShortcut(QKeySequence("Esc"), window, lambda: elsewhere.append(True))
    bar.start()
    qtbot.waitUntil(bar.field.hasFocus)
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert bar.isHidden() and elsewhere == []


def test_targets_and_names(checklist):
    _view, bar = checklist
    assert bar.field.accessibleName() == "Find in this page"
    buttons = (bar.previous_button, bar.next_button, bar.close_button)
    assert [b.accessibleName() for b in buttons] == [
        "Previous match", "Next match", "Close find bar"]
    assert all(b.height() >= 44 for b in buttons)


def test_start_selects_the_old_text_and_counts_again(checklist, qtbot):
    view, bar = checklist
    bar.field.setText("radio")
    bar.close_bar()
    bar.start()
    assert bar.isVisible() and bar.field.selectedText() == "radio"
    assert (bar.count(), bar.current(), bar.status.text()) == (4, 0, "4 matches")
    assert len(marked(view, "match")) == 3 and marked(view) == []
