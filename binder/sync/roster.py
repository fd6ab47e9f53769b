"""Which laptops belong to an incident: the agency's signed roster, the laptops let in during the
incident ("roster" events), and this laptop itself."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from binder.journal.journal import Event, Journal
from binder.sync.keys import Card, KeyFileError, agency_key, public_hex, verify
from binder.sync.segment import canonical, write_file

ROSTER_FORMAT = "binder-roster 1"


class RosterError(Exception):
    """A roster file that cannot be read or is not signed by a trusted agency key."""


@dataclass(frozen=True)
class Member:
    device: str
    public_key: str
    name: str
    position: str
    source: str  # "agency", "admitted" or "this laptop"


def roster_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "sync" / "roster"


def make_roster(key_file: Path, cards: list[Card], out: Path) -> int:
    """The agency roster of `cards`, signed with the agency key in `key_file`, written to `out`."""
    key = agency_key(Path(key_file))
    laptops = sorted((card.as_dict() for card in cards), key=lambda card: card["device"])
    body = {"format": ROSTER_FORMAT, "agency_key": public_hex(key), "laptops": laptops}
    signature = key.sign(canonical(body)).hex()
    try:
        write_file(Path(out), canonical({**body, "signature": signature}) + b"\n")
    except OSError as exc:
        raise KeyFileError(f"{out}: the roster cannot be written ({exc.strerror})") from None
    return len(laptops)


def read_roster(path: Path, trusted: set[str]) -> list[Card]:
    """The laptops of a roster file, if it is signed by an agency key in `trusted`."""
    try:
        value = json.loads(Path(path).read_bytes().decode("utf-8"))
        body = {name: value[name] for name in ("format", "agency_key", "laptops")}
        signature = bytes.fromhex(value["signature"])
        cards = [Card(**laptop) for laptop in value["laptops"]]
    except OSError as exc:
        raise RosterError(f"{path}: the roster cannot be read ({exc.strerror})") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise RosterError(f"{path}: this is not a roster written by Binder") from None
    if body["format"] != ROSTER_FORMAT:
        raise RosterError(f"{path}: this roster is in a format this Binder cannot read")
    if body["agency_key"] not in trusted:
        raise RosterError(f"{path}: this roster is signed by an agency key this laptop does not "
                          "trust ('binder agency trust' adds one)")
    if not verify(body["agency_key"], signature, canonical(body)):
        raise RosterError(f"{path}: the roster was changed after the agency signed it")
    return cards


def agency_members(data_dir: Path, trusted: set[str], folder: Path | None = None
                   ) -> tuple[dict[str, Member], list[str]]:
    """Every laptop on a trusted roster in the roster folder, and why any roster file was not
    taken."""
    members, problems = {}, []
    folder = folder or roster_dir(data_dir)
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            cards = read_roster(path, trusted)
        except RosterError as exc:
            problems.append(str(exc))
            continue
        for card in cards:
            members[card.device] = Member(card.device, card.public_key, card.name,
                                          card.position, "agency")
    return members, problems


def admitted(journal: Journal, incident_id: str) -> dict[str, Member]:
    """The laptops let into an incident by "roster" events (each written by a laptop that was
    already on it: a segment is imported only from a laptop on the roster)."""
    members = {}
    for event in journal.events(incident_id, kinds=("roster",)):
        data = event.data
        if isinstance(data.get("device"), str) and isinstance(data.get("public_key"), str):
            members[data["device"]] = Member(data["device"], data["public_key"],
                                             str(data.get("name", "")),
                                             str(data.get("position", "")), "admitted")
    return members


def admit(journal: Journal, incident_id: str, card: Card) -> Event:
    """Let a laptop into an incident: a roster event, which travels with this laptop's others."""
    return journal.append("roster", incident_id, data={
        "device": card.device, "public_key": card.public_key, "name": card.name,
        "position": card.position})


def put_roster(data_dir: Path, path: Path, trusted: set[str]) -> int:
    """A roster file, checked, put in the sync folder's roster folder (where it travels); named
    by its agency and contents, so that no roster replaces another. Returns its laptop count."""
    import hashlib

    cards = read_roster(path, trusted)
    raw = Path(path).read_bytes()
    agency = json.loads(raw)["agency_key"]
    name = f"{agency[:16]}-{hashlib.sha256(raw).hexdigest()[:12]}.json"
    write_file(roster_dir(data_dir) / name, raw)
    return len(cards)
