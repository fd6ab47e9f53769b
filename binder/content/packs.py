"""Agency content packs: checked folders of pages, each built into its own content database."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from binder.content.build import write_database
from binder.content.check import Finding
from binder.content.content import SECTIONS, VALID_ID, Document, slugify
from binder.content.importer import read_pack_folder

PACKS_FOLDER = "packs"


class PackError(Exception):
    """A pack that cannot be added, updated or removed; .findings: every problem, if any."""

    def __init__(self, message: str, findings: Iterable[Finding] = (),
                 warnings: Iterable[Finding] = ()):
        self.findings, self.warnings = list(findings), list(warnings)
        super().__init__("\n".join([message, *(str(f) for f in self.findings)]))
        self.message = message


@dataclass(frozen=True)
class PackInfo:
    pack_id: str
    name: str
    source: str  # the folder it was imported from
    added: str  # ISO time of the last import
    pages: int
    path: Path
    problem: str = ""  # set when the file cannot be read: remove it, or add the folder again
    unreviewed: int = 0  # pages whose front matter does not say when they were last reviewed
    section: str = ""  # the shipped section its outside pages were put in ("": its own)


@dataclass
class PackReport:
    pack_id: str
    name: str
    docs: list[Document]
    findings: list[Finding] = field(default_factory=list)  # warnings only: it was added
    overrides: list[str] = field(default_factory=list)  # ids of shipped pages it replaces

    @property
    def unreviewed(self) -> int:
        """How many of its pages do not say when they were last reviewed."""
        return sum(not doc.reviewed for doc in self.docs)


def packs_dir(data_dir: Path) -> Path:
    return Path(data_dir) / PACKS_FOLDER


def pack_id_for(name: str) -> str:
    """The pack's id and file name: its name slugged, or a hash of a name with no latin letters."""
    slug = slugify(name)
    if slug == "page" and slugify(name + " x") != "page-x":
        slug = "pack-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    return slug


def pack_path(data_dir: Path, pack_id: str) -> Path:
    if not VALID_ID.match(pack_id):
        raise PackError(f"'{pack_id}' is not a pack id")
    return packs_dir(data_dir) / f"{pack_id}.db"


def add_pack(
    folder: Path, data_dir: Path, name: str | None = None, known_ids: Iterable[str] = (),
    default_section: str | None = None, today: dt.date | None = None,
) -> PackReport:
    """Check a folder and build it into the pack named `name` (the folder's name by default),
    replacing a pack of that name whole. On any error nothing is written: PackError lists them.
    known_ids: the shipped pages' ids (links may go to them; a page with one overrides it).
    default_section: a shipped section for the pages without Binder front matter (by default
    they are a section of the pack's own, after the shipped ones)."""
    folder = Path(folder)
    name = (name or folder.resolve().name).strip()
    if not name:
        raise PackError("a pack needs a name")
    pack_id = pack_id_for(name)
    if default_section and default_section not in SECTIONS:
        raise PackError(f"there is no section '{default_section}' (use one of: "
                        f"{', '.join(SECTIONS)})")
    known_ids = set(known_ids)
    result = read_pack_folder(folder, default_section, today, name=name, known_ids=known_ids)
    if result.errors:
        count = len(result.errors)
        raise PackError(f"'{name}' was not added: {count} problem{'s' * (count > 1)} "
                        f"in {folder}", result.errors, result.warnings)
    out = pack_path(data_dir, pack_id)
    meta = {"pack_name": name, "pack_source": str(folder.resolve()),
            "pack_added": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "pack_section": default_section or ""}
    try:
        write_database(result.docs, result.revision, out, meta)
    except (OSError, sqlite3.Error) as exc:  # a full disk, or (on Windows) the old file open
        raise PackError(f"'{name}' could not be written to {out}: {exc}") from None
    overrides = sorted(doc.id for doc in result.docs if doc.id in known_ids)
    return PackReport(pack_id, name, result.docs, result.findings, overrides)


def update_pack(data_dir: Path, pack_id: str, known_ids: Iterable[str] = (),
                default_section: str | None = None, today: dt.date | None = None) -> PackReport:
    """Import a pack's folder again, under the same name (and in the section it was added to,
    unless default_section is given)."""
    path = pack_path(data_dir, pack_id)
    if not path.is_file():
        raise PackError(f"there is no pack '{pack_id}'")
    info = pack_info(path)
    if info.problem or not info.source:
        raise PackError(f"pack '{pack_id}' cannot be read ({info.problem}): add its folder again")
    return add_pack(Path(info.source), data_dir, info.name, known_ids,
                    default_section or info.section or None, today)


def pack_paths(data_dir: Path) -> list[Path]:
    """Every pack database, by id (half-written temporary files left out)."""
    folder = packs_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.db") if not p.name.startswith(".") and p.is_file())


def pack_info(path: Path) -> PackInfo:
    pack_id = path.stem
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return PackInfo(pack_id, pack_id, "", "", 0, path, f"cannot be opened: {exc}")
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        pages, unreviewed = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE reviewed = '') FROM documents").fetchone()
    except sqlite3.Error as exc:
        return PackInfo(pack_id, pack_id, "", "", 0, path, f"damaged: {exc}")
    finally:
        conn.close()
    return PackInfo(pack_id, meta.get("pack_name") or pack_id, meta.get("pack_source", ""),
                    meta.get("pack_added", ""), pages, path, unreviewed=unreviewed,
                    section=meta.get("pack_section", ""))


def list_packs(data_dir: Path) -> list[PackInfo]:
    return [pack_info(path) for path in pack_paths(data_dir)]


def remove_pack(data_dir: Path, pack_id: str) -> None:
    path = pack_path(data_dir, pack_id)
    if not path.is_file():
        raise PackError(f"there is no pack '{pack_id}'")
    try:
        path.unlink()
    except OSError as exc:  # on Windows, while the app still has it open
        raise PackError(f"pack '{pack_id}' could not be removed: {exc}") from None


def page_digests(database: bytes) -> list[dict]:
    """Each page of a pack database (its bytes): id, title and a digest of everything stored
    for it (its row and its steps), so two revisions show which pages changed."""
    import json

    memory = sqlite3.connect(":memory:")
    try:
        memory.deserialize(database)
        memory.row_factory = sqlite3.Row
        steps: dict[str, list] = {}
        for row in memory.execute("SELECT * FROM steps ORDER BY doc_id, position, id"):
            steps.setdefault(row["doc_id"], []).append(dict(row))
        pages = []
        for row in memory.execute("SELECT * FROM documents ORDER BY id"):
            text = json.dumps([dict(row), steps.get(row["id"], [])], sort_keys=True)
            pages.append({"id": row["id"], "title": row["title"],
                          "digest": hashlib.sha256(text.encode()).hexdigest()[:16]})
        return pages
    finally:
        memory.close()


def pack_problem(path: Path, name: str, revision: str, pages: list[dict]) -> str:
    """What is wrong with a pack database received from elsewhere before it is put in place
    ("" if nothing): content.db's format and full check, and the name, revision and pages its
    signed file says it holds."""
    from binder.content.content_check import content_damage
    from binder.content.schema import READABLE_VERSIONS, SCHEMA_VERSION

    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
        if version not in READABLE_VERSIONS:
            return f"it is content of version {version}; this Binder reads {SCHEMA_VERSION}"
        if (meta.get("pack_name"), meta.get("revision")) != (name, revision):
            return "its name or revision is not the one its file says"
        if page_digests(Path(path).read_bytes()) != pages:
            return "its pages are not the ones its file lists"
    except (OSError, sqlite3.Error) as exc:
        return f"it is not a pack database ({exc})"
    return content_damage(Path(path))
