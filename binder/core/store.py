"""content.db: its schema, its build from a content folder, and read access to it."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from binder.core.content import SECTIONS, Document, load_content

SCHEMA_VERSION = 1
# bm25 weights of the FTS columns, in this order: title, tags, summary, steps, body.
FTS_COLUMNS = ("title", "tags", "summary", "steps_text", "body_text")


class StoreError(Exception):
    """content.db is missing, damaged or of another version: a message for a person."""


@dataclass(frozen=True)
class DocSummary:
    id: str
    title: str
    kind: str
    section: str
    summary: str


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


def content_revision(content_dir: Path) -> str:
    """A short hash of every page's path and bytes: same folder, same revision."""
    digest = hashlib.sha256()
    for file in sorted(Path(content_dir).rglob("*.md")):
        digest.update(file.relative_to(content_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def document_row(doc: Document) -> dict:
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "kind": doc.kind,
        "section": doc.section,
        "section_order": SECTIONS.index(doc.section),
        "summary": doc.summary,
        "tags": " ".join(doc.tags),
        "tags_json": json.dumps(doc.tags),
        "roles_json": json.dumps(doc.roles),
        "sources_json": json.dumps([{"name": s.name, "url": s.url} for s in doc.sources]),
        "reviewed": doc.reviewed,
        "html": doc.html,
        "blocks_json": json.dumps([{"html": b.html, "step": b.step_id} for b in doc.blocks]),
        "steps_text": " ".join(html_to_text(step.html) for step in doc.steps),
        "body_text": html_to_text("".join(b.html for b in doc.blocks if b.html)),
    }


def build_store(content_dir: Path, out_path: Path) -> list[Document]:
    """Build content.db from a folder; the old file is replaced only when the build succeeds."""
    import sqlite_utils

    docs = load_content(content_dir)  # raises ContentErrors before anything is written
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        db = sqlite_utils.Database(tmp)
        with db.conn:
            db["meta"].insert_all(
                [
                    {"key": "revision", "value": content_revision(content_dir)},
                    {"key": "schema", "value": str(SCHEMA_VERSION)},
                ],
                pk="key",
            )
            db["documents"].insert_all((document_row(d) for d in docs), pk="id")
            db["steps"].create(
                {"id": str, "doc_id": str, "position": int, "phase": str, "text": str, "html": str},
                pk="id",
                foreign_keys=[("doc_id", "documents")],
            )
            db["steps"].insert_all(
                (
                    {
                        "id": s.id,
                        "doc_id": s.doc_id,
                        "position": s.position,
                        "phase": s.phase,
                        "text": s.text,
                        "html": s.html,
                    }
                    for d in docs
                    for s in d.steps
                ),
                pk="id",
            )
            db["steps"].create_index(["doc_id", "position"])
        db["documents"].enable_fts(
            list(FTS_COLUMNS), tokenize="porter unicode61 remove_diacritics 2", replace=True
        )
        db["documents"].rebuild_fts()
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.vacuum()
        db.close()
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return docs


class ContentStore:
    """Read-only access to a built content.db."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise StoreError(
                f"The binder's content was not found at {self.path}. "
                "Build it with 'binder build content -o <file>' (make run does this)."
            )
        try:
            self.conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
            self.conn.row_factory = sqlite3.Row
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                raise StoreError(
                    f"The binder's content at {self.path} is of version {version}; this "
                    f"program reads version {SCHEMA_VERSION}. Install the matching content."
                )
            self.conn.execute("SELECT count(*) FROM documents_fts").fetchone()
            self.revision = self.meta("revision")
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
        steps = [
            StepRecord(r["id"], r["position"], r["phase"], r["text"], r["html"])
            for r in self.conn.execute(
                "SELECT * FROM steps WHERE doc_id = ? ORDER BY position", (doc_id,)
            )
        ]
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
            html=row["html"],
            blocks=json.loads(row["blocks_json"]),
            steps=steps,
        )
