"""The words of some Markdown, without importing a Markdown parser (search snippets, index)."""

from __future__ import annotations

import re

_LINK_OR_IMAGE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP_CHARS = re.compile(r"\{#[^}]*\}|\[[ xX]\]|<https?://[^>]+>|[*_`#>|~]+|:?-{3,}:?")
_LIST_MARK = re.compile(r"^\s*(?:[-+]|\d+[.)])\s+", re.MULTILINE)
_ANY_MARKUP = re.compile(r"[\[\]*_`#>|~{<:-]|^\s*\d+[.)]", re.MULTILINE)
_INNER_STARS = re.compile(r"(?<=[^\W_])\*{1,3}(?=[^\W_])")  # **H**emorrhage: one word


def joined_words(text: str) -> str:
    """Markdown with the emphasis marks inside words taken out: "**R**apid" is "**Rapid"."""
    return _INNER_STARS.sub("", text) if "*" in text else text


_LINK_TARGET_ONLY = re.compile(r"\]\([^)]*\)")


def without_link_targets(text: str) -> str:
    """Markdown with "(target)" taken out of its links, so addresses are not searched."""
    return _LINK_TARGET_ONLY.sub("]", text) if "](" in text else text


def markdown_to_text(text: str) -> str:
    """The words of some Markdown, for the search index and snippets: no markup, no URLs."""
    if not _ANY_MARKUP.search(text):
        return " ".join(text.split())  # most steps are plain words
    text = _LINK_OR_IMAGE.sub(r"\1", joined_words(text))
    text = _LIST_MARK.sub("", text)
    text = _MARKUP_CHARS.sub(" ", text)
    return " ".join(text.split())
