"""A folder of outside Markdown (an agency's content pack) -> pages and findings."""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import os
import posixpath
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from binder.content.check import Finding, anchors_of, markup_findings, months_before, page_findings
from binder.content.content import (
    HEADING,
    SECTIONS,
    STEP_ID,
    ContentError,
    Document,
    Source,
    as_list,
    parse_body,
    parse_page,
    reviewed_date,
    slugify,
    split_front_matter,
)
from binder.content.leftovers import looks_like_test_page, placeholder_findings
from binder.content.limits import MAX_PAGE_BYTES, size_problem, structure_problem
from binder.content.render import LINK_TARGET, doc_id_for, markdown_to_text
from binder.content.sections import SUB_SECTION

# A page whose front matter has one of these is a Binder page, held to content/'s rules.
BINDER_FIELDS = ("kind", "section", "sources", "reviewed", "roles")
SUMMARY_LENGTH = 160
MAX_AGE_MONTHS = 12
ATTR_LIST = re.compile(r"\{:?\s*(?:[#.][\w-]|[\w-]+=)[^{}]*\}")  # not "{}" or "{{NAME}}"
SETEXT_H1 = re.compile(r"^ {0,3}=+\s*$")
NOT_PROSE = ("#", "!!!", "???", "<", "|", ">", "```", "~~~", "---", "***", "___", "- ", "* ",
             "+ ", "![", "[TOC]", "[^")
# Front matter an outside page may say when it was last reviewed in (not 'reviewed': a page
# with that is a Binder page).
REVIEW_KEYS = ("last_reviewed", "last-reviewed", "reviewed_on", "review_date", "last_review")
# A link's text, which may hold one level of brackets ("[<sup>[1]</sup>](#note-1)").
LINK_TEXT = re.compile(r"(?<!\\)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(")
FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


@dataclass
class ImportResult:
    docs: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # errors and warnings, by file and line
    revision: str = ""  # a hash of the files read: same folder, same revision

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if not f.warning]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.warning]

    @property
    def unreviewed(self) -> list[Document]:
        """The pages whose front matter does not say when they were last reviewed."""
        return [doc for doc in self.docs if not doc.reviewed]


@dataclass
class Page:
    rel: str
    text: str
    meta: dict
    body_line: int
    binder: bool  # written in Binder's format (front matter with Binder's fields)
    id: str = ""
    notes: list[tuple[str, int]] = field(default_factory=list)  # (what, line): its warning


def markdown_files(folder: Path, findings: list[Finding] | None = None) -> list[Path]:
    """Every *.md file under folder, in path order; hidden folders (.git, .github) left out.
    Links (to files or folders) are never followed and other special files never opened:
    each is named in findings as skipped, with why."""
    findings = [] if findings is None else findings
    found, top = [], folder.resolve()

    def cannot_read(exc: OSError) -> None:
        rel = Path(exc.filename).relative_to(folder).as_posix() if exc.filename else "."
        findings.append(Finding(rel, 0, f"skipped: the folder cannot be read "
                                f"({exc.strerror or exc})", warning=True))

    for root, dirs, files in os.walk(folder, onerror=cannot_read):
        for name in [d for d in dirs if Path(root, d).is_symlink()]:
            findings.append(skipped_link(Path(root, name), folder, top))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not Path(root, d).is_symlink())
        for name in files:
            file = Path(root, name)
            if not name.lower().endswith(".md"):
                continue
            if file.is_symlink():
                findings.append(skipped_link(file, folder, top))
            elif not file.is_file():
                findings.append(Finding(file.relative_to(folder).as_posix(), 0,
                                        "skipped: not a regular file", warning=True))
            else:
                found.append(file)
    return sorted(found, key=lambda f: f.relative_to(folder).as_posix())


def skipped_link(link: Path, folder: Path, top: Path) -> Finding:
    """Why a link in a pack folder was not followed. A link to a file inside the folder is
    skipped too: that file is read under its own name (a page twice would be two pages), and
    a link does not travel with every copy of the folder, so the pack could differ by laptop."""
    rel = link.relative_to(folder).as_posix()
    target = Path(os.path.realpath(link))
    if not target.is_relative_to(top):
        why = f"a link to {target}, outside the folder (links are never followed)"
    else:
        inside = target.relative_to(top)
        hidden = any(part.startswith(".") for part in inside.parts)
        if target.is_file() and target.suffix.lower() == ".md" and not hidden:
            why = (f"a link to {inside.as_posix()}, which is read under its own name "
                   "(links are never followed)")
        else:
            why = (f"a link to {inside.as_posix()} (links are never followed: copy the file "
                   "into the folder)")
    return Finding(rel, 0, f"skipped: {why}", warning=True)


def read_pack_folder(
    folder: Path, default_section: str | None = None, today: dt.date | None = None, *,
    name: str | None = None, known_ids: Iterable[str] = (),
) -> ImportResult:
    """Read a pack folder: Binder pages are checked as content/ is; pages without Binder front
    matter become guides, each with one warning, in default_section if given, else in a
    section of the pack's own (see pack_sections). known_ids: the shipped pages' ids, which
    links may go to and which outside pages never take by accident."""
    if default_section is not None and default_section not in SECTIONS:
        raise ValueError(f"unknown section '{default_section}'")
    folder, today = Path(folder), today or dt.date.today()
    name = name or folder.resolve().name
    if not folder.is_dir():
        return ImportResult(findings=[Finding(str(folder), 0, "folder not found")])
    result, digest = ImportResult(), hashlib.sha256()
    pages, unreadable = [], set()  # the ids of unreadable files: links to them are no problem
    for file in markdown_files(folder, result.findings):
        rel = file.relative_to(folder).as_posix()
        page = read_file(file, rel, result.findings, digest)
        if page is None:
            unreadable.add(doc_id_for(rel))
        else:
            pages.append(page)
    result.revision = digest.hexdigest()[:12]
    if not pages and not result.findings:
        result.findings.append(Finding(str(folder), 0, "no Markdown pages (*.md) found"))
    known = set(known_ids)
    assign_ids(pages, known, slugify(name), result.findings)
    ids_by_rel = {page.rel: page.id for page in pages}
    cutoff = months_before(today, MAX_AGE_MONTHS)
    sections = pack_sections([p.rel for p in pages], name, default_section)
    for page in pages:
        page.text = rewrite_links(page.text, page.rel, ids_by_rel)
        if page.binder:
            problems: list[ContentError] = []
            doc = parse_page(page.text, page.rel, page.id, problems)
            result.findings += [Finding(p.path, p.line, p.message) for p in problems]
            result.findings += [f for f in page_findings(doc, page.text, cutoff, MAX_AGE_MONTHS)
                                if not f.message.startswith("no section lists this page")]
        else:
            page.text = drop_link_tags(page.text)
            doc = outside_page(page, sections[page.rel], name)
        result.findings += leftover_findings(page, doc)
        result.docs.append(doc)
    link_checks(result.docs, pages, known | unreadable, result.findings)
    for page, doc in zip(pages, result.docs, strict=True):
        if not page.binder:
            result.findings.append(outside_warning(page, doc))
    result.findings.sort(key=lambda f: (f.path, f.line, f.message))
    return result


def read_file(file: Path, rel: str, findings: list[Finding], digest) -> Page | None:
    """One file as a page, or None with a finding: an error if it cannot be read, a warning
    (the page skipped, the rest of the pack imported) if it is past the limits."""
    try:
        data, size = read_regular_file(file, MAX_PAGE_BYTES)
    except OSError as exc:
        findings.append(Finding(rel, 0, f"the file cannot be read: {exc.strerror or exc}"))
        return None
    if size > MAX_PAGE_BYTES:
        digest.update(rel.encode() + b"\0" + str(size).encode() + b"\0")
        line, message = size_problem(data, size)
        findings.append(Finding(rel, line, f"skipped: {message}", warning=True))
        return None
    digest.update(rel.encode() + b"\0" + data + b"\0")
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        findings.append(Finding(rel, line, "the file is not UTF-8 text: save it as UTF-8"))
        return None
    too_deep = structure_problem(text)
    if too_deep:
        findings.append(Finding(rel, too_deep[0], f"skipped: {too_deep[1]}", warning=True))
        return None
    if text.split("\n", 1)[0].strip() != "---":
        return Page(rel, text, {}, 1, binder=False)
    try:
        meta, body_line = split_front_matter(text, rel)
    except ContentError as exc:
        findings.append(Finding(exc.path, exc.line, exc.message))
        return None
    return Page(rel, text, meta, body_line, binder=any(k in meta for k in BINDER_FIELDS))


def read_regular_file(file: Path, most: int) -> tuple[bytes, int]:
    """Up to `most` + 1 bytes of a file and its size, refusing one that became a link or a
    special file since the folder was walked (O_NOFOLLOW, and no wait on a pipe)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(file, flags | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        data = handle.read(most + 1)
        return data, max(status.st_size, len(data))


def assign_ids(pages: list[Page], known: set[str], pack_slug: str, findings: list) -> None:
    """Ids from file names. On a clash the later page (a Binder page before an outside one)
    takes its folder and name; an outside page never takes a shipped page's id by accident."""
    holder: dict[str, str] = {}  # id -> the file that has it
    for page in sorted(pages, key=lambda p: not p.binder):  # stable: path order within each
        natural = slugify(Path(page.rel).stem)
        path_slug = slugify(page.rel.removesuffix(Path(page.rel).suffix))
        blocked = holder.keys() if page.binder else holder.keys() | known
        candidates = [natural, path_slug, f"{pack_slug}-{path_slug}"]
        candidates += [f"{path_slug[:54]}-{n}" for n in range(2, len(pages) + 3)]
        page.id = next(c for c in candidates if c not in blocked)
        holder[page.id] = page.rel
        if page.id == natural:
            continue
        why = f"{holder[natural]} has" if natural in holder else "the binder has a page with"
        if page.binder:
            findings.append(Finding(page.rel, 1, f"page id '{page.id}', as {why} the id "
                                    f"'{natural}': links in this pack to this file still reach "
                                    f"it, links to '{natural}' by id do not", warning=True))
        else:
            page.notes.append((f"its id is '{page.id}', as {why} the id '{natural}'", 0))


def pack_target(target: str, rel: str, ids_by_rel: dict[str, str]) -> str | None:
    """A link to one of the pack's files, as "binder:id#anchor", when the usual way of reading
    it (the file's name) would miss: a renamed id, %-escapes, MkDocs' "page.md/#part"."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path).rstrip("/")
    if path.startswith("/"):  # a site address, as MkDocs writes them: "/folder/page/"
        dest = posixpath.normpath(path.lstrip("/") or ".")
        dest = dest if dest.lower().endswith(".md") else f"{dest}.md"
        if dest not in ids_by_rel:
            dest = posixpath.join(dest.removesuffix(".md"), "index.md")
    elif path.lower().endswith(".md"):
        dest = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
    else:
        return None
    doc_id = ids_by_rel.get(dest)
    if doc_id is None or (doc_id == doc_id_for(dest) and path == parts.path):
        return None
    return f"binder:{doc_id}" + (f"#{parts.fragment}" if parts.fragment else "")


def rewrite_links(text: str, rel: str, ids_by_rel: dict[str, str]) -> str:
    if "](" not in text:
        return text

    def fix(match: re.Match) -> str:
        new = None if match.group(1) else pack_target(match.group(2), rel, ids_by_rel)
        if new is None:
            return match.group(0)
        start, end = match.span(2)
        return match.string[match.start():start] + new + match.string[end:match.end()]

    lines, in_fence = text.split("\n"), False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and "](" in line:
            lines[index] = LINK_TARGET.sub(fix, line)
    return "\n".join(lines)


def pack_sections(rels: list[str], pack_name: str, section: str | None) -> dict[str, str]:
    """The section of each outside page: `section` if given; else the pack's own, named after
    it, and for a page in a folder "Pack › Folder" (a folder that holds every page, such as
    docs/, is not one)."""
    if section is not None:
        return dict.fromkeys(rels, section)
    own = pack_name if pack_name.casefold() not in {s.casefold() for s in SECTIONS} else \
        f"{pack_name} (agency pack)"
    parts = {rel: rel.split("/")[:-1] for rel in rels}
    while parts and all(folders for folders in parts.values()) and \
            len({folders[0] for folders in parts.values()}) == 1:
        parts = {rel: folders[1:] for rel, folders in parts.items()}
    return {rel: f"{own}{SUB_SECTION}{readable(folders[0])}" if folders else own
            for rel, folders in parts.items()}


def drop_link_tags(text: str) -> str:
    """HTML tags taken out of links' text ("[<sup>[1]</sup>](#n1)" -> "[[1]](#n1)"): raw HTML
    is shown as text, and in a link it is never meant to be read."""
    if "<" not in text or "](" not in text:
        return text

    def fix(match: re.Match) -> str:
        return "[" + TAG.sub("", match.group(1)) + "]("

    lines, in_fence = text.split("\n"), False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and "<" in line and "](" in line:
            lines[index] = LINK_TEXT.sub(fix, line)
    return "\n".join(lines)


def leftover_findings(page: Page, doc: Document) -> list[Finding]:
    """Warnings for what a template left: unfilled placeholders, and a test page."""
    found = placeholder_findings(page.rel, page.text)
    test_page = looks_like_test_page(page.rel, doc.title)
    return found + ([test_page] if test_page else [])


def review_of(page: Page) -> str:
    """When the page was last reviewed, if its front matter says so ("" if not)."""
    key = next((k for k in REVIEW_KEYS if page.meta.get(k) not in (None, "")), None)
    if key is None:
        return ""
    date = reviewed_date(page.meta[key])
    if date is None:
        page.notes.append((f"'{key}' is not a date (YYYY-MM-DD): counted as not reviewed", 0))
    return date.isoformat() if date else ""


def outside_page(page: Page, section: str, pack_name: str) -> Document:
    """A page without Binder front matter, as a guide: title from its front matter's 'title',
    its first '#' heading (or a heading it opens with), or its file name."""
    lines = page.text.splitlines()[page.body_line - 1:]
    title = plain(str(page.meta.get("title") or ""))
    if not title:
        title, index = heading_title(lines)
        if index is not None and title:
            lines[index] = ""  # shown as the page's title: not twice
            if index + 1 < len(lines) and SETEXT_H1.match(lines[index + 1]):
                lines[index + 1] = ""
    title = title or readable(Path(page.rel).stem)
    summary = str(page.meta.get("description") or page.meta.get("summary") or "")
    tags = page.meta.get("tags")
    doc = Document(
        id=page.id, path=page.rel, title=title, kind="guide", section=section,
        summary=cut(plain(summary) or first_paragraph(lines)),
        tags=as_list(tags) if isinstance(tags, list | str) else [],
        roles=[], sources=[Source(f"{pack_name} (agency content)", "")],
        reviewed=review_of(page), body="\n".join(lines),
    )
    problems: list[ContentError] = []
    parse_body(doc, page.body_line, problems)
    page.notes += [("task lines left out (a step id problem)", p.line) for p in problems]
    return doc


def heading_title(lines: list[str]) -> tuple[str, int | None]:
    """The first level-1 heading; else the heading the page opens with; with its index."""
    opening, in_fence = None, False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        heading = HEADING.match(line)
        setext = (index + 1 < len(lines) and line.strip() and not heading
                  and SETEXT_H1.match(lines[index + 1]))
        if (heading and len(heading.group(1)) == 1) or setext:
            return plain(heading.group("text") if heading else line), index
        if opening is None and line.strip():
            opening = (plain(heading.group("text")), index) if heading else ("", None)
    return opening or ("", None)


def first_paragraph(lines: list[str]) -> str:
    """The words of the first paragraph of prose (not a heading, list, table or note)."""
    paragraph: list[str] = []
    in_fence = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence or not stripped or line.startswith(("    ", "\t")) or \
                stripped.startswith(NOT_PROSE):
            if paragraph:
                break
            continue
        paragraph.append(stripped[:2000])
        if sum(len(part) for part in paragraph) > 2000:
            break
    return plain(" ".join(paragraph))


def plain(text: str) -> str:
    text = FOOTNOTE_REF.sub("", ATTR_LIST.sub("", STEP_ID.sub("", text)))
    return " ".join(markdown_to_text(text).split())


def cut(text: str, length: int = SUMMARY_LENGTH) -> str:
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-") + "…"


def readable(stem: str) -> str:
    words = " ".join(re.split(r"[\s_\-.]+", stem)).strip()
    return (words[:1].upper() + words[1:]) or stem


def link_checks(docs: list[Document], pages: list[Page], known: set[str], findings) -> None:
    """Links to pages or anchors that exist neither in the pack nor (pages only) in the binder:
    an error on a Binder page, a note in an outside page's warning."""
    by_id = {doc.id: doc for doc in docs}
    anchors: dict[str, set[str]] = {}
    for page, doc in zip(pages, docs, strict=True):
        for target, line in doc.links:
            message = link_problem(doc, target, by_id, known, anchors)
            if message and page.binder:
                findings.append(Finding(doc.path, line, message))
            elif message:
                page.notes.append(("broken links", line))
        if not page.binder:
            found = markup_findings(doc.path, doc.body, page.body_line)
            page.notes += [(note_about(f.message), f.line) for f in found]


def note_about(message: str) -> str:
    if message.startswith("raw HTML"):
        return "raw HTML shown as text"
    if message.startswith("attribute"):
        return "attributes other than id and class left out"
    return "scripts never run" if message.startswith("a script") else "images left out"


def link_problem(doc, target: str, by_id: dict, known: set[str], anchors: dict) -> str:
    if target.startswith("#"):
        target_id, anchor = doc.id, target[1:]
    elif target.startswith("binder:"):
        target_id, _, anchor = target.removeprefix("binder:").partition("#")
    else:
        return (f"link '{target}' goes nowhere: link to another page's .md file or to an "
                "https:// address")
    if target_id not in by_id:
        return "" if target_id in known else f"link to a page that does not exist: '{target_id}'"
    if anchor and target_id not in anchors:
        anchors[target_id] = anchors_of(by_id[target_id])
    if anchor and anchor not in anchors[target_id]:
        return f"link to '#{anchor}' in '{target_id}', which has no such heading or step"
    return ""


def outside_warning(page: Page, doc: Document) -> Finding:
    """The one warning of a page without Binder front matter, with what else to know."""
    what_kind = ("front matter without Binder's fields (kind, section, sources, reviewed)"
                 if page.meta else "no front matter")
    lines: dict[str, list[int]] = {}
    for what, line in page.notes:
        lines.setdefault(what, []).append(line)
    notes = []
    for what, numbers in sorted(lines.items(), key=lambda item: min(item[1])):
        numbers = sorted(set(n for n in numbers if n))
        where = ", ".join(str(n) for n in numbers[:5]) + (", …" if len(numbers) > 5 else "")
        notes.append(f"{what} on line{'s' if len(numbers) > 1 else ''} {where}" if where
                     else what)
    message = f"{what_kind}: imported as a guide titled '{doc.title}'"
    return Finding(page.rel, 1, message + (f" ({'; '.join(notes)})" if notes else ""),
                   warning=True)
