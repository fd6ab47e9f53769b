"""Never lose a tick: kill the journal writer with SIGKILL at random moments, round after round.

The writer (crash_writer.py) prints an event's id only after Journal returned, that is after
COMMIT. Every id it printed must be in journal.db after the kill, the file must pass
PRAGMA integrity_check, and the journal must reopen as it is (not moved aside as damaged) with
its hash chain intact. Set BINDER_CRASH_ROUNDS for more rounds and BINDER_CRASH_SEED to replay
the same event counts and kill delays.
"""

import contextlib
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from binder.journal.journal import Journal, verify_chain

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = int(os.environ.get("BINDER_CRASH_ROUNDS", "20"))
MAX_PER_ROUND = 400  # events the parent waits for before the kill: random 1..this
MAX_EXTRA_DELAY = 0.020  # s, after that number was reached: random 0..this, in half the rounds
MIN_TOTAL = 2000  # events reported over all rounds, at least
SILENCE_LIMIT = 20.0  # s: a writer that reports nothing for this long fails the test
TIME_LIMIT = 30.0 + 3.0 * ROUNDS  # s, for the whole test


def _pump(stream, lines: queue.Queue) -> None:
    """Pass the writer's output on, line by line; None at the end of it."""
    try:
        for line in stream:
            lines.put(line)
    except (OSError, ValueError):  # the pipe was closed under us: the test is failing anyway
        pass
    lines.put(None)


def _plan(rng: random.Random) -> list[tuple[int, float]]:
    """Per round: how many reported events to wait for, and how much longer before the kill."""
    targets = [rng.randint(1, MAX_PER_ROUND) for _ in range(ROUNDS)]
    short = MIN_TOTAL - sum(targets)
    for i in range(max(short, 0)):  # few rounds (or bad luck): spread what is missing
        targets[i % ROUNDS] += 1
    delays = [rng.uniform(0, MAX_EXTRA_DELAY) if rng.random() < 0.5 else 0.0
              for _ in range(ROUNDS)]
    return list(zip(targets, delays, strict=True))


def _kill_writer_at_random(path: Path, incident_id: str, target: int, delay: float,
                           deadline: float, err_path: Path, where: str) -> list[str]:
    """Run a writer; SIGKILL it `delay` s after it reported `target` events. The ids it reported."""
    reported: list[str] = []

    def fail(why: str):
        err = err_path.read_text(errors="replace")[-2000:] if err_path.exists() else ""
        pytest.fail(f"{where}: {why} after {len(reported)} events; writer stderr:\n{err}")

    lines: queue.Queue = queue.Queue()
    with open(err_path, "w") as err:
        child = subprocess.Popen([sys.executable, str(WRITER), str(path), incident_id],
                                 stdout=subprocess.PIPE, stderr=err, text=True)
    pump = threading.Thread(target=_pump, args=(child.stdout, lines), daemon=True)
    try:
        pump.start()
        while len(reported) < target:
            wait = min(SILENCE_LIMIT, deadline - time.monotonic())
            try:
                line = lines.get(timeout=max(wait, 0.0))
            except queue.Empty:
                fail(f"the writer reported nothing for {wait:.1f} s (or the test ran too long)")
            if line is None:
                child.wait(timeout=SILENCE_LIMIT)
                fail(f"the writer stopped by itself (exit code {child.returncode})")
            if line.endswith("\n"):
                reported.append(line.strip())
        if delay:
            time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=SILENCE_LIMIT)
        pump.join(timeout=SILENCE_LIMIT)
        if pump.is_alive():
            fail("the writer's output did not end after it was killed")
        # Lines written before the kill were committed too; a last line without its newline
        # was cut short by the kill, and is not counted.
        while (line := lines.get_nowait()) is not None:
            if line.endswith("\n"):
                reported.append(line.strip())
        if child.returncode != -signal.SIGKILL:
            fail(f"the writer ended with {child.returncode}, not by the kill")
        return reported
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=SILENCE_LIMIT)
        pump.join(timeout=SILENCE_LIMIT)
        child.stdout.close()


def _check_journal(path: Path, incident_id: str, reported: set[str], where: str) -> int:
    """The file is sound and holds every reported event; returns the incident's event count."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        check = db.execute("PRAGMA integrity_check").fetchall()
        assert check == [("ok",)], f"{where}: PRAGMA integrity_check says {check}"
        stored = {row[0] for row in db.execute(
            "SELECT id FROM events WHERE incident_id = ?", (incident_id,))}
    missing = reported - stored
    assert not missing, (
        f"{where}: {len(missing)} of {len(reported)} events reported as committed are not in "
        f"journal.db, e.g. {sorted(missing)[:3]}")
    journal = Journal(path)
    try:
        assert journal.recovered == "", f"{where}: the journal was treated as damaged: " \
            f"{journal.recovered}"
        # A kill cannot show what synchronous=FULL is for (a power cut: the kernel keeps what
        # a killed process wrote), so at least check that the journal asks for it.
        settings = [journal.conn.execute(f"PRAGMA {name}").fetchone()[0]
                    for name in ("journal_mode", "synchronous")]
        assert settings == ["wal", 2], f"{where}: journal_mode, synchronous = {settings}"
        chain = verify_chain(journal, incident_id)
        assert chain.intact, f"{where}: the hash chain is broken: {chain.problem}"
        assert chain.count == len(stored), f"{where}: {chain.count} chained, {len(stored)} stored"
    finally:
        journal.close()
    return len(stored)


def test_no_committed_event_is_lost_when_the_writer_is_killed(tmp_path):
    assert ROUNDS >= 1, "BINDER_CRASH_ROUNDS must be at least 1"
    seed = int(os.environ.get("BINDER_CRASH_SEED", random.randrange(2**32)))
    replay = f"BINDER_CRASH_SEED={seed} BINDER_CRASH_ROUNDS={ROUNDS}"
    rng = random.Random(seed)
    deadline = time.monotonic() + TIME_LIMIT

    path = tmp_path / "data" / "journal.db"
    journal = Journal(path)
    try:
        incident_id = journal.start_incident("Crash test", incident_type="exercise").incident_id
    finally:
        journal.close()

    reported: set[str] = set()
    per_round = []
    stored = 1
    for number, (target, delay) in enumerate(_plan(rng), start=1):
        where = f"round {number} of {ROUNDS} ({replay})"
        ids = _kill_writer_at_random(path, incident_id, target, delay, deadline,
                                     tmp_path / f"writer-{number}.err", where)
        assert len(set(ids)) == len(ids), f"{where}: the writer reported an id twice"
        reported.update(ids)
        stored = _check_journal(path, incident_id, reported, where)
        per_round.append(len(ids))

    print(f"\n{replay}: events reported per round {per_round}, "
          f"{len(reported)} in all, {stored - 1} stored besides the start")
    assert len(reported) >= MIN_TOTAL, f"({replay}) only {len(reported)} events were reported"
    # Some events may have been committed but not yet reported when the writer was killed.
    assert stored - 1 >= len(reported), f"({replay}) {stored - 1} stored < {len(reported)}"
