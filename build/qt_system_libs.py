"""Before `make run`: check the system libraries Qt needs to open a window, and say which are
missing (as root on Debian/Ubuntu, install them with apt-get instead)."""

import ctypes
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Library file -> Debian/Ubuntu package that ships it.
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
LOADED_AT_RUN_TIME = ["libxcb-cursor.so.0"]  # Qt opens it itself, so ldd does not list it


def missing_libraries() -> list[str]:
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    qpa = Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6XcbQpa.so.6"
    missing = set()
    for binary in (plugin, qpa):
        if binary.exists() and shutil.which("ldd"):
            output = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
            missing.update(re.findall(r"^\s*(\S+) => not found", output, re.MULTILINE))
    for name in LOADED_AT_RUN_TIME:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.add(name)
    return sorted(missing)


def main() -> int:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return 0
    missing = missing_libraries()
    if not missing:
        return 0
    packages = sorted({PACKAGES.get(name, name) for name in missing})
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing the system libraries Qt needs for a window: {' '.join(packages)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        result = subprocess.run(["apt-get", "install", "-y", "-qq", *packages], env=env)
        if result.returncode == 0 and not missing_libraries():
            return 0
    print("Binder's window needs these system libraries, which this machine lacks:\n  "
          + " ".join(missing)
          + f"\nOn Debian or Ubuntu: sudo apt-get install {' '.join(packages)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
