"""Snippets for search results: a passage around the first match, the matched words in bold."""

from __future__ import annotations

import html
import re

from binder.content.plain_text import joined_words, markdown_to_text
from binder.search.query import WORD, Query

PASSAGE_WORDS = 16
SHORT_CHARS = 110  # a summary or a step, cut around the match to about two lines of the list
WINDOW_BEFORE, WINDOW_AFTER = 160, 320  # characters around the first match
CUT_LINK_END = re.compile(r"\]\([^)]*$")  # "[text](target" cut at the window's end
CUT_LINK_START = re.compile(r"^[^\s()\[\]]*\)")  # "target) more" cut at its start


def highlight(text: str, query: Query) -> str:
    """The text, HTML-escaped, with every word the query matches in <b>."""
    out, position = [], 0
    for match in query.pattern().finditer(text):
        start, end = match.span()
        out += [html.escape(text[position:start]), "<b>", html.escape(text[start:end]), "</b>"]
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def short(text: str, query: Query) -> str:
    """A summary or step, highlighted, cut to about two lines around its first match."""
    if len(text) <= SHORT_CHARS:
        return highlight(text, query)
    found = query.pattern().search(text)
    first = found.start() if found else 0
    start = max(0, min(first - SHORT_CHARS // 3, len(text) - SHORT_CHARS))
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = text.find(" ", start + SHORT_CHARS)
    end = len(text) if end < 0 else end
    return (("…" if start else "") + highlight(text[start:end], query)
            + ("…" if end < len(text) else ""))


def passage(text: str, query: Query) -> str:
    """About a dozen and a half words around the first match in a long text, highlighted."""
    pattern = query.pattern()
    text = joined_words(text)
    found = pattern.search(text)
    first = found.start() if found else 0
    begin = max(0, first - WINDOW_BEFORE)
    raw = text[begin:first + WINDOW_AFTER]  # never clean or split a whole page
    window = markdown_to_text(CUT_LINK_START.sub("", CUT_LINK_END.sub("]", raw)))
    words = list(WORD.finditer(window))
    if not words:
        return ""
    at = next((i for i, w in enumerate(words) if pattern.match(window, w.start())), 0)
    start = max(0, at - PASSAGE_WORDS // 3)
    if begin and start == 0:
        start = 1  # the first word of the window may be cut
    end = min(len(words), start + PASSAGE_WORDS)
    piece = window[words[start].start():words[end - 1].end()]
    before = "…" if begin or start else ""
    after = "…" if end < len(words) or first + WINDOW_AFTER < len(text) else ""
    return before + highlight(piece, query) + after


def as_text(snippet_html: str, mark_open: str = "", mark_close: str = "") -> str:
    """A snippet as plain text (for a terminal or a screen reader), the marks shown as given."""
    text = snippet_html.replace("<b>", mark_open).replace("</b>", mark_close)
    return html.unescape(text)
