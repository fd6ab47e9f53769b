"""binder --self-test: the real window, offscreen, through search, a page and one tick."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from binder.content.store import ContentStore
from binder.journal.incidents import step_states
from binder.journal.journal import Journal, Operator
from binder.paper.export import activity_log, export_pdf
from binder.paper.printing import binder_pdf
from binder.paths import assets_dir, journal_path

# Said by Qt's offscreen platform for every window; harmless, and not ours to fix.
KNOWN_QT_NOISE = ("does not support propagateSizeHints",)


class SelfTestFailed(Exception):
    pass


def quiet_known_noise(mode, context, message: str) -> None:
    if not any(noise in message for noise in KNOWN_QT_NOISE):
        print(message, file=sys.stderr)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailed(message)


def run_self_test(content_db: Path) -> str:
    """Run the whole path once in a temporary data folder; return a one-line summary."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QImage

    from binder.ui.app import application, create_window

    qInstallMessageHandler(quiet_known_noise)
    app = application()
    with tempfile.TemporaryDirectory(prefix="binder-self-test-") as data_folder:
        window = create_window(content_db, Path(data_folder))
        check(window.store is not None, window.statusBar().currentMessage() or "no content")
        check(window.journal is not None, window.statusBar().currentMessage() or "no journal")
        window.show()
        app.processEvents()
        window.operator_prompt.reject()
        window.session.set_operator(Operator("Self-test", "Scribe"))
        incident = window.session.start_incident("Self-test", exercise=True)
        store: ContentStore = window.store
        checklist = next(
            (d.id for _, docs in store.sections() for d in docs
             if d.kind in ("checklist", "funding") and store.document(d.id).steps),
            None,
        )
        check(checklist is not None, "the content has no checklist to tick")
        doc = store.document(checklist)
        query = doc.title.split()[0]
        window.search_box.setText(query)
        app.processEvents()
        check(window.results.current_doc_id() != "", f"searching '{query}' found nothing")
        window.open_best_result()
        check(window.current is not None, "opening the best result showed no page")
        check(window.open_document(checklist), f"the page '{checklist}' did not open")
        step = doc.steps[0]
        window.checklist_view.rows[step.id].checkbox.click()
        app.processEvents()
        window.close()
        window.journal.close()
        reopened = Journal(journal_path(Path(data_folder)))
        ticked = step_states(reopened.events(incident.id), checklist).get(step.id)
        check(ticked is not None and ticked.done, f"the tick on '{step.id}' was not saved")
        pdf = Path(data_folder) / "activity-log.pdf"
        export_pdf(activity_log(reopened, incident.id), pdf)
        reopened.close()
        check(pdf.read_bytes().startswith(b"%PDF"), "the activity log PDF was not written")
        paper = Path(data_folder) / "binder.pdf"
        sheets = binder_pdf(store, paper, agency="Self-test", revision=store.revision)
        check(b"/Outlines" in paper.read_bytes(), "the binder PDF has no bookmarks")
        tick = QImage(str(assets_dir() / "tick.svg"))
        check(not tick.isNull(), "the tick box image (SVG) cannot be read: no SVG plugin?")
        store.close()
    return (
        f"binder self-test OK: content {store.revision}, search '{query}' found results, "
        f"opened {checklist}, ticked {step.id}, read it back, exported the ICS 214 and printed "
        f"the binder ({sheets} pages)"
    )
