"""The printed binder with or without each agency pack, its sections after the shipped ones."""

import shutil
import subprocess

import pytest

from binder.cli import main
from binder.content.packs import add_pack, pack_paths
from binder.paper import printing
from binder.search.library import Library
from tests.conftest import CHECKLIST, PAGERDUTY, write_pages

needs_tools = pytest.mark.skipif(
    shutil.which("pdftotext") is None or not PAGERDUTY.is_dir(),
    reason="poppler-utils or the shared fixtures are not here")


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def with_packs(shipped_db, tmp_path_factory):
    """The PagerDuty docs as the pack "PagerDuty", and a one-page pack "County" whose
    tourniquet takes the shipped one's place."""
    data = tmp_path_factory.mktemp("packs") / "data"
    known = [d.id for _, docs in Library.open(shipped_db).sections() for d in docs]
    add_pack(PAGERDUTY, data, "PagerDuty", known_ids=known)
    county = write_pages(tmp_path_factory.mktemp("county"), {
        "casualty-care/tourniquet.md": CHECKLIST.replace(
            "title: Tourniquet", "title: Tourniquet (County)").replace(
            "casualty-guide.md#timing", "active-assailant-first-minutes.md")})
    add_pack(county, data, "County", known_ids=known)
    return data


@needs_tools
def test_each_pack_can_be_left_out_and_the_binder_is_as_shipped(shipped_db, with_packs,
                                                                tmp_path):
    shipped = Library.open(shipped_db)
    alone = printing.binder_pdf(shipped, tmp_path / "shipped.pdf", agency="", revision="r")
    library = Library.open(shipped_db, pack_paths(with_packs))
    every = printing.binder_pdf(library, tmp_path / "every.pdf", agency="", revision="r")
    none = printing.binder_pdf(printing.binder_with(library, []), tmp_path / "none.pdf",
                               agency="", revision="r")
    county = printing.binder_pdf(printing.binder_with(library, ["County"]),
                                 tmp_path / "county.pdf", agency="", revision="r")
    assert none == alone and every > county
    assert pdf_text(tmp_path / "none.pdf") == pdf_text(tmp_path / "shipped.pdf")
    text = pdf_text(tmp_path / "county.pdf")
    assert "Tourniquet (County)" in text and "Being On-Call" not in text
    assert "PagerDuty" not in text.split("\f")[0] and "County" in text.split("\f")[0]  # cover
    shipped.close()
    library.close()


@needs_tools
def test_the_contents_list_the_pack_sections_after_the_shipped_ones(shipped_db, with_packs,
                                                                   tmp_path):
    library = Library.open(shipped_db, pack_paths(with_packs))
    printing.binder_pdf(library, tmp_path / "every.pdf", agency="", revision="r")
    sheets = pdf_text(tmp_path / "every.pdf").split("\f")
    toc = "\n".join(sheet for sheet in sheets[1:5] if "Contents" in sheet.split("\n", 2)[0])
    order = [toc.find(name) for name in ("Response", "Active assailant: first minutes",
                                         "Forms", "PagerDuty", "PagerDuty › During",
                                         "PagerDuty › Training")]
    assert -1 not in order and order == sorted(order), order
    severity = next(sheet for sheet in sheets if sheet.lstrip().startswith("Severity levels"))
    assert "not reviewed" in severity and "last reviewed" not in severity
    assert "\n".join(sheets).count("This documentation covers parts of the PagerDuty") == 1
    library.close()


@needs_tools
def test_binder_print_leaves_out_the_packs_it_is_told_to(shipped_db, with_packs, tmp_path,
                                                         capsys):
    common = ["--data-dir", str(with_packs), "--content-db", str(shipped_db), "print"]
    assert main([*common, "--binder", "--no-packs", "-o", str(tmp_path / "none.pdf")]) == 0
    assert main([*common, "--all", "-o", str(tmp_path / "shipped.pdf"), "--data-dir",
                 str(tmp_path / "empty")]) == 0
    assert main([*common, "--all", "--without-pack", "pagerduty", "--without-pack", "County",
                 "-o", str(tmp_path / "neither.pdf")]) == 0
    assert main([*common, "--all", "--without-pack", "County", "-o",
                 str(tmp_path / "pagerduty.pdf")]) == 0
    out = capsys.readouterr().out.splitlines()
    sheets = [int(line.rsplit(": ", 1)[1].split()[0]) for line in out]
    assert sheets[0] == sheets[1] == sheets[2] < sheets[3], out
    assert "Tourniquet (County)" not in pdf_text(tmp_path / "pagerduty.pdf")
    assert main([*common, "--all", "--without-pack", "Nowhere", "-o",
                 str(tmp_path / "x.pdf")]) == 1
    assert capsys.readouterr().err == ("binder print: there is no agency pack 'Nowhere' "
                                       "(see 'binder pack list')\n")
    assert not (tmp_path / "x.pdf").exists()
