"""binder.core never imports widgets: a test of the core needs no window."""

import ast
import subprocess
import sys

from tests.conftest import REPO

FORBIDDEN = ("binder.ui", "PySide6.QtWidgets")


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_core_module_names_a_widget_import():
    offenders = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in sorted((REPO / "binder" / "core").glob("*.py"))
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN)
    ]
    assert offenders == []


def test_importing_the_whole_core_loads_no_widgets():
    code = (
        "import sys, pkgutil, importlib, binder.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    importlib.import_module('binder.core.' + m.name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('binder.ui', 'PySide6.QtWidgets'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
