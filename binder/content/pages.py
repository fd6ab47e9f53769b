"""The parts of a page a person sees around its body: the header and the sources."""

from __future__ import annotations

import datetime as dt
from html import escape

from binder.content.dates import months_before
from binder.content.store import DocRecord, html_to_text

KIND_NAMES = {"checklist": "Checklist", "guide": "Guide", "contacts": "Contact list",
              "funding": "Funding steps"}


def review_note(reviewed: str, today: dt.date | None = None, max_age_months: int = 12) -> str:
    """'last reviewed 2026-11-20', and a quiet warning when that is too long ago; 'not
    reviewed' when nobody said (an agency page whose front matter has no review date)."""
    if not reviewed:
        return "not reviewed"
    note = f"last reviewed {reviewed}"
    if reviewed and dt.date.fromisoformat(reviewed) < months_before(
            today or dt.date.today(), max_age_months):
        note += f" (over {max_age_months} months ago: check it before relying on it)"
    return note


def origin_note(doc: DocRecord) -> str:
    """' · from the agency pack “X”', and whether it stands in for a shipped page."""
    if not doc.pack:
        return ""
    note = f" · from the agency pack “{doc.pack}”"
    return note + (", in place of the shipped page" if doc.replaces else "")


def header_html(doc: DocRecord, today: dt.date | None = None) -> str:
    kind = KIND_NAMES.get(doc.kind, doc.kind)
    return (
        f"<h1>{escape(doc.title)}</h1>"
        f'<p class="meta">{escape(kind)} · {escape(doc.section)} · '
        f"{escape(review_note(doc.reviewed, today))}{escape(origin_note(doc))}</p>"
        f"{summary_html(doc)}"
    )


def summary_html(doc: DocRecord) -> str:
    """The summary under the title, unless the page goes on to say it anyway: an agency page
    whose summary was taken from its first paragraph."""
    summary = " ".join(doc.summary.removesuffix("…").split())
    first = next((block["html"] for block in doc.blocks if block.get("html")), "")
    if not summary or summary in html_to_text(first):
        return ""
    return f'<p class="summary">{escape(doc.summary)}</p>'


def sources_html(doc: DocRecord) -> str:
    if not doc.sources:
        return ""
    items = []
    for source in doc.sources:
        name, url = escape(source.get("name", "")), escape(source.get("url", ""))
        link = f' — <a class="external" href="{url}">{url}</a>' if url else ""
        items.append(f"<li>{name}{link}</li>")
    return f'<h2 class="sources">Sources</h2><ul class="sources">{"".join(items)}</ul>'


def page_html(doc: DocRecord) -> str:
    """The whole page as one HTML document, as the document view shows it."""
    return f"{header_html(doc)}{doc.html}{sources_html(doc)}"


def message_html(title: str, message: str) -> str:
    return f"<h1>{escape(title)}</h1><p>{escape(message)}</p>"
