"""The ICS 214 activity-log export: built from a real journal.db, read back as a person would."""

import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
import time

import pytest

from binder.journal.journal import Journal, Operator, verify_chain
from binder.paper.export import ActivityLog, ExportError, activity_log, export_csv, export_pdf
from tests.conftest import REPO

ANN = Operator("Ann Lee", "Incident Commander", "Springfield PD, Patrol")
BO = Operator("Bo Chan", "Liaison Officer", "County EMS")
BACK_DATED = "2026-05-01T13:05:00+00:00"  # 08:05 at UTC-05:00

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")


@pytest.fixture(autouse=True)
def eastern_standard_time():
    """Local time is fixed at UTC-05:00 (no daylight saving) so the times can be asserted."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "EST5"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "data" / "journal.db")
    yield journal
    journal.close()


@pytest.fixture
def incident(journal):
    """An exercise worked by Ann Lee, then by Bo Chan; returns its id."""
    journal.set_operator(ANN)
    incident_id = journal.start_incident(
        "Riverside Mall", incident_type="Active shooter", location="400 Main St",
        period_from="2026-05-01T08:00-05:00", period_to="2026-05-01T20:00-05:00",
        content_revision="rev-3f2a9c", exercise=True).incident_id
    journal.tick_step(incident_id, "tq", "tq/cover", "Move to cover")
    journal.tick_step(incident_id, "tq", "tq/apply", "Apply it high")
    journal.add_note(incident_id, "EMS took over", doc_id="tq", step_id="tq/apply",
                     step_text="Apply it high")
    journal.set_operator(BO, incident_id)
    journal.step_event("na", incident_id, "tq", "tq/time", "Write the time")
    journal.step_event("done_before", incident_id, "eflea", "eflea/letter", "Send the letter",
                       occurred_at=BACK_DATED)
    return incident_id


def local(stamp: str) -> str:
    return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def expected_rows(journal, incident_id) -> list[tuple[str, str, str]]:
    """(name, date/time, notable activity) for each of the incident's events, in order."""
    entered = [local(e.entered_at) for e in journal.events(incident_id)]
    late = entered[6][11:] if entered[6].startswith("2026-05-01") else entered[6]
    return [
        ("Ann Lee", entered[0], "Incident started: Riverside Mall (Active shooter, 400 Main St)"),
        ("Ann Lee", entered[1], "Done: Move to cover"),
        ("Ann Lee", entered[2], "Done: Apply it high"),
        ("Ann Lee", entered[3], "Note: EMS took over (on: Apply it high)"),
        ("Bo Chan", entered[4], "Operator on duty: Bo Chan, Liaison Officer"),
        ("Bo Chan", entered[5], "Marked not applicable: Write the time"),
        ("Bo Chan", f"2026-05-01 08:05 (entered {late})",
         "Done before it was logged: Send the letter"),
    ]


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_log_has_a_block_per_operator_and_position_in_order(journal, incident):
    log = activity_log(journal, incident)
    assert isinstance(log, ActivityLog)
    assert log.incident.name == "Riverside Mall" and log.exercise is True
    assert (log.period_from, log.period_to) == ("2026-05-01 08:00", "2026-05-01 20:00")
    assert log.content_revision == "rev-3f2a9c"
    assert [(b.name, b.position, b.agency, b.resources) for b in log.blocks] == [
        ("Ann Lee", "Incident Commander", "Springfield PD, Patrol", ""),
        ("Bo Chan", "Liaison Officer", "County EMS", ""),
    ]
    rows = [(b.name, e.date_time, e.activity) for b in log.blocks for e in b.entries]
    assert rows == expected_rows(journal, incident)
    assert {b.time_zone for b in log.blocks} == {"UTC-05:00 (EST)"}
    assert (log.prepared_name, log.prepared_position) == ("Bo Chan", "Liaison Officer")
    assert log.prepared_at[:10] == dt.date.today().isoformat()
    assert log.chain == verify_chain(journal, incident) and log.chain.intact


def test_the_csv_has_one_row_per_entry_with_every_field(journal, incident, tmp_path):
    target = tmp_path / "ics214.csv"
    export_csv(activity_log(journal, incident), target)
    with open(target, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    head = verify_chain(journal, incident).head
    agencies = {"Ann Lee": ("Incident Commander", "Springfield PD, Patrol"),
                "Bo Chan": ("Liaison Officer", "County EMS")}
    assert [(r["name"], r["date_time"], r["notable_activity"]) for r in rows] == expected_rows(
        journal, incident)
    for row in rows:
        assert row["incident"] == "Riverside Mall" and row["exercise"] == "yes"
        assert row["operational_period_from"] == "2026-05-01 08:00"
        assert row["operational_period_to"] == "2026-05-01 20:00"
        assert (row["ics_position"], row["home_agency_unit"]) == agencies[row["name"]]
        assert row["resources_assigned"] == ""
        assert row["time_zone"].startswith("UTC-05:00")
        assert row["content_revision"] == "rev-3f2a9c"
        assert (row["chain_intact"], row["chain_head"]) == ("yes", head)
    assert list(rows[0]) == [
        "incident", "exercise", "operational_period_from", "operational_period_to", "name",
        "ics_position", "home_agency_unit", "resources_assigned", "date_time", "time_zone",
        "notable_activity", "content_revision", "pack_revisions", "chain_intact", "chain_head",
        "chain_combined", "laptop", "flags"]


@needs_pdftotext
def test_the_pdf_reads_as_a_signable_ics_214(journal, incident, tmp_path, qapp):
    target = tmp_path / "ics214.pdf"
    export_pdf(activity_log(journal, incident), target)
    text = pdf_text(target)
    pages = text.split("\f")
    assert "ACTIVITY LOG (ICS 214)" in pages[0] and "ACTIVITY LOG (ICS 214)" in pages[1]
    assert "Ann Lee" in pages[0] and "Bo Chan" in pages[1]  # each block starts a new page
    for words in ("Riverside Mall", "2026-05-01 08:00", "2026-05-01 20:00", "Incident Commander",
                  "Springfield PD, Patrol", "Liaison Officer", "County EMS", "UTC-05:00",
                  "1. Incident Name", "2. Operational Period", "6. Resources Assigned",
                  "7. Activity Log", "Notable Activities", "8. Prepared by", "Signature",
                  "Content revision: rev-3f2a9c", "EXERCISE — EXERCISE — EXERCISE",
                  f"Journal chain: intact, head {verify_chain(journal, incident).head}"):
        assert words in text, words
    for _name, _when, activity in expected_rows(journal, incident):
        assert activity in text, activity
    assert text.count("EXERCISE — EXERCISE — EXERCISE") == 2
    # each person prepares and signs their own log; the exporter is named at the foot
    for page, name in ((pages[0], "Ann Lee"), (pages[1], "Bo Chan")):
        prepared = page.split("8. Prepared by")[1].split("Signature")[0]
        assert name in prepared, prepared
    assert "Exported by Bo Chan (Liaison Officer) at " in text


@needs_pdftoppm
def test_the_pdf_first_page_is_not_blank_and_shows_the_red_exercise_mark(
        journal, incident, tmp_path, qapp):
    from PySide6.QtGui import QImage

    target = tmp_path / "ics214.pdf"
    export_pdf(activity_log(journal, incident), target)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(target),
                    str(tmp_path / "page")], check=True)
    image = QImage(str(next(tmp_path.glob("page*.png"))))
    assert not image.isNull() and image.width() > 300
    colors = [image.pixelColor(x, y) for y in range(0, image.height(), 2)
              for x in range(0, image.width(), 2)]
    assert sum(c.lightness() < 100 for c in colors) > 500  # text and table borders
    assert any(c.red() > 120 and c.green() < 60 and c.blue() < 60 for c in colors)


@needs_pdftotext
def test_a_changed_event_makes_both_exports_say_the_chain_is_broken(
        journal, incident, tmp_path, qapp):
    journal.conn.execute("DROP TRIGGER events_are_never_updated")
    journal.conn.execute("UPDATE events SET step_text = 'Something else' "
                         "WHERE kind = 'tick' AND step_id = 'tq/cover'")
    log = activity_log(journal, incident)
    assert not log.chain.intact and "was changed after it was written" in log.chain.problem
    assert "Done: Something else" in [e.activity for e in log.blocks[0].entries]
    export_csv(log, tmp_path / "ics214.csv")
    export_pdf(log, tmp_path / "ics214.pdf")
    with open(tmp_path / "ics214.csv", encoding="utf-8", newline="") as file:
        assert {row["chain_intact"] for row in csv.DictReader(file)} == {"no"}
    text = " ".join(pdf_text(tmp_path / "ics214.pdf").split())
    assert f"Journal chain: BROKEN: {log.chain.problem}" in text
    assert "intact" not in text


@needs_pdftotext
def test_a_real_incident_has_no_exercise_mark_and_shows_its_close(journal, tmp_path, qapp):
    journal.set_operator(ANN)
    incident_id = journal.start_incident("Flood").incident_id
    journal.tick_step(incident_id, "tq", "tq/cover", "Move to cover")
    journal.untick_step(incident_id, "tq", "tq/cover", "Move to cover")
    journal.close_incident(incident_id)
    log = activity_log(journal, incident_id)
    assert [e.activity for e in log.blocks[0].entries] == [
        "Incident started: Flood", "Done: Move to cover", "Undone: Move to cover",
        "Incident closed"]
    assert (log.period_from, log.period_to, log.exercise) == ("", "", False)
    export_pdf(log, tmp_path / "flood.pdf")
    text = pdf_text(tmp_path / "flood.pdf")
    assert "EXERCISE" not in text and "Incident closed" in text


def test_an_unknown_incident_is_refused(journal, incident):
    with pytest.raises(ExportError, match="There is no incident nope in this journal"):
        activity_log(journal, "nope")


def test_a_target_in_a_missing_folder_raises_and_leaves_nothing(journal, incident, tmp_path,
                                                                 qapp):
    log = activity_log(journal, incident)
    before = sorted(tmp_path.rglob("*"))
    for export, name in ((export_csv, "log.csv"), (export_pdf, "log.pdf")):
        with pytest.raises(ExportError, match="cannot be written") as raised:
            export(log, tmp_path / "missing" / name)
        assert str(tmp_path / "missing" / name) in str(raised.value)
    assert sorted(tmp_path.rglob("*")) == before


def test_a_target_that_cannot_be_replaced_leaves_no_temporary_file(journal, incident, tmp_path,
                                                                    qapp):
    log = activity_log(journal, incident)
    (tmp_path / "out" / "log.csv").mkdir(parents=True)  # a folder where the file should go
    (tmp_path / "out" / "log.pdf").mkdir()
    for export, name in ((export_csv, "log.csv"), (export_pdf, "log.pdf")):
        with pytest.raises(ExportError, match="cannot be written"):
            export(log, tmp_path / "out" / name)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["log.csv", "log.pdf"]


def test_an_export_replaces_an_older_file_whole(journal, incident, tmp_path):
    target = tmp_path / "ics214.csv"
    target.write_text("old export\n" * 1000, encoding="utf-8")
    export_csv(activity_log(journal, incident), target)
    assert "old export" not in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_the_pdf_can_be_made_from_the_command_line_without_a_display(journal, incident,
                                                                      tmp_path):
    """No QGuiApplication and no QT_QPA_PLATFORM: export_pdf makes an off-screen one."""
    journal.close()
    code = ("import sys; from binder.journal.journal import Journal; "
            "from binder.paper.export import activity_log, export_pdf; "
            "export_pdf(activity_log(Journal(sys.argv[1]), sys.argv[2]), sys.argv[3])")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    result = subprocess.run(
        [sys.executable, "-c", code, str(journal.path), incident, str(tmp_path / "cli.pdf")],
        capture_output=True, text=True, cwd=REPO, env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cli.pdf").read_bytes().startswith(b"%PDF")
