"""The offline path: every stored segment (every laptop's) and the roster copied to a folder such
as a USB stick, byte for byte, and imported from one."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from binder.journal.journal import Journal
from binder.sync.roster import RosterError, read_roster, roster_dir
from binder.sync.segment import relative_path, write_file

STICK_FOLDER = "binder-sync"


class StickError(Exception):
    """The stick cannot be written or read; the message says why, for a person."""


@dataclass
class CopyReport:
    copied: int = 0
    already: int = 0  # already on the stick, byte for byte
    rosters: int = 0


def stick_root(folder: Path) -> Path:
    folder = Path(folder)
    return folder if folder.name == STICK_FOLDER else folder / STICK_FOLDER


def _same(path: Path, raw: bytes) -> bool:
    try:
        return path.stat().st_size == len(raw) and path.read_bytes() == raw
    except OSError:
        return False


def stick_message(folder: Path, exc: OSError, done: int, total: int) -> str:
    if exc.errno == errno.ENOSPC:
        why = "it is full"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        why = "it is read-only or locked"
    else:
        why = exc.strerror or str(exc)
    return (f"{folder} cannot be written ({why}): {done} of {total} segments are on it, each "
            "whole; copy again to another stick or after making room")


def copy_to(journal: Journal, data_dir: Path, folder: Path) -> CopyReport:
    """Write every stored segment to `folder`/binder-sync/segments/… (a file already there with
    the same bytes is left), and the roster files to …/roster/. Raises StickError."""
    root = stick_root(folder)
    report = CopyReport()
    rows = journal.conn.execute(
        "SELECT incident_id, device, number, bytes FROM segments "
        "ORDER BY incident_id, device, number").fetchall()
    try:
        for incident_id, device, number, raw in rows:
            path = root / "segments" / relative_path(incident_id, device, number)
            if _same(path, bytes(raw)):
                report.already += 1
                continue
            write_file(path, bytes(raw))
            report.copied += 1
        for source in sorted(roster_dir(data_dir).glob("*.json")):
            target = root / "roster" / source.name
            raw = source.read_bytes()
            if not _same(target, raw):
                write_file(target, raw)
                report.rosters += 1
    except OSError as exc:
        raise StickError(stick_message(root, exc, report.copied + report.already, len(rows))
                         ) from None
    return report


def take_rosters(data_dir: Path, root: Path, trusted: set[str]) -> list[str]:
    """Roster files on a stick signed by a trusted agency key, kept in this laptop's roster
    folder; returns why any was not taken."""
    problems = []
    folder = root / "roster"
    for source in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            read_roster(source, trusted)
            raw = source.read_bytes()
            target = roster_dir(data_dir) / source.name
            if not _same(target, raw):
                write_file(target, raw)
        except (RosterError, OSError) as exc:
            problems.append(str(exc))
    return problems
