"""The parts of a page a person sees around its body: the header and the sources."""

from __future__ import annotations

from html import escape

from binder.core.store import DocRecord

KIND_NAMES = {"checklist": "Checklist", "guide": "Guide", "contacts": "Contacts",
              "funding": "Funding steps"}


def header_html(doc: DocRecord) -> str:
    kind = KIND_NAMES.get(doc.kind, doc.kind)
    return (
        f"<h1>{escape(doc.title)}</h1>"
        f'<p class="meta">{escape(kind)} · {escape(doc.section)} · '
        f"last reviewed {escape(doc.reviewed)}</p>"
        f'<p class="summary">{escape(doc.summary)}</p>'
    )


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
