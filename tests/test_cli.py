"""The command line: build, search and --self-test, as a person runs them."""

import subprocess
import sys

from tests.conftest import REPO, write_pages


def binder(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "binder", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120, **kwargs)


def test_build_reports_pages_and_steps(tmp_path, content_dir):
    result = binder("build", str(content_dir), "-o", str(tmp_path / "out.db"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"built {tmp_path / 'out.db'}: 4 pages, 4 steps"


def test_bad_page_fails_the_build_naming_file_and_line_and_keeps_the_old_db(
        tmp_path, content_dir, content_db):
    before = content_db.read_bytes()
    write_pages(content_dir, {"response/broken.md": "---\ntitle: x\nkind: [\n---\n"})
    result = binder("build", str(content_dir), "-o", str(content_db))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("response/broken.md:3: front matter is not valid YAML")
    assert "was not changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert content_db.read_bytes() == before


def test_check_passes_the_shipped_content():
    result = binder("check", "content")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("binder check: ") and ", 0 errors" in result.stderr


def test_check_lists_every_problem_and_fails(content_dir):
    write_pages(content_dir, {"response/a.md": "no front matter\n",
                              "response/b.md": "---\ntitle: [\n---\n"})
    result = binder("check", str(content_dir))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "response/a.md:1: no front matter: the page must start with a '---' line",
        "response/b.md:2: front matter is not valid YAML: expected the node content, "
        "but found '<stream end>'",
    ]
    assert "2 errors" in result.stderr


def test_search_prints_ranked_hits_with_snippets(content_db):
    result = binder("--content-db", str(content_db), "search", "overtime")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == " 1. EFLEA  (Funding, eflea)"
    assert "[overtime]" in lines[1]


def test_search_without_content_says_how_to_build_it(tmp_path):
    result = binder("--content-db", str(tmp_path / "none.db"), "search", "tq")
    assert result.returncode == 2
    assert "binder build" in result.stderr and "Traceback" not in result.stderr


def test_self_test_runs_the_window_and_prints_one_ok_line(content_db, tmp_path):
    result = binder("--content-db", str(content_db), "--self-test",
                    env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                         "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("binder self-test OK:")
    assert "ticked eflea/letter" in result.stdout or "ticked tourniquet/" in result.stdout
    assert result.stderr == ""
    assert not (tmp_path / ".local").exists()  # the user's real data folder is not touched


def test_self_test_fails_clearly_without_content(tmp_path):
    result = binder("--content-db", str(tmp_path / "none.db"), "--self-test")
    assert result.returncode == 1
    assert result.stderr.startswith("binder self-test FAILED: The binder's content was not found")


def test_installed_script_is_the_same_program():
    script = subprocess.run([str(REPO / ".venv" / "bin" / "binder"), "--version"],
                            capture_output=True, text=True)
    assert script.stdout == binder("--version").stdout == "binder 0.1.0\n"
