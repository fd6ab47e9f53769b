"""Laptops for the sync tests: each a data folder in tmp_path with its own journal and key."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from binder.journal.journal import Journal, Operator
from binder.sync.engine import Sync
from binder.sync.keys import new_agency_key, trust_agency
from binder.sync.roster import make_roster

STEP = dict(doc_id="active-assailant", step_id="s1", step_text="Establish command")


@dataclass
class Laptop:
    data: Path
    journal: Journal
    sync: Sync

    @property
    def device(self) -> str:
        return self.journal.device_id

    def segments(self) -> list[Path]:
        return sorted((self.data / "sync" / "segments").rglob("*.seg"))

    def reopen(self) -> Laptop:
        self.journal.close()
        journal = Journal(self.data / "journal.db")
        return Laptop(self.data, journal, Sync(self.data, journal))


def make_laptop(root: Path, name: str, position: str) -> Laptop:
    data = root / name
    journal = Journal(data / "journal.db")
    journal.set_operator(Operator(f"{name.title()} Lee", position))
    journal.set_setting("device_name", f"{name}-laptop")
    return Laptop(data, journal, Sync(data, journal))


def put_on_roster(root: Path, laptops: list[Laptop]) -> None:
    """The planner's work before any incident: an agency key, every laptop's card on a signed
    roster, every laptop trusting the agency key and holding the roster."""
    key = root / "agency.key"
    if not key.exists():
        new_agency_key(key)
    out = root / "roster.json"
    make_roster(key, [laptop.sync.card() for laptop in laptops], out)
    for laptop in laptops:
        trust_agency(laptop.data, Path(f"{key}.pub"))
        laptop.sync.put_roster(out)


def carry(source: Laptop, target: Laptop) -> None:
    """What Syncthing does: every segment file of the source's sync folder copied to the
    target's, as is (written whole: temp and rename)."""
    src = source.data / "sync" / "segments"
    for path in src.rglob("*.seg"):
        dest = target.data / "sync" / "segments" / path.relative_to(src)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest.with_name(f".{dest.name}.tmp"))
            dest.with_name(f".{dest.name}.tmp").rename(dest)


@pytest.fixture
def ann(tmp_path):
    return make_laptop(tmp_path, "ann", "IC")


@pytest.fixture
def bob(tmp_path):
    return make_laptop(tmp_path, "bob", "Operations")


@pytest.fixture
def pair(tmp_path, ann, bob):
    put_on_roster(tmp_path, [ann, bob])
    return ann, bob
