"""Scores search on the judged relevance set: top-1, top-3, nothing found and MRR, per style."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = {"dev": HERE / "dev.tsv", "heldout": HERE / "heldout.tsv"}
COLUMNS = ["role", "style", "query", "right_pages"]
MRR_DEPTH = 10  # a right page further down than this scores 0


class SetError(ValueError):
    """A line of a relevance file that cannot be read; the message names file and line."""


@dataclass(frozen=True)
class Judged:
    split: str
    role: str
    style: str
    query: str
    right: tuple[str, ...]  # page ids, the best first
    where: str  # file:line


@dataclass(frozen=True)
class Outcome:
    judged: Judged
    pages: tuple[str, ...]  # the page id of each hit, in the order shown
    corrected: str = ""  # what search showed instead of the words as typed, if anything

    @property
    def rank(self) -> int | None:
        """1-based place of the first hit on a right page, or None."""
        for place, page in enumerate(self.pages, 1):
            if page in self.judged.right:
                return place
        return None


@dataclass(frozen=True)
class Score:
    count: int
    top1: float
    top3: float
    nothing: float  # share of queries with no hit at all
    mrr: float


def load(path: Path, split: str) -> list[Judged]:
    """The judged queries of one file; SetError names the file and line of a bad one."""
    judged, header = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{number}"
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header:
            if fields != COLUMNS:
                raise SetError(f"{where}: the header should be {' '.join(COLUMNS)} (tabs)")
            header = True
            continue
        if len(fields) != 4 or not all(f.strip() for f in fields):
            raise SetError(f"{where}: a query needs four tab-separated columns: {line!r}")
        role, style, query, right = (f.strip() for f in fields)
        judged.append(Judged(split, role, style, query, tuple(right.split()), where))
    return judged


def load_all(splits: dict[str, Path] = SPLITS) -> list[Judged]:
    judged = [j for split, path in splits.items() for j in load(path, split)]
    seen: dict[str, str] = {}
    for j in judged:
        if j.query.lower() in seen:
            raise SetError(f"{j.where}: {j.query!r} is already at {seen[j.query.lower()]}")
        seen[j.query.lower()] = j.where
    return judged


def check_pages(judged: Iterable[Judged], known: set[str]) -> None:
    """SetError if a right page is not a page of the binder."""
    for j in judged:
        unknown = [page for page in j.right if page not in known]
        if unknown:
            raise SetError(f"{j.where}: no page {', '.join(unknown)} in the binder")


def run(judged: Iterable[Judged], search: Callable) -> list[Outcome]:
    """Each query through `search` (text -> Results), as the window asks it."""
    outcomes = []
    for j in judged:
        results = search(j.query)
        pages = tuple(hit.doc_id for hit in results.hits)
        outcomes.append(Outcome(j, pages, getattr(results, "corrected", "") or ""))
    return outcomes


def score(outcomes: list[Outcome]) -> Score:
    count = len(outcomes)
    if not count:
        return Score(0, 0.0, 0.0, 0.0, 0.0)
    ranks = [o.rank for o in outcomes]
    return Score(
        count,
        sum(r == 1 for r in ranks) / count,
        sum(r is not None and r <= 3 for r in ranks) / count,
        sum(not o.pages for o in outcomes) / count,
        sum(1 / r for r in ranks if r is not None and r <= MRR_DEPTH) / count,
    )


def score_library(library, splits: dict[str, Path] = SPLITS) -> list[Outcome]:
    """The set through `library.search`, after checking every right page is in it."""
    judged = load_all(splits)
    check_pages(judged, {d.id for _, docs in library.sections() for d in docs})
    return run(judged, library.search)


def score_content(content: Path, splits: dict[str, Path] = SPLITS) -> tuple[list[Outcome], str]:
    """Build `content` into a content.db in a temporary folder and score the set on it, through
    the Library the window searches; also return the content.db's revision."""
    from binder.content.build import build_store
    from binder.search.library import Library

    with tempfile.TemporaryDirectory(prefix="binder-relevance-") as tmp:
        db = Path(tmp) / "content.db"
        build_store(content, db)
        library = Library.open(db)
        try:
            return score_library(library, splits), library.revision or ""
        finally:
            library.close()


# Reports


def percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def score_row(name: str, s: Score) -> str:
    return (f"| {name} | {s.count} | {percent(s.top1)} | {percent(s.top3)} | "
            f"{percent(s.nothing)} | {s.mrr:.3f} |")


def table(outcomes: list[Outcome]) -> str:
    """Markdown: the rates and MRR per split, overall, and per style."""
    lines = ["| queries | n | top-1 | top-3 | nothing found | MRR |",
             "|---|---:|---:|---:|---:|---:|"]
    for split in sorted({o.judged.split for o in outcomes}):
        lines.append(score_row(split, score([o for o in outcomes if o.judged.split == split])))
    lines.append(score_row("**all**", score(outcomes)))
    for style in sorted({o.judged.style for o in outcomes}):
        lines.append(score_row(f"style: {style}",
                               score([o for o in outcomes if o.judged.style == style])))
    return "\n".join(lines)


def misses(outcomes: list[Outcome]) -> str:
    """Markdown: every query whose right page is not first, with where it came."""
    lines = ["| split | style | query | right page came | first hits |",
             "|---|---|---|---|---|"]
    for o in outcomes:
        if o.rank == 1:
            continue
        came = "nothing found" if not o.pages else (
            f"{o.rank}" if o.rank else f"not in the {len(o.pages)} hits")
        shown = ", ".join(dict.fromkeys(o.pages[:3])) or "-"
        if o.corrected:
            shown = f"(showing {o.corrected!r}) {shown}"
        query = o.judged.query.replace("|", "\\|")
        lines.append(f"| {o.judged.split} | {o.judged.style} | {query} | {came} | {shown} |")
    return "\n".join(lines)
