"""Opening the window imports what start-up needs and nothing else (checked in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

REPO = Path(__file__).resolve().parent.parent

# Needed only to build content, render a page, print, export or import: not to open the window.
NOT_AT_START = ("markdown", "yaml", "multiprocessing", "concurrent.futures.process", "pypdf",
                "binder.content.render", "binder.content.importer", "binder.content.content",
                "binder.content.packs", "binder.paper.printing", "binder.paper.paper_html",
                "binder.paper.export", "binder.paper.contacts_export", "binder.ui.contacts_view")

OPEN_WINDOW = """
import json, sys
from pathlib import Path

from PySide6.QtCore import Qt
from binder.journal.journal import Journal, Operator
from binder.ui.app import application, create_window

app = application()
data = Path(sys.argv[2])
journal = Journal(data / "journal.db")
journal.set_operator(Operator("Test", "Scribe"))  # no operator prompt
journal.close()
window = create_window(Path(sys.argv[1]), data)
window.show()
app.processEvents()
assert window.search_box.isEnabled() and window.search_box.hasFocus()
print(json.dumps(sorted(sys.modules)))
window.close()
"""


def modules_after_opening(content_db: Path, data: Path) -> set[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", OPEN_WINDOW, str(content_db), str(data)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_opening_the_window_imports_no_markdown_yaml_or_printing(shipped_db, tmp_path):
    loaded = modules_after_opening(shipped_db, tmp_path / "data")
    assert "binder.ui.main_window" in loaded and "binder.search.search" in loaded  # it did run
    assert sorted(m for m in NOT_AT_START if m in loaded) == []


# What the window's frame (shown first, before the rest is made) must not wait for.
NOT_IN_THE_FRAME = ("sqlite3", "binder.journal.journal", "binder.search.library",
                    "binder.search.search", "binder.content.store", "binder.journal.contacts",
                    "binder.ui.sidebar", "binder.ui.checklist_view", "binder.ui.find_bar",
                    "binder.ui.dialogs", "binder.ui.status_bar", "binder.ui.session")

SHOW_THE_FRAME = """
import json, sys
from binder.ui.app import application, frame

app = application()
window = frame(sys.argv[1])
window.show()
while not window.search_box.was_painted:
    app.processEvents()
assert window.search_box.hasFocus() and not window.filled
print(json.dumps(sorted(sys.modules)))
"""


def test_the_frame_is_on_screen_before_the_databases_and_views_are_loaded(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", SHOW_THE_FRAME, str(tmp_path)], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "binder.ui.main_window" in loaded  # it did run
    assert sorted(m for m in NOT_IN_THE_FRAME if m in loaded) == []


def test_a_page_opened_later_still_renders(shipped_db, tmp_path, qtbot):
    """What start-up no longer imports is imported when first needed."""
    from binder.journal.journal import Journal, Operator
    from binder.ui.app import create_window

    journal = Journal(tmp_path / "data" / "journal.db")
    journal.set_operator(Operator("Test", "Scribe"))
    journal.close()
    window = create_window(shipped_db, tmp_path / "data")
    qtbot.addWidget(window)
    doc_id = window.store.sections()[0][1][0].id
    window.open_hit(doc_id)
    assert window.current is not None and window.current.doc_id == doc_id
    assert window.store.document(doc_id).title in window.windowTitle()
    window.contacts_actions.open_contacts()
    assert window.pages.currentWidget() is window.contacts_actions.contacts_view


def test_the_startup_probe_says_ready_once_the_search_box_takes_keys(shipped_db, tmp_path):
    """`binder --startup-probe` (the start-up benchmark's) opens the real window and closes."""
    from binder.journal.journal import Journal, Operator

    journal = Journal(tmp_path / "data" / "journal.db")
    journal.set_operator(Operator("Test", "Scribe"))
    journal.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-m", "binder", "--data-dir", str(tmp_path / "data"),
                           "--content-db", str(shipped_db), "--startup-probe"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.split()) == (0, ["ready", "built"]), done.stderr


def named_operator(data: Path) -> Path:
    from binder.journal.journal import Journal, Operator

    journal = Journal(data / "journal.db")
    journal.set_operator(Operator("Test", "Scribe"))
    journal.close()
    return data


def test_what_is_typed_before_the_window_is_filled_is_searched_and_opened(
        shipped_db, tmp_path, qtbot):
    """A person who types at once loses nothing: the words wait in the box, and Enter opens
    the best hit once the rest of the window is there."""
    from binder.ui.app import fill_window, frame

    data = named_operator(tmp_path / "data")
    window = frame(data)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.search_box.was_painted)
    assert not window.filled
    qtbot.keyClicks(window.search_box, "stop the bleed")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.current is None  # nothing to open yet
    fill_window(window, shipped_db, data)
    assert window.search_box.text() == "stop the bleed"
    assert window.left.currentWidget() is window.results and window.results.count() > 0
    assert window.current is not None and window.current.doc_id == "stop-the-bleed"


def test_the_frame_is_drawn_in_the_look_chosen_last_time(shipped_db, tmp_path, qtbot):
    """Night mode chosen at 3 a.m. is night from the first frame of the next start, before
    the journal (where the choice is kept) is even open."""
    from binder.ui.app import create_window, frame

    data = named_operator(tmp_path / "data")
    first = create_window(shipped_db, data)
    qtbot.addWidget(first)
    assert first.appearance.look == "light"
    first.view_actions.set_theme("night")
    first.view_actions.set_zoom(125)
    second = frame(data)
    qtbot.addWidget(second)
    assert (second.appearance.look, second.appearance.zoom) == ("night", 125)


def test_following_the_desktop_the_frame_shows_the_look_last_shown_then_the_desktop_s(
        shipped_db, tmp_path, qtbot):
    """With "Follow the system", the frame is drawn in the look shown last time (asking the
    desktop waits for Qt's namespace); once filled, the desktop's scheme decides, and the file
    remembers what was shown."""
    from binder.look_file import read_look, write_look
    from binder.ui.app import fill_window, frame

    data = named_operator(tmp_path / "data")
    write_look(data, {"theme": "system", "zoom": "100", "look": "night"})
    window = frame(data)
    qtbot.addWidget(window)
    assert window.appearance.look == "night"  # the frame, before the desktop is asked
    fill_window(window, shipped_db, data)
    assert window.appearance.look == "light"  # the offscreen desktop has no dark scheme
    assert read_look(data)["look"] == "light"
