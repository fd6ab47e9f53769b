"""The full check of a content database at start, run in a child process, once per version."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent  # the folder that holds the binder package
CHILD = ("import sys; sys.path.insert(0, sys.argv[2]); "
         "from binder.content.content_check import check_file; print(check_file(sys.argv[1]))")
TIMEOUT = 600  # seconds; the check of a 10,000-page binder takes about 3
_checked: set[tuple] = set()  # files this process has found sound


def check_file(path: str) -> str:
    """What SQLite's quick check and FTS5's integrity check of every search index (against its
    content table where it has one) find wrong with a content database; "" if nothing. It runs
    on a copy in memory, since the file itself is only ever opened read-only."""
    memory = sqlite3.connect(":memory:")
    try:
        memory.deserialize(Path(path).read_bytes())
        check = memory.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            return f"quick check: {check}"
        indexes = memory.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'").fetchall()
        for name, sql in indexes:
            quoted = '"' + name.replace('"', '""') + '"'
            external = bool(re.search(r"content\s*=\s*'[^']+'", sql))
            try:
                memory.execute(f"INSERT INTO {quoted} ({quoted}{', rank' * external}) "
                               f"VALUES ('integrity-check'{', 1' * external})")
            except sqlite3.DatabaseError as exc:
                return f"search index {name}: {exc}"
        return ""
    except (sqlite3.DatabaseError, OSError) as exc:
        return str(exc)
    finally:
        memory.close()


def content_damage(path: Path, marker: Path | None = None) -> str:
    """What is wrong with a content database ("" if nothing). FTS5's check can crash on a
    damaged index (SQLite 3.40), so it runs in a child process; a file found sound is not
    checked again while its size and time are the same (in this process, or ever if a
    marker file is given)."""
    key = _key(path)
    if key in _checked or (marker is not None and _marked(marker, key)):
        return ""
    problem = _check_in_child(path)
    if not problem:
        _checked.add(key)
        if marker is not None:
            _mark(marker, key)
    return problem


def _key(path: Path) -> tuple:
    stat = Path(path).stat()
    return (str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)


def _check_in_child(path: Path) -> str:
    if getattr(sys, "frozen", False):
        return _check_in_worker(path)
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(ROOT)],
                              capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"it could not be checked: {exc}"
    if done.returncode != 0:
        return ("its search index is damaged: checking it stopped "
                f"(exit status {done.returncode})")
    return done.stdout.strip()


def _check_in_worker(path: Path) -> str:
    """The bundle cannot run 'python -c': a worker process (launch.py's freeze_support)."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(str(path), sender), daemon=True)
    worker.start()
    sender.close()
    try:
        if receiver.poll(TIMEOUT):
            return receiver.recv()
        return "checking its search index took too long"
    except EOFError:  # the worker died: the index cannot be trusted
        return "its search index is damaged: checking it stopped"
    finally:
        worker.join(1)
        if worker.is_alive():
            worker.kill()


def _work(path: str, sender) -> None:
    sender.send(check_file(path))
    sender.close()


def _marked(marker: Path, key: tuple) -> bool:
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get(key[0]) == list(key[1:])
    except (OSError, ValueError, AttributeError):
        return False


def _mark(marker: Path, key: tuple) -> None:
    """Remember a sound file; a marker that cannot be written only costs a check next time."""
    try:
        known = json.loads(marker.read_text(encoding="utf-8")) if marker.exists() else {}
        if not isinstance(known, dict):
            known = {}
        known[key[0]] = list(key[1:])
        temporary = marker.with_name(f".{marker.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(known, indent=1), encoding="utf-8")
        os.replace(temporary, marker)
    except (OSError, ValueError):
        pass
