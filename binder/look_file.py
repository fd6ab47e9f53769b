"""The window's look (theme, zoom, and the look last shown) kept in a small file beside the
journal, so the window's first frame is drawn in it before the journal is opened and checked.
The journal's settings stay the truth; this copy is a convenience, and any problem with it means
the default look. One `key=value` per line (no JSON parser to load before the first paint)."""

from __future__ import annotations

import os
from pathlib import Path

LOOK_FILE = "look.txt"
KEYS = ("theme", "zoom", "look")


def read_look(data_folder: Path) -> dict[str, str]:
    try:
        text = (Path(data_folder) / LOOK_FILE).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return {}
    pairs = (line.partition("=") for line in text.splitlines())
    return {key.strip(): value.strip() for key, sep, value in pairs
            if sep and key.strip() in KEYS}


def write_look(data_folder: Path, look: dict[str, str]) -> None:
    """Replace the file whole (temp file, rename); a disk that refuses it changes nothing."""
    path = Path(data_folder) / LOOK_FILE
    temp = path.with_suffix(".tmp")
    try:
        temp.write_text("".join(f"{key}={look[key]}\n" for key in KEYS if key in look),
                        encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        try:
            temp.unlink()
        except OSError:
            pass
