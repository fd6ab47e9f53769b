"""Start-up beside a bare PySide6 window (issue 13): start to the search box taking keys.

Each round starts, one after the other, a bare PySide6 window (bench/bare_window.py: a
QMainWindow holding one QLineEdit) and Binder itself (`binder --startup-probe`, the real command
on a data folder with an operator, so no prompt opens), each a fresh process: first both as
bundles (built by bench/bundle_bench.py from the same spec, the same PySide6), then both as
Python processes. Each is timed from just before the process is started until it prints
"ready" (its box painted, the window active, the box focused) and, for Binder, "built" (the
whole window over its content and journal). The order alternates each round, so a busier moment
costs both alike. The ratio of each round (Binder / bare) is the figure; its p50 and p99 are
reported, with the CPU time and the peak memory of each process (from wait4).
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

BEFORE = (
    "Before issue 13 (same bench, same machine, Python processes, 20 rounds): ratio p50 3.85, "
    "p99 7.47; Binder 710 ms p50, 91.6 MiB. Bundles, measured by hand the same way when the "
    "issue was filed: Binder p50 571-579 ms against 206-223 ms bare, ratio 2.4-2.8 (p99 3.9). "
    "Before the window was shown as a frame first (this session's first run, bundles, 12 "
    "rounds): ratio p50 2.35 (Binder 281 ms, bare 119 ms).")

WHERE_THE_TIME_GOES = (
    "How it is done: the window's frame (the search box and the two empty panes, in the saved "
    "look) is shown first, from modules that import no more than Qt's basic widgets "
    "(binder/ui/app.py `frame`, MainWindow(fill=False)); as soon as its search box has been "
    "painted, the content and the journal are opened and the rest is built (`fill`): views, "
    "menus, status bar, the sections. What is typed meanwhile waits in the box and is "
    "searched when the rest is there; nothing typed is lost (tests/test_startup_imports.py). "
    "\"Ready\" is the box painted, the window active and the box focused, for both programs; "
    "\"built\" is Binder's whole window, over its content and journal. What the frame still "
    "costs beyond the bare window (in the process, 26 Nov 2026, this machine): importing its "
    "modules 26 ms (PySide6 making the Python classes and enums of the Qt classes the menus "
    "and actions are made of; the ~90 enums of Qt's namespace, 15 ms, are not made before the "
    "first paint: the frame uses the look last shown rather than asking the desktop, which "
    "fill() does), the Fusion style and its style sheet 5.5 ms, the frame's widgets, menus "
    "and toolbar 6 ms.")

BARE_SCRIPT = ROOT / "bench" / "bare_window.py"
BUNDLES = ROOT / ".bench" / "bundles"  # built by bench/bundle_bench.py


@dataclass
class Runs:
    name: str
    ready_ms: list[float] = field(default_factory=list)
    built_ms: list[float] = field(default_factory=list)  # Binder only: the whole window
    cpu_ms: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank: the smallest value with p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float | None, float, float]:
    """Wall ms to "ready", to "built" (if the program says it), CPU ms (user + system) and
    peak MiB of one start."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    line = child.stdout.readline().strip()
    ready = (time.perf_counter() - started) * 1000
    built = None
    if line == "ready":
        after = child.stdout.readline().strip()
        if after == "built":
            built = (time.perf_counter() - started) * 1000
    child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if line != "ready" or code != 0:
        raise RuntimeError(f"{' '.join(command[:3])} … did not come up: {line!r} (exit {code})")
    return ready, built, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024


def data_folder(into: Path) -> Path:
    """A data folder with an operator already named, as on any start but the first."""
    from binder.journal.journal import Journal, Operator

    journal = Journal(into / "journal.db")
    journal.set_operator(Operator("Bench", "Scribe"))
    journal.close()
    return into


def commands(kind: str, data: Path, content_db: Path) -> dict[str, list[str]]:
    """The bare window and Binder, as Python processes or as the bundles."""
    if kind == "python":
        return {"bare": [sys.executable, str(BARE_SCRIPT), "--startup-probe"],
                "binder": [sys.executable, "-m", "binder", "--data-dir", str(data),
                           "--content-db", str(content_db), "--startup-probe"]}
    return {"bare": [str(BUNDLES / "bare" / "bare"), "--startup-probe"],
            "binder": [str(BUNDLES / "binder" / "binder"), "--data-dir", str(data),
                       "--startup-probe"]}  # the bundle's own content


def measure(kind: str, content_db: Path, rounds: int = ROUNDS) -> tuple[Runs, Runs]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPATH=str(ROOT))
    bare, binder = Runs("bare PySide6 window"), Runs("Binder")
    with tempfile.TemporaryDirectory(prefix="binder-startup-") as tmp:
        started = commands(kind, data_folder(Path(tmp) / "data"), content_db)
        for round_ in range(WARM_UP + rounds):
            order = ("bare", "binder") if round_ % 2 == 0 else ("binder", "bare")
            for which in order:
                ready, built, cpu, peak = run_once(started[which], env)
                if round_ >= WARM_UP:
                    runs = bare if which == "bare" else binder
                    runs.ready_ms.append(ready)
                    if built is not None:
                        runs.built_ms.append(built)
                    runs.cpu_ms.append(cpu)
                    runs.peak_mib.append(peak)
    return bare, binder


def ms(values: list[float], p: float) -> str:
    return f"{percentile(values, p):.0f}" if values else ""


def report(title: str, bare: Runs, binder: Runs) -> list[str]:
    ratios = [b / a for a, b in zip(bare.ready_ms, binder.ready_ms, strict=True)]
    built = [b / a for a, b in zip(bare.ready_ms, binder.built_ms, strict=True)]
    cpu_ratios = [b / a for a, b in zip(bare.cpu_ms, binder.cpu_ms, strict=True)]
    met = percentile(ratios, 50) <= RATIO_TARGET
    lines = [
        f"## {title}", "",
        f"{len(ratios)} rounds after {WARM_UP} untimed, interleaved (the order alternates), "
        f"Qt platform `{os.environ.get('QT_QPA_PLATFORM', 'offscreen')}`, the shipped content. "
        "Ready: from just before the process starts to its \"ready\" (the box painted, the "
        "window active, the box focused). Built: to Binder's \"built\" (its whole window, over "
        "its content and journal). CPU: user + system of the whole process, to its exit. "
        "Nearest-rank percentiles.", "",
        "| process | ready p50 ms | ready p99 ms | built p50 ms | built p99 ms | CPU p50 ms "
        "| CPU p99 ms | peak MiB p50 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for runs in (bare, binder):
        lines.append(f"| {runs.name} | {ms(runs.ready_ms, 50)} | {ms(runs.ready_ms, 99)} | "
                     f"{ms(runs.built_ms, 50)} | {ms(runs.built_ms, 99)} | "
                     f"{ms(runs.cpu_ms, 50)} | {ms(runs.cpu_ms, 99)} | "
                     f"{percentile(runs.peak_mib, 50):.1f} |")
    lines += [
        "", "| ratio Binder / bare, per round | p50 | p99 | target | met? |",
        "|---|---:|---:|---|---|",
        f"| ready (the search box taking keys) | {percentile(ratios, 50):.2f} | "
        f"{percentile(ratios, 99):.2f} | p50 at most {RATIO_TARGET} | "
        f"{'yes' if met else '**NO**'} |",
        f"| built (the whole window) / bare ready | {percentile(built, 50):.2f} | "
        f"{percentile(built, 99):.2f} | | |",
        f"| CPU | {percentile(cpu_ratios, 50):.2f} | {percentile(cpu_ratios, 99):.2f} | | |",
        "",
    ]
    return lines


def bundles_ready() -> None:
    """Build the two bundles if either is missing or older than what it is built from."""
    from bench import bundle_bench

    sources = {"binder": [*ROOT.glob("binder/**/*.py"), ROOT / "binder" / "content.db",
                          ROOT / "build" / "binder.spec"],
               "bare": [BARE_SCRIPT, ROOT / "build" / "binder.spec"]}
    for name, made_from in sources.items():
        program = BUNDLES / name / name
        newest = max(p.stat().st_mtime for p in made_from if p.exists())
        if not program.exists() or program.stat().st_mtime < newest:
            bundle_bench.build(bare=name == "bare")


def run(rounds: int = ROUNDS) -> str:
    from bench.journal_bench import shipped_content
    from bench.run import machine

    content_db = shipped_content()
    lines = [f"{HEADING} (issue 13 part 1)", "", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine()]
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines += [f"| Load average at the start (1/5/15 min) | {load} |", ""]
    bundles_ready()
    say(f"Start-up, bundles: {WARM_UP} + {rounds} rounds of the bare bundle and Binder's …")
    bare, binder = measure("bundle", content_db, rounds)
    lines += report("The bundles side by side (what a person starts)", bare, binder)
    say(f"Start-up, Python: {WARM_UP} + {rounds} rounds of a bare window and Binder …")
    bare, binder = measure("python", content_db, rounds)
    lines += report("Python processes side by side (python -m binder)", bare, binder)
    lines += [WHERE_THE_TIME_GOES, "", BEFORE]
    return "\n".join(lines)
