"""A bare PySide6 window with a line edit: the baseline Binder's size and start-up are compared
with, as a bundle (`pyinstaller build/binder.spec -- --bare`, see bench/bundle_bench.py) and as a
Python process (bench/startup_bench.py).

    bare [--exit-when-shown]   # print nothing; exit 0 once the window is shown
    bare --startup-probe       # print "ready" once the box is on screen, the window active and
                               # the box focused, as `binder --startup-probe` does (exit 1 if
                               # never, in 20 s)
"""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow


class Box(QLineEdit):
    """A line edit that knows when it was first painted, as Binder's search box does."""

    was_painted = False

    def paintEvent(self, event):  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        self.was_painted = True


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Bare")
    box = Box()
    window.setCentralWidget(box)
    window.show()
    box.setFocus()
    if "--exit-when-shown" in sys.argv:
        QTimer.singleShot(0, app.quit)
    if "--startup-probe" in sys.argv:
        deadline, timer = time.monotonic() + 20, QTimer()

        def look() -> None:
            ready = window.isActiveWindow() and box.hasFocus() and box.was_painted
            if ready or time.monotonic() > deadline:
                timer.stop()
                print("ready" if ready else "not ready", flush=True)
                app.exit(0 if ready else 1)

        timer.timeout.connect(look)
        timer.start(1)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
