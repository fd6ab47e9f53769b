"""The signed pack file: an agency pack's database, its name, revision and pages, signed once.

    binder-pack 1
    {header: canonical JSON: name, revision, made_at, public_key, size, pages}
    {the pack database: exactly `size` bytes}
    signature <Ed25519 signature, hex, over every byte above this line>

Like the segment (binder/sync/segment.py), and unlike a zip: one way to write it, read strictly
from the front, every byte under the signature, nothing to unpack into a folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from binder.content.packs import (
    PackError,
    pack_id_for,
    pack_info,
    pack_path,
    pack_problem,
    page_digests,
)
from binder.sync.keys import public_hex, trusted_agency_keys, verify
from binder.sync.segment import HEX64, canonical, write_file

MAGIC = b"binder-pack 1\n"
FORMAT = 1
SUFFIX = ".binderpack"
HEADER_FIELDS = ("format", "name", "revision", "made_at", "public_key", "size", "pages")
SIGNATURE = b"signature "


class PackFileError(Exception):
    """A pack file that cannot be read, trusted or installed; the message says why."""


@dataclass(frozen=True)
class PackFile:
    header: dict
    database: bytes

    @property
    def name(self) -> str:
        return self.header["name"]

    @property
    def pack_id(self) -> str:
        return pack_id_for(self.name)

    @property
    def revision(self) -> str:
        return self.header["revision"]

    @property
    def made_at(self) -> str:
        return self.header["made_at"]

    @property
    def pages(self) -> list[dict]:
        return self.header["pages"]


@dataclass
class Changes:
    """What a pack file changes against the installed pack, by page title."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    replaced: str = ""  # the revision installed before ("" if none)

    def lines(self) -> list[str]:
        return ([f"added: {t}" for t in self.added] + [f"changed: {t}" for t in self.changed]
                + [f"removed: {t}" for t in self.removed])

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.removed)} removed")


def packs_sync_dir(data_dir: Path) -> Path:
    """Where pack files travel between the laptops: the sync folder Syncthing shares."""
    return Path(data_dir) / "sync" / "packs"


def now_utc() -> str:
    """Now, to the millisecond: two exports a second apart are still in order."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def encode(database: bytes, name: str, key: Ed25519PrivateKey, made_at: str,
           pages: list[dict], revision: str) -> bytes:
    header = {"format": FORMAT, "name": name, "revision": revision, "made_at": made_at,
              "public_key": public_hex(key), "size": len(database), "pages": pages}
    body = MAGIC + canonical(header) + b"\n" + database + b"\n"
    return body + SIGNATURE + key.sign(body).hex().encode() + b"\n"


def decode(raw: bytes) -> PackFile:
    """A pack file read strictly, its signature checked against the key its header names (not
    yet against the keys this laptop trusts). Raises PackFileError with the reason."""
    if not raw.startswith(MAGIC):
        raise PackFileError("it is not a Binder pack file (its first line is wrong)")
    end = raw.find(b"\n", len(MAGIC))
    if end < 0:
        raise PackFileError("it is cut short (its header is not whole)")
    header = _header(raw[len(MAGIC):end])
    body_end = end + 1 + header["size"] + 1
    if len(raw) < body_end + len(SIGNATURE) + 129:
        raise PackFileError("it is cut short (it does not end with its signature)")
    last = raw[body_end:]
    if (len(raw) != body_end + len(SIGNATURE) + 129 or raw[body_end - 1:body_end] != b"\n"
            or not last.startswith(SIGNATURE) or not last.endswith(b"\n")):
        raise PackFileError("it is damaged (its signature is not where its header says)")
    try:
        signature = bytes.fromhex(last[len(SIGNATURE):-1].decode("ascii"))
    except ValueError:
        raise PackFileError("its signature is damaged") from None
    if not verify(header["public_key"], signature, raw[:body_end]):
        raise PackFileError("its signature does not match its contents: it was changed after "
                            "it was signed, or signed by another key")
    return PackFile(header, raw[end + 1:body_end - 1])


def _header(line: bytes) -> dict:
    try:
        header = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PackFileError("its header cannot be read") from None
    if not isinstance(header, dict) or set(header) != set(HEADER_FIELDS):
        raise PackFileError("its header does not have the fields of a pack file")
    if header["format"] != FORMAT:
        raise PackFileError(f"it is in format {header['format']!r}, which this Binder cannot read")
    checks = {
        "name": lambda v: isinstance(v, str) and v.strip(),
        "revision": lambda v: isinstance(v, str) and v,
        "made_at": lambda v: isinstance(v, str) and _time(v) is not None,
        "public_key": lambda v: isinstance(v, str) and HEX64.fullmatch(v),
        "size": lambda v: type(v) is int and v > 0,
        "pages": lambda v: isinstance(v, list) and all(
            isinstance(p, dict) and set(p) == {"id", "title", "digest"}
            and all(isinstance(x, str) for x in p.values()) for p in v),
    }
    for name, check in checks.items():
        if not check(header[name]):
            raise PackFileError(f"its header's {name} is not valid")
    if canonical(header) != line:
        raise PackFileError("it is not written in the one way Binder writes pack files")
    return header


def _time(text: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else None


def export_pack(data_dir: Path, wanted: str, key_path: Path, out: Path,
                made_at: str | None = None) -> PackFile:
    """Sign the installed pack `wanted` (its id or name) into one pack file at `out`. The copy
    signed carries the time it was made and the key in its meta table."""
    from binder.sync.keys import agency_key

    info = _installed(data_dir, wanted)
    key = agency_key(Path(key_path))
    made_at = made_at or now_utc()
    memory = sqlite3.connect(":memory:")
    try:
        memory.deserialize(info.path.read_bytes())
        with memory:
            memory.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                               [("pack_made_at", made_at), ("pack_signed_by", public_hex(key))])
        database = memory.serialize()
        revision = memory.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]
    except (OSError, sqlite3.Error) as exc:
        raise PackFileError(f"the pack '{wanted}' cannot be read ({exc})") from None
    finally:
        memory.close()
    pages = page_digests(database)
    raw = encode(database, info.name, key, made_at, pages, revision)
    try:
        write_file(Path(out), raw)
    except OSError as exc:
        raise PackFileError(f"{out} cannot be written ({exc.strerror})") from None
    return decode(raw)


def _installed(data_dir: Path, wanted: str):
    from binder.content.packs import list_packs

    for info in list_packs(data_dir):
        if wanted in (info.pack_id, info.name):
            if info.problem:
                raise PackFileError(f"the pack '{wanted}' cannot be read: {info.problem}")
            return info
    raise PackFileError(f"there is no pack '{wanted}' on this laptop ('binder pack list')")


def read_pack_file(path: Path, trusted: set[str]) -> PackFile:
    """A pack file read, its signature checked and its key one this laptop trusts."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PackFileError(f"it cannot be read ({exc.strerror})") from None
    pack = decode(raw)
    key = pack.header["public_key"]
    if key not in trusted:
        raise PackFileError(f"it is signed by agency key {key[:16]}…, which this laptop does "
                            "not trust ('binder agency trust KEY.pub' trusts an agency's key)")
    return pack


@dataclass(frozen=True)
class Installed:
    """A pack on this laptop: its revision, when it was signed or added, and its pages."""

    name: str
    revision: str
    at: str  # when it was signed (a pack file) or added (a folder)
    pages: list[dict]
    signed_by: str = ""  # the agency key that signed it ("" for a folder added here)


def installed(data_dir: Path, pack_id: str) -> Installed | None:
    path = pack_path(data_dir, pack_id)
    if not path.is_file():
        return None
    info = pack_info(path)
    if info.problem:
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        conn.close()
        pages = page_digests(path.read_bytes())
    except (OSError, sqlite3.Error):
        return None
    return Installed(info.name, meta.get("revision", ""),
                     meta.get("pack_made_at") or info.added, pages, meta.get("pack_signed_by", ""))


def changes(old: list[dict], new: list[dict], replaced: str = "") -> Changes:
    before = {p["id"]: p for p in old}
    after = {p["id"]: p for p in new}
    return Changes(
        added=[p["title"] for i, p in after.items() if i not in before],
        changed=[p["title"] for i, p in after.items()
                 if i in before and before[i]["digest"] != p["digest"]],
        removed=[p["title"] for i, p in before.items() if i not in after], replaced=replaced)


def is_newer(pack: PackFile, have: Installed | None) -> bool:
    """A different revision made after the installed pack was signed (or added)."""
    if have is None:
        return True
    if have.revision == pack.revision:
        return False
    before = _time(have.at)
    return before is None or _time(pack.made_at) > before


def install(data_dir: Path, pack: PackFile, force: bool = False) -> Changes:
    """Put the pack file's database in place of the installed pack (if any), after checking it
    like any pack; refused as a downgrade unless `force`. Temp file, check, rename: an
    interrupted install leaves the old pack."""
    try:
        target = pack_path(data_dir, pack.pack_id)
    except PackError as exc:
        raise PackFileError(str(exc)) from None
    have = installed(data_dir, pack.pack_id)
    if have is not None and have.revision == pack.revision and not force:
        raise PackFileError(f"revision {pack.revision} of '{pack.name}' is already installed")
    key = pack.header["public_key"]
    if not force and have is not None and have.signed_by not in ("", key):
        raise PackFileError(f"it is signed by agency key {key[:16]}…, and the installed pack by "
                            f"{have.signed_by[:16]}…: refused (--force installs it anyway)")
    if not force and not is_newer(pack, have):
        raise PackFileError(f"it is revision {pack.revision} made {pack.made_at}, older than "
                            f"the installed revision {have.revision} ({have.at}): refused as "
                            "a downgrade (--force installs it anyway)")
    temp = target.with_name(f".{target.name}.incoming")
    try:
        write_file(temp, pack.database)
        problem = pack_problem(temp, pack.name, pack.revision, pack.pages)
        if problem:
            raise PackFileError(f"the pack inside it cannot be used: {problem}")
        os.replace(temp, target)
    except OSError as exc:
        raise PackFileError(f"{target} cannot be written ({exc.strerror})") from None
    finally:
        temp.unlink(missing_ok=True)
    return changes(have.pages if have else [], pack.pages, have.revision if have else "")


def add_pack_file(data_dir: Path, path: Path, force: bool = False) -> tuple[PackFile, Changes]:
    """`binder pack add FILE`: read, check against the trusted keys, install."""
    pack = read_pack_file(path, trusted_agency_keys(data_dir))
    return pack, install(data_dir, pack, force)


@dataclass(frozen=True)
class Update:
    path: Path
    pack: PackFile
    changes: Changes


def find_updates(data_dir: Path, folders: list[Path] | None = None,
                 refused: list[tuple[Path, str]] | None = None) -> list[Update]:
    """Pack files in the sync folder (or `folders`) that are a newer revision of an installed
    pack, signed by a trusted key; the newest per pack. Files that fail are skipped (and put in
    `refused` with the reason, if it is given)."""
    trusted = trusted_agency_keys(data_dir)
    best: dict[str, Update] = {}
    for folder in folders or [packs_sync_dir(data_dir)]:
        for path in sorted(Path(folder).glob(f"*{SUFFIX}")) if Path(folder).is_dir() else []:
            try:
                pack = read_pack_file(path, trusted)
                have = installed(data_dir, pack.pack_id)
            except (PackFileError, PackError) as exc:
                if refused is not None:
                    refused.append((path, str(exc)))
                continue
            if have is None or not is_newer(pack, have):
                continue
            if have.signed_by not in ("", pack.header["public_key"]):
                if refused is not None:
                    refused.append((path, "signed by another agency key than the installed "
                                    "pack"))
                continue
            current = best.get(pack.pack_id)
            if current is None or _time(pack.made_at) > _time(current.pack.made_at):
                best[pack.pack_id] = Update(path, pack,
                                            changes(have.pages, pack.pages, have.revision))
    return [best[key] for key in sorted(best)]


def publish(data_dir: Path, path: Path, trusted: set[str] | None = None) -> Path:
    """Put a pack file (checked: signed by a trusted key, by default one this laptop trusts) in
    the sync folder for every laptop."""
    pack = read_pack_file(path, trusted_agency_keys(data_dir) if trusted is None else trusted)
    raw = Path(path).read_bytes()
    target = packs_sync_dir(data_dir) / file_name(pack)
    try:
        write_file(target, raw)
    except OSError as exc:
        raise PackFileError(f"{target} cannot be written ({exc.strerror})") from None
    return target


def file_name(pack: PackFile) -> str:
    return f"{pack.pack_id}-{pack.made_at.replace(':', '')}-{pack.revision}{SUFFIX}"


def copy_files(source: Path, target: Path, trusted: set[str]) -> int:
    """Pack files signed by a trusted key copied from one folder to another (a stick and the
    sync folder); returns how many were new there."""
    count = 0
    for path in sorted(Path(source).glob(f"*{SUFFIX}")) if Path(source).is_dir() else []:
        try:
            pack = read_pack_file(path, trusted)
            out = Path(target) / file_name(pack)
            if out.is_file() and out.read_bytes() == path.read_bytes():
                continue
            write_file(out, path.read_bytes())
            count += 1
        except (PackFileError, OSError):
            continue
    return count


def update_note(pack: PackFile, changes: Changes) -> dict:
    """The note an applied pack update leaves in an open incident: its words and its facts."""
    text = (f"Agency content update applied: {pack.name} revision {pack.revision} (signed "
            f"{pack.made_at}, replacing {changes.replaced or 'no earlier revision'}): "
            f"{changes.summary()}")
    return {"text": text, "pack_update": {
        "name": pack.name, "revision": pack.revision, "made_at": pack.made_at,
        "signed_by": pack.header["public_key"], "replaced": changes.replaced,
        "added": changes.added, "changed": changes.changed, "removed": changes.removed}}


def record_update(journal, pack: PackFile, changes: Changes) -> int:
    """A note of the update in every open incident of this journal (the ICS 214 shows it);
    returns how many incidents got one."""
    from binder.journal.incidents import incidents_from
    from binder.journal.journal import INCIDENT_KINDS

    note = update_note(pack, changes)
    open_ids = [i.id for i in incidents_from(journal.events(kinds=INCIDENT_KINDS)) if i.is_open]
    for incident_id in open_ids:
        journal.append("note", incident_id, data=note)
    return len(open_ids)
