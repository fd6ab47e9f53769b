"""The packages' layering: content <- search; journal on its own; paper reads those three; sync
reads the journal (and content, for pack files); only
binder.ui imports widgets. A test of any package but ui needs no window."""

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter

import pytest

from tests.conftest import REPO

WIDGETS = ("binder.ui", "PySide6.QtWidgets")
SHARED = {"binder", "binder.paths", "binder.look_file"}  # binder.__version__, paths, the look
ALLOWED = {  # each package and the packages it may import
    "content": {"content"},
    "search": {"content", "search"},
    "journal": {"journal"},
    "paper": {"content", "search", "journal", "paper"},
    "sync": {"journal", "content", "sync"},
}
PACKAGES = sorted(ALLOWED)


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "binder":
            yield from (f"binder.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def misplaced(package, name):
    """Why `package` may not import `name`, or "" if it may."""
    if name.startswith(WIDGETS):
        return "widgets"
    if not name.startswith("binder.") or name in SHARED:
        return ""
    return "" if name.split(".")[1] in ALLOWED[package] else "layering"


def test_the_packages_are_all_known():
    found = {path.parent.name for path in (REPO / "binder").glob("*/__init__.py")}
    assert found == set(PACKAGES) | {"ui"}


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_what_it_may(package):
    offenders = [
        f"{path.relative_to(REPO)} imports {name} ({misplaced(package, name)})"
        for path in sorted((REPO / "binder" / package).glob("*.py"))
        for name in imported_modules(path)
        if misplaced(package, name)
    ]
    assert offenders == []


def test_the_shared_modules_import_no_package():
    offenders = [f"{name} imports {module}" for name in ("paths", "look_file")
                 for module in imported_modules(REPO / "binder" / f"{name}.py")
                 if module.startswith("binder")]
    assert offenders == []


def test_a_rule_breach_is_caught():
    assert misplaced("content", "binder.search.spelling") == "layering"
    assert misplaced("journal", "binder.content.store") == "layering"
    assert misplaced("paper", "binder.ui.dialogs") == "widgets"
    assert misplaced("search", "PySide6.QtWidgets") == "widgets"
    assert misplaced("paper", "binder.journal.journal") == ""


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_a_whole_package_loads_no_widgets(package):
    code = (
        f"import sys, pkgutil, importlib, binder.{package} as p\n"
        "for m in pkgutil.iter_modules(p.__path__):\n"
        f"    importlib.import_module('binder.{package}.' + m.name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('binder.ui', 'PySide6.QtWidgets'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_module_imports_first_without_a_circle():
    # A circle between modules (journal.py and the modules split from it, verify.py, recovery.py;
    # build.py and store.py once) breaks only when one of them is imported first: import each
    # first, in a fresh namespace.
    code = (
        "import sys, pkgutil, importlib\n"
        f"packages = {PACKAGES!r}\n"
        "names = [f'binder.{p}.{m.name}' for p in packages\n"
        "         for m in pkgutil.iter_modules([f'binder/{p}'])]\n"
        "failed = []\n"
        "for module in names:\n"
        "    for name in [n for n in sys.modules if n.startswith('binder')]:\n"
        "        del sys.modules[name]\n"
        "    try:\n"
        "        importlib.import_module(module)\n"
        "    except ImportError as exc:\n"
        "        failed.append(f'{module}: {exc}')\n"
        "print(len(names), failed)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    count, failed = result.stdout.split(" ", 1)
    assert int(count) > 40 and failed.strip() == "[]"


def module_graph(packages):
    """Each module of the packages and the modules of theirs it imports, at the top or lazily."""
    graph = {}
    for package in packages:
        for path in (REPO / "binder" / package).glob("*.py"):
            names = set()
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
                elif isinstance(node, ast.Import):
                    names |= {alias.name for alias in node.names}
            graph[f"binder.{package}.{path.stem}"] = names
    return {module: names & graph.keys() for module, names in graph.items()}


def test_no_circle_between_modules_even_lazily():
    # build.py and store.py imported each other (store lazily). The journal is left out: the
    # modules split from journal.py (verify, recovery, journal_open) import it back lazily.
    graph = module_graph(["content", "search", "paper"])
    assert "binder.content.build" in graph["binder.content.packs"]  # the graph is read
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"modules import each other: {exc.args[1]}")


def test_no_program_module_is_over_24_kb():
    # The size our hook warns at; a module past it has usually grown a second job.
    big = [f"{path.relative_to(REPO)}: {path.stat().st_size} bytes"
           for path in sorted((REPO / "binder").rglob("*.py")) if path.stat().st_size > 24_000]
    assert big == []
