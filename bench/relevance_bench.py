"""Relevance (issue 12): the judged set (tests/relevance/) through the window's search.

Builds content/ into a content.db in a temporary folder, runs every judged query through
binder.search.library.Library.search (what the window asks) and reports top-1, top-3, the
nothing-found rate and MRR per split (dev, held-out) and per style, with every query whose right
page is not first and where it came. The same scorer is the `make test` threshold test
(tests/relevance/test_relevance.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = "# Relevance benchmark (issue 12)"


def git_revision() -> str:
    """The commit the content comes from, marked when content/ differs from it."""
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "--short=10", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "content", "tests/relevance")
    return commit + (" (with uncommitted changes in content/ or tests/relevance/)"
                     if changed else "")


def run() -> str:
    from bench.run import machine
    from tests.relevance.scoring import misses, score, score_content, table

    print("Relevance: building content/ and running the judged set …", file=sys.stderr)
    outcomes, revision = score_content(ROOT / "content")
    whole = score(outcomes)
    lines = [HEADING, "", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine()]
    lines += [
        f"| Content | content/ at commit {git_revision()}, content.db revision {revision} |",
        "", "## Scores", "",
        f"{whole.count} judged queries (tests/relevance/README.md), searched as the window "
        "searches (`Library.search`, the shipped content only). top-1 / top-3: the first hit, or "
        "one of the first three, is on a right page (a step hit counts as its checklist); "
        "nothing found: no hit at all; MRR: 1 / the place of the first right hit within the "
        "first 10, else 0. The goal (issue 12): top-3 at least 95%, top-1 at least 85%, "
        "nothing found 0, on the whole set and on the held-out half.", "",
        table(outcomes), "",
        "## Not first", "",
        "Every query whose right page is not the first hit: where the first right hit came, "
        "and the pages of the first three hits.", "",
        misses(outcomes), "",
    ]
    return "\n".join(lines)


def write_part(out: Path) -> int:
    from bench.run import write_part as replace_part

    return replace_part(out, HEADING, run())
