"""Each laptop's key and the agency's roster: made once, kept private, checked before use."""

from __future__ import annotations

import json
import stat

import pytest

from binder.sync.keys import (
    KeyFileError,
    device_key,
    new_agency_key,
    public_hex,
    read_card,
    trusted_agency_keys,
)
from binder.sync.roster import RosterError, make_roster, read_roster


def test_a_laptops_key_is_made_once_private_and_outside_the_sync_folder(tmp_path):
    key = device_key(tmp_path, "0123456789abcdef")
    path = tmp_path / "keys" / "device.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_hex(device_key(tmp_path, "0123456789abcdef")) == public_hex(key)
    assert not (tmp_path / "sync").exists()
    other = device_key(tmp_path, "fedcba9876543210")  # a new journal: a new key, the old kept
    assert public_hex(other) != public_hex(key)
    assert (tmp_path / "keys" / "device-0123456789abcdef.key").exists()


def test_a_damaged_key_file_is_a_message(tmp_path):
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "device.key").write_text("{\"device\": 1}")
    with pytest.raises(KeyFileError, match="this is not a Binder laptop key"):
        device_key(tmp_path, "0123456789abcdef")


def write_card(path, device, public):
    path.write_text(json.dumps({"device": device, "public_key": public, "name": "IC laptop",
                                "position": "IC"}))
    return read_card(path)


def test_a_roster_is_taken_only_if_signed_by_a_trusted_agency_key_and_unchanged(tmp_path):
    agency = tmp_path / "agency.key"
    public = new_agency_key(agency)
    assert stat.S_IMODE(agency.stat().st_mode) == 0o600
    card = write_card(tmp_path / "card", "0123456789abcdef", "ab" * 32)
    make_roster(agency, [card], tmp_path / "roster.json")
    assert read_roster(tmp_path / "roster.json", {public}) == [card]
    with pytest.raises(RosterError, match="does not trust"):
        read_roster(tmp_path / "roster.json", set())
    changed = json.loads((tmp_path / "roster.json").read_text())
    changed["laptops"][0]["public_key"] = "cd" * 32  # a laptop's key swapped on the roster
    (tmp_path / "roster.json").write_text(json.dumps(changed))
    with pytest.raises(RosterError, match="changed after the agency signed it"):
        read_roster(tmp_path / "roster.json", {public})
    (tmp_path / "roster.json").write_text("[1, 2]")
    with pytest.raises(RosterError, match="not a roster written by Binder"):
        read_roster(tmp_path / "roster.json", {public})


def test_a_damaged_trusted_key_is_left_out(tmp_path):
    folder = tmp_path / "keys" / "agency"
    folder.mkdir(parents=True)
    (folder / "bad.pub").write_text("not a key")
    (folder / "good.pub").write_text("ab" * 32)
    assert trusted_agency_keys(tmp_path) == {"ab" * 32}
