"""The command line: build, search and --self-test, as a person runs them."""

import subprocess
import sys

from tests.conftest import REPO, write_pages


def binder(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "binder", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120, **kwargs)


def test_build_reports_pages_and_steps(tmp_path, content_dir):
    result = binder("build", str(content_dir), "-o", str(tmp_path / "out.db"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"built {tmp_path / 'out.db'}: 4 pages, 4 steps"


def test_bad_page_fails_the_build_naming_file_and_line_and_keeps_the_old_db(
        tmp_path, content_dir, content_db):
    before = content_db.read_bytes()
    write_pages(content_dir, {"response/broken.md": "---\ntitle: x\nkind: [\n---\n"})
    result = binder("build", str(content_dir), "-o", str(content_db))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("response/broken.md:3: front matter is not valid YAML")
    assert "was not changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert content_db.read_bytes() == before


def test_check_passes_the_shipped_content():
    result = binder("check", "content")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("binder check: ") and ", 0 errors" in result.stderr


def test_check_lists_every_problem_and_fails(content_dir):
    write_pages(content_dir, {"response/a.md": "no front matter\n",
                              "response/b.md": "---\ntitle: [\n---\n"})
    result = binder("check", str(content_dir))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "response/a.md:1: no front matter: the page must start with a '---' line",
        "response/b.md:2: front matter is not valid YAML: expected the node content, "
        "but found '<stream end>'",
    ]
    assert "2 errors" in result.stderr


def test_search_prints_ranked_hits_with_snippets(content_db):
    result = binder("--content-db", str(content_db), "search", "overtime")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == " 1. EFLEA  (Funding, eflea)"
    assert "[overtime]" in lines[1]


def test_search_says_when_the_hits_match_only_some_of_the_words(content_db):
    result = binder("--content-db", str(content_db), "search", "how", "do", "I", "claim",
                    "overtime", "for", "a", "zebra")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Matching some of your words:"
    assert lines[1] == " 1. EFLEA  (Funding, eflea)"


def test_search_prints_snippets_as_plain_text(content_db):
    result = binder("--content-db", str(content_db), "search", "agency")
    assert result.returncode == 0
    assert "[agency]'s medical direction" in result.stdout
    assert "&#x27;" not in result.stdout and "&amp;" not in result.stdout


def test_search_finds_the_agency_packs_as_the_window_does(tmp_path, content_db):
    from tests.content.test_importer import AGENCY_CHECKLIST

    page = AGENCY_CHECKLIST.replace("on the radio", "on the zebrafinch channel").replace(
        "- [ ] Read the [guide](../guides/shelter.md#rooms) first {#guide}\n", "")
    folder = write_pages(tmp_path / "County Sheriff", {"response/lockdown.md": page})
    data = tmp_path / "data"
    common = ("--data-dir", str(data), "--content-db", str(content_db))
    assert binder(*common, "pack", "add", str(folder)).returncode == 0
    result = binder(*common, "search", "zebrafinch")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == " 1. Lockdown  (Response, lockdown, County Sheriff)"
    tourniquet = binder(*common, "search", "tourniquet")
    assert "(Casualty care, tourniquet)" in tourniquet.stdout  # the shipped pages still found


def test_search_indexes_packs_once_when_their_index_is_missing(tmp_path, content_db):
    from binder.content.packs import add_pack
    from tests.content.test_importer import AGENCY_CHECKLIST

    page = AGENCY_CHECKLIST.replace("on the radio", "on the zebrafinch channel").replace(
        "- [ ] Read the [guide](../guides/shelter.md#rooms) first {#guide}\n", "")
    data = tmp_path / "data"
    add_pack(write_pages(tmp_path / "County", {"response/lockdown.md": page}), data, "County",
             known_ids=["tourniquet"])
    common = ("--data-dir", str(data), "--content-db", str(content_db))
    first = binder(*common, "search", "zebrafinch")
    assert first.stderr == "binder search: Indexing the agency packs once…\n"
    assert first.stdout.splitlines()[0] == " 1. Lockdown  (Response, lockdown, County)"
    second = binder(*common, "search", "zebrafinch")
    assert second.stderr == "" and second.stdout == first.stdout
    assert binder(*common, "pack", "remove", "County").returncode == 0
    assert list((data / "search").glob("*.db")) == []  # no packs: no index


def test_search_without_content_says_how_to_build_it(tmp_path):
    result = binder("--content-db", str(tmp_path / "none.db"), "search", "tq")
    assert result.returncode == 2
    assert "binder build" in result.stderr and "Traceback" not in result.stderr


def test_self_test_runs_the_window_and_prints_one_ok_line(content_db, tmp_path):
    result = binder("--content-db", str(content_db), "--self-test",
                    env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                         "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("binder self-test OK:")
    assert "ticked eflea/letter" in result.stdout or "ticked tourniquet/" in result.stdout
    assert "exported the ICS 214 and printed the binder (" in result.stdout
    assert result.stderr == ""
    assert not (tmp_path / ".local").exists()  # the user's real data folder is not touched


def test_self_test_fails_clearly_without_content(tmp_path):
    result = binder("--content-db", str(tmp_path / "none.db"), "--self-test")
    assert result.returncode == 1
    assert result.stderr.startswith("binder self-test FAILED: The binder's content was not found")


def test_installed_script_is_the_same_program():
    script = subprocess.run([str(REPO / ".venv" / "bin" / "binder"), "--version"],
                            capture_output=True, text=True)
    assert script.stdout == binder("--version").stdout == "binder 0.1.0\n"


def journal_with_incident(data):
    from binder.journal.journal import Journal, Operator

    journal = Journal(data / "journal.db")
    journal.set_operator(Operator("Ann Lee", "Incident Commander", "Springfield PD"))
    incident = journal.start_incident("Mall shooting", exercise=True).incident_id
    journal.tick_step(incident, "tq", "tq/a", "Apply the tourniquet")
    return journal, incident


def test_incidents_verify_and_export_from_the_command_line(tmp_path):
    data = tmp_path / "data"
    journal, incident = journal_with_incident(data)
    head = journal.events(incident)[-1].hash
    listing = binder("--data-dir", str(data), "incidents")
    assert listing.stdout.startswith(f"{incident[:8]}  ")
    assert listing.stdout.rstrip().endswith("Mall shooting (open, exercise)")
    verify = binder("--data-dir", str(data), "verify", "Mall shooting")
    assert verify.returncode == 0
    lines = verify.stdout.splitlines()
    assert lines[0] == f"intact: Mall shooting, 2 entries, head {head}"
    assert lines[1].startswith("proves: 2 entries unchanged since they were written, and none "
                               "removed up to the head recorded in journal.anchor at ")
    assert lines[2].startswith("cannot prove: that someone able to write both journal.db and "
                               "journal.anchor did not rewrite both")
    out = tmp_path / "log.csv"
    export = binder("--data-dir", str(data), "export", incident[:8], "--format", "csv",
                    "-o", str(out))
    assert export.returncode == 0, export.stderr
    assert export.stdout.rstrip().endswith(f"head {head} (intact)")
    assert "Done: Apply the tourniquet" in out.read_text()
    pdf = binder("--data-dir", str(data), "export", incident, "-o", str(tmp_path / "log.pdf"))
    assert pdf.returncode == 0, pdf.stderr
    assert (tmp_path / "log.pdf").read_bytes().startswith(b"%PDF")
    journal.close()


def test_verify_fails_on_a_changed_row_and_unknown_incidents_are_refused(tmp_path):
    data = tmp_path / "data"
    journal, incident = journal_with_incident(data)
    journal.conn.execute("DROP TRIGGER events_are_never_updated")
    journal.conn.execute("UPDATE events SET step_text = 'Changed' WHERE kind = 'tick'")
    journal.close()
    verify = binder("--data-dir", str(data), "verify", incident)
    assert verify.returncode == 1
    assert verify.stdout.startswith("NOT INTACT: Mall shooting: event ")
    unknown = binder("--data-dir", str(data), "export", "nothing", "-o", str(tmp_path / "x.pdf"))
    assert unknown.returncode == 2
    assert "no single incident matches 'nothing'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_a_relative_content_db_path_works(content_db):
    result = subprocess.run([sys.executable, "-m", "binder", "--content-db", content_db.name,
                             "search", "overtime"], capture_output=True, text=True,
                            cwd=content_db.parent, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(" 1. EFLEA")


def test_a_damaged_journal_is_said_on_stderr_before_the_output(tmp_path):
    from binder.journal.wal import FRAME_HEADER, WAL_HEADER
    from tests.journal.test_damage import aside_files, flip, write_and_crash

    path, acknowledged = write_and_crash(tmp_path)
    flip(path.with_name("journal.db-wal"), WAL_HEADER + 3 * (FRAME_HEADER + 4096) + 999)
    listing = binder("--data-dir", str(path.parent), "incidents")
    assert listing.returncode == 0
    [copy] = aside_files(path)
    assert listing.stderr.startswith("binder incidents: The activity journal was damaged")
    assert copy in listing.stderr
    assert f"{len(acknowledged)} entries were recovered" in listing.stderr
    assert listing.stdout.rstrip().endswith("Mall shooting (open)")
    again = binder("--data-dir", str(path.parent), "verify", "Mall shooting")
    assert again.returncode == 0 and again.stderr == ""
    assert again.stdout.startswith(f"intact: Mall shooting, {len(acknowledged) - 1} entries")


def test_an_unreadable_entry_costs_that_entry_not_the_command(tmp_path):
    from tests.journal.test_damage import bad_utf8_journal

    path, events = bad_utf8_journal(tmp_path)
    seq = events[3].seq
    data = str(path.parent)
    listing = binder("--data-dir", data, "incidents")
    assert listing.returncode == 0, listing.stderr
    assert f"1 entry in the activity journal could not be read (seq {seq})" in listing.stderr
    assert "Mall shooting (open)" in listing.stdout
    verify = binder("--data-dir", data, "verify", "Mall shooting")
    assert verify.returncode == 1
    assert verify.stdout.startswith(f"NOT INTACT: Mall shooting: entry {seq} could not be read")
    out = tmp_path / "log.csv"
    export = binder("--data-dir", data, "export", "Mall shooting", "-o", str(out))
    assert export.returncode == 0, export.stderr
    assert f"could not be read (seq {seq})" in export.stderr
    assert "before" in out.read_text() and "after" in out.read_text()
    for result in (listing, verify, export):
        assert "Traceback" not in result.stderr


def test_verify_with_no_incident_checks_every_chain_and_finds_a_removed_incident(tmp_path):
    data = tmp_path / "data"
    journal, incident = journal_with_incident(data)
    assert binder("--data-dir", str(data), "verify").returncode == 0
    journal.conn.execute("DROP TRIGGER events_are_never_deleted")
    journal.conn.execute("DELETE FROM events WHERE incident_id = ?", (incident,))
    journal.close()
    verify = binder("--data-dir", str(data), "verify")
    assert verify.returncode == 1 and "Traceback" not in verify.stderr
    assert (f"NOT INTACT: incident {incident[:8]} (its start is no longer in the journal): "
            "entry ") in verify.stdout
    assert "entries were removed" in verify.stdout
    assert verify.stdout.startswith("intact: changes of operator made with no incident open")


def journal_of(folder, count):
    """Three incidents (one closed at the very end) among `count` events, most of them notes."""
    from binder.journal.journal import EVENT_FIELDS, Journal

    journal = Journal(folder / "journal.db")
    flood = journal.start_incident("Flood").incident_id
    fire = journal.start_incident("Fire", exercise=True).incident_id
    journal.start_incident("Storm")
    notes = [(f"note-{n}", "note", (flood, fire)[n % 2], "", "", "", "Ann Lee", "Scribe",
              "2026-05-01T06:00:00.000+00:00", "", '{"text": "water rising"}', "", "", "", "")
             for n in range(count - 4)]
    with journal.conn:
        journal.conn.execute("BEGIN")
        journal.conn.executemany(f"INSERT INTO events ({', '.join(EVENT_FIELDS)}, prev_hash, "
                                 f"hash) VALUES ({', '.join('?' * 15)})", notes)
    journal.close_incident(fire)
    return journal


def sqlite_work(journal, work):
    """What `work(journal)` returns, and how much SQLite did for it (progress handler calls)."""
    calls = []
    journal.conn.set_progress_handler(lambda: calls.append(1) and 0, 10)
    try:
        return work(journal), len(calls)
    finally:
        journal.conn.set_progress_handler(None, 10)


def test_finding_the_incidents_costs_the_same_at_5000_events_as_at_50(tmp_path):
    from binder.cli import find_incident, incidents_in

    cost = {}
    for count in (50, 5000):
        (tmp_path / str(count)).mkdir()
        journal = journal_of(tmp_path / str(count), count)
        assert journal.newest_seq() == count
        listed, cost["list", count] = sqlite_work(journal, incidents_in)
        assert [(i.name, i.is_open, i.exercise) for i in listed] == [
            ("Flood", True, False), ("Fire", False, True), ("Storm", True, False)]
        found, cost["find", count] = sqlite_work(journal, lambda j: find_incident(j, "Fire"))
        assert found.name == "Fire" and not found.is_open
        journal.close()
    for work in ("list", "find"):
        assert cost[work, 5000] < 2 * cost[work, 50] + 20, cost


def test_a_second_search_does_not_check_the_content_again(tmp_path, content_db):
    data = tmp_path / "data"
    data.mkdir()
    marker = data / "content-checked.json"
    first = binder("--data-dir", str(data), "--content-db", str(content_db), "search", "overtime")
    assert first.returncode == 0, first.stderr
    assert str(content_db.resolve()) in marker.read_text()
    checked = marker.stat().st_mtime_ns, marker.stat().st_ino
    second = binder("--data-dir", str(data), "--content-db", str(content_db), "search", "overtime")
    assert second.stdout == first.stdout and second.returncode == 0
    # A check that passes writes the marker anew (a new file renamed over it): it was not run.
    assert (marker.stat().st_mtime_ns, marker.stat().st_ino) == checked


def test_print_remembers_the_content_check_as_the_window_does(tmp_path, content_db):
    data = tmp_path / "data"
    data.mkdir()
    out = tmp_path / "page.pdf"
    result = binder("print", "eflea", "-o", str(out), "--data-dir", str(data),
                    "--content-db", str(content_db))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert str(content_db.resolve()) in (data / "content-checked.json").read_text()


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path, content_db):
    """`binder search tourniquet | head -1`: the reader is gone before Binder has written."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "binder", "--data-dir", str(tmp_path), "--content-db",
         str(content_db), "search", "tourniquet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    process.stdout.close()  # long before Binder (half a second to start) writes a line
    with process.stderr:
        errors = process.stderr.read()
    assert process.wait(timeout=120) == 0, errors
    assert "Traceback" not in errors, errors
