"""Outside pages in the window: a hostile page shows its words and nothing else."""

import time

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel

from binder.content.build import build_store
from tests.conftest import CHECKLIST, GUIDE, SAMPLE_PAGES, write_pages
from tests.hostile_pages import PATHOLOGICAL, deep_emphasis


def red_pixels(widget) -> int:
    image = widget.grab().toImage()
    return sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
               if image.pixelColor(x, y).red() > 200 and image.pixelColor(x, y).green() < 60)


@pytest.fixture
def hostile_db(tmp_path):
    """A binder whose guide and checklist hide words and load a local picture as a
    background, as an older build or pack could hold them."""
    red = QImage(40, 40, QImage.Format.Format_RGB32)
    red.fill(QColor(255, 0, 0))
    picture = tmp_path / "red.png"
    red.save(str(picture))
    hostile = (f'\nHidden orders\n{{: style="display:none" }}\n\n'
               f'Painted words\n{{: style="background-image: url({picture})" '
               f'background="{picture}" }}\n')
    checklist = CHECKLIST.replace("## Under fire", hostile.strip() + "\n\n## Under fire")
    pages = dict(SAMPLE_PAGES, **{"response/casualty-guide.md": GUIDE + hostile,
                                  "casualty-care/tourniquet.md": checklist})
    out = tmp_path / "hostile.db"
    build_store(write_pages(tmp_path / "content", pages), out)
    return out


def test_hidden_text_and_a_local_background_never_reach_the_window(make_window, hostile_db,
                                                                    qtbot):
    window = make_window(db=hostile_db)
    window.open_document("casualty-guide")
    view = window.document_view
    assert "Hidden orders" in view.toPlainText() and "Painted words" in view.toPlainText()
    assert "style=" not in view.html and "red.png" not in view.html
    window.open_document("tourniquet")
    labels = window.checklist_view.widget().findChildren(QLabel)
    shown = [label for label in labels if "Painted words" in label.text()]
    assert shown and any("Hidden orders" in label.text() for label in labels)
    assert all("style=" not in label.text() and "red.png" not in label.text()
               for label in shown)
    qtbot.waitUntil(lambda: shown[0].isVisible())
    assert red_pixels(shown[0]) == 0


@pytest.fixture
def pathological_db(tmp_path):
    """A binder holding the pathological pages (as a pack imported before the limits
    could), as guides, and one checklist with a deep part among its steps."""
    guide_head = GUIDE.split("---\n", 2)[1]
    pages = dict(SAMPLE_PAGES)
    for name, make in PATHOLOGICAL.items():
        head = guide_head.replace("title: Casualty guide", f"title: {name}")
        pages[f"response/{name}"] = f"---\n{head}---\n{make()}"
    deep = deep_emphasis()
    pages["casualty-care/tourniquet.md"] = CHECKLIST.replace("## Field care",
                                                             f"{deep}\n## Field care")
    out = tmp_path / "pathological.db"
    build_store(write_pages(tmp_path / "content", pages), out)
    return out


def test_a_page_that_cannot_be_rendered_shows_a_message_and_its_text(make_window,
                                                                     pathological_db):
    window = make_window(db=pathological_db)
    for name in sorted(PATHOLOGICAL):
        started = time.monotonic()
        assert window.open_document(name.removesuffix(".md"))
        QApplication.processEvents()
        assert time.monotonic() - started < 2, name
        shown = window.document_view.toPlainText()
        assert "This part of the page is shown as plain text" in shown, name
        assert PATHOLOGICAL[name]().split("\n")[2][:20] in shown, name
    assert window.open_document("tourniquet")
    labels = window.checklist_view.widget().findChildren(QLabel)
    assert any("shown as plain text" in label.text() and "*****" in label.text()
               for label in labels)
    assert len(window.checklist_view.rows) == 3  # the steps are still there to tick
