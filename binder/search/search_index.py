"""One search database over the shipped content and every agency pack, in content.db's format."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import time
from pathlib import Path

from binder.content.content_check import content_damage
from binder.content.schema import SCHEMA_VERSION

FORMAT = "1"  # this module's way of building the index: a new one means new index files
COPIED_TABLES = ("meta", "documents", "steps", "synonyms")  # made as the shipped content has them
# index_statements() makes `terms` from the index's own words, or (another build) leaves it to
# the pages' build: here it is always the stores' own terms, summed (copy_store, make_terms).
TERMS_FROM_VOCABULARY = re.compile(r"\s*(CREATE TABLE|INSERT INTO) terms\b")


def index_key(stores: list[tuple[str, sqlite3.Connection]]) -> str:
    """What the index is made of: each store's name ("" shipped), revision and schema (the
    tokenizers are in it), in load order."""
    digest = hashlib.sha256(f"{FORMAT}\0{SCHEMA_VERSION}\0".encode())
    for name, conn in stores:
        revision = conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        schema = conn.execute("SELECT group_concat(sql, ';') FROM (SELECT sql FROM "
                              "sqlite_master WHERE sql IS NOT NULL ORDER BY name)").fetchone()
        for part in (name, revision[0] if revision else "", schema[0] or ""):
            digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:16]


def open_index(path: Path, key: str, marker: Path | None = None) -> sqlite3.Connection | None:
    """The index file read-only, if it is there, of this key, readable and sound (the full
    check of content_check, once per file version); else None."""
    if not Path(path).is_file():
        return None
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        revision = conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        for table in ("heads_fts", "steps_fts", "body_fts", "documents", "doc_pack", "terms"):
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        if version == SCHEMA_VERSION and revision and revision[0] == key \
                and not content_damage(Path(path), marker):
            return conn
    except (sqlite3.Error, OSError):  # OSError: gone meanwhile
        pass
    conn.close()
    return None


def build_index(stores: list[tuple[str, Path]], folder: Path, key: str,
                marker: Path | None = None, remove_others: bool = True) -> Path:
    """Write `<folder>/<key>.db` from the stores (shipped first, then the packs in load order):
    a later store's page replaces an earlier one's with the same id. Written to a temporary
    file, synced and renamed into place, then given the full check (remembered in `marker`,
    so opening it later does not check it again); the folder's other index files are removed
    after, unless `remove_others` is False (a build in the background, which may finish after a
    newer index was made: the library that adopts an index removes the others). Raises OSError
    or sqlite3.Error (nothing half-written is left)."""
    from binder.content.build import BODY_FTS, index_statements

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.db"
    tmp = folder / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
    tmp.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(tmp.resolve().as_uri(), uri=True)  # uri: stores attach ?mode=ro
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # a half-built file is never renamed
            conn.execute("PRAGMA synchronous = OFF")
            conn.row_factory = sqlite3.Row
            copy_stores(conn, stores, key)
            conn.execute(BODY_FTS)
            fill_body(conn)
            for statement in index_statements():
                if not TERMS_FROM_VOCABULARY.match(statement):  # terms: copied from the stores
                    conn.execute(statement)
            conn.commit()
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        finally:
            conn.close()
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, path)
        sync_folder(folder)
    finally:
        tmp.unlink(missing_ok=True)
    problem = content_damage(path, marker)  # remembered: opening it will not check again
    if problem:
        path.unlink(missing_ok=True)
        raise sqlite3.DatabaseError(f"the search index came out damaged: {problem}")
    if remove_others:
        remove_other_indexes(folder, keep=path)
    return path


def copy_stores(conn: sqlite3.Connection, stores: list[tuple[str, Path]], key: str) -> None:
    """Every owned page with its steps, in binder order; synonyms and vocabulary as unions."""
    shipped = stores[0][1]
    attach(conn, shipped, "store")
    for sql in conn.execute("SELECT sql FROM store.sqlite_master WHERE tbl_name IN "
                            f"({', '.join('?' * len(COPIED_TABLES))}) AND sql IS NOT NULL "
                            "ORDER BY type = 'index'", COPIED_TABLES).fetchall():
        conn.execute(sql[0])
    terms_sql = conn.execute("SELECT sql FROM store.sqlite_master WHERE tbl_name = 'terms' "
                             "AND type = 'index' AND sql IS NOT NULL").fetchall()
    conn.execute("DETACH DATABASE store")
    conn.execute("CREATE TABLE doc_pack (doc_id TEXT PRIMARY KEY, pack TEXT NOT NULL)")
    conn.execute("CREATE TEMP TABLE pages AS SELECT *, '' AS pack FROM documents WHERE 0")
    conn.execute("CREATE TEMP TABLE page_steps AS SELECT * FROM steps WHERE 0")
    conn.execute("CREATE TEMP TABLE words (term TEXT, docs INTEGER)")
    for name, store in reversed(stores):  # the last pack first: it owns its ids
        copy_store(conn, name, store)
    put_in_binder_order(conn)
    make_terms(conn, terms_sql)
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     [("revision", key), ("schema", str(SCHEMA_VERSION))])
    conn.execute("DELETE FROM meta WHERE key NOT IN ('revision', 'schema')")


def copy_store(conn: sqlite3.Connection, name: str, path: Path) -> None:
    """One store's pages not owned by a later one, their steps, its synonyms and terms."""
    attach(conn, path, "store")
    try:
        pages = common_columns(conn, "documents")
        conn.execute(f"INSERT INTO temp.pages ({pages}, pack) SELECT {pages}, ? FROM "
                     "store.documents WHERE id NOT IN (SELECT id FROM temp.pages)", (name,))
        steps = common_columns(conn, "steps")
        conn.execute(f"INSERT INTO temp.page_steps ({steps}) SELECT {steps} FROM store.steps "
                     "WHERE doc_id IN (SELECT id FROM temp.pages WHERE pack = ?)", (name,))
        conn.execute("INSERT OR IGNORE INTO synonyms (term, alternative) "
                     "SELECT term, alternative FROM store.synonyms")
        extra = [c for c in columns(conn, "store", "terms") if c not in ("term", "docs")]
        for column in extra:
            if column not in columns(conn, "temp", "words"):
                conn.execute(f"ALTER TABLE temp.words ADD COLUMN [{column}]")
        listed = ", ".join(["term", "docs", *(f"[{c}]" for c in extra)])
        conn.execute(f"INSERT INTO temp.words ({listed}) SELECT {listed} FROM store.terms")
        conn.commit()
    finally:
        conn.execute("DETACH DATABASE store")


def put_in_binder_order(conn: sqlite3.Connection) -> None:
    """documents and steps from the staging tables, rowids in binder order (section, title),
    as write_database orders them; each page's pack in doc_pack."""
    listed = ", ".join(f"[{c}]" for c in columns(conn, "main", "documents"))
    order = conn.execute("SELECT rowid, section_order, title, id FROM temp.pages").fetchall()
    order.sort(key=lambda r: (r["section_order"], r["title"].lower(), r["id"]))
    conn.executemany(f"INSERT INTO documents ({listed}) SELECT {listed} FROM temp.pages "
                     "WHERE rowid = ?", [(r["rowid"],) for r in order])
    conn.execute("INSERT INTO doc_pack (doc_id, pack) SELECT id, pack FROM temp.pages")
    names = columns(conn, "main", "steps")
    conn.execute(f"INSERT INTO steps ({', '.join(f'[{c}]' for c in names)}) "
                 f"SELECT {', '.join(f's.[{c}]' for c in names)} FROM temp.page_steps AS s "
                 "JOIN documents AS d ON d.id = s.doc_id ORDER BY d.rowid, s.position")
    conn.execute("DROP TABLE temp.pages")
    conn.execute("DROP TABLE temp.page_steps")


def make_terms(conn: sqlite3.Connection, index_sql: list) -> None:
    """The vocabulary: every store's terms, page counts summed, every column kept."""
    extra = [c for c in columns(conn, "temp", "words") if c not in ("term", "docs")]
    conn.execute("CREATE TABLE terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL"
                 + "".join(f", [{c}]" for c in extra) + ")")
    listed = "".join(f", [{c}]" for c in extra)
    taken = "".join(f", max([{c}])" for c in extra)
    conn.execute(f"INSERT INTO terms (term, docs{listed}) SELECT term, sum(docs){taken} "
                 "FROM temp.words GROUP BY term ORDER BY term")
    for sql in index_sql:
        conn.execute(sql[0])
    conn.execute("DROP TABLE temp.words")


def fill_body(conn: sqlite3.Connection) -> None:
    """The contentless body index, from each page's row and steps (build.stored_body_text),
    a page at a time."""
    conn.executemany("INSERT INTO body_fts (rowid, body_text) VALUES (?, ?)", page_texts(conn))


def page_texts(conn: sqlite3.Connection):
    """(rowid, body text) of every page; steps are in the pages' order (put_in_binder_order),
    so both are read in one pass."""
    from binder.content.build import stored_body_text

    steps = conn.execute("SELECT doc_id, text FROM steps ORDER BY rowid")
    step = steps.fetchone()
    for row in conn.execute("SELECT rowid, * FROM documents ORDER BY rowid"):
        texts = []
        while step is not None and step[0] == row["id"]:
            texts.append(step[1])
            step = steps.fetchone()
        yield row["rowid"], stored_body_text(row, texts)


def common_columns(conn: sqlite3.Connection, table: str) -> str:
    """The columns of the index's table that the attached store has too."""
    theirs = set(columns(conn, "store", table))
    return ", ".join(f"[{c}]" for c in columns(conn, "main", table) if c in theirs)


def columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def attach(conn: sqlite3.Connection, path: Path, schema: str) -> None:
    conn.execute(f"ATTACH DATABASE ? AS {schema}", (f"{Path(path).resolve().as_uri()}?mode=ro",))


def sync_folder(folder: Path) -> None:
    """The rename made durable (where a folder can be opened: not on Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


LEFT_BEHIND_S = 24 * 3600  # a build's temporary file this old was left by a crash


def remove_other_indexes(folder: Path, keep: Path | None = None) -> None:
    """Index files of other keys (older packs or content), and temporary files a crashed build
    left (a day old: a build takes seconds, and another may be writing a newer one now); one
    still open elsewhere, on Windows, is left for next time."""
    now = time.time()
    for path in [*Path(folder).glob("*.db"), *Path(folder).glob(".*.tmp")]:
        if path == keep:
            continue
        try:
            if path.suffix == ".tmp" and now - path.stat().st_mtime < LEFT_BEHIND_S:
                continue
            path.unlink()
        except OSError:
            pass
