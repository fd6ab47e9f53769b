"""The bundle's build pieces: the empty ICU data library it ships, and its benchmark's part."""
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

SELF_TEST_WITH_STUB = """
import sys
import PySide6.QtCore
maps = open("/proc/self/maps").read().splitlines()
print("icudata:", next(line.split()[-1] for line in maps if "libicudata" in line))
from binder.cli import main
sys.exit(main(["--content-db", sys.argv[1], "--self-test"]))
"""


def test_self_test_passes_with_qts_icu_data_replaced_by_the_empty_library(content_db, tmp_path):
    if shutil.which("cc") is None:
        pytest.skip("no C compiler: the bundle keeps Qt's full ICU data then")
    stub = tmp_path / "icu" / "libicudata.so.73"
    stub.parent.mkdir()
    subprocess.run(["cc", "-shared", "-fPIC", "-DICU_ENTRY=icudt73_dat",
                    "-Wl,-soname,libicudata.so.73", "-o", str(stub),
                    str(REPO / "build" / "icudata_stub.c")], check=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "LD_LIBRARY_PATH": str(stub.parent)}
    result = subprocess.run([sys.executable, "-c", SELF_TEST_WITH_STUB, str(content_db)],
                            capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"icudata: {stub}"
    assert result.stdout.splitlines()[1].startswith("binder self-test OK:")
    assert result.stderr == ""  # no Qt warning: nothing asked ICU for data (a collator would)


def test_bundle_part_of_the_results_replaces_only_its_own_section():
    from bench.bundle_bench import HEADING, replace_part

    search, journal = "# Search benchmark\nkeys\n", "# Journal benchmark (issue 11)\nticks\n"
    first = replace_part(search + "\n" + journal, f"{HEADING}\n190 MB\n")
    assert first == f"{search}\n{HEADING}\n190 MB\n\n{journal}"
    second = replace_part(first, f"{HEADING}\n103 MB\n")
    assert second == f"{search}\n{HEADING}\n103 MB\n\n{journal}"
    assert replace_part("", f"{HEADING}\nx\n") == f"{HEADING}\nx\n"
