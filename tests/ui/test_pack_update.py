"""An agency content update in the sync folder: offered in the window with what it changes,
applied only when a person accepts, noted in the open incident, named in its ICS 214."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from binder.content.packs import pack_path
from binder.paper.export import activity_log, export_csv, export_pdf
from binder.sync.keys import new_agency_key, trust_agency
from binder.sync.packfile import add_pack_file, decode, export_pack, publish
from binder.ui.pack_updates import OFFER, UpdateDialog
from tests.content.test_packs import AGENCY_CHECKLIST, add, agency_folder
from tests.paper.test_export import needs_pdftotext, pdf_text
from tests.ui import conftest as ui_fixtures

make_window = ui_fixtures.make_window


@pytest.fixture
def laptop(tmp_path):
    """A laptop with revision 1 of the agency's pack; the agency has signed revision 2."""
    key, office, data = tmp_path / "agency.key", tmp_path / "office", tmp_path / "data"
    new_agency_key(key)
    trust_agency(data, tmp_path / "agency.key.pub")
    add(agency_folder(tmp_path / "v1"), office)
    export_pack(office, "County Sheriff", key, tmp_path / "v1.binderpack",
                made_at="2026-11-20T10:00:00Z")
    add_pack_file(data, tmp_path / "v1.binderpack")
    changed = AGENCY_CHECKLIST.replace("Announce the lockdown", "Announce the county lockdown")
    add(agency_folder(tmp_path / "v2", **{"response/lockdown.md": changed,
                                          "notes/radio.md": None}), office, name="County Sheriff")
    export_pack(office, "County Sheriff", key, tmp_path / "v2.binderpack",
                made_at="2026-11-26T10:00:00Z")
    return data, tmp_path / "v2.binderpack"


def offered_dialog(window, qtbot) -> UpdateDialog:
    updates = window.sharing.pack_updates
    assert updates.look() and updates.button.isVisible() and updates.action.isEnabled()
    assert updates.button.text() == OFFER
    qtbot.mouseClick(updates.button, Qt.MouseButton.LeftButton)
    dialog = updates.dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.changes.hasFocus())
    return dialog


def test_an_update_in_the_sync_folder_is_offered_and_applied_only_when_accepted(
        make_window, laptop, qtbot):
    data, newer = laptop
    window = make_window(data=data)
    updates = window.sharing.pack_updates
    assert updates.look() == [] and not updates.button.isVisible()
    incident = window.session.start_incident("Mall shooting")
    [(_, first)] = [(n, s.revision) for n, s in window.store.packs]
    assert window.session.incident.packs == (("County Sheriff", first),)
    [start] = window.journal.events(incident.id, kinds=("start",))
    assert start.data["packs"] == {"County Sheriff": first}
    before = pack_path(data, "county-sheriff").read_bytes()
    publish(data, newer)
    dialog = offered_dialog(window, qtbot)
    shown = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert shown == ["changed: Lockdown", "removed: Radio"]
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return):  # Not now; a stray Enter applies nothing
        QTest.keyClick(dialog.changes, key)
        assert dialog.isHidden() and pack_path(data, "county-sheriff").read_bytes() == before
        assert updates.button.isVisible()
        assert window.journal.events(incident.id, kinds=("note",)) == []
        dialog = offered_dialog(window, qtbot)
    for _ in range(3):  # Tab to Apply (after Not now, in the platform's button order)
        if not dialog.apply_button.hasFocus():
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    QTest.keyClick(dialog.apply_button, Qt.Key.Key_Space)
    assert pack_path(data, "county-sheriff").read_bytes() == decode(newer.read_bytes()).database
    [(_, second)] = [(n, s.revision) for n, s in window.store.packs]
    assert second != first and not updates.button.isVisible()
    assert "County Sheriff is now revision" in window.statusBar().currentMessage()
    notes = [e for e in window.journal.events(incident.id) if e.kind == "note"]
    assert [n.data["pack_update"]["changed"] for n in notes] == [["Lockdown"]]
    assert notes[0].data["text"].startswith(f"Agency content update applied: County Sheriff "
                                            f"revision {second}")


@needs_pdftotext
def test_the_ics_214_says_which_pack_revisions_the_incident_ran_under(
        make_window, laptop, qtbot, tmp_path):
    data, newer = laptop
    window = make_window(data=data)
    incident = window.session.start_incident("Mall shooting")
    [(_, first)] = [(n, s.revision) for n, s in window.store.packs]
    publish(data, newer)
    window.sharing.pack_updates.apply(window.sharing.pack_updates.look()[0])
    log = activity_log(window.journal, incident.id)
    export_pdf(log, tmp_path / "ics214.pdf")
    text = " ".join(pdf_text(tmp_path / "ics214.pdf").split())
    assert f"agency packs: County Sheriff revision {first}" in text
    assert "Agency content update applied: County Sheriff revision" in text
    export_csv(log, tmp_path / "ics214.csv")
    assert f"County Sheriff revision {first}" in (tmp_path / "ics214.csv").read_text()
    from binder.paper.printing import handover_pdf

    handover_pdf(window.store, window.journal, incident.id, tmp_path / "handover.pdf",
                 revision=window.store.revision)
    text = " ".join(pdf_text(tmp_path / "handover.pdf").split())
    assert f"Agency packs at start County Sheriff revision {first}" in text


def test_an_update_on_a_stick_is_taken_and_offered(make_window, laptop, qtbot, tmp_path,
                                                   monkeypatch):
    from binder.ui.sync_actions import SyncActions

    data, newer = laptop
    stick = tmp_path / "stick" / "binder-sync" / "packs"
    stick.mkdir(parents=True)
    stick.joinpath(newer.name).write_bytes(newer.read_bytes())
    told = []
    monkeypatch.setattr(SyncActions, "ask_folder", staticmethod(lambda p, t: str(stick.parent)))
    monkeypatch.setattr(SyncActions, "tell", staticmethod(lambda p, t, text: told.append(text)))
    window = make_window(data=data)
    window.sharing.actions["import"].trigger()
    assert "1 agency content file(s) taken" in told[-1]
    assert window.sharing.pack_updates.button.isVisible()
    other = tmp_path / "other-stick"
    other.mkdir()
    monkeypatch.setattr(SyncActions, "ask_folder", staticmethod(lambda p, t: str(other)))
    window.sharing.actions["copy"].trigger()
    assert "1 agency content file(s) too" in told[-1]
    [copied] = (other / "binder-sync" / "packs").iterdir()
    assert copied.read_bytes() == newer.read_bytes()
