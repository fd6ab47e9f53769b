"""Every action that writes, on a journal that refuses writes: a message, never a traceback.

pytest-qt fails a test on an exception escaping a slot, so each action here would fail the
test if it raised. The refusals are SQLite's own: `PRAGMA query_only` (as a read-only disk
answers), a real tmpfs filled to the last byte, and a read-only bind mount.
"""

import contextlib
import uuid

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from binder.journal.journal import Journal, verify_chain
from tests.journal.test_full_disk import fill_disk, mount, read_only_view
from tests.ui.conftest import ANN, set_operator

REFUSED = "nothing was saved"


def refuse_writes(window):
    window.journal.conn.execute("PRAGMA query_only = ON")


def status(window) -> str:
    return window.statusBar().currentMessage()


def accept_operator_dialog(name: str) -> None:
    """When the modal operator dialog is up: type a name and press OK, as a person would."""
    def answer():
        dialog = QApplication.activeModalWidget()
        dialog.name.setText(name)
        dialog.accept()
    QTimer.singleShot(0, answer)


def test_night_mode_and_zoom_still_change_the_screen_and_say_why_not_kept(make_window, qtbot):
    window = make_window()
    refuse_writes(window)
    qtbot.keySequence(window, "Ctrl+Shift+N")
    assert window.appearance.look == "night"
    assert "the look could not be remembered" in status(window)
    window.statusBar().clearMessage()
    qtbot.keySequence(window, "Ctrl+=")
    assert window.appearance.zoom == 110 and "Text size 110%" in status(window)


def test_switch_pin_and_operator_answer_with_a_message(make_window, qtbot, start_on_ask):
    window = make_window()
    window.session.start_incident("First")
    second = window.session.start_incident("Second")
    window.open_document("tourniquet")
    refuse_writes(window)
    window.incidents.fill_switch_menu()
    window.incidents.switch_menu.actions()[0].trigger()
    assert window.session.incident.name == "First" and window.banner.isVisible()
    assert "will not remember it" in status(window)
    assert "which incident is current could not be remembered" in status(window)
    window.statusBar().clearMessage()
    qtbot.keySequence(window, "Ctrl+D")
    assert "Pinned pages cannot be saved" in status(window)
    assert not window.pins.pin_action.isChecked()
    window.statusBar().clearMessage()
    accept_operator_dialog("Bo Chan")
    assert not window.incidents.change_operator()
    assert "who is logging could not be remembered" in status(window)
    assert window.session.operator == ANN
    assert second.id != window.session.incident.id


def test_a_tick_on_a_full_disk_is_a_message_and_the_box_stays_empty(make_window, start_on_ask):
    window = make_window()
    window.open_document("tourniquet")
    row = window.checklist_view.rows["tourniquet/cover"]
    row.checkbox.click()
    refuse_writes(window)
    row = window.checklist_view.rows["tourniquet/apply-high"]
    row.checkbox.click()
    assert REFUSED in status(window)
    assert not window.checklist_view.rows["tourniquet/apply-high"].checkbox.isChecked()


@contextlib.contextmanager
def small_disk(tmp_path):
    where = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    where.mkdir()
    mount("-t", "tmpfs", "-o", "size=600k", "tmpfs", str(where))
    try:
        yield where
    finally:
        import subprocess
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_pack_add_and_export_on_a_really_full_disk(make_window, tmp_path, content_dir,
                                                  start_on_ask):
    with small_disk(tmp_path) as disk:
        window = make_window(data=disk / "data")
        window.session.start_incident("Flood")
        fill_disk(disk)
        assert not window.packs.add_agency_content(content_dir, "County")
        assert "'County' could not be written" in window.packs.last_problems.text.toPlainText()
        assert "disk is full" in window.packs.last_problems.text.toPlainText()
        assert not window.incidents.export_activity_log(disk / "log.pdf")
        assert "cannot be written" in status(window)
        window.journal.close()
        window.journal = window.session.journal = None


def test_a_read_only_folder_opens_the_journal_read_only_with_a_banner(
        make_window, tmp_path, qtbot):
    data = tmp_path / "data"
    set_operator(data)
    journal = Journal(data / "journal.db")
    incident = journal.start_incident("Mall shooting")
    journal.set_setting("current_incident", incident.incident_id)
    journal.tick_step(incident.incident_id, "tourniquet", "tourniquet/cover", "Move to cover")
    journal.close()
    with read_only_view(data, tmp_path) as view:
        window = make_window(data=view, operator=None)
        assert window.journal is not None and window.journal.read_only
        assert "read-only" in window.document_view.toPlainText()
        assert not window.session.writable
        assert window.incidents.actions["export"].isEnabled()
        assert window.incidents.actions["verify"].isEnabled()
        assert "is intact" in window.incidents.chain_text()
        assert window.incidents.export_activity_log(tmp_path / "log.csv")
        window.open_document("tourniquet")
        assert not window.checklist_view.rows["tourniquet/cover"].isEnabled()
        window.journal.close()
        window.journal = window.session.journal = None
    with contextlib.closing(Journal(data / "journal.db")) as again:
        assert verify_chain(again, incident.incident_id).intact


@pytest.mark.parametrize("under", ["a-file", "a-file/data"])
def test_a_data_folder_that_is_a_file_is_a_message_in_the_window(make_window, tmp_path, under):
    (tmp_path / "a-file").write_text("not a folder")
    window = make_window(data=tmp_path / under, operator=None)
    assert window.journal is None
    assert "cannot be created" in window.document_view.toPlainText()
