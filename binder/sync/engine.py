"""The front of binder/sync: one object the window and the command line use (`Sync`)."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from binder.journal import hlc
from binder.journal.journal import Event, Journal, JournalError
from binder.sync import roster, stick
from binder.sync.export import Exporter
from binder.sync.importer import Importer, ImportReport
from binder.sync.keys import (
    Card,
    KeyFileError,
    device_key,
    laptop_name,
    public_hex,
    trusted_agency_keys,
)
from binder.sync.roster import Member, RosterError
from binder.sync.segment import SegmentError

HLC_IN_SEGMENT = re.compile(rb'"hlc":"(\d{13})\.\d{4}"')


class SyncError(Exception):
    """Something a person must be told: a folder or stick that cannot be used, a disk full."""


@dataclass(frozen=True)
class Laptop:
    device: str
    name: str
    position: str
    on_roster: bool
    last_segment_at: str  # when its newest segment was stored here ('' if none)
    last_entry_at: str  # when its newest entry here was entered ('' if none)
    clock_ahead_ms: int  # how far its clock was ahead of this one's, at most (0 if not)
    this_laptop: bool = False


def sync_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "sync"


class Sync:
    """This laptop's side of the sync folder `<data>/sync/`: export its new entries, import the
    others', the stick, the roster. Everything is files; nothing here opens a socket."""

    def __init__(self, data_dir: Path, journal: Journal):
        self.data_dir = Path(data_dir)
        self.journal = journal
        try:
            self.key = device_key(self.data_dir, journal.device_id)
        except KeyFileError as exc:
            raise SyncError(str(exc)) from None
        self.folder = sync_dir(self.data_dir) / "segments"
        self.importer = Importer(journal, self.data_dir, self.members)
        self.exporter = Exporter(journal, self.folder, self.key, self.profile,
                                 self.importer.add_stored)
        self._agency: tuple[tuple, dict[str, Member], list[str]] = ((), {}, [])
        self._guard(self.exporter.restore_missing)

    def _guard(self, work, *args):
        try:
            return work(*args)
        except (OSError, JournalError, SegmentError, RosterError, KeyFileError,
                stick.StickError) as exc:
            text = f"{exc.strerror}: {exc.filename}" if isinstance(exc, OSError) else str(exc)
            raise SyncError(text) from None

    # This laptop

    def profile(self) -> tuple[str, str]:
        operator = self.journal.operator
        return (self.journal.setting("device_name") or laptop_name(),
                self.journal.setting("device_position") or (operator.position if operator else ""))

    def card(self) -> Card:
        name, position = self.profile()
        return Card(self.journal.device_id, public_hex(self.key), name, position,
                    self.journal.setting("syncthing_id"))

    # The roster

    def agency(self) -> tuple[dict[str, Member], list[str]]:
        """The agency roster's laptops (read again only when a roster or trusted key changed)."""
        folders = (roster.roster_dir(self.data_dir), self.data_dir / "keys" / "agency")
        stamp = tuple(_stamp(path) for folder in folders
                      for path in [folder, *(sorted(folder.glob("*")) if folder.is_dir() else [])])
        if stamp != self._agency[0]:
            members, problems = roster.agency_members(self.data_dir,
                                                      trusted_agency_keys(self.data_dir))
            self._agency = (stamp, members, problems)
        return self._agency[1], self._agency[2]

    def members(self, incident_id: str) -> dict[str, Member]:
        """The incident's roster: the agency's laptops, those let in, and this laptop."""
        found = dict(self.agency()[0])
        found.update(roster.admitted(self.journal, incident_id))
        name, position = self.profile()
        found[self.journal.device_id] = Member(self.journal.device_id, public_hex(self.key),
                                               name, position, "this laptop")
        return found

    def admit(self, incident_id: str, device: str) -> Event:
        """Let a laptop whose segments wait as unknown into the incident (a roster event)."""
        header = self.importer.unknown.get((incident_id, device))
        if header is None:
            raise SyncError(f"no segment of laptop {device} waits in this incident")
        card = Card(device, header["public_key"], header["name"], header["position"])
        return self._guard(roster.admit, self.journal, incident_id, card)

    def put_roster(self, path: Path) -> int:
        return self._guard(roster.put_roster, self.data_dir, Path(path),
                           trusted_agency_keys(self.data_dir))

    # Moving segments

    def export(self) -> int:
        """This laptop's new entries out as segments; how many segments were written."""
        return self._guard(self.exporter.export)

    def import_all(self, folder: Path | None = None) -> ImportReport:
        """Import every segment not yet here from the sync folder (or `folder`, a segments
        folder)."""
        if folder is not None and not Path(folder).is_dir():
            raise SyncError(f"{folder} is not a folder: nothing was imported")
        report = self._guard(self.importer.import_folder, Path(folder) if folder else self.folder)
        report.problems += self.agency()[1]
        return report

    def copy_to(self, folder: Path) -> stick.CopyReport:
        """Copy to stick: every stored segment and the roster, under `folder`/binder-sync/."""
        self.export()
        return self._guard(stick.copy_to, self.journal, self.data_dir, Path(folder))

    def import_from(self, folder: Path) -> ImportReport:
        """Import from stick: the rosters and segments under `folder`/binder-sync/."""
        root = stick.stick_root(Path(folder))
        if not (root / "segments").is_dir():
            raise SyncError(f"{folder} holds no Binder sync folder ({stick.STICK_FOLDER}/"
                            "segments): nothing was imported")
        problems = stick.take_rosters(self.data_dir, root, trusted_agency_keys(self.data_dir))
        report = self.import_all(root / "segments")
        report.problems += problems
        return report

    # What the window shows

    def laptops(self, incident_id: str) -> list[Laptop]:
        """Every laptop of an incident: on its roster, or with entries or segments here."""
        members = self.members(incident_id)
        me = self.journal.device_id
        segments = {device: at for device, at in self.journal.conn.execute(
            "SELECT device, max(stored_at) FROM segments WHERE incident_id = ? AND device != ? "
            "GROUP BY device", (incident_id, me))}
        entries = {}
        for device, seq in self.journal.conn.execute(
                "SELECT device, max(seq) FROM events WHERE incident_id = ? GROUP BY device",
                (incident_id,)).fetchall():
            entered = self.journal.conn.execute("SELECT entered_at FROM events WHERE seq = ?",
                                                (seq,)).fetchone()[0]
            device = device or me
            entries[device] = max(entered, entries.get(device, ""))
        waiting = {device: header for (incident, device), header in self.importer.unknown.items()
                   if incident == incident_id}
        laptops = []
        for device in sorted(set(members) | set(segments) | set(entries) | set(waiting)):
            member = members.get(device)
            header = waiting.get(device, {})
            laptops.append(Laptop(
                device, member.name if member else header.get("name", ""),
                member.position if member else header.get("position", ""), member is not None,
                segments.get(device, ""), entries.get(device, ""),
                self.clock_ahead(incident_id, device) if device != me else 0, device == me))
        return laptops

    def clock_ahead(self, incident_id: str, device: str) -> int:
        """The most a laptop's entries were ahead of this clock when they arrived: from its
        stored segments (their entries' clocks against when each was stored), worked out once."""
        key = (incident_id, device)
        if key not in self.importer.ahead:
            most = 0
            for raw, stored_at in self.journal.conn.execute(
                    "SELECT bytes, stored_at FROM segments WHERE incident_id = ? AND device = ?",
                    key):
                clocks = [int(ms) for ms in HLC_IN_SEGMENT.findall(bytes(raw))]
                if clocks:
                    most = max(most, max(clocks) - _ms(stored_at))
            self.importer.ahead[key] = max(0, most)
        return self.importer.ahead[key]


def _stamp(path: Path) -> tuple:
    try:
        stat = os.stat(path)
    except OSError:
        return (str(path),)
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _ms(stamp: str) -> int:
    try:
        return int(dt.datetime.fromisoformat(stamp).timestamp() * 1000)
    except ValueError:
        return hlc.wall_ms()
