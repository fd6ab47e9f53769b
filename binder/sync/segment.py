"""The segment file: a laptop's new events of one incident, signed, written once, read strictly.

    binder-segment 1
    {header: canonical JSON}
    {one event per line: canonical JSON of Event.row()}
    signature <Ed25519 signature, hex, over every byte above this line>

The same header and events always make the same bytes (nothing of the moment of writing is in
them), so a segment lost between being stored and being written is written again identically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from binder.journal.journal import EVENT_FIELDS, EVENT_KINDS
from binder.sync.quiet import breathe

MAGIC = b"binder-segment 1\n"
FORMAT = 1
HEADER_FIELDS = ("format", "incident_id", "device", "number", "previous", "public_key", "name",
                 "position", "events")
ROW_FIELDS = (*EVENT_FIELDS, "prev_hash", "hash")
DEVICE = re.compile(r"[0-9a-f]{16}")
INCIDENT = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,63}")
HEX64 = re.compile(r"[0-9a-f]{64}")
NAME = re.compile(r"(\d{1,9})\.seg")


class SegmentError(Exception):
    """A segment that cannot be read or trusted; the message says why, for a person."""


@dataclass(frozen=True)
class Segment:
    header: dict
    events: list[dict]
    raw: bytes  # the whole file
    hash: str  # SHA-256 of the whole file, hex

    @property
    def key(self) -> tuple[str, str, int]:
        return self.header["incident_id"], self.header["device"], self.header["number"]

    def stored(self) -> dict:
        """What Journal.insert_foreign / store_segment keep."""
        incident_id, device, number = self.key
        return {"incident_id": incident_id, "device": device, "number": number,
                "hash": self.hash, "bytes": self.raw}


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def file_name(number: int) -> str:
    return f"{number:06d}.seg"


def relative_path(incident_id: str, device: str, number: int) -> Path:
    return Path(incident_id) / device / file_name(number)


def canonical_lines(events) -> bytes:
    lines = []
    for count, event in enumerate(events):
        lines.append(canonical(event) + b"\n")
        breathe(count)
    return b"".join(lines)


def encode(header: dict, events: list[dict], private_key: Ed25519PrivateKey) -> bytes:
    """The segment's bytes: header and events as canonical JSON lines, then the signature."""
    header = {**header, "format": FORMAT, "events": len(events)}
    body = MAGIC + canonical(header) + b"\n" + canonical_lines(events)
    return body + b"signature " + private_key.sign(body).hex().encode() + b"\n"


def decode(raw: bytes) -> Segment:
    """A segment read strictly and its signature checked against the key its header names.
    Raises SegmentError with the reason."""
    if not raw.startswith(MAGIC):
        raise SegmentError("it is not a Binder segment (its first line is wrong)")
    if not raw.endswith(b"\n"):
        raise SegmentError("it is cut short (it does not end with its signature)")
    cut = raw.rfind(b"\n", 0, len(raw) - 1) + 1
    body, last = raw[:cut], raw[cut:-1]
    if not last.startswith(b"signature ") or len(last) != len(b"signature ") + 128:
        raise SegmentError("it is cut short or damaged (its last line is not a signature)")
    try:
        signature = bytes.fromhex(last[len(b"signature "):].decode("ascii"))
    except ValueError:
        raise SegmentError("its signature is damaged") from None
    lines = body[len(MAGIC):].split(b"\n")[:-1]
    if not lines:
        raise SegmentError("it has no header")
    header = _header(lines[0])
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(header["public_key"])).verify(
            signature, body)
    except (InvalidSignature, ValueError):
        raise SegmentError("its signature does not match its contents: it was changed after "
                           "it was signed, or signed by another key") from None
    events = []
    for number, line in enumerate(lines[1:], start=1):
        events.append(_event(line, number))
        breathe(number)
    if len(events) != header["events"]:
        raise SegmentError(f"it should hold {header['events']} entries and holds {len(events)}")
    try:
        written_once = canonical(header) == lines[0] and canonical_lines(events) == b"".join(
            line + b"\n" for line in lines[1:])
    except UnicodeEncodeError:  # JSON can spell a lone surrogate; no journal can hold one
        raise SegmentError("it holds text that is not valid Unicode") from None
    if not written_once:
        raise SegmentError("it is not written in the one way Binder writes segments")
    return Segment(header, events, raw, hashlib.sha256(raw).hexdigest())


def _json(line: bytes, what: str) -> dict:
    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SegmentError(f"its {what} cannot be read") from None
    if not isinstance(value, dict):
        raise SegmentError(f"its {what} cannot be read")
    return value


def _header(line: bytes) -> dict:
    header = _json(line, "header")
    if set(header) != set(HEADER_FIELDS):
        raise SegmentError("its header does not have the fields of a segment")
    if header["format"] != FORMAT:
        raise SegmentError(f"it is in format {header['format']!r}, which this Binder cannot read")
    checks = {
        "incident_id": lambda v: isinstance(v, str) and INCIDENT.fullmatch(v),
        "device": lambda v: isinstance(v, str) and DEVICE.fullmatch(v),
        "number": lambda v: type(v) is int and v >= 1,
        "previous": lambda v: v == "" or (isinstance(v, str) and HEX64.fullmatch(v)),
        "public_key": lambda v: isinstance(v, str) and HEX64.fullmatch(v),
        "name": lambda v: isinstance(v, str),
        "position": lambda v: isinstance(v, str),
        "events": lambda v: type(v) is int and v >= 1,
    }
    for name, check in checks.items():
        if not check(header[name]):
            raise SegmentError(f"its header's {name} is not valid")
    return header


def _event(line: bytes, number: int) -> dict:
    event = _json(line, f"entry {number}")
    if set(event) != set(ROW_FIELDS):
        raise SegmentError(f"its entry {number} does not have the fields of an entry")
    for name in ROW_FIELDS:
        wanted = dict if name == "data" else str
        if not isinstance(event[name], wanted):
            raise SegmentError(f"its entry {number} has a {name} of the wrong type")
    if event["kind"] not in EVENT_KINDS:
        raise SegmentError(f"its entry {number} is of an unknown kind")
    return event


def write_file(path: Path, raw: bytes, mode: int = 0o644) -> None:
    """Write a file whole or not at all: a temp file beside it, fsync, rename, fsync the folder.
    A temp file left by a crash starts with '.' and ends in '.tmp': readers skip it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
