"""Checks a journal's database and -wal files as bytes, before SQLite opens (and trusts) them."""

from __future__ import annotations

import struct
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DB_MAGIC = b"SQLite format 3\x00"
WAL_MAGIC = {0x377F0682: False, 0x377F0683: True}  # magic -> checksums read big-endian
WAL_VERSION = 3007000
WAL_HEADER = 32
FRAME_HEADER = 24
SHM_HEADER = 48  # the wal-index header, kept twice at the start of the -shm file


@dataclass(frozen=True)
class Frame:
    offset: int
    page: int
    commit: int  # the database's size in pages after this commit; 0 if not a commit frame
    salts: bytes
    stored: tuple[int, int]  # the checksum written in the frame header
    links: bool  # its checksum follows from the frame before it (whatever that one's state)


@dataclass
class WalScan:
    page_size: int
    big_endian: bool
    salts: bytes
    header_ok: bool
    frames: list[Frame]
    valid: int  # frames SQLite will use: the valid prefix, up to its last commit frame
    valid_pages: int  # database size in pages after the last valid commit

    def damaged_commits(self) -> list[int]:
        """Commit frames of this WAL's generation that chain on past a broken frame: committed
        transactions that SQLite would silently drop."""
        broken = next((i for i, f in enumerate(self.frames)
                       if not (f.links and f.salts == self.salts)), len(self.frames))
        return [i for i, f in enumerate(self.frames[broken:], broken)
                if f.commit and f.links and f.salts == self.salts]


def checksum(data: bytes, big_endian: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    """The WAL checksum (fileformat2.html#walformat): two running sums over 32-bit words."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    pairs = iter(words)
    for a, b in zip(pairs, pairs, strict=True):
        s0 = (s0 + a + s1) & 0xFFFFFFFF
        s1 = (s1 + b + s0) & 0xFFFFFFFF
    return s0, s1


def page_size_ok(size: int) -> bool:
    return 512 <= size <= 65536 and size & (size - 1) == 0


def db_page_size(header: bytes) -> int:
    """The page size a database header gives (0 if it gives none)."""
    if len(header) < 100 or not header.startswith(DB_MAGIC):
        return 0
    size = struct.unpack(">H", header[16:18])[0]
    size = 65536 if size == 1 else size
    return size if page_size_ok(size) else 0


def scan_wal(data: bytes, fallback_page_size: int = 4096) -> WalScan:
    """Every whole frame of a -wal file, whether it links to the one before, and where the
    part SQLite will use ends. A damaged header is read as well as it can be."""
    magic, version, page_size = struct.unpack(">III", data[:12].ljust(12, b"\0"))
    big_endian = WAL_MAGIC.get(magic)
    header_ok = (big_endian is not None and version == WAL_VERSION and page_size_ok(page_size)
                 and len(data) >= WAL_HEADER)
    if not page_size_ok(page_size):
        page_size = fallback_page_size
    if big_endian is None:
        big_endian = _likely_byte_order(data, page_size)
    salts = data[16:24]
    seed = struct.unpack(">II", data[24:32].ljust(8, b"\0"))
    if header_ok and checksum(data[:24], big_endian) != seed:
        header_ok = False
    frames = _frames(data, page_size, big_endian, seed)
    if not header_ok:
        salts = _common_salts(frames) or salts
    valid, valid_pages = 0, 0
    for index, frame in enumerate(frames):
        if not (header_ok and frame.links and frame.salts == salts):
            break
        if frame.commit:
            valid, valid_pages = index + 1, frame.commit
    return WalScan(page_size, big_endian, salts, header_ok, frames, valid, valid_pages)


def _frames(data: bytes, page_size: int, big_endian: bool, seed: tuple[int, int]) -> list[Frame]:
    frames, previous = [], seed
    size = FRAME_HEADER + page_size
    for offset in range(WAL_HEADER, len(data) - size + 1, size):
        head = data[offset:offset + FRAME_HEADER]
        page, commit = struct.unpack(">II", head[:8])
        stored = struct.unpack(">II", head[16:24])
        body = data[offset + FRAME_HEADER:offset + size]
        computed = checksum(body, big_endian, *checksum(head[:8], big_endian, *previous))
        frames.append(Frame(offset, page, commit, head[8:16], stored, computed == stored))
        previous = stored  # so the frames after a damaged one still show whether they chain
    return frames


def _common_salts(frames: list[Frame]) -> bytes:
    counts = Counter(f.salts for f in frames if f.links)
    return counts.most_common(1)[0][0] if counts else b""


def _likely_byte_order(data: bytes, page_size: int) -> bool:
    """With the magic number gone, the byte order under which more of the first frames link."""
    start = data[:WAL_HEADER + 8 * (FRAME_HEADER + page_size)]
    seed = struct.unpack(">II", data[24:32].ljust(8, b"\0"))
    big = sum(f.links for f in _frames(start, page_size, True, seed))
    little = sum(f.links for f in _frames(start, page_size, False, seed))
    return big >= little


def shm_frames(data: bytes) -> tuple[int, bytes, int] | None:
    """(frames committed, salts, frames already copied into the database) from a -shm
    wal-index header, if its two copies agree."""
    if len(data) < 2 * SHM_HEADER + 4 or data[:SHM_HEADER] != data[SHM_HEADER:2 * SHM_HEADER]:
        return None
    is_init = data[12]
    max_frame = struct.unpack("=I", data[16:20])[0]
    backfilled = struct.unpack("=I", data[96:100])[0]
    return (max_frame, data[32:40], backfilled) if is_init else None


SETTLE_READS, SETTLE_WAIT_S = 4, 0.05


def pair_problem(db_path: Path) -> str:
    """What is wrong with a journal's database and -wal pair as files, or "" if nothing is.

    A problem counts only when two reads in a row find the same one. Another Binder writing
    to the -wal meanwhile can be read half-way through a frame (a read is not atomic: its
    first bytes old, its last new), which looks like damage before its saved entries; the next
    read no longer shows it there, while damage on disk stays where it is. A different problem
    on every read is a writer at work, not damage."""
    problem = pair_problem_once(db_path)
    for _ in range(SETTLE_READS - 1):
        if not problem:
            return ""
        time.sleep(SETTLE_WAIT_S)
        again = pair_problem_once(db_path)
        if again == problem:
            return problem
        problem = again
    return ""


def pair_problem_once(db_path: Path) -> str:
    """pair_problem from one read of the files. A normal leftover of a crash (a torn,
    uncommitted last transaction; frames of an older WAL generation) is not a problem."""
    # The -shm first: a Binder writing meanwhile adds frames to the -wal before it counts them.
    shm = _read(Path(f"{db_path}-shm"), 2 * SHM_HEADER + 4)
    db_size = _size(db_path)
    db = _read(db_path, 100)
    wal = _read(Path(f"{db_path}-wal"))
    if db is None or (not db and not wal):
        return ""  # no journal yet, or an empty one: SQLite starts it
    if db and not db.startswith(DB_MAGIC):
        return "journal.db is not a database"
    page_size = db_page_size(db)
    if db and not page_size:
        return "journal.db's header is damaged"
    if db and db_size % page_size:
        return f"journal.db is {db_size} bytes, not a whole number of {page_size}-byte pages"
    index = shm_frames(shm or b"")
    if not wal:
        if index and index[0] > index[2]:  # frames written and not yet in the database
            return (f"the -wal file is {'empty' if wal is not None else 'missing'} where "
                    f"{index[0]} frames were written")
        return _short_db(db, db_size, page_size, set(), 0)
    if not db:
        return "journal.db is empty but its -wal file is not"
    scan = scan_wal(wal, page_size)
    return (_wal_problem(scan, wal, page_size, index)
            or _short_db(db, db_size, page_size, {f.page for f in scan.frames[:scan.valid]},
                         scan.valid_pages))


def _wal_problem(scan: WalScan, wal: bytes, page_size: int, index: tuple | None) -> str:
    if len(wal) < WAL_HEADER:
        return f"the -wal file is cut short ({len(wal)} bytes)"
    if not scan.header_ok:
        return "the -wal file's header is damaged"
    if scan.page_size != page_size:
        return f"the -wal file's page size ({scan.page_size}) is not journal.db's ({page_size})"
    if scan.damaged_commits():
        frame = next(i for i, f in enumerate(scan.frames)
                     if not (f.links and f.salts == scan.salts))
        return f"the -wal file is damaged at frame {frame + 1}, before saved entries"
    if index and index[1] == scan.salts and index[0] > scan.valid:
        return (f"the -wal file holds {scan.valid} saved frames where {index[0]} were written "
                "(cut short or damaged)")
    return ""


def _short_db(db: bytes, size: int, page_size: int, pages_in_wal: set[int],
              wal_pages: int) -> str:
    """Pages the database should have that neither its file nor the WAL holds."""
    on_disk = size // page_size
    header_valid = db[24:28] == db[92:96]
    expected = wal_pages or (struct.unpack(">I", db[28:32])[0] if header_valid else 0)
    missing = [p for p in range(on_disk + 1, expected + 1) if p not in pages_in_wal]
    if missing:
        return f"journal.db is cut short: {len(missing)} of its pages are missing"
    return ""


def _read(path: Path, limit: int = -1) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except FileNotFoundError:
        return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def repaired_wal(wal: bytes, scan: WalScan) -> bytes:
    """A copy of a -wal file in which every frame of its generation, up to the last commit
    frame that chains, has the header's salts and a correct checksum: SQLite then reads past
    a damaged frame instead of stopping there. The damaged page itself is not mended."""
    commits = [i for i, f in enumerate(scan.frames)
               if f.commit and _near(f.salts, scan.salts) and (f.links or f.salts == scan.salts)]
    end = commits[-1] + 1 if commits else 0
    magic = 0x377F0683 if scan.big_endian else 0x377F0682
    head = struct.pack(">IIII", magic, WAL_VERSION, scan.page_size,
                       struct.unpack(">I", wal[12:16].ljust(4, b"\0"))[0]) + scan.salts
    seed = checksum(head, scan.big_endian)
    out = [head + struct.pack(">II", *seed)]
    size = FRAME_HEADER + scan.page_size
    for frame in scan.frames[:end]:
        first = wal[frame.offset:frame.offset + 8]
        body = wal[frame.offset + FRAME_HEADER:frame.offset + size]
        seed = checksum(body, scan.big_endian, *checksum(first, scan.big_endian, *seed))
        out.append(first + scan.salts + struct.pack(">II", *seed) + body)
    return b"".join(out)


def _near(salts: bytes, wanted: bytes) -> bool:
    """The same salts, or ones a flipped bit or two away (an older WAL's differ in many)."""
    return sum(bin(a ^ b).count("1") for a, b in zip(salts, wanted, strict=True)) <= 2
