"""Where the program finds its files when run from the source tree (as tests and `binder` do)."""

from binder import paths
from tests.conftest import REPO


def test_the_assets_and_the_content_are_found_in_the_source_tree(monkeypatch):
    monkeypatch.delenv("BINDER_CONTENT_DB", raising=False)
    assert (paths.assets_dir() / "tick.svg").is_file()
    assert paths.content_db_path() == REPO / "binder" / "content.db"
