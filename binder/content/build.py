"""Building content.db from a content folder: tables, full-text indexes, vocabulary, synonyms."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from binder.content.content import Document, load_content
from binder.content.glossary import normal_words, synonym_pairs
from binder.content.plain_text import joined_words
from binder.content.render import markdown_to_text, without_link_targets
from binder.content.schema import SCHEMA_VERSION
from binder.content.sections import section_orders
from binder.content.sounds import sound_of

# Three full-text indexes, one per ranking tier; prefix indexes keep short prefixes fast.
# Every tier stems (porter): "tourniquets" finds Tourniquet in its title, not only in a body.
WORDS = "unicode61 remove_diacritics 2"
STEMMED = f"porter {WORDS}"
FTS_TABLES = {
    "heads_fts": ("documents", ("title", "tags", "summary"), STEMMED, "1 2 3"),
    "steps_fts": ("steps", ("plain",), STEMMED, "1 2 3"),
}
PAGE_WORDS = ("CREATE VIRTUAL TABLE temp.page_words USING fts5(words, content='', detail=none, "
              f"tokenize='{WORDS}')")
# Bodies are indexed but not stored twice: the index is contentless, its text is in blocks_json.
BODY_FTS = ("CREATE VIRTUAL TABLE body_fts USING fts5(body_text, content='', "
            "tokenize='porter unicode61 remove_diacritics 2', prefix='3')")


def content_revision(content_dir: Path) -> str:
    """A short hash of every page's path and bytes: same folder, same revision."""
    digest = hashlib.sha256()
    for file in sorted(Path(content_dir).rglob("*.md")):
        digest.update(file.relative_to(content_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def document_row(doc: Document, section_order: int) -> dict:
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "title_key": normal_words(doc.title),
        "kind": doc.kind,
        "section": doc.section,
        "section_order": section_order,
        "summary": doc.summary,
        "tags": " ".join(doc.tags),
        "tags_json": json.dumps(doc.tags, ensure_ascii=False),
        "roles_json": json.dumps(doc.roles, ensure_ascii=False),
        "sources_json": json.dumps([{"name": s.name, "url": s.url} for s in doc.sources],
                                   ensure_ascii=False),
        "reviewed": doc.reviewed,
        "blocks_json": json.dumps([{"md": b.md, "step": b.step_id} for b in doc.blocks],
                                  ensure_ascii=False),
    }


def body_text(doc: Document) -> str:
    """What the body index reads of a page being built (see page_words)."""
    return page_words(doc.title, doc.tags, doc.summary, [step.text for step in doc.steps],
                      [block.md for block in doc.blocks], [source.name for source in doc.sources])


def stored_body_text(row, steps: list[str]) -> str:
    """The same text from a built page: its documents row and its steps' text in order."""
    return page_words(row["title"], json.loads(row["tags_json"]), row["summary"], steps,
                      [block["md"] for block in json.loads(row["blocks_json"])],
                      [source["name"] for source in json.loads(row["sources_json"])])


def page_words(title: str, tags: list[str], summary: str, steps: list[str], blocks: list[str],
               sources: list[str]) -> str:
    """What the body index reads: the whole page, so that words found in different parts of it
    (a title and a step) still find it, and the names of its sources ("IACP model policy");
    link targets are left out, words with bold initials joined, and the tokenizer skips the
    rest of Markdown's punctuation by itself."""
    parts = [title, " ".join(tags), summary, *steps, *(md for md in blocks if md), *sources]
    return joined_words(without_link_targets("\n".join(parts)))


def step_rows(docs: list[Document]):
    for doc in docs:
        for step in doc.steps:
            yield {"id": step.id, "doc_id": doc.id, "position": step.position,
                   "phase": step.phase, "text": step.text, "plain": markdown_to_text(step.text)}


def build_store(content_dir: Path, out_path: Path) -> list[Document]:
    """Build content.db; the old file is replaced only when the whole build succeeds."""
    docs = load_content(content_dir)  # raises ContentErrors before anything is written
    write_database(docs, content_revision(content_dir), out_path)
    return docs


def write_database(
    docs: list[Document], revision: str, out_path: Path, meta: dict[str, str] | None = None
) -> None:
    """Write pages (sorted here into binder order) to a database in content.db's format, with
    any extra `meta` keys; out_path is replaced only when the whole file is written."""
    import sqlite_utils

    orders = section_orders(doc.section for doc in docs)  # a pack's own sections after ours
    docs.sort(key=lambda d: (orders[d.section], d.title.lower(), d.id))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        db = sqlite_utils.Database(tmp)
        db.execute("PRAGMA journal_mode = OFF")  # a half-built file is never renamed into place
        db.execute("PRAGMA synchronous = OFF")
        with db.conn:
            write_tables(db, docs, revision, orders)
            if meta:
                db["meta"].insert_all(({"key": k, "value": v} for k, v in meta.items()),
                                      pk="key", replace=True)
        for statement in index_statements():
            db.execute(statement)
        db.conn.commit()
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.close()
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)


def write_tables(db, docs: list[Document], revision: str, orders: dict[str, int]) -> None:
    db["meta"].insert_all([{"key": "revision", "value": revision},
                           {"key": "schema", "value": str(SCHEMA_VERSION)}], pk="key")
    db["documents"].create({
        "id": str, "path": str, "title": str, "title_key": str, "kind": str, "section": str,
        "section_order": int, "summary": str, "tags": str, "tags_json": str, "roles_json": str,
        "sources_json": str, "reviewed": str, "blocks_json": str,
    }, pk="id")
    insert_rows(db, "documents", (document_row(d, orders[d.section]) for d in docs))
    db.execute(BODY_FTS)
    db.conn.executemany("INSERT INTO body_fts (rowid, body_text) VALUES (?, ?)",
                        ((rowid, body_text(d)) for rowid, d in enumerate(docs, start=1)))
    db["documents"].create_index(["title_key"])
    db["steps"].create({"id": str, "doc_id": str, "position": int, "phase": str, "text": str,
                        "plain": str}, pk="id", foreign_keys=[("doc_id", "documents")])
    insert_rows(db, "steps", step_rows(docs))
    db["steps"].create_index(["doc_id", "position"])
    db.execute("CREATE TABLE key_steps (doc_id TEXT NOT NULL, step_id TEXT NOT NULL, "
               "position INTEGER NOT NULL, PRIMARY KEY (doc_id, position))")
    db.conn.executemany("INSERT INTO key_steps (doc_id, step_id, position) VALUES (?, ?, ?)",
                        ((d.id, step_id, n) for d in docs
                         for n, step_id in enumerate(d.key_steps, start=1)))
    db.execute("CREATE TABLE deadlines (doc_id TEXT PRIMARY KEY, dates_json TEXT NOT NULL, "
               "deadlines_json TEXT NOT NULL)")
    db.conn.executemany("INSERT INTO deadlines (doc_id, dates_json, deadlines_json) "
                        "VALUES (?, ?, ?)",
                        ((d.id, json.dumps(d.dates), json.dumps([x.as_dict() for x in d.deadlines]))
                         for d in docs if d.deadlines))
    db["synonyms"].create({"term": str, "alternative": str}, pk=("term", "alternative"))
    db["synonyms"].insert_all({"term": t, "alternative": a} for t, a in synonym_pairs(docs))
    write_terms(db, docs)


def write_terms(db, docs: list[Document]) -> None:
    """The vocabulary that corrections come from: every word of every page (title, tags,
    summary, steps, prose) as FTS5 splits it, unstemmed, with how many pages have it and how
    it sounds. FTS5 counts them in C, from a throwaway index that keeps only row ids."""
    db.execute(PAGE_WORDS)
    db.conn.executemany("INSERT INTO temp.page_words (rowid, words) VALUES (?, ?)",
                        ((rowid, body_text(d)) for rowid, d in enumerate(docs, start=1)))
    db.execute("CREATE VIRTUAL TABLE temp.page_vocab USING fts5vocab(temp, page_words, 'row')")
    words = db.execute("SELECT term, doc FROM temp.page_vocab WHERE length(term) >= 3 "
                       "AND term NOT GLOB '*[0-9]*' ORDER BY term").fetchall()
    db.execute("CREATE TABLE terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL, "
               "sound TEXT NOT NULL)")
    db.conn.executemany("INSERT INTO terms (term, docs, sound) VALUES (?, ?, ?)",
                        ((term, docs, sound_of(term)) for term, docs in words))
    db.execute("CREATE INDEX terms_sound ON terms (sound)")
    db.execute("DROP TABLE temp.page_vocab")
    db.execute("DROP TABLE temp.page_words")


def insert_rows(db, table: str, rows) -> None:
    """Plain executemany: sqlite-utils' insert_all checks every row, which costs seconds here."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    columns = list(first)
    sql = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    db.conn.executemany(sql, ([row[c] for c in columns] for row in (first, *rows)))


def index_statements() -> list[str]:
    """The full-text indexes, and the trigram index over the vocabulary (for corrections)."""
    statements = []
    for name, (table, columns, tokenize, prefixes) in FTS_TABLES.items():
        statements += [
            f"CREATE VIRTUAL TABLE {name} USING fts5({', '.join(columns)}, content='{table}', "
            f"content_rowid='rowid', tokenize='{tokenize}', prefix='{prefixes}')",
            f"INSERT INTO {name}({name}) VALUES ('rebuild')",
            f"INSERT INTO {name}({name}) VALUES ('optimize')",
        ]
    return statements + [
        "INSERT INTO body_fts(body_fts) VALUES ('optimize')",
        "CREATE VIRTUAL TABLE terms_trigram USING fts5(term, content='terms', "
        "content_rowid='rowid', tokenize='trigram')",
        "INSERT INTO terms_trigram(terms_trigram) VALUES ('rebuild')",
    ]
