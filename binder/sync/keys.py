"""This laptop's signing key, agency keys and the agency keys this laptop trusts, and its card.

Keys are Ed25519 (cryptography). A private key is a small JSON file, mode 0600, under
`<data>/keys/`, never in the sync folder. Public keys are written as 64 hex characters.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from binder.sync.segment import DEVICE, HEX64, write_file

RAW = dict(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)


class KeyFileError(Exception):
    """A key file that cannot be read or written; the message says which and why."""


@dataclass(frozen=True)
class Card:
    """What a planner collects from each laptop to put it on the agency roster."""

    device: str
    public_key: str
    name: str
    position: str
    syncthing: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def keys_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "keys"


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(**RAW).hex()


def private_raw(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def _read_json(path: Path, what: str) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KeyFileError(f"{path}: the {what} cannot be read ({exc.strerror})") from None
    except ValueError:
        raise KeyFileError(f"{path}: this is not a Binder {what}") from None
    if not isinstance(value, dict):
        raise KeyFileError(f"{path}: this is not a Binder {what}")
    return value


def _private_from(value: dict, field: str, path: Path, what: str) -> Ed25519PrivateKey:
    try:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(value[field]))
    except (KeyError, TypeError, ValueError):
        raise KeyFileError(f"{path}: this is not a Binder {what}") from None


def device_key(data_dir: Path, device_id: str) -> Ed25519PrivateKey:
    """This laptop's key, made at first use and bound to the journal's device id. A key made for
    another device id (a new journal) is kept aside and a new one made."""
    path = keys_dir(data_dir) / "device.key"
    if path.exists():
        value = _read_json(path, "laptop key")
        key = _private_from(value, "private_key", path, "laptop key")
        if value.get("device") == device_id:
            return key
        path.rename(path.with_name(f"device-{value.get('device', 'unknown')}.key"))
    key = Ed25519PrivateKey.generate()
    raw = json.dumps({"device": device_id, "private_key": private_raw(key).hex()}) + "\n"
    try:
        write_file(path, raw.encode(), mode=0o600)
    except OSError as exc:
        raise KeyFileError(f"{path}: this laptop's key cannot be written ({exc.strerror})"
                           ) from None
    return key


def new_agency_key(path: Path) -> str:
    """A new agency signing key written to `path` (private, 0600) and its public key beside it
    (`path` + '.pub'); returns the public key."""
    key = Ed25519PrivateKey.generate()
    public = public_hex(key)
    try:
        write_file(path, (json.dumps({"agency_private_key": private_raw(key).hex()}) + "\n")
                   .encode(), mode=0o600)
        write_file(path.with_name(path.name + ".pub"), (public + "\n").encode())
    except OSError as exc:
        raise KeyFileError(f"{path}: the agency key cannot be written ({exc.strerror})") from None
    return public


def agency_key(path: Path) -> Ed25519PrivateKey:
    return _private_from(_read_json(path, "agency key"), "agency_private_key", path, "agency key")


def read_public(path: Path) -> str:
    """An agency public key file: 64 hex characters (the `.pub` new_agency_key writes)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"{path}: the public key cannot be read ({exc})") from None
    if not HEX64.fullmatch(text):
        raise KeyFileError(f"{path}: this is not an agency public key (64 hex characters)")
    return text


def trust_agency(data_dir: Path, public_file: Path) -> str:
    """Trust an agency's public key on this laptop: copied into `<data>/keys/agency/`."""
    public = read_public(Path(public_file))
    try:
        write_file(keys_dir(data_dir) / "agency" / f"{public[:16]}.pub", (public + "\n").encode())
    except OSError as exc:
        raise KeyFileError(f"{keys_dir(data_dir)}: the key cannot be kept ({exc.strerror})"
                           ) from None
    return public


def trusted_agency_keys(data_dir: Path) -> set[str]:
    folder = keys_dir(data_dir) / "agency"
    found = set()
    for path in sorted(folder.glob("*.pub")) if folder.is_dir() else []:
        try:
            found.add(read_public(path))
        except KeyFileError:
            continue
    return found


def verify(public: str, signature: bytes, body: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(signature, body)
    except Exception:  # InvalidSignature, or a key that is not one
        return False
    return True


def laptop_name() -> str:
    return platform.node() or "laptop"


def read_card(path: Path) -> Card:
    value = _read_json(Path(path), "laptop card")
    try:
        card = Card(value["device"], value["public_key"], value.get("name", ""),
                    value.get("position", ""), value.get("syncthing", ""))
    except (KeyError, TypeError):
        raise KeyFileError(f"{path}: this is not a Binder laptop card") from None
    if not (isinstance(card.device, str) and DEVICE.fullmatch(card.device)
            and isinstance(card.public_key, str) and HEX64.fullmatch(card.public_key)
            and all(isinstance(v, str) for v in (card.name, card.position, card.syncthing))):
        raise KeyFileError(f"{path}: this laptop card is damaged")
    return card
