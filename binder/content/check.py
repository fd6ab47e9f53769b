"""binder check: the content linter; every problem at once, each as path:line: message."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from binder.content.build import body_text
from binder.content.content import ContentError, Document, key_line, parse_page, slugify
from binder.content.dates import months_before
from binder.content.glossary import glossary_problems
from binder.content.limits import page_problem
from binder.content.render import PAGE_ATTRIBUTES, render_markdown

SECTION_FOLDERS = {
    "Response": "response",
    "Casualty care": "casualty-care",
    "Funding": "funding",
    "Wellness": "wellness",
    "Exercises": "exercises",
    "Contacts": "contacts",
    "Forms": "forms",
}
CASUALTY_NOTICE = "For trained personnel. Follow your agency's medical direction and training."
STEP_KINDS = ("checklist", "funding")
RAW_HTML = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>\s]+>")
CODE_SPAN = re.compile(r"`[^`]*`")
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
ANCHOR = re.compile(r'\s(?:id|name)="([^"]+)"')
# Where Python-Markdown's attr_list reads { ... }: a line of its own (a block), the end of a
# heading or table cell, or right after an inline element.
ATTRS_ALONE = re.compile(r"^[ ]*\{:?[ ]*([^}\n ][^\n]*)\}[ ]*$")
ATTRS_AT_END = re.compile(r"[ ]+\{:?[ ]*([^}\n ][^\n]*)\}[ ]*$")
ATTRS_INLINE = re.compile(r"(?<=[*_`\])])\{:?[ ]*([^}\n ][^}\n]*)\}")
ATTR_NAME = re.compile(r"[A-Za-z_:][-\w:.]*$")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        level = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {level}{self.message}"


def check_content(
    content_dir: Path, today: dt.date | None = None, max_age_months: int = 12
) -> list[Finding]:
    """Every problem in a content folder, sorted by file and line."""
    content_dir = Path(content_dir)
    cutoff = months_before(today or dt.date.today(), max_age_months)
    findings: list[Finding] = []
    docs: list[tuple[Document, str]] = []
    unreadable: set[str] = set()
    for file in sorted(content_dir.rglob("*.md")):
        rel = file.relative_to(content_dir).as_posix()
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            findings.append(Finding(rel, 1, "the file is not UTF-8 text"))
            continue
        too_big = page_problem(text)
        if too_big:
            findings.append(Finding(rel, *too_big))
            unreadable.add(slugify(file.stem))
            continue
        problems: list[ContentError] = []
        try:
            doc = parse_page(text, rel, problems=problems)
        except ContentError as exc:
            findings.append(Finding(exc.path, exc.line, exc.message))
            unreadable.add(slugify(file.stem))  # links to it are not problems of their own
            continue
        findings += [Finding(p.path, p.line, p.message) for p in problems]
        findings += page_findings(doc, text, cutoff, max_age_months)
        docs.append((doc, text))
    findings += cross_page_findings([doc for doc, _ in docs], unreadable)
    findings += [Finding(*problem) for problem in glossary_problems([d for d, _ in docs],
                                                                     body_text)]
    return sorted(findings, key=lambda f: (f.path, f.line, f.message))


def page_findings(doc: Document, text: str, cutoff: dt.date, max_age_months: int) -> list[Finding]:
    found: list[Finding] = []
    path = doc.path
    folder = SECTION_FOLDERS.get(doc.section)
    if folder and path.split("/")[0] != folder:
        where = f"'{path.rsplit('/', 1)[0]}/'" if "/" in path else "the top folder"
        found.append(Finding(path, key_line(text, "section"),
                             f"no section lists this page: it is in {where}, and section "
                             f"'{doc.section}' lists the pages in '{folder}/'"))
    if doc.kind in STEP_KINDS and not doc.steps:
        found.append(Finding(path, key_line(text, "kind"),
                             f"a {doc.kind} page with no steps: write each as "
                             "'- [ ] Do this {#id}' under a heading"))
    if doc.kind == "funding" and not re.search(r"(?m)^deadlines\s*:", text):
        found.append(Finding(path, key_line(text, "kind"),
                             "a funding page with no 'deadlines': write each deadline its "
                             "sources give (or 'from: not given' with a note saying there is "
                             "none), so Incident > Deadlines can show it", warning=True))
    if doc.reviewed and dt.date.fromisoformat(doc.reviewed) < cutoff:
        found.append(Finding(path, key_line(text, "reviewed"),
                             f"last reviewed {doc.reviewed}, more than {max_age_months} months "
                             "ago: check the page and update 'reviewed'", warning=True))
    for source in doc.sources:
        if not source.url.startswith(("https://", "http://")):
            found.append(Finding(path, key_line(text, "sources"),
                                 f"source '{source.name}' has no web address (url)"))
    body_start = len(text.splitlines()) - len(doc.body.splitlines()) + 1
    if doc.section == "Casualty care":
        lines = [(n, line.strip()) for n, line in enumerate(doc.body.splitlines(), body_start)
                 if line.strip()]
        number, first = lines[0] if lines else (body_start, "")
        if first != CASUALTY_NOTICE:
            found.append(Finding(path, number,
                                 f"a casualty-care page must open with: {CASUALTY_NOTICE}"))
    found += markup_findings(path, doc.body, body_start)
    return found


def markup_findings(path: str, body: str, first_line: int) -> list[Finding]:
    """Raw HTML (shown as text, never as HTML), scripts and images (never loaded)."""
    found: list[Finding] = []
    in_fence = False
    for number, line in enumerate(body.splitlines(), start=first_line):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence or line.startswith(("    ", "\t")):
            continue
        plain = AUTOLINK.sub("", CODE_SPAN.sub("", line))
        for match in RAW_HTML.finditer(plain):
            tag = match.group(0)
            if tag.lower().startswith("<script"):
                found.append(Finding(path, number, "a script is never run: remove it"))
            else:
                found.append(Finding(path, number,
                                     f"raw HTML {tag} is shown as text, not as HTML: "
                                     "write it in Markdown"))
        found += [Finding(path, number, f"attribute '{key}' is left out: a page may set only "
                                  "an id and classes ({: #id .class })")
                  for key in sorted(set(page_attributes(plain)))]
        for match in IMAGE.finditer(plain):
            target = match.group(1)
            if re.match(r"^(?:[a-z]+:)?//", target):
                found.append(Finding(path, number,
                                     f"remote image {target} is never loaded: remove it"))
            else:
                found.append(Finding(path, number,
                                     f"image {target} is not shown: describe it in words"))
    return found


def page_attributes(line: str) -> list[str]:
    """The attributes other than id and class that a line of a page sets with attr_list."""
    from markdown.extensions.attr_list import get_attrs_and_remainder

    lists = [m.group(1) for m in ATTRS_INLINE.finditer(line)]
    alone = ATTRS_ALONE.match(line)
    if alone:
        lists.append(alone.group(1))
    elif line.lstrip().startswith("#"):
        lists += [m.group(1) for m in ATTRS_AT_END.finditer(line)]
    elif line.lstrip().startswith("|"):  # each table cell
        cells = line.strip().strip("|").split("|")
        lists += [m.group(1) for cell in cells for m in ATTRS_AT_END.finditer(cell)]
    keys = [key for attrs in lists for key, _ in get_attrs_and_remainder(attrs)[0]]
    return [k for k in keys if k not in (".", *PAGE_ATTRIBUTES) and ATTR_NAME.match(k)]


def anchors_of(doc: Document) -> set[str]:
    anchors = {step.id.split("/", 1)[1] for step in doc.steps}
    html = "".join(render_markdown(block.md, doc.path) for block in doc.blocks if block.md)
    anchors.update(ANCHOR.findall(html))
    return anchors


def cross_page_findings(docs: list[Document], unreadable: set[str] = frozenset()) -> list[Finding]:
    """Pages sharing an id, and links to pages or anchors that do not exist."""
    found: list[Finding] = []
    by_id: dict[str, Document] = {}
    for doc in docs:
        if doc.id in by_id:
            found.append(Finding(doc.path, 1,
                                 f"page id '{doc.id}' is also used by {by_id[doc.id].path}"))
        else:
            by_id[doc.id] = doc
    anchors = {doc_id: anchors_of(doc) for doc_id, doc in by_id.items()}
    for doc in docs:
        for target, line in doc.links:
            if target.startswith("#"):
                target_id, anchor = doc.id, target[1:]
            elif target.startswith("binder:"):
                target_id, _, anchor = target.removeprefix("binder:").partition("#")
            else:
                found.append(Finding(doc.path, line,
                                     f"link '{target}' goes nowhere: link to another page's "
                                     ".md file or to an https:// address"))
                continue
            if target_id in unreadable:
                continue
            if target_id not in by_id:
                found.append(Finding(doc.path, line,
                                     f"link to a page that does not exist: '{target_id}'"))
            elif anchor and anchor not in anchors[target_id]:
                found.append(Finding(doc.path, line,
                                     f"link to '#{anchor}' in '{target_id}', which has no such "
                                     "heading or step"))
    return found
