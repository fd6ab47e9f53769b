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


def test_every_core_module_imports_first_without_a_circle():
    # A circle between modules (journal.py and the modules split from it, verify.py, recovery.py)
    # breaks only when one of them is imported first: import each first, in a fresh namespace.
    code = (
        "import sys, pkgutil, importlib, binder.core as c\n"
        "failed = []\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    for name in [n for n in sys.modules if n.startswith('binder.core.')]:\n"
        "        del sys.modules[name]\n"
        "    try:\n"
        "        importlib.import_module('binder.core.' + m.name)\n"
        "    except ImportError as exc:\n"
        "        failed.append(f'{m.name}: {exc}')\n"
        "print(failed)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_no_program_module_is_over_24_kb():
    # The size our hook warns at; a module past it has usually grown a second job.
    big = [f"{path.relative_to(REPO)}: {path.stat().st_size} bytes"
           for path in sorted((REPO / "binder").rglob("*.py")) if path.stat().st_size > 24_000]
    assert big == []
