"""Every segment file not yet stored, checked and imported in number order per laptop and
incident: name, signature, roster, previous segment, chain; refused ones set aside with why."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from binder.journal import hlc
from binder.journal.journal import Journal, event_hash
from binder.sync.roster import Member
from binder.sync.segment import (
    DEVICE,
    INCIDENT,
    NAME,
    Segment,
    SegmentError,
    decode,
    relative_path,
    write_file,
)

CLOCK_FLAG_MS = hlc.FLAG_MS  # a laptop whose entries are further ahead of this clock is flagged
SETTLED_S = 2.0
MAX_SEGMENT_BYTES = 64 * 1024 * 1024  # a bigger file is refused unread (export writes <= 10,000
# entries a segment)  # a folder unchanged for this long is not listed again until it changes


@dataclass
class ImportReport:
    imported: int = 0  # segments imported
    entries: int = 0  # entries they brought that were new here
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    waiting: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    unknown: list[tuple[str, str, str, str]] = field(default_factory=list)  # device, name,
    # position, incident: laptops not on the incident's roster whose segments wait
    clock: list[tuple[str, int]] = field(default_factory=list)  # (device, ms ahead of this clock)
    after_close: list[tuple[str, str, int]] = field(default_factory=list)  # incident, device, n
    problems: list[str] = field(default_factory=list)  # a roster not taken, a folder unreadable

    def add(self, other: ImportReport) -> None:
        for name, value in other.__dict__.items():
            setattr(self, name, getattr(self, name) + value)


@dataclass(frozen=True)
class Candidate:
    path: Path
    incident_id: str
    device: str
    number: int

    @property
    def key(self) -> tuple[str, str, int]:
        return self.incident_id, self.device, self.number


class Waits(Exception):
    """The segment cannot be imported yet; the message says what it waits for."""


class Refused(Exception):
    """The segment is refused; the message says why, for a person."""


class Importer:
    def __init__(self, journal: Journal, data_dir: Path,
                 roster: Callable[[str], dict[str, Member]]):
        self.journal = journal
        self.data_dir = Path(data_dir)
        self.local = self.data_dir / "sync" / "segments"
        self.refused_dir = self.data_dir / "sync" / "refused"
        self.roster = roster  # incident id -> its members
        self.stored: dict[tuple[str, str, int], str] = {}  # every stored segment: its hash
        self.last: dict[tuple[str, str], tuple[int, str]] = {}  # (incident, device): newest
        for incident_id, device, number, digest in journal.conn.execute(
                "SELECT incident_id, device, number, hash FROM segments ORDER BY number"):
            self.stored[(incident_id, device, number)] = digest
            self.last[(incident_id, device)] = (number, digest)
        self.seen: dict[str, tuple[int, int]] = {}  # files found to be stored ones: their stat
        self.set_aside: dict[str, tuple[int, int]] = {}  # local files refused already
        self.listing: dict[str, tuple[int, list[str]]] = {}  # a folder's mtime, pending names
        self.unknown: dict[tuple[str, str], dict] = {}  # (incident, device): a waiting header
        self.ahead: dict[tuple[str, str], int] = {}  # (incident, device): most ms ahead seen
        self._members_cache: dict[str, dict[str, Member]] = {}  # for one import_folder call

    def add_stored(self, segment: Segment) -> None:
        """A segment stored by this laptop's exporter."""
        self.stored[segment.key] = segment.hash
        self.last[segment.key[:2]] = (segment.key[2], segment.hash)

    # Finding the files

    def _names(self, folder: str) -> tuple[list[str], bool]:
        """A folder's entries, and whether they were listed again: a folder is listed again only
        when its mtime changed or is recent (a change within the clock's tick would not show);
        otherwise what is returned is what was still pending in it last time."""
        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:
            return [], False
        cached = self.listing.get(folder)
        if cached and cached[0] == mtime and mtime < (time.time() - SETTLED_S) * 1e9:
            return cached[1], False
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return [], False
        self.listing[folder] = (mtime, names)
        return names, True

    def candidates(self, folder: Path) -> list[Candidate]:
        """The segment files under `folder` not known to be stored (or set aside) already."""
        found = []
        top = str(folder)
        for incident_id in self._names(top)[0]:
            if not INCIDENT.fullmatch(incident_id):
                continue
            for device in self._names(os.path.join(top, incident_id))[0]:
                if not DEVICE.fullmatch(device):
                    continue
                where = os.path.join(top, incident_id, device)
                names, listed = self._names(where)
                pending = []
                for name in names:
                    match = NAME.fullmatch(name)
                    path = os.path.join(where, name)
                    if match and not self._known(path, listed):
                        pending.append(name)
                        found.append(Candidate(Path(path), incident_id, device, int(match[1])))
                self.listing[where] = (self.listing[where][0], pending)
        return found

    def _known(self, path: str, look_again: bool) -> bool:
        """A file already found to be a stored segment (or refused) and unchanged since."""
        for known in (self.seen, self.set_aside):
            if path in known:
                if not look_again:
                    return True
                try:
                    stat = os.stat(path)
                except OSError:
                    return True
                if known[path] == (stat.st_size, stat.st_mtime_ns):
                    return True
                del known[path]
        return False

    # Importing

    def import_folder(self, folder: Path) -> ImportReport:
        """Import every segment under `folder` (a segments folder) that is not yet stored."""
        folder = Path(folder)
        report = ImportReport()
        local = folder == self.local
        pending = sorted(self.candidates(folder), key=lambda c: c.key)
        outcome: dict[Path, tuple[str, str]] = {}
        progress = True
        while progress:
            progress = False
            for candidate in pending:
                if candidate.path in outcome and outcome[candidate.path][0] != "waits":
                    continue
                result = self._one(candidate, report, local)
                outcome[candidate.path] = result
                progress = progress or result[0] == "imported"
        for candidate in pending:
            kind, reason = outcome[candidate.path]
            if kind == "refused":
                report.refused.append((str(candidate.path), reason))
                self._set_aside(candidate.path, reason, local)
            elif kind == "waits":
                report.waiting.append((str(candidate.path), reason))
        report.unknown = sorted((device, header["name"], header["position"], incident_id)
                                for (incident_id, device), header in self.unknown.items())
        self._members_cache = {}
        return report

    def _members(self, incident_id: str) -> dict[str, Member]:
        if incident_id not in self._members_cache:
            self._members_cache[incident_id] = self.roster(incident_id)
        return self._members_cache[incident_id]

    def _one(self, candidate: Candidate, report: ImportReport, local: bool) -> tuple[str, str]:
        try:
            if os.stat(candidate.path).st_size > MAX_SEGMENT_BYTES:
                return "refused", ("it is larger than any segment Binder writes "
                                   f"({MAX_SEGMENT_BYTES // 2**20} MiB)")
            raw = candidate.path.read_bytes()
        except OSError as exc:
            return "waits", f"it cannot be read now ({exc.strerror})"
        stored = self.stored.get(candidate.key)
        if stored is not None:
            return self._already(candidate, raw, stored)
        try:
            segment = self._check(candidate, raw)
        except Waits as exc:
            if not local:
                self._keep_locally(candidate, raw)
            return "waits", str(exc)
        except (Refused, SegmentError) as exc:
            return "refused", str(exc)
        self._insert(segment, report)
        self._remember(candidate.path, self.seen)
        if not local:
            self._keep_locally(candidate, raw)
        return "imported", ""

    def _already(self, candidate: Candidate, raw: bytes, stored: str) -> tuple[str, str]:
        if hashlib.sha256(raw).hexdigest() == stored:
            self._remember(candidate.path, self.seen)
            return "stored", ""
        return "refused", (f"a different segment {candidate.number} of laptop {candidate.device} "
                           "is already here: this one is a history written again or forked")

    def _check(self, candidate: Candidate, raw: bytes) -> Segment:
        segment = decode(raw)
        if segment.key != candidate.key:
            incident_id, device, number = segment.key
            raise Refused(f"its name does not match what it holds (segment {number} of laptop "
                          f"{device}, incident {incident_id})")
        incident_id, device, number = segment.key
        if device == self.journal.device_id:
            raise Refused("it claims to come from this laptop, which did not write it")
        member = self._members(incident_id).get(device)
        if member is None:
            self.unknown[(incident_id, device)] = segment.header
            raise Waits(f"laptop {device} ({segment.header['name']}, "
                        f"{segment.header['position']}) is not on this incident's roster: it "
                        "waits until someone lets it in")
        self.unknown.pop((incident_id, device), None)
        if member.public_key != segment.header["public_key"]:
            raise Refused(f"it is signed with a key that is not laptop {device}'s key on the "
                          "roster")
        last_number, last_hash = self.last.get((incident_id, device), (0, ""))
        if number > last_number + 1:
            raise Waits(f"it waits for segment {last_number + 1} of laptop {device}")
        if segment.header["previous"] != last_hash:
            raise Refused(f"it does not follow segment {last_number} of laptop {device} that is "
                          "here: a history written again or forked")
        self._check_chain(segment)
        return segment

    def _check_chain(self, segment: Segment) -> None:
        incident_id, device, _ = segment.key
        row = self.journal.conn.execute(
            "SELECT hash FROM events WHERE incident_id = ? AND device = ? "
            "ORDER BY seq DESC LIMIT 1", (incident_id, device)).fetchone()
        head = row[0] if row else ""
        for number, event in enumerate(segment.events, start=1):
            if event["device"] != device or event["incident_id"] != incident_id:
                raise Refused(f"its entry {number} belongs to another laptop or incident")
            if event["prev_hash"] != head:
                raise Refused(f"its entry {number} does not follow the entry before it")
            stored = {**event, "data": json.dumps(event["data"], sort_keys=True,
                                                  ensure_ascii=False)}
            if event_hash(head, stored) != event["hash"]:
                raise Refused(f"its entry {number} was changed after it was written")
            if event["hlc"] and hlc.parse(event["hlc"]) is None:
                raise Refused(f"its entry {number} has a clock that cannot be read")
            head = event["hash"]
        ids = [event["id"] for event in segment.events]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            clash = self.journal.conn.execute(
                f"SELECT id FROM events WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk).fetchone()
            if clash:
                raise Refused(f"its entry {clash[0]} has the id of an entry already here")

    def _insert(self, segment: Segment, report: ImportReport) -> None:
        incident_id, device, number = segment.key
        closed = self.journal.conn.execute(
            "SELECT 1 FROM events WHERE incident_id = ? AND kind = 'close'",
            (incident_id,)).fetchone()
        report.entries += self.journal.insert_foreign(segment.events, segment=segment.stored())
        report.imported += 1
        self.add_stored(segment)
        self._members_cache.pop(incident_id, None)  # it may have let a laptop in
        ahead = max(hlc.ahead_ms(event["hlc"]) for event in segment.events)
        self.ahead[(incident_id, device)] = max(ahead, self.ahead.get((incident_id, device), 0))
        if ahead > CLOCK_FLAG_MS:
            report.clock.append((device, ahead))
        if closed:
            report.after_close.append((incident_id, device, len(segment.events)))

    # Files

    def _remember(self, path: Path, where: dict) -> None:
        try:
            stat = os.stat(path)
        except OSError:
            return
        where[str(path)] = (stat.st_size, stat.st_mtime_ns)

    def _keep_locally(self, candidate: Candidate, raw: bytes) -> None:
        """A segment from a stick goes into this laptop's sync folder too, so that it travels on."""
        path = self.local / relative_path(*candidate.key)
        if not path.exists():
            try:
                write_file(path, raw)
            except OSError:
                pass  # it is imported (or waits) all the same; the stick still has it

    def _set_aside(self, path: Path, reason: str, local: bool) -> None:
        """Move a refused file (copy it, from a folder that cannot be changed) to
        `<data>/sync/refused/`, with a `.why.txt` beside it."""
        try:
            raw = path.read_bytes()
        except OSError:
            return
        where = self.refused_dir / f"{path.parent.parent.name}-{path.parent.name}-{path.stem}-" \
                                   f"{hashlib.sha256(raw).hexdigest()[:12]}.seg"
        try:
            write_file(where, raw)
            write_file(where.with_suffix(".why.txt"), f"{path}\n{reason}\n".encode())
        except OSError:
            return
        if local:
            try:
                path.unlink()
            except OSError:
                self._remember(path, self.set_aside)
