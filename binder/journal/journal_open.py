"""Opening journal.db: for writing (a damaged one moved aside and recovered) or read-only."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from binder.journal.journal_errors import JournalError
from binder.journal.journal_rows import _text
from binder.journal.journal_schema import SCHEMA_VERSION, migrate


def open_for_writing(path: Path, timeout: float,
                     checked: bool = False) -> tuple[sqlite3.Connection, str]:
    """The journal's connection, and what must be told about a damaged one moved aside ("").
    `checked`: `full_check` has just found the file sound, so it is not checked again."""
    refuse_read_only_folder(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(
            f"The activity journal at {path} cannot be created: {exc}") from None
    recovered = ""
    problem = "" if checked else damage(path)
    if problem:
        recovered = recover(path, problem, timeout)
    try:
        return _open(path, timeout, quick_check=not checked), recovered
    except sqlite3.OperationalError as exc:  # locked, unreadable, I/O: not damage
        raise JournalError(
            f"The activity journal at {path} cannot be opened: {exc}. "
            "Is Binder already running with it? It has not been changed.") from None
    except sqlite3.DatabaseError as exc:
        recovered = recover(path, str(exc), timeout)
    try:
        return _open(path, timeout), recovered
    except sqlite3.DatabaseError as again:
        raise JournalError(f"A new journal cannot be started at {path}: {again}") from None


def refuse_read_only_folder(path: Path) -> None:
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK):  # a read-only disk: EROFS, even
        raise JournalError(f"The folder {folder} cannot be written (a read-only disk?): "
                           "the activity journal there can only be opened read-only.")


def damage(path: Path) -> str:
    """What is wrong with journal.db and its -wal as files, read before SQLite opens them
    (only what two reads in a row agree on: a -wal another Binder is writing to is not taken
    for damage; see wal.pair_problem)."""
    from binder.journal.wal import pair_problem

    try:
        problem = pair_problem(path)
    except OSError as exc:
        raise JournalError(
            f"The activity journal at {path} cannot be read: {exc}. "
            "It has not been changed.") from None
    return problem


def recover(path: Path, reason: str, timeout: float) -> str:
    """Copy the damaged journal aside, then start a new one with every event that can be
    read from the copy; says where the old one went."""
    from binder.journal.recovery import recover_journal  # it opens a Journal itself

    try:
        return recover_journal(path, reason, timeout)
    except OSError as exc:
        raise JournalError(
            f"The activity journal at {path} is damaged ({reason}), and it could not "
            f"be copied aside to recover it: {exc}. Free some disk space and start again; "
            "it has not been changed.") from None


def full_check(path: Path, timeout: float = 5.0) -> bool:
    """True if journal.db is sound: its files as bytes (`damage`), then SQLite's quick_check
    through a read-only connection of its own, so that it can run on a worker thread while
    start-up does other work (65 ms at 100,000 entries; SQLite lets go of Python's lock while
    it runs). False means only "not shown sound here": the opening then checks the usual way."""
    try:
        if not path.is_file() or damage(path):
            return False
        made = [Path(f"{path}{end}") for end in ("-wal", "-shm")
                if not Path(f"{path}{end}").exists()]
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
            if made and made[0].name.endswith("-wal") and made[0].stat().st_size == 0:
                for leftover in made:  # what the read-only look made, empty: as it was
                    leftover.unlink(missing_ok=True)
    except (JournalError, sqlite3.Error, OSError):
        return False


def _open(path: Path, timeout: float, quick_check: bool = True) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
    try:
        conn.text_factory = _text
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:  # checked before anything is written to the file
            raise JournalError(
                f"The activity journal at {path} was written by a newer Binder "
                f"(version {version}); this one reads up to {SCHEMA_VERSION}. Use the newer Binder."
            )
        check = conn.execute("PRAGMA quick_check").fetchone()[0] if quick_check else "ok"
        if check != "ok":
            raise sqlite3.DatabaseError(f"integrity check: {check}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        migrate(conn, version)
    except BaseException:
        conn.close()
        raise
    return conn


def open_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """Reading only (a full or read-only disk): nothing in the folder is created or changed."""
    if not path.is_file():
        raise JournalError(f"There is no activity journal at {path} to read.")
    try:
        conn, version = _connect_read_only(path, "mode=ro", timeout)
    except sqlite3.Error as exc:
        # A WAL journal in a folder that cannot be written has no -shm to share: with no
        # -wal beside it, the file is the whole journal, and immutable reads it as it is.
        if Path(f"{path}-wal").exists():
            raise JournalError(
                f"The activity journal at {path} cannot be read here ({exc}): part of "
                f"it is still in {path.name}-wal. Copy the whole folder to a disk that "
                "can be written and open it there. Nothing has been changed.") from None
        try:
            conn, version = _connect_read_only(path, "mode=ro&immutable=1", timeout)
        except sqlite3.Error as again:
            raise JournalError(f"The activity journal at {path} cannot be read: "
                               f"{again}. It has not been changed.") from None
    if not 2 <= version <= SCHEMA_VERSION:
        conn.close()
        raise JournalError(f"The activity journal at {path} is version {version}; "
                           f"this Binder reads 2 to {SCHEMA_VERSION} without changing it.")
    return conn


def _connect_read_only(path: Path, mode: str, timeout: float) -> tuple[sqlite3.Connection, int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True,
                           isolation_level=None, timeout=timeout)
    try:
        conn.text_factory = _text
        conn.execute("SELECT count(*) FROM events").fetchone()
        return conn, conn.execute("PRAGMA user_version").fetchone()[0]
    except BaseException:
        conn.close()
        raise
