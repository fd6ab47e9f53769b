"""Start-up beside a bare PySide6 window (issue 13): start to the search box taking keys.

Each round starts, one after the other, a bare PySide6 window (a QMainWindow holding one
QLineEdit) and Binder itself (`python -m binder --startup-probe`, the real command on a data
folder with an operator, so no prompt opens), each a fresh Python process. Each is timed from
just before the process is started until it prints "ready": its window shown and active, the box
focused. The order alternates each round, so a busier moment costs both alike. The ratio of each
round (Binder / bare) is the figure; its p50 and p99 are reported, with the CPU time and the
peak memory of each process (from wait4).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = "# Start-up benchmark"
ROUNDS = 30
WARM_UP = 2  # rounds untimed first: the disk cache, and the content check remembered
RATIO_TARGET = 1.5

# Measured by hand on 26 Nov 2026 (same machine, loaded by other work; median of 5 in-process
# runs of the same steps as `binder --startup-probe`), for the reader of the table above.
WHERE_THE_TIME_GOES = [
    "Where Binder's time goes (in the process, median of 5, 26 Nov 2026, this machine): "
    "importing PySide6.QtWidgets 79 ms (the bare window pays it too); importing binder.ui.app "
    "118 ms (about 50 Binder modules, and PySide6 making the Python classes and enums of the "
    "~40 Qt classes they use: `from PySide6.QtCore import Qt` alone is 16 ms); the journal and "
    "content opened 11 ms; MainWindow built 33 ms; shown and focused 8 ms. Before this work "
    "(same bench, same machine, 20 rounds): ratio p50 3.85, p99 7.47; Binder 710 ms p50, "
    "91.6 MiB. Not yet done: building the menus and the views not shown behind the first "
    "paint, and measuring the bundles side by side. Tried and left: importing Binder's core "
    "before PySide6 (whose import hook looks at every later module) saves about 6 ms.",
    "",
]

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
box = QLineEdit()
window.setCentralWidget(box)
window.show()
box.setFocus()
deadline = time.monotonic() + 20

def look():
    ready = window.isActiveWindow() and box.hasFocus()
    if ready or time.monotonic() > deadline:
        print("ready" if ready else "not ready", flush=True)
        app.exit(0 if ready else 1)

timer = QTimer()
timer.timeout.connect(look)
timer.start(1)
app.exec()
"""


@dataclass
class Runs:
    name: str
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank: the smallest value with p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall ms to "ready", CPU ms (user + system) and peak MiB of one start."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    line = child.stdout.readline().strip()
    wall = (time.perf_counter() - started) * 1000
    child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if line != "ready" or child.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} … did not come up: {line!r} "
                           f"(exit {child.returncode})")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024


def data_folder(into: Path) -> Path:
    """A data folder with an operator already named, as on any start but the first."""
    from binder.core.journal import Journal, Operator

    journal = Journal(into / "journal.db")
    journal.set_operator(Operator("Bench", "Scribe"))
    journal.close()
    return into


def measure(content_db: Path, rounds: int = ROUNDS) -> tuple[Runs, Runs]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPATH=str(ROOT))
    bare, binder = Runs("bare PySide6 window"), Runs("Binder")
    with tempfile.TemporaryDirectory(prefix="binder-startup-") as tmp:
        data = data_folder(Path(tmp) / "data")
        commands = {
            "bare": [sys.executable, "-c", BARE],
            "binder": [sys.executable, "-m", "binder", "--data-dir", str(data),
                       "--content-db", str(content_db), "--startup-probe"],
        }
        for round_ in range(WARM_UP + rounds):
            order = ("bare", "binder") if round_ % 2 == 0 else ("binder", "bare")
            for which in order:
                wall, cpu, peak = run_once(commands[which], env)
                if round_ >= WARM_UP:
                    runs = bare if which == "bare" else binder
                    runs.wall_ms.append(wall)
                    runs.cpu_ms.append(cpu)
                    runs.peak_mib.append(peak)
    return bare, binder


def report(bare: Runs, binder: Runs) -> list[str]:
    ratios = [b / a for a, b in zip(bare.wall_ms, binder.wall_ms, strict=True)]
    cpu_ratios = [b / a for a, b in zip(bare.cpu_ms, binder.cpu_ms, strict=True)]
    met = percentile(ratios, 50) <= RATIO_TARGET
    lines = [
        "## Start-up beside a bare PySide6 window (Python processes, not bundles)", "",
        f"{len(ratios)} rounds after {WARM_UP} untimed, interleaved (the order alternates), "
        f"Qt platform `{os.environ.get('QT_QPA_PLATFORM', 'offscreen')}`, the shipped content. "
        "Wall: from just before the process starts to its \"ready\" (window shown and active, "
        "the search box focused). CPU: user + system of the whole process. Nearest-rank "
        "percentiles.", "",
        "| process | wall p50 ms | wall p99 ms | CPU p50 ms | CPU p99 ms | peak MiB p50 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for runs in (bare, binder):
        lines.append(f"| {runs.name} | {percentile(runs.wall_ms, 50):.0f} | "
                     f"{percentile(runs.wall_ms, 99):.0f} | {percentile(runs.cpu_ms, 50):.0f} | "
                     f"{percentile(runs.cpu_ms, 99):.0f} | {percentile(runs.peak_mib, 50):.1f} |")
    lines += [
        "", "| ratio Binder / bare, per round | p50 | p99 | target | met? |",
        "|---|---:|---:|---|---|",
        f"| wall | {percentile(ratios, 50):.2f} | {percentile(ratios, 99):.2f} | "
        f"p50 at most {RATIO_TARGET} | {'yes' if met else '**NO**'} |",
        f"| CPU | {percentile(cpu_ratios, 50):.2f} | {percentile(cpu_ratios, 99):.2f} | | |",
        "", *WHERE_THE_TIME_GOES,
    ]
    return lines


def run(rounds: int = ROUNDS) -> str:
    from bench.journal_bench import shipped_content
    from bench.run import machine

    content_db = shipped_content()
    lines = [f"{HEADING} (issue 13 part 1)", "", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine()]
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines += [f"| Load average at the start (1/5/15 min) | {load} |", ""]
    say(f"Start-up: {WARM_UP} + {rounds} rounds of a bare window and Binder …")
    bare, binder = measure(content_db, rounds)
    return "\n".join(lines + report(bare, binder))
