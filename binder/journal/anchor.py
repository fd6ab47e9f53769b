"""journal.anchor: every chain's head, in a file beside journal.db that its rows cannot rewrite."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

MAGIC = "binder-anchor 1"


@dataclass(frozen=True)
class Mark:
    """One line of the anchor: after event `seq`, chain `chain` ended in `head`."""

    seq: int
    chain: str  # the incident's id; "" for operator changes made with no incident open
    head: str
    at: str  # UTC, when it was written


@dataclass
class AnchorRecord:
    """What the anchor file says about one journal."""

    exists: bool
    journal_id: str = ""
    started_at: str = ""
    started_after: int = 0  # the journal's newest seq when the anchor was started
    marks: dict[str, list[Mark]] = field(default_factory=dict)
    problem: str = ""  # a line that cannot be read, for a person

    def last(self, chain: str) -> Mark | None:
        marks = self.marks.get(chain)
        return marks[-1] if marks else None


def anchor_path(journal_path: Path) -> Path:
    return Path(journal_path).with_suffix(".anchor")


class Anchor:
    """The append-only anchor file: a header naming its journal, then one line per event."""

    def __init__(self, path: Path, sync: bool = True):
        self.path = Path(path)
        self.sync = sync

    def header(self) -> tuple[str, str, int] | None:
        """(journal id, started at, started after seq) from the first line; None if none."""
        try:
            with self.path.open(encoding="utf-8") as file:
                first = file.readline()
        except (OSError, UnicodeDecodeError):
            return None
        return _parse_header(first)

    def start(self, journal_id: str, started_at: str, last_seq: int, heads: list[Mark]) -> None:
        """A new anchor for this journal, with the heads it has now; an old one is kept aside."""
        if self.path.exists():  # another journal's (one moved aside): kept, never overwritten
            stamp = "".join(c for c in started_at[:23] if c.isdigit())
            os.replace(self.path, self.path.with_name(f"{self.path.name}.{stamp}.old"))
        lines = [f"{MAGIC}\t{journal_id}\t{started_at}\t{last_seq}\n"]
        lines += [_line(mark) for mark in heads]
        self._write("".join(lines))

    def end_torn_line(self) -> None:
        """A line cut short by a crash is ended, so the next mark starts on a line of its own."""
        with self.path.open("rb") as file:
            file.seek(0, os.SEEK_END)
            if file.tell() == 0:
                return
            file.seek(-1, os.SEEK_END)
            torn = file.read(1) != b"\n"
        if torn:
            self._write("\n")

    def record(self, mark: Mark) -> None:
        """Append one head; flushed (and fsync'd) before it returns. Raises OSError."""
        self._write(_line(mark))

    def _write(self, text: str) -> None:
        with self.path.open("a", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            if self.sync:
                os.fsync(file.fileno())

    def read(self, journal_id: str) -> AnchorRecord:
        """Every mark for this journal; `exists` is False when there is no anchor to read."""
        try:
            with self.path.open(encoding="utf-8", errors="replace") as file:
                lines = file.read().splitlines()
        except FileNotFoundError:
            return AnchorRecord(False)
        except OSError as exc:
            return AnchorRecord(False, problem=f"{self.path} cannot be read: {exc.strerror}")
        header = _parse_header(lines[0]) if lines else None
        if header is None:
            return AnchorRecord(False, problem=f"{self.path} does not start with its header line")
        if header[0] != journal_id:
            return AnchorRecord(False, problem=f"{self.path} belongs to another journal")
        record = AnchorRecord(True, *header)
        for number, line in enumerate(lines[1:], start=2):
            mark = _parse_mark(line)
            if mark is None:
                if number < len(lines):  # a torn last line is a crash while writing it
                    record.problem = f"{self.path}:{number}: this line cannot be read"
                continue
            record.marks.setdefault(mark.chain, []).append(mark)
        return record


def _line(mark: Mark) -> str:
    return f"{mark.seq}\t{mark.chain}\t{mark.head}\t{mark.at}\n"


def _parse_header(line: str) -> tuple[str, str, int] | None:
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 4 or parts[0] != MAGIC or not parts[3].isdigit():
        return None
    return parts[1], parts[2], int(parts[3])


def _parse_mark(line: str) -> Mark | None:
    parts = line.split("\t")
    if len(parts) != 4 or not parts[0].isdigit() or len(parts[2]) != 64:
        return None
    return Mark(int(parts[0]), parts[1], parts[2], parts[3])
