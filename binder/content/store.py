"""content.db read back: its pages, steps and sources (build.py writes it)."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from binder.content.content_check import content_damage
from binder.content.deadlines import Deadline
from binder.content.schema import READABLE_VERSIONS, SCHEMA_VERSION
from binder.content.sections import SECTIONS


class StoreError(Exception):
    """content.db is missing, damaged or of another version: a message for a person."""


@dataclass(frozen=True)
class DocSummary:
    id: str
    title: str
    kind: str
    section: str
    summary: str
    pack: str = ""  # the agency pack it comes from ("" for the shipped binder)
    replaces: bool = False  # an agency page that takes the place of a shipped one


@dataclass(frozen=True)
class StepRecord:
    id: str
    position: int
    phase: str
    text: str
    html: str


@dataclass(frozen=True)
class DocRecord:
    id: str
    path: str
    title: str
    kind: str
    section: str
    summary: str
    tags: list[str]
    roles: list[str]
    sources: list[dict]
    reviewed: str
    html: str
    blocks: list[dict]
    steps: list[StepRecord]
    pack: str = ""
    replaces: bool = False
    key_steps: tuple[str, ...] = ()  # step ids the page's front matter names as key
    dates: dict = field(default_factory=dict)  # content/deadlines.py: dates people record
    deadlines: tuple[Deadline, ...] = ()


@dataclass(frozen=True)
class DeadlinePage:
    id: str
    title: str
    dates: dict  # name -> what the date is
    deadlines: tuple[Deadline, ...]


BLOCK_TAGS = {"p", "li", "tr", "td", "th", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6"}


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.handle_starttag(tag, [])

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """The words of some HTML, with blocks apart and inline markup (links, bold) joined."""
    parser = _TextOnly()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def step_html(step: StepRecord) -> str:
    """A step as the document view and print show it: an empty box, then the step."""
    anchor = step.id.split("/", 1)[1]
    return f'<p class="step"><a name="{anchor}"></a>&#9744; {step.html}</p>'


class ContentStore:
    """Read-only access to a built content.db, refused if a full check finds it damaged
    (`marker`: a file remembering which content files were found sound)."""

    def __init__(self, path: Path, marker: Path | None = None):
        self.path = Path(path)
        if not self.path.is_file():
            raise StoreError(
                f"The binder's content was not found at {self.path}. "
                "Build it with 'binder build content -o <file>' (make run does this)."
            )
        try:
            self.conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            self.conn.row_factory = sqlite3.Row
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in READABLE_VERSIONS:
                raise StoreError(
                    f"The binder's content at {self.path} is of version {version}; this "
                    f"program reads version {SCHEMA_VERSION}. Install the matching content."
                )
            self.conn.execute("SELECT count(*) FROM heads_fts").fetchone()
            self.version = version
            self.revision = self.meta("revision")
            damage = content_damage(self.path, marker)
            if damage:
                raise sqlite3.DatabaseError(damage)
        except OSError as exc:
            raise StoreError(
                f"The binder's content at {self.path} cannot be read: {exc}.") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"The binder's content at {self.path} is damaged and cannot be read ({exc}). "
                "Reinstall Binder or rebuild the content."
            ) from None

    def meta(self, key: str) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    def close(self) -> None:
        self.conn.close()

    def sections(self) -> list[tuple[str, list[DocSummary]]]:
        """Every section in binder order, each with its documents by title."""
        rows = self.conn.execute(
            "SELECT id, title, kind, section, summary FROM documents "
            "ORDER BY section_order, title COLLATE NOCASE"
        ).fetchall()
        grouped: dict[str, list[DocSummary]] = {name: [] for name in SECTIONS}
        for row in rows:
            grouped.setdefault(row["section"], []).append(DocSummary(*row))
        return list(grouped.items())

    def document_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def document(self, doc_id: str) -> DocRecord | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        from binder.content.limits import RENDER_SECONDS  # Markdown: only to show
        from binder.content.render import render_inline, render_markdown

        path = row["path"]
        deadline = time.monotonic() + RENDER_SECONDS  # for the whole page, not each piece
        steps = [
            StepRecord(r["id"], r["position"], r["phase"], r["text"],
                       render_inline(r["text"], path, deadline))
            for r in self.conn.execute(
                "SELECT * FROM steps WHERE doc_id = ? ORDER BY position", (doc_id,)
            )
        ]
        blocks = [{"html": render_markdown(b["md"], path, deadline) if b["md"] else "",
                   "step": b["step"]} for b in json.loads(row["blocks_json"])]
        by_id = {step.id: step for step in steps}
        return DocRecord(
            id=row["id"],
            path=row["path"],
            title=row["title"],
            kind=row["kind"],
            section=row["section"],
            summary=row["summary"],
            tags=json.loads(row["tags_json"]),
            roles=json.loads(row["roles_json"]),
            sources=json.loads(row["sources_json"]),
            reviewed=row["reviewed"],
            html="\n".join(b["html"] or step_html(by_id[b["step"]]) for b in blocks),
            blocks=blocks,
            steps=steps,
            key_steps=tuple(r[0] for r in self.conn.execute(
                "SELECT step_id FROM key_steps WHERE doc_id = ? ORDER BY position", (doc_id,))
            ) if self.version >= 3 else (),
            **self.deadlines_of(doc_id),
        )

    def deadlines_of(self, doc_id: str) -> dict:
        """{'dates': ..., 'deadlines': ...} of a page ({} for content from before version 4)."""
        row = self.conn.execute("SELECT dates_json, deadlines_json FROM deadlines WHERE "
                                "doc_id = ?", (doc_id,)).fetchone() if self.version >= 4 else None
        if row is None:
            return {}
        return {"dates": json.loads(row[0]),
                "deadlines": tuple(Deadline.from_dict(d) for d in json.loads(row[1]))}

    def deadline_page(self, doc_id: str) -> DeadlinePage | None:
        """A page's title, dates and deadlines, without rendering the page."""
        row = self.conn.execute("SELECT title FROM documents WHERE id = ?", (doc_id,)).fetchone()
        found = self.deadlines_of(doc_id) if row else {}
        return DeadlinePage(doc_id, row[0], found["dates"], found["deadlines"]) if found else None

    def deadline_pages(self) -> list[str]:
        """The pages with deadlines, in binder order."""
        if self.version < 4:
            return []
        return [r[0] for r in self.conn.execute(
            "SELECT d.id FROM deadlines JOIN documents d ON d.id = deadlines.doc_id "
            "ORDER BY d.section_order, d.title COLLATE NOCASE")]

