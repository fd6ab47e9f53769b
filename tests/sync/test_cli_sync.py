"""`binder device`, `binder agency` and `binder sync` as a planner and a command post use them."""

from __future__ import annotations

import subprocess
import sys

from binder.journal.journal import Journal, Operator
from tests.conftest import REPO


def binder(*args):
    result = subprocess.run([sys.executable, "-m", "binder", *map(str, args)],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert "Traceback" not in result.stderr
    return result


def test_a_planner_rosters_two_laptops_and_a_stick_carries_an_incident(tmp_path):
    ann, bob, stick = tmp_path / "ann", tmp_path / "bob", tmp_path / "stick"
    key = tmp_path / "agency.key"
    made = binder("agency", "new-key", "-o", key)
    assert made.returncode == 0 and (tmp_path / "agency.key.pub").read_text().strip() in made.stdout
    for data, name, position in ((ann, "IC laptop", "IC"), (bob, "Ops laptop", "Operations")):
        card = binder("--data-dir", data, "device", "--name", name, "--position", position,
                      "--card", "-o", data.with_suffix(".card"))
        assert card.returncode == 0 and f"name {name}" in card.stdout
    assert '"syncthing": ""' in ann.with_suffix(".card").read_text()
    named = binder("--data-dir", bob, "device", "--syncthing", "ABCDEFG-1234567")
    assert "syncthing ABCDEFG-1234567" in named.stdout
    assert binder("--data-dir", bob, "device", "--card", "-o", bob.with_suffix(".card")
                  ).returncode == 0
    signed = binder("agency", "roster", "--key", key, ann.with_suffix(".card"),
                    bob.with_suffix(".card"), "-o", tmp_path / "roster.json")
    assert "roster of 2 laptops signed" in signed.stdout
    assert "ABCDEFG-1234567" in (tmp_path / "roster.json").read_text()
    refused = binder("--data-dir", bob, "sync", "roster", tmp_path / "roster.json")
    assert refused.returncode == 1 and "does not trust" in refused.stderr
    for data in (ann, bob):
        assert binder("--data-dir", data, "agency", "trust", f"{key}.pub").returncode == 0
        assert binder("--data-dir", data, "sync", "roster", tmp_path / "roster.json"
                      ).returncode == 0
    journal = Journal(ann / "journal.db")
    journal.set_operator(Operator("Ann Lee", "IC"))
    incident = journal.start_incident("School").incident_id
    journal.add_note(incident, "Perimeter on Elm Street")
    journal.close()
    assert binder("--data-dir", ann, "sync", "export").stdout.startswith("1 segment written")
    copied = binder("--data-dir", ann, "sync", "export-stick", stick)
    assert copied.stdout.startswith("1 segment copied")
    imported = binder("--data-dir", bob, "sync", "import-stick", stick)
    assert imported.returncode == 0
    assert imported.stdout.splitlines()[0] == "imported 1 segment (2 new entries)"
    status = binder("--data-dir", bob, "sync", "status", "School")
    assert "IC laptop, IC; last segment 20" in status.stdout
    assert [e.data.get("text") for e in Journal(bob / "journal.db").events(incident)] == [
        None, "Perimeter on Elm Street"]


def test_bad_files_and_folders_are_messages_not_tracebacks(tmp_path):
    (tmp_path / "card").write_text("{not json")
    assert binder("--data-dir", tmp_path / "d", "sync", "import", tmp_path / "none"
                  ).stderr.strip().endswith("is not a folder: nothing was imported")
    result = binder("agency", "roster", "--key", tmp_path / "card", tmp_path / "card", "-o",
                    tmp_path / "r.json")
    assert result.returncode == 1 and "this is not a Binder laptop card" in result.stderr
    result = binder("--data-dir", tmp_path / "d", "sync", "import-stick", tmp_path)
    assert result.returncode == 1 and "holds no Binder sync folder" in result.stderr
