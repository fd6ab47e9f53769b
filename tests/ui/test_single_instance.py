"""One window per data folder: a second start brings the first forward and opens nothing."""

import os
import signal
import subprocess
import sys
import time

import pytest

from binder.ui.app import watch_forward_requests
from binder.ui.single_instance import LOCK_NAME, REQUEST_NAME, FolderLock
from tests.conftest import REPO

HOLD = """
import sys, time
from binder.ui.single_instance import FolderLock
lock = FolderLock(sys.argv[1])
assert lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def start_binder(content_db, data):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "binder", "--content-db", str(content_db), "--data-dir",
         str(data)], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen platform has no stack
def test_a_second_start_exits_with_a_word_and_brings_the_first_window_forward(
        make_window, tmp_path, content_db, qtbot):
    data = tmp_path / "data"
    window = make_window(data=data)
    lock = FolderLock(data)
    assert lock.acquire()
    watch_forward_requests(window, data)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    events_before = len(window.journal.events())

    started = time.monotonic()
    second = start_binder(content_db, data)
    with qtbot.waitSignal(window.forward_requests.requested, timeout=20_000):
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=20_000)
    took = time.monotonic() - started
    out, err = second.communicate()
    lock.release()

    assert second.returncode == 0
    assert f"Binder is already open on {data}" in err
    assert "that window came to the front" in err
    assert f"process {os.getpid()}" in err
    assert "Traceback" not in err and out == ""
    assert took < 15
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert window.isVisible()
    assert not (data / REQUEST_NAME).exists()  # taken by the first window
    assert len(window.journal.events()) == events_before  # the second wrote nothing


def test_a_killed_first_binder_does_not_lock_the_folder_forever(tmp_path):
    data = tmp_path / "data"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(data)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    assert not FolderLock(data).acquire()  # while it runs, the folder is taken
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    holder.stdout.close()
    assert (data / LOCK_NAME).exists()  # left behind by the killed process

    lock = FolderLock(data)
    assert lock.acquire()
    lock.release()


def test_the_lock_is_given_back_when_the_window_closes(tmp_path):
    data = tmp_path / "data"
    first = FolderLock(data)
    assert first.acquire()
    assert not FolderLock(data).acquire()
    first.release()
    again = FolderLock(data)
    assert again.acquire()
    again.release()


def test_a_first_binder_that_does_not_answer_is_named_and_nothing_opens(tmp_path, content_db):
    data = tmp_path / "data"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(data)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        second = start_binder(content_db, data)
        out, err = second.communicate(timeout=20)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert second.returncode == 1
    assert f"Binder is already open on {data} (process {holder.pid} on " in err
    assert "did not answer" in err and "Traceback" not in err
    assert not (data / "journal.db").exists()  # the second opened nothing
