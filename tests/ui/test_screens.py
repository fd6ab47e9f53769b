"""The window as a person sees it: a real X server (Xvfb), real screen sizes, light and night.

Each case starts an Xvfb of its size, opens the real window on it in a subprocess
(tests/ui/screens_probe.py: this process runs Qt offscreen), ticks steps through the journal and
with a real pointer, takes a screenshot of the whole screen into artifacts/screens/ (git-ignored;
look at them) and measures the window. Sizes are logical pixels: at QT_SCALE_FACTOR=2 every one
of them is twice as many on the screen.

Skipped, with the reason, when Xvfb is not installed or Qt's xcb platform cannot start here
(.ci/run installs both).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.ui.conftest import set_operator

PROBE = Path(__file__).with_name("screens_probe.py")
SHOTS = REPO / "artifacts" / "screens"
TARGET = 44  # px: the smallest thing a gloved finger is asked to hit

CASES = [
    pytest.param((1024, 600, 1, "light"), id="1024x600-light"),
    pytest.param((1024, 600, 1, "night"), id="1024x600-night"),
    pytest.param((1920, 1080, 1, "light"), id="1920x1080-light"),
    pytest.param((1920, 1080, 1, "night"), id="1920x1080-night"),
    pytest.param((3840, 2160, 2, "light"), id="3840x2160@200-light"),  # 4K at 200 %
]


def why_no_x_window() -> str:
    """'' when an Xvfb can be started and Qt can open a window on it, else why not."""
    if not sys.platform.startswith("linux"):
        return "the screen tests use Xvfb, which is for Linux"
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (apt-get install xvfb; .ci/run does it)"
    sys.path.insert(0, str(REPO / "build"))
    try:
        from qt_system_libs import missing_libraries
    finally:
        sys.path.remove(str(REPO / "build"))
    missing = missing_libraries()
    if missing:
        return ("Qt's xcb platform lacks system libraries: " + " ".join(missing)
                + " (python build/qt_system_libs.py installs them as root)")
    return ""


class Xvfb:
    """An X server of one screen size, on a display number it chooses itself (-displayfd)."""

    def __init__(self, width: int, height: int):
        read, write = os.pipe()
        self.log = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24",
                 "-nolisten", "tcp", "-nocursor"],
                pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=self.log)
        finally:
            os.close(write)
        number = b""
        deadline = time.monotonic() + 15
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([read], [], [], 0.2)
            if ready:
                chunk = os.read(read, 16)
                if not chunk:
                    break
                number += chunk
        os.close(read)
        if not number.strip().isdigit():
            error = self.stop()[-500:]
            pytest.skip(f"Xvfb did not start: {error.strip() or 'no display number'}")
        self.display = f":{number.decode().strip()}"

    def stop(self) -> str:
        """End the server; what it said on stderr."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.seek(0)
        said = self.log.read().decode(errors="replace")
        self.log.close()
        return said


def forget_closed_windows() -> None:
    """Delete the windows earlier tests closed (deleteLater waits for an event loop, and none
    runs while a case waits for its probe): else their 15 s clocks tick on closed journals."""
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(scope="module", params=CASES)
def seen(request, shipped_db, tmp_path_factory):
    """One case: (width, height, scale, look) -> the probe's measurements, with 'name' and
    'elapsed' (seconds, Xvfb included)."""
    reason = why_no_x_window()
    if reason:
        pytest.skip(reason)
    forget_closed_windows()
    width, height, scale, look = request.param
    name = f"{width}x{height}" + (f"@{scale * 100}" if scale != 1 else "") + f"-{look}"
    data = tmp_path_factory.mktemp(f"screens-{name}")
    set_operator(data)
    runtime = tmp_path_factory.mktemp("xdg-runtime")
    runtime.chmod(0o700)
    started = time.monotonic()
    server = Xvfb(width, height)
    try:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("QT_", "WAYLAND_"))}
        env.update(QT_QPA_PLATFORM="xcb", DISPLAY=server.display, XDG_RUNTIME_DIR=str(runtime),
                   QT_SCALE_FACTOR=str(scale), PYTHONPATH=str(REPO))
        result = subprocess.run(
            [sys.executable, str(PROBE), str(shipped_db), str(data), look,
             str(SHOTS / f"{name}.png")],
            env=env, capture_output=True, text=True, timeout=120, cwd=REPO)
    finally:
        server.stop()
    if result.returncode != 0:
        if "xcb" in result.stderr and "platform plugin" in result.stderr:
            pytest.skip(f"Qt's xcb platform cannot start here: {result.stderr.strip()[-400:]}")
        pytest.fail(f"the probe failed ({result.returncode}):\n{result.stdout[-2000:]}\n"
                    f"{result.stderr[-3000:]}")
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    seen.update(name=name, scale=scale, expected_look=look, stderr=result.stderr,
                elapsed=round(time.monotonic() - started, 2))
    print(f"{name}: {seen['elapsed']} s, screenshots in {SHOTS}")
    return seen


def test_the_window_is_on_the_real_screen_in_the_chosen_look(seen):
    width, height = seen["screen"][2] * seen["scale"], seen["screen"][3] * seen["scale"]
    assert seen["platform"] == "xcb"
    assert seen["look"] == seen["expected_look"]
    assert (width, height) == tuple(seen["shots"]["steps"]["size"])
    assert seen["page"] == "active-assailant-first-minutes"


def test_tick_targets_are_at_least_44_px(seen):
    """The tick target is the whole step row (a tap anywhere on it ticks: checked below with a
    real pointer on the step's words); its ⋯ button is a target of its own."""
    steps = seen["steps"]
    assert len(steps) >= 10
    small = [f"{s['id']}: row {s['height']} px high, ⋯ {s['more_width']}x{s['more']} px"
             for s in steps
             if s["height"] < TARGET or s["more"] < TARGET or s["more_width"] < TARGET]
    assert not small, f"{seen['name']}: step targets under {TARGET} px:\n" + "\n".join(small)
    assert [s["done"] for s in steps[:2]] == [True, True], "the two ticks did not show"
    tap = seen["tap_on_text"]
    if tap["tried"]:
        assert tap["ticked"], f"{seen['name']}: a click on a step's words at {tap['at']} " \
                              "did not tick it"


def test_buttons_and_search_box_are_at_least_44_px_high(seen):
    buttons = seen["toolbar_buttons"] + seen["push_buttons"]
    assert len(seen["toolbar_buttons"]) >= 3
    small = [f"{b['text']!r}: {b['width']}x{b['height']} px" for b in buttons
             if b["height"] < TARGET]
    assert not small, f"{seen['name']}: buttons under {TARGET} px high:\n" + "\n".join(small)
    assert seen["search_box_height"] >= TARGET


def test_menu_bar_titles_are_at_least_44_px_high(seen):
    assert seen["menubar_height"] >= TARGET, f"{seen['name']}: menu bar {seen['menubar_height']} px"


def test_nothing_is_cut_off(seen):
    name = seen["name"]
    assert seen["frame_fits_screen"], (
        f"{name}: the window {seen['frame']} does not fit the screen's available "
        f"{seen['available']} (its minimum size is {seen['minimum_size']})")
    assert not seen["cut_off"], f"{name}: widgets cut off:\n" + "\n".join(seen["cut_off"])
    assert not seen["squeezed_text"], (
        f"{name}: text with less room than it needs:\n" + "\n".join(seen["squeezed_text"]))
    assert not seen["menubar_extension"], f"{name}: menu bar titles hidden behind »"
    hidden = [a["text"] for a in seen["toolbar_hidden_actions"] if not a["in_menu"]]
    assert not hidden, f"{name}: toolbar actions only reachable behind »: {hidden}"
    if seen["toolbar_extension"]:
        import warnings
        warnings.warn(f"{name}: the toolbar shows its » button", stacklevel=1)


def test_pages_never_need_a_sideways_scroll(seen):
    name = seen["name"]
    checklist = seen["checklist_scroll"]
    assert checklist["maximum"] == 0 and not seen["checklist_too_wide"], (
        f"{name}: the checklist is wider than its {checklist['viewport_width']} px view:\n"
        + "\n".join(seen["checklist_too_wide"]))
    for page, scroll in seen["guide_scroll"].items():
        assert scroll["maximum"] == 0, f"{name}: {page} needs a sideways scroll: {scroll}"
    for view, scroll in seen["item_views"].items():
        assert scroll["maximum"] == 0, f"{name}: {view} needs a sideways scroll: {scroll}"


def colours(path: str) -> tuple[int, float]:
    """(distinct colours, mean luminance 0..255) of a screenshot, sampled on a 400-px grid."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = QImage(path)
    assert not image.isNull(), path
    small = image.scaledToWidth(400, Qt.TransformationMode.FastTransformation).convertToFormat(
        QImage.Format.Format_RGB32)
    data = bytes(small.constBits())[: small.sizeInBytes()]
    seen_colours, total, count = set(), 0.0, 0
    for row in range(small.height()):
        line = data[row * small.bytesPerLine(): row * small.bytesPerLine() + small.width() * 4]
        for i in range(0, len(line), 4):
            blue, green, red = line[i], line[i + 1], line[i + 2]
            seen_colours.add((red, green, blue))
            total += 0.2126 * red + 0.7152 * green + 0.0722 * blue
            count += 1
    return len(seen_colours), total / count


def test_the_screenshots_show_the_window_in_its_look(seen):
    """Not blank, and a person sees the difference: light is bright, night is dark."""
    for shot in seen["shots"].values():
        assert shot["saved"] and Path(shot["path"]).stat().st_size > 0, shot
        distinct, luminance = colours(shot["path"])
        assert distinct > 50, f"{shot['path']}: only {distinct} colours: is it blank?"
        if seen["look"] == "night":
            assert luminance < 70, f"{shot['path']}: mean luminance {luminance:.0f} for night"
        else:
            assert luminance > 170, f"{shot['path']}: mean luminance {luminance:.0f} for light"


def test_each_case_is_quick(seen):
    assert seen["elapsed"] < 30, f"{seen['name']} took {seen['elapsed']} s"


def test_the_cut_off_check_finds_what_is_cut_off(qtbot):
    """The probe's own check, on widgets placed wrong on purpose (no X server needed)."""
    from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QWidget

    from tests.ui.screens_probe import cut_off, squeezed_text

    window = QWidget()
    qtbot.addWidget(window)
    window.resize(300, 200)
    QLabel("past the edge", window).setGeometry(250, 10, 100, 20)
    box = QWidget(window)
    box.setGeometry(0, 50, 100, 50)
    QPushButton("Clipped by its box", box).setGeometry(40, 0, 80, 20)
    area = QScrollArea(window)
    area.setGeometry(0, 120, 100, 60)
    area.setWidget(QLabel("scrolls: " + "long " * 40))
    window.show()
    qtbot.waitExposed(window)
    found = "\n".join(cut_off(window))
    assert "past the edge" in found and "outside the window" in found
    assert "Clipped by its box" in found and "clipped by its parent" in found
    assert "scrolls" not in found
    assert any("Clipped by its box" in line for line in squeezed_text(window))


def test_a_checklist_opens_with_its_first_step_in_view_and_focused(seen):
    """At 1024x600 too: nobody scrolls to reach the first thing to do, and the page's title
    and progress stay in view above it (the page's introduction may be scrolled past, never
    further than it takes to show the step)."""
    opened = seen["on_open"]
    assert opened["first_step_focused"], f"{seen['name']}: the first step has not the focus"
    assert opened["first_step_whole"], (
        f"{seen['name']}: the first step is not in view as the page opens: {opened}")
    assert opened["title_shown"], f"{seen['name']}: the title is not in view: {opened}"
    assert opened["scrolled"] == 0 or opened["first_step_bottom"] >= (
        opened["viewport_height"] - 60), f"{seen['name']}: scrolled further than needed"


def test_shift_f10_opens_the_step_menu_with_its_item_marked(seen):
    """A real Shift+F10 and Down through the X server: the menu opens, the item the keyboard is
    on is marked at 3:1 against the others, and every item is 44 px high."""
    menu = seen["step_menu"]
    if not menu["tried"]:
        pytest.skip(menu["why"])
    name = seen["name"]
    assert menu["opened"], f"{name}: Shift+F10 did not open the step's menu"
    assert menu["active"] == 1, f"{name}: Down did not move to the second item: {menu}"
    assert min(menu["heights"]) >= TARGET, f"{name}: menu items {menu['heights']}"
    assert menu["contrast"] >= 3, f"{name}: the marked item hardly shows: {menu}"


def test_the_sections_list_marks_the_open_page(seen):
    current = seen["sections_current"]
    assert current["current"], f"{seen['name']}: no page is current in the sections"
    assert current["contrast"] >= 3, f"{seen['name']}: the open page hardly shows: {current}"
    assert current["min_height"] >= TARGET
