"""A damaged journal: copied aside byte for byte, then every event that can be read carried over."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from binder.journal import wal
from binder.journal.journal import (
    EVENT_FIELDS,
    SCHEMA_VERSION,
    Journal,
    JournalError,
    event_hash,
    transaction,
)

COLUMNS = ("seq", *EVENT_FIELDS, "prev_hash", "hash")
REQUIRED = ("id", "kind", "entered_at", "data", "prev_hash", "hash")
SUFFIXES = ("", "-wal", "-shm")


@dataclass
class Salvage:
    """What could be read from the copies: event rows as raw values, by seq."""
    rows: dict[int, tuple] = field(default_factory=dict)
    highest: int = 0  # the highest seq ever given out, as far as any copy says
    settings: list[tuple] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    segments: list[dict] = field(default_factory=list)  # signed segments (binder/sync), as kept

    def missing(self) -> list[int]:
        return [seq for seq in range(1, self.highest + 1) if seq not in self.rows]


def copy_aside(path: Path) -> Path:
    """journal.db and its -wal and -shm, copied byte for byte (and synced) beside it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    number = 1
    while any(Path(f"{aside}{s}").exists() for s in SUFFIXES):
        number += 1
        aside = path.with_name(f"{path.stem}.damaged-{stamp}-{number}{path.suffix}")
    try:
        for suffix in SUFFIXES:
            source = Path(f"{path}{suffix}")
            if source.exists():
                _copy_synced(source, Path(f"{aside}{suffix}"))
    except OSError:  # a disk too full for the copy: no half copy is left to be mistaken
        for suffix in SUFFIXES:
            Path(f"{aside}{suffix}").unlink(missing_ok=True)
        raise
    return aside


def _copy_synced(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def lock_out_others(path: Path, timeout: float) -> sqlite3.Connection | None:
    """A connection holding the journal's lock while it is recovered; JournalError if another
    program has it open. (None if the file is not a database: nobody can be using it.)"""
    conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")  # the lock is kept until the connection closes
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise JournalError(
                f"The activity journal at {path} looks damaged, but another program has it "
                "open. Close every Binder and start again. It has not been changed.") from None
        return None
    except sqlite3.DatabaseError:
        conn.close()
        return None


def salvage(aside: Path, scratch: Path) -> Salvage:
    """Every event row any reading of the copy gives: the database with the -wal's checksums
    mended (reads past a damaged frame), with the -wal as it is, and without it."""
    db = aside.read_bytes()
    wal_path = Path(f"{aside}-wal")
    wal_bytes = wal_path.read_bytes() if wal_path.exists() else b""
    page_size = wal.db_page_size(db[:100]) or 4096
    readings = [(db, b"")]
    if wal_bytes:
        scan = wal.scan_wal(wal_bytes, page_size)
        mended = wal.repaired_wal(wal_bytes, scan)
        db_read = _with_page_one(db, mended, scan)
        readings = [(db_read, mended), (db_read, wal_bytes), *readings]
    found = Salvage()
    for number, (db_copy, wal_copy) in enumerate(readings):
        copy = scratch / f"reading-{number}.db"
        copy.write_bytes(db_copy)
        if wal_copy:
            Path(f"{copy}-wal").write_bytes(wal_copy)
        _read_copy(copy, found)
    return found


def _with_page_one(db: bytes, mended_wal: bytes, scan: wal.WalScan) -> bytes:
    """The database as SQLite can open it: its header page from the -wal when its own is
    damaged or missing (it is the newer one anyway), and whole pages only."""
    page_size = scan.page_size
    if len(db) % page_size:
        db += bytes(page_size - len(db) % page_size)
    if db.startswith(wal.DB_MAGIC) and wal.db_page_size(db[:100]) == page_size:
        return db
    ones = [f for f in scan.frames if f.page == 1 and f.offset < len(mended_wal)]
    if not ones:
        return db
    start = ones[-1].offset + wal.FRAME_HEADER
    return mended_wal[start:start + page_size] + db[page_size:]


def _read_copy(copy: Path, found: Salvage) -> None:
    try:
        conn = sqlite3.connect(copy, isolation_level=None)
    except sqlite3.Error:
        return
    conn.text_factory = bytes
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] > SCHEMA_VERSION:
            raise JournalError(
                "The damaged activity journal was written by a newer Binder; use the newer "
                "Binder to recover it.")
        columns = _columns(conn)
        for row in _rows(conn, columns):
            found.rows.setdefault(row[0], row)
            if not _self_consistent(found.rows[row[0]]) and _self_consistent(row):
                found.rows[row[0]] = row
        found.highest = max(found.highest, max(found.rows, default=0), _highest(conn))
        if not found.settings:
            found.settings = _try(conn, "SELECT key, value FROM settings")
        if not found.contacts:
            found.contacts = [dict(zip(names, values, strict=True)) for names, values in
                              _try_named(conn, "SELECT * FROM contacts")]
        if not found.segments:  # without them, this laptop would number its segments anew
            found.segments = [dict(zip(names, values, strict=True)) for names, values in
                              _try_named(conn, "SELECT * FROM segments")]
    except sqlite3.Error:
        pass
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection) -> list[str]:
    have = {row[1].decode() for row in conn.execute("PRAGMA table_info(events)")}
    return [name if name in have else "NULL" for name in COLUMNS]


def _rows(conn: sqlite3.Connection, columns: list[str]):
    """Rows by seq; past a page that cannot be read, onwards from further and further on,
    and backwards from the end, so one damaged page costs only the rows on it."""
    sql = f"SELECT {', '.join(columns)} FROM events WHERE seq {{}} ? ORDER BY seq {{}}"
    for compare, order, start, step in ((">", "ASC", 0, 1), ("<", "DESC", 2 ** 62, -1)):
        jump = 0
        while abs(jump) < 2 ** 40:
            try:
                for row in conn.execute(sql.format(compare, order), (start + jump,)):
                    if isinstance(row[0], int):
                        yield row
                        start, jump = row[0], 0
                break
            except sqlite3.DatabaseError:
                jump = step if not jump else jump * 2


def _highest(conn: sqlite3.Connection) -> int:
    rows = _try(conn, "SELECT seq FROM sqlite_sequence WHERE name = 'events'")
    return rows[0][0] if rows and isinstance(rows[0][0], int) else 0


def _try(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.Error:
        return []


def _try_named(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    try:
        cursor = conn.execute(sql)
        names = [d[0] for d in cursor.description]
        return [(names, row) for row in cursor.fetchall()]
    except sqlite3.Error:
        return []


def decoded(row: tuple) -> dict | None:
    """A raw event row as text values, or None if a value is not text that can be read."""
    values = {"seq": row[0]}
    for name, value in zip(COLUMNS[1:], row[1:], strict=True):
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                return None
        if value is not None and not isinstance(value, str):
            return None
        values[name] = value or ""
    return values


def _self_consistent(row: tuple) -> bool:
    values = decoded(row)
    return bool(values) and event_hash(values["prev_hash"], values) == values["hash"]


def write_journal(path: Path, found: Salvage) -> list[int]:
    """A new journal holding the salvaged rows with their own seq, ids and hashes (so `verify`
    still shows one that was damaged); the seqs of rows that could not be written back."""
    journal = Journal(path)
    skipped, ids = [], set()
    names = ", ".join(COLUMNS)
    values = ", ".join(["?"] + [  # a journal from before schema 6 has no laptop or clock
        "ifnull(CAST(? AS TEXT), '')" if name in ("device", "hlc") else "CAST(? AS TEXT)"
        for name in COLUMNS[1:]])
    try:
        with transaction(journal.conn):
            for seq, row in sorted(found.rows.items()):
                record = dict(zip(COLUMNS, row, strict=True))
                if any(record[name] is None for name in REQUIRED) or record["id"] in ids:
                    skipped.append(seq)
                    continue
                ids.add(record["id"])
                journal.conn.execute(f"INSERT INTO events ({names}) VALUES ({values})", row)
            journal.conn.executemany(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (CAST(? AS TEXT), "
                "CAST(? AS TEXT))", [s for s in found.settings if None not in s])
            for contact in found.contacts:
                journal.conn.execute(
                    f"INSERT INTO contacts ({', '.join(contact)}) VALUES "
                    f"({', '.join('?' * len(contact))})",
                    [v.decode("utf-8", "replace") if isinstance(v, bytes) else v
                     for v in contact.values()])
            for segment in found.segments:
                journal.conn.execute(
                    "INSERT OR IGNORE INTO segments (incident_id, device, number, hash, bytes, "
                    "stored_at, first_seq, last_seq) VALUES (CAST(? AS TEXT), CAST(? AS TEXT), "
                    "?, CAST(? AS TEXT), ?, CAST(? AS TEXT), ifnull(?, 0), ifnull(?, 0))",
                    [segment.get(name) for name in (
                        "incident_id", "device", "number", "hash", "bytes", "stored_at",
                        "first_seq", "last_seq")])
    finally:
        journal.close()
    return skipped


def recover_journal(path: Path, reason: str, timeout: float) -> str:
    """Copy a damaged journal aside, start a new one from what can be read of the copy, and
    say so, for a person. The damaged files are replaced only once their copy exists, and
    put back as they were if the recovery fails."""
    aside = copy_aside(path)
    try:
        lock = lock_out_others(path, timeout)
    except JournalError:
        for suffix in SUFFIXES:
            Path(f"{aside}{suffix}").unlink(missing_ok=True)
        raise
    try:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".journal-recovery-") as scratch:
            found = salvage(aside, Path(scratch))
            new = Path(scratch) / "recovered.db"
            skipped = write_journal(new, found)
            _release(lock)  # (an open file cannot be replaced everywhere)
            lock = None
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            os.replace(new, path)
    except (sqlite3.Error, OSError, JournalError) as exc:
        _release(lock)
        _put_back(aside, path)
        raise JournalError(
            f"The activity journal at {path} is damaged ({reason}) and could not be recovered: "
            f"{exc}. A copy of it as it was is at {aside}: keep it.") from None
    return _report(aside, reason, found, skipped)


def _release(lock: sqlite3.Connection | None) -> None:
    """Let go of the journal's lock. Closing may copy the -wal's readable part into
    journal.db: only ever done once the copy aside exists."""
    if lock is not None:
        lock.close()


def _put_back(aside: Path, path: Path) -> None:
    """The damaged files exactly as they were found, so the next start finds the damage too."""
    for suffix in SUFFIXES:
        copy, original = Path(f"{aside}{suffix}"), Path(f"{path}{suffix}")
        if copy.exists():
            shutil.copyfile(copy, original)
        else:
            original.unlink(missing_ok=True)


def _report(aside: Path, reason: str, found: Salvage, skipped: list[int]) -> str:
    unreadable = sorted(seq for seq, row in found.rows.items()
                        if decoded(row) is None and seq not in skipped)
    kept = [seq for seq in found.rows if seq not in skipped]
    readable = [seq for seq in kept if seq not in unreadable]
    last = decoded(found.rows[max(readable)]) if readable else None
    text = recovered_message(aside, reason, len(kept), sorted(found.missing() + skipped),
                             unreadable)
    if last:
        text += (f" The last entry recovered is seq {last['seq']}, entered at "
                 f"{last['entered_at'][:19].replace('T', ' ')} UTC: anything entered after it "
                 "may be missing; check it against your paper log.")
    else:
        text += " Nothing else could be read from it: check your paper log."
    return text


def recovered_message(aside: Path, reason: str, count: int, lost: list[int],
                      unreadable: list[int]) -> str:
    text = (f"The activity journal was damaged ({reason}). A copy of it as it was is at "
            f"{aside}: keep it. {count} entr{'y was' if count == 1 else 'ies were'} "
            "recovered into a new journal")
    if lost:
        text += f"; {len(lost)} could not be read ({_seqs(lost)})"
    text += "."
    if unreadable:
        have = "y has" if len(unreadable) == 1 else "ies have"
        text += f" {len(unreadable)} recovered entr{have} damaged text ({_seqs(unreadable)})."
    return text


def _seqs(seqs: list[int]) -> str:
    shown = ", ".join(str(s) for s in seqs[:10])
    return f"seq {shown}" + (f" and {len(seqs) - 10} more" if len(seqs) > 10 else "")
