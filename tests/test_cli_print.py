"""binder print: the whole binder, a page and a handover to PDF, and plain refusals."""

import re
import shutil
import subprocess
import sys

import pytest

from binder.cli import main
from binder.journal.journal import Journal, Operator
from tests.conftest import REPO

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) is not installed")
SCRIPT = REPO / ".venv" / "bin" / "binder"


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def pdf_text(path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                            text=True, check=True)
    return result.stdout


@needs_poppler
def test_print_all_writes_the_binder_with_the_agency_from_the_settings(tmp_path, shipped_db):
    data = tmp_path / "data"
    journal = Journal(data / "journal.db")
    journal.set_setting("agency_name", "Shelbyville Sheriff's Office")
    journal.close()
    out = tmp_path / "binder.pdf"
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "binder"]
    result = subprocess.run([*command, "print", "--all", "-o", str(out), "--data-dir", str(data),
                             "--content-db", str(shipped_db)],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    pages = pdf_pages(out)
    assert result.stdout.strip() == f"wrote {out}: {pages} pages"
    assert pages > 27
    cover = pdf_text(out).split("\f")[0]
    assert "Shelbyville Sheriff's Office" in cover and "Incident Response Binder" in cover


@needs_poppler
def test_print_all_without_an_agency_name_prints_a_cover_without_one(
        tmp_path, content_db, capsys):
    out = tmp_path / "binder.pdf"
    code = main(["--data-dir", str(tmp_path / "data"), "--content-db", str(content_db),
                 "print", "--all", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    cover = pdf_text(out).split("\f")[0]
    assert cover.split()[:3] == ["Incident", "Response", "Binder"]


@needs_poppler
def test_print_one_page_and_a_handover_by_incident_name(tmp_path, content_db, capsys):
    data = tmp_path / "data"
    journal = Journal(data / "journal.db")
    journal.set_operator(Operator("Ann Lee", "Incident Commander"))
    incident_id = journal.start_incident("North Mall").incident_id
    journal.tick_step(incident_id, "tourniquet", "tourniquet/cover", "Move to cover")
    head = journal.events(incident_id)[-1].hash
    journal.close()
    common = ["--data-dir", str(data), "--content-db", str(content_db), "print"]
    page = tmp_path / "page.pdf"
    assert main([*common, "tourniquet", "-o", str(page)]) == 0
    sheets = pdf_pages(page)
    assert capsys.readouterr().out.strip() == f"wrote {page}: {sheets} page{'s' * (sheets != 1)}"
    handover = tmp_path / "handover.pdf"
    assert main([*common, "--incident", "North Mall", "-o", str(handover)]) == 0
    text = " ".join(pdf_text(handover).split())
    assert "Shift handover — North Mall" in text
    assert "Done by Ann Lee (Incident Commander)" in text
    assert f"handover of North Mall: journal head {head} (intact)" in capsys.readouterr().out
    assert f"Journal chain: intact, 2 entries, head {head}" in text


@pytest.mark.parametrize("args, message", [
    (["no-such-page"], "binder print: there is no page 'no-such-page' in this binder"),
    (["--incident", "Nowhere"], "binder print: no single incident matches 'Nowhere'"),
    ([], "binder print: give one of a page id, --all or --incident INCIDENT"),
])
def test_bad_input_is_one_plain_line_and_exit_1(tmp_path, content_db, capsys, args, message):
    out = tmp_path / "out.pdf"
    code = main(["--data-dir", str(tmp_path / "data"), "--content-db", str(content_db),
                 "print", *args, "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(message) and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_an_unwritable_path_is_one_plain_line_and_exit_1(tmp_path, content_db, capsys):
    out = tmp_path / "no-folder" / "page.pdf"
    code = main(["--data-dir", str(tmp_path / "data"), "--content-db", str(content_db),
                 "print", "tourniquet", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == (f"binder print: The export cannot be written to {out}: "
                           "no such file or directory")
