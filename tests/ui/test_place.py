"""Keeping the person's place: the status bar, Back/Forward, a restart, incidents to switch."""

from PySide6.QtCore import QPoint, Qt, QUrl

from binder.ui.main_window import MainWindow

LONG_FOLDER = ("Springfield Police Department", "Incident command", "2026-11-26 North Mall",
               "ICS 214 activity logs for the funding claim")


def start_incident(window, name="North Mall"):
    window.session.start_incident(name, location="North Mall")


def test_a_saved_file_keeps_its_whole_path_readable_beside_the_incident_status(
        make_window, tmp_path, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(MainWindow, "open_external", staticmethod(opened.append))
    window = make_window()
    window.resize(1024, 600)
    start_incident(window)
    folder = tmp_path.joinpath(*LONG_FOLDER)
    folder.mkdir(parents=True)
    target = folder / "North-Mall-active-assailant-ICS214.csv"
    assert window.export_activity_log(target)
    bar = window.statusBar()
    full = f"Activity log saved to {target}"
    assert bar.currentMessage() == full
    label = bar.message
    status = window.incident_status
    qtbot.waitUntil(lambda: label.isVisible() and label.width() > 0
                    and status.clock.width() >= status.clock.sizeHint().width())  # laid out

    # The message and the incident status each have their own room: they never overlap.
    message_right = label.mapTo(window, QPoint(label.width(), 0)).x()
    assert message_right <= status.mapTo(window, QPoint(0, 0)).x()
    assert bar.open_folder.mapTo(window, QPoint(bar.open_folder.width(), 0)).x() <= (
        status.mapTo(window, QPoint(0, 0)).x())
    assert status.clock.text().startswith("North Mall: running")
    assert window.width() <= 1024

    # Too long for the room: shortened in the middle, so the start and the file name stay;
    # the whole path is the tooltip.
    shown = label.shown_text()
    assert shown != full and "…" in shown
    assert shown.startswith("Activity log saved to")
    assert shown.endswith("ICS214.csv")
    assert label.toolTip() == full

    # Passing over a link of the page does not wipe it.
    window.open_document("casualty-guide")
    window.document_view.highlighted.emit(QUrl("binder:tourniquet"))
    window.document_view.highlighted.emit(QUrl(""))
    assert bar.currentMessage() == full

    assert bar.open_folder.isVisible()
    qtbot.mouseClick(bar.open_folder, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(folder))]


def test_a_plain_message_goes_after_its_time_and_takes_the_folder_button_with_it(
        make_window, tmp_path, qtbot):
    window = make_window()
    start_incident(window, "Short")
    bar = window.statusBar()
    assert window.export_activity_log(tmp_path / "log.csv")
    assert bar.open_folder.isVisible()
    bar.showMessage("Text size 110%", 50)
    assert bar.currentMessage() == "Text size 110%" and not bar.open_folder.isVisible()
    qtbot.waitUntil(lambda: bar.currentMessage() == "")
