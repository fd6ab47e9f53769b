"""At 1024x600 the sidebar's page titles and search results wrap; none is cut short."""

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QStyleOptionViewItem


@pytest.fixture
def window(make_window, shipped_db, tmp_path):
    window = make_window(db=shipped_db, data=tmp_path / "shipped-data")
    window.resize(1024, 600)
    window.centralWidget().setSizes([260, 764])
    return window


def pages(tree):
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            yield top.child(j)


def test_long_page_titles_wrap_onto_more_lines(window, qtbot):
    tree = window.sections
    qtbot.waitUntil(lambda: tree.viewport().width() < 300)
    assert tree.textElideMode() == Qt.TextElideMode.ElideNone
    metrics = QFontMetrics(tree.font())
    long_ones = []
    for item in pages(tree):
        rect = tree.visualItemRect(item)
        room = tree.viewport().width() - rect.left() - 12
        lines = math.ceil(metrics.horizontalAdvance(item.text(0)) / room)
        if lines > 1:
            long_ones.append(item.text(0))
            assert rect.height() >= lines * metrics.lineSpacing(), (item.text(0), rect)
    assert len(long_ones) >= 3  # "Active assailant: first minutes" and others at this width


def test_every_search_result_has_room_for_all_its_lines(window, qtbot):
    results = window.results
    for query in ("tourniquet", "staging", "a"):
        window.search_box.setText(query)
        qtbot.waitUntil(lambda: results.count() >= 3)
        width = results.viewport().width()
        heights = set()
        for row in range(results.count()):
            item = results.item(row)
            doc = QTextDocument()
            doc.setDefaultFont(results.font())
            doc.setHtml(item.text())
            doc.setTextWidth(width - 8)
            rect = results.visualItemRect(item)
            heights.add(rect.height())
            assert doc.size().height() <= rect.height() - 2, (query, row, rect)
        assert len(heights) > 1, "every row as tall as the tallest: wasted room"


def test_no_search_result_is_wider_than_a_narrow_list(window, qtbot):
    window.centralWidget().setSizes([180, 844])  # the splitter at its narrowest, as at 1024x600
    results = window.results
    window.search_box.setText("tourniquet")
    qtbot.waitUntil(lambda: results.count() >= 3 and results.viewport().width() < 200)
    delegate = results.itemDelegate()
    for row in range(results.count()):
        item = results.item(row)
        option = QStyleOptionViewItem()
        results.initViewItemOption(option)
        option.rect = results.visualItemRect(item)
        doc = delegate._document(option, results.indexFromItem(item))
        assert doc.idealWidth() <= results.viewport().width() - 8, (row, item.text())


def test_wrapped_page_titles_do_not_touch_the_next_one(window, qtbot):
    tree = window.sections
    qtbot.waitUntil(lambda: tree.viewport().width() < 300)
    metrics = QFontMetrics(tree.font())
    for item in pages(tree):
        rect = tree.visualItemRect(item)
        room = tree.viewport().width() - rect.left() - 12
        lines = math.ceil(metrics.horizontalAdvance(item.text(0)) / room)
        if lines > 1:
            assert rect.height() >= lines * metrics.lineSpacing() + 8, (item.text(0), rect)
