"""Which files of a pack folder are read: links and special files are skipped, and said so."""

import datetime as dt
import os
import shutil

import pytest

from binder.content.importer import read_pack_folder
from binder.content.packs import add_pack
from tests.conftest import REPO, write_pages
from tests.hostile_pages import deep_list, nested_admonitions

TODAY = dt.date(2026, 11, 23)
pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt",
                                reason="symbolic links as on Linux and macOS")


def read(folder):
    return read_pack_folder(folder, today=TODAY, name="County")


def test_a_link_to_etc_passwd_never_becomes_a_page(tmp_path):
    folder = write_pages(tmp_path / "pack", {"plan.md": "# Plan\n\nGo.\n"})
    (folder / "passwd.md").symlink_to("/etc/passwd")
    result = read(folder)
    assert [d.path for d in result.docs] == ["plan.md"]
    assert result.errors == []
    assert "passwd.md:0: warning: skipped: a link to /etc/passwd, outside the folder " \
           "(links are never followed)" in [str(f) for f in result.findings]
    assert all("root:" not in doc.body for doc in result.docs)


def test_a_linked_folder_outside_is_not_walked(tmp_path):
    outside = write_pages(tmp_path / "elsewhere", {"secret.md": "# Secret\n\nHidden.\n"})
    folder = write_pages(tmp_path / "pack", {"plan.md": "# Plan\n\nGo.\n"})
    (folder / "more").symlink_to(outside, target_is_directory=True)
    (folder / "up").symlink_to("..", target_is_directory=True)
    result = read(folder)
    assert [d.path for d in result.docs] == ["plan.md"]
    skipped = [str(f) for f in result.findings if "skipped" in f.message]
    assert skipped == [
        f"more:0: warning: skipped: a link to {outside}, outside the folder "
        "(links are never followed)",
        f"up:0: warning: skipped: a link to {tmp_path}, outside the folder "
        "(links are never followed)",
    ]


def test_a_link_inside_the_folder_is_read_once_under_the_files_own_name(tmp_path):
    folder = write_pages(tmp_path / "pack", {"guides/plan.md": "# Plan\n\nGo.\n",
                                             ".drafts/old.md": "# Old\n\nDraft.\n"})
    (folder / "copy.md").symlink_to("guides/plan.md")
    (folder / "draft.md").symlink_to(folder / ".drafts" / "old.md")
    result = read(folder)
    assert [d.path for d in result.docs] == ["guides/plan.md"]
    skipped = [str(f) for f in result.findings if "skipped" in f.message]
    assert skipped == [
        "copy.md:0: warning: skipped: a link to guides/plan.md, which is read under its "
        "own name (links are never followed)",
        "draft.md:0: warning: skipped: a link to .drafts/old.md (links are never followed: "
        "copy the file into the folder)",
    ]


def test_a_fifo_named_like_a_page_is_skipped_without_waiting(tmp_path):
    folder = write_pages(tmp_path / "pack", {"plan.md": "# Plan\n\nGo.\n"})
    os.mkfifo(folder / "pipe.md")
    result = read(folder)
    assert [d.path for d in result.docs] == ["plan.md"]
    assert "pipe.md:0: warning: skipped: not a regular file" in [str(f) for f in result.findings]


def test_the_pack_is_added_with_the_skipped_files_listed(tmp_path):
    folder = write_pages(tmp_path / "pack", {"plan.md": "# Plan\n\nGo.\n"})
    (folder / "passwd.md").symlink_to("/etc/passwd")
    report = add_pack(folder, tmp_path / "data", "County")
    assert [d.path for d in report.docs] == ["plan.md"]
    assert any(f.path == "passwd.md" and "skipped" in f.message for f in report.findings)


FIXTURES = [REPO.parent / "shared" / "fixtures", REPO.parent.parent / "shared" / "fixtures"]
PAGERDUTY = next((f / "pagerduty-incident-response-docs" for f in FIXTURES
                  if (f / "pagerduty-incident-response-docs").is_dir()), None)


@pytest.mark.skipif(PAGERDUTY is None, reason="the shared fixtures are not here")
def test_a_public_template_with_hostile_files_added_imports_its_own_pages_only(tmp_path):
    folder = tmp_path / "pagerduty"
    shutil.copytree(PAGERDUTY, folder)
    (folder / "during" / "passwd.md").symlink_to("/etc/passwd")
    (folder / "before" / "more").symlink_to(tmp_path, target_is_directory=True)
    (folder / "crisis" / "deep.md").write_text(deep_list(), encoding="utf-8")
    (folder / "training" / "notes.md").write_text(nested_admonitions(), encoding="utf-8")
    result = read(folder)
    assert result.errors == [] and len(result.docs) == 36
    skipped = sorted(f.path for f in result.findings if f.message.startswith("skipped"))
    assert skipped == ["before/more", "crisis/deep.md", "during/passwd.md", "training/notes.md"]
    about = next(f for f in result.findings if f.path == "about.md")
    assert "attributes other than id and class left out on line 20" in about.message
