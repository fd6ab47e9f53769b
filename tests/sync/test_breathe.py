"""Making or reading a segment on the window's sync thread lets the window's thread run: every
100 entries the worker sleeps a millisecond (the interpreter is the window's meanwhile). On the
main thread (the command line) it never sleeps."""

import threading
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from binder.sync import segment


def entries(count: int) -> list[dict]:
    return [{"id": f"e{n}", "kind": "note", "data": {"text": f"Radio check {n}"}}
            for n in range(count)]


def sleeps_while(job, monkeypatch, on_worker: bool) -> int:
    slept = []
    real = time.sleep
    monkeypatch.setattr(segment.time, "sleep", lambda s: (slept.append(s), real(s)))
    if on_worker:
        worker = threading.Thread(target=job)
        worker.start()
        worker.join()
    else:
        job()
    return len(slept)


def test_a_worker_making_a_segment_of_1000_entries_pauses_ten_times(monkeypatch):
    key = Ed25519PrivateKey.generate()
    job = lambda: segment.canonical_lines(entries(1000))  # noqa: E731
    assert sleeps_while(job, monkeypatch, on_worker=True) == 10
    assert sleeps_while(job, monkeypatch, on_worker=False) == 0
    made = segment.encode({"public_key": "00"}, entries(3), key)
    assert made.count(b"\n") == 6  # the first line, the header, 3 entries, the signature


def test_the_main_thread_never_pauses(monkeypatch):
    for count in range(0, 400, 7):
        segment.breathe(count)
    assert sleeps_while(lambda: [segment.breathe(n) for n in range(1000)], monkeypatch,
                        on_worker=False) == 0
