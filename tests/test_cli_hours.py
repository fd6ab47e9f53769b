"""`binder hours`: the CSV finance builds the claim from, read back and checked by hand."""

import csv
import datetime as dt
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from binder.journal.checkins import check_in, check_out
from binder.journal.journal import Journal, Operator, verify_chain
from binder.paper.hours import CSV_FIELDS
from tests.conftest import REPO

NY = ZoneInfo("America/New_York")


def iso(*parts) -> str:
    return dt.datetime(*parts, tzinfo=NY).astimezone(dt.UTC).isoformat(timespec="milliseconds")


def binder(*args, zone="America/New_York"):
    env = dict(os.environ, TZ=zone, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "binder", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120, env=env)


@pytest.fixture
def data(tmp_path):
    data = tmp_path / "data"
    journal = Journal(data / "journal.db")
    journal.set_operator(Operator("Ann Lee", "Finance/Administration Section Chief", "PD"))
    incident = journal.start_incident("Mall shooting", content_revision="rev-42").incident_id
    carl = check_in(journal, incident, {"name": "Carl Diaz", "agency": "County Fire",
                                        "position": "Safety Officer", "order": "O-12"},
                    iso(2024, 11, 2, 22, 0))
    check_out(journal, incident, carl.id, iso(2024, 11, 3, 6, 0))
    dana = check_in(journal, incident, {"name": "=Dana Park", "agency": "County Fire"},
                    iso(2024, 11, 3, 1, 30))  # 01:30 EDT, the first of the two
    check_out(journal, incident, dana.id, iso(2024, 11, 3, 3, 0))
    journal.close()
    return data


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_hours_over_the_night_the_clocks_go_back(data, tmp_path):
    out = tmp_path / "hours.csv"
    result = binder("--data-dir", str(data), "hours", "Mall shooting", "--from",
                    "2024-11-03T00:00", "--to", "2024-11-03T05:00", "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = read_csv(out)
    assert list(rows[0]) == list(CSV_FIELDS)
    by_row = [(r["row"], r["name"], r["hours"], r["hh_mm"]) for r in rows]
    # Carl: 00:00 EDT to 05:00 EST is 6 h; Dana: 01:30 EDT to 03:00 EST is 2.5 h
    assert by_row == [
        ("check-in", "Carl Diaz", "6.00", "6:00"), ("person", "Carl Diaz", "6.00", "6:00"),
        ("check-in", "'=Dana Park", "2.50", "2:30"), ("person", "'=Dana Park", "2.50", "2:30"),
        ("agency", "", "8.50", "8:30"), ("total", "", "8.50", "8:30")]
    carl = rows[0]
    assert (carl["checked_in"], carl["checked_out"]) == ("2024-11-03 00:00", "2024-11-03 05:00")
    assert carl["time_zone"] == "UTC-04:00 (EDT) / UTC-05:00 (EST)"
    assert (carl["period_from"], carl["period_to"]) == ("2024-11-03 00:00", "2024-11-03 05:00")
    assert carl["ics_position"] == "Safety Officer" and carl["order_request"] == "O-12"
    journal = Journal(data / "journal.db")
    head = verify_chain(journal, journal.incident_ids()[0]).head
    journal.close()
    assert {(r["content_revision"], r["chain_head"], r["chain_intact"]) for r in rows} == {
        ("rev-42", head, "yes")}
    assert "8.50 hours" in result.stdout


def test_the_whole_incident_is_the_default_period(data, tmp_path):
    out = tmp_path / "hours.csv"
    result = binder("--data-dir", str(data), "hours", "Mall shooting", "-o", str(out),
                    zone="UTC")
    assert result.returncode == 0, result.stderr
    rows = read_csv(out)
    total = rows[-1]
    assert total["row"] == "total" and total["hours"] == "11.50"  # 9 h + 2.5 h
    assert rows[0]["checked_in"] == "2024-11-03 02:00" and rows[0]["time_zone"] == "UTC+00:00 (UTC)"


@pytest.mark.parametrize("args, words", [
    (["--from", "2024-13-01"], "'2024-13-01' is not a date and time"),
    (["--from", "2024-11-03T05:00", "--to", "2024-11-03T04:00"], "ends before it starts"),
])
def test_a_bad_period_is_a_message_not_a_traceback(data, tmp_path, args, words):
    out = tmp_path / "hours.csv"
    result = binder("--data-dir", str(data), "hours", "Mall shooting", *args, "-o", str(out))
    assert result.returncode in (1, 2)
    assert words in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
