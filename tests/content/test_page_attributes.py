"""Attributes a page may set ({: #id .class } only) and the HTML sanitised by nh3."""

import datetime as dt
from html.parser import HTMLParser

from binder.content.check import check_content
from binder.content.render import HTML_ATTRIBUTES, HTML_TAGS, render_inline, render_markdown
from tests.conftest import GUIDE, SAMPLE_PAGES, write_pages
from tests.hostile_pages import naughty_strings

TODAY = dt.date(2026, 11, 23)
HOSTILE = """\
Hidden orders
{: style="display:none" onclick="alert(1)" }

## Rooms {: #rooms .wide style="background-image: url(/etc/passwd)" background="/etc/passwd" }

A [link](https://example.org){: onclick="steal()" href="file:///etc/passwd" .external }
and *stress*{: style="color: white" }.
"""


def test_a_page_sets_only_id_and_class_and_no_style_or_background_reaches_the_html():
    html = render_markdown(HOSTILE, "response/page.md")
    assert "Hidden orders" in html and "Rooms" in html
    for word in ("style", "onclick", "background", "display", "/etc/passwd", "file:"):
        assert word not in html
    assert '<h2 class="wide" id="rooms">' in html or '<h2 id="rooms" class="wide">' in html
    assert 'href="https://example.org"' in html


def test_links_keep_only_the_schemes_binder_uses():
    html = render_markdown("[a](javascript:alert(1)) [b](file:///etc/passwd) "
                           "[c](https://example.org) [d](tel:+12025550100) [e](#rooms)",
                           "response/page.md")
    assert "javascript" not in html and "file:" not in html
    assert 'href="https://example.org"' in html and 'href="tel:+12025550100"' in html
    assert 'href="#rooms"' in html


def test_table_alignment_is_an_attribute_not_a_style():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n", "response/page.md")
    assert "style" not in html
    assert 'align="left"' in html and 'align="right"' in html


def test_a_step_keeps_its_id_and_loses_an_onclick():
    html = render_inline('Call *dispatch*{: onclick="x()" } now', "response/page.md")
    assert "onclick" not in html and "<em>dispatch</em>" in html


def test_check_names_the_file_and_line_of_each_disallowed_attribute(tmp_path):
    page = GUIDE + "\n" + HOSTILE
    pages = dict(SAMPLE_PAGES, **{"response/casualty-guide.md": page})
    folder = write_pages(tmp_path / "content", pages)
    found = [str(f) for f in check_content(folder, today=TODAY)]
    guide = "response/casualty-guide.md"
    assert found == [
        f"{guide}:23: attribute 'onclick' is left out: a page may set only an id and classes "
        "({: #id .class })",
        f"{guide}:23: attribute 'style' is left out: a page may set only an id and classes "
        "({: #id .class })",
        f"{guide}:25: attribute 'background' is left out: a page may set only an id and "
        "classes ({: #id .class })",
        f"{guide}:25: attribute 'style' is left out: a page may set only an id and classes "
        "({: #id .class })",
        f"{guide}:27: attribute 'href' is left out: a page may set only an id and classes "
        "({: #id .class })",
        f"{guide}:27: attribute 'onclick' is left out: a page may set only an id and classes "
        "({: #id .class })",
        f"{guide}:28: attribute 'style' is left out: a page may set only an id and classes "
        "({: #id .class })",
    ]


def test_placeholders_and_step_ids_are_not_attributes(tmp_path):
    page = GUIDE + "\nWritten by {{AUTHOR_NAME}} for {} in {ORG}.\n\n## Plan {#plan}\n"
    pages = dict(SAMPLE_PAGES, **{"response/casualty-guide.md": page})
    folder = write_pages(tmp_path / "content", pages)
    assert [str(f) for f in check_content(folder, today=TODAY)] == []


class Markup(HTMLParser):
    """Every tag, attribute and link a piece of HTML really holds (text is not markup)."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name, value or "") for name, value in attrs] or [(tag, "", "")]


def test_naughty_strings_in_a_page_render_as_text_and_never_as_markup():
    for text in naughty_strings():
        page = f"# {text}\n\n{text}\n\n- [{text}](https://example.org) {text}\n\n| {text} |\n"
        parser = Markup()
        parser.feed(render_markdown(page, "response/page.md"))
        for tag, name, value in parser.found:
            assert tag in HTML_TAGS, (text, tag)
            assert not name or name in HTML_ATTRIBUTES["*"] | HTML_ATTRIBUTES.get(tag, set())
            if name == "href":
                assert value.split(":", 1)[0] in ("https", "binder") or value.startswith("#")
