"""Parsing pages: front matter, steps, links, and the messages for bad pages."""

import pytest

from binder.content.content import ContentError, ContentErrors, load_content, parse_page
from binder.content.render import render_markdown
from tests.conftest import CHECKLIST, GUIDE, write_pages


def test_checklist_steps_have_stable_ids_phases_and_order():
    doc = parse_page(CHECKLIST, "casualty-care/tourniquet.md")
    assert doc.id == "tourniquet"
    assert [s.id for s in doc.steps] == [
        "tourniquet/cover", "tourniquet/apply-high", "tourniquet/time"]
    assert [s.phase for s in doc.steps] == ["Under fire", "Under fire", "Field care"]
    assert [s.position for s in doc.steps] == [1, 2, 3]
    assert doc.steps[0].text == "Move to cover if you can"
    assert doc.steps[0].line == 16
    assert doc.tags == ["TQ", "hemorrhage", "bleeding"]
    assert doc.reviewed == "2026-11-20"


def test_step_without_explicit_id_gets_one_from_its_text():
    text = CHECKLIST.replace(" {#cover}", "")
    doc = parse_page(text, "casualty-care/tourniquet.md")
    assert doc.steps[0].id == "tourniquet/move-to-cover-if-you-can"


def test_prose_and_steps_keep_their_reading_order():
    doc = parse_page(CHECKLIST, "casualty-care/tourniquet.md")
    kinds = ["step" if b.step_id else "prose" for b in doc.blocks]
    assert kinds == ["prose", "step", "step", "prose", "step"]
    assert doc.blocks[0].md.splitlines()[-1] == "## Under fire"
    assert [b.line for b in doc.blocks if not b.step_id] == [13, 18]


def page_html(text: str, path: str) -> str:
    doc = parse_page(text, path)
    return "".join(render_markdown(b.md, path) for b in doc.blocks if b.md)


def test_links_to_pages_become_binder_links_and_outside_links_stay():
    html = page_html(GUIDE, "response/casualty-guide.md")
    assert 'href="binder:tourniquet"' in html
    assert 'href="https://example.org/guide"' in html
    assert ("binder:tourniquet", 19) in parse_page(GUIDE, "response/casualty-guide.md").links
    assert "<table>" in html


def test_raw_html_is_shown_as_text_and_images_are_dropped():
    text = GUIDE + '\n<script>alert(1)</script>\n\n![map](https://example.org/map.png)\n'
    html = page_html(text, "response/casualty-guide.md")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html and "[image: map]" in html


@pytest.mark.parametrize(
    "broken, line, message",
    [
        (CHECKLIST.replace("tags: [TQ, hemorrhage, bleeding]", "tags: [TQ, bleeding"), 7,
         "front matter is not valid YAML"),
        (CHECKLIST.replace("---\nFor trained", "For trained"), 1, "front matter is not closed"),
        (CHECKLIST.replace("summary: Stop life-threatening limb bleeding and record the time.\n",
                           ""), 1, "front matter is missing 'summary'"),
        (CHECKLIST.replace("kind: checklist", "kind: recipe"), 3, "unknown kind 'recipe'"),
        (CHECKLIST.replace("section: Casualty care", "section: Medical"), 4,
         "unknown section 'Medical'"),
        (CHECKLIST.replace("reviewed: 2026-11-20", "reviewed: last spring"), 11,
         "'reviewed' is not a date"),
        (CHECKLIST.replace("{#apply-high}", "{#cover}"), 17, "step id 'cover' is used twice"),
        ("Just text, no front matter\n", 1, "no front matter"),
    ],
)
def test_bad_page_names_file_line_and_problem(broken, line, message):
    with pytest.raises(ContentError) as caught:
        parse_page(broken, "casualty-care/tourniquet.md")
    assert caught.value.path == "casualty-care/tourniquet.md"
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"casualty-care/tourniquet.md:{line}: ")


def test_every_problem_in_a_folder_is_reported_at_once(tmp_path):
    folder = write_pages(tmp_path, {
        "a/one.md": "no front matter\n",
        "b/two.md": CHECKLIST.replace("kind: checklist", "kind: memo"),
        "c/tourniquet.md": CHECKLIST,
        "d/tourniquet.md": CHECKLIST,
    })
    with pytest.raises(ContentErrors) as caught:
        load_content(folder)
    messages = [str(e) for e in caught.value.errors]
    assert messages[0].startswith("a/one.md:1: no front matter")
    assert messages[1].startswith("b/two.md:3: unknown kind 'memo'")
    assert messages[2] == "d/tourniquet.md:1: page id 'tourniquet' is also used by c/tourniquet.md"
    assert len(messages) == 3


def test_a_list_right_under_a_paragraph_line_is_a_list():
    from binder.content.render import render_markdown

    html = render_markdown("**Zones**\n- **Hot:** direct threat\n- **Warm:** isolated\n", "a.md")
    assert html == ("<p><strong>Zones</strong></p>\n<ul>\n<li><strong>Hot:</strong> direct "
                    "threat</li>\n<li><strong>Warm:</strong> isolated</li>\n</ul>")
    assert "<ol>" in render_markdown("Steps:\n1. First\n2. Second\n", "a.md")
    # a number in running text is not a list, and code stays code
    assert "<ol>" not in render_markdown("It holds\n2. numbers\n", "a.md")
    assert "<ul>" not in render_markdown("```\ntext\n- not a list\n```\n", "a.md")
