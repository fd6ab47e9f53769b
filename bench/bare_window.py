"""A bare PySide6 window with a line edit: the baseline bundle Binder's size and start-up are
compared with (built by `pyinstaller build/binder.spec -- --bare`, see bench/bundle_bench.py).

    dist/bare/bare [--exit-when-shown]   # print nothing; exit 0 once the window is shown
"""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Bare")
    window.setCentralWidget(QLineEdit())
    window.show()
    if "--exit-when-shown" in sys.argv:
        QTimer.singleShot(0, app.quit)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
