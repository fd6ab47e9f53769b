"""Before `make test`: the programs the tests drive (poppler to read PDFs, Xvfb and xdotool for
the screen tests, Syncthing for the tests across laptops) and the X11 libraries of Qt's xcb
platform; installed with apt-get when run as root on Debian/Ubuntu, otherwise named, with the
tests that will be skipped without them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

# Program -> (Debian/Ubuntu package, the tests that skip without it).
TOOLS = {
    "pdftotext": ("poppler-utils", "the PDF tests (paper, ICS 214, 205A)"),
    "pdftoppm": ("poppler-utils", "the PDF tests (paper, ICS 214, 205A)"),
    "pdfinfo": ("poppler-utils", "the PDF tests (paper, ICS 214, 205A)"),
    "Xvfb": ("xvfb", "the screen tests (tests/ui/test_screens.py)"),
    "xdotool": ("xdotool", "the screen tests (tests/ui/test_screens.py)"),
    "syncthing": ("syncthing", "the tests with two real Syncthing daemons (tests/sync/)"),
}


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def install(packages: list[str]) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print(f"Installing what the tests use: {' '.join(packages)}")
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], env=env, check=False)


def qt_libraries() -> int:
    """Qt's xcb platform libraries, as `make run` checks them (installed as root)."""
    script = Path(__file__).with_name("qt_system_libs.py")
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    return subprocess.run([sys.executable, str(script)], env=env).returncode


def main() -> int:
    """Exit 0 whatever is missing (the tests skip with the reason), or with --require, 1."""
    missing = missing_tools()
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    if missing and root and shutil.which("apt-get"):
        install(sorted({TOOLS[tool][0] for tool in missing}))
        missing = missing_tools()
    libraries = qt_libraries() if sys.platform.startswith("linux") else 0
    for tool in missing:
        package, tests = TOOLS[tool]
        print(f"{tool} is not installed (apt-get install {package}): {tests} will be skipped.",
              file=sys.stderr)
    if libraries:
        print("Without those libraries the screen tests will be skipped.", file=sys.stderr)
    return 1 if "--require" in sys.argv and (missing or libraries) else 0


if __name__ == "__main__":
    raise SystemExit(main())
