"""The sync thread keeps out of a tick's way: while the window's thread holds (a tick being
written and repainted), a worker making or reading a segment waits every 50 entries; when
nobody holds it never waits; the main thread (the command line) never waits; and no wait is
longer than LONGEST_WAIT_S, so sync always goes on."""

import threading
import time

from binder.sync import quiet, segment


def entries(count: int) -> list[dict]:
    return [{"id": f"e{n}", "kind": "note", "data": {"text": f"Radio check {n}"}}
            for n in range(count)]


def on_worker(job) -> float:
    """Seconds the job took on a thread of its own."""
    took = []

    def run():
        started = time.monotonic()
        job()
        took.append(time.monotonic() - started)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return took[0]


def test_a_worker_waits_while_the_window_holds_and_not_otherwise():
    job = lambda: segment.canonical_lines(entries(1000))  # noqa: E731
    quiet.hold(0)  # nobody holds
    alone = on_worker(job)
    quiet.hold(0.3)
    held = on_worker(job)
    assert held >= 0.25 > alone  # it waited for the hold to end, then went on


def test_no_wait_is_longer_than_the_longest(monkeypatch):
    monkeypatch.setattr(quiet, "LONGEST_WAIT_S", 0.05)
    quiet.hold(60)  # a window that holds for a minute (a bug) does not stop sync
    try:
        took = on_worker(lambda: [quiet.breathe(n) for n in range(100)])  # two breaths
    finally:
        quiet.hold(0)
    assert 0.09 <= took < 1


def test_the_main_thread_never_waits():
    quiet.hold(1)
    try:
        started = time.monotonic()
        segment.canonical_lines(entries(1000))
        assert time.monotonic() - started < 0.5
    finally:
        quiet.hold(0)
