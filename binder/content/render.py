"""Markdown -> safe HTML for the document view: links resolved, raw HTML and images refused,
only id and class taken from a page, the result sanitised by nh3."""

from __future__ import annotations

import html
import posixpath
import re
import time
import unicodedata
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from binder.content.limits import MAX_NESTING, RENDER_SECONDS, page_problem
from binder.content.plain_text import markdown_to_text, without_link_targets  # noqa: F401

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")
# What the rendered HTML may hold, all in one place: the tags Python-Markdown writes for the
# extensions below (footnotes' sup included), the attributes Binder uses (anchors, its classes
# for links, notes and images, table alignment, list numbering), and the link schemes it follows.
PAGE_ATTRIBUTES = ("id", "class")  # all a page may set itself: {: #id .class }
HTML_TAGS = {
    "a", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
HTML_ATTRIBUTES = {"*": set(PAGE_ATTRIBUTES), "a": {"href", "name", "title"},
                   "td": {"align"}, "th": {"align"}, "ol": {"start"}}
LINK_SCHEMES = {"binder", *EXTERNAL_SCHEMES}
_cleaner = nh3.Cleaner(tags=HTML_TAGS, attributes=HTML_ATTRIBUTES, url_schemes=LINK_SCHEMES,
                       link_rel=None)
MARKUP = re.compile(r"[*_`\[\]<>&\\!]|https?://")
LIST_START = re.compile(r"^ {0,3}(?:[-*+]|1[.)])\s+\S")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
MAX_TREE_DEPTH = 3 * MAX_NESTING + 10  # elements inside each other in the rendered HTML
SHOWN_AS_TEXT = 200_000  # characters of a page shown as plain text when it cannot be rendered
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
LINK_TARGET = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)")


def doc_id_for(path: str) -> str:
    """The id of the page stored at a content-relative path (its file name, slugged)."""
    stem = posixpath.splitext(posixpath.basename(path))[0]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_stem.lower())) or "page"


def resolve_link(href: str, from_path: str) -> str | None:
    """Map a link as written in a page to the href the view uses, or None if it is broken.

    Relative links to other pages become "binder:doc-id#anchor"; outside addresses stay as
    they are (the view shows them and never fetches them); anything else is broken.
    """
    parts = urlsplit(href)
    if parts.scheme in EXTERNAL_SCHEMES:
        return href
    if parts.scheme == "binder":
        return href
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return f"#{parts.fragment}" if parts.fragment else None
    if not parts.path.endswith(".md"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), parts.path))
    anchor = f"#{parts.fragment}" if parts.fragment else ""
    return f"binder:{doc_id_for(target)}{anchor}"


class LinkRewriter(Treeprocessor):
    """Rewrite links for the view and turn images into their alternative text."""

    from_path = ""

    def run(self, root):
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    parent.remove(child)
                    span = _element("span", {"class": "image"}, f"[image: {child.get('alt', '')}]")
                    span.tail = child.tail
                    parent.insert(index, span)
        for link in root.iter("a"):
            href = resolve_link(link.get("href", ""), self.from_path)
            if href is None:
                link.attrib.pop("href", None)
                link.set("class", "broken")
            else:
                link.set("href", href)
                if urlsplit(href).scheme in EXTERNAL_SCHEMES:
                    link.set("class", "external")
        return None


def _element(tag, attrib, text):
    from xml.etree.ElementTree import Element

    element = Element(tag, attrib)
    element.text = text
    return element


class PageAttributes(AttrListTreeprocessor):
    """attr_list that sets only an id and classes: style, onclick, href and the rest are
    left out (and an attribute Markdown itself set, such as a link's href, is kept)."""

    def assign_attrs(self, elem, attrs_string: str, *, strict: bool = False) -> str:
        before = dict(elem.attrib)
        remainder = super().assign_attrs(elem, attrs_string, strict=strict)
        for key in list(elem.attrib):
            if key in PAGE_ATTRIBUTES:
                continue
            if key in before:
                elem.set(key, before[key])
            else:
                del elem.attrib[key]
        return remainder


class Unrenderable(Exception):
    """A piece of a page past the renderer's time or depth budget: shown as plain text."""


class Budget:
    """The time one page may take to render; every block and inline pattern checks it."""

    deadline = float("inf")

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise Unrenderable("it took too long to lay out")

    def guard(self, function):
        def checked(*args, **kwargs):
            self.check()
            return function(*args, **kwargs)
        return checked


class DepthCheck(Treeprocessor):
    """Refuse a tree nested deeper than the window lays out quickly (walked without
    recursion, so no depth raises RecursionError here)."""

    def run(self, root):
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            if depth > MAX_TREE_DEPTH:
                raise Unrenderable(f"it is nested more than {MAX_TREE_DEPTH} levels deep")
            stack.extend((child, depth + 1) for child in element)


class ListsInterruptParagraphs(Preprocessor):
    """Let a list start right under a paragraph line, as CommonMark (and most authors) expect;
    Python-Markdown would otherwise run the items into the paragraph."""

    def run(self, lines):
        out, in_fence = [], False
        for line in lines:
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            previous = out[-1] if out else ""
            if (not in_fence and LIST_START.match(line) and previous.strip()
                    and not LIST_ITEM.match(previous) and not previous.startswith((" ", "\t"))
                    and not previous.lstrip().startswith(("#", "|", ">"))):
                out.append("")
            out.append(line)
        return out


class SafeBinderExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.preprocessors.register(ListsInterruptParagraphs(md), "binder_lists", 25)
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(PageAttributes(md), "attr_list", 8)  # in attr_list's place
        self.rewriter = LinkRewriter(md)
        md.treeprocessors.register(self.rewriter, "binder_links", 1)
        md.treeprocessors.register(DepthCheck(md), "binder_depth", 30)  # before inline


def with_budget(md: markdown.Markdown, budget: Budget) -> markdown.Markdown:
    """Every block processor and inline pattern of md checks the budget before it runs."""
    for processor in md.parser.blockprocessors:
        processor.run = budget.guard(processor.run)
    for pattern in md.inlinePatterns:
        pattern.handleMatch = budget.guard(pattern.handleMatch)
    return md


_extension = SafeBinderExtension()
_budget = Budget()
_md = with_budget(markdown.Markdown(
    extensions=[
        "tables", "sane_lists", "fenced_code", "admonition", "attr_list", "toc", "footnotes",
        _extension
    ],
    extension_configs={"footnotes": {"SEPARATOR": "-"},  # "#fn-1": an anchor as we write them
                       "tables": {"use_align_attribute": True}},
    output_format="html",
), _budget)


def collect_links(text: str, from_path: str, first_line: int = 1) -> list[tuple[str, int]]:
    """The links a piece of a page makes that are not to outside addresses, with their lines:
    "binder:id#anchor", "#anchor", or the target as written when it goes nowhere."""
    links = []
    if "](" not in text:
        return links
    for offset, line in enumerate(text.splitlines()):
        for match in LINK_TARGET.finditer(line):
            if match.group(1):
                continue  # an image, not a link
            target = resolve_link(match.group(2), from_path)
            if target is None:
                links.append((match.group(2), first_line + offset))
            elif urlsplit(target).scheme not in EXTERNAL_SCHEMES:
                links.append((target, first_line + offset))
    return links


def render_markdown(text: str, from_path: str, deadline: float | None = None) -> str:
    """Render a piece of a page to the HTML the views show; a piece past the limits or the
    time budget (by `deadline`, a time.monotonic(); else RENDER_SECONDS from now) is shown
    as its text, with why, and never raises."""
    text = LONE_SURROGATE.sub("\ufffd", text)  # none comes from a file; one could from a db
    problem = page_problem(text)
    if problem:
        return unrendered(text, f"{problem[1]} (line {problem[0]})")
    _budget.deadline = time.monotonic() + RENDER_SECONDS if deadline is None else deadline
    _extension.rewriter.from_path = from_path
    try:
        _budget.check()
        _md.reset()
        _md.parser.state.clear()  # reset() leaves it as a render stopped midway left it
        return _cleaner.clean(_md.convert(text))
    except Unrenderable as exc:
        return unrendered(text, str(exc))
    except RecursionError:
        return unrendered(text, "it is nested too deeply")
    finally:
        _budget.deadline = float("inf")


def unrendered(text: str, why: str) -> str:
    """A piece of a page that cannot be rendered: a plain message, then its text as written."""
    shown = text[:SHOWN_AS_TEXT]
    more = len(text) - len(shown)
    rest = f"<p>(… {more:,} more characters are not shown)</p>" if more else ""
    return (f'<p class="unrendered">This part of the page is shown as plain text: '
            f"{html.escape(why)}.</p><pre>{html.escape(shown)}</pre>{rest}")


def render_inline(text: str, from_path: str, deadline: float | None = None) -> str:
    """Render one line of Markdown without the paragraph around it."""
    if not MARKUP.search(text):
        return html.escape(text, quote=False)  # most steps are plain words: no parser needed
    rendered = render_markdown(text, from_path, deadline)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered
