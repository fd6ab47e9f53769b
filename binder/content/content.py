"""Markdown pages with YAML front matter -> Document and Step (pure Python, no SQL)."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import yaml

from binder.content.deadlines import Deadline, read_deadlines
from binder.content.render import collect_links
from binder.content.sections import SECTIONS  # noqa: F401 (importer and build take it from here)

KINDS = ("checklist", "guide", "contacts", "funding")
REQUIRED_FIELDS = ("title", "kind", "section", "summary", "tags", "sources", "reviewed")

STEP_LINE = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s+(?P<text>.*)$")
STEP_ID = re.compile(r"\s*\{#(?P<id>[^}\s]*)\}\s*$")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
VALID_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PARALLEL_FROM = 400  # pages: below this, starting worker processes costs more than it saves
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when the wheel has it


class ContentError(Exception):
    """A problem in one page, with the file and line a person can go to."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


class ContentErrors(Exception):
    """Every problem found in a content folder, reported at once."""

    def __init__(self, errors: list[ContentError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Source:
    name: str
    url: str


@dataclass(frozen=True)
class Step:
    id: str  # "doc-id/step-slug", stable across edits of the wording
    doc_id: str
    position: int
    phase: str
    text: str  # the step's Markdown, without its {#id}
    line: int


@dataclass(frozen=True)
class Block:
    """A piece of a page in reading order: prose (Markdown), or one step (by id)."""

    md: str = ""
    step_id: str = ""
    line: int = 0


@dataclass
class Document:
    id: str
    path: str  # relative to the content folder, with forward slashes
    title: str
    kind: str
    section: str
    summary: str
    tags: list[str]
    roles: list[str]
    sources: list[Source]
    reviewed: str
    body: str
    steps: list[Step] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)  # internal targets, with line
    key_steps: list[str] = field(default_factory=list)  # step ids ("doc-id/slug"), in order
    dates: dict[str, str] = field(default_factory=dict)  # deadlines.py: dates people record
    deadlines: list[Deadline] = field(default_factory=list)


def slugify(text: str, max_length: int = 60) -> str:
    """A lowercase ASCII id made of words and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = "-".join(words)[:max_length].strip("-")
    return slug or "page"


def split_front_matter(text: str, path: str) -> tuple[dict, int]:
    """Return the front matter as a dict and the 1-based line where the body starts."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "no front matter: the page must start with a '---' line")
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "...")),
               None)
    if end is None:
        raise ContentError(path, 1, "front matter is not closed: add a '---' line after it")
    source = "\n".join(lines[1:end])
    try:
        meta = yaml.load(source, Loader=SAFE_LOADER) or {}
    except yaml.YAMLError:
        meta = read_yaml_slowly(source, path)
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front matter must be 'key: value' lines")
    return meta, end + 2


def read_yaml_slowly(source: str, path: str):
    """Python's own YAML reader, whose messages and lines are the ones a person can act on."""
    try:
        return yaml.safe_load(source) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(path, line, f"front matter is not valid YAML: {problem}") from None


def key_line(text: str, key: str) -> int:
    """The 1-based line of a top-level front-matter key, or 1 when it is absent."""
    for number, line in enumerate(text.splitlines()[:200], start=1):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return number
    return 1


def front_matter_problems(meta: dict, text: str, path: str) -> list[ContentError]:
    """Every problem with the front matter's fields, each at the line of its key."""
    problems = [
        ContentError(path, key_line(text, name), f"front matter is missing '{name}'")
        for name in REQUIRED_FIELDS
        if meta.get(name) in (None, "", [])
    ]
    kind = str(meta.get("kind") or "").strip()
    if kind and kind not in KINDS:
        problems.append(ContentError(
            path, key_line(text, "kind"), f"unknown kind '{kind}' (use one of: {', '.join(KINDS)})"
        ))
    section = str(meta.get("section") or "").strip()
    if section and section not in SECTIONS:
        problems.append(ContentError(
            path, key_line(text, "section"),
            f"unknown section '{section}' (use one of: {', '.join(SECTIONS)})",
        ))
    if kind == "checklist" and not meta.get("roles"):
        problems.append(
            ContentError(path, 1, "front matter is missing 'roles' (required for a checklist)")
        )
    if meta.get("reviewed") not in (None, "") and reviewed_date(meta["reviewed"]) is None:
        problems.append(ContentError(
            path, key_line(text, "reviewed"),
            f"'reviewed' is not a date (YYYY-MM-DD): {meta['reviewed']}",
        ))
    if meta.get("sources"):
        try:
            parse_sources(meta["sources"], path, key_line(text, "sources"))
        except ContentError as exc:
            problems.append(exc)
    return problems


def reviewed_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def parse_page(
    text: str, path: str, doc_id: str | None = None, problems: list[ContentError] | None = None
) -> Document:
    """Parse one page.

    With no `problems` list, raise ContentError for the first problem. With one, add every
    problem to it and return what could be read; only a page whose front matter cannot be
    read at all still raises.
    """
    meta, body_line = split_front_matter(text, path)
    found = front_matter_problems(meta, text, path)
    if problems is None and found:
        raise found[0]
    reviewed = reviewed_date(meta.get("reviewed") or "")
    try:
        sources = parse_sources(meta.get("sources") or [], path, 1)
    except ContentError:
        sources = []
    doc = Document(
        id=doc_id or slugify(Path(path).stem),
        path=path,
        title=str(meta.get("title") or "").strip(),
        kind=str(meta.get("kind") or "").strip(),
        section=str(meta.get("section") or "").strip(),
        summary=str(meta.get("summary") or "").strip(),
        tags=as_list(meta.get("tags") or []),
        roles=as_list(meta.get("roles") or []),
        sources=sources,
        reviewed=reviewed.isoformat() if reviewed else "",
        body="\n".join(text.splitlines()[body_line - 1 :]),
    )
    parse_body(doc, body_line, None if problems is None else found)
    key_problems = read_key_steps(doc, meta.get("key_steps"), key_line(text, "key_steps"))
    if problems is None and key_problems:
        raise key_problems[0]
    found += key_problems
    doc.dates, doc.deadlines, deadline_problems = read_deadlines(meta, text)
    deadline_errors = [ContentError(path, line, message) for line, message in deadline_problems]
    if problems is None and deadline_errors:
        raise deadline_errors[0]
    found += deadline_errors
    if problems is not None:
        problems.extend(found)
    return doc


def read_key_steps(doc: Document, value, line: int) -> list[ContentError]:
    """The optional `key_steps: [step-id, ...]`: the steps whose time from the incident's start
    the after-action draft gives. Each must be a step of this page."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return [ContentError(doc.path, line, "'key_steps' must be a list of this page's step "
                             "ids, e.g. [assume-command, set-objectives]")]
    ids = {step.id.split("/", 1)[1]: step.id for step in doc.steps}
    problems = [ContentError(doc.path, line, f"key step '{slug}' is not a step of this page "
                             f"(its step ids: {', '.join(ids) or 'none'})")
                for slug in value if slug.strip() not in ids]
    if not problems:
        doc.key_steps = [ids[slug.strip()] for slug in value]
    return problems


def as_list(value) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [str(value)]


def parse_sources(value, path: str, line: int) -> list[Source]:
    items = value if isinstance(value, list) else [value]
    sources = []
    for item in items:
        if isinstance(item, dict) and item.get("name"):
            sources.append(Source(str(item["name"]).strip(), str(item.get("url") or "").strip()))
        elif isinstance(item, str) and item.strip():
            sources.append(Source(item.strip(), ""))
        else:
            raise ContentError(path, line, "each source needs a 'name' (and a 'url')")
    return sources


def parse_body(doc: Document, first_line: int, problems: list | None = None) -> None:
    """Split the body into prose blocks and steps, in reading order; collect the links."""
    prose: list[str] = []
    phase = ""
    in_fence = False
    seen: dict[str, int] = {}
    lines = doc.body.splitlines()

    def flush() -> None:
        if any(line.strip() for line in prose):
            text = "\n".join(prose)
            doc.links.extend(collect_links(text, doc.path, start[0]))
            doc.blocks.append(Block(md=text, line=start[0]))
        prose.clear()
        start[0] = first_line + index

    index = 0
    start = [first_line]
    while index < len(lines):
        line, number = lines[index], first_line + index
        index += 1
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else STEP_LINE.match(line)
        if match is None:
            heading = None if in_fence else HEADING.match(line)
            if heading:
                phase = STEP_ID.sub("", heading.group("text")).strip()
            prose.append(line)
            continue
        text = match.group("text")
        while index < len(lines) and lines[index].startswith("  ") and lines[index].strip():
            text += " " + lines[index].strip()
            index += 1
        flush()
        try:
            doc.steps.append(make_step(doc, text, phase, number, seen))
        except ContentError as exc:
            if problems is None:
                raise
            problems.append(exc)
            continue
        doc.blocks.append(Block(step_id=doc.steps[-1].id))
    flush()


def make_step(doc: Document, text: str, phase: str, line: int, seen: dict[str, int]) -> Step:
    explicit = STEP_ID.search(text)
    if explicit:
        slug = explicit.group("id")
        text = text[: explicit.start()].rstrip()
        if not VALID_ID.match(slug):
            raise ContentError(
                doc.path, line, f"step id '{slug}' must be lowercase letters, digits and hyphens"
            )
    else:
        slug = slugify(text)
    if not text:
        raise ContentError(doc.path, line, "a step has no text")
    if slug in seen:
        raise ContentError(
            doc.path, line, f"step id '{slug}' is used twice (first on line {seen[slug]})"
        )
    seen[slug] = line
    doc.links.extend(collect_links(text, doc.path, line))
    return Step(f"{doc.id}/{slug}", doc.id, len(doc.steps) + 1, phase, text, line)


def load_content(content_dir: Path) -> list[Document]:
    """Parse every page under content_dir; raise ContentErrors listing every problem."""
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise ContentErrors([ContentError(str(content_dir), 0, "content folder not found")])
    docs: list[Document] = []
    errors: list[ContentError] = []
    first_path: dict[str, str] = {}
    for doc in read_pages(content_dir):
        if isinstance(doc, tuple):
            errors.append(ContentError(*doc))
            continue
        rel = doc.path
        if doc.id in first_path:
            errors.append(
                ContentError(rel, 1, f"page id '{doc.id}' is also used by {first_path[doc.id]}")
            )
            continue
        first_path[doc.id] = rel
        docs.append(doc)
    if not docs and not errors:
        errors.append(ContentError(str(content_dir), 0, "no Markdown pages (*.md) found"))
    if errors:
        raise ContentErrors(errors)
    return docs


def read_page(content_dir: Path, rel: str) -> Document | tuple[str, int, str]:
    """One page, or its problem as (path, line, message) (which crosses processes intact)."""
    try:
        return parse_page((Path(content_dir) / rel).read_text(encoding="utf-8"), rel)
    except ContentError as exc:
        return (exc.path, exc.line, exc.message)
    except UnicodeDecodeError:
        return (rel, 1, "the file is not UTF-8 text")


def read_pages(content_dir: Path) -> list[Document | tuple[str, int, str]]:
    """Every page of a folder in path order, read on every core when there are many."""
    rels = sorted(f.relative_to(content_dir).as_posix() for f in content_dir.rglob("*.md"))
    workers = min(os.cpu_count() or 1, 8)
    if len(rels) < PARALLEL_FROM or workers < 2:
        return [read_page(content_dir, rel) for rel in rels]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(partial(read_page, content_dir), rels, chunksize=100))
