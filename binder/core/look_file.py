"""The window's look (theme and zoom) kept in a small file beside the journal, so the window's
first frame is drawn in it before the journal is opened and checked. The journal's settings stay
the truth; this copy is a convenience, and any problem with it means the default look."""

from __future__ import annotations

import json
import os
from pathlib import Path

LOOK_FILE = "look.json"
KEYS = ("theme", "zoom")


def read_look(data_folder: Path) -> dict[str, str]:
    try:
        found = json.loads((Path(data_folder) / LOOK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {key: str(found[key]) for key in KEYS if isinstance(found.get(key), str | int)}


def write_look(data_folder: Path, look: dict[str, str]) -> None:
    """Replace the file whole (temp file, rename); a disk that refuses it changes nothing."""
    path = Path(data_folder) / LOOK_FILE
    temp = path.with_suffix(".tmp")
    try:
        temp.write_text(json.dumps({key: look[key] for key in KEYS if key in look}),
                        encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        try:
            temp.unlink()
        except OSError:
            pass
