"""An outside pack kept in its place: its own sections after the shipped ones, honest review
dates, and warnings for what a template left unfilled (issue 16, items 1-3)."""

import datetime as dt
import shutil

import pytest

from binder.content.content import SECTIONS
from binder.content.importer import read_pack_folder
from binder.content.packs import PackError, add_pack, list_packs, pack_paths
from binder.content.pages import page_html
from binder.search.library import Library
from tests.conftest import CHECKLIST, PAGERDUTY, write_pages

TODAY = dt.date(2026, 11, 23)
needs_fixture = pytest.mark.skipif(not PAGERDUTY.is_dir(), reason="no shared fixtures here")

# What the public template the issue tried had and the PagerDuty docs lack.
TEMPLATE_PAGES = {
    "about.md": "# About\n\nThis plan was written by {{AUTHOR_NAME}} for {{COMPANY_NAME}}.\n",
    "test.md": "# Test\n\nJust checking the site builds.\n",
    "plan/response_plan.md": "---\ntitle: Incident Response Plan for {}\n---\n"
                             "Who does what when the alarm goes.\n\n## Roles\n[TODO] list them.\n",
    "plan/response_plan_v2.md": "---\ntitle: Incident Response Plan for {}\n---\nThe same.\n",
    "plan/notes.md": "---\nlast_reviewed: 2026-05-01\n---\n# Notes\n\n"
                     "Call the duty officer first.[^1] See [the rota<sup>[2]</sup>](#rota).\n\n"
                     "## Rota\nWeekly.\n\n[^1]: On 555-0100, day or night.\n",
}


def shipped_ids(db) -> list[str]:
    library = Library.open(db)
    ids = [d.id for _, docs in library.sections() for d in docs]
    library.close()
    return ids


@pytest.fixture
def template(tmp_path):
    """The PagerDuty docs with a template's leftovers added, as a copy in tmp_path."""
    folder = tmp_path / "Acme incident plan"
    shutil.copytree(PAGERDUTY, folder)
    return write_pages(folder, TEMPLATE_PAGES)


@needs_fixture
def test_a_template_pack_is_its_own_sections_after_the_shipped_ones(shipped_db, template,
                                                                    tmp_path):
    data = tmp_path / "data"
    report = add_pack(template, data, "Acme plan", known_ids=shipped_ids(shipped_db))
    assert len(report.docs) == 40  # about.md replaced by the template's
    library = Library.open(shipped_db, pack_paths(data))
    sections = library.sections()
    names = [name for name, _ in sections]
    assert names[:len(SECTIONS)] == list(SECTIONS)
    assert names[len(SECTIONS):] == ["Acme plan"] + [f"Acme plan › {folder}" for folder in (
        "After", "Before", "Crisis", "During", "Oncall", "Plan", "Resources", "Training")]
    response = dict(sections)["Response"]
    assert response[0].title == "Active assailant: first minutes"
    assert [d.pack for d in response] == [""] * len(response)  # no pack page among them
    assert [d.title for d in dict(sections)["Acme plan"]][:2] == ["About", "Getting started"]
    assert [d.title for d in dict(sections)["Acme plan › Plan"]] == [
        "Incident Response Plan for {}", "Incident Response Plan for {}", "Notes"]
    library.close()


def test_pages_that_say_their_section_go_there_and_a_chosen_section_takes_the_rest(tmp_path):
    folder = write_pages(tmp_path / "County", {
        "ours/lockdown.md": CHECKLIST.replace("title: Tourniquet", "title: Lockdown")
        .replace("section: Casualty care", "section: Response"),
        "ours/radios.md": "# Radios\n\nChannel 2.\n",
    })
    sections = {d.title: d.section for d in read_pack_folder(folder, today=TODAY).docs}
    assert sections == {"Lockdown": "Response", "Radios": "County"}
    chosen = read_pack_folder(folder, "Wellness", today=TODAY).docs
    assert {d.title: d.section for d in chosen} == {"Lockdown": "Response", "Radios": "Wellness"}
    with pytest.raises(PackError, match="there is no section 'Misc'"):
        add_pack(folder, tmp_path / "data", default_section="Misc")


def test_a_pack_named_like_a_shipped_section_gets_its_own_section(tmp_path):
    folder = write_pages(tmp_path / "x", {"radios.md": "# Radios\n\nChannel 2.\n"})
    [doc] = read_pack_folder(folder, today=TODAY, name="Response").docs
    assert doc.section == "Response (agency pack)"


@needs_fixture
def test_only_pages_that_say_when_they_were_reviewed_say_last_reviewed(shipped_db, template,
                                                                       tmp_path):
    data = tmp_path / "data"
    report = add_pack(template, data, "Acme plan", known_ids=shipped_ids(shipped_db),
                      today=TODAY)
    assert report.unreviewed == 39  # all but notes.md
    [info] = list_packs(data)
    assert (info.pages, info.unreviewed) == (40, 39)
    library = Library.open(shipped_db, pack_paths(data))
    notes = library.document("notes")
    assert notes.reviewed == "2026-05-01" and "last reviewed 2026-05-01" in page_html(notes)
    about = library.document("about")
    assert about.reviewed == "" and "not reviewed" in page_html(about)
    assert "last reviewed" not in page_html(about)
    library.close()


def test_a_review_date_that_is_not_a_date_is_said_and_counts_as_not_reviewed(tmp_path):
    folder = write_pages(tmp_path / "x", {"a.md": "---\nlast_reviewed: soon\n---\n# A\n\nB.\n"})
    result = read_pack_folder(folder, today=TODAY)
    assert [d.reviewed for d in result.unreviewed] == [""]
    assert "'last_reviewed' is not a date (YYYY-MM-DD): counted as not reviewed" in str(
        result.warnings[0])


@needs_fixture
def test_placeholders_and_test_pages_are_warnings_with_file_and_line(template):
    result = read_pack_folder(template, today=TODAY, name="Acme plan")
    assert result.errors == []
    leftovers = [str(f) for f in result.warnings if "imported as a guide" not in f.message]
    assert leftovers == [
        "about.md:3: warning: unfilled template placeholder '{{AUTHOR_NAME}}': fill it in or "
        "take it out",
        "plan/response_plan.md:2: warning: unfilled template placeholder '{}': fill it in or "
        "take it out",
        "plan/response_plan.md:7: warning: unfilled template placeholder '[TODO]': fill it in "
        "or take it out",
        "plan/response_plan_v2.md:2: warning: unfilled template placeholder '{}': fill it in "
        "or take it out",
        "test.md:1: warning: looks like a test page (title 'Test'): take it out of the folder, "
        "or give it a real title",
    ]


def test_placeholders_in_code_and_ordinary_brackets_are_not_warnings(tmp_path):
    folder = write_pages(tmp_path / "x", {
        "a.md": "# Radios\n\nUse `{{channel}}` in the script and `{}`.\n\n```\n{{ x }}\n```\n"
                "See [your radio guide](https://example.org) and [Insert](#radios).\n"
                "Step {#ok} and a set {a, b}.\n",
        "samples/b.md": "# Water samples\n\nHow to take them.\n",
        "b.md": "# Sample collection\n\nHow to take them.\n",
        "examples.md": "# Scenarios\n\nTabletop.\n",
    })
    result = read_pack_folder(folder, today=TODAY)
    leftovers = [str(f) for f in result.warnings if "imported as a guide" not in f.message]
    assert leftovers == [
        "b.md:1: warning: looks like a test page (title 'Sample collection'): take it out of "
        "the folder, or give it a real title",
        "examples.md:1: warning: looks like a test page (file name 'examples'): take it out "
        "of the folder, or give it a real title",
    ]


def test_many_placeholders_on_a_page_are_ten_warnings_and_a_count(tmp_path):
    folder = write_pages(tmp_path / "x", {"form.md": "# Form\n\n" + "Name: {{NAME}}\n\n" * 30})
    found = [f for f in read_pack_folder(folder, today=TODAY).warnings
             if "placeholder" in f.message]
    assert len(found) == 11 and [f.line for f in found[:2]] == [3, 5]
    assert (found[-1].line, found[-1].message) == (
        23, "20 more lines with unfilled placeholders from here on")


@needs_fixture
def test_footnotes_render_and_tags_leave_link_text(shipped_db, template, tmp_path):
    data = tmp_path / "data"
    add_pack(template, data, "Acme plan", known_ids=shipped_ids(shipped_db))
    library = Library.open(shipped_db, pack_paths(data))
    html = library.document("notes").html
    assert "&lt;sup&gt;" not in html and "<sup>" not in html.split('class="footnote-ref"')[0]
    assert '<a href="#rota">the rota[2]</a>' in html
    assert 'href="#fn-1"' in html and 'id="fn-1"' in html and "On 555-0100" in html
    assert "[^1]" not in html
    library.close()


@needs_fixture
def test_a_summary_from_the_first_paragraph_is_shown_once(shipped_db, template, tmp_path):
    data = tmp_path / "data"
    add_pack(template, data, "Acme plan", known_ids=shipped_ids(shipped_db))
    library = Library.open(shipped_db, pack_paths(data))
    page = page_html(library.document("index"))
    assert page.count("This documentation covers parts of the PagerDuty") == 1, page[:600]
    assert '<p class="summary">' not in page
    described = page_html(library.document("getting-started"))  # a description of its own
    assert '<p class="summary">This &#x27;Getting Started&#x27; guide' in described
    tourniquet = page_html(library.document("tourniquet"))  # a shipped summary stays
    assert '<p class="summary">' in tourniquet
    library.close()


def test_a_footnote_mark_is_not_in_the_summary(tmp_path):
    folder = write_pages(tmp_path / "x", {"a.md": "# A\n\nCall first.[^1]\n\n[^1]: Day.\n"})
    [doc] = read_pack_folder(folder, today=TODAY).docs
    assert doc.summary == "Call first."


@needs_fixture
def test_binder_check_on_a_pack_folder_counts_the_pages_nobody_reviewed(template, capsys):
    from binder.cli import main

    assert main(["check", "--pack", str(template)]) == 0
    out, err = capsys.readouterr()
    assert "test.md:1: warning: looks like a test page" in out
    assert err == "binder check: 40 pages, 0 errors, 45 warnings, 39 not reviewed\n"


def test_an_update_keeps_the_section_the_pack_was_added_to(tmp_path):
    from binder.content.packs import update_pack

    folder = write_pages(tmp_path / "County", {"radio.md": "# Radio\n\nChannel 2.\n"})
    data = tmp_path / "data"
    add_pack(folder, data, default_section="Wellness")
    assert [d.section for d in update_pack(data, "county").docs] == ["Wellness"]
    add_pack(folder, data)
    assert [d.section for d in update_pack(data, "county").docs] == ["County"]


def test_a_shipped_page_renders_its_footnotes(tmp_path, content_dir):
    from binder.content.build import build_store
    from binder.content.store import ContentStore
    from tests.conftest import GUIDE

    write_pages(content_dir, {"response/casualty-guide.md": GUIDE.replace(
        "Casualties go to a casualty collection point.",
        "Casualties go to a casualty collection point.[^ccp]\n\n[^ccp]: Set up by Fire.")})
    build_store(content_dir, tmp_path / "c.db")
    store = ContentStore(tmp_path / "c.db")
    html = store.document("casualty-guide").html
    assert 'href="#fn-ccp"' in html and "Set up by Fire." in html and "[^ccp]" not in html
    store.close()
