"""Opening the window imports what start-up needs and nothing else (checked in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Needed only to build content, render a page, print, export or import: not to open the window.
NOT_AT_START = ("markdown", "yaml", "multiprocessing", "concurrent.futures.process", "pypdf",
                "binder.core.render", "binder.core.importer", "binder.core.content",
                "binder.core.packs", "binder.core.printing", "binder.core.paper_html",
                "binder.core.export", "binder.core.contacts_export", "binder.ui.contacts_view")

OPEN_WINDOW = """
import json, sys
from pathlib import Path
from binder.core.journal import Journal, Operator
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
    assert "binder.ui.main_window" in loaded and "binder.core.search" in loaded  # it did run
    assert sorted(m for m in NOT_AT_START if m in loaded) == []


def test_a_page_opened_later_still_renders(shipped_db, tmp_path, qtbot):
    """What start-up no longer imports is imported when first needed."""
    from binder.core.journal import Journal, Operator
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
    window.open_contacts()
    assert window.pages.currentWidget() is window.contacts_view


def test_the_startup_probe_says_ready_once_the_search_box_takes_keys(shipped_db, tmp_path):
    """`binder --startup-probe` (the start-up benchmark's) opens the real window and closes."""
    from binder.core.journal import Journal, Operator

    journal = Journal(tmp_path / "data" / "journal.db")
    journal.set_operator(Operator("Test", "Scribe"))
    journal.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-m", "binder", "--data-dir", str(tmp_path / "data"),
                           "--content-db", str(shipped_db), "--startup-probe"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "ready"), done.stderr
