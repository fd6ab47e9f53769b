"""Pages past the limits (size, nesting) are skipped at import and shown as text if stored."""

import datetime as dt
import statistics
import time

import pytest

from binder.content.check import check_content
from binder.content.importer import read_pack_folder
from binder.content.limits import (
    MAX_MARKUP,
    MAX_NESTING,
    MAX_PAGE_BYTES,
    RENDER_SECONDS,
    markup_count,
    page_problem,
)
from binder.content.render import render_markdown
from tests.conftest import SAMPLE_PAGES, write_pages
from tests.hostile_pages import PATHOLOGICAL, huge

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    pages = {name: make() for name, make in PATHOLOGICAL.items()}
    pages["huge.md"] = huge()
    pages["plan.md"] = "# Plan\n\nGo.\n"
    return write_pages(tmp_path_factory.mktemp("hostile") / "pack", pages)


def test_pathological_pages_are_skipped_by_file_and_line_and_the_rest_imports(hostile_folder):
    started = time.monotonic()
    result = read_pack_folder(hostile_folder, today=TODAY, name="County")
    assert time.monotonic() - started < 10
    assert [d.path for d in result.docs] == ["plan.md"]
    assert result.errors == []
    skipped = [str(f) for f in result.findings if "skipped" in f.message]
    assert skipped == [
        "deep-emphasis.md:3: warning: skipped: emphasis or link brackets nested 5000 deep; a "
        "page may nest them 20 deep: simplify this line",
        "deep-list.md:23: warning: skipped: lists, quotes or notes nested 11 deep; a page may "
        "nest them 10 deep: flatten this part",
        "deep-quote.md:3: warning: skipped: lists, quotes or notes nested 10000 deep; a page "
        "may nest them 10 deep: flatten this part",
        f"huge.md:{huge()[:MAX_PAGE_BYTES].count(chr(10)) + 1}: warning: skipped: the page is "
        "50.0 MB, and a page may be at most 524 KB: split it into several pages",
        "links.md:3: warning: skipped: emphasis or link brackets nested 5000 deep; a page may "
        "nest them 20 deep: simplify this line",
        "notes.md:13: warning: skipped: lists, quotes or notes nested 11 deep; a page may nest "
        "them 10 deep: flatten this part",
    ]


def test_binder_check_refuses_them_as_errors(tmp_path):
    pages = dict(SAMPLE_PAGES, **{f"response/{name}": make()
                                  for name, make in PATHOLOGICAL.items()})
    found = [str(f) for f in check_content(write_pages(tmp_path / "c", pages), today=TODAY)]
    assert found == [
        "response/deep-emphasis.md:3: emphasis or link brackets nested 5000 deep; a page may "
        "nest them 20 deep: simplify this line",
        "response/deep-list.md:23: lists, quotes or notes nested 11 deep; a page may nest them "
        "10 deep: flatten this part",
        "response/deep-quote.md:3: lists, quotes or notes nested 10000 deep; a page may nest "
        "them 10 deep: flatten this part",
        "response/links.md:3: emphasis or link brackets nested 5000 deep; a page may nest "
        "them 20 deep: simplify this line",
        "response/notes.md:13: lists, quotes or notes nested 11 deep; a page may nest them 10 "
        "deep: flatten this part",
    ]


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_a_stored_pathological_page_renders_at_once_as_its_text(name):
    text = PATHOLOGICAL[name]()
    started = time.monotonic()
    html = render_markdown(text, "response/x.md")
    assert time.monotonic() - started < 1
    assert html.startswith('<p class="unrendered">This part of the page is shown as plain '
                           "text:") and text.split("\n")[0] in html


def test_a_page_past_the_time_budget_is_shown_as_text_when_it_runs_out():
    text = "Some *words* and more words.\n\n" * 1_800  # within the limits
    assert page_problem(text) is None
    started = time.monotonic()
    html = render_markdown(text, "response/x.md", deadline=time.monotonic() + 0.02)
    assert time.monotonic() - started < 0.02 + 0.05
    assert "it took too long to lay out" in html and html.count("Some *words*") == 1_800


def test_a_render_stopped_midway_leaves_the_next_one_as_it_would_be():
    nested = "- a\n    - b\n\n    more\n\n1. c\n"
    before = render_markdown(nested, "x.md")
    lists = "".join("    " * (i % 8) + f"- item {i} *with* [a](b.md)\n" for i in range(1_000))
    for wait in (0.002, 0.005, 0.01, 0.02, 0.04):
        html = render_markdown(lists, "x.md", deadline=time.monotonic() + wait)
        assert render_markdown(nested, "x.md") == before, (wait, html[:80])


def test_the_worst_pages_within_the_limits_render_well_under_a_second():
    """Each at the limits: nested as deep as allowed, or as big or as marked up as allowed
    with the markup that costs most. Median and max printed for the record."""
    nest = "".join("    " * i + "- item *with* [a](b.md)\n" for i in range(MAX_NESTING))
    units = {
        "nested lists": nest, "emphasis": "*" * 10 + "w" + "*" * 10 + "\n\n",
        "links": "[a](https://example.org) *b* **c** `d` " * 4 + "\n\n",
        "headings": "## Head\n\n", "notes": "!!! note\n    words\n\n",
        "table rows": "| " + " | ".join("*a*" for _ in range(10)) + " |\n",
        "prose": "The command post logs every call and every decision of the day.\n",
        "quotes": "> " * (MAX_NESTING - 1) + "w\n",
    }
    medians = []
    for name, unit in units.items():
        cost = sum(markup_count(line) for line in unit.split("\n"))
        text = unit * min(MAX_PAGE_BYTES // len(unit.encode()), MAX_MARKUP // cost - 4)
        if name == "table rows":
            text = "| h |\n|---|\n" + text
        assert page_problem(text) is None, name
        times = []
        for _ in range(5):
            started = time.perf_counter()
            html = render_markdown(text, "x.md", deadline=time.monotonic() + 60)
            times.append(time.perf_counter() - started)
        assert 'class="unrendered"' not in html
        medians.append(statistics.median(times))
        print(f"{name} ({len(text) // 1024} KB): median {statistics.median(times):.3f} s, "
              f"max {max(times):.3f} s")
    assert max(medians) < RENDER_SECONDS / 2
