"""binder search with a misspelling: what it searched instead, and --exact for the words typed."""

from tests.test_cli import binder


def test_search_says_what_it_searched_instead_and_how_to_search_as_typed(shipped_db, tmp_path):
    result = binder("--data-dir", str(tmp_path), "--content-db", str(shipped_db),
                    "search", "turniket")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("Showing results for 'tourniquet'. "
                        "Search instead for 'turniket': binder search --exact turniket")
    assert lines[1] == " 1. Tourniquet  (Casualty care, tourniquet)"


def test_search_exact_searches_the_words_as_typed(shipped_db, tmp_path):
    result = binder("--data-dir", str(tmp_path), "--content-db", str(shipped_db),
                    "search", "--exact", "turniket")
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["nothing found for 'turniket'"]


def test_search_with_no_misspelling_says_nothing_of_corrections(shipped_db, tmp_path):
    result = binder("--data-dir", str(tmp_path), "--content-db", str(shipped_db),
                    "search", "tourniquet")
    assert result.returncode == 0
    assert "Showing results for" not in result.stdout
