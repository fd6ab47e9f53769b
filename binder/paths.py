"""Where the two databases and the assets live, inside a bundle and out."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Binder"
PACKAGE_DIR = Path(__file__).resolve().parent  # binder/


def is_bundled() -> bool:
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def resource_dir() -> Path:
    """The folder holding content.db and assets/: the bundle's, or the source tree's."""
    if is_bundled():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    return PACKAGE_DIR.parent


def content_db_path(override: str | os.PathLike | None = None) -> Path:
    """content.db: --content-db, else $BINDER_CONTENT_DB, else the one shipped with the program."""
    chosen = override or os.environ.get("BINDER_CONTENT_DB")
    if chosen:
        return Path(chosen)
    if is_bundled():
        return resource_dir() / "content.db"
    return PACKAGE_DIR / "content.db"


def assets_dir() -> Path:
    return resource_dir() / "assets"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The user's data folder (journal.db): --data-dir, else $BINDER_DATA_DIR, else Qt's."""
    chosen = override or os.environ.get("BINDER_DATA_DIR")
    if chosen:
        return Path(chosen)
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setApplicationName(APP_NAME)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path.home() / f".{APP_NAME.lower()}"


def journal_path(data_folder: Path) -> Path:
    return Path(data_folder) / "journal.db"


def packs_dir(data_folder: Path) -> Path:
    """Where the agency's content packs are kept: beside journal.db, never in the program."""
    return Path(data_folder) / "packs"


def pack_paths(data_folder: Path) -> list[Path]:
    folder = packs_dir(data_folder)
    return sorted(folder.glob("*.db")) if folder.is_dir() else []


def index_dir(data_folder: Path) -> Path:
    """Where the search index of the shipped content and the packs is kept (search/search_index)."""
    return Path(data_folder) / "search"
