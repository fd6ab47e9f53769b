"""Snippets for search results: a passage around the first match, the matched words in bold."""

from __future__ import annotations

import html

from binder.core.query import WORD, Query
from binder.core.render import markdown_to_text

PASSAGE_WORDS = 24
WINDOW_BEFORE, WINDOW_AFTER = 160, 320  # characters around the first match


def highlight(text: str, query: Query) -> str:
    """The text, HTML-escaped, with every word the query matches in <b>."""
    spans = []
    for pattern in query.patterns():
        spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        out += [html.escape(text[position:start]), "<b>", html.escape(text[start:end]), "</b>"]
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def passage(text: str, query: Query) -> str:
    """About two dozen words around the first match in a long text, highlighted."""
    patterns = query.patterns()
    first = min((m.start() for p in patterns if (m := p.search(text))), default=0)
    begin = max(0, first - WINDOW_BEFORE)
    window = text[begin:first + WINDOW_AFTER]  # never split a whole page into words
    words = list(WORD.finditer(window))
    if not words:
        return ""
    at = next((i for i, w in enumerate(words) if begin + w.end() > first), 0)
    start = max(0, at - PASSAGE_WORDS // 3)
    if begin and start == 0:
        start = 1  # the first word of the window may be cut
    end = min(len(words), start + PASSAGE_WORDS)
    piece = markdown_to_text(window[words[start].start():words[end - 1].end()])
    before = "…" if begin + words[start].start() > 0 else ""
    after = "…" if begin + words[end - 1].end() < len(text) else ""
    return before + highlight(piece, query) + after
