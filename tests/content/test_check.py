"""binder check: each rule shown by a small bad page and the exact message it gives."""

import datetime as dt

import pytest

from binder.content.check import check_content, months_before
from tests.conftest import CHECKLIST, GUIDE, SAMPLE_PAGES, write_pages

TODAY = dt.date(2026, 11, 23)
TQ = "casualty-care/tourniquet.md"


def findings_for(tmp_path, changes: dict[str, str], **kwargs) -> list[str]:
    pages = dict(SAMPLE_PAGES, **changes)
    folder = write_pages(tmp_path / "content", {k: v for k, v in pages.items() if v})
    return [str(f) for f in check_content(folder, today=TODAY, **kwargs)]


def test_the_sample_content_is_clean(tmp_path):
    assert findings_for(tmp_path, {}) == []


def test_the_shipped_content_has_no_errors():
    from tests.conftest import REPO

    errors = [str(f) for f in check_content(REPO / "content") if not f.warning]
    assert errors == []


@pytest.mark.parametrize("page, expected", [
    ("no front matter\n", f"{TQ}:1: no front matter: the page must start with a '---' line"),
    (CHECKLIST.replace("---\nFor trained", "For trained"),
     f"{TQ}:1: front matter is not closed: add a '---' line after it"),
    (CHECKLIST.replace("tags: [TQ, hemorrhage, bleeding]", "tags: [TQ"),
     f"{TQ}:7: front matter is not valid YAML: expected ',' or ']', but got ':'"),
])
def test_front_matter_that_cannot_be_read(tmp_path, page, expected):
    assert findings_for(tmp_path, {TQ: page}) == [expected]


def test_every_field_problem_of_a_page_is_reported_at_once(tmp_path):
    page = (CHECKLIST.replace("kind: checklist", "kind: recipe")
            .replace("section: Casualty care", "section: Medical")
            .replace("reviewed: 2026-11-20", "reviewed: last spring")
            .replace("summary: Stop life-threatening limb bleeding and record the time.\n", ""))
    assert findings_for(tmp_path, {TQ: page}) == [
        f"{TQ}:1: front matter is missing 'summary'",
        f"{TQ}:3: unknown kind 'recipe' (use one of: checklist, guide, contacts, funding)",
        f"{TQ}:4: unknown section 'Medical' (use one of: Response, Casualty care, Funding, "
        "Wellness, Exercises, Contacts, Forms)",
        f"{TQ}:10: 'reviewed' is not a date (YYYY-MM-DD): last spring",
    ]


def test_a_checklist_without_steps(tmp_path):
    page = CHECKLIST.split("## Under fire")[0]
    assert findings_for(tmp_path, {TQ: page, "response/casualty-guide.md": GUIDE.replace(
        "See the [tourniquet checklist](../casualty-care/tourniquet.md) and the", "See the")}) == [
        f"{TQ}:3: a checklist page with no steps: write each as '- [ ] Do this {{#id}}' "
        "under a heading",
    ]


def test_two_steps_with_the_same_id(tmp_path):
    page = CHECKLIST.replace("{#apply-high}", "{#cover}")
    assert findings_for(tmp_path, {TQ: page}) == [
        f"{TQ}:17: step id 'cover' is used twice (first on line 16)",
    ]


def test_links_to_missing_pages_and_anchors(tmp_path):
    page = CHECKLIST + (
        "- [ ] Read the [guide](../response/nowhere.md) {#a}\n"
        "- [ ] Read the [timing](../response/casualty-guide.md#no-such-part) {#b}\n"
        "- [ ] Go back to [cover](#cover) and [up](#no-step) {#c}\n"
        "- [ ] Open [the file](notes.txt) {#d}\n"
    )
    assert findings_for(tmp_path, {TQ: page}) == [
        f"{TQ}:21: link to a page that does not exist: 'nowhere'",
        f"{TQ}:22: link to '#no-such-part' in 'casualty-guide', which has no such heading or step",
        f"{TQ}:23: link to '#no-step' in 'tourniquet', which has no such heading or step",
        f"{TQ}:24: link 'notes.txt' goes nowhere: link to another page's .md file or to an "
        "https:// address",
    ]


def test_a_page_no_section_lists(tmp_path):
    found = findings_for(tmp_path, {TQ: "", "misc/tourniquet.md": CHECKLIST})
    assert found == [
        "misc/tourniquet.md:4: no section lists this page: it is in 'misc/', and section "
        "'Casualty care' lists the pages in 'casualty-care/'",
    ]


def test_an_old_review_date_is_a_warning_with_a_configurable_age(tmp_path):
    page = CHECKLIST.replace("reviewed: 2026-11-20", "reviewed: 2025-10-01")
    assert findings_for(tmp_path, {TQ: page}) == [
        f"{TQ}:11: warning: last reviewed 2025-10-01, more than 12 months ago: check the page "
        "and update 'reviewed'",
    ]
    assert findings_for(tmp_path, {TQ: page}, max_age_months=18) == []


def test_raw_html_scripts_and_images(tmp_path):
    page = GUIDE + (
        "\nSome <b>bold</b> text, `<code>` is fine, and so is <https://example.org>.\n"
        "<script>alert(1)</script>\n"
        "![map](https://example.org/map.png) and ![plan](plan.png)\n"
        "\n```\n<div>in a code block is fine</div>\n```\n"
    )
    guide = "response/casualty-guide.md"
    assert findings_for(tmp_path, {guide: page}) == [
        f"{guide}:22: raw HTML </b> is shown as text, not as HTML: write it in Markdown",
        f"{guide}:22: raw HTML <b> is shown as text, not as HTML: write it in Markdown",
        f"{guide}:23: a script is never run: remove it",
        f"{guide}:23: raw HTML </script> is shown as text, not as HTML: write it in Markdown",
        f"{guide}:24: image plan.png is not shown: describe it in words",
        f"{guide}:24: remote image https://example.org/map.png is never loaded: remove it",
    ]


def test_casualty_care_pages_open_with_the_notice_and_sources_need_an_address(tmp_path):
    page = (CHECKLIST.replace("For trained personnel. Follow your agency's medical direction "
                              "and training.\n", "")
            .replace("    url: https://www.valorforblue.org/\n", ""))
    assert findings_for(tmp_path, {TQ: page}) == [
        f"{TQ}:8: source 'BJA VALOR Casualty Care Toolkit' has no web address (url)",
        f"{TQ}:13: a casualty-care page must open with: For trained personnel. Follow your "
        "agency's medical direction and training.",
    ]


def test_months_before_handles_short_months():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 11, 23), 12) == dt.date(2025, 11, 23)
