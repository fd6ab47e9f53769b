"""The bundle benchmark (issue 13): the one-folder bundle's size beside a bare PySide6 window
bundled the same way, where its bytes go, and whether its self-test passes.

    .venv/bin/python -m bench.run --bundle-only   # this part alone, into bench/results.md
    .venv/bin/python -m bench.bundle_bench build  # just build both bundles into .bench/bundles

Both bundles come from build/binder.spec (the bare one with `-- --bare`), so they share the
PyInstaller, the PySide6, the excluded modules and the pruning of plugins and libraries.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / ".bench" / "bundles"  # .bench/bundles/binder/binder and .bench/bundles/bare/bare
HEADING = "# Bundle benchmark (issue 13)"
BEFORE_BYTES = 189_686_056  # `du -sb dist/binder` before this work, this machine, same PySide6
MB = 1e6


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(bare: bool) -> tuple[Path, float]:
    """Build one bundle with build/binder.spec; its folder and the seconds the build took."""
    content = ROOT / "binder" / "content.db"
    if not bare and not content.exists():
        subprocess.run([sys.executable, "-m", "binder", "build", "content", "-o", str(content)],
                       cwd=ROOT, check=True)
    name = "bare" if bare else "binder"
    say(f"building the {name} bundle ...")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(DIST / f"work-{name}"),
                    str(ROOT / "build" / "binder.spec"), *(["--", "--bare"] if bare else [])],
                   cwd=ROOT, check=True)
    return DIST / name, time.perf_counter() - start


def du_bytes(folder: Path) -> int:
    """The bytes `du -sb` counts: every file, folder and link itself, links not followed."""
    return folder.lstat().st_size + sum(p.lstat().st_size for p in folder.rglob("*"))


def files(folder: Path) -> list[tuple[str, int]]:
    """(path relative to the bundle, bytes) of every regular file, largest first."""
    found = [(str(p.relative_to(folder)), p.lstat().st_size) for p in folder.rglob("*")
             if p.is_file() and not p.is_symlink()]
    return sorted(found, key=lambda f: -f[1])


GROUPS = (  # (name, path prefixes under the bundle), first match wins
    ("ICU (Qt's libicuuc, libicui18n; the empty libicudata)", ("_internal/PySide6/Qt/lib/libicu",)),
    ("Qt libraries (PySide6/Qt/lib)", ("_internal/PySide6/Qt/lib/",)),
    ("Qt plugins", ("_internal/PySide6/Qt/plugins/",)),
    ("PySide6 and shiboken bindings", ("_internal/PySide6/", "_internal/shiboken6/",
                                       "_internal/libpyside6", "_internal/libshiboken6")),
    ("Python: libpython, extension modules, the program's code (PYZ)",
     ("_internal/libpython", "_internal/python3", "_internal/base_library.zip", "_internal/yaml/",
      "binder", "bare")),
    ("content.db and assets", ("_internal/content.db", "_internal/assets/")),
)


def group_of(path: str) -> str:
    for name, prefixes in GROUPS:
        if path.startswith(prefixes):
            return name
    return "Other shared libraries (from the system, for Qt, CUPS, Python)"


def by_group(listing: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """(group, bytes, files), largest first."""
    totals: dict[str, list[int]] = {}
    for path, size in listing:
        total = totals.setdefault(group_of(path), [0, 0])
        total[0] += size
        total[1] += 1
    return sorted(((g, b, n) for g, (b, n) in totals.items()), key=lambda t: -t[1])


def self_test(program: Path) -> tuple[bool, str]:
    """build/smoke_test.py on the bundle: passed or not, and its first line."""
    result = subprocess.run([sys.executable, str(ROOT / "build" / "smoke_test.py"), str(program)],
                            capture_output=True, text=True, cwd=ROOT)
    lines = (result.stdout + result.stderr).strip().splitlines()
    return result.returncode == 0, lines[0] if lines else "(no output)"


def report(binder: Path, bare: Path, build_s: float, bare_s: float) -> str:
    from bench.run import machine

    size, bare_size = du_bytes(binder), du_bytes(bare)
    listing = files(binder)
    ok, line = self_test(binder / "binder")
    lines = [HEADING, "", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine()]
    lines += [
        "", "## Size", "",
        "| Bundle | MB (du -sb) | Files | Build (s) |", "|---|---:|---:|---:|",
        f"| Binder (build/binder.spec) | {size / MB:.1f} | {len(listing)} | {build_s:.0f} |",
        f"| Bare PySide6 window (bench/bare_window.py, same spec with --bare) | "
        f"{bare_size / MB:.1f} | {len(files(bare))} | {bare_s:.0f} |",
        "", f"Binder / bare: {size / bare_size:.2f}. Before this work: {BEFORE_BYTES / MB:.1f} MB "
        "(this machine; the issue measured 182 MB against 170 MB bare). "
        f"Self-test of the Binder bundle: {'passed' if ok else '**FAILED**'} ({line})",
        "", "## Where Binder's bytes go", "", "| Part | MB | Files |", "|---|---:|---:|",
    ]
    lines += [f"| {g} | {b / MB:.1f} | {n} |" for g, b, n in by_group(listing)]
    lines += ["", "## Largest files", "", "| File | MB |", "|---|---:|"]
    lines += [f"| {p} | {b / MB:.2f} |" for p, b in listing[:15]]
    lines += ["", LEFT_OUT, ""]
    return "\n".join(lines)


LEFT_OUT = (
    "Left out by build/binder.spec: Qt modules Binder never imports; Qt's translations; the GTK "
    "and portal platform themes with the GTK, Pango, Cairo, ATK and GdkPixbuf libraries only they "
    "load (Binder has its own style sheet and uses Qt's own file dialog); image formats other "
    "than SVG (pages carry no images; PNG is built into QtGui); the EGL, framebuffer, VNC and "
    "touch-screen plugins; every shared library no kept binary links against; symbols (strip); "
    "and Qt's 32 MB ICU data, replaced by an empty one (build/icudata_stub.c): Binder uses no "
    "collation, ICU time-zone names or legacy codecs. Kept: the xcb, Wayland and offscreen "
    "platforms, the compose and ibus input methods, the SVG image and icon engines, CUPS print "
    "support, xcb's GL integrations."
)


def run() -> str:
    """Build both bundles and return the Markdown part."""
    bare, bare_s = build(bare=True)
    binder, build_s = build(bare=False)
    return report(binder, bare, build_s, bare_s)


def replace_part(text: str, part: str) -> str:
    """`text` with its bundle part (HEADING to the next top-level heading) replaced by `part`.

    A new part goes before the journal part: `--journal-only` keeps what is before its heading.
    """
    if HEADING not in text:
        journal = "\n# Journal benchmark"
        if journal in text:
            before, after = text.split(journal, 1)
            return before.rstrip("\n") + "\n\n" + part.rstrip("\n") + "\n" + journal + after
        return (text.rstrip("\n") + "\n\n" if text.strip() else "") + part
    before, after = text.split(HEADING, 1)
    rest = after.split("\n# ", 1)
    return before + part + ("\n# " + rest[1] if len(rest) > 1 else "")


def write_part(out: Path) -> int:
    """Run the bundle benchmark and put it in place of the bundle part of `out`."""
    part = run()
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    out.write_text(replace_part(old, part), encoding="utf-8")
    print(part)
    print(f"Written to {out}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["build"]:
        print(build(bare=True)[0] / "bare", build(bare=False)[0] / "binder")
    else:
        print(run())
